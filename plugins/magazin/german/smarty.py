"""Python-Markdown's ``smarty`` extension (German quotes „…“ ‚…‘, dashes, ellipses) with a
cheap first look per text.

``smarty`` runs a second inline pass over every text of every article, trying each of its
twenty patterns at every position; that was ≈ 40 % of rendering our Markdown. Every one of
its patterns needs a quote character, ``--`` or ``...`` in the text, so a text without any of
them is handed back unchanged before the patterns run: the HTML is byte for byte what
``markdown.extensions.smarty`` makes (``tests/test_german.py`` compares both).
"""

from __future__ import annotations

import re

from markdown.extensions.smarty import SmartyExtension
from markdown.treeprocessors import InlineProcessor

# What at least one smarty pattern needs: a quote, an en/em dash "--", an ellipsis "...".
_TRIGGER = re.compile(r"""['"]|--|\.\.\.""")


class _GatedInlineProcessor(InlineProcessor):
    """smarty's inline pass, skipping texts that none of its patterns can match."""

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        if not _TRIGGER.search(data):
            return data
        return super()._InlineProcessor__handleInline(data, patternIndex)


class GermanSmartyExtension(SmartyExtension):
    """``markdown.extensions.smarty`` with the gated inline pass (same options)."""

    def extendMarkdown(self, md) -> None:
        super().extendMarkdown(md)
        gated = _GatedInlineProcessor(md)
        gated.inlinePatterns = self.inlinePatterns
        md.treeprocessors.register(gated, "smarty", 6)


def makeExtension(**kwargs) -> GermanSmartyExtension:
    return GermanSmartyExtension(**kwargs)
