"""Settings and signal wiring of the YouTube plugin (the one place for both).

Settings (defaults in ``DEFAULTS``): ``YOUTUBE_MEDIA_DIR`` (cached posters and metadata, below
``PATH``), ``YOUTUBE_POSTER_WIDTHS``, ``YOUTUBE_WARN_MISSING_POSTER``, ``YOUTUBE_VIDEOS_SAVE_AS`` /
``YOUTUBE_VIDEOS_URL`` (the ``/videos/`` page) and ``YOUTUBE_GROUPS`` (its headings).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pelican import signals

from magazin.consent import privacy_url, provider
from magazin.magazine.settings import add_markdown_extension, add_static_dir, add_template_dir, apply_defaults
from magazin.stylesheet import add_css

from .generator import VideosGenerator, add_globals
from .markdown_ext import YouTubeExtension

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
STATIC_DIR = Path(__file__).resolve().parent / "static"
DEFAULTS: dict[str, Any] = {
    "YOUTUBE_MEDIA_DIR": "media/youtube",  # below PATH; filled by ``invoke fetch-media``
    "YOUTUBE_POSTER_WIDTHS": (480, 960, 1280),
    "YOUTUBE_WARN_MISSING_POSTER": True,  # a warning fails the publish build
    "YOUTUBE_VIDEOS_SAVE_AS": "videos/index.html",
    "YOUTUBE_VIDEOS_URL": "videos/",
    # Group headings of /videos/, in order; None collects videos without a type.
    "YOUTUBE_GROUPS": [
        ("Interview", "Mitarbeiter-Interviews"),
        ("Montage", "Montage-Videos"),
        ("Tutorial", "Tutorials zur Website"),
        (None, "Weitere Videos"),
    ],
}


def configure(pelican) -> None:
    """Defaults, the Markdown extension, the plugin's template and static folders."""
    settings = pelican.settings
    apply_defaults(settings, DEFAULTS)
    content = Path(settings["PATH"])
    add_markdown_extension(
        settings,
        YouTubeExtension(
            media_dir=str(content / settings["YOUTUBE_MEDIA_DIR"]),
            content_dir=str(content),
            site_url=settings.get("SITEURL", ""),
            privacy_url=privacy_url(settings),
            poster_widths=tuple(settings["YOUTUBE_POSTER_WIDTHS"]),
            warn_missing_poster=bool(settings["YOUTUBE_WARN_MISSING_POSTER"]),
            provider=provider(settings, "youtube"),
        ),
    )
    add_template_dir(settings, TEMPLATES_DIR)
    add_static_dir(settings, STATIC_DIR, "youtube")
    add_css(settings, "youtube", STATIC_DIR / "youtube" / "videos.css")  # into magazin.css
    # The raw cached posters are sources, not published files (the derivatives are).
    settings["STATIC_EXCLUDES"] = [*settings.get("STATIC_EXCLUDES", []), settings["YOUTUBE_MEDIA_DIR"]]


def get_generators(pelican):
    return VideosGenerator


def register() -> None:
    signals.initialized.connect(configure)
    signals.generator_init.connect(add_globals)
    signals.get_generators.connect(get_generators)
