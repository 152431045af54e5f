"""The rules of docs/architektur.md, pinned: plugin order in ``PLUGINS``, where templates live,
the theme working with only the plugins it is built on, and the private parts of the sitemap
plugin that ``seo`` touches (a Pelican or plugin upgrade that changes them fails here)."""

from __future__ import annotations

import re
from pathlib import Path

from pelican.settings import read_settings

from conftest import ROOT, build_site, copy_fixture, page

PLUGINS_DIR = ROOT / "plugins" / "magazin"
THEME_TEMPLATES = ROOT / "theme" / "templates"
# The plugins the theme is built on: it calls their filters and globals without a guard.
THEME_NEEDS = ["magazin.german", "magazin.masthead", "magazin.seo"]


def listed() -> list[str]:
    return list(read_settings(str(ROOT / "pelicanconf.py"))["PLUGINS"])


def test_order_rules_of_plugins():
    plugins = listed()
    # parallel wraps the readers the others installed (consent's Markdown reader) and
    # fingerprints the settings after every other ``initialized`` handler added to them
    assert plugins[-1] == "magazin.parallel"
    # seo resets and adjusts the sitemap plugin's generator
    assert plugins.index("pelican.plugins.sitemap") < plugins.index("magazin.seo")
    # the intranet fragment thumbnails the video posters the YouTube generator wrote
    assert plugins.index("magazin.youtube") < plugins.index("magazin.intranet")
    # typography rewrites each written page before the search helper is told to read it
    assert plugins.index("magazin.typography") < plugins.index("magazin.search")
    for needed in THEME_NEEDS:
        assert needed in plugins


def test_plugin_templates_never_shadow_the_theme_or_each_other():
    """Pelican searches plugin template folders before the theme: a plugin template with a
    theme template's name would silently replace it."""
    owner: dict[str, str] = {
        p.relative_to(THEME_TEMPLATES).as_posix(): "theme" for p in THEME_TEMPLATES.rglob("*.html")
    }
    plugin_folders = sorted(PLUGINS_DIR.glob("*/templates"))
    assert len(plugin_folders) >= 6
    for folder in plugin_folders:
        for path in folder.rglob("*.html"):
            name = path.relative_to(folder).as_posix()
            assert name not in owner, f"{name}: in {folder.parent.name} and in {owner.get(name)}"
            owner[name] = folder.parent.name


def test_every_plugin_follows_the_pattern():
    """``__init__`` re-exports ``register`` from ``plugin.py``; signals are connected only there."""
    for name in listed():
        if not name.startswith("magazin."):
            continue
        folder = PLUGINS_DIR / name.split(".", 1)[1]
        init = (folder / "__init__.py").read_text(encoding="utf-8")
        assert re.search(r"^from \.plugin import .*\bregister\b", init, re.M), f"{name}: __init__"
        for module in folder.rglob("*.py"):
            text = module.read_text(encoding="utf-8")
            if module.name != "plugin.py":
                # a Pelican signal's connect (sqlite3.connect and the like are not signals)
                assert not re.search(r"(?<!sqlite3)\.connect\(", text), (
                    f"{module}: signals are connected in plugin.py only"
                )
        assert "def register() -> None:" in (folder / "plugin.py").read_text(encoding="utf-8")


def test_theme_works_with_only_the_plugins_it_is_built_on(tmp_path):
    """Every other plugin's template global is guarded in the theme (a call to a missing global
    would stop the build) and its partials are included with ``ignore missing``."""
    content = copy_fixture("mini", tmp_path / "site")
    out = tmp_path / "output"
    build_site(content, out, PLUGINS=["pelican.plugins.sitemap", *THEME_NEEDS], MAGAZINE_STRICT=False)
    home = page(out, "/")
    assert home.find("h1") is not None
    assert home.find(id="social-title") is None  # the channels panel needs the channels plugin
    assert home.find("form", class_="header-search") is None  # the search form needs search
    article = page(out, "/technik/qualitaet-von-edelstahl-ein-ueberblick/")
    assert article.find("h1").get_text(strip=True)
    assert article.find(class_="share") is None and not article.find("article").has_attr("data-pagefind-body")
    assert not (out / "suche").exists() and not (out / "social-media").exists()


def test_a_later_build_in_the_same_process_runs_only_its_own_plugins(tmp_path):
    """Pelican never disconnects a plugin's handlers; the safe build detaches those of plugins a
    build does not list, so a build with every plugin followed by one with few (live preview,
    tests, reports in one process) neither fails nor writes the absent plugins' pages."""
    content = copy_fixture("videos", tmp_path / "site")
    full = tmp_path / "full"
    build_site(content, full, MAGAZINE_STRICT=False)
    assert (full / "videos" / "index.html").is_file() and (full / "suche" / "index.html").is_file()
    few = tmp_path / "few"
    build_site(content, few, PLUGINS=["pelican.plugins.sitemap", *THEME_NEEDS], MAGAZINE_STRICT=False)
    assert not (few / "videos").exists() and not (few / "suche").exists() and not (few / "pagefind").exists()
    again = tmp_path / "again"
    build_site(content, again, MAGAZINE_STRICT=False)  # listed again: connected again
    assert (again / "videos" / "index.html").is_file()


def test_with_every_plugin_the_guarded_parts_appear(tmp_path):
    content = copy_fixture("mini", tmp_path / "site")
    out = tmp_path / "output"
    build_site(content, out)
    home = page(out, "/")
    assert home.find(id="social-title") is not None
    assert home.find("form", class_="header-search") is not None
    assert (out / "suche" / "index.html").is_file() and (out / "social-media" / "index.html").is_file()


def test_template_rule_is_written_down():
    doc = (ROOT / "docs" / "architektur.md").read_text(encoding="utf-8")
    assert "templates" in doc and all(name.split(".")[1] in doc for name in THEME_NEEDS)
    assert Path(PLUGINS_DIR / "core" / "settings.py").is_file()


def test_every_build_connects_the_plugins_handlers_in_plugins_order(tmp_path):
    """A handler disconnected and connected again (a test, the preview's fewer-plugin build)
    would run after the others; the safe build detaches every plugin's handlers first, so the
    consent plugin's reader is installed before the parallel plugin wraps the readers."""
    from pelican import signals

    from magazin.consent import reader as consent_reader
    from magazin.parallel.parallel import wrap_readers

    signals.readers_init.connect(wrap_readers)  # as an earlier build in this process left it
    signals.readers_init.disconnect(consent_reader.install_reader)
    signals.readers_init.connect(consent_reader.install_reader)  # now after wrap_readers
    content = copy_fixture("mini", tmp_path / "site")
    build_site(content, tmp_path / "output")

    def names(signal) -> list:
        refs = [r() if callable(r) and not hasattr(r, "__name__") else r for r in signal.receivers.values()]
        return [getattr(f, "__name__", "") for f in refs]

    order = names(signals.readers_init)
    assert order.index(consent_reader.install_reader.__name__) < order.index(wrap_readers.__name__)
