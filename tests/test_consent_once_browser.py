"""In Chromium: a plain click on the consent button (without „immer erlauben“) is consent for
that one page view. After a reload nothing of it is left: no iframe, no request to another
host, nothing stored (localStorage, sessionStorage, cookies, IndexedDB, Cache Storage).

Guards against code that quietly turns a single click into permanent consent, for both
providers: YouTube (video fixture) and X (the sample magazine's post card).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from conftest import FIXTURES, build_site, offline_context, serve_directory

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def video_site(tmp_path_factory):
    out = tmp_path_factory.mktemp("consent-once") / "output"
    build_site(FIXTURES / "videos" / "content", out)
    with serve_directory(out) as origin:
        yield origin


@pytest.fixture(scope="module")
def magazine_site(sample_output):
    with serve_directory(sample_output) as origin:
        yield origin


def _foreign(urls, origin):
    return [u for u in urls if not u.startswith(origin + "/") and not u.startswith("data:")]


def _stored(ctx, page) -> dict:
    """Everything this site could have kept in the browser."""
    state = ctx.storage_state()
    in_page = page.evaluate(
        """async () => ({
            local: Object.keys(localStorage),
            session: Object.keys(sessionStorage),
            cookie: document.cookie,
            idb: indexedDB.databases ? (await indexedDB.databases()).map(d => d.name) : [],
            caches: 'caches' in self ? await caches.keys() : [],
        })"""
    )
    return {"cookies": state["cookies"], "origins": state["origins"], **in_page}


NOTHING = {"cookies": [], "origins": [], "local": [], "session": [], "cookie": "", "idb": [], "caches": []}

CASES = {
    "youtube": ("video_site", "/technik/montage-im-video/", "YouTube immer erlauben", "Video laden", 3),
    "x": (
        "magazine_site",
        "/ausbildung/was-ist-eigentlich-die-offspring/",
        "X immer erlauben",
        "Original-Beitrag von X laden",
        1,
    ),
}


@pytest.mark.parametrize("provider", sorted(CASES))
def test_plain_click_does_not_outlast_the_page(request, browser, provider):
    fixture, path, always_label, button_name, placeholders = CASES[provider]
    origin = request.getfixturevalue(fixture)
    ctx = offline_context(browser, origin)
    try:
        page = ctx.new_page()
        page.goto(origin + path, wait_until="networkidle")
        box = page.locator(f'figure.consent[data-consent="{provider}"]').first
        always = box.get_by_label(always_label)
        assert always.is_visible() and not always.is_checked()
        box.get_by_role("button", name=button_name).click()
        box.locator("iframe").wait_for(state="attached")
        hosts = {urlsplit(u).hostname for u in _foreign(ctx.requests, origin)}
        assert hosts, "the click loaded nothing from the provider"  # the click did load it
        assert page.locator("iframe").count() == 1  # only the clicked one

        before = len(ctx.requests)
        page.reload(wait_until="networkidle")
        page.wait_for_timeout(500)  # time for any script that would load embeds on its own
        assert page.locator("iframe").count() == 0
        assert page.locator(f'figure.consent[data-consent="{provider}"]').count() == placeholders
        assert page.locator(
            f'figure.consent[data-consent="{provider}"] [data-consent-load]'
        ).first.is_visible()
        assert _foreign(ctx.requests[before:], origin) == []
        assert _stored(ctx, page) == NOTHING
        # and on the privacy page the provider is not listed as always allowed
        page.goto(origin + "/datenschutz/", wait_until="networkidle")
        item = page.locator(f'[data-consent-item="{provider}"]')
        if item.count():
            assert "Nicht dauerhaft erlaubt" in item.locator("[data-consent-status]").inner_text()
    finally:
        ctx.close()
