"""Settings and signal wiring of the search plugin (the one place for both)."""

from __future__ import annotations

from pathlib import Path

from pelican import signals

from magazin.magazine.settings import add_template_dir, apply_defaults

from .search import DEFAULTS, SearchPageGenerator, add_globals, build_index

TEMPLATES = Path(__file__).resolve().parent / "templates"


def configure(pelican) -> None:
    apply_defaults(pelican.settings, DEFAULTS)
    add_template_dir(pelican.settings, TEMPLATES)


def get_generators(pelican):
    return SearchPageGenerator


def register() -> None:
    signals.initialized.connect(configure)
    signals.generator_init.connect(add_globals)
    signals.get_generators.connect(get_generators)
    signals.finalized.connect(build_index)
