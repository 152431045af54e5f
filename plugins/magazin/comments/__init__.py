"""Reader comments with Isso (self-hosted, moderated, loaded only after the reader's click).

``plugin.py`` wires the Pelican side: ``assets.py`` (client files, CSP, settings) and
``threads.py`` (thread ids); ``server.py`` the
comment server side (running Isso, reading its database, the WordPress import);
``environment.py`` the separate ``.venv-comments``. Guide for IT and moderators:
docs/kommentare.md.
"""

from .assets import DEFAULTS
from .plugin import register
from .server import import_wordpress, pending_comments
from .threads import Thread, thread_for, thread_id_for_source

__all__ = [
    "DEFAULTS",
    "Thread",
    "import_wordpress",
    "pending_comments",
    "register",
    "thread_for",
    "thread_id_for_source",
]
