"""Every plugin listed in ``PLUGINS`` resolves to this repository's own file.

Pelican prefers a namespace plugin ``pelican.plugins.<name>`` over a folder in ``PLUGIN_PATHS``;
our plugins therefore live under the ``magazin`` package, whose dotted names no PyPI plugin can
take. This test installs nothing: it loads the plugins the way Pelican does and checks where
each one comes from.
"""

from __future__ import annotations

from pathlib import Path

from pelican.plugins._utils import get_namespace_plugins, load_plugins
from pelican.settings import read_settings

ROOT = Path(__file__).resolve().parent.parent
OUR_PLUGINS = ROOT / "plugins" / "magazin"


def test_every_own_plugin_is_loaded_from_our_folder():
    settings = read_settings(str(ROOT / "pelicanconf.py"))
    listed = [name for name in settings["PLUGINS"] if not name.startswith("pelican.plugins.")]
    assert listed, "PLUGINS lists none of our plugins"
    for name in listed:
        assert name.startswith("magazin."), f"{name}: our plugins are listed as magazin.<capability>"
    loaded = {module.__name__: module for module in load_plugins(settings)}
    for name in listed:
        module = loaded.get(name)
        assert module is not None, f"{name} did not load"
        path = Path(module.__file__).resolve()
        assert path.is_relative_to(OUR_PLUGINS), f"{name} was loaded from {path}"


def test_no_namespace_plugin_can_shadow_ours():
    """A namespace package only ever adds ``pelican.plugins.<one word>``; ``magazin.search`` and
    its siblings contain a dot, so neither lookup Pelican makes can match them."""
    settings = read_settings(str(ROOT / "pelicanconf.py"))
    namespace = set(get_namespace_plugins())
    for name in settings["PLUGINS"]:
        if name.startswith("pelican.plugins."):
            continue
        assert name not in namespace and f"pelican.plugins.{name}" not in namespace
        # the form Pelican would need for a namespace plugin to win has no dot after the prefix
        assert "." in name
