"""The ``SERVER_*`` settings of the company's own web server (nginx) and its releases folder.

Declared in ``DEFAULTS``; ``pelicanconf.py``/``publishconf.py`` may override any key. Read them
with ``server_setting(settings, KEY)``. This capability is a library (Pelican never loads it as a
plugin), so its tasks call ``check_server_settings`` before they use the settings: a misspelt
``SERVER_…`` key or a wrong type stops them with the usual German message.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from magazin.core.settings import Setting, check_settings, declare, setting

DEFAULTS = declare(
    "magazin.server",
    "SERVER_",
    Setting(
        "SERVER_NAME",
        "",
        'Host name nginx answers to; "" = the host of SITEURL.',
    ),
    Setting(
        "SERVER_ROOT",
        "/srv/magazin/website",
        "Folder on the server with releases/<name>/ and the symlink current → the live release.",
    ),
    Setting(
        "SERVER_KEEP_RELEASES",
        5,
        "How many releases stay on disk (the live one and the ones before it, for rollback).",
    ),
    Setting(
        "SERVER_LISTEN",
        ["443 ssl http2", "[::]:443 ssl http2"],
        'nginx "listen" lines of the site\'s server block (HTTPS in production).',
    ),
    Setting(
        "SERVER_TLS_CERTIFICATE",
        "/etc/ssl/magazin/fullchain.pem",
        'TLS certificate and key ("" = no ssl_certificate lines, e.g. on loopback in tests).',
    ),
    Setting(
        "SERVER_TLS_KEY",
        "/etc/ssl/magazin/privkey.pem",
        'TLS certificate and key ("" = no ssl_certificate lines, e.g. on loopback in tests).',
    ),
    Setting(
        "SERVER_HTTP_REDIRECT_LISTEN",
        ["80", "[::]:80"],
        '"listen" lines of the plain-HTTP server that only redirects to https:// ([] = none).',
    ),
    Setting(
        "SERVER_HSTS",
        "max-age=63072000; includeSubDomains",
        "Strict-Transport-Security (two years; the Observatory wants at least six months).",
    ),
    Setting(
        "SERVER_REFERRER_POLICY",
        "strict-origin-when-cross-origin",
        'Referrer-Policy header (the same as the pages\' <meta name="referrer">).',
    ),
    Setting(
        "SERVER_PERMISSIONS_POLICY",
        (
            "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
            "microphone=(), payment=(), usb=(), interest-cohort=()"
        ),
        "Permissions-Policy: browser features no page of the magazine uses.",
    ),
    Setting(
        "SERVER_COOP",
        "same-origin",
        "Cross-Origin-Opener-Policy of every page.",
    ),
    Setting(
        "SERVER_IMMUTABLE",
        [
            r"^/bilder/.+-[0-9a-f]{16}-[0-9]+\.(?:webp|jpe?g|png|avif)$",
            r"^/pagefind/(?:fragment|index|filter)/[a-z_]+_[0-9a-f]{7,}\.pf_[a-z]+$",
            r"^/pagefind/pagefind\.[a-z_]+_[0-9a-f]{10,}\.pf_meta$",
        ],
        "Regular expressions (nginx syntax) of fingerprinted files: cached a year, immutable.",
    ),
    Setting(
        "SERVER_REVALIDATE",
        "no-cache",
        "Cache-Control of everything else (HTML, feeds, theme files): ask the server every time.",
    ),
    Setting(
        "SERVER_BROTLI",
        True,
        "Also a .br copy, served by Debian's libnginx-mod-http-brotli-static (brotli_static on).",
    ),
    Setting(
        "SERVER_PRECOMPRESS",
        [".html", ".css", ".js", ".xml", ".json", ".svg", ".txt", ".ico", ".map"],
        "File suffixes the release step stores a .gz (and .br) copy of (nginx serves them as-is).",
    ),
    Setting(
        "SERVER_COMMENTS_PATH",
        "/kommentare/",
        'Same-origin path of the comment server ("" = no proxy; then COMMENTS_URL stays as it is).',
    ),
    Setting(
        "SERVER_COMMENTS_UPSTREAM",
        "127.0.0.1:8081",
        "Where gunicorn with Isso listens (host:port, loopback).",
    ),
    Setting(
        "SERVER_ADMIN_NETWORKS",
        ["127.0.0.1/32", "::1/128"],
        "Networks that may open Isso's admin page (CIDR); everyone else gets 403.",
    ),
    Setting(
        "SERVER_ACCESS_LOG",
        "/var/log/nginx/magazin.access.log",
        "Access log (shortened IPs only) and error log of the site.",
    ),
    Setting(
        "SERVER_ERROR_LOG",
        "/var/log/nginx/magazin.error.log",
        "Access log (shortened IPs only) and error log of the site.",
    ),
    Setting(
        "SERVER_CONFIG_DIR",
        "server-config",
        "Where `invoke server-config` writes the configuration (outside output/).",
    ),
    Setting(
        "SERVER_RELOAD_COMMAND",
        "",
        'command run after each switch of the live release, e.g. "sudo systemctl reload nginx" '
        '(nginx reads the redirect map from the live release); "" = none',
    ),
)


def server_setting(settings: Mapping[str, Any], key: str) -> Any:
    """``settings[key]`` or its default from ``DEFAULTS``."""
    return setting(settings, key, DEFAULTS)


def check_server_settings(settings: Mapping[str, Any]) -> None:
    """Refuse unknown ``SERVER_…`` keys and wrong types (German ``ContentErrors``)."""
    check_settings(settings, DEFAULTS)
