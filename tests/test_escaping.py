"""Hostile metadata (<script>, quotes, ampersands) comes out as text everywhere."""

from __future__ import annotations

import json

import feedparser
import pytest

from conftest import build_site, copy_fixture, soup

TITLE = 'Böse <script>alert("title")</script> & "Zitat" \'einfach\''
AUTHOR = "Eve <script>alert('a')</script> & \"Co\""
SUMMARY = 'Zusammenfassung <script>alert("summary")</script> & "mehr" \'hier\' </script><b>x</b>'


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    content = copy_fixture("hostile", base / "site")
    out = base / "output"
    build_site(content, out)
    return out


def all_html(out):
    return sorted(out.rglob("*.html"))


def test_no_injected_markup_anywhere(hostile):
    pages = all_html(hostile)
    assert len(pages) > 5
    for path in pages:
        doc = soup(path)
        for script in doc.find_all("script"):
            # only our own JSON-LD and external scripts; never an injected inline script
            assert script.get("type") == "application/ld+json" or script.get("src"), path
            assert "alert(" not in (script.get("src") or "")
        assert not doc.find("b", string="x"), path
        assert not doc.find("img", src="x"), path
        for tag in doc.find_all(True):
            for attr in tag.attrs:
                assert not attr.startswith("on"), (path, tag.name, attr)


def test_article_shows_text_verbatim(hostile):
    doc = soup(hostile / "technik/boese/index.html")
    assert doc.find("h1").get_text() == TITLE
    assert doc.select_one(".article__lead").get_text() == SUMMARY
    assert doc.find("meta", property="og:title")["content"].startswith(TITLE)
    assert doc.find("meta", attrs={"name": "description"})["content"].startswith("Zusammenfassung <script>")
    assert AUTHOR in doc.select_one(".byline").get_text()
    tags = [a.get_text() for a in doc.select(".tag-list a")]
    assert "<script>alert(3)</script>" in tags and "Rohr & Flansch" in tags
    blocks = [json.loads(s.string) for s in doc.find_all("script", type="application/ld+json")]
    posting = next(b for b in blocks if b["@type"] == "BlogPosting")
    assert posting["headline"] == TITLE
    assert posting["author"][0]["name"] == AUTHOR
    raw = (hostile / "technik/boese/index.html").read_text()
    # the JSON-LD block cannot be closed early by a value
    for block in raw.split('<script type="application/ld+json">')[1:]:
        assert "</script" not in block.split("</script>", 1)[0]


def test_listing_pages_escape(hostile):
    for rel in ["index.html", "technik/index.html", "archiv/index.html"]:
        assert TITLE in soup(hostile / rel).get_text(), rel
    assert AUTHOR in soup(hostile / "autoren/index.html").get_text()
    tags = [a.get_text(" ", strip=True) for a in soup(hostile / "themen/index.html").select(".tag-list a")]
    assert any(t.startswith("<script>alert(3)</script>") for t in tags)


def test_feed_escapes(hostile):
    feed = feedparser.parse((hostile / "feeds/all.atom.xml").read_bytes())
    assert feed.bozo == 0
    assert feed.entries[0].title == TITLE
    assert feed.entries[0].author == AUTHOR
