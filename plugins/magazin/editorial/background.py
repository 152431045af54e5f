"""The pre-flight beside the Markdown pool instead of before it.

The source checks (``checks.check_site``) take ≈ 1–1.5 s at 1,000 articles, on one core,
and until now nothing else could happen meanwhile: Pelican reads no file before they pass.
``PreflightJob`` runs them in a forked process from ``initialized`` on, while the main
process goes on to read (and the parallel plugin's pool to render) the sources. The result
is collected

- after the articles are read (``article_generator_pretaxonomy``, before anything uses
  them; ``plugin.collect_preflight``): problems stop the build there, with the same German
  ``file:line`` messages as before;
- or, when the build stops earlier with an error of its own (a source the checks would have
  refused may well break the reader first), by ``core.build`` through
  ``errors.settle_deferred_checks``: the author sees the checks' complete list instead of
  that first error.

Only a single-threaded build forks (``EDITORIAL_PREFLIGHT_BACKGROUND``; the live preview
switches it off), and only with more than one core.
"""

from __future__ import annotations

from magazin.core.errors import ContentError
from magazin.core.processes import ChildFailed, ForkedCall

from .checks import check_site


def _check(settings: dict) -> list[tuple]:
    """In the child: the checks' problems as plain tuples (they cross a pipe)."""
    return [(e.path, e.line, e.message, e.hint) for e in check_site(settings, full=False)]


class PreflightJob:
    """``check_site(settings, full=False)`` in a forked child; ``result()`` waits for it."""

    def __init__(self, settings: dict):
        self.settings = settings
        self.call = ForkedCall(_check, settings)

    def result(self) -> list[ContentError]:
        """The problems the checks found (waits for the child). A child that failed or died is
        replaced by running the checks here, so an error in them looks as it always did."""
        try:
            found = self.call.result()
        except ChildFailed:
            return check_site(self.settings, full=False)
        return [ContentError(path, line, message, hint) for path, line, message, hint in found]

    def cancel(self) -> None:
        """Stop the child (a build that ended for a reason that needs no report)."""
        self.call.cancel()
