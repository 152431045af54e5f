"""The one place that touches Pelican's (and the sitemap plugin's) insides.

The magazine relies on a few things Pelican does not promise: private methods it replaces on
live objects, module attributes it rebinds, state of other plugins it resets. Every such touch
goes through a function here, and ``INSIDES`` lists what each relies on with a check that
``tests/test_pelican_insides.py`` runs: after a Pelican (or pelican-sitemap) upgrade the test
names exactly which assumption broke and which plugin depends on it, instead of a build
failing somewhere in the middle.

Nothing else under ``plugins/`` writes to a Pelican object's private attribute or rebinds a
Pelican module's name (the same test greps for it).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import version
from typing import Any

import pelican.contents
import pelican.urlwrappers


@dataclass(frozen=True)
class Inside:
    """One thing of Pelican's that is not its public API, who relies on it, and how to check it."""

    name: str
    used_by: str
    why: str
    check: Callable[[], str | None]  # None: still as relied on; else what changed


def _params(func: Any) -> list[str]:
    return list(inspect.signature(func).parameters)


def _check_open_w() -> str | None:
    from pelican.writers import Writer

    if not hasattr(Writer, "_open_w"):
        return "Writer._open_w gibt es nicht mehr"
    if _params(Writer._open_w)[:4] != ["self", "filename", "encoding", "override"]:
        return f"Writer._open_w hat jetzt die Parameter {_params(Writer._open_w)}"
    if "self._open_w(" not in inspect.getsource(Writer.write_file):
        return "Writer.write_file öffnet seine Dateien nicht mehr über _open_w"
    return None


def _check_write_file() -> str | None:
    from pelican.writers import Writer

    params = _params(Writer.write_file)
    if params[:4] != ["self", "name", "template", "context"]:
        return f"Writer.write_file hat jetzt die Parameter {params}"
    if "signals.content_written.send" not in inspect.getsource(Writer):
        return "Writer sendet content_written nicht mehr selbst"
    return None


def _check_generate_output() -> str | None:
    from pelican.generators import ArticlesGenerator, PagesGenerator

    for cls in (ArticlesGenerator, PagesGenerator):
        if _params(cls.generate_output) != ["self", "writer"]:
            return f"{cls.__name__}.generate_output hat jetzt die Parameter {_params(cls.generate_output)}"
    source = inspect.getsource(ArticlesGenerator.generate_output) + inspect.getsource(
        ArticlesGenerator.generate_pages
    )
    if "self.generate_pages(" not in source or "self.generate_articles(" not in source:
        return "ArticlesGenerator schreibt die Artikel nicht mehr über generate_pages/generate_articles"
    if _params(ArticlesGenerator.generate_articles) != ["self", "write"]:
        return f"ArticlesGenerator.generate_articles hat jetzt {_params(ArticlesGenerator.generate_articles)}"
    return None


def _check_slugify() -> str | None:
    for module in (pelican.contents, pelican.urlwrappers):
        if not callable(getattr(module, "slugify", None)):
            return f"{module.__name__} importiert slugify nicht mehr als Modulname"
        if "slugify(" not in inspect.getsource(module):
            return f"{module.__name__} ruft slugify nicht mehr über seinen Modulnamen auf"
    return None


def _check_log_filter() -> str | None:
    try:
        from pelican.log import LimitFilter
    except ImportError:
        return "pelican.log.LimitFilter gibt es nicht mehr"
    for attribute in ("_raised_messages", "_group_count"):
        if not hasattr(LimitFilter, attribute):
            return f"LimitFilter.{attribute} gibt es nicht mehr"
    return None


def _check_sitemap() -> str | None:
    from pelican.plugins.sitemap import sitemap

    gen = getattr(sitemap, "generator", None)
    if not isinstance(gen, sitemap.SitemapGenerator):
        return "pelican-sitemap hat keinen Generator auf Modulebene mehr (sitemap.generator)"
    for attribute in ("_main_pelican", "page_queue", "now"):
        if not hasattr(gen, attribute):
            return f"der Sitemap-Generator hat kein {attribute} mehr"
    if "self.now" not in inspect.getsource(sitemap.SitemapGenerator):
        return "lastmod der Sitemap kommt nicht mehr aus .now"
    if "self._main_pelican = None" not in inspect.getsource(sitemap.SitemapGenerator.finalize):
        return "der Sitemap-Generator setzt _main_pelican nicht mehr zurück"
    return None


INSIDES: tuple[Inside, ...] = (
    Inside(
        "pelican.writers.Writer._open_w",
        "magazin.parallel (writing.py)",
        "each writing process opens only the files of its share; the others are skipped by name",
        _check_open_w,
    ),
    Inside(
        "pelican.writers.Writer.write_file / write_feed",
        "magazin.parallel (writing.py)",
        "replaced on the live writer during the sharded output (template wrapped, feeds once)",
        _check_write_file,
    ),
    Inside(
        "Generator.generate_output / ArticlesGenerator.generate_articles",
        "magazin.parallel (writing.py)",
        "replaced on the live generators: forked output, pages written right after the articles",
        _check_generate_output,
    ),
    Inside(
        "pelican.contents.slugify / pelican.urlwrappers.slugify",
        "magazin.german (plugin.py)",
        "rebound for the whole process to a slugify that remembers its results",
        _check_slugify,
    ),
    Inside(
        "pelican.log.LimitFilter._raised_messages / _group_count",
        "magazin.core (build.py, preview.py)",
        "cleared before each build so a second build in one process sees its warnings again",
        _check_log_filter,
    ),
    Inside(
        "pelican.plugins.sitemap: module generator, _main_pelican, page_queue, now",
        "magazin.seo (seo.py)",
        "reset after a failed build; lastmod from the newest article instead of the clock",
        _check_sitemap,
    ),
)


def changed() -> list[str]:
    """German lines for every inside that no longer is as relied on (empty: all fine)."""
    out = []
    for inside in INSIDES:
        problem = inside.check()
        if problem:
            out.append(
                f"{inside.name} (Pelican {version('pelican')}): {problem} – betrifft {inside.used_by}: "
                f"{inside.why}"
            )
    return out


# --- the touches themselves ----------------------------------------------------------------


def replace_slugify(func: Callable[..., str]) -> None:
    """Rebind ``slugify`` in the two Pelican modules that call it by module name."""
    pelican.contents.slugify = func
    pelican.urlwrappers.slugify = func


_WRITER_METHODS = ("write_file", "write_feed", "_open_w")


def wrap_writer(
    writer: Any, *, write_file: Callable, write_feed: Callable, open_w: Callable
) -> dict[str, Callable]:
    """Replace the writer's ``write_file``, ``write_feed`` and ``_open_w`` on this instance;
    return the originals (bound methods) by name."""
    originals = {name: getattr(writer, name) for name in _WRITER_METHODS}
    writer.write_file, writer.write_feed, writer._open_w = write_file, write_feed, open_w
    return originals


def unwrap_writer(writer: Any) -> None:
    """Undo ``wrap_writer``: the class's methods apply again."""
    for name in _WRITER_METHODS:
        writer.__dict__.pop(name, None)


def replace_method(obj: Any, name: str, func: Callable) -> Callable:
    """Replace ``obj.<name>`` (``generate_output``, ``generate_articles``) on this instance
    only; return what was there."""
    original = getattr(obj, name)
    setattr(obj, name, func)
    return original


def restore_method(obj: Any, name: str) -> None:
    """Undo ``replace_method``."""
    obj.__dict__.pop(name, None)


def reset_log_filter() -> None:
    """Pelican de-duplicates log messages process-wide; a second build in the same process
    (live reload, tests) must see its warnings again."""
    try:
        from pelican.log import LimitFilter
    except ImportError:  # pragma: no cover
        return
    LimitFilter._raised_messages.clear()
    LimitFilter._group_count.clear()


def sitemap_generator() -> Any:
    """The official sitemap plugin's module-level generator (None when it is not installed)."""
    try:
        from pelican.plugins.sitemap import sitemap
    except ImportError:  # pragma: no cover
        return None
    return getattr(sitemap, "generator", None)


def reset_sitemap(gen: Any) -> None:
    """Forget a previous (possibly failed) build the sitemap generator still points at."""
    gen._main_pelican = None
    gen.page_queue = []


def set_sitemap_now(gen: Any, when: Any) -> None:
    """The sitemap's ``lastmod`` for listings: ``when`` instead of the clock."""
    gen.now = when
