"""Reader comments in Chromium against the real, pinned Isso (tests/comments_helpers.py).

The fixture serves a built fixture site on 127.0.0.1, starts Isso with that site as its only
allowed origin and a temporary database, and builds the site with ``COMMENTS_URL`` pointing at
it. A reader then: sees nothing requested before the click; opens the section, posts, is told
the comment waits; a moderator approves through Isso's endpoint; the comment shows with its
count; a reply nests. Hostile texts stay inert; axe and vnu stay clean; with the server stopped
the reader gets a German message. Tests run in file order (the last one stops the server).

Screenshots (closed, opened, pending at 1280 and 375 px) go to ``$MAGAZIN_SCREENSHOTS`` if set.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from comments_helpers import in_ci, isso_server

from conftest import FIXTURES, build_site, copy_fixture
from conftest import serve_directory as serve
from magazin.audit import html as vnu
from magazin.audit.core import ToolMissing

ARTICLE = "/technik/qualitaet-von-edelstahl-ein-ueberblick/"
HOSTILE_ARTICLE = "/qualitaetssicherung/pruefzeugnisse-lesen/"
HOSTILE_THREAD = "/qualitaetssicherung/pruefzeugnisse-lesen"
KEYBOARD_ARTICLE = "/technik/schweissnaehte-beizen/"
OPEN = "Kommentare anzeigen und schreiben"
STORAGE_JS = """() => ({local: Object.keys(localStorage), session: Object.keys(sessionStorage),
  cookie: document.cookie})"""


WIDE_JS = """() => [...document.querySelectorAll('body *')].filter(el =>
  el.getBoundingClientRect().right > window.innerWidth + 1).slice(-8)
  .map(el => el.tagName + '.' + el.className + ' ' + Math.round(el.getBoundingClientRect().right))"""


class Live:
    def __init__(self, origin: str, isso, output: Path, shots: Path):
        self.origin, self.isso, self.output, self.shots = origin, isso, output, shots

    def shot(self, page, name: str) -> None:
        section = page.locator("#kommentare")
        section.scroll_into_view_if_needed()
        page.wait_for_timeout(150)
        section.screenshot(path=str(self.shots / f"{name}.png"), animations="disabled")


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("comments-live")
    shots = Path(os.environ.get("MAGAZIN_SCREENSHOTS") or tmp / "shots")
    shots.mkdir(parents=True, exist_ok=True)
    content = copy_fixture("mini", tmp / "site")
    (content / "articles" / "technik" / "schweissnaehte-beizen.md").write_text(
        "Title: Schweißnähte beizen\nDate: 2026-11-21 09:00\nAuthor: Jürgen Weiß\n"
        "Summary: Anlauffarben entfernen.\n\nNach dem Schweißen wird gebeizt.\n",
        encoding="utf-8",
    )
    out = tmp / "output"
    with serve(out) as origin, isso_server(tmp / "isso", origin) as isso:
        build_site(content, out, COMMENTS_URL=isso.url)
        yield Live(origin, isso, out, shots)


def _context(browser, width: int = 1280, **kwargs):
    return browser.new_context(viewport={"width": width, "height": 900}, locale="de-DE", **kwargs)


def _open(page):
    """Click the button; wait until Isso shows its form and has written the count heading."""
    page.get_by_role("button", name=OPEN).click()
    page.locator(".isso-postbox textarea").first.wait_for()
    page.wait_for_function(
        "() => { const h = document.querySelector('.isso-thread-heading');"
        " return h && h.textContent.trim().length > 0; }"
    )


def test_nothing_is_requested_or_stored_before_the_click(live, browser):
    ctx = _context(browser)
    requests: list[str] = []
    ctx.on("request", lambda r: requests.append(r.url))
    page = ctx.new_page()
    page.goto(live.origin + ARTICLE, wait_until="networkidle")
    button = page.get_by_role("button", name=OPEN)
    button.scroll_into_view_if_needed()
    button.hover()
    page.mouse.wheel(0, 3000)
    page.wait_for_timeout(600)
    assert button.is_visible()
    assert page.locator("#isso-thread").is_hidden()
    assert page.get_by_text("Es werden keine Cookies gesetzt.").is_visible()
    assert requests and all(url.startswith(live.origin + "/") for url in requests), requests
    assert not [u for u in requests if f":{live.isso.port}" in u]
    assert not [u for u in requests if "embed.min.js" in u or "isso.css" in u]
    assert ctx.cookies() == []
    assert page.evaluate(STORAGE_JS) == {"local": [], "session": [], "cookie": ""}
    live.shot(page, "kommentare-zu-1280")
    page.set_viewport_size({"width": 375, "height": 800})
    live.shot(page, "kommentare-zu-375")
    ctx.close()


def test_post_waits_for_approval_then_shows_with_count_and_nested_reply(live, browser):
    ctx = _context(browser)
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(live.origin + ARTICLE, wait_until="networkidle")
    _open(page)
    assert (
        page.locator(".isso-thread-heading").inner_text()
        == "Noch keine Kommentare – schreiben Sie den ersten."
    )
    assert page.get_by_role("textbox", name="Ihr Kommentar").count() == 1
    assert page.locator(".comments__formnote a").first.get_attribute("href") == "/datenschutz/#kommentare"
    assert page.locator('input[name="website"]').is_hidden()  # Name and e-mail only
    assert ctx.cookies() == [] and page.evaluate(STORAGE_JS)["local"] == []

    page.get_by_label("Name (freiwillig)").fill("Eva Schmidt")
    page.get_by_role("textbox", name="Ihr Kommentar").fill(
        "Welche Oberfläche empfehlen Sie für Milchleitungen?"
    )
    page.get_by_role("button", name="Kommentar absenden").click()
    note = page.locator("#isso-root .isso-comment .isso-note").first
    note.wait_for()
    assert "wartet auf Freigabe" in note.inner_text()
    assert "wartet auf Freigabe" in page.locator("[data-comments-status]").inner_text()
    comment_id = int(
        page.locator("#isso-root > .isso-comment").first.get_attribute("id").removeprefix("isso-")
    )
    # After posting: no cookie on any origin; only Isso's form memory, as the privacy page says.
    assert ctx.cookies() == []
    assert set(page.evaluate(STORAGE_JS)["local"]) <= {"isso-author", "isso-email", "isso-website"}
    live.shot(page, "kommentar-wartet-1280")
    page.set_viewport_size({"width": 375, "height": 800})
    live.shot(page, "kommentar-wartet-375")
    page.set_viewport_size({"width": 1280, "height": 900})

    # Not visible to anyone before approval.
    other = _context(browser).new_page()
    other.goto(live.origin + ARTICLE, wait_until="networkidle")
    _open(other)
    assert "Welche Oberfläche" not in other.locator("#isso-thread").inner_text()
    other.context.close()

    live.isso.approve(comment_id)
    page.reload(wait_until="networkidle")
    _open(page)
    shown = page.locator(f"#isso-{comment_id}")
    shown.wait_for()
    assert "Welche Oberfläche empfehlen Sie für Milchleitungen?" in shown.inner_text()
    assert "Eva Schmidt" in shown.locator(".isso-author").inner_text()
    assert page.locator(".isso-thread-heading").inner_text() == "1 Kommentar"
    assert re.search(r"\d{4}", shown.locator("time").get_attribute("title"))  # German date as tooltip

    shown.get_by_role("link", name="Antworten").first.click()
    reply_box = shown.locator(".isso-postbox")
    reply_box.locator("textarea").fill("Für Milch empfehlen wir Ra ≤ 0,8 µm, elektropoliert.")
    reply_box.get_by_role("button", name="Kommentar absenden").click()
    reply = shown.locator(".isso-follow-up > .isso-comment").first
    reply.wait_for()
    reply_id = int(reply.get_attribute("id").removeprefix("isso-"))
    live.isso.approve(reply_id)
    page.reload(wait_until="networkidle")
    _open(page)
    nested = page.locator(f"#isso-{comment_id} > .isso-follow-up > #isso-{reply_id}")
    nested.wait_for()
    assert "Ra ≤ 0,8 µm" in nested.inner_text()
    assert page.locator(".isso-thread-heading").inner_text() == "2 Kommentare"
    live.shot(page, "kommentare-offen-1280")
    page.set_viewport_size({"width": 375, "height": 800})
    live.shot(page, "kommentare-offen-375")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert errors == []
    ctx.close()


def test_hostile_comments_stay_inert(live, browser):
    hostile = json.loads((FIXTURES / "comments" / "hostile.json").read_text(encoding="utf-8"))
    # Isso refuses a javascript: website outright.
    refused = live.isso.post(
        HOSTILE_THREAD, "Prüfzeugnisse lesen", text="Hallo", website="javascript:alert(1)"
    )
    assert refused[0] == 400
    for key, text in hostile.items():
        status, _, body = live.isso.post(
            HOSTILE_THREAD,
            "Prüfzeugnisse lesen",
            text=text,
            author='<b onmouseover="window.__pwned=9">Mallory</b>',
            website="https://beispiel.de/mallory" if key == "script" else None,
        )
        assert status == 202, (key, body)
        live.isso.approve(body["id"])
    ctx = _context(browser, width=375)
    page = ctx.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(live.origin + HOSTILE_ARTICLE, wait_until="networkidle")
    _open(page)
    page.locator(".isso-thread-heading", has_text=f"{len(hostile)} Kommentare").wait_for()
    root = page.locator("#isso-root")
    for el in root.locator(".isso-text").all():
        el.hover()
    page.wait_for_timeout(300)
    assert page.evaluate("window.__pwned") is None and dialogs == []
    assert root.locator("script, iframe, style, img, svg, object, embed").count() == 0
    bad = page.evaluate(
        """() => [...document.querySelectorAll('#isso-root *')].flatMap(el => [...el.attributes]
          .filter(a => a.name.startsWith('on') || a.name === 'style'
            || /^\\s*javascript:/i.test(a.value)).map(a => el.tagName + ' ' + a.name + '=' + a.value))"""
    )
    assert bad == []
    text = root.inner_text()
    assert "<script>window.__pwned = 1; alert(123)</script>" in text  # shown as text
    assert "Mallory" in text and "Overlay" in text and "gnp.exe" in text
    assert root.locator('a.isso-author[href="https://beispiel.de/mallory"][rel="nofollow"]').count() == 1
    assert any(len(t) >= 10000 for t in root.locator(".isso-text").all_inner_texts())
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, page.evaluate(WIDE_JS)  # words wrap
    ctx.close()


def test_keyboard_only_at_320_px(live, browser):
    ctx = _context(browser, width=320)
    page = ctx.new_page()
    page.goto(live.origin + KEYBOARD_ARTICLE, wait_until="networkidle")
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == OPEN:
            break
    else:
        pytest.fail("the button was not reached with Tab")
    page.keyboard.press("Enter")
    page.locator(".isso-thread-heading", has_text="Noch keine Kommentare").wait_for()
    assert page.evaluate("document.activeElement.className") == "isso-thread-heading"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Ihr Kommentar"
    page.keyboard.type("Per Tastatur geschrieben.")
    labels = []
    for _ in range(4):
        page.keyboard.press("Tab")
        labels.append(page.evaluate("document.activeElement.name || document.activeElement.value"))
        if labels[-1] == "Kommentar absenden":
            break
    assert labels[:2] == ["author", "email"] and labels[-1] == "Kommentar absenden", labels
    page.keyboard.press("Enter")
    page.locator(".isso-note", has_text="wartet auf Freigabe").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    ctx.close()


def test_axe_finds_no_serious_violation_in_the_opened_section(live, browser):
    from axe_playwright_python.sync_playwright import Axe

    for scheme in ("light", "dark"):
        ctx = _context(browser, color_scheme=scheme)
        page = ctx.new_page()
        page.goto(live.origin + ARTICLE, wait_until="networkidle")
        _open(page)
        page.locator("#isso-root .isso-comment").first.wait_for()
        response = Axe().run(page, context="#kommentare").response
        serious = [
            f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes'][:3]]}"
            for v in response["violations"]
            if v.get("impact") in ("serious", "critical")
        ]
        assert serious == [], (scheme, serious)
        if scheme == "dark":
            live.shot(page, "kommentare-offen-dunkel-1280")
        ctx.close()


def test_vnu_accepts_the_page_closed_and_opened(live, browser, tmp_path):
    ctx = _context(browser)
    page = ctx.new_page()
    page.goto(live.origin + ARTICLE, wait_until="networkidle")
    _open(page)
    page.locator("#isso-root .isso-comment").first.wait_for()
    opened = tmp_path / "geoeffnet.html"
    opened.write_text(
        "<!doctype html>\n" + page.evaluate("document.documentElement.outerHTML"), encoding="utf-8"
    )
    ctx.close()
    closed = live.output / ARTICLE.strip("/") / "index.html"
    try:
        messages = vnu.validate([closed, opened])
    except ToolMissing as exc:
        if in_ci():
            pytest.fail(f"CI=true, but vnu is missing: {exc}")
        pytest.skip(str(exc))
    errors = [f"{m.get('url', '').rsplit('/', 1)[-1]}:{m.get('lastLine')}: {m['message']}" for m in messages
              if m.get("type") == "error"]  # fmt: skip
    assert errors == []


def test_server_down_gives_a_german_message_and_the_article_stays(live, browser):
    ctx = _context(browser)
    page = ctx.new_page()
    page.goto(live.origin + KEYBOARD_ARTICLE, wait_until="networkidle")
    _open(page)
    live.isso.stop()  # the server goes away while the reader writes
    page.get_by_role("textbox", name="Ihr Kommentar").fill("Geht das noch durch?")
    page.get_by_role("button", name="Kommentar absenden").click()
    status = page.locator("[data-comments-status]")
    status.filter(has_text="konnte nicht gesendet werden").wait_for()
    assert page.get_by_role("textbox", name="Ihr Kommentar").input_value() == "Geht das noch durch?"
    live.shot(page, "kommentar-nicht-gesendet-1280")

    page.goto(live.origin + ARTICLE, wait_until="networkidle")
    page.get_by_role("button", name=OPEN).click()
    status.filter(has_text="nicht erreichbar").wait_for()
    assert "Der Artikel bleibt vollständig lesbar" in status.inner_text()
    assert page.get_by_role("button", name="Erneut versuchen").is_visible()
    assert page.locator("#isso-thread").is_hidden()
    assert page.get_by_role("heading", level=1).is_visible()
    assert ctx.cookies() == []
    live.shot(page, "kommentare-server-aus-1280")
    ctx.close()
