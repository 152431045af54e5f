"""Moving in from WordPress: what a reader with an old link and a customer would notice (issue 24).

- every form of old WordPress address that readers and feed readers still have (post, its
  comment feed, ``?p=``, category and tag pages and their feeds, the site feeds) leads to the
  new page: a tag feed without its redirect is a 404 for every feed reader subscribed to it;
- a password-protected post is never imported: published openly it would show customers what
  was meant for a few.

The import runs on the fixture export (tests/fixtures/wordpress, see SOURCES.md there) with one
post given a password, as WordPress writes it into the export (``<wp:post_password>``). The
fast tests of the redirect records run under ``invoke mutants``.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import unquote

import pytest
from test_wordpress import EXPORT, OPTIONS, WP, make_uploads, no_network

from conftest import build_site, soup
from magazin.magazine.errors import ContentErrors
from magazin.wordpress.importer import import_wordpress
from magazin.wordpress.redirects import Redirect, encode, load_redirects, nginx_entries, redirects_lines

PROTECTED_ID = "300"  # „Über Prüfstände & Druckproben 🚀“
PROTECTED_TITLE = "Über Prüfstände & Druckproben 🚀"


def _protect(export: str, post_id: str, password: str) -> str:
    """The export with ``post_id`` protected by ``password`` (the field every item carries)."""
    start = export.index(f"<wp:post_id>{post_id}</wp:post_id>")
    at = export.index("<wp:post_password/>", start)
    assert export.rfind("<item>", 0, at) == export.rfind("<item>", 0, start)  # the same item
    return export[:at] + f"<wp:post_password>{password}</wp:post_password>" + export[at + 19 :]


@pytest.fixture(scope="module")
def moved(tmp_path_factory):
    root = tmp_path_factory.mktemp("wp-user")
    shutil.copytree(WP / "site", root / "site")
    content = root / "site" / "content"
    export = root / "export.xml"
    export.write_text(
        _protect(EXPORT.read_text(encoding="utf-8"), PROTECTED_ID, "messe2019"), encoding="utf-8"
    )
    report = import_wordpress(
        export, content, uploads=make_uploads(root / "uploads"), fetch=no_network, **OPTIONS
    )
    output = root / "output"
    build_site(content, output)
    return {"content": content, "report": report, "output": output}


def _follow(out: Path, old: str) -> str:
    """Where the static redirect page at the old address sends the reader (its meta refresh)."""
    doc = soup(out / unquote(old).lstrip("/") / "index.html")
    refresh = doc.find("meta", attrs={"http-equiv": "refresh"})["content"]
    assert refresh.startswith("0; url=")
    return refresh.removeprefix("0; url=")


def _exists(out: Path, url: str) -> bool:
    rel = unquote(url).lstrip("/")
    return (out / rel).is_file() if rel.endswith((".xml", ".html")) else (out / rel / "index.html").is_file()


@pytest.mark.slow
def test_every_old_address_form_leads_to_a_page(moved):
    out = moved["output"]
    forms = {
        "/2019/03/04/orbitalschweissen-saubere-naht/": "/technik/orbitalschweissen-saubere-naht/",
        "/2019/03/04/orbitalschweissen-saubere-naht/feed/": "/technik/orbitalschweissen-saubere-naht/",
        "/category/technik/": "/technik/",
        "/category/technik/feed/": "/feeds/technik.atom.xml",
        "/tag/schweißen/": "/themen/schweissen/",
        "/tag/schweißen/feed/": "/feeds/all.atom.xml",
        "/tag/youtube/feed/": "/feeds/all.atom.xml",
        "/feed/": "/feeds/all.atom.xml",
        "/feed/atom/": "/feeds/all.atom.xml",
        "/feed/rss2/": "/feeds/all.atom.xml",
        "/comments/feed/": "/feeds/all.atom.xml",
    }
    rules = {}
    for line in (out / "_redirects").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            *old, new, status = line.split()
            rules[" ".join(old)] = (new, status)
    nginx = dict(
        re.findall(r'^\s+"(/[^"]*)" "([^"]+)";$', (out / "_redirects.nginx.conf").read_text("utf-8"), re.M)
    )
    for old, new in forms.items():
        assert _follow(out, old) == encode(new), old  # the browser follows the static page
        assert rules[encode(old)] == (encode(new), "301"), old  # a server sends a real 301
        assert nginx[old] == new, old
        assert _exists(out, new), (old, new)
    assert rules["/ p=200"] == ("/technik/orbitalschweissen-saubere-naht/", "301")


@pytest.mark.slow
def test_a_password_protected_post_is_not_published(moved):
    content, out, report = moved["content"], moved["output"], moved["report"]
    assert f"„{PROTECTED_TITLE}“ (WordPress-ID {PROTECTED_ID}): passwortgeschützt – nicht übernommen." in (
        report.text()
    )
    sources = "".join(p.read_text(encoding="utf-8") for p in content.rglob("*.md"))
    assert f"WordPress-ID: {PROTECTED_ID}\n" not in sources and "Druckproben" not in sources
    published = "".join(
        p.read_text(encoding="utf-8", errors="ignore")
        for p in out.rglob("*")
        if p.suffix in (".html", ".xml")
    )
    assert "Druckproben" not in published and "messe2019" not in published
    assert not (out / "qualitaetssicherung").exists()  # its department had no other post
    # no old address leads anywhere for it, and the other posts are there
    records = (content / "data" / "wordpress-adressen.yml").read_text(encoding="utf-8")
    assert "beitrag: '300'" not in records and "p=300" not in records
    assert _exists(out, "/technik/orbitalschweissen-saubere-naht/")


# --- fast: the redirect records -----------------------------------------------------------------


def _records(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "wordpress-adressen.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_records_resolve_each_kind_and_skip_unchanged_addresses(tmp_path, caplog):
    path = _records(
        tmp_path,
        "quelle: https://blog.example\nadressen:\n"
        "- alt: /2019/03/04/naht/\n  beitrag: '200'\n"  # line 3
        "- alt: /tag/schweißen/feed/\n  feed: alle\n"  # 5
        "- alt: /?p=200\n  beitrag: 200\n"  # 7
        "- alt: /technik/naht/\n  beitrag: '200'\n"  # 9: already the new address
        "- alt: /weg/\n  beitrag: '999'\n"  # 11: gone
        "- alt: /alt.html\n  ziel: /neu/\n",  # 13
    )
    targets = {
        ("beitrag", "200"): ("/technik/naht/", "Naht"),
        ("feed", "alle"): ("/feeds/all.atom.xml", "Feed"),
    }
    asked = []

    def resolve(kind, value):
        asked.append((kind, value))
        return targets.get((kind, value), (value, value) if kind == "ziel" else None)

    found = load_redirects(path, resolve)
    assert found == [
        Redirect("/2019/03/04/naht/", "/technik/naht/", "Naht", 3),
        Redirect("/tag/schweißen/feed/", "/feeds/all.atom.xml", "Feed", 5),
        Redirect("/?p=200", "/technik/naht/", "Naht", 7),
        Redirect("/alt.html", "/neu/", "/neu/", 13),
    ]
    assert ("beitrag", "200") in asked and ("beitrag", "999") in asked
    assert [r.save_as for r in found] == [
        "2019/03/04/naht/index.html",
        "tag/schweißen/feed/index.html",
        None,
        "alt.html",
    ]
    assert [r.query for r in found] == [None, None, ("p", "200"), None]
    assert f"{path}:11: Die alte Adresse /weg/ führt zu beitrag „999“" in caplog.text
    assert Redirect("/", "/neu/", "", 1).save_as is None
    assert Redirect("/?", "/neu/", "", 1).save_as is None


def test_unusable_records_are_german_errors_with_the_line(tmp_path):
    cases = [
        ("adressen: [\n", "Die Datei ist kein gültiges YAML.", 2),
        ("quelle: x\n", "Es fehlt die Liste „adressen“.", 1),
        ("adressen:\n- ziel: /neu/\n", "Eintrag ohne „alt:“ (die alte Adresse).", 2),
        ("adressen:\n- alt: 5\n  ziel: /neu/\n", "Eintrag ohne „alt:“ (die alte Adresse).", 2),
        ("adressen:\n- alt: /a/\n  ziel: neu\n", "Das Ziel „neu“ muss ein Pfad sein, der mit / beginnt.", 2),
        ('adressen:\n- alt: /a"b/\n  ziel: /neu/\n', 'Die alte Adresse „/a"b/“ ist kein Pfad.', 2),
        (
            "adressen:\n- alt: /a/\n",
            "„/a/“ braucht genau ein Ziel: beitrag, abteilung, thema, feed, ziel.",
            2,
        ),
        ("- alt: /a/\n", "Es fehlt die Liste „adressen“.", 1),
    ]
    for text, message, line in cases:
        path = _records(tmp_path, text)
        with pytest.raises(ContentErrors) as info:
            load_redirects(path, lambda kind, value: ("/neu/", "Neu"))
        (error,) = info.value.errors
        assert str(error).startswith(f"{path}:{line}: {message}"), (text, str(error))


def test_server_rules_for_paths_and_wordpress_queries():
    redirects = [
        Redirect("/tag/schweißen/feed/", "/feeds/all.atom.xml", "Feed", 1),
        Redirect("/?p=200", "/technik/naht/", "Naht", 2),
        Redirect("/blog/?page_id=2", "/ueber-uns/", "Über uns", 3),
        Redirect("/?s=rohr", "/suche/", "Suche", 4),
        Redirect("/?cat=x", "/technik/", "Technik", 5),
        Redirect("/2019/über prüfstände 🚀/", "/qualitaetssicherung/pruefstaende/", "Prüfstände", 6),
    ]
    assert redirects_lines(redirects, 301) == [
        "/tag/schwei%C3%9Fen/feed/ /feeds/all.atom.xml 301",
        "/ p=200 /technik/naht/ 301",
        "/blog/ page_id=2 /ueber-uns/ 301",
        "/ s=rohr /suche/ 301",
        "/ cat=x /technik/ 301",
        "/2019/%C3%BCber%20pr%C3%BCfst%C3%A4nde%20%F0%9F%9A%80/ /qualitaetssicherung/pruefstaende/ 301",
    ]
    paths, queries = nginx_entries(redirects)
    assert paths == [
        ("/tag/schweißen/feed/", "/feeds/all.atom.xml"),
        ("/?p=200", "/technik/naht/"),
        ("/blog/?page_id=2", "/ueber-uns/"),
        ("/2019/über prüfstände 🚀/", "/qualitaetssicherung/pruefstaende/"),
    ]
    assert queries == [("p", "200"), ("page_id", "2")]
    assert encode("/a b/ä?p=1&x=@") == "/a%20b/%C3%A4?p=1&x=@"
