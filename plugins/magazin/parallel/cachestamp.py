"""Keep Pelican's content cache honest.

Pelican's reader cache (``CACHE_CONTENT``/``LOAD_CONTENT_CACHE``) checks only each source
file's mtime. Rendered HTML also depends on the settings, the code of our plugins (Markdown
extensions) and on files extensions may read (``content/data``, ``content/media``). This
module fingerprints all of that; when the fingerprint differs from the one stored beside
the cache, the old cache is not loaded (it is rewritten by this build). The new fingerprint
is stored only when the build reached ``finalized``.

Setting: ``PARALLEL_CACHE_DEPENDS`` (folders below ``PATH`` whose files count; default in
``parallel.DEFAULTS``).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any

from magazin.core.settings import setting

from .parallel import DEFAULTS

STAMP_NAME = "magazine-content-cache.stamp"
VOLATILE = {"OUTPUT_PATH", "CACHE_PATH", "LOAD_CONTENT_CACHE", "CACHE_CONTENT", "PATH"}


def _stable(value: Any) -> Any:
    if isinstance(value, (set, frozenset)):
        return sorted(map(repr, value))
    if isinstance(value, re.Pattern):
        return value.pattern
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if callable(value):
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', type(value).__name__)}"
    return f"{type(value).__module__}.{type(value).__qualname__}"


def _tree(hasher, folder: Path, contents: bool) -> None:
    if not folder.is_dir():
        return
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        hasher.update(str(path.relative_to(folder)).encode())
        if contents:
            hasher.update(path.read_bytes())
        else:
            st = path.stat()
            hasher.update(f"{st.st_mtime_ns}:{st.st_size}".encode())


def fingerprint(settings: dict) -> str:
    """Hash of what rendered content depends on besides the source file itself."""
    import markdown
    import pelican

    hasher = hashlib.sha256()
    hasher.update(f"{pelican.__version__}|{markdown.__version__}".encode())
    stable = {k: v for k, v in settings.items() if k not in VOLATILE}
    hasher.update(json.dumps(stable, sort_keys=True, default=_stable).encode())
    for plugin_path in settings.get("PLUGIN_PATHS", []):
        _tree(hasher, Path(plugin_path), contents=True)
    for rel in setting(settings, "PARALLEL_CACHE_DEPENDS", DEFAULTS):
        _tree(hasher, Path(settings["PATH"]) / rel, contents=False)
    return hasher.hexdigest()


def check_cache(pelican_object) -> None:
    """``initialized``: load the content cache only if it was made under the same fingerprint."""
    settings = pelican_object.settings
    if not settings.get("CACHE_CONTENT"):
        return
    current = fingerprint(settings)
    stamp = Path(settings["CACHE_PATH"]) / STAMP_NAME
    try:
        previous = stamp.read_text(encoding="ascii").strip()
    except OSError:
        previous = ""
    if previous != current:
        settings["LOAD_CONTENT_CACHE"] = False
    pelican_object._magazine_cache_fingerprint = current


def store_stamp(pelican_object) -> None:
    """``finalized``: the cache written by this build belongs to this fingerprint."""
    current = getattr(pelican_object, "_magazine_cache_fingerprint", None)
    if not current:
        return
    folder = Path(pelican_object.settings["CACHE_PATH"])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / STAMP_NAME).write_text(current + "\n", encoding="ascii")
