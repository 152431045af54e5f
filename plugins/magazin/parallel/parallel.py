"""Render Markdown on every core, keep Pelican's output byte for byte.

Pelican reads sources one after the other (``Readers.read_file``), and Python-Markdown is
about half of a cold build. This plugin renders the sources in a process pool *before* the
serial loop and hands the results to Pelican through the reader itself:

1. ``readers_init``: the reader class registered for each Markdown extension (Pelican's
   ``MarkdownReader`` or whatever another plugin put there earlier in ``readers_init``) is
   replaced by a thin subclass, ``Prerendered<Name>`` named like its parent (Pelican stores
   the reader's class name in ``metadata["reader"]``). Its ``read(path)`` returns the
   pre-rendered ``(content, metadata)`` when there is one for an unchanged file, otherwise it
   calls the parent's ``read``.
2. ``article_generator_preread`` / ``page_generator_preread`` (sent just before the generator
   reads its first file, i.e. after every ``*_init`` signal): the generator's files that are
   not served from Pelican's content cache are rendered in a ``fork`` pool. Each worker calls
   the parent class's ``read`` on the *same* reader instance (inherited through ``fork``), so
   it uses exactly the real settings: ``MARKDOWN`` plus every extension plugins added.
3. Warnings logged while rendering are shipped back and logged again in the main process
   when Pelican reads that file (the safe build sees them; strict builds still fail). A file
   whose rendering raised is simply read again serially, so errors look exactly as without
   this plugin. So is a file during which the reader appended to one of its own list
   attributes (the consent plugin collects ``embed_errors`` that way): that state must
   live in the main process.

Contract for Markdown extensions of other plugins:
- Configure them through settings (``MARKDOWN["extensions"]`` / ``extension_configs``) or by
  registering a reader class in ``readers_init`` *before* this plugin, i.e. list ``parallel``
  last in ``PLUGINS``; anything set up before a generator reads its first file is seen.
- Everything an extension produces must end up in the returned HTML or metadata (``md.Meta``,
  ``md.htmlStash``). Side effects inside the rendering process (appending to a module list,
  writing to a generator) happen in a worker and are lost; compute such things from the
  article afterwards (e.g. in ``article_generator_finalized``).

Settings (defaults in ``DEFAULTS``): ``PARALLEL_WORKERS`` (``None`` = number of
usable cores; 0 or 1 switches the plugin off), ``PARALLEL_MIN_FILES`` (below this the pool
is not worth its start-up), ``PARALLEL_EXTENSIONS`` (the file extensions rendered in the pool).
"""

from __future__ import annotations

import logging
import os
from typing import Any

from pelican.urlwrappers import URLWrapper

from magazin.core.processes import fork_pool
from magazin.core.processes import workers as worker_setting
from magazin.core.settings import Setting, declare, setting

logger = logging.getLogger(__name__)

DEFAULTS = declare(
    "magazin.parallel",
    "PARALLEL_",
    Setting("PARALLEL_WORKERS", None, "processes that render and write (None: every usable core)", kind=int),
    Setting("PARALLEL_MIN_FILES", 12, "fewer Markdown files than this are rendered in the main process"),
    Setting("PARALLEL_EXTENSIONS", ["md", "markdown", "mkd", "mdown"], "file endings rendered in the pool"),
    Setting(
        "PARALLEL_CACHE_DEPENDS",
        ["data", "media"],
        "folders below PATH whose change invalidates the content cache",
    ),
    Setting("PARALLEL_WRITE", True, "write the article and page templates in PARALLEL_WORKERS processes"),
)


def worker_count(settings: dict) -> int:
    """How many processes render Markdown (1 = serial, plugin off)."""
    return worker_setting(settings, "PARALLEL_WORKERS", DEFAULTS)


def _stamp(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)


class PrerenderedReaderMixin:
    """Serves ``(content, metadata)`` rendered by the pool; falls back to the real reader."""

    def _take_prerendered(self, source_path: str):
        table = self.__dict__.get("_prerendered")
        if not table:
            return None
        hit = table.pop(source_path, None)
        if hit is None:
            return None
        stamp, content, metadata, records = hit
        if stamp != _stamp(source_path):
            return None  # edited since the pool rendered it
        for record in records:
            logging.getLogger(record.name).handle(record)
        settings = self.settings
        for key, value in metadata.items():  # the pickled copies point at a copy of settings
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, URLWrapper):
                    item.settings = settings
            metadata[key] = value
        return content, metadata

    def read(self, source_path):
        hit = self._take_prerendered(source_path)
        if hit is not None:
            return hit
        return super().read(source_path)  # type: ignore[misc]

    def read_serially(self, source_path):
        """The wrapped reader's own ``read`` (what the workers call)."""
        return super().read(source_path)  # type: ignore[misc]


def wrap_reader_class(cls: type) -> type:
    """A subclass of reader ``cls`` that serves pre-rendered results; same ``__name__``."""
    if issubclass(cls, PrerenderedReaderMixin):
        return cls
    return type(cls.__name__, (PrerenderedReaderMixin, cls), {"__module__": cls.__module__})


def wrap_readers(readers) -> None:
    """``readers_init``: wrap the reader classes of the parallel file extensions."""
    if worker_count(readers.settings) <= 1:
        return
    for ext in setting(readers.settings, "PARALLEL_EXTENSIONS", DEFAULTS):
        cls = readers.reader_classes.get(ext)
        if cls is not None and getattr(cls, "enabled", True):
            readers.reader_classes[ext] = wrap_reader_class(cls)


# --- the worker side (runs in forked children) ------------------------------------------------


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        record.msg = record.getMessage()
        record.args = None
        record.exc_info = None
        record.exc_text = None
        self.records.append(record)


_worker: dict[str, Any] = {}  # per worker process only (set by the pool initializer after fork)


def _init_worker(readers_by_ext: dict) -> None:
    capture = _Capture()
    root = logging.getLogger()
    root.handlers = [capture]
    _worker["readers"] = readers_by_ext
    _worker["capture"] = capture


def _render(job: tuple[str, str]):
    path, ext = job
    capture = _worker["capture"]
    capture.records = []
    stamp = _stamp(path)
    reader = _worker["readers"][ext]
    before = _list_sizes(reader)
    try:
        content, metadata = reader.read_serially(path)
    except Exception:  # the serial pass reads it again and reports the error as usual
        return path, None
    if _list_sizes(reader) != before:
        # The reader collected something on itself (e.g. consent's ``embed_errors``): that
        # state lives in this worker. Let the main process read this file again.
        return path, None
    return path, (stamp, content, metadata, capture.records)


def _list_sizes(reader) -> dict[str, int]:
    return {k: len(v) for k, v in vars(reader).items() if isinstance(v, list)}


# --- the main process side ---------------------------------------------------------------------


def _jobs(generator, paths_setting: str, excludes_setting: str) -> list[tuple[str, str]]:
    readers = generator.readers
    settings = generator.settings
    jobs = []
    for rel in generator.get_files(settings[paths_setting], exclude=settings[excludes_setting]):
        ext = rel.rsplit(".", 1)[-1] if "." in rel else ""
        reader = readers.readers.get(ext)
        if not isinstance(reader, PrerenderedReaderMixin):
            continue
        if generator.get_cached_data(rel, None) is not None:
            continue  # generator-level content cache
        path = os.path.abspath(os.path.join(generator.path, rel))
        if readers.get_cached_data(path, None) is not None:
            continue  # reader-level content cache
        jobs.append((path, ext))
    return jobs


def prerender(generator, paths_setting: str, excludes_setting: str) -> int:
    """Render the generator's uncached sources in a process pool; return how many."""
    settings = generator.settings
    workers = worker_count(settings)
    jobs = _jobs(generator, paths_setting, excludes_setting)
    if workers <= 1 or len(jobs) < setting(settings, "PARALLEL_MIN_FILES", DEFAULTS):
        return 0
    readers_by_ext = {ext: generator.readers.readers[ext] for _, ext in jobs}
    tables = {ext: reader.__dict__.setdefault("_prerendered", {}) for ext, reader in readers_by_ext.items()}
    chunksize = max(1, len(jobs) // (workers * 16))
    done = 0
    with fork_pool(workers, initializer=_init_worker, initargs=(readers_by_ext,)) as pool:
        for (path, result), (_, ext) in zip(pool.imap(_render, jobs, chunksize=chunksize), jobs, strict=True):
            if result is not None:
                tables[ext][path] = result
                done += 1
    logger.debug("parallel: %d of %d sources rendered with %d processes", done, len(jobs), workers)
    return done


def _once(generator, paths_setting: str, excludes_setting: str) -> None:
    if generator.__dict__.get("_parallel_done"):
        return
    generator._parallel_done = True
    prerender(generator, paths_setting, excludes_setting)


def on_article_preread(generator) -> None:
    _once(generator, "ARTICLE_PATHS", "ARTICLE_EXCLUDES")


def on_page_preread(generator) -> None:
    _once(generator, "PAGE_PATHS", "PAGE_EXCLUDES")
