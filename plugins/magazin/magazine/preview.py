"""Incremental rebuilds for the live preview (``invoke livereload``).

Pelican renders every page on every build. The preview process keeps a ``PreviewState``
between its builds; when the only inputs that changed since the last successful build are
article sources whose metadata stayed the same (the author edited the body), a page whose
previous output mentions none of the edited articles' URLs and that is not one of their own
pages cannot show the edit: its previous text is written again instead of rendering the
template. Everything else (reading, plugins, checks, staging folder and atomic swap, feeds,
sitemap, search index) runs as in every build. Any other change (a new or deleted file,
metadata, data files, theme, plugins, settings) renders every page.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

Snapshot = dict[str, tuple[int, int]]


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
class PreviewState:
    """What the live-preview process remembers between builds (in memory only)."""

    key: str = ""
    inputs: Snapshot = field(default_factory=dict)
    articles: dict[str, str] = field(default_factory=dict)
    #: Figures of the last build: pages written from the previous output / rendered.
    reused: int = 0
    rendered: int = 0
    incremental: bool = False

    def start(self, settings_file: Any, overrides: dict, settings: dict, final: Path) -> _PreviewRun:
        """Begin one build; the state changes only when the build succeeds."""
        roots = [Path(settings["PATH"]), Path(settings["THEME"]), Path(settings_file).resolve()]
        roots += [Path(p) for p in settings.get("PLUGIN_PATHS", [])]
        settings_path = str(Path(settings_file).resolve())
        key = repr((settings_path, sorted((k, repr(v)) for k, v in overrides.items()), str(final)))
        return _PreviewRun(self, key, _snapshot(r for r in roots if r.exists()), final)


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

    def __init__(self, state: PreviewState, key: str, inputs: Snapshot, final: Path):
        self.state = state
        self.key = key
        self.inputs = inputs
        self.final = final
        self.articles: dict[str, str] = {}
        self.changed: set[str] | None = None  # source paths; None: render everything
        self.urls: list[bytes] = []
        self.reused = 0
        self.rendered = 0

    def on_generators_finalized(self, generators: list) -> None:
        from pelican.generators import ArticlesGenerator

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
        if self.changed is None:
            return None
        for name in ("article", "page"):
            obj = localcontext.get(name)
            if obj is not None and getattr(obj, "source_path", None) in self.changed:
                return None
        try:
            data = (self.final / localcontext["output_file"]).read_bytes()
        except (OSError, KeyError):
            return None
        if any(url in data for url in self.urls):
            return None
        return data.decode("utf-8")

    def get_writer(self, pelican_object: Any) -> type:
        from pelican.writers import Writer

        run = self

        class PreviewWriter(Writer):
            """Pelican's writer, rendering only pages that may show an edit."""

            def write_file(self, name, template, context, *args, **kwargs):  # type: ignore[override]
                return super().write_file(name, _ReusingTemplate(template, run), context, *args, **kwargs)

        return PreviewWriter

    def commit(self) -> None:
        """The build succeeded and replaced the output: remember its inputs."""
        state = self.state
        state.key, state.inputs, state.articles = self.key, self.inputs, self.articles
        state.reused, state.rendered, state.incremental = self.reused, self.rendered, self.changed is not None
