"""Settings and signal wiring of the intranet plugin (the one place for both)."""

from __future__ import annotations

from pathlib import Path

from pelican import signals

from magazin.magazine.settings import add_template_dir, apply_defaults

from .intranet import DEFAULTS, IntranetGenerator

TEMPLATES = Path(__file__).resolve().parent / "templates"


def configure(pelican) -> None:
    apply_defaults(pelican.settings, DEFAULTS)
    add_template_dir(pelican.settings, TEMPLATES)


def get_generators(pelican):
    return IntranetGenerator


def register() -> None:
    signals.initialized.connect(configure)
    signals.get_generators.connect(get_generators)
