"""Gate "Feeds": every feed parses cleanly (feedparser ``bozo == 0``), uses absolute URLs,
has unique entry ids, and its entries are the articles the site shows.

Feeds are every file under ``/feeds/`` plus every feed the home page links as
``rel=alternate``. The site-wide feed (the first the home page links) must list every
article of the sitemap (the newest ones if it is capped).
"""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup

from .core import GateResult, Site

NAME = "Feeds"
URL_IN_HTML = re.compile(r"""\s(?:href|src|poster)\s*=\s*(["'])(.*?)\1""", re.I)
ABSOLUTE_OK = ("http://", "https://", "mailto:", "tel:", "data:", "#")


def _norm(text: str) -> str:
    """Text as read: white space folded (no-break spaces included), the non-breaking hyphen
    the typography pass sets on pages read as the hyphen a feed title has."""
    return " ".join((text or "").replace("\u2011", "-").split())


def _page_title(site: Site, path: Path) -> str:
    soup = site.soup(path)
    h1 = soup.find("h1")
    return _norm(h1.get_text(" ") if h1 else (soup.title.get_text() if soup.title else ""))


def article_pages(site: Site) -> dict[str, tuple[Path, str]]:
    """Sitemap pages that are articles (``og:type`` article): URL → (file, published time)."""
    out = {}
    for url, path in site.sitemap_pages:
        soup = site.soup(path)
        og = soup.find("meta", property="og:type")
        if og is not None and og.get("content") == "article":
            pub = soup.find("meta", property="article:published_time")
            out[url] = (path, pub.get("content", "") if pub else "")
    return out


def _absolute(url: str) -> bool:
    return url.startswith(("http://", "https://"))


def announced_feeds(site: Site) -> set[Path]:
    """Feeds some page announces to readers (``<link rel=alternate>``): their entries are
    articles, so their titles must be the pages' titles."""
    found: set[Path] = set()
    for url, path in site.sitemap_pages:
        found |= site.announced_feeds(url, path)
    return found


def check_feed(site: Site, path: Path, result: GateResult, match_titles: bool = True) -> list[str]:
    """Check one feed; return the site paths of its entries."""
    import feedparser

    where = site.url_of(path)
    parsed = feedparser.parse(path.read_bytes())
    if parsed.bozo:
        result.add(where, f"nicht wohlgeformt: {parsed.get('bozo_exception')}")
        return []
    feed = parsed.feed
    if not _norm(feed.get("title", "")):
        result.add(where, "Feed ohne Titel")
    links = feed.get("links", [])
    if not any(lnk.get("rel") == "alternate" for lnk in links) and not feed.get("link"):
        result.add(where, "Feed ohne Link auf die Website")
    for lnk in links:
        if not _absolute(lnk.get("href", "")):
            result.add(where, f"Feed-Link nicht absolut: {lnk.get('href')!r}")
    if feed.get("id") and not re.match(r"^[a-z][a-z0-9+.-]*:", feed["id"]):
        result.add(where, f"Feed-id ist keine absolute URI: {feed['id']!r}")
    seen: set[str] = set()
    entry_urls: list[str] = []
    external: list[str] = []
    for i, entry in enumerate(parsed.entries, start=1):
        label = f"{where} Eintrag {i}"
        entry_id = entry.get("id") or entry.get("guid") or ""
        if not entry_id:
            result.add(label, "Eintrag ohne id")
        elif entry_id in seen:
            result.add(label, f"doppelte id {entry_id}")
        seen.add(entry_id)
        title = _norm(entry.get("title", ""))
        if not title:
            result.add(label, "Eintrag ohne Titel")
        if not (entry.get("updated") or entry.get("published")):
            result.add(label, "Eintrag ohne Datum")
        link = entry.get("link", "")
        if not _absolute(link):
            result.add(label, f"Link nicht absolut: {link!r}")
            continue
        site_path = site.site_path(link)
        if site_path is None:  # e.g. the intranet feed's posts on X or Mastodon
            external.append(link)
            continue
        target = site.file_for(site_path)
        if target is None:
            result.add(label, f"Link zeigt auf keine Seite der Website: {link}")
            continue
        entry_urls.append(site_path)
        if match_titles and target.suffix == ".html" and title and title != _page_title(site, target):
            result.add(label, f"Titel „{title}“ ≠ Seite „{_page_title(site, target)}“")
        for content in [*entry.get("content", []), {"value": entry.get("summary", "")}]:
            for _, url in URL_IN_HTML.findall(content.get("value", "")):
                if not url.startswith(ABSOLUTE_OK):
                    result.add(label, f"relative URL im Inhalt: {url!r}")
    if external:
        result.notes.append(f"{where}: {len(external)} Einträge verweisen auf andere Websites")
    return entry_urls


def site_feed(site: Site) -> Path | None:
    """The feed the home page announces first (the site-wide feed)."""
    home = site.file_for("/")
    if home is None:
        return None
    for link in BeautifulSoup(home.read_bytes(), "lxml").select('link[rel~="alternate"][href]'):
        if "xml" in (link.get("type") or ""):
            sp = site.site_path(site.resolve(link["href"], "/"))
            return site.file_for(sp) if sp else None
    return None


def run(site: Site, cap: int = 50) -> GateResult:
    """Check every feed; the site-wide feed lists every article (the newest ``cap`` if capped)."""
    result = GateResult(NAME)
    feeds = site.feed_files
    result.checked = len(feeds)
    if not feeds:
        result.add("/feeds/", "keine Feeds gefunden")
        return result
    announced = announced_feeds(site)
    entries = {path: check_feed(site, path, result, path in announced) for path in feeds}
    main = site_feed(site)
    if main is None:
        result.add("/", "die Startseite verlinkt keinen Feed (rel=alternate)")
        return result
    listed = entries.get(main, [])
    articles = article_pages(site)
    newest = sorted(articles, key=lambda u: articles[u][1], reverse=True)
    # A feed may be capped (FEEDS_MAX_ITEMS): then it holds the newest articles.
    expected = newest[: len(listed)] if len(listed) >= cap else newest
    for url in expected:
        if url not in listed:
            result.add(site.url_of(main), f"Artikel fehlt im Feed: {url}")
    return result
