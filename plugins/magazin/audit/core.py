"""The audited site and the result types every gate shares.

``Site`` is a built ``output/`` folder plus the base URLs under which it is published:
it lists the pages of ``sitemap.xml``, every HTML file, every feed and every PDF, and maps
any link a page may contain (relative, root-relative, absolute with ``SITEURL``) to the
file that answers it.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from bs4 import BeautifulSoup

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
FEED_SUFFIXES = (".xml", ".atom", ".rss")
_DUMMY = "http://audit.invalid"


class ToolMissing(Exception):
    """A gate cannot run because its tool (Java, Chromium, a package) is not installed."""


@dataclass(frozen=True)
class Problem:
    """One finding: where (a site URL or file) and what."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class GateResult:
    """What one gate checked and found. ``skipped`` holds the reason a gate did not run."""

    gate: str
    checked: int = 0
    problems: list[Problem] = field(default_factory=list)
    skipped: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.skipped is None and not self.problems

    def add(self, where: str, message: str) -> None:
        """Record a problem (the same problem at the same place only once)."""
        problem = Problem(where, message)
        if problem not in self.problems:
            self.problems.append(problem)

    def details(self) -> str:
        return "\n".join(str(p) for p in self.problems)


def in_ci() -> bool:
    """CI sets ``CI=true``: there a missing tool is a failure, not a skip."""
    return os.environ.get("CI", "").lower() == "true"


class Site:
    """A built site in ``output`` published under ``siteurl`` (``""`` for root-relative builds).

    ``bases`` are all absolute prefixes that mean "this site" (``SITEURL`` and
    ``MAGAZINE_CANONICAL_BASE``); links starting with one of them are internal.
    """

    def __init__(
        self,
        output: str | os.PathLike[str],
        siteurl: str = "",
        bases: list[str] | None = None,
        settings: dict | None = None,
    ):
        self.output = Path(output).resolve()
        self.settings = settings or {}  # Pelican settings; gates read ``AUDIT_…`` keys
        self.siteurl = siteurl.rstrip("/")
        found = [
            b.rstrip("/") for b in [siteurl, *(bases or [])] if b and b.startswith(("http://", "https://"))
        ]
        self.bases = list(dict.fromkeys(found))
        self._soups: dict[Path, BeautifulSoup] = {}

    @classmethod
    def from_settings(cls, output: str | os.PathLike[str], settings: dict) -> Site:
        """The site as Pelican ``settings`` describe it (SITEURL, canonical base, feed domain)."""
        bases = [settings.get("MAGAZINE_CANONICAL_BASE") or "", settings.get("FEED_DOMAIN") or ""]
        return cls(output, settings.get("SITEURL") or "", bases, settings)

    # -- URLs and files ---------------------------------------------------------------------

    def site_path(self, url: str) -> str | None:
        """The site path (``/technik/foo/``) of an internal ``url``, or None if external."""
        parts = urlsplit(url)
        if not parts.scheme and not parts.netloc:
            return parts.path if parts.path.startswith("/") else None
        if parts.scheme not in ("http", "https"):
            return None
        for base in self.bases:
            b = urlsplit(base)
            if (parts.scheme, parts.netloc) == (b.scheme, b.netloc) and parts.path.startswith(b.path or "/"):
                rest = parts.path[len(b.path.rstrip("/")) :]
                return rest or "/"
        return None

    def is_internal(self, url: str) -> bool:
        return self.site_path(url) is not None

    def file_for(self, site_path: str) -> Path | None:
        """The file a static web server would answer ``site_path`` with, or None."""
        rel = unquote(site_path).lstrip("/")
        target = (self.output / rel).resolve()
        if target != self.output and self.output not in target.parents:
            return None
        if target.is_dir():
            target = target / "index.html"
        return target if target.is_file() else None

    def url_of(self, path: Path) -> str:
        """The site path of a file in ``output`` (``index.html`` becomes the folder URL)."""
        rel = path.resolve().relative_to(self.output).as_posix()
        if rel == "index.html":
            return "/"
        if rel.endswith("/index.html"):
            return "/" + rel[: -len("index.html")]
        return "/" + rel

    def absolute(self, site_path: str) -> str:
        """``site_path`` under the published base (for messages and comparisons)."""
        base = self.bases[0] if self.bases else ""
        return base + site_path

    def resolve(self, href: str, page_url: str) -> str:
        """``href`` as found on the page at site path ``page_url``, made absolute or root-relative."""
        if urlsplit(href).scheme or href.startswith("//"):
            return href if not href.startswith("//") else "https:" + href
        # Join under a dummy origin: urljoin keeps "../" above the root of a bare path.
        joined = urljoin(_DUMMY + page_url, href)
        return joined[len(_DUMMY) :] if joined.startswith(_DUMMY) else joined

    # -- the inventory ----------------------------------------------------------------------

    @cached_property
    def sitemap_urls(self) -> list[str]:
        """Site paths listed in ``sitemap.xml`` (in order)."""
        path = self.output / "sitemap.xml"
        if not path.is_file():
            return []
        root = ET.parse(path).getroot()  # noqa: S314 - our own build output
        urls = []
        for loc in root.iter(f"{SITEMAP_NS}loc"):
            text = (loc.text or "").strip()
            sp = self.site_path(text)
            urls.append(sp if sp is not None else text)
        return urls

    @cached_property
    def sitemap_pages(self) -> list[tuple[str, Path]]:
        """(site path, file) of every sitemap page that exists as an HTML file."""
        out = []
        for url in self.sitemap_urls:
            f = self.file_for(url) if url.startswith("/") else None
            if f is not None and f.suffix == ".html":
                out.append((url, f))
        return out

    @cached_property
    def html_files(self) -> list[Path]:
        """Every ``*.html`` file: documents and fragments (see ``is_fragment``)."""
        return sorted(self.output.rglob("*.html"))

    def is_fragment(self, path: Path) -> bool:
        """An HTML fragment made to be embedded elsewhere (e.g. the intranet teaser): no
        doctype and no ``<html>``. Gates check its content, not a document's head."""
        start = path.read_bytes()[:2048].lstrip().lower()
        return not (start.startswith(b"<!doctype") or start.startswith(b"<html"))

    @cached_property
    def feed_files(self) -> list[Path]:
        """Every file under ``/feeds/`` plus every feed a page links as ``rel=alternate``."""
        found = (
            {p for p in (self.output / "feeds").rglob("*") if p.is_file() and p.suffix in FEED_SUFFIXES}
            if (self.output / "feeds").is_dir()
            else set()
        )
        for page_url, path in self.sitemap_pages[:1] or [("/", self.output / "index.html")]:
            if path.is_file():
                found |= self.announced_feeds(page_url, path)
        return sorted(found)

    def announced_feeds(self, page_url: str, path: Path) -> set[Path]:
        """The feed files the page at ``page_url`` links as ``<link rel=alternate>``."""
        found = set()
        for link in self.soup(path).select('link[rel~="alternate"][href]'):
            if "xml" in (link.get("type") or ""):
                sp = self.site_path(self.resolve(link["href"], page_url))
                target = self.file_for(sp) if sp else None
                if target is not None:
                    found.add(target)
        return found

    @cached_property
    def pdf_files(self) -> list[Path]:
        return sorted(self.output.rglob("*.pdf"))

    def soup(self, path: Path) -> BeautifulSoup:
        """The parsed HTML of ``path`` (cached: several gates read the same pages)."""
        if path not in self._soups:
            self._soups[path] = BeautifulSoup(path.read_bytes(), "lxml")
        return self._soups[path]
