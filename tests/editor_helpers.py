"""Start the authors' editor for a browser test: a fixture site in a temporary git repository,
decap-server on 127.0.0.1 in git mode against it, and the live preview serving /redaktion/."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from conftest import ROOT, copy_fixture

AUTHOR = ("Jürgen Weiß", "juergen.weiss@heco.example")


def git(repo: Path, *args: str, env: dict | None = None) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=True, env=env
    )
    return done.stdout


def init_repository(repo: Path, name: str = AUTHOR[0], email: str = AUTHOR[1]) -> None:
    """``repo`` becomes a git repository with one commit of everything in it."""
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.name", name)
    git(repo, "config", "user.email", email)
    git(repo, "config", "commit.gpgsign", "false")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Fixture")


def _wait(url: str, process: subprocess.Popen, log: Path, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except urllib.error.HTTPError:
            return  # it answers
        except (urllib.error.URLError, OSError):
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise AssertionError(log.read_text(encoding="utf-8")) from None
            time.sleep(0.3)


@dataclass
class Editor:
    origin: str
    repo: Path
    content: Path
    output: Path
    log: Path
    backend_port: int


@contextlib.contextmanager
def running_editor(tmp: Path, fixture: str | Path = "search", settings_lines: str = "") -> Iterator[Editor]:
    """Yield the running editor on a copy of ``fixture`` (a fixture's name or a content folder);
    stop both servers afterwards."""
    import shutil

    from magazin.editor.server import command
    from magazin.preview.server import free_port

    repo = tmp / "site"
    if isinstance(fixture, Path):
        content = repo / "content"
        shutil.copytree(fixture, content)
    else:
        content = copy_fixture(fixture, repo)
    init_repository(repo)
    site_port, backend_port = free_port(), free_port()
    origin = f"http://127.0.0.1:{site_port}"
    settings = tmp / "settings.py"
    settings.write_text(
        "import sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from pelicanconf import *  # noqa: F403\n"
        f'EDITOR_LOCAL_BACKEND = "http://127.0.0.1:{backend_port}/api/v1"\n' + settings_lines,
        encoding="utf-8",
    )
    backend_log = tmp / "decap-server.log"
    cmd, env = command(repo, backend_port, origin)
    backend = subprocess.Popen(
        cmd,
        env={**env, "LOG_LEVEL": "info"},
        cwd=repo,
        stdout=backend_log.open("w"),
        stderr=subprocess.STDOUT,
    )
    log = tmp / "vorschau.log"
    preview = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "magazin.preview.run",
            "--settings",
            str(settings),
            "--content",
            str(content),
            "--output",
            str(tmp / "output"),
            "--cache",
            str(tmp / "cache"),
            "--port",
            str(site_port),
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT / "plugins")},
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    try:
        _wait(f"http://127.0.0.1:{backend_port}/api/v1", backend, backend_log)
        _wait(origin + "/", preview, log)
        yield Editor(origin, repo, content, tmp / "output", log, backend_port)
    finally:
        for process in (preview, backend):
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
