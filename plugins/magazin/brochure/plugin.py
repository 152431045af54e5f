"""Signal wiring of the brochure plugin (the generator and its settings: ``generator.py``)."""

from __future__ import annotations

from pelican import signals

from magazin.core.wiring import configure_with, provides

from .generator import DEFAULTS, TEMPLATES, BrochureGenerator, finish, start_early

configure = configure_with(DEFAULTS, templates=TEMPLATES)
get_generators = provides(BrochureGenerator)


def register() -> None:
    signals.initialized.connect(configure)
    signals.get_generators.connect(get_generators)
    signals.article_generator_finalized.connect(start_early)
    signals.all_generators_finalized.connect(finish)
