"""The brochure's generator: renders the PDF and its preview (beside the build, through
``core.processes``), caches them by what they depend on, and gives the pages its facts."""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import shutil
import time
import weakref
from collections.abc import Mapping
from importlib.metadata import version
from pathlib import Path

from pelican.generators import Generator

from magazin.core.processes import ChildFailed, ForkedCall
from magazin.core.settings import Setting, declare, setting

from .render import icon_img, render_pdf, render_preview

logger = logging.getLogger(__name__)

TEMPLATES = Path(__file__).resolve().parent / "templates"

DEFAULTS = declare(
    "magazin.brochure",
    "BROCHURE_",
    Setting(
        "BROCHURE_SAVE_AS", "social-media/broschuere.pdf", "where the customer brochure (PDF) is written"
    ),
    Setting(
        "BROCHURE_PREVIEW_SAVE_AS",
        "social-media/broschuere-vorschau.png",
        "where the PNG of its first page is written",
    ),
    Setting("BROCHURE_PREVIEW_WIDTH", 420, "width of that preview in pixels"),
    Setting("BROCHURE_TEMPLATE", "brochure/brochure", "template of the brochure (without .html)"),
    Setting("BROCHURE_ASSETS", "brochure", "folder in the theme's static files with the print CSS and fonts"),
    Setting("BROCHURE_PRINT_MARKS", False, "3 mm bleed and crop marks for the print shop"),
    Setting("BROCHURE_LATEST_ARTICLES", 4, "how many of the newest articles the brochure presents"),
    Setting("BROCHURE_TITLE", "Social Media bei heco", "the brochure's title"),
    Setting(
        "BROCHURE_BACKGROUND",
        True,
        "render in a forked process beside the build (the threaded live preview renders in place)",
    ),
    Setting(
        "BROCHURE_TIMEOUT", 300, "seconds to wait for the background rendering before rendering in place"
    ),
)


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

    def _prepare(self, print_marks: bool | None) -> tuple[str, Path, bool, int, Path]:
        s = self.settings
        marks = bool(s["BROCHURE_PRINT_MARKS"] if print_marks is None else print_marks)
        html = self.get_template(s["BROCHURE_TEMPLATE"]).render(self.brochure_context(print_marks=marks))
        assets = Path(s["THEME"]) / s["BROCHURE_ASSETS"]
        width = int(s["BROCHURE_PREVIEW_WIDTH"])
        cache = Path(s["CACHE_PATH"]) / "brochure" / render_key(html, assets, marks, width)
        return html, assets, marks, width, cache

    def render(self, *, print_marks: bool | None = None) -> tuple[bytes, int, bytes, tuple[int, int]]:
        """PDF, page count, preview PNG and its size (from the cache when nothing changed)."""
        html, assets, marks, width, cache = self._prepare(print_marks)
        cached = _cached(cache)
        if cached is not None:  # same HTML, assets and renderer: the same PDF, without WeasyPrint's 1-2 s
            return cached
        _render_into(cache, html, assets, marks, width)
        return _cached(cache)  # type: ignore[return-value]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._started = False
        self._pending = None
        _BUILDS[id(self.settings)] = self

    def start(self) -> None:
        """Render the brochure (once): WeasyPrint runs in a forked process while the build
        goes on (the brochure needs only the articles' metadata, which is there as soon as
        the article generator has read them; one core is idle then); ``facts`` collects it."""
        if self._started or not self.settings.get("BROCHURE_SAVE_AS"):
            return
        self._started = True
        html, assets, marks, width, cache = self._prepare(None)
        self.rendered = _cached(cache)
        if self.rendered is None and setting(self.settings, "BROCHURE_BACKGROUND", DEFAULTS):
            call = ForkedCall(_render_into, cache, html, assets, marks, width)
            self._pending = (call, cache, html, assets, marks, width)
        elif self.rendered is None:
            _render_into(cache, html, assets, marks, width)
            self.rendered = _cached(cache)

    def generate_context(self) -> None:
        self.start()

    def facts(self) -> dict:
        """Wait for the brochure (once) and return what the pages show of it (empty: none)."""
        pending, self._pending = self._pending, None
        if pending is not None:
            call, cache, html, assets, marks, width = pending
            with contextlib.suppress(ChildFailed):  # failed or hung: rendered here below
                call.result(timeout=float(setting(self.settings, "BROCHURE_TIMEOUT", DEFAULTS)))
            self.rendered = _cached(cache)
            if self.rendered is None:  # the child failed: render here, so its error is the usual one
                _render_into(cache, html, assets, marks, width)
                self.rendered = _cached(cache)
        if self.rendered is None:
            return {}
        pdf, pages, _png, size = self.rendered
        s = self.settings
        return {
            "url": s["BROCHURE_SAVE_AS"],
            "preview_url": s["BROCHURE_PREVIEW_SAVE_AS"],
            "preview_width": size[0],
            "preview_height": size[1],
            "pages": pages,
            "size_label": f"{max(1, round(len(pdf) / 1024))} KB",
        }

    def finish(self) -> None:
        """``all_generators_finalized``: the pages get ``BROCHURE``, which waits for the
        rendering only when a template first looks at it (the social-media page, written
        after the article pages), so WeasyPrint runs beside the article pages' rendering."""
        if self.settings.get("BROCHURE_SAVE_AS"):
            self.context["BROCHURE"] = _Facts(self.facts)

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
        self.facts()
        self.write(Path(self.output_path))


class _Facts(Mapping):
    """The brochure's facts for the templates, resolved on first use."""

    def __init__(self, resolve):
        self._resolve = resolve
        self._data: dict | None = None

    def _get(self) -> dict:
        if self._data is None:
            self._data = self._resolve()
        return self._data

    def __getitem__(self, key):
        return self._get()[key]

    def __iter__(self):
        return iter(self._get())

    def __len__(self) -> int:
        return len(self._get())


def _cached(cache: Path) -> tuple[bytes, int, bytes, tuple[int, int]] | None:
    try:
        meta = json.loads((cache / "meta.json").read_text(encoding="utf-8"))
        pdf, png = (cache / "brochure.pdf").read_bytes(), (cache / "preview.png").read_bytes()
        return pdf, meta["pages"], png, tuple(meta["size"])
    except (OSError, ValueError, KeyError):
        return None


def _render_into(cache: Path, html: str, assets: Path, marks: bool, width: int) -> None:
    """Render PDF and preview into the cache folder ``cache`` (complete or not at all)."""
    started = time.perf_counter()
    pdf, pages = render_pdf(html, assets, print_marks=marks)
    png, size = render_preview(pdf, width)
    tmp = cache.with_name(f"{cache.name}.tmp{os.getpid()}")
    tmp.mkdir(parents=True, exist_ok=True)
    (tmp / "brochure.pdf").write_bytes(pdf)
    (tmp / "preview.png").write_bytes(png)
    (tmp / "meta.json").write_text(json.dumps({"pages": pages, "size": list(size)}), encoding="utf-8")
    shutil.rmtree(cache, ignore_errors=True)
    os.replace(tmp, cache)
    logger.debug("Brochure: %d pages in %.2f s", pages, time.perf_counter() - started)


# Builds being read (id of their settings -> their brochure generator), for the early start.
_BUILDS: weakref.WeakValueDictionary[int, BrochureGenerator] = weakref.WeakValueDictionary()


def start_early(articles_generator) -> None:
    """``article_generator_finalized``: the articles and their metadata are known."""
    generator = _BUILDS.get(id(articles_generator.settings))
    if generator is not None:
        generator.start()


def finish(generators: list) -> None:
    for gen in generators:
        if isinstance(gen, BrochureGenerator):
            gen.finish()
