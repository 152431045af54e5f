"""Settings and signal wiring of the stylesheet plugin (the one place for both)."""

from __future__ import annotations

from pelican import signals

from magazin.magazine.settings import apply_defaults

from .stylesheet import DEFAULTS, write_bundle


def configure(pelican) -> None:
    apply_defaults(pelican.settings, DEFAULTS)


def register() -> None:
    signals.initialized.connect(configure)
    signals.finalized.connect(write_bundle)
