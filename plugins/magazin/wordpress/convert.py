"""WordPress post HTML → this magazine's Markdown.

Classic-editor content is decoded with Pelican's ``wpautop`` port
(``pelican.tools.pelican_import.decode_wp_content``, which also turns ``[caption]`` into
``<figure>``); block-editor content (``<!-- wp:… -->``) is HTML already. Then:

1. embeds in every WordPress form (URL alone on a line, ``[embed]``/``[youtube]``/``[tweet]``
   shortcodes, ``wp:embed`` blocks, pasted embed codes and iframes) become tokens that end up as
   this project's own pasted-URL lines (YouTube → private video block, cached X/Mastodon post →
   card) or, for a post not cached yet, a quote with its text and link;
2. galleries (``[gallery]`` with or without ``ids``, ``include``/``exclude``, ``orderby``,
   ``columns``; gallery blocks) become a picture grid, ``[audio]``/``[video]``/``[playlist]``
   and audio/video blocks of an uploaded file become a player from our origin (``media.py``);
   BeautifulSoup cleans up: images get their local ``{static}`` path (or become a plain link
   when there is none: never a remote ``<img>``) and an alt text (the attachment's, the
   caption, or „Bild aus dem Beitrag …“, reported), everything that could run or load
   something is dropped and listed;
3. nh3 sanitises what is left against a small allow-list (belt and braces);
4. markdownify writes Markdown (``<`` and ``&`` in text escaped, so text never turns into HTML).
"""

from __future__ import annotations

import html as html_lib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import nh3
from bs4 import BeautifulSoup, Comment, Tag
from markdownify import MarkdownConverter
from pelican.tools.pelican_import import decode_wp_content

from magazin.posts.model import X_HOSTS, post_key
from magazin.youtube.urls import InvalidVideoUrl, parse_youtube_url

from .media import Picture, gallery_html, media_html, shortcode_attrs

YOUTUBE_HOSTS = ("youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be", "www.youtube-nocookie.com")
_EMBED_MARK = "WPEMBEDTOKEN{:04d}X"
_EMBED_MARK_RE = re.compile(r"WPEMBEDTOKEN(\d{4})X")
_BLOCK_MARK = "WPBLOCKTOKEN{:04d}X"
_BLOCK_MARK_RE = re.compile(r"WPBLOCKTOKEN(\d{4})X")
_BLOCK_EMBED = re.compile(
    r"<!--\s*wp:(?P<name>embed|core-embed/[\w-]+)\s+(?P<attrs>\{.*?\})\s*/?-->(?P<body>.*?)"
    r"(?:<!--\s*/wp:(?P=name)\s*-->|$)",
    re.S,
)
_BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:[^>]*?-->", re.S)
_SHORTCODE_EMBED = re.compile(r"\[embed[^\]]*\]\s*(?P<url>\S+?)\s*\[/embed\]", re.I)
_SHORTCODE_YOUTUBE = re.compile(r"\[youtube[\s=]+(?P<url>[^\]\s]+)[^\]]*\]", re.I)
_SHORTCODE_TWEET = re.compile(r"\[tweet\s+(?:tweet=)?[\"']?(?P<ref>[^\]\s\"']+)[\"']?[^\]]*\]", re.I)
_SHORTCODE_GALLERY = re.compile(r"\[gallery(?P<attrs>[^\]]*)\]", re.I)
_SHORTCODE_MEDIA = re.compile(
    r"\[(?P<name>audio|video|playlist|videopress|wpvideo)(?P<attrs>(?:\s[^\]]*)?)\]"
    r"(?:(?P<inner>[^\[]*?)\[/(?P=name)\])?",
    re.I,
)
_DYNAMIC_BLOCK = re.compile(r"<!--\s*wp:(?P<name>[a-z][\w/-]*)(?:\s+\{(?:(?!-->).)*?\})?\s*/-->", re.S)
# Blocks without content of their own that need nothing in an article (layout, page breaks).
_QUIET_BLOCKS = {"spacer", "separator", "more", "nextpage", "page-break", "navigation-link"}
_SHORTCODE_ANY = re.compile(r"\[(?P<name>[a-z][\w-]*)(?:\s[^\]]*)?\](?:.*?\[/(?P=name)\])?", re.I | re.S)
_URL_ALONE = re.compile(r"^\s*(?P<url>https?://[^\s<>\"]+)\s*$", re.M)
_PASTED_QUOTE = re.compile(
    r"<blockquote[^>]*class=[\"'][^\"']*(?:twitter-tweet|mastodon-embed)[^>]*>.*?</blockquote>", re.S | re.I
)
_SIZE_SUFFIX = re.compile(r"-\d+x\d+(?=\.[A-Za-z0-9]+$)")

# What nh3 lets through; everything else has been converted or dropped (and listed) before.
ALLOWED_TAGS = {
    "p", "br", "a", "strong", "b", "em", "i", "u", "s", "del", "sup", "sub", "code", "pre", "kbd",
    "blockquote", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "img",
    "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "dl", "dt", "dd", "abbr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "abbr": {"title"}}
DROP_TAGS = ("script", "style", "object", "embed", "applet", "form", "input", "button", "select",
             "textarea", "noscript", "link", "meta", "base", "svg", "math", "frame", "frameset")  # fmt: skip
VOID_DROP_TAGS = ("embed", "frame")  # HTML void elements the parser may give the following content


@dataclass(frozen=True)
class ImageTarget:
    """Where an image of the export lives in the magazine (``{static}/images/…``) and its alt text."""

    path: str
    alt: str = ""


@dataclass(frozen=True)
class Embed:
    provider: str  # youtube, x, mastodon
    url: str
    text: str = ""  # the quoted text of a pasted tweet/toot embed code
    author: str = ""


@dataclass(frozen=True)
class Attached:
    """An attachment a gallery or playlist shows: upload URL, alt text, caption."""

    url: str
    alt: str = ""
    caption: str = ""


# Kinds of grouped report notes: (headline with {n}, section). Each is printed once with its list.
KIND_NO_ALT = (
    "{n} Bild(er) ohne Beschreibung in WordPress: vorläufiger Alternativtext „Bild aus dem Beitrag …“ "
    "– bitte beschreiben, was zu sehen ist",
    "review",
)
KIND_FOREIGN_EMBED = (
    "{n} Einbettung(en) von {what} – das Magazin hat dafür keinen Baustein: als Link übernommen",
    "review",
)
KIND_SHORTCODE = ("{n} Shortcode(s) [{what}] ohne Gegenstück im Magazin: steht als Text im Artikel", "review")
KIND_VIDEOPRESS = (
    "{n} VideoPress-Video(s) ([{what}]): gibt es nur bei WordPress.com – entfällt; bitte als Datei "
    "oder YouTube-Video neu einbinden",
    "review",
)
KIND_REMOTE_MEDIA = (
    "{n} Audio-/Videodatei(en) von einem fremden Server ({what}): als Link übernommen (das Magazin "
    "lädt nichts von fremden Servern)",
    "review",
)
KIND_DYNAMIC = (
    "Dynamische Blöcke in {n} Beitrag/Beiträgen (WordPress erzeugt ihren Inhalt erst beim Aufruf, "
    "im Export sind sie leer; Kommentare, Suche, Autorenbox, Archive macht das Magazin selbst): entfallen",
    "info",
)
KIND_STYLE = (
    "{n} Beiträge/Seiten mit Inline-Stilen (style=…, Farben, Abstände): entfernt, es gilt die Gestaltung "
    "des Magazins – nichts zu tun",
    "info",
)
KIND_BAD_MEDIA = ("{n} Audio-/Videoblock/-blöcke mit ungültiger Adresse: entfällt", "review")
KIND_EMPTY_GALLERY = ("{n} Galerie(n)/Wiedergabeliste(n) ohne Dateien im Export: ausgelassen", "review")


@dataclass
class Converted:
    markdown: str
    embeds: list[Embed] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)  # unsafe things dropped (German)
    notes: list[str] = field(default_factory=list)  # places that need an editor's eye (German)
    grouped: list[tuple[tuple[str, str], str, str]] = field(default_factory=list)  # (kind, what, detail)
    blocks: list[str] = field(default_factory=list)  # finished HTML blocks (galleries, players)
    missing_posts: list[str] = field(default_factory=list)  # post URLs kept as quotes
    images: list[str] = field(default_factory=list)  # local image paths used


def strip_size_suffix(url: str) -> str:
    """``…/foto-300x200.jpg`` → ``…/foto.jpg`` (WordPress' resized copies of an upload)."""
    parts = urlsplit(url)
    return parts._replace(path=_SIZE_SUFFIX.sub("", parts.path), query="", fragment="").geturl()


def provider_of(url: str) -> str | None:
    """``youtube``, ``x`` or ``mastodon`` for an embeddable post/video URL, else None."""
    host = (urlsplit(url).hostname or "").lower()
    if host in YOUTUBE_HOSTS:
        return "youtube"
    key = post_key(url)
    if key:
        return "x" if key[0] == "x" else "mastodon"
    if host in X_HOSTS:
        return "x"
    return None


def is_block_content(content: str) -> bool:
    return "<!-- wp:" in content


class _Markdown(MarkdownConverter):
    """markdownify with text escaped for Python-Markdown: ``<`` and ``&`` never start HTML."""

    def escape(self, text, parent_tags):
        text = super().escape(text, parent_tags)
        if "_noformat" in parent_tags:
            return text
        return text.replace("&", "&amp;").replace("<", "&lt;")


def _to_markdown(html: str) -> str:
    return _Markdown(
        heading_style="ATX", bullets="-", strong_em_symbol="*", escape_misc=False, newline_style="SPACES"
    ).convert(html)


class Converter:
    """Converts one item's HTML; callbacks connect it to the export and the magazine.

    ``image_for(url)``: the ``ImageTarget`` of an upload URL, or None (→ plain link).
    ``attachments_for(attrs, kind)``: what a ``[gallery]`` (``kind`` ``image``) or
    ``[playlist]``/bare ``[audio]``/``[video]`` (``audio``/``video``) shows, given the
    shortcode's attributes (WordPress' rules: ``ids``/``include``/``exclude``, ``id``,
    ``orderby``/``order``; without ids the post's own attachments in menu order).
    ``post_cached(url)``: whether an X/Mastodon post is in ``content/media/posts/``.
    ``link_for(url)``: the magazine's own address for a link to the old blog or an upload, or None.
    """

    def __init__(
        self,
        image_for: Callable[[str], ImageTarget | None],
        attachments_for: Callable[[dict[str, str], str], list[Attached]] = lambda attrs, kind: [],
        post_cached: Callable[[str], bool] = lambda url: False,
        link_for: Callable[[str], str | None] = lambda url: None,
    ):
        self.image_for = image_for
        self.attachments_for = attachments_for
        self.title = ""
        self.post_cached = post_cached
        self.link_for = link_for

    # -- step 1: embeds and shortcodes on the raw text ------------------------------------------

    def _token(self, out: Converted, embed: Embed) -> str:
        out.embeds.append(embed)
        return "\n\n<p>" + _EMBED_MARK.format(len(out.embeds) - 1) + "</p>\n\n"

    def _block(self, out: Converted, html: str) -> str:
        out.blocks.append(html)
        return "\n\n<p>" + _BLOCK_MARK.format(len(out.blocks) - 1) + "</p>\n\n"

    def _embed_or_link(self, out: Converted, url: str, text: str = "", author: str = "") -> str:
        url = html_lib.unescape(url.strip())
        provider = provider_of(url)
        if provider is None:
            host = (urlsplit(url).hostname or "unbekannt").lower().removeprefix("www.")
            out.grouped.append((KIND_FOREIGN_EMBED, host, url))
            return f'\n\n<p><a href="{html_lib.escape(url)}">{html_lib.escape(url)}</a></p>\n\n'
        return self._token(out, Embed(provider, url, text, author))

    # -- galleries, audio and video -----------------------------------------------------------------

    def _alt(self, out: Converted, path: str, *candidates: str) -> str:
        """The first non-empty candidate, else „Bild aus dem Beitrag …“ (reported)."""
        alt = next((" ".join(c.split()) for c in candidates if c and c.strip()), "")
        if alt:
            return alt
        out.grouped.append((KIND_NO_ALT, "", path))
        return f"Bild aus dem Beitrag „{self.title}“" if self.title else "Bild aus dem Beitrag"

    def _gallery(self, out: Converted, items: list[Attached], columns: int, label: str) -> str:
        pictures, links = [], []
        for item in items:
            target = self.image_for(item.url) if item.url.startswith(("http://", "https://")) else None
            if target is None:
                out.notes.append(f"Bild {item.url} nicht übernommen: bleibt als Link.")
                links.append((item.url, item.alt or item.caption))
                continue
            alt = self._alt(out, target.path, item.alt, target.alt, item.caption)
            pictures.append(Picture(target.path, alt, " ".join(item.caption.split())))
            out.images.append(target.path)
        if not pictures and not links:
            out.grouped.append((KIND_EMPTY_GALLERY, "", label))
            return ""
        parts = [gallery_html(pictures, columns)] if pictures else []
        for url, text in links:  # Markdown link lines after the grid, as for single images
            label = _escape_line("Bild: " + text if text else "Bild (nicht übernommen)")
            parts.append(f"[{label}]({url.replace(')', '%29').replace(' ', '%20')})")
        return self._block(out, "\n\n".join(parts))

    def _player(self, out: Converted, kind: str, url: str, caption: str = "", poster: str = "") -> str:
        """An uploaded audio/video file → a player; anything else → a link (reported)."""
        url = html_lib.unescape(url.strip())
        if not url.startswith(("http://", "https://")):
            out.grouped.append((KIND_BAD_MEDIA, "", url or "ohne Adresse"))
            return ""
        local = self.link_for(url)
        if not local or not local.startswith("{static}/"):
            host = (urlsplit(url).hostname or "unbekannt").lower().removeprefix("www.")
            out.grouped.append((KIND_REMOTE_MEDIA, host, url))
            label = caption or ("Audiodatei" if kind == "audio" else "Video")
            return f'\n\n<p><a href="{html_lib.escape(url)}">{html_lib.escape(label)}</a></p>\n\n'
        poster_path = ""
        if poster:
            target = self.image_for(html_lib.unescape(poster))
            poster_path = target.path if target is not None else ""
        return self._block(out, media_html(kind, local, " ".join(caption.split()), poster_path))

    def _media_shortcode(self, out: Converted, match: re.Match) -> str:
        name = match.group("name").lower()
        attrs, positional = shortcode_attrs(html_lib.unescape(match.group("attrs") or ""))
        if name in ("videopress", "wpvideo"):
            out.grouped.append((KIND_VIDEOPRESS, name, match.group(0)))
            return ""
        if name == "playlist":
            kind = "video" if attrs.get("type", "").lower() == "video" else "audio"
            items = self.attachments_for(attrs, kind)
            if not items:
                out.grouped.append((KIND_EMPTY_GALLERY, "", match.group(0)))
                return ""
            return "".join(self._player(out, kind, item.url, item.caption) for item in items)
        formats = ("src", "mp3", "m4a", "ogg", "oga", "wav", "flac", "wma")
        if name == "video":
            formats = ("src", "mp4", "m4v", "webm", "ogv", "mov", "wmv", "flv")
        inner = (match.group("inner") or "").strip()
        candidates = [attrs.get(key, "") for key in formats] + positional + [inner]
        url = next((c.split("|")[0].strip() for c in candidates if c.strip().startswith("http")), "")
        if not url:  # WordPress plays the post's first attached file of that kind
            items = self.attachments_for({}, name)
            if not items:
                out.grouped.append((KIND_EMPTY_GALLERY, "", match.group(0)))
                return ""
            url = items[0].url
        return self._player(out, name, url, poster=attrs.get("poster", ""))

    def _pre_html(self, content: str, out: Converted) -> str:
        def block_embed(match: re.Match) -> str:
            try:
                attrs = json.loads(match.group("attrs"))
            except json.JSONDecodeError:
                attrs = {}
            url = attrs.get("url") or next(iter(_URL_ALONE.findall(match.group("body") or "")), "")
            if not url:
                out.notes.append("Ein Einbettungs-Block ohne Adresse wurde ausgelassen.")
                return ""
            return self._embed_or_link(out, url)

        content = _PASTED_QUOTE.sub(lambda m: self._pasted_quote(out, m.group(0)), content)
        content = _BLOCK_EMBED.sub(block_embed, content)
        dynamic = {m.group("name").removeprefix("core/") for m in _DYNAMIC_BLOCK.finditer(content)}
        if dynamic - _QUIET_BLOCKS:
            out.grouped.append((KIND_DYNAMIC, "", ", ".join(sorted(dynamic - _QUIET_BLOCKS))))
        content = _BLOCK_COMMENT.sub("", content)
        content = _SHORTCODE_EMBED.sub(lambda m: self._embed_or_link(out, m.group("url")), content)
        content = _SHORTCODE_YOUTUBE.sub(
            lambda m: self._embed_or_link(out, m.group("url").split("&")[0]), content
        )

        def tweet(match: re.Match) -> str:
            ref = match.group("ref")
            url = ref if ref.startswith("http") else f"https://twitter.com/i/status/{ref}"
            return self._embed_or_link(out, url)

        content = _SHORTCODE_TWEET.sub(tweet, content)

        def gallery(match: re.Match) -> str:
            attrs, _ = shortcode_attrs(html_lib.unescape(match.group("attrs")))
            columns = int(attrs["columns"]) if attrs.get("columns", "").isdigit() else 3
            return self._gallery(out, self.attachments_for(attrs, "image"), columns, match.group(0))

        content = _SHORTCODE_GALLERY.sub(gallery, content)
        content = _SHORTCODE_MEDIA.sub(lambda m: self._media_shortcode(out, m), content)

        def bare_url(match: re.Match) -> str:  # WordPress auto-embeds a URL alone on its line
            url = match.group("url")
            return self._embed_or_link(out, url) if provider_of(url) else match.group(0)

        return _URL_ALONE.sub(bare_url, content)

    def _pasted_quote(self, out: Converted, code: str) -> str:
        """A pasted X/Mastodon embed code: the post's text, author and URL (the script goes)."""
        quote = BeautifulSoup(code, "lxml").blockquote
        links = [a.get("href", "") for a in quote.find_all("a")]
        url = quote.get("data-embed-url", "") or next((u for u in reversed(links) if provider_of(u)), "")
        if not url:
            return code
        text = " ".join(p.get_text(" ", strip=True) for p in quote.find_all("p"))
        tail = [t.strip(" \u2014\u2013-") for t in quote.find_all(string=True, recursive=False)]
        author = " ".join(t for t in tail if t).strip()
        return self._embed_or_link(out, url.split("?")[0].removesuffix("/embed"), text, author)

    # -- step 2: BeautifulSoup clean-up -----------------------------------------------------------

    def _clean(self, soup: BeautifulSoup, out: Converted) -> None:
        for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
            comment.extract()
        # the file block: its link once (the button repeats it, the <object> previews the PDF)
        for block in soup.select("div.wp-block-file"):
            links = [a for a in block.find_all("a") if "wp-block-file__button" not in (a.get("class") or [])]
            paragraph = soup.new_tag("p")
            if links:
                paragraph.append(links[0].extract())
            block.replace_with(paragraph)
        for button in soup.select("div.wp-block-button"):  # each button a line of its own
            button.name = "p"
        for frame in soup.find_all("iframe"):
            src = html_lib.unescape(frame.get("src", ""))
            host = (urlsplit(src).hostname or "").lower()
            if host in YOUTUBE_HOSTS:
                frame.replace_with(BeautifulSoup(self._embed_or_link(out, src), "lxml").body.p)
            elif src.rstrip("/").endswith("/embed") and provider_of(src.rstrip("/")[: -len("/embed")]):
                frame.replace_with(
                    BeautifulSoup(self._embed_or_link(out, src.rstrip("/")[:-6]), "lxml").body.p
                )
            else:
                out.removed.append(f"iframe von {host or 'unbekannt'} entfernt ({src or 'ohne Adresse'})")
                if src.startswith(("https://", "http://")):
                    link = soup.new_tag("a", href=src)
                    link.string = f"Eingebetteter Inhalt von {host}"
                    frame.replace_with(link)
                else:
                    frame.decompose()
        for name in DROP_TAGS:
            for tag in soup.find_all(name):
                if name == "script":
                    where = tag.get("src") or "eingebetteter Code"
                    out.removed.append(f"<script> entfernt ({where})")
                elif name not in ("noscript",):
                    out.removed.append(f"<{name}> entfernt")
                if name in VOID_DROP_TAGS:  # lxml nests what follows a void tag in it: keep that text
                    tag.unwrap()
                else:
                    tag.decompose()
        styled = handlers = 0
        for tag in soup.find_all(True):
            for attr in list(tag.attrs):
                if attr.lower().startswith("on"):
                    handlers += 1
                    out.removed.append(f"Ereignis-Attribut {attr}=… an <{tag.name}> entfernt")
                    del tag.attrs[attr]
                elif attr.lower() == "style":
                    styled += 1
                    del tag.attrs[attr]
        if styled:
            out.grouped.append((KIND_STYLE, "", ""))
        for link in soup.find_all("a"):
            href = (link.get("href") or "").strip()
            scheme = urlsplit(href).scheme.lower() if href else ""
            if scheme and scheme not in ("http", "https", "mailto", "tel"):
                out.removed.append(f"Link mit „{scheme}:“ entfernt (Text bleibt)")
                link.unwrap()
            elif (
                href.startswith("#")
                and not soup.find(id=href[1:])
                and not soup.find(attrs={"name": href[1:]})
            ):
                link.unwrap()  # a jump to nothing (a footnote list WordPress makes on the fly)
            elif scheme in ("http", "https") and not link.find("img"):
                local = self.link_for(html_lib.unescape(href))  # old blog address or upload → ours
                if local:
                    link["href"] = local
        self._galleries(soup, out)
        self._players(soup, out)
        self._images(soup, out)
        # A paragraph that is only a provider URL (after wpautop) is an auto-embed too.
        for paragraph in soup.find_all("p"):
            text = paragraph.get_text(strip=True)
            if text and _URL_ALONE.fullmatch(text) and provider_of(text) and not paragraph.find("img"):
                paragraph.replace_with(BeautifulSoup(self._embed_or_link(out, text), "lxml").body.p)

    def _replace_with_block(self, soup: BeautifulSoup, element: Tag, text: str) -> None:
        """Put a token paragraph (or a link paragraph) where ``element`` was."""
        parent = element.parent
        if isinstance(parent, Tag) and parent.name == "p" and not parent.get_text(strip=True).strip():
            element = parent  # a player alone in a paragraph: replace the paragraph
        fragment = BeautifulSoup(f"<div>{text}</div>", "lxml").body.div
        for child in list(fragment.children):
            element.insert_before(child.extract())
        element.decompose()

    def _galleries(self, soup: BeautifulSoup, out: Converted) -> None:
        """Gallery blocks (and the HTML of old gallery shortcodes) → a picture grid."""
        selector = "figure.wp-block-gallery, ul.blocks-gallery-grid, div.gallery, div.tiled-gallery"
        for gallery in soup.select(selector):
            nested = gallery.find_parent(["figure", "ul", "div"], class_=re.compile("gallery"))
            if gallery.parent is None or nested is not None:
                continue  # nested in a gallery handled already
            classes = " ".join(gallery.get("class") or [])
            found = re.search(r"(?:columns|gallery-columns)-(\d+)", classes)
            columns = int(found.group(1)) if found else 3
            items = []
            for img in gallery.find_all("img"):
                figure = img.find_parent("figure")
                caption = ""
                if figure is not None and figure is not gallery:
                    tag = figure.find("figcaption")
                    caption = tag.get_text(" ", strip=True) if tag else ""
                src = html_lib.unescape(img.get("data-orig-file") or img.get("src") or "").strip()
                items.append(Attached(src, (img.get("alt") or "").strip(), caption))
            gallery_caption = gallery.find("figcaption", class_=re.compile("blocks-gallery-caption"))
            text = self._gallery(out, items, columns, "Galerie-Block")
            if gallery_caption is not None and gallery_caption.get_text(strip=True):
                text += f"<p><em>{html_lib.escape(gallery_caption.get_text(' ', strip=True))}</em></p>"
            self._replace_with_block(soup, gallery, text)

    def _players(self, soup: BeautifulSoup, out: Converted) -> None:
        """``<audio>``/``<video>`` (audio and video blocks, pasted players) → our player or a link."""
        for player in soup.find_all(["audio", "video"]):
            if player.parent is None:
                continue
            source = player.find("source", src=True)
            src = player.get("src") or (source.get("src") if source is not None else "") or ""
            figure = player.find_parent("figure")
            caption = ""
            if figure is not None:
                tag = figure.find("figcaption")
                caption = tag.get_text(" ", strip=True) if tag else ""
            if not src:
                out.removed.append(f"<{player.name}> ohne Datei entfernt")
                player.decompose()
                continue
            text = self._player(out, player.name, src, caption, player.get("poster", ""))
            self._replace_with_block(soup, figure if figure is not None else player, text)

    def _images(self, soup: BeautifulSoup, out: Converted) -> None:
        for figure in soup.find_all("figure"):
            caption = figure.find("figcaption")
            caption_text = caption.get_text(" ", strip=True) if caption else ""
            if caption:
                caption.decompose()
            for img in figure.find_all("img"):
                img["data-caption"] = caption_text  # an alt text when the image has none
            wrapper = soup.new_tag("div")
            for child in list(figure.children):
                wrapper.append(child.extract())
            if caption_text:
                p = soup.new_tag("p")
                em = soup.new_tag("em")
                em.string = caption_text
                p.append(em)
                wrapper.append(p)
            figure.replace_with(wrapper)
            wrapper.unwrap()
        for img in soup.find_all("img"):
            src = html_lib.unescape(img.get("src", "")).strip()
            parent = img.parent
            # a link around the image to its full size or attachment page: the image alone
            if isinstance(parent, Tag) and parent.name == "a" and len(parent.find_all(True)) == 1:
                parent.unwrap()
            target = self.image_for(src) if src.startswith(("http://", "https://")) else None
            alt = (img.get("alt") or "").strip()
            caption = img.get("data-caption") or ""
            if target is None:
                if src.startswith(("http://", "https://")):
                    out.notes.append(f"Bild {src} nicht übernommen: bleibt als Link.")
                    link = soup.new_tag("a", href=src)
                    link.string = f"Bild: {alt}" if alt else "Bild (nicht übernommen)"
                    img.replace_with(link)
                else:
                    out.removed.append(f"Bild mit Adresse „{src[:40]}“ entfernt")
                    img.decompose()
                continue
            alt = self._alt(out, target.path, alt, target.alt, caption)
            img.attrs = {"src": target.path, "alt": alt}
            out.images.append(target.path)
            # an image shares no paragraph with text: it becomes its own Markdown line
            if isinstance(img.parent, Tag) and img.parent.name == "p" and img.parent.get_text(strip=True):
                p = soup.new_tag("p")
                img.parent.insert_before(p)
                p.append(img.extract())

    # -- the whole pipeline -----------------------------------------------------------------------

    def convert(self, content: str, title: str = "") -> Converted:
        """Markdown of one post's ``content``; ``title`` names it in fallback alt texts."""
        self.title = " ".join((title or "").split())
        out = Converted("")
        block = is_block_content(content)
        text = self._pre_html(content or "", out)
        if not block:
            text = decode_wp_content(text)
        leftover = sorted({m.group("name") for m in _SHORTCODE_ANY.finditer(text) if m.group("name").lower()
                           not in ("caption", "wp_caption")})  # fmt: skip
        for name in leftover:
            out.grouped.append((KIND_SHORTCODE, name, f"[{name}]"))
        soup = BeautifulSoup(f"<div>{text}</div>", "lxml")
        root = soup.body.div
        self._clean(soup, out)
        cleaned = nh3.clean(
            root.decode_contents(),
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes={"http", "https", "mailto", "tel"},
            link_rel=None,
            strip_comments=True,
        )
        cleaned = cleaned.replace("%7Bstatic%7D", "{static}").replace("%7Bfilename%7D", "{filename}")
        markdown = _to_markdown(cleaned)
        lines = []
        for line in markdown.splitlines():
            match = _EMBED_MARK_RE.fullmatch(line.strip())
            block = _BLOCK_MARK_RE.fullmatch(line.strip())
            if match:
                lines.append(self._render_embed(out, out.embeds[int(match.group(1))]))
            elif block:
                lines.append("\n" + out.blocks[int(block.group(1))] + "\n")
            else:  # keep a hard line break (two trailing spaces, Python-Markdown's <br>)
                lines.append(line.rstrip() + ("  " if line.endswith("  ") and line.strip() else ""))
        markdown = "\n".join(lines)
        # hard breaks that wpautop left before removed elements or at a paragraph's end
        markdown = re.sub(r" +\n(?=\n|$)", "\n", markdown)
        markdown = markdown.rstrip()
        markdown = re.sub(r"\n{3,}", "\n\n", markdown).strip()
        out.markdown = markdown + "\n" if markdown else ""
        return out

    def _render_embed(self, out: Converted, embed: Embed) -> str:
        if embed.provider == "youtube":
            try:
                return f"\n{parse_youtube_url(embed.url).watch_url()}\n"
            except InvalidVideoUrl as exc:
                out.notes.append(f"Video-Adresse {embed.url} ist ungültig ({exc}): als Link übernommen.")
                return f"\n[Video auf YouTube]({embed.url})\n"
        url = embed.url
        if post_key(url) and self.post_cached(url):
            return f"\n{url}\n"
        where = "X" if embed.provider == "x" else "Mastodon"
        if post_key(url):
            out.missing_posts.append(url)
        quote = []
        if embed.text:
            quote += [f"> {_escape_line(embed.text)}", ">"]
        who = f" von {_escape_line(embed.author)}" if embed.author else ""
        quote.append(f"> — [Beitrag{who} auf {where}]({url})")
        return "\n" + "\n".join(quote) + "\n"


def _escape_line(text: str) -> str:
    text = " ".join(text.split())
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    return re.sub(r"([\\`*_\[\]])", r"\\\1", text)


def plain_text(html: str, limit: int = 300, quotes: bool = False) -> str:
    """Plain text of an excerpt or paragraph for ``Summary`` (no shortcodes, cut at a sentence);
    ``quotes``: keep the text of quotes and captions (for a post that has nothing else)."""
    html = _BLOCK_COMMENT.sub("", html or "")
    html = _SHORTCODE_ANY.sub("", html)
    soup = BeautifulSoup(f"<div>{html}</div>", "lxml")
    dropped = ["script", "style", "iframe"] + ([] if quotes else ["figure", "blockquote"])
    for tag in soup.find_all(dropped):
        tag.decompose()
    text = " ".join(soup.get_text(" ").split())
    text = " ".join(w for w in text.split() if not w.startswith(("http://", "https://")))
    if len(text) <= limit:
        return text
    cut = text[:limit]
    end = max(cut.rfind(". "), cut.rfind("! "), cut.rfind("? "))
    return cut[: end + 1] if end > limit // 3 else cut.rsplit(" ", 1)[0] + " …"


def first_text(content: str) -> str:
    """The first block of text of any kind (quote, caption, list item, heading) with more than
    20 characters: the ``Summary`` of a post without a text paragraph ("" if there is none)."""
    text = _BLOCK_COMMENT.sub("", content or "")
    if not is_block_content(content or ""):
        text = decode_wp_content(text)
    soup = BeautifulSoup(f"<div>{text}</div>", "lxml")
    for block in soup.find_all(["p", "figcaption", "li", "h2", "h3", "h4", "dd", "td"]):
        words = plain_text(str(block), quotes=True)
        if len(words) > 20:
            return words
    return ""


def first_paragraph(content: str) -> str:
    """The first text paragraph of a post (for ``Summary`` when there is no excerpt)."""
    text = _BLOCK_COMMENT.sub("", content or "")
    if not is_block_content(content or ""):
        text = decode_wp_content(text)
    soup = BeautifulSoup(f"<div>{text}</div>", "lxml")
    for paragraph in soup.find_all("p"):
        if paragraph.find_parent(["blockquote", "figure", "table"]):
            continue
        words = plain_text(str(paragraph))
        if len(words) > 20:
            return str(paragraph)
    return ""
