"""Run the Pagefind binary (from the ``pagefind[bin]`` package) on a built site.

Pagefind reads the written HTML, honours the ``data-pagefind-*`` attributes our templates set
and writes a static index (WebAssembly search, compressed word chunks) into ``<site>/pagefind/``.
Nothing touches the network. ``index_site`` is also the entry point for benchmarks: it
returns how many pages and words were indexed, the bundle size and the time it took.
``index_site_cached`` keeps the last bundle in the build cache, keyed on every HTML file's
path and bytes: a build whose pages did not change copies it instead of running Pagefind.

German compounds (``compounds.py``): Pagefind does not read the published pages but a
temporary copy of every page with ``data-pagefind-body`` in which compound words carry
their parts (``indexcopy.py``). The copy has the same relative paths, so result URLs are the
published ones; the bundle is written straight into ``<site>/pagefind/``. Afterwards the
page fragments (excerpt text, heading texts, meta) get the original words back.
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import inspect
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from magazin.magazine.errors import ContentError

from .compounds import Decompounder, restore_fragment, restorer
from .indexcopy import IndexedPage

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
FRAGMENT_PREFIX = b"pagefind_dcd"  # Pagefind's marker in front of each decompressed file
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
    compounds: int = 0

    def describe(self) -> str:
        """One German log line, e.g. for ``invoke build`` and ``invoke bench``."""
        return (
            f"Suchindex: {self.pages} Seiten, {self.words} Wörter, {self.files} Dateien, "
            f"{self.bytes / 1024:.0f} KB, {self.compounds} zerlegte Komposita, in {self.seconds:.2f} s"
        )


def pagefind_executable() -> str:
    """Path of the Pagefind binary shipped by the ``pagefind-bin`` wheel."""
    from pagefind_bin import get_executable

    return str(get_executable())


def searchable_pages(site: Path) -> list[Path]:
    """HTML pages that mark content with ``data-pagefind-body`` (sorted)."""
    return sorted(path for path in site.rglob("*.html") if BODY_MARKER in path.read_bytes())


def has_searchable_pages(site: Path) -> bool:
    """True when at least one HTML page marks content with ``data-pagefind-body``.

    Without such a page Pagefind would index every page whole, header and footer included.
    """
    return bool(searchable_pages(site))


def write_index_copy(site: Path, copy: Path, *, extra_terms: Iterable[str] = ()) -> dict[str, str]:
    """Write every searchable page of ``site`` to ``copy`` (same relative path) with German
    compounds split for the index; return index token -> original word."""
    pages = {path: IndexedPage.parse(path.read_text(encoding="utf-8")) for path in searchable_pages(site)}
    decompounder = Decompounder.from_texts(
        (text for page in pages.values() for text in page.texts()), extra_terms=extra_terms
    )
    restore: dict[str, str] = {}
    for path, page in pages.items():
        target = copy / path.relative_to(site)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.render(decompounder, restore), encoding="utf-8")
    return restore


def _read_packed(path: Path) -> bytes:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(FRAGMENT_PREFIX):
        raise _fail(f"Unbekanntes Format der Pagefind-Datei {path.name}.")
    return data[len(FRAGMENT_PREFIX) :]


def restore_fragments(bundle: Path, restore: dict[str, str]) -> None:
    """Put the original words back into every page fragment of ``bundle``."""
    restore_text = restorer(restore)
    for path in sorted((bundle / "fragment").glob("*.pf_fragment")):
        fragment = restore_fragment(json.loads(_read_packed(path)), restore_text)
        data = FRAGMENT_PREFIX + json.dumps(fragment, ensure_ascii=False, separators=(",", ":")).encode()
        path.write_bytes(gzip.compress(data, mtime=0))


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
    compounds: bool = True,
    compound_terms: Iterable[str] = (),
) -> IndexStats:
    """Index the built ``site`` into ``site/bundle_dir``; raise ContentError when Pagefind fails.

    With ``compounds`` Pagefind reads a copy of the pages with German compounds split
    (module docstring); ``compound_terms`` are extra words for the vocabulary."""
    site = Path(site).resolve()
    if not compounds:
        return _run_pagefind(site, site, bundle_dir, exclude_selectors, timeout, {}, time.perf_counter())
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="suchindex-") as copy:
        restore = write_index_copy(site, Path(copy), extra_terms=compound_terms)
        return _run_pagefind(site, Path(copy), bundle_dir, exclude_selectors, timeout, restore, started)


# The keyword options of ``index_site`` with their defaults (``index_site_cached`` takes the same).
INDEX_OPTIONS = {
    name: p.default
    for name, p in inspect.signature(index_site).parameters.items()
    if p.kind is inspect.Parameter.KEYWORD_ONLY
}


def _run_pagefind(
    site: Path,
    source: Path,
    bundle_dir: str,
    exclude_selectors: Iterable[str],
    timeout: float,
    restore: dict[str, str],
    started: float,
) -> IndexStats:
    exclude_selectors = list(exclude_selectors)
    bundle = site / bundle_dir
    shutil.rmtree(bundle, ignore_errors=True)  # Pagefind adds to an existing bundle folder
    command = [
        pagefind_executable(),
        "--site",
        str(source),
        "--output-path",
        str(bundle),
    ]
    if exclude_selectors:
        command += ["--exclude-selectors", ",".join(exclude_selectors)]
    try:
        # cwd=source (site or index copy): no pagefind.yml/toml of the repository or the
        # caller can change the index.
        result = subprocess.run(
            command, cwd=source, capture_output=True, text=True, timeout=timeout, check=False
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
    for name in UNUSED_BUNDLE_FILES:
        (bundle / name).unlink(missing_ok=True)
    if restore:
        restore_fragments(bundle, restore)
    counts = {kind: int(number) for number, kind in _COUNT.findall(output)}
    size, files = bundle_size(bundle)
    return IndexStats(
        pages=counts.get("page", 0),
        words=counts.get("word", 0),
        filters=counts.get("filter", 0),
        bytes=size,
        files=files,
        seconds=time.perf_counter() - started,
        compounds=len(set(restore.values())),
    )


def html_key(
    site: Path, bundle_dir: str, exclude_selectors: Iterable[str], options: Iterable[str] = ()
) -> str:
    """Hash of everything the index depends on: each HTML file's path and bytes, the options,
    the Pagefind binary and this plugin's own files (compound splitting, index copy)."""
    digest = hashlib.sha256(
        json.dumps([bundle_dir, list(exclude_selectors), list(options), pagefind_executable()]).encode()
    )
    for path in sorted(Path(__file__).resolve().parent.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes())
    bundle = site / bundle_dir
    for path in sorted(site.rglob("*.html")):
        if bundle in path.parents:
            continue
        digest.update(str(path.relative_to(site)).encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:24]


def index_site_cached(site: Path, cache_root: Path, **options: Any) -> IndexStats:
    """``index_site(site, **options)``, unless ``cache_root`` holds the bundle of exactly these
    pages (then it is copied into the site). Only the latest bundle is kept."""
    started = time.perf_counter()
    site, cache_root = Path(site), Path(cache_root)
    unknown = set(options) - set(INDEX_OPTIONS)
    if unknown:
        raise TypeError(f"index_site has no option {', '.join(sorted(unknown))}")
    opts = {**INDEX_OPTIONS, **options}
    opts["compound_terms"] = sorted(opts["compound_terms"])
    key = html_key(
        site,
        opts["bundle_dir"],
        opts["exclude_selectors"],
        [str(opts["compounds"]), *opts["compound_terms"]],
    )
    entry = cache_root / key
    bundle = site / opts["bundle_dir"]
    try:
        data = json.loads((entry / "stats.json").read_text(encoding="utf-8"))
        shutil.rmtree(bundle, ignore_errors=True)
        shutil.copytree(entry / "bundle", bundle)
        return IndexStats(**{**data, "seconds": time.perf_counter() - started})
    except (OSError, ValueError, TypeError):
        pass
    stats = index_site(site, **opts)
    shutil.rmtree(cache_root, ignore_errors=True)
    tmp = cache_root / f"{key}.tmp{os.getpid()}"
    shutil.copytree(bundle, tmp / "bundle")
    (tmp / "stats.json").write_text(json.dumps(dataclasses.asdict(stats)), encoding="utf-8")
    os.replace(tmp, entry)
    return stats
