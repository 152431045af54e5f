"""What the magazine relies on inside Pelican and pelican-sitemap is still there.

``magazin.core.insides`` is the one module that touches them; after an upgrade this test
names the assumption that broke and the plugin that depends on it.
"""

from __future__ import annotations

import re
from importlib.metadata import version

import pytest

from conftest import ROOT
from magazin.core import insides


@pytest.mark.parametrize("inside", insides.INSIDES, ids=lambda i: i.name)
def test_each_inside_is_still_as_relied_on(inside):
    problem = inside.check()
    assert problem is None, f"{inside.name}: {problem} (betrifft {inside.used_by}: {inside.why})"


def test_the_pins_the_insides_were_checked_against():
    requirements = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    for package, line in (
        ("pelican", r"^pelican\[markdown\]==(\S+)$"),
        ("pelican-sitemap", r"^pelican-sitemap==(\S+)$"),
    ):
        pinned = re.search(line, requirements, re.M)
        assert pinned and version(package) == pinned.group(1), f"{package} upgraded: run this test file"


def test_a_changed_inside_is_reported_with_the_plugin_that_needs_it(monkeypatch):
    """The checks can fail: a Writer whose _open_w takes other parameters is named."""
    from pelican.writers import Writer

    def _open_w(self, path, mode="w"):  # what a refactored Pelican might have
        raise AssertionError

    monkeypatch.setattr(Writer, "_open_w", _open_w)
    lines = insides.changed()
    assert len(lines) == 1
    assert lines[0].startswith("pelican.writers.Writer._open_w (Pelican ")
    assert "Parameter ['self', 'path', 'mode']" in lines[0]
    assert "magazin.parallel" in lines[0]


def test_a_changed_sitemap_generator_is_reported(monkeypatch):
    from pelican.plugins.sitemap import sitemap

    monkeypatch.setattr(sitemap, "generator", object())
    assert any("sitemap.generator" in line and "magazin.seo" in line for line in insides.changed())


# What only insides.py may write: private attributes of Pelican's objects, Pelican's module names.
TOUCHES = re.compile(
    r"\._open_w\b|\bpelican\.(?:contents|urlwrappers)\.slugify\s*=|_main_pelican|page_queue\s*="
    r"|LimitFilter\._|\.generate_output\s*=|\.generate_articles\s*=|__dict__\.pop\(\"(?:generate|write)"
)


def test_nothing_else_touches_pelicans_insides():
    found = []
    for path in sorted((ROOT / "plugins" / "magazin").rglob("*.py")):
        if path.name == "insides.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if TOUCHES.search(line) and not line.lstrip().startswith("#"):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == [], "through magazin.core.insides, listed in INSIDES"
