"""Posts from X and Mastodon, rendered at build time from data kept in git.

Cached posts (``content/media/posts/*.json``, see ``model.py``) become static post cards in
articles (a post URL alone on its line, ``markdown_ext.py``) and the „Aktuelles auf X“ block
(``templates/partials/posts_feed.html``). In articles an X card doubles as the consent
placeholder (provider ``x``) that loads X's official embed only after a click. Importers in
``importers/`` are the only code that goes online; they run as invoke tasks, never during a
build. ``embed.py``: provider ``x``, the ``invoke check`` rule and the privacy section
(embed hook ``register_embeds``).
"""

from .embed import register_embeds
from .plugin import DEFAULTS, register

__all__ = ["DEFAULTS", "register", "register_embeds"]
