"""The Edelstahlmagazin's own Pelican plugins, one subpackage per capability.

They live under this package so that their names (``magazin.search``, ``magazin.seo`` …) can
never be shadowed by a namespace plugin from PyPI (``pelican.plugins.search`` would win over a
plain ``search`` folder in ``PLUGIN_PATHS``). See ``docs/architektur.md``.
"""
