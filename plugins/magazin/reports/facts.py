"""What the review sheet and the status report know about each article.

The site is built with the development settings into a temporary folder (the published
``output/`` is never touched); each article's finished HTML is read back, so the sheet lists
exactly what a reader gets: the consent placeholders the embed plugins made, the static post
cards, links and images, after every Markdown extension ran.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

from magazin.consent import DEFAULTS as CONSENT
from magazin.core.datafiles import department_names
from magazin.core.settings import setting
from magazin.editorial.workflow import Workflow, parse_signoff, workflow_of


@dataclass(frozen=True)
class ThirdParty:
    """Content of a provider that the reader can load with a click (a consent placeholder)."""

    provider: str  # "YouTube"
    key: str  # "youtube"
    title: str  # the placeholder's title, e.g. "YouTube-Video: …"
    address: str  # what the browser would load after the click
    transfer: str  # the German sentence the overlay shows


@dataclass(frozen=True)
class PostCard:
    """A static copy of a post (X, Mastodon) shown in the article."""

    platform: str  # "X", "Mastodon"
    account: str  # "heco gmbh (@hecogmbh)"
    url: str  # the original
    consent: bool  # True: the official embed can be loaded after a click


@dataclass(frozen=True)
class Link:
    host: str
    url: str
    text: str


@dataclass(frozen=True)
class Picture:
    alt: str
    src: str
    source_file: str  # the file in content/ (relative to the repository), or "" when unknown


@dataclass
class ArticleFacts:
    """One article as the development build renders it."""

    source: Path
    title: str
    url: str
    department: str  # display name
    department_slug: str
    author: str
    date: dt.datetime
    metadata: dict[str, str]
    flow: Workflow
    third_parties: list[ThirdParty] = field(default_factory=list)
    posts: list[PostCard] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    pictures: list[Picture] = field(default_factory=list)
    people_mentioned: list[str] = field(default_factory=list)
    text: str = ""

    @property
    def waiting_for_privacy(self) -> bool:
        """In the pipeline and still without the data-protection officer's sign-off."""
        return self.flow.status != "draft" and self.flow.privacy is None

    @property
    def published_on(self) -> dt.date | None:
        """When the article went (or goes) public: its date, but not before both sign-offs."""
        if not self.flow.publishable:
            return None
        days = [self.date.date(), self.flow.privacy.date, self.flow.department.date]
        return max(days)


@dataclass
class SiteFacts:
    """Everything a report needs, from one development build."""

    settings: dict
    articles: list[ArticleFacts]
    privacy_sections: list[tuple[str, str, str]]  # (anchor, heading, text)
    privacy_url: str
    site_url: str


def _people(settings: dict) -> list[dict]:
    from magazin.core.datafiles import data_path, load_records

    try:
        return load_records(data_path(settings, "authors.yml"), ("name",))
    except Exception:  # a broken data file is reported by the build itself
        return []


def _source_file(src: str, content: Path, repo: Path) -> str:
    """The content file behind an image URL such as ``/images/technik/rohr.png``."""
    path = urlsplit(src).path
    if not path.startswith("/"):
        return ""
    candidate = (content / path.lstrip("/")).resolve()
    if candidate.is_file():
        try:
            return str(candidate.relative_to(repo))
        except ValueError:
            return str(candidate)
    return ""


def _read_article(html: str, settings: dict, people: list[dict]) -> dict:
    soup = BeautifulSoup(html, "lxml")
    body = soup.select_one(".article__body") or soup.select_one("article") or soup
    base_host = urlsplit(settings.get("MAGAZINE_CANONICAL_BASE") or settings.get("SITEURL") or "").hostname
    content, repo = Path(settings["PATH"]).resolve(), Path.cwd().resolve()

    third, posts, links, pictures = [], [], [], []
    for figure in body.select("[data-consent]"):
        notice = figure.select_one(".consent__text")
        transfer = ""
        if notice is not None:
            parts = notice.get_text(" ", strip=True).split(".", 1)
            transfer = parts[1].replace("Mehr in der Datenschutzerklärung", "").strip(" .") + "."
        third.append(
            ThirdParty(
                provider=figure.get("data-consent-name", figure["data-consent"]),
                key=figure["data-consent"],
                title=figure.get("data-consent-title", ""),
                address=figure.get("data-consent-src", ""),
                transfer=" ".join(transfer.split()),
            )
        )
    for card in body.select("article.post-card"):
        name = card.select_one(".post-card__name")
        handle = card.select_one(".post-card__handle")
        platform = card.select_one(".post-card__platform")
        original = card.select_one("a.post-card__original")
        account = " ".join(x.get_text(" ", strip=True) for x in (name, handle) if x is not None)
        posts.append(
            PostCard(
                platform=(platform.get_text(strip=True) if platform else "").removeprefix("auf ").strip(),
                account=account,
                url=original["href"] if original is not None else "",
                consent=card.find_parent(attrs={"data-consent": True}) is not None,
            )
        )
    seen = set()
    for anchor in body.select("a[href]"):
        href = anchor["href"]
        parts = urlsplit(href)
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.hostname == base_host:
            continue
        if anchor.find_parent(attrs={"data-consent": True}) is not None and (
            anchor.get("data-consent-poster") is not None or anchor.find_parent(class_="consent__notice")
        ):
            continue  # a placeholder's own links to the provider: listed as a third party
        text = " ".join(anchor.get_text(" ", strip=True).split()) or anchor.get("aria-label", "")
        if (href, text) in seen:
            continue
        seen.add((href, text))
        links.append(Link(parts.hostname, href, text))
    for img in body.select("img"):
        if img.find_parent(attrs={"data-consent": True}) and img.find_parent(class_="consent__poster"):
            continue  # video posters are ours (cached by fetch-media), listed with the video
        src = img.get("src", "")
        pictures.append(Picture(img.get("alt", ""), src, _source_file(src, content, repo)))
    text = " ".join(body.get_text(" ", strip=True).split())
    mentioned = sorted({p["name"] for p in people if str(p.get("name", "")) and str(p["name"]) in text})
    return {
        "third_parties": third,
        "posts": posts,
        "links": links,
        "pictures": pictures,
        "people_mentioned": mentioned,
        "text": text,
    }


def _privacy_sections(html: str) -> list[tuple[str, str, str]]:
    soup = BeautifulSoup(html, "lxml")
    body = soup.select_one("[data-pagefind-body]") or soup.select_one("main") or soup
    sections = []
    for heading in body.select("h2"):
        texts = []
        for sibling in heading.find_next_siblings():
            if sibling.name == "h2":
                break
            texts.append(sibling.get_text(" ", strip=True))
        sections.append((heading.get("id", ""), heading.get_text(" ", strip=True), " ".join(texts)))
    return sections


def collect(settings_file: str | Path, overrides: dict | None = None) -> SiteFacts:
    """Build the site (development settings) into a temporary folder and read every article."""
    from pelican import signals

    from magazin.core.build import build, read_magazine_settings

    overrides = dict(overrides or {})
    settings = read_magazine_settings(settings_file, overrides)
    captured: list = []

    def capture(generator) -> None:
        captured.extend(generator.articles)
        captured.extend(generator.drafts)
        captured.extend(getattr(generator, "hidden_articles", []))

    signals.article_generator_finalized.connect(capture)
    workdir = Path(tempfile.mkdtemp(prefix="magazin-berichte-"))
    try:
        out = workdir / "site"
        build(settings_file, out, overrides={**overrides, "CACHE_PATH": str(workdir / "cache")}, strict=False)
        people = _people(settings)
        names = department_names(settings)
        articles = []
        for article in captured:
            page = out / article.save_as
            html = page.read_text(encoding="utf-8") if page.is_file() else article.content
            meta = {k: str(v) for k, v in article.metadata.items() if isinstance(v, str)}
            slug = article.category.slug if getattr(article, "category", None) else ""
            department = names.get(slug, str(getattr(article, "category", "")))
            facts = ArticleFacts(
                source=Path(article.source_path).resolve(),
                title=article.title,
                url=article.url,
                department=department,
                department_slug=slug,
                author=str(getattr(article, "author", "") or ""),
                date=article.date,
                metadata=meta,
                flow=getattr(article, "editorial", None) or workflow_of(_lower(article.metadata), department),
                **_read_article(html, settings, people),
            )
            articles.append(facts)
        privacy_slug = setting(settings, "CONSENT_PRIVACY_SLUG", CONSENT)
        privacy_page = out / privacy_slug / "index.html"
        sections = (
            _privacy_sections(privacy_page.read_text(encoding="utf-8")) if privacy_page.is_file() else []
        )
    finally:
        signals.article_generator_finalized.disconnect(capture)
        shutil.rmtree(workdir, ignore_errors=True)
    articles.sort(key=lambda a: (a.department, a.title))
    base = (settings.get("MAGAZINE_CANONICAL_BASE") or "").rstrip("/")
    return SiteFacts(settings, articles, sections, f"{base}/{privacy_slug}/", base)


def _lower(metadata: dict) -> dict:
    """The raw metadata values the editorial workflow reads (keys lower-case)."""
    out = {}
    for key, value in metadata.items():
        if key in ("status", "freigabe-abteilung", "freigabe-datenschutz"):
            out[key] = value if isinstance(value, str) else str(value)
    return out


def signoff_name(value: str | None) -> str:
    """The name in a sign-off value (``"Claudia Reinhardt, 2026-01-22"`` → ``"Claudia Reinhardt"``)."""
    signoff, _ = parse_signoff(value)
    return signoff.name if signoff else ""
