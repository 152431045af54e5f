"""Helpers for the posts tests: a local HTTP server with recorded responses, sample post data."""

from __future__ import annotations

import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlparse

from PIL import Image

RECORDED = Path(__file__).resolve().parent / "fixtures" / "posts_api"


def png_bytes(color: str = "#0b5394", size: tuple[int, int] = (40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()


class RecordedServer:
    """Serves ``routes[path] = (status, headers, body)`` on 127.0.0.1 (free port); logs requests."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, dict, bytes]] = {}
        self.requests: list[tuple[str, dict]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.requests.append((self.path, dict(self.headers)))
                status, headers, body = server.routes.get(urlparse(self.path).path, (404, {}, b"{}"))
                self.send_response(status)
                for key, value in {"Content-Type": "application/json", **headers}.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def recorded(self, path: str, name: str, status: int = 200, headers: dict | None = None) -> None:
        body = (RECORDED / name).read_text(encoding="utf-8").replace("{BASE}", self.base).encode()
        self.routes[path] = (status, headers or {}, body)

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def write_post(folder: Path, **fields) -> Path:
    """Write one post JSON (defaults: a valid X post) into ``folder``; return its path."""
    post_id = fields.pop("id", "1990000000000000001")
    data = {
        "platform": "x",
        "id": post_id,
        "url": f"https://x.com/hecogmbh/status/{post_id}",
        "author": {"name": "heco gmbh", "handle": "@hecogmbh"},
        "date": "2026-11-20T09:15:00+01:00",
        "text": "Hallo",
        "links": [],
        "media": [],
        "reply": False,
        "repost": False,
        **fields,
    }
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{data['platform']}-{post_id}.json"
    path = folder / name
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path
