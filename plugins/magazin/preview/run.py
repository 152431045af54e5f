"""The live preview's loop: build, serve, rebuild on every saved change, reload the pages.

``python -m magazin.preview.run`` (what ``invoke livereload`` / ``make serve`` start; the
tests and ``invoke bench`` start it on a free port with other content). Changes are seen
through ``watchfiles`` (inotify) within 50 ms of the save, in a thread of its own that also
runs the fast render, so a save is shown at once even while the main thread builds.

One ``core.incremental.PreviewState`` lives as long as the process. On each save:

1. the fast render (``core.fastrender``): when only article bodies changed, their own
   pages are written from the kept last build in a fraction of a second and those pages
   reload at once;
2. the full build (after a fast render, once no further save came for ``QUIET_AFTER_FAST``
   seconds), in which a body-only edit re-renders only the pages that can show it;
   afterwards the pages whose bytes changed reload (all pages after any other change). A
   page the fast render already showed does not reload again when its bytes stayed the same.
   When the author saves again while it runs, the build stops between two files (the
   served site stays as it is; a build that started before a fast render never replaces
   the site, ``PreviewState.lock``/``generation``) and starts over.

The search index is refreshed *after* the browser has reloaded: each build keeps the
previous Pagefind bundle (hard links), then a background thread indexes the new pages and
swaps the bundle in (``SEARCH_BUILD_INDEX = False`` for the preview's builds; the published
build always indexes inside the build).
"""

from __future__ import annotations

import argparse
import os
import queue
import shutil
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
# After a fast render the full build waits this long for the author's next save: saves in
# quick succession are each shown by the fast render instead of stopping a build each time.
QUIET_AFTER_FAST = 1.0


def _log(text: str) -> None:
    print(text, flush=True)


class Preview:
    """Builds ``settings`` into ``output`` and serves it; ``rebuild()`` after each change."""

    def __init__(self, settings: Path, output: Path, overrides: dict, host: str, port: int):
        from magazin.core.incremental import PreviewState

        from .server import PreviewServer

        self.settings = settings
        self.output = output
        # No forked page writers (parallel/writing.py), brochure renderer or pre-flight in the preview: it has
        # threads (server, file watcher, fast render) that may hold a lock at the moment of a
        # fork, and the author sees the fast render before the full build anyway.
        self.overrides = {
            **overrides,
            "SEARCH_BUILD_INDEX": False,
            "PARALLEL_WRITE": False,
            "BROCHURE_BACKGROUND": False,
            "EDITORIAL_PREFLIGHT_BACKGROUND": False,
        }
        self.state = PreviewState()
        self.server = PreviewServer(output, host, port)
        self._search_lock = threading.Lock()
        self._search_wanted = 0
        self._changes: queue.Queue = queue.Queue()
        self._stop = threading.Event()
        self.state.interrupt = lambda: not self._changes.empty()
        self._editor_endpoint()

    def _editor_endpoint(self) -> None:
        """The editor's preview pane: the draft rendered and checked (magazin.editor.preview)."""
        from magazin.core.build import read_magazine_settings
        from magazin.editor.preview import ENDPOINT, PERSON_ENDPOINT, answer, person

        def draft(payload: object) -> object:
            with self.state.lock:
                kept = self.state.kept
                settings = kept.settings if kept else read_magazine_settings(self.settings, self.overrides)
                return answer(settings, kept, payload)

        self.server.posts[ENDPOINT] = draft
        self.server.posts[PERSON_ENDPOINT] = lambda payload: person(
            read_magazine_settings(self.settings, self.overrides), payload
        )

    def fast(self) -> bool:
        """The fast render of body-only edits; True when pages were written (and reloaded)."""
        from magazin.core.fastrender import fast_render

        result = fast_render(self.state)
        if not result.done:
            _log(f"  Vollständiger Build (keine Schnellvorschau: {result.reason}).")
            return False
        self.server.reload(result.pages)
        pages = ", ".join(result.pages[:3]) + (" …" if len(result.pages) > 3 else "")
        _log(f"Schnellvorschau in {result.seconds:.2f} s: {pages} – der vollständige Build folgt.")
        return True

    def build(self) -> bool | None:
        """The full build; None when a new save interrupted it."""
        from magazin.core.build import BuildFailed, build
        from magazin.core.incremental import BuildInterrupted

        bundle = self._bundle_dir()
        keep = self.output / bundle if bundle else None
        kept = None
        if keep is not None and keep.is_dir():  # the current bundle, for the new output
            kept = self.output.parent / f".{self.output.name}-suche-{os.getpid()}"
            shutil.rmtree(kept, ignore_errors=True)
            try:
                shutil.copytree(keep, kept, copy_function=os.link)
            except (OSError, shutil.Error):  # being replaced by the background index right now
                shutil.rmtree(kept, ignore_errors=True)
                kept = None
        started = time.perf_counter()
        try:
            report = build(self.settings, self.output, overrides=self.overrides, preview=self.state)
        except BuildInterrupted:
            _log("  Build abgebrochen: neue Änderung.")
            return None
        except BuildFailed as exc:
            _log("Der Build ist fehlgeschlagen – die Vorschau zeigt weiter den letzten Stand:")
            for problem in exc.problems:
                _log(f"  ✗ {problem}")
            self.server.report_problems(exc.problems)  # shown on every open page
            return False
        finally:
            if kept is not None:
                if not (self.output / bundle).exists():
                    os.rename(kept, self.output / bundle)
                shutil.rmtree(kept, ignore_errors=True)
        for warning in report.warnings:
            _log(f"  ! {warning}")
        _log(f"Fertig in {time.perf_counter() - started:.2f} s.")
        self.server.report_problems([])
        return True

    def _bundle_dir(self) -> str | None:
        from magazin.core.build import read_magazine_settings
        from magazin.core.settings import setting
        from magazin.search.search import DEFAULTS as SEARCH

        settings = read_magazine_settings(self.settings, self.overrides)
        if not setting(settings, "SEARCH_ENABLED", SEARCH):
            return None
        return setting(settings, "SEARCH_BUNDLE_DIR", SEARCH)

    def refresh_search(self) -> None:
        """Index the served site in the background; the newest request wins."""
        bundle = self._bundle_dir()
        if bundle is None:
            return
        self._search_wanted += 1
        wanted = self._search_wanted
        worker = threading.Thread(target=self._search, args=(wanted, bundle), daemon=True)
        worker.start()

    def _search(self, wanted: int, bundle: str) -> None:
        from magazin.search.indexer import refresh_bundle

        with self._search_lock:
            if wanted != self._search_wanted:
                return  # a newer build asked already
            try:
                refresh_bundle(self.output, bundle, Path(self._cache_path()) / "pagefind")
            except Exception as exc:  # the preview goes on; the next save retries
                _log(f"  ! Suchindex der Vorschau nicht aktualisiert: {exc}")

    def _cache_path(self) -> str:
        from magazin.core.build import read_magazine_settings

        return read_magazine_settings(self.settings, self.overrides)["CACHE_PATH"]

    def serve_forever(self, watched: list[Path]) -> None:
        if not self.build() and not self.output.exists():
            self.output.mkdir(parents=True)
        self.server.start()
        self.refresh_search()
        threading.Thread(target=self._watch, args=(watched,), name="vorschau-dateien", daemon=True).start()
        _log(f"Vorschau: {self.server.url} – Änderungen erscheinen nach dem Speichern. (Strg+C beendet)")
        pending = False  # a full build is due
        quiet: float | None = None  # how long to wait for another save before it starts
        while True:
            news = self._next(quiet if pending else None)
            if news is not None:
                quiet = QUIET_AFTER_FAST if news else 0.0
                pending = True
                continue
            if not pending:
                continue
            outcome = self.build()
            if outcome is None:
                quiet = 0.0
                continue  # interrupted: the new change is waiting in the queue
            pending = False
            if outcome:
                self.server.reload(self.state.changed_pages)
                self.refresh_search()

    def _watch(self, watched: list[Path]) -> None:
        """The file-watching thread: each save is shown by the fast render at once (also
        while the main thread builds), then handed to the main thread for the full build."""
        from watchfiles import watch

        paths = [p for p in watched if p.exists()]
        for changes in watch(*paths, debounce=400, step=30, stop_event=self._stop):
            names = sorted(os.path.relpath(p) for _, p in changes)
            _log("Geändert: " + ", ".join(names[:5]) + (" …" if len(names) > 5 else ""))
            try:
                done = self.fast()
            except Exception as exc:  # never stop watching
                _log(f"  ! Schnellvorschau fehlgeschlagen: {exc}")
                done = False
            self._changes.put(done)

    def _next(self, timeout: float | None) -> bool | None:
        """Whether every save since the last call was shown by the fast render; None when
        nothing came within ``timeout`` seconds (``None``: half a second, then ask again)."""
        wait = 0.5 if timeout is None else timeout
        try:
            done = self._changes.get(timeout=wait) if wait > 0 else self._changes.get_nowait()
        except queue.Empty:
            return None
        while True:
            try:
                done = self._changes.get_nowait() and done
            except queue.Empty:
                return done

    def stop(self) -> None:
        self._stop.set()
        self.server.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Live-Vorschau des Magazins")
    parser.add_argument("--settings", default=str(ROOT / "pelicanconf.py"))
    parser.add_argument("--content", help="anderer Inhaltsordner (Tests, Benchmark)")
    parser.add_argument("--output", default=str(ROOT / "output"))
    parser.add_argument("--cache", help="anderer Cache-Ordner")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    os.chdir(ROOT)
    overrides: dict = {}
    if args.content:
        overrides["PATH"] = str(Path(args.content).resolve())
    if args.cache:
        overrides["CACHE_PATH"] = str(Path(args.cache).resolve())
    settings = Path(args.settings).resolve()
    content = Path(args.content).resolve() if args.content else ROOT / "content"
    watched = [content, ROOT / "theme", ROOT / "plugins", settings]
    preview = Preview(settings, Path(args.output).resolve(), overrides, args.host, args.port)
    try:
        preview.serve_forever(watched)
    except KeyboardInterrupt:
        pass
    finally:
        preview.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
