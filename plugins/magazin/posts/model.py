"""The data model of cached posts (``content/media/posts/*.json``) and its validation.

One JSON file per post, written by the importers (``plugins/magazin/posts/importers``) or by hand.
The format (every key is required unless marked optional)::

    {
      "platform": "x" | "mastodon",
      "id": "1990412345678901234",            # the post's id on its platform (string)
      "url": "https://x.com/hecogmbh/status/1990412345678901234",
      "author": {"name": "heco gmbh", "handle": "@hecogmbh"},
      "date": "2026-11-20T09:15:00+01:00",     # ISO 8601 with time zone
      "text": "Post text as an HTML fragment (entities escaped, links as <a>)",
      "links": [{"url": "https://…", "title": "…"}],        # links found in the text
      "media": [{"file": "bilder/x-1990….png", "alt": "…"}],  # relative to the posts folder
      "reply": false,                          # an answer to another post
      "repost": false,                         # a repost (retweet, boost) of someone else
      "original_author": {"name": "…", "handle": "…"},       # optional, for reposts
      "in_reply_to": "@handle",                # optional, for replies
      "lang": "de",                            # optional; unknown → no lang attribute
      "source": "x-api"                        # optional: which importer wrote it
    }

Optional extras (content warnings, polls, custom emoji, boosts, videos, aliases): ``extras.py``.

The text is untrusted: it is sanitised with an allow-list (``render.sanitize_text``) when
rendered, never output raw. A malformed file stops the build with a German message naming
the file, the line and the field.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from magazin.core.errors import ContentError, ContentErrors
from magazin.core.text import plain_text

from .extras import known_lang, parse_extras

PLATFORMS = ("x", "mastodon")
PLATFORM_NAMES = {"x": "X", "mastodon": "Mastodon"}
X_HOSTS = ("x.com", "twitter.com", "www.x.com", "www.twitter.com", "mobile.twitter.com", "mobile.x.com")

_X_PATH = re.compile(r"^/(?P<user>[A-Za-z0-9_]{1,15})/status(?:es)?/(?P<id>\d{1,25})/?$")
_MASTODON_PATH = re.compile(r"^/@(?P<user>[A-Za-z0-9_.-]+)(?:@[A-Za-z0-9.-]+)?/(?P<id>\d{1,25})/?$")
_HANDLE = re.compile(r"^@[A-Za-z0-9_.-]+(?:@[A-Za-z0-9.-]+\.[A-Za-z]{2,})?$")


def post_key(url: str) -> tuple[str, str] | None:
    """The lookup key of a post URL: ``("x", id)`` or ``("mastodon", "host/id")``; None otherwise.

    Accepts x.com and twitter.com status links and Mastodon status links
    (``https://<instance>/@<user>/<id>``). Query strings and fragments are ignored.
    """
    parsed = urlparse(url.strip())
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        return None
    host = parsed.hostname.lower()
    if host in X_HOSTS:
        match = _X_PATH.match(parsed.path)
        return ("x", match.group("id")) if match else None
    match = _MASTODON_PATH.match(parsed.path)
    if match:
        return ("mastodon", f"{host}/{match.group('id')}")
    return None


@dataclass(frozen=True)
class Person:
    """Author of a post: display name and handle (``@hecogmbh``, ``@heco@social.example``)."""

    name: str
    handle: str


@dataclass(frozen=True)
class Link:
    url: str
    title: str = ""


@dataclass(frozen=True)
class Media:
    """An image stored locally; ``file`` is relative to the posts folder."""

    file: str
    alt: str
    width: int | None = None
    height: int | None = None
    kind: str = "image"  # "video": the poster of a video or GIF (the card says „Video“)

    @property
    def mime_type(self) -> str:
        suffix = Path(self.file).suffix.lower()
        return {".png": "image/png", ".gif": "image/gif", ".webp": "image/webp"}.get(suffix, "image/jpeg")


@dataclass(frozen=True)
class Post:
    """One cached post from X or Mastodon."""

    platform: str
    id: str
    url: str
    author: Person
    date: dt.datetime
    text: str
    links: tuple[Link, ...] = ()
    media: tuple[Media, ...] = ()
    reply: bool = False
    repost: bool = False
    original_author: Person | None = None
    in_reply_to: str = ""
    lang: str = ""  # "" = unknown: no lang attribute
    source: str = ""
    source_path: str = field(default="", compare=False)
    spoiler: str = ""  # the fields below: extras.py
    sensitive: bool = False
    poll: tuple[str, ...] = ()
    emojis: tuple = ()
    shared_at: dt.datetime | None = None
    aliases: tuple[str, ...] = ()

    @property
    def key(self) -> tuple[str, str] | None:
        return post_key(self.url)

    @property
    def platform_name(self) -> str:
        return PLATFORM_NAMES.get(self.platform, self.platform)

    @property
    def plain_text(self) -> str:
        """The text without markup (for titles, summaries, the intranet)."""
        return plain_text(self.text)


def _line_of(text: str, key: str, start: int = 0) -> int | None:
    """1-based line of the first ``"key":`` at or after line ``start`` (0-based)."""
    pattern = re.compile(r'"' + re.escape(key) + r'"\s*:')
    for number, line in enumerate(text.splitlines()[start:], start=start + 1):
        if pattern.search(line):
            return number
    return None


class _Checker:
    """Collects German field errors for one file."""

    def __init__(self, path: Path, text: str):
        self.path = path
        self.text = text
        self.errors: list[ContentError] = []

    def error(self, field_name: str, message: str, hint: str = "", parent: str = "") -> None:
        start = 0
        if parent:
            start = (_line_of(self.text, parent) or 1) - 1
        line = _line_of(self.text, field_name.split(".")[-1].split("[")[0], start)
        self.errors.append(ContentError(str(self.path), line, f"Feld „{field_name}“: {message}", hint))

    def string(
        self, data: dict, key: str, label: str | None = None, *, required: bool = True, parent: str = ""
    ) -> str:
        label = label or key
        value = data.get(key)
        if value is None:
            if required:
                self.error(
                    label, "fehlt.", "Ergänze das Feld (siehe plugins/magazin/posts/model.py).", parent
                )
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            self.error(label, "muss ein nicht leerer Text sein.", parent=parent)
            return ""
        return value.strip()

    def items(self, data: dict, key: str) -> list:
        """The list in ``data[key]`` (empty when missing; an error when it is no list)."""
        value = data.get(key, [])
        if not isinstance(value, list):
            self.error(key, "muss eine Liste sein.")
            return []
        return value

    def boolean(self, data: dict, key: str) -> bool:
        value = data.get(key)
        if not isinstance(value, bool):
            self.error(
                key, "muss true oder false sein.", "Trage true oder false ein (ohne Anführungszeichen)."
            )
            return False
        return value

    def person(self, data: dict, key: str, *, required: bool = True) -> Person | None:
        value = data.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, dict):
            self.error(key, "muss ein Objekt mit „name“ und „handle“ sein.")
            return None
        name = self.string(value, "name", f"{key}.name", parent=key)
        handle = self.string(value, "handle", f"{key}.handle", parent=key)
        if handle and not _HANDLE.match(handle):
            self.error(
                f"{key}.handle", f"„{handle}“ ist kein gültiger Name (erwartet z. B. @hecogmbh).", parent=key
            )
        return Person(name, handle)


def _parse_date(value: str) -> dt.datetime | None:
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def load_post(path: str | Path, posts_dir: str | Path | None = None) -> Post:
    """Read and validate one post file; raise ContentErrors listing every bad field."""
    path = Path(path)
    posts_dir = Path(posts_dir) if posts_dir is not None else path.parent
    text, data = _read_json(path)
    check = _Checker(path, text)
    platform, post_id, url = _identity(check, data)
    author = check.person(data, "author")
    date = _date(check, data)
    body = data.get("text")
    if not isinstance(body, str):
        check.error("text", "fehlt oder ist kein Text.")
        body = ""
    links = _links(check, data)
    media = _media(check, data, posts_dir)
    context = _context(check, data)
    extras = parse_extras(check, data, posts_dir)  # content warning, poll, emoji, boosts, aliases
    if check.errors:
        raise ContentErrors(check.errors)
    return Post(
        platform=platform,
        id=post_id,
        url=url,
        author=author,  # type: ignore[arg-type]
        date=date,  # type: ignore[arg-type]
        text=body,
        links=links,
        media=media,
        **context,
        **extras,
        source_path=str(path),
    )


def _read_json(path: Path) -> tuple[str, dict]:
    """The file's text and its JSON object (errors here stop at once: nothing else to check)."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ContentError(str(path), None, "Die Datei ist nicht in UTF-8 gespeichert.") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ContentError(
            str(path),
            exc.lineno,
            f"Die JSON-Datei ist fehlerhaft (Spalte {exc.colno}: {exc.msg}).",
            "Prüfe Kommas, Anführungszeichen und Klammern.",
        ) from None
    if not isinstance(data, dict):
        raise ContentError(str(path), 1, "Die Datei muss ein JSON-Objekt { … } sein.")
    return text, data


def _identity(check: _Checker, data: dict) -> tuple[str, str, str]:
    """``platform``, ``id`` and ``url``, and that the three agree."""
    platform = check.string(data, "platform")
    if platform and platform not in PLATFORMS:
        check.error(
            "platform", f"unbekannte Plattform „{platform}“.", "Erlaubt sind: " + ", ".join(PLATFORMS) + "."
        )
    post_id = data.get("id")
    if isinstance(post_id, int) and not isinstance(post_id, bool):
        check.error("id", "muss als Text in Anführungszeichen stehen (große Zahlen verlieren sonst Stellen).")
        post_id = str(post_id)
    elif not isinstance(post_id, str) or not post_id.strip():
        check.error("id", "fehlt oder ist leer.")
        post_id = ""
    url = check.string(data, "url")
    key = post_key(url) if url else None
    if url and key is None:
        check.error(
            "url",
            f"„{url}“ ist keine Adresse eines Beitrags auf X oder Mastodon.",
            "Erwartet z. B. https://x.com/hecogmbh/status/123… oder https://<instanz>/@name/123….",
        )
    elif key and platform in PLATFORMS and key[0] != platform:
        check.error("url", f"die Adresse gehört nicht zur Plattform „{platform}“.")
    elif key and post_id and not key[1].endswith(str(post_id)):
        check.error("id", f"„{post_id}“ passt nicht zur Adresse im Feld „url“.")
    if url and not url.startswith("https://"):
        check.error("url", "muss mit https:// beginnen.")
    return platform, str(post_id), url


def _date(check: _Checker, data: dict) -> dt.datetime | None:
    """``date``: ISO 8601 with time and time zone."""
    date_text = check.string(data, "date")
    date = _parse_date(date_text) if date_text else None
    if date_text and date is None:
        check.error(
            "date",
            f"„{date_text}“ ist kein Datum mit Uhrzeit und Zeitzone.",
            "Erwartet z. B. 2026-11-20T09:15:00+01:00.",
        )
    return date


def _links(check: _Checker, data: dict) -> tuple[Link, ...]:
    """``links``: the link previews, each an http(s) address with an optional title."""
    links: list[Link] = []
    for index, item in enumerate(check.items(data, "links")):
        if not isinstance(item, dict) or not str(item.get("url", "")).startswith(("https://", "http://")):
            check.error(f"links[{index}].url", "muss eine http(s)-Adresse sein.", parent="links")
            continue
        links.append(Link(str(item["url"]), str(item.get("title") or "")))
    return tuple(links)


def _media(check: _Checker, data: dict, posts_dir: Path) -> tuple[Media, ...]:
    """``media``: images inside the posts folder, each with an alt text."""
    media: list[Media] = []
    for index, item in enumerate(check.items(data, "media")):
        if not isinstance(item, dict) or not isinstance(item.get("file"), str):
            check.error(f"media[{index}].file", "fehlt.", parent="media")
            continue
        rel = item["file"]
        target = (posts_dir / rel).resolve()
        if rel.startswith("/") or ".." in Path(rel).parts:
            check.error(
                f"media[{index}].file", f"„{rel}“ muss relativ zum Ordner der Beiträge sein.", parent="media"
            )
            continue
        if not target.is_file():
            check.error(
                f"media[{index}].file",
                f"die Bilddatei „{rel}“ fehlt.",
                "Importiere den Beitrag erneut oder lege das Bild dort ab.",
                parent="media",
            )
            continue
        alt = item.get("alt")
        if not isinstance(alt, str):
            check.error(
                f"media[{index}].alt",
                "fehlt (Bildbeschreibung für Screenreader; leer nur bei Schmuckbildern).",
                parent="media",
            )
            alt = ""
        width, height = _image_size(target)
        kind = "video" if item.get("kind") in ("video", "gif") else "image"
        media.append(Media(rel, alt, width, height, kind))
    return tuple(media)


def _context(check: _Checker, data: dict) -> dict:
    """Where the post stands: reply, repost (with the original author), language, source."""
    return {
        "reply": check.boolean(data, "reply"),
        "repost": check.boolean(data, "repost"),
        "original_author": check.person(data, "original_author", required=False),
        "in_reply_to": check.string(data, "in_reply_to", required=False),
        "lang": known_lang(data.get("lang")),  # unknown (und, qme, zxx, none): no lang attribute
        "source": check.string(data, "source", required=False),
    }


def _image_size(path: Path) -> tuple[int | None, int | None]:
    try:
        from PIL import Image

        with Image.open(path) as image:
            return image.size
    except Exception:
        return None, None


@dataclass
class PostLibrary:
    """All cached posts of one build, newest first; lookup by URL."""

    posts: list[Post]
    folder: Path | None = None

    def __post_init__(self) -> None:
        self.posts.sort(key=lambda p: (p.date, p.id), reverse=True)
        self._by_key = {p.key: p for p in self.posts if p.key}
        for post in self.posts:  # e.g. https://<home>/@user@<origin>/<id>, as fetch-post got it
            for alias in post.aliases:
                key = post_key(alias)
                if key and key not in self._by_key:
                    self._by_key[key] = post

    def find(self, url: str) -> Post | None:
        key = post_key(url)
        return self._by_key.get(key) if key else None

    def latest(
        self, count: int, accounts: Iterable[str] = (), replies: bool = False, reposts: bool = False
    ) -> list[Post]:
        """The newest ``count`` posts of ``accounts`` (all when empty), filtered."""
        wanted = {a.lower() for a in accounts}
        chosen = [
            p
            for p in self.posts
            if (not wanted or p.author.handle.lower() in wanted)
            and (replies or not p.reply)
            and (reposts or not p.repost)
        ]
        return chosen[:count]


def load_library(folder: str | Path) -> PostLibrary:
    """Load every ``*.json`` in ``folder``; all problems of all files are reported together."""
    folder = Path(folder)
    posts: list[Post] = []
    errors: list[ContentError] = []
    seen: dict[tuple[str, str], str] = {}
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            post = load_post(path, folder)
        except ContentErrors as exc:
            errors.extend(exc.errors)
            continue
        except ContentError as exc:
            errors.append(exc)
            continue
        if post.key in seen:
            errors.append(
                ContentError(
                    str(path),
                    _line_of(path.read_text("utf-8"), "url"),
                    f"Feld „url“: derselbe Beitrag steht schon in {seen[post.key]}.",
                    "Lösche eine der beiden Dateien.",
                )
            )
            continue
        seen[post.key] = path.name  # type: ignore[index]
        posts.append(post)
    if errors:
        raise ContentErrors(errors)
    return PostLibrary(posts, folder)
