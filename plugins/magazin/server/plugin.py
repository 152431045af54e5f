"""The own-server capability is a library (``invoke server-config``, ``publish --target``,
``rollback``, ``bench-server``), not a listed Pelican plugin: nothing to connect."""

from __future__ import annotations

from .settings import DEFAULTS

__all__ = ["DEFAULTS", "register"]


def register() -> None:
    """No signals: the build itself stays as it is; see ``nginx.py`` and ``release.py``."""
