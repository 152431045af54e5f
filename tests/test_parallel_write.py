"""Pages written by several processes (plugins/magazin/parallel/writing.py): the same site as
one process writes, every page in the sitemap and the search index, and what goes wrong in a
writing child reaches the build like anything else."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest

from bench.corpus import make_corpus
from bench.runner import diff_trees
from conftest import build_site
from magazin.core.build import BuildFailed

ONE = {"PARALLEL_WORKERS": 1, "CACHE_CONTENT": False, "LOAD_CONTENT_CACHE": False, "IMAGES_WORKERS": 1}
TWO = {"PARALLEL_WORKERS": 2, "PARALLEL_MIN_FILES": 2}

# A plugin that misbehaves only outside the main process, for one article. Every writing
# process runs the generators' whole output loop (and skips the pages that are not its own),
# so the signal for that article reaches the child whichever process writes its page.
PROBE = """
import os
from pelican import signals

MAIN = os.getpid()


def _check(generator, content=None, **kwargs):
    if os.getpid() == MAIN or content is None or not content.source_path.endswith("{name}"):
        return
    {action}


def register():
    signals.article_generator_write_article.connect(_check)
"""


@pytest.fixture(autouse=True)
def _unplug_probes():
    """Pelican never disconnects a plugin's handlers: take the probes' away after each test."""
    yield
    from pelican import signals

    signal = signals.article_generator_write_article
    for receiver in list(signal.receivers_for(signal.ANY) if hasattr(signal, "receivers_for") else []):
        if getattr(receiver, "__module__", "").startswith("schreibprobe_"):
            signal.disconnect(receiver)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return make_corpus(tmp_path_factory.mktemp("write"), 16, seed=11, small_images=True)


def _probe(tmp_path: Path, action: str, article: str) -> dict:
    from pelican.settings import read_settings

    from conftest import SETTINGS

    folder = tmp_path / "probe"
    folder.mkdir()
    name = f"schreibprobe_{abs(hash((str(tmp_path), action)))}"  # a new module for every build
    (folder / f"{name}.py").write_text(
        textwrap.dedent(PROBE).replace("{name}", article).replace("{action}", action), encoding="utf-8"
    )
    plugins = read_settings(str(SETTINGS))["PLUGINS"]
    return {"PLUGIN_PATHS": ["plugins", str(folder)], "PLUGINS": [name, *plugins]}


def _html_pages(out: Path) -> set[str]:
    return {p.relative_to(out).as_posix() for p in out.rglob("*.html")}


def test_two_writing_processes_give_the_same_site(corpus, tmp_path):
    one = tmp_path / "one"
    two = tmp_path / "two"
    build_site(corpus, one, CACHE_PATH=str(tmp_path / "c1"), **ONE)
    build_site(corpus, two, CACHE_PATH=str(tmp_path / "c2"), **TWO)
    assert diff_trees(one, two) == []
    # the sitemap (the main process queues every page, whichever process wrote it) lists all
    # article pages: each corpus article's title is on a page whose address is in the sitemap
    sitemap = (two / "sitemap.xml").read_text(encoding="utf-8")
    locs = set(re.findall(r"<loc>([^<]*)</loc>", sitemap))
    titles = [
        line.removeprefix("Title:").strip()
        for md in (corpus / "articles").rglob("*.md")
        for line in md.read_text(encoding="utf-8").splitlines()
        if line.startswith("Title:")
    ]
    assert len(titles) == 16
    for title in titles:
        [page] = [p for p in two.rglob("index.html") if f">{title}</h1>" in p.read_text(encoding="utf-8")]
        assert any(loc.endswith("/" + page.parent.relative_to(two).as_posix() + "/") for loc in locs), title
    # … and every published article is in the search index (the main process tells Pagefind)
    stats = json.loads(next((tmp_path / "c2" / "pagefind").glob("*/stats.json")).read_text())
    assert stats["pages"] >= 16


def test_a_warning_in_a_writing_child_reaches_the_build(corpus, tmp_path):
    article = sorted((corpus / "articles").rglob("*.md"))[3].name
    action = 'import logging; logging.getLogger("schreibprobe").warning("Probe: Warnung beim Schreiben")'
    report = build_site(
        corpus, tmp_path / "out", CACHE_PATH=str(tmp_path / "c"), **TWO, **_probe(tmp_path, action, article)
    )
    assert [w for w in report.warnings if "Probe:" in w] == ["Probe: Warnung beim Schreiben"]


def test_an_error_in_a_writing_child_fails_the_build_and_keeps_the_site(corpus, tmp_path):
    out = tmp_path / "out"
    build_site(corpus, out, CACHE_PATH=str(tmp_path / "c"), **TWO)
    before = {p: p.read_bytes() for p in out.rglob("*.html")}
    article = sorted((corpus / "articles").rglob("*.md"))[5].name
    crash = _probe(tmp_path, 'raise RuntimeError("Probe: Absturz beim Schreiben")', article)
    with pytest.raises(BuildFailed) as failed:
        build_site(corpus, out, CACHE_PATH=str(tmp_path / "c"), **TWO, **crash)
    assert any("Probe: Absturz beim Schreiben" in p for p in failed.value.problems)
    assert {p: p.read_bytes() for p in out.rglob("*.html")} == before
    assert not list(tmp_path.glob(".out-build-*"))  # no half-written staging folder is left


def test_writer_finalized_means_every_page_is_written(corpus, tmp_path):
    """``page_writer_finalized`` (the search index starts Pagefind on it) comes only after
    the second process has written its pages too."""
    from pelican import signals

    seen: list[int] = []

    def count(generator, writer=None):
        seen.append(sum(1 for _ in Path(generator.output_path).rglob("*.html")))

    signals.page_writer_finalized.connect(count)
    try:
        out = tmp_path / "out"
        build_site(corpus, out, CACHE_PATH=str(tmp_path / "c"), **TWO)
    finally:
        signals.page_writer_finalized.disconnect(count)
    articles_and_pages = [
        p for p in out.rglob("index.html") if "data-pagefind-body" in p.read_text(encoding="utf-8")
    ]
    assert len(seen) == 1 and len(articles_and_pages) >= 16
    # every page with data-pagefind-body existed (in the staging folder) when the signal came
    assert seen[0] >= len(articles_and_pages)


def test_searchable_pages_are_written_first_and_announced(corpus, tmp_path):
    """Each writing process writes its articles and pages before the listings and then sends
    ``searchable_written`` (the search index starts Pagefind once every process has): at that
    moment all of its searchable pages exist and none of its tag pages yet."""
    from magazin.core.wiring import searchable_written
    from magazin.parallel.writing import _owner

    log = tmp_path / "announced.jsonl"

    def record(phase, settings, shard, processes):  # runs in each writing process
        root = Path(settings["OUTPUT_PATH"])
        written = sorted(str(p.relative_to(root)) for p in root.rglob("*.html"))
        with log.open("a", encoding="utf-8") as f:
            f.write(json.dumps({"shard": shard, "processes": processes, "written": written}) + "\n")

    searchable_written.connect(record)
    try:
        out = tmp_path / "out"
        build_site(corpus, out, CACHE_PATH=str(tmp_path / "c"), **TWO)
    finally:
        searchable_written.disconnect(record)
    calls = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert sorted(c["shard"] for c in calls) == [0, 1] and {c["processes"] for c in calls} == {2}
    pages = {str(p.relative_to(out)): p.read_text(encoding="utf-8") for p in out.rglob("*.html")}
    searchable = {name for name, html in pages.items() if "data-pagefind-body" in html}
    tag_pages = {name for name in pages if name.startswith("themen/") and name != "themen/index.html"}
    assert len(searchable) >= 16 and tag_pages
    for call in calls:
        written = set(call["written"])
        own = {name for name in searchable if _owner(name, 2) == call["shard"]}
        assert own and own <= written, sorted(own - written)
        assert {name for name in tag_pages if _owner(name, 2) == call["shard"]} - written  # still to come
