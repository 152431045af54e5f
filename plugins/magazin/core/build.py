"""The safe build: Pelican writes into a fresh staging folder; ``output/`` is replaced only
when the build succeeded, so a failed build leaves the previous site untouched.

Used by ``tasks.py`` (build, preview, livereload, publish) and by the tests.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
import threading
import time
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import BuildFailed, ContentError, ContentErrors, deferred_checks_first
from .incremental import PreviewState
from .incremental import reset_pelican_log_filter as _reset_pelican_log_filter

logger = logging.getLogger(__name__)


@dataclass
class BuildReport:
    """What a successful build did."""

    output: Path
    seconds: float
    warnings: list[str] = field(default_factory=list)


class _Collector(logging.Handler):
    """Collects every warning and error logged during a build (Pelican's included)."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        # Pelican logs "Could not process …" with exc_info=False: the reason would be
        # lost. We are called inside its ``except`` block, so we can still attach it.
        if record.exc_info is None and record.levelno >= logging.ERROR:
            exc = sys.exc_info()[1]
            if exc is not None:
                record.magazine_reason = exc
        self.records.append(record)

    def messages(self, level: int) -> list[str]:
        out = []
        for record in self.records:
            if record.levelno < level:
                continue
            text = record.getMessage()
            reason = getattr(record, "magazine_reason", None)
            if reason is not None:
                text = f"{text}: {reason}"
            out.append(text)
        return out


def detach_plugins(settings: dict) -> None:
    """Disconnect the signal handlers of all our plugins before a build; Pelican's
    ``init_plugins`` then connects the listed ones again, in ``PLUGINS`` order.

    Pelican connects a plugin's handlers when a build lists it and never disconnects them, so in
    one process (the live preview, the tests, ``invoke bericht``) a later build with fewer
    plugins would still run the others' handlers (e.g. the videos page without the YouTube
    plugin), and a plugin whose handlers were disconnected and connected again would run after
    the others (blinker calls receivers in the order they were connected): the consent
    plugin's reader must be installed before the parallel plugin wraps the readers. Libraries
    that connect a handler around their own build (they have no ``register``) are left alone.
    """
    from pelican import signals

    for signal in vars(signals).values():
        receivers = getattr(signal, "receivers", None)
        if not isinstance(receivers, dict):
            continue
        for ref in list(receivers.values()):
            handler = ref() if isinstance(ref, weakref.ref) else ref
            module = getattr(handler, "__module__", None) or ""
            if not module.startswith("magazin."):
                continue
            package = ".".join(module.split(".")[:2])
            plugin = sys.modules.get(package)
            if plugin is not None and hasattr(plugin, "register"):
                signal.disconnect(handler)


def read_magazine_settings(settings_file: str | os.PathLike[str], overrides: dict | None = None) -> dict:
    """Pelican settings from ``settings_file`` with ``overrides`` applied, the core's settings
    checked (a misspelt ``MAGAZINE_…`` key stops the build with a German message) and their
    defaults filled in; the plugins check theirs when Pelican starts them."""
    from pelican.settings import read_settings

    from .settings import CORE, apply_defaults

    settings = read_settings(str(settings_file), override=overrides or {})
    settings["MAGAZINE_SETTINGS_FILE"] = str(Path(settings_file).resolve())
    try:
        apply_defaults(settings, CORE)
    except ContentErrors as exc:
        raise BuildFailed([str(e) for e in exc.errors]) from None
    return settings


def build(
    settings_file: str | os.PathLike[str],
    output: str | os.PathLike[str] | None = None,
    *,
    overrides: dict[str, Any] | None = None,
    strict: bool | None = None,
    preview: PreviewState | None = None,
) -> BuildReport:
    """Build the site atomically.

    ``strict`` makes any warning fatal (default: the setting ``MAGAZINE_STRICT``, which
    publishconf switches on): a warning logged at any time, also after the writers ran,
    fails the build before the staged output replaces ``output``. ``preview`` (the live
    preview keeps one for its whole life) lets a rebuild after body-only edits reuse the
    pages that cannot show the edited articles, keeps the build's objects for the fast
    render and may stop the build (``BuildInterrupted``) when ``preview.interrupt()`` says
    so (see ``core.incremental``); an interrupted build leaves ``output`` untouched.
    """
    from pelican import Pelican, signals

    started = time.perf_counter()
    overrides = dict(overrides or {})
    settings = read_magazine_settings(settings_file, overrides)
    final = Path(output or settings["OUTPUT_PATH"]).resolve()
    if strict is None:
        strict = bool(settings.get("MAGAZINE_STRICT", False))
    final.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{final.name}-build-", dir=final.parent))
    settings = read_magazine_settings(
        settings_file,
        {**overrides, "OUTPUT_PATH": str(staging), "DELETE_OUTPUT_DIRECTORY": False},
    )

    run = preview.start(settings_file, overrides, settings, final) if preview is not None else None

    collector = _Collector()
    root = logging.getLogger()
    root.addHandler(collector)
    _reset_pelican_log_filter()
    if run is not None:
        signals.all_generators_finalized.connect(run.on_generators_finalized)
        signals.get_writer.connect(run.get_writer)
        signals.content_object_init.connect(run.checkpoint)  # … and each page rendered
    try:
        try:
            detach_plugins(settings)
            with deferred_checks_first():  # the pre-flight may still run (editorial/background.py)
                Pelican(settings).run()
        except ContentErrors as exc:
            raise BuildFailed([str(e) for e in exc.errors]) from None
        except ContentError as exc:
            raise BuildFailed([str(exc)]) from None
        errors = collector.messages(logging.ERROR)
        warnings = [m for m in collector.messages(logging.WARNING) if m not in errors]
        if errors or (strict and warnings):
            raise BuildFailed(errors + (warnings if strict else []))
        if run is None:
            _swap(staging, final)
        else:
            with preview.lock:  # a fast render (another thread) writes into ``final`` too
                run.checkpoint(last=True)  # … and may have made this build's pages stale
                _swap(staging, final)
                run.commit(warnings)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        root.removeHandler(collector)
        if run is not None:
            signals.all_generators_finalized.disconnect(run.on_generators_finalized)
            signals.get_writer.disconnect(run.get_writer)
            signals.content_object_init.disconnect(run.checkpoint)
    return BuildReport(output=final, seconds=time.perf_counter() - started, warnings=warnings)


def _swap(staging: Path, final: Path) -> None:
    """Replace ``final`` by ``staging`` with two renames (same file system)."""
    os.chmod(staging, 0o755)  # noqa: S103 - mkdtemp creates 0700; a web server must read the site
    old = None
    if final.exists():
        old = final.with_name(f".{final.name}-old-{os.getpid()}-{time.monotonic_ns()}")
        final.rename(old)
    staging.rename(final)
    if old is not None:
        # Deleting a whole site costs seconds (one rmdir per page folder): do it beside the
        # next steps (the live preview reloads at once); the process still waits for it at exit.
        threading.Thread(
            target=shutil.rmtree,
            args=(old,),
            kwargs={"ignore_errors": True},
            name="magazine-remove-old-output",
        ).start()
