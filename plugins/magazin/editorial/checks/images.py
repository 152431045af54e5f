"""Image checks: the file exists inside the content folder, no foreign server, alt text (all
three in every build), and (with ``full``) width and file size within ``EDITORIAL_IMAGE_*``."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from magazin.core.settings import setting

from ..settings import DEFAULTS
from ..source import Source
from .site import Site, inside, resolve, suggest_file

IMAGE_MD_RE = re.compile(r"!\[(?P<alt>[^\]]*)\]\(\s*<?(?P<url>[^)\s>]+)>?(?:\s+[\"'][^\"']*[\"'])?\s*\)")
_IMG_TAG_RE = re.compile(r"<img\b(?P<attrs>[^>]*)>", re.I)


_ATTR_RE = re.compile(r"(?P<name>[a-zA-Z-]+)\s*=\s*(?P<q>[\"'])(?P<value>.*?)(?P=q)")


def _images(src: Source):
    """(line, alt or None, url) of every image in the body."""
    for number, line in src.prose_lines():
        for match in IMAGE_MD_RE.finditer(line):
            yield number, match.group("alt"), match.group("url")
        for match in _IMG_TAG_RE.finditer(line):
            attrs = {
                m.group("name").lower(): m.group("value") for m in _ATTR_RE.finditer(match.group("attrs"))
            }
            if "src" in attrs:
                yield number, attrs.get("alt"), attrs["src"]


def check_images(site: Site, src: Source, full: bool) -> None:
    refs = list(_images(src))
    if "image" in src.meta:
        value = src.meta["image"]
        url = value if value.startswith(("{", "/", "http")) else "/" + value
        refs.append((src.line_of("image"), "(Image:)", url))
    for number, alt, url in refs:
        scheme = urlsplit(url).scheme
        if scheme in ("http", "https") or url.startswith("//"):  # refused in every build
            src.error(
                number,
                f"Das Bild „{url}“ liegt auf einem fremden Server.",
                "Aus Datenschutzgründen lädt das Magazin keine fremden Bilder: speichere das Bild unter "
                "content/images/<abteilung>/ und binde es mit {static}/images/… ein.",
            )
            continue
        if scheme == "data":
            continue
        path = resolve(site, src, url)
        if path is None:
            src.error(
                number,
                f"Der Bildpfad „{url}“ ist nicht eindeutig.",
                "Schreibe ihn als „{static}/images/<abteilung>/bild.jpg“.",
            )
            continue
        if not inside(path, site.content) or not path.is_file():
            src.error(
                number,
                f"Das Bild „{url}“ gibt es nicht.",
                suggest_file(
                    site,
                    path,
                    "Lege die Datei unter content/images/<abteilung>/ ab oder korrigiere den Namen.",
                ),
            )
            continue
        # Alt texts in every build: the pre-build check owns Pelican's "Empty alt attribute" rule.
        if alt is not None and not alt.strip() and alt != "(Image:)":
            src.error(
                number,
                f"Dem Bild „{url}“ fehlt der Alternativtext.",
                "Beschreibe in den eckigen Klammern, was das Bild zeigt: ![Was zu sehen ist](…). "
                "Menschen mit Screenreader hören diesen Text.",
            )
        elif alt is None:
            src.error(
                number, f'Dem Bild „{url}“ fehlt das Attribut alt="…".', "Beschreibe, was das Bild zeigt."
            )
        if full:
            _check_image_size(site, src, number, url, path)


def _check_image_size(site: Site, src: Source, number: int, url: str, path: Path) -> None:
    max_width = setting(site.settings, "EDITORIAL_IMAGE_MAX_WIDTH", DEFAULTS)
    max_bytes = setting(site.settings, "EDITORIAL_IMAGE_MAX_BYTES", DEFAULTS)
    suggested = setting(site.settings, "EDITORIAL_IMAGE_SUGGESTED_WIDTH", DEFAULTS)
    size = path.stat().st_size
    width = height = None
    if path.suffix.lower() != ".svg":
        try:
            from PIL import Image

            with Image.open(path) as image:
                width, height = image.size
        except Exception:
            src.error(
                number,
                f"Das Bild „{url}“ lässt sich nicht lesen.",
                "Speichere es erneut als JPEG, PNG oder WebP.",
            )
            return
    too_wide = width is not None and width > max_width
    if too_wide or size > max_bytes:
        dims = f"{width}×{height} Pixel, " if width else ""
        if width and height:
            target_w = min(width, suggested)
            advice = f"Verkleinere es auf {target_w}×{round(height * target_w / width)} Pixel"
        else:
            advice = "Verkleinere es"
        src.error(
            number,
            f"Das Bild „{url}“ ist zu groß ({dims}{_megabytes(size)}).",
            f"{advice} und speichere es mit höchstens {_megabytes(max_bytes)} "
            "(Fotos als JPEG mit Qualität 80, Grafiken als SVG oder PNG).",
        )


def _megabytes(size: int) -> str:
    if size < 1_000_000:
        return f"{round(size / 1000)} KB"
    return f"{size / 1_000_000:.1f} MB".replace(".", ",")
