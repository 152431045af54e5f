"""In Chromium: pages with posts (home page feed block, article card) make no third-party request."""

from __future__ import annotations

import functools
import http.server
import threading
from urllib.parse import urlparse

import pytest
from conftest import chromium_or_skip

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def served(sample_output):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(sample_output))
    )
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize("path", ["/", "/ausbildung/was-ist-eigentlich-die-offspring/"])
def test_posts_make_no_third_party_requests(served, path):
    executable = chromium_or_skip()
    from playwright.sync_api import sync_playwright

    requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(executable), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("request", lambda r: requests.append(r.url))
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.goto(served + path, wait_until="networkidle")
            # scroll so every lazy image of the feed block loads
            for y in range(0, 8000, 400):
                page.evaluate(f"window.scrollTo(0, {y})")
            page.wait_for_load_state("networkidle")
            cards = page.locator("article.post-card")
            assert cards.count() >= 1
            images = page.evaluate(
                "[...document.querySelectorAll('.post-card img')]"
                ".map(i => [i.currentSrc, i.complete && i.naturalWidth > 0])"
            )
            assert images and all(ok for _, ok in images), images
            if path == "/":
                assert page.locator(".posts-feed h2").inner_text() == "Aktuelles auf X"
            assert errors == []  # e.g. no CSP violation
        finally:
            browser.close()
    hosts = {urlparse(u).netloc for u in requests if not u.startswith("data:")}
    assert hosts == {urlparse(served).netloc}, sorted(hosts)
