"""What changed in an article since the data-protection officer last cleared it (git history)."""

from __future__ import annotations

import difflib
import subprocess
from dataclasses import dataclass
from pathlib import Path

from magazin.editorial.source import read_source


@dataclass(frozen=True)
class Clearance:
    """The newest commit in which the article carried a ``Freigabe-Datenschutz`` value."""

    commit: str  # abbreviated hash
    date: str  # commit date, YYYY-MM-DD
    signoff: str  # the sign-off value in that commit
    diff: list[str]  # unified diff from that commit to the file as it is now (empty: unchanged)


def _git(repo: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(repo), *args], capture_output=True, text=True, check=True, timeout=30
        )
    except (OSError, subprocess.CalledProcessError, subprocess.TimeoutExpired):
        return None
    return done.stdout


def _signoff_in(text: str) -> str:
    """The ``Freigabe-Datenschutz`` value in an article's text ("" when none)."""
    for line in text.splitlines():
        if not line.strip():
            break  # the metadata header ends at the first blank line
        key, sep, value = line.partition(":")
        if sep and key.strip().lower() == "freigabe-datenschutz":
            return value.strip()
    return ""


def last_clearance(path: Path) -> Clearance | None:
    """The last cleared version of ``path`` in git, or None (never cleared, or not in git)."""
    path = path.resolve()
    top = _git(path.parent, "rev-parse", "--show-toplevel")
    if not top:
        return None
    repo = Path(top.strip())
    rel = path.relative_to(repo).as_posix()
    log = _git(repo, "log", "--follow", "--format=%H %h %cs", "--name-only", "--", rel)
    if not log:
        return None
    entries, current = [], None
    for line in log.splitlines():
        if not line.strip():
            continue
        parts = line.split()
        if len(parts) == 3 and len(parts[0]) == 40:
            current = parts
        elif current is not None:
            entries.append((*current, line.strip()))
            current = None
    for full, short, day, name in entries:
        old = _git(repo, "show", f"{full}:{name}")
        if old is None:
            continue
        signoff = _signoff_in(old)
        if signoff:
            now = path.read_text(encoding="utf-8")
            diff = list(
                difflib.unified_diff(
                    old.splitlines(), now.splitlines(), f"{short}:{name}", f"jetzt:{rel}", lineterm="", n=1
                )
            )
            return Clearance(short, day, signoff, diff)
    return None


def current_signoff(path: Path) -> str:
    """The ``Freigabe-Datenschutz`` value in the file as it is now."""
    src = read_source(path, "article")
    return str(src.meta.get("freigabe-datenschutz", "") or "")
