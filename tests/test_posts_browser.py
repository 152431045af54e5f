"""In Chromium: pages with posts (home page feed block, article card) make no third-party request."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse, urlsplit

import pytest
from playwright.sync_api import expect

from conftest import offline_context, revoke_consent, serve_directory

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def served(sample_output):
    with serve_directory(sample_output) as origin:
        yield origin


@pytest.mark.parametrize("path", ["/", "/ausbildung/was-ist-eigentlich-die-offspring/"])
def test_posts_make_no_third_party_requests(browser, served, path):
    requests: list[str] = []
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
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
        page.close()
    hosts = {urlparse(u).netloc for u in requests if not u.startswith("data:")}
    assert hosts == {urlparse(served).netloc}, sorted(hosts)


# --- X's official embed behind the consent component (provider "x") -------------------------

X_ARTICLE = "/ausbildung/was-ist-eigentlich-die-offspring/"
X_POST_ID = "1983119570422136832"


@pytest.fixture
def x_context(browser, served):
    ctx = offline_context(browser, served)
    ctx.console_errors = []
    yield ctx
    ctx.close()


def foreign(ctx, served) -> list[str]:
    return [u for u in ctx.requests if not u.startswith(served + "/") and not u.startswith("data:")]


def test_x_card_stays_private_until_the_click(x_context, served):
    page = x_context.new_page()
    page.on("console", lambda m: x_context.console_errors.append(m.text) if m.type == "error" else None)
    page.goto(served + X_ARTICLE, wait_until="networkidle")
    box = page.locator('figure.consent[data-consent="x"]')
    assert box.count() == 1
    card = box.locator("article.post-card--x")
    assert card.is_visible()  # the static card is the "poster"
    button = box.get_by_role("button", name="Original-Beitrag von X laden")
    assert button.is_visible()
    assert box.get_by_text("Twitter International Unlimited Company").is_visible()
    card.hover()
    box.locator(".post-card__original").hover()
    button.hover()
    box.get_by_label("X immer erlauben").hover()
    page.wait_for_timeout(300)
    assert any(u.endswith("/theme/consent/consent.js") for u in x_context.requests)
    assert foreign(x_context, served) == []
    assert page.locator("iframe").count() == 0

    button.click()
    frame = box.locator("iframe")
    frame.wait_for(state="attached")
    parts = urlsplit(frame.get_attribute("src"))
    assert (parts.scheme, parts.hostname, parts.path) == (
        "https",
        "platform.twitter.com",
        "/embed/Tweet.html",
    )
    query = parse_qs(parts.query)
    assert query["id"] == [X_POST_ID] and query["dnt"] == ["true"]
    assert frame.get_attribute("title") == "Beitrag von heco gmbh (@hecogmbh) auf X"
    assert page.evaluate("document.activeElement.tagName") == "IFRAME"
    assert {urlsplit(u).hostname for u in foreign(x_context, served)} == {"platform.twitter.com"}
    # the embed reports its height (allowed by the CSP's frame-src), the frame takes it
    expect(page.locator("figure.consent--x iframe")).to_have_attribute("height", "321")
    assert 315 <= frame.bounding_box()["height"] <= 325
    assert x_context.console_errors == []  # e.g. no CSP violation


def test_x_always_allow_survives_reload_and_can_be_revoked(x_context, served):
    page = x_context.new_page()
    page.goto(served + X_ARTICLE, wait_until="networkidle")
    box = page.locator('figure.consent[data-consent="x"]')
    box.get_by_label("X immer erlauben").check()
    box.get_by_role("button", name="Original-Beitrag von X laden").click()
    box.locator("iframe").wait_for(state="attached")

    page.reload(wait_until="domcontentloaded")
    page.locator('figure.consent[data-consent="x"] iframe').wait_for(state="attached")

    item = revoke_consent(page, served, "x", "X")
    assert item.locator(".consent-manager__name").inner_text() == "X"
    youtube = page.locator('[data-consent-item="youtube"]')
    assert "Nicht dauerhaft erlaubt" in youtube.locator("[data-consent-status]").inner_text()

    before = len(x_context.requests)
    page.goto(served + X_ARTICLE, wait_until="networkidle")
    page.wait_for_timeout(300)
    assert page.locator("iframe").count() == 0
    assert page.locator('figure.consent[data-consent="x"] article.post-card').is_visible()
    assert [u for u in x_context.requests[before:] if not u.startswith(served + "/")] == []


def test_x_card_without_javascript_is_the_plain_card(browser, served):
    ctx = browser.new_context(java_script_enabled=False)
    try:
        page = ctx.new_page()
        page.goto(served + X_ARTICLE)
        box = page.locator('figure.consent[data-consent="x"]')
        card = box.locator("article.post-card--x")
        assert card.is_visible()
        link = card.get_by_role("link", name="Original auf X ansehen")
        assert link.get_attribute("href") == f"https://x.com/hecogmbh/status/{X_POST_ID}"
        assert box.locator("[data-consent-load]").is_hidden()
        assert box.locator(".consent__notice").is_hidden()
    finally:
        ctx.close()
