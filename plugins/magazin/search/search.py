"""Search page, index markup helpers and the Pagefind run after the site is written.

What gets indexed (the rule, enforced in the templates through ``search_attrs``):
an article or page is indexed only when its status is ``published``, no plugin set
``search_index = False`` on it (e.g. an approval workflow for articles still under review),
and its ``article_banner`` block is empty (a draft or review banner means: not public yet).
Only the element carrying ``data-pagefind-body`` is indexed, so header, navigation, footer
and listing pages never reach the index.

How (``indexer.IndexFeeder``): when every generator has read its content, a helper process
is forked; each page Pelican writes (``content_written``) becomes a small document there (its
indexed element, compounds split). When every writing process has written its articles and
pages (``core.wiring.searchable_written``, sent by the parallel writer, which writes them
before the listings) — or, with one writing process, when the page generator is done
(``page_writer_finalized``) — Pagefind's command line indexes the documents in the
background while the rest of the site is written. After the last page (``finalized``) the
bundle goes into the staging folder; a failure is a German build error.

Settings (defaults in ``DEFAULTS``):
``SEARCH_ENABLED`` (True), ``SEARCH_BUNDLE_DIR`` (``pagefind``), ``SEARCH_URL`` (``suche/``),
``SEARCH_SAVE_AS`` (``suche/index.html``), ``SEARCH_VIDEO_CLASS`` (``video``: an article whose
content has an element with this class gets the filter Typ=Video),
``SEARCH_EXCLUDE_SELECTORS`` (selectors never indexed even inside the body: page chrome and
the video placeholders' poster and button texts),
``SEARCH_TIMEOUT`` (seconds for the Pagefind run), ``SEARCH_COMPOUNDS`` (True: German compound
words are indexed with their parts, see ``compounds.py``), ``SEARCH_COMPOUND_TERMS`` (extra
words for the compound vocabulary, e.g. ``["Kugelhahn"]``), ``SEARCH_BUILD_INDEX`` (True;
the live preview sets False and indexes the served site in the background after the reload).
The vocabulary is every capitalised word of the published articles and pages (title, summary,
text, tags, authors).
"""

from __future__ import annotations

import logging
import weakref
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from markupsafe import Markup
from pelican.contents import Page
from pelican.generators import Generator

from magazin.core.settings import Setting, declare, setting
from magazin.core.wiring import process_safe

from .indexer import IndexFeeder

logger = logging.getLogger(__name__)

DEFAULTS = declare(
    "magazin.search",
    "SEARCH_",
    Setting("SEARCH_ENABLED", True, "build the search page and its Pagefind index"),
    Setting("SEARCH_BUNDLE_DIR", "pagefind", "output folder of the Pagefind bundle"),
    Setting("SEARCH_URL", "suche/", "address of the search page"),
    Setting("SEARCH_SAVE_AS", "suche/index.html", "file of the search page"),
    Setting(
        "SEARCH_VIDEO_CLASS", "video", "an article with an element of this class gets the filter Typ=Video"
    ),
    Setting(
        "SEARCH_EXCLUDE_SELECTORS",
        [
            ".site-header",
            ".site-nav",
            ".site-footer",
            ".skip-link",
            ".consent__stage",
            ".consent-manager",
        ],
        "CSS selectors never indexed (page chrome, the placeholders' poster and button texts)",
    ),
    Setting("SEARCH_TIMEOUT", 300, "seconds the Pagefind run may take"),
    Setting("SEARCH_COMPOUNDS", True, "index German compound words with their parts (compounds.py)"),
    Setting("SEARCH_COMPOUND_TERMS", [], 'extra words for the compound vocabulary, e.g. ["Kugelhahn"]'),
    Setting(
        "SEARCH_BUILD_INDEX",
        True,
        "index inside the build (the live preview indexes the served site after the reload)",
    ),
)

TYPE_ARTICLE = "Artikel"
TYPE_VIDEO = "Video"
TYPE_PAGE = "Seite"
CONTEXT_KEY = "SEARCH_SITE_INDEX"  # the running IndexFeeder, in the context every page is written with


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
    """Writes ``/suche/`` (template ``search.html``) through the writer, so the sitemap sees it,
    and owns the build's search index (``IndexFeeder``).

    A Pelican ``Generator``: it gets the theme's template environment with every plugin's
    filters and globals (``generator_init``), like the built-in generators.
    """

    index: IndexFeeder | None = None

    def generate_context(self) -> None:
        pass

    def start_index(self, generators: list) -> None:
        """Start Pagefind before the first page is written (``all_generators_finalized``)."""
        enabled = setting(self.settings, "SEARCH_ENABLED", DEFAULTS)
        if not enabled or not setting(self.settings, "SEARCH_BUILD_INDEX", DEFAULTS):
            return
        self.index = IndexFeeder(
            Path(self.output_path),
            lambda: vocabulary_texts(generators),  # runs in the helper process
            compounds=setting(self.settings, "SEARCH_COMPOUNDS", DEFAULTS),
            compound_terms=setting(self.settings, "SEARCH_COMPOUND_TERMS", DEFAULTS),
            cache_root=Path(self.settings["CACHE_PATH"]) / "pagefind",
            bundle_dir=setting(self.settings, "SEARCH_BUNDLE_DIR", DEFAULTS),
            exclude_selectors=setting(self.settings, "SEARCH_EXCLUDE_SELECTORS", DEFAULTS),
            timeout=setting(self.settings, "SEARCH_TIMEOUT", DEFAULTS),
        )
        weakref.finalize(self, self.index.close)  # a failed build leaves no Pagefind running
        self.context[CONTEXT_KEY] = self.index
        _BUILDS[id(self.settings)] = self

    def finish_index(self, pelican_object) -> None:
        """After every page is written: write the bundle into the (staging) output."""
        if pelican_object.settings is not self.settings or self.index is None:
            return  # another build's generator, not yet collected
        index, self.index = self.index, None
        self.context.pop(CONTEXT_KEY, None)
        stats = index.finish()
        if not stats.pages:
            logger.warning("Suchindex: keine veröffentlichte Seite gefunden – kein Suchindex erstellt.")
            return
        logger.info(stats.describe())

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


def vocabulary_texts(generators: list):
    """The texts the compound vocabulary is learnt from: every published article and page."""
    for gen in generators:
        for obj in [*getattr(gen, "articles", []), *getattr(gen, "pages", [])]:
            if getattr(obj, "status", "published") != "published":
                continue
            yield obj.title
            yield getattr(obj, "summary_text", "") or ""
            yield obj.content
            yield " ".join(str(t) for t in getattr(obj, "tags", None) or [])
            yield " ".join(str(a) for a in getattr(obj, "authors", None) or [])
            for person in getattr(obj, "people", None) or []:
                yield str(getattr(person, "role", "") or "")
            if getattr(obj, "category", None) is not None:
                yield str(obj.category)


# Builds being written (id of their settings -> their search generator). An entry leaves at
# ``finalized`` or with its generator (a failed build): nothing carries over to the next build.
_BUILDS: weakref.WeakValueDictionary[int, SearchPageGenerator] = weakref.WeakValueDictionary()


def start_index(generators: list) -> None:
    for gen in generators:
        if isinstance(gen, SearchPageGenerator):
            gen.start_index(generators)


@process_safe  # announces the page on the feeder's locked pipe, from whichever process wrote it
def page_written(path: str, context: dict) -> None:
    """Every written file: a searchable page's document is kept for Pagefind at once."""
    index = context.get(CONTEXT_KEY)
    if index is not None and path.endswith(".html"):
        index.add(path)


def searchable_pages_written(phase, settings: dict, shard: int, processes: int) -> None:
    """``core.wiring.searchable_written`` (the parallel writer, in each writing process):
    this process has written its articles and pages; once every process has, Pagefind begins,
    while the listings are still being written."""
    generator = _BUILDS.get(id(settings))
    index = getattr(generator, "index", None)
    if index is not None:
        index.ready(shard, processes)


def pages_written(generator, writer=None) -> None:
    """``page_writer_finalized``: the article and page generators (whose pages are the
    searchable ones; Pelican runs the page generator after the article generator) have
    written everything, so Pagefind can begin while the rest of the site is written. A
    searchable page written later still gets indexed (``SiteIndex.finish`` runs again)."""
    index = getattr(generator, "context", {}).get(CONTEXT_KEY)
    if index is not None:
        index.start()


def finish_index(pelican_object) -> None:
    """``finalized``: the build's search generator writes the bundle."""
    generator = _BUILDS.pop(id(pelican_object.settings), None)
    if generator is not None:
        generator.finish_index(pelican_object)
