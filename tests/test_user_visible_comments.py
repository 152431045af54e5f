"""Reader comments: what the reader and the author would notice (issue 24).

- ``COMMENTS_URL`` with a path (Isso behind a path, or a trailing slash): only the origin goes
  into the page's ``connect-src``; a path there would make the browser block every request to
  the comment server, and the comments would never load.
- ``Kommentare: Aus`` / ``AUS`` switch comments off like ``aus`` (no build stop with „unbekannt“).

The fast tests call the plugin's functions the build calls (``invoke mutants``); the built
pages show what readers get (marked ``slow``).
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from conftest import build_site, copy_fixture, page
from magazin.comments.plugin import (
    DEFAULTS,
    Thread,
    add_globals,
    attach_threads,
    comments_origin,
    csp_with_connect,
    thread_for,
    thread_id_for_source,
)
from magazin.comments.server import CommentsError
from magazin.magazine.errors import ContentError, ContentErrors

ARTICLE = "/technik/qualitaet-von-edelstahl-ein-ueberblick/"
META = 'meta[http-equiv="Content-Security-Policy"]'


def _article(tmp_path: Path, name: str, header: str, title: str = "Titel") -> SimpleNamespace:
    """An article as the build hands it to the plugin: its file, metadata (keys lower-case), title."""
    path = tmp_path / "content" / "articles" / "technik" / f"{name}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"Title: {title}\nDate: 2026-11-20\n{header}\n\nText.\n", encoding="utf-8")
    meta = {}
    for line in header.splitlines():
        key, _, value = line.partition(":")
        meta[key.strip().lower()] = value.strip()
    return SimpleNamespace(metadata=meta, source_path=str(path), title=title, slug=name)


def _settings(tmp_path: Path) -> dict:
    return {"PATH": str(tmp_path / "content"), "ARTICLE_PATHS": ["articles"], **DEFAULTS}


# --- fast ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("https://kommentare.magazin.heco.de", "https://kommentare.magazin.heco.de"),
        ("https://kommentare.magazin.heco.de/", "https://kommentare.magazin.heco.de"),
        ("https://magazin.heco.de/kommentare/", "https://magazin.heco.de"),
        ("https://magazin.heco.de/isso?x=1#a", "https://magazin.heco.de"),
        ("http://127.0.0.1:8081/", "http://127.0.0.1:8081"),
    ],
)
def test_only_the_origin_of_the_comment_server_is_allowed(url, origin):
    assert comments_origin(url) == origin


@pytest.mark.parametrize(
    "url", ["kommentare.magazin.heco.de", "ftp://k.example/", "//k.example/", "https://"]
)
def test_an_incomplete_comment_address_is_a_german_error(url):
    with pytest.raises(CommentsError, match="bitte eine vollständige http\\(s\\)-Adresse angeben"):
        comments_origin(url)


def test_connect_src_gains_the_origin_once_and_nothing_else():
    policy = "default-src 'self'; connect-src 'self'; frame-src https://www.youtube-nocookie.com"
    once = csp_with_connect(policy, "https://k.example")
    assert (
        once
        == "default-src 'self'; connect-src 'self' https://k.example; frame-src https://www.youtube-nocookie.com"
    )
    assert csp_with_connect(once, "https://k.example") == once
    assert csp_with_connect("default-src 'self';", "https://k.example") == (
        "default-src 'self'; connect-src 'self' https://k.example"
    )


@pytest.mark.parametrize("value", ["aus", "Aus", "AUS", " aus ", "Nein", "off", "FALSE"])
def test_comments_off_in_any_spelling(tmp_path, value):
    assert thread_for(_article(tmp_path, "x", f"Kommentare: {value}"), _settings(tmp_path)) is None


@pytest.mark.parametrize("value", ["an", "An", "EIN", "ja", "on", "true"])
def test_comments_on_in_any_spelling(tmp_path, value):
    article = _article(tmp_path, "rohre", f"Kommentare: {value}", title="Rohre")
    assert thread_for(article, _settings(tmp_path)) == Thread("/technik/rohre", "Rohre")


def test_unknown_switch_and_bad_id_name_the_file_and_line(tmp_path):
    article = _article(tmp_path, "x", "Author: A\nKommentare: vielleicht")
    with pytest.raises(ContentError) as info:
        thread_for(article, _settings(tmp_path))
    message = str(info.value)
    assert message.startswith(f"{article.source_path}:4: „Kommentare: vielleicht“ ist unbekannt.")
    assert "Erlaubt sind „aus“ (keine Kommentare) oder „an“." in message
    article = _article(tmp_path, "y", "Kommentar-ID: technik/ohne")
    with pytest.raises(ContentError) as info:
        thread_for(article, _settings(tmp_path))
    assert str(info.value).startswith(f"{article.source_path}:3: Kommentar-ID „technik/ohne“ ist ungültig.")
    too_long = _article(tmp_path, "z", "Kommentar-ID: /" + "a" * 200)
    with pytest.raises(ContentError, match="ist ungültig"):
        thread_for(too_long, _settings(tmp_path))
    exact = _article(tmp_path, "w", "Kommentar-ID: /" + "a" * 199, title="W")
    assert thread_for(exact, _settings(tmp_path)).id == "/" + "a" * 199


def test_thread_id_is_department_and_file_name_or_the_pinned_one(tmp_path):
    settings = _settings(tmp_path)
    article = _article(tmp_path, "Neue-Rohre", "Author: A", title="Neu")
    assert thread_for(article, settings) == Thread("/technik/neue-rohre", "Neu")
    pinned = _article(tmp_path, "umbenannt", "Kommentar-ID: /technik/alter-name ", title="Alt")
    assert thread_for(pinned, settings) == Thread("/technik/alter-name", "Alt")
    outside = tmp_path / "anderswo" / "Datei.md"
    assert thread_id_for_source(outside, settings) == "/datei"
    nested = tmp_path / "content" / "seiten" / "technik" / "a.md"
    assert (
        thread_id_for_source(nested, {**settings, "ARTICLE_PATHS": ["/seiten/", "articles"]}) == "/technik/a"
    )


def test_attach_threads_sets_each_article_and_refuses_a_shared_id(tmp_path):
    settings = _settings(tmp_path)
    first = _article(tmp_path, "eins", "Author: A", title="Eins")
    off = _article(tmp_path, "zwei", "Kommentare: AUS", title="Zwei")
    translation = _article(tmp_path, "eins-en", "Kommentar-ID: /technik/eins", title="One")
    generator = SimpleNamespace(
        settings=settings, articles=[first, off], translations=[translation], drafts=[]
    )
    attach_threads(generator)
    assert first.comments == Thread("/technik/eins", "Eins") and off.comments is None
    assert translation.comments.id == "/technik/eins"  # a translation shares the discussion
    twin = _article(tmp_path, "drei", "Author: A\nKommentar-ID: /technik/eins", title="Drei")
    bad = _article(tmp_path, "vier", "Kommentare: vielleicht", title="Vier")
    draft = _article(tmp_path, "fuenf", "Kommentar-ID: /technik/eins", title="Fünf")
    generator = SimpleNamespace(
        settings=settings, articles=[first, twin, bad], translations=[], drafts=[draft]
    )
    with pytest.raises(ContentErrors) as info:
        attach_threads(generator)
    messages = [str(e) for e in info.value.errors]
    assert len(messages) == 3, messages
    assert messages[0].startswith(
        f"{twin.source_path}:4: Kommentar-ID „/technik/eins“ hat schon {first.source_path}."
    )
    # sorted by file: drei, fuenf (the draft), vier
    assert messages[1].startswith(f"{draft.source_path}:3: Kommentar-ID „/technik/eins“ hat schon")
    assert messages[2].startswith(f"{bad.source_path}:3: „Kommentare: vielleicht“ ist unbekannt")
    untouched = _article(tmp_path, "sechs", "Kommentare: vielleicht")
    attach_threads(SimpleNamespace(settings={**settings, "COMMENTS_ENABLED": False}, articles=[untouched]))
    assert not hasattr(untouched, "comments")


def test_the_templates_get_our_own_script_paths():
    env = SimpleNamespace(globals={})
    settings = {**DEFAULTS, "SITEURL": "https://magazin.heco.de", "THEME_STATIC_DIR": "theme"}
    add_globals(SimpleNamespace(settings=settings, env=env))
    assert env.globals == {
        "COMMENTS_SCRIPT": "https://magazin.heco.de/theme/comments/comments.js",
        "COMMENTS_ISSO_SCRIPT": "https://magazin.heco.de/theme/isso/embed.min.js",
        "COMMENTS_ISSO_CSS": "https://magazin.heco.de/theme/isso/isso.css",
        "COMMENTS_PRIVACY_URL": "https://magazin.heco.de/datenschutz/#kommentare",
    }
    env = SimpleNamespace(globals={})
    add_globals(SimpleNamespace(settings={**settings, "COMMENTS_ENABLED": False}, env=env))
    assert env.globals == {}


# --- what readers get -------------------------------------------------------------------------


@pytest.mark.slow
def test_built_pages_with_a_comment_address_with_a_path_and_comments_off(tmp_path):
    content = copy_fixture("mini", tmp_path / "site")
    for name, switch in (("aus-gross", "Aus"), ("aus-versal", "AUS")):
        (content / "articles" / "technik" / f"{name}.md").write_text(
            f"Title: Ohne Kommentare ({name})\nDate: 2026-11-20 10:00\nAuthor: Jürgen Weiß\nSummary: Kurz.\n"
            f"Kommentare: {switch}\n\nText ohne Diskussion.\n",
            encoding="utf-8",
        )
    out = tmp_path / "output"
    build_site(content, out, COMMENTS_URL="https://magazin.heco.de/kommentare/")
    doc = page(out, ARTICLE)
    directives = dict(d.strip().split(" ", 1) for d in doc.select_one(META)["content"].split(";"))
    assert directives["connect-src"] == "'self' https://magazin.heco.de"
    section = doc.select_one("section#kommentare")
    assert section["data-comments-url"] == "https://magazin.heco.de/kommentare/"  # Isso's own address
    for url in ("/technik/ohne-kommentare-aus-gross/", "/technik/ohne-kommentare-aus-versal/"):
        off = page(out, url)
        assert off.select_one("#kommentare") is None, url
        assert not off.select('script[src$="comments.js"]'), url
