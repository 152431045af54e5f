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
