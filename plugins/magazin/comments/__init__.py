"""Reader comments with Isso (self-hosted, moderated, loaded only after the reader's click).

``plugin.py`` is the Pelican side (section, thread ids, client files, CSP); ``server.py`` the
comment server side (running Isso, reading its database, the WordPress import);
``environment.py`` the separate ``.venv-comments``. Guide for IT and moderators:
docs/kommentare.md.
"""

from .plugin import DEFAULTS, Thread, register, thread_for, thread_id_for_source
from .server import import_wordpress, pending_comments

__all__ = [
    "DEFAULTS",
    "Thread",
    "import_wordpress",
    "pending_comments",
    "register",
    "thread_for",
    "thread_id_for_source",
]
