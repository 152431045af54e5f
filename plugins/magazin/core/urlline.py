"""„A URL alone on its line“: the one block processor every embed plugin uses.

Authors paste an address into its own paragraph (as in WordPress) and get an embed::

    Wie unser Monteur zeigt:

    https://youtu.be/AbCdEfGhIjK

An embed plugin registers a ``UrlLineProcessor`` with two functions of its own: ``accept(url)``
says whether the address is one of its kind (the same predicate its ``invoke check`` rule
uses, so the linter and the build agree on what is an embed), ``render(md, url)`` returns the
HTML, which goes into ``md.htmlStash`` so no other Markdown processor touches it.
``url_alone(text)`` is the shared reading of such a line, also used by the linter.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Callable

from markdown import Markdown
from markdown.blockprocessors import BlockProcessor
from markupsafe import Markup

# One address, optionally in <angle brackets>, nothing else on the line. The scheme is optional
# here (YouTube accepts "youtu.be/…"); each plugin's ``accept`` decides what it takes.
_URL_ALONE = re.compile(r"^<?(?P<url>[^\s<>]+)>?$")


def url_alone(text: str) -> str | None:
    """The address if ``text`` (a paragraph or a line) is one address alone, else None."""
    stripped = text.strip()
    if not stripped or "\n" in stripped:
        return None
    match = _URL_ALONE.match(stripped)
    return match.group("url") if match else None


class UrlLineProcessor(BlockProcessor):
    """Replaces a paragraph that is exactly one address ``accept`` takes by ``render``'s HTML."""

    def __init__(
        self,
        parser,
        accept: Callable[[str], bool],
        render: Callable[[Markdown, str], Markup | str],
    ):
        super().__init__(parser)
        self.accept = accept
        self.render = render

    def _url(self, block: str) -> str | None:
        url = url_alone(block)
        return url if url is not None and self.accept(url) else None

    def test(self, parent: etree.Element, block: str) -> bool:
        return self._url(block) is not None

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        url = self._url(blocks.pop(0))
        assert url is not None
        html = self.render(self.parser.md, url)
        paragraph = etree.SubElement(parent, "p")
        paragraph.text = self.parser.md.htmlStash.store(str(html))
