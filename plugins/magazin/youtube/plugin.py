"""Settings and signal wiring of the YouTube plugin (the one place for both).

Settings (defaults in ``DEFAULTS``): ``YOUTUBE_MEDIA_DIR`` (cached posters and metadata, below
``PATH``), ``YOUTUBE_POSTER_WIDTHS``, ``YOUTUBE_WARN_MISSING_POSTER``, ``YOUTUBE_VIDEOS_SAVE_AS`` /
``YOUTUBE_VIDEOS_URL`` (the ``/videos/`` page) and ``YOUTUBE_GROUPS`` (its headings).
"""

from __future__ import annotations

from pathlib import Path

from pelican import signals

from magazin.consent import privacy_url, provider
from magazin.core.settings import Setting, add_markdown_extension, add_static_dir, declare
from magazin.core.wiring import configure_with, provides
from magazin.stylesheet import add_css

from .fetch import OEMBED_URL, THUMBNAIL_URL
from .generator import VideosGenerator, add_globals
from .markdown_ext import YouTubeExtension

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
STATIC_DIR = Path(__file__).resolve().parent / "static"
DEFAULTS = declare(
    "magazin.youtube",
    "YOUTUBE_",
    Setting(
        "YOUTUBE_MEDIA_DIR", "media/youtube", "folder below PATH with posters and titles (invoke fetch-media)"
    ),
    Setting("YOUTUBE_POSTER_WIDTHS", (480, 960, 1280), "widths of the local poster derivatives"),
    Setting(
        "YOUTUBE_WARN_MISSING_POSTER", True, "warn about a video without a fetched poster (fails publishing)"
    ),
    Setting("YOUTUBE_VIDEOS_SAVE_AS", "videos/index.html", "file of the videos overview"),
    Setting("YOUTUBE_VIDEOS_URL", "videos/", "address of the videos overview"),
    Setting(
        "YOUTUBE_GROUPS",
        [
            ("Interview", "Interviews mit Mitarbeitenden"),
            ("Montage", "Montagevideos"),
            ("Tutorial", "Tutorials zur Website"),
            (None, "Weitere Videos"),
        ],
        "group headings of /videos/ in order (type, heading); None collects videos without a type",
    ),
    Setting(
        "YOUTUBE_THUMBNAIL_URL",
        THUMBNAIL_URL,
        "where invoke fetch-media gets posters (tests: a local server)",
    ),
    Setting("YOUTUBE_OEMBED_URL", OEMBED_URL, "where invoke fetch-media gets titles (tests: a local server)"),
)


def add_extension_and_assets(pelican) -> None:
    """The Markdown extension, the static folder and the stylesheet part (after the defaults)."""
    settings = pelican.settings
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
    add_static_dir(settings, STATIC_DIR, "youtube")
    add_css(settings, "youtube", STATIC_DIR / "youtube" / "videos.css")  # into magazin.css
    # The raw cached posters are sources, not published files (the derivatives are).
    settings["STATIC_EXCLUDES"] = [*settings.get("STATIC_EXCLUDES", []), settings["YOUTUBE_MEDIA_DIR"]]


configure = configure_with(DEFAULTS, templates=TEMPLATES_DIR, then=[add_extension_and_assets])
get_generators = provides(VideosGenerator)


def register() -> None:
    signals.initialized.connect(configure)
    signals.generator_init.connect(add_globals)
    signals.get_generators.connect(get_generators)
