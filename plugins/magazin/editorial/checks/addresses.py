"""Addresses: where Pelican will write every article and page; two sources, one address is an error."""

from __future__ import annotations

import posixpath

from magazin.core.settings import setting

from ..settings import DEFAULTS
from ..source import Source
from ..workflow import HIDDEN, RELEASE, STATUS_KEY, normalise_status, workflow_of
from .site import Site, department_of


def addresses(site: Site):
    """(source, save_as) of every article and page, as Pelican will write them."""
    from magazin.german.slugs import slugify_de

    settings = site.settings
    publish = setting(settings, "EDITORIAL_PUBLISH", DEFAULTS)
    for src in site.sources:
        if not src.readable:
            continue
        slug = src.meta.get("slug") or slugify_de(src.meta.get("title", ""))
        if not slug:
            continue
        if src.kind == "article":
            status = normalise_status(src.meta.get(STATUS_KEY))
            flow = workflow_of(src.meta)
            if status in ("draft", "review") and publish:
                continue
            if flow.pelican_draft:
                pattern = settings.get("DRAFT_SAVE_AS", "drafts/{slug}.html")
            elif status == HIDDEN or (status == RELEASE and flow.cleared) or not publish:
                pattern = settings.get("ARTICLE_SAVE_AS", "{slug}.html")
            else:
                continue
            fields = {"slug": slug, "category": department_of(site, src) or "", "lang": "de"}
        else:
            pattern = settings.get("PAGE_SAVE_AS", "pages/{slug}.html")
            fields = {"slug": slug, "lang": "de"}
        save_as = src.meta.get("save_as")
        if not save_as:
            try:
                save_as = pattern.format(**fields)
            except (KeyError, IndexError, AttributeError):
                continue
        yield src, save_as


def check_duplicates(site: Site) -> None:
    seen: dict[str, Source] = {}
    for src, save_as in addresses(site):
        key = posixpath.normpath(save_as)
        first = seen.get(key)
        if first is None:
            seen[key] = src
            continue
        src.error(
            src.line_of("slug") or src.line_of("title") or 1,
            f"Die Adresse /{key.removesuffix('index.html')} hat schon "
            f"{first.path.relative_to(site.content).as_posix()}.",
            "Zwei Beiträge dürfen nicht dieselbe Adresse haben: "
            "ändere den Titel oder setze einen eigenen „Slug:“.",
        )
