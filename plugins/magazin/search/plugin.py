"""Settings and signal wiring of the search plugin (the one place for both)."""

from __future__ import annotations

from pathlib import Path

from pelican import signals

from magazin.core.wiring import configure_with, provides, searchable_written

from .search import (
    DEFAULTS,
    SearchPageGenerator,
    add_globals,
    finish_index,
    page_written,
    pages_written,
    searchable_pages_written,
    start_index,
)

TEMPLATES = Path(__file__).resolve().parent / "templates"

configure = configure_with(DEFAULTS, templates=TEMPLATES)
get_generators = provides(SearchPageGenerator)


def register() -> None:
    signals.initialized.connect(configure)
    signals.generator_init.connect(add_globals)
    signals.get_generators.connect(get_generators)
    signals.all_generators_finalized.connect(start_index)  # the helper starts before the first page
    signals.content_written.connect(page_written)  # … keeps each searchable page's document
    # … Pagefind starts on all of them: as soon as every writing process has written its
    # searchable pages (parallel writer), else when the page generator is done
    searchable_written.connect(searchable_pages_written)
    signals.page_writer_finalized.connect(pages_written)
    signals.finalized.connect(finish_index)  # … and the bundle goes into the site at the end
