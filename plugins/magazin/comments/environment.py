"""The comment server's own virtual environment, ``.venv-comments`` (standard library only).

Isso is kept out of the site build's ``.venv``: it builds ``misaka`` with the system C compiler
and pulls in a web stack the build does not need. ``ensure_venv()`` creates or updates
``.venv-comments`` from ``requirements-comments.txt`` with the constraints of
``requirements-comments.lock``; a stamp with the hash of both files makes a second call free.
Used by ``invoke comments-install`` (and so by ``make test`` / ``make serve``),
``invoke comments-server`` and the test fixture.

The site build needs only Isso's two browser files. ``fetch_client_release`` takes them from
the pinned release's source archive (pip downloads it, its SHA-256 is checked, nothing is
compiled) into ``.venv/isso-client-<version>/``; ``find_client`` looks there first, so the
build and the deploy job need no C compiler and no ``.venv-comments``.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
import venv
from dataclasses import dataclass
from pathlib import Path

from .server import COMMENTS_VENV, ISSO_VERSION, ROOT, CommentsError

REQUIREMENTS = ROOT / "requirements-comments.txt"
LOCK = ROOT / "requirements-comments.lock"
STAMP_NAME = ".installed-comments"
# The pinned release's source archive (isso-0.14.0.tar.gz as published on the package index).
ISSO_SDIST_SHA256 = "9e2ac090f49aeb8e33871280fcf9680e0ec68dcca50b5ef72e5f275df623c9e5"
CLIENT_RELEASE = ROOT / ".venv" / f"isso-client-{ISSO_VERSION}"
_CLIENT_FILES = {
    "isso/js/embed.min.js": "embed.min.js",
    "isso/css/isso.css": "isso.css",
    "LICENSE": "LICENSE",
}


def venv_python(venv_dir: Path = COMMENTS_VENV) -> Path:
    return Path(venv_dir) / "bin" / "python"


def _wanted_stamp() -> str:
    digest = hashlib.sha256()
    for path in (REQUIREMENTS, LOCK):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def is_ready(venv_dir: Path = COMMENTS_VENV) -> bool:
    """True when the environment exists and was installed from the current requirement files."""
    stamp = Path(venv_dir) / STAMP_NAME
    return venv_python(venv_dir).exists() and stamp.exists() and stamp.read_text().strip() == _wanted_stamp()


def ensure_venv(venv_dir: Path = COMMENTS_VENV, *, quiet: bool = True) -> Path:
    """Create or update ``.venv-comments``; return its Python. German ``CommentsError`` on failure."""
    venv_dir = Path(venv_dir)
    if is_ready(venv_dir):
        return venv_python(venv_dir)
    if not venv_python(venv_dir).exists():
        venv.EnvBuilder(with_pip=True, clear=False).create(venv_dir)
    cmd = [str(venv_python(venv_dir)), "-m", "pip", "install", "--disable-pip-version-check"]
    cmd += ["--quiet"] if quiet else []
    cmd += ["-r", str(REQUIREMENTS), "-c", str(LOCK)]
    done = subprocess.run(cmd, capture_output=quiet, text=True, check=False)
    if done.returncode != 0:
        tail = (done.stderr or "")[-1500:] if quiet else ""
        raise CommentsError(
            "Die Kommentar-Umgebung .venv-comments ließ sich nicht installieren. Isso baut „misaka“ "
            "mit dem C-Compiler: unter Debian „apt-get install gcc python3-dev libffi-dev“, dann erneut "
            f"versuchen.\n{tail}"
        )
    (venv_dir / STAMP_NAME).write_text(_wanted_stamp() + "\n")
    return venv_python(venv_dir)


@dataclass(frozen=True)
class IssoClient:
    """Where the pinned Isso package keeps its browser files."""

    version: str
    script: Path  # js/embed.min.js
    css: Path  # css/isso.css
    license: Path | None


FIND_CLIENT = """
import json, importlib.metadata as md, importlib.util, pathlib
base = pathlib.Path(importlib.util.find_spec("isso").origin).parent  # found, not imported (0.25 s)
dist = md.distribution("isso")
lic = [str(f.locate()) for f in (dist.files or []) if f.name in ("LICENSE", "LICENSE.txt")]
print(json.dumps({"version": dist.version, "base": str(base), "license": lic[0] if lic else None}))
"""


def fetch_client_release(dest: Path = CLIENT_RELEASE, *, quiet: bool = True) -> Path:
    """Unpack Isso's browser files from the pinned release's source archive into ``dest``
    (once; nothing is compiled). German ``CommentsError`` when it cannot be had."""
    dest = Path(dest)
    if all((dest / name).is_file() for name in _CLIENT_FILES.values()):
        return dest
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "pip", "download", "--disable-pip-version-check", "--no-deps"]
        cmd += ["--no-binary", ":all:", f"isso=={ISSO_VERSION}", "-d", tmp] + (["--quiet"] if quiet else [])
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        archive = Path(tmp) / f"isso-{ISSO_VERSION}.tar.gz"
        if done.returncode != 0 or not archive.is_file():
            raise CommentsError(
                f"Isso {ISSO_VERSION} ließ sich nicht laden (pip download): {done.stderr.strip()[-400:]}"
            )
        digest = hashlib.sha256(archive.read_bytes()).hexdigest()
        if digest != ISSO_SDIST_SHA256:
            raise CommentsError(
                f"isso-{ISSO_VERSION}.tar.gz hat die Prüfsumme {digest}, erwartet {ISSO_SDIST_SHA256}."
            )
        staging = Path(tmp) / "client"
        staging.mkdir()
        with tarfile.open(archive) as tar:
            for member, name in _CLIENT_FILES.items():
                source = tar.extractfile(f"isso-{ISSO_VERSION}/{member}")
                if source is None:
                    raise CommentsError(f"{member} fehlt in isso-{ISSO_VERSION}.tar.gz.")
                (staging / name).write_bytes(source.read())
        shutil.rmtree(dest, ignore_errors=True)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(staging), dest)
    return dest


def find_client(python: Path | None = None) -> IssoClient:
    """Isso's client files: from the pinned release (``fetch_client_release``) when unpacked,
    else from the comments environment (``CommentsError`` if neither is there)."""
    if python is None and all((CLIENT_RELEASE / name).is_file() for name in _CLIENT_FILES.values()):
        return IssoClient(
            version=ISSO_VERSION,
            script=CLIENT_RELEASE / "embed.min.js",
            css=CLIENT_RELEASE / "isso.css",
            license=CLIENT_RELEASE / "LICENSE",
        )
    python = Path(python) if python else venv_python()
    if not python.exists():
        raise CommentsError(
            f"{python.parent.parent.name}/ fehlt: Isso ist nicht installiert, die Kommentarfunktion hat "
            "kein Skript. Bitte „.venv/bin/invoke comments-install“ ausführen (docs/kommentare.md)."
        )
    done = subprocess.run([str(python), "-c", FIND_CLIENT], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise CommentsError(f"Isso in {python} nicht gefunden: {done.stderr.strip()[-300:]}")
    info = json.loads(done.stdout)
    if info["version"] != ISSO_VERSION:
        raise CommentsError(
            f"{python}: Isso {info['version']} installiert, erwartet {ISSO_VERSION} "
            "(requirements-comments.txt). Bitte „.venv/bin/invoke comments-install“ ausführen."
        )
    base = Path(info["base"])
    client = IssoClient(
        version=info["version"],
        script=base / "js" / "embed.min.js",
        css=base / "css" / "isso.css",
        license=Path(info["license"]) if info["license"] else None,
    )
    for path in (client.script, client.css):
        if not path.is_file():
            raise CommentsError(f"{path} fehlt im Isso-Paket {client.version}.")
    return client


def dev_server(
    *,
    port: int,
    site_origins: list[str],
    db_path: Path,
    admin_password: str,
    guard: bool = True,
    python: Path | None = None,
) -> tuple[list[str], dict[str, str]]:
    """Command and environment of the development server on 127.0.0.1:``port`` (preview, tests):
    ``comments/isso.cfg`` with a local SQLite file and notifications on standard output."""
    import os

    from .server import CONFIG_TEMPLATE, development_environment, server_command

    db_path.parent.mkdir(parents=True, exist_ok=True)
    endpoint = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        **development_environment(
            db_path=db_path,
            site_origins=site_origins,
            public_endpoint=endpoint,
            admin_password=admin_password,
            guard=guard,
        ),
    }
    return server_command(python or venv_python(), CONFIG_TEMPLATE, "127.0.0.1", port), env
