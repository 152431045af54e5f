"""Importers for posts: the only code of the magazine that goes online (run by invoke tasks).

- ``fetch_x_timeline``: X API v2 user timeline (bearer token from ``X_BEARER_TOKEN``)
- ``import_x_archive``: ``tweets.js`` from X's "Download your data" archive (offline)
- ``fetch_mastodon``: a Mastodon account via its instance's public API
- ``fetch_post``: one post by URL (X via publish oEmbed, Mastodon via the status API)

Each stores new posts as JSON (plus images under ``bilder/``) in the posts folder, never
overwrites an existing post, and returns an ``ImportReport`` of what it added.
"""

from .base import HttpClient, ImportFailed, ImportReport
from .mastodon import fetch_mastodon
from .single import fetch_post
from .x_api import fetch_x_timeline
from .x_archive import import_x_archive

__all__ = [
    "HttpClient",
    "ImportFailed",
    "ImportReport",
    "fetch_mastodon",
    "fetch_post",
    "fetch_x_timeline",
    "import_x_archive",
]
