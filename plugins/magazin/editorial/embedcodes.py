"""The platforms' own embed codes, pasted into an article, become the plain address they stand for.

Recognised (each as the platform's "Teilen → Einbetten" dialog writes it, on one or more lines,
as a block of its own):

- YouTube's ``<iframe src="https://www.youtube.com/embed/ID?si=…&amp;start=30" …></iframe>``
  and the same with ``www.youtube-nocookie.com`` (start and end times are kept);
- X's ``<blockquote class="twitter-tweet">…<a href="https://twitter.com/<user>/status/<id>…">
  …</blockquote>`` followed by ``<script async src="https://platform.twitter.com/widgets.js">``;
- Mastodon's ``<iframe src="https://<server>/@<user>/<id>/embed" class="mastodon-embed">``
  (with or without ``<script src="https://<server>/embed.js">``) and the newer
  ``<blockquote class="mastodon-embed" data-embed-url="…/embed">…</blockquote>``.

``EmbedCodeExtension`` is a Markdown preprocessor: it runs before Python-Markdown stashes raw
HTML and puts the address alone on its own line in place of the code, so the YouTube and posts
extensions turn it into the same private video block / post card as a pasted address. The
replacement has as many lines as the code had (at least three), so line numbers of later
lines stay what the author sees. ``find_embed_codes`` is shared with the pre-build checks
(``rawhtml``), which refuse every other raw HTML that could load or run something, and with
``invoke check``, which tells the author that the plain address is the simpler way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

from magazin.posts.model import X_HOSTS, post_key
from magazin.youtube.urls import ALL_HOSTS as YOUTUBE_HOSTS
from magazin.youtube.urls import InvalidVideoUrl, canonical_url, parse_youtube_url

_OPEN = re.compile(r"^\s*<(?P<tag>iframe|blockquote)\b", re.I)
_CLOSE = {"iframe": re.compile(r"</iframe\s*>", re.I), "blockquote": re.compile(r"</blockquote\s*>", re.I)}
_SCRIPT = re.compile(r"^\s*<script\b(?P<attrs>[^>]*)>\s*</script\s*>", re.I)
_SCRIPT_SRC = re.compile(r"""\bsrc\s*=\s*["']?(?P<src>[^"'\s>]+)""", re.I)
_MASTODON_EMBED = re.compile(r"^/@[A-Za-z0-9_.-]+(?:@[A-Za-z0-9.-]+)?/\d{1,25}/embed/?$")
MAX_LINES = 80  # an embed code longer than this is not one (Mastodon's blockquote has ~10)

PLATFORM_NAMES = {"youtube": "YouTube", "x": "X", "mastodon": "Mastodon"}


@dataclass(frozen=True)
class EmbedCode:
    """One recognised embed code: lines ``first``..``last`` (0-based, inclusive) of the text."""

    first: int
    last: int
    platform: str  # "youtube", "x" or "mastodon"
    url: str  # the plain address it stands for (what the author can write instead)

    @property
    def platform_name(self) -> str:
        return PLATFORM_NAMES[self.platform]


class _Elements(HTMLParser):
    """Start tags (name, attributes) and the hrefs of links, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k.lower(): v or "" for k, v in attrs}))

    handle_startendtag = handle_starttag


def _elements(html: str) -> list[tuple[str, dict[str, str]]]:
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser.tags


def _youtube_url(src: str) -> str | None:
    host = (urlsplit(src if "://" in src else "https:" + src).hostname or "").lower()
    if host not in YOUTUBE_HOSTS:
        return None
    try:
        return canonical_url(parse_youtube_url(src))
    except InvalidVideoUrl:
        return None


def _mastodon_url(embed_url: str) -> str | None:
    parts = urlsplit(embed_url)
    if parts.scheme != "https" or not parts.hostname or not _MASTODON_EMBED.match(parts.path):
        return None
    url = f"https://{parts.hostname}{parts.path.rstrip('/').removesuffix('/embed')}"
    return url if post_key(url) else None


def _x_url(tags: list[tuple[str, dict[str, str]]]) -> str | None:
    for tag, attrs in reversed(tags):  # the date link at the end names the post
        if tag != "a":
            continue
        href = attrs.get("href", "")
        parts = urlsplit(href)
        if (parts.hostname or "").lower() in X_HOSTS and post_key(href.split("?", 1)[0]):
            segments = [s for s in parts.path.split("/") if s]
            return f"https://x.com/{segments[0]}/status/{segments[2]}"
    return None


def _classes(attrs: dict[str, str]) -> set[str]:
    return set(attrs.get("class", "").split())


def identify(html: str) -> tuple[str, str] | None:
    """(platform, plain address) of one embed code's HTML, or None when it is none we know."""
    tags = _elements(html)
    if not tags:
        return None
    tag, attrs = tags[0]
    if tag == "iframe":
        src = attrs.get("src", "")
        url = _youtube_url(src)
        if url:
            return "youtube", url
        url = _mastodon_url(src)
        if url and ("mastodon-embed" in _classes(attrs) or src.rstrip("/").endswith("/embed")):
            return "mastodon", url
        return None
    if tag == "blockquote":
        classes = _classes(attrs)
        if "twitter-tweet" in classes:
            url = _x_url(tags)
            return ("x", url) if url else None
        if "mastodon-embed" in classes:
            url = _mastodon_url(attrs.get("data-embed-url", ""))
            return ("mastodon", url) if url else None
    return None


def _script_ok(attrs: str, platform: str, url: str) -> bool:
    """The platform's own loader script that belongs to its embed code."""
    match = _SCRIPT_SRC.search(attrs)
    if not match:
        return False
    src = urlsplit(match.group("src") if "://" in match.group("src") else "https:" + match.group("src"))
    host = (src.hostname or "").lower()
    if platform == "x":
        return host == "platform.twitter.com" and src.path == "/widgets.js"
    if platform == "mastodon":
        return host == (urlsplit(url).hostname or "").lower() and src.path == "/embed.js"
    return False


def find_embed_codes(lines: list[str]) -> list[EmbedCode]:
    """Every embed code that forms a block of its own in ``lines`` (fenced code is not skipped:
    pass prose only)."""
    found: list[EmbedCode] = []
    index = 0
    while index < len(lines):
        match = _OPEN.match(lines[index])
        if not match:
            index += 1
            continue
        closing = _CLOSE[match.group("tag").lower()]
        end = index
        chunk = lines[index]
        while not closing.search(chunk) and end + 1 < len(lines) and end - index < MAX_LINES:
            end += 1
            chunk += "\n" + lines[end]
        close = closing.search(chunk)
        if not close:
            index += 1
            continue
        html, rest = chunk[: close.end()], chunk[close.end() :]
        known = identify(html)
        if known is None:
            index += 1
            continue
        platform, url = known
        rest = rest.strip()
        script = _SCRIPT.match(rest)
        if script and _script_ok(script.group("attrs"), platform, url):
            rest = rest[script.end() :].strip()
        elif not rest and end + 1 < len(lines):
            script = _SCRIPT.match(lines[end + 1].strip())
            after = lines[end + 1].strip()[script.end() :] if script else "x"
            if script and _script_ok(script.group("attrs"), platform, url) and not after.strip():
                end += 1
        if rest:  # text after the code on its last line: not a block of its own
            index += 1
            continue
        found.append(EmbedCode(index, end, platform, url))
        index = end + 1
    return found


def replace_embed_codes(lines: list[str]) -> list[str]:
    """``lines`` with every embed code replaced by its plain address alone in a paragraph."""
    codes = find_embed_codes(lines)
    if not codes:
        return lines
    result: list[str] = []
    position = 0
    for code in codes:
        result.extend(lines[position : code.first])
        size = code.last - code.first + 1
        block = ["", code.url, ""]
        result.extend(block + [""] * max(0, size - len(block)))
        position = code.last + 1
    result.extend(lines[position:])
    return result


class EmbedCodePreprocessor(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        # each address remembers the code's first line, so a message about it names that line
        # (``consent.reader.where``): the address itself is not in the author's file
        self.md.magazine_embed_code_lines = {
            code.url: lines[code.first].strip() for code in find_embed_codes(lines)
        }
        return replace_embed_codes(lines)


class EmbedCodeExtension(Extension):
    """Platform embed codes → plain addresses (after fenced code, 25; before raw HTML is stashed, 20)."""

    def extendMarkdown(self, md: Markdown) -> None:
        md.preprocessors.register(EmbedCodePreprocessor(md), "magazine_embed_codes", 24)


def makeExtension(**kwargs) -> EmbedCodeExtension:
    return EmbedCodeExtension(**kwargs)
