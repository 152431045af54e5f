"""The live preview's incremental rebuild: after a body-only edit it renders only the pages
that can show the edit, and its output equals a clean build of the same content."""

from __future__ import annotations

import pytest

from bench.corpus import make_corpus
from bench.runner import diff_trees
from conftest import SETTINGS
from magazin.core.build import build
from magazin.core.incremental import PreviewState


@pytest.mark.slow
def test_preview_rebuild_after_edits_equals_clean_build(tmp_path):
    content = make_corpus(tmp_path / "site", 16, seed=11, small_images=True)
    victim = sorted((content / "articles").rglob("*.md"))[3]
    # No Summary: line, so listing pages show the body's beginning and must follow the edit.
    head, body = victim.read_text(encoding="utf-8").split("\n\n", 1)
    head = "\n".join(line for line in head.splitlines() if not line.startswith("Summary:"))
    victim.write_text(f"{head}\n\n{body}", encoding="utf-8")
    out, cache = tmp_path / "output", tmp_path / "cache"
    overrides = {"PATH": str(content), "CACHE_PATH": str(cache)}
    state = PreviewState()
    build(SETTINGS, out, overrides=overrides, preview=state)
    assert not state.incremental

    def clean(name: str):
        fresh = tmp_path / name
        fresh_cache = tmp_path / f"cache-{name}"
        build(SETTINGS, fresh, overrides={"PATH": str(content), "CACHE_PATH": str(fresh_cache)})
        return fresh

    head, body = victim.read_text(encoding="utf-8").split("\n\n", 1)
    victim.write_text(f"{head}\n\nRohrbögen aus der Vorschau. {body}", encoding="utf-8")
    build(SETTINGS, out, overrides=overrides, preview=state)
    assert state.incremental
    assert state.reused > state.rendered > 1
    pages = [p.read_text(encoding="utf-8") for p in out.rglob("*.html")]
    showing = [text for text in pages if "Rohrbögen aus der Vorschau" in text]
    assert len(showing) > 1  # the article and the listing pages with its teaser
    assert diff_trees(clean("clean1"), out) == []

    # Metadata changed: every page is rendered again, still equal to a clean build.
    text = victim.read_text(encoding="utf-8").replace("Tags: ", "Tags: Vorschau-Thema, ", 1)
    victim.write_text(text, encoding="utf-8")
    build(SETTINGS, out, overrides=overrides, preview=state)
    assert not state.incremental and state.reused == 0
    assert diff_trees(clean("clean2"), out) == []
