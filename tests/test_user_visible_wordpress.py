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
import uuid
from pathlib import Path
from urllib.parse import unquote

import pytest
from test_wordpress import EXPORT, OPTIONS, WP, make_uploads, no_network

from conftest import build_site, soup
from magazin.core.errors import ContentErrors
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
    # every unusable record at once, whatever comes first
    path = _records(
        tmp_path, "adressen:\n- alt: /a/\n  ziel: neu\n- alt: /b/\n- alt: 7\n- alt: /c/\n  ziel: /d/\n"
    )
    with pytest.raises(ContentErrors) as info:
        load_redirects(path, lambda kind, value: ("/neu/", "Neu"))
    assert [e.line for e in info.value.errors] == [2, 4, 5]


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


# --- fast: the converter on the export's own posts (what lands in the author's Markdown file) ------

CLASSIC = [  # post 100
    (
        "Mit diesem Beitrag möchten wir vorstellen, wer genau die Blogeinträge erstellt, wer die "
        "YouTube-Videos dreht und wer in Facebook postet. Dafür zuständig ist die Social Media "
        "Gruppe, auch unter dem Begriff Social Media Task Force bekannt."
    ),
    "",
    "![Sechzehn Mitglieder der Social Media Gruppe vor dem Lager]({static}/images/x/social-media-gruppe.jpg)",
    "",
    "*Social Media Gruppe*",
    "",
    "**Warum sind Mitglieder aus verschiedenen Abteilungen in dieser Gruppe?**  ",
    "Der Grund ist die Vertrautheit der Digital Natives mit den „neuen“ Medien und Kanälen.",
    "",
    "https://www.youtube.com/watch?v=hK3pF7wQx2M",
    "",
    "https://twitter.com/hecogmbh/status/1983119570422136832",
    "",
    "> Neuer Blogbeitrag: Wer steckt hinter unseren Kanälen? https://t.co/abc123",
    ">",
    "> — [Beitrag von heco gmbh (@hecogmbh) auf X](https://twitter.com/hecogmbh/status/334567890123456789)",
    "",
    (
        "Social Media ist das Projekt, an dem so viele Abteilungen beteiligt sind wie bei keinem "
        "anderen Projekt bei der heco gmbh."
    ),
]
BLOCKS = [  # post 200
    (
        "Beim Orbitalschweißen läuft der Brenner automatisch um das Rohr. Wir zeigen, worauf es bei "
        "*Formiergas* und Vorbereitung ankommt."
    ),
    "",
    "![Gleichmäßige Orbitalnaht an einem Edelstahlrohr]({static}/images/x/orbitalnaht.jpg)",
    "",
    "*Eine gleichmäßige Naht ohne Anlauffarben*",
    "",
    "## Das Video zur Montage",
    "",
    "https://www.youtube.com/watch?v=Lb7nQ2vR9sA",
    "",
    "> Eine gute Naht sieht man nicht – man misst sie.",
    ">",
    "> Jürgen Weiß",
    "",
    "| Werkstoff | Formiergas |",
    "| --- | --- |",
    "| 1.4404 | Argon 4.6 |",
    "| 1.4571 | Formiergas 95/5 |",
    "",
    "- Rohrenden plan und gratfrei",
    "- Spaltmaß kleiner 0,1 mm",
    "- Formieren bis Restsauerstoff &lt; 20 ppm",
    "",
    (
        "Mehr dazu im [Beitrag über die Social Media "
        "Gruppe](https://hecogmbh.wordpress.com/2013/05/14/heco-social-media-wer-wie-warum/), im "
        "[Prüfstand-Beitrag](https://hecogmbh.wordpress.com/?p=300), in der Kategorie "
        "[Technik](/neu/) und im [Datenblatt 1.4404 "
        "(PDF)](https://hecogmbh.files.wordpress.com/2019/03/datenblatt-1.4404.pdf). Die [interne "
        "Notiz](https://hecogmbh.wordpress.com/2021/07/01/interne-notiz/) bleibt intern."
    ),
    "",
    "> — [Beitrag auf X](https://twitter.com/hecogmbh/status/1100000000000000001)",
    "",
    "https://www.youtube.com/watch?v=hK3pF7wQx2M",
]
SHORTCODES = [  # post 300
    (
        "Im Labor prüfen wir jeden Rohrbogen mit Wasserdruck, bevor er unser Haus verlässt. Hier "
        "ein Blick auf den Prüfstand."
    ),
    "",
    # a [gallery] is a picture grid (issue 28); an image without alt text gets a provisional one
    '<div class="galerie galerie--3">',
    '<figure class="galerie__bild"><img src="{static}/images/x/pruefstand-1.jpg" '
    'alt="Prüfstand mit eingespanntem Rohrbogen"></figure>',
    '<figure class="galerie__bild"><img src="{static}/images/x/pruefstand-2.png" '
    'alt="Messprotokoll der Druckprüfung"></figure>',
    '<figure class="galerie__bild"><img src="{static}/images/x/verloren.jpg" '
    'alt="Bild aus dem Beitrag"></figure>',
    "</div>",
    "",
    "Die Montage im Video:",
    "",
    "https://www.youtube.com/watch?v=Lb7nQ2vR9sA",
    "",
    "https://www.youtube.com/watch?v=hK3pF7wQx2M",
    "",
    "Wie es auf X weiterging:",
    "",
    "> — [Beitrag auf X](https://twitter.com/hecogmbh/status/1100000000000000002)",
    "",
    "> — [Beitrag auf X](https://x.com/hecogmbh/status/1100000000000000003)",
    "",
    "Und auf Mastodon:",
    "",
    "> — [Beitrag auf Mastodon](https://social.example/@heco/115600000000000009)",
]
HOSTILE = [  # post 400
    "Mitmachen und gewinnen!",
    "",
    "Hier klicken oder [Kontakt](https://heco.example/kontakt).",
    "",
    "[Eingebetteter Inhalt von evil.example](https://evil.example/tracker.html)",
    "",
    'Text mit &lt;script>alert("nur Text")&lt;/script> und '
    "[Bild: Zählpixel](https://tracker.example/pixel.gif)",
]


def _converter(cached: str = "1983119570422136832", links: dict | None = None):
    """The converter as the import sets it up for the fixture export: uploads by their original
    address (WordPress' resized copies too) with the attachment's alt text, galleries from the
    attachments, one cached post, the given links to the old blog."""
    from magazin.wordpress.convert import Attached, Converter, ImageTarget, strip_size_suffix
    from magazin.wordpress.wxr import read_export

    export = read_export(EXPORT)
    attachments = {i.post_id: i for i in export.items if i.post_type == "attachment"}
    uploads = {strip_size_suffix(i.attachment_url): i for i in attachments.values()}

    def image_for(url):
        found = uploads.get(strip_size_suffix(url))
        if found is None:
            return None
        name = found.attachment_url.rsplit("/", 1)[1]
        return ImageTarget(f"{{static}}/images/x/{name}", found.meta.get("_wp_attachment_image_alt", ""))

    def attachments_for(attrs: dict, kind: str) -> list:
        """The shortcode's ids in their order (the fixture's galleries name them)."""
        ids = [s.strip() for s in (attrs.get("ids") or attrs.get("include") or "").split(",") if s.strip()]
        chosen = [attachments[i] for i in ids if i in attachments]
        return [Attached(a.attachment_url, a.meta.get("_wp_attachment_image_alt", "")) for a in chosen]

    converter = Converter(
        image_for,
        attachments_for,
        post_cached=lambda url: url.endswith(cached),
        link_for=lambda url: (links or {}).get(url),
    )
    return converter, {i.post_id: i.content for i in export.items if i.post_type in ("post", "page")}


@pytest.mark.parametrize(
    ("post_id", "expected"), [("100", CLASSIC), ("200", BLOCKS), ("300", SHORTCODES), ("400", HOSTILE)]
)
def test_each_post_of_the_export_becomes_this_markdown(post_id, expected):
    converter, contents = _converter(links={"https://hecogmbh.wordpress.com/category/technik/": "/neu/"})
    assert converter.convert(contents[post_id]).markdown.split("\n") == [*expected, ""]


def test_what_the_converter_reports_to_the_editor():
    converter, contents = _converter()
    classic = converter.convert(contents["100"])
    assert classic.removed == [
        "<script> entfernt (https://platform.twitter.com/widgets.js)",
        "<script> entfernt (//platform.twitter.com/widgets.js)",
    ]
    assert classic.missing_posts == ["https://twitter.com/hecogmbh/status/334567890123456789"]
    assert classic.images == ["{static}/images/x/social-media-gruppe.jpg"] and classic.notes == []
    assert [(e.provider, e.url, e.author) for e in classic.embeds] == [
        ("x", "https://twitter.com/hecogmbh/status/1983119570422136832", "heco gmbh (@hecogmbh)"),
        ("x", "https://twitter.com/hecogmbh/status/334567890123456789", "heco gmbh (@hecogmbh)"),
        ("youtube", "https://www.youtube.com/watch?v=hK3pF7wQx2M", ""),
    ]
    shortcodes = converter.convert(contents["300"])
    # notes of one kind are grouped for the report (issue 28): the picture without a description
    assert shortcodes.notes == []
    assert [(kind[0].split(":")[0], item) for kind, _, item in shortcodes.grouped] == [
        ("{n} Bild(er) ohne Beschreibung in WordPress", "{static}/images/x/verloren.jpg")
    ]
    assert shortcodes.removed == ["<script> entfernt (https://social.example/embed.js)"]
    assert [e.provider for e in shortcodes.embeds] == ["youtube", "youtube", "x", "x", "mastodon"]
    hostile = converter.convert(contents["400"])
    assert hostile.removed == [
        "iframe von evil.example entfernt (https://evil.example/tracker.html)",
        "<script> entfernt (eingebetteter Code)",
        "<style> entfernt",
        "<object> entfernt",
        "<form> entfernt",
        "Ereignis-Attribut onclick=… an <p> entfernt",
        "Ereignis-Attribut onerror=… an <img> entfernt",
        "Ereignis-Attribut onmouseover=… an <a> entfernt",
        "Link mit „javascript:“ entfernt (Text bleibt)",
        "Bild mit Adresse „x“ entfernt",
    ]
    assert hostile.notes == ["Bild https://tracker.example/pixel.gif nicht übernommen: bleibt als Link."]
    assert any("Inline-Stilen" in kind[0] for kind, _, _ in hostile.grouped)  # once per post
    assert converter.convert("").markdown == ""


# --- fast: the redirects generator on its own (what a reader with an old link gets) -------------------

RECORDS = """quelle: https://blog.example
adressen:
- alt: /vorhanden/
  ziel: /neu/
- alt: /2019/03/04/naht/
  beitrag: '200'
- alt: /tag/schweißen/feed/
  feed: alle
- alt: /?p=200
  beitrag: '200'
- alt: /category/technik/feed/
  feed: technik
- alt: /category/technik/
  abteilung: technik
- alt: /tag/schweissen/
  thema: SCHWEISSEN
- alt: /about/
  beitrag: '2'
- alt: /archiv/
  beitrag: '7'
- alt: /alt.html
  ziel: /neu/
- alt: /technik/naht/
  beitrag: '200'
- alt: /weg/
  beitrag: '999'
- alt: /category/gibts-nicht/
  abteilung: gibts-nicht
- alt: /category/gibts-nicht/feed/
  feed: gibts-nicht
- alt: /tag/gibts-nicht/
  thema: Gibts nicht
"""


def _generate(tmp_path: Path, records: str | None = RECORDS, **overrides):
    """The generator as a build runs it: settings from pelicanconf.py, the plugin's defaults and
    templates, a context with the articles, pages, departments and topics it resolves."""
    from types import SimpleNamespace

    from pelican.writers import Writer

    from conftest import SETTINGS
    from magazin.core.build import read_magazine_settings
    from magazin.wordpress import plugin as wordpress_plugin
    from magazin.wordpress.redirects import WordPressRedirectsGenerator

    content = tmp_path / "content"
    (content / "data").mkdir(parents=True, exist_ok=True)
    # an address of its own per run: Pelican's LimitFilter drops a warning already logged in this process
    existing = f"vorhanden-{uuid.uuid4().hex[:8]}"
    if records is not None:
        records = records.replace("/vorhanden/", f"/{existing}/")
        (content / "data" / "wordpress-adressen.yml").write_text(records, encoding="utf-8")
    base = {"PATH": str(content), "MAGAZINE_CANONICAL_BASE": "https://magazin.heco.de/", **overrides}
    settings = read_magazine_settings(SETTINGS, base)
    wordpress_plugin.configure(SimpleNamespace(settings=settings))
    settings.update(overrides)
    item = SimpleNamespace
    context = {
        **settings,
        "articles": [item(metadata={"wordpress-id": "200"}, url="technik/naht/", title="Naht")],
        "pages": [item(metadata={"wordpress-id": " 2 "}, url="ueber-uns/", title="Über uns")],
        "hidden_articles": [
            item(metadata={"wordpress-id": "7"}, url="technik/archiv/", title="Archiv"),
            item(metadata={"wordpress-id": "200"}, url="technik/naht-alt/", title="Alt"),
            item(metadata={}, url="technik/ohne/", title="Ohne"),
        ],
        "hidden_pages": None,
        "categories": [(item(slug="technik", url="technik/", name="Technik"), [])],
        "tags": [(item(name="Schweissen", url="themen/schweissen/"), [])],
    }
    out = tmp_path / "output"
    (out / existing).mkdir(parents=True, exist_ok=True)
    (out / existing / "index.html").write_text("Eine Seite des Magazins", encoding="utf-8")
    from pelican import signals

    with (
        signals.generator_init.muted()
    ):  # no other plugin's handler: earlier builds in the session connected them
        generator = WordPressRedirectsGenerator(
            context=context,
            settings=settings,
            path=str(content),
            theme=settings["THEME"],
            output_path=str(out),
        )
    generator.generate_context()
    generator.generate_output(Writer(str(out), settings=settings))
    return generator, settings, out, existing


def test_the_generator_writes_a_page_and_a_server_rule_for_every_old_address(tmp_path, caplog):
    generator, settings, out, existing = _generate(tmp_path)
    assert [(r.old, r.target, r.title) for r in generator.redirects] == [
        (f"/{existing}/", "/neu/", "/neu/"),
        ("/2019/03/04/naht/", "/technik/naht/", "Naht"),
        ("/tag/schweißen/feed/", "/feeds/all.atom.xml", "Feed"),
        ("/?p=200", "/technik/naht/", "Naht"),
        ("/category/technik/feed/", "/feeds/technik.atom.xml", "Feed Technik"),
        ("/category/technik/", "/technik/", "Technik"),
        ("/tag/schweissen/", "/themen/schweissen/", "Thema Schweissen"),
        ("/about/", "/ueber-uns/", "Über uns"),
        ("/archiv/", "/technik/archiv/", "Archiv"),
        ("/alt.html", "/neu/", "/neu/"),
    ]
    for gone in ("beitrag „999“", "abteilung „gibts-nicht“", "feed „gibts-nicht“", "thema „Gibts nicht“"):
        assert gone in caplog.text, gone
    assert f"Alte Adresse /{existing}/: dort liegt eine Seite des Magazins" in caplog.text
    assert (out / existing / "index.html").read_text(encoding="utf-8") == "Eine Seite des Magazins"
    lines = [
        line for line in (out / "_redirects").read_text("utf-8").splitlines() if not line.startswith("#")
    ]
    assert lines == [
        f"/{existing}/ /neu/ 301",
        "/2019/03/04/naht/ /technik/naht/ 301",
        "/tag/schwei%C3%9Fen/feed/ /feeds/all.atom.xml 301",
        "/ p=200 /technik/naht/ 301",
        "/category/technik/feed/ /feeds/technik.atom.xml 301",
        "/category/technik/ /technik/ 301",
        "/tag/schweissen/ /themen/schweissen/ 301",
        "/about/ /ueber-uns/ 301",
        "/archiv/ /technik/archiv/ 301",
        "/alt.html /neu/ 301",
    ]
    nginx = (out / "_redirects.nginx.conf").read_text(encoding="utf-8")
    assert '    "/tag/schweißen/feed/" "/feeds/all.atom.xml";\n' in nginx
    assert '    "/?p=200" "/technik/naht/";\n' in nginx
    assert '    "~(^|&)p=200(&|$)" "?p=200";\n' in nginx
    page = soup(out / "tag" / "schweißen" / "feed" / "index.html")
    assert page.find("meta", attrs={"http-equiv": "refresh"})["content"] == "0; url=/feeds/all.atom.xml"
    assert page.find("link", rel="canonical")["href"] == "https://magazin.heco.de/feeds/all.atom.xml"
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert page.find("title").get_text() == f"Umgezogen: Feed – {settings['SITENAME']}"
    assert page.main.a["href"] == "/feeds/all.atom.xml" and page.find("script") is None
    assert (out / "alt.html").is_file() and (out / "2019/03/04/naht/index.html").is_file()
    assert not (out / "index.html").exists()  # /?p=200 is for servers only
    # neither the redirect pages nor the server files are in the sitemap
    (pattern,) = [p for p in settings["SITEMAP"]["exclude"] if "naht" in p]
    for path in ("2019/03/04/naht/index.html", "2019/03/04/naht/", "tag/schwei%C3%9Fen/feed/", "_redirects"):
        assert re.match(pattern, path), path
    assert not re.match(pattern, "technik/naht/")


def test_the_generator_with_feeds_and_data_of_its_own(tmp_path):
    own = {"FEEDS_ALL": "feeds/alles.xml", "FEEDS_DEPARTMENT": "feeds/abteilung-{slug}.xml"}
    generator, settings, out, _ = _generate(tmp_path, **own)
    targets = {r.old: r.target for r in generator.redirects}
    assert targets["/tag/schweißen/feed/"] == "/feeds/alles.xml"
    assert targets["/category/technik/feed/"] == "/feeds/abteilung-technik.xml"
    pattern = settings["SITEMAP"]["exclude"][-1]
    assert re.match(pattern, "_redirects.nginx.conf") and re.match(pattern, "_redirects")
    data = tmp_path / "daten"
    data.mkdir()
    (data / "wordpress-adressen.yml").write_text("adressen:\n- alt: /x/\n  ziel: /y/\n", encoding="utf-8")
    generator, _, out, _ = _generate(tmp_path / "b", records=None, MAGAZINE_DATA_DIR=str(data))
    assert [r.old for r in generator.redirects] == ["/x/"] and (out / "x" / "index.html").is_file()


def test_the_generator_with_a_site_url_other_settings_or_no_records(tmp_path):
    _, _, out, _ = _generate(
        tmp_path / "a",
        SITEURL="https://magazin.heco.de",
        WORDPRESS_REDIRECT_STATUS=302,
        WORDPRESS_NGINX_MAP_SAVE_AS="",
    )
    assert "/about/ /ueber-uns/ 302" in (out / "_redirects").read_text(encoding="utf-8")
    assert not (out / "_redirects.nginx.conf").exists()
    page = soup(out / "about" / "index.html")
    assert (
        page.find("meta", attrs={"http-equiv": "refresh"})["content"]
        == "0; url=https://magazin.heco.de/ueber-uns/"
    )
    _, _, out, _ = _generate(tmp_path / "b", WORDPRESS_REDIRECTS_SAVE_AS="")
    assert not (out / "_redirects").exists() and (out / "_redirects.nginx.conf").is_file()
    generator, settings, out, existing = _generate(tmp_path / "c", records=None)
    assert generator.redirects == [] and sorted(p.name for p in out.iterdir()) == [existing]
    from conftest import SETTINGS
    from magazin.core.build import read_magazine_settings

    configured = read_magazine_settings(SETTINGS, {"PATH": str(tmp_path / "c" / "content")})["SITEMAP"]
    assert settings["SITEMAP"] == configured  # nothing added
    generator, _, out, existing = _generate(
        tmp_path / "d", records="adressen:\n- alt: /technik/naht/\n  beitrag: '200'\n"
    )
    assert generator.redirects == [] and sorted(p.name for p in out.iterdir()) == [existing]


# --- fast: the converter on what old posts contain (every form an editor finds in an export) -----------

UPLOAD = "https://blog.example/wp-content/uploads"


def _edge_converter():
    from magazin.wordpress.convert import Attached, Converter, ImageTarget, strip_size_suffix

    targets = {
        f"{UPLOAD}/a.jpg": ImageTarget("{static}/images/x/a.jpg", "Alt aus dem Export"),
        f"{UPLOAD}/b.jpg": ImageTarget("{static}/images/x/b.jpg", ""),
    }
    return Converter(
        lambda url: targets.get(strip_size_suffix(url)),
        lambda attrs, kind: [
            Attached(f"{UPLOAD}/a.jpg")
            for i in (attrs.get("ids") or "").replace(" ", "").split(",")
            if i == "7"
        ],
        post_cached=lambda url: url.endswith("/111"),
        link_for=lambda url: "{filename}/articles/x.md" if "blog.example/2019" in url else None,
    )


def _lines(html: str):
    result = _edge_converter().convert(html)
    return result.markdown.split("\n"), result


def test_an_old_flash_embed_does_not_swallow_the_rest_of_the_post():
    lines, result = _lines(
        '<p>Vorher</p><embed src="film.swf" width="425" height="344"><p>Danach wichtig</p>'
    )
    assert lines == ["Vorher", "", "Danach wichtig", ""]
    assert result.removed == ["<embed> entfernt"]
    lines, result = _lines(
        '<p>A</p><embed src="x.swf"><script>alert(1)</script><iframe src="https://t.example/"></iframe>'
    )
    assert "alert" not in result.markdown and "<" not in result.markdown
    assert result.removed[:2] == [
        "iframe von t.example entfernt (https://t.example/)",
        "<script> entfernt (eingebetteter Code)",
    ]


def test_embed_blocks_and_shortcodes_in_every_form():
    lines, result = _lines(
        "<!-- wp:embed {kaputt} "
        "-->\n<figure><div>\nhttps://youtu.be/Mq3vT8kLp2E\n</div></figure>\n<!-- /wp:embed -->"
    )
    assert lines == ["https://www.youtube.com/watch?v=Mq3vT8kLp2E", ""]  # the address from the block's body
    lines, result = _lines(
        '<!-- wp:embed {"providerNameSlug":"youtube"} -->\n<figure></figure>\n<!-- /wp:embed -->\n'
        "<!-- wp:paragraph --><p>Text</p><!-- /wp:paragraph -->"
    )
    assert lines == ["Text", ""] and result.notes == ["Ein Einbettungs-Block ohne Adresse wurde ausgelassen."]
    lines, result = _lines(
        '<!-- wp:embed {"url":"https://vimeo.com/1"} -->\n<figure></figure>\n<!-- /wp:embed -->'
    )
    assert lines == ["<https://vimeo.com/1>", ""]
    assert result.notes == []  # reported once per provider (issue 28)
    assert [(kind[0], what, item) for kind, what, item in result.grouped] == [
        (
            "{n} Einbettung(en) von {what} – das Magazin hat dafür keinen Baustein: als Link übernommen",
            "vimeo.com",
            "https://vimeo.com/1",
        )
    ]
    lines, result = _lines(
        "[youtube https://www.youtube.com/watch?v=Mq3vT8kLp2E&w=640&h=360]\n\n[tweet 1100000000000000004]\n\n"
        '[tweet tweet="https://x.com/a/status/111"]\n\n[gallery ids="7, 8"]\n\n[gallery]\n\n'
        '[contact-form to="x@y"][/contact-form]\n\nhttps://example.org/seite'
    )
    assert lines == [
        "https://www.youtube.com/watch?v=Mq3vT8kLp2E",
        "",
        "> — [Beitrag auf X](https://twitter.com/i/status/1100000000000000004)",
        "",
        "https://x.com/a/status/111",  # cached: a card
        "",
        '<div class="galerie galerie--1">',  # a gallery is a picture grid (issue 28)
        '<figure class="galerie__bild"><img src="{static}/images/x/a.jpg" alt="Alt aus dem Export"></figure>',
        "</div>",
        "",
        '[contact-form to="x@y"][/contact-form]',
        "",
        "https://example.org/seite",  # an ordinary address alone on its line stays as written
        "",
    ]
    assert result.notes == []  # grouped by kind for the report (issue 28)
    assert [(kind[0].split(":")[0], what, item) for kind, what, item in result.grouped] == [
        ("{n} Galerie(n)/Wiedergabeliste(n) ohne Dateien im Export", "", "[gallery]"),
        ("{n} Shortcode(s) [{what}] ohne Gegenstück im Magazin", "contact-form", "[contact-form]"),
    ]
    assert result.missing_posts == ["https://twitter.com/i/status/1100000000000000004"]


def test_pasted_post_codes_become_quotes_with_their_text_and_author():
    lines, result = _lines(
        '<blockquote class="twitter-tweet"><p lang="de">Erster '
        "Absatz *fett*</p><p>Zweiter [x] &amp; &lt;y&gt;</p>"
        "&mdash; heco gmbh (@hecogmbh) "
        '<a href="https://twitter.com/hecogmbh/status/1100000000000000005?ref_src=x">1. '
        "April 2020</a></blockquote>"
        '<script async src="https://platform.twitter.com/widgets.js"></script>\n\n'
        '<blockquote class="mastodon-embed" '
        'data-embed-url="https://social.example/@heco/115600000000000010/embed">'
        '<a href="https://social.example/@heco/115600000000000010">Beitrag</a></blockquote>\n\n'
        '<blockquote class="twitter-tweet"><p>Ohne Link</p></blockquote>'
    )
    assert lines == [
        r"> Erster Absatz \*fett\* Zweiter \[x\] &amp; &lt;y>",
        ">",
        "> — [Beitrag von heco gmbh (@hecogmbh) auf "
        "X](https://twitter.com/hecogmbh/status/1100000000000000005)",
        "",
        "> — [Beitrag auf Mastodon](https://social.example/@heco/115600000000000010)",
        "",
        "> Ohne Link",
        "",
    ]
    assert result.removed == ["<script> entfernt (https://platform.twitter.com/widgets.js)"]


def test_frames_links_styles_and_images_as_the_editor_finds_them():
    lines, result = _lines(
        '<p>Vorher <!-- geheim --></p>\n<iframe></iframe>\n<iframe src="/player.html"></iframe>\n'
        '<iframe src="http://ads.example/x"></iframe>\n'
        '<iframe src="https://social.example/@heco/115600000000000011/embed/" '
        'class="mastodon-embed"></iframe>\n'
        '<iframe src="https://www.youtube.com/embed/Mq3vT8kLp2E?start=5"></iframe>\n'
        '<iframe src="https://player.example/embed"></iframe>'
    )
    assert lines == [
        "Vorher",
        "",
        "[Eingebetteter Inhalt von ads.example](http://ads.example/x)",
        "",
        "> — [Beitrag auf Mastodon](https://social.example/@heco/115600000000000011)",
        "",
        "https://www.youtube.com/watch?v=Mq3vT8kLp2E&t=5s",
        "",
        "[Eingebetteter Inhalt von player.example](https://player.example/embed)",
        "",
    ]
    assert result.removed == [
        "iframe von unbekannt entfernt (ohne Adresse)",
        "iframe von unbekannt entfernt (/player.html)",
        "iframe von ads.example entfernt (http://ads.example/x)",
        "iframe von player.example entfernt (https://player.example/embed)",
    ]
    lines, result = _lines(
        '<p style="color:red">Rot</p><p style="x" onclick="y()">Zwei</p><noscript>Ohne</noscript>'
        '<p><a href="mailto:a@b.de">Mail</a> <a href="tel:+49">Tel</a> <a href="data:text/html,x">Daten</a> '
        '<a href="https://blog.example/2019/03/alt/">Alt</a> <a '
        f'href="https://blog.example/2019/03/alt/"><img src="{UPLOAD}/a.jpg"></a></p>'
    )
    assert lines == [
        "Rot",
        "",
        "Zwei",
        "",
        "![Alt aus dem Export]({static}/images/x/a.jpg)",
        "",
        "[Mail](mailto:a@b.de) [Tel](tel:+49) Daten [Alt]({filename}/articles/x.md)",
        "",
    ]
    assert result.removed == [
        "Ereignis-Attribut onclick=… an <p> entfernt",
        "Link mit „data:“ entfernt (Text bleibt)",
    ]
    assert any("Inline-Stilen" in kind[0] for kind, _, _ in result.grouped)  # reported once per post
    lines, result = _lines(
        '<figure class="wp-block-gallery"><ul '
        f'class="blocks-gallery-grid"><li><img src="{UPLOAD}/a.jpg"></li>'
        f'<li><img src="{UPLOAD}/b.jpg" alt="B"></li></ul></figure>\n'
        f'<div class="gallery"><img src="{UPLOAD}/a-1024x768.jpg" alt="Groß"></div>\n'
        f'<p>Text davor <img src="{UPLOAD}/a.jpg"> und danach</p>\n<p><img src="relativ.png"></p>\n'
        '<p><img src="https://fremd.example/bild.png"></p>\n<p><img '
        'src="https://fremd.example/z.png" alt="Zähler"></p>\n'
        f'<figure><img src="{UPLOAD}/b.jpg"><figcaption>Unter <b>schrift</b></figcaption></figure>'
    )
    assert lines == [
        # the block editor's and the classic gallery are picture grids (issue 28)
        '<div class="galerie galerie--2">',
        '<figure class="galerie__bild"><img src="{static}/images/x/a.jpg" alt="Alt aus dem Export"></figure>',
        '<figure class="galerie__bild"><img src="{static}/images/x/b.jpg" alt="B"></figure>',
        "</div>",
        "",
        '<div class="galerie galerie--1">',
        '<figure class="galerie__bild"><img src="{static}/images/x/a.jpg" alt="Groß"></figure>',
        "</div>",
        "",
        "![Alt aus dem Export]({static}/images/x/a.jpg)",
        "",
        "Text davor und danach",
        "",
        "[Bild (nicht übernommen)](https://fremd.example/bild.png)",
        "",
        "[Bild: Zähler](https://fremd.example/z.png)",
        "",
        "![Unter schrift]({static}/images/x/b.jpg)",  # no alt text: the caption describes it
        "",
        "*Unter schrift*",
        "",
    ]
    assert result.removed == ["Bild mit Adresse „relativ.png“ entfernt"]
    assert result.notes == [
        "Bild https://fremd.example/bild.png nicht übernommen: bleibt als Link.",
        "Bild https://fremd.example/z.png nicht übernommen: bleibt als Link.",
    ]  # the picture without alt text took its caption as the description: nothing to report


def test_addresses_alone_in_a_paragraph_and_text_that_looks_like_markup():
    lines, result = _lines(
        "<p>https://youtu.be/Mq3vT8kLp2E</p><p>https://www.youtube.com/channel/UCabc</p>"
        "<p>https://twitter.com/hecogmbh</p><p>a &lt; b &amp; c *stern* <code>&lt;tag&gt;</code></p>"
        "<p>Erste Zeile<br />Zweite Zeile</p>\n\n\n\n<p>Ende</p>"
    )
    assert lines == [
        "https://www.youtube.com/watch?v=Mq3vT8kLp2E",
        "",
        "[Video auf YouTube](https://www.youtube.com/channel/UCabc)",
        "",
        "> — [Beitrag auf X](https://twitter.com/hecogmbh)",
        "",
        r"a &lt; b &amp; c \*stern\* `<tag>`",
        "",
        "Erste Zeile  ",
        "Zweite Zeile",
        "",
        "Ende",
        "",
    ]
    assert result.notes[0].startswith("Video-Adresse https://www.youtube.com/channel/UCabc ist ungültig (")
    assert result.notes[0].endswith("): als Link übernommen.")
    assert result.missing_posts == []  # a profile is no post


def test_summaries_from_excerpts_and_first_paragraphs():
    from magazin.wordpress.convert import (
        first_paragraph,
        is_block_content,
        plain_text,
        provider_of,
        strip_size_suffix,
    )

    assert plain_text(
        '<!-- wp:paragraph --><p>Kurz [gallery ids="1"] mit <b>fett</b> https://x.example/a und Text.</p>'
    ) == ("Kurz mit fett und Text.")
    assert (
        plain_text(
            "<p>Text</p><script>x()</script><style>p{}</style><figure>B"
            "ild</figure><iframe></iframe><blockquote>Zitat</blockquote>"
        )
        == "Text"
    )
    long = "Erster Satz über Edelstahlrohre. " * 12 + "Letzter Satz"
    cut = plain_text(long, limit=100)
    assert cut == " ".join(["Erster Satz über Edelstahlrohre."] * 3)
    words = "Wort " * 80
    assert plain_text(words, limit=50) == ("Wort " * 10).strip() + " …"
    assert plain_text("Ein Satz! " * 40, limit=60).endswith("!")
    assert plain_text("Eine Frage? " * 40, limit=60).endswith("?")
    assert plain_text("") == "" and plain_text(None) == ""
    classic = "Kurz.\n\nDieser Absatz ist lang genug, um als Zusammenfassung zu dienen, und er endet hier."
    assert (
        first_paragraph(classic)
        == "<p>Dieser Absatz ist lang genug, um als Zusammenfassung zu dienen, und er endet hier.</p>"
    )
    block = (
        "<!-- wp:quote --><blockquote><p>Ein Zitat, das lang "
        "genug wäre, aber ein Zitat bleibt.</p></blockquote>"
        "<!-- /wp:quote --><!-- wp:paragraph --><p>Der erste eigene Absatz ist lang genug für den Auszug.</p>"
        "<!-- /wp:paragraph -->"
    )
    assert first_paragraph(block) == "<p>Der erste eigene Absatz ist lang genug für den Auszug.</p>"
    assert (
        first_paragraph(
            "<table><tr><td><p>Eine Zelle mit genug Text für einen Auszug darin.</p></td></tr></table>"
        )
        == ""
    )
    assert first_paragraph("") == "" and first_paragraph(None) == ""
    assert strip_size_suffix(f"{UPLOAD}/rohr-300x200.jpg?w=1#oben") == f"{UPLOAD}/rohr.jpg"
    assert strip_size_suffix(f"{UPLOAD}/rohr-300x200-1.jpg") == f"{UPLOAD}/rohr-300x200-1.jpg"
    addresses = (
        "https://m.youtube.com/watch?v=x",
        "https://x.com/a/status/1",
        "https://social.example/@a/1",
        "https://twitter.com/a",
        "https://example.org/",
    )
    assert [provider_of(u) for u in addresses] == ["youtube", "x", "mastodon", "x", None]
    assert is_block_content("<!-- wp:paragraph -->") and not is_block_content("<p>klassisch</p>")


def test_summary_edges_and_what_the_converter_keeps_as_it_is():
    from magazin.wordpress.convert import first_paragraph, plain_text

    assert (
        plain_text('Text <iframe src="x">Ihr Browser zeigt keine Frames</iframe> http://alt.example/x Ende')
        == "Text Ende"
    )
    exact = "a" * 299 + "."
    assert plain_text(exact) == exact  # exactly the limit: whole
    assert plain_text("b" * 150 + " " + "c" * 150).endswith(" …")  # 301 characters: cut
    # a sentence end counts only after the first third of the limit (30 // 3 = 10, 40 // 3 = 13)
    assert plain_text("Zehn Zeile. " + "wort " * 20, limit=30) == "Zehn Zeile. wort wort wort …"
    assert plain_text("Zwoelf Zeil. " + "wort " * 20, limit=30) == "Zwoelf Zeil."
    assert plain_text("Ein Satz da. " + "wort " * 20, limit=40) == "Ein Satz da. wort wort wort wort wort …"
    assert (
        first_paragraph("<figure><p>Eine Bildunterschrift, lang genug für einen Auszug.</p></figure>") == ""
    )
    assert first_paragraph("<p>" + "x" * 20 + "</p><p>" + "y" * 21 + "</p>") == "<p>" + "y" * 21 + "</p>"
    lines, result = _lines(
        "<!-- wp:paragraph --><p>Eine Zeile\nund weiter</p><!-- "
        '/wp:paragraph -->\n[caption id="1"]Text[/caption]'
        "<ul><li>https://youtu.be/Mq3vT8kLp2E</li></ul><p><a "
        'href="http://blog.example/2019/03/alt/">Alt</a></p>'
    )
    assert lines == [
        "Eine Zeile",
        "und weiter",  # block content: no automatic paragraphs or line breaks added
        "",
        '[caption id="1"]Text[/caption]',  # block content: kept as written, not reported twice
        "",
        "- https://youtu.be/Mq3vT8kLp2E",  # an address in a list stays text
        "",
        "[Alt]({filename}/articles/x.md)",  # old blog links over http too
        "",
    ]
    assert result.notes == [] and result.embeds == []
