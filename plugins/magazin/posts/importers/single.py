"""Import one post by its URL: X through the publish oEmbed endpoint, Mastodon through the
instance's public status API. For editors who want to show a single post in an article.

The oEmbed request asks for ``omit_script`` (no widgets.js) and ``dnt`` (no tracking); we
keep only the text, author and date from the answer – never the embed HTML itself.
"""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

from ..extras import known_lang
from ..model import post_key
from .base import BERLIN, HttpClient, ImportFailed, ImportReport, PostStore
from .mastodon import AUTH_HINT, normalize_status

OEMBED_ENDPOINT = "https://publish.twitter.com/oembed"
MONTHS = {
    m: i
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
}


class _Blockquote(HTMLParser):
    """Collects the first <p> (the post text, as HTML) and the last link text (the date)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.depth = 0
        self.done = False
        self.text: list[str] = []
        self.lang = ""
        self.in_link = False
        self.last_link = ""

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "p" and not self.done and self.depth == 0:
            self.depth = 1
            self.lang = attributes.get("lang") or ""
            return
        if self.depth:
            if tag == "a":
                self.text.append('<a href="{}">'.format(attributes.get("href", "").replace('"', "&quot;")))
            elif tag == "br":
                self.text.append("<br>")
        elif tag == "a":
            self.in_link = True
            self.last_link = ""

    def handle_endtag(self, tag):
        if self.depth and tag == "p":
            self.depth = 0
            self.done = True
        elif self.depth and tag == "a":
            self.text.append("</a>")
        elif tag == "a":
            self.in_link = False

    def handle_data(self, data):
        if self.depth:
            self.text.append(data.replace("<", "&lt;"))
        elif self.in_link:
            self.last_link += data

    def handle_entityref(self, name):
        if self.depth:
            self.text.append(f"&{name};")

    def handle_charref(self, name):
        if self.depth:
            self.text.append(f"&#{name};")


def _english_date(text: str) -> dt.datetime | None:
    match = re.match(r"^\s*([A-Za-z]+)\s+(\d{1,2}),\s+(\d{4})\s*$", text)
    if not match or match.group(1).lower() not in MONTHS:
        return None
    # oEmbed gives only the day: noon German time keeps the day right in every time zone view
    return dt.datetime(
        int(match.group(3)), MONTHS[match.group(1).lower()], int(match.group(2)), 12, tzinfo=BERLIN
    )


def fetch_post(
    url: str,
    folder: str | Path,
    *,
    oembed_endpoint: str = OEMBED_ENDPOINT,
    mastodon_base: str = "",
    client: HttpClient | None = None,
) -> ImportReport:
    """Store the post at ``url`` unless it is cached already."""
    key = post_key(url)
    if key is None:
        raise ImportFailed(f"„{url}“ ist keine Adresse eines Beitrags auf X oder Mastodon.")
    store = PostStore(folder)
    if key[0] == "mastodon":
        host, status_id = key[1].split("/")
        client = client or HttpClient(f"Die Mastodon-Instanz {host}", auth_hint=AUTH_HINT)
        if store.has(url) or store.alias_of(url):
            store.report.skipped.append(url)
            return store.report
        status = client.get_json(
            f"{(mastodon_base or f'https://{host}').rstrip('/')}/api/v1/statuses/{status_id}"
        )
        post = normalize_status(status, host, store, client)
        if post is None:
            return store.report
        if post_key(post["url"]) != key:
            # The address of a post from another server as the home server shows it
            # (https://<home>/@user@<origin>/<local id>): the card finds it under this address too.
            post["aliases"] = [url]
            if not store.add(post):
                store.add_alias(post["url"], url)
            return store.report
        store.add(post)
        return store.report
    client = client or HttpClient("Der oEmbed-Dienst von X")
    user = urlparse(url).path.strip("/").split("/")[0]
    canonical = f"https://x.com/{user}/status/{key[1]}"
    if store.has(canonical):
        store.report.skipped.append(canonical)
        return store.report
    data = client.get_json(oembed_endpoint, {"url": url, "omit_script": "true", "dnt": "true", "lang": "de"})
    parser = _Blockquote()
    parser.feed(data.get("html", ""))
    date = _english_date(parser.last_link)
    if not parser.text or date is None:
        raise ImportFailed(f"Die oEmbed-Antwort zu {url} enthält keinen lesbaren Beitrag.")
    author_url = data.get("author_url") or f"https://x.com/{user}"
    handle = "@" + urlparse(author_url).path.strip("/").split("/")[0]
    store.add(
        {
            "platform": "x",
            "id": key[1],
            "url": f"https://x.com/{handle[1:]}/status/{key[1]}",
            "author": {"name": data.get("author_name") or handle[1:], "handle": handle},
            "date": date.isoformat(),
            "text": "".join(parser.text).strip(),
            "links": [],
            "media": [],
            "reply": False,
            "repost": False,
            **({"lang": known_lang(parser.lang)} if known_lang(parser.lang) else {}),
            "source": "x-oembed",
        }
    )
    store.report.notes.append("oEmbed liefert nur Text und Tag, keine Bilder und keine Uhrzeit.")
    return store.report
