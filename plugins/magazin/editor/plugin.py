"""Settings and signal wiring of the editor plugin (the one place for both)."""

from __future__ import annotations

from pathlib import Path

from pelican import signals

from magazin.core.wiring import configure_with, provides

from .exif import strip_gps
from .generator import EditorGenerator
from .settings import DEFAULTS

TEMPLATES = Path(__file__).resolve().parent / "templates"

configure = configure_with(DEFAULTS, templates=TEMPLATES)
get_generators = provides(EditorGenerator)


def register() -> None:
    signals.initialized.connect(configure)
    signals.get_generators.connect(get_generators)
    signals.finalized.connect(strip_gps)  # no location data in published pictures
