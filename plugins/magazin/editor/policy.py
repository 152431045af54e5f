"""The Content-Security-Policy of the editor page, the only page that may relax the script
policy: Decap CMS compiles code at run time (``'unsafe-eval'``, which covers its WebAssembly
too) and styles its interface with ``<style>`` elements it inserts (``'unsafe-inline'`` in
``style-src``). Everything else stays as strict as on every other page: only our own files,
no frames, no objects; the only other origins are the git host's API (production) and the
local ``decap-server`` on 127.0.0.1 (development).

``editor_csp(settings)`` is public: the web-server configuration sends the same policy as a
header for ``/redaktion/``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from magazin.core.settings import setting

from .settings import API_ROOTS, DEFAULTS


def _origin(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"


def backend_origins(settings: Mapping[str, Any]) -> list[str]:
    """The origins the editor talks to besides its own: the git host's API (``api_root`` or
    the backend's default), the local decap-server, ``EDITOR_CONNECT_SOURCES``."""
    origins: list[str] = []
    backend = setting(settings, "EDITOR_BACKEND", DEFAULTS) or {}
    api = backend.get("api_root") or API_ROOTS.get(str(backend.get("name", "")))
    for url in (api, setting(settings, "EDITOR_LOCAL_BACKEND", DEFAULTS)):
        origin = _origin(url) if url else None
        if origin and origin not in origins:
            origins.append(origin)
    for extra in setting(settings, "EDITOR_CONNECT_SOURCES", DEFAULTS) or []:
        origin = _origin(extra)
        if origin and origin not in origins:
            origins.append(origin)
    return origins


def editor_csp(settings: Mapping[str, Any]) -> str:
    """The editor page's policy (its ``<meta>`` and the web server's header for it)."""
    connect = " ".join(["'self'", "blob:", *backend_origins(settings)])  # blob: the pictures to upload
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self' 'unsafe-eval'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self'",
            f"connect-src {connect}",
            "media-src 'self' blob:",
            "worker-src 'self' blob:",
            "frame-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
        ]
    )
