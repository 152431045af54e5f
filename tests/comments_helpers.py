"""The real, pinned Isso for tests: started from .venv-comments on 127.0.0.1 (a free port) with a
temporary SQLite database, exactly as `invoke comments-server` starts it (comments/isso.cfg).

Moderation goes through Isso's own endpoint: the stdout notifier logs each new comment's
"Activate comment: …/id/N/activate/KEY" link (the link moderators get by mail), and
``approve(id)`` POSTs to it like the confirm button of that page does.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from magazin.comments.environment import dev_server, ensure_venv
from magazin.comments.server import CommentsError

ACTIVATE = re.compile(r"Activate comment: (\S+/id/(\d+)/activate/\S+)")


def in_ci() -> bool:
    return os.environ.get("CI") == "true"


def comments_python() -> Path:
    """The Python of .venv-comments (installed if needed); skip without it, fail under CI=true."""
    try:
        return ensure_venv()
    except CommentsError as exc:
        if in_ci():
            pytest.fail(f"CI=true, but the comment server cannot be installed: {exc}")
        pytest.skip(f"Isso not installable here: {exc}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Isso:
    url: str
    port: int
    db: Path
    log: Path
    process: subprocess.Popen
    site_origin: str

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def activation_links(self) -> dict[int, str]:
        return {int(m.group(2)): m.group(1) for m in ACTIVATE.finditer(self.log_text())}

    def approve(self, comment_id: int, timeout: float = 10) -> None:
        """Approve through Isso's moderation endpoint (POST to the mailed activation link)."""
        deadline = time.monotonic() + timeout
        while comment_id not in self.activation_links():
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"no activation link for comment {comment_id} in the log:\n{self.log_text()}"
                )
            time.sleep(0.1)
        link = self.activation_links()[comment_id]
        request = urllib.request.Request(link, method="POST", data=b"")
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200, response.status

    def post(self, thread_id: str, title: str, **fields) -> tuple[int, dict, dict]:
        """POST /new as a browser on the magazine would (Origin header); (status, headers, body)."""
        body = json.dumps({"title": title, **fields}).encode()
        request = urllib.request.Request(
            f"{self.url}/new?uri={urllib.request.quote(thread_id)}",
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", "Origin": self.site_origin},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, dict(response.headers), json.loads(response.read())
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers), {"error": exc.read().decode(errors="replace")}

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


@contextmanager
def isso_server(tmp: Path, site_origin: str, *, guard: bool = False):
    """Isso 0.14 on 127.0.0.1:<free port>, database ``tmp/comments.db``; stopped afterwards."""
    python = comments_python()
    tmp.mkdir(parents=True, exist_ok=True)
    port = free_port()
    db = tmp / "comments.db"
    cmd, env = dev_server(
        port=port,
        site_origins=[site_origin],
        db_path=db,
        admin_password="test-admin-passwort",
        guard=guard,
        python=python,
    )
    log = tmp / "isso.log"
    with log.open("w") as out:
        process = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT)
    server = Isso(f"http://127.0.0.1:{port}", port, db, log, process, site_origin)
    try:
        deadline = time.monotonic() + 40
        while True:
            if process.poll() is not None:
                raise AssertionError(f"Isso exited with {process.returncode}:\n{server.log_text()}")
            try:
                with urllib.request.urlopen(f"{server.url}/config", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"Isso did not answer on {server.url}:\n{server.log_text()}")
            time.sleep(0.2)
        yield server
    finally:
        server.stop()
