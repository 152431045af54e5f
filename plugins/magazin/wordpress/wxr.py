"""Read a WordPress export file (WXR 1.0–1.2, as WordPress.com and self-hosted WordPress write it).

The WXR namespaces are accepted with ``http://`` and ``https://`` (``xmlns:wp=
"https://wordpress.org/export/1.2/"`` is what WordPress.com and many real exports declare);
every element is read in the namespace the file itself declares.

Parsed strictly with lxml (no entities, no network): a file that is not XML, is cut off, or is
not a WordPress export stops with a German ``WordPressError`` naming file, line and item.
Pelican's own reader (``pelican.tools.pelican_import.wp2fields``) is lenient (BeautifulSoup
reads a truncated file without complaint) and drops what a move needs (post id, permalink,
excerpt, attachments, comments, private status), so we read the XML here and reuse only its
``wpautop`` decoder (see ``convert.py``).
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

from lxml import etree

BERLIN = ZoneInfo("Europe/Berlin")
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"
_WP_NS = re.compile(r"^https?://wordpress\.org/export/1\.[0-2]/$")
_EXCERPT_NS = re.compile(r"^https?://wordpress\.org/export/1\.[0-2]/excerpt/$")
_NULL_DATE = "0000-00-00 00:00:00"


class WordPressError(Exception):
    """The export cannot be imported; the message is German and says what to do."""


@dataclass(frozen=True)
class Term:
    slug: str
    name: str


@dataclass(frozen=True)
class Comment:
    comment_id: str
    parent: str
    author: str
    author_email: str
    author_url: str
    author_ip: str
    date_gmt: dt.datetime | None
    content: str
    approved: str  # "1", "0", "spam", "trash"
    kind: str  # "", "comment", "pingback", "trackback"

    @property
    def publishable(self) -> bool:
        return self.approved == "1" and self.kind in ("", "comment")


@dataclass
class Item:
    """One ``<item>``: a post, page, attachment or anything else WordPress exports."""

    source: str  # the file (or "archive.zip:member.xml") for messages
    line: int
    post_id: str
    post_type: str
    status: str
    title: str
    link: str
    guid: str
    creator: str
    content: str
    excerpt: str
    post_name: str
    date: dt.datetime | None  # Europe/Berlin
    parent: str
    attachment_url: str
    password: str
    menu_order: int = 0
    mime_type: str = ""
    categories: list[Term] = field(default_factory=list)
    tags: list[Term] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    comments: list[Comment] = field(default_factory=list)

    @property
    def label(self) -> str:
        """How the item is named in messages: „Titel“ (WordPress-ID 12)."""
        title = self.title or self.post_name or "(ohne Titel)"
        return f"„{title}“ (WordPress-ID {self.post_id})"

    @property
    def decoded_name(self) -> str:
        """``post_name`` as text: WordPress stores non-ASCII slugs percent-encoded."""
        return unquote(self.post_name or "")


@dataclass
class Export:
    path: Path
    title: str
    link: str
    base_site_url: str
    base_blog_url: str
    authors: dict[str, str]  # login → display name
    categories: dict[str, Term]  # slug → term
    tags: dict[str, Term]
    items: list[Item]

    @property
    def base(self) -> str:
        """The blog's address without a trailing slash (``https://blog.example``)."""
        return (self.base_blog_url or self.link or self.base_site_url).rstrip("/")

    def old_path(self, url: str) -> str | None:
        """The path (with query) of ``url`` if it is an address of this blog, else None."""
        if not url:
            return None
        parts, base = urlsplit(url), urlsplit(self.base)
        if parts.hostname and base.hostname and parts.hostname.lower() != base.hostname.lower():
            return None
        path = re.sub(r"/{2,}", "/", parts.path or "/")  # WordPress answers //a/ as /a/
        base_path = base.path.rstrip("/")
        if base_path and path.startswith(base_path):
            path = path[len(base_path) :] or "/"
        return path + (f"?{parts.query}" if parts.query else "")


def _text(element, tag: str) -> str:
    found = element.find(tag)
    if found is None or found.text is None:
        return ""
    return found.text


def _int(text: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        return 0


def _date(local: str, gmt: str, where: str) -> dt.datetime | None:
    try:
        if gmt and gmt != _NULL_DATE:
            utc = dt.datetime.strptime(gmt.strip(), "%Y-%m-%d %H:%M:%S").replace(tzinfo=dt.UTC)
            return utc.astimezone(BERLIN)
        if local and local != _NULL_DATE:
            return dt.datetime.strptime(local.strip(), "%Y-%m-%d %H:%M:%S").replace(tzinfo=BERLIN)
    except ValueError:
        raise WordPressError(
            f"{where}: das Datum „{gmt or local}“ hat nicht die Form JJJJ-MM-TT hh:mm:ss. "
            "Ist die Exportdatei beschädigt? Bitte in WordPress erneut exportieren."
        ) from None
    return None


def read_export(path: str | Path) -> Export:
    """Parse ``path`` (a WXR file, or the .zip WordPress.com hands out with one or more of them);
    raise ``WordPressError`` (German) for anything that is not a usable WXR."""
    path = Path(path)
    if not path.is_file():
        raise WordPressError(
            f"{path}: Datei nicht gefunden. Bitte den Pfad zur WordPress-Exportdatei (.xml) angeben."
        )
    if not zipfile.is_zipfile(path):
        return _parse(path.read_bytes(), str(path), path)
    try:
        with zipfile.ZipFile(path) as archive:
            names = sorted(
                n for n in archive.namelist() if n.lower().endswith(".xml") and not n.startswith("__")
            )
            parts = [_parse(archive.read(name), f"{path}:{name}", path) for name in names]
    except (zipfile.BadZipFile, OSError) as exc:
        raise WordPressError(
            f"{path}: Das ZIP-Archiv ist beschädigt ({exc}). Bitte neu herunterladen."
        ) from None
    if not parts:
        raise WordPressError(f"{path}: Das ZIP-Archiv enthält keine .xml-Exportdatei.")
    first = parts[0]
    for part in parts[1:]:  # WordPress.com splits large blogs into several files
        first.authors.update(part.authors)
        first.categories.update(part.categories)
        first.tags.update(part.tags)
        first.items.extend(part.items)
    return first


def _parse(data: bytes, label: str, path: Path) -> Export:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=False, huge_tree=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or (exc.position[0] if exc.position else 0)
        # a cut-off download lacks the closing </rss>
        cut = "abgeschnitten" if not data[-64:].rstrip().endswith(b"</rss>") else "fehlerhaft"
        raise WordPressError(
            f"{label}:{line}: Die Datei ist kein gültiges XML ({cut}: {exc.msg}). "
            "Ist der Export unvollständig heruntergeladen? Bitte in WordPress unter "
            "„Werkzeuge → Daten exportieren“ erneut exportieren."
        ) from None
    wp_ns = next((ns for ns in (root.nsmap or {}).values() if ns and _WP_NS.match(ns)), None)
    if root.tag != "rss" or wp_ns is None:
        found = ", ".join(sorted(ns for ns in (root.nsmap or {}).values() if ns)) or "keiner"
        raise WordPressError(
            f"{label}:{root.sourceline}: Das ist keine WordPress-Exportdatei (WXR): erwartet wird "
            f"<rss> mit dem Namensraum http(s)://wordpress.org/export/1.0/ bis 1.2/ (gefunden: <{root.tag}>, "
            f"Namensräume: {found}). Bitte die Datei aus „Werkzeuge → Daten exportieren“ verwenden."
        )
    channel = root.find("channel")
    if channel is None:
        raise WordPressError(f"{label}:{root.sourceline}: Der Export hat kein <channel>-Element.")
    wp = f"{{{wp_ns}}}"
    declared = next(
        (ns for ns in (root.nsmap or {}).values() if ns and _EXCERPT_NS.match(ns)), wp_ns + "excerpt/"
    )
    excerpt_ns = "{" + declared + "}"

    authors = {}
    for author in channel.findall(f"{wp}author"):
        login = _text(author, f"{wp}author_login")
        if login:
            authors[login] = _text(author, f"{wp}author_display_name") or login
    categories = {}
    for cat in channel.findall(f"{wp}category"):
        slug = unquote(_text(cat, f"{wp}category_nicename"))
        categories[slug] = Term(slug, _text(cat, f"{wp}cat_name") or slug)
    tags = {}
    for tag in channel.findall(f"{wp}tag"):
        slug = unquote(_text(tag, f"{wp}tag_slug"))
        tags[slug] = Term(slug, _text(tag, f"{wp}tag_name") or slug)

    items = []
    for element in channel.findall("item"):
        where = f"{label}:{element.sourceline}"
        post_id = _text(element, f"{wp}post_id").strip()
        if not post_id:
            raise WordPressError(f"{where}: Eintrag ohne <wp:post_id>. Ist die Exportdatei beschädigt?")
        item = Item(
            source=label,
            line=element.sourceline,
            post_id=post_id,
            post_type=_text(element, f"{wp}post_type").strip(),
            status=_text(element, f"{wp}status").strip(),
            title=(_text(element, "title") or "").strip(),
            link=_text(element, "link").strip(),
            guid=_text(element, "guid").strip(),
            creator=_text(element, f"{{{DC_NS}}}creator").strip(),
            content=_text(element, f"{{{CONTENT_NS}}}encoded"),
            excerpt=_text(element, f"{excerpt_ns}encoded"),
            post_name=_text(element, f"{wp}post_name").strip(),
            date=_date(
                _text(element, f"{wp}post_date"),
                _text(element, f"{wp}post_date_gmt"),
                f"{where} (WordPress-ID {post_id})",
            ),
            parent=_text(element, f"{wp}post_parent").strip() or "0",
            attachment_url=_text(element, f"{wp}attachment_url").strip(),
            password=_text(element, f"{wp}post_password"),
            menu_order=_int(_text(element, f"{wp}menu_order")),
            mime_type=_text(element, f"{wp}post_mime_type").strip(),
        )
        for cat in element.findall("category"):
            slug = unquote(cat.get("nicename") or "")
            term = Term(slug, (cat.text or slug).strip())
            if cat.get("domain") == "category":
                item.categories.append(term)
            elif cat.get("domain") == "post_tag":
                item.tags.append(term)
        for meta in element.findall(f"{wp}postmeta"):
            item.meta[_text(meta, f"{wp}meta_key")] = _text(meta, f"{wp}meta_value")
        for com in element.findall(f"{wp}comment"):
            item.comments.append(
                Comment(
                    comment_id=_text(com, f"{wp}comment_id").strip(),
                    parent=_text(com, f"{wp}comment_parent").strip() or "0",
                    author=_text(com, f"{wp}comment_author"),
                    author_email=_text(com, f"{wp}comment_author_email"),
                    author_url=_text(com, f"{wp}comment_author_url"),
                    author_ip=_text(com, f"{wp}comment_author_IP"),
                    date_gmt=_date("", _text(com, f"{wp}comment_date_gmt"), where),
                    content=_text(com, f"{wp}comment_content"),
                    approved=_text(com, f"{wp}comment_approved").strip(),
                    kind=_text(com, f"{wp}comment_type").strip(),
                )
            )
        items.append(item)
    return Export(
        path=path,
        title=_text(channel, "title").strip(),
        link=_text(channel, "link").strip(),
        base_site_url=_text(channel, f"{wp}base_site_url").strip(),
        base_blog_url=_text(channel, f"{wp}base_blog_url").strip(),
        authors=authors,
        categories=categories,
        tags=tags,
        items=items,
    )
