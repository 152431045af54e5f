"""Pelican's Markdown reader with what embed extensions need: the file name, ``article.embeds``
and German ``datei:zeile`` errors for bad embeds.

Python API for embed extensions:

- ``record_embed(md, embed)`` remembers an embed for the current document; the reader puts
  the list on the article as ``article.embeds``.
- ``EmbedError`` is what an extension raises for bad input; the reader turns it into a German
  ``datei:zeile: Meldung`` build error (all files are read first, then the build stops).
- ``source_path(md)`` / ``where(md, needle)`` name the file (and line) being converted.

Pelican offers no hook between creating its ``Markdown`` instance and converting the text,
so ``EmbedMarkdownReader.read`` wraps the inherited ``read``: the file being read is known
through a context variable while it runs, and ``self._md`` (set by Pelican) is read after it.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from markdown import Markdown
from pelican.readers import MarkdownReader

from magazin.core.errors import ContentError, ContentErrors, relpath, source_lines

_CURRENT_SOURCE: ContextVar[str | None] = ContextVar("magazin_consent_source", default=None)


class EmbedError(ValueError):
    """Bad embed syntax. ``needle`` is text of the offending line (to find its line number)."""

    def __init__(self, message: str, needle: str = "", hint: str = ""):
        super().__init__(message)
        self.message, self.needle, self.hint = message, needle, hint


def record_embed(md: Markdown, embed: Any) -> None:
    """Remember ``embed`` for the document being converted (→ ``article.embeds``)."""
    embeds = getattr(md, "magazine_embeds", None)
    if embeds is None:
        embeds = md.magazine_embeds = []
    embeds.append(embed)


def source_path(md: Markdown | None = None) -> str | None:
    """The file being converted (None outside the reader, e.g. in unit tests). ``md`` is
    accepted for the extensions' convenience; the path comes from ``reading()``."""
    return _CURRENT_SOURCE.get()


def line_of(path: str | None, needle: str) -> int | None:
    """The line (1-based) of ``path`` that ``needle`` comes from: the first line that IS the
    needle (stripped), else the first that holds it as a whole (not as the start of a longer
    address or word), else the first that contains it at all. So a wrong address under a
    correct, longer one of the same account is found on its own line."""
    lines = source_lines(path)
    if lines is None or not needle:
        return None
    needle = needle.strip()
    whole = re.compile(rf"(?<![\w/.%-]){re.escape(needle)}(?![\w/.?&=%#-])")
    for test in (lambda line: line.strip() == needle, whole.search, lambda line: needle in line):
        for number, line in enumerate(lines, start=1):
            if test(line):
                return number
    return None


def origin_of(md: Markdown | None, needle: str) -> str:
    """What to look for in the source file for ``needle``: for an address that a pasted embed
    code stands for (``editorial.embedcodes``), the code's first line."""
    codes = getattr(md, "magazine_embed_code_lines", None) or {}
    return codes.get(needle, needle)


def where(md: Markdown, needle: str) -> str:
    """``datei:zeile`` for messages about the document being converted."""
    path = source_path(md)
    line = line_of(path, origin_of(md, needle))
    return f"{relpath(path)}:{line}" if line else relpath(path)


@contextmanager
def reading(path: str):
    """Tell extensions which file is being converted (``source_path``/``where``)."""
    token = _CURRENT_SOURCE.set(path)
    try:
        yield
    finally:
        _CURRENT_SOURCE.reset(token)


class EmbedMarkdownReader(MarkdownReader):
    """Pelican's Markdown reader, telling extensions the file name and collecting EmbedErrors.

    Bad embeds do not stop reading: every file is read, then the generator raises all
    problems at once (``raise_embed_errors``).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.embed_errors: list[ContentError] = []

    def read(self, source_path):
        with reading(source_path):
            try:
                content, metadata = super().read(source_path)
            except EmbedError as exc:
                self.embed_errors.append(
                    ContentError(
                        source_path,
                        line_of(source_path, origin_of(getattr(self, "_md", None), exc.needle)),
                        exc.message,
                        exc.hint,
                    )
                )
                md = self._md
                return "", self._parse_metadata(md.Meta) if hasattr(md, "Meta") else {}
        embeds = getattr(self._md, "magazine_embeds", None)
        if embeds:
            metadata["embeds"] = list(embeds)
        return content, metadata


def install_reader(readers) -> None:
    """``readers_init``: our reader for every extension Pelican's Markdown reader handles."""
    for ext in EmbedMarkdownReader.file_extensions:
        if readers.reader_classes.get(ext) is MarkdownReader:
            readers.reader_classes[ext] = EmbedMarkdownReader


def raise_embed_errors(generator) -> None:
    """After reading: every bad embed of every file at once."""
    errors: list[ContentError] = []
    for reader in getattr(generator.readers, "readers", {}).values():
        errors.extend(getattr(reader, "embed_errors", []))
    if errors:
        raise ContentErrors(errors)
