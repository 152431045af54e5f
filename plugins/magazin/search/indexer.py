"""Pagefind, fed page by page while Pelican writes the site.

Pagefind needs about 5 ms of CPU per article page (tokenising, stemming, writing shards),
however it gets the text. Run after the build (``pagefind --site``) that is seconds on top
of every build. Instead, ``IndexFeeder`` forks a helper process before the first page is
written; it learns the compound vocabulary from the articles (inherited through ``fork``),
starts Pagefind's indexing service (``pagefind --service``, through the ``pagefind`` Python
package) and hands it each searchable page the moment Pelican has written it (``SiteIndex``).
Helper and Pagefind work on the second core while Pelican renders the remaining pages in the
main process, which only sends file names; at the end only the bundle is written.

What Pagefind gets of a page is not the whole file but a small document: the element that
carries ``data-pagefind-body`` (header, navigation, footer, related articles never reach
the index) with German compounds replaced by index tokens (``compounds.split_html``). No
temporary copy of the site, no second HTML parser in Python.

``SiteIndex.finish`` keeps the last bundle in the build cache, keyed on every document
handed over (and the options, the Pagefind binary, this plugin's code), with a manifest of
each page's document hash: while the pages match that manifest, Pagefind is not even
started (the documents are held back); the first page that differs starts it with the held
ones. So a build whose searchable pages did not change costs no Pagefind work and copies the
cached bundle (hard links); an edit costs Pagefind's work from the first changed page on.
``index_site`` indexes an already built folder the same way (tests, tools).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import dataclasses
import hashlib
import json
import multiprocessing
import os
import re
import shutil
import threading
import time
from collections.abc import Iterable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from magazin.magazine.errors import ContentError

from .compounds import Decompounder, split_html

# Pagefind writes its default UIs next to the search library; our page uses only the JS API.
UNUSED_BUNDLE_FILES = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
)
BODY_MARKER = "data-pagefind-body"
_LANG = re.compile(r"<html\b[^>]*\blang=\"([^\"]+)\"", re.I)
_TAG_NAME = re.compile(r"<([a-zA-Z][\w-]*)")


@dataclass(frozen=True)
class IndexStats:
    """What one index run produced."""

    pages: int
    words: int
    bytes: int
    files: int
    seconds: float
    compounds: int = 0
    cached: bool = False

    def describe(self) -> str:
        """One German log line, e.g. for ``invoke build`` and ``invoke bench``."""
        origin = "aus dem Cache" if self.cached else f"{self.compounds} zerlegte Komposita"
        return (
            f"Suchindex: {self.pages} Seiten, {self.words} Wörter, {self.files} Dateien, "
            f"{self.bytes / 1024:.0f} KB, {origin}, letzter Schritt {self.seconds:.2f} s"
        )


def pagefind_executable() -> str:
    """Path of the Pagefind binary shipped by the ``pagefind-bin`` wheel."""
    from pagefind_bin import get_executable

    return str(get_executable())


def _fail(message: str, hint: str = "") -> ContentError:
    return ContentError(None, None, message, hint)


def indexed_element(html: str) -> tuple[str, str] | None:
    """``(language, element)``: the element carrying ``data-pagefind-body`` with everything
    inside it, or None when the page has none. Only tags of the element's own name are
    counted to find its end, so nothing else of the page is parsed."""
    at = html.find(BODY_MARKER)
    if at < 0:
        return None
    start = html.rfind("<", 0, at)
    name = _TAG_NAME.match(html, start)
    if start < 0 or name is None:
        return None
    tag = name.group(1)
    depth, end = 0, len(html)
    for match in re.finditer(rf"<(/?){tag}\b[^>]*>", html[start:]):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            end = start + match.end()
            break
    lang = _LANG.search(html, 0, start)
    return (lang.group(1) if lang else "de"), html[start:end]


def index_document(lang: str, element: str) -> str:
    """The small HTML document Pagefind reads for one page."""
    head = f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"></head>'
    return f"{head}<body>{element}</body></html>"


def bundle_size(bundle: Path) -> tuple[int, int]:
    """Total bytes and number of files of a written search bundle."""
    files = [p for p in bundle.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


def _service_class():
    from pagefind.service import PagefindService

    class Service(PagefindService):
        """Pagefind's service, reading its answers as they come.

        The package's own reader sleeps 100 ms before each answer (pagefind 1.5.2), which
        would cost 100 s for 1,000 pages; otherwise this is its protocol code unchanged.
        A service that ends (a broken binary) fails every waiting request instead of
        leaving it waiting forever."""

        def __init__(self) -> None:
            super().__init__()
            self._bin = Path(pagefind_executable())

        async def _wait_for_responses(self) -> None:
            stdout = self._backend.stdout
            assert stdout is not None
            try:
                while True:
                    output = await stdout.readuntil(b",")
                    response = json.loads(base64.b64decode(output[:-1]))
                    if not response:
                        continue
                    message_id = response.get("message_id")
                    future = self._responses.pop(message_id, None) if message_id is not None else None
                    if future is None or future.done():
                        continue
                    payload = response["payload"]
                    if payload.get("type") == "Error":
                        future.set_exception(RuntimeError(payload.get("message", "Pagefind-Fehler")))
                    else:
                        future.set_result(payload)
            except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError) as exc:
                self._dead = RuntimeError(f"Pagefind wurde beendet ({exc})")
                for future in self._responses.values():
                    if not future.done():
                        future.set_exception(self._dead)
                        future.add_done_callback(lambda f: f.exception())  # its sender may be gone
                self._responses.clear()

        async def send(self, payload):  # type: ignore[override]
            dead = getattr(self, "_dead", None)
            if dead is not None or self._backend.returncode is not None:
                raise dead or RuntimeError(f"Pagefind wurde beendet (Code {self._backend.returncode})")
            try:
                return await super().send(payload)
            except (BrokenPipeError, ConnectionResetError) as exc:
                raise RuntimeError(f"Pagefind wurde beendet ({exc})") from None

        async def stop(self) -> None:
            self._poll_task.cancel()
            if self._backend.returncode is None:
                self._backend.kill()
            await self._backend.wait()

    return Service


class SiteIndex:
    """One build's search index: Pagefind runs beside the build and gets page by page.

    ``add(rel_path, html)`` takes a written page (any page; those without
    ``data-pagefind-body`` are skipped), ``finish()`` writes the bundle into
    ``site/bundle_dir`` and returns ``IndexStats``; ``close()`` stops Pagefind without
    writing (a failed build). Pagefind starts with the first searchable page.
    """

    def __init__(
        self,
        site: Path,
        *,
        decompounder: Decompounder | None,
        cache_root: Path | None = None,
        bundle_dir: str = "pagefind",
        exclude_selectors: Iterable[str] = (),
        timeout: float = 300,
    ):
        self.site = Path(site)
        self.bundle = self.site / bundle_dir
        self.decompounder = decompounder
        self.cache_root = Path(cache_root) if cache_root else None
        self.exclude_selectors = list(exclude_selectors)
        self.timeout = timeout
        self.digest = hashlib.sha256(
            json.dumps(
                [
                    bundle_dir,
                    self.exclude_selectors,
                    decompounder is not None,
                    pagefind_executable(),
                    _code_fingerprint(),
                ]
            ).encode()
        )
        self.pages: list[tuple[str, Future]] = []
        self.words = 0
        self.manifest: dict[str, str] = {}
        self._previous = _previous_manifest(self.cache_root)
        self._held: list[tuple[str, str]] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._index: Any = None
        self._service: Any = None
        self._started: Future | None = None

    # --- the asyncio side, in a thread of its own -------------------------------------------

    def _run(self, coro) -> Future:
        assert self._loop is not None
        return asyncio.run_coroutine_threadsafe(coro, self._loop)

    def _start(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="suchindex", daemon=True)
        self._thread.start()
        self._started = self._run(self._launch())

    async def _launch(self) -> None:
        self._service = await _service_class()().launch()
        config: dict[str, Any] = {"exclude_selectors": self.exclude_selectors}
        self._index = await self._service.create_index(config if self.exclude_selectors else None)

    async def _add(self, rel_path: str, document: str) -> dict:
        if self._index is None:
            await asyncio.wrap_future(self._started)  # type: ignore[arg-type]
        return await self._index.add_html_file(content=document, source_path=rel_path)

    # --- the build's side ------------------------------------------------------------------

    def add(self, rel_path: str, html: str) -> bool:
        """Hand one written page to Pagefind; False when it has nothing to index."""
        found = indexed_element(html)
        if found is None:
            return False
        lang, element = found
        if self.decompounder is not None:
            element = split_html(element, self.decompounder)
        rel_path = rel_path.replace(os.sep, "/")
        document = index_document(lang, element)
        data = document.encode()
        self.manifest[rel_path] = hashlib.sha256(data).hexdigest()

        if self._loop is None and self._previous.get(rel_path) == self.manifest[rel_path]:
            self._held.append((rel_path, document))  # as in the cached bundle: maybe no work
            return True
        self._submit(rel_path, document)
        return True

    def _submit(self, rel_path: str, document: str) -> None:
        if self._loop is None:
            self._start()
            held, self._held = self._held, []
            for earlier in held:
                self._submit(*earlier)
        self.pages.append((rel_path, self._run(self._add(rel_path, document))))

    def _results(self, deadline: float) -> None:
        for rel_path, future in self.pages:
            try:
                result = future.result(timeout=max(0.1, deadline - time.monotonic()))
            except TimeoutError:
                raise _fail(
                    f"Pagefind hat den Suchindex nicht in {self.timeout:.0f} s erstellt.",
                    "Die Einstellung SEARCH_TIMEOUT erhöhen oder den Build erneut starten.",
                ) from None
            except (OSError, RuntimeError) as exc:
                raise _fail(
                    f"Pagefind konnte den Suchindex nicht erstellen ({rel_path}: {exc}).",
                    "Ist das Paket pagefind[bin] installiert (make venv)?",
                ) from None
            self.words += int(result.get("page_word_count") or 0)

    def finish(self) -> IndexStats:
        """Wait for Pagefind, write the bundle (or copy the cached one), stop Pagefind."""
        started = time.perf_counter()
        deadline = time.monotonic() + self.timeout
        # The key depends on the pages, not on the order the writers produced them in (a warm
        # build writes cached pages in another order than a cold one).
        digest = self.digest.copy()
        for rel_path in sorted(self.manifest):
            digest.update(rel_path.encode() + b"\0" + self.manifest[rel_path].encode() + b"\0")
        key = digest.hexdigest()[:24]
        entry = self.cache_root / key if self.cache_root else None
        try:
            if entry is not None and (entry / "stats.json").is_file():
                data = json.loads((entry / "stats.json").read_text(encoding="utf-8"))
                shutil.rmtree(self.bundle, ignore_errors=True)
                shutil.copytree(entry / "bundle", self.bundle, copy_function=os.link)
                return IndexStats(**{**data, "seconds": time.perf_counter() - started, "cached": True})
            if self._held:  # every page matched the manifest, yet the bundle is not cached
                held, self._held = self._held, []
                for rel_path, document in held:
                    self._submit(rel_path, document)
            self._results(deadline)
            shutil.rmtree(self.bundle, ignore_errors=True)
            try:
                self._run(self._index.write_files(output_path=str(self.bundle.resolve()))).result(
                    timeout=max(0.1, deadline - time.monotonic())
                )
            except (OSError, RuntimeError, TimeoutError) as exc:
                raise _fail(f"Pagefind konnte den Suchindex nicht schreiben ({exc}).") from None
        finally:
            self.close()
        for name in UNUSED_BUNDLE_FILES:
            (self.bundle / name).unlink(missing_ok=True)
        size, files = bundle_size(self.bundle)
        stats = IndexStats(
            pages=len(self.pages),
            words=self.words,
            bytes=size,
            files=files,
            seconds=time.perf_counter() - started,
            compounds=len(self.decompounder.compounds()) if self.decompounder else 0,
        )
        if entry is not None:
            _store(entry, self.bundle, stats, self.manifest)
        return stats

    def close(self) -> None:
        """Stop Pagefind and the thread talking to it (nothing is written)."""
        loop, self._loop = self._loop, None
        if loop is None:
            return
        if self._service is not None:
            with contextlib.suppress(Exception):  # best effort: the process may be gone already
                asyncio.run_coroutine_threadsafe(self._service.stop(), loop).result(timeout=10)
        loop.call_soon_threadsafe(loop.stop)
        if self._thread is not None:
            self._thread.join(timeout=10)
        if not loop.is_running():
            loop.close()


def _store(entry: Path, bundle: Path, stats: IndexStats, manifest: dict[str, str]) -> None:
    """Keep only this bundle in the cache (hard links: no bytes are copied)."""
    cache_root = entry.parent
    shutil.rmtree(cache_root, ignore_errors=True)
    tmp = cache_root / f"{entry.name}.tmp{os.getpid()}"
    shutil.copytree(bundle, tmp / "bundle", copy_function=os.link)
    (tmp / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    (tmp / "stats.json").write_text(json.dumps(dataclasses.asdict(stats)), encoding="utf-8")
    os.replace(tmp, entry)


def _previous_manifest(cache_root: Path | None) -> dict[str, str]:
    """Page -> document hash of the cached bundle (empty without one)."""
    if cache_root is None:
        return {}
    for path in sorted(cache_root.glob("*/manifest.json")):
        try:
            return dict(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            return {}
    return {}


class IndexFeeder:
    """The build's side of the search index: a forked helper process owns a ``SiteIndex``.

    ``IndexFeeder(site, vocabulary, **options)`` forks at once; ``vocabulary`` is a
    function returning the texts for the compound vocabulary, called in the helper.
    ``add(path)`` passes a written file's name, ``finish()`` returns ``IndexStats`` (or
    raises the helper's German ``ContentError``), ``close()`` ends the helper."""

    def __init__(
        self, site: Path, vocabulary, *, compounds: bool, compound_terms: Iterable[str] = (), **options
    ):
        self.site = Path(site)
        self.timeout = float(options.get("timeout", 300))
        self.count = 0
        context = multiprocessing.get_context("fork")
        self._conn, child = context.Pipe()
        self._process = context.Process(
            target=_feed,
            args=(child, self.site, vocabulary if compounds else None, list(compound_terms), options),
            name="suchindex",
            daemon=True,
        )
        self._process.start()
        child.close()

    def add(self, path: str) -> None:
        self._conn.send(os.path.relpath(path, self.site))
        self.count += 1

    def finish(self) -> IndexStats:
        try:
            self._conn.send(None)
            if not self._conn.poll(self.timeout + 30):
                raise _fail(f"Pagefind hat den Suchindex nicht in {self.timeout:.0f} s erstellt.")
            kind, *value = self._conn.recv()
        except (EOFError, OSError) as exc:
            raise _fail(f"Der Suchindex konnte nicht erstellt werden ({exc}).") from None
        finally:
            self.close()
        if kind == "error":
            raise _fail(*value)
        return value[0]

    def close(self) -> None:
        if self._process.is_alive():
            self._process.join(timeout=0.5)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()
        self._conn.close()


def _feed(conn, site: Path, vocabulary, compound_terms: list[str], options: dict) -> None:
    """The helper process: read each written page, hand it to Pagefind, write the bundle."""
    index = None
    try:
        decompounder = None
        if vocabulary is not None:
            decompounder = Decompounder.from_texts(vocabulary(), extra_terms=compound_terms)
        index = SiteIndex(site, decompounder=decompounder, **options)
        while True:
            rel_path = conn.recv()
            if rel_path is None:
                break
            index.add(rel_path, (site / rel_path).read_text(encoding="utf-8"))
        if not index.manifest:
            conn.send(("ok", IndexStats(0, 0, 0, 0, 0.0)))
            return
        conn.send(("ok", index.finish()))
    except ContentError as exc:
        conn.send(("error", exc.message, exc.hint))
    except Exception as exc:  # reported to the build as a German error
        conn.send(("error", f"Der Suchindex konnte nicht erstellt werden ({type(exc).__name__}: {exc})."))
    finally:
        if index is not None:
            index.close()
        conn.close()
        os._exit(0)  # no atexit handlers or buffers inherited from the build


def _code_fingerprint() -> str:
    """This plugin's own files: a change of the splitting rules invalidates cached bundles."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).resolve().parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def index_site(
    site: Path,
    *,
    bundle_dir: str = "pagefind",
    exclude_selectors: Iterable[str] = (),
    timeout: float = 300,
    compounds: bool = True,
    compound_terms: Iterable[str] = (),
    cache_root: Path | None = None,
    skip: Iterable[str] = (),
) -> IndexStats:
    """Index an already built ``site`` into ``site/bundle_dir`` (tests, tools, the live
    preview); the vocabulary for compounds comes from the indexed elements themselves.
    Folders named in ``skip`` (and hidden ones) are not read."""
    site = Path(site).resolve()
    skipped = {bundle_dir, *skip}
    pages = []
    for path in sorted(site.rglob("*.html")):
        top = path.relative_to(site).parts[0]
        if top in skipped or top.startswith("."):
            continue
        html = path.read_text(encoding="utf-8")
        found = indexed_element(html)
        if found is not None:
            pages.append((str(path.relative_to(site)), html, found[1]))
    decompounder = (
        Decompounder.from_texts((element for _, _, element in pages), extra_terms=compound_terms)
        if compounds
        else None
    )
    index = SiteIndex(
        site,
        decompounder=decompounder,
        cache_root=cache_root,
        bundle_dir=bundle_dir,
        exclude_selectors=exclude_selectors,
        timeout=timeout,
    )
    try:
        for rel_path, html, _ in pages:
            index.add(rel_path, html)
        if not index.manifest:
            raise _fail("Keine Seite mit data-pagefind-body gefunden – kein Suchindex.")
        return index.finish()
    finally:
        index.close()


def refresh_bundle(site: Path, bundle_dir: str, cache_root: Path | None = None, **options) -> IndexStats:
    """Index the pages of ``site`` into a new bundle and swap it in for ``site/bundle_dir``
    (the live preview does this in the background while the site is being served)."""
    site = Path(site)
    fresh = f".{bundle_dir}-neu-{os.getpid()}-{threading.get_ident()}"
    shutil.rmtree(site / fresh, ignore_errors=True)
    try:
        stats = index_site(site, bundle_dir=fresh, cache_root=cache_root, skip=(bundle_dir,), **options)
        old = site / f".{bundle_dir}-alt-{os.getpid()}-{threading.get_ident()}"
        if (site / bundle_dir).exists():
            os.rename(site / bundle_dir, old)
        os.rename(site / fresh, site / bundle_dir)
        shutil.rmtree(old, ignore_errors=True)
        return stats
    finally:
        shutil.rmtree(site / fresh, ignore_errors=True)
