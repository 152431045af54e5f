"""Incremental rebuilds for the live preview (``invoke livereload``).

Pelican renders every page on every build. The preview process keeps a ``PreviewState``
between its builds; when the only inputs that changed since the last successful build are
article sources whose metadata stayed the same (the author edited the body), a page whose
previous output mentions none of the edited articles' URLs and that is not one of their own
pages cannot show the edit: its previous text is written again instead of rendering the
template. Everything else (reading, plugins, checks, staging folder and atomic swap, feeds,
sitemap, search index) runs as in every build. Any other change (a new or deleted file,
metadata, data files, theme, plugins, settings) renders every page.

Before that build, the preview tries the *fast render* (``core.fastrender.fast_render``,
like Hugo's Fast Render Mode): the state keeps the generators, the template context and the
article objects of the last successful build (``PreviewState.kept``); an edited article
whose metadata stayed the same is read again with the same readers, brought up to date by
the plugins' *body refreshers* and only its own page is written into the served site. The
full build follows and tells the browser only about pages whose bytes changed
(``PreviewState.changed_pages``).

Body refreshers: a plugin whose article attributes derive from the body registers one from
its ``initialized`` handler with ``add_body_refresher(settings, stage, fn)``; ``fn(edit)``
gets a ``BodyEdit`` and updates ``edit.article`` in place, or raises ``NotFast`` when it
cannot (the full build then runs as before). Stages, in pipeline order: ``"source"`` (before
the file is read: checks of the source), ``"articles"`` (what the article generator's signals
do: ``article_generator_pretaxonomy``/``finalized``), ``"generators"`` (what plugin
generators do in ``generate_context``). A build can be interrupted between two pages
(``PreviewState.interrupt``): the preview does that when the author saves again.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

Snapshot = dict[str, tuple[int, int]]

#: The stages of body refreshers, in pipeline order (see the module's docstring).
STAGES = ("source", "articles", "generators")
REFRESHERS_KEY = "MAGAZINE_BODY_REFRESHERS"


class NotFast(Exception):
    """A body refresher cannot bring the article up to date: the full build runs instead."""


class BuildInterrupted(BaseException):
    """The author saved again while the preview's build ran (``PreviewState.interrupt``).

    A ``BaseException``: Pelican's generators catch ``Exception`` around each file."""


@dataclass
class BodyEdit:
    """What a body refresher gets: the edited source and, from stage ``"articles"`` on, the
    kept article object whose ``_content`` is already the new body (the reader's HTML)."""

    source_path: str
    article: Any
    settings: dict
    context: dict
    generators: list
    output: Path  # the served site

    def generator(self, cls: type) -> Any:
        """The last build's generator of class ``cls`` (``NotFast`` when there is none)."""
        for gen in self.generators:
            if isinstance(gen, cls):
                return gen
        raise NotFast(f"kein {cls.__name__} im letzten Build")


def add_body_refresher(settings: dict, stage: str, refresher: Callable[[BodyEdit], None]) -> None:
    """Register a plugin's body refresher for the fast render (from its ``initialized``
    handler; once per build's settings, a second registration of the same function is ignored)."""
    if stage not in STAGES:
        raise ValueError(f"unknown stage {stage!r}, one of {STAGES}")
    registered = settings.setdefault(REFRESHERS_KEY, [])
    if not any(fn is refresher for _, fn in registered):
        registered.append((stage, refresher))


def body_refreshers(settings: dict, stage: str) -> list[Callable[[BodyEdit], None]]:
    """The refreshers of ``stage`` in registration (= ``PLUGINS``) order."""
    return [fn for s, fn in settings.get(REFRESHERS_KEY, []) if s == stage]


def _snapshot(roots: Iterable[Path]) -> Snapshot:
    """``(mtime_ns, size)`` of every file below ``roots`` (files count as their own root)."""
    out: Snapshot = {}
    for root in roots:
        if root.is_file():
            st = root.stat()
            out[str(root)] = (st.st_mtime_ns, st.st_size)
            continue
        for folder, _dirs, files in os.walk(root):
            for name in files:
                path = os.path.join(folder, name)
                try:
                    st = os.stat(path)
                except FileNotFoundError:  # pragma: no cover - removed while walking
                    continue
                out[path] = (st.st_mtime_ns, st.st_size)
    return out


def _fingerprint(content: Any) -> str:
    """Everything about an article except its body (metadata as read, plus its URL)."""
    items = sorted((str(k), repr(v)) for k, v in content.metadata.items())
    raw = repr((items, content.url, content.save_as))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


@dataclass
class KeptBuild:
    """The last successful build, kept in the preview process for the fast render."""

    settings: dict
    generators: list
    context: dict  # the template context as the article pages were written with it
    final: Path
    #: source path → (article object, its generator, written as a draft)
    articles: dict[str, tuple[Any, Any, bool]]
    #: source path → stamp of the file the kept article was last brought up to date with
    refreshed: dict[str, tuple[int, int]] = field(default_factory=dict)
    #: the warnings that build logged (a fast render refuses only new ones)
    warnings: set[str] = field(default_factory=set)


@dataclass
class PreviewState:
    """What the live-preview process remembers between builds (in memory only)."""

    key: str = ""
    inputs: Snapshot = field(default_factory=dict)
    articles: dict[str, str] = field(default_factory=dict)
    roots: list[Path] = field(default_factory=list)
    kept: KeptBuild | None = None
    #: Figures of the last build: pages written from the previous output / rendered.
    reused: int = 0
    rendered: int = 0
    incremental: bool = False
    #: Output files (relative, ``/``) whose bytes the last build changed; None: the whole site.
    changed_pages: list[str] | None = None
    #: Asked between two pages of a build: True stops it with ``BuildInterrupted``.
    interrupt: Callable[[], bool] | None = None
    #: Held by a fast render and by a build's swap: the preview runs the fast render in its
    #: file-watching thread, also while a build runs in the main thread.
    lock: threading.RLock = field(default_factory=threading.RLock)
    #: Counts fast renders: a build that started before one is stale and stops.
    generation: int = 0

    def start(self, settings_file: Any, overrides: dict, settings: dict, final: Path) -> _PreviewRun:
        """Begin one build; the state changes only when the build succeeds."""
        roots = [Path(settings["PATH"]), Path(settings["THEME"]), Path(settings_file).resolve()]
        roots += [Path(p) for p in settings.get("PLUGIN_PATHS", [])]
        settings_path = str(Path(settings_file).resolve())
        key = repr((settings_path, sorted((k, repr(v)) for k, v in overrides.items()), str(final)))
        roots = [r for r in roots if r.exists()]
        return _PreviewRun(self, key, _snapshot(roots), final, roots, self.generation)


@dataclass
class FastResult:
    """What one fast render did: the output files written, or why it did not run."""

    pages: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    reason: str = ""
    seconds: float = 0.0

    @property
    def done(self) -> bool:
        return bool(self.pages)


def reset_pelican_log_filter() -> None:
    """Pelican de-duplicates log messages process-wide; a second build in the same
    process (live reload, tests) must see its warnings again."""
    from .insides import reset_log_filter

    reset_log_filter()


class _ReusingTemplate:
    """Stands in for a Jinja template in ``Writer.write_file``: returns the previous page's
    text where the page cannot have changed, otherwise renders."""

    def __init__(self, template: Any, run: _PreviewRun):
        self._template = template
        self._run = run

    def render(self, localcontext: dict) -> str:
        text = self._run.previous_text(localcontext)
        if text is None:
            self._run.rendered += 1
            return self._template.render(localcontext)
        self._run.reused += 1
        return text


class _PreviewRun:
    """One build of the preview process."""

    def __init__(
        self, state: PreviewState, key: str, inputs: Snapshot, final: Path, roots: list[Path], generation: int
    ):
        self.state = state
        self.generation = generation  # of the fast renders, when this build started
        self.thread = threading.get_ident()
        self.key = key
        self.inputs = inputs
        self.final = final
        self.roots = roots
        self.articles: dict[str, str] = {}
        self.changed: set[str] | None = None  # source paths; None: render everything
        self.urls: list[bytes] = []
        self.reused = 0
        self.rendered = 0
        self.generators: list = []
        self.context: dict | None = None
        self.settings: dict | None = None
        #: output file → its bytes in the served site before this build (rendered pages only)
        self.before: dict[str, bytes | None] = {}

    def checkpoint(self, *_args: Any, last: bool = False, **_kwargs: Any) -> None:
        """Between two files: stop when the author saved again (``PreviewState.interrupt``)
        or a fast render wrote newer pages than this build's. ``last``: before the swap."""
        if threading.get_ident() != self.thread:
            return  # a fast render reading a file in the other thread
        if self.state.generation != self.generation:
            raise BuildInterrupted
        interrupt = self.state.interrupt
        if interrupt is not None and interrupt():
            raise BuildInterrupted

    def on_generators_finalized(self, generators: list) -> None:
        from pelican.generators import ArticlesGenerator

        self.generators = list(generators)
        by_source: dict[str, Any] = {}
        for gen in generators:
            if isinstance(gen, ArticlesGenerator):
                for art in [*gen.articles, *gen.translations, *gen.drafts, *gen.drafts_translations]:
                    self.articles[art.source_path] = _fingerprint(art)
                for art in [*getattr(gen, "hidden_articles", []), *getattr(gen, "hidden_translations", [])]:
                    self.articles[art.source_path] = _fingerprint(art)
                by_source = {a.source_path: a for a in [*gen.articles, *gen.translations]}
        self.changed = self._body_only_changes()
        if self.changed:
            for path in self.changed:
                art = by_source.get(path)
                if art is None or not art.url:
                    self.changed = None
                    break
                self.urls.append(art.url.encode("utf-8"))
        logger.info("Vorschau: %s", "nur geänderte Seiten" if self.changed is not None else "alle Seiten")

    def _body_only_changes(self) -> set[str] | None:
        old = self.state
        if not old.key or old.key != self.key or not self.final.is_dir():
            return None
        if set(old.inputs) != set(self.inputs):
            return None
        changed = {p for p, stamp in self.inputs.items() if old.inputs[p] != stamp}
        if old.articles.keys() != self.articles.keys():
            return None
        for path in changed:
            if path not in self.articles or old.articles[path] != self.articles[path]:
                return None
        return changed

    def previous_text(self, localcontext: dict) -> str | None:
        self.checkpoint()
        if self.changed is None:
            return None
        name = localcontext.get("output_file")
        try:
            data = (self.final / name).read_bytes() if name else None
        except OSError:
            data = None
        for key in ("article", "page"):
            obj = localcontext.get(key)
            if obj is not None and getattr(obj, "source_path", None) in self.changed:
                self.before[name] = data
                return None
        if data is None:
            return None
        if any(url in data for url in self.urls):
            self.before[name] = data
            return None
        return data.decode("utf-8")

    def get_writer(self, pelican_object: Any) -> type:
        from pelican.writers import Writer

        run = self

        class PreviewWriter(Writer):
            """Pelican's writer, rendering only pages that may show an edit."""

            def write_file(self, name, template, context, *args, **kwargs):  # type: ignore[override]
                return super().write_file(name, _ReusingTemplate(template, run), context, *args, **kwargs)

        # What the article pages are written with (all generators ran, before any page).
        if self.generators:
            self.context = dict(self.generators[0].context)
        self.settings = pelican_object.settings
        return PreviewWriter

    def commit(self, warnings: Iterable[str] = ()) -> None:
        """The build succeeded and replaced the output: remember its inputs, keep its
        objects for the fast render, and which pages' bytes changed."""
        state = self.state
        state.key, state.inputs, state.articles = self.key, self.inputs, self.articles
        state.roots = self.roots
        state.reused, state.rendered, state.incremental = self.reused, self.rendered, self.changed is not None
        if self.changed is None:
            state.changed_pages = None
        else:
            changed = []
            for name, old in self.before.items():
                try:
                    new = (self.final / name).read_bytes()
                except OSError:
                    new = None
                if new != old:
                    changed.append(name.replace(os.sep, "/"))
            state.changed_pages = sorted(changed)
        state.kept = self._kept()
        if state.kept is not None:
            state.kept.warnings = set(warnings)
        _forget_memoized(state.kept)

    def _kept(self) -> KeptBuild | None:
        from pelican.generators import ArticlesGenerator

        if self.context is None or self.settings is None:
            return None
        articles: dict[str, tuple[Any, Any, bool]] = {}
        for gen in self.generators:
            if isinstance(gen, ArticlesGenerator):
                for art in [*gen.articles, *gen.translations, *gen.hidden_articles, *gen.hidden_translations]:
                    articles[art.source_path] = (art, gen, False)
                for art in [*gen.drafts, *gen.drafts_translations]:
                    articles[art.source_path] = (art, gen, True)
        return KeptBuild(self.settings, self.generators, self.context, self.final, articles)


def _forget_memoized(kept: KeptBuild | None) -> None:
    """Drop Pelican's memoised ``content``/``summary`` of objects of earlier builds.

    ``pelican.utils.memoized`` keeps one dict per method for all instances, keyed by the
    object: in a long preview session every build's articles (and their context) would stay
    in memory. Only a cache: whatever is dropped is computed again when asked for."""
    from pelican.contents import Content

    keep = set()
    if kept is not None:
        for gen in kept.generators:
            for name in (
                "articles",
                "translations",
                "hidden_articles",
                "hidden_translations",
                "drafts",
                "drafts_translations",
                "pages",
                "hidden_pages",
                "draft_pages",
            ):
                keep.update(id(obj) for obj in getattr(gen, name, None) or [])
    for method in (Content.get_content, Content.get_summary):
        cache = getattr(method, "cache", None)
        if not isinstance(cache, dict):
            continue
        for key in list(cache):  # a copy: another thread may add meanwhile
            if key and id(key[0]) not in keep:
                cache.pop(key, None)
