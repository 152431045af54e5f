"""Every setting is declared once, next to its plugin; a wrong one stops the build in German.

What an IT colleague sees when they misspell a setting in ``pelicanconf.py``/``publishconf.py``,
give it the wrong type or keep a retired name, and the generated reference they read.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pelican.settings import read_settings

from conftest import FIXTURES, ROOT, SETTINGS
from magazin.core.build import BuildFailed, build
from magazin.core.settings import REFERENCE, declarations, reference_for

PLUGINS = read_settings(str(SETTINGS))["PLUGINS"]


def _build_with(tmp_path: Path, lines: str) -> list[str]:
    """Build the mini fixture with the development settings plus ``lines``; the problems."""
    settings = tmp_path / "meinconf.py"
    settings.write_text("from pelicanconf import *  # noqa\n\n" + lines, encoding="utf-8")
    out = tmp_path / "output"
    out.mkdir()
    (out / "alt.html").write_text("bisherige Website", encoding="utf-8")
    overrides = {"PATH": str(FIXTURES / "mini" / "content"), "CACHE_PATH": str(tmp_path / "cache")}
    with pytest.raises(BuildFailed) as info:
        build(settings, out, overrides=overrides)
    # the previous site is left untouched
    assert (out / "alt.html").read_text(encoding="utf-8") == "bisherige Website"
    return info.value.problems


def test_the_settings_reference_is_current():
    """docs/einstellungen.md is generated from the declarations (``invoke einstellungen``)."""
    written = (ROOT / REFERENCE).read_text(encoding="utf-8")
    assert written == reference_for(PLUGINS), "docs/einstellungen.md ist veraltet: invoke einstellungen"
    for name in ("IMAGES_WIDTHS", "PARALLEL_WORKERS", "BROCHURE_TIMEOUT", "CHANNELS_COMPANY", "FEEDS_ALL"):
        assert f"| `{name}` |" in written


def test_a_misspelt_setting_names_the_file_line_and_the_nearest_name(tmp_path):
    problems = _build_with(tmp_path, "IMAGES_WIDTH = [480, 960]\n")
    assert problems == [
        "meinconf.py:3: Die Einstellung „IMAGES_WIDTH“ gibt es nicht. Meinten Sie „IMAGES_WIDTHS“? "
        "Alle Einstellungen stehen in docs/einstellungen.md."
    ]


def test_a_misspelt_core_setting_stops_the_build_too(tmp_path):
    problems = _build_with(tmp_path, "\nMAGAZINE_STIRCT = True\n")
    assert len(problems) == 1
    assert problems[0].startswith("meinconf.py:4: Die Einstellung „MAGAZINE_STIRCT“ gibt es nicht.")
    assert "Meinten Sie „MAGAZINE_STRICT“?" in problems[0]


def test_a_wrong_type_is_named_with_the_default(tmp_path):
    problems = _build_with(tmp_path, 'BROCHURE_TIMEOUT = "300"\n')
    assert problems == [
        "meinconf.py:3: „BROCHURE_TIMEOUT“ muss eine Zahl sein, ist aber ein Text ('300'). Vorgabe: 300."
    ]


def test_a_number_is_not_a_yes_no_and_yes_no_is_not_a_number(tmp_path):
    problems = _build_with(tmp_path, "TYPOGRAPHY_ENABLED = 1\n")
    assert problems == [
        "meinconf.py:3: „TYPOGRAPHY_ENABLED“ muss ja/nein (True/False) sein, ist aber eine Zahl (1). "
        "Vorgabe: True."
    ]
    (tmp_path / "second").mkdir()
    problems = _build_with(tmp_path / "second", "BROCHURE_LATEST_ARTICLES = True\n")
    assert "„BROCHURE_LATEST_ARTICLES“ muss eine Zahl sein, ist aber ja/nein (True/False)" in problems[0]


@pytest.mark.parametrize(
    ("old", "new"),
    [("SOCIAL_COMPANY", "CHANNELS_COMPANY"), ("MAGAZINE_FEED_MAX_ITEMS", "FEEDS_MAX_ITEMS")],
)
def test_a_retired_name_says_its_new_name(tmp_path, old, new):
    problems = _build_with(tmp_path, f"{old} = {{}}\n" if "COMPANY" in old else f"{old} = 20\n")
    assert problems == [f"meinconf.py:3: Die Einstellung „{old}“ heißt jetzt „{new}“: bitte umbenennen."]


def test_the_sample_settings_pass_the_checks(tmp_path):
    """The project's own pelicanconf/publishconf use only declared names of the right type."""
    from magazin.core.settings import problems

    for settings_file in (SETTINGS, ROOT / "publishconf.py"):
        settings = read_settings(str(settings_file))
        reference_for(settings["PLUGINS"])
        for owner, declared in declarations().items():
            assert problems(settings, declared) == [], (settings_file.name, owner)


def test_every_plugin_declares_with_its_own_prefix():
    """``magazin.<name>`` declares ``<NAME>_…`` (the core: ``MAGAZINE_…``), each name once."""
    reference_for(PLUGINS)
    seen: dict[str, str] = {}
    for owner, declared in declarations().items():
        if not owner.startswith("magazin."):
            continue
        name = owner.split(".")[1]
        expected = "MAGAZINE_" if name == "core" else f"{name.upper()}_"  # the core's own prefix
        assert declared.prefixes == (expected,), owner
        for key in declared:
            assert key not in seen, f"{key} declared by {seen.get(key)} and {owner}"
            seen[key] = owner


# Keys with a plugin's prefix that are template context or per-build state, not settings.
CONTEXT_KEYS = {
    "SEARCH_BUNDLE_URL",
    "SEARCH_SITE_INDEX",
    "INTRANET_ITEMS",
    "POSTS_LIBRARY",
    "COMMENTS_SCRIPT",
    "COMMENTS_ISSO_SCRIPT",
    "COMMENTS_ISSO_CSS",
    "COMMENTS_PRIVACY_URL",
    "STATISTICS_BEACON",
    "EDITOR_CSP",
    "EDITOR_PATH",  # derived by the statistics plugin (where pages report), not a setting
}
_KEY = re.compile(r"""["']([A-Z][A-Z0-9]*_[A-Z0-9_]+)["']""")


def test_every_prefixed_key_the_code_reads_is_declared():
    """A setting read under a plugin's prefix but declared nowhere (``POSTS_DIR`` for
    ``POSTS_PATH``) would silently read its inline fallback: the code names declared keys only."""
    reference_for(PLUGINS)
    declared = {key: d for d in declarations().values() for key in d}
    retired = {old for d in declarations().values() for old in d.renamed}
    prefixes = {p: d.owner for d in declarations().values() for p in d.prefixes}
    sources = [*sorted((ROOT / "plugins" / "magazin").rglob("*.py")), ROOT / "tasks.py"]
    sources += sorted((ROOT / "plugins" / "magazin").rglob("*.html")) + sorted(
        (ROOT / "theme").rglob("*.html")
    )
    unknown = []
    for path in sources:
        text = path.read_text(encoding="utf-8")
        keys = set(_KEY.findall(text))
        if path.suffix == ".html":
            keys |= set(re.findall(r"\b([A-Z][A-Z0-9]*_[A-Z0-9_]+)\b", text))
        for key in sorted(keys):
            if key in declared or key in retired or key in CONTEXT_KEYS:
                continue
            if key.startswith(tuple(prefixes)):
                unknown.append(f"{path.relative_to(ROOT)}: {key}")
    assert unknown == []


def test_the_own_server_settings_are_checked_before_the_configuration_is_written(tmp_path):
    """``SERVER_…`` belongs to a library (no listed plugin): its tasks check it the same way."""
    from magazin.server.nginx import effective_settings

    settings = tmp_path / "meinconf.py"
    settings.write_text("from publishconf import *  # noqa\n\nSERVER_KEEP_RELEASE = 3\n", encoding="utf-8")
    with pytest.raises(BuildFailed) as info:
        effective_settings(settings, {"PATH": str(ROOT / "content"), "THEME": str(ROOT / "theme")})
    assert info.value.problems == [
        "meinconf.py:3: Die Einstellung „SERVER_KEEP_RELEASE“ gibt es nicht. Meinten Sie "
        "„SERVER_KEEP_RELEASES“? Alle Einstellungen stehen in docs/einstellungen.md."
    ]
