"""Reader comments (plugins/magazin/comments) without a browser: the built section, thread ids,
`Kommentare: aus`, the CSP, Isso's client files, the WordPress import, `invoke status` and the
server's refusal to start without its environment. Browser walk-throughs: test_comments_browser.py.
"""

from __future__ import annotations

import filecmp
import json
import sqlite3
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from comments_helpers import comments_python, isso_server

from conftest import FIXTURES, ROOT, build_site, copy_fixture, page
from magazin.comments.assets import csp_with_connect
from magazin.comments.environment import find_client
from magazin.comments.moderation import format_pending, pending_by_department
from magazin.comments.server import CONFIG_TEMPLATE, import_wordpress, missing_variables, pending_comments
from magazin.comments.threads import thread_id_for_source
from magazin.core.build import BuildFailed, read_magazine_settings

COMMENTS_URL = "http://127.0.0.1:8199"
ARTICLE = "/technik/qualitaet-von-edelstahl-ein-ueberblick/"


def _set_meta(md: Path, **fields: str) -> None:
    head, _, body = md.read_text(encoding="utf-8").partition("\n\n")
    extra = "".join(f"\n{k.replace('_', '-')}: {v}" for k, v in fields.items())
    md.write_text(f"{head}{extra}\n\n{body}", encoding="utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The mini fixture with a third article that switches comments off."""
    comments_python()  # the client files come from the pinned package
    tmp = tmp_path_factory.mktemp("comments")
    content = copy_fixture("mini", tmp / "site")
    off = content / "articles" / "technik" / "ohne-kommentare.md"
    off.write_text(
        "Title: Ohne Kommentare\nDate: 2026-11-20 10:00\nAuthor: Jürgen Weiß\nSummary: Kurz.\n"
        "Kommentare: aus\n\nText ohne Diskussion.\n",
        encoding="utf-8",
    )
    out = tmp / "output"
    build_site(content, out, COMMENTS_URL=COMMENTS_URL)
    return out


def test_article_has_the_closed_section_with_a_stable_thread_id(built):
    doc = page(built, ARTICLE)
    section = doc.select_one("section#kommentare")
    assert section is not None
    assert section.select_one("h2").get_text() == "Kommentare"
    button = section.select_one("button[data-comments-open]")
    assert button.get_text() == "Kommentare anzeigen und schreiben" and button.has_attr("hidden")
    assert "brauchen JavaScript" in section.select_one("noscript").get_text()
    thread = section.select_one("#isso-thread")
    assert thread["data-isso-id"] == "/technik/qualitaet-von-edelstahl"
    assert thread["data-title"] == "Qualität von Edelstahl – ein Überblick"
    assert thread.has_attr("hidden") and not thread.get_text(strip=True)
    assert section["data-comments-url"] == COMMENTS_URL
    assert section["data-comments-script"] == "/theme/isso/embed.min.js"
    privacy = section.select_one(".comments__privacy a")
    assert privacy["href"] == "/datenschutz/#kommentare"
    # Only our own loader is referenced; Isso's script is not in the page before the click.
    scripts = [s.get("src") for s in doc.select("script[src]")]
    assert "/theme/comments/comments.js" in scripts
    assert not any("embed" in (s or "") for s in scripts)
    assert not doc.select("[data-isso]")


def test_comments_off_and_pages_have_no_section(built):
    for url in ("/technik/ohne-kommentare/", "/datenschutz/", "/"):
        doc = page(built, url)
        assert doc.select_one("#kommentare") is None, url
        assert not doc.select('script[src$="comments.js"]'), url


def test_csp_gains_only_the_comment_origin_in_connect_src(built, tmp_path):
    without = tmp_path / "ohne-kommentare"
    build_site(FIXTURES / "mini" / "content", without, COMMENTS_ENABLED=False)
    meta = 'meta[http-equiv="Content-Security-Policy"]'
    csp = page(built, ARTICLE).select_one(meta)["content"]
    plain = page(without, ARTICLE).select_one(meta)["content"]
    assert page(without, ARTICLE).select_one("#kommentare") is None
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    original = dict(d.strip().split(" ", 1) for d in plain.split(";"))
    assert original["connect-src"] == "'self'"
    assert directives["connect-src"] == "'self' http://127.0.0.1:8199"
    assert {k: v for k, v in directives.items() if k != "connect-src"} == {
        k: v for k, v in original.items() if k != "connect-src"
    }
    assert csp_with_connect("default-src 'self'", "https://k.example") == (
        "default-src 'self'; connect-src 'self' https://k.example"
    )


def test_isso_client_is_copied_from_the_pinned_package(built):
    client = find_client()
    assert client.version == "0.14.0"
    assert filecmp.cmp(built / "theme" / "isso" / "embed.min.js", client.script, shallow=False)
    assert filecmp.cmp(built / "theme" / "isso" / "isso.css", client.css, shallow=False)
    assert "MIT" in (built / "theme" / "isso" / "LICENSE.txt").read_text()
    # the release's files are the very files of the installed pinned package (.venv-comments)
    from magazin.comments.environment import CLIENT_RELEASE, venv_python

    assert client.script == CLIENT_RELEASE / "embed.min.js"  # the build needs no compiled Isso
    installed = find_client(venv_python())
    assert filecmp.cmp(client.script, installed.script, shallow=False)
    assert filecmp.cmp(client.css, installed.css, shallow=False)
    # Never committed: the repository holds no copy of Isso's client.
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True).stdout
    assert "embed.min.js" not in tracked


def test_thread_id_survives_a_new_slug_and_title_and_can_be_pinned(tmp_path):
    content = copy_fixture("mini", tmp_path / "site")
    md = content / "articles" / "technik" / "qualitaet-von-edelstahl.md"
    text = md.read_text(encoding="utf-8").replace(
        "Title: Qualität von Edelstahl – ein Überblick", "Title: Edelstahlqualität"
    )
    md.write_text(text, encoding="utf-8")
    _set_meta(md, Slug="edelstahl-qualitaet")
    moved = content / "articles" / "qualitaetssicherung" / "neu.md"
    (content / "articles" / "qualitaetssicherung" / "pruefzeugnisse-lesen.md").rename(moved)
    _set_meta(moved, Kommentar_ID="/qualitaetssicherung/pruefzeugnisse-lesen")
    out = tmp_path / "output"
    build_site(content, out, COMMENTS_URL=COMMENTS_URL)
    assert page(out, "/technik/edelstahl-qualitaet/").select_one("#isso-thread")["data-isso-id"] == (
        "/technik/qualitaet-von-edelstahl"
    )
    moved_page = page(out, "/qualitaetssicherung/pruefzeugnisse-lesen/")
    assert (
        moved_page.select_one("#isso-thread")["data-isso-id"] == "/qualitaetssicherung/pruefzeugnisse-lesen"
    )


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"Kommentare": "vielleicht"}, "„Kommentare: vielleicht“ ist unbekannt"),
        (
            {"Kommentar_ID": "technik/ohne-schraegstrich"},
            "Kommentar-ID „technik/ohne-schraegstrich“ ist ungültig",
        ),
        ({"Kommentar_ID": "/technik/qualitaet-von-edelstahl"}, "hat schon"),
    ],
)
def test_bad_comment_metadata_stops_the_build_in_german(tmp_path, fields, expected):
    content = copy_fixture("mini", tmp_path / "site")
    md = content / "articles" / "qualitaetssicherung" / "pruefzeugnisse-lesen.md"
    _set_meta(md, **fields)
    out = tmp_path / "output"
    with pytest.raises(BuildFailed) as info:
        build_site(content, out, COMMENTS_URL=COMMENTS_URL)
    text = "\n".join(str(p) for p in info.value.problems)
    assert expected in text
    assert "pruefzeugnisse-lesen.md:" in text  # file and line
    assert not out.exists()


def test_thread_id_for_source_is_department_and_file_name():
    settings = {"PATH": str(ROOT / "content"), "ARTICLE_PATHS": ["articles"]}
    path = ROOT / "content" / "articles" / "technik" / "Beispiel-Artikel.md"
    assert thread_id_for_source(path, settings) == "/technik/beispiel-artikel"


def test_wordpress_import_rekeys_threads_and_keeps_replies(tmp_path):
    comments_python()
    export = FIXTURES / "comments" / "wordpress.xml"
    db = tmp_path / "kommentare.db"
    mapping = {"http://example.tld/2014/test/": "/technik/hallo-welt", "http://example.tld/?p=4": None}
    report = import_wordpress(export, db, mapping.get)
    assert report.threads == {"/technik/hallo-welt": 7}
    assert report.skipped == ["http://example.tld/?p=4"]
    con = sqlite3.connect(db)
    uris = [u for (u,) in con.execute("SELECT uri FROM threads")]
    assert uris == ["/technik/hallo-welt"]
    rows = con.execute("SELECT id, parent, remote_addr, mode FROM comments ORDER BY id").fetchall()
    assert len(rows) == 7 and all(mode == 1 for *_, mode in rows)
    by_id = {i: parent for i, parent, _, _ in rows}
    assert sum(1 for p in by_id.values() if p is not None) == 3  # replies keep their parents
    assert all(p in by_id for p in by_id.values() if p is not None)
    assert all(addr.endswith(".0") for _, _, addr, _ in rows)  # shortened by Isso
    con.close()
    again = import_wordpress(export, db, mapping.get)
    assert again.threads == {} and again.existing == ["/technik/hallo-welt"]


def test_status_lists_waiting_comments_per_department_and_article(tmp_path):
    with isso_server(tmp_path / "isso", "http://127.0.0.1:9") as isso:
        assert (
            isso.post("/technik/qualitaet-von-edelstahl", "Qualität", text="Gilt das auch für 1.4571?")[0]
            == 202
        )
        assert (
            isso.post("/qualitaetssicherung/pruefzeugnisse-lesen", "Zeugnisse", text="Wer stellt 3.2 aus?")[0]
            == 202
        )
        _, _, body = isso.post("/technik/qualitaet-von-edelstahl", "Qualität", text="Schon freigegeben.")
        isso.approve(body["id"])
        waiting = pending_comments(isso.db)
        settings = read_magazine_settings(
            ROOT / "pelicanconf.py", {"PATH": str(FIXTURES / "mini" / "content")}
        )
        text = format_pending(pending_by_department(settings, isso.db), isso.db)
    assert [c.text for c in waiting] == ["Wer stellt 3.2 aus?", "Gilt das auch für 1.4571?"]
    assert "Kommentare, die auf Freigabe warten: 2" in text
    assert "Schon freigegeben" not in text
    lines = text.splitlines()
    technik = next(i for i, line in enumerate(lines) if line.startswith("Technik"))
    assert "Qualität von Edelstahl – ein Überblick – 1 wartend" in lines[technik + 1]
    assert "Gilt das auch für 1.4571?" in lines[technik + 2]
    assert any(line.startswith("Qualitätssicherung") for line in lines)


def test_status_task_prints_the_queue(tmp_path):
    db = tmp_path / "leer.db"
    done = subprocess.run(
        [sys.executable, "-m", "invoke", "status", "--comments-db", str(db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert f"Kommentare: keine Datenbank unter {db}" in done.stdout


def test_server_refuses_to_start_without_its_environment(tmp_path):
    python = comments_python()
    assert "ISSO_ADMIN_PASSWORD" in missing_variables(CONFIG_TEMPLATE, {})
    env = {"PATH": "/usr/bin:/bin", "ISSO_DB": str(tmp_path / "x.db")}
    server = ROOT / "plugins" / "magazin" / "comments" / "server.py"
    done = subprocess.run(
        [str(python), str(server), "serve", "--port", "9"], env=env, capture_output=True, text=True
    )
    assert done.returncode == 1
    assert "Umgebungsvariable(n) nicht gesetzt" in done.stderr and "ISSO_ADMIN_PASSWORD" in done.stderr
    assert not (tmp_path / "x.db").exists()


def test_new_comment_answer_carries_no_cookie(tmp_path):
    with isso_server(tmp_path / "isso", "http://127.0.0.1:9") as isso:
        status, headers, body = isso.post("/technik/x", "X", text="Kein Keks, bitte.", author="Eva")
        assert status == 202 and body["mode"] == 2
        assert not {k.lower() for k in headers} & {"set-cookie", "x-set-cookie"}
        log = isso.log_text()
    assert "Activate comment:" in log


def test_privacy_crawl_of_the_audit_passes_with_comment_sections(built):
    """`invoke audit`'s privacy gate (every sitemap page loaded, scrolled, embeds hovered):
    the comment server's origin must not be contacted before a click."""
    from conftest import chromium_or_skip
    from magazin.audit import privacy
    from magazin.audit.browser import Browser
    from magazin.audit.core import Site

    chromium_or_skip()
    settings = read_magazine_settings(ROOT / "pelicanconf.py", {"COMMENTS_URL": COMMENTS_URL})
    site = Site.from_settings(built, settings)
    assert any(page(built, u).select_one("#kommentare") for u, _ in site.sitemap_pages)
    with Browser() as browser:
        result = privacy.run(site, browser)
    assert result.checked >= 5
    assert result.problems == [], "\n".join(map(str, result.problems))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_gunicorn_serves_the_production_entry_point(tmp_path):
    """comments/wsgi.py under the pinned gunicorn, configured only through the environment."""
    import time
    import urllib.error
    import urllib.request

    from comments_helpers import free_port

    from magazin.comments.server import development_environment

    python = comments_python()
    port = free_port()
    env = {
        "PATH": "/usr/bin:/bin",
        "ISSO_SETTINGS": str(ROOT / "comments" / "isso.cfg"),
        **development_environment(
            db_path=tmp_path / "prod.db",
            site_origins=["https://magazin.example"],
            public_endpoint="https://kommentare.magazin.example",
            admin_password="geheim",
        ),
    }
    gunicorn = python.parent / "gunicorn"
    cmd = [str(gunicorn), "--bind", f"127.0.0.1:{port}", "--workers", "1", "comments.wsgi:application"]
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        body = None
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/config", timeout=2) as response:
                    body = json.loads(response.read())
                    break
            except OSError:
                time.sleep(0.2)
        assert body is not None, proc.stdout.read() if proc.poll() is not None else "no answer"
        assert body["config"]["gravatar"] is False and body["config"]["reply-notifications"] is False
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/new?uri=/technik/x",
            data=json.dumps({"text": "Über gunicorn.", "title": "X"}).encode(),
            headers={"Content-Type": "application/json", "Origin": "https://magazin.example"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            assert response.status == 202  # moderated
            assert response.headers.get("Access-Control-Allow-Origin") == "https://magazin.example"
            assert response.headers.get("Set-Cookie") is None and response.headers.get("X-Set-Cookie") is None
        # Moderators: Isso's admin page keeps its session cookie and lists the waiting comment.
        no_redirect = urllib.request.build_opener(_NoRedirect)
        login = urllib.request.Request(
            f"http://127.0.0.1:{port}/login/", data=b"password=geheim", method="POST"
        )
        try:
            no_redirect.open(login, timeout=5)
            raise AssertionError("login did not redirect")
        except urllib.error.HTTPError as exc:
            assert exc.code in (301, 302, 303)
            session = exc.headers.get("Set-Cookie", "").split(";")[0]
        assert session.startswith("admin-session=")
        admin = urllib.request.Request(f"http://127.0.0.1:{port}/admin/", headers={"Cookie": session})
        with urllib.request.urlopen(admin, timeout=5) as response:
            assert "Über gunicorn." in response.read().decode()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert [c.text for c in pending_comments(tmp_path / "prod.db")] == ["Über gunicorn."]


def test_missing_isso_package_warns_and_fails_the_strict_build(tmp_path):
    content = FIXTURES / "mini" / "content"
    missing = {
        "COMMENTS_URL": COMMENTS_URL,
        "COMMENTS_ISSO_PYTHON": str(tmp_path / "nirgends" / "bin" / "python"),
    }
    report = build_site(content, tmp_path / "dev", **missing)
    assert any("Isso ist nicht installiert" in w and "comments-install" in w for w in report.warnings)
    assert not (tmp_path / "dev" / "theme" / "isso").exists()
    with pytest.raises(BuildFailed) as info:
        build_site(content, tmp_path / "strict", MAGAZINE_STRICT=True, **missing)
    assert "Isso ist nicht installiert" in "\n".join(map(str, info.value.problems))
