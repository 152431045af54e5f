"""Python-Markdown extension: YouTube videos as private consent placeholders.

Two forms (documented for authors in docs/autoren-videos.md):

1. A YouTube address alone on its own line (as in WordPress)::

       https://youtu.be/AbCdEfGhIjK?t=90

2. The explicit form with options, one ``Schlüssel: Wert`` per line::

       ::: youtube https://www.youtube.com/watch?v=AbCdEfGhIjK
       Titel: So montieren Sie einen Pressfitting
       Typ: Montage
       Start: 1:30
       Ende: 2:45
       Bildunterschrift: Unser Monteur zeigt jeden Handgriff.
       Format: 4:3
       Vorschaubild: images/montage/pressfitting.jpg
       Datum: 2026-03-14
       :::

Usable alone: ``markdown.markdown(text, extensions=[YouTubeExtension(media_dir=…)])``.
Bad input raises ``consent.EmbedError`` (German); in Pelican it becomes ``datei:zeile: …``.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field
from pathlib import Path

from markdown import Extension, Markdown
from markdown.blockprocessors import BlockProcessor
from markupsafe import Markup

from magazin.consent import EmbedError, Provider, record_embed, render_placeholder, where
from magazin.core.urlline import UrlLineProcessor

from .embed import PROVIDER, is_youtube_url
from .posters import PosterJob, cached_metadata, cached_poster, picture_html, plan_poster
from .urls import InvalidVideoUrl, VideoRef, parse_time, parse_youtube_url, with_times

logger = logging.getLogger(__name__)

EXPLICIT_OPEN = re.compile(r"^:::\s*youtube\b\s*(?P<url>\S*)\s*$", re.IGNORECASE)
EXPLICIT_CLOSE = ":::"
VIDEO_TYPES = {"interview": "Interview", "montage": "Montage", "tutorial": "Tutorial"}
RATIOS = {"16:9": "16x9", "4:3": "4x3", "1:1": "1x1", "9:16": "9x16", "21:9": "21x9"}
OPTION_NAMES = {
    "titel": "title",
    "title": "title",
    "typ": "type",
    "type": "type",
    "start": "start",
    "ende": "end",
    "end": "end",
    "bildunterschrift": "caption",
    "caption": "caption",
    "unterschrift": "caption",
    "format": "aspect",
    "aspect": "aspect",
    "seitenverhaeltnis": "aspect",
    "seitenverhältnis": "aspect",
    "vorschaubild": "poster",
    "poster": "poster",
    "datum": "date",
    "date": "date",
}
ALLOW = "accelerometer; autoplay; clipboard-write; encrypted-media; gyroscope; picture-in-picture; web-share"
SIZES_LANDSCAPE = "(min-width: 48rem) 44rem, 100vw"
SIZES_PORTRAIT = "(min-width: 24rem) 22rem, 100vw"


@dataclass
class VideoEmbed:
    """One video in one document (recorded on ``article.embeds``)."""

    ref: VideoRef
    url: str
    title: str
    poster: PosterJob
    video_type: str | None = None
    caption: str = ""
    aspect: str = "16:9"
    upload_date: dt.date | None = None
    author_name: str = ""
    anchor: str = ""  # id of the placeholder (``video-<id>``), a link target for feeds
    provider: str = field(default="youtube")


def _options(lines: list[str]) -> dict[str, str]:
    options: dict[str, str] = {}
    for line in lines:
        if not line.strip():
            continue
        name, sep, value = line.partition(":")
        key = OPTION_NAMES.get(name.strip().lower())
        if not sep or key is None:
            raise EmbedError(
                f"Unbekannte Video-Angabe „{line.strip()}“.",
                needle=line.strip(),
                hint="Erlaubt sind: Titel, Typ, Start, Ende, Bildunterschrift, Format, Vorschaubild, Datum.",
            )
        if key in options:
            raise EmbedError(f"Die Angabe „{name.strip()}“ steht doppelt.", needle=line.strip())
        options[key] = value.strip()
    return options


class ExplicitProcessor(BlockProcessor):
    """``::: youtube URL`` … options … ``:::``."""

    def __init__(self, parser, extension: YouTubeExtension):
        super().__init__(parser)
        self.ext = extension

    def test(self, parent: etree.Element, block: str) -> bool:
        return bool(EXPLICIT_OPEN.match(block.split("\n", 1)[0].strip()))

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        first = blocks[0].split("\n", 1)[0].strip()
        lines: list[str] = []
        closed = False
        first_block = True
        while blocks and not closed:  # blank lines inside the form are tolerated
            block_lines = blocks.pop(0).split("\n")
            if first_block:
                block_lines, first_block = block_lines[1:], False
            for index, line in enumerate(block_lines):
                if line.strip() == EXPLICIT_CLOSE:
                    closed = True
                    rest = "\n".join(block_lines[index + 1 :]).strip("\n")
                    if rest:
                        blocks.insert(0, rest)
                    break
                lines.append(line)
        if not closed:
            raise EmbedError(
                "Der Videoblock wird nicht mit „:::“ geschlossen.",
                needle=first,
                hint="Schreibe „:::“ allein in die Zeile nach der letzten Angabe.",
            )
        url = EXPLICIT_OPEN.match(first).group("url")
        if not url:
            raise EmbedError(
                "Im Videoblock fehlt die Adresse des Videos.",
                needle=first,
                hint="Beispiel: „::: youtube https://youtu.be/VIDEO-ID“.",
            )
        html = self.ext.embed_html(self.parser.md, url, _options(lines))
        p = etree.SubElement(parent, "p")
        p.text = self.parser.md.htmlStash.store(html)


class YouTubeExtension(Extension):
    """Turn YouTube addresses into consent placeholders with local posters."""

    def __init__(self, **kwargs):
        self.config = {
            "media_dir": ["content/media/youtube", "folder of the cached posters and titles"],
            "content_dir": ["content", "base of custom poster paths"],
            "site_url": ["", "prefix of generated URLs (SITEURL)"],
            "privacy_url": ["/datenschutz/#einwilligungen", "link to the privacy page"],
            "poster_widths": [(480, 960, 1280), "widths of the responsive posters"],
            "warn_missing_poster": [True, "log a warning when no cached poster exists"],
            "provider": [PROVIDER, "the consent provider (the site's registered one in a build)"],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        md.parser.blockprocessors.register(ExplicitProcessor(md.parser, self), "youtube_explicit", 27)
        md.parser.blockprocessors.register(
            UrlLineProcessor(md.parser, is_youtube_url, lambda md, url: self.embed_html(md, url, {})),
            "youtube_url",
            26.5,
        )

    # -- building ---------------------------------------------------------------------------
    def embed_html(self, md: Markdown, url: str, options: dict[str, str]) -> str:
        """Record the video on the document and return its placeholder."""
        embed = self.make_embed(md, url, options)
        anchor = f"video-{embed.ref.key}"
        taken = {getattr(e, "anchor", "") for e in getattr(md, "magazine_embeds", None) or []}
        embed.anchor = anchor if anchor not in taken else ""  # ids stay unique in a document
        record_embed(md, embed)
        return str(self.render(embed))

    def make_embed(self, md: Markdown, url: str, options: dict[str, str]) -> VideoEmbed:
        needle = url
        try:
            ref = parse_youtube_url(url)
            start = parse_time(options["start"]) if options.get("start") else None
            end = parse_time(options["end"]) if options.get("end") else None
            ref = with_times(ref, start, end, url)
        except InvalidVideoUrl as exc:
            raise EmbedError(
                str(exc), needle=needle, hint="Kopiere die Adresse direkt aus der Adresszeile von YouTube."
            ) from None
        media_dir = Path(self.getConfig("media_dir"))
        meta = cached_metadata(media_dir, ref.key)
        title = options.get("title") or str(meta.get("title") or "") or "Video auf YouTube"
        video_type = None
        if options.get("type"):
            video_type = VIDEO_TYPES.get(options["type"].lower())
            if video_type is None:
                raise EmbedError(
                    f"Unbekannter Video-Typ „{options['type']}“.",
                    needle=options["type"],
                    hint="Erlaubt sind: " + ", ".join(VIDEO_TYPES.values()) + ".",
                )
        aspect = "9:16" if ref.shorts else "16:9"
        if options.get("aspect"):
            aspect = options["aspect"].replace(" ", "").replace("/", ":")
            if aspect not in RATIOS:
                raise EmbedError(
                    f"Unbekanntes Format „{options['aspect']}“.",
                    needle=options["aspect"],
                    hint="Erlaubt sind: " + ", ".join(RATIOS) + ".",
                )
        upload_date = None
        date_text = options.get("date") or str(meta.get("upload_date") or "")
        if date_text:
            try:
                upload_date = dt.date.fromisoformat(date_text)
            except ValueError:
                raise EmbedError(
                    f"Das Datum „{date_text}“ ist ungültig.",
                    needle=date_text,
                    hint="Schreibe es als JJJJ-MM-TT, z. B. 2026-03-14.",
                ) from None
        portrait = aspect == "9:16"
        widths = tuple(self.getConfig("poster_widths"))
        if options.get("poster"):
            rel = options["poster"].removeprefix("{static}").lstrip("/")
            source = Path(self.getConfig("content_dir")) / rel
            if not source.is_file():
                raise EmbedError(
                    f"Das Vorschaubild „{options['poster']}“ gibt es nicht.",
                    needle=options["poster"],
                    hint="Der Pfad gilt ab content/, z. B. images/montage/bild.jpg.",
                )
            poster = plan_poster(ref.key, source, title, portrait, widths, custom=True)
        else:
            source = cached_poster(media_dir, ref.key)
            if source is None and self.getConfig("warn_missing_poster"):
                logger.warning(
                    "%s: Für das YouTube-Video „%s“ gibt es kein lokales Vorschaubild; es wird ein "
                    "Platzhalter gezeigt. Führe „invoke fetch-media“ aus und committe "
                    "content/media/youtube/.",
                    where(md, needle),
                    ref.key,
                )
            poster = plan_poster(ref.key, source, title, portrait, widths)
        return VideoEmbed(
            ref=ref,
            url=url,
            title=title,
            poster=poster,
            video_type=video_type,
            caption=options.get("caption", ""),
            aspect=aspect,
            upload_date=upload_date,
            author_name=str(meta.get("author_name") or ""),
        )

    def render(self, embed: VideoEmbed) -> Markup:
        site_url = self.getConfig("site_url")
        portrait = embed.aspect == "9:16"
        provider: Provider = self.getConfig("provider")
        picture = picture_html(
            embed.poster,
            site_url,
            alt=f"{provider.external_label}: {embed.title}",
            sizes=SIZES_PORTRAIT if portrait else SIZES_LANDSCAPE,
        )
        kind = f"{embed.video_type}: " if embed.video_type else ""
        return render_placeholder(
            provider=provider,
            src=embed.ref.embed_url(autoplay=False),
            src_play=embed.ref.embed_url(autoplay=True),
            title=f"YouTube-Video: {embed.title}",
            fallback_url=embed.ref.watch_url(),
            privacy_url=self.getConfig("privacy_url"),
            poster=picture,
            allow=ALLOW,
            caption=embed.caption,
            heading=kind + embed.title,
            classes=("video", f"consent--ratio-{RATIOS[embed.aspect]}"),
            element_id=embed.anchor,
        )


def makeExtension(**kwargs) -> YouTubeExtension:
    return YouTubeExtension(**kwargs)
