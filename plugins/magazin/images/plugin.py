"""Settings and signal wiring of the images plugin (the one place for both)."""

from __future__ import annotations

from pelican import signals

from magazin.magazine.settings import apply_defaults

from .images import DEFAULTS, ImagesGenerator


def configure(pelican) -> None:
    apply_defaults(pelican.settings, DEFAULTS)


def get_generators(pelican):
    return ImagesGenerator


def register() -> None:
    signals.initialized.connect(configure)
    signals.get_generators.connect(get_generators)
