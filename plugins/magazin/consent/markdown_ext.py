"""The consent component's two markers for the Datenschutzerklärung, each alone on a line:

- ``[[Einwilligungen]]``: the control that shows and revokes the stored „immer erlauben“
  choices (without it, page.html's ``page_extra`` appends the control to the privacy page);
- ``[[Eingebettete Inhalte]]``: one section per registered provider (heading, the provider's
  own German text, link to its privacy policy), so removing an embed plugin removes its
  section. The sections are Markdown, rendered like the text around them.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown import Extension, Markdown
from markdown.blockprocessors import BlockProcessor
from markdown.preprocessors import Preprocessor

from .registry import Provider
from .render import privacy_markdown, render_manager

MANAGER_MARKER = "[[Einwilligungen]]"
PROVIDERS_MARKER = "[[Eingebettete Inhalte]]"


class _ManagerProcessor(BlockProcessor):
    def __init__(self, parser, providers: dict[str, Provider]):
        super().__init__(parser)
        self.providers = providers

    def test(self, parent: etree.Element, block: str) -> bool:
        return block.strip() == MANAGER_MARKER

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        blocks.pop(0)
        p = etree.SubElement(parent, "p")
        p.text = self.parser.md.htmlStash.store(str(render_manager(self.providers)))


class _ProvidersPreprocessor(Preprocessor):
    def __init__(self, md: Markdown, providers: dict[str, Provider]):
        super().__init__(md)
        self.providers = providers

    def run(self, lines: list[str]) -> list[str]:
        if not any(line.strip() == PROVIDERS_MARKER for line in lines):
            return lines
        out: list[str] = []
        for line in lines:
            if line.strip() == PROVIDERS_MARKER:
                out.extend(privacy_markdown(self.providers).split("\n"))
            else:
                out.append(line)
        return out


class ConsentManagerExtension(Extension):
    """Both markers, for the given providers (the registered ones in a build)."""

    def __init__(self, providers: dict[str, Provider] | None = None, **kwargs):
        self.providers = dict(providers or {})
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        md.parser.blockprocessors.register(
            _ManagerProcessor(md.parser, self.providers), "consent_manager", 26
        )
        # after fenced code (25): a marker shown in a code block stays text
        md.preprocessors.register(_ProvidersPreprocessor(md, self.providers), "consent_providers", 24)
