"""Apply the German rules to the text of an HTML document, and only to its text.

Tags, attributes (``href``, ``alt``, ``content`` …), comments and the contents of elements
whose text is code or data (``code``, ``pre``, ``kbd``, ``samp``, ``script``, ``style``,
``textarea``, ``title``, ``svg``, ``math``) come out byte for byte; so does an element marked
``translate="no"`` or ``data-typography="aus"``. The document is tokenised, not parsed and
re-serialised: what the templates wrote stays exactly as written.

Speed: every page of the site passes through here (≈ 1,700 pages at 1,000 articles), and most
of a page's text runs repeat on other pages (header, footer, article cards on listing pages).
The tokeniser is one ``finditer`` pass (raw-text elements such as ``<script>`` are matched
whole by the same expression), and ``typeset`` results are memoised per text run.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

# Elements whose content is never typeset. The first group is raw text in HTML (no tags
# inside, may contain "<"), so it is skipped up to its end tag.
RAW_TEXT = ("script", "style", "textarea", "title")
SKIP = ("code", "pre", "kbd", "samp", "var", "svg", "math", "template")

_ATTR = r"""(?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*"""
_TOKEN = re.compile(
    # a raw-text element with its content, up to its end tag (or the end of the document)
    rf"<(?P<raw>{'|'.join(RAW_TEXT)})(?![A-Za-z0-9-]){_ATTR}\s*/?>(?:.*?</(?P=raw)\s*>|.*\Z)"
    rf"|<!--.*?-->|<!\[CDATA\[.*?\]\]>|<![^>]*>|<\?[^>]*>|</?(?P<name>[A-Za-z][A-Za-z0-9-]*){_ATTR}\s*/?>",
    re.S | re.I,
)
_OPT_OUT = re.compile(r"""\stranslate\s*=\s*["']?no\b|\sdata-typography\s*=\s*["']?aus\b""", re.I)
_VOID = frozenset(
    {
        *("area", "base", "br", "col", "embed", "hr", "img"),
        *("input", "link", "meta", "param", "source", "track", "wbr"),
    }
)
_SKIP = frozenset(SKIP)


def typeset_html(html: str, typeset: Callable[[str], str]) -> str:
    """``html`` with ``typeset`` applied to every text run outside the skipped elements."""
    run = _memoised(typeset)
    out: list[str] = []
    append = out.append
    pos = 0
    skipping: list[str] = []  # open elements that switch typesetting off
    for match in _TOKEN.finditer(html):
        start = match.start()
        if start > pos:
            text = html[pos:start]
            append(text if skipping else run(text))
        tag = match.group(0)
        append(tag)
        pos = match.end()
        name = match.group("name")
        if name is None or tag[1] == "/":
            # raw-text element, comment, doctype, processing instruction or an end tag
            if name is not None and skipping and skipping[-1] == name.lower():
                skipping.pop()
            continue
        name = name.lower()
        if tag.endswith("/>") or name in _VOID:
            continue
        # inside a skipped element every nested element is counted, so the skip ends at
        # the end tag that matches the element that started it
        if skipping or name in _SKIP or ("=" in tag and _OPT_OUT.search(tag)):
            skipping.append(name)
    if pos < len(html):
        text = html[pos:]
        append(text if skipping else run(text))
    return "".join(out)


@lru_cache(maxsize=8)
def _memoised(typeset: Callable[[str], str]) -> Callable[[str], str]:
    """``typeset`` with its results remembered (it is a pure function of the text)."""
    return lru_cache(maxsize=1 << 16)(typeset)
