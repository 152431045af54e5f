"""WordPress galleries, audio and video → this magazine's own HTML (built with markupsafe).

- ``shortcode_attrs``: WordPress' ``shortcode_parse_atts`` (``key="v"``, ``key='v'``,
  ``key=v`` and positional values).
- ``gallery_html``: a ``[gallery]`` or gallery block as ``<div class="galerie galerie--N">``
  with one ``<figure>`` per picture (the images plugin makes each ``<img>`` a ``<picture>``;
  the grid's CSS is ``static/wordpress/wordpress.css``).
- ``media_html``: a local audio or video file as ``<audio>``/``<video>`` with ``controls``,
  no autoplay, ``preload="none"`` (nothing loads before the reader presses play), served from our origin
  (``{static}/downloads/…``; a video's file in ``<source>``, its poster on ``<video>``), with a
download link inside for browsers without the format.

Both are raw HTML blocks in the Markdown the import writes; the authors' raw-HTML check
accepts them because every address is a local ``{static}`` path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup, escape

_ATTRS = re.compile(
    r"""([\w-]+)\s*=\s*"([^"]*)"(?:\s|$)|([\w-]+)\s*=\s*'([^']*)'(?:\s|$)|([\w-]+)\s*=\s*([^\s'"]+)(?:\s|$)"""
    r"""|"([^"]*)"(?:\s|$)|'([^']*)'(?:\s|$)|(\S+)(?:\s|$)"""
)
_QUOTES = str.maketrans(
    {"\u201c": '"', "\u201d": '"', "\u2033": '"', "\u2018": "'", "\u2019": "'", "\u2032": "'"}
)
MAX_COLUMNS = 4  # more than four pictures side by side are too small in an article column
AUDIO_FORMATS = ("src", "mp3", "m4a", "ogg", "oga", "wav", "flac", "wma")
VIDEO_FORMATS = ("src", "mp4", "m4v", "webm", "ogv", "mov", "wmv", "flv")
AUDIO_SUFFIXES = (".mp3", ".m4a", ".ogg", ".oga", ".wav", ".flac", ".wma", ".aac", ".opus")
VIDEO_SUFFIXES = (".mp4", ".m4v", ".webm", ".ogv", ".mov", ".wmv", ".flv", ".avi")


def shortcode_attrs(text: str) -> tuple[dict[str, str], list[str]]:
    """(named attributes with lower-case keys, positional values) of a shortcode's attribute text."""
    named: dict[str, str] = {}
    positional: list[str] = []
    text = re.sub(r"[\u00a0\u200b]", " ", text.translate(_QUOTES))
    for match in _ATTRS.finditer(text):
        groups = match.groups()
        for key, value in ((groups[0], groups[1]), (groups[2], groups[3]), (groups[4], groups[5])):
            if key:
                named[key.lower()] = value
                break
        else:
            value = next((g for g in groups[6:] if g is not None), "")
            if value:
                positional.append(value)
    return named, positional


def media_kind(url: str) -> str | None:
    """``audio`` or ``video`` by the file's suffix, else None."""
    path = url.split("?", 1)[0].split("#", 1)[0].lower()
    if path.endswith(AUDIO_SUFFIXES):
        return "audio"
    if path.endswith(VIDEO_SUFFIXES):
        return "video"
    return None


@dataclass(frozen=True)
class Picture:
    """One picture of a gallery: its local ``{static}`` path, alt text and caption."""

    path: str
    alt: str
    caption: str = ""


def gallery_html(pictures: list[Picture], columns: int) -> str:
    """A gallery grid (``columns`` 1–4; more are shown as four)."""
    columns = max(1, min(MAX_COLUMNS, columns, len(pictures)))
    figures = []
    for picture in pictures:
        caption = (
            Markup("<figcaption>{}</figcaption>").format(picture.caption) if picture.caption else Markup("")
        )
        figures.append(
            Markup('<figure class="galerie__bild"><img src="{}" alt="{}">{}</figure>').format(
                picture.path, picture.alt, caption
            )
        )
    return str(
        Markup('<div class="galerie galerie--{}">\n{}\n</div>').format(columns, Markup("\n").join(figures))
    )


def media_html(kind: str, path: str, caption: str = "", poster: str = "") -> str:
    """An ``<audio>``/``<video>`` player for the local file ``path`` (no autoplay, no loop)."""
    label = "Audiodatei herunterladen" if kind == "audio" else "Video herunterladen"
    preload = "none"  # nothing is loaded before the reader presses play
    poster_attr = Markup(' poster="{}"').format(poster) if poster and kind == "video" else Markup("")
    caption_html = Markup("\n<figcaption>{}</figcaption>").format(caption) if caption else Markup("")
    if kind == "audio":
        player = Markup(
            '<audio class="medien__player" controls preload="{preload}" src="{path}">'
            '<a href="{path}">{label}</a></audio>'
        ).format(preload=preload, path=path, label=label)
        figure = Markup('<figure class="medien medien--audio">\n{}{}\n</figure>')
        return str(figure.format(player, caption_html))
    if kind == "video":
        # the file in <source>: Pelican replaces one {static} link per tag, the poster is the other
        player = Markup(
            '<video class="medien__player" controls preload="{preload}"{poster}><source src="{path}">'
            '<a href="{path}">{label}</a></video>'
        ).format(preload=preload, path=path, poster=poster_attr, label=label)
        figure = Markup('<figure class="medien medien--video">\n{}{}\n</figure>')
        return str(figure.format(player, caption_html))
    raise ValueError(f"not a player: {kind}")


def escape_text(text: str) -> str:
    """Text for a Markdown line (HTML-escaped)."""
    return str(escape(" ".join(text.split())))
