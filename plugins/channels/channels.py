"""Load and validate ``content/data/channels.yml``; expose it to every template as ``CHANNELS``.

One source of truth: the footer, the home page, the social-links page, the brochure, the
e-mail signature and JSON-LD ``sameAs`` all read this list, in file order.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlparse

from pelican import signals

from magazine.datafiles import LINE_KEY, data_path, load_records
from magazine.errors import ContentError, ContentErrors

REQUIRED = ("platform", "name", "url", "handle", "content", "benefit")
# Platforms we have an icon for; a new one needs only an SVG in theme/static/images/channels/.
PLATFORMS = ("youtube", "x", "facebook", "blog", "linkedin", "mastodon", "instagram", "xing")


@dataclass(frozen=True)
class Channel:
    platform: str
    name: str
    url: str
    handle: str
    content: str
    benefit: str


def load_channels(settings: dict) -> list[Channel]:
    """Read the channel file; any invalid entry is a ContentError naming the channel."""
    path = data_path(settings, "channels.yml")
    channels: list[Channel] = []
    errors: list[ContentError] = []
    platforms = tuple(settings.get("CHANNELS_PLATFORMS", PLATFORMS))
    for record in load_records(path, REQUIRED):
        name = str(record["name"])
        platform = str(record["platform"]).lower()
        url = str(record["url"]).strip()
        if platform not in platforms:
            errors.append(ContentError(
                str(path), record[LINE_KEY],
                f"Kanal „{name}“: unbekannte Plattform „{platform}“.",
                "Erlaubt sind: " + ", ".join(platforms) + ".",
            ))
        parsed = urlparse(url)
        if parsed.scheme != "https" or not parsed.netloc:
            errors.append(ContentError(
                str(path), record[LINE_KEY],
                f"Kanal „{name}“: die Adresse „{url}“ ist keine https-Adresse.",
                "Trage die vollständige Adresse mit https:// ein.",
            ))
        channels.append(Channel(platform, name, url, str(record["handle"]),
                                str(record["content"]), str(record["benefit"])))
    if errors:
        raise ContentErrors(errors)
    return channels


def add_channels(generator) -> None:
    """Put the channel list into the shared context (once per build)."""
    if "CHANNELS" not in generator.context:
        generator.context["CHANNELS"] = load_channels(generator.settings)


def register() -> None:
    signals.article_generator_init.connect(add_channels)
