"""Pelican side of the YouTube plugin: poster derivatives, ``/videos/``, JSON-LD, and the
videos' entries in the intranet news (``context["INTRANET_ITEMS"]``). Settings and signals:
``plugin.py``."""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pelican.generators import Generator

from magazin.core.settings import canonical_base

from .markdown_ext import VideoEmbed
from .posters import publish_posters

logger = logging.getLogger(__name__)


def videos_of(content: Any) -> list[VideoEmbed]:
    return [e for e in getattr(content, "embeds", None) or [] if getattr(e, "provider", None) == "youtube"]


@dataclass
class VideoEntry:
    """One video on /videos/ with every article that shows it."""

    embed: VideoEmbed
    contents: list[Any] = field(default_factory=list)


class VideosGenerator(Generator):
    """Collects the videos, contributes them to the intranet news, writes posters and ``/videos/``."""

    def generate_context(self) -> None:
        # Runs after the article and page generators filled the context.
        self.entries: dict[str, VideoEntry] = {}
        self.poster_jobs: dict[str, Any] = {}
        public = {id(c) for c in [*self.context.get("articles", []), *self.context.get("pages", [])]}
        for content in self._contents():
            for embed in videos_of(content):
                self.poster_jobs[embed.poster.stem] = embed.poster
                if id(content) not in public:
                    continue
                entry = self.entries.setdefault(embed.ref.key, VideoEntry(embed))
                if entry.embed.video_type is None and embed.video_type:
                    entry.embed = embed
                if content not in entry.contents:
                    entry.contents.append(content)
        self.context.setdefault("INTRANET_ITEMS", []).extend(
            item for item in (intranet_item(e) for e in self.entries.values()) if item is not None
        )

    def _contents(self) -> list[Any]:
        found = []
        for key in ("articles", "pages", "hidden_pages", "drafts", "draft_pages", "hidden_articles"):
            found.extend(self.context.get(key) or [])
        return found

    def generate_output(self, writer) -> None:
        output = Path(self.output_path)
        jobs = [self.poster_jobs[stem] for stem in sorted(self.poster_jobs)]
        stats = publish_posters(jobs, self.settings, output)
        stats_file = Path(self.settings["CACHE_PATH"]) / "images" / "last-posters.json"
        stats_file.parent.mkdir(parents=True, exist_ok=True)
        stats_file.write_text(json.dumps(stats), encoding="utf-8")
        groups = []
        for video_type, heading in self.settings["YOUTUBE_GROUPS"]:
            items = [e for e in self.entries.values() if e.embed.video_type == video_type]
            if items:
                items.sort(key=lambda e: e.embed.title.lower())
                groups.append({"type": video_type, "heading": heading, "entries": items})
        writer.write_file(
            self.settings["YOUTUBE_VIDEOS_SAVE_AS"],
            self.get_template("videos"),
            self.context,
            relative_urls=self.settings.get("RELATIVE_URLS", False),
            url=self.settings["YOUTUBE_VIDEOS_URL"],
            page_name="videos",
            video_groups=groups,
            video_count=len(self.entries),
        )


def intranet_item(entry: VideoEntry) -> dict | None:
    """One video for the intranet feed and fragment (contract: ``plugins/magazin/intranet/items.py``).

    It points at the first dated article that shows it (``…/#video-<id>``); its date is the
    video's own (``Datum:`` or the cached JSON's ``upload_date``) or else that article's; its
    image is the published JPEG poster derivative, so the RSS enclosure is a local file.
    """
    dated = sorted((c for c in entry.contents if getattr(c, "date", None)), key=lambda c: c.date)
    if not dated:
        return None
    article, embed = dated[0], entry.embed
    date = article.date
    if embed.upload_date is not None:
        date = dt.datetime.combine(embed.upload_date, dt.time(), tzinfo=article.date.tzinfo)
    anchor = next((e.anchor for e in videos_of(article) if e.ref.key == embed.ref.key and e.anchor), "")
    kind = f"{embed.video_type}-Video" if embed.video_type else "Video"
    summary = embed.caption or f"{kind} im Artikel „{article.title}“."
    authors = ", ".join(a.name for a in getattr(article, "authors", None) or [])
    poster = embed.poster
    return {
        "kind": "video",
        "title": embed.title,
        "url": f"{article.url}#{anchor}" if anchor else article.url,
        "date": date,
        "summary": summary,
        "author": embed.author_name or authors,
        "image": poster.path(poster.widths[len(poster.widths) // 2], "jpg"),
    }


def video_jsonld(embed: VideoEmbed, content: Any, base: str) -> dict:
    """schema.org ``VideoObject`` for one video of an article."""
    base = base.rstrip("/")
    uploaded = embed.upload_date or getattr(content, "date", None)
    data = {
        "@context": "https://schema.org",
        "@type": "VideoObject",
        "name": embed.title,
        "description": embed.caption or getattr(content, "description", "") or embed.title,
        "thumbnailUrl": [f"{base}/{embed.poster.largest('jpg')}", f"{base}/{embed.poster.largest('webp')}"],
        "uploadDate": uploaded.isoformat() if uploaded else None,
        "embedUrl": embed.ref.embed_url(),
        "url": embed.ref.watch_url(),
        "genre": embed.video_type,
        "inLanguage": "de-DE",
    }
    return {k: v for k, v in data.items() if v not in (None, "", [])}


def add_globals(generator) -> None:
    base = canonical_base(generator.settings)
    generator.env.globals.update(
        videos_of=videos_of,
        video_jsonld=lambda embed, content: video_jsonld(embed, content, base),
    )
