"""Signal wiring and settings of the typography plugin (the one place for both).

Every HTML file Pelican's writer produces (articles, pages, listings, the pages our plugins
write through ``writer.write_file``) is typeset right after it was written
(``content_written``), before the search index or any check reads the output.

Settings (defaults in ``DEFAULTS``): ``TYPOGRAPHY_ENABLED``.
"""

from __future__ import annotations

from pathlib import Path

from pelican import signals

from magazin.core.settings import Setting, declare, setting
from magazin.core.wiring import configure_with, process_safe

from .html import typeset_html
from .rules import typeset

DEFAULTS = declare(
    "magazin.typography",
    "TYPOGRAPHY_",
    Setting("TYPOGRAPHY_ENABLED", True, "German no-break spaces and hyphens in written pages"),
)

configure = configure_with(DEFAULTS)


@process_safe  # reads and rewrites only its own file: may run where the page was written
def typeset_file(path: str, context: dict | None = None) -> None:
    """Typeset one written HTML file in place (only rewritten when something changed)."""
    if not setting(context or {}, "TYPOGRAPHY_ENABLED", DEFAULTS) or not str(path).endswith(".html"):
        return
    target = Path(path)
    text = target.read_text(encoding="utf-8")
    done = typeset_html(text, typeset)
    if done != text:
        target.write_text(done, encoding="utf-8")


def register() -> None:
    signals.initialized.connect(configure)
    signals.content_written.connect(typeset_file)
