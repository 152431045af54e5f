"""The copy of a page that Pagefind reads: the published HTML with compound words split.

``IndexedPage.parse`` reads a page once (stdlib ``HTMLParser``) into raw pieces: markup
stays byte-for-byte, text inside the ``data-pagefind-body`` element is kept apart. Text
that Pagefind takes as a filter value (``data-pagefind-filter`` without an inline value),
ignored elements, code and scripts are left alone. ``IndexedPage.render`` joins the pieces
with the text rewritten by a ``Decompounder``. The published files are never changed.
"""

from __future__ import annotations

from html.parser import HTMLParser

from .compounds import Decompounder

VOID = frozenset(
    ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"]
)
RAW = frozenset(["script", "style", "code", "pre", "kbd", "samp", "textarea", "svg", "math"])


def _captures_text(value: str | None) -> bool:
    """``data-pagefind-filter="Abteilung"`` takes the element's text; ``"Typ:Video"`` or
    ``"bild[src]"`` do not."""
    return bool(value) and ":" not in value and "[" not in value


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.pieces: list[tuple[bool, str]] = []  # (rewritable text?, raw string)
        self.stack: list[tuple[str, bool, bool]] = []  # (tag, inside body, frozen)

    def _state(self) -> tuple[bool, bool]:
        return (self.stack[-1][1], self.stack[-1][2]) if self.stack else (False, False)

    def _raw(self, text: str) -> None:
        self.pieces.append((False, text))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._raw(self.get_starttag_text() or "")
        if tag in VOID:
            return
        body, frozen = self._state()
        names = dict(attrs)
        body = body or "data-pagefind-body" in names
        frozen = (
            frozen
            or tag in RAW
            or "data-pagefind-ignore" in names
            or _captures_text(names.get("data-pagefind-filter"))
        )
        self.stack.append((tag, body, frozen))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._raw(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        self._raw(f"</{tag}>")
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                break

    def handle_data(self, data: str) -> None:
        body, frozen = self._state()
        self.pieces.append((body and not frozen, data))

    def handle_entityref(self, name: str) -> None:
        self._raw(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self._raw(f"&#{name};")

    def handle_comment(self, data: str) -> None:
        self._raw(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self._raw(f"<!{decl}>")

    def handle_pi(self, data: str) -> None:
        self._raw(f"<?{data}>")

    def unknown_decl(self, data: str) -> None:
        self._raw(f"<![{data}]>")


class IndexedPage:
    """One HTML page, split into markup and indexable text."""

    def __init__(self, pieces: list[tuple[bool, str]]):
        self.pieces = pieces

    @classmethod
    def parse(cls, html: str) -> IndexedPage:
        reader = _Reader()
        reader.feed(html)
        reader.close()
        if reader.rawdata:  # an unfinished construct at the very end: keep it as it is
            reader.pieces.append((False, reader.rawdata))
        return cls(reader.pieces)

    def texts(self) -> list[str]:
        """The indexable text (for the vocabulary)."""
        return [text for rewritable, text in self.pieces if rewritable]

    def render(self, decompounder: Decompounder, restore: dict[str, str]) -> str:
        """The page for the index, compounds replaced by their index tokens."""
        return "".join(
            decompounder.split_text(text, restore) if rewritable else text for rewritable, text in self.pieces
        )
