"""The live preview's server as the author's browser meets it (issue 24).

- a path that climbs out of the site (``/%2e%2e/…``, ``/..%2f…``) gets the 404 page, never a
  file from beside ``output/``;
- the 404 page carries the reload script too: an author who opened an address before its
  article existed sees the page appear when it is built;
- a failed build is shown on pages opened after the failure, and gone after the next good one;
- ``invoke serve`` (the built site, as published) serves pages without the preview script.

A real ``PreviewServer`` on 127.0.0.1 (a free port) serves a small site in ``tmp_path``; the
HTTP answers and the server-sent events are read as the browser gets them. One test opens
the pages in Chromium (marked ``browser``).
"""

from __future__ import annotations

import http.client
import json
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT
from magazin.preview.server import HISTORY, PreviewServer, free_port, script_tag

NOT_FOUND = (
    '<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>Nicht gefunden</title></head>'
    "<body><h1>Diese Seite gibt es nicht (mehr)</h1></body></html>"
)
ARTICLE = (
    '<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>Rohre</title>'
    '<link rel="stylesheet" href="/theme/style.css"></head><body><h1>Rohre</h1></body></html>'
)
SCRIPT = re.compile(rb'<script src="/__vorschau/reload\.js\?stand=(\d+)" defer></script></head>')


def _site(base: Path) -> Path:
    site = base / "output"
    (site / "technik" / "rohre").mkdir(parents=True)
    (site / "theme").mkdir()
    (site / "index.html").write_text(ARTICLE.replace("Rohre", "Start"), encoding="utf-8")
    (site / "404.html").write_text(NOT_FOUND, encoding="utf-8")
    (site / "technik" / "rohre" / "index.html").write_text(ARTICLE, encoding="utf-8")
    (site / "theme" / "style.css").write_text("body { color: #222; }\n", encoding="utf-8")
    (site / "feed.xml").write_text("<feed/>", encoding="utf-8")
    # beside the site: what must never be served
    (base / "geheim.txt").write_text("Zugangsdaten", encoding="utf-8")
    (base / "output-alt").mkdir()
    (base / "output-alt" / "index.html").write_text("alte Fassung", encoding="utf-8")
    return site


@pytest.fixture
def preview(tmp_path):
    server = PreviewServer(_site(tmp_path), port=0).start()
    yield server
    server.stop()


def _get(server: PreviewServer, path: str, method: str = "GET", headers: dict | None = None):
    """(status, headers, body) for ``path`` sent exactly as given (no client-side normalising)."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        conn.request(method, path, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def _events(server: PreviewServer, query: str = "", headers: dict | None = None, count: int = 1):
    """The first ``count`` server-sent events (name, data) on a new connection, as EventSource sees them."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    conn.request("GET", "/__vorschau/ereignisse" + query, headers=headers or {})
    response = conn.getresponse()
    assert response.status == 200 and response.getheader("Content-Type") == "text/event-stream"
    found, name, data = [], "message", ""
    try:
        while len(found) < count:
            line = response.fp.readline().decode("utf-8").rstrip("\n")
            if line.startswith("event: "):
                name = line[7:]
            elif line.startswith("data: "):
                data = line[6:]
            elif line == "" and data:
                found.append((name, json.loads(data)))
                name, data = "message", ""
    finally:
        conn.close()
    return found


# --- the site's files and nothing else --------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/%2e%2e/geheim.txt",
        "/%2E%2E/geheim.txt",
        "/..%2fgeheim.txt",
        "/%2e%2e%2fgeheim.txt",
        "/technik/%2e%2e/%2e%2e/%2e%2e/geheim.txt",
        "/%2e%2e/output-alt/index.html",
        "/%2e%2e/output-alt/",
        "/../geheim.txt",
        "/%2fetc%2fpasswd",
        "/%00",
    ],
)
def test_paths_outside_the_site_get_the_404_page(preview, path):
    status, _, body = _get(preview, path)
    assert status == 404
    assert b"Diese Seite gibt es nicht (mehr)" in body
    assert b"Zugangsdaten" not in body and b"alte Fassung" not in body


def test_pages_files_and_folders(preview):
    status, headers, body = _get(preview, "/technik/rohre/")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["Cache-Control"] == "no-store" and int(headers["Content-Length"]) == len(body)
    assert SCRIPT.search(body) and body.count(b"/__vorschau/reload.js") == 1
    assert body.replace(SCRIPT.search(body).group(0), b"</head>") == ARTICLE.encode()
    assert _get(preview, "/technik/rohre")[0] == 200  # like the web server: the folder's index
    assert _get(preview, "/technik/%72ohre/index.html")[2] == body  # percent-encoded letters
    assert _get(preview, "/")[0] == 200
    assert _get(preview, "/technik")[0] == 404  # a folder without index.html
    assert _get(preview, "/technik/")[0] == 404
    status, headers, css = _get(preview, "/theme/style.css")
    assert (status, headers["Content-Type"], css) == (200, "text/css", b"body { color: #222; }\n")
    assert _get(preview, "/feed.xml")[2] == b"<feed/>"  # not a page: no script
    status, headers, body = _get(preview, "/technik/rohre/", method="HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > len(ARTICLE)


def test_the_preview_files_are_served(preview):
    status, headers, body = _get(preview, "/__vorschau/reload.js?stand=3")
    assert status == 200 and headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert b"EventSource" in body and b"vorschau-fehler" in body
    status, headers, body = _get(preview, "/__vorschau/vorschau.css")
    assert (
        status == 200 and headers["Content-Type"] == "text/css; charset=utf-8" and b".vorschau-fehler" in body
    )


# --- the 404 page reloads too ----------------------------------------------------------------------


def test_the_404_page_carries_the_reload_script(preview):
    status, headers, body = _get(preview, "/technik/neuer-artikel/")
    assert status == 404 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["Cache-Control"] == "no-store"
    assert b"Diese Seite gibt es nicht (mehr)" in body and SCRIPT.search(body)
    preview.reload(["technik/rohre/index.html"])
    assert SCRIPT.search(_get(preview, "/gibt-es-nicht")[2]).group(1) == b"1"  # the state it shows
    # the first build failed, so there is no 404.html yet: the page still reloads once it builds
    (preview.root / "404.html").unlink()
    status, _, body = _get(preview, "/gibt-es-nicht/")
    assert status == 404 and b"Diese Seite gibt es (noch) nicht" in body
    assert SCRIPT.search(body).group(1) == b"1"


# --- events: reloads and errors -------------------------------------------------------------------


def test_a_page_learns_of_the_builds_after_the_one_it_was_served_from(preview):
    assert _events(preview) == [("build", {"stand": 0, "seiten": []})]
    preview.reload(["technik/rohre/index.html", "index.html"])
    preview.reload([])  # nothing changed: no new state
    preview.reload()
    assert preview.build == 2
    assert _events(preview, "?stand=0", count=2) == [
        ("build", {"stand": 1, "seiten": ["index.html", "technik/rohre/index.html"]}),
        ("build", {"stand": 2, "seiten": "*"}),
    ]
    assert _events(preview, "?stand=1") == [("build", {"stand": 2, "seiten": "*"})]
    assert _events(preview, "?stand=2") == [("build", {"stand": 2, "seiten": []})]  # up to date
    assert _events(preview, "?stand=kaputt") == [("build", {"stand": 2, "seiten": []})]
    # a dropped connection resumes with Last-Event-ID (it wins over the page's own state)
    assert _events(preview, "?stand=0", headers={"Last-Event-ID": "1"}) == [
        ("build", {"stand": 2, "seiten": "*"})
    ]


def test_events_too_old_to_know_reload_the_page(preview):
    for n in range(HISTORY + 5):
        preview.reload([f"seite-{n}/index.html"])
    assert preview.events_after(0) == [(HISTORY + 5, "*")]
    assert preview.events_after(4) == [(HISTORY + 5, "*")]
    assert preview.events_after(5) == [(n, [f"seite-{n - 1}/index.html"]) for n in range(6, HISTORY + 6)]
    assert preview.events_after(HISTORY + 5) == []
    assert preview.events_after(HISTORY + 9) == []


def test_a_page_opened_after_a_failed_build_shows_the_errors(preview):
    problems = ["technik/rohre.md:7: Ein <script> im Text würde Code im Browser der Leser ausführen."]
    preview.report_problems(problems)
    version = preview.problems_version
    preview.report_problems(list(problems))  # the same failure again: no new notice
    assert preview.problems_version == version
    # a page opened now (served from state 0) is told at once
    assert _events(preview, "?stand=0", count=2) == [
        ("build", {"stand": 0, "seiten": []}),
        ("fehler", {"probleme": problems}),
    ]
    assert _events(preview, count=2)[1] == ("fehler", {"probleme": problems})
    # the next good build clears it: new pages hear nothing of it
    preview.report_problems([])
    preview.reload(["technik/rohre/index.html"])
    events = _events(preview, "?stand=1")
    assert events == [("build", {"stand": 1, "seiten": []})]


def test_an_open_page_hears_of_a_failure_and_its_fix_while_it_waits(preview):
    conn = http.client.HTTPConnection("127.0.0.1", preview.port, timeout=5)
    conn.request("GET", "/__vorschau/ereignisse?stand=0")
    response = conn.getresponse()  # kept: its file closes with it
    stream = response.fp
    lines = []

    def next_event():
        block = []
        while True:
            line = stream.readline().decode("utf-8").rstrip("\n")
            if line == "" and block:
                return block
            if line and not line.startswith(":"):
                block.append(line)

    try:
        lines.append(next_event())  # the state it is at
        preview.report_problems(["a.md:1: kaputt"])
        lines.append(next_event())
        preview.report_problems([])
        lines.append(next_event())
        preview.reload(["index.html"])
        lines.append(next_event())
    finally:
        conn.close()
    assert lines == [
        ["retry: 500", "id: 0", "event: build", 'data: {"stand": 0, "seiten": []}'],
        ["event: fehler", 'data: {"probleme": ["a.md:1: kaputt"]}'],
        ["event: fehler", 'data: {"probleme": []}'],
        ["retry: 500", "id: 1", "event: build", 'data: {"stand": 1, "seiten": ["index.html"]}'],
    ]


def test_stopping_ends_open_event_streams(tmp_path):
    server = PreviewServer(_site(tmp_path), port=0).start()
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    conn.request("GET", "/__vorschau/ereignisse")
    response = conn.getresponse()
    assert response.getheader("Connection") == "close" and response.getheader("Cache-Control") == "no-store"
    response.fp.readline()
    started = time.monotonic()
    server.stop()
    rest = response.read()  # ends instead of waiting for the next keep-alive
    assert time.monotonic() - started < 5
    assert rest.count(b"event: build") == 1  # the first one only: the stream just ended
    conn.close()


def test_script_tag_and_free_port():
    assert script_tag(7) == b'<script src="/__vorschau/reload.js?stand=7" defer></script>'
    port = free_port()
    assert 1024 < port < 65536
    server = PreviewServer(Path("."), port=port, live=False)
    assert server.url == f"http://127.0.0.1:{port}/" and server.port == port
    server.httpd.server_close()


# --- invoke serve: the site as published -----------------------------------------------------------


def test_invoke_serve_serves_pages_without_the_preview_script(tmp_path):
    site = _site(tmp_path)
    port = free_port()
    # the task itself, with its output folder pointed at the small site
    code = (
        "import sys; from pathlib import Path; import tasks; from invoke import Context; "
        "tasks.OUTPUT = Path(sys.argv[1]); tasks.serve(Context(), port=sys.argv[2])"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code, str(site), str(port)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert f"http://127.0.0.1:{port}/" in process.stdout.readline()
        server = type("S", (), {"port": port})
        status, _, page = _get(server, "/technik/rohre/")
        assert status == 200 and page == ARTICLE.encode()
        status, _, missing = _get(server, "/gibt-es-nicht/")
        assert status == 404 and missing == NOT_FOUND.encode()
        assert b"__vorschau" not in page + missing
        assert _get(server, "/%2e%2e/geheim.txt")[0] == 404
    finally:
        process.terminate()
        process.wait(timeout=10)


# --- in the browser ------------------------------------------------------------------------------------


@pytest.mark.browser
def test_the_author_sees_the_new_page_and_the_errors_in_chromium(browser, preview):
    context = browser.new_context()
    tab = context.new_page()
    response = tab.goto(preview.url + "technik/neu/")
    assert response.status == 404
    tab.wait_for_selector("html[data-vorschau]")
    # the author saves the new article: the open 404 page becomes it
    (preview.root / "technik" / "neu").mkdir()
    (preview.root / "technik" / "neu" / "index.html").write_text(ARTICLE.replace("Rohre", "Neu"), "utf-8")
    preview.reload(["technik/neu/index.html"])
    tab.wait_for_function("document.querySelector('h1').textContent === 'Neu'", timeout=10_000)
    # a build fails; a page opened afterwards shows why
    preview.report_problems(["technik/neu.md:3: Das Datum „gestern“ ist kein Datum."])
    later = context.new_page()
    later.goto(preview.url + "technik/rohre/")
    notice = later.wait_for_selector("#vorschau-fehler", timeout=10_000)
    assert "technik/neu.md:3: Das Datum „gestern“ ist kein Datum." in notice.inner_text()
    preview.report_problems([])
    later.wait_for_selector("#vorschau-fehler", state="detached", timeout=10_000)
    context.close()


def test_the_published_site_served_as_it_is(tmp_path):
    server = PreviewServer(_site(tmp_path), port=0, live=False).start()
    try:
        status, _, page = _get(server, "/technik/rohre/")
        assert status == 200 and page == ARTICLE.encode()
        status, _, missing = _get(server, "/gibt-es-nicht/")
        assert status == 404 and missing == NOT_FOUND.encode()
    finally:
        server.stop()


def test_a_page_from_before_the_first_state_and_one_that_names_none(preview):
    # a state number below the first one (an old tab): the page reloads
    assert _events(preview, "?stand=-1") == [("build", {"stand": 0, "seiten": "*"})]
    # a page that names no state learns the current one, then hears the next build
    conn = http.client.HTTPConnection("127.0.0.1", preview.port, timeout=5)
    conn.request("GET", "/__vorschau/ereignisse")
    response = conn.getresponse()
    try:
        assert response.fp.readline() == b"retry: 500\n"
        while response.fp.readline() != b"\n":
            pass
        preview.reload(["index.html"])
        block = []
        while (line := response.fp.readline().decode("utf-8")) != "\n":
            if not line.startswith(":"):
                block.append(line.rstrip("\n"))
    finally:
        conn.close()
    assert block == ["retry: 500", "id: 1", "event: build", 'data: {"stand": 1, "seiten": ["index.html"]}']


def test_a_head_request_sends_no_body(preview):
    """Byte for byte what the browser receives: the headers and nothing after them (a body
    after a HEAD answer would be read as the start of the next answer on a kept connection)."""
    import socket

    with socket.create_connection(("127.0.0.1", preview.port), timeout=5) as sock:
        sock.sendall(b"HEAD /technik/rohre/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    head, _, rest = received.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200") and b"Content-Length: " in head
    assert rest == b""
