"""YouTube videos in articles, private until the reader clicks (uses the consent component).

- ``urls``: every YouTube URL form → ``VideoRef`` (strict ID check).
- ``markdown_ext``: the Markdown syntax (URL alone on a line, or ``::: youtube`` with options).
- ``posters``: cached posters, Pillow placeholder, responsive WebP + JPEG derivatives.
- ``generator``: settings, ``/videos/`` page, ``VideoObject`` JSON-LD, the videos' entries in
  the intranet feed and fragment (``INTRANET_ITEMS``).
- ``fetch``: ``invoke fetch-media`` (the only code that goes online).
- ``embed``: the consent provider and the ``invoke check`` rule (embed hook ``register_embeds``).
"""

from .embed import register_embeds
from .plugin import DEFAULTS, register

__all__ = ["DEFAULTS", "register", "register_embeds"]
