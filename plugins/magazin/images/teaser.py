"""Teaser pictures for article cards and the lead article on the home page.

Each article gets ``article.teaser`` (a ``Teaser``): its picture comes from the ``Image:``
metadata, else from the first picture in its text (an author's image, already made
responsive by ``images.py``, a video poster or the photo of a quoted post: the same choice
as the Open Graph image). Articles without any picture get a
fallback drawn by CSS in their department's colour (``Teaser.tone``, an index into eight
colours, by the department's place in ``departments.yml``).

Templates call ``item.teaser.render(kind, eager=…)``: ``kind`` picks the ``sizes``
attribute (``IMAGES_TEASER_SIZES`` in ``images.DEFAULTS``); every ``<img>`` carries ``width``
and ``height`` (no layout shift).
A wrong ``Image:`` stops the build with a German message naming file and line.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from magazin.core.errors import ContentError, find_metadata_line

TONES = 8

_PICTURE = re.compile(r"<picture>(?P<inner>.*?)</picture>", re.S)
_WEBP = re.compile(r'<source type="image/webp" srcset="(?P<srcset>[^"]*)"')
_IMG_TAG = re.compile(r"<img\b[^>]*>")
_ATTR = re.compile(r'(?P<name>[a-zA-Z-]+)="(?P<value>[^"]*)"')
_STATIC = re.compile(r"^\{(?:static|attach)\}/?")
_NUMBER = re.compile(r"^\s*([0-9.]+)")


@dataclass(frozen=True)
class TeaserImage:
    """One picture as the card shows it: URLs are final, sizes are the source's."""

    src: str
    width: int
    height: int
    srcset: str = ""
    webp_srcset: str = ""
    diagram: bool = False  # a drawing (SVG, PNG): shown whole on white, never cropped


@dataclass(frozen=True)
class Teaser:
    image: TeaserImage | None
    tone: int
    sizes: dict
    # rendered markup by (kind, eager): one article's card appears on many listing pages
    _rendered: dict = field(default_factory=dict, compare=False, repr=False)

    def render(self, kind: str = "card", eager: bool = False) -> Markup:
        """The ``<picture>`` (or the fallback ``<div>``) in a 16:9 frame."""
        key = (kind, eager)
        markup = self._rendered.get(key)
        if markup is None:
            markup = self._rendered[key] = self._render(kind, eager)
        return markup

    def _render(self, kind: str, eager: bool) -> Markup:
        if self.image is None:
            return Markup(
                '<div class="teaser teaser--fallback teaser--tone-{}" aria-hidden="true"></div>'
            ).format(self.tone)
        image = self.image
        sizes = self.sizes.get(kind, self.sizes["card"])
        attrs: dict[str, str] = {"src": image.src}
        if image.srcset:
            attrs["srcset"] = image.srcset
            attrs["sizes"] = sizes
        attrs.update(
            {
                "alt": "",  # the card's title names the article; the picture is decoration
                "width": str(image.width),
                "height": str(image.height),
                "decoding": "async",
            }
        )
        if eager and kind == "lead":
            attrs["fetchpriority"] = "high"
        elif not eager:
            attrs["loading"] = "lazy"
        pairs = Markup("").join(Markup(' {}="{}"').format(k, v) for k, v in attrs.items())
        img = Markup("<img") + pairs + Markup(">")
        source = (
            Markup('<source type="image/webp" srcset="{}" sizes="{}">').format(image.webp_srcset, sizes)
            if image.webp_srcset
            else Markup("")
        )
        modifier = " teaser--diagram" if image.diagram else ""
        return Markup('<picture class="teaser teaser--tone-{}{}">{}{}</picture>').format(
            self.tone, modifier, source, img
        )


def svg_size(path: Path) -> tuple[int, int] | None:
    """Width and height of an SVG from its ``width``/``height`` or ``viewBox``."""
    try:
        root = ET.parse(path).getroot()  # noqa: S314 - our own repository's files
    except (ET.ParseError, OSError):
        return None
    width, height = root.get("width", ""), root.get("height", "")
    w, h = _NUMBER.match(width), _NUMBER.match(height)
    if w and h and not width.strip().endswith("%") and not height.strip().endswith("%"):
        return round(float(w.group(1))), round(float(h.group(1)))
    box = (root.get("viewBox") or "").replace(",", " ").split()
    if len(box) == 4:
        return round(float(box[2])), round(float(box[3]))
    return None


def _attrs(tag: str) -> dict[str, str]:
    return {m.group("name").lower(): html.unescape(m.group("value")) for m in _ATTR.finditer(tag)}


class TeaserFinder:
    """Finds the teaser picture of each article (state for one build)."""

    def __init__(self, generator):
        self.gen = generator  # the ImagesGenerator: settings, content path, derivative planning
        self.errors: list[ContentError] = []

    def _site_url(self, path: str) -> str:
        base = (self.gen.settings.get("SITEURL") or "").rstrip("/")
        return f"{base}/{path.lstrip('/')}"

    def from_file(self, rel: str) -> TeaserImage | str:
        """A picture from a file under the content folder, or a German reason why not."""
        rel = _STATIC.sub("", rel.strip()).lstrip("/")
        source = self.gen.path / rel
        if not source.is_file():
            return f"Das Bild „{rel}“ gibt es nicht (gesucht in {self.gen.path.name}/{rel})."
        suffix = source.suffix.lower()
        if suffix == ".svg":
            size = svg_size(source)
            if size is None:
                return f"Das SVG „{rel}“ hat weder width/height noch viewBox."
            return TeaserImage(self._site_url(rel), *size, diagram=True)
        if suffix not in (".jpg", ".jpeg", ".png", ".webp"):
            return f"„{rel}“ ist kein Bild im Format JPEG, PNG, WebP oder SVG."
        return self.gen.teaser_derivatives(source, rel)

    def from_content(self, text: str) -> TeaserImage | None:
        """The first author's image or video poster in rendered article HTML."""
        for match in re.finditer(r"<picture>.*?</picture>|<img\b[^>]*>", text, re.S):
            chunk = match.group(0)
            img = _IMG_TAG.search(chunk)
            if img is None:
                continue
            attrs = _attrs(img.group(0))
            src = attrs.get("src", "")
            if _STATIC.match(src):
                # an author's image the images plugin left as it is (SVG, transparent PNG)
                found = self.from_file(src)
                if isinstance(found, TeaserImage):
                    return found
                continue
            if not chunk.startswith("<picture>") or not attrs.get("width") or not attrs.get("height"):
                continue  # an image without a known size: it would shift the layout
            webp = _WEBP.search(chunk)
            return TeaserImage(
                src=src,
                width=int(attrs["width"]),
                height=int(attrs["height"]),
                srcset=attrs.get("srcset", ""),
                webp_srcset=html.unescape(webp.group("srcset")) if webp else "",
            )
        return None

    def avatar(self, person, tones: dict[str, int]) -> Markup:
        """``AVATARS[name]`` for templates: the portrait (checked by the masthead) or initials."""
        image = None
        if person.portrait:
            source = self.gen.path / person.portrait
            found = self.gen.teaser_derivatives(source, person.portrait, portrait=True)
            image = found if isinstance(found, TeaserImage) else None
        return render_avatar(person.initials, tones.get(person.department.slug, 0), image)

    def teaser(self, article, tones: dict[str, int], sizes: dict) -> Teaser:
        tone = tones.get(getattr(getattr(article, "category", None), "slug", ""), 0)
        image: TeaserImage | None = None
        explicit = article.metadata.get("image")
        if explicit:
            found = self.from_file(str(explicit))
            if isinstance(found, str):
                self.errors.append(
                    ContentError(
                        article.source_path,
                        find_metadata_line(article.source_path, "image"),
                        f"„Image:“ – {found}",
                        "Gib den Pfad unter content/ an, z. B. „Image: images/technik/foto.jpg“, "
                        "oder lass die Zeile weg (dann gilt das erste Bild im Text).",
                    )
                )
            else:
                image = found
        else:
            image = self.from_content(getattr(article, "_content", "") or "")
        return Teaser(image, tone, sizes)


def render_avatar(initials: str, tone: int, image: TeaserImage | None) -> Markup:
    """A round portrait, or the person's initials on their department's colour."""
    if image is None:
        return Markup(
            '<span class="avatar avatar--initials teaser--tone-{}" aria-hidden="true">{}</span>'
        ).format(tone, initials)
    source = (
        Markup('<source type="image/webp" srcset="{}" sizes="6rem">').format(image.webp_srcset)
        if image.webp_srcset
        else Markup("")
    )
    srcset = Markup(' srcset="{}" sizes="6rem"').format(image.srcset) if image.srcset else Markup("")
    return Markup(
        '<picture class="avatar avatar--portrait">{}<img src="{}"{} alt="" width="{}" height="{}" '
        'loading="lazy" decoding="async"></picture>'
    ).format(source, image.src, srcset, image.width, image.height)


def department_tones(context: dict) -> dict[str, int]:
    """Each department's colour: its place in ``departments.yml``, eight colours round."""
    departments = context.get("DEPARTMENTS") or []
    return {dep.slug: index % TONES for index, dep in enumerate(departments)}
