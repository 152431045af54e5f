"""The ``SERVER_*`` settings of the company's own web server (nginx) and its releases folder.

Defaults live in ``DEFAULTS``; ``pelicanconf.py``/``publishconf.py`` may override any key.
Read them with ``server_setting(settings, KEY)`` (this capability is a library: Pelican never
loads it as a plugin, so nothing applies the defaults for it).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from magazin.magazine.settings import setting

DEFAULTS: dict[str, Any] = {
    # Host name nginx answers to; "" = the host of SITEURL.
    "SERVER_NAME": "",
    # Folder on the server with releases/<name>/ and the symlink current → the live release.
    "SERVER_ROOT": "/srv/magazin/website",
    # How many releases stay on disk (the live one and the ones before it, for rollback).
    "SERVER_KEEP_RELEASES": 5,
    # nginx "listen" lines of the site's server block (HTTPS in production).
    "SERVER_LISTEN": ["443 ssl http2", "[::]:443 ssl http2"],
    # TLS certificate and key ("" = no ssl_certificate lines, e.g. on loopback in tests).
    "SERVER_TLS_CERTIFICATE": "/etc/ssl/magazin/fullchain.pem",
    "SERVER_TLS_KEY": "/etc/ssl/magazin/privkey.pem",
    # "listen" lines of the plain-HTTP server that only redirects to https:// ([] = none).
    "SERVER_HTTP_REDIRECT_LISTEN": ["80", "[::]:80"],
    # Strict-Transport-Security (two years; the Observatory wants at least six months).
    "SERVER_HSTS": "max-age=63072000; includeSubDomains",
    # Referrer-Policy header (the same as the pages' <meta name="referrer">).
    "SERVER_REFERRER_POLICY": "strict-origin-when-cross-origin",
    # Permissions-Policy: browser features no page of the magazine uses.
    "SERVER_PERMISSIONS_POLICY": (
        "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
        "microphone=(), payment=(), usb=(), interest-cohort=()"
    ),
    # Cross-Origin-Opener-Policy of every page.
    "SERVER_COOP": "same-origin",
    # Regular expressions (nginx syntax) of fingerprinted files: cached a year, immutable.
    "SERVER_IMMUTABLE": [
        r"^/bilder/.+-[0-9a-f]{16}-[0-9]+\.(?:webp|jpe?g|png|avif)$",
        r"^/pagefind/(?:fragment|index|filter)/[a-z_]+_[0-9a-f]{7,}\.pf_[a-z]+$",
        r"^/pagefind/pagefind\.[a-z_]+_[0-9a-f]{10,}\.pf_meta$",
    ],
    # Cache-Control of everything else (HTML, feeds, theme files): ask the server every time.
    "SERVER_REVALIDATE": "no-cache",
    # Also a .br copy, served by Debian's libnginx-mod-http-brotli-static (brotli_static on).
    "SERVER_BROTLI": True,
    # File suffixes the release step stores a .gz (and .br) copy of (nginx serves them as-is).
    "SERVER_PRECOMPRESS": [".html", ".css", ".js", ".xml", ".json", ".svg", ".txt", ".ico", ".map"],
    # Same-origin path of the comment server ("" = no proxy; then COMMENTS_URL stays as it is).
    "SERVER_COMMENTS_PATH": "/kommentare/",
    # Where gunicorn with Isso listens (host:port, loopback).
    "SERVER_COMMENTS_UPSTREAM": "127.0.0.1:8081",
    # Networks that may open Isso's admin page (CIDR); everyone else gets 403.
    "SERVER_ADMIN_NETWORKS": ["127.0.0.1/32", "::1/128"],
    # The authors' editor: path ("" = no block) and what its script-src adds to the site policy.
    "SERVER_EDITOR_PATH": "/redaktion/",
    "SERVER_EDITOR_SCRIPT_EXTRA": ["'unsafe-eval'"],
    # Access log (shortened IPs only) and error log of the site.
    "SERVER_ACCESS_LOG": "/var/log/nginx/magazin.access.log",
    "SERVER_ERROR_LOG": "/var/log/nginx/magazin.error.log",
    # Where `invoke server-config` writes the configuration (outside output/).
    "SERVER_CONFIG_DIR": "server-config",
    # Command run after each switch of the live release, e.g. "sudo systemctl reload nginx"
    # (the redirect map of the WordPress import is read from the live release); "" = none.
    "SERVER_RELOAD_COMMAND": "",
}


def server_setting(settings: Mapping[str, Any], key: str) -> Any:
    """``settings[key]`` or its default from ``DEFAULTS``."""
    return setting(settings, key, DEFAULTS)
