"""The live preview's loop: build, serve, rebuild on every saved change, reload the pages.

``python -m magazin.preview.run`` (what ``invoke livereload`` / ``make serve`` start; the
tests and ``invoke bench`` start it on a free port with other content). Rebuilds use one
``magazine.preview.PreviewState`` for the process's life, so a body-only edit re-renders
only the pages that can show it. Changes are seen through ``watchfiles`` (inotify) within
50 ms of the save.

The search index is refreshed *after* the browser has reloaded: each build keeps the
previous Pagefind bundle (hard links), then a background thread indexes the new pages and
swaps the bundle in (``SEARCH_BUILD_INDEX = False`` for the preview's builds; the published
build always indexes inside the build).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _log(text: str) -> None:
    print(text, flush=True)


class Preview:
    """Builds ``settings`` into ``output`` and serves it; ``rebuild()`` after each change."""

    def __init__(self, settings: Path, output: Path, overrides: dict, host: str, port: int):
        from magazin.magazine.preview import PreviewState

        from .server import PreviewServer

        self.settings = settings
        self.output = output
        self.overrides = {**overrides, "SEARCH_BUILD_INDEX": False}
        self.state = PreviewState()
        self.server = PreviewServer(output, host, port)
        self._search_lock = threading.Lock()
        self._search_wanted = 0

    def build(self) -> bool:
        from magazin.magazine.build import BuildFailed, build

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
        except BuildFailed as exc:
            _log("Der Build ist fehlgeschlagen – die Vorschau zeigt weiter den letzten Stand:")
            for problem in exc.problems:
                _log(f"  ✗ {problem}")
            return False
        finally:
            if kept is not None:
                if not (self.output / bundle).exists():
                    os.rename(kept, self.output / bundle)
                shutil.rmtree(kept, ignore_errors=True)
        for warning in report.warnings:
            _log(f"  ! {warning}")
        _log(f"Fertig in {time.perf_counter() - started:.2f} s.")
        return True

    def _bundle_dir(self) -> str | None:
        from magazin.magazine.build import read_magazine_settings

        settings = read_magazine_settings(self.settings, self.overrides)
        if not settings.get("SEARCH_ENABLED", True):
            return None
        return settings.get("SEARCH_BUNDLE_DIR", "pagefind")

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
        from magazin.magazine.build import read_magazine_settings

        return read_magazine_settings(self.settings, self.overrides)["CACHE_PATH"]

    def serve_forever(self, watched: list[Path]) -> None:
        from watchfiles import watch

        if not self.build() and not self.output.exists():
            self.output.mkdir(parents=True)
        self.server.start()
        self.refresh_search()
        _log(f"Vorschau: {self.server.url} – Änderungen erscheinen nach dem Speichern. (Strg+C beendet)")
        for changes in watch(*[p for p in watched if p.exists()], debounce=400, step=30):
            names = sorted(os.path.relpath(p) for _, p in changes)
            _log("Geändert: " + ", ".join(names[:5]) + (" …" if len(names) > 5 else ""))
            if self.build():
                self.server.reload()
                self.refresh_search()


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
        preview.server.stop()
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "plugins"))
    raise SystemExit(main())
