"""Import posts of a Mastodon account through the instance's public API (no token)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

from ..extras import known_lang
from ..model import post_key
from .base import HttpClient, ImportFailed, ImportReport, PostStore, local_date, parse_iso, slug_stem

EMOJI_DIR = "emoji"

_INVISIBLE = re.compile(r'<span class="invisible">[^<]*</span>')
_HANDLE = re.compile(r"^@?(?P<user>[A-Za-z0-9_.-]+)@(?P<host>[A-Za-z0-9.-]+\.[A-Za-z]{2,})$")
AUTH_HINT = (
    "Die Instanz gibt öffentliche Beiträge nur angemeldet heraus; bitte die Instanz-Administration fragen."
)


def parse_handle(handle: str) -> tuple[str, str]:
    """``@heco@social.example`` → ("heco", "social.example")."""
    match = _HANDLE.match(handle.strip())
    if not match:
        raise ImportFailed(f"„{handle}“ ist kein Mastodon-Konto (erwartet z. B. @heco@social.example).")
    return match.group("user"), match.group("host")


def _person(account: dict, fallback_host: str) -> dict:
    acct = account.get("acct") or account.get("username", "")
    if "@" not in acct:
        acct = f"{acct}@{fallback_host}"
    return {"name": account.get("display_name") or account.get("username") or acct, "handle": "@" + acct}


def _emojis(items: list, store: PostStore, client: HttpClient) -> list[dict]:
    """Custom emoji copied to our origin (``emoji/<server>-<shortcode>.<ext>``): never hot-linked."""
    copied: dict[str, dict] = {}
    for item in items:
        code = item.get("shortcode") if isinstance(item, dict) else None
        source = (item.get("static_url") or item.get("url")) if isinstance(item, dict) else None
        if not code or not source or code in copied or not re.fullmatch(r"[A-Za-z0-9_]{1,64}", code):
            continue
        host = urlparse(source).hostname or "emoji"
        stem = slug_stem(f"{host}-{code}")
        existing = (
            sorted((store.folder / EMOJI_DIR).glob(f"{stem}.*"))
            if (store.folder / EMOJI_DIR).is_dir()
            else []
        )
        if existing:
            rel = f"{EMOJI_DIR}/{existing[0].name}"
        else:
            rel = store.save_image(client.get_bytes(source), stem, folder=EMOJI_DIR)
        copied[code] = {"shortcode": code, "file": rel}
    return list(copied.values())


def normalize_status(status: dict, host: str, store: PostStore, client: HttpClient) -> dict | None:
    """One status as our JSON post; None when its address is not a Mastodon status link.

    Kept from the API answer: the content warning (``spoiler_text``) and ``sensitive``,
    images and the posters of videos/GIFs („Video“), a poll's options, custom emoji (copied),
    and for a boost the original's date plus when it was shared (``shared_at``).
    """
    original = status.get("reblog") or status
    url = original.get("url") or ""
    key = post_key(url)
    if key is None or key[0] != "mastodon":
        store.report.notes.append(
            f"{url or original.get('uri')}: keine Mastodon-Beitragsadresse, übersprungen."
        )
        return None
    post_id = key[1].split("/")[-1]
    stem = f"mastodon-{urlparse(url).hostname}-{post_id}"
    media = []
    for number, item in enumerate(original.get("media_attachments", []), start=1):
        kind = item.get("type")
        image_url = item.get("url") if kind == "image" else item.get("preview_url")
        if not image_url or kind == "audio":
            continue
        rel = store.save_image(client.get_bytes(image_url), f"{stem}-{number}")
        entry = {"file": rel, "alt": item.get("description") or "Bild zum Beitrag"}
        if kind in ("video", "gifv"):
            entry["kind"] = "video"
            entry["alt"] = item.get("description") or "Standbild aus dem Video"
        media.append(entry)
    links = []
    card = original.get("card") or {}
    if card.get("url"):
        links.append({"url": card["url"], "title": card.get("title") or ""})
    reblog = status.get("reblog") is not None
    post = {
        "platform": "mastodon",
        "id": post_id,
        "url": url,
        "author": _person(status["account"], host),
        # a boost is dated by the original post; when it was shared is kept beside it
        "date": local_date(parse_iso(original["created_at"])),
        "text": _INVISIBLE.sub("", original.get("content") or ""),
        "links": links,
        "media": media,
        "reply": status.get("in_reply_to_id") is not None,
        "repost": reblog,
        "source": "mastodon",
    }
    lang = known_lang(original.get("language"))
    if lang:
        post["lang"] = lang
    if original.get("spoiler_text"):
        post["spoiler_text"] = original["spoiler_text"]
    if original.get("sensitive") and media:
        post["sensitive"] = True
    options = [o.get("title") for o in (original.get("poll") or {}).get("options", []) if o.get("title")]
    if options:
        post["poll"] = {"options": options}
    emoji_sources = [
        *(original.get("emojis") or []),
        *((original.get("poll") or {}).get("emojis") or []),
        *(original.get("account", {}).get("emojis") or []),
        *(status["account"].get("emojis") or []),
    ]
    emojis = _emojis(emoji_sources, store, client)
    if emojis:
        post["emojis"] = emojis
    if reblog:
        post["original_author"] = _person(original["account"], host)
        post["shared_at"] = local_date(parse_iso(status["created_at"]))
    if post["reply"] and status.get("mentions"):
        post["in_reply_to"] = _person(status["mentions"][0], host)["handle"]
    return post


def fetch_mastodon(
    handle: str, folder: str | Path, *, count: int = 20, base_url: str = "", client: HttpClient | None = None
) -> ImportReport:
    """Store the newest ``count`` public posts of ``handle`` that are not cached yet."""
    user, host = parse_handle(handle)
    base = (base_url or f"https://{host}").rstrip("/")
    client = client or HttpClient(f"Die Mastodon-Instanz {host}", auth_hint=AUTH_HINT)
    store = PostStore(folder)
    account = client.get_json(f"{base}/api/v1/accounts/lookup", {"acct": user})
    statuses = client.get_json(
        f"{base}/api/v1/accounts/{account['id']}/statuses", {"limit": max(1, min(40, int(count)))}
    )
    for status in statuses:
        url = (status.get("reblog") or status).get("url") or ""
        if post_key(url) and store.has(url):
            store.report.skipped.append(url)
            continue
        post = normalize_status(status, host, store, client)
        if post is not None:
            store.add(post)
    return store.report
