"""Responsive images for article and page content.

- An author's SVG drawing ``![alt]({static}/….svg)`` gets its ``width``/``height`` and a link
  that opens it at full size („Grafik in voller Größe öffnen“; not when it is a link already).
- Every author's image ``![alt]({static}/….jpg|png|webp)`` (an ``<img>`` with nothing but
  ``src``, ``alt``, ``title``; plugin-made images are left alone, except that a lazy one
  that comes first is made eager) becomes a ``<picture>``
  with a WebP ``<source>`` and a JPEG ``<img srcset>`` at ``IMAGES_WIDTHS`` (never wider than
  the original), ``width``/``height`` (no layout shift), ``decoding="async"``; the first image
  of a page loads eagerly with ``fetchpriority="high"``, all others ``loading="lazy"``.
- Derivatives are named by the source's content hash, made in a process pool (Pillow) into
  ``<CACHE_PATH>/images/`` and hard-linked (or copied) into the output: a warm build
  re-encodes nothing. ``<CACHE_PATH>/images/last-build.json`` counts made vs reused.
- ``derivatives(source_path, widths, settings)`` / ``derivatives_many(items, settings)``
  are the public helpers for other plugins (video posters): they make (or reuse) the files in
  the cache, in one pool, and return them; ``link_into`` puts one into the output.

Settings (defaults in ``DEFAULTS``): ``IMAGES_WIDTHS``, ``IMAGES_FORMATS``,
``IMAGES_QUALITY``, ``IMAGES_WEBP_METHOD``, ``IMAGES_WORKERS`` (``None`` = all cores), ``IMAGES_OUTPUT_DIR``,
``IMAGES_SIZES`` (the ``sizes`` attribute), ``IMAGES_TEASER_WIDTHS``,
``IMAGES_TEASER_PORTRAIT_WIDTHS`` and ``IMAGES_TEASER_SIZES`` (teaser pictures on cards and
portraits, see ``teaser.py``).
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup, escape

from magazin.core.processes import fork_pool
from magazin.core.processes import workers as worker_setting
from magazin.core.settings import Setting, declare, setting

from .teaser import TeaserFinder, TeaserImage, department_tones, svg_size

DEFAULTS = declare(
    "magazin.images",
    "IMAGES_",
    Setting("IMAGES_WIDTHS", [480, 800, 1200, 1600], "widths of an article picture's derivatives, in pixels"),
    Setting("IMAGES_FORMATS", ["webp", "jpeg"], "formats of the derivatives (the last is the fallback)"),
    Setting("IMAGES_QUALITY", {"webp": 78, "jpeg": 80}, "encoder quality per format"),
    Setting(
        "IMAGES_WEBP_METHOD",
        2,
        "libwebp effort 0-6 (2 gives the size of 4 on photos at a tenth of the time)",
    ),
    Setting("IMAGES_WORKERS", None, "processes that encode pictures (None: every usable core)", kind=int),
    Setting("IMAGES_OUTPUT_DIR", "bilder", "output folder of the derivatives"),
    Setting("IMAGES_SIZES", "(min-width: 52rem) 46rem, 100vw", "the sizes attribute of an article picture"),
    Setting(
        "IMAGES_TEASER_WIDTHS", [480, 800, 1200], "widths of teaser pictures on cards and the lead article"
    ),
    Setting("IMAGES_TEASER_PORTRAIT_WIDTHS", [160, 320], "widths of author portraits"),
    Setting(
        "IMAGES_TEASER_SIZES",
        {
            # cards: one column on phones, two or three columns of about 22 rem from 38 rem on
            "card": "(min-width: 60rem) 23rem, (min-width: 38rem) 50vw, 100vw",
            "lead": "(min-width: 60rem) 30rem, 100vw",
        },
        "the sizes attribute of teaser pictures, by place (card, lead)",
    ),
)
SUFFIX = {"webp": "webp", "jpeg": "jpg"}
RASTER = (".jpg", ".jpeg", ".png", ".webp")
# The attributes Python-Markdown gives an author's ``![alt](src "title")``; images with
# anything else were made by a plugin and are left alone.
MARKDOWN_ATTRS = {"src", "alt", "title"}


@dataclass(frozen=True)
class Derivative:
    """One derived file: ``name`` inside the cache and the output folder."""

    source: str
    width: int
    height: int
    fmt: str
    name: str


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


class SourceIndex:
    """Size and content hash of source images, remembered across builds by (mtime, size)."""

    def __init__(self, cache_dir: Path):
        self.file = cache_dir / "index.json"
        try:
            self.data: dict = json.loads(self.file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.data = {}
        self.changed = False

    def lookup(self, path: Path) -> tuple[str, int, int]:
        from PIL import Image

        st = path.stat()
        key = str(path)
        stamp = [st.st_mtime_ns, st.st_size]
        entry = self.data.get(key)
        if entry and entry[0] == stamp and len(entry) == 5:
            return entry[1], entry[2], entry[3]
        with Image.open(path) as image:
            width, height = image.size
            alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
        digest = _digest(path)
        self.data[key] = [stamp, digest, width, height, alpha]
        self.changed = True
        return digest, width, height

    def has_alpha(self, path: Path) -> bool:
        """Whether the image is transparent somewhere (call ``lookup`` first)."""
        entry = self.data.get(str(path))
        return bool(entry and len(entry) == 5 and entry[4])

    def save(self) -> None:
        if self.changed:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            self.file.write_text(json.dumps(self.data, sort_keys=True), encoding="utf-8")


def plan(
    source: Path, widths: list[int], settings: dict, index: SourceIndex
) -> tuple[list[Derivative], int, int]:
    """The derivatives of ``source`` (nothing is encoded here) and its original size."""
    digest, width, height = index.lookup(source)
    usable = sorted({w for w in widths if w < width} | {min(width, max(widths))})
    out = []
    for fmt in setting(settings, "IMAGES_FORMATS", DEFAULTS):
        for w in usable:
            h = round(height * w / width)
            out.append(Derivative(str(source), w, h, fmt, f"{source.stem}-{digest}-{w}.{SUFFIX[fmt]}"))
    return out, width, height


def _encode(job: tuple[str, list[tuple[Derivative, str]], dict, int]) -> int:
    """Decode one source once and write all its missing derivatives (largest first)."""
    from PIL import Image, ImageOps

    source, targets, quality, draft_width = job
    with Image.open(source) as opened:
        # JPEG: decode at a reduced scale that still covers the widest derivative. The request
        # depends only on the settings, so a file's bytes never depend on which others were missing.
        ratio = opened.height / opened.width
        opened.draft("RGB", (draft_width, round(draft_width * ratio)))
        image = ImageOps.exif_transpose(opened).convert("RGB")
    for derivative, target in sorted(targets, key=lambda t: (-t[0].width, t[0].fmt)):
        resized = image.resize((derivative.width, derivative.height), Image.Resampling.LANCZOS)
        tmp = f"{target}.tmp{os.getpid()}"
        if derivative.fmt == "webp":
            resized.save(tmp, "WEBP", quality=quality["webp"], method=quality["webp_method"])
        else:
            resized.save(tmp, "JPEG", quality=quality["jpeg"], optimize=True, progressive=True)
        os.replace(tmp, target)
    return len(targets)


def workers(settings: dict) -> int:
    return worker_setting(settings, "IMAGES_WORKERS", DEFAULTS)


def make(derivatives_: list[Derivative], settings: dict) -> tuple[list[Path], int]:
    """Encode the missing ones into the cache (one pool job per source); return cache paths
    and how many were made."""
    cache = Path(settings["CACHE_PATH"]) / "images"
    cache.mkdir(parents=True, exist_ok=True)
    quality = {
        **setting(settings, "IMAGES_QUALITY", DEFAULTS),
        "webp_method": setting(settings, "IMAGES_WEBP_METHOD", DEFAULTS),
    }
    draft_width = max(setting(settings, "IMAGES_WIDTHS", DEFAULTS))
    paths = [cache / d.name for d in derivatives_]
    by_source: dict[str, dict[str, tuple[Derivative, str]]] = {}
    for d, p in zip(derivatives_, paths, strict=True):
        if not p.exists():
            by_source.setdefault(d.source, {})[str(p)] = (d, str(p))
    jobs = [(src, list(targets.values()), quality, draft_width) for src, targets in sorted(by_source.items())]
    jobs.sort(key=lambda j: -os.path.getsize(j[0]))  # biggest first: better balance
    n = workers(settings)
    if n > 1 and len(jobs) > 1:
        with fork_pool(min(n, len(jobs))) as pool:
            made = sum(pool.imap_unordered(_encode, jobs))
    else:
        made = sum(_encode(job) for job in jobs)
    return paths, made


def derivatives_many(
    items: list[tuple[str | os.PathLike[str], list[int] | tuple[int, ...]]], settings: dict
) -> tuple[list[list[tuple[Derivative, Path]]], int]:
    """Make or reuse the derivatives of several images in one process pool.

    ``items`` are ``(source_path, widths)``; returns, per item, ``(Derivative,
    cache_path)`` pairs (WebP and JPEG for each usable width), and how many files were
    encoded now. Copy or link ``cache_path`` into the output (``link_into`` does that).
    """
    cache = Path(settings["CACHE_PATH"]) / "images"
    index = SourceIndex(cache)
    plans = [plan(Path(source), list(widths), settings, index)[0] for source, widths in items]
    unique = {d.name: d for planned in plans for d in planned}
    ordered = sorted(unique.values(), key=lambda d: d.name)
    paths, made = make(ordered, settings)
    index.save()
    by_name = dict(zip((d.name for d in ordered), paths, strict=True))
    return [[(d, by_name[d.name]) for d in planned] for planned in plans], made


def derivatives(
    source_path: str | os.PathLike[str], widths: list[int], settings: dict
) -> list[tuple[Derivative, Path]]:
    """Public helper for other plugins: make or reuse the derivatives of one image.

    Returns ``(Derivative, cache_path)`` pairs (WebP and JPEG for each usable width); copy
    or link ``cache_path`` into the output under ``IMAGES_OUTPUT_DIR/<Derivative.name>``.
    """
    return derivatives_many([(source_path, widths)], settings)[0][0]


def link_into(cached: Path, target: Path) -> None:
    """Hard-link (or copy) a cached derivative to ``target`` unless it is already that file."""
    try:
        if os.path.samefile(cached, target):
            return
        target.unlink()
    except FileNotFoundError:
        pass
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(cached, target)
    except OSError:
        shutil.copyfile(cached, target)


_IMG = re.compile(r"<img\b(?P<attrs>[^>]*?)\s*/?>")
_ATTR = re.compile(r'(?P<name>[a-zA-Z-]+)="(?P<value>[^"]*)"')
_STATIC = re.compile(r"^\{static\}/?")


class ImagesGenerator:
    """Rewrites ``<img>`` in content (after all content is read) and writes the derivatives."""

    def __init__(self, context, settings, path, theme, output_path, *args, **kwargs):
        self.context = context
        self.settings = settings
        self.path = Path(path)
        self.output_path = Path(output_path)
        self.needed: dict[str, Derivative] = {}
        self.index = SourceIndex(Path(settings["CACHE_PATH"]) / "images")

    def url(self, name: str) -> str:
        base = (self.settings.get("SITEURL") or "").rstrip("/")
        return f"{base}/{setting(self.settings, 'IMAGES_OUTPUT_DIR', DEFAULTS)}/{name}"

    def teaser_derivatives(self, source: Path, rel: str, portrait: bool = False) -> TeaserImage:
        """A teaser picture (or portrait) from a file: derivatives planned like content images."""
        key = "IMAGES_TEASER_PORTRAIT_WIDTHS" if portrait else "IMAGES_TEASER_WIDTHS"
        widths = setting(self.settings, key, DEFAULTS)
        planned, width, height = plan(source, widths, self.settings, self.index)
        if self.index.has_alpha(source):
            base = (self.settings.get("SITEURL") or "").rstrip("/")
            return TeaserImage(f"{base}/{rel}", width, height, diagram=True)
        for d in planned:
            self.needed[d.name] = d

        def srcset(fmt: str) -> str:
            return ", ".join(f"{self.url(d.name)} {d.width}w" for d in planned if d.fmt == fmt)

        jpeg = [d for d in planned if d.fmt == "jpeg"]
        fallback = jpeg[-1] if jpeg else planned[-1]
        webp = srcset("webp") if fallback.fmt != "webp" else ""
        return TeaserImage(self.url(fallback.name), width, height, srcset(fallback.fmt), webp)

    def _picture(self, attrs: dict[str, str], first: bool) -> Markup | None:
        src = attrs.get("src", "")
        if set(attrs) - MARKDOWN_ATTRS:
            return None  # made by a plugin (post card, poster …), not an author's ``![…](…)``
        if not _STATIC.match(src) or not src.lower().endswith(RASTER):
            return None
        source = self.path / _STATIC.sub("", src)
        if not source.is_file():
            return None  # Pelican warns about the broken link itself
        planned, width, height = plan(
            source, setting(self.settings, "IMAGES_WIDTHS", DEFAULTS), self.settings, self.index
        )
        if self.index.has_alpha(source):
            return None  # a JPEG fallback would lose the transparency: keep the original
        for d in planned:
            self.needed[d.name] = d
        sizes = setting(self.settings, "IMAGES_SIZES", DEFAULTS)

        def srcset(fmt: str) -> str:
            return ", ".join(f"{self.url(d.name)} {d.width}w" for d in planned if d.fmt == fmt)

        jpeg = [d for d in planned if d.fmt == "jpeg"]
        fallback = jpeg[-1] if jpeg else planned[-1]
        extra = {k: v for k, v in attrs.items() if k not in {"src", "alt", "width", "height", "loading"}}
        img_attrs = {
            "src": self.url(fallback.name),
            "srcset": srcset(fallback.fmt),
            "sizes": sizes,
            "alt": html.unescape(attrs.get("alt", "")),
            "width": str(width),
            "height": str(height),
            "decoding": "async",
            **({"fetchpriority": "high"} if first else {"loading": "lazy"}),
            **extra,
        }
        parts = [Markup("<picture>")]
        if "webp" in setting(self.settings, "IMAGES_FORMATS", DEFAULTS) and fallback.fmt != "webp":
            parts.append(
                Markup('<source type="image/webp" srcset="{}" sizes="{}">').format(srcset("webp"), sizes)
            )
        # escape() rather than Markup.format for each attribute: same text, a fifth of the time
        # (≈ 2,000 pictures at 1,000 articles, in the serial step after reading)
        attributes = "".join(f' {escape(k)}="{escape(v)}"' for k, v in img_attrs.items())
        parts.append(Markup(f"<img{attributes}>"))  # noqa: S704 - every name and value passed escape()
        parts.append(Markup("</picture>"))
        return Markup("").join(parts)

    def _drawing(self, attrs: dict[str, str], inside_link: bool) -> Markup | None:
        """An author's SVG drawing: its size (no layout shift), and a link to open it large
        (a diagram is hard to read at phone width; the browser zooms the opened SVG freely)."""
        src = attrs.get("src", "")
        if set(attrs) - MARKDOWN_ATTRS or not _STATIC.match(src) or not src.lower().endswith(".svg"):
            return None
        size = svg_size(self.path / _STATIC.sub("", src))
        if size is None:
            return None
        img = Markup('<img src="{}" alt="{}"{} width="{}" height="{}" decoding="async">').format(
            src,
            html.unescape(attrs.get("alt", "")),
            Markup(' title="{}"').format(html.unescape(attrs["title"])) if attrs.get("title") else "",
            *size,
        )
        if inside_link:
            return img
        return Markup(
            '<a class="zoom" href="{}">{}<span class="zoom__hint">Grafik in voller Größe öffnen</span></a>'
        ).format(src, img)

    def rewrite(self, text: str) -> str:
        first = [True]

        def replace(match: re.Match) -> str:
            attrs = {m.group("name").lower(): m.group("value") for m in _ATTR.finditer(match.group("attrs"))}
            before = text[: match.start()]
            drawing = self._drawing(attrs, before.rfind("<a ") > before.rfind("</a>"))
            if drawing is not None:
                return str(drawing)
            picture = self._picture(attrs, first[0])
            if picture is None:
                tag = match.group(0)
                if first[0] and attrs.get("loading") == "lazy":
                    # a plugin's image (video poster, post card) is the page's first image:
                    # it is the likely LCP element, so it loads eagerly with high priority
                    first[0] = False
                    return tag.replace(' loading="lazy"', ' fetchpriority="high"', 1)
                return tag
            first[0] = False
            return str(picture)

        return _IMG.sub(replace, text)

    def _with_translations(self, *keys: str) -> list:
        """The context's contents under ``keys`` and their translations, each once."""
        seen: set[int] = set()
        out = []
        for content in [c for key in keys for c in self.context.get(key, [])]:
            for item in [content, *getattr(content, "translations", [])]:
                if id(item) not in seen:
                    seen.add(id(item))
                    out.append(item)
        return out

    def rewritten(self) -> list:
        """The contents whose ``<img>`` this generator rewrites."""
        return self._with_translations("articles", "drafts", "pages", "hidden_pages")

    def with_teasers(self) -> list:
        """The articles that get a ``teaser``."""
        return self._with_translations("articles", "drafts", "hidden_articles")

    def generate_context(self) -> None:
        for item in self.rewritten():
            if getattr(item, "_content", None):
                item._content = self.rewrite(item._content)
        self.attach_teasers()
        self.index.save()

    def attach_teasers(self) -> None:
        """``article.teaser`` for every article, draft and translation (see teaser.py)."""
        from magazin.core.errors import ContentErrors

        finder = TeaserFinder(self)
        tones = department_tones(self.context)
        sizes = setting(self.settings, "IMAGES_TEASER_SIZES", DEFAULTS)
        for item in self.with_teasers():
            item.teaser = finder.teaser(item, tones, sizes)
        if finder.errors:
            raise ContentErrors(finder.errors)
        people = self.context.get("PEOPLE") or {}
        self.context["AVATARS"] = {
            name: finder.avatar(person, tones) for name, person in sorted(people.items())
        }

    def generate_output(self, writer) -> None:
        derived = sorted(self.needed.values(), key=lambda d: d.name)
        paths, made = make(derived, self.settings)
        target_dir = self.output_path / setting(self.settings, "IMAGES_OUTPUT_DIR", DEFAULTS)
        if derived:
            target_dir.mkdir(parents=True, exist_ok=True)
        for d, cached in zip(derived, paths, strict=True):
            target = target_dir / d.name
            if target.exists():
                continue
            try:
                os.link(cached, target)
            except OSError:
                shutil.copyfile(cached, target)
        stats = {"derivatives": len(derived), "made": made, "reused": len(derived) - made}
        (Path(self.settings["CACHE_PATH"]) / "images" / "last-build.json").write_text(json.dumps(stats))


def refresh_body(edit) -> None:
    """Body refresher of the live preview's fast render (``core.incremental``): the edited
    article's ``<img>`` → ``<picture>`` and its teaser, as ``generate_context`` does them.

    ``NotFast`` when the body needs a derivative the served site does not have yet (a new
    image: the full build makes it) or the teaser has a problem."""
    from magazin.core.incremental import NotFast

    gen = edit.generator(ImagesGenerator)
    article = edit.article
    needed, gen.needed = gen.needed, {}
    try:
        if any(item is article for item in gen.rewritten()) and getattr(article, "_content", None):
            article._content = gen.rewrite(article._content)
        if any(item is article for item in gen.with_teasers()):
            finder = TeaserFinder(gen)
            sizes = setting(gen.settings, "IMAGES_TEASER_SIZES", DEFAULTS)
            article.teaser = finder.teaser(article, department_tones(gen.context), sizes)
            if finder.errors:
                raise NotFast(str(finder.errors[0]))
        folder = edit.output / setting(gen.settings, "IMAGES_OUTPUT_DIR", DEFAULTS)
        missing = sorted(name for name in gen.needed if not (folder / name).is_file())
        if missing:
            raise NotFast(f"neues Bild: {missing[0]} ist noch nicht erzeugt")
    finally:
        needed.update(gen.needed)
        gen.needed = needed
