"""YouTube's own embed code, as its „Teilen → Einbetten“ dialog writes it, for the editorial
embed-code rule (``editorial.embedcodes``, registered in ``embed.register_embeds``)::

    <iframe width="560" height="315" src="https://www.youtube.com/embed/ID?si=…&amp;start=30" …></iframe>

and the same with ``www.youtube-nocookie.com``; start and end times are kept.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from magazin.consent.registry import EmbedCodeRule, Tag

from .urls import ALL_HOSTS, InvalidVideoUrl, canonical_url, parse_youtube_url


def identify(tags: list[Tag]) -> str | None:
    """The video address a YouTube ``<iframe>`` stands for."""
    tag, attrs = tags[0]
    if tag != "iframe":
        return None
    src = attrs.get("src", "")
    host = (urlsplit(src if "://" in src else "https:" + src).hostname or "").lower()
    if host not in ALL_HOSTS:
        return None
    try:
        return canonical_url(parse_youtube_url(src))
    except InvalidVideoUrl:
        return None


RULE = EmbedCodeRule(platform="youtube", name="YouTube", identify=identify)
