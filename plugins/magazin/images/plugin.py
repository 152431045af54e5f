"""Settings and signal wiring of the images plugin (the one place for both)."""

from __future__ import annotations

from pelican import signals

from magazin.magazine.wiring import configure_with, provides

from .images import DEFAULTS, ImagesGenerator

configure = configure_with(DEFAULTS)
get_generators = provides(ImagesGenerator)


def register() -> None:
    signals.initialized.connect(configure)
    signals.get_generators.connect(get_generators)
