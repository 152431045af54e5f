"""Facebook posts and videos in articles, private until the reader clicks (uses the consent component).

- ``urls``: which Facebook addresses name a post or a video, and the plain address of each.
- ``markdown_ext``: an address alone on its line → the consent placeholder.
- ``embedcode``: Facebook's own ``<iframe>`` code from its „Einbetten“ dialog → the address.
- ``embed``: the consent provider, the ``invoke check`` rule and the embed code (embed hook
  ``register_embeds``); ``datenschutz.md`` is its section of the Datenschutzerklärung.
- ``plugin``: settings and the ``initialized`` handler.
"""

from .embed import register_embeds
from .plugin import DEFAULTS, register

__all__ = ["DEFAULTS", "register", "register_embeds"]
