"""In Chromium, without JavaScript: imported real posts (content warning, poll, boost, remote post
with custom emoji, archive GIF) and a pasted YouTube embed code on one article page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from posts_helpers import RecordedServer, png_bytes

from conftest import build_site, copy_fixture, serve_directory
from magazin.posts.importers import fetch_post, import_x_archive

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FIXTURES = Path(__file__).parent / "fixtures"
STATUSES = {
    "status_content_warning.json": (
        "103270115826048975",
        "https://mastodon.social/@Gargron/103270115826048975",
    ),
    "status_poll.json": ("103254222827484720", "https://mastodon.social/@trwnh/103254222827484720"),
    "status_boost.json": ("103254401326800919", "https://mastodon.social/@trwnh/103254401326800919"),
    "status_remote_emoji.json": (
        "104009345787923021",
        "https://mastodon.social/@rio@kaptains.net/104009345787923021",
    ),
}
YOUTUBE = (  # „Teilen → Einbetten“, see fixtures/pasted/SOURCES.md
    '<iframe width="560" height="315" src="https://www.youtube.com/embed/8qcPq4peows?si=pBbyWgpo1gV96U_4" '
    'title="YouTube video player" frameborder="0" allowfullscreen></iframe>'
)
ARTICLE = """Title: Post-Karten
Date: 2026-11-20 09:00
Author: Jürgen Weiß
Summary: Karten aus echten Antworten.

https://mastodon.social/@Gargron/103270115826048975

https://mastodon.social/@trwnh/103254222827484720

https://mastodon.social/@Gargron/99734435964706331

https://mastodon.social/@rio@kaptains.net/104009345787923021

https://x.com/alrocar/status/1761718480645075043

{YOUTUBE}
"""


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    base = tmp_path_factory.mktemp("pasted-browser")
    content = copy_fixture("mini", base / "site")
    posts = content / "media" / "posts"
    import_x_archive(FIXTURES / "x_archive_real" / "heute", posts)
    server = RecordedServer()
    try:
        for name, (status_id, url) in STATUSES.items():
            text = (FIXTURES / "mastodon_api" / name).read_text("utf-8")
            text = text.replace("https://files.mastodon.social", server.base)
            data = json.loads(text)
            server.routes[f"/api/v1/statuses/{status_id}"] = (200, {}, text.encode())
            for item in data.get("media_attachments", []):
                for key in ("url", "preview_url"):
                    server.routes[item[key].replace(server.base, "")] = (
                        200,
                        {},
                        png_bytes("#557799", (640, 480)),
                    )
            for emoji in data.get("emojis", []) + data["account"].get("emojis", []):
                server.routes[emoji["static_url"].replace(server.base, "")] = (
                    200,
                    {},
                    png_bytes("#e80", (32, 32)),
                )
            fetch_post(url, posts, mastodon_base=server.base)
    finally:
        server.close()
    (content / "articles/technik/karten.md").write_text(ARTICLE.format(YOUTUBE=YOUTUBE), encoding="utf-8")
    out = base / "output"
    build_site(content, out)
    with serve_directory(out) as origin:
        yield origin


@pytest.mark.parametrize("width", [375, 1280])
def test_cards_work_without_javascript_and_load_nothing_from_elsewhere(browser, served, width):
    context = browser.new_context(java_script_enabled=False, viewport={"width": width, "height": 900})
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    try:
        page.goto(served + "/technik/post-karten/", wait_until="networkidle")
        warning = page.locator("article.post-card details.post-card__cw")
        text = warning.locator(".post-card__text")
        assert text.is_hidden()  # behind the content warning until the reader asks
        warning.locator("summary").click()
        assert text.is_visible() and "inheritance" in text.inner_text()
        assert warning.locator(".post-card__media img").is_visible()
        poll = page.locator(".post-card__poll")
        assert poll.locator(".post-card__poll-label").inner_text() == "Umfrage"
        assert poll.locator("li").all_inner_texts() == ["test 1", "test 2"]
        # the typography pass binds "5." to its month with a no-break space
        context_text = page.locator(".post-card__context").first.inner_text().replace("\xa0", " ")
        assert "hat am 5. Dezember 2019 geteilt" in context_text
        emoji = page.locator("img.emoji[alt=':toot:']")
        emoji.scroll_into_view_if_needed()
        assert emoji.evaluate("i => i.complete && i.naturalWidth > 0")
        video = page.locator(".post-card__video")
        video.scroll_into_view_if_needed()
        assert video.locator(".post-card__media-label").inner_text() == "Video"
        page.wait_for_load_state("networkidle")
        assert video.locator("img").evaluate("i => i.complete && i.naturalWidth > 0")
        assert page.locator(".consent.video").count() == 1  # the pasted YouTube iframe
        assert page.locator("iframe").count() == 0
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        foreign = [u for u in requests if not u.startswith(served)]
        assert foreign == []
    finally:
        context.close()
