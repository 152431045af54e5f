"""``invoke fetch-media``: download posters and titles of every video used in the content.

The only code of the YouTube plugin that goes online, and only when an author runs it. For each
video referenced in ``content/**/*.md`` it stores, to be committed:

- ``content/media/youtube/<id>.jpg``: the best thumbnail (maxres → sd → hq). YouTube answers a
  missing size with a 120×90 grey placeholder instead of a 404; that is detected and skipped.
- ``content/media/youtube/<id>.json``: title and channel from YouTube's oEmbed endpoint.

Hosts are settings (``YOUTUBE_THUMBNAIL_URL``, ``YOUTUBE_OEMBED_URL``), so tests use a local server.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from PIL import Image

from magazin.core.urlline import url_alone

from .embed import is_youtube_url
from .markdown_ext import EXPLICIT_OPEN
from .urls import InvalidVideoUrl, VideoRef, parse_youtube_url

THUMBNAIL_URL = "https://i.ytimg.com/vi/{id}/{name}.jpg"
OEMBED_URL = "https://www.youtube.com/oembed?format=json&url={url}"
THUMBNAIL_NAMES = ("maxresdefault", "sddefault", "hqdefault")
MISSING_THUMBNAIL_SIZE = (120, 90)
TIMEOUT = 15
_FENCE = re.compile(r"^\s*(```|~~~)")


@dataclass
class FetchReport:
    """What ``fetch_media`` did, per video key."""

    fetched: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def find_videos(content_dir: Path) -> dict[str, tuple[VideoRef, str]]:
    """Every video referenced in the Markdown files: key → (ref, "file:line")."""
    found: dict[str, tuple[VideoRef, str]] = {}
    for path in sorted(content_dir.rglob("*.md")):
        in_fence = False
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if _FENCE.match(line):
                in_fence = not in_fence
            if in_fence or line.startswith(("    ", "\t")):
                continue
            text = line.strip()
            opener = EXPLICIT_OPEN.match(text)
            alone = url_alone(text)
            url = opener.group("url") if opener else (alone if alone and is_youtube_url(alone) else None)
            if not url:
                continue
            try:
                ref = parse_youtube_url(url)
            except InvalidVideoUrl:
                continue  # the build reports it with file and line
            found.setdefault(ref.key, (ref, f"{path}:{number}"))
    return found


def _get(url: str, opener: Callable = urllib.request.urlopen) -> bytes | None:
    """Body of ``url``, or None for 404/410 (anything else raises)."""
    if not url.startswith(("https://", "http://")):
        raise ValueError(f"Nur http(s)-Adressen werden abgerufen, nicht „{url}“.")
    request = urllib.request.Request(url, headers={"User-Agent": "edelstahlmagazin-fetch-media/1.0"})  # noqa: S310
    try:
        with opener(request, timeout=TIMEOUT) as response:
            return response.read()
    except urllib.error.HTTPError as exc:
        if exc.code in (401, 403, 404, 410):
            return None
        raise


def best_thumbnail(
    video_id: str, template: str, opener: Callable = urllib.request.urlopen
) -> tuple[bytes, str] | None:
    """The largest real thumbnail: (JPEG bytes, size name), or None."""
    for name in THUMBNAIL_NAMES:
        data = _get(template.format(id=video_id, name=name), opener)
        if not data:
            continue
        try:
            with Image.open(io.BytesIO(data)) as image:
                size = image.size
        except OSError:
            continue
        if size == MISSING_THUMBNAIL_SIZE:  # YouTube's "no such size" grey image
            continue
        return data, name
    return None


def fetch_media(
    content_dir: Path,
    media_dir: Path,
    *,
    thumbnail_url: str = THUMBNAIL_URL,
    oembed_url: str = OEMBED_URL,
    force: bool = False,
    opener: Callable = urllib.request.urlopen,
    log: Callable[[str], None] = print,
) -> FetchReport:
    """Fetch poster and title for every referenced video missing in ``media_dir``."""
    report = FetchReport()
    media_dir.mkdir(parents=True, exist_ok=True)
    for key, (ref, where) in find_videos(content_dir).items():
        poster, meta_file = media_dir / f"{key}.jpg", media_dir / f"{key}.json"
        if poster.exists() and meta_file.exists() and not force:
            report.skipped.append(key)
            continue
        try:
            raw = _get(oembed_url.format(url=quote(ref.watch_url(), safe="")), opener)
            meta = json.loads(raw) if raw else None
            if ref.video_id:
                thumb = best_thumbnail(ref.video_id, thumbnail_url, opener)
            elif meta and meta.get("thumbnail_url"):
                data = _get(str(meta["thumbnail_url"]), opener)
                thumb = (data, "oembed") if data else None
            else:
                thumb = None
        except (OSError, ValueError) as exc:
            report.problems.append(f"{where}: {key}: Abruf fehlgeschlagen ({exc}).")
            log(f"✗ {key}: Abruf fehlgeschlagen ({exc})")
            continue
        if meta is None or thumb is None:
            what = (
                "weder Titel noch Vorschaubild"
                if meta is None and thumb is None
                else ("kein Titel (oEmbed)" if meta is None else "kein Vorschaubild")
            )
            report.problems.append(
                f"{where}: Für „{key}“ liefert YouTube {what} – ist das Video privat, gelöscht "
                "oder die Adresse falsch?"
            )
            log(f"✗ {key}: {what}")
            if thumb is None:
                continue
        data, size_name = thumb
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            image.convert("RGB").save(poster, "JPEG", quality=88)
        record = {
            "id": key,
            "title": (meta or {}).get("title", ""),
            "author_name": (meta or {}).get("author_name", ""),
            "author_url": (meta or {}).get("author_url", ""),
            "thumbnail": size_name,
            "width": width,
            "height": height,
            "fetched": dt.date.today().isoformat(),
        }
        meta_file.write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        report.fetched.append(key)
        log(f"✓ {key}: {record['title'] or '(ohne Titel)'} ({size_name}, {width}×{height})")
    return report
