"""Gate "Privacy": Chromium loads every sitemap page, scrolls it to the end, hovers every
embed, and records what a data-protection officer cares about before the first click:
every request to a host other than the site's own, cookies, localStorage/sessionStorage entries.
Console errors (CSP violations) and script errors are reported too.

All pages share one browser context, so anything a page stores is seen on the next pages.
"""

from __future__ import annotations

import contextlib
import time

from .browser import Browser, is_own, own_origins, serve, start_url
from .core import GateResult, Site

NAME = "Datenschutz (Browser)"
EMBED_SELECTOR = (
    "iframe, video, audio, object, embed, [data-embed], [data-consent], [data-provider],"
    " [class*='embed'], [class*='consent'], [class*='video'], [class*='player']"
)
# Lazy content loads within about two screens of the viewport: scroll in steps of two screens.
SCROLL_JS = """async () => {
  const step = Math.max(400, window.innerHeight * 2);
  for (let y = 0; y < document.documentElement.scrollHeight; y += step) {
    window.scrollTo(0, y);
    await new Promise(r => requestAnimationFrame(r));
  }
  window.scrollTo(0, document.documentElement.scrollHeight);
  await new Promise(r => requestAnimationFrame(r));
}"""
FRAMES_JS = """() => [...document.querySelectorAll('iframe[src], frame[src], embed[src], object[data]')]
  .map(el => el.src || el.data)"""
STORAGE_JS = """() => ({
  local: Object.keys(window.localStorage || {}),
  session: Object.keys(window.sessionStorage || {}),
  cookie: document.cookie,
})"""


class Recorder:
    """Counts the fetches in flight and collects those leaving the site."""

    def __init__(self, own: set[str]):
        self.own = own
        self.pending = 0
        self.foreign: list[str] = []
        self.console: list[str] = []
        self.current: set = set()  # fetches started while the current page is checked

    def next_page(self) -> None:
        """Forget the last page: a fetch of it still in flight is aborted by the navigation,
        which is no fault of the next page."""
        self.foreign.clear()
        self.console.clear()
        self.current.clear()

    def on_request(self, request) -> None:
        self.current.add(request)
        self.pending += 1
        if not is_own(request.url, self.own):
            self.foreign.append(request.url)

    def on_done(self, request) -> None:
        self.pending = max(0, self.pending - 1)

    def on_failed(self, request) -> None:
        self.on_done(request)
        if request not in self.current:
            return  # started by the page before, aborted when the browser left it
        if "ERR_ABORTED" in str(request.failure or ""):
            # cancelled, not missing: a navigation or the page's own script stopped it (the
            # request event of a fetch the page before started can arrive after the next
            # page began); a missing file answers 404 (on_response) or fails otherwise
            return
        if is_own(request.url, self.own) and not request.url.startswith(("data:", "blob:")):
            self.console.append(f"eigene Datei nicht geladen ({request.failure}): {request.url}")

    def on_response(self, response) -> None:
        if response.status >= 400 and is_own(response.url, self.own):
            self.console.append(f"HTTP {response.status}: {response.url}")

    def wait_quiet(self, page, timeout: float = 3.0) -> None:
        """Wait until no request is in flight (a short grace for a fetch about to start)."""
        deadline = time.monotonic() + timeout
        page.wait_for_timeout(15)
        while self.pending and time.monotonic() < deadline:
            page.wait_for_timeout(15)


def attach(ctx, site: Site, origin: str) -> Recorder:
    """Record every request of ``ctx`` (the context aborts those to foreign hosts)."""
    rec = Recorder(own_origins(site, origin))
    ctx.on("request", rec.on_request)
    ctx.on("requestfinished", rec.on_done)
    ctx.on("requestfailed", rec.on_failed)
    ctx.on("response", rec.on_response)
    return rec


def check_page(page, rec: Recorder, ctx, url: str, address: str, result: GateResult) -> None:
    """Load ``address`` (the page ``url``), scroll, hover embeds; record what left the site."""
    rec.next_page()
    response = page.goto(address, wait_until="load")
    if response is None or response.status != 200:
        result.add(url, f"Seite nicht geladen (HTTP {response.status if response else '–'})")
        return
    rec.wait_quiet(page)
    page.evaluate(SCROLL_JS)
    rec.wait_quiet(page)
    for el in page.query_selector_all(EMBED_SELECTOR)[:20]:
        try:
            if el.is_visible():
                el.hover(timeout=1000, force=True, no_wait_after=True)
        except Exception as exc:
            result.notes.append(f"{url}: Hover nicht möglich ({type(exc).__name__})")
    rec.wait_quiet(page)
    for src in page.evaluate(FRAMES_JS):
        if not is_own(src, rec.own):
            result.add(url, f"Einbettung von fremdem Host ohne Klick: {src}")
    for foreign in dict.fromkeys(rec.foreign):
        result.add(url, f"Anfrage an fremden Host vor einem Klick: {foreign}")
    cookies = ctx.cookies()
    if cookies:
        result.add(url, f"Cookies gesetzt: {', '.join(sorted({c['name'] for c in cookies}))}")
    storage = page.evaluate(STORAGE_JS)
    if storage["local"]:
        result.add(url, f"localStorage beschrieben: {', '.join(storage['local'])}")
    if storage["session"]:
        result.add(url, f"sessionStorage beschrieben: {', '.join(storage['session'])}")
    if storage["cookie"]:
        result.add(url, f"document.cookie: {storage['cookie'][:80]}")
    for message in dict.fromkeys(rec.console):
        result.add(url, message)


def run(site: Site, browser: Browser, origin: str | None = None) -> GateResult:
    """Load every sitemap page in one context; no foreign fetch, cookie, storage, errors."""
    result = GateResult(NAME)
    pages = site.sitemap_pages
    result.checked = len(pages)
    with serve(site.output) if origin is None else contextlib.nullcontext(origin) as origin:
        ctx = browser.context(site, origin)
        rec = attach(ctx, site, origin)
        try:
            page = ctx.new_page()
            page.on("console", lambda m: m.type == "error" and rec.console.append(f"Konsole: {m.text[:200]}"))
            page.on("pageerror", lambda e: rec.console.append(f"Skriptfehler: {str(e)[:200]}"))
            for url, _ in pages:
                check_page(page, rec, ctx, url, start_url(site, origin, url), result)
        finally:
            ctx.close()
    return result
