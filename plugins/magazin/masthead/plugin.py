"""Signal wiring of the masthead plugin (it has no settings of its own: the departments and
authors come from ``MAGAZINE_DATA_DIR``, read by ``magazin.core.datafiles``)."""

from __future__ import annotations

from pelican import signals

from magazin.core.incremental import add_body_refresher

from .masthead import add_page_descriptions, attach_masthead, attach_related, refresh_body


def configure(pelican) -> None:
    """The live preview's fast render updates reading time, description … of an edited body."""
    add_body_refresher(pelican.settings, "articles", refresh_body)


def register() -> None:
    signals.initialized.connect(configure)
    signals.article_generator_pretaxonomy.connect(attach_masthead)
    signals.article_generator_finalized.connect(attach_related)
    signals.page_generator_finalized.connect(add_page_descriptions)
