"""Search page, index markup helpers and the Pagefind run after the site is written.

What gets indexed (the rule, enforced in the templates through ``search_attrs``):
an article or page is indexed only when its status is ``published``, no plugin set
``search_index = False`` on it (e.g. an approval workflow for articles still under review),
and its ``article_banner`` block is empty (a draft or review banner means: not public yet).
Only the element carrying ``data-pagefind-body`` is indexed, so header, navigation, footer
and listing pages never reach the index.

Settings (defaults in ``DEFAULTS``):
``SEARCH_ENABLED`` (True), ``SEARCH_BUNDLE_DIR`` (``pagefind``), ``SEARCH_URL`` (``suche/``),
``SEARCH_SAVE_AS`` (``suche/index.html``), ``SEARCH_VIDEO_CLASS`` (``video``: an article whose
content has an element with this class gets the filter Typ=Video),
``SEARCH_EXCLUDE_SELECTORS`` (selectors never indexed even inside the body),
``SEARCH_TIMEOUT`` (seconds for the Pagefind run), ``SEARCH_COMPOUNDS`` (True: German compound
words are indexed with their parts, see ``compounds.py``), ``SEARCH_COMPOUND_TERMS`` (extra
words for the compound vocabulary, e.g. ``["Kugelhahn"]``).
"""

from __future__ import annotations

import logging
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from markupsafe import Markup
from pelican.contents import Page
from pelican.generators import Generator

from magazin.magazine.settings import setting

from .indexer import has_searchable_pages, index_site_cached

logger = logging.getLogger(__name__)

DEFAULTS: dict[str, Any] = {
    "SEARCH_ENABLED": True,
    "SEARCH_BUNDLE_DIR": "pagefind",
    "SEARCH_URL": "suche/",
    "SEARCH_SAVE_AS": "suche/index.html",
    "SEARCH_VIDEO_CLASS": "video",
    "SEARCH_EXCLUDE_SELECTORS": [".site-header", ".site-nav", ".site-footer", ".skip-link"],
    "SEARCH_TIMEOUT": 300,
    "SEARCH_COMPOUNDS": True,
    "SEARCH_COMPOUND_TERMS": [],
}

TYPE_ARTICLE = "Artikel"
TYPE_VIDEO = "Video"
TYPE_PAGE = "Seite"


class _ClassFinder(HTMLParser):
    """Finds whether any element carries a given class (no regex over HTML)."""

    def __init__(self, wanted: str):
        super().__init__(convert_charrefs=True)
        self.wanted = wanted
        self.found = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "class" and value and self.wanted in value.split():
                self.found = True


def has_class(html: str, css_class: str) -> bool:
    """True when an element in ``html`` has ``css_class`` among its classes."""
    if not css_class or css_class not in html:
        return False
    finder = _ClassFinder(css_class)
    finder.feed(html)
    finder.close()
    return finder.found


def content_types(obj: Any, settings: dict) -> list[str]:
    """Values of the filter "Typ" for an article or page."""
    if isinstance(obj, Page):
        return [TYPE_PAGE]
    types = [TYPE_ARTICLE]
    if has_class(getattr(obj, "content", "") or "", setting(settings, "SEARCH_VIDEO_CLASS", DEFAULTS)):
        types.append(TYPE_VIDEO)
    return types


def is_searchable(obj: Any, banner: str = "") -> bool:
    """The indexing rule (see the module docstring)."""
    return (
        getattr(obj, "status", "published") == "published"
        and getattr(obj, "search_index", True) is not False
        and not str(banner).strip()
    )


class SearchHelpers:
    """Template globals bound to one build's settings."""

    def __init__(self, settings: dict):
        self.settings = settings

    def search_attrs(self, obj: Any, banner: str = "") -> Markup:
        """Attributes for the element that holds an article's or page's indexable content."""
        if not setting(self.settings, "SEARCH_ENABLED", DEFAULTS) or not is_searchable(obj, banner):
            return Markup("")
        first = content_types(obj, self.settings)[0]
        return Markup(' data-pagefind-body data-pagefind-filter="Typ:{}"').format(first)

    def search_body_attrs(self, obj: Any) -> Markup:
        """Attributes for the content element inside it: further types (Pagefind takes one
        value per key and element), e.g. Typ=Video for an article with a video block."""
        more = content_types(obj, self.settings)[1:]
        if not setting(self.settings, "SEARCH_ENABLED", DEFAULTS) or not more:
            return Markup("")
        return Markup(' data-pagefind-filter="Typ:{}"').format(more[0])


def add_globals(generator) -> None:
    helpers = SearchHelpers(generator.settings)
    generator.env.globals.update(
        {
            "search_attrs": helpers.search_attrs,
            "search_body_attrs": helpers.search_body_attrs,
            "SEARCH_URL": setting(generator.settings, "SEARCH_URL", DEFAULTS),
            "SEARCH_BUNDLE_URL": setting(generator.settings, "SEARCH_BUNDLE_DIR", DEFAULTS) + "/",
        }
    )


class SearchPageGenerator(Generator):
    """Writes ``/suche/`` (template ``search.html``) through the writer, so the sitemap sees it.

    A Pelican ``Generator``: it gets the theme's template environment with every plugin's
    filters and globals (``generator_init``), like the built-in generators.
    """

    def generate_context(self) -> None:
        pass

    def generate_output(self, writer) -> None:
        if not setting(self.settings, "SEARCH_ENABLED", DEFAULTS):
            return
        writer.write_file(
            setting(self.settings, "SEARCH_SAVE_AS", DEFAULTS),
            self.get_template("search"),
            self.context,
            relative_urls=self.settings.get("RELATIVE_URLS", False),
            url=setting(self.settings, "SEARCH_URL", DEFAULTS),
            page_name="search",
        )


def build_index(pelican_object) -> None:
    """After every file is written: index the output (in the safe build: the staging folder)."""
    settings = pelican_object.settings
    if not setting(settings, "SEARCH_ENABLED", DEFAULTS):
        return
    site = Path(pelican_object.output_path)
    if not has_searchable_pages(site):
        logger.warning("Suchindex: keine veröffentlichte Seite gefunden – es wurde kein Suchindex erstellt.")
        return
    stats = index_site_cached(
        site,
        Path(settings["CACHE_PATH"]) / "pagefind",
        bundle_dir=setting(settings, "SEARCH_BUNDLE_DIR", DEFAULTS),
        exclude_selectors=setting(settings, "SEARCH_EXCLUDE_SELECTORS", DEFAULTS),
        timeout=setting(settings, "SEARCH_TIMEOUT", DEFAULTS),
        compounds=setting(settings, "SEARCH_COMPOUNDS", DEFAULTS),
        compound_terms=setting(settings, "SEARCH_COMPOUND_TERMS", DEFAULTS),
    )
    logger.info(stats.describe())
