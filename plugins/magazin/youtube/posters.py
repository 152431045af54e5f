"""Local poster images: the cached thumbnail (``content/media/youtube/<id>.jpg``), a custom
poster, or a branded placeholder drawn with Pillow; served as responsive WebP + JPEG made (and
cached by content hash) by ``plugins/magazin/images``."""

from __future__ import annotations

import functools
import hashlib
import inspect
import json
import os
import textwrap
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup
from PIL import Image, ImageDraw, ImageFont

POSTER_EXTENSIONS = (".jpg", ".jpeg", ".png", ".webp")
OUTPUT_DIR = "videos/poster"
PLACEHOLDER_LANDSCAPE = (1280, 720)
PLACEHOLDER_PORTRAIT = (720, 1280)
# The magazine's colours (theme/static/css/magazin.css)
BLUE_900, BLUE_700, STEEL_300, ACCENT = (7, 42, 74), (11, 83, 148), (184, 196, 206), (224, 165, 38)


def cached_poster(media_dir: Path, key: str) -> Path | None:
    """The poster ``invoke fetch-media`` stored for ``key``, if any."""
    for ext in POSTER_EXTENSIONS:
        path = media_dir / f"{key}{ext}"
        if path.is_file():
            return path
    return None


def cached_metadata(media_dir: Path, key: str) -> dict:
    """Title/author etc. that ``invoke fetch-media`` stored for ``key`` (empty if none)."""
    path = media_dir / f"{key}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


@dataclass(frozen=True)
class PosterJob:
    """One poster to render into responsive derivatives at ``videos/poster/<stem>-<w>.<ext>``."""

    stem: str
    source: Path | None  # None: draw the branded placeholder
    title: str
    size: tuple[int, int]  # of the source (or placeholder)
    widths: tuple[int, ...]

    @property
    def portrait(self) -> bool:
        return self.size[1] > self.size[0]

    def height_for(self, width: int) -> int:
        return round(self.size[1] * width / self.size[0])

    def path(self, width: int, ext: str) -> str:
        return f"{OUTPUT_DIR}/{self.stem}-{width}.{ext}"

    def largest(self, ext: str = "jpg") -> str:
        return self.path(self.widths[-1], ext)


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()[:8]


def plan_poster(
    key: str, source: Path | None, title: str, portrait: bool, widths: tuple[int, ...], custom: bool = False
) -> PosterJob:
    """Decide the derivative files for a poster (reads only the image header)."""
    if source is None:
        size = PLACEHOLDER_PORTRAIT if portrait else PLACEHOLDER_LANDSCAPE
        stem = f"{key}-platzhalter-{_digest(title + str(portrait))}"
    else:
        with Image.open(source) as image:
            size = image.size
        stem = f"{key}-{_digest(str(source.name))}" if custom else key
    fitted = tuple(sorted({min(w, size[0]) for w in widths}))
    return PosterJob(stem, source, title, size, fitted)


def picture_html(job: PosterJob, site_url: str, alt: str, sizes: str) -> Markup:
    """``<picture>`` with WebP and JPEG ``srcset`` and fixed width/height (no layout shift)."""

    def srcset(ext: str) -> str:
        return ", ".join(f"{site_url}/{job.path(w, ext)} {w}w" for w in job.widths)

    middle = job.widths[len(job.widths) // 2]
    return Markup(
        '<picture><source type="image/webp" srcset="{webp}" sizes="{sizes}">'
        '<img src="{src}" srcset="{jpg}" sizes="{sizes}" width="{w}" height="{h}" alt="{alt}" '
        'loading="lazy" decoding="async"></picture>'
    ).format(
        webp=srcset("webp"),
        jpg=srcset("jpg"),
        sizes=sizes,
        src=f"{site_url}/{job.path(middle, 'jpg')}",
        w=job.widths[-1],
        h=job.height_for(job.widths[-1]),
        alt=alt,
    )


FONT_FILES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",  # Debian fonts-dejavu-core (.ci/run)
    "DejaVuSans-Bold.ttf",
)


def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    """DejaVu Sans Bold (umlauts); Pillow's bundled font where DejaVu is missing."""
    for name in FONT_FILES:
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


def draw_placeholder(title: str, size: tuple[int, int]) -> Image.Image:
    """Branded stand-in poster: title on the magazine's blue with a brushed-steel band."""
    width, height = size
    image = Image.new("RGB", size, BLUE_900)
    draw = ImageDraw.Draw(image)
    for y in range(height):  # vertical gradient blue-900 → blue-700
        t = y / max(1, height - 1)
        colour = tuple(round(a + (b - a) * t * 0.8) for a, b in zip(BLUE_900, BLUE_700, strict=True))
        draw.line([(0, y), (width, y)], fill=colour)
    band = round(height * 0.06)
    for x in range(0, width, 4):  # brushed steel at the bottom
        shade = 150 + (x * 37 % 60)
        draw.rectangle([x, height - band, x + 3, height], fill=(shade, shade + 8, shade + 14))
    draw.rectangle([0, height - band - 6, width, height - band], fill=ACCENT)
    unit = min(width, height)
    margin = round(unit * 0.08)
    draw.text(
        (margin, margin), "DAS EDELSTAHLMAGAZIN · VIDEO", font=_font(round(unit * 0.04)), fill=STEEL_300
    )
    title_font = _font(round(unit * (0.09 if width > height else 0.075)))
    chars = max(12, int((width - 2 * margin) / (title_font.size * 0.55)))
    lines = textwrap.wrap(title, width=chars)[:4] or ["Video"]
    y = margin + round(unit * 0.1)
    for line in lines:
        draw.text((margin, y), line, font=title_font, fill=(255, 255, 255))
        y += round(title_font.size * 1.25)
    radius = round(unit * 0.09)  # play symbol
    cx, cy = width // 2, round(height * 0.62) if width > height else round(height * 0.7)
    draw.ellipse(
        [cx - radius, cy - radius, cx + radius, cy + radius],
        outline=(255, 255, 255),
        width=max(3, unit // 160),
    )
    s = radius * 0.45
    draw.polygon([(cx - s * 0.7, cy - s), (cx - s * 0.7, cy + s), (cx + s, cy)], fill=(255, 255, 255))
    return image


def _font_file() -> str:
    """The font file ``_font`` will use (part of a placeholder's cache key)."""
    for name in FONT_FILES:
        try:
            ImageFont.truetype(name, 10)
            return name
        except OSError:
            continue
    return "pillow-default"


@functools.cache
def _drawing_code() -> str:
    """The source of the running ``draw_placeholder`` (read once per process: ≈ 2 ms a call)."""
    return inspect.getsource(draw_placeholder)


def placeholder_key(title: str, size: tuple[int, int], font: str) -> str:
    """Content key of a drawn placeholder: its inputs and the drawing code itself."""
    recipe = json.dumps([title, list(size), font, _drawing_code()])
    return hashlib.sha256(recipe.encode("utf-8")).hexdigest()[:20]


def _draw_to(job: tuple[str, tuple[int, int], str]) -> None:
    title, size, target = job
    tmp = f"{target}.tmp{os.getpid()}"
    draw_placeholder(title, size).save(tmp, "PNG", compress_level=1)
    os.replace(tmp, target)


def publish_posters(jobs: list[PosterJob], settings: dict, output_dir: Path) -> dict[str, int]:
    """Put every poster's WebP + JPEG derivatives into ``output_dir/videos/poster/``.

    Posters go through ``plugins/magazin/images``: encoded in its process pool, cached by content hash
    under ``<CACHE_PATH>/images/`` and hard-linked into the output, so a warm build encodes
    none. Placeholders are drawn once into ``<CACHE_PATH>/images/posters/<key>.png`` (key:
    title, size, font and drawing code) and then treated like any other source image.
    Returns ``{"posters": …, "drawn": …, "made": …}``.
    """
    from magazin.core.processes import fork_pool
    from magazin.images import SUFFIX, derivatives_many, link_into, workers

    drawn_dir = Path(settings["CACHE_PATH"]) / "images" / "posters"
    font = _font_file() if any(job.source is None for job in jobs) else ""
    sources: list[Path] = []
    to_draw: dict[str, tuple[str, tuple[int, int], str]] = {}
    for job in jobs:
        if job.source is not None:
            sources.append(job.source)
            continue
        target = drawn_dir / f"{placeholder_key(job.title, job.size, font)}.png"
        sources.append(target)
        if not target.exists():
            to_draw[str(target)] = (job.title, job.size, str(target))
    if to_draw:
        drawn_dir.mkdir(parents=True, exist_ok=True)
        pending = [to_draw[k] for k in sorted(to_draw)]
        n = min(workers(settings), len(pending))
        if n > 1:
            with fork_pool(n) as pool:
                pool.map(_draw_to, pending)
        else:
            for item in pending:
                _draw_to(item)
    results, made = derivatives_many(
        [(source, job.widths) for job, source in zip(jobs, sources, strict=True)], settings
    )
    for job, derived in zip(jobs, results, strict=True):
        for derivative, cached in derived:
            link_into(cached, output_dir / job.path(derivative.width, SUFFIX[derivative.fmt]))
    return {"posters": len(jobs), "drawn": len(to_draw), "made": made}
