"""Atomic releases on the company's own server: ``<root>/releases/<name>/`` and one symlink.

``publish_release()`` (``invoke publish --target DIR``): the authors' checks, the strict build
straight into a new release folder, the same guards as the gh-pages deploy (no empty site, no
page lost unless its removal is listed), ``.gz`` copies for nginx's ``gzip_static``, then the
switch: a temporary symlink renamed over ``current`` (one ``rename(2)``: a reader gets the old
or the new release, never a mix or nothing). The oldest releases beyond ``SERVER_KEEP_RELEASES``
go; ``rollback()`` (``invoke rollback``) points ``current`` at the release before it.
"""

from __future__ import annotations

import datetime as dt
import gzip
import os
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from magazin.editorial.publish import (
    REMOVALS_FILE,
    PublishRefused,
    read_removals,
    refuse_lost,
    site_files,
    verify_site,
)

from .settings import check_server_settings, server_setting

RELEASES = "releases"
CURRENT = "current"


@dataclass
class ReleaseReport:
    release: Path
    previous: Path | None
    files: int
    compressed: int = 0
    removed: list[str] = field(default_factory=list)
    pruned: list[str] = field(default_factory=list)


def releases(root: Path) -> list[Path]:
    """Release folders, oldest first (names sort by time)."""
    folder = Path(root) / RELEASES
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))


def current_release(root: Path) -> Path | None:
    """The release ``current`` points at, ``None`` before the first one."""
    link = Path(root) / CURRENT
    if not link.is_symlink():
        return None
    return (link.parent / os.readlink(link)).resolve()


def switch(root: Path, release: Path) -> None:
    """Point ``current`` at ``release`` atomically (a relative link, renamed over the old)."""
    root = Path(root)
    target = Path(release).resolve().relative_to(root.resolve())
    tmp = root / f".{CURRENT}-{os.getpid()}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    tmp.symlink_to(target, target_is_directory=True)
    os.replace(tmp, root / CURRENT)


def precompress(
    site: Path, suffixes: Iterable[str], *, brotli: bool = False, previous: Path | None = None
) -> int:
    """A ``.gz`` (and with ``brotli`` a ``.br``) beside every file with one of ``suffixes``,
    deterministic (no name, no time in the header), only where it is smaller; the copies get
    the file's modification time. A file unchanged since the ``previous`` release reuses that
    release's copies (hard links). Returns how many copies the site has now."""
    wanted = tuple(suffixes)
    packers = [(".gz", lambda data: gzip.compress(data, compresslevel=9, mtime=0))]
    if brotli:
        import brotli as brotli_lib

        packers.append((".br", lambda data: brotli_lib.compress(data, quality=11)))
    count = 0
    for path in sorted(Path(site).rglob("*")):
        if not path.is_file() or not path.name.endswith(wanted):
            continue
        data = path.read_bytes()
        stat = path.stat()
        before = previous / path.relative_to(site) if previous is not None else None
        unchanged = before is not None and before.is_file() and before.read_bytes() == data
        for suffix, pack in packers:
            copy = path.with_name(path.name + suffix)
            old = before.with_name(before.name + suffix) if unchanged else None
            if old is not None and old.is_file():
                os.link(old, copy)
                count += 1
                continue
            packed = pack(data)
            if len(packed) >= len(data):
                continue
            copy.write_bytes(packed)
            os.utime(copy, ns=(stat.st_atime_ns, stat.st_mtime_ns))
            count += 1
    return count


def release_name(revision: str = "", now: dt.datetime | None = None) -> str:
    """``20261207T031500Z`` (and ``-<commit>`` when known): sortable, unique per second."""
    stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%dT%H%M%SZ")
    return f"{stamp}-{revision}" if revision else stamp


def install_release(
    site: Path,
    root: Path,
    *,
    settings: dict,
    allow_removal: Iterable[str] = (),
    removals_file: Path | None = None,
) -> ReleaseReport:
    """Guard, precompress and switch to the already built release folder ``site`` (inside
    ``<root>/releases``). A refused release folder is deleted; ``current`` stays as it was."""
    root, site = Path(root).resolve(), Path(site).resolve()
    try:
        problems = verify_site(site)
        if problems:
            raise PublishRefused(problems)
        previous = current_release(root)
        old = {f for f in site_files(previous) if not f.endswith((".gz", ".br"))} if previous else set()
        new = site_files(site)
        allowed = [*allow_removal, *(read_removals(removals_file) if removals_file else [])]
        refuse_lost(old, new, allowed)
        compressed = precompress(
            site,
            server_setting(settings, "SERVER_PRECOMPRESS"),
            brotli=bool(server_setting(settings, "SERVER_BROTLI")),
            previous=previous,
        )
        os.chmod(site, 0o755)  # noqa: S103 - the web server reads it
    except BaseException:
        shutil.rmtree(site, ignore_errors=True)
        raise
    switch(root, site)
    report = ReleaseReport(site, previous, len(new), compressed, sorted(old - new))
    report.pruned = prune(root, int(server_setting(settings, "SERVER_KEEP_RELEASES")))
    _reload(settings)
    return report


def prune(root: Path, keep: int) -> list[str]:
    """Delete the oldest releases beyond ``keep`` (never the live one)."""
    live = current_release(root)
    gone = []
    existing = releases(root)
    for release in existing[: max(0, len(existing) - max(keep, 1))]:
        if release != live:
            shutil.rmtree(release, ignore_errors=True)
            gone.append(release.name)
    return gone


def rollback(root: Path, settings: dict, to: str = "") -> tuple[Path, Path]:
    """Point ``current`` at the release before the live one (or at ``to``); (from, to)."""
    root = Path(root).resolve()
    live = current_release(root)
    if live is None:
        raise PublishRefused([f"{root}: noch keine Version veröffentlicht – nichts zurückzurollen."])
    existing = releases(root)
    if to:
        chosen = root / RELEASES / to
        if chosen not in existing:
            names = ", ".join(r.name for r in existing) or "keine"
            raise PublishRefused([f"Version „{to}“ gibt es nicht. Vorhanden: {names}."])
    else:
        older = [r for r in existing if r.name < live.name]
        if not older:
            raise PublishRefused([f"Vor {live.name} gibt es keine ältere Version mehr."])
        chosen = older[-1]
    if verify_site(chosen):
        raise PublishRefused([f"Version {chosen.name} ist unvollständig: {'; '.join(verify_site(chosen))}"])
    switch(root, chosen)
    _reload(settings)
    return live, chosen


def _reload(settings: dict) -> None:
    command = server_setting(settings, "SERVER_RELOAD_COMMAND")
    if command:
        done = subprocess.run(command, shell=True, capture_output=True, text=True, check=False)  # noqa: S602 - the admin's own command
        if done.returncode != 0:
            raise PublishRefused(
                [f"Umgeschaltet, aber „{command}“ ist fehlgeschlagen: {done.stderr.strip()[-500:]}"]
            )


def publish_release(
    settings_file: Path,
    target: Path,
    *,
    repo: Path,
    allow_removal: Iterable[str] = (),
    overrides: dict | None = None,
) -> ReleaseReport:
    """Check, build strictly into ``<target>/releases/<name>/`` and switch to it."""
    from magazin.core.build import build, read_magazine_settings
    from magazin.core.errors import ContentErrors
    from magazin.editorial.checks import check_site

    from .nginx import server_overrides

    overrides = dict(overrides or {})
    settings = read_magazine_settings(settings_file, overrides)
    try:
        check_server_settings(settings)
    except ContentErrors as exc:
        raise PublishRefused([str(e) for e in exc.errors]) from None
    overrides.update(server_overrides(settings))
    settings = read_magazine_settings(settings_file, overrides)
    problems = check_site(settings, full=True)
    if problems:
        raise PublishRefused([str(p) for p in problems])
    root = Path(target).resolve()
    (root / RELEASES).mkdir(parents=True, exist_ok=True)
    revision = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=repo, capture_output=True, text=True, check=False
    ).stdout.strip()
    name = release_name(revision)
    existing = {r.name for r in releases(root)}
    suffix = 1
    while name in existing or (root / RELEASES / name).exists():
        suffix += 1
        name = f"{release_name(revision)}.{suffix}"
    site = root / RELEASES / name
    build(settings_file, site, overrides=overrides, strict=True)  # BuildFailed is PublishRefused
    return install_release(
        site, root, settings=settings, allow_removal=allow_removal, removals_file=Path(repo) / REMOVALS_FILE
    )
