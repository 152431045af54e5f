"""Parse every form of YouTube address an author pastes into one validated ``VideoRef``.

Understood: ``watch?v=``, ``youtu.be/``, ``/shorts/`` (9:16), ``/live/``, ``/embed/``, ``/v/``,
``youtube-nocookie.com``, the ``m.``/``music.`` hosts, playlists (``list=``, ``/playlist``,
``/embed/videoseries``) and start/end times (``t=1m30s``, ``t=90``, ``start=``, ``end=``,
``#t=…``, ``time_continue=``). The video ID is checked strictly: exactly 11 characters
``[A-Za-z0-9_-]``. Errors are ``InvalidVideoUrl`` with a German message for the author.

Wrappers are unwrapped first (``unwrap_youtube_url``): the ``consent.youtube.com/…?continue=``
address a logged-out visitor in the EU copies, ``attribution_link?u=…``, ``&amp;`` from copied
HTML, protocol-relative ``//www.youtube.com/…`` and ``youtu.be/ID&feature=…``. As YouTube does,
the first ``v=`` of a query wins. Mixes and radios (``list=RD…``) and personal lists (``LL``,
``WL``, ``UL…``) are dropped when a video is named: the embedded player cannot show them.
``canonical_url()`` is the plain address ``invoke check`` suggests when it differs.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, replace
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

VIDEO_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
LIST_ID = re.compile(r"^[A-Za-z0-9_-]{12,64}$")
YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "music.youtube.com"}
SHORT_HOSTS = {"youtu.be", "www.youtu.be"}
NOCOOKIE_HOSTS = {"youtube-nocookie.com", "www.youtube-nocookie.com"}
ALL_HOSTS = YOUTUBE_HOSTS | SHORT_HOSTS | NOCOOKIE_HOSTS
CONSENT_HOSTS = {"consent.youtube.com"}
# Lists the embedded player cannot show: mixes/radios (RD…, e.g. RDMM, RDAMVM…) are built per
# viewer, LL/WL/UL… are personal. With a video they are dropped, alone they are refused.
UNPLAYABLE_LIST = re.compile(r"^(?:RD|LL|WL|UL)")
# Path words that look like an 11-character ID but are not one.
RESERVED_IDS = {"live_stream", "videoseries"}
CHANNEL_WORDS = {"channel", "c", "user", "@"}
VIDEO_PARAMS = ("t", "start", "end", "list", "time_continue")
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


def unwrap_youtube_url(url: str) -> str:
    """The YouTube address inside the wrappers an author copies along (see module docstring)."""
    raw = url.strip().strip("<>").strip()
    for _ in range(3):  # a consent page may wrap an attribution link: unwrap a few levels
        if "&amp;" in raw or "&#38;" in raw:
            raw = html.unescape(raw)
        if raw.startswith("//"):
            raw = "https:" + raw
        if "://" not in raw:
            raw = "https://" + raw
        parts = urlsplit(raw)
        host = (parts.hostname or "").lower()
        query = parse_qs(parts.query, keep_blank_values=True)
        if host in CONSENT_HOSTS and query.get("continue"):
            raw = _continue_target(raw, query)
            continue
        if host in YOUTUBE_HOSTS and parts.path.rstrip("/") == "/attribution_link" and query.get("u"):
            target = unquote(query["u"][0]) if "%" in query["u"][0] else query["u"][0]
            raw = "https://www.youtube.com" + ("" if target.startswith("/") else "/") + target
            continue
        if host in SHORT_HOSTS and "&" in parts.path and not parts.query:
            path, _, rest = parts.path.partition("&")  # youtu.be/ID&feature=share
            raw = f"https://youtu.be{path}?{rest}" + (f"#{parts.fragment}" if parts.fragment else "")
        break
    return raw


def _continue_target(raw: str, query: dict[str, list[str]]) -> str:
    """The ``continue=`` address of a consent page.

    Percent-encoded it is complete. Copied unencoded (``continue=https://…/watch?v=ID&t=30&gl=DE``)
    the video's own parameters land in the consent page's query: they are taken back.
    """
    target = query["continue"][0]
    if "%3F" in raw.split("continue=", 1)[1][:200].upper() or "?" not in target:
        return target
    extra = {name: values[0] for name, values in query.items() if name in VIDEO_PARAMS}
    return target + ("&" + urlencode(extra) if extra else "")


def canonical_url(ref: VideoRef) -> str:
    """The plain address of ``ref`` (what ``invoke check`` suggests instead of a wrapped one)."""
    url = ref.watch_url()
    if ref.end and ref.video_id and not ref.shorts:
        url += "&" + urlencode({"end": ref.end})
    return url


def _first(query: dict[str, list[str]], name: str) -> str | None:
    values = query.get(name)
    return values[0] if values else None


def _not_a_video(url: str, segments: list[str], query: dict[str, list[str]]) -> InvalidVideoUrl:
    """Why an address of YouTube names no single video, by what it is."""
    head = segments[0] if segments else ""
    if segments[:2] == ["embed", "live_stream"] or head == "live_stream":
        channel = _first(query, "channel") or "…"
        return InvalidVideoUrl(
            f"„{url}“ ist der Livestream eines Kanals (Kanal {channel}), kein einzelnes Video: er zeigt, "
            "was der Kanal gerade sendet, und ist danach leer. Bette die Sendung selbst ein "
            "(ihre Adresse youtube.com/live/VIDEO-ID oder watch?v=VIDEO-ID) oder verlinke den Kanal."
        )
    if head in CHANNEL_WORDS or head.startswith("@"):
        what = "die Seite eines Nutzers" if head == "user" else "eine Kanalseite"
        return InvalidVideoUrl(
            f"„{url}“ ist {what}, kein einzelnes Video. Kanäle lassen sich nicht einbetten: "
            "verlinke ihn mit [Text](Adresse) oder wähle ein Video des Kanals."
        )
    if head == "results" or "search_query" in query:
        return InvalidVideoUrl(
            f"„{url}“ ist eine YouTube-Suche, kein einzelnes Video. Öffne das gewünschte Video "
            "und kopiere dessen Adresse."
        )
    if head in ("feed", "hashtag", "gaming", "premium", "music"):
        return InvalidVideoUrl(f"„{url}“ ist eine Übersichtsseite von YouTube, kein einzelnes Video.")
    return InvalidVideoUrl(
        f"„{url}“ ist keine Adresse eines einzelnen Videos oder einer Playlist "
        "(Kanal- und Suchseiten lassen sich nicht einbetten)."
    )


def parse_youtube_url(url: str) -> VideoRef:
    """Parse ``url`` into a ``VideoRef`` or raise ``InvalidVideoUrl`` (German message)."""
    if not url.strip():
        raise InvalidVideoUrl("Die Video-Adresse ist leer.")
    raw = unwrap_youtube_url(url)
    parts = urlsplit(raw)
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or host not in ALL_HOSTS:
        if host in CONSENT_HOSTS:
            raise InvalidVideoUrl(
                f"„{url}“ ist die Zustimmungsseite von YouTube ohne Ziel-Adresse. Stimme zu oder lehne ab "
                "und kopiere dann die Adresse des Videos."
            )
        raise InvalidVideoUrl(f"„{url}“ ist keine YouTube-Adresse.")
    query = parse_qs(parts.query, keep_blank_values=True)
    fragment = parse_qs(parts.fragment)
    segments = [s for s in parts.path.split("/") if s]
    shorts = False
    video_id: str | None
    if host in SHORT_HOSTS:
        if len(segments) != 1:
            raise InvalidVideoUrl(f"„{url}“ nennt kein Video (erwartet: youtu.be/VIDEO-ID).")
        video_id = _check_id(segments[0], url)
    elif segments == ["watch"]:
        if not _first(query, "v"):
            raise InvalidVideoUrl(f"„{url}“ nennt kein Video: der Parameter „v=“ fehlt.")
        video_id = _check_id(_first(query, "v"), url)  # type: ignore[arg-type]
    elif segments == ["playlist"] or segments == ["embed", "videoseries"]:
        video_id = None
    elif (
        len(segments) == 2
        and segments[0] in ("shorts", "live", "embed", "v", "e")
        and (segments[1] not in RESERVED_IDS)
    ):
        shorts = segments[0] == "shorts"
        video_id = _check_id(segments[1], url)
    else:
        raise _not_a_video(url, segments, query)
    playlist = _first(query, "list") or None
    if playlist is not None and (UNPLAYABLE_LIST.match(playlist) or not LIST_ID.match(playlist)):
        if video_id is None:
            kind = "ein Mix (von YouTube für jeden Zuschauer neu zusammengestellt)"
            if not UNPLAYABLE_LIST.match(playlist):
                raise InvalidVideoUrl(f"„{url}“ enthält keine gültige Playlist-ID („{playlist}“).")
            if not playlist.startswith("RD"):
                kind = "eine persönliche Liste"
            raise InvalidVideoUrl(f"„{url}“ ist {kind}, keine Playlist, die sich einbetten lässt.")
        playlist = None  # the video alone: what the author wanted to show
    if video_id is None and playlist is None:
        raise InvalidVideoUrl(f"„{url}“ nennt weder ein Video noch eine Playlist (Parameter „list=“ fehlt).")
    start_text = next(
        (v for v in (_first(query, n) for n in ("start", "t", "time_continue")) if v), _first(fragment, "t")
    )
    end_text = _first(query, "end")
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
