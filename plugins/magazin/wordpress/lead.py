"""Whether an article's lead (``Summary``) is just the opening of its own text.

Most WordPress posts have no hand-written excerpt; the import then takes the first paragraph
as ``Summary`` (cards, feeds, search and the meta description need one). On the article page
that lead would stand twice, once above and once as the first paragraph, so the article
template leaves the lead out when ``lead_in_text(article)`` is true. Compared are letters and
digits only (markup, punctuation, spacing and a trailing „…“ of a shortened lead do not
count), against the first paragraph with real text (more than 20 characters); a lead that is
the title (a post of pictures or a quote only) is left out too.
"""

from __future__ import annotations

import re
from typing import Any

from magazin.core.text import plain_text

_PARAGRAPH = re.compile(r"<p\b[^>]*>(.*?)</p>", re.S | re.I)
_NOT_WORD = re.compile(r"[\W_]+")
_PLAYER = re.compile(r"<(audio|video)\b.*?</\1>", re.S | re.I)


def _letters(text: str) -> str:
    return _NOT_WORD.sub("", text.casefold())


def lead_in_text(article: Any) -> bool:
    """True when the article's summary text is the beginning of its first text paragraph."""
    lead = str(getattr(article, "summary_text", "") or "").strip().removesuffix("…")
    if not _letters(lead):
        return False
    if _letters(lead) == _letters(str(getattr(article, "title", ""))):
        return True  # a post with no text of its own: the title is its summary
    html = _PLAYER.sub(" ", getattr(article, "_content", "") or "")  # not their download links
    if _letters(plain_text(html)).startswith(_letters(lead)):
        return True  # the text begins with the lead (also when its first paragraphs are short)
    for match in _PARAGRAPH.finditer(html):
        text = plain_text(match.group(1))
        if len(text.strip()) > 20:
            return _letters(text).startswith(_letters(lead))
    return False
