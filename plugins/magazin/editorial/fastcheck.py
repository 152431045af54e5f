"""The pre-flight for the live preview's fast render: the source checks of the one edited
article (``core.incremental`` body refresher, stage ``"source"``).

``check_site(settings, full=False)`` checks every source before a build reads it; the fast
render writes one article's page without a build, so it must refuse what the pre-flight
would refuse (raw HTML that loads or runs something, a foreign image, a broken header …).
The checks are the pre-flight's own, per source; the site-wide one (duplicate addresses)
depends on headers only, and a fast render runs only when the header did not change.
"""

from __future__ import annotations

from pathlib import Path

from magazin.consent.registry import embed_code_rules
from magazin.core.errors import ContentErrors
from magazin.core.incremental import NotFast
from magazin.core.settings import setting

from .checks.header import check_header
from .checks.images import check_images
from .checks.site import Site
from .rawhtml import check_raw_html
from .settings import DEFAULTS
from .source import read_source


def check_edited_source(edit) -> None:
    """``NotFast`` with the first German problem of the edited source, if it has one."""
    if not setting(edit.settings, "EDITORIAL_PREFLIGHT", DEFAULTS):
        return
    site = Site(settings=edit.settings, content=Path(edit.settings["PATH"]))
    src = read_source(Path(edit.source_path), "article")
    site.articles = [src]
    if src.readable:
        check_header(site, src, False)
        check_images(site, src, False)
        check_raw_html(src, embed_code_rules(edit.settings))
    problems = [*site.errors, *src.problems]
    if problems or not src.readable:
        raise NotFast(str(ContentErrors(problems).errors[0]) if problems else "Datei nicht lesbar")
