"""Header checks: title, dates, status, sign-offs, slug and ``Save_as``/``Url``; with ``full``
also unknown keys, department and authors, summary and leftover TODOs."""

from __future__ import annotations

import datetime as dt
import difflib
import posixpath
import re

from magazin.core.errors import ContentError, ContentErrors
from magazin.core.settings import setting
from magazin.masthead.masthead import load_masthead, masthead_problems

from ..settings import DEFAULTS
from ..source import Source
from ..workflow import (
    DEPARTMENT_KEY,
    HIDDEN,
    PRIVACY_KEY,
    RELEASE,
    STATUS_CHOICES,
    STATUS_KEY,
    normalise_status,
    parse_signoff,
    workflow_of,
)
from .site import Site, department_of

KNOWN_KEYS = [
    "Title",
    "Date",
    "Modified",
    "Author",
    "Authors",
    "Tags",
    "Summary",
    "Slug",
    "Status",
    "Image",
    "Lang",
    "Translation",
    "Save_as",
    "Url",
    "Template",
    "Freigabe-Abteilung",
    "Freigabe-Datenschutz",
    "Kommentare",  # "aus" switches reader comments off (plugins/magazin/comments)
    "Kommentar-ID",  # keeps the comment thread when the file is renamed
]

_DATE_RE = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2})(?:[ T](?P<time>\d{1,2}:\d{2}(?::\d{2})?))?$")


_TODO_RE = re.compile(r"\bTODO\b")


def check_header(site: Site, src: Source, full: bool) -> None:
    meta = src.meta
    header_line = 1
    title = meta.get("title", "").strip()
    if not title:
        src.error(
            src.line_of("title") or header_line,
            "Der Titel fehlt." if "title" not in meta else "Der Titel ist leer.",
            "Trage im Kopfbereich eine Zeile „Title: Überschrift des Beitrags“ ein.",
        )
    for key, label in (("date", "Date"), ("modified", "Modified")):
        if key in meta:
            reason = date_problem(meta[key])
            if reason:
                src.error(
                    src.line_of(key),
                    f"{label}: {reason}",
                    "Schreibe das Datum als „JJJJ-MM-TT SS:MM“, z. B. „2026-03-14 09:30“.",
                )
        elif key == "date" and src.kind == "article":
            src.error(
                header_line,
                "Das Datum fehlt.",
                "Trage eine Zeile „Date: JJJJ-MM-TT SS:MM“ ein, z. B. „Date: 2026-03-14 09:30“.",
            )
    if "status" in meta and normalise_status(meta["status"]) is None:
        src.error(
            src.line_of("status"),
            f"Unbekannter Status „{meta['status']}“.",
            f"Erlaubt sind {STATUS_CHOICES}.",
        )
    _check_address(src)
    for key in (DEPARTMENT_KEY, PRIVACY_KEY):
        if key in meta:
            _, reason = parse_signoff(meta[key])
            if reason:
                src.error(
                    src.line_of(key),
                    f"{src.keys[key]}: {reason}.",
                    "Beispiel: „Freigabe-Abteilung: Anja Voß, 2026-03-12“.",
                )
    if src.kind == "article" and normalise_status(meta.get(STATUS_KEY)) is not None:
        _check_workflow(site, src)
    if full:
        _check_keys(src)
        _check_people(site, src)
        if src.kind == "article":
            summary = meta.get("summary", "").strip()
            if not summary:
                src.error(
                    src.line_of("summary") or header_line,
                    "Die Zusammenfassung fehlt.",
                    "Trage eine Zeile „Summary: …“ mit ein bis zwei Sätzen ein "
                    "(erscheint auf der Startseite, in Feeds und bei Suchmaschinen).",
                )
        for key, value in meta.items():
            if _TODO_RE.search(value):
                src.error(
                    src.line_of(key),
                    f"In „{src.keys[key]}“ steht noch ein Platzhalter „TODO“.",
                    "Ersetze ihn durch den richtigen Inhalt.",
                )
        for number, line in src.prose_lines():
            if _TODO_RE.search(line):
                src.error(
                    number,
                    "Im Text steht noch ein Platzhalter „TODO“.",
                    "Ersetze ihn durch den richtigen Text.",
                )


def date_problem(value: str) -> str | None:
    """Why ``value`` is not a valid article date (German), or None."""
    value = value.strip()
    match = _DATE_RE.match(value)
    if not match:
        return f"„{value}“ ist kein Datum der Form JJJJ-MM-TT SS:MM."
    year, month, day = (int(x) for x in match.group("date").split("-"))
    if not 1 <= month <= 12:
        return f"Das Datum „{value}“ gibt es nicht: Einen Monat {month} gibt es nicht."
    try:
        dt.date(year, month, day)
    except ValueError:
        return f"Das Datum „{value}“ gibt es nicht: Der Monat {month:02d}/{year} hat keinen {day}. Tag."
    if match.group("time"):
        parts = [int(x) for x in match.group("time").split(":")]
        if parts[0] > 23 or parts[1] > 59 or (len(parts) > 2 and parts[2] > 59):
            return f"Die Uhrzeit in „{value}“ gibt es nicht."
    return None


def _check_address(src: Source) -> None:
    from magazin.german.slugs import slugify_de

    slug = src.meta.get("slug")
    if slug is not None and (not slug or slugify_de(slug) != slug):
        suggestion = slugify_de(slug.replace("/", " ").replace(".", " ")) or "mein-thema"
        src.error(
            src.line_of("slug"),
            f"Der Slug „{slug}“ ist ungültig.",
            f"Erlaubt sind nur Kleinbuchstaben, Ziffern und Bindestriche, z. B. „{suggestion}“.",
        )
    for key in ("save_as", "url"):
        value = src.meta.get(key)
        if value is None:
            continue
        if not is_safe_output_path(value):
            src.error(
                src.line_of(key),
                f"„{src.keys[key]}: {value}“ zeigt aus dem Ausgabeordner der Website hinaus.",
                "Lösche die Zeile: die Adresse ergibt sich aus Abteilung und Titel (oder „Slug:“).",
            )


def is_safe_output_path(value: str) -> bool:
    """True when ``value`` (a Save_as/Url) stays inside the output folder."""
    value = value.strip()
    if not value or "\\" in value or ":" in value or value.startswith(("/", "~")):
        return False
    norm = posixpath.normpath(value)
    return not (norm == ".." or norm.startswith("../") or "/../" in f"/{norm}/")


def _check_workflow(site: Site, src: Source) -> None:
    department = site.departments.get(department_of(site, src) or "")
    flow = workflow_of(src.meta, department.name if department else "")
    if (
        setting(site.settings, "EDITORIAL_PUBLISH", DEFAULTS)
        and flow.status in (RELEASE, HIDDEN)
        and not flow.cleared
    ):
        shown = src.meta.get(STATUS_KEY) or "Freigegeben (Standard)"
        src.error(
            src.line_of(STATUS_KEY) or src.line_of("title") or 1,
            f"Der Artikel soll veröffentlicht werden (Status: {shown}), aber es fehlt: "
            + "; ".join(flow.missing())
            + ".",
            "Hole die Freigaben ein oder setze „Status: In Prüfung“, dann wird er nicht veröffentlicht.",
        )
    if flow.department and flow.privacy and flow.privacy.date < flow.department.date:
        src.error(
            src.line_of(PRIVACY_KEY),
            "Die Freigabe durch den Datenschutz ist älter als die Freigabe der Abteilung.",
            "Erst liest die Abteilung Korrektur, danach prüft der Datenschutz die endgültige Fassung.",
        )


def _check_keys(src: Source) -> None:
    known = {k.lower(): k for k in KNOWN_KEYS}
    for lower, written in src.keys.items():
        if lower in known:
            continue
        close = difflib.get_close_matches(lower, list(known), n=1, cutoff=0.8)
        if close:
            src.error(
                src.line_of(lower),
                f"Unbekannte Angabe „{written}“.",
                f"Meintest du „{known[close[0]]}“?",
            )


def read_masthead(site: Site) -> None:
    try:
        masthead = load_masthead(site.settings)
    except ContentErrors as exc:
        site.errors.extend(exc.errors)
        return
    except ContentError as exc:
        site.errors.append(exc)
        return
    site.masthead = masthead
    site.departments = masthead.departments
    site.people = masthead.people


def _check_people(site: Site, src: Source) -> None:
    """Department and authors: the masthead's own check (``masthead_problems``)."""
    if src.kind != "article" or site.masthead is None:
        return
    names = [
        n.strip() for n in re.split(r"[,;]", src.meta.get("author", src.meta.get("authors", ""))) if n.strip()
    ]
    for problem in masthead_problems(site.masthead, department_of(site, src), names):
        if problem.key == "title":
            line = src.line_of("title") or 1
        elif problem.key == "author":
            line = src.line_of("author") or src.line_of("authors")
        else:
            line = None
        src.error(line, problem.message, problem.hint)
