"""Video and post URLs alone on a line: checked with the embed plugins' own rules."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from magazin.posts.model import X_HOSTS as POSTS_X_HOSTS
from magazin.youtube.urls import ALL_HOSTS as YOUTUBE_ALL_HOSTS

from ..source import Source

_BARE_URL_RE = re.compile(r"^\s*<?(?P<url>https?://\S+?)>?\s*$")


# The embed plugins' own host lists: the linter and the build agree on what is an embed.
_YOUTUBE_HOSTS = YOUTUBE_ALL_HOSTS
_X_HOSTS = set(POSTS_X_HOSTS)


def video_url_problem(url: str) -> str | None:
    """Why a YouTube URL names no video (German), or None.

    Uses the YouTube plugin's parser (the same rules as the build).
    """
    from magazin.youtube.urls import InvalidVideoUrl, parse_youtube_url

    try:
        parse_youtube_url(url)
    except InvalidVideoUrl as exc:
        return str(exc)
    return None


def post_url_problem(url: str) -> str | None:
    """Why an X or Mastodon URL names no single post (German), or None.

    Uses the posts plugin's rule (the same as the build).
    """
    from magazin.posts.model import post_key

    if post_key(url) is not None:
        return None
    host = (urlsplit(url).hostname or "").lower()
    if host in _X_HOSTS:
        return "Ein Post auf X hat die Form https://x.com/<konto>/status/<nummer>."
    return "Ein Mastodon-Post hat die Form https://<server>/@<konto>/<nummer>."


def check_embeds(src: Source) -> None:
    for number, line in src.prose_lines():
        match = _BARE_URL_RE.match(line)
        if not match:
            continue
        url = match.group("url")
        parts = urlsplit(url)
        host = parts.netloc.lower()
        segments = [s for s in parts.path.split("/") if s]
        if host in _YOUTUBE_HOSTS:
            reason = video_url_problem(url)
            if reason:
                src.error(
                    number,
                    f"Ungültige Video-Adresse „{url}“: {reason}",
                    "Kopiere die Adresse über „Teilen“ bei YouTube, z. B. https://www.youtube.com/watch?v=abcdefghijk.",
                )
        elif host in _X_HOSTS or (segments and segments[0].startswith("@")):
            reason = post_url_problem(url)
            if reason:
                src.error(
                    number,
                    f"Ungültige Post-Adresse „{url}“: {reason}",
                    "Öffne den einzelnen Post und kopiere seine Adresse.",
                )
