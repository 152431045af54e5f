"""``invoke brochure``: build only the brochure (reads the articles, renders, writes the PDF)."""

from __future__ import annotations

import os
from pathlib import Path

from magazin.core.build import read_magazine_settings

from .generator import BrochureGenerator


def build_brochure(
    settings_file: str | os.PathLike[str],
    pdf_path: Path | None = None,
    *,
    print_marks: bool | None = None,
    overrides: dict | None = None,
) -> tuple[Path, int]:
    """Render the brochure with the site's settings; return the PDF path and the page count.

    Content errors (channels, authors, …) raise ContentError/ContentErrors as in the build.
    """
    from pelican import Pelican
    from pelican.generators import ArticlesGenerator

    settings = read_magazine_settings(settings_file, overrides)
    pelican = Pelican(settings)  # loads the plugins: channel list, masthead, SEO helpers
    context = settings.copy()
    context.update(
        generated_content={}, static_links=set(), static_content={}, localsiteurl=settings["SITEURL"]
    )
    kwargs = {
        "context": context,
        "settings": settings,
        "path": pelican.path,
        "theme": pelican.theme,
        "output_path": pelican.output_path,
    }
    ArticlesGenerator(**kwargs).generate_context()
    brochure = BrochureGenerator(**kwargs)
    brochure.rendered = brochure.render(print_marks=print_marks)
    pdf, pages, _png, _size = brochure.rendered
    target = Path(pdf_path) if pdf_path else Path(pelican.output_path) / settings["BROCHURE_SAVE_AS"]
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(pdf)
    return target, pages
