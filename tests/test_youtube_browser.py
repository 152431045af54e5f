"""Real Chromium on the built video fixture: nothing leaves the site before the click.

The fixture site is served from 127.0.0.1 on a free port; every request the page makes is
recorded. There is no internet here, so requests to youtube-nocookie.com are aborted after
the click, but the iframe and its address are checked.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import build_site, revoke_consent, serve_directory

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ARTICLE = "/technik/montage-im-video/"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from conftest import FIXTURES

    out = tmp_path_factory.mktemp("yt-browser") / "output"
    build_site(FIXTURES / "videos" / "content", out)
    with serve_directory(out) as origin:
        yield origin


@pytest.fixture
def context(browser, site):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    ctx.requests = []  # every URL any page of this context asked for

    def gate(route):
        if route.request.url.startswith(site + "/"):
            route.continue_()
        else:
            route.abort()  # no internet here; the attempt is still recorded

    ctx.route("**/*", gate)
    ctx.on("request", lambda request: ctx.requests.append(request.url))
    yield ctx
    ctx.close()


def foreign(ctx, site):
    return [u for u in ctx.requests if not u.startswith(site + "/") and not u.startswith("data:")]


def test_no_foreign_request_on_load_and_hover(context, site):
    page = context.new_page()
    page.goto(site + ARTICLE, wait_until="networkidle")
    buttons = page.locator("[data-consent-load]")
    assert buttons.count() == 3
    for index in range(3):
        buttons.nth(index).scroll_into_view_if_needed()
        buttons.nth(index).hover()
        page.locator(".consent__poster").nth(index).hover(position={"x": 12, "y": 12})
        page.locator(".consent__external").nth(index).hover()
    page.wait_for_timeout(400)
    assert any(u.endswith("/theme/consent/consent.js") for u in context.requests)
    assert any("/videos/poster/" in u for u in context.requests)
    assert foreign(context, site) == []
    assert page.locator("iframe").count() == 0


def test_click_loads_nocookie_iframe_with_start_time(context, site):
    page = context.new_page()
    page.goto(site + ARTICLE, wait_until="networkidle")
    first = page.locator("figure.consent").first
    first.get_by_role("button", name="Video laden").click()
    frame = first.locator("iframe")
    frame.wait_for(state="attached")
    src = frame.get_attribute("src")
    parts = urlsplit(src)
    assert (parts.scheme, parts.hostname, parts.path) == (
        "https",
        "www.youtube-nocookie.com",
        "/embed/Mq3vT8kLp2E",
    )
    query = parse_qs(parts.query)
    assert query["start"] == ["90"] and query["autoplay"] == ["1"]
    assert frame.get_attribute("title") == "YouTube-Video: Rohre verpressen in 90 Sekunden"
    assert frame.get_attribute("referrerpolicy") == "strict-origin-when-cross-origin"
    assert "autoplay" in frame.get_attribute("allow")
    assert page.evaluate("document.activeElement.tagName") == "IFRAME"
    # only the clicked video was loaded, and the browser asked only youtube-nocookie
    assert page.locator("iframe").count() == 1
    assert {urlsplit(u).hostname for u in foreign(context, site)} == {"www.youtube-nocookie.com"}

    second = page.locator("figure.consent").nth(1)
    second.get_by_role("button", name="Video laden").click()
    query = parse_qs(urlsplit(second.locator("iframe").get_attribute("src")).query)
    assert query["start"] == ["45"] and query["end"] == ["130"] and query["list"] == ["PLhecoMontage01"]


def test_always_allow_survives_reload_and_can_be_revoked(context, site):
    page = context.new_page()
    page.goto(site + ARTICLE, wait_until="networkidle")
    first = page.locator("figure.consent").first
    first.get_by_label("YouTube immer erlauben").check()
    first.get_by_role("button", name="Video laden").click()
    first.locator("iframe").wait_for(state="attached")

    page.reload(wait_until="domcontentloaded")
    frames = page.locator("figure.consent iframe")
    frames.first.wait_for(state="attached")
    assert frames.count() == 3  # every video now loads directly, without a click
    assert "autoplay" not in parse_qs(urlsplit(frames.nth(2).get_attribute("src")).query)

    revoke_consent(page, site, "youtube", "YouTube")

    before = len(context.requests)
    page.goto(site + ARTICLE, wait_until="networkidle")
    page.wait_for_timeout(300)
    assert page.locator("iframe").count() == 0
    assert page.locator("[data-consent-load]").first.is_visible()
    assert [u for u in context.requests[before:] if not u.startswith(site + "/")] == []


def test_without_javascript_the_placeholder_is_a_link(browser, site):
    ctx = browser.new_context(java_script_enabled=False)
    try:
        page = ctx.new_page()
        page.goto(site + ARTICLE)
        first = page.locator("figure.consent").first
        assert first.locator("[data-consent-load]").is_hidden()
        assert (
            first.get_by_label("YouTube immer erlauben").count() == 0
            or first.locator(".consent__always").is_hidden()
        )
        link = first.get_by_role("link", name="Video auf YouTube ansehen", exact=True)
        assert link.is_visible()
        assert link.get_attribute("href") == "https://www.youtube.com/watch?v=Mq3vT8kLp2E&t=90s"
        poster = first.get_by_role("link", name="Video auf YouTube ansehen: Rohre verpressen in 90 Sekunden")
        assert poster.get_attribute("href") == link.get_attribute("href")
    finally:
        ctx.close()
