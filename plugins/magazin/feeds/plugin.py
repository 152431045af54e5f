"""Settings and signal wiring of the feeds plugin (the one place for both)."""

from __future__ import annotations

from pelican import signals

from magazin.core.wiring import configure_with, provides

from .feeds import DEFAULTS, FeedsGenerator

configure = configure_with(DEFAULTS)
get_generators = provides(FeedsGenerator)


def register() -> None:
    signals.initialized.connect(configure)
    signals.get_generators.connect(get_generators)
