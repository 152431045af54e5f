"""Production settings: everything from pelicanconf, plus absolute URLs and strictness."""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *

SITEURL = "https://magazin.heco.de"
MAGAZINE_CANONICAL_BASE = SITEURL
FEED_DOMAIN = SITEURL
RELATIVE_URLS = False
# Any warning or error fails the publish build.
MAGAZINE_STRICT = True
DELETE_OUTPUT_DIRECTORY = True
# Only articles with both sign-offs (department, data protection); a missing one is an error.
EDITORIAL_PUBLISH = True
# The company's comment server (gunicorn behind the TLS proxy, docs/kommentare.md).
COMMENTS_URL = "https://kommentare.magazin.heco.de"
# The authors' editor at /redaktion/ (plugins/magazin/editor, docs/redaktion.md „Für die IT“):
# GitHub as the backend, its login through the company's OAuth endpoint; every article becomes
# a branch and a pull request (Entwurf → In Prüfung → Bereit); no local decap-server, no
# preview endpoint (the pane shows the text; CI's check and preview build are on the pull request).
EDITOR_BACKEND = {
    "name": "github",
    "repo": "heco-gmbh/edelstahlmagazin",
    "branch": "main",
    "base_url": "https://redaktion-login.magazin.heco.de",
    "auth_endpoint": "auth",
}
EDITOR_PUBLISH_MODE = "editorial_workflow"
EDITOR_LOCAL_BACKEND = None
EDITOR_PREVIEW_API = ""
# Sign-offs from git history (plugins/magazin/editorial/signoffs.py): each Freigabe line must come
# from a commit by a person entitled to it in authors.yml; lines from this commit or before it
# (written before the rule existed) are taken as they are.
EDITORIAL_SIGNOFF_GIT = True
EDITORIAL_SIGNOFF_TRUSTED = "263d149796266420a6b87fc5bef7bcd67170574c"
