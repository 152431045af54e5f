"""WordPress post HTML → this magazine's Markdown.

Classic-editor content is decoded with Pelican's ``wpautop`` port
(``pelican.tools.pelican_import.decode_wp_content``, which also turns ``[caption]`` into
``<figure>``); block-editor content (``<!-- wp:… -->``) is HTML already. Then:

1. embeds in every WordPress form (URL alone on a line, ``[embed]``/``[youtube]``/``[tweet]``
   shortcodes, ``wp:embed`` blocks, pasted embed codes and iframes) become tokens that end up as
   this project's own pasted-URL lines (YouTube → private video block, cached X/Mastodon post →
   card) or, for a post not cached yet, a quote with its text and link;
2. BeautifulSoup cleans up: ``[gallery]`` and gallery blocks become single images, images get
   their local ``{static}`` path (or become a plain link when there is none: never a remote
   ``<img>``), everything that could run or load something is dropped and listed;
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

YOUTUBE_HOSTS = ("youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be", "www.youtube-nocookie.com")
_EMBED_MARK = "WPEMBEDTOKEN{:04d}X"
_EMBED_MARK_RE = re.compile(r"WPEMBEDTOKEN(\d{4})X")
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


@dataclass
class Converted:
    markdown: str
    embeds: list[Embed] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)  # unsafe things dropped (German)
    notes: list[str] = field(default_factory=list)  # places that need an editor's eye (German)
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
    ``gallery_urls(ids)``: attachment URLs of a ``[gallery ids=…]`` shortcode.
    ``post_cached(url)``: whether an X/Mastodon post is in ``content/media/posts/``.
    ``link_for(url)``: the magazine's own address for a link to the old blog or an upload, or None.
    """

    def __init__(
        self,
        image_for: Callable[[str], ImageTarget | None],
        gallery_urls: Callable[[list[str]], list[str]] = lambda ids: [],
        post_cached: Callable[[str], bool] = lambda url: False,
        link_for: Callable[[str], str | None] = lambda url: None,
    ):
        self.image_for = image_for
        self.gallery_urls = gallery_urls
        self.post_cached = post_cached
        self.link_for = link_for

    # -- step 1: embeds and shortcodes on the raw text ------------------------------------------

    def _token(self, out: Converted, embed: Embed) -> str:
        out.embeds.append(embed)
        return "\n\n<p>" + _EMBED_MARK.format(len(out.embeds) - 1) + "</p>\n\n"

    def _embed_or_link(self, out: Converted, url: str, text: str = "", author: str = "") -> str:
        url = html_lib.unescape(url.strip())
        provider = provider_of(url)
        if provider is None:
            out.notes.append(
                f"Eingebettete Adresse {url} ist kein YouTube-/X-/Mastodon-Beitrag: als Link übernommen."
            )
            return f'\n\n<p><a href="{html_lib.escape(url)}">{html_lib.escape(url)}</a></p>\n\n'
        return self._token(out, Embed(provider, url, text, author))

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
            ids = re.search(r"ids=[\"']?([\d,\s]+)", match.group("attrs"))
            urls = self.gallery_urls([i.strip() for i in ids.group(1).split(",") if i.strip()]) if ids else []
            if not urls:
                out.notes.append(f"Galerie {match.group(0)} ohne Bilder im Export: ausgelassen.")
                return ""
            return "\n\n" + "\n\n".join(f'<img src="{html_lib.escape(u)}">' for u in urls) + "\n\n"

        content = _SHORTCODE_GALLERY.sub(gallery, content)

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
            out.removed.append(f"{styled} Inline-Stil(e) (style=…) entfernt")
        for link in soup.find_all("a"):
            href = (link.get("href") or "").strip()
            scheme = urlsplit(href).scheme.lower() if href else ""
            if scheme and scheme not in ("http", "https", "mailto", "tel"):
                out.removed.append(f"Link mit „{scheme}:“ entfernt (Text bleibt)")
                link.unwrap()
            elif scheme in ("http", "https") and not link.find("img"):
                local = self.link_for(html_lib.unescape(href))  # old blog address or upload → ours
                if local:
                    link["href"] = local
        self._galleries(soup)
        self._images(soup, out)
        # A paragraph that is only a provider URL (after wpautop) is an auto-embed too.
        for paragraph in soup.find_all("p"):
            text = paragraph.get_text(strip=True)
            if text and _URL_ALONE.fullmatch(text) and provider_of(text) and not paragraph.find("img"):
                paragraph.replace_with(BeautifulSoup(self._embed_or_link(out, text), "lxml").body.p)

    def _galleries(self, soup: BeautifulSoup) -> None:
        for gallery in soup.select("figure.wp-block-gallery, ul.blocks-gallery-grid, div.gallery"):
            images = gallery.find_all("img")
            replacement = soup.new_tag("div")
            for img in images:
                p = soup.new_tag("p")
                p.append(img.extract())
                replacement.append(p)
            gallery.replace_with(replacement)
            replacement.unwrap()

    def _images(self, soup: BeautifulSoup, out: Converted) -> None:
        for figure in soup.find_all("figure"):
            caption = figure.find("figcaption")
            caption_text = caption.get_text(" ", strip=True) if caption else ""
            if caption:
                caption.decompose()
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
            alt = alt or target.alt
            if not alt:
                out.notes.append(f"Bild {target.path} hat keinen Alternativtext: bitte ergänzen.")
            img.attrs = {"src": target.path, "alt": alt}
            out.images.append(target.path)
            # an image shares no paragraph with text: it becomes its own Markdown line
            if isinstance(img.parent, Tag) and img.parent.name == "p" and img.parent.get_text(strip=True):
                p = soup.new_tag("p")
                img.parent.insert_before(p)
                p.append(img.extract())

    # -- the whole pipeline -----------------------------------------------------------------------

    def convert(self, content: str) -> Converted:
        out = Converted("")
        block = is_block_content(content)
        text = self._pre_html(content or "", out)
        if not block:
            text = decode_wp_content(text)
        leftover = sorted({m.group("name") for m in _SHORTCODE_ANY.finditer(text) if m.group("name").lower()
                           not in ("caption",)})  # fmt: skip
        for name in leftover:
            out.notes.append(f"Unbekannter Shortcode [{name}] steht noch als Text im Artikel: bitte prüfen.")
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
            if match:
                lines.append(self._render_embed(out, out.embeds[int(match.group(1))]))
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


def plain_text(html: str, limit: int = 300) -> str:
    """Plain text of an excerpt or paragraph for ``Summary`` (no shortcodes, cut at a sentence)."""
    html = _BLOCK_COMMENT.sub("", html or "")
    html = _SHORTCODE_ANY.sub("", html)
    soup = BeautifulSoup(f"<div>{html}</div>", "lxml")
    for tag in soup.find_all(["script", "style", "figure", "iframe", "blockquote"]):
        tag.decompose()
    text = " ".join(soup.get_text(" ").split())
    text = " ".join(w for w in text.split() if not w.startswith(("http://", "https://")))
    if len(text) <= limit:
        return text
    cut = text[:limit]
    end = max(cut.rfind(". "), cut.rfind("! "), cut.rfind("? "))
    return cut[: end + 1] if end > limit // 3 else cut.rsplit(" ", 1)[0] + " …"


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
