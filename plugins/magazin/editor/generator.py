"""Writes the editor: ``/redaktion/index.html`` (template ``redaktion.html``), Decap's
``config.yml``, the rules file ``regeln.json``, our own scripts (``js/``), ``marked`` (the pane's
Markdown without a preview server) and Decap's bundle
(``decap-cms.js``, its lazily loaded chunks and ``.wasm`` files, its licence) from the pinned
npm package, so that nothing is ever loaded from a CDN.

The files are written directly, not through Pelican's writer: no ``content_written`` receiver
sees them, so the editor is in no sitemap, search index or feed (and carries ``noindex``).
A missing bundle (``make venv`` installs it) is a warning, an error in the strict publish build.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from pathlib import Path

from pelican.generators import Generator

from magazin.core.settings import setting

from .config import config_yaml, rules
from .policy import editor_csp
from .settings import DEFAULTS

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[3]
SCRIPTS = Path(__file__).with_name("js")
TEMPLATE = "redaktion"


def bundle_files(bundle: Path) -> list[Path]:
    """What of decap-cms's ``dist`` the browser loads: the entry script, its chunks, the
    WebAssembly modules and the licence file (no source maps, no second ``cms.js`` build)."""
    if not (bundle / "decap-cms.js").is_file():
        return []
    return sorted(
        p
        for p in bundle.iterdir()
        if p.is_file()
        and (
            p.name in ("decap-cms.js", "decap-cms.js.LICENSE.txt")
            or p.name.endswith((".decap-cms.js", ".wasm"))
        )
    )


def _place(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


class EditorGenerator(Generator):
    """The authors' editor at ``EDITOR_URL``."""

    def generate_context(self) -> None:
        pass

    def generate_output(self, writer) -> None:
        settings = self.settings
        if not setting(settings, "EDITOR_ENABLED", DEFAULTS):
            return
        url = str(setting(settings, "EDITOR_URL", DEFAULTS)).strip("/")
        folder = Path(self.output_path) / url
        folder.mkdir(parents=True, exist_ok=True)
        bundle = Path(setting(settings, "EDITOR_BUNDLE", DEFAULTS))
        if not bundle.is_absolute():
            bundle = ROOT / bundle
        files = bundle_files(bundle)
        if not files:
            logger.warning(
                "Redaktion: Decap CMS fehlt (%s). „make venv“ installiert es (npm ci in editor/); "
                "ohne es öffnet /%s/ keinen Editor.",
                bundle,
                url,
            )
        for source in files:
            _place(source, folder / source.name)
        marked = Path(setting(settings, "EDITOR_MARKED", DEFAULTS))
        marked = marked if marked.is_absolute() else ROOT / marked
        if marked.is_file():  # the pane's Markdown where no preview server answers (production)
            _place(marked, folder / "marked.js")
        for source in sorted([*SCRIPTS.glob("*.js"), *SCRIPTS.glob("*.css")]):
            _place(source, folder / source.name)
        (folder / "config.yml").write_text(config_yaml(settings), encoding="utf-8")
        taken = [
            a.slug
            for key in ("articles", "drafts", "hidden_articles")
            for a in self.context.get(key, []) or []
        ]
        (folder / "regeln.json").write_text(
            json.dumps(rules(settings, taken), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        template = self.get_template(TEMPLATE)
        html = template.render(
            {
                **self.context,
                "EDITOR_CSP": editor_csp(settings),
                "EDITOR_PATH": url,
                "SITEURL": settings.get("SITEURL", ""),
            }
        )
        (folder / "index.html").write_text(html, encoding="utf-8")
