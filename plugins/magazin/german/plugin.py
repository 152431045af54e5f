"""Signal wiring of the German language plugin (no settings of its own)."""

from __future__ import annotations

from pelican import signals

from magazin.core.insides import replace_slugify

from .dates import date_de, iso_date, month_de
from .slugs import remembered_slugify, slugify_de


def add_filters(generator) -> None:
    """Make the German filters available in every template environment."""
    generator.env.filters.update(
        {"date_de": date_de, "month_de": month_de, "iso_date": iso_date, "slugify_de": slugify_de}
    )


def register() -> None:
    # the same slugs, computed once per name (see ``slugs.remembered_slugify``)
    replace_slugify(remembered_slugify)
    signals.generator_init.connect(add_filters)
