"""Settings and signal wiring of the stylesheet plugin (the one place for both)."""

from __future__ import annotations

from pelican import signals

from magazin.core.wiring import configure_with

from .stylesheet import DEFAULTS, write_bundle

configure = configure_with(DEFAULTS)


def register() -> None:
    signals.initialized.connect(configure)
    signals.finalized.connect(write_bundle)
