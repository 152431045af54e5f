"""The intranet's news items and how other plugins contribute to them.

Contract for other plugins (e.g. videos): before output is written (in ``generate_context`` or
on a ``*_generator_finalized`` signal) append items to the shared context list
``context.setdefault("INTRANET_ITEMS", [])`` — either ``IntranetItem`` objects or dicts with
the same keys:

- ``kind``: ``"video"`` (or ``"artikel"``, ``"beitrag"``)
- ``title``: plain text
- ``url``: absolute (``https://…``) or site-relative (``videos/montage/``)
- ``date``: timezone-aware ``datetime``
- ``summary``: plain text (optional)
- ``author``: plain text (optional)
- ``image``: site-relative path of a local image that is published under that same path,
  e.g. ``media/posts/bilder/x-1.png`` (a static file, looked up in the content folder) or
  ``videos/poster/abc123-960.jpg`` (written by an earlier generator, looked up in the output);
  optional; becomes the RSS enclosure (``SITEURL/<image>``) and the fragment thumbnail

The YouTube plugin contributes one ``video`` item per video (``plugins/magazin/youtube/generator.py``).

As a fallback the plugin also reads ``context["VIDEOS"]`` (objects or dicts with ``title``,
``url``, ``date`` and optionally ``summary``/``description`` and ``poster``/``image``) when no
item of kind ``video`` was contributed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

KIND_LABELS = {"artikel": "Artikel", "video": "Video", "beitrag": "Beitrag"}


@dataclass(frozen=True)
class IntranetItem:
    """One entry of the intranet feed and fragment."""

    kind: str
    title: str
    url: str
    date: dt.datetime
    summary: str = ""
    author: str = ""
    image: str | None = None

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind.capitalize())


def _get(obj: Any, *names: str, default: Any = None) -> Any:
    for name in names:
        value = obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)
        if value not in (None, ""):
            return value
    return default


def coerce(obj: Any, kind: str | None = None) -> IntranetItem | None:
    """An ``IntranetItem`` from an item or a dict/object of another plugin; None if unusable."""
    if isinstance(obj, IntranetItem):
        return obj
    title = _get(obj, "title")
    url = _get(obj, "url", "page_url", "watch_url")
    date = _get(obj, "date", "published")
    if not title or not url or not isinstance(date, dt.datetime):
        return None
    image = _get(obj, "image", "poster", "poster_path")
    return IntranetItem(
        kind=str(_get(obj, "kind", default=kind or "video")),
        title=str(title),
        url=str(url),
        date=date,
        summary=str(_get(obj, "summary", "summary_text", "description", default="")),
        author=str(_get(obj, "author", default="")),
        image=str(image).lstrip("/") if image else None,
    )
