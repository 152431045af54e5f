"""Settings and signal wiring of the intranet plugin (the one place for both)."""

from __future__ import annotations

from pathlib import Path

from pelican import signals

from magazin.core.wiring import configure_with, provides

from .intranet import DEFAULTS, IntranetGenerator

TEMPLATES = Path(__file__).resolve().parent / "templates"

configure = configure_with(DEFAULTS, templates=TEMPLATES)
get_generators = provides(IntranetGenerator)


def register() -> None:
    signals.initialized.connect(configure)
    signals.get_generators.connect(get_generators)
