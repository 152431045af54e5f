"""Facebook as an embed provider (plugins/magazin/facebook): one folder and one ``PLUGINS`` line.

What readers see: a Facebook post or video address alone on its line, or Facebook's own
``<iframe>`` code from its „Einbetten“ dialog (real ones from a public repository, see
``tests/fixtures/facebook/SOURCES.md``), becomes the consent placeholder; nothing is requested
from Facebook before the click; the CSP's ``frame-src`` and the Datenschutzerklärung name
Facebook only while the plugin is listed. What authors see: ``invoke check`` explains an
address on Facebook that is no post or video, with file and line.
"""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import markdown
import pytest

from conftest import FIXTURES, SETTINGS, build_site, page
from magazin.audit import Site, security
from magazin.consent import EmbedError
from magazin.core.build import read_magazine_settings
from magazin.editorial.checks import check_site
from magazin.facebook.markdown_ext import FacebookExtension
from magazin.facebook.urls import InvalidFacebookUrl, parse_facebook_url

CODES = FIXTURES / "facebook"
POST_URL = "https://www.facebook.com/hecogmbh/posts/pfbid0FSLBXAfJn2hXSuVt4JsErytGXfyafNXDJhNGj6nAFYJTeAmaiX3YEMitJQqZaCxQl"
VIDEO_URL = "https://www.facebook.com/watch/?v=1135803450997873"
PASTED_POST = "https://www.facebook.com/hem.mawel/posts/pfbid024T2Bk8FGxxioUtAiSNawmH2eYBpAo8TVmpY7M7GZcw8NWXXfZDsyFd2aBHy16qu8l"
PASTED_VIDEO = "https://www.facebook.com/100083057184306/videos/231527319678009/"
ORIGIN = "https://www.facebook.com"
ARTICLE = f"""Title: Neues von unserer Facebook-Seite
Date: 2026-11-20 10:00
Author: Jürgen Weiß
Summary: Ein Beitrag und ein Video von Facebook.

Unser Beitrag zur Messe:

{POST_URL}?__cft__[0]=AZWx&__tn__=%2CO%2CP-R

Und das Video dazu:

{VIDEO_URL}&ref=sharing

Mehr dazu im nächsten Beitrag.
"""
PRIVACY = """Title: Datenschutzerklärung
Slug: datenschutz

Vorwort.

[[Eingebettete Inhalte]]

## Ihre Rechte

Nachwort.
"""
ARTICLE_URL = "/technik/neues-von-unserer-facebook-seite/"


def pasted(name: str) -> str:
    """A fixture's embed code as an author pastes it: the lines without their common indentation."""
    return textwrap.dedent((CODES / name).read_text(encoding="utf-8")).strip("\n")


def plugins_without_facebook() -> list[str]:
    plugins = list(read_magazine_settings(SETTINGS)["PLUGINS"])
    plugins.remove("magazin.facebook")
    return plugins


def mini_with_facebook(dest: Path) -> Path:
    shutil.copytree(FIXTURES / "mini", dest)
    content = dest / "content"
    (content / "articles" / "technik" / "neues-von-facebook.md").write_text(ARTICLE, encoding="utf-8")
    (content / "pages" / "datenschutz.md").write_text(PRIVACY, encoding="utf-8")
    return content


def settings_for(content: Path, cache: Path, listed: bool) -> dict:
    overrides: dict = {"PATH": str(content), "CACHE_PATH": str(cache)}
    if not listed:
        overrides["PLUGINS"] = plugins_without_facebook()
    return read_magazine_settings(SETTINGS, overrides)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The same content built with the plugin listed (as in pelicanconf.py) and without its line."""
    root = tmp_path_factory.mktemp("facebook")
    content = mini_with_facebook(root / "site")
    with_plugin = root / "with" / "output"
    build_site(content, with_plugin)
    without = root / "without" / "output"
    build_site(content, without, PLUGINS=plugins_without_facebook())
    return content, {True: with_plugin, False: without}


def placeholders(soup) -> list:
    return soup.find("main").find_all("figure", attrs={"data-consent": "facebook"})


def frame_src(figure) -> tuple[str, dict[str, list[str]]]:
    parts = urlsplit(figure["data-consent-src"])
    return f"{parts.scheme}://{parts.netloc}{parts.path}", parse_qs(parts.query)


# -- addresses ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "kind", "plain"),
    [
        (POST_URL + "?__cft__[0]=AZWx&__tn__=%2CO%2CP-R", "post", POST_URL),
        (
            "https://m.facebook.com/hecogmbh/posts/1234567890123456/",
            "post",
            "https://www.facebook.com/hecogmbh/posts/1234567890123456",
        ),
        (
            "https://www.facebook.com/permalink.php?story_fbid=1234567890&id=100064",
            "post",
            "https://www.facebook.com/permalink.php?story_fbid=1234567890&id=100064",
        ),
        (
            "https://www.facebook.com/photo/?fbid=987654321&set=a.123",
            "post",
            "https://www.facebook.com/photo.php?fbid=987654321",
        ),
        (VIDEO_URL + "&ref=sharing", "video", VIDEO_URL),
        ("https://www.facebook.com/watch/live/?ref=watch_permalink&v=1135803450997873", "video", VIDEO_URL),
        (
            "https://web.facebook.com/hecogmbh/videos/montage-des-flanschs/1182398276288271/",
            "video",
            "https://www.facebook.com/hecogmbh/videos/1182398276288271/",
        ),
        (
            "https://www.facebook.com/video.php?v=1182398276288271",
            "video",
            "https://www.facebook.com/watch/?v=1182398276288271",
        ),
        (
            "https://www.facebook.com/reel/797583576067267",
            "video",
            "https://www.facebook.com/reel/797583576067267",
        ),
        ("https://fb.watch/63UQUvjQ4Q/", "video", "https://fb.watch/63UQUvjQ4Q/"),
    ],
)
def test_post_and_video_addresses_are_read_as_their_plain_address(url, kind, plain):
    ref = parse_facebook_url(url)
    assert (ref.kind, ref.url) == (kind, plain)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://www.facebook.com/hecogmbh", "Seite oder ein Profil"),
        ("https://www.facebook.com/hecogmbh?fbclid=IwAR2x7Lq", "Seite oder ein Profil"),
        ("https://www.facebook.com/profile.php?id=100064", "Seite oder ein Profil"),
        ("https://www.facebook.com/share/p/1ABCdEfGhJ/", "Kurzlink"),
        ("https://www.facebook.com/groups/123456/", "Gruppe"),
        ("https://www.facebook.com/watch/?ref=sharing", "v=…"),
        ("https://l.facebook.com/l.php?u=https%3A%2F%2Fheco.de%2F&h=AT0x", "führt zu https://heco.de/"),
    ],
)
def test_other_facebook_addresses_are_refused_with_a_reason(url, reason):
    with pytest.raises(InvalidFacebookUrl, match=reason.replace(".", r"\.").replace("?", r"\?")):
        parse_facebook_url(url)


def test_check_rule_ignores_lines_that_are_no_facebook_address():
    from magazin.facebook.embed import url_problem

    # a placeholder line of the sample Impressum once crashed ``invoke check`` (urlsplit of "[…]")
    for line in (
        "[Anschrift]",
        "[Straße Hausnummer]",
        "https://www.youtube.com/watch?v=hK3pF7wQx2M",
        "heco.de",
    ):
        assert url_problem(line) is None


def test_markdown_extension_renders_the_placeholder_and_no_frame():
    html = markdown.markdown(f"Text.\n\n{POST_URL}\n\n{VIDEO_URL}\n", extensions=[FacebookExtension()])
    assert "<iframe" not in html
    assert html.count('data-consent="facebook"') == 2
    assert (
        'data-consent-src="https://www.facebook.com/plugins/post.php?href=https%3A%2F%2Fwww.facebook.com%2Fhecogmbh%2Fposts%2Fpfbid0'
        in html
    )
    assert (
        'data-consent-src="https://www.facebook.com/plugins/video.php?href=https%3A%2F%2Fwww.facebook.com%2Fwatch%2F%3Fv%3D1135803450997873'
        in html
    )
    with pytest.raises(EmbedError, match="Seite oder ein Profil"):
        markdown.markdown("https://www.facebook.com/hecogmbh\n", extensions=[FacebookExtension()])


# -- the built site, with and without the PLUGINS line ------------------------------------------


def test_placeholders_appear_with_the_plugin_and_the_address_stays_text_without(built):
    _, sites = built
    soup = page(sites[True], ARTICLE_URL)
    post, video = placeholders(soup)
    assert soup.find("iframe") is None  # nothing from Facebook before the click

    endpoint, query = frame_src(post)
    assert endpoint == f"{ORIGIN}/plugins/post.php"
    assert query == {"href": [POST_URL], "show_text": ["true"], "width": ["500"], "locale": ["de_DE"]}
    assert post.find("a", class_="consent__poster")["href"] == POST_URL  # tracking parameters gone
    assert post["data-consent-title"] == "Facebook-Beitrag von hecogmbh"
    notice = post.find(class_="consent__text")
    assert notice.find(class_="consent__provider").get_text() == "Facebook."
    assert "Meta Platforms Ireland Ltd." in notice.get_text()
    assert notice.find("a")["href"].endswith("/datenschutz/#einwilligungen")
    assert notice.find("a").get_text() == "Mehr in der Datenschutzerklärung"
    assert (
        post.find("button", attrs={"data-consent-load": True})
        .get_text(" ", strip=True)
        .startswith("Von Facebook laden")
    )
    assert post.find("label", class_="consent__always").get_text(strip=True) == "Facebook immer erlauben"

    endpoint, query = frame_src(video)
    assert endpoint == f"{ORIGIN}/plugins/video.php" and query["href"] == [VIDEO_URL]
    assert "autoplay=true" in video["data-consent-src-play"]
    assert "video" in video["class"]  # counted as a video by the search filter

    without = page(sites[False], ARTICLE_URL)
    assert without.find(attrs={"data-consent": True}) is None
    text = without.find("main").get_text()
    assert POST_URL in text and VIDEO_URL in text  # just the pasted text again


def csp_of(soup) -> dict[str, list[str]]:
    meta = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    return security.parse_csp(meta["content"])


def test_facebook_frame_origin_in_csp_only_while_listed(built):
    content, sites = built
    with_csp = csp_of(page(sites[True], ARTICLE_URL))
    without_csp = csp_of(page(sites[False], ARTICLE_URL))
    assert ORIGIN in with_csp["frame-src"]
    assert ORIGIN not in without_csp["frame-src"]
    assert [o for o in with_csp["frame-src"] if o != ORIGIN] == without_csp["frame-src"]
    assert {k: v for k, v in with_csp.items() if k != "frame-src"} == {
        k: v for k, v in without_csp.items() if k != "frame-src"
    }
    # the audit's security gate accepts the origin only under settings that list the plugin
    listed = settings_for(content, content.parent / "c", listed=True)
    unlisted = settings_for(content, content.parent / "c", listed=False)
    assert security.run(Site.from_settings(sites[True], listed)).ok
    refused = security.run(Site.from_settings(sites[True], unlisted))
    assert any(f"frame-src erlaubt {ORIGIN}" in p.message for p in refused.problems)


def test_privacy_page_section_and_revoke_row_only_while_listed(built):
    _, sites = built
    privacy = page(sites[True], "/datenschutz/")
    main = privacy.find("main")
    headings = [h.get_text(strip=True) for h in main.find_all("h2")]
    assert headings[-2:] == ["Beiträge und Videos von Facebook", "Ihre Rechte"]
    section = main.find("h2", string="Beiträge und Videos von Facebook")
    texts = []
    for sibling in section.find_next_siblings():
        if sibling.name == "h2":
            break
        texts.append(sibling)
    body = " ".join(t.get_text(" ", strip=True) for t in texts)
    assert "Meta Platforms Ireland Ltd." in body and "Art. 6 Abs. 1 lit. a DSGVO" in body
    link = texts[-1].find("a")
    assert (link.get_text(), link["href"]) == (
        "Datenschutzerklärung von Facebook",
        "https://www.facebook.com/privacy/policy/",
    )
    row = privacy.find(attrs={"data-consent-item": "facebook"})
    assert row.find("button").get_text(strip=True) == "Erlaubnis für Facebook widerrufen"

    without = page(sites[False], "/datenschutz/")
    assert "Facebook" not in without.find("main").get_text()
    assert without.find(attrs={"data-consent-item": "facebook"}) is None


# -- pasted embed codes and the checks ----------------------------------------------------------


def test_pasted_embed_codes_become_the_placeholder(tmp_path):
    content = mini_with_facebook(tmp_path / "site")
    article = content / "articles" / "technik" / "eingebettet.md"
    article.write_text(
        "Title: Facebook, eingebettet\nDate: 2026-11-21 10:00\nAuthor: Jürgen Weiß\n"
        "Summary: Drei Codes aus dem Einbetten-Dialog.\n\nEin Beitrag:\n\n"
        f"{pasted('he-latam-post-iframe.html')}\n\nDerselbe, in einer Zeile:\n\n"
        f"{pasted('he-latam-post-iframe-oneline.html')}\n\nEin Video:\n\n"
        f"{pasted('he-latam-video-iframe.html')}\n\nEnde.\n",
        encoding="utf-8",
    )
    assert check_site(settings_for(content, tmp_path / "c", listed=True), full=True) == []
    out = tmp_path / "out" / "output"
    build_site(content, out)
    soup = page(out, "/technik/facebook-eingebettet/")
    assert soup.find("iframe") is None
    hrefs = [frame_src(f)[1]["href"][0] for f in placeholders(soup)]
    assert hrefs == [PASTED_POST, PASTED_POST, PASTED_VIDEO]

    # without the plugin the same code is raw HTML the checks refuse, with file and line
    messages = [str(p) for p in check_site(settings_for(content, tmp_path / "c", listed=False), full=True)]
    assert any(f"{article}:8: Ein <iframe> von www.facebook.com" in m for m in messages), messages


def test_check_explains_facebook_addresses_that_are_no_post_or_video(tmp_path):
    content = mini_with_facebook(tmp_path / "site")
    bad = content / "articles" / "technik" / "falsche-adressen.md"
    bad.write_text(
        "Title: Falsche Adressen\nDate: 2026-11-22 10:00\nAuthor: Jürgen Weiß\n"
        "Summary: Adressen, die kein Beitrag sind.\n\nUnsere Seite:\n\n"
        "https://www.facebook.com/hecogmbh?fbclid=IwAR2x7Lq\n\nEin Kurzlink:\n\n"
        "https://www.facebook.com/share/p/1ABCdEfGhJ/\n\nUnd ein Link von Facebook:\n\n"
        "https://heco.de/produkte/flansche/?fbclid=IwAR2x7Lq\n",
        encoding="utf-8",
    )
    messages = [str(p) for p in check_site(settings_for(content, tmp_path / "c", listed=True), full=True)]
    assert len(messages) == 3, messages
    assert messages[0].startswith(
        f"{bad}:8: Keine Facebook-Beitrags- oder Video-Adresse "
        "„https://www.facebook.com/hecogmbh?fbclid=IwAR2x7Lq“: "
        "das ist eine Seite oder ein Profil"
    )
    assert "„…“ → „Link kopieren“" in messages[0] and "[Text](Adresse)" in messages[0]
    assert (
        messages[1].startswith(f"{bad}:12: Keine Facebook-Beitrags- oder Video-Adresse")
        and "Kurzlink" in messages[1]
    )
    assert messages[2] == (
        f"{bad}:16: Die Adresse „https://heco.de/produkte/flansche/?fbclid=IwAR2x7Lq“ enthält die "
        "Tracking-Kennung „fbclid“ von Facebook. Lösche „fbclid=…“ (ab dem ? oder &) aus der Adresse."
    )
    assert check_site(settings_for(content, tmp_path / "c", listed=False), full=True) == []


# -- in Chromium: nothing from Facebook before the click ---------------------------------------


@pytest.mark.browser
@pytest.mark.slow
def test_no_request_to_facebook_before_the_click_then_its_frame(built, browser):
    from conftest import offline_context, revoke_consent, serve_directory

    _, sites = built
    shots = Path("/work/shots/facebook")
    shots.mkdir(parents=True, exist_ok=True)
    with serve_directory(sites[True]) as origin:
        ctx = offline_context(browser, origin)
        violations: list[str] = []
        try:
            tab = ctx.new_page()
            tab.on("console", lambda m: violations.append(m.text) if "Content Security" in m.text else None)
            tab.goto(origin + ARTICLE_URL, wait_until="networkidle")
            post = tab.locator('figure[data-consent="facebook"]').first
            post.scroll_into_view_if_needed()
            post.hover()
            tab.wait_for_timeout(200)
            tab.screenshot(path=str(shots / "artikel-vor-dem-klick.png"), full_page=True)
            assert [u for u in ctx.requests if not u.startswith(origin + "/")] == []
            assert tab.locator("iframe").count() == 0

            post.get_by_label("Facebook immer erlauben").check()
            post.get_by_role("button", name="Von Facebook laden").click()
            frame = post.locator("iframe")
            frame.wait_for(state="attached")
            assert frame.get_attribute("src").startswith(f"{ORIGIN}/plugins/post.php?href=")
            assert frame.get_attribute("title") == "Facebook-Beitrag von hecogmbh"
            tab.wait_for_timeout(300)
            assert violations == []  # frame-src lets Facebook's frame through
            assert {u.split("/")[2] for u in ctx.requests if not u.startswith(origin + "/")} == {
                "www.facebook.com"
            }
            # "immer erlauben" loads the other Facebook embed of the page on the next visit
            tab.goto(origin + ARTICLE_URL, wait_until="networkidle")
            tab.wait_for_timeout(300)
            assert tab.locator('figure[data-consent="facebook"] iframe').count() == 2

            revoke_consent(tab, origin, "facebook", "Facebook")
            tab.screenshot(path=str(shots / "datenschutz-widerruf.png"), full_page=True)
            tab.goto(origin + ARTICLE_URL, wait_until="networkidle")
            tab.wait_for_timeout(300)
            assert tab.locator("iframe").count() == 0
        finally:
            ctx.close()


def test_embed_code_rule_reads_the_dialogs_codes_and_nothing_else():
    """The rule alone (fast, no build): Facebook's real codes give their address; other frames,
    a broken href, another host or a lookalike path give none; only the SDK loader is its script."""
    from magazin.editorial.embedcodes import find_embed_codes
    from magazin.facebook.embedcode import RULE, identify, script_ok

    for name, url in (
        ("he-latam-post-iframe.html", PASTED_POST),
        ("he-latam-post-iframe-oneline.html", PASTED_POST),
        ("he-latam-video-iframe.html", PASTED_VIDEO),
    ):
        lines = ["Davor.", "", *pasted(name).strip().split("\n"), "", "Danach."]
        (code,) = find_embed_codes(lines, [RULE])
        assert (code.platform, code.url, code.platform_name) == ("facebook", url, "Facebook")
        assert (code.first, code.last) == (2, 1 + len(pasted(name).strip().split("\n")))

    def frame(src: str) -> list:
        return [("iframe", {"src": src})]

    post = (
        "https://www.facebook.com/plugins/post.php?href=https%3A%2F%2Fwww.facebook.com%2Fheco%2Fposts%2F123"
    )
    assert identify(frame(post)) == "https://www.facebook.com/heco/posts/123"
    assert (
        identify(frame(post.replace("&", "&amp;") + "&amp;width=500"))
        == "https://www.facebook.com/heco/posts/123"
    )
    assert identify(frame("//www.facebook.com/plugins/post.php?href=" + post.split("href=")[1])) is not None
    assert identify([("blockquote", {"src": post})]) is None  # only an <iframe>
    assert identify(frame(post.replace("www.facebook.com/plugins", "evil.example/plugins"))) is None
    assert identify(frame(post.replace("/plugins/post.php", "/plugins/like.php"))) is None
    assert (
        identify(
            frame("https://www.facebook.com/plugins/post.php?href=https%3A%2F%2Fwww.facebook.com%2Fheco")
        )
        is None
    )
    assert identify(frame("https://www.facebook.com/plugins/post.php")) is None
    assert script_ok("connect.facebook.net", "/de_DE/sdk.js", "") is True
    assert script_ok("connect.facebook.net", "/de_DE/sdk.jsx", "") is False
    assert script_ok("evil.example", "/de_DE/sdk.js", "") is False
