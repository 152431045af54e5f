"""Settings and signal wiring of the images plugin (the one place for both)."""

from __future__ import annotations

from pelican import signals

from magazin.core.incremental import add_body_refresher
from magazin.core.wiring import configure_with, provides

from .images import DEFAULTS, ImagesGenerator, refresh_body


def add_refresher(pelican) -> None:
    """The live preview's fast render rewrites an edited body's images and teaser."""
    add_body_refresher(pelican.settings, "generators", refresh_body)


configure = configure_with(DEFAULTS, then=[add_refresher])
get_generators = provides(ImagesGenerator)


def register() -> None:
    signals.initialized.connect(configure)
    signals.get_generators.connect(get_generators)
