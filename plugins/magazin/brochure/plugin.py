"""Signal wiring, settings defaults and the generator of the brochure plugin."""

from __future__ import annotations

import hashlib
import json
import logging
import time
from importlib.metadata import version
from pathlib import Path

from pelican import signals
from pelican.generators import Generator

from magazin.magazine.wiring import configure_with, provides

from .render import icon_img, render_pdf, render_preview

logger = logging.getLogger(__name__)

TEMPLATES = Path(__file__).resolve().parent / "templates"

DEFAULTS: dict = {
    "BROCHURE_SAVE_AS": "social-media/broschuere.pdf",
    "BROCHURE_PREVIEW_SAVE_AS": "social-media/broschuere-vorschau.png",
    "BROCHURE_PREVIEW_WIDTH": 420,
    "BROCHURE_TEMPLATE": "brochure/brochure",
    "BROCHURE_ASSETS": "brochure",  # folder in the theme: print CSS and fonts
    "BROCHURE_PRINT_MARKS": False,  # 3 mm bleed and crop marks for the print shop
    "BROCHURE_LATEST_ARTICLES": 4,
    "BROCHURE_TITLE": "Social Media bei heco",
}


configure = configure_with(DEFAULTS, templates=TEMPLATES)


def render_key(html: str, assets: Path, print_marks: bool, preview_width: int) -> str:
    """Everything the PDF and its preview depend on: the HTML, the theme's brochure assets
    (CSS, fonts), the options and the renderers' versions."""
    digest = hashlib.sha256()
    parts = [html, str(print_marks), str(preview_width), version("weasyprint"), version("pypdfium2")]
    for part in parts:
        digest.update(part.encode("utf-8") + b"\0")
    for path in sorted(p for p in assets.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(assets)).encode("utf-8") + b"\0" + path.read_bytes())
    return digest.hexdigest()[:24]


class BrochureGenerator(Generator):
    """Renders the brochure once the articles are read; writes PDF and preview PNG."""

    rendered: tuple[bytes, int, bytes, tuple[int, int]] | None = None

    def brochure_context(self, *, print_marks: bool) -> dict:
        s = self.settings
        theme = Path(s["THEME"])
        icons = theme / "static" / "images" / "icons.svg"
        articles = list(self.context.get("articles", []))
        latest = articles[: int(s["BROCHURE_LATEST_ARTICLES"])]
        dates = [getattr(a, "modified", None) or a.date for a in articles]
        edition = max(dates) if dates else None
        return {
            **self.context,
            "brochure_title": s["BROCHURE_TITLE"],
            "latest_articles": latest,
            "edition": edition,
            "print_marks": print_marks,
            "icon": lambda name, color="#0b3d6b", css_class="icon": icon_img(icons, name, color, css_class),
        }

    def render(self, *, print_marks: bool | None = None) -> tuple[bytes, int, bytes, tuple[int, int]]:
        s = self.settings
        marks = bool(s["BROCHURE_PRINT_MARKS"] if print_marks is None else print_marks)
        started = time.perf_counter()
        html = self.get_template(s["BROCHURE_TEMPLATE"]).render(self.brochure_context(print_marks=marks))
        assets = Path(s["THEME"]) / s["BROCHURE_ASSETS"]
        width = int(s["BROCHURE_PREVIEW_WIDTH"])
        cache = Path(s["CACHE_PATH"]) / "brochure" / render_key(html, assets, marks, width)
        try:  # same HTML, assets and renderer: the same PDF, without WeasyPrint's 1-2 s
            meta = json.loads((cache / "meta.json").read_text(encoding="utf-8"))
            pdf, png = (cache / "brochure.pdf").read_bytes(), (cache / "preview.png").read_bytes()
            return pdf, meta["pages"], png, tuple(meta["size"])
        except (OSError, ValueError, KeyError):
            pass
        pdf, pages = render_pdf(html, assets, print_marks=marks)
        png, size = render_preview(pdf, width)
        cache.mkdir(parents=True, exist_ok=True)
        (cache / "brochure.pdf").write_bytes(pdf)
        (cache / "preview.png").write_bytes(png)
        (cache / "meta.json").write_text(json.dumps({"pages": pages, "size": list(size)}), encoding="utf-8")
        logger.debug("Brochure: %d pages in %.2f s", pages, time.perf_counter() - started)
        return pdf, pages, png, size

    def generate_context(self) -> None:
        s = self.settings
        if not s.get("BROCHURE_SAVE_AS"):
            return
        self.rendered = self.render()
        pdf, pages, _png, size = self.rendered
        self.context["BROCHURE"] = {
            "url": s["BROCHURE_SAVE_AS"],
            "preview_url": s["BROCHURE_PREVIEW_SAVE_AS"],
            "preview_width": size[0],
            "preview_height": size[1],
            "pages": pages,
            "size_label": f"{max(1, round(len(pdf) / 1024))} KB",
        }

    def write(self, output: Path) -> list[Path]:
        """Write PDF and preview below ``output`` (the site's output folder)."""
        if self.rendered is None:
            return []
        pdf, _pages, png, _size = self.rendered
        written = []
        for rel, data in (
            (self.settings["BROCHURE_SAVE_AS"], pdf),
            (self.settings["BROCHURE_PREVIEW_SAVE_AS"], png),
        ):
            target = Path(output) / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            written.append(target)
        return written

    def generate_output(self, writer) -> None:
        self.write(Path(self.output_path))


get_generators = provides(BrochureGenerator)


def register() -> None:
    signals.initialized.connect(configure)
    signals.get_generators.connect(get_generators)
