"""Debian's nginx and Isso under gunicorn on loopback, as the tests and ``invoke bench-server``
run them: nginx in the foreground with its own prefix (pid, logs, temp folders; no system
configuration touched), gunicorn with ``comments/wsgi.py`` and a temporary database.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from .nginx import BROTLI_MODULE, NGINX, standalone_config, write_config
from .settings import server_setting

ROOT = Path(__file__).resolve().parents[3]


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, log: Path, timeout: float = 40) -> None:
    """Until ``url`` answers (any HTTP status); ``RuntimeError`` if the process ends first."""
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            text = log.read_text(errors="replace") if log.exists() else ""
            raise RuntimeError(f"{process.args[0]} endete mit {process.returncode}:\n{text[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - our own http://127.0.0.1
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} antwortet nicht")
        time.sleep(0.1)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@dataclass
class Nginx:
    """A running nginx: its origin, prefix folder and process."""

    origin: str
    port: int
    prefix: Path
    conf: Path
    process: subprocess.Popen

    @property
    def access_log(self) -> Path:
        return self.prefix / "access.log"

    @property
    def error_log(self) -> Path:
        return self.prefix / "error.log"

    def reload(self) -> None:
        """Re-read the configuration (e.g. the live release's redirect map)."""
        subprocess.run([str(NGINX), "-p", str(self.prefix), "-c", str(self.conf), "-s", "reload"], check=True)

    def stop(self) -> None:
        stop(self.process)


def _ipv6_loopback(port: int) -> bool:
    """Whether ``[::1]:port`` can be listened on (not every container has IPv6)."""
    try:
        with socket.socket(socket.AF_INET6) as s:
            s.bind(("::1", port))
        return True
    except OSError:
        return False


def loopback_settings(
    settings: dict, prefix: Path, port: int, comments_port: int | None, redirect_port: int | None = None
) -> dict:
    """``settings`` changed for a loopback run: plain HTTP on 127.0.0.1:``port`` (standing in for
    HTTPS), the http→https redirect server on ``redirect_port`` (none without), logs in
    ``prefix``, Isso at ``comments_port``."""
    changed = dict(settings)
    changed.update(
        SERVER_LISTEN=[f"127.0.0.1:{port}", *([f"[::1]:{port}"] if _ipv6_loopback(port) else [])],
        SERVER_HTTP_REDIRECT_LISTEN=[f"127.0.0.1:{redirect_port}"] if redirect_port else [],
        SERVER_TLS_CERTIFICATE="",
        SERVER_TLS_KEY="",
        SERVER_ACCESS_LOG=str(prefix / "access.log"),
        SERVER_ERROR_LOG=str(prefix / "error.log"),
    )
    if comments_port is not None:
        changed["SERVER_COMMENTS_UPSTREAM"] = f"127.0.0.1:{comments_port}"
    return changed


def start_nginx(
    settings: dict,
    root: Path,
    prefix: Path,
    port: int,
    *,
    comments_port: int | None = None,
    redirect_port: int | None = None,
    workers: int = 1,
) -> Nginx:
    """Generate the configuration for loopback and start Debian's nginx with it."""
    if not NGINX.exists():
        raise RuntimeError(f"{NGINX} fehlt: apt-get install nginx")
    prefix = Path(prefix)
    prefix.mkdir(parents=True, exist_ok=True)
    include = write_config(
        loopback_settings(settings, prefix, port, comments_port, redirect_port),
        prefix / "conf.d",
        root=str(root),
    )
    conf = prefix / "nginx.conf"
    brotli = bool(server_setting(settings, "SERVER_BROTLI"))
    if brotli and not BROTLI_MODULE.exists():
        raise RuntimeError(f"{BROTLI_MODULE} fehlt: apt-get install libnginx-mod-http-brotli-static")
    conf.write_text(standalone_config(include, prefix, workers=workers, brotli=brotli), encoding="utf-8")
    log = prefix / "stderr.log"
    test = subprocess.run(
        [str(NGINX), "-t", "-q", "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log")],
        capture_output=True,
        text=True,
        check=False,
    )
    if test.returncode != 0:
        raise RuntimeError(f"nginx -t: {test.stderr}\n{include.read_text()}")
    with log.open("w") as out:
        process = subprocess.Popen(
            [str(NGINX), "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log")],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = Nginx(f"http://127.0.0.1:{port}", port, prefix, conf, process)
    try:
        wait_for(server.origin + "/", process, log)
    except BaseException:
        server.stop()
        raise
    return server


@dataclass
class Gunicorn:
    """Isso under gunicorn (``comments/wsgi.py``) on 127.0.0.1."""

    port: int
    db: Path
    log: Path
    process: subprocess.Popen
    command: list[str]
    env: dict[str, str]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        stop(self.process)

    def start_again(self) -> Gunicorn:
        with self.log.open("a") as out:
            process = subprocess.Popen(
                self.command, env=self.env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT
            )
        again = Gunicorn(self.port, self.db, self.log, process, self.command, self.env)
        wait_for(again.url + "/config", process, self.log)
        return again


def start_isso(
    python: Path,
    db: Path,
    *,
    site_origin: str,
    public_endpoint: str,
    port: int,
    guard: bool,
    log: Path,
    workers: int = 1,
    admin_password: str = "test-admin-passwort",  # noqa: S107 - loopback runs only
) -> Gunicorn:
    """Isso 0.14 as in production (gunicorn, ``comments/wsgi.py``, ``comments/isso.cfg``)."""
    from magazin.comments.server import CONFIG_TEMPLATE, development_environment

    env = {
        **os.environ,
        **development_environment(
            db_path=db,
            site_origins=[site_origin],
            public_endpoint=public_endpoint,
            admin_password=admin_password,
            guard=guard,
        ),
        "ISSO_SETTINGS": str(CONFIG_TEMPLATE),
    }
    gunicorn = Path(python).with_name("gunicorn")
    command = [
        str(gunicorn), "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
        "--access-logfile", "-", "--access-logformat", '%(m)s %(U)s %(s)s',
        "comments.wsgi:application",
    ]  # fmt: skip
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w") as out:
        process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    server = Gunicorn(port, db, log, process, command, env)
    try:
        wait_for(server.url + "/config", process, log)
    except BaseException:
        server.stop()
        raise
    return server
