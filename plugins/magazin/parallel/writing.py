"""Write the article and page templates on every core, keep Pelican's output byte for byte.

After the Markdown, rendering the templates of ≈ 1,700 pages (and typesetting each written
file) is the largest serial part of a build. Pelican writes pages one after the other inside
``ArticlesGenerator.generate_output`` and ``PagesGenerator.generate_output``. This module
splits that work by *output file name* without pickling a single article:

1. ``all_generators_finalized``: the two generators' ``generate_output`` methods are wrapped
   (on the instance, for this build only).
2. When Pelican calls the first of them, the process forks (``PARALLEL_WORKERS`` − 1
   children). Every process runs the *same* ``generate_output`` calls on the same state, but a
   page is rendered and written only by the process its name belongs to (CRC-32 of the name
   modulo the number of processes); the others skip the template and the file.
3. ``content_written`` receivers marked ``process_safe`` (see ``core.wiring``: the
   typography pass, the search index's feeder) run where the page was written, i.e. in
   parallel. The other receivers (the sitemap's page queue) only ever run in the main process:
   at once for its own pages and, for the children's pages, after the children have finished,
   with the same path and local context as in a serial build.
4. ``article_writer_finalized`` / ``page_writer_finalized`` keep their meaning: the main
   process sends them only after the children have written their pages (a child never).
   Every process writes the pages generator's output right after the articles, before the
   article generator's listings, and then sends ``core.wiring.searchable_written``: the
   search index starts Pagefind while the listings are written (``_Phase.run``).
5. A child sends back the warnings and errors it logged (the safe build sees them, strict
   builds still fail) or the exception it raised (the build fails); it leaves with
   ``os._exit`` so nothing of the parent's state is finalised twice.

Feeds (``write_feed``) and every other generator's output are written by the main process
alone. Other ``*_write_*`` signals sent during the two generators' output run in every
process; side effects a plugin keeps there are lost in the children (the same contract as
the Markdown pool: put results into files or compute them in the main process).

Settings: ``PARALLEL_WRITE`` (default True) and ``PARALLEL_WORKERS`` (``parallel.DEFAULTS``).
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import pickle
import time
import traceback
import zlib
from typing import Any

from pelican import signals

from magazin.core import insides
from magazin.core.errors import BuildFailed
from magazin.core.processes import fork_child
from magazin.core.settings import setting
from magazin.core.wiring import searchable_written

from .parallel import DEFAULTS, _Capture, worker_count

logger = logging.getLogger(__name__)


def _owner(name: str, processes: int) -> int:
    return zlib.crc32(os.path.normpath(name).encode("utf-8")) % processes


class _ShardedTemplate:
    """Stands in for a Jinja template in ``Writer.write_file``: renders only own pages."""

    def __init__(self, template: Any, shard: _Shard):
        self._template = template
        self._shard = shard

    def __getattr__(self, name: str) -> Any:  # ``name`` and the like, as the template has them
        return getattr(self._template, name)

    def render(self, localcontext: dict) -> str:
        if self._shard.owns(localcontext.get("output_file", "")):
            return self._template.render(localcontext)
        return ""  # another process writes this page (``_Shard.open_w`` skips the file)


class _Shard:
    """One process's part of the output phase."""

    def __init__(self, index: int, processes: int, writer: Any):
        self.index = index
        self.processes = processes
        self.writer = writer
        self.skipping = False  # the page being written belongs to another process
        self.deferred: list[tuple[str, dict]] = []  # main process: the children's pages
        self.pages_early = False  # the pages generator ran right after the articles (_Phase.run)

    def owns(self, name: str) -> bool:
        return _owner(name, self.processes) == self.index

    # --- the writer's hooks, patched on the writer instance for the sharded generators ---

    def write_file(self, name, template, context, *args, **kwargs):
        return self._original_write_file(name, _ShardedTemplate(template, self), context, *args, **kwargs)

    def write_feed(self, *args, **kwargs):
        if self.index == 0:
            return self._original_write_feed(*args, **kwargs)
        return None

    def open_w(self, filename, encoding, override=False):
        # Decided here by the file's name, not in the template: another writer may wrap our
        # template and answer without calling it (the live preview reuses unchanged pages).
        if not self.owns(os.path.relpath(filename, self.writer.output_path)):
            self.skipping = True
            return contextlib.nullcontext(io.StringIO())
        return self._original_open_w(filename, encoding, override)

    def patch(self) -> None:
        originals = insides.wrap_writer(
            self.writer, write_file=self.write_file, write_feed=self.write_feed, open_w=self.open_w
        )
        self._original_write_file = originals["write_file"]
        self._original_write_feed = originals["write_feed"]
        self._original_open_w = originals["_open_w"]

    def unpatch(self) -> None:
        insides.unwrap_writer(self.writer)

    # --- content_written: safe receivers where the page is written, the others in the main process ---

    def send_content_written(self, path, **kwargs):
        """Stands in for ``signals.content_written.send`` during the sharded output."""
        skipped, self.skipping = self.skipping, False
        if skipped:
            if self.index == 0:
                self.deferred.append((path, kwargs))
            return []
        results = []
        # the receivers blinker itself would call for this page, in Pelican's plugin order
        for receiver in signals.content_written.receivers_for(path):
            if self.index == 0 or getattr(receiver, "process_safe", False):
                results.append((receiver, receiver(path, **kwargs)))
        return results

    def replay(self) -> None:
        """Main process: the receivers that are not process-safe, for the children's pages
        (in the order Pelican wrote them; the safe ones ran where the page was written)."""
        deferred, self.deferred = self.deferred, []
        for path, kwargs in deferred:
            for receiver in signals.content_written.receivers_for(path):
                if not getattr(receiver, "process_safe", False):
                    receiver(path, **kwargs)


# "Every page of this generator is written": in the main process they are held back until the
# children have written their pages, so a receiver (the search index starts Pagefind) can rely on it.
WRITER_FINALIZED = (signals.article_writer_finalized, signals.page_writer_finalized)


# --- the output phase ------------------------------------------------------------------------


class _Phase:
    """Forks when the first sharded generator starts writing; joins after the last one."""

    def __init__(self, generators: list, processes: int):
        from pelican.generators import ArticlesGenerator, PagesGenerator

        self.generators = generators  # the sharded ones, in Pelican's order
        self.processes = processes
        self.articles = next((g for g in generators if isinstance(g, ArticlesGenerator)), None)
        self.pages = next((g for g in generators if isinstance(g, PagesGenerator)), None)
        self.done = 0
        self.children: list[tuple[int, int]] = []  # (pid, read end of its pipe)
        self.shard: _Shard | None = None
        self.originals = {id(g): g.generate_output for g in generators}
        self.finalized: list = []  # the writer-finalized signals, held until the children are done

    def wrap(self) -> None:
        for gen in self.generators:
            insides.replace_method(gen, "generate_output", self._make(gen))

    def _make(self, gen):
        def generate_output(writer):
            if self.shard is None:
                self._start(writer)
            self.shard.patch()
            try:
                self.run(gen, writer, self.shard)
            except BaseException:
                self._abort()
                raise
            finally:
                self.shard.unpatch()
            self.done += 1
            if self.done == len(self.generators):
                self._finish()

        return generate_output

    def run(self, gen, writer, shard: _Shard) -> None:
        """One generator's output in this process. Every searchable page comes first: the
        pages generator writes right after the articles (before the article generator's
        tags, categories, authors and archives), then ``searchable_written`` tells the
        search index, which can start Pagefind while the listings are written. The files
        are the same, only their order differs (the sitemap sorts its entries)."""
        if gen is self.pages and shard.pages_early:
            return  # already written after the articles
        if gen is not self.articles:
            self.originals[id(gen)](writer)
            return
        original_articles = gen.generate_articles

        def generate_articles(write):
            original_articles(write)
            if self.pages is not None:
                shard.pages_early = True
                self.originals[id(self.pages)](writer)
            searchable_written.send(self, settings=gen.settings, shard=shard.index, processes=self.processes)

        insides.replace_method(gen, "generate_articles", generate_articles)
        try:
            self.originals[id(gen)](writer)
        finally:
            insides.restore_method(gen, "generate_articles")

    def _start(self, writer) -> None:
        self.started = time.perf_counter()
        self.cpu = time.process_time()
        for index in range(1, self.processes):
            read, write = os.pipe()

            def child(index=index, read=read, write=write) -> None:
                # the child: write its share of every sharded generator, report, leave
                os.close(read)
                _child(index, self, writer, write)

            pid = fork_child(child)
            os.close(write)
            self.children.append((pid, read))
        self.shard = _Shard(0, self.processes, writer)
        signals.content_written.send = self.shard.send_content_written
        for signal in WRITER_FINALIZED:  # sent again once the children's pages are written too
            signal.send = lambda sender, _signal=signal, **kwargs: self.finalized.append(
                (_signal, sender, kwargs)
            )

    def _restore(self) -> None:
        for signal in (signals.content_written, *WRITER_FINALIZED):
            signal.__dict__.pop("send", None)  # the class's own ``send`` again
        for gen in self.generators:
            insides.restore_method(gen, "generate_output")

    def _abort(self) -> None:
        """The main process failed while writing: stop the children, put everything back."""
        self._restore()
        for pid, read in self.children:
            with contextlib.suppress(OSError):
                os.kill(pid, 9)
                os.waitpid(pid, 0)
            with contextlib.suppress(OSError):
                os.close(read)
        self.children = []

    def _finish(self) -> None:
        self._restore()
        own = time.perf_counter() - self.started
        own_cpu = time.process_time() - self.cpu
        problems: list[str] = []
        for pid, read in self.children:
            with os.fdopen(read, "rb") as pipe:
                data = pipe.read()
            _, status = os.waitpid(pid, 0)
            try:
                report = pickle.loads(data)  # noqa: S301 - our own forked child wrote it
            except Exception:  # a child that died without a report
                report = {"error": f"Schreibprozess {pid} endete ohne Bericht (Status {status})."}
            for record in report.get("records", []):
                logging.getLogger(record.name).handle(record)
            if report.get("error"):
                logger.debug("parallel: writing process %d failed:\n%s", pid, report.get("traceback", ""))
                problems.append(report["error"])
        waited = time.perf_counter() - self.started - own
        self.shard.replay()
        order = {id(g): i for i, g in enumerate(self.generators)}  # Pelican's order, as in one process
        for signal, sender, kwargs in sorted(self.finalized, key=lambda f: order.get(id(f[1]), len(order))):
            signal.send(sender, **kwargs)  # every page of the generator is written now
        logger.debug(
            "parallel: pages written by %d processes in %.2f s (main %.2f s, %.2f s CPU; then waited %.2f s)",
            *(self.processes, time.perf_counter() - self.started, own, own_cpu, waited),
        )
        if problems:
            raise BuildFailed(problems)


def _child(index, phase: _Phase, writer, fd) -> None:
    """In a forked child: write the pages that belong to ``index``; never returns."""
    report: dict[str, Any] = {"records": [], "error": None}
    status = 0
    try:
        capture = _Capture()
        logging.getLogger().handlers = [capture]
        shard = _Shard(index, phase.processes, writer)
        signals.content_written.send = shard.send_content_written
        for signal in WRITER_FINALIZED:  # the main process sends them for every page
            signal.send = lambda *args, **kwargs: []
        shard.patch()
        for gen in phase.generators:
            phase.run(gen, writer, shard)
        report["records"] = capture.records
    except BaseException as exc:  # everything goes back to the main process
        report["error"] = str(exc) or type(exc).__name__
        report["traceback"] = traceback.format_exc(limit=12)
        status = 1
    try:
        with os.fdopen(fd, "wb") as pipe:
            pipe.write(pickle.dumps(report))
    finally:
        os._exit(status)


def shard_output(generators: list) -> None:
    """``all_generators_finalized``: write the article and page templates in parallel."""
    if not generators:
        return
    settings = generators[0].settings
    processes = worker_count(settings)
    if processes <= 1 or not setting(settings, "PARALLEL_WRITE", DEFAULTS):
        return
    from pelican.generators import ArticlesGenerator, PagesGenerator

    sharded = [g for g in generators if isinstance(g, (ArticlesGenerator, PagesGenerator))]
    if sharded:
        freeze_urls(sharded)
        _Phase(sharded, processes).wrap()


# Every list of content objects the two generators keep.
CONTENT_LISTS = (
    "articles",
    "translations",
    "drafts",
    "drafts_translations",
    "hidden_articles",
    "hidden_translations",
    "pages",
    "hidden_pages",
    "draft_pages",
    "draft_translations",
)


def freeze_urls(generators: list) -> None:
    """Compute each article's and page's ``url`` once for the output phase.

    Pelican's ``url`` property formats ``ARTICLE_URL`` anew on every access (a copy of the
    metadata and a relative path each time), and the templates ask ≈ 22,000 times at 1,000
    articles (cards, neighbours, feeds, JSON-LD). When every generator is finalised nothing
    changes a URL any more, so the value is kept where Pelican itself looks first
    (``override_url``, which a ``URL:`` metadata field also sets). ``save_as`` is left alone:
    Pelican treats ``override_save_as`` as an author's choice. Only the sharded build freezes
    (the live preview, which edits articles in place, writes in one process)."""
    for gen in generators:
        for name in CONTENT_LISTS:
            for obj in getattr(gen, name, None) or []:
                if not hasattr(obj, "override_url"):
                    obj.override_url = obj.url
