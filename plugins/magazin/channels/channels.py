"""Load and validate ``content/data/channels.yml``; expose it to every template as ``CHANNELS``.

One source of truth: the footer, the home page, the social-links page, the brochure, the
e-mail signature and JSON-LD ``sameAs`` all read this list, in file order.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from magazin.core.datafiles import LINE_KEY, data_path, load_records
from magazin.core.errors import ContentError, ContentErrors

REQUIRED = ("platform", "name", "url", "handle", "content", "benefit")
# Platforms we have an icon for; a new one needs only a <symbol> in theme/static/images/icons.svg.
PLATFORMS = ("youtube", "x", "facebook", "blog", "linkedin", "mastodon", "instagram", "xing")
# How the follow link reads per platform ("Auf YouTube folgen"); others use the channel name.
PLATFORM_LABELS = {
    "youtube": "YouTube",
    "x": "X",
    "facebook": "Facebook",
    "blog": "Magazin",
    "linkedin": "LinkedIn",
    "mastodon": "Mastodon",
    "instagram": "Instagram",
    "xing": "XING",
}


@dataclass(frozen=True)
class Channel:
    """One social-media channel, exactly as the data file describes it."""

    platform: str
    name: str
    url: str
    handle: str
    content: str
    benefit: str
    slug: str = ""

    @property
    def display_url(self) -> str:
        """The URL as printed: without scheme and trailing slash (``x.com/hecogmbh``)."""
        parsed = urlparse(self.url)
        return (parsed.netloc + parsed.path).rstrip("/") + (f"?{parsed.query}" if parsed.query else "")

    @property
    def platform_label(self) -> str:
        return PLATFORM_LABELS.get(self.platform, self.name)

    @property
    def is_this_magazine(self) -> bool:
        """The magazine's own entry (platform ``blog``): a channel for the brochure, the
        signature and /social-media/, but not one to follow from inside the magazine."""
        return self.platform == "blog"

    @property
    def follow_label(self) -> str:
        """The call to action on the follow link (``Auf YouTube folgen``)."""
        if self.platform == "blog":
            return "Zum Magazin"
        return f"Auf {self.platform_label} folgen"


def _label(record: dict, index: int) -> str:
    name = record.get("name")
    return f"Kanal „{name}“" if isinstance(name, str) and name.strip() else f"Kanal Nr. {index}"


def validate_record(path: Path, record: dict, index: int, platforms: tuple[str, ...]) -> list[ContentError]:
    """All problems of one channel entry (German, naming file, line and channel)."""
    line = record.get(LINE_KEY)
    label = _label(record, index)
    errors: list[ContentError] = []
    for key in REQUIRED:
        value = record.get(key)
        if value is None or not str(value).strip():
            errors.append(
                ContentError(
                    str(path),
                    line,
                    f"{label}: das Feld „{key}“ fehlt oder ist leer.",
                    "Pflichtfelder: " + ", ".join(REQUIRED) + ".",
                )
            )
    unknown = sorted(k for k in record if k != LINE_KEY and k not in REQUIRED)
    for key in unknown:
        errors.append(
            ContentError(
                str(path),
                line,
                f"{label}: unbekanntes Feld „{key}“.",
                "Erlaubt sind: " + ", ".join(REQUIRED) + " (Tippfehler?).",
            )
        )
    platform = str(record.get("platform") or "").strip().lower()
    if platform and platform not in platforms:
        errors.append(
            ContentError(
                str(path),
                line,
                f"{label}: unbekannte Plattform „{platform}“.",
                "Erlaubt sind: " + ", ".join(platforms) + ".",
            )
        )
    url = str(record.get("url") or "").strip()
    if url:
        parsed = urlparse(url)
        if parsed.scheme != "https" or not parsed.netloc or any(c.isspace() for c in url):
            errors.append(
                ContentError(
                    str(path),
                    line,
                    f"{label}: die Adresse „{url}“ ist keine gültige https-Adresse.",
                    "Trage die vollständige Adresse mit https:// ein, z. B. https://www.youtube.com/@hecogmbh.",
                )
            )
    return errors


def load_channels(settings: dict) -> list[Channel]:
    """Read the channel file; every invalid entry is a ContentError naming file, line and channel."""
    from magazin.german.slugs import slugify_de

    path = data_path(settings, "channels.yml")
    platforms = tuple(settings.get("CHANNELS_PLATFORMS") or PLATFORMS)
    channels: list[Channel] = []
    errors: list[ContentError] = []
    seen_urls: dict[str, str] = {}
    seen_slugs: set[str] = set()
    records = load_records(path, ())
    if not records:
        raise ContentError(str(path), 1, "Die Kanal-Liste ist leer.", "Trage mindestens einen Kanal ein.")
    for index, record in enumerate(records, start=1):
        problems = validate_record(path, record, index, platforms)
        if problems:
            errors.extend(problems)
            continue
        name = str(record["name"]).strip()
        url = str(record["url"]).strip()
        if url in seen_urls:
            errors.append(
                ContentError(
                    str(path),
                    record[LINE_KEY],
                    f"Kanal „{name}“: die Adresse {url} steht schon bei „{seen_urls[url]}“.",
                    "Jeder Kanal braucht seine eigene Adresse.",
                )
            )
            continue
        seen_urls[url] = name
        slug = base = slugify_de(name) or str(record["platform"]).lower()
        counter = 2
        while slug in seen_slugs:
            slug, counter = f"{base}-{counter}", counter + 1
        seen_slugs.add(slug)
        channels.append(
            Channel(
                platform=str(record["platform"]).strip().lower(),
                name=name,
                url=url,
                handle=str(record["handle"]).strip(),
                content=str(record["content"]).strip(),
                benefit=str(record["benefit"]).strip(),
                slug=slug,
            )
        )
    if errors:
        raise ContentErrors(errors)
    return channels


def add_channels(generator) -> None:
    """Put the channel list into the shared context (once per build)."""
    if "CHANNELS" not in generator.context:
        generator.context["CHANNELS"] = load_channels(generator.settings)
