"""Settings and signal wiring of the Facebook plugin (the one place for both).

Settings (``DEFAULTS``): ``FACEBOOK_LOCALE`` (language of Facebook's frame after consent),
``FACEBOOK_POST_WIDTH`` and ``FACEBOOK_VIDEO_WIDTH`` (the ``width`` Facebook's plugin gets).
"""

from __future__ import annotations

from pathlib import Path

from pelican import signals

from magazin.consent import privacy_url, provider
from magazin.core.settings import Setting, add_markdown_extension, declare
from magazin.core.wiring import configure_with
from magazin.stylesheet import add_css

from .markdown_ext import FacebookExtension

STATIC_DIR = Path(__file__).resolve().parent / "static"
DEFAULTS = declare(
    "magazin.facebook",
    "FACEBOOK_",
    Setting(
        "FACEBOOK_LOCALE", "de_DE", "language of Facebook's post or video frame after the reader's click"
    ),
    Setting("FACEBOOK_POST_WIDTH", 500, "width Facebook's post frame is asked for (350 to 750 pixels)"),
    Setting("FACEBOOK_VIDEO_WIDTH", 560, "width Facebook's video frame is asked for"),
)


def add_extension_and_css(pelican) -> None:
    """The Markdown extension and the stylesheet part (after the defaults)."""
    settings = pelican.settings
    add_markdown_extension(
        settings,
        FacebookExtension(
            provider=provider(settings, "facebook"),
            privacy_url=privacy_url(settings),
            locale=settings["FACEBOOK_LOCALE"],
            post_width=settings["FACEBOOK_POST_WIDTH"],
            video_width=settings["FACEBOOK_VIDEO_WIDTH"],
        ),
    )
    add_css(settings, "facebook", STATIC_DIR / "facebook" / "facebook.css")  # into magazin.css


configure = configure_with(DEFAULTS, then=[add_extension_and_css])


def register() -> None:
    signals.initialized.connect(configure)
