"""Settings and signal wiring of the parallel plugin (the one place for both).

List it LAST in ``PLUGINS``: its ``readers_init`` handler wraps the reader classes the other
plugins installed (``consent`` swaps in its Markdown reader), and its pre-read handlers must see
every setting the others added in ``initialized``.
"""

from __future__ import annotations

from pelican import signals

from magazin.core.wiring import configure_with

from .cachestamp import check_cache, store_stamp
from .parallel import DEFAULTS, on_article_preread, on_page_preread, wrap_readers
from .writing import shard_output

configure = configure_with(DEFAULTS, then=[check_cache])


def register() -> None:
    signals.initialized.connect(configure)
    signals.finalized.connect(store_stamp)
    signals.readers_init.connect(wrap_readers)
    signals.article_generator_preread.connect(on_article_preread)
    signals.page_generator_preread.connect(on_page_preread)
    signals.all_generators_finalized.connect(shard_output)
