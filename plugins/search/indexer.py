"""Run the Pagefind binary (from the ``pagefind[bin]`` package) on a built site.

Pagefind reads the written HTML, honours the ``data-pagefind-*`` attributes our templates set
and writes a static index (WebAssembly search, compressed word chunks) into ``<site>/pagefind/``.
Nothing touches the network. ``index_site`` is also the entry point for benchmarks: it
returns how many pages and words were indexed, the bundle size and the time it took.
``index_site_cached`` keeps the last bundle in the build cache, keyed on every HTML file's
path and bytes: a build whose pages did not change copies it instead of running Pagefind.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from magazine.errors import ContentError

# Pagefind writes its default UIs next to the search library; our page uses only the JS API.
UNUSED_BUNDLE_FILES = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
)
BODY_MARKER = b"data-pagefind-body"
_COUNT = re.compile(r"Indexed (\d+) (page|word|filter|language)s?\b")


@dataclass(frozen=True)
class IndexStats:
    """What one Pagefind run produced."""

    pages: int
    words: int
    filters: int
    bytes: int
    files: int
    seconds: float

    def describe(self) -> str:
        """One German log line, e.g. for ``invoke build`` and ``invoke bench``."""
        return (
            f"Suchindex: {self.pages} Seiten, {self.words} Wörter, {self.files} Dateien, "
            f"{self.bytes / 1024:.0f} KB in {self.seconds:.2f} s"
        )


def pagefind_executable() -> str:
    """Path of the Pagefind binary shipped by the ``pagefind-bin`` wheel."""
    from pagefind_bin import get_executable

    return str(get_executable())


def has_searchable_pages(site: Path) -> bool:
    """True when at least one HTML page marks content with ``data-pagefind-body``.

    Without such a page Pagefind would index every page whole, header and footer included.
    """
    return any(BODY_MARKER in path.read_bytes() for path in site.rglob("*.html"))


def bundle_size(bundle: Path) -> tuple[int, int]:
    """Total bytes and number of files of a written search bundle."""
    files = [p for p in bundle.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


def _fail(message: str, hint: str = "") -> ContentError:
    return ContentError(None, None, message, hint)


def index_site(
    site: Path,
    *,
    bundle_dir: str = "pagefind",
    exclude_selectors: list[str] | tuple[str, ...] = (),
    timeout: float = 300,
) -> IndexStats:
    """Index the built ``site`` into ``site/bundle_dir``; raise ContentError when Pagefind fails."""
    site = Path(site)
    started = time.perf_counter()
    command = [
        pagefind_executable(),
        "--site",
        str(site),
        "--output-subdir",
        bundle_dir,
    ]
    if exclude_selectors:
        command += ["--exclude-selectors", ",".join(exclude_selectors)]
    try:
        # cwd=site: no pagefind.yml/toml of the repository or the caller can change the index.
        result = subprocess.run(
            command, cwd=site, capture_output=True, text=True, timeout=timeout, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise _fail(
            f"Der Suchindex konnte nicht erstellt werden ({exc}).",
            "Ist das Paket pagefind[bin] installiert (make venv)?",
        ) from None
    output = f"{result.stdout}\n{result.stderr}"
    if result.returncode != 0:
        errors = [line.strip() for line in output.splitlines() if "Error" in line]
        detail = " ".join(dict.fromkeys(errors)) or output.strip()[-300:]
        raise _fail(f"Pagefind konnte den Suchindex nicht erstellen: {detail}")
    bundle = site / bundle_dir
    for name in UNUSED_BUNDLE_FILES:
        (bundle / name).unlink(missing_ok=True)
    counts = {kind: int(number) for number, kind in _COUNT.findall(output)}
    size, files = bundle_size(bundle)
    return IndexStats(
        pages=counts.get("page", 0),
        words=counts.get("word", 0),
        filters=counts.get("filter", 0),
        bytes=size,
        files=files,
        seconds=time.perf_counter() - started,
    )


def html_key(site: Path, bundle_dir: str, exclude_selectors: list[str] | tuple[str, ...]) -> str:
    """Hash of everything Pagefind reads: each HTML file's path and bytes, plus the options."""
    digest = hashlib.sha256(json.dumps([bundle_dir, list(exclude_selectors), pagefind_executable()]).encode())
    bundle = site / bundle_dir
    for path in sorted(site.rglob("*.html")):
        if bundle in path.parents:
            continue
        digest.update(str(path.relative_to(site)).encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:24]


def index_site_cached(
    site: Path,
    cache_root: Path,
    *,
    bundle_dir: str = "pagefind",
    exclude_selectors: list[str] | tuple[str, ...] = (),
    timeout: float = 300,
) -> IndexStats:
    """``index_site``, unless ``cache_root`` holds the bundle of exactly these pages (then it
    is copied into the site). Only the latest bundle is kept."""
    started = time.perf_counter()
    site, cache_root = Path(site), Path(cache_root)
    key = html_key(site, bundle_dir, exclude_selectors)
    entry = cache_root / key
    bundle = site / bundle_dir
    try:
        data = json.loads((entry / "stats.json").read_text(encoding="utf-8"))
        shutil.rmtree(bundle, ignore_errors=True)
        shutil.copytree(entry / "bundle", bundle)
        return IndexStats(**{**data, "seconds": time.perf_counter() - started})
    except (OSError, ValueError, TypeError):
        pass
    stats = index_site(site, bundle_dir=bundle_dir, exclude_selectors=exclude_selectors, timeout=timeout)
    shutil.rmtree(cache_root, ignore_errors=True)
    tmp = cache_root / f"{key}.tmp{os.getpid()}"
    shutil.copytree(bundle, tmp / "bundle")
    (tmp / "stats.json").write_text(json.dumps(dataclasses.asdict(stats)), encoding="utf-8")
    os.replace(tmp, entry)
    return stats
