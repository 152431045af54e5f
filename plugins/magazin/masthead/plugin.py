"""Signal wiring of the masthead plugin (it has no settings of its own: the departments and
authors come from ``MAGAZINE_DATA_DIR``, read by ``magazin.magazine.datafiles``)."""

from __future__ import annotations

from pelican import signals

from .masthead import add_page_descriptions, attach_masthead, attach_related


def register() -> None:
    signals.article_generator_pretaxonomy.connect(attach_masthead)
    signals.article_generator_finalized.connect(attach_related)
    signals.page_generator_finalized.connect(add_page_descriptions)
