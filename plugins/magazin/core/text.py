"""Plain text from HTML, one rule for the whole magazine.

Used for reading time, word counts and summaries of articles (``masthead``) and for the text of
posts in titles and the intranet news (``posts``, ``intranet``).
"""

from __future__ import annotations

import html as html_lib

import nh3


def plain_text(html: str) -> str:
    """The text of ``html``: every tag separates words, ``<script>``/``<style>`` contents are
    dropped, entities decoded, whitespace folded to single spaces."""
    # A space before every tag keeps "Rohr</p><p>Flansch" two words; nh3 then drops the tags
    # (with a real HTML parser, not a regular expression) and the content of script and style.
    stripped = nh3.clean(html.replace("<", " <"), tags=set(), clean_content_tags={"script", "style"})
    return " ".join(html_lib.unescape(stripped).split())
