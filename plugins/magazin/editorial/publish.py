"""``invoke publish``: build with the publish settings into a fresh folder, check it, compare it
with the deployed ``gh-pages`` tree and deploy it with ghp-import — never force, never empty,
never losing a page unless the removal is listed.

Steps (any failure stops before anything is pushed):
1. ``invoke check`` on the sources (publish settings: missing sign-offs are errors);
2. the safe build into a temporary folder, then a sanity check of the result;
3. ``git fetch`` of the deployed branch and ``git ls-tree`` of it: every page (HTML, feed,
   PDF, text file) it has must exist in the new site, or be listed as an allowed removal;
4. ``ghp-import`` (with ``CNAME`` and ``.nojekyll``, on top of the deployed history), a
   check that the new commit's parent is the deployed tip, and a plain ``git push``.
"""

from __future__ import annotations

import contextlib
import fnmatch
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from magazin.core.errors import BuildFailed

PAGE_SUFFIXES = (".html", ".xml", ".pdf", ".txt", ".json")
ADDED_BY_DEPLOY = {"CNAME", ".nojekyll"}
REMOVALS_FILE = "removed-pages.txt"


# Why nothing was published: the build-failure exception under the name the publish code reads
# best with (``invoke publish`` prints its own German heading above the problems).
PublishRefused = BuildFailed


@dataclass
class PublishReport:
    commit: str
    parent: str | None
    files: int
    removed: list[str] = field(default_factory=list)
    pushed: bool = False


def _git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=False)
    if check and result.returncode != 0:
        raise PublishRefused([f"git {' '.join(args)} ist fehlgeschlagen: {result.stderr.strip()}"])
    return result


def read_removals(path: Path) -> list[str]:
    """Patterns from a removals file: one path or glob per line, ``#`` starts a comment."""
    if not path.is_file():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            out.append(line.lstrip("/"))
    return out


def _allowed(path: str, patterns: Iterable[str]) -> bool:
    for pattern in patterns:
        pattern = pattern.lstrip("/")
        if pattern.endswith("/") and path.startswith(pattern):
            return True
        if fnmatch.fnmatchcase(path, pattern) or path == pattern:
            return True
        if path == pattern.rstrip("/") + "/index.html":
            return True
    return False


def site_files(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}


def verify_site(site: Path) -> list[str]:
    """Problems that make a built site unfit to deploy (empty, no start page)."""
    if not site.is_dir():
        return [f"Der Ordner {site} existiert nicht."]
    files = site_files(site)
    pages = [f for f in files if f.endswith(".html")]
    problems = []
    if not files:
        problems.append("Die gebaute Website ist leer – es wird nichts veröffentlicht.")
    elif not (site / "index.html").is_file():
        problems.append(
            "Der gebauten Website fehlt die Startseite index.html – es wird nichts veröffentlicht."
        )
    elif (site / "index.html").stat().st_size == 0 or not pages:
        problems.append("Die Startseite der gebauten Website ist leer – es wird nichts veröffentlicht.")
    return problems


def deployed_files(repo: Path, remote: str, branch: str) -> tuple[set[str], str | None]:
    """Files of the deployed branch (after a fetch) and its tip; nothing and None before the first deploy."""
    heads = _git(repo, "ls-remote", "--heads", remote, branch)
    if not heads.stdout.strip():
        return set(), None
    _git(repo, "fetch", "--quiet", remote, f"+refs/heads/{branch}:refs/remotes/{remote}/{branch}")
    tip = _git(repo, "rev-parse", f"refs/remotes/{remote}/{branch}").stdout.strip()
    listing = _git(repo, "ls-tree", "-r", "-z", "--name-only", tip).stdout
    return {name for name in listing.split("\0") if name}, tip


def lost_pages(old: set[str], new: set[str], allowed: Iterable[str]) -> list[str]:
    """Pages the deployed site had that the new one lacks and nobody allowed to remove."""
    allowed = list(allowed)
    return sorted(
        path
        for path in old - new
        if path not in ADDED_BY_DEPLOY and path.endswith(PAGE_SUFFIXES) and not _allowed(path, allowed)
    )


def deploy(
    site: Path,
    repo: Path,
    *,
    remote: str = "origin",
    branch: str = "gh-pages",
    cname: str | None = None,
    allow_removal: Iterable[str] = (),
    message: str = "Veröffentlichung",
    push: bool = True,
) -> PublishReport:
    """Commit ``site`` onto ``branch`` with ghp-import (keeping history) and push without force."""
    from ghp_import import GhpError, ghp_import

    site, repo = Path(site).resolve(), Path(repo).resolve()
    problems = verify_site(site)
    if problems:
        raise PublishRefused(problems)
    old, tip = deployed_files(repo, remote, branch)
    allowed = [*allow_removal, *read_removals(repo / REMOVALS_FILE)]
    refuse_lost(old, site_files(site), allowed)
    try:
        with contextlib.chdir(repo):
            ghp_import(
                str(site),
                remote=remote,
                branch=branch,
                mesg=message,
                nojekyll=True,
                cname=cname,
                push=False,
                force=False,
                no_history=False,
            )
    except GhpError as exc:
        raise PublishRefused([f"ghp-import ist fehlgeschlagen: {exc.message}"]) from None
    head = _git(repo, "rev-parse", f"refs/heads/{branch}").stdout.strip()
    parents = _git(repo, "rev-list", "--parents", "-n", "1", head).stdout.split()[1:]
    if head == tip or (tip is not None and parents != [tip]):
        raise PublishRefused(
            ["ghp-import hat keinen neuen Stand auf dem veröffentlichten aufgebaut – es wird nichts gepusht."]
        )
    if push:
        result = _git(
            repo, "push", "--quiet", remote, f"refs/heads/{branch}:refs/heads/{branch}", check=False
        )
        if result.returncode != 0:
            raise PublishRefused(
                [
                    "Der Push wurde abgelehnt (vermutlich hat inzwischen jemand anderes veröffentlicht). "
                    "Es wird nicht erzwungen: bitte „invoke publish“ erneut ausführen.",
                    result.stderr.strip(),
                ]
            )
    removed = sorted(p for p in old - site_files(site) if p not in ADDED_BY_DEPLOY)
    return PublishReport(commit=head, parent=tip, files=len(site_files(site)), removed=removed, pushed=push)


def refuse_lost(old: set[str], new: set[str], allowed: list[str]) -> None:
    """``PublishRefused`` listing the pages the new site would lose (unless allowed)."""
    lost = lost_pages(old, new, allowed)
    if lost:
        shown = [f"  - {p}" for p in lost[:30]] + (
            [f"  … und {len(lost) - 30} weitere"] if len(lost) > 30 else []
        )
        raise PublishRefused(
            [
                f"Die neue Website hätte {len(lost)} Seite(n) weniger als die veröffentlichte:",
                *shown,
                f"Ist das Absicht, trage die Pfade in {REMOVALS_FILE} ein oder gib sie mit "
                "„invoke publish --allow-removal PFAD“ an.",
            ]
        )


def publish(
    settings_file: Path,
    repo: Path,
    *,
    remote: str = "origin",
    branch: str = "gh-pages",
    allow_removal: Iterable[str] = (),
    overrides: dict | None = None,
    push: bool = True,
) -> PublishReport:
    """Check, build into a fresh folder, compare with the deployed site and deploy."""
    from magazin.core.build import build, read_magazine_settings

    from .checks import check_site

    settings = read_magazine_settings(settings_file, overrides)
    problems = check_site(settings, full=True)
    if problems:
        raise PublishRefused([str(p) for p in problems])
    workdir = Path(tempfile.mkdtemp(prefix="magazin-publish-"))
    try:
        site = workdir / "site"
        build(settings_file, site, overrides=overrides, strict=True)  # BuildFailed is PublishRefused
        cname = urlsplit(settings.get("SITEURL", "")).hostname
        revision = _git(repo, "rev-parse", "--short", "HEAD", check=False).stdout.strip()
        message = f"Veröffentlichung von {revision}" if revision else "Veröffentlichung"
        return deploy(
            site,
            repo,
            remote=remote,
            branch=branch,
            cname=cname,
            allow_removal=allow_removal,
            message=message,
            push=push,
        )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
