"""Sign-offs that cannot be typed in: each ``Freigabe-…`` line counts only when the commit that
wrote it (added it or last changed it, ``git blame`` of that line) was authored by a person
entitled to it in ``authors.yml``:

- ``Freigabe-Abteilung``: a person whose ``freigabe:`` lists the article's department
  (its folder), who is not the article's author, committing with the ``email:`` given there;
- ``Freigabe-Datenschutz``: the data-protection officer (``datenschutz: true``) with the
  ``email:`` their commits carry.

A change to the article after the data-protection clearance (a commit after the one that wrote
the ``Freigabe-Datenschutz`` line) is reported too: the clearance was for another text.

``invoke check --publish`` (and so ``invoke publish`` and CI's publish build) runs this when
``EDITORIAL_SIGNOFF_GIT`` is on (publishconf). Lines last changed in
``EDITORIAL_SIGNOFF_TRUSTED`` or one of its ancestors (the history from before this rule) are
taken as they are. Content outside a git repository is not checked (tests' temporary sites);
a shallow clone is an error (CI must fetch the whole history).
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from magazin.core.datafiles import data_path, load_records
from magazin.core.errors import ContentError
from magazin.core.settings import setting

from .settings import DEFAULTS
from .source import Source
from .workflow import DEPARTMENT_KEY, PRIVACY_KEY, parse_signoff

UNCOMMITTED = "0" * 40


@dataclass(frozen=True)
class Commit:
    """The commit that last changed one line."""

    sha: str
    author: str
    email: str

    @property
    def short(self) -> str:
        return self.sha[:10]


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=False)


def repository(path: Path) -> Path | None:
    """The top of the git repository ``path`` lies in, or None."""
    done = _git(path if path.is_dir() else path.parent, "rev-parse", "--show-toplevel")
    return Path(done.stdout.strip()) if done.returncode == 0 else None


def line_commit(repo: Path, path: Path, line: int) -> Commit | None:
    """Who last changed ``line`` of ``path`` (the working copy; uncommitted: ``UNCOMMITTED``)."""
    done = _git(repo, "blame", "--porcelain", "-L", f"{line},{line}", "--", str(path.relative_to(repo)))
    if done.returncode != 0 or not done.stdout:
        return None
    lines = done.stdout.splitlines()
    fields = dict(part.split(" ", 1) for part in lines[1:] if " " in part and not part.startswith("\t"))
    return Commit(
        lines[0].split()[0],
        fields.get("author", ""),
        fields.get("author-mail", "").strip("<>"),
    )


def commits_after(repo: Path, path: Path, sha: str) -> list[Commit]:
    """The commits after ``sha`` that changed ``path``, oldest first."""
    done = _git(
        repo,
        "log",
        "--reverse",
        "--format=%H%x00%an%x00%ae",
        f"{sha}..HEAD",
        "--",
        str(path.relative_to(repo)),
    )
    out = []
    for row in done.stdout.splitlines():
        sha_, author, email = row.split("\x00")
        out.append(Commit(sha_, author, email))
    return out


def _trusted(repo: Path, sha: str, trusted: str | None) -> bool:
    if not trusted:
        return False
    return _git(repo, "merge-base", "--is-ancestor", sha, trusted).returncode == 0


@dataclass(frozen=True)
class Rights:
    """Who may sign off what, from authors.yml."""

    departments: dict[str, set[str]]  # e-mail → departments the person may sign off for
    names: dict[str, str]  # e-mail → name
    privacy: set[str]  # e-mail addresses of the data-protection officer(s)


def load_rights(settings: dict) -> Rights:
    departments: dict[str, set[str]] = {}
    names: dict[str, str] = {}
    privacy: set[str] = set()
    for person in load_records(data_path(settings, "authors.yml"), ("name",)):
        email = str(person.get("email") or "").strip().lower()
        if not email:
            continue
        names[email] = str(person["name"])
        granted = person.get("freigabe") or []
        departments[email] = {str(d) for d in (granted if isinstance(granted, list) else [granted])}
        if person.get("datenschutz") is True:
            privacy.add(email)
    return Rights(departments, names, privacy)


def check_signoffs(site: Any, src: Source, department: str | None, state: dict) -> None:
    """Add a German problem to ``src`` for every sign-off line a wrong person wrote, and for
    changes after the data-protection clearance. ``state`` caches per run (repository, rights)."""
    settings = site.settings
    if not (
        setting(settings, "EDITORIAL_PUBLISH", DEFAULTS)
        and setting(settings, "EDITORIAL_SIGNOFF_GIT", DEFAULTS)
    ):
        return
    if "repo" not in state:
        state["repo"] = repository(Path(settings["PATH"]).resolve())
        state["rights"] = load_rights(settings) if state["repo"] else None
        state["shallow"] = (
            bool(state["repo"])
            and _git(state["repo"], "rev-parse", "--is-shallow-repository").stdout.strip() == "true"
        )
        if state["shallow"]:
            site.errors.append(
                ContentError(
                    str(state["repo"]),
                    None,
                    "Die Freigaben lassen sich nicht prüfen: Der Git-Klon ist flach (ohne Historie).",
                    "Klone mit der ganzen Historie (in GitHub Actions: „fetch-depth: 0“).",
                )
            )
    repo: Path | None = state["repo"]
    if repo is None or state["shallow"]:
        return
    rights: Rights = state["rights"]
    trusted = setting(settings, "EDITORIAL_SIGNOFF_TRUSTED", DEFAULTS)
    path = src.path.resolve()
    author = src.meta.get("author", "").strip()
    for key in (DEPARTMENT_KEY, PRIVACY_KEY):
        signoff, _ = parse_signoff(src.meta.get(key))
        if signoff is None:
            continue
        line = src.line_of(key)
        commit = line_commit(repo, path, line)
        label = src.keys[key]
        if commit is None:
            continue
        if commit.sha == UNCOMMITTED:
            src.error(
                line,
                f"{label}: Die Freigabe ist noch nicht committet und lässt sich nicht prüfen.",
                "Die freigebende Person committet sie selbst (im Editor: „Freigeben“).",
            )
            continue
        if _trusted(repo, commit.sha, trusted):
            continue
        email = commit.email.lower()
        who = f"Commit {commit.short} von {commit.author} <{commit.email}>"
        if key == PRIVACY_KEY:
            if email not in rights.privacy:
                src.error(
                    line,
                    f"{label}: Die Zeile stammt aus {who}, nicht von der/dem Datenschutzbeauftragten "
                    "(content/data/authors.yml: „datenschutz: true“ mit dieser E-Mail-Adresse).",
                    "Nur die/der Datenschutzbeauftragte darf diese Freigabe eintragen: Zeile entfernen "
                    "und die Freigabe dort anfragen.",
                )
                continue
            later = [c for c in commits_after(repo, path, commit.sha) if not _trusted(repo, c.sha, trusted)]
            if later:
                last = later[-1]
                src.error(
                    line,
                    f"{label}: Nach der Freigabe durch den Datenschutz ({commit.short}) wurde der Artikel "
                    f"noch geändert: Commit {last.short} von {last.author} <{last.email}>"
                    + (f" und {len(later) - 1} weitere" if len(later) > 1 else "")
                    + ".",
                    "Der Datenschutz prüft die endgültige Fassung: Hol die Freigabe neu ein.",
                )
            continue
        allowed = rights.departments.get(email, set())
        if department not in allowed:
            src.error(
                line,
                f"{label}: Die Zeile stammt aus {who}; diese Person darf für die Abteilung "
                f"„{department}“ nicht freigeben (content/data/authors.yml: „freigabe:“).",
                "Eine berechtigte Person aus der Abteilung trägt die Freigabe selbst ein.",
            )
        elif rights.names.get(email) == author:
            src.error(
                line,
                f"{label}: {rights.names[email]} hat den eigenen Artikel freigegeben ({who}).",
                "Eine andere Person aus der Abteilung liest Korrektur und gibt frei.",
            )
        elif rights.names.get(email) != signoff.name:
            src.error(
                line,
                f"{label}: Die Freigabe nennt „{signoff.name}“, aber {who} hat sie eingetragen.",
                f"Die Zeile muss den Namen der freigebenden Person tragen: „{rights.names.get(email)}“.",
            )
