"""Errors that authors read: German text, naming file and line, saying what to do."""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path


def relpath(path: str | os.PathLike[str] | None) -> str:
    """A path as the author knows it: relative to the working directory where possible."""
    if not path:
        return "<unbekannt>"
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if rel.startswith("..") else rel


@dataclass(frozen=True)
class ContentError(Exception):
    """One problem in one source file, e.g. an unknown author in an article."""

    path: str | None
    line: int | None
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = relpath(self.path)
        if self.line:
            where = f"{where}:{self.line}"
        text = f"{where}: {self.message}"
        return f"{text} {self.hint}".rstrip() if self.hint else text


_FROZEN_SETATTR = ContentError.__setattr__
_EXCEPTION_STATE = frozenset(
    {"__traceback__", "__cause__", "__context__", "__suppress_context__", "__notes__"}
)


def _setattr(self: ContentError, name: str, value) -> None:
    """Frozen fields, but the state Python keeps on every exception stays writable:
    ``contextlib.contextmanager`` sets ``__traceback__`` on an exception passing through it,
    which a frozen dataclass would refuse (the author would see FrozenInstanceError instead
    of the German message)."""
    if name in _EXCEPTION_STATE:
        object.__setattr__(self, name, value)
    else:
        _FROZEN_SETATTR(self, name, value)


ContentError.__setattr__ = _setattr  # type: ignore[method-assign]


class ContentErrors(Exception):
    """Several problems at once: authors fix them all in one go."""

    def __init__(self, errors: Iterable[ContentError]):
        self.errors = sorted(errors, key=lambda e: (relpath(e.path), e.line or 0, e.message))
        super().__init__("\n".join(str(e) for e in self.errors))


class BuildFailed(Exception):
    """The build (or the publishing that runs it) stopped; ``problems`` are the German messages
    for the author or the CI log. The one build-failure exception of the magazine:
    ``editorial.publish.PublishRefused`` is another name for it."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


_KEY_LINE = re.compile(r"^(?P<key>[A-Za-zÄÖÜäöüß_-]+)\s*:", re.UNICODE)


def source_lines(path: str | os.PathLike[str] | None) -> list[str] | None:
    """The lines of an author's file (None when there is no such file), for finding a line."""
    if not path:
        return None
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None


def find_metadata_line(path: str | os.PathLike[str] | None, key: str) -> int | None:
    """Line number (1-based) of metadata ``key`` in a Markdown header, or None."""
    lines = source_lines(path)
    if lines is None:
        return None
    wanted = key.lower()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            break  # the header ends at the first blank line
        match = _KEY_LINE.match(line)
        if match and match.group("key").lower() == wanted:
            return number
    return None


# --- checks that run beside the build (editorial.background.PreflightJob) -------------------
# A job has ``result()`` (its problems; waits for it) and ``cancel()``.
_DEFERRED: list = []


def defer_check(job) -> None:
    """Register a check that runs in the background until ``take_check(job)``."""
    _DEFERRED.append(job)


def pending_checks() -> tuple:
    """The background checks registered and not yet taken."""
    return tuple(_DEFERRED)


def take_check(job) -> list[ContentError]:
    """The problems of a background check (waits for it); it is no longer pending."""
    with contextlib.suppress(ValueError):
        _DEFERRED.remove(job)
    return job.result()


@contextlib.contextmanager
def deferred_checks_first() -> Iterator[None]:
    """Around a Pelican run: the problems of a background check that is still pending when
    the run ends are raised (``ContentErrors``), also in place of the run's own error — a
    source the checks refuse may well break the reader before they are taken, and the author
    should see the checks' complete German list, not that first error. A run interrupted
    (KeyboardInterrupt and the like) only stops them."""
    try:
        yield
    except Exception:
        problems = _settle()
        if problems:
            raise ContentErrors(problems) from None
        raise
    except BaseException:
        while _DEFERRED:
            _DEFERRED.pop().cancel()
        raise
    problems = _settle()
    if problems:
        raise ContentErrors(problems)


def _settle() -> list[ContentError]:
    problems: list[ContentError] = []
    while _DEFERRED:
        problems.extend(take_check(_DEFERRED[0]))
    return problems
