"""German dates through Babel (never the system locale: a fresh machine has no de_DE)."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from babel.dates import format_date

LOCALE = "de_DE"


def date_de(value: dt.date | dt.datetime, fmt: str = "long") -> str:
    """Format a date the German way: ``long`` → "27. November 2026", ``medium`` → "27.11.2026"."""
    if isinstance(value, dt.datetime):
        value = value.date()
    return _format(value, fmt)


@lru_cache(maxsize=8192)
def _format(value: dt.date, fmt: str) -> str:
    # Babel is slow (~40 µs a call) and a build formats the same few hundred dates ~10,000 times
    return format_date(value, format=fmt, locale=LOCALE)


def month_de(value: dt.date | dt.datetime) -> str:
    """Month and year, e.g. "November 2026" (archive headings)."""
    return format_date(value, format="LLLL yyyy", locale=LOCALE)


def iso_date(value: dt.date | dt.datetime) -> str:
    """ISO 8601 for ``<time datetime>`` and JSON-LD."""
    return value.isoformat()
