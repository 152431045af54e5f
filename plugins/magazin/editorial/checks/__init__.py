"""The authors' linter: every problem in the content, at once, in German, as ``file:line: message``.

Two levels share one code path:
- ``check_site(settings, full=False)`` runs before Pelican reads anything (the build's
  pre-flight, connected by the plugin): broken headers, control characters, missing title,
  bad dates, unknown status, sign-offs, slugs or ``Save_as`` escaping the output folder,
  missing images and duplicate addresses — everything that would otherwise end in
  Pelican's generic "Could not process …".
- ``check_site(settings, full=True)`` (``invoke check``) adds the editorial checks:
  departments and authors, summary and leftover TODOs, alt texts, oversize images,
  internal links and anchors, and the embed plugins' URL rules (video and post addresses).

One module per kind of check: ``site`` (the sources and path helpers), ``header``, ``images``,
``links``, ``embeds`` and ``addresses``. Settings: ``editorial/settings.py``.
"""

from __future__ import annotations

from magazin.consent.registry import embed_code_rules
from magazin.core.errors import ContentError, ContentErrors

from ..rawhtml import check_raw_html
from ..settings import DEFAULTS
from ..signoffs import check_signoffs
from .addresses import check_duplicates
from .embeds import check_embeds
from .header import KNOWN_KEYS, check_header, date_problem, is_safe_output_path, read_masthead
from .images import check_images
from .links import check_links
from .site import Site, department_of, load_site

__all__ = [
    "DEFAULTS",
    "KNOWN_KEYS",
    "Site",
    "check_site",
    "date_problem",
    "department_of",
    "is_safe_output_path",
    "load_site",
]


def check_site(settings: dict, full: bool = True) -> list[ContentError]:
    """All problems of the site's content, sorted by file and line."""
    site = load_site(settings)
    rules = embed_code_rules(settings)
    if full:
        read_masthead(site)
    signoffs: dict = {}  # the repository and the rights, read once
    for src in site.sources:
        if not src.readable:
            continue
        check_header(site, src, full)
        if full and src.kind == "article":
            check_signoffs(site, src, department_of(site, src), signoffs)
        check_images(site, src, full)
        check_raw_html(src, rules)  # every build: nothing that loads or runs something (editorial/rawhtml.py)
        if full:
            check_links(site, src)
            check_embeds(site, src)
    check_duplicates(site)
    problems = [*site.errors]
    for src in site.sources:
        problems.extend(src.problems)
    return ContentErrors(problems).errors if problems else []
