"""Settings and signal wiring of the search plugin (the one place for both)."""

from __future__ import annotations

from pathlib import Path

from pelican import signals

from magazin.magazine.wiring import configure_with, provides

from .search import DEFAULTS, SearchPageGenerator, add_globals, build_index

TEMPLATES = Path(__file__).resolve().parent / "templates"

configure = configure_with(DEFAULTS, templates=TEMPLATES)
get_generators = provides(SearchPageGenerator)


def register() -> None:
    signals.initialized.connect(configure)
    signals.generator_init.connect(add_globals)
    signals.get_generators.connect(get_generators)
    signals.finalized.connect(build_index)
