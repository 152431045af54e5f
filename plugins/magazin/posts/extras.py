"""What real posts carry beyond text and images: content warnings, sensitive media, polls,
custom emoji, videos, boosts, the addresses a post was imported from, and unknown languages.

The optional keys of a post file (``model.py`` lists the required ones)::

    "spoiler_text": "Inhaltswarnung",          # Mastodon's content warning: text and media hidden
    "sensitive": true,                          # media hidden behind a click (no JavaScript)
    "poll": {"options": ["Ja", "Nein"]},        # shown as a static list marked „Umfrage“
    "emojis": [{"shortcode": "heco", "file": "emoji/….png"}],  # copied to our origin on import
    "shared_at": "2026-11-20T09:15:00+01:00",   # boosts: when it was shared; "date" is the original's
    "aliases": ["https://<home>/@user@<origin>/<id>"],          # addresses it was imported from
    "media": [{"file": "…", "alt": "…", "kind": "video"}]       # "video": the poster of a video/GIF

Hidden parts use ``<details>``/``<summary>``, so they work without JavaScript, as Mastodon's own
web interface does. Custom emoji are ``<img alt=":shortcode:">`` from our own origin, never
hot-linked. A language is kept only when it is one: X's and Mastodon's ``und``, ``zxx``,
``qme``, ``qht``, … and ``null`` give no ``lang`` attribute at all (``known_lang``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from magazin.german.dates import date_de

# "Unknown" in the platforms' language fields: undetermined, no linguistic content, and X's
# private-use codes (qme media only, qht hashtags only, qam mentions only, qct cashtags, qst
# very short, …: the whole private-use block qaa–qtz).
_UNKNOWN_LANGS = {"", "und", "zxx", "mis", "null", "none"}
_PRIVATE_USE = re.compile(r"^q[a-t][a-z]$")
_LANG = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
_SHORTCODE = re.compile(r"^[A-Za-z0-9_]{1,64}$")
_EMOJI_IN_TEXT = re.compile(r":([A-Za-z0-9_]{1,64}):")
_TAG = re.compile(r"(<[^>]*>)")


def known_lang(value: object) -> str:
    """The language code when it names a language, else "" (no ``lang`` attribute)."""
    if not isinstance(value, str):
        return ""
    code = value.strip()
    lower = code.lower()
    if lower in _UNKNOWN_LANGS or _PRIVATE_USE.match(lower) or not _LANG.match(code):
        return ""
    return code


@dataclass(frozen=True)
class Emoji:
    """A custom emoji copied into the posts folder (``file`` relative to it)."""

    shortcode: str
    file: str


def parse_extras(check, data: dict, posts_dir: Path) -> dict:
    """The optional keys above as ``Post`` keyword arguments; problems go to ``check.error``."""
    extras: dict = {}
    spoiler = data.get("spoiler_text", "")
    if not isinstance(spoiler, str):
        check.error("spoiler_text", "muss ein Text sein.")
        spoiler = ""
    extras["spoiler"] = spoiler.strip()
    sensitive = data.get("sensitive", False)
    if not isinstance(sensitive, bool):
        check.error("sensitive", "muss true oder false sein.")
        sensitive = False
    extras["sensitive"] = sensitive
    poll = data.get("poll")
    options: list[str] = []
    if poll is not None:
        raw = poll.get("options") if isinstance(poll, dict) else None
        if not isinstance(raw, list) or not raw or not all(isinstance(o, str) and o.strip() for o in raw):
            check.error("poll", 'muss die Form {"options": ["…", "…"]} haben.')
        else:
            options = [o.strip() for o in raw]
    extras["poll"] = tuple(options)
    emojis: list[Emoji] = []
    for index, item in enumerate(data.get("emojis") or []):
        code = item.get("shortcode") if isinstance(item, dict) else None
        rel = item.get("file") if isinstance(item, dict) else None
        if not isinstance(code, str) or not _SHORTCODE.match(code) or not isinstance(rel, str):
            check.error(f"emojis[{index}]", "braucht „shortcode“ und „file“.", parent="emojis")
            continue
        if rel.startswith("/") or ".." in Path(rel).parts or not (posts_dir / rel).is_file():
            check.error(
                f"emojis[{index}].file",
                f"die Bilddatei „{rel}“ fehlt.",
                "Importiere den Beitrag erneut (das Emoji wird dabei kopiert).",
                parent="emojis",
            )
            continue
        emojis.append(Emoji(code, rel))
    extras["emojis"] = tuple(emojis)
    shared = data.get("shared_at")
    extras["shared_at"] = None
    if shared is not None:
        extras["shared_at"] = _parse_date(shared) if isinstance(shared, str) else None
        if extras["shared_at"] is None:
            check.error("shared_at", f"„{shared}“ ist kein Datum mit Uhrzeit und Zeitzone.")
    aliases = data.get("aliases") or []
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        check.error("aliases", "muss eine Liste von Adressen sein.")
        aliases = []
    extras["aliases"] = tuple(aliases)
    return extras


def _parse_date(value: str) -> dt.datetime | None:
    """ISO 8601 with time zone (as ``date`` in ``model.py``), else None."""
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


# --- rendering -------------------------------------------------------------------------------

MediaUrl = Callable[[str], str]
EMOJI_IMG = Markup('<img class="emoji" src="{src}" alt=":{code}:" title=":{code}:" width="20" height="20">')
VIDEO_POSTER = Markup(
    '<span class="post-card__video">{image}<span class="post-card__media-label">Video</span></span>'
)


def with_emoji(html: Markup | str, emojis: tuple[Emoji, ...], media_url: MediaUrl) -> Markup:
    """``:shortcode:`` in the text parts of trusted ``html`` → the local emoji image."""
    if not emojis:
        return Markup(html)  # noqa: S704 - the caller passes escaped or sanitised HTML
    known = {e.shortcode: e for e in emojis}

    def image(match: re.Match) -> str:
        emoji = known.get(match.group(1))
        if emoji is None:
            return match.group(0)
        return str(EMOJI_IMG.format(src=media_url(emoji.file), code=emoji.shortcode))

    parts = _TAG.split(str(html))
    return Markup("".join(p if p.startswith("<") else _EMOJI_IN_TEXT.sub(image, p) for p in parts))  # noqa: S704


def media_html(post, media_url: MediaUrl) -> Markup:
    """The post's local images; a video's or GIF's poster is marked „Video“."""
    if not post.media:
        return Markup("")
    items = []
    for m in post.media:
        image = Markup('<img src="{src}" alt="{alt}"{size} loading="lazy" decoding="async">').format(
            src=media_url(m.file),
            alt=m.alt,
            size=Markup(' width="{w}" height="{h}"').format(w=m.width, h=m.height) if m.width else "",
        )
        if getattr(m, "kind", "image") == "video":
            image = VIDEO_POSTER.format(image=image)
        items.append(image)
    count = " post-card__media--multi" if len(post.media) > 1 else ""
    media = Markup('<div class="post-card__media{count}">{images}</div>').format(
        count=count, images=Markup("").join(items)
    )
    if getattr(post, "sensitive", False) and not getattr(post, "spoiler", ""):
        return Markup(
            '<details class="post-card__sensitive"><summary>Sensible Inhalte – Medien anzeigen</summary>'
            "{media}</details>"
        ).format(media=media)
    return media


def poll_html(post) -> Markup:
    options = getattr(post, "poll", ())
    if not options:
        return Markup("")
    items = Markup("").join(Markup("<li>{o}</li>").format(o=o) for o in options)
    return Markup(
        '<div class="post-card__poll"><p class="post-card__poll-label">Umfrage</p>'
        '<ul class="post-card__poll-options">{items}</ul></div>'
    ).format(items=items)


def body_html(post, text: Markup, media_url: MediaUrl) -> Markup:
    """Text, media and poll; behind the content warning when the post has one."""
    lang = known_lang(post.lang)
    text_div = Markup('<div class="post-card__text"{lang}>{text}</div>').format(
        lang=Markup(' lang="{0}"').format(lang) if lang else "",
        text=with_emoji(text, post_emojis(post), media_url),
    )
    inner = text_div + media_html(post, media_url) + poll_html(post)
    spoiler = getattr(post, "spoiler", "")
    if not spoiler:
        return inner
    return Markup(
        '<details class="post-card__cw"><summary><span class="post-card__cw-label">Inhaltswarnung:</span> '
        '{spoiler} <span class="post-card__cw-more">(Beitrag anzeigen)</span></summary>{inner}</details>'
    ).format(spoiler=with_emoji(Markup.escape(spoiler), post_emojis(post), media_url), inner=inner)


def post_emojis(post) -> tuple[Emoji, ...]:
    return getattr(post, "emojis", ())


def name_html(name: str, post, media_url: MediaUrl) -> Markup:
    return with_emoji(Markup.escape(name), post_emojis(post), media_url)


def shared_context(post, media_url: MediaUrl) -> Markup:
    """„heco gmbh hat am 20. November 2026 geteilt“ (the card's date is the original's)."""
    shared: dt.datetime | None = getattr(post, "shared_at", None)
    name = name_html(post.author.name, post, media_url)
    if shared is None:
        return Markup('<p class="post-card__context">{name} hat geteilt</p>').format(name=name)
    return Markup(
        '<p class="post-card__context">{name} hat am <time datetime="{iso}">{date}</time> geteilt</p>'
    ).format(name=name, iso=shared.isoformat(), date=date_de(shared))
