"""Settings of the editorial plugin (defaults in ``DEFAULTS``, applied by ``plugin.configure``).

A module of its own because the linter (``checks``) reads them too, also outside a Pelican
run (``invoke check``), and ``plugin.py`` imports the linter.
"""

from __future__ import annotations

from magazin.core.settings import Setting, declare

DEFAULTS = declare(
    "magazin.editorial",
    "EDITORIAL_",
    Setting(
        "EDITORIAL_PUBLISH",
        False,
        "publish build: only cleared articles, a missing sign-off is an error (publishconf)",
    ),
    Setting("EDITORIAL_PREFLIGHT", True, "run the source checks before Pelican uses the content"),
    Setting(
        "EDITORIAL_PREFLIGHT_BACKGROUND",
        True,
        "… in a forked process while Pelican reads the sources (off in the live preview)",
    ),
    Setting(
        "EDITORIAL_SIGNOFF_GIT",
        False,
        "invoke check --publish: each Freigabe line must come from a commit of an entitled person "
        "(authors.yml: freigabe, datenschutz, email; signoffs.py); publishconf switches it on",
    ),
    Setting(
        "EDITORIAL_SIGNOFF_TRUSTED",
        None,
        "a commit: sign-off lines written by it or before it are taken as they are",
        kind=str,
    ),
    Setting(
        "EDITORIAL_PRIVACY_OFFICER",
        "",
        'name of the data-protection officer on the review sheet ("": the name on most clearances)',
    ),
    Setting("EDITORIAL_IMAGE_MAX_WIDTH", 2000, "widest picture an article may bring, in pixels"),
    Setting("EDITORIAL_IMAGE_MAX_BYTES", 500_000, "largest picture file an article may bring, in bytes"),
    Setting(
        "EDITORIAL_IMAGE_SUGGESTED_WIDTH", 1600, "width the check message suggests for a too-large picture"
    ),
)
