"""YouTube as an embed provider: what the consent component, the CSP, the audit, ``invoke check``
and the Datenschutzerklärung need to know, registered by the embed hook ``register_embeds``."""

from __future__ import annotations

import re
from pathlib import Path

from magazin.consent import Provider, add_embed_code, add_provider, add_url_check

from .embedcode import RULE as EMBED_CODE
from .urls import InvalidVideoUrl, parse_youtube_url

# Our section of the Datenschutzerklärung (German Markdown, below the heading), kept beside the code.
PRIVACY_TEXT = Path(__file__).resolve().parent / "datenschutz.md"

# A YouTube address as the build's "URL alone on its line" takes it (scheme optional), also
# protocol-relative (//www.youtube.com/…) and the consent page's (consent.youtube.com/…?continue=…).
YOUTUBE_URL = re.compile(
    r"^(?:https?:)?(?://)?(?:www\.|m\.|music\.|consent\.)?(?:youtube\.com|youtu\.be|youtube-nocookie\.com)/\S*$",
    re.IGNORECASE,
)

PROVIDER = Provider(
    key="youtube",
    name="YouTube",
    transfer=(
        "Erst wenn Sie das Video laden, verbindet sich Ihr Browser mit YouTube "
        "(Google Ireland Limited, Irland; Daten können auch in die USA gelangen): "
        "übertragen werden u. a. Ihre IP-Adresse und die Adresse dieser Seite, "
        "und YouTube kann Cookies setzen."
    ),
    load_label="Video laden",
    external_label="Video auf YouTube ansehen",
    frame_origins=("https://www.youtube-nocookie.com",),
    privacy_policy="https://policies.google.com/privacy?hl=de",
    privacy_heading="Eingebettete Videos von YouTube",
    privacy_text=PRIVACY_TEXT.read_text(encoding="utf-8"),
)


def is_youtube_url(url: str) -> bool:
    """Whether ``url`` is a YouTube address (the build turns it into a video placeholder)."""
    return bool(YOUTUBE_URL.match(url))


def video_url_problem(url: str) -> str | None:
    """Why a YouTube URL names no video (German), or None. The build's own parser."""
    try:
        parse_youtube_url(url)
    except InvalidVideoUrl as exc:
        return str(exc)
    return None


def url_problem(url: str) -> tuple[str, str] | None:
    """``invoke check``: a YouTube address alone on its line that names no video."""
    if not is_youtube_url(url):
        return None
    reason = video_url_problem(url)
    if reason is None:
        return None
    return (
        f"Ungültige Video-Adresse „{url}“: {reason}",
        "Kopiere die Adresse über „Teilen“ bei YouTube, z. B. https://www.youtube.com/watch?v=abcdefghijk.",
    )


def register_embeds(settings: dict) -> None:
    """The embed hook (see ``magazin.consent.registry``): our provider and our URL rule."""
    add_provider(settings, PROVIDER)
    add_url_check(settings, url_problem)
    add_embed_code(settings, EMBED_CODE)
