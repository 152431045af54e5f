"""The authors' editor in the browser: Decap CMS at ``/redaktion/`` (docs/redaktion.md).

``generator.py`` writes the page, Decap's configuration (generated from ``content/data``) and
the pinned bundle; ``policy.py`` the page's own Content-Security-Policy (``editor_csp``, also
for the web server's header); ``preview.py`` the live preview's endpoint that renders and
checks the draft; ``js/`` our file format, text widget and preview pane for Decap.
"""

from .plugin import DEFAULTS, register
from .policy import editor_csp

__all__ = ["DEFAULTS", "editor_csp", "register"]
