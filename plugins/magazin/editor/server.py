"""The local backend of the editor: ``decap-server`` (pinned in ``editor/``) in git mode.

``make serve`` (``invoke livereload``) starts it beside the preview: bound to 127.0.0.1 only
(it has no login; its default would be every interface), on the port of
``EDITOR_LOCAL_BACKEND`` (not 8081, Isso's), answering only the preview's origin (CORS), with
the working copy's git repository. Each save in the editor is a commit there (``git add .``
and ``git commit`` in that repository: decap-server's git mode), and the preview rebuilds.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

from magazin.core.settings import setting

from .config import git_output
from .settings import DEFAULTS

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = ROOT / "editor" / "node_modules" / "decap-server" / "dist" / "index.js"
HOST = "127.0.0.1"


def local_port(settings: dict) -> int | None:
    """The port of ``EDITOR_LOCAL_BACKEND`` (None: no local backend configured)."""
    url = setting(settings, "EDITOR_LOCAL_BACKEND", DEFAULTS)
    if not url:
        return None
    return urlsplit(url).port or 8082


def command(repository: Path, port: int, site_origin: str) -> tuple[list[str], dict[str, str]]:
    """decap-server's command line and environment (git mode, loopback only)."""
    env = {
        **os.environ,
        "PORT": str(port),
        "BIND_HOST": HOST,
        "MODE": "git",
        "GIT_REPO_DIRECTORY": str(repository),
        "ORIGIN": site_origin,
        "LOG_LEVEL": "warn",
    }
    return [shutil.which("node") or "node", str(SCRIPT)], env


def start(settings: dict, site_origin: str, log: IO[Any]) -> subprocess.Popen | None:
    """Start decap-server for the content's repository; None (and why, in German) when it cannot."""
    port = local_port(settings)
    if port is None:
        return None
    if shutil.which("node") is None or not SCRIPT.is_file():
        print("Hinweis: Die Redaktion (/redaktion/) braucht decap-server: „make venv“ installiert es (npm).")
        return None
    top = git_output(Path(settings["PATH"]).resolve(), "rev-parse", "--show-toplevel")
    if not top:
        print("Hinweis: Der Inhaltsordner ist kein Git-Repository: /redaktion/ kann hier nicht speichern.")
        return None
    from .config import local_branch

    if local_branch(settings) is None:
        print(
            "Hinweis: Der Arbeitsordner ist auf keinem Zweig (detached HEAD): "
            "/redaktion/ speichert hier nicht."
        )
        return None
    cmd, env = command(Path(top), port, site_origin)
    print(
        f"Redaktion: {site_origin}/redaktion/ (speichert als Commit in {top}; decap-server auf {HOST}:{port})"
    )
    return subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=top)
