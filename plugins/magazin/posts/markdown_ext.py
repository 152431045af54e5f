"""Python-Markdown extension: a post URL alone on its line becomes a static post card.

    Wie wir bereits angekündigt haben:

    https://x.com/hecogmbh/status/1990412345678901234

    Weiter im Text …

x.com, twitter.com and Mastodon status links are recognised (also in <angle brackets>).
The card is rendered from the cached post data (``PostLibrary``); a URL without cached data
becomes a link card with a warning (the publish build fails on it, see ``plugin.py``).
An X card is wrapped in the consent placeholder (provider ``x``): X's official embed is
offered only after the reader's click ("Original-Beitrag von X laden"); the static card stays.
The HTML goes into ``md.htmlStash`` so no other Markdown processor touches it.

Usable on its own::

    markdown.markdown(text, extensions=[PostCardExtension(library=lib, media_prefix="/media/posts/")])
"""

from __future__ import annotations

from markdown import Markdown
from markdown.extensions import Extension

from magazin.core.urlline import UrlLineProcessor

from .embed import PROVIDER
from .model import PostLibrary, post_key
from .render import render_card, render_missing


def is_post_url(url: str) -> bool:
    """Whether ``url`` names one post on X or Mastodon (the build makes a card of it)."""
    return url.startswith(("http://", "https://")) and post_key(url) is not None


class PostCardExtension(Extension):
    """``library``: the PostLibrary; config ``media_prefix``: URL prefix of the posts folder,
    ``privacy_url``: the consent anchor of the Datenschutzerklärung ("" = no X embed offer)."""

    def __init__(self, library: PostLibrary | None = None, **kwargs):
        self.config = {
            "media_prefix": ["{static}/media/posts/", "URL prefix of the post images"],
            "privacy_url": ["/datenschutz/#einwilligungen", "link to the privacy page's consent control"],
            "provider": [PROVIDER, "the consent provider of X's embed (the site's registered one)"],
        }
        super().__init__(**kwargs)
        # not a config option: Python-Markdown turns a ``None`` default into a boolean
        self.library = library
        self.missing: list[str] = []

    def card_html(self, url: str) -> str:
        post = self.library.find(url) if self.library is not None else None
        if post is None:
            self.missing.append(url)
            key = post_key(url)
            return str(render_missing(url, key[0] if key else None))
        prefix = self.getConfig("media_prefix")
        privacy = self.getConfig("privacy_url") or None
        provider = self.getConfig("provider")
        return str(render_card(post, lambda file: prefix + file, privacy_url=privacy, provider=provider))

    def extendMarkdown(self, md: Markdown) -> None:
        # Before the paragraph processor (10), after code blocks and lists.
        processor = UrlLineProcessor(md.parser, is_post_url, lambda _md, url: self.card_html(url))
        md.parser.blockprocessors.register(processor, "post_card", 15)
        md.registerExtension(self)


def makeExtension(**kwargs) -> PostCardExtension:
    return PostCardExtension(**kwargs)
