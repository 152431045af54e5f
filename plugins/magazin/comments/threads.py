"""Thread ids of the articles' discussions (``data-isso-id``): they belong to the article, not its
address: ``Kommentar-ID`` from the metadata, else ``/<department>/<file name without .md>`` from
the source path, so a new title or ``Slug`` keeps the discussion. Two articles with the same id
stop the build; ``Kommentare: aus`` switches an article's section off."""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from magazin.core.errors import ContentError, ContentErrors, find_metadata_line
from magazin.core.settings import setting

from .assets import DEFAULTS

SWITCH_KEY = "kommentare"  # metadata "Kommentare: aus"
ID_KEY = "kommentar-id"  # metadata "Kommentar-ID: /technik/alter-name"
OFF, ON = {"aus", "nein", "off", "false"}, {"an", "ein", "ja", "on", "true"}
THREAD_ID = re.compile(r"^/[a-z0-9][a-z0-9._/-]*$")


@dataclass(frozen=True)
class Thread:
    """What the template needs for one article's discussion."""

    id: str  # data-isso-id
    title: str  # data-title: Isso names a new thread with it (it never fetches the page)


@functools.lru_cache(maxsize=64)
def _resolved(folder: str, cwd: str) -> Path:
    """The content folder, resolved once per working directory (asked for every article)."""
    return Path(os.path.realpath(os.path.join(cwd, folder)))


def thread_id_for_source(source_path: str | Path, settings: dict) -> str:
    """The default thread id of the article file ``source_path``: ``/<department>/<stem>``.

    For the WordPress import, which knows where it writes each article before Pelican reads it.
    """
    path = Path(os.path.realpath(source_path))
    content = _resolved(str(settings.get("PATH", "content")), os.getcwd())
    try:
        rel = PurePosixPath(path.relative_to(content).as_posix())
    except ValueError:
        rel = PurePosixPath(path.name)
    for articles in settings.get("ARTICLE_PATHS", []) or []:
        prefix = PurePosixPath(str(articles).strip("/"))
        if prefix.parts and rel.parts[: len(prefix.parts)] == prefix.parts:
            rel = PurePosixPath(*rel.parts[len(prefix.parts) :])
            break
    return "/" + rel.with_suffix("").as_posix().lower()


def thread_for(article: Any, settings: dict) -> Thread | None:
    """The article's thread, ``None`` if ``Kommentare: aus``. Raises ``ContentError``."""
    meta = getattr(article, "metadata", {}) or {}
    switch = str(meta.get(SWITCH_KEY, "an")).strip().lower()
    source = getattr(article, "source_path", None)
    if switch not in OFF | ON:
        raise ContentError(
            source,
            find_metadata_line(source, "Kommentare"),
            f"„Kommentare: {meta.get(SWITCH_KEY)}“ ist unbekannt.",
            "Erlaubt sind „aus“ (keine Kommentare) oder „an“.",
        )
    if switch in OFF:
        return None
    explicit = str(meta.get(ID_KEY, "")).strip()
    thread_id = explicit or thread_id_for_source(source or article.slug, settings)
    if not THREAD_ID.match(thread_id) or len(thread_id) > 200:
        raise ContentError(
            source,
            find_metadata_line(source, "Kommentar-ID") if explicit else None,
            f"Kommentar-ID „{thread_id}“ ist ungültig.",
            "Sie beginnt mit „/“ und enthält nur Kleinbuchstaben, Ziffern, „-“, „_“, „.“ und „/“.",
        )
    return Thread(id=thread_id, title=str(article.title))


def attach_threads(generator) -> None:
    """``article.comments`` on every article (and its translations); errors all at once."""
    settings = generator.settings
    if not setting(settings, "COMMENTS_ENABLED", DEFAULTS):
        return
    errors: list[ContentError] = []
    seen: dict[str, Any] = {}
    articles = [*generator.articles, *generator.translations, *getattr(generator, "drafts", [])]
    for article in articles:
        try:
            thread = thread_for(article, settings)
        except ContentError as exc:
            errors.append(exc)
            continue
        article.comments = thread
        if thread is None or article in generator.translations:
            continue
        other = seen.setdefault(thread.id, article)
        if other is not article:
            errors.append(
                ContentError(
                    article.source_path,
                    find_metadata_line(article.source_path, "Kommentar-ID"),
                    f"Kommentar-ID „{thread.id}“ hat schon {other.source_path}.",
                    "Jeder Artikel braucht eine eigene Kommentar-ID.",
                )
            )
    if errors:
        raise ContentErrors(errors)
