"""The magazine on the company's own web server: a generated nginx configuration (``nginx.py``),
atomic releases with rollback (``release.py``), nginx and Isso on loopback for tests and the
bench (``loopback.py``, ``bench.py``). Settings: ``SERVER_*`` in ``settings.DEFAULTS``;
operations manual: ``docs/betrieb.md``.
"""

from .nginx import (
    ServerConfigError,
    editor_policy,
    effective_settings,
    header_policy,
    render_config,
    server_overrides,
    write_config,
)
from .plugin import register
from .release import current_release, precompress, publish_release, releases, rollback
from .settings import DEFAULTS, server_setting

__all__ = [
    "DEFAULTS",
    "ServerConfigError",
    "current_release",
    "editor_policy",
    "effective_settings",
    "header_policy",
    "precompress",
    "publish_release",
    "register",
    "releases",
    "render_config",
    "rollback",
    "server_overrides",
    "server_setting",
    "write_config",
]
