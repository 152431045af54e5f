"""Gate "Links": an offline crawler over ``output/``.

Every internal reference of every HTML file (links, images, srcset, scripts, styles, icons,
SVG ``<use>``, media posters, Open Graph images, forms), every ``url()`` in our CSS and every
sitemap entry must resolve to a file; every ``#anchor`` must name an ``id`` in its target
(HTML or SVG). External links are counted, not fetched (the build never uses the network).
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

from .core import GateResult, Site

NAME = "Links"

# (tag, attribute) pairs whose value is one URL.
URL_ATTRS = [
    ("a", "href"),
    ("area", "href"),
    ("link", "href"),
    ("script", "src"),
    ("img", "src"),
    ("source", "src"),
    ("video", "src"),
    ("video", "poster"),
    ("audio", "src"),
    ("track", "src"),
    ("iframe", "src"),
    ("embed", "src"),
    ("object", "data"),
    ("form", "action"),
    ("use", "href"),
    ("use", "xlink:href"),
    ("image", "href"),
    ("image", "xlink:href"),
    ("blockquote", "cite"),
    ("q", "cite"),
    ("input", "src"),
]
SRCSET_TAGS = ("img", "source")
META_URL_PROPS = ("og:image", "og:url", "og:image:url", "og:image:secure_url", "og:video", "twitter:image")
SKIP_SCHEMES = ("mailto", "tel", "sms", "data", "about", "blob")
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
CSS_IMPORT = re.compile(r"""@import\s+(['"])([^'"]+)\1""")


def _ids(soup: BeautifulSoup) -> set[str]:
    ids = {el["id"] for el in soup.find_all(id=True)}
    ids |= {el["name"] for el in soup.find_all("a", attrs={"name": True})}
    return ids


class Crawler:
    """Collects references and checks them against the files in ``site.output``."""

    def __init__(self, site: Site):
        self.site = site
        self.result = GateResult(NAME)
        self._anchor_cache: dict[Path, set[str]] = {}
        self.external: set[str] = set()

    def anchors(self, target: Path) -> set[str]:
        if target not in self._anchor_cache:
            if target.suffix in (".html", ".htm"):
                ids = _ids(self.site.soup(target))
            elif target.suffix == ".svg":
                ids = _ids(BeautifulSoup(target.read_bytes(), "xml"))
            else:
                ids = set()
            self._anchor_cache[target] = ids
        return self._anchor_cache[target]

    def check(self, href: str, base_url: str, where: str, own: Path | None = None) -> None:
        """Check one reference ``href`` found at ``where`` (document at site path ``base_url``)."""
        href = href.strip()
        if not href:
            self.result.add(where, "leerer Link")
            return
        scheme = urlsplit(href).scheme.lower()
        if scheme in SKIP_SCHEMES:
            return
        if scheme == "javascript":
            self.result.add(where, f"javascript:-Link {href[:60]}")
            return
        if href == "#":
            self.result.add(where, "Link auf „#“ führt nirgendwohin")
            return
        url = self.site.resolve(href, base_url)
        site_path = self.site.site_path(url)
        if site_path is None:
            if scheme in ("http", "https") or href.startswith("//"):
                self.external.add(url)
            else:
                self.result.add(where, f"unbekanntes Link-Schema: {href[:80]}")
            return
        fragment = unquote(urlsplit(url).fragment)
        same_doc = href.startswith("#")
        target = own if same_doc else self.site.file_for(site_path)
        if target is None:
            self.result.add(where, f"Ziel fehlt: {href}")
            return
        if fragment and fragment not in self.anchors(target):
            self.result.add(where, f"Anker #{fragment} fehlt in {self.site.url_of(target)}")

    def html(self, path: Path) -> None:
        page_url = self.site.url_of(path)
        soup = self.site.soup(path)
        base = soup.find("base", href=True)
        base_url = self.site.site_path(self.site.resolve(base["href"], page_url)) if base else page_url
        base_url = base_url or page_url
        for tag, attr in URL_ATTRS:
            for el in soup.find_all(tag, attrs={attr: True}):
                if tag == "link" and "preconnect" in (el.get("rel") or []):
                    continue
                self.check(el[attr], base_url, page_url, own=path)
        for tag in SRCSET_TAGS:
            for el in soup.find_all(tag, srcset=True):
                for candidate in el["srcset"].split(","):
                    if candidate.strip():
                        self.check(candidate.split()[0], base_url, page_url, own=path)
        for meta in soup.find_all("meta", content=True):
            if (meta.get("property") or meta.get("name") or "") in META_URL_PROPS:
                self.check(meta["content"], base_url, page_url, own=path)
        for el in soup.select("[aria-describedby], [aria-labelledby], [aria-controls], label[for]"):
            for attr in ("aria-describedby", "aria-labelledby", "aria-controls", "for"):
                for ref in (el.get(attr) or "").split():
                    if ref not in self.anchors(path):
                        self.result.add(page_url, f"{attr}=„{ref}“ verweist auf keine id")

    def css(self, path: Path) -> None:
        url = self.site.url_of(path)
        text = path.read_text(encoding="utf-8", errors="replace")
        text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
        for match in [*CSS_URL.finditer(text), *CSS_IMPORT.finditer(text)]:
            ref = match.group(2).strip()
            if not ref.startswith("#"):  # url(#filter) points into the document using the CSS
                self.check(ref, url, url)

    def sitemap(self) -> None:
        for url in self.site.sitemap_urls:
            if not url.startswith("/"):
                self.result.add("/sitemap.xml", f"Eintrag gehört nicht zu dieser Website: {url}")
            elif self.site.file_for(url) is None:
                self.result.add("/sitemap.xml", f"Eintrag ohne Datei: {url}")


def run(site: Site) -> GateResult:
    """Crawl every HTML and CSS file and the sitemap; 0 broken references."""
    crawler = Crawler(site)
    if not (site.output / "sitemap.xml").is_file():
        crawler.result.add("/sitemap.xml", "Sitemap fehlt")
    crawler.sitemap()
    for path in site.html_files:
        crawler.html(path)
    css_files = sorted(site.output.rglob("*.css"))
    for path in css_files:
        crawler.css(path)
    crawler.result.checked = len(site.html_files) + len(css_files)
    if crawler.external:
        crawler.result.notes.append(f"{len(crawler.external)} externe Ziele gezählt, nicht abgerufen")
    return crawler.result
