"""Settings of the editor plugin (defaults in ``DEFAULTS``; ``policy``, ``config`` and the
generator read them, also outside a Pelican run, so they live in a module of their own)."""

from __future__ import annotations

from magazin.core.settings import Setting, declare

DEFAULTS = declare(
    "magazin.editor",
    "EDITOR_",
    Setting("EDITOR_ENABLED", True, "write the authors' editor (Decap CMS) at EDITOR_URL"),
    Setting("EDITOR_URL", "redaktion/", "its address; never in the sitemap, the search index or the feeds"),
    Setting(
        "EDITOR_MARKED",
        "editor/node_modules/marked/lib/marked.umd.js",
        "Markdown renderer of the preview pane when no Python runs behind the editor",
    ),
    Setting("EDITOR_BUNDLE", "editor/node_modules/decap-cms/dist", "decap-cms's dist (make venv: npm ci)"),
    Setting(
        "EDITOR_BACKEND",
        {"name": "github", "repo": "heco-gmbh/edelstahlmagazin", "branch": "main"},
        "Decap's backend block in production (docs/redaktion.md: github, gitlab, gitea …)",
    ),
    Setting(
        "EDITOR_PUBLISH_MODE",
        "simple",
        'Decap\'s publish mode; publishconf: "editorial_workflow" (a branch and pull request each)',
    ),
    Setting(
        "EDITOR_LOCAL_BACKEND",
        "http://127.0.0.1:8082/api/v1",
        "decap-server of make serve (127.0.0.1 only); None: none",
        kind=(str, type(None)),
    ),
    Setting(
        "EDITOR_LOCAL_BRANCH",
        None,
        "branch decap-server commits to; None: the working copy's current branch",
        kind=str,
    ),
    Setting(
        "EDITOR_CONNECT_SOURCES", [], "extra origins the editor may fetch from (a self-hosted git host's API)"
    ),
    Setting("EDITOR_STRIP_GPS", True, "remove GPS data from the JPEGs the built site publishes (exif.py)"),
    Setting("EDITOR_MEDIA_MAX_BYTES", 500_000, "upload limit; Decap says so in German when a file is larger"),
    Setting(
        "EDITOR_PREVIEW_API",
        "/__vorschau/redaktion/",
        'the live preview\'s render and check endpoint ("": none)',
    ),
)

#: Decap's default API roots per backend: what the editor page's connect-src must allow.
API_ROOTS = {
    "github": "https://api.github.com",
    "gitlab": "https://gitlab.com/api/v4",
    "bitbucket": "https://api.bitbucket.org/2.0",
}
