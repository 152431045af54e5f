"""Turn X's post text and entities into the stored HTML fragment (links as <a>)."""

from __future__ import annotations

import html
import re

from markupsafe import Markup, escape

_MENTION = re.compile(r"(?<![\w@/])@(\w{1,15})\b")
_HASHTAG = re.compile(r"(?<![\w&/])#(\w+)")


def x_text_html(text: str, urls: list[dict], drop: set[str] = frozenset()) -> tuple[str, list[dict]]:
    """Escape ``text`` and link mentions, hashtags and the t.co links of ``urls``.

    ``urls`` are X url entities (``url``, ``expanded_url``, ``display_url``); t.co links in
    ``drop`` (the links to attached photos) are removed. Returns (html, links).
    """
    safe = str(escape(html.unescape(text)))
    safe = _MENTION.sub(
        lambda m: str(Markup('<a href="https://x.com/{0}">@{0}</a>').format(m.group(1))), safe
    )
    safe = _HASHTAG.sub(
        lambda m: str(Markup('<a href="https://x.com/hashtag/{0}">#{0}</a>').format(m.group(1))), safe
    )
    links: list[dict] = []
    for entity in urls:
        short = entity.get("url")
        if not short:
            continue
        if short in drop:
            safe = safe.replace(str(escape(short)), "")
            continue
        expanded = entity.get("expanded_url") or short
        display = entity.get("display_url") or expanded
        anchor = str(Markup('<a href="{0}">{1}</a>').format(expanded, display))
        safe = safe.replace(str(escape(short)), anchor)
        links.append({"url": expanded, "title": ""})
    for short in drop:  # photo links that are not among the url entities (archive format)
        if short:
            safe = safe.replace(str(escape(short)), "")
    return " ".join(safe.split(" ")).strip(), links
