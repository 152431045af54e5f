"""Settings of the editorial plugin (defaults in ``DEFAULTS``, applied by ``plugin.configure``).

A module of its own because the linter (``checks``) reads them too, also outside a Pelican
run (``invoke check``), and ``plugin.py`` imports the linter.
"""

from __future__ import annotations

DEFAULTS = {
    "EDITORIAL_PUBLISH": False,  # publishconf: only cleared articles, missing sign-offs are errors
    "EDITORIAL_PREFLIGHT": True,  # run the source checks before Pelican uses the content
    # … in a forked process while Pelican reads the sources (background.py); off in the live preview
    "EDITORIAL_PREFLIGHT_BACKGROUND": True,
    # invoke check --publish: each Freigabe line must come from a commit of an entitled person
    # (authors.yml: freigabe, datenschutz, email; signoffs.py); publishconf switches it on
    "EDITORIAL_SIGNOFF_GIT": False,
    "EDITORIAL_SIGNOFF_TRUSTED": None,  # a commit: sign-off lines from it or before it are taken as they are
    "EDITORIAL_IMAGE_MAX_WIDTH": 2000,  # pixels
    "EDITORIAL_IMAGE_MAX_BYTES": 500_000,
    "EDITORIAL_IMAGE_SUGGESTED_WIDTH": 1600,
}
