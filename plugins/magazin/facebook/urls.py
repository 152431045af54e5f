"""Facebook addresses: which name a post or a video that Facebook's plugins can show, and the
plain address each stands for.

Accepted (any of the hosts ``facebook.com``, ``www.``, ``m.``, ``web.``, ``mbasic.``,
``de-de.``…; tracking parameters such as ``fbclid``, ``__cft__[0]``, ``__tn__``, ``mibextid``,
``rdid`` are dropped):

- posts: ``/<page>/posts/<id or pfbid…>``, ``/permalink.php?story_fbid=…&id=…``,
  ``/story.php?story_fbid=…&id=…``, ``/photo.php?fbid=…``, ``/photo/?fbid=…``,
  ``/<page>/photos/<album>/<id>/``;
- videos: ``/<page>/videos/<id>/`` (also with a title segment before the id),
  ``/watch/?v=<id>``, ``/watch/live/?v=<id>``, ``/video.php?v=<id>``, ``/reel/<id>`` (upright),
  and the short links ``https://fb.watch/<code>/`` that „Teilen → Link kopieren“ gives for a
  video (Facebook's video plugin follows them).

Refused with a German reason: pages and profiles, groups, events, the short links of
„Teilen“ for posts (``/share/p/…``, ``/share/…``: only a browser resolves them), the link
shim ``l.facebook.com/l.php?u=…`` and anything else on Facebook.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

HOST = re.compile(r"^(?:[a-z]{2}-[a-z]{2}\.|www\.|m\.|web\.|mbasic\.|mobile\.|touch\.)?facebook\.com$")
SHORT_HOSTS = ("fb.watch",)
SHIM_HOSTS = ("l.facebook.com", "lm.facebook.com")
# An address as the "URL alone on its line" rule takes it: any Facebook host, scheme optional.
FACEBOOK_URL = re.compile(
    r"^(?:https?:)?(?://)?(?:[a-z0-9-]+\.)?(?:facebook\.com|fb\.watch)(?:[/?#]\S*)?$", re.IGNORECASE
)

_ID = r"\d{1,25}"
_PFBID = r"pfbid0[0-9A-Za-z]{20,80}"
_NAME = r"[A-Za-z0-9.\-_]{1,80}"
_POST_PATH = re.compile(rf"^/(?P<page>{_NAME})/posts/(?P<id>{_ID}|{_PFBID})/?$")
_PHOTOS_PATH = re.compile(rf"^/(?P<page>{_NAME})/photos/(?:(?:a|pcb)\.{_ID}/)?(?P<id>{_ID})/?$")
_VIDEO_PATH = re.compile(rf"^/(?P<page>{_NAME})/videos/(?:[^/]{{1,200}}/)?(?P<id>{_ID})/?$")
_REEL_PATH = re.compile(rf"^/reels?/(?P<id>{_ID})/?$")
_SHORT_PATH = re.compile(r"^/(?P<code>[A-Za-z0-9_-]{4,20})/?$")
_NUMBER = re.compile(rf"^{_ID}$")


class InvalidFacebookUrl(ValueError):
    """A Facebook address that names no post or video (German message)."""


@dataclass(frozen=True)
class FacebookRef:
    """One post or video: ``kind`` is "post" or "video"; ``url`` the plain address Facebook's
    plugin gets as ``href``; ``upright`` for a reel (9:16); ``page`` the page's name if the
    address shows it; ``key`` a stable id for anchors and ``article.embeds``."""

    kind: str
    url: str
    key: str
    page: str = ""
    upright: bool = False


def is_facebook_url(url: str) -> bool:
    """Whether ``url`` is an address on Facebook (the build's "URL alone on its line" rule)."""
    return bool(FACEBOOK_URL.match(url.strip()))


def _split(url: str):
    url = url.strip().replace("&amp;", "&")
    if url.startswith("//"):
        url = "https:" + url
    elif "://" not in url:
        url = "https://" + url
    return urlsplit(url)


def _query(parts) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(parts.query).items() if v and v[0]}


def has_tracking(url: str) -> bool:
    """Whether the address carries Facebook's click marker ``fbclid``."""
    if "fbclid=" not in url:
        return False
    try:
        return "fbclid" in _query(_split(url))
    except ValueError:  # not an address at all, e.g. "[Anschrift]" alone on a line
        return False


def parse_facebook_url(url: str) -> FacebookRef:
    """The post or video ``url`` names, or ``InvalidFacebookUrl`` with the German reason."""
    try:
        parts = _split(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        raise InvalidFacebookUrl("die Adresse ist nicht lesbar") from None
    query = _query(parts)
    path = re.sub(r"/{2,}", "/", parts.path or "/")
    if host in SHIM_HOSTS:
        target = unquote(query.get("u", "")) or "die eigentliche Adresse"
        raise InvalidFacebookUrl(
            "das ist eine Weiterleitung von Facebook mit Tracking-Kennung, kein Beitrag; "
            f"sie führt zu {target}"
        )
    if host in SHORT_HOSTS:
        match = _SHORT_PATH.match(path)
        if not match:
            raise InvalidFacebookUrl("ein fb.watch-Link hat die Form https://fb.watch/<Kennung>/")
        code = match.group("code")
        return FacebookRef("video", f"https://fb.watch/{code}/", f"fbwatch-{code}")
    if not HOST.match(host):
        raise InvalidFacebookUrl(f"„{host}“ ist keine Adresse von Facebook")
    www = "https://www.facebook.com"
    if match := _POST_PATH.match(path):
        page, post = match.group("page"), match.group("id")
        return FacebookRef("post", f"{www}/{page}/posts/{post}", f"post-{post}", page)
    if match := _PHOTOS_PATH.match(path):
        page, photo = match.group("page"), match.group("id")
        return FacebookRef("post", f"{www}{path.rstrip('/')}/", f"photo-{photo}", page)
    if path.rstrip("/") in ("/permalink.php", "/story.php"):
        story, owner = query.get("story_fbid", ""), query.get("id", "")
        if not (re.fullmatch(rf"{_ID}|{_PFBID}", story) and _NUMBER.match(owner)):
            raise InvalidFacebookUrl("der Adresse fehlt „story_fbid=…&id=…“ des Beitrags")
        return FacebookRef(
            "post", f"{www}/permalink.php?{urlencode({'story_fbid': story, 'id': owner})}", f"post-{story}"
        )
    if path.rstrip("/") in ("/photo.php", "/photo"):
        photo = query.get("fbid", "")
        if not _NUMBER.match(photo):
            raise InvalidFacebookUrl("der Adresse fehlt „fbid=…“ des Fotos")
        return FacebookRef("post", f"{www}/photo.php?fbid={photo}", f"photo-{photo}")
    if match := _VIDEO_PATH.match(path):
        page, video = match.group("page"), match.group("id")
        return FacebookRef("video", f"{www}/{page}/videos/{video}/", f"video-{video}", page)
    if path.rstrip("/") in ("/watch", "/watch/live", "/video.php"):
        video = query.get("v", "")
        if not _NUMBER.match(video):
            raise InvalidFacebookUrl("der Adresse fehlt „v=…“ mit der Nummer des Videos")
        return FacebookRef("video", f"{www}/watch/?v={video}", f"video-{video}")
    if match := _REEL_PATH.match(path):
        reel = match.group("id")
        return FacebookRef("video", f"{www}/reel/{reel}", f"reel-{reel}", upright=True)
    raise InvalidFacebookUrl(_why_not(path))


def _why_not(path: str) -> str:
    first = path.strip("/").split("/", 1)[0].lower()
    if first == "share":
        return "das ist ein Kurzlink aus „Teilen“, den erst ein Browser zur Beitragsadresse auflöst"
    if first in ("groups", "events", "hashtag", "search", "sharer", "sharer.php", "dialog", "login"):
        return (
            "das ist eine Gruppe, Veranstaltung, Suche oder Teilen-Seite, "
            "kein einzelner Beitrag und kein Video"
        )
    if first in ("", "profile.php", "pg") or (re.fullmatch(_NAME, first) and path.strip("/").count("/") <= 1):
        return "das ist eine Seite oder ein Profil, kein einzelner Beitrag und kein Video"
    return "die Adresse nennt keinen einzelnen Beitrag und kein Video"


def plugin_src(
    ref: FacebookRef, *, locale: str, post_width: int, video_width: int, autoplay: bool = False
) -> str:
    """Address of Facebook's own plugin frame for ``ref`` (``/plugins/post.php`` or ``video.php``)."""
    if ref.kind == "post":
        params = {"href": ref.url, "show_text": "true", "width": str(post_width), "locale": locale}
        return "https://www.facebook.com/plugins/post.php?" + urlencode(params)
    params = {"href": ref.url, "show_text": "false", "width": str(video_width), "locale": locale}
    if autoplay:
        params["autoplay"] = "true"
    return "https://www.facebook.com/plugins/video.php?" + urlencode(params)
