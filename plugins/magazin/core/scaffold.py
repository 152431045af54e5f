"""``invoke new``: write a new article skeleton with every metadata field filled or marked."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from .datafiles import load_records


class ScaffoldError(Exception):
    """Why no article was written (German, for the author)."""


TEMPLATE = """Title: {title}
Date: {date}
Author: {author}
Tags: TODO Thema 1, TODO Thema 2
Summary: TODO Ein bis zwei Sätze, worum es geht (erscheint auf der Startseite und in Suchmaschinen).
Status: Entwurf
Freigabe-Abteilung:
Freigabe-Datenschutz:

TODO Einleitung: Worum geht es, und warum ist es für unsere Kundinnen und Kunden interessant?

## TODO Erste Zwischenüberschrift

Text …

## TODO Zweite Zwischenüberschrift

Text …
"""


def local_now(timezone: str, now: dt.datetime | None = None) -> dt.datetime:
    """``now`` (default: this moment) as wall-clock time in ``timezone``, the site's
    ``TIMEZONE``: Pelican reads a ``Date:`` without offset in that zone. A naive ``now`` is
    taken as already local."""
    zone = ZoneInfo(timezone)
    if now is None:
        return dt.datetime.now(zone)
    return now.astimezone(zone) if now.tzinfo is not None else now


def scaffold_article(
    content: Path,
    title: str,
    department: str,
    author: str,
    now: dt.datetime | None = None,
    *,
    timezone: str = "Europe/Berlin",
) -> Path:
    """Create ``content/articles/<department>/<slug>.md`` and return its path.

    ``Date:`` is ``now`` (default: this moment) in the site's ``timezone``."""
    now = local_now(timezone, now)
    from magazin.german.slugs import slugify_de

    title = " ".join(title.split())
    if not title:
        raise ScaffoldError('Der Titel ist leer. Beispiel: invoke new --title "Mein Thema" …')
    departments = [str(r["slug"]) for r in load_records(content / "data" / "departments.yml", ("slug",))]
    if department not in departments:
        raise ScaffoldError(
            f"Unbekannte Abteilung „{department}“. Bekannte Abteilungen: {', '.join(departments)}."
        )
    people = [str(r["name"]) for r in load_records(content / "data" / "authors.yml", ("name",))]
    if author not in people:
        raise ScaffoldError(
            f"Unbekannte Person „{author}“. Trage sie zuerst in content/data/authors.yml ein "
            f"oder wähle eine der Personen: {', '.join(people)}."
        )
    slug = slugify_de(title)
    if not slug:
        raise ScaffoldError("Aus dem Titel lässt sich keine Adresse bilden; bitte Buchstaben verwenden.")
    path = content / "articles" / department / f"{slug}.md"
    if path.exists():
        raise ScaffoldError(f"{path} gibt es schon. Wähle einen anderen Titel.")
    path.parent.mkdir(parents=True, exist_ok=True)
    text = TEMPLATE.format(title=title, date=now.strftime("%Y-%m-%d %H:%M"), author=author)
    path.write_text(text, encoding="utf-8")
    return path
