"""The live preview's fast render: an edited article's own page in a fraction of a second.

Like Hugo's Fast Render Mode. The preview keeps the objects of its last successful build
(``PreviewState.kept``: generators, template context, article objects). When every file that
changed since that build is an article source whose metadata stayed the same (the author
edited the body), ``fast_render`` for each such article:

1. runs the ``"source"`` body refreshers (the editorial checks of that one file);
2. reads it again with the build's own readers and signals (``article_generator_preread`` /
   ``_context``, ``content_object_init``) and compares its metadata with the kept article's;
3. puts the new body (``_content``) into the kept article, forgets Pelican's memoised
   ``content``/``summary`` and runs the ``"articles"`` and ``"generators"`` refreshers
   (reading time, description, ``<picture>``, teaser … see ``core.incremental``);
4. renders the article's page (and its translations) with the kept template and context
   through Pelican's ``Writer`` into a temporary folder, so the ``content_written`` handlers
   (typography) run, and moves each file into the served site with ``os.replace``.

Anything it cannot do safely leaves the served site untouched and says why (German, for the
terminal): no earlier build, a new or deleted file, a changed file that is no article
(data, theme, plugin, settings, a page), changed metadata, a warning or error while reading
or rendering (one the last build did not log as well), a reader that collected an error, a
refresher's ``NotFast``. The full build runs after it in every case; it is the one that
decides.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from .incremental import (
    BodyEdit,
    FastResult,
    KeptBuild,
    NotFast,
    PreviewState,
    _snapshot,
    body_refreshers,
    reset_pelican_log_filter,
)

_LINE = re.compile(r":\d+:")


class _Warnings(logging.Handler):
    """Warnings and errors logged meanwhile, except those the kept build logged too (a video
    without a poster warns in every build: not a reason to refuse)."""

    def __init__(self, known: set[str]) -> None:
        super().__init__(level=logging.WARNING)
        self.known = {_without_line(m) for m in known}
        self.messages: list[str] = []
        self.thread = threading.get_ident()

    def emit(self, record: logging.LogRecord) -> None:
        if threading.get_ident() != self.thread:
            return  # the full build's, running in the other thread
        message = record.getMessage()
        if record.levelno >= logging.ERROR or _without_line(message) not in self.known:
            self.messages.append(message)


def _without_line(message: str) -> str:
    """``datei:37: Meldung`` → ``datei: Meldung`` (an edit above it moves the line)."""
    return _LINE.sub(":", message, count=1)


def _metadata_fingerprint(metadata: dict) -> list[tuple[str, str]]:
    return sorted((str(k), repr(v)) for k, v in metadata.items())


def _forget_rendered(article: Any) -> None:
    """Pelican memoises ``content`` and ``summary`` per object: forget this one's."""
    for name in ("get_content", "get_summary"):
        cache = getattr(getattr(article, name, None), "cache", None)
        if isinstance(cache, dict):
            for key in list(cache):  # a copy: a build in the other thread may add meanwhile
                if key and key[0] is article:
                    cache.pop(key, None)


def _list_sizes(reader: Any) -> dict[str, int]:
    return {k: len(v) for k, v in vars(reader).items() if isinstance(v, list)}


def read_as_article(gen: Any, base_path: str | os.PathLike[str], path: str) -> Any:
    """Read ``path`` (relative to ``base_path``) with the articles generator's readers and
    signals, as Pelican's own reading of an article does (the live preview's fast render, the
    editor's preview pane)."""
    from pelican import signals
    from pelican.contents import Article

    return gen.readers.read_file(
        base_path=str(base_path),
        path=str(path),
        content_class=Article,
        context=gen.context,
        preread_signal=signals.article_generator_preread,
        preread_sender=gen,
        context_signal=signals.article_generator_context,
        context_sender=gen,
    )


def _read(kept: KeptBuild, path: str, gen: Any) -> Any:
    """The source read again exactly as the article generator reads it."""
    readers = gen.readers
    fmt = os.path.splitext(path)[1].lstrip(".")
    reader = readers.readers.get(fmt)
    before = _list_sizes(reader) if reader is not None else {}
    article = read_as_article(gen, gen.path, os.path.relpath(path, gen.path))
    if reader is not None and _list_sizes(reader) != before:
        raise NotFast("der Leser hat einen Fehler gemeldet")
    return article


def _refresh(state: PreviewState, kept: KeptBuild, path: str) -> list[Any]:
    """Bring the kept article of ``path`` up to date; return the objects to write."""
    article, gen, _draft = kept.articles[path]
    edit = BodyEdit(path, None, kept.settings, gen.context, kept.generators, kept.final)
    for refresher in body_refreshers(kept.settings, "source"):
        refresher(edit)
    fresh = _read(kept, path, gen)
    if type(fresh) is not type(article) or getattr(fresh, "status", None) != article.status:
        raise NotFast("Status oder Art des Artikels hat sich geändert")
    if _metadata_fingerprint(fresh.metadata) != _metadata_fingerprint(article.metadata):
        raise NotFast("die Kopfzeilen (Metadaten) haben sich geändert")
    # From here on the kept article changes: a failure must not leave it half done.
    state.kept = None
    article._content = fresh._content
    _forget_rendered(article)
    edit.article = article
    for stage in ("articles", "generators"):
        for refresher in body_refreshers(kept.settings, stage):
            refresher(edit)
    state.kept = kept
    return [article, *getattr(article, "translations", [])]


def _write(kept: KeptBuild, objects: list[Any], folder: Path) -> list[str]:
    """Render the pages of ``objects`` into ``folder`` as ``generate_articles`` does."""
    from pelican import signals
    from pelican.writers import Writer

    writer = Writer(str(folder), settings=kept.settings)
    relative = kept.settings.get("RELATIVE_URLS", False)
    names: list[str] = []
    for obj in objects:
        entry = kept.articles.get(obj.source_path)
        if entry is None:
            raise NotFast(f"{obj.source_path}: nicht im letzten Build")
        _kept_obj, gen, draft = entry
        extra: dict[str, Any] = {"all_articles": gen.articles} if draft else {}
        if not draft:
            signals.article_generator_write_article.send(gen, content=obj)
        writer.write_file(
            obj.save_as,
            gen.get_template(obj.template),
            kept.context,
            relative_urls=relative,
            article=obj,
            category=getattr(obj, "category", None),
            override_output=hasattr(obj, "override_save_as"),
            url=obj.url,
            blog=True,
            **extra,
        )
        names.append(obj.save_as)
    return names


def fast_render(state: PreviewState) -> FastResult:
    """Write the pages of the articles whose body alone changed since the last build.

    Safe to call while a build runs in another thread (``state.lock``): a build that started
    before a successful fast render stops before it replaces the output."""
    with state.lock:
        result = _fast_render(state)
        if result.done:
            state.generation += 1
        return result


def _fast_render(state: PreviewState) -> FastResult:
    started = time.perf_counter()
    kept = state.kept
    if kept is None or not state.inputs:
        return FastResult(reason="noch kein vollständiger Build")
    inputs = _snapshot(state.roots)
    if inputs.keys() != state.inputs.keys():
        return FastResult(reason="Dateien hinzugefügt oder gelöscht")
    changed = sorted(p for p, stamp in inputs.items() if state.inputs[p] != stamp)
    others = [p for p in changed if p not in kept.articles]
    if others:
        return FastResult(reason=f"{os.path.relpath(others[0])} ist kein Artikel")
    todo = [p for p in changed if kept.refreshed.get(p) != inputs[p]]
    if not todo:
        return FastResult(reason="nichts Neues seit der letzten schnellen Vorschau")

    warnings = _Warnings(kept.warnings)
    root = logging.getLogger()
    root.addHandler(warnings)
    reset_pelican_log_filter()
    folder = Path(tempfile.mkdtemp(prefix=f".{kept.final.name}-schnell-", dir=kept.final.parent))
    try:
        objects: list[Any] = []
        for path in todo:
            for obj in _refresh(state, kept, path):
                if obj not in objects:
                    objects.append(obj)
            if warnings.messages:
                raise NotFast(warnings.messages[0])
        names = _write(kept, objects, folder)
        if warnings.messages:
            raise NotFast(warnings.messages[0])
        written = []
        for name in names:
            source = folder / name
            if not source.is_file():
                raise NotFast(f"{name} wurde nicht geschrieben")
            written.append((source, kept.final / name))
        for source, target in written:  # every page is complete before the first one is served
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, target)
    except NotFast as exc:
        return FastResult(reason=str(exc), seconds=time.perf_counter() - started)
    except Exception as exc:  # a reader's or plugin's error: the full build reports it properly
        return FastResult(reason=f"{type(exc).__name__}: {exc}", seconds=time.perf_counter() - started)
    finally:
        root.removeHandler(warnings)
        shutil.rmtree(folder, ignore_errors=True)
    for path in todo:
        kept.refreshed[path] = inputs[path]
    return FastResult(
        pages=[n.replace(os.sep, "/") for n in names],
        sources=todo,
        seconds=time.perf_counter() - started,
    )
