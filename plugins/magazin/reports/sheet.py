"""``invoke pruefbogen``: one review sheet per article for the data-protection officer.

A sheet lists what the officer has to weigh before signing: every third party a reader can
reach from the article after a click (with the same German sentence the consent overlay
shows), static post copies, external links, images with alt text and source file, people
named in the metadata or the text, the sections of the Datenschutzerklärung that apply, what
changed since the last clearance, and the exact line to paste into the article.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from .facts import ArticleFacts, SiteFacts, signoff_name
from .history import Clearance, last_clearance
from .render import write_document

# Sections of the Datenschutzerklärung every article touches (hosting, rights, the reader
# statistics of every page), by heading word.
ALWAYS = ("Verantwortlich", "Hosting", "Cookies", "Zugriffsstatistik", "Teilen", "Rechte")


class UnknownArticle(ValueError):
    """``invoke pruefbogen ARTIKEL`` named no article (German message for the author)."""


@dataclass
class Sheet:
    article: ArticleFacts
    clearance: Clearance | None
    sections: list[tuple[str, str, str]]
    sign_line: str
    people: list[tuple[str, str]]  # (name, where)


def applicable_sections(
    article: ArticleFacts, sections: list[tuple[str, str, str]]
) -> list[tuple[str, str, str]]:
    """The privacy-page sections that concern this article, in the page's order."""
    names = {tp.provider for tp in article.third_parties} | {p.platform for p in article.posts}
    keys = {tp.key for tp in article.third_parties}
    comments = "kommentar" in " ".join(h.lower() for _, h, _ in sections) and (
        str(article.metadata.get("kommentare", "")).strip().lower() not in ("aus", "nein", "off")
    )
    out = []
    for anchor, heading, text in sections:
        words = set(re.findall(r"\w+", heading))
        if (
            any(word in heading for word in ALWAYS)
            or names & words
            or any(name in heading for name in names)
            or (keys and "Einwilligung" in heading)
            or (comments and "Kommentar" in heading)
        ):
            out.append((anchor, heading, text))
    return out


def officer_name(site: SiteFacts) -> str:
    """The data-protection officer: the setting, else the name on the most sign-offs so far."""
    configured = site.settings.get("EDITORIAL_PRIVACY_OFFICER")
    if configured:
        return str(configured)
    names = Counter(
        signoff_name(a.metadata.get("freigabe-datenschutz"))
        for a in site.articles
        if a.flow.privacy is not None
    )
    names.pop("", None)
    return names.most_common(1)[0][0] if names else "Name"


def build_sheet(article: ArticleFacts, site: SiteFacts, today: dt.date) -> Sheet:
    people = [(article.author, "Autor/in")] if article.author else []
    if article.flow.department is not None:
        people.append((article.flow.department.name, "Freigabe der Abteilung"))
    if article.flow.privacy is not None:
        people.append((article.flow.privacy.name, "Freigabe Datenschutz"))
    named = {name for name, _ in people}
    people.extend((name, "im Text genannt") for name in article.people_mentioned if name not in named)
    return Sheet(
        article=article,
        clearance=last_clearance(article.source),
        sections=applicable_sections(article, site.privacy_sections),
        sign_line=f"Freigabe-Datenschutz: {officer_name(site)}, {today.isoformat()}",
        people=people,
    )


def select(site: SiteFacts, wanted: str = "") -> list[ArticleFacts]:
    """``wanted``: a path, file name or slug; empty: every article waiting for the officer."""
    if not wanted:
        return [a for a in site.articles if a.waiting_for_privacy]
    key = wanted.strip().rstrip("/")
    found = [
        a
        for a in site.articles
        if key
        in (str(a.source), a.source.name, a.source.stem, a.url.rstrip("/"), a.url.rstrip("/").split("/")[-1])
        or str(a.source).endswith(key)
    ]
    if not found:
        raise UnknownArticle(
            f"Kein Artikel passt zu „{wanted}“. Gib den Dateipfad an, "
            "z. B. content/articles/technik/mein-thema.md, oder den Slug des Artikels."
        )
    return found


def write_sheets(site: SiteFacts, target: Path, wanted: str = "", today: dt.date | None = None) -> list[Path]:
    """Write one HTML + PDF sheet per selected article into ``target``; returns the PDF paths."""
    today = today or dt.datetime.now(ZoneInfo(site.settings.get("TIMEZONE", "Europe/Berlin"))).date()
    written = []
    for article in select(site, wanted):
        sheet = build_sheet(article, site, today)
        name = f"pruefbogen-{article.department_slug or 'artikel'}-{article.source.stem}"
        _, pdf, _ = write_document(
            "sheet.html",
            {
                "sheet": sheet,
                "a": article,
                "today": today,
                "privacy_url": site.privacy_url,
                "site_url": site.site_url,
            },
            target / name,
        )
        written.append(pdf)
    return written
