"""The platforms' own embed codes, pasted into an article, become the plain address they stand for.

Which codes exist is not known here: each embed plugin registers its platform's code with
``magazin.consent.add_embed_code`` (an ``EmbedCodeRule``) in its ``register_embeds`` hook —
YouTube's ``<iframe>`` (``youtube/embedcode.py``), X's and Mastodon's ``<blockquote>``/``<iframe>``
(``posts/embedcodes.py``), the next provider's in its own folder. A code is an ``<iframe>`` or
``<blockquote>`` that forms a block of its own (on one or more lines), optionally followed by
the platform's loader ``<script src>``.

``EmbedCodeExtension`` is a Markdown preprocessor: it runs before Python-Markdown stashes raw
HTML and puts the address alone on its own line in place of the code, so the embed extensions
turn it into the same private block as a pasted address. The replacement has as many lines as
the code had (at least three), so line numbers of later lines stay what the author sees.
``find_embed_codes`` is shared with the pre-build checks (``rawhtml``), which refuse every other
raw HTML that could load or run something, and with ``invoke check``, which tells the author
that the plain address is the simpler way. ``rules=None`` means the codes of the magazine's own
embed plugins (for callers without a site's settings, e.g. unit tests).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

from magazin.consent.registry import EmbedCodeRule, Tag, embed_code_rules

_OPEN = re.compile(r"^\s*<(?P<tag>iframe|blockquote)\b", re.I)
_CLOSE = {"iframe": re.compile(r"</iframe\s*>", re.I), "blockquote": re.compile(r"</blockquote\s*>", re.I)}
_SCRIPT = re.compile(r"^\s*<script\b(?P<attrs>[^>]*)>\s*</script\s*>", re.I)
_SCRIPT_SRC = re.compile(r"""\bsrc\s*=\s*["']?(?P<src>[^"'\s>]+)""", re.I)
MAX_LINES = 80  # an embed code longer than this is not one (Mastodon's blockquote has ~10)

# The magazine's own embed plugins, whose codes ``rules=None`` stands for.
OWN_EMBED_PLUGINS = ("magazin.youtube", "magazin.posts")


@functools.cache
def own_rules() -> tuple[EmbedCodeRule, ...]:
    """The embed codes registered by the magazine's own embed plugins."""
    return embed_code_rules({"PLUGINS": list(OWN_EMBED_PLUGINS)})


@dataclass(frozen=True)
class EmbedCode:
    """One recognised embed code: lines ``first``..``last`` (0-based, inclusive) of the text."""

    first: int
    last: int
    platform: str  # the rule's platform, e.g. "youtube"
    url: str  # the plain address it stands for (what the author can write instead)
    platform_name: str = ""  # shown to the author, e.g. "YouTube"


class _Elements(HTMLParser):
    """Start tags (name, attributes) and the hrefs of links, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k.lower(): v or "" for k, v in attrs}))

    handle_startendtag = handle_starttag


def elements(html: str) -> list[Tag]:
    """The start tags of ``html`` in order: (name, attributes with lower-case names)."""
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser.tags


def classes(attrs: dict[str, str]) -> set[str]:
    """The class names of an element."""
    return set(attrs.get("class", "").split())


def script_src(attrs: str) -> tuple[str, str] | None:
    """(host, path) of a ``<script>``'s ``src`` (protocol-relative addresses as https)."""
    match = _SCRIPT_SRC.search(attrs)
    if not match:
        return None
    src = match.group("src")
    parts = urlsplit(src if "://" in src else "https:" + src)
    return (parts.hostname or "").lower(), parts.path


def _rules(rules: Sequence[EmbedCodeRule] | None) -> Sequence[EmbedCodeRule]:
    return own_rules() if rules is None else rules


def identify(html: str, rules: Sequence[EmbedCodeRule] | None = None) -> tuple[str, str] | None:
    """(platform, plain address) of one embed code's HTML, or None when no rule knows it."""
    found = _identify(html, _rules(rules))
    return (found[0].platform, found[1]) if found else None


def _identify(html: str, rules: Sequence[EmbedCodeRule]) -> tuple[EmbedCodeRule, str] | None:
    tags = elements(html)
    if not tags or tags[0][0] not in ("iframe", "blockquote"):
        return None
    for rule in rules:
        url = rule.identify(tags)
        if url:
            return rule, url
    return None


def _script_ok(attrs: str, rule: EmbedCodeRule, url: str) -> bool:
    """The platform's own loader script that belongs to its embed code."""
    src = script_src(attrs)
    return src is not None and rule.script_ok(src[0], src[1], url)


def find_embed_codes(lines: list[str], rules: Sequence[EmbedCodeRule] | None = None) -> list[EmbedCode]:
    """Every embed code that forms a block of its own in ``lines`` (fenced code is not skipped:
    pass prose only)."""
    rules = _rules(rules)
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
        known = _identify(html, rules)
        if known is None:
            index += 1
            continue
        rule, url = known
        rest = rest.strip()
        script = _SCRIPT.match(rest)
        if script and _script_ok(script.group("attrs"), rule, url):
            rest = rest[script.end() :].strip()
        elif not rest and end + 1 < len(lines):
            script = _SCRIPT.match(lines[end + 1].strip())
            after = lines[end + 1].strip()[script.end() :] if script else "x"
            if script and _script_ok(script.group("attrs"), rule, url) and not after.strip():
                end += 1
        if rest:  # text after the code on its last line: not a block of its own
            index += 1
            continue
        found.append(EmbedCode(index, end, rule.platform, url, rule.name))
        index = end + 1
    return found


def replace_embed_codes(lines: list[str], rules: Sequence[EmbedCodeRule] | None = None) -> list[str]:
    """``lines`` with every embed code replaced by its plain address alone in a paragraph."""
    codes = find_embed_codes(lines, rules)
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
    def __init__(self, md: Markdown, rules: Sequence[EmbedCodeRule]):
        super().__init__(md)
        self.rules = rules

    def run(self, lines: list[str]) -> list[str]:
        # each address remembers the code's first line, so a message about it names that line
        # (``consent.reader.where``): the address itself is not in the author's file
        self.md.magazine_embed_code_lines = {
            code.url: lines[code.first].strip() for code in find_embed_codes(lines, self.rules)
        }
        return replace_embed_codes(lines, self.rules)


class EmbedCodeExtension(Extension):
    """Platform embed codes → plain addresses (after fenced code, 25; before raw HTML is stashed, 20).

    ``rules``: the site's registered embed codes (``consent.embed_code_rules(settings)``)."""

    def __init__(self, rules: Sequence[EmbedCodeRule] | None = None, **kwargs):
        self.rules = tuple(_rules(rules))
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        md.preprocessors.register(EmbedCodePreprocessor(md, self.rules), "magazine_embed_codes", 24)


def makeExtension(**kwargs) -> EmbedCodeExtension:
    return EmbedCodeExtension(**kwargs)
