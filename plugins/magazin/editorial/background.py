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
  refused may well break the reader first), by ``magazine.build`` through
  ``errors.settle_deferred_checks``: the author sees the checks' complete list instead of
  that first error.

Only a single-threaded build forks (``EDITORIAL_PREFLIGHT_BACKGROUND``; the live preview
switches it off), and only with more than one core.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import traceback

from magazin.magazine.errors import ContentError

from .checks import check_site


class PreflightJob:
    """``check_site(settings, full=False)`` in a forked child; ``result()`` waits for it."""

    def __init__(self, settings: dict):
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: check, report, leave without running the parent's exit code
            os.close(read)
            status = 0
            try:
                payload = (
                    "ok",
                    [(e.path, e.line, e.message, e.hint) for e in check_site(settings, full=False)],
                )
            except BaseException:  # the parent runs the checks again and raises the real error
                payload, status = ("error", traceback.format_exc(limit=8)), 1
            try:
                with os.fdopen(write, "wb") as pipe:
                    pipe.write(pickle.dumps(payload))
            finally:
                os._exit(status)
        os.close(write)
        self.settings = settings
        self.pid = pid
        self.fd: int | None = read

    def result(self) -> list[ContentError]:
        """The problems the checks found (waits for the child). A child that failed or died is
        replaced by running the checks here, so an error in them looks as it always did."""
        if self.fd is None:
            raise RuntimeError("PreflightJob.result() was already taken")
        with os.fdopen(self.fd, "rb") as pipe:
            data = pipe.read()
        self.fd = None
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)
        try:
            kind, value = pickle.loads(data)  # noqa: S301 - our own forked child wrote it
        except Exception:
            kind, value = "error", "no report"
        if kind != "ok":
            return check_site(self.settings, full=False)
        return [ContentError(path, line, message, hint) for path, line, message, hint in value]

    def cancel(self) -> None:
        """Stop the child (a build that ended for a reason that needs no report)."""
        if self.fd is None:
            return
        with contextlib.suppress(OSError):
            os.kill(self.pid, 9)
        with contextlib.suppress(OSError):
            os.waitpid(self.pid, 0)
        with contextlib.suppress(OSError):
            os.close(self.fd)
        self.fd = None
