"""The intranet's news: ``/feeds/intranet.xml`` (RSS 2.0, feedgen) and ``/intranet/aktuelles.html``.

Both list the latest articles, videos and posts in one stream, newest first. The fragment is
self-contained: no stylesheet, no script, thumbnails inlined as ``data:`` URIs, links absolute
(the intranet page that includes it lives on another host). It is not a page of the site and
is excluded from the sitemap (``SITEMAP["exclude"]``).

Settings (defaults in ``DEFAULTS``): ``INTRANET_FEED``, ``INTRANET_FRAGMENT`` (empty disables),
``INTRANET_FEED_MAX_ITEMS``, ``INTRANET_FRAGMENT_MAX_ITEMS``, ``INTRANET_INCLUDE_REPLIES``,
``INTRANET_INCLUDE_REPOSTS``, ``INTRANET_THUMBNAIL_WIDTH``.
"""

from __future__ import annotations

import base64
import io
import logging
from pathlib import Path

from feedgen.feed import FeedGenerator
from pelican.generators import Generator

from magazin.core.settings import Setting, canonical_base, declare, publisher_name, setting
from magazin.posts import DEFAULTS as POSTS

from .items import IntranetItem, coerce

logger = logging.getLogger(__name__)

DEFAULTS = declare(
    "magazin.intranet",
    "INTRANET_",
    Setting("INTRANET_FEED", "feeds/intranet.xml", "the intranet's RSS 2.0 feed (articles, videos, posts)"),
    Setting("INTRANET_FRAGMENT", "intranet/aktuelles.html", "the HTML fragment the intranet embeds"),
    Setting("INTRANET_FEED_MAX_ITEMS", 30, "entries in the intranet feed"),
    Setting("INTRANET_FRAGMENT_MAX_ITEMS", 8, "entries in the fragment"),
    Setting("INTRANET_INCLUDE_REPLIES", False, "include the company's replies on X/Mastodon"),
    Setting("INTRANET_INCLUDE_REPOSTS", False, "include the company's reposts"),
    Setting("INTRANET_THUMBNAIL_WIDTH", 320, "width of the entries' pictures, in pixels"),
)
TEMPLATES = Path(__file__).resolve().parent / "templates"
MIME = {".png": "image/png", ".gif": "image/gif", ".webp": "image/webp", ".svg": "image/svg+xml"}


def absolute(url: str, base: str) -> str:
    return url if url.startswith(("http://", "https://")) else f"{base}/{url.lstrip('/')}"


def shorten(text: str, limit: int = 90) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,.:;–-") + " …"


def collect_items(context: dict, settings: dict) -> list[IntranetItem]:
    """Articles, contributed items (videos) and posts, newest first."""
    items: list[IntranetItem] = []
    for article in context.get("articles", []):
        items.append(
            IntranetItem(
                kind="artikel",
                title=article.title,
                url=article.url,
                date=article.date,
                summary=getattr(article, "summary_text", ""),
                author=", ".join(a.name for a in getattr(article, "authors", [])),
                image=getattr(article, "og_image", None),
            )
        )
    contributed = [i for i in (coerce(o) for o in context.get("INTRANET_ITEMS", [])) if i is not None]
    items.extend(contributed)
    if not any(i.kind == "video" for i in contributed):
        items.extend(i for i in (coerce(o, "video") for o in context.get("VIDEOS", [])) if i is not None)
    posts_path = str(setting(settings, "POSTS_PATH", POSTS)).strip("/")
    for post in context.get("POSTS", []):
        if post.reply and not setting(settings, "INTRANET_INCLUDE_REPLIES", DEFAULTS):
            continue
        if post.repost and not setting(settings, "INTRANET_INCLUDE_REPOSTS", DEFAULTS):
            continue
        text = post.plain_text
        items.append(
            IntranetItem(
                kind="beitrag",
                title=f"{post.author.name} auf {post.platform_name}: {shorten(text, 80)}",
                url=post.url,
                date=post.date,
                summary=text,
                author=f"{post.author.name} ({post.author.handle})",
                image=f"{posts_path}/{post.media[0].file}" if post.media else None,
            )
        )
    items.sort(key=lambda i: (i.date, i.title), reverse=True)
    return items


class IntranetGenerator(Generator):
    """Writes the intranet feed and fragment once every other generator filled the context."""

    def generate_context(self) -> None:
        self._thumbnails: dict[str, tuple[str, int, int] | None] = {}

    def _local_file(self, rel: str | None) -> Path | None:
        if not rel:
            return None
        for root in (Path(self.settings["PATH"]), Path(self.output_path)):
            candidate = root / rel
            if candidate.is_file():
                return candidate
        return None

    def thumbnail(self, rel: str | None) -> tuple[str, int, int] | None:
        """``(data-URI, width, height)`` of a small JPEG of a local raster image (cached)."""
        if rel in self._thumbnails:
            return self._thumbnails[rel]
        result = None
        path = self._local_file(rel)
        if path is not None and path.suffix.lower() in (".jpg", ".jpeg", ".png", ".webp", ".gif"):
            from PIL import Image

            width = int(setting(self.settings, "INTRANET_THUMBNAIL_WIDTH", DEFAULTS))
            with Image.open(path) as image:
                image = image.convert("RGB")
                image.thumbnail((width, width))
                buffer = io.BytesIO()
                image.save(buffer, "JPEG", quality=70, optimize=True)
                data = base64.b64encode(buffer.getvalue()).decode("ascii")
                result = (f"data:image/jpeg;base64,{data}", image.width, image.height)
        self._thumbnails[rel] = result  # type: ignore[index]
        return result

    def build_feed(self, items: list[IntranetItem], path: str) -> bytes:
        base = canonical_base(self.settings)
        sitename = self.settings.get("SITENAME", "")
        fg = FeedGenerator()
        fg.title(f"{sitename} – Aktuelles für das Intranet")
        fg.link(href=f"{base}/{path}", rel="self")
        fg.link(href=f"{base}/", rel="alternate")  # feedgen uses the last link as RSS <link>
        fg.description("Neue Artikel, Videos und Beiträge von heco auf X und Mastodon in einem Feed.")
        fg.language("de")
        fg.generator("Edelstahlmagazin (Pelican + feedgen)")
        fg.copyright(f"© {publisher_name(self.settings)}")
        newest = items[0].date if items else None
        if newest is not None:
            fg.lastBuildDate(newest)  # from the content, not the clock: reproducible
            fg.pubDate(newest)
        for item in items:
            url = absolute(item.url, base)
            entry = fg.add_entry(order="append")  # items are newest first already
            entry.title(item.title)
            entry.link(href=url)
            entry.guid(url, permalink=True)
            entry.pubDate(item.date)
            entry.description(item.summary or item.title)
            entry.category(term=item.kind_label)
            local = self._local_file(item.image)
            if local is not None:
                entry.enclosure(
                    absolute(item.image, base),
                    str(local.stat().st_size),
                    MIME.get(local.suffix.lower(), "image/jpeg"),
                )
        return fg.rss_str(pretty=True)

    def generate_output(self, writer) -> None:
        items = collect_items(self.context, self.settings)
        feed_path = setting(self.settings, "INTRANET_FEED", DEFAULTS)
        if feed_path:
            target = Path(self.output_path) / feed_path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(
                self.build_feed(
                    items[: int(setting(self.settings, "INTRANET_FEED_MAX_ITEMS", DEFAULTS))], feed_path
                )
            )
        fragment = setting(self.settings, "INTRANET_FRAGMENT", DEFAULTS)
        if fragment:
            shown = items[: int(setting(self.settings, "INTRANET_FRAGMENT_MAX_ITEMS", DEFAULTS))]
            base = canonical_base(self.settings)
            entries = [
                {"item": item, "url": absolute(item.url, base), "thumbnail": self.thumbnail(item.image)}
                for item in shown
            ]
            writer.write_file(
                fragment,
                self.get_template("intranet/aktuelles"),
                self.context,
                relative_urls=False,
                intranet_entries=entries,
                intranet_feed_url=f"{base}/{feed_path}" if feed_path else "",
                intranet_site_url=f"{base}/",
            )
