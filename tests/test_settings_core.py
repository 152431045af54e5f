"""The settings plumbing every plugin shares (``magazin.core.settings``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from magazin.core.settings import (
    add_markdown_extension,
    add_static_dir,
    add_template_dir,
    apply_defaults,
    canonical_base,
    publisher_name,
    setting,
)

DEFAULTS = {"DEMO_COUNT": 4, "DEMO_TITLE": "Aktuelles"}


def test_defaults_fill_only_what_the_site_left_out():
    settings = {"DEMO_COUNT": 7}
    apply_defaults(settings, DEFAULTS)
    assert settings == {"DEMO_COUNT": 7, "DEMO_TITLE": "Aktuelles"}
    assert setting({}, "DEMO_COUNT", DEFAULTS) == 4
    assert setting({"DEMO_COUNT": 0}, "DEMO_COUNT", DEFAULTS) == 0  # a falsy value is a value
    with pytest.raises(KeyError):
        setting({}, "DEMO_CUONT", DEFAULTS)  # a misspelt name fails instead of reading None


def test_template_dir_is_added_once_without_touching_the_settings_module_list():
    original = ["/theme/overrides"]
    settings = {"THEME_TEMPLATES_OVERRIDES": original}
    add_template_dir(settings, Path("/plugins/x/templates"))
    add_template_dir(settings, "/plugins/x/templates")
    assert settings["THEME_TEMPLATES_OVERRIDES"] == ["/theme/overrides", "/plugins/x/templates"]
    assert original == ["/theme/overrides"]


def test_static_dir_needs_one_folder_named_after_the_plugin(tmp_path):
    static = tmp_path / "static"
    (static / "demo").mkdir(parents=True)
    settings = {"THEME_STATIC_PATHS": ["static"], "THEME_STATIC_DIR": "theme"}
    assert add_static_dir(settings, static, "demo") == "theme/demo"
    add_static_dir(settings, static, "demo")
    assert settings["THEME_STATIC_PATHS"] == ["static", str(static)]
    (static / "stray.js").write_text("")
    with pytest.raises(ValueError, match=r"stray\.js"):
        add_static_dir({"THEME_STATIC_PATHS": []}, static, "demo")
    with pytest.raises(ValueError, match="other"):
        add_static_dir({"THEME_STATIC_PATHS": []}, tmp_path, "other")


def test_markdown_extension_replaces_an_earlier_instance_of_its_class():
    class Ext:
        def __init__(self, n):
            self.n = n

    class Other:
        pass

    module_dict = {"extensions": ["extra"], "extension_configs": {"toc": {}}}
    settings = {"MARKDOWN": module_dict}
    other = Other()
    add_markdown_extension(settings, Ext(1))
    add_markdown_extension(settings, other)
    add_markdown_extension(settings, Ext(2))
    extensions = settings["MARKDOWN"]["extensions"]
    assert extensions[:2] == ["extra", other] and extensions[2].n == 2 and len(extensions) == 3
    assert module_dict["extensions"] == ["extra"]


def test_canonical_base_and_publisher():
    assert (
        canonical_base({"MAGAZINE_CANONICAL_BASE": "https://m.example/", "SITEURL": "x"})
        == "https://m.example"
    )
    assert (
        canonical_base({"MAGAZINE_CANONICAL_BASE": "", "SITEURL": "https://s.example/"})
        == "https://s.example"
    )
    assert canonical_base({}) == ""
    assert publisher_name({"PUBLISHER": "Muster AG"}) == "Muster AG"
    assert publisher_name({}) == publisher_name({"PUBLISHER": ""}) == "heco gmbh"


def test_one_plain_text_for_articles_and_posts():
    from magazin.core.text import plain_text

    # every tag separates words (word counts and summaries of articles) …
    assert plain_text("<p>Rohr</p><p>Flansch<br>Bogen</p>") == "Rohr Flansch Bogen"
    # … entities are decoded once, script and style vanish with their content
    assert plain_text("A &amp;lt; B &amp; C<script>alert(1)</script><style>p{}</style>") == "A &lt; B & C"
    assert plain_text("  Edelstahl \n\t rostfrei ") == "Edelstahl rostfrei"


def test_wiring_handlers_apply_defaults_first_then_the_plugins_own_steps(tmp_path):
    from types import SimpleNamespace

    from magazin.core.wiring import configure_with, provides

    seen = []
    configure = configure_with(
        DEFAULTS, templates=tmp_path, then=[lambda p: seen.append(p.settings["DEMO_COUNT"]), seen.append]
    )
    pelican = SimpleNamespace(settings={"DEMO_TITLE": "Eigener Titel"})
    configure(pelican)
    assert pelican.settings["DEMO_TITLE"] == "Eigener Titel" and seen == [4, pelican]
    assert pelican.settings["THEME_TEMPLATES_OVERRIDES"] == [str(tmp_path)]

    class DemoGenerator:
        pass

    assert provides(DemoGenerator)(pelican) is DemoGenerator
