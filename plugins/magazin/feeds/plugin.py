"""Settings and signal wiring of the feeds plugin (the one place for both)."""

from __future__ import annotations

from pelican import signals

from magazin.magazine.settings import apply_defaults

from .feeds import DEFAULTS, FeedsGenerator


def configure(pelican) -> None:
    apply_defaults(pelican.settings, DEFAULTS)


def get_generators(pelican):
    return FeedsGenerator


def register() -> None:
    signals.initialized.connect(configure)
    signals.get_generators.connect(get_generators)
