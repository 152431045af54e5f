"""Fold the plugins' CSS into the theme's single stylesheet.

Every page links exactly one stylesheet (``theme/css/magazin.css``): a second render-blocking
request costs a round trip on mobile. Plugins keep owning their CSS files and register them
in their ``initialized`` handler::

    from magazin.stylesheet import add_css
    add_css(settings, "consent", STATIC_DIR / "consent" / "consent.css")

After the static generator copied the theme (``finalized``), the output's ``magazin.css`` is
rewritten as the theme's file followed by each part under a ``/* plugin: <name> */`` heading,
in registration order (deterministic: the same bytes on every build). The file is only
written when its bytes change.

Settings (defaults in ``DEFAULTS``): ``STYLESHEET_TARGET`` (the theme file, relative
to the theme's ``static`` folder), ``STYLESHEET_PARTS`` (``[(name, path), …]``, filled by
``add_css``).
"""

from __future__ import annotations

import os
from pathlib import Path

from magazin.core.settings import Setting, declare, setting

DEFAULTS = declare(
    "magazin.stylesheet",
    "STYLESHEET_",
    Setting("STYLESHEET_TARGET", "css/magazin.css", "the one stylesheet, below the theme's static output"),
    Setting(
        "STYLESHEET_PARTS", [], "[(name, path), …] filled by the plugins' add_stylesheet_part", computed=True
    ),
)


def add_css(settings: dict, name: str, path: str | os.PathLike[str]) -> None:
    """Register a plugin's CSS file (once) to be appended to the theme stylesheet."""
    parts = list(settings.get("STYLESHEET_PARTS") or [])
    entry = (name, str(path))
    if entry not in parts:
        parts.append(entry)
    settings["STYLESHEET_PARTS"] = parts


def bundle(theme_css: str, parts: list[tuple[str, str]]) -> str:
    """The theme's CSS followed by each part under a heading comment."""
    chunks = [theme_css.rstrip("\n") + "\n"]
    for name, path in parts:
        css = Path(path).read_text(encoding="utf-8").rstrip("\n")
        chunks.append(f"\n/* plugin: {name} ({Path(path).name}) */\n{css}\n")
    return "".join(chunks)


def write_bundle(pelican) -> None:
    settings = pelican.settings
    parts = settings.get("STYLESHEET_PARTS") or []
    target_rel = setting(settings, "STYLESHEET_TARGET", DEFAULTS)
    source = Path(settings["THEME"]) / "static" / target_rel
    if not parts or not source.is_file():
        return
    target = Path(pelican.output_path) / settings["THEME_STATIC_DIR"] / target_rel
    text = bundle(source.read_text(encoding="utf-8"), parts).encode("utf-8")
    if target.is_file() and target.read_bytes() == text:
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f"{target.name}.tmp{os.getpid()}")
    tmp.write_bytes(text)
    os.replace(tmp, target)
