"""A local web server for the built site and one headless Chromium, shared by the browser gates.

The server binds 127.0.0.1 on a free port. Pages built with an absolute ``SITEURL``
(publish settings) are opened under that very URL, so that ``'self'`` in the CSP and
same-origin rules (SVG ``<use>``) mean what they mean in production: a Playwright route
answers every request to one of the site's bases from the local server, so the browser
never leaves the machine. Requests to any other host are aborted (the gates record them).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

from .core import Site, ToolMissing

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@contextlib.contextmanager
def serve(output: Path) -> Iterator[str]:
    """Serve ``output`` at ``http://127.0.0.1:<free port>``; yield that origin."""
    handler = functools.partial(_QuietHandler, directory=str(output))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class Browser:
    """One Playwright Chromium for all browser gates (starting it is the slow part)."""

    def __init__(self) -> None:
        self._pw = None
        self.browser = None

    def __enter__(self) -> Browser:
        if not CHROMIUM.exists():
            raise ToolMissing("Chromium (/usr/bin/chromium) ist nicht installiert")
        try:
            from playwright.sync_api import sync_playwright
        except ImportError:
            raise ToolMissing("Playwright für Python ist nicht installiert") from None
        self._pw = sync_playwright().start()
        try:
            self.browser = self._pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        except Exception:
            self._pw.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        if self.browser is not None:
            self.browser.close()
        if self._pw is not None:
            self._pw.stop()

    def context(self, site: Site, origin: str, *, color_scheme: str = "light", width: int = 1280):
        """A fresh browser context (no cookies, no storage): the local server ``origin`` answers
        normally, the site's own absolute URLs are answered from ``site.output``, every request to
        any other host is aborted (the ``request`` event still reports it)."""
        ctx = self.browser.new_context(
            viewport={"width": width, "height": 900},
            color_scheme=color_scheme,
            locale="de-DE",
            service_workers="block",
        )
        own = own_origins(site, origin)

        def block_foreign(route) -> None:
            if is_own(route.request.url, own):
                route.fallback()
            else:
                route.abort("blockedbyclient")

        ctx.route("**/*", block_foreign)  # registered first = consulted last
        for base in site.bases:
            ctx.route(f"{base}/**", functools.partial(_from_local_server, site, origin))
        return ctx


def start_url(site: Site, origin: str, site_path: str) -> str:
    """Where the browser opens ``site_path``: under ``SITEURL`` if the build has one."""
    return (site.siteurl or origin) + site_path


def own_origins(site: Site, origin: str) -> set[str]:
    """``scheme://host:port`` of the local server and of every base URL of the site."""
    own = {origin.rstrip("/")}
    for base in site.bases:
        parts = urlsplit(base)
        own.add(f"{parts.scheme}://{parts.netloc}")
    return own


def is_own(url: str, own: set[str]) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    return f"{parts.scheme}://{parts.netloc}" in own


def _from_local_server(site: Site, origin: str, route) -> None:
    """Answer a request to the site's public URL from the local server."""
    parts = urlsplit(route.request.url)
    path = site.site_path(route.request.url) or "/"
    local = origin + path + (f"?{parts.query}" if parts.query else "")
    try:
        route.fulfill(response=route.fetch(url=local, max_redirects=0))
    except Exception:
        with contextlib.suppress(Exception):
            route.abort()
