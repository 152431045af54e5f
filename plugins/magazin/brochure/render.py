"""Rendering the brochure: Jinja HTML → tagged PDF (WeasyPrint) → PNG preview of page 1.

No network: WeasyPrint may only read local files and ``data:`` URIs. Fonts come from
``theme/brochure/fonts`` (Noto, OFL) so the PDF looks the same on every machine.
"""

from __future__ import annotations

import base64
import io
import re
from functools import lru_cache
from pathlib import Path

from markupsafe import Markup

SVG_NS = "http://www.w3.org/2000/svg"


_SYMBOL = re.compile(r'<symbol id="(?P<id>[\w-]+)" viewBox="(?P<box>[^"]+)">(?P<body>.*?)</symbol>', re.S)


@lru_cache(maxsize=4)
def _icon_symbols(icons_file: str) -> dict[str, tuple[str, str]]:
    text = Path(icons_file).read_text(encoding="utf-8")
    return {m["id"]: (m["box"], m["body"]) for m in _SYMBOL.finditer(text)}


def icon_data_uri(icons_file: str | Path, name: str, color: str = "#0b3d6b") -> str:
    """One symbol of the theme's icon sprite as a standalone SVG data URI in ``color``."""
    symbols = _icon_symbols(str(icons_file))
    box, body = symbols.get(name) or symbols["blog"]
    svg = f'<svg xmlns="{SVG_NS}" viewBox="{box}">{body.replace("currentColor", color)}</svg>'
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def icon_img(icons_file: str | Path, name: str, color: str, css_class: str) -> Markup:
    """A decorative icon as a CSS background: no image in the tag tree, so PDF/UA treats it
    as an artifact (the text beside it says what it is). PDF only: web pages use the sprite."""
    return Markup('<span class="{}" style="background-image: url({})" aria-hidden="true"></span>').format(
        css_class, icon_data_uri(icons_file, name, color)
    )


def render_pdf(html: str, base_url: Path, *, print_marks: bool = False) -> tuple[bytes, int]:
    """Tagged PDF (PDF/UA-1) from ``html``; ``print_marks`` adds 3 mm bleed and crop marks."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"file", "data"}, fail_on_errors=True)
    fonts = FontConfiguration()
    stylesheets = []
    if print_marks:
        stylesheets.append(CSS(string="@page { bleed: 3mm; marks: crop cross; }", font_config=fonts))
    document = HTML(string=html, base_url=str(base_url) + "/", url_fetcher=fetcher).render(
        stylesheets=stylesheets,
        font_config=fonts,
        pdf_tags=True,
    )
    pdf = document.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)
    return pdf, len(document.pages)


def render_preview(pdf: bytes, width: int) -> tuple[bytes, tuple[int, int]]:
    """PNG of page 1 (``width`` pixels wide), rendered with PDFium."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        page = document[0]
        scale = width / page.get_width()
        image = page.render(scale=scale).to_pil()
        page.close()
    finally:
        document.close()
    buf = io.BytesIO()
    image.convert("RGB").save(buf, format="PNG", optimize=True)
    return buf.getvalue(), image.size
