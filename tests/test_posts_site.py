"""Posts and intranet in a built site: cards in articles, the feed block, intranet feed and fragment."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

import feedparser
import pytest
from posts_helpers import png_bytes, write_post

from conftest import build_site, copy_fixture, page, soup
from magazin.core.build import BuildFailed

pytestmark = pytest.mark.slow

ARTICLE_URL_LINE = "\n\nhttps://twitter.com/hecogmbh/status/1990000000000000001\n"
BERLIN = dt.timezone(dt.timedelta(hours=1))


def add_posts(content):
    folder = content / "media/posts"
    (folder / "bilder").mkdir(parents=True)
    (folder / "bilder/x-1990000000000000001-1.png").write_bytes(png_bytes())
    write_post(
        folder,
        id="1990000000000000001",
        date="2026-11-26T09:00:00+01:00",
        text='Rohre &amp; Fittings <script>alert("x")</script><a href="javascript:alert(1)">klick</a>',
        media=[{"file": "bilder/x-1990000000000000001-1.png", "alt": "Rohre im Lager"}],
    )
    write_post(folder, id="1990000000000000002", date="2026-11-25T09:00:00+01:00", text="Zweiter Beitrag")
    write_post(
        folder,
        id="1990000000000000003",
        date="2026-11-28T09:00:00+01:00",
        text="Eine Antwort",
        reply=True,
        in_reply_to="@kunde",
    )
    write_post(
        folder,
        id="1990000000000000004",
        date="2026-11-28T10:00:00+01:00",
        text="Geteilt",
        repost=True,
        original_author={"name": "Andere", "handle": "@andere"},
    )
    write_post(
        folder,
        platform="mastodon",
        id="115",
        url="https://social.example/@heco/115",
        author={"name": "heco gmbh", "handle": "@heco@social.example"},
        date="2026-11-01T09:00:00+01:00",
        text="<p>Im Fediverse</p>",
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    base = tmp_path_factory.mktemp("posts-site")
    content = copy_fixture("mini", base / "src")
    add_posts(content)
    article = content / "articles/technik/qualitaet-von-edelstahl.md"
    article.write_text(article.read_text(encoding="utf-8") + ARTICLE_URL_LINE, encoding="utf-8")
    (content / "media/videos").mkdir(parents=True)
    (content / "media/videos/montage.jpg").write_bytes(png_bytes("#333333", (64, 36)))
    videos = [
        {
            "title": "Montage eines Pressfittings",
            "url": "videos/montage/",
            "date": dt.datetime(2026, 11, 27, 12, 0, tzinfo=BERLIN),
            "summary": "Schritt für Schritt.",
            "poster": "media/videos/montage.jpg",
        }
    ]
    out = base / "output"
    build_site(content, out, POSTS_FEED_COUNT=3, POSTS_FEED_ACCOUNTS=["@hecogmbh"], VIDEOS=videos)
    return out


def test_post_card_in_article(site):
    doc = page(site, "/technik/qualitaet-von-edelstahl-ein-ueberblick/")
    card = doc.select_one(".article__body article.post-card")
    assert card is not None
    assert card.select_one(".post-card__text").get_text() == "Rohre & Fittings klick"
    assert not doc.select(".article__body script") and "alert" not in str(card)
    assert not card.select_one(".post-card__text a").get("href")
    img = card.find("img")
    assert img["src"] == "/media/posts/bilder/x-1990000000000000001-1.png"
    assert (site / img["src"].lstrip("/")).is_file()
    assert card.find("time").get_text() == "26. November 2026"
    assert (
        card.select_one(".post-card__original")["href"] == "https://x.com/hecogmbh/status/1990000000000000001"
    )


def test_feed_block_on_home_page(site):
    doc = page(site, "/")
    block = doc.select_one(".posts-feed")
    assert block.find("h2").get_text() == "Aktuelles auf X"
    texts = [c.select_one(".post-card__text").get_text() for c in block.select(".post-card")]
    # newest first, only @hecogmbh, no reply, no repost, at most POSTS_FEED_COUNT
    assert texts == ["Rohre & Fittings klick", "Zweiter Beitrag"]
    assert block.select_one(".posts-feed__more a")["href"] == "https://x.com/fixture"
    # no third-party resource on the page: every src is local
    for tag in doc.find_all(src=True):
        assert not re.match(r"^(https?:)?//", tag["src"]), tag


def test_post_json_is_not_published(site):
    assert not list((site / "media/posts").glob("*.json"))
    assert (site / "media/posts/bilder/x-1990000000000000001-1.png").is_file()


def test_intranet_feed(site):
    feed = feedparser.parse((site / "feeds/intranet.xml").read_bytes())
    assert feed.bozo == 0
    assert feed.version == "rss20"
    kinds = [e.tags[0].term for e in feed.entries]
    assert {"Artikel", "Video", "Beitrag"} <= set(kinds)
    dates = [dt.datetime(*e.published_parsed[:6]) for e in feed.entries]
    assert dates == sorted(dates, reverse=True)
    titles = [e.title for e in feed.entries]
    assert "Qualität von Edelstahl – ein Überblick" in titles
    assert "Montage eines Pressfittings" in titles
    assert not any("Eine Antwort" in t or "Geteilt" in t for t in titles)  # no replies/reposts
    video = next(e for e in feed.entries if e.title == "Montage eines Pressfittings")
    assert video.link == "http://127.0.0.1:8000/videos/montage/"
    assert video.enclosures[0].href == "http://127.0.0.1:8000/media/videos/montage.jpg"
    post = next(e for e in feed.entries if "Rohre & Fittings" in e.title)
    assert post.enclosures[0].type == "image/png" and int(post.enclosures[0].length) > 0
    assert post.link == "https://x.com/hecogmbh/status/1990000000000000001"
    assert "<script" not in post.description and "alert" not in post.description


def test_intranet_fragment_is_self_contained(site):
    path = site / "intranet/aktuelles.html"
    html = path.read_text(encoding="utf-8")
    doc = soup(path)
    assert "<html" not in html and "<head" not in html
    assert not doc.find_all(["script", "link", "style", "iframe"])
    assert not doc.find_all(style=True)
    for img in doc.find_all("img"):
        assert img["src"].startswith("data:image/jpeg;base64,")
    items = doc.select(".heco-aktuelles__eintrag")
    assert len(items) >= 4
    assert "alert" not in html
    links = [a["href"] for a in doc.find_all("a")]
    assert all(
        h.startswith(("http://127.0.0.1:8000/", "https://x.com/", "https://social.example/")) for h in links
    )
    sitemap = ET.parse(site / "sitemap.xml").getroot()
    assert not any(
        "intranet" in (loc.text or "")
        for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
    )


def test_missing_post_warns_and_publish_build_fails(tmp_path):
    content = copy_fixture("mini", tmp_path / "src")
    article = content / "articles/technik/qualitaet-von-edelstahl.md"
    article.write_text(
        article.read_text(encoding="utf-8") + "\n\nhttps://x.com/hecogmbh/status/4242\n", encoding="utf-8"
    )
    report = build_site(content, tmp_path / "dev")
    assert any(
        "4242" in w and "fetch-post" in w and "qualitaet-von-edelstahl.md" in w for w in report.warnings
    )
    card = page(tmp_path / "dev", "/technik/qualitaet-von-edelstahl-ein-ueberblick/").select_one(
        ".post-card--missing"
    )
    assert card.find("a", href="https://x.com/hecogmbh/status/4242")
    with pytest.raises(BuildFailed) as info:
        build_site(content, tmp_path / "strict", MAGAZINE_STRICT=True)
    assert any("4242" in p for p in info.value.problems)
    assert not (tmp_path / "strict").exists()


def test_malformed_post_fails_the_build(tmp_path):
    content = copy_fixture("mini", tmp_path / "src")
    write_post(content / "media/posts", date="gestern")
    with pytest.raises(BuildFailed) as info:
        build_site(content, tmp_path / "out")
    assert any("x-1990000000000000001.json" in p and "Feld „date“" in p for p in info.value.problems)
