"""Import posts from the X data archive ("Download your data"), offline.

Accepted: the archive as X delivers it (the ``.zip``), its unpacked folder, its ``data``
folder, or the path of ``tweets.js`` itself. Both layouts X has shipped:

- today's: ``data/tweets.js`` (``window.YTD.tweets.part0``, more parts in ``tweets-part1.js`` …)
  and images in ``data/tweets_media/``;
- the older one: ``data/tweet.js`` (``window.YTD.tweet.part0``) and ``data/tweet_media/``.

Account name and handle come from ``account.js``. Long posts (over 280 characters) are cut
in ``tweets.js``; their full text is in ``note-tweet.js``, found by the post's id where the
archive names it, else by the creation time (X gives the note its own id). GIFs and videos
are shipped as MP4 files only: the card shows a poster – the archive's own still image when it
has one, else the first frame of the MP4 (PyAV) – marked „Video“. An unknown language
(``und``, ``qme``, ``zxx``, missing) gives no ``lang`` (``extras.known_lang``).
"""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import re
import zipfile
from pathlib import Path, PurePosixPath

from ..extras import known_lang
from .base import ImportFailed, ImportReport, PostStore, local_date
from .x_text import x_text_html

_ASSIGNMENT = re.compile(r"^\s*window\.YTD\.[\w.]+\s*=\s*", re.S)
LAYOUTS = (("tweets", "tweets_media"), ("tweet", "tweet_media"))  # today's, older
NOTE_TIME_TOLERANCE = dt.timedelta(seconds=5)


class _Source:
    """The archive's ``data`` folder, on disk or inside the zip; names are relative to it."""

    def __init__(self, path: Path):
        self.path = path
        self.zip: zipfile.ZipFile | None = None
        self.prefix = ""
        self.folder = path
        if path.is_file() and zipfile.is_zipfile(path):
            self.zip = zipfile.ZipFile(path)
            names = self.zip.namelist()
            main = next(
                (
                    n
                    for stem, _ in LAYOUTS
                    for n in sorted(names, key=len)
                    if PurePosixPath(n).name == f"{stem}.js"
                ),
                None,
            )
            if main is None:
                raise ImportFailed(f"{path}: im Zip-Archiv fehlt data/tweets.js (oder data/tweet.js).")
            self.prefix = str(PurePosixPath(main).parent) + "/" if "/" in main else ""
        elif path.is_file():
            self.folder = path.parent
        elif path.is_dir():
            self.folder = path / "data" if (path / "data").is_dir() else path
        else:
            raise ImportFailed(f"{path} gibt es nicht: erwartet wird das X-Datenarchiv (Ordner oder .zip).")
        self.stem, self.media = next(
            ((stem, media) for stem, media in LAYOUTS if self.exists(f"{stem}.js")), (None, None)
        )
        if self.stem is None:
            raise ImportFailed(
                f"{path}: weder tweets.js noch tweet.js gefunden. Gib den Ordner des X-Datenarchivs, "
                "seinen Ordner „data“ oder die .zip-Datei an."
            )

    def where(self, name: str) -> str:
        return f"{self.path}:{self.prefix}{name}" if self.zip else str(self.folder / name)

    def exists(self, name: str) -> bool:
        if self.zip is not None:
            try:
                self.zip.getinfo(self.prefix + name)
            except KeyError:
                return False
            return True
        return (self.folder / name).is_file()

    def read_bytes(self, name: str) -> bytes:
        if self.zip is not None:
            return self.zip.read(self.prefix + name)
        return (self.folder / name).read_bytes()

    def names(self, folder: str) -> list[str]:
        """File names (without folder) in ``folder``."""
        if self.zip is not None:
            start = self.prefix + folder + "/"
            return [n[len(start) :] for n in self.zip.namelist() if n.startswith(start) and n != start]
        base = self.folder / folder
        return sorted(p.name for p in base.iterdir() if p.is_file()) if base.is_dir() else []

    def parts(self) -> list[str]:
        """``tweets.js``, then ``tweets-part1.js``, ``tweets-part2.js`` …"""
        found = [f"{self.stem}.js"]
        number = 1
        while self.exists(f"{self.stem}-part{number}.js"):
            found.append(f"{self.stem}-part{number}.js")
            number += 1
        return found

    def ytd(self, name: str) -> list:
        return _parse_ytd(self.read_bytes(name), self.where(name))


def _parse_ytd(raw: bytes, where: str) -> list:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFailed(f"{where} ist nicht in UTF-8 gespeichert.") from None
    match = _ASSIGNMENT.match(text)
    if not match:
        raise ImportFailed(f"{where} ist keine Datei aus dem X-Datenarchiv (erwartet „window.YTD.… = [“).")
    try:
        data = json.loads(text[match.end() :].strip().rstrip(";"))
    except json.JSONDecodeError as exc:
        raise ImportFailed(f"{where}: fehlerhafte Daten in Zeile {exc.lineno} ({exc.msg}).") from None
    if not isinstance(data, list):
        raise ImportFailed(f"{where}: erwartet wird eine Liste von Beiträgen.")
    return data


def read_ytd(path: Path) -> list:
    """The JSON array of a ``window.YTD.<name>.part0 = [...]`` file."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ImportFailed(f"{path} lässt sich nicht lesen ({exc.strerror}).") from None
    return _parse_ytd(raw, str(path))


def _account(source: _Source) -> tuple[str, str] | None:
    if not source.exists("account.js"):
        return None
    for item in source.ytd("account.js"):
        account = item.get("account", {})
        if account.get("username"):
            return account["username"], account.get("accountDisplayName") or account["username"]
    return None


# --- long posts ---------------------------------------------------------------------------------


def _created(tweet: dict) -> dt.datetime:
    return dt.datetime.strptime(tweet["created_at"], "%a %b %d %H:%M:%S %z %Y")


def _fold(text: str) -> str:
    return " ".join(html.unescape(text).split())


class _Notes:
    """``note-tweet.js``: the full text of long posts (both shapes X has used)."""

    def __init__(self, source: _Source):
        self.by_tweet: dict[str, dict] = {}
        self.timed: list[tuple[dt.datetime, dict]] = []
        if not source.exists("note-tweet.js"):
            return
        for item in source.ytd("note-tweet.js"):
            note = item.get("noteTweet", item)
            core = note.get("core") or note.get("noteTweetResults") or {}
            text = core.get("text")
            if not isinstance(text, str):
                continue
            urls = core.get("urls") or (core.get("entitySet") or {}).get("urls") or []
            entry = {
                "text": text,
                "urls": [
                    {
                        "url": u.get("shortUrl") or u.get("url"),
                        "expanded_url": u.get("expandedUrl") or u.get("expanded_url"),
                        "display_url": u.get("displayUrl") or u.get("display_url"),
                    }
                    for u in urls
                    if isinstance(u, dict)
                ],
            }
            if note.get("tweetId"):
                self.by_tweet[str(note["tweetId"])] = entry
            if note.get("createdAt"):
                try:
                    when = dt.datetime.fromisoformat(note["createdAt"].replace("Z", "+00:00"))
                except ValueError:
                    continue
                self.timed.append((when, entry))

    def full(self, tweet: dict, tweet_id: str, text: str) -> dict | None:
        if tweet_id in self.by_tweet:
            return self.by_tweet[tweet_id]
        if not self.timed:
            return None
        created = _created(tweet)
        start = _fold(re.sub(r"…?\s*https://t\.co/\S+\s*$", "", text)).rstrip("…").strip()[:40]
        for when, entry in self.timed:
            if abs(when - created) <= NOTE_TIME_TOLERANCE and _fold(entry["text"]).startswith(start):
                return entry
        return None


# --- media --------------------------------------------------------------------------------------


def first_frame_jpeg(video: bytes) -> bytes | None:
    """The first frame of an MP4 as JPEG bytes (None when it cannot be decoded)."""
    try:
        import av
    except ImportError:  # pragma: no cover - av is pinned in requirements.txt
        return None
    try:
        with av.open(io.BytesIO(video)) as container:
            for frame in container.decode(video=0):
                image = frame.to_image().convert("RGB")
                out = io.BytesIO()
                image.save(out, "JPEG", quality=85)
                return out.getvalue()
    except (av.error.FFmpegError, ValueError, OSError):
        return None
    return None


def _media(source: _Source, tweet_id: str, medium: dict, names: list[str]) -> tuple[bytes | None, str]:
    """(image bytes, kind) of one attachment: a photo, or a video's/GIF's poster."""
    url = medium.get("media_url_https") or medium.get("media_url") or ""
    shipped = f"{tweet_id}-{PurePosixPath(url).name}" if url else ""
    kind = "video" if medium.get("type") in ("video", "animated_gif") else "image"
    if shipped and shipped in names:
        return source.read_bytes(f"{source.media}/{shipped}"), kind
    if kind == "video":
        wanted = {
            f"{tweet_id}-{PurePosixPath(v.get('url', '').split('?')[0]).name}"
            for v in (medium.get("video_info") or {}).get("variants", [])
        }
        videos = [n for n in names if n in wanted] or [
            n for n in names if n.startswith(f"{tweet_id}-") and n.endswith(".mp4")
        ]
        for name in videos:
            poster = first_frame_jpeg(source.read_bytes(f"{source.media}/{name}"))
            if poster:
                return poster, kind
    return None, kind


# --- import -------------------------------------------------------------------------------------


def import_x_archive(
    archive: str | Path, folder: str | Path, *, username: str = "", display_name: str = ""
) -> ImportReport:
    """Store every post of the archive that is not cached yet."""
    source = _Source(Path(archive))
    account = _account(source)
    if account is None and not username:
        raise ImportFailed("account.js fehlt im Archiv: bitte --user und --name angeben.")
    username = username.lstrip("@") or account[0]  # type: ignore[index]
    display_name = display_name or (account[1] if account else username)
    store = PostStore(folder)
    notes = _Notes(source)
    names = source.names(source.media)
    for part in source.parts():
        for item in source.ytd(part):
            _import_one(item.get("tweet", item), source, notes, names, store, username, display_name)
    return store.report


def _import_one(tweet, source, notes, names, store, username, display_name) -> None:
    tweet_id = str(tweet.get("id_str") or tweet.get("id") or "")
    if not tweet_id.isdigit():
        store.report.notes.append("Ein Eintrag ohne gültige id wurde übersprungen.")
        return
    url = f"https://x.com/{username}/status/{tweet_id}"
    if store.has(url):
        store.report.skipped.append(url)
        return
    entities = tweet.get("entities", {})
    ext_media = tweet.get("extended_entities", {}).get("media") or entities.get("media", [])
    text = tweet.get("full_text") or tweet.get("text") or ""
    url_entities = list(entities.get("urls", []))
    note = notes.full(tweet, tweet_id, text)
    if note is not None:
        media_links = {m.get("url", "") for m in ext_media}
        text = note["text"]
        url_entities = note["urls"] + [u for u in url_entities if u.get("url") not in media_links]
    repost = text.startswith("RT @")
    post: dict = {}
    if repost:
        match = re.match(r"RT @(\w+): ", text)
        if match:
            who = next(
                (
                    m
                    for m in entities.get("user_mentions", [])
                    if m.get("screen_name", "").lower() == match.group(1).lower()
                ),
                {},
            )
            post["original_author"] = {
                "name": who.get("name") or match.group(1),
                "handle": "@" + match.group(1),
            }
            text = text[match.end() :]
    html_text, links = x_text_html(text, url_entities, {m.get("url", "") for m in ext_media})
    media = []
    for number, medium in enumerate(ext_media, start=1):
        data, kind = _media(source, tweet_id, medium, names)
        label = "Video" if kind == "video" else "Bild"
        if data is None:
            store.report.notes.append(f"{url}: {label} {number} fehlt im Archiv.")
            continue
        rel = store.save_image(data, f"x-{tweet_id}-{number}")
        default_alt = (
            f"Standbild aus dem Video von {display_name}"
            if kind == "video"
            else f"Bild zum Beitrag von {display_name}"
        )
        entry = {"file": rel, "alt": medium.get("ext_alt_text") or default_alt}
        if kind == "video":
            entry["kind"] = "video"
        media.append(entry)
    reply = bool(tweet.get("in_reply_to_status_id_str") or tweet.get("in_reply_to_status_id"))
    post = {
        "platform": "x",
        "id": tweet_id,
        "url": url,
        "author": {"name": display_name, "handle": "@" + username},
        "date": local_date(_created(tweet)),
        "text": html_text,
        "links": links,
        "media": media,
        "reply": reply,
        "repost": repost,
        **post,
        "source": "x-archive",
    }
    lang = known_lang(tweet.get("lang"))
    if lang:
        post["lang"] = lang
    if reply and tweet.get("in_reply_to_screen_name"):
        post["in_reply_to"] = "@" + tweet["in_reply_to_screen_name"]
    store.add(post)
