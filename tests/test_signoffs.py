"""Sign-offs from git history (plugins/magazin/editorial/signoffs.py): in a temporary git
repository, `invoke check --publish` refuses a Freigabe line the author typed, accepts one the
entitled person committed, and reports an edit after the data-protection officer's clearance."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, copy_fixture

AUTHOR = ("Autor 1", "autor1@heco.example")
REVIEWER = ("Jürgen Weiß", "juergen.weiss@heco.example")  # may sign off for technik
DPO = ("Claudia Reinhardt", "claudia.reinhardt@heco.example")
ARTICLE = "articles/technik/vorschweissflansch.md"
RIGHTS = """- name: Claudia Reinhardt
  department: technik
  role: Datenschutzbeauftragte
  bio: Prüft jeden Beitrag.
  email: claudia.reinhardt@heco.example
  datenschutz: true
"""


def git(repo: Path, *args: str, who: tuple[str, str] | None = None) -> str:
    env_args = ["-c", f"user.name={who[0]}", "-c", f"user.email={who[1]}"] if who else []
    done = subprocess.run(
        ["git", "-C", str(repo), *env_args, *args], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def commit(repo: Path, who: tuple[str, str], message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--no-gpg-sign", "-m", message, who=who)
    return git(repo, "rev-parse", "HEAD")


def set_header(path: Path, key: str, value: str) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    end = lines.index("")
    for index in range(end):
        if lines[index].lower().startswith(key.lower() + ":"):
            lines[index] = f"{key}: {value}"
            break
    else:
        lines.insert(end, f"{key}: {value}")
    path.write_text("\n".join(lines), encoding="utf-8")


@pytest.fixture
def repo(tmp_path, monkeypatch):
    for var in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"):
        monkeypatch.delenv(var, raising=False)
    content = copy_fixture("search", tmp_path / "site")
    authors = content / "data" / "authors.yml"
    text = authors.read_text(encoding="utf-8")
    text = text.replace(
        "- name: Jürgen Weiß\n",
        "- name: Jürgen Weiß\n  email: juergen.weiss@heco.example\n  freigabe: [technik]\n",
    )
    text = text.replace("- name: Autor 1\n", "- name: Autor 1\n  email: autor1@heco.example\n")
    authors.write_text(text + RIGHTS, encoding="utf-8")
    article = content / ARTICLE
    set_header(article, "Author", "Autor 1")
    set_header(article, "Status", "In Prüfung")
    for key in ("Freigabe-Abteilung", "Freigabe-Datenschutz"):
        lines = [line for line in article.read_text(encoding="utf-8").split("\n") if not line.startswith(key)]
        article.write_text("\n".join(lines), encoding="utf-8")
    git(content.parent, "init", "-q", "-b", "main")
    commit(content.parent, AUTHOR, "Artikel angelegt")
    return content


def problems(content: Path, **overrides) -> list[str]:
    from magazin.core.build import read_magazine_settings
    from magazin.editorial.checks import check_site

    settings = read_magazine_settings(
        ROOT / "publishconf.py", {"PATH": str(content), "EDITORIAL_SIGNOFF_TRUSTED": None, **overrides}
    )
    return [str(p) for p in check_site(settings, full=True) if Path(p.path or "").name == Path(ARTICLE).name]


def test_a_sign_off_typed_by_the_author_is_refused_with_file_line_commit_and_author(repo):
    article = repo / ARTICLE
    set_header(article, "Freigabe-Abteilung", "Jürgen Weiß, 2026-03-02")
    set_header(article, "Freigabe-Datenschutz", "Claudia Reinhardt, 2026-03-03")
    set_header(article, "Status", "Freigegeben")
    sha = commit(repo.parent, AUTHOR, "Freigaben selbst eingetragen")
    found = problems(repo)
    lines = article.read_text(encoding="utf-8").split("\n")
    dep_line = next(i for i, line in enumerate(lines, 1) if line.startswith("Freigabe-Abteilung"))
    dpo_line = next(i for i, line in enumerate(lines, 1) if line.startswith("Freigabe-Datenschutz"))
    assert len(found) == 2, found
    assert (
        f"{ARTICLE}:{dep_line}: Freigabe-Abteilung: Die Zeile stammt aus Commit {sha[:10]} von Autor 1 "
        "<autor1@heco.example>; diese Person darf für die Abteilung „technik“ nicht freigeben"
    ) in found[0]
    assert f"Commit {sha[:10]} von Autor 1 <autor1@heco.example>" in found[0]
    assert f"{ARTICLE}:{dpo_line}: Freigabe-Datenschutz: Die Zeile stammt aus Commit {sha[:10]}" in found[1]
    assert "nicht von der/dem Datenschutzbeauftragten" in found[1]
    # the same check without the git rule (development settings): nothing to say
    assert problems(repo, EDITORIAL_SIGNOFF_GIT=False) == []


def test_sign_offs_committed_by_the_entitled_people_pass(repo):
    article = repo / ARTICLE
    set_header(article, "Freigabe-Abteilung", "Jürgen Weiß, 2026-03-02")
    commit(repo.parent, REVIEWER, "Korrektur gelesen, freigegeben")
    set_header(article, "Freigabe-Datenschutz", "Claudia Reinhardt, 2026-03-03")
    commit(repo.parent, DPO, "Datenschutz: freigegeben")
    assert problems(repo) == []
    # … but a reviewer's line naming somebody else is refused
    set_header(article, "Freigabe-Abteilung", "Anja Voß, 2026-03-02")
    sha = commit(repo.parent, REVIEWER, "Name geändert")
    found = problems(repo)
    assert len(found) == 2  # the wrong name, and a change after the clearance
    assert f"Die Freigabe nennt „Anja Voß“, aber Commit {sha[:10]} von Jürgen Weiß" in found[0]


def test_an_edit_after_the_clearance_is_reported(repo):
    article = repo / ARTICLE
    set_header(article, "Freigabe-Abteilung", "Jürgen Weiß, 2026-03-02")
    commit(repo.parent, REVIEWER, "freigegeben")
    set_header(article, "Freigabe-Datenschutz", "Claudia Reinhardt, 2026-03-03")
    cleared = commit(repo.parent, DPO, "Datenschutz: freigegeben")
    article.write_text(
        article.read_text(encoding="utf-8") + "\nNoch ein Satz nach der Freigabe.\n", encoding="utf-8"
    )
    sha = commit(repo.parent, AUTHOR, "Nachgebessert")
    found = problems(repo)
    assert len(found) == 1, found
    assert (
        f"Freigabe-Datenschutz: Nach der Freigabe durch den Datenschutz ({cleared[:10]}) wurde der Artikel "
        f"noch geändert: Commit {sha[:10]} von Autor 1 <autor1@heco.example>." in found[0]
    )
    assert "Hol die Freigabe neu ein." in found[0]


def test_an_uncommitted_sign_off_cannot_be_checked(repo):
    set_header(repo / ARTICLE, "Freigabe-Datenschutz", "Claudia Reinhardt, 2026-03-03")
    found = problems(repo)
    assert len(found) == 1 and "noch nicht committet" in found[0]


def test_lines_from_before_the_rule_are_trusted(repo):
    article = repo / ARTICLE
    set_header(article, "Freigabe-Abteilung", "Jürgen Weiß, 2026-03-02")
    set_header(article, "Freigabe-Datenschutz", "Claudia Reinhardt, 2026-03-03")
    old = commit(repo.parent, AUTHOR, "Altbestand")
    assert len(problems(repo)) == 2
    assert problems(repo, EDITORIAL_SIGNOFF_TRUSTED=old) == []


def test_a_shallow_clone_is_an_error(repo, tmp_path):
    set_header(repo / ARTICLE, "Freigabe-Abteilung", "Jürgen Weiß, 2026-03-02")
    commit(repo.parent, REVIEWER, "freigegeben")
    clone = tmp_path / "flach"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{repo.parent}", str(clone)],
        check=True,
        capture_output=True,
    )
    from magazin.core.build import read_magazine_settings
    from magazin.editorial.checks import check_site

    settings = read_magazine_settings(ROOT / "publishconf.py", {"PATH": str(clone / "content")})
    found = [str(p) for p in check_site(settings, full=True)]
    assert any("Der Git-Klon ist flach" in p and "fetch-depth: 0" in p for p in found), found
