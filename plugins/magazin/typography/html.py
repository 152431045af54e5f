"""Apply the German rules to the text of an HTML document, and only to its text.

Tags, attributes (``href``, ``alt``, ``content`` …), comments and the contents of elements
whose text is code or data (``code``, ``pre``, ``kbd``, ``samp``, ``script``, ``style``,
``textarea``, ``title``, ``svg``, ``math``) come out byte for byte; so does an element marked
``translate="no"`` or ``data-typography="aus"``. The document is tokenised, not parsed and
re-serialised: what the templates wrote stays exactly as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# Elements whose content is never typeset. The first group is raw text in HTML (no tags
# inside, may contain "<"), so it is skipped up to its end tag.
RAW_TEXT = ("script", "style", "textarea", "title")
SKIP = ("code", "pre", "kbd", "samp", "var", "svg", "math", "template")

_ATTR = r"""(?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*"""
_TOKEN = re.compile(
    rf"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<![^>]*>|<\?[^>]*>|</?(?P<name>[A-Za-z][A-Za-z0-9-]*){_ATTR}\s*/?>",
    re.S,
)
_OPT_OUT = re.compile(r"""\stranslate\s*=\s*["']?no\b|\sdata-typography\s*=\s*["']?aus\b""", re.I)
_VOID = frozenset(
    {
        *("area", "base", "br", "col", "embed", "hr", "img"),
        *("input", "link", "meta", "param", "source", "track", "wbr"),
    }
)


def typeset_html(html: str, typeset: Callable[[str], str]) -> str:
    """``html`` with ``typeset`` applied to every text run outside the skipped elements."""
    out: list[str] = []
    pos = 0
    skipping: list[str] = []  # open elements that switch typesetting off
    length = len(html)
    while pos < length:
        match = _TOKEN.search(html, pos)
        end = match.start() if match else length
        if end > pos:
            text = html[pos:end]
            out.append(text if skipping else typeset(text))
        if match is None:
            break
        tag = match.group(0)
        out.append(tag)
        pos = match.end()
        name = (match.group("name") or "").lower()
        if not name or tag.startswith("<!") or tag.startswith("<?"):
            continue
        if tag.startswith("</"):
            if skipping and skipping[-1] == name:
                skipping.pop()
            continue
        if name in RAW_TEXT:
            close = re.compile(rf"</{name}\s*>", re.I).search(html, pos)
            stop = close.start() if close else length
            out.append(html[pos:stop])
            pos = stop
            continue
        if tag.endswith("/>") or name in _VOID:
            continue
        # inside a skipped element every nested element is counted, so the skip ends at
        # the end tag that matches the element that started it
        if skipping or name in SKIP or _OPT_OUT.search(tag):
            skipping.append(name)
    return "".join(out)
