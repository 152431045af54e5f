"""Functional test: the sample magazine, built into tmp_path, parsed like a reader would see it."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest
import yaml
from pelican.utils import get_date

from conftest import ROOT, page, soup
from magazin.german.dates import date_de
from magazin.german.slugs import slugify_de

CONTENT = ROOT / "content"


def read_header(path: Path) -> dict[str, str]:
    meta = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            break
        key, _, value = line.partition(":")
        meta[key.strip().lower()] = value.strip()
    return meta


def sample_articles():
    for path in sorted((CONTENT / "articles").glob("*/*.md")):
        meta = read_header(path)
        # The development build lists every article except Pelican drafts and hidden ones
        # (articles in review appear with a banner, see plugins/magazin/editorial).
        if meta.get("status", "published").lower() not in ("draft", "hidden"):
            yield path, meta


DEPARTMENTS = {d["slug"]: d for d in yaml.safe_load((CONTENT / "data/departments.yml").read_text("utf-8"))}
PEOPLE = {p["name"]: p for p in yaml.safe_load((CONTENT / "data/authors.yml").read_text("utf-8"))}


def test_sample_content_is_large_enough():
    articles = list(sample_articles())
    assert len(articles) >= 12
    assert len({p.parent.name for p, _ in articles}) >= 6


@pytest.mark.parametrize("path", [p for p, _ in sample_articles()], ids=lambda p: p.stem)
def test_article_page(sample_output, path):
    meta = read_header(path)
    dep = DEPARTMENTS[path.parent.name]
    url = f"/{dep['slug']}/{meta.get('slug') or slugify_de(meta['title'])}/"
    doc = page(sample_output, url)
    assert doc.find("h1").get_text(strip=True) == meta["title"]
    assert doc.html["lang"] == "de"
    main = doc.find("main")
    text = main.get_text(" ", strip=True)
    assert dep["name"] in text
    assert meta["author"] in text
    person = PEOPLE[meta["author"]]
    assert DEPARTMENTS[person["department"]]["name"] in doc.select_one(".byline").get_text()
    assert date_de(get_date(meta["date"])) in text
    assert re.search(r"\d+ Min\. Lesezeit", text)
    # SEO: canonical, Open Graph, JSON-LD
    canonical = doc.find("link", rel="canonical")["href"]
    assert canonical.endswith(url) and canonical.startswith("http")
    assert doc.find("meta", property="og:title")["content"].startswith(meta["title"])
    assert doc.find("meta", property="og:image")["content"].startswith("http")
    assert doc.find("meta", attrs={"name": "description"})["content"]
    blocks = [json.loads(s.string) for s in doc.find_all("script", type="application/ld+json")]
    posting = next(b for b in blocks if b["@type"] == "BlogPosting")
    assert posting["headline"] == meta["title"]
    assert posting["author"][0]["name"] == meta["author"]
    assert posting["publisher"]["name"] == "heco gmbh"
    # tags link to the tag pages
    for tag in [t.strip() for t in meta.get("tags", "").split(",") if t.strip()]:
        assert main.find("a", href=f"/themen/{slugify_de(tag)}/"), tag


def test_home_page(sample_output):
    doc = page(sample_output, "/")
    assert doc.select_one(".hero h1 a")
    assert len(doc.select(".home-latest .card")) >= 6
    blocks = [json.loads(s.string) for s in doc.find_all("script", type="application/ld+json")]
    org = next(b for b in blocks if b["@type"] == "Organization")
    assert org["sameAs"]
    # every page links Impressum and Datenschutzerklärung
    footer = doc.find("footer", class_="site-footer")
    assert footer.find("a", href="/impressum/") and footer.find("a", href="/datenschutz/")
    assert doc.find("a", class_="skip-link")["href"] == "#inhalt"


def test_department_author_tag_archive_pages(sample_output):
    for slug, dep in DEPARTMENTS.items():
        if not any(p.parent.name == slug for p, _ in sample_articles()):
            continue
        doc = page(sample_output, f"/{slug}/")
        assert doc.find("h1").get_text(strip=True) == dep["name"]
        titles = {a.get_text(strip=True) for a in doc.select(".card__title a")}
        expected = {m["title"] for p, m in sample_articles() if p.parent.name == slug}
        assert expected <= titles or len(titles) == 10
    for name, person in PEOPLE.items():
        written = [m for _, m in sample_articles() if m["author"] == name]
        if not written:
            continue
        doc = page(sample_output, f"/autoren/{slugify_de(name)}/")
        assert doc.find("h1").get_text(strip=True) == name
        assert DEPARTMENTS[person["department"]]["name"] in doc.select_one(".listing-header").get_text()
    tags = page(sample_output, "/themen/")
    assert len(tags.select(".tag-list a")) >= 10
    archive = page(sample_output, "/archiv/")
    assert len(archive.select(".archive-list li")) == len(list(sample_articles()))
    assert page(sample_output, "/abteilungen/").select(".tile")
    assert page(sample_output, "/autoren/").select(".tile")


def test_pages_exist(sample_output):
    for slug, title in [
        ("ueber-das-magazin", "Über das Magazin"),
        ("social-media-team", "Das Social-Media-Team"),
        ("impressum", "Impressum"),
        ("datenschutz", "Datenschutzerklärung"),
    ]:
        doc = page(sample_output, f"/{slug}/")
        assert doc.find("h1").get_text(strip=True) == title
    for slug in ("impressum", "datenschutz"):
        assert "Entwurf" in page(sample_output, f"/{slug}/").find("main").get_text()


def test_feeds(sample_output):
    feed = feedparser.parse((sample_output / "feeds/all.atom.xml").read_bytes())
    assert feed.bozo == 0
    titles = {e.title for e in feed.entries}
    assert {m["title"] for _, m in sample_articles()} <= titles
    assert all(e.link.startswith("http") for e in feed.entries)
    for slug in {p.parent.name for p, _ in sample_articles()}:
        dep_feed = feedparser.parse((sample_output / f"feeds/{slug}.atom.xml").read_bytes())
        assert dep_feed.bozo == 0
        assert {e.title for e in dep_feed.entries} == {
            m["title"] for p, m in sample_articles() if p.parent.name == slug
        }


def test_sitemap_and_robots(sample_output):
    tree = ET.parse(sample_output / "sitemap.xml")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = {loc.text for loc in tree.getroot().findall("s:url/s:loc", ns)}

    def url_of(p: Path) -> str:
        rel = p.relative_to(sample_output).parent.as_posix()
        return "/" if rel == "." else f"/{rel}/"

    # drafts and the authors' editor (/redaktion/, noindex) are never in the sitemap
    built = {
        url_of(p) for p in sample_output.rglob("index.html") if not {"entwuerfe", "redaktion"} & set(p.parts)
    }
    paths = {re.sub(r"^https?://[^/]+", "", loc) for loc in locs}
    paths = {"/" + p.lstrip("/") for p in paths}
    missing = built - paths
    assert not missing, f"pages missing from sitemap: {sorted(missing)[:10]}"
    assert (sample_output / "redaktion" / "index.html").is_file() and "/redaktion/" not in paths
    robots = (sample_output / "robots.txt").read_text()
    assert "Sitemap: http" in robots and "sitemap.xml" in robots


def test_publish_build_is_strict_and_absolute(sample_publish_output):
    doc = page(sample_publish_output, "/")
    assert doc.find("link", rel="canonical")["href"] == "https://magazin.heco.de/"
    tree = ET.parse(sample_publish_output / "sitemap.xml")
    locs = [e.text for e in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert locs and all(loc.startswith("https://magazin.heco.de/") for loc in locs)


def test_images_are_local_and_exist(sample_output):
    for html in sample_output.rglob("*.html"):
        for img in soup(html).find_all("img"):
            src = img["src"]
            assert not src.startswith(("http:", "https:", "//")), (html, src)
            if src.startswith("data:image/"):  # inline thumbnails (intranet fragment)
                continue
            assert (sample_output / src.lstrip("/")).is_file(), (html, src)
            # teaser pictures and avatars are decoration beside the title or name they show
            decorative = img.find_parent(class_=["teaser", "avatar"]) is not None
            assert img.get("alt") or (decorative and img.get("alt") == ""), (html, src)


def test_preview_marks_unreleased_articles_on_cards(sample_output, sample_publish_output):
    in_review = {m["title"] for _, m in sample_articles() if m.get("status", "").startswith("In Prüfung")}
    assert in_review, "the sample content keeps articles in review"
    home = page(sample_output, "/")
    marked = {
        card.select_one(".card__title a").get_text()
        for card in home.select(".card")
        if card.select_one(".card__badge")
    }
    shown = {a.get_text() for a in home.select(".card__title a")}
    assert marked == in_review & shown
    assert not page(sample_publish_output, "/").select(".card__badge")
