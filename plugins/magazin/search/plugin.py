"""Settings and signal wiring of the search plugin (the one place for both)."""

from __future__ import annotations

from pelican import signals

from magazin.magazine.settings import apply_defaults

from .search import DEFAULTS, SearchPageGenerator, add_globals, build_index


def configure(pelican) -> None:
    apply_defaults(pelican.settings, DEFAULTS)


def get_generators(pelican):
    return SearchPageGenerator


def register() -> None:
    signals.initialized.connect(configure)
    signals.generator_init.connect(add_globals)
    signals.get_generators.connect(get_generators)
    signals.finalized.connect(build_index)
