"""HTML and PDF of the internal documents, in the brochure's look (WeasyPrint, Noto fonts).

The HTML is self-contained (stylesheet inlined, no script, no remote resource) so it can be
opened from disk or mailed; the PDF is rendered from the same HTML with the brochure's renderer.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from magazin.german.dates import date_de

HERE = Path(__file__).resolve().parent
FONTS = HERE.parents[2] / "theme" / "brochure" / "fonts"


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        # the statistics' section „Was gelesen wurde“ is included by the meeting report
        loader=FileSystemLoader([HERE / "templates", HERE.parent / "statistics" / "templates"]),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["date_de"] = date_de
    return env


def write_document(template: str, context: dict, target: Path) -> tuple[Path, Path, int]:
    """Render ``template`` to ``target``.html and ``target``.pdf; returns both paths and the page count."""
    from magazin.brochure.render import render_pdf

    css = (HERE / "templates" / "report.css").read_text(encoding="utf-8")
    html = environment().get_template(template).render(css=css, fonts=FONTS.as_uri(), **context)
    target.parent.mkdir(parents=True, exist_ok=True)
    html_path, pdf_path = target.with_suffix(".html"), target.with_suffix(".pdf")
    html_path.write_text(html, encoding="utf-8")
    pdf, pages = render_pdf(html, HERE / "templates")
    pdf_path.write_bytes(pdf)
    return html_path, pdf_path, pages
