"""Settings of the editor plugin (defaults in ``DEFAULTS``; ``policy``, ``config`` and the
generator read them, also outside a Pelican run, so they live in a module of their own)."""

from __future__ import annotations

from typing import Any

DEFAULTS: dict[str, Any] = {
    "EDITOR_ENABLED": True,  # write the authors' editor (Decap CMS) at EDITOR_URL
    "EDITOR_URL": "redaktion/",  # its address; never in the sitemap, the search index or the feeds
    "EDITOR_MARKED": "editor/node_modules/marked/lib/marked.umd.js",  # Markdown for the pane without server
    "EDITOR_BUNDLE": "editor/node_modules/decap-cms/dist",  # decap-cms's dist (`make venv`: npm ci)
    # Decap's backend block in production (docs/redaktion.md, „Für die IT“): github, gitlab, gitea …
    "EDITOR_BACKEND": {"name": "github", "repo": "heco-gmbh/edelstahlmagazin", "branch": "main"},
    "EDITOR_PUBLISH_MODE": "simple",  # publishconf: "editorial_workflow" (a branch + pull request each)
    "EDITOR_LOCAL_BACKEND": "http://127.0.0.1:8082/api/v1",  # decap-server of `make serve`; None: none
    "EDITOR_LOCAL_BRANCH": None,  # branch decap-server commits to; None: the working copy's current branch
    "EDITOR_CONNECT_SOURCES": [],  # extra origins the editor may fetch from (a self-hosted git host's API)
    "EDITOR_STRIP_GPS": True,  # remove GPS data from the JPEGs the built site publishes (exif.py)
    "EDITOR_MEDIA_MAX_BYTES": 500_000,  # upload limit; Decap says so in German when a file is larger
    "EDITOR_PREVIEW_API": "/__vorschau/redaktion/",  # the live preview's render/check endpoint ("": none)
}

#: Decap's default API roots per backend: what the editor page's connect-src must allow.
API_ROOTS = {
    "github": "https://api.github.com",
    "gitlab": "https://gitlab.com/api/v4",
    "bitbucket": "https://api.bitbucket.org/2.0",
}
