"""Signal wiring of the comments plugin (the section under every article, private until the
reader clicks); the logic is in ``assets.py`` and ``threads.py``.

What the build does (it never asks the comment server anything):

- every article gets ``article.comments`` (a ``Thread``: stable id, title) unless its metadata
  says ``Kommentare: aus``; pages get none. The partial ``comments/section.html`` renders the
  section „Kommentare“ with a button; only ``comments.js`` (ours, from our origin) is loaded
  with the page, and it does nothing before the click.
- after the click ``comments.js`` checks the server, then loads Isso's ``embed.min.js`` and
  ``isso.css``. Both are copied at build time from the pinned Isso release
  (``environment.fetch_client_release``) into ``/theme/isso/`` (served from our origin, never
  committed).
- the CSP gains the comment server's origin in ``connect-src`` only.

Thread ids (``data-isso-id``) belong to the article, not its address: ``Kommentar-ID`` from the
metadata, else ``/<department>/<file name without .md>`` from the source path, so a new title or
``Slug`` keeps the discussion. Renaming or moving the file: write the old id as
``Kommentar-ID``. Two articles with the same id stop the build.
"""

from __future__ import annotations

from pelican import signals

from magazin.core.wiring import configure_with

from .assets import DEFAULTS, TEMPLATES, add_globals, wire
from .threads import attach_threads

configure = configure_with(DEFAULTS, templates=TEMPLATES, then=[wire])


def register() -> None:
    signals.initialized.connect(configure)
    signals.generator_init.connect(add_globals)
    signals.article_generator_finalized.connect(attach_threads)
