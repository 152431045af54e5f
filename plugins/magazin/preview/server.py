"""HTTP server of the live preview: the built site, its own 404 page, reload after rebuilds.

Every HTML page it serves gets ``<script src="/__vorschau/reload.js" defer>`` before
``</head>`` (the file beside this module). That script listens to ``/__vorschau/ereignisse``
(server-sent events: the number of the latest finished build, sent at once and after every
rebuild) and reloads the page when the number changes. Same origin, no inline code: the
published Content-Security-Policy of the pages works unchanged. Unknown addresses get the
site's ``404.html`` with status 404. Nothing is cached by the browser (``no-store``).
"""

from __future__ import annotations

import http.server
import threading
import urllib.parse
from pathlib import Path

PREFIX = "/__vorschau/"
SCRIPT_URL = PREFIX + "reload.js"
EVENTS_URL = PREFIX + "ereignisse"
SCRIPT_FILE = Path(__file__).with_name("reload.js")
SCRIPT_TAG = f'<script src="{SCRIPT_URL}" defer></script>'.encode()
KEEPALIVE = 15.0


class PreviewServer:
    """Serves ``root`` on ``host:port`` (port 0: a free one) in a background thread;
    ``live=False`` serves the pages as they are (no reload script)."""

    def __init__(self, root: Path, host: str = "127.0.0.1", port: int = 8000, *, live: bool = True):
        self.root = Path(root)
        self.live = live
        self.build = 0
        self.changed = threading.Condition()
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

    def reload(self) -> None:
        """A rebuild finished: every open page reloads."""
        with self.changed:
            self.build += 1
            self.changed.notify_all()

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
        if path == EVENTS_URL:
            return self._events()
        target = self._file(path)
        if target is None:
            page = self.preview.root / "404.html"
            body = page.read_bytes() if page.is_file() else b"<!DOCTYPE html><title>404</title><h1>404</h1>"
            return self._send(404, "text/html; charset=utf-8", self._page(body))
        if target.suffix == ".html":
            return self._send(200, "text/html; charset=utf-8", self._page(target.read_bytes()))
        ctype = self.guess_type(str(target))
        return self._send(200, ctype, target.read_bytes())

    def _page(self, html: bytes) -> bytes:
        return _inject(html) if self.preview.live else html

    def _file(self, path: str) -> Path | None:
        """The file for a URL path inside the site, or None (404)."""
        rel = urllib.parse.unquote(path).lstrip("/")
        root = self.preview.root.resolve()
        target = (root / rel).resolve()
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
            self.wfile.write(body)

    def _events(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        changed = self.preview.changed
        with changed:
            build = self.preview.build
        try:
            self.wfile.write(f"retry: 500\nevent: build\ndata: {build}\n\n".encode())
            self.wfile.flush()
            while True:
                with changed:
                    changed.wait_for(lambda last=build: self.preview.build != last, timeout=KEEPALIVE)
                    now = self.preview.build
                if now < 0:
                    return
                if now == build:
                    self.wfile.write(b": ping\n\n")
                else:
                    build = now
                    self.wfile.write(f"event: build\ndata: {build}\n\n".encode())
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, OSError):
            return


def _inject(html: bytes) -> bytes:
    """The reload script before ``</head>`` (once)."""
    at = html.find(b"</head>")
    if at < 0:
        return html
    return html[:at] + SCRIPT_TAG + html[at:]


def free_port(host: str = "127.0.0.1") -> int:
    import socket

    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


__all__ = ["EVENTS_URL", "SCRIPT_URL", "PreviewServer", "free_port"]
