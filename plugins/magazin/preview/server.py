"""HTTP server of the live preview: the built site, its own 404 page, reload after rebuilds.

Every HTML page it serves gets ``<script src="/__vorschau/reload.js?stand=N" defer>``
before ``</head>`` (the file beside this module; ``N`` is the number of the site's state the
page was served from). That script listens to ``/__vorschau/ereignisse?stand=N`` (server-sent
events): each event names a new state and the output files whose bytes changed, or ``"*"``
when the whole site changed (theme, settings, a full render). The page reloads only when its
own file is among them, so a page the fast render already reloaded does not reload again when
the full build after it wrote the same bytes. Events the page missed (served before, or a
dropped connection: ``Last-Event-ID``) are sent first; when they are too old to know, the
page reloads. Same origin, no inline code: the published Content-Security-Policy of the pages
works unchanged. Unknown addresses get the site's ``404.html`` with status 404. Nothing is
cached by the browser (``no-store``).

When a build fails, ``report_problems`` sends the German messages as a ``fehler`` event and
every open page shows them in a notice (``reload.js`` builds it with DOM calls, styled by
``/__vorschau/vorschau.css``); the next successful build clears it. The served site stays
the last good one.
"""

from __future__ import annotations

import collections
import http.server
import json
import threading
import urllib.parse
from collections.abc import Callable, Iterable
from pathlib import Path

PREFIX = "/__vorschau/"
SCRIPT_URL = PREFIX + "reload.js"
EVENTS_URL = PREFIX + "ereignisse"
SCRIPT_FILE = Path(__file__).with_name("reload.js")
STYLE_URL = PREFIX + "vorschau.css"
STYLE_FILE = Path(__file__).with_name("vorschau.css")
KEEPALIVE = 15.0
HISTORY = 200  # events kept for pages that connect late
ALL = "*"
NO_RELOAD = b"data-vorschau-ohne-neuladen"

# Before the first good build there is no 404.html: this page still gets the reload script
# (it needs a </head>), so the author sees the errors and the site once it builds.
NOT_BUILT = (
    b'<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>Noch nicht gebaut</title>'
    b"</head><body><h1>Diese Seite gibt es (noch) nicht</h1></body></html>"
)


class PreviewServer:
    """Serves ``root`` on ``host:port`` (port 0: a free one) in a background thread;
    ``live=False`` serves the pages as they are (no reload script)."""

    def __init__(self, root: Path, host: str = "127.0.0.1", port: int = 8000, *, live: bool = True):
        self.root = Path(root)
        self.live = live
        self.build = 0
        self.history: collections.deque[tuple[int, list[str] | str]] = collections.deque(maxlen=HISTORY)
        self.problems: list[str] = []  # of the last failed build; empty after a good one
        self.problems_version = 0
        self.changed = threading.Condition()
        # POST endpoints below PREFIX (name → function of the posted JSON, returning JSON):
        # the editor's preview pane (magazin.editor.preview), registered by run.py.
        self.posts: dict[str, Callable[[object], object]] = {}
        server = self

        class Handler(_Handler):
            preview = server

        self.httpd = http.server.ThreadingHTTPServer((host, port), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.url = f"http://{host}:{self.port}/"
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="vorschau", daemon=True)

    def start(self) -> PreviewServer:
        self._thread.start()
        return self

    def reload(self, pages: Iterable[str] | None = None) -> None:
        """The site changed: open pages among ``pages`` (output files relative to the site,
        ``/``-separated) reload; ``None``: every open page reloads."""
        news: list[str] | str = ALL if pages is None else sorted(pages)
        if news == []:
            return
        with self.changed:
            self.build += 1
            self.history.append((self.build, news))
            self.changed.notify_all()

    def report_problems(self, problems: Iterable[str]) -> None:
        """The last build failed with ``problems`` (German messages); empty: it succeeded."""
        problems = list(problems)
        with self.changed:
            if problems == self.problems:
                return
            self.problems = problems
            self.problems_version += 1
            self.changed.notify_all()

    def events_after(self, seen: int) -> list[tuple[int, list[str] | str]]:
        """The events after state ``seen`` (call with ``changed`` held); one ``"*"`` event
        when some of them are no longer kept."""
        if seen >= self.build:
            return []
        oldest = self.history[0][0] if self.history else self.build + 1
        if seen < oldest - 1:
            return [(self.build, ALL)]
        return [(n, pages) for n, pages in self.history if n > seen]

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        with self.changed:
            self.build = -1  # ends the event streams
            self.changed.notify_all()


class _Handler(http.server.SimpleHTTPRequestHandler):
    preview: PreviewServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # the stdlib's signature
        pass

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        path = urllib.parse.urlsplit(self.path).path
        if path == SCRIPT_URL:
            return self._send(200, "text/javascript; charset=utf-8", SCRIPT_FILE.read_bytes())
        if path == STYLE_URL:
            return self._send(200, "text/css; charset=utf-8", STYLE_FILE.read_bytes())
        if path == EVENTS_URL:
            return self._events()
        target = self._file(path)
        if target is None:
            page = self.preview.root / "404.html"
            body = page.read_bytes() if page.is_file() else NOT_BUILT
            return self._send(404, "text/html; charset=utf-8", self._page(body))
        if target.suffix == ".html":
            return self._send(200, "text/html; charset=utf-8", self._page(target.read_bytes()))
        ctype = self.guess_type(str(target))
        return self._send(200, ctype, target.read_bytes())

    def do_POST(self) -> None:
        """A JSON endpoint of ``preview.posts``; only from a page of this server (Origin)."""
        path = urllib.parse.urlsplit(self.path).path
        endpoint = self.preview.posts.get(path.removeprefix(PREFIX)) if path.startswith(PREFIX) else None
        origin = self.headers.get("Origin")
        if endpoint is None or (origin is not None and origin.rstrip("/") + "/" != self.preview.url):
            return self._send(404, "text/plain; charset=utf-8", b"nicht gefunden")
        length = int(self.headers.get("Content-Length") or 0)
        try:
            payload = json.loads(self.rfile.read(min(length, 5_000_000)) or b"null")
        except ValueError:
            return self._send(400, "text/plain; charset=utf-8", b"kein JSON")
        body = json.dumps(endpoint(payload), ensure_ascii=False).encode("utf-8")
        return self._send(200, "application/json; charset=utf-8", body)

    def _page(self, html: bytes) -> bytes:
        return _inject(html, self.preview.build) if self.preview.live else html

    def _file(self, path: str) -> Path | None:
        """The file for a URL path inside the site, or None (404)."""
        rel = urllib.parse.unquote(path).lstrip("/")
        root = self.preview.root.resolve()
        try:
            target = (root / rel).resolve()
        except (OSError, ValueError):  # e.g. %00 in the path
            return None
        if target != root and root not in target.parents:
            return None
        if target.is_dir():
            if not path.endswith("/"):
                return None if not (target / "index.html").is_file() else target / "index.html"
            target = target / "index.html"
        return target if target.is_file() else None

    def _send(self, status: int, ctype: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):  # the page reloaded meanwhile
                self.close_connection = True

    def _events(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        preview = self.preview
        changed = preview.changed
        seen = _number(self.headers.get("Last-Event-ID"))
        if seen is None:
            query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
            seen = _number((query.get("stand") or [None])[0])
        try:
            with changed:
                now = preview.build
                pending = preview.events_after(seen) if seen is not None else []
                shown, problems = preview.problems_version, list(preview.problems)
            if seen is None or not pending:  # the page is up to date: it learns the number
                self._event(now, [])
            for number, pages in pending:
                self._event(number, pages)
            if problems:
                self._problems(problems)
            last = max(now, seen or 0)
            while True:
                with changed:
                    changed.wait_for(
                        lambda last=last, shown=shown: (
                            preview.build != last or preview.problems_version != shown
                        ),
                        timeout=KEEPALIVE,
                    )
                    if preview.build < 0:
                        return
                    pending = preview.events_after(last)
                    last = preview.build
                    news = preview.problems_version != shown
                    shown, problems = preview.problems_version, list(preview.problems)
                if not pending and not news:
                    self.wfile.write(b": ping\n\n")
                    self.wfile.flush()
                if news:
                    self._problems(problems)
                for number, pages in pending:
                    self._event(number, pages)
        except (BrokenPipeError, ConnectionResetError, OSError):
            return

    def _event(self, number: int, pages: list[str] | str) -> None:
        data = json.dumps({"stand": number, "seiten": pages}, ensure_ascii=False)
        self.wfile.write(f"retry: 500\nid: {number}\nevent: build\ndata: {data}\n\n".encode())
        self.wfile.flush()

    def _problems(self, problems: list[str]) -> None:
        data = json.dumps({"probleme": problems}, ensure_ascii=False)
        self.wfile.write(f"event: fehler\ndata: {data}\n\n".encode())
        self.wfile.flush()


def _number(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def script_tag(build: int) -> bytes:
    """The reload script's tag for a page served from state ``build``."""
    return f'<script src="{SCRIPT_URL}?stand={build}" defer></script>'.encode()


def _inject(html: bytes, build: int) -> bytes:
    """The reload script before ``</head>`` (once); not into a page that must never reload
    (``<html … data-vorschau-ohne-neuladen>``: the editor, which would lose what is typed)."""
    at = html.find(b"</head>")
    if at < 0 or NO_RELOAD in html[:at]:
        return html
    return html[:at] + script_tag(build) + html[at:]


def free_port(host: str = "127.0.0.1") -> int:
    import socket

    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


__all__ = ["ALL", "EVENTS_URL", "SCRIPT_URL", "PreviewServer", "free_port", "script_tag"]
