"""Reader comments: what the reader and the author would notice (issue 24).

- ``COMMENTS_URL`` with a path (Isso behind a path, or a trailing slash): only the origin goes
  into the page's ``connect-src``; a path there would make the browser block every request to
  the comment server, and the comments would never load.
- ``Kommentare: Aus`` / ``AUS`` switch comments off like ``aus`` (no build stop with „unbekannt“).

The fast tests call the plugin's functions the build calls (``invoke mutants``); the built
pages show what readers get (marked ``slow``).
"""

from __future__ import annotations

import logging
import sys
import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest

from conftest import build_site, copy_fixture, page
from magazin.comments.assets import DEFAULTS, add_globals, comments_origin, csp_with_connect
from magazin.comments.server import CommentsError
from magazin.comments.threads import Thread, attach_threads, thread_for, thread_id_for_source
from magazin.core.errors import ContentError, ContentErrors

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


# --- the comment server's side (build environment; the server itself in test_comments.py) ---------


def _wsgi(app, path: str, method: str = "POST"):
    """(status, headers) of one request through the WSGI ``app``, as a server would send it."""
    from wsgiref.util import setup_testing_defaults

    environ = {"PATH_INFO": path, "REQUEST_METHOD": method}
    setup_testing_defaults(environ)
    seen = {}

    def start_response(status, headers, exc_info=None):
        seen.update(status=status, headers=headers, exc_info=exc_info)

    body = b"".join(app(environ, start_response))
    return seen["status"], seen["headers"], seen["exc_info"], body


def _isso_like(environ, start_response):
    """Answers like Isso to a new comment: the edit cookie twice (Set-Cookie, X-Set-Cookie)."""
    headers = [
        ("Content-Type", "application/json"),
        ("Set-Cookie", "isso-1=abc; Max-Age=900; Path=/; SameSite=Strict"),
        ("X-Set-Cookie", "isso-1=abc; Max-Age=900; Path=/"),
        ("set-cookie", "isso-2=def"),
    ]
    if environ.get("PATH_INFO") == "/fehler":
        start_response("500 Internal Server Error", headers, ("x", "y", None))
        return [b"{}"]
    start_response("202 Accepted", headers)
    return [b'{"id": 1, "mode": 2}']


def test_no_answer_to_a_reader_sets_a_cookie():
    from magazin.comments.server import NoReaderCookies

    app = NoReaderCookies(_isso_like)
    for path in ("/new", "/id/1", "/", "/count", ""):
        status, headers, exc_info, body = _wsgi(app, path)
        assert (status, headers, exc_info, body) == (
            "202 Accepted",
            [("Content-Type", "application/json")],
            None,
            b'{"id": 1, "mode": 2}',
        ), path
    status, headers, exc_info, _ = _wsgi(app, "/fehler")
    assert status.startswith("500") and headers == [("Content-Type", "application/json")]
    assert exc_info == ("x", "y", None)
    for path in ("/admin", "/admin/", "/login"):  # moderators keep Isso's session cookie
        _, headers, _, _ = _wsgi(app, path)
        assert [k for k, _ in headers] == ["Content-Type", "Set-Cookie", "X-Set-Cookie", "set-cookie"], path


def test_the_server_configuration_needs_every_setting(tmp_path, monkeypatch):
    from magazin.comments.server import (
        CONFIG_TEMPLATE,
        development_environment,
        make_app,
        missing_variables,
        wsgi_app,
    )

    env = development_environment(
        db_path=tmp_path / "k.db",
        site_origins=["http://127.0.0.1:8000", "http://localhost:8000"],
        public_endpoint="http://127.0.0.1:8081",
        admin_password="geheim",
    )
    assert env["ISSO_SITE"] == "http://127.0.0.1:8000\nhttp://localhost:8000"
    assert (env["ISSO_DB"], env["ISSO_NOTIFY"], env["ISSO_GUARD"]) == (
        str(tmp_path / "k.db"),
        "stdout",
        "true",
    )
    assert env["ISSO_ADMIN_PASSWORD"] == "geheim" and env["ISSO_PUBLIC_ENDPOINT"] == "http://127.0.0.1:8081"
    assert env["ISSO_SMTP_USER"] == "" and env["ISSO_SMTP_PORT"] == "25"
    assert missing_variables(CONFIG_TEMPLATE, env) == []
    unguarded = development_environment(
        db_path=tmp_path / "k.db", site_origins=[], public_endpoint="x", admin_password="y", guard=False
    )
    assert unguarded["ISSO_GUARD"] == "false"
    # a required setting left empty is missing; SMTP login may stay empty
    assert missing_variables(CONFIG_TEMPLATE, {**env, "ISSO_ADMIN_PASSWORD": "  "}) == ["ISSO_ADMIN_PASSWORD"]
    without = {k: v for k, v in env.items() if k not in ("ISSO_DB", "ISSO_SMTP_HOST")}
    assert missing_variables(CONFIG_TEMPLATE, without) == ["ISSO_DB", "ISSO_SMTP_HOST"]
    assert missing_variables(CONFIG_TEMPLATE, {})[:3] == ["ISSO_DB", "ISSO_SITE", "ISSO_NOTIFY"]
    config = tmp_path / "isso.cfg"
    config.write_text(
        "# ${ISSO_ALT}\n; ${ISSO_AUCH}\n[general]\ndbpath = ${ISSO_DB}\nx = ${kleiner}\n", "utf-8"
    )
    assert missing_variables(config, {}) == ["ISSO_DB"]  # comments and lower-case names are no variables
    monkeypatch.setenv("ISSO_DB", str(tmp_path / "k.db"))
    assert missing_variables(config) == []  # the process environment by default
    # the server never starts without them (before Isso is even imported)
    for name in env:
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(CommentsError) as info:
        make_app(CONFIG_TEMPLATE)
    assert str(info.value).startswith(
        f"{CONFIG_TEMPLATE}: Umgebungsvariable(n) nicht gesetzt: ISSO_DB, ISSO_SITE,"
    )
    assert "siehe docs/kommentare.md" in str(info.value)
    monkeypatch.setenv("ISSO_SETTINGS", str(config))
    with pytest.raises(CommentsError, match=f"^{config}: Umgebungsvariable\\(n\\) nicht gesetzt: ISSO_DB\\."):
        wsgi_app()
    monkeypatch.delenv("ISSO_SETTINGS")
    with pytest.raises(CommentsError, match=f"^{CONFIG_TEMPLATE}: "):
        wsgi_app()


def test_the_server_command_line(tmp_path):
    from magazin.comments import server

    command = server.server_command(Path("/py"), tmp_path / "isso.cfg", "127.0.0.1", 8123)
    assert command == [
        "/py",
        str(Path(server.__file__).resolve()),
        "serve",
        "--config",
        str(tmp_path / "isso.cfg"),
        "--host",
        "127.0.0.1",
        "--port",
        "8123",
    ]


def test_wordpress_comments_are_keyed_to_the_article_or_refused(tmp_path):
    from conftest import FIXTURES
    from magazin.comments.server import import_wordpress, wordpress_links

    export = FIXTURES / "comments" / "wordpress.xml"
    assert wordpress_links(export) == ["http://example.tld/2014/test/", "http://example.tld/?p=4"]
    broken = tmp_path / "kaputt.xml"
    broken.write_text("<rss><channel><item>", encoding="utf-8")
    with pytest.raises(CommentsError, match=r"kaputt\.xml: kein lesbarer WordPress-Export"):
        wordpress_links(broken)
    with pytest.raises(CommentsError, match="kein lesbarer WordPress-Export"):
        wordpress_links(tmp_path / "fehlt.xml")
    for bad in ("technik/x", "/technik/x?y", "/technik/x#y", "/technik/x y", "/a\tb", "/a\nb", "/a\rb"):
        with pytest.raises(CommentsError) as info:
            import_wordpress(export, tmp_path / "k.db", lambda url, bad=bad: bad, python=tmp_path / "py")
        assert str(info.value) == (
            f"Thread-ID {bad!r} für http://example.tld/2014/test/: muss mit „/“ beginnen und darf weder "
            "Leerzeichen noch ? oder # enthalten."
        )
    asked = []
    with pytest.raises(CommentsError) as info:
        import_wordpress(export, tmp_path / "k.db", lambda url: asked.append(url), python=tmp_path / "py")
    assert asked == ["http://example.tld/2014/test/", "http://example.tld/?p=4"]
    assert str(info.value) == (
        f"{tmp_path / 'py'} fehlt: die Kommentar-Umgebung ist nicht installiert. "
        "Bitte zuerst „.venv/bin/invoke comments-install“ ausführen."
    )
    # an interpreter without Isso: the import fails with Isso's own complaint, in German around it
    with pytest.raises(CommentsError, match=r"(?s)^Isso-Import fehlgeschlagen: .*No module named 'isso'"):
        import_wordpress(export, tmp_path / "k.db", lambda url: "/technik/x", python=sys.executable)
    assert not (tmp_path / "k.db").exists()


# Written by Isso itself (its own database code, in .venv-comments): two threads, comments in
# every mode (1 public, 2 waiting, 4 deleted), one anonymous, one thread without a title.
ISSO_SEED = """
import sys
from isso import config
from isso.db import SQLite3
db = SQLite3(sys.argv[1], config.load(config.default_file()))
db.threads.new("/technik/rohre", "Rohre")
db.threads.new("/qualitaetssicherung/zeugnisse", None)
for uri, mode, created, author, text in [
    ("/technik/rohre", 2, 1700000200.0, "Eva", "Gilt das für 1.4571?"),
    ("/technik/rohre", 2, 1700000100.0, None, "Früher gefragt."),
    ("/technik/rohre", 1, 1700000000.0, "Max", "Schon freigegeben."),
    ("/technik/rohre", 4, 1700000050.0, "Del", "Gelöscht."),
    ("/qualitaetssicherung/zeugnisse", 2, 1700000300.0, "Ana", "Wer stellt 3.2 aus?"),
]:
    db.comments.add(uri, {"mode": mode, "created": created, "author": author, "text": text,
        "remote_addr": "192.0.2.1", "email": None, "website": None, "parent": None, "notification": 0})
"""


def test_the_moderation_queue_from_isso_s_own_database(tmp_path):
    import subprocess

    from comments_helpers import comments_python

    from magazin.comments.server import PendingComment, pending_comments

    db = tmp_path / "kommentare.db"
    assert pending_comments(db) == []  # no database yet: nothing waits
    subprocess.run([str(comments_python()), "-c", ISSO_SEED, str(db)], check=True, timeout=60)
    assert pending_comments(db) == [
        PendingComment(5, "/qualitaetssicherung/zeugnisse", "", 1700000300.0, "Ana", "Wer stellt 3.2 aus?"),
        PendingComment(2, "/technik/rohre", "Rohre", 1700000100.0, "", "Früher gefragt."),
        PendingComment(1, "/technik/rohre", "Rohre", 1700000200.0, "Eva", "Gilt das für 1.4571?"),
    ]
    broken = tmp_path / "kaputt.db"
    broken.write_bytes(b"kein SQLite" * 100)
    with pytest.raises(CommentsError, match=r"kaputt\.db: keine lesbare Isso-Datenbank"):
        pending_comments(broken)


# --- wiring: the policy, the static files and Isso's client from the pinned package ------------------


def test_wiring_adds_the_origin_to_the_policy_and_publishes_our_script(tmp_path):
    from comments_helpers import comments_python

    from magazin.comments import assets as plugin

    python = comments_python()
    settings = {
        **DEFAULTS,
        "COMMENTS_URL": "https://magazin.heco.de/kommentare/",
        "COMMENTS_ISSO_PYTHON": str(python),
        "MAGAZINE_CSP": "default-src 'self'; connect-src 'self'",
        "CACHE_PATH": str(tmp_path / "cache"),
        "THEME_STATIC_PATHS": [],
    }
    plugin.wire(SimpleNamespace(settings=settings))
    assert settings["MAGAZINE_CSP"] == "default-src 'self'; connect-src 'self' https://magazin.heco.de"
    static = settings["THEME_STATIC_PATHS"]
    assert static[0] == str(plugin.STATIC)  # comments.js and comments.css
    staged = Path(static[1])
    assert staged.parent == tmp_path / "cache" / "comments-client"
    files = sorted(p.name for p in (staged / "isso").iterdir())
    assert files == ["LICENSE.txt", "embed.min.js", "isso.css"]
    from magazin.comments.environment import find_client

    client = find_client(python)
    assert (staged / "isso" / "embed.min.js").read_bytes() == client.script.read_bytes()
    assert (staged / "isso" / "isso.css").read_bytes() == client.css.read_bytes()
    # a second build keeps the staged copy (same size: not copied again)
    before = (staged / "isso" / "isso.css").stat().st_mtime_ns
    plugin.wire(SimpleNamespace(settings={**settings, "THEME_STATIC_PATHS": []}))
    assert (staged / "isso" / "isso.css").stat().st_mtime_ns == before
    # no policy: nothing to widen; comments off: nothing at all
    quiet = {**settings, "MAGAZINE_CSP": "", "THEME_STATIC_PATHS": []}
    plugin.wire(SimpleNamespace(settings=quiet))
    assert quiet["MAGAZINE_CSP"] == "" and len(quiet["THEME_STATIC_PATHS"]) == 2
    off = {**settings, "COMMENTS_ENABLED": False, "THEME_STATIC_PATHS": []}
    plugin.wire(SimpleNamespace(settings=off))
    assert off["THEME_STATIC_PATHS"] == [] and off["MAGAZINE_CSP"] == settings["MAGAZINE_CSP"]


def test_without_isso_the_build_warns_in_german(tmp_path):
    from magazin.comments import assets as plugin

    settings = {
        **DEFAULTS,
        # a folder name of its own: Pelican's LimitFilter drops a warning already logged in this process
        "COMMENTS_ISSO_PYTHON": str(tmp_path / f"venv-{uuid.uuid4().hex[:8]}" / "bin" / "python"),
        "CACHE_PATH": str(tmp_path / "cache"),
        "THEME_STATIC_PATHS": [],
    }
    records = []
    handler = logging.Handler()
    handler.emit = lambda record: records.append(record.getMessage())
    plugin.logger.addHandler(handler)  # the plugin's own logger, whatever the root logger does
    try:
        plugin.wire(SimpleNamespace(settings=settings))
    finally:
        plugin.logger.removeHandler(handler)
    assert settings["THEME_STATIC_PATHS"] == [str(plugin.STATIC)]
    assert [r.split(":", 1)[0] for r in records] == ["Kommentare"]
    folder = Path(settings["COMMENTS_ISSO_PYTHON"]).parent.parent.name
    assert f"Kommentare: {folder}/ fehlt: Isso ist nicht installiert" in records[0]
    assert not (tmp_path / "cache").exists()


# --- without Pelican's defaults (invoke check, the WordPress import) and the exact messages -----------


def test_threads_and_paths_with_bare_settings(tmp_path, monkeypatch):
    from magazin.comments import assets as plugin

    monkeypatch.chdir(tmp_path)  # PATH defaults to content/ in the working directory
    path = tmp_path / "content" / "articles" / "technik" / "rohre.md"
    path.parent.mkdir(parents=True)
    path.write_text("Title: Rohre\n\nText.\n", encoding="utf-8")
    assert thread_id_for_source(path, {}) == "/articles/technik/rohre"
    assert thread_id_for_source(path, {"ARTICLE_PATHS": None}) == "/articles/technik/rohre"
    no_file = SimpleNamespace(metadata={}, title="Ohne Datei", slug="ohne-datei")  # no source_path at all
    assert thread_for(no_file, {}) == Thread("/ohne-datei", "Ohne Datei")
    no_meta = SimpleNamespace(title="X", slug="x", source_path=None)  # no metadata: comments are on
    assert thread_for(no_meta, {}) == Thread("/x", "X")
    one = _article(tmp_path, "eins", "Author: A", title="Eins")
    two = _article(tmp_path, "zwei", "Author: A", title="Zwei")
    bare = SimpleNamespace(settings={"PATH": str(tmp_path / "content")}, articles=[one, two], translations=[])
    attach_threads(bare)  # no COMMENTS_ENABLED, no drafts: comments are on
    assert (one.comments.id, two.comments.id) == ("/articles/technik/eins", "/articles/technik/zwei")
    env = SimpleNamespace(globals={})
    plugin.add_globals(
        SimpleNamespace(settings={"COMMENTS_CLIENT_DIR": "isso", "COMMENTS_PRIVACY_ANCHOR": "k"}, env=env)
    )
    assert env.globals == {
        "COMMENTS_SCRIPT": "/theme/comments/comments.js",
        "COMMENTS_ISSO_SCRIPT": "/theme/isso/embed.min.js",
        "COMMENTS_ISSO_CSS": "/theme/isso/isso.css",
        "COMMENTS_PRIVACY_URL": "/datenschutz/#k",
    }
    settings = {
        **DEFAULTS,
        "PAGE_URL": "seiten/{slug}.html",
        "CONSENT_PRIVACY_SLUG": "ds",
        "THEME_STATIC_DIR": "t",
    }
    plugin.add_globals(SimpleNamespace(settings=settings, env=env))
    assert env.globals["COMMENTS_PRIVACY_URL"] == "/seiten/ds.html#kommentare"
    assert env.globals["COMMENTS_SCRIPT"] == "/t/comments/comments.js"


def test_the_authors_read_the_whole_message(tmp_path):
    settings = _settings(tmp_path)
    unknown = _article(tmp_path, "a", "Kommentare: vielleicht")
    with pytest.raises(ContentError) as info:
        thread_for(unknown, settings)
    assert str(info.value) == (
        f"{unknown.source_path}:3: „Kommentare: vielleicht“ ist unbekannt. "
        "Erlaubt sind „aus“ (keine Kommentare) oder „an“."
    )
    bad = _article(tmp_path, "b", "Kommentar-ID: /Technik/Groß")
    with pytest.raises(ContentError) as info:
        thread_for(bad, settings)
    assert str(info.value) == (
        f"{bad.source_path}:3: Kommentar-ID „/Technik/Groß“ ist ungültig. "
        "Sie beginnt mit „/“ und enthält nur "
        "Kleinbuchstaben, Ziffern, „-“, „_“, „.“ und „/“."
    )
    first = _article(tmp_path, "c", "Author: A", title="C")
    twin = _article(tmp_path, "d", "Kommentar-ID: /technik/c", title="D")
    with pytest.raises(ContentErrors) as info:
        attach_threads(SimpleNamespace(settings=settings, articles=[first, twin], translations=[], drafts=[]))
    assert [str(e) for e in info.value.errors] == [
        f"{twin.source_path}:3: Kommentar-ID „/technik/c“ hat schon {first.source_path}. "
        "Jeder Artikel braucht eine eigene Kommentar-ID."
    ]


def test_the_plugin_publishes_its_stylesheet_and_connects_its_signals(tmp_path, monkeypatch):
    from pelican import signals

    from magazin.comments import assets, plugin
    from magazin.comments.environment import venv_python

    monkeypatch.chdir(tmp_path)  # CACHE_PATH defaults to cache/ in the working directory
    settings = {
        **DEFAULTS,
        "MAGAZINE_CSP": "",
        "THEME_STATIC_PATHS": [],
    }  # COMMENTS_ISSO_PYTHON "": .venv-comments
    if not venv_python().exists():
        pytest.skip(".venv-comments is not installed")
    plugin.wire(SimpleNamespace(settings=settings))
    assert ("comments", str(assets.STATIC / "comments" / "comments.css")) in settings["STYLESHEET_PARTS"]
    assert (tmp_path / "cache" / "comments-client" / "0.14.0" / "isso" / "embed.min.js").is_file()
    plugin.register()
    try:

        def connected(signal) -> list:
            return [
                r() if callable(r) and not hasattr(r, "__name__") else r for r in signal.receivers.values()
            ]

        assert plugin.configure in connected(signals.initialized)
        assert plugin.add_globals in connected(signals.generator_init)
        assert plugin.attach_threads in connected(signals.article_generator_finalized)
    finally:  # Pelican connects them again for every build
        signals.initialized.disconnect(plugin.configure)
        signals.generator_init.disconnect(plugin.add_globals)
        signals.article_generator_finalized.disconnect(plugin.attach_threads)


# --- the real Isso in this process: the WSGI app, the WordPress import, the command line -------------


@pytest.fixture
def isso_here():
    """Isso 0.14 importable in this process, from .venv-comments (the same Python; the packages both
    environments share are pinned to the same versions). Removed again afterwards."""
    import importlib
    import sysconfig

    from comments_helpers import comments_python

    python = comments_python()
    site = (
        python.parent.parent
        / "lib"
        / f"python{sys.version_info.major}.{sys.version_info.minor}"
        / "site-packages"
    )
    if not (site / "isso").is_dir() or sysconfig.get_python_version() not in str(site):
        pytest.skip(f"Isso of {python} is not importable from this Python")
    before = set(sys.modules)
    sys.path.append(str(site))
    importlib.invalidate_caches()
    try:
        yield site
    finally:
        sys.path.remove(str(site))
        for name in set(sys.modules) - before:
            module = sys.modules.get(name)
            if str(site) in str(getattr(module, "__file__", "") or ""):
                del sys.modules[name]
        importlib.invalidate_caches()


def test_a_new_comment_through_the_real_isso_sets_no_cookie(isso_here, tmp_path, monkeypatch):
    from werkzeug.test import Client

    from magazin.comments.server import CONFIG_TEMPLATE, NoReaderCookies, development_environment, make_app

    env = development_environment(
        db_path=tmp_path / "k.db",
        site_origins=["http://127.0.0.1:8000"],
        public_endpoint="http://127.0.0.1:8081",
        admin_password="geheim",
        guard=False,
    )
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    app = make_app(CONFIG_TEMPLATE)
    assert isinstance(app, NoReaderCookies)
    client = Client(app)
    answer = client.post(
        "/new?uri=%2Ftechnik%2Frohre",
        json={"text": "Gilt das auch für 1.4571?", "author": "Eva", "title": "Rohre"},
        headers={"Origin": "http://127.0.0.1:8000", "Referer": "http://127.0.0.1:8000/technik/rohre/"},
    )
    assert answer.status_code == 202  # moderated: waits for approval
    assert not {k.lower() for k, _ in answer.headers} & {"set-cookie", "x-set-cookie"}
    assert answer.get_json()["mode"] == 2
    from magazin.comments.server import pending_comments

    (waiting,) = pending_comments(tmp_path / "k.db")
    assert (waiting.thread_id, waiting.author, waiting.text) == (
        "/technik/rohre",
        "Eva",
        "Gilt das auch für 1.4571?",
    )
    monkeypatch.setenv("ISSO_SETTINGS", str(CONFIG_TEMPLATE))
    from magazin.comments.server import wsgi_app

    assert isinstance(wsgi_app(), NoReaderCookies)


def test_wordpress_comments_through_the_real_isso_in_this_process(isso_here, tmp_path, capsys):
    import json
    import sqlite3

    from conftest import FIXTURES
    from magazin.comments.server import import_wordpress, main

    export = FIXTURES / "comments" / "wordpress.xml"
    db = tmp_path / "kommentare.db"
    mapping = {"http://example.tld/2014/test/": "/technik/hallo-welt", "http://example.tld/?p=4": None}
    report = import_wordpress(export, db, mapping.get)  # Isso importable here: no second process
    assert report.threads == {"/technik/hallo-welt": 7} and report.comments == 7
    assert report.skipped == ["http://example.tld/?p=4"] and report.existing == []
    con = sqlite3.connect(db)
    rows = con.execute("SELECT parent, remote_addr, mode FROM comments").fetchall()
    assert [u for (u,) in con.execute("SELECT uri FROM threads")] == ["/technik/hallo-welt"]
    con.close()
    assert len(rows) == 7 and sum(1 for parent, _, _ in rows if parent) == 3
    assert all(addr.endswith(".0") for _, addr, _ in rows) and {mode for *_, mode in rows} == {1}
    again = import_wordpress(export, db, mapping.get)
    assert again.threads == {} and again.existing == ["/technik/hallo-welt"]
    both = {"http://example.tld/2014/test/": "/technik/eins", "http://example.tld/?p=4": "/technik/vier"}
    two = import_wordpress(export, tmp_path / "beide.db", both.get)  # each thread counts its own
    assert two.threads == {"/technik/eins": 7, "/technik/vier": 1} and two.comments == 8
    # the command line the comments environment runs
    other = tmp_path / "zwei.db"
    map_file = tmp_path / "threads.json"
    map_file.write_text(json.dumps({"http://example.tld/2014/test/": "/technik/zwei"}), encoding="utf-8")
    assert main(["import-wordpress", str(export), str(other), str(map_file)]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert json.loads(last) == {"threads": {"/technik/zwei": 7}, "existing": []}


def test_the_server_command_refuses_to_start_without_its_settings(isso_here, tmp_path, monkeypatch, capsys):
    from magazin.comments.server import main

    config = tmp_path / "isso.cfg"
    config.write_text("[general]\ndbpath = ${ISSO_DB}\n", encoding="utf-8")
    monkeypatch.delenv("ISSO_DB", raising=False)
    assert main(["serve", "--config", str(config), "--port", "9"]) == 1
    assert capsys.readouterr().err == (
        f"✗ {config}: Umgebungsvariable(n) nicht gesetzt: ISSO_DB. "
        "Bitte setzen (siehe docs/kommentare.md, Abschnitt „Konfiguration“).\n"
    )
    with pytest.raises(SystemExit) as info:
        main(["--help"])
    assert info.value.code == 0
    usage = capsys.readouterr().out
    assert "Isso für das Edelstahlmagazin" in usage and "serve" in usage and "import-wordpress" in usage
    with pytest.raises(SystemExit):
        main([])  # a command is required


def test_the_comment_server_in_its_own_process_and_its_command_line(isso_here, tmp_path, monkeypatch, capsys):
    """The WordPress import as the build environment runs it: a second Python process (here the
    same interpreter, Isso on its path as in .venv-comments) and the JSON it prints."""
    import json
    import sqlite3

    from conftest import FIXTURES
    from magazin.comments.server import CONFIG_TEMPLATE, import_wordpress, main

    export = FIXTURES / "comments" / "wordpress.xml"
    monkeypatch.setenv("PYTHONPATH", str(isso_here))
    db = tmp_path / "getrennt.db"
    report = import_wordpress(
        export, db, {"http://example.tld/2014/test/": "/technik/getrennt"}.get, python=sys.executable
    )
    assert report.threads == {"/technik/getrennt": 7} and report.skipped == ["http://example.tld/?p=4"]
    con = sqlite3.connect(db)
    assert [u for (u,) in con.execute("SELECT uri FROM threads")] == ["/technik/getrennt"]
    con.close()
    # the command line's own database argument is the one written
    other = tmp_path / "zwei.db"
    map_file = tmp_path / "threads.json"
    map_file.write_text(json.dumps({"http://example.tld/2014/test/": "/technik/zwei"}), encoding="utf-8")
    assert main(["import-wordpress", str(export), str(other), str(map_file)]) == 0
    con = sqlite3.connect(other)
    assert con.execute("SELECT COUNT(*) FROM comments").fetchone() == (7,)
    con.close()
    capsys.readouterr()
    # the help names both commands in German; `serve` reads comments/isso.cfg by default
    with pytest.raises(SystemExit):
        main(["--help"])
    usage = capsys.readouterr().out
    assert "Isso für das Edelstahlmagazin" in usage
    assert "Entwicklungsserver (Vorschau, Tests)" in usage
    assert "WordPress-Export importieren (Thread-IDs aus JSON)" in usage
    for name in ("ISSO_DB", "ISSO_SITE"):
        monkeypatch.delenv(name, raising=False)
    assert main(["serve"]) == 1
    assert capsys.readouterr().err.startswith(
        f"✗ {CONFIG_TEMPLATE}: Umgebungsvariable(n) nicht gesetzt: ISSO_DB"
    )


def test_the_settings_the_preview_gives_the_comment_server(tmp_path):
    from magazin.comments.server import NoReaderCookies, development_environment, missing_variables

    assert development_environment(
        db_path=tmp_path / "k.db", site_origins=["http://127.0.0.1:8000"], public_endpoint="http://127.0.0.1:8081",
        admin_password="geheim",
    ) == {
        "ISSO_DB": str(tmp_path / "k.db"),
        "ISSO_SITE": "http://127.0.0.1:8000",
        "ISSO_PUBLIC_ENDPOINT": "http://127.0.0.1:8081",
        "ISSO_NOTIFY": "stdout",
        "ISSO_ADMIN_PASSWORD": "geheim",
        "ISSO_GUARD": "true",
        "ISSO_SMTP_HOST": "localhost",
        "ISSO_SMTP_PORT": "25",
        "ISSO_SMTP_SECURITY": "none",
        "ISSO_SMTP_USER": "",
        "ISSO_SMTP_PASSWORD": "",
        "ISSO_MODERATION_TO": "",
        "ISSO_MAIL_FROM": "",
    }  # fmt: skip
    config = tmp_path / "isso.cfg"
    config.write_text(
        "[general]\n    # ${ISSO_EINGERUECKT}\n  ; ${ISSO_AUCH}\ndbpath = ${ISSO_DB}\n", encoding="utf-8"
    )
    assert missing_variables(config, {}) == ["ISSO_DB"]  # indented comments too
    seen = {}
    app = NoReaderCookies(_isso_like)
    body = app(
        {"REQUEST_METHOD": "POST"}, lambda status, headers, exc_info=None: seen.update(headers=headers)
    )
    assert list(body) == [b'{"id": 1, "mode": 2}'] and seen["headers"] == [
        ("Content-Type", "application/json")
    ]
