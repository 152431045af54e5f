"""Pelican side of the WordPress move: settings and the redirects generator.

``register()`` only connects signals. The import itself (``importer.py``) runs from
``invoke import-wordpress``, never during a build.
"""

from __future__ import annotations

from pathlib import Path

from pelican import signals

from magazin.core.settings import Setting, add_template_dir, apply_defaults, declare
from magazin.stylesheet import add_css

from .lead import lead_in_text
from .redirects import WordPressRedirectsGenerator

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
CSS = Path(__file__).resolve().parent / "static" / "wordpress" / "wordpress.css"
DEFAULTS = declare(
    "magazin.wordpress",
    "WORDPRESS_",
    Setting(
        "WORDPRESS_ADDRESSES",
        "wordpress-adressen.yml",
        "old WordPress addresses (in MAGAZINE_DATA_DIR, written by the import)",
    ),
    Setting("WORDPRESS_REDIRECTS_SAVE_AS", "_redirects", 'redirect list for hosts that read one ("": none)'),
    Setting("WORDPRESS_NGINX_MAP_SAVE_AS", "_redirects.nginx.conf", 'the same as an nginx map ("": none)'),
    Setting("WORDPRESS_REDIRECT_STATUS", 301, "HTTP status of the redirects in those lists"),
)


def configure(pelican) -> None:
    """Defaults, the plugin's template folder and the CSS of imported galleries and players."""
    apply_defaults(pelican.settings, DEFAULTS)
    add_template_dir(pelican.settings, TEMPLATES_DIR)
    add_css(pelican.settings, "wordpress", CSS)


def add_globals(generator) -> None:
    """``lead_in_text(article)`` for the article template (guarded with ``is defined``)."""
    generator.env.globals["lead_in_text"] = lead_in_text


def get_generators(pelican) -> type:
    return WordPressRedirectsGenerator


def register() -> None:
    signals.initialized.connect(configure)
    signals.get_generators.connect(get_generators)
    signals.generator_init.connect(add_globals)
