"""Pagefind over small documents collected while Pelican writes the site.

``IndexFeeder`` forks a helper process before the first page is written; it learns the
compound vocabulary from the articles (inherited through ``fork``) and, for each searchable
page the moment Pelican has written it, keeps a small document in a work folder beside the
site (``SiteIndex``): only the element that carries ``data-pagefind-body`` (header,
navigation, footer, related articles never reach the index), with German compounds replaced
by index tokens (``compounds.split_html``). No second HTML parser in Python.

When every searchable page is written (``IndexFeeder.ready`` from each writing process, or
``start``), ``pagefind --site <documents>`` starts in the background while the build writes
the rest (listings, feeds, brochure, images …). The command line uses every core; the
indexing service of the ``pagefind`` Python package (used before) handles one document after
the other and needed ≈ 50 % more CPU for the same documents. A searchable page written after
the start makes ``finish`` run Pagefind again, so nothing is ever left out.

``SiteIndex.finish`` keeps the last bundle in the build cache, keyed on every document (and
the options, the Pagefind binary, this plugin's code) independent of their order, with a
manifest of each page's document hash: a build whose searchable pages did not change does
not run Pagefind at all and hard-links the cached bundle. ``index_site`` indexes an already
built folder the same way (tests, tools, the live preview).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import re
import resource
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from magazin.core.errors import ContentError
from magazin.core.processes import fork_context

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
    documents_cpu: float = 0.0  # CPU seconds for the documents (indexed element, compounds)
    pagefind_cpu: float = 0.0  # CPU seconds of the Pagefind runs

    def describe(self) -> str:
        """One German log line, e.g. for ``invoke build`` and ``invoke bench``."""
        origin = "aus dem Cache" if self.cached else f"{self.compounds} zerlegte Komposita"
        return (
            f"Suchindex: {self.pages} Seiten, {self.words} verschiedene Wörter, {self.files} Dateien, "
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


class SiteIndex:
    """One build's search index: the documents are collected while the pages are written,
    Pagefind indexes them in one run of its command line (both cores).

    ``add(rel_path, html)`` takes a written page (any page; those without
    ``data-pagefind-body`` are skipped) and writes its small index document into a work
    folder beside the site. ``start()`` lets Pagefind begin with the documents so far (the
    build calls it once every searchable page is written; a document added later makes
    ``finish`` run Pagefind again). ``finish()`` puts the bundle into ``site/bundle_dir``
    (from the build cache when the documents match it) and returns ``IndexStats``;
    ``close()`` stops Pagefind and removes the work folder (also after a failed build).
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
        self.manifest: dict[str, str] = {}
        self.words = 0
        self._work: Path | None = None
        self._run: _PagefindRun | None = None
        self._cpu = 0.0  # process time spent in add()
        self._children = _children_cpu()

    def _folder(self) -> Path:
        if self._work is None:
            self.site.parent.mkdir(parents=True, exist_ok=True)
            self._work = Path(tempfile.mkdtemp(prefix=f".{self.site.name}-suchindex-", dir=self.site.parent))
            (self._work / "docs").mkdir()
            config = {"exclude_selectors": self.exclude_selectors} if self.exclude_selectors else {}
            (self._work / "pagefind.json").write_text(json.dumps(config), encoding="utf-8")
        return self._work

    def add(self, rel_path: str, html: str) -> bool:
        """Keep one written page's index document; False when it has nothing to index."""
        started = time.process_time()
        try:
            return self._add(rel_path, html)
        finally:
            self._cpu += time.process_time() - started

    def _add(self, rel_path: str, html: str) -> bool:
        found = indexed_element(html)
        if found is None:
            return False
        lang, element = found
        if self.decompounder is not None:
            element = split_html(element, self.decompounder)
        rel_path = rel_path.replace(os.sep, "/")
        data = index_document(lang, element).encode()
        self.manifest[rel_path] = hashlib.sha256(data).hexdigest()
        target = self._folder() / "docs" / rel_path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        return True

    def key(self) -> str:
        """The cache key of the documents so far (independent of the order they came in)."""
        digest = self.digest.copy()
        for rel_path in sorted(self.manifest):
            digest.update(rel_path.encode() + b"\0" + self.manifest[rel_path].encode() + b"\0")
        return digest.hexdigest()[:24]

    def _cached(self, key: str) -> Path | None:
        entry = self.cache_root / key if self.cache_root else None
        return entry if entry is not None and (entry / "stats.json").is_file() else None

    def start(self) -> None:
        """Let Pagefind index the documents so far, unless the cache has their bundle."""
        key = self.key() if self.manifest else None
        if key is None or self._cached(key) is not None:
            return
        if self._run is not None and self._run.key == key:
            return
        if self._run is not None:
            self._run.stop()
        self._run = _PagefindRun(self._folder(), key)

    def finish(self) -> IndexStats:
        """Wait for Pagefind (or take the cached bundle), put the bundle into the site."""
        started = time.perf_counter()
        key = self.key()
        try:
            entry = self._cached(key)
            if entry is not None:
                data = json.loads((entry / "stats.json").read_text(encoding="utf-8"))
                shutil.rmtree(self.bundle, ignore_errors=True)
                shutil.copytree(entry / "bundle", self.bundle, copy_function=os.link)
                return IndexStats(**{**data, "seconds": time.perf_counter() - started, "cached": True})
            self.start()  # no-op when Pagefind already runs on exactly these documents
            assert self._run is not None
            pages, words = self._run.wait(self.timeout)
            if pages != len(self.manifest):
                raise _fail(
                    f"Pagefind hat {pages} von {len(self.manifest)} Seiten indexiert.",
                    "Den Build erneut starten; bleibt es so, die Ausgabe von Pagefind prüfen.",
                )
            shutil.rmtree(self.bundle, ignore_errors=True)
            os.rename(self._run.output, self.bundle)
        finally:
            self.close()
        for name in UNUSED_BUNDLE_FILES:
            (self.bundle / name).unlink(missing_ok=True)
        size, files = bundle_size(self.bundle)
        stats = IndexStats(
            pages=len(self.manifest),
            words=words,
            bytes=size,
            files=files,
            seconds=time.perf_counter() - started,
            compounds=len(self.decompounder.compounds()) if self.decompounder else 0,
            documents_cpu=round(self._cpu, 3),
            pagefind_cpu=round(_children_cpu() - self._children, 3),
        )
        if self.cache_root is not None:
            _store(self.cache_root / key, self.bundle, stats, self.manifest)
        return stats

    def close(self) -> None:
        """Stop Pagefind and remove the work folder (nothing is written into the site)."""
        if self._run is not None:
            self._run.stop()
            self._run = None
        if self._work is not None:
            shutil.rmtree(self._work, ignore_errors=True)
            self._work = None


def _children_cpu() -> float:
    """CPU seconds of this process's finished child processes (the Pagefind runs)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _die_with_parent() -> None:
    """In Pagefind's process before it starts (Linux): end it when the helper that started it
    is killed (a failed build kills the helper), instead of indexing on for nobody."""
    import ctypes
    import signal

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


class _PagefindRun:
    """One run of ``pagefind --site docs`` in the background (it uses every core)."""

    _COUNT = re.compile(r"Indexed (\d+) (page|word)s?\b")

    def __init__(self, work: Path, key: str):
        self.key = key
        self.output = work / f"bundle-{key}"
        shutil.rmtree(self.output, ignore_errors=True)
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in wait() or stop()
        cmd = [pagefind_executable(), "--site", str(work / "docs"), "--output-path", str(self.output)]
        try:
            # pagefind.json in ``work`` (its working folder) carries the exclude selectors
            self._process = subprocess.Popen(
                cmd, cwd=work, stdout=self._log, stderr=subprocess.STDOUT, preexec_fn=_die_with_parent
            )
        except OSError as exc:
            raise _fail(
                f"Pagefind konnte nicht gestartet werden ({exc}).",
                "Ist das Paket pagefind-bin installiert (make venv)?",
            ) from None

    def wait(self, timeout: float) -> tuple[int, int]:
        """Pages and distinct words Pagefind indexed; a German error when it failed."""
        try:
            code = self._process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.stop()
            raise _fail(
                f"Pagefind hat den Suchindex nicht in {timeout:.0f} s erstellt.",
                "Die Einstellung SEARCH_TIMEOUT erhöhen oder den Build erneut starten.",
            ) from None
        self._log.seek(0)
        output = self._log.read().decode("utf-8", "replace")
        self._log.close()
        if code != 0 or not (self.output / "pagefind.js").is_file():
            tail = " ".join(output.strip().splitlines()[-3:])
            raise _fail(
                f"Pagefind konnte den Suchindex nicht erstellen (Code {code}: {tail}).",
                "Ist das Paket pagefind-bin installiert (make venv)?",
            )
        counts = {kind: int(number) for number, kind in self._COUNT.findall(output)}
        return counts.get("page", 0), counts.get("word", 0)

    def stop(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        with contextlib.suppress(Exception):
            self._log.close()


def _store(entry: Path, bundle: Path, stats: IndexStats, manifest: dict[str, str]) -> None:
    """Keep only this bundle in the cache (hard links: no bytes are copied)."""
    cache_root = entry.parent
    shutil.rmtree(cache_root, ignore_errors=True)
    tmp = cache_root / f"{entry.name}.tmp{os.getpid()}"
    shutil.copytree(bundle, tmp / "bundle", copy_function=os.link)
    (tmp / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    (tmp / "stats.json").write_text(json.dumps(dataclasses.asdict(stats)), encoding="utf-8")
    os.replace(tmp, entry)


START = "\0start"  # the feeder's message for SiteIndex.start (never a file name)
READY = "\0ready:"  # … "this writing process has written its searchable pages": READY + "1/2"


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
        context = fork_context()
        self._conn, child = context.Pipe()
        # Pages may be announced by several writing processes (parallel/writing.py), all
        # forked from this one: one message at a time on the shared pipe.
        self._lock = context.Lock()
        self._process = context.Process(
            target=_feed,
            args=(child, self.site, vocabulary if compounds else None, list(compound_terms), options),
            name="suchindex",
            daemon=True,
        )
        self._process.start()
        child.close()

    def add(self, path: str) -> None:
        """A written page (in whichever process wrote it)."""
        with self._lock:
            self._conn.send(os.path.relpath(path, self.site))

    def start(self) -> None:
        """Every searchable page is written: Pagefind may begin (``SiteIndex.start``)."""
        with self._lock:
            self._conn.send(START)

    def ready(self, shard: int, processes: int) -> None:
        """One of ``processes`` writing processes has written its searchable pages (in
        whichever process it is called); when all have, Pagefind begins."""
        with self._lock:
            self._conn.send(f"{READY}{shard}/{processes}")

    def finish(self) -> IndexStats:
        try:
            with self._lock:
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
            # the helper had no chance to remove its work folder (SiteIndex.close)
            for leftover in self.site.parent.glob(f".{self.site.name}-suchindex-*"):
                shutil.rmtree(leftover, ignore_errors=True)
        self._conn.close()


def _feed(conn, site: Path, vocabulary, compound_terms: list[str], options: dict) -> None:
    """The helper process: read each written page, hand it to Pagefind, write the bundle."""
    index = None
    try:
        decompounder = None
        if vocabulary is not None:
            decompounder = Decompounder.from_texts(vocabulary(), extra_terms=compound_terms)
        index = SiteIndex(site, decompounder=decompounder, **options)
        ready: set[str] = set()
        while True:
            rel_path = conn.recv()
            if rel_path is None:
                break
            if rel_path == START:
                index.start()
                continue
            if rel_path.startswith(READY):
                # each writer announced its pages before this message (one pipe, in order)
                shard, processes = rel_path[len(READY) :].split("/")
                ready.add(shard)
                if len(ready) >= int(processes):
                    index.start()
                continue
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
