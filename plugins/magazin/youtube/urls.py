"""Parse every form of YouTube address an author pastes into one validated ``VideoRef``.

Understood: ``watch?v=``, ``youtu.be/``, ``/shorts/`` (9:16), ``/live/``, ``/embed/``, ``/v/``,
``youtube-nocookie.com``, the ``m.``/``music.`` hosts, playlists (``list=``, ``/playlist``,
``/embed/videoseries``) and start/end times (``t=1m30s``, ``t=90``, ``start=``, ``end=``,
``#t=…``). The video ID is checked strictly: exactly 11 characters ``[A-Za-z0-9_-]``.
Errors are ``InvalidVideoUrl`` with a German message for the author.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from urllib.parse import parse_qs, urlencode, urlsplit

VIDEO_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
LIST_ID = re.compile(r"^[A-Za-z0-9_-]{12,64}$")
YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "music.youtube.com"}
SHORT_HOSTS = {"youtu.be", "www.youtu.be"}
NOCOOKIE_HOSTS = {"youtube-nocookie.com", "www.youtube-nocookie.com"}
ALL_HOSTS = YOUTUBE_HOSTS | SHORT_HOSTS | NOCOOKIE_HOSTS
EMBED_BASE = "https://www.youtube-nocookie.com/embed/"
_TIME_UNITS = re.compile(r"^(?:(?P<h>\d+)h)?(?:(?P<m>\d+)m)?(?:(?P<s>\d+)s?)?$")
_CLOCK = re.compile(r"^(?:(?P<h>\d+):)?(?P<m>\d{1,2}):(?P<s>\d{2})$")


class InvalidVideoUrl(ValueError):
    """A YouTube address (or time) that is not usable; ``str()`` is the German message."""


@dataclass(frozen=True)
class VideoRef:
    """One video (or playlist) with its timing, independent of how the URL was written."""

    video_id: str | None
    playlist: str | None = None
    start: int | None = None
    end: int | None = None
    shorts: bool = False

    @property
    def key(self) -> str:
        """Name of the cached files in content/media/youtube/ (video ID, else playlist ID)."""
        return self.video_id or str(self.playlist)

    def watch_url(self) -> str:
        """Where the video lives on YouTube (the no-JavaScript link)."""
        if self.video_id is None:
            return "https://www.youtube.com/playlist?" + urlencode({"list": self.playlist})
        if self.shorts:
            return f"https://www.youtube.com/shorts/{self.video_id}"
        query = {"v": self.video_id}
        if self.playlist:
            query["list"] = self.playlist
        if self.start:
            query["t"] = f"{self.start}s"
        return "https://www.youtube.com/watch?" + urlencode(query)

    def embed_url(self, autoplay: bool = False) -> str:
        """The youtube-nocookie player address (loaded only after consent)."""
        path = self.video_id or "videoseries"
        query: dict[str, str | int] = {}
        if autoplay:
            query["autoplay"] = 1
        if self.playlist:
            query["list"] = self.playlist
        if self.start:
            query["start"] = self.start
        if self.end:
            query["end"] = self.end
        query["rel"] = 0
        query["playsinline"] = 1
        return EMBED_BASE + path + "?" + urlencode(query)


def parse_time(value: str) -> int:
    """Seconds from ``90``, ``90s``, ``1m30s``, ``1h2m3s``, ``1:30`` or ``1:02:03``."""
    text = value.strip().lower()
    match = _CLOCK.match(text)
    if match:
        hours = int(match.group("h") or 0)
        minutes, seconds = int(match.group("m")), int(match.group("s"))
        if seconds < 60 and (not match.group("h") or minutes < 60):
            return hours * 3600 + minutes * 60 + seconds
    match = _TIME_UNITS.match(text)
    if text and match:
        return (
            int(match.group("h") or 0) * 3600 + int(match.group("m") or 0) * 60 + int(match.group("s") or 0)
        )
    raise InvalidVideoUrl(
        f"Die Zeitangabe „{value}“ ist ungültig. Erlaubt sind z. B. „90“, „1:30“ oder „1m30s“."
    )


def _check_id(candidate: str, url: str) -> str:
    if not VIDEO_ID.match(candidate):
        raise InvalidVideoUrl(
            f"„{url}“ enthält keine gültige Video-ID („{candidate}“): "
            "eine YouTube-ID hat genau 11 Zeichen aus Buchstaben, Ziffern, „-“ und „_“."
        )
    return candidate


def parse_youtube_url(url: str) -> VideoRef:
    """Parse ``url`` into a ``VideoRef`` or raise ``InvalidVideoUrl`` (German message)."""
    raw = url.strip()
    if not raw:
        raise InvalidVideoUrl("Die Video-Adresse ist leer.")
    if "://" not in raw:
        raw = "https://" + raw
    parts = urlsplit(raw)
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or host not in ALL_HOSTS:
        raise InvalidVideoUrl(f"„{url}“ ist keine YouTube-Adresse.")
    query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
    fragment = {k: v[-1] for k, v in parse_qs(parts.fragment).items()}
    segments = [s for s in parts.path.split("/") if s]
    shorts = False
    video_id: str | None
    if host in SHORT_HOSTS:
        if len(segments) != 1:
            raise InvalidVideoUrl(f"„{url}“ nennt kein Video (erwartet: youtu.be/VIDEO-ID).")
        video_id = _check_id(segments[0], url)
    elif segments == ["watch"]:
        if "v" not in query:
            raise InvalidVideoUrl(f"„{url}“ nennt kein Video: der Parameter „v=“ fehlt.")
        video_id = _check_id(query["v"], url)
    elif segments == ["playlist"] or segments == ["embed", "videoseries"]:
        video_id = None
    elif len(segments) == 2 and segments[0] in ("shorts", "live", "embed", "v", "e"):
        shorts = segments[0] == "shorts"
        video_id = _check_id(segments[1], url)
    else:
        raise InvalidVideoUrl(
            f"„{url}“ ist keine Adresse eines einzelnen Videos oder einer Playlist "
            "(Kanal- und Suchseiten lassen sich nicht einbetten)."
        )
    playlist = query.get("list") or None
    if playlist is not None and not LIST_ID.match(playlist):
        raise InvalidVideoUrl(f"„{url}“ enthält keine gültige Playlist-ID („{playlist}“).")
    if video_id is None and playlist is None:
        raise InvalidVideoUrl(f"„{url}“ nennt weder ein Video noch eine Playlist (Parameter „list=“ fehlt).")
    start_text = query.get("start") or query.get("t") or fragment.get("t")
    end_text = query.get("end")
    try:
        start = parse_time(start_text) if start_text else None
        end = parse_time(end_text) if end_text else None
    except InvalidVideoUrl as exc:
        raise InvalidVideoUrl(f"„{url}“: {exc}") from None
    ref = VideoRef(video_id, playlist, start or None, end, shorts)
    return check_timing(ref, url)


def check_timing(ref: VideoRef, url: str) -> VideoRef:
    """End must come after start."""
    if ref.end is not None and ref.end <= (ref.start or 0):
        raise InvalidVideoUrl(
            f"„{url}“: das Ende ({ref.end} s) muss nach dem Start ({ref.start or 0} s) liegen."
        )
    return ref


def with_times(ref: VideoRef, start: int | None, end: int | None, url: str) -> VideoRef:
    """``ref`` with explicitly given start/end (from the explicit form) applied."""
    new = replace(
        ref, start=start if start is not None else ref.start, end=end if end is not None else ref.end
    )
    return check_timing(new, url)
