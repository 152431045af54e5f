"""Settings plumbing shared by every plugin of the magazine (one copy instead of one per plugin).

A plugin keeps its settings, each with the plugin's prefix, in ONE ``DEFAULTS`` dict in its
``plugin.py`` and calls these helpers from its ``initialized`` handler::

    from magazin.magazine.settings import add_template_dir, apply_defaults, setting

    def configure(pelican):
        apply_defaults(pelican.settings, DEFAULTS)
        add_template_dir(pelican.settings, TEMPLATES)

    def somewhere(generator):
        count = setting(generator.settings, "POSTS_FEED_COUNT", DEFAULTS)

``setting()`` also works on settings the ``initialized`` handler has not seen (tests, the
linter of ``invoke check``, which reads settings without starting Pelican).
"""

from __future__ import annotations

import copy
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

PUBLISHER_FALLBACK = "heco gmbh"


def apply_defaults(settings: dict, defaults: Mapping[str, Any]) -> None:
    """Fill in every key of ``defaults`` the site's settings do not set."""
    for key, value in defaults.items():
        if key not in settings:
            settings[key] = copy.deepcopy(value)  # a build may extend a list: never the plugin's


def setting(settings: Mapping[str, Any], key: str, defaults: Mapping[str, Any]) -> Any:
    """``settings[key]``, or the plugin's default when the site does not set it.

    A ``KeyError`` for a key missing from ``defaults`` is deliberate: a typo in a setting's
    name fails at once instead of silently reading ``None``."""
    return settings.get(key, defaults[key])


def add_template_dir(settings: dict, path: str | os.PathLike[str]) -> None:
    """Let the theme's Jinja loader find a plugin's templates (once; after the theme's own).

    Pelican searches ``THEME_TEMPLATES_OVERRIDES`` before the theme, so a plugin folder must
    only hold templates the theme does not have (see docs/architektur.md)."""
    overrides = list(settings.get("THEME_TEMPLATES_OVERRIDES", []))
    if str(path) not in overrides:
        overrides.append(str(path))
    settings["THEME_TEMPLATES_OVERRIDES"] = overrides


def add_static_dir(settings: dict, path: str | os.PathLike[str], prefix: str) -> str:
    """Publish a plugin's ``static`` folder with the theme's static files (once) and return
    the site path its files get (``theme/<prefix>``).

    Pelican copies each ``THEME_STATIC_PATHS`` folder's contents into ``THEME_STATIC_DIR``, so
    two plugins would overwrite each other's ``consent.js`` or ``videos.css``: every plugin keeps
    its files in ``static/<prefix>/`` (``prefix`` = the plugin's name) and nothing beside it."""
    folder = Path(path)
    stray = sorted(p.name for p in folder.iterdir() if p.name != prefix) if folder.is_dir() else []
    if not (folder / prefix).is_dir() or stray:
        raise ValueError(f"{folder} must contain exactly one folder {prefix!r} (found {stray or 'nothing'})")
    paths = list(settings.get("THEME_STATIC_PATHS", []))
    if str(folder) not in paths:
        paths.append(str(folder))
    settings["THEME_STATIC_PATHS"] = paths
    return f"{settings.get('THEME_STATIC_DIR', 'theme')}/{prefix}"


def add_markdown_extension(settings: dict, extension: Any) -> None:
    """Append a Markdown extension instance to ``MARKDOWN`` (a copy: the settings module's dict
    stays untouched); an earlier instance of the same class is replaced, not doubled."""
    md = dict(settings.get("MARKDOWN") or {})
    kept = [e for e in md.get("extensions", []) if type(e) is not type(extension)]
    md["extensions"] = [*kept, extension]
    md["extension_configs"] = dict(md.get("extension_configs", {}))
    settings["MARKDOWN"] = md


def canonical_base(settings: Mapping[str, Any]) -> str:
    """Absolute base of canonical links, Open Graph, JSON-LD and feeds, without a trailing slash:
    ``MAGAZINE_CANONICAL_BASE``, else ``SITEURL``, else empty."""
    return (settings.get("MAGAZINE_CANONICAL_BASE") or settings.get("SITEURL") or "").rstrip("/")


def publisher_name(settings: Mapping[str, Any]) -> str:
    """The publisher named in feeds, copyright lines and JSON-LD (``PUBLISHER``)."""
    return settings.get("PUBLISHER") or PUBLISHER_FALLBACK


def usable_cores() -> int:
    """The CPU cores this process may run on (its affinity, else the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def workers(settings: Mapping[str, Any], key: str, defaults: Mapping[str, Any]) -> int:
    """How many processes a ``*_WORKERS`` setting asks for (``None``: every usable core), at least 1."""
    wanted = setting(settings, key, defaults)
    return max(1, int(usable_cores() if wanted is None else wanted))
