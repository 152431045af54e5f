"""What a reader sees on a phone, a tablet, in dark mode and on paper (issue #16), in Chromium."""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from conftest import serve_directory

ARTICLE_VIDEO = "/it/wer-steckt-hinter-unseren-social-media-kanaelen/"
ARTICLE_SHORT = "/logistik/ein-tag-im-langgutlager-mein-erfahrungsbericht/"


@pytest.fixture(scope="module")
def origin(sample_output):
    with serve_directory(sample_output) as base:
        yield base


def open_page(browser, origin, url, width, height=800, scheme="light"):
    context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme)
    page = context.new_page()
    page.goto(origin + url, wait_until="load")
    return context, page


def box(page, selector):
    return page.locator(selector).first.bounding_box()


def test_phone_header_is_short_and_navigation_is_one_row(browser, origin):
    context, page = open_page(browser, origin, "/", 375)
    header = box(page, ".site-header")
    assert header["height"] < 130  # was a third of the screen (three rows of links and a search row)
    tops = page.eval_on_selector_all(".site-nav li", "els => els.map(e => e.getBoundingClientRect().top)")
    assert len(tops) >= 8 and len(set(tops)) == 1
    # the row scrolls sideways, the page does not
    nav = page.eval_on_selector(".site-nav__list", "e => [e.scrollWidth, e.clientWidth]")
    assert nav[0] > nav[1]
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    # the search button still leads to the search page, without JavaScript too
    button = page.get_by_role("button", name="Suchen")
    assert button.is_visible()
    button.click()
    page.wait_for_url(re.compile(r"/suche/"))
    context.close()


def test_tablet_navigation_has_no_lone_wrapped_item(browser, origin):
    context, page = open_page(browser, origin, "/", 768)
    tops = page.eval_on_selector_all(".site-nav li", "els => els.map(e => e.getBoundingClientRect().top)")
    assert len(set(tops)) == 1
    context.close()


def test_count_badges_are_centred_in_their_row(browser, origin):
    context, page = open_page(browser, origin, "/", 1280)
    rows = page.eval_on_selector_all(
        ".dep-list li",
        """els => els.map(li => {
            const a = li.querySelector('a').getBoundingClientRect();
            const c = li.querySelector('.count').getBoundingClientRect();
            return [a.top + a.height / 2, c.top + c.height / 2];
        })""",
    )
    assert len(rows) == 7
    for link_middle, count_middle in rows:
        assert abs(link_middle - count_middle) < 1.5
    context.close()


def luminance(rgb: str) -> float:
    values = [int(v) / 255 for v in re.findall(r"\d+", rgb)[:3]]
    lin = [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in values]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def test_header_search_placeholder_is_readable_when_focused(browser, origin):
    context, page = open_page(browser, origin, "/", 1280)
    field = page.locator("#header-search-q")
    field.focus()
    colors = field.evaluate(
        "e => [getComputedStyle(e, '::placeholder').color, getComputedStyle(e).backgroundColor]"
    )
    light, dark = sorted([luminance(colors[0]), luminance(colors[1])], reverse=True)
    assert (light + 0.05) / (dark + 0.05) >= 4.5, colors
    context.close()


def test_video_title_stays_clear_of_the_button_on_a_phone(browser, origin):
    context, page = open_page(browser, origin, ARTICLE_VIDEO, 375)
    figure = page.locator("figure.consent").first
    figure.scroll_into_view_if_needed()
    heading = figure.locator(".consent__heading").bounding_box()
    button = figure.locator(".consent__load").bounding_box()
    assert heading["y"] + heading["height"] <= button["y"]
    context.close()


def test_short_fits_on_the_screen(browser, origin):
    context, page = open_page(browser, origin, ARTICLE_SHORT, 375, height=667)
    stage = box(page, "figure.consent--ratio-9x16 .consent__stage")
    assert stage["height"] <= 667
    context.close()


def test_qr_codes_only_where_there_is_a_phone_to_scan_them(browser, origin):
    for width, visible in ((375, False), (1280, True)):
        context, page = open_page(browser, origin, "/social-media/", width)
        assert page.locator(".social-channel__qr").first.is_visible() is visible
        context.close()


def test_wide_table_scrolls_inside_the_article_not_the_page(browser, origin):
    url = "/logistik/wie-sechs-meter-lange-edelstahlrohre-sicher-ankommen/"
    context, page = open_page(browser, origin, url, 375)
    table = page.locator(".prose table").first
    sizes = table.evaluate("e => [e.scrollWidth, e.clientWidth, getComputedStyle(e).backgroundImage]")
    assert sizes[0] > sizes[1]  # this table is wider than the phone
    assert sizes[2].count("gradient") == 4  # covers and shadows: the scroll cue
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    context.close()


def test_dark_mode_dims_pictures_and_sets_off_the_footer(browser, origin):
    context, page = open_page(browser, origin, "/", 1280, scheme="dark")
    assert "brightness" in page.locator(".hero__picture img").evaluate("e => getComputedStyle(e).filter")
    footer, body = page.evaluate(
        "[getComputedStyle(document.querySelector('.site-footer')).borderTopColor,"
        " getComputedStyle(document.body).backgroundColor]"
    )
    assert (luminance(footer) + 0.05) / (luminance(body) + 0.05) >= 3, (footer, body)
    context.close()


def test_printed_article_names_the_video_and_its_address(browser, origin, tmp_path):
    context, page = open_page(browser, origin, ARTICLE_VIDEO, 1280)
    page.emulate_media(media="print")
    pdf = tmp_path / "artikel.pdf"
    page.pdf(path=str(pdf), format="A4")
    context.close()
    flat = " ".join(" ".join(p.extract_text() for p in PdfReader(pdf).pages).split())
    assert "YouTube-Video: Drei Fragen an das Social-Media-Team" in flat
    assert "https://www.youtube.com/watch?v=In5rG2hY8aw" in flat
    assert "Video laden" not in flat and "immer erlauben" not in flat


def test_videos_groups_with_one_video_share_a_row(browser, origin):
    context, page = open_page(browser, origin, "/videos/", 1280)
    tops = page.eval_on_selector_all(
        ".video-group", "els => els.map(e => [e.querySelectorAll('.video-card').length, e.offsetTop])"
    )
    singles = [top for count, top in tops if count == 1]
    assert len(singles) >= 2 and len(set(singles)) == 1  # side by side, not one per row
    context.close()
