"""Quality gates: the built site checked by real validators and a real browser.

Not a Pelican plugin: a library used by the tests (``tests/test_gates.py``) and by
``invoke audit``. One module per gate, each with ``NAME`` and ``run(site, …) -> GateResult``:

- ``html``        Nu HTML Checker (vnu) on every HTML file, in one JVM run
- ``links``       offline crawler: links, assets, ``#anchors``, CSS ``url()``, sitemap entries
- ``feeds``       feedparser: well-formed, absolute URLs, unique ids, entries = articles
- ``a11y``        axe-core in Chromium (light and dark), keyboard walk-through of the consent
- ``privacy``     Chromium on every sitemap page: no foreign request, cookie or storage
- ``security``    CSP ``<meta>`` first in ``<head>``, no inline script/style, referrer, SRI
- ``structured``  JSON-LD types and required properties, Open Graph
- ``pdf``         tagged, language, title, fonts, text (PDF/UA-minded)
"""

from __future__ import annotations

from .core import GateResult, Problem, Site, ToolMissing, in_ci
from .runner import BROWSER_GATES, STATIC_GATES, format_report, run_gates

__all__ = [
    "BROWSER_GATES",
    "STATIC_GATES",
    "GateResult",
    "Problem",
    "Site",
    "ToolMissing",
    "format_report",
    "in_ci",
    "run_gates",
]
