"""The comment server side: Isso 0.14 run our way, its database read, WordPress comments imported.

This module is imported by the site's tooling (``invoke status``, the WordPress import, tests)
in the build environment ``.venv``, where Isso is NOT installed, and it is also run as a script
by the Python of ``.venv-comments``, where Isso is installed. So it imports only the standard
library at module level; everything that needs Isso is imported inside the functions that run
in the comments environment.

Public API (build environment):

- ``pending_comments(db_path)`` → the comments waiting for approval (read-only SQLite).
- ``import_wordpress(export_path, db_path, thread_id_for_url)`` → import a WordPress export
  (WXR) with Isso's own importer, each thread re-keyed to the thread id the callable returns
  for the post's old URL (``None`` skips the post). Runs Isso in ``.venv-comments``.
- ``server_command(...)`` → the command line that starts the server (``invoke comments-server``,
  the test fixture).

Script use (comments environment)::

    .venv-comments/bin/python plugins/magazin/comments/server.py serve --config comments/isso.cfg --port 8081
    .venv-comments/bin/python plugins/magazin/comments/server.py import-wordpress EXPORT DB MAP.json

Production runs ``comments/wsgi.py`` under gunicorn (see docs/kommentare.md); it calls
``wsgi_app()`` from here.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from sqlite3 import connect as open_database  # plugin.py alone connects signals

ISSO_VERSION = "0.14.0"
HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
CONFIG_TEMPLATE = ROOT / "comments" / "isso.cfg"
COMMENTS_VENV = ROOT / ".venv-comments"

# Isso's comment modes (isso/db/comments.py): 1 public, 2 waiting for approval, 4 deleted.
MODE_PUBLIC, MODE_PENDING, MODE_DELETED = 1, 2, 4

# Paths that moderators use with a session cookie (Isso's admin page). Everything else is what
# readers' browsers call: there Isso's edit cookie is removed (see NoReaderCookies).
ADMIN_PATHS = ("/admin", "/login")

VAR_PATTERN = re.compile(r"\$\{([A-Z][A-Z0-9_]*)\}")


class CommentsError(Exception):
    """A German message for IT (missing setting, missing environment, bad export)."""


# ---------------------------------------------------------------------------------------------
# Configuration: comments/isso.cfg is a template; Isso itself expands ${VARIABLES} from the
# environment (isso.config.IssoParser.get uses os.path.expandvars).


# Variables that must not be empty (the SMTP ones may be, e.g. without SMTP login).
REQUIRED = (
    "ISSO_DB",
    "ISSO_SITE",
    "ISSO_PUBLIC_ENDPOINT",
    "ISSO_NOTIFY",
    "ISSO_ADMIN_PASSWORD",
    "ISSO_GUARD",
)


def missing_variables(config_path: Path, environ: dict[str, str] | None = None) -> list[str]:
    """Names of the ``${VARIABLES}`` in the config file that the environment does not set
    (or sets empty, for those in ``REQUIRED``)."""
    env = os.environ if environ is None else environ
    text = Path(config_path).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.lstrip().startswith(("#", ";"))]
    names = dict.fromkeys(VAR_PATTERN.findall("\n".join(lines)))
    return [n for n in names if n not in env or (n in REQUIRED and not env[n].strip())]


def development_environment(
    *,
    db_path: Path,
    site_origins: Iterable[str],
    public_endpoint: str,
    admin_password: str,
    guard: bool = True,
) -> dict[str, str]:
    """Environment for the template in the authors' preview and in tests: SQLite under
    ``cache/``, notifications on standard output (no mail server), the given site origins."""
    return {
        "ISSO_DB": str(db_path),
        "ISSO_SITE": "\n".join(site_origins),
        "ISSO_PUBLIC_ENDPOINT": public_endpoint,
        "ISSO_NOTIFY": "stdout",
        "ISSO_ADMIN_PASSWORD": admin_password,
        "ISSO_GUARD": "true" if guard else "false",
        "ISSO_SMTP_HOST": "localhost",
        "ISSO_SMTP_PORT": "25",
        "ISSO_SMTP_SECURITY": "none",
        "ISSO_SMTP_USER": "",
        "ISSO_SMTP_PASSWORD": "",
        "ISSO_MODERATION_TO": "",
        "ISSO_MAIL_FROM": "",
    }


# ---------------------------------------------------------------------------------------------
# The WSGI application (comments environment only).


class NoReaderCookies:
    """WSGI middleware: no answer to a reader ever sets a cookie.

    Isso answers a new comment with ``Set-Cookie`` (on the comment server's host) and
    ``X-Set-Cookie`` (which its script writes into ``document.cookie`` of the magazine); the
    cookie lets the author edit or delete the comment for ``max-age``. We drop both: the magazine
    keeps its promise „setzt keine Cookies“, moderation makes self-editing moot, and deletion
    works on request (docs/kommentare.md). Without the cookie Isso's script hides the edit and
    delete links by itself. The admin page (``/admin``, ``/login``) keeps its session cookie:
    only moderators use it.
    """

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path.startswith(ADMIN_PATHS):
            return self.app(environ, start_response)

        def without_cookies(status, headers, exc_info=None):
            kept = [(k, v) for k, v in headers if k.lower() not in ("set-cookie", "x-set-cookie")]
            return start_response(status, kept, exc_info) if exc_info else start_response(status, kept)

        return self.app(environ, without_cookies)


def make_app(config_path: Path):
    """Isso's WSGI application for ``config_path`` (with Isso's defaults below it), wrapped."""
    missing = missing_variables(config_path)
    if missing:
        raise CommentsError(
            f"{config_path}: Umgebungsvariable(n) nicht gesetzt: {', '.join(missing)}. "
            "Bitte setzen (siehe docs/kommentare.md, Abschnitt „Konfiguration“)."
        )
    from isso import config as isso_config
    from isso import make_app as isso_make_app

    conf = isso_config.load(isso_config.default_file(), str(config_path))
    return NoReaderCookies(isso_make_app(conf))


def wsgi_app():
    """The application for gunicorn: the config file from ``ISSO_SETTINGS`` (Isso's own name)."""
    path = os.environ.get("ISSO_SETTINGS") or str(CONFIG_TEMPLATE)
    return make_app(Path(path))


def serve(config_path: Path, host: str, port: int) -> None:
    """Werkzeug's threaded server on ``host:port`` (authors' preview, tests; not production)."""
    from werkzeug.serving import run_simple

    app = make_app(config_path)
    run_simple(host, port, app, threaded=True, use_reloader=False)


def server_command(python: Path, config_path: Path, host: str, port: int) -> list[str]:
    """The command that starts the development server with ``python`` of .venv-comments."""
    return [str(python), str(Path(__file__).resolve()), "serve", "--config", str(config_path),
            "--host", host, "--port", str(port)]  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Reading the database (build environment; read-only, works while the server runs).


@dataclass(frozen=True)
class PendingComment:
    """A comment waiting for approval."""

    id: int
    thread_id: str  # the article's data-isso-id
    thread_title: str
    created: float  # Unix time
    author: str  # "" when anonymous
    text: str  # the stored Markdown source


def pending_comments(db_path: Path) -> list[PendingComment]:
    """Every comment in mode 2 (waiting), oldest first per thread. A missing file → ``[]``."""
    path = Path(db_path)
    if not path.exists():
        return []
    con = open_database(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        rows = con.execute(
            "SELECT c.id, t.uri, t.title, c.created, c.author, c.text FROM comments c "
            "JOIN threads t ON c.tid = t.id WHERE c.mode = ? ORDER BY t.uri, c.created",
            (MODE_PENDING,),
        ).fetchall()
    except sqlite3.DatabaseError as exc:
        raise CommentsError(f"{path}: keine lesbare Isso-Datenbank ({exc}).") from None
    finally:
        con.close()
    return [
        PendingComment(int(i), uri, title or "", float(c), author or "", text or "")
        for i, uri, title, c, author, text in rows
    ]


# ---------------------------------------------------------------------------------------------
# WordPress import: Isso's own importer (isso.migrate.WordPress), threads re-keyed.


@dataclass
class ImportReport:
    """What ``import_wordpress`` did."""

    threads: dict[str, int] = field(default_factory=dict)  # thread id → comments imported
    skipped: list[str] = field(default_factory=list)  # post URLs without a thread id
    existing: list[str] = field(default_factory=list)  # thread ids that already had a thread

    @property
    def comments(self) -> int:
        return sum(self.threads.values())


def wordpress_links(export_path: Path) -> list[str]:
    """The ``<link>`` of every post in a WordPress export that has at least one comment."""
    try:
        tree = ElementTree.parse(export_path)  # noqa: S314 (our own export file; Isso's importer parses it alike)
    except (OSError, ElementTree.ParseError) as exc:
        raise CommentsError(f"{export_path}: kein lesbarer WordPress-Export ({exc}).") from None
    links = []
    for item in tree.findall("channel/item"):
        link = item.findtext("link")
        has_comment = any(child.tag.endswith("}comment") for child in item)
        if link and has_comment:
            links.append(link.strip())
    return links


def _check_thread_id(link: str, thread_id: str) -> None:
    if not thread_id.startswith("/") or any(ch in thread_id for ch in "?#\n\r\t "):
        raise CommentsError(
            f"Thread-ID {thread_id!r} für {link}: muss mit „/“ beginnen und darf weder "
            "Leerzeichen noch ? oder # enthalten."
        )


def import_wordpress(
    export_path: str | os.PathLike[str],
    db_path: str | os.PathLike[str],
    thread_id_for_url: Callable[[str], str | None],
    *,
    python: str | os.PathLike[str] | None = None,
) -> ImportReport:
    """Import the comments of a WordPress export (WXR) into the Isso database ``db_path``.

    Uses Isso's own importer (``isso.migrate.WordPress``: threading, approval state, IPs
    shortened to /24 and /48, dates). Each post's thread is stored under
    ``thread_id_for_url(post_url)`` (the imported article's ``data-isso-id``, see
    ``plugin.thread_id``) instead of the old URL path; ``None`` skips that post. A thread id that
    already exists in the database is skipped too (importing twice adds nothing). The database
    is created if missing. Isso runs in ``.venv-comments`` unless this interpreter has it
    (``python`` overrides which interpreter); the callable always runs here.
    """
    export = Path(export_path).resolve()
    db = Path(db_path).resolve()
    mapping: dict[str, str] = {}
    report = ImportReport()
    for link in wordpress_links(export):
        thread_id = thread_id_for_url(link)
        if thread_id is None:
            report.skipped.append(link)
            continue
        _check_thread_id(link, thread_id)
        mapping[link] = thread_id
    if python is None and _isso_available():
        result = _migrate_wordpress(export, db, mapping)
    else:
        interpreter = Path(python) if python else COMMENTS_VENV / "bin" / "python"
        if not interpreter.exists():
            raise CommentsError(
                f"{interpreter} fehlt: die Kommentar-Umgebung ist nicht installiert. "
                "Bitte zuerst „.venv/bin/invoke comments-install“ ausführen."
            )
        with tempfile.TemporaryDirectory(prefix="isso-import-") as tmp:
            map_file = Path(tmp) / "threads.json"
            map_file.write_text(json.dumps(mapping), encoding="utf-8")
            cmd = [
                str(interpreter),
                str(Path(__file__).resolve()),
                "import-wordpress",
                str(export),
                str(db),
                str(map_file),
            ]
            done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise CommentsError(f"Isso-Import fehlgeschlagen: {done.stderr.strip()[-2000:]}")
        result = json.loads(done.stdout.strip().splitlines()[-1])
    report.threads.update(result["threads"])
    report.existing.extend(result["existing"])
    return report


def _isso_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("isso") is not None


def _migrate_wordpress(export: Path, db_path: Path, mapping: dict[str, str]) -> dict:
    """Run Isso's WordPress importer with each thread keyed by ``mapping`` (comments env)."""
    from isso import config as isso_config
    from isso.db import SQLite3
    from isso.migrate import WordPress

    conf = isso_config.load(isso_config.default_file())
    db = SQLite3(str(db_path), conf)
    threads: dict[str, int] = {}
    existing: list[str] = []

    class Rekeyed(WordPress):
        """Isso's importer; ``insert`` sees the thread id in place of the post's link."""

        def insert(self, thread):
            link_el = thread.find("link")
            thread_id = mapping.get((link_el.text or "").strip())
            if thread_id is None:
                return
            if thread_id in self.db.threads:
                existing.append(thread_id)
                return
            before = self.count
            link_el.text = thread_id  # Isso keys the thread by urlparse(link).path
            super().insert(thread)
            threads[thread_id] = self.count - before

    importer = Rekeyed(db, str(export))
    importer.migrate()
    return {"threads": threads, "existing": existing}


# ---------------------------------------------------------------------------------------------
# Command line (comments environment).


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Isso für das Edelstahlmagazin")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("serve", help="Entwicklungsserver (Vorschau, Tests)")
    run.add_argument("--config", type=Path, default=CONFIG_TEMPLATE)
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=8081)
    imp = sub.add_parser("import-wordpress", help="WordPress-Export importieren (Thread-IDs aus JSON)")
    imp.add_argument("export", type=Path)
    imp.add_argument("db", type=Path)
    imp.add_argument("mapping", type=Path)
    args = parser.parse_args(argv)
    try:
        if args.command == "serve":
            serve(args.config, args.host, args.port)
        else:
            mapping = json.loads(args.mapping.read_text(encoding="utf-8"))
            result = _migrate_wordpress(args.export, args.db, mapping)
            sys.stdout.write("\n" + json.dumps(result) + "\n")
    except CommentsError as exc:
        sys.stderr.write(f"✗ {exc}\n")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


__all__ = [
    "CommentsError",
    "ImportReport",
    "NoReaderCookies",
    "PendingComment",
    "development_environment",
    "import_wordpress",
    "missing_variables",
    "pending_comments",
    "server_command",
    "wsgi_app",
]
