"""Production entry point of the comment server for gunicorn (docs/kommentare.md)::

    ISSO_SETTINGS=comments/isso.cfg .venv-comments/bin/gunicorn -b 127.0.0.1:8081 comments.wsgi:application

Run from the repository root. The environment variables of comments/isso.cfg must be set; the
application is Isso 0.14 wrapped so that readers never get a cookie
(plugins/magazin/comments/server.py).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins" / "magazin" / "comments"))

from server import wsgi_app

application = wsgi_app()
