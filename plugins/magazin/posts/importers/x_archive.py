"""Import posts from the X data archive ("Download your data"): ``data/tweets.js``.

No token and no network: the text comes from ``tweets.js``, account name and handle from
``account.js`` beside it, and images from ``tweets_media/`` (``<tweet id>-<file name>``).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from .base import ImportFailed, ImportReport, PostStore, local_date
from .x_text import x_text_html

_ASSIGNMENT = re.compile(r"^\s*window\.YTD\.[\w.]+\s*=\s*", re.S)


def read_ytd(path: Path) -> list:
    """The JSON array of a ``window.YTD.<name>.part0 = [...]`` file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ImportFailed(f"{path} lässt sich nicht lesen ({exc.strerror}).") from None
    match = _ASSIGNMENT.match(text)
    if not match:
        raise ImportFailed(f"{path} ist keine Datei aus dem X-Datenarchiv (erwartet „window.YTD.… = [“).")
    try:
        data = json.loads(text[match.end() :].strip().rstrip(";"))
    except json.JSONDecodeError as exc:
        raise ImportFailed(f"{path}: fehlerhafte Daten in Zeile {exc.lineno} ({exc.msg}).") from None
    if not isinstance(data, list):
        raise ImportFailed(f"{path}: erwartet wird eine Liste von Beiträgen.")
    return data


def _account(folder: Path) -> tuple[str, str] | None:
    path = folder / "account.js"
    if not path.is_file():
        return None
    for item in read_ytd(path):
        account = item.get("account", {})
        if account.get("username"):
            return account["username"], account.get("accountDisplayName") or account["username"]
    return None


def import_x_archive(
    tweets_js: str | Path, folder: str | Path, *, username: str = "", display_name: str = ""
) -> ImportReport:
    """Store every post of the archive that is not cached yet."""
    tweets_js = Path(tweets_js)
    if tweets_js.is_dir():
        tweets_js = (
            tweets_js / "data" / "tweets.js" if (tweets_js / "data").is_dir() else tweets_js / "tweets.js"
        )
    account = _account(tweets_js.parent)
    if account is None and not username:
        raise ImportFailed("account.js fehlt neben tweets.js: bitte --user und --name angeben.")
    username = username.lstrip("@") or account[0]  # type: ignore[index]
    display_name = display_name or (account[1] if account else username)
    store = PostStore(folder)
    media_dir = tweets_js.parent / "tweets_media"
    for item in read_ytd(tweets_js):
        tweet = item.get("tweet", item)
        tweet_id = str(tweet.get("id_str") or tweet.get("id") or "")
        if not tweet_id.isdigit():
            store.report.notes.append("Ein Eintrag ohne gültige id wurde übersprungen.")
            continue
        url = f"https://x.com/{username}/status/{tweet_id}"
        if store.has(url):
            store.report.skipped.append(url)
            continue
        entities = tweet.get("entities", {})
        ext_media = tweet.get("extended_entities", {}).get("media") or entities.get("media", [])
        text = tweet.get("full_text") or tweet.get("text") or ""
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
        html_text, links = x_text_html(text, entities.get("urls", []), {m.get("url", "") for m in ext_media})
        media = []
        for number, medium in enumerate(ext_media, start=1):
            source = medium.get("media_url_https") or medium.get("media_url") or ""
            local = media_dir / f"{tweet_id}-{Path(source).name}"
            if not source or not local.is_file():
                store.report.notes.append(f"{url}: Bild {Path(source).name or number} fehlt im Archiv.")
                continue
            rel = store.save_image(local.read_bytes(), f"x-{tweet_id}-{number}")
            media.append(
                {"file": rel, "alt": medium.get("ext_alt_text") or f"Bild zum Beitrag von {display_name}"}
            )
        created = dt.datetime.strptime(tweet["created_at"], "%a %b %d %H:%M:%S %z %Y")
        reply = bool(tweet.get("in_reply_to_status_id_str") or tweet.get("in_reply_to_status_id"))
        post = {
            "platform": "x",
            "id": tweet_id,
            "url": url,
            "author": {"name": display_name, "handle": "@" + username},
            "date": local_date(created),
            "text": html_text,
            "links": links,
            "media": media,
            "reply": reply,
            "repost": repost,
            **post,
            "lang": tweet.get("lang") if tweet.get("lang") not in (None, "und") else "de",
            "source": "x-archive",
        }
        if reply and tweet.get("in_reply_to_screen_name"):
            post["in_reply_to"] = "@" + tweet["in_reply_to_screen_name"]
        store.add(post)
    return store.report
