"""Import the latest posts of an X account through the X API v2 (user timeline).

Needs a bearer token in the environment variable ``X_BEARER_TOKEN`` (setting
``token_env``). The base URL is configurable (tests point it at 127.0.0.1).
"""

from __future__ import annotations

import os
from pathlib import Path

from ..extras import known_lang
from .base import HttpClient, ImportFailed, ImportReport, PostStore, local_date, parse_iso
from .x_text import x_text_html

X_API_BASE = "https://api.x.com/2"
TOKEN_ENV = "X_BEARER_TOKEN"  # noqa: S105 - the variable name, not a token
TWEET_FIELDS = "created_at,entities,referenced_tweets,attachments,lang,in_reply_to_user_id,author_id"
EXPANSIONS = "attachments.media_keys,referenced_tweets.id,referenced_tweets.id.author_id,in_reply_to_user_id"


def _auth_hint(token_env: str) -> str:
    return (
        f"Das Bearer-Token in der Umgebungsvariable {token_env} fehlt, ist abgelaufen oder ungültig. "
        "Bitte ein gültiges Token aus dem X-Entwicklerportal setzen: export "
        f"{token_env}=…"
    )


def normalize_tweet(tweet: dict, user: dict, includes: dict, store: PostStore, client: HttpClient) -> dict:
    """One API v2 tweet as our JSON post (downloads its images into the store)."""
    users = {u["id"]: u for u in includes.get("users", [])}
    tweets = {t["id"]: t for t in includes.get("tweets", [])}
    media_by_key = {m["media_key"]: m for m in includes.get("media", [])}
    refs = {r["type"]: r["id"] for r in tweet.get("referenced_tweets", [])}
    source = tweet
    post: dict = {}
    if "retweeted" in refs and refs["retweeted"] in tweets:
        source = tweets[refs["retweeted"]]
        original = users.get(source.get("author_id", ""), {})
        if original:
            post["original_author"] = {"name": original.get("name", ""), "handle": "@" + original["username"]}
    entities = source.get("entities", {})
    keys = source.get("attachments", {}).get("media_keys", [])
    media_links = {
        u["url"]
        for u in entities.get("urls", [])
        if u.get("media_key")
        or "/photo/" in u.get("expanded_url", "")
        or "/video/" in u.get("expanded_url", "")
    }
    text, links = x_text_html(source.get("text", ""), entities.get("urls", []), media_links)
    url = f"https://x.com/{user['username']}/status/{tweet['id']}"
    media = []
    for number, key in enumerate(keys, start=1):
        item = media_by_key.get(key, {})
        image_url = item.get("url") or item.get("preview_image_url")
        if not image_url:
            continue
        rel = store.save_image(client.get_bytes(image_url), f"x-{tweet['id']}-{number}")
        alt = item.get("alt_text") or f"Bild zum Beitrag von {user.get('name', user['username'])}"
        entry = {"file": rel, "alt": alt}
        if item.get("type") in ("video", "animated_gif"):  # the poster (preview_image_url)
            entry["kind"] = "video"
        media.append(entry)
    reply_to = ""
    if "replied_to" in refs:
        target = users.get(tweet.get("in_reply_to_user_id", ""))
        reply_to = "@" + target["username"] if target else ""
    post = {
        "platform": "x",
        "id": tweet["id"],
        "url": url,
        "author": {"name": user.get("name") or user["username"], "handle": "@" + user["username"]},
        "date": local_date(parse_iso(tweet["created_at"])),
        "text": text,
        "links": links,
        "media": media,
        "reply": "replied_to" in refs,
        "repost": "retweeted" in refs,
        **post,
        "source": "x-api",
    }
    lang = known_lang(tweet.get("lang"))
    if lang:
        post["lang"] = lang
    if reply_to:
        post["in_reply_to"] = reply_to
    return post


def fetch_x_timeline(
    username: str,
    folder: str | Path,
    *,
    token: str | None = None,
    count: int = 20,
    api_base: str = X_API_BASE,
    token_env: str = TOKEN_ENV,
    client: HttpClient | None = None,
) -> ImportReport:
    """Store the newest ``count`` posts of ``username`` (5–100) that are not cached yet."""
    token = token if token is not None else os.environ.get(token_env, "")
    if not token:
        raise ImportFailed(
            f"Kein Bearer-Token: Die Umgebungsvariable {token_env} ist nicht gesetzt. "
            "Ohne Token hilft „invoke import-x-archive“ (Datenarchiv von X) oder „invoke fetch-post --url …“."
        )
    client = client or HttpClient("Die X-API", token=token, auth_hint=_auth_hint(token_env))
    store = PostStore(folder)
    base = api_base.rstrip("/")
    name = username.lstrip("@")
    user = client.get_json(f"{base}/users/by/username/{name}", {"user.fields": "name,username"}).get("data")
    if not user:
        raise ImportFailed(f"Das X-Konto @{name} wurde nicht gefunden.")
    timeline = client.get_json(
        f"{base}/users/{user['id']}/tweets",
        {
            "max_results": max(5, min(100, int(count))),
            "tweet.fields": TWEET_FIELDS,
            "expansions": EXPANSIONS,
            "media.fields": "url,preview_image_url,alt_text,type,width,height",
            "user.fields": "name,username",
        },
    )
    includes = timeline.get("includes", {})
    for tweet in timeline.get("data", []):
        url = f"https://x.com/{user['username']}/status/{tweet['id']}"
        if store.has(url):
            store.report.skipped.append(url)
            continue
        store.add(normalize_tweet(tweet, user, includes, store, client))
    return store.report
