"""X's and Mastodon's own embed codes, for the editorial embed-code rule
(``editorial.embedcodes``, registered in ``embed.register_embeds``):

- X: ``<blockquote class="twitter-tweet">…<a href="https://twitter.com/<user>/status/<id>…">
  …</blockquote>`` followed by ``<script async src="https://platform.twitter.com/widgets.js">``;
  the post is the one the date link at the end names (links in the text may name others);
- Mastodon: ``<iframe src="https://<server>/@<user>/<id>/embed" class="mastodon-embed">`` (with
  or without ``<script src="https://<server>/embed.js">``) and the newer
  ``<blockquote class="mastodon-embed" data-embed-url="…/embed">…</blockquote>``.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from magazin.consent.registry import EmbedCodeRule, Tag

from .model import X_HOSTS, post_key

_MASTODON_EMBED = re.compile(r"^/@[A-Za-z0-9_.-]+(?:@[A-Za-z0-9.-]+)?/\d{1,25}/embed/?$")


def _classes(attrs: dict[str, str]) -> set[str]:
    return set(attrs.get("class", "").split())


def x_identify(tags: list[Tag]) -> str | None:
    """The post an X ``<blockquote class="twitter-tweet">`` stands for."""
    tag, attrs = tags[0]
    if tag != "blockquote" or "twitter-tweet" not in _classes(attrs):
        return None
    for tag, attrs in reversed(tags):  # the date link at the end names the post
        if tag != "a":
            continue
        href = attrs.get("href", "")
        parts = urlsplit(href)
        if (parts.hostname or "").lower() in X_HOSTS and post_key(href.split("?", 1)[0]):
            segments = [s for s in parts.path.split("/") if s]
            return f"https://x.com/{segments[0]}/status/{segments[2]}"
    return None


def x_script_ok(host: str, path: str, url: str) -> bool:
    return host == "platform.twitter.com" and path == "/widgets.js"


def _mastodon_url(embed_url: str) -> str | None:
    parts = urlsplit(embed_url)
    if parts.scheme != "https" or not parts.hostname or not _MASTODON_EMBED.match(parts.path):
        return None
    url = f"https://{parts.hostname}{parts.path.rstrip('/').removesuffix('/embed')}"
    return url if post_key(url) else None


def mastodon_identify(tags: list[Tag]) -> str | None:
    """The post a Mastodon ``<iframe>`` or ``<blockquote class="mastodon-embed">`` stands for."""
    tag, attrs = tags[0]
    if tag == "iframe":
        src = attrs.get("src", "")
        url = _mastodon_url(src)
        if url and ("mastodon-embed" in _classes(attrs) or src.rstrip("/").endswith("/embed")):
            return url
        return None
    if tag == "blockquote" and "mastodon-embed" in _classes(attrs):
        return _mastodon_url(attrs.get("data-embed-url", ""))
    return None


def mastodon_script_ok(host: str, path: str, url: str) -> bool:
    return host == (urlsplit(url).hostname or "").lower() and path == "/embed.js"


X_RULE = EmbedCodeRule(platform="x", name="X", identify=x_identify, script_ok=x_script_ok)
MASTODON_RULE = EmbedCodeRule(
    platform="mastodon", name="Mastodon", identify=mastodon_identify, script_ok=mastodon_script_ok
)
