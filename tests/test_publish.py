"""``invoke publish`` against a real local bare repository: history kept, never forced,
empty or shrunken sites refused, nothing pushed when a check fails."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import PUBLISH_SETTINGS, copy_fixture
from magazin.editorial import publish as publishing
from magazin.editorial.publish import PublishRefused, deploy, publish

BRANCH = "gh-pages"


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture(autouse=True)
def _git_identity(monkeypatch):
    for var in ("GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME"):
        monkeypatch.setenv(var, "Magazin CI")
    for var in ("GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL"):
        monkeypatch.setenv(var, "ci@magazin.invalid")


def clone(remote: Path, dest: Path) -> Path:
    subprocess.run(["git", "clone", "-q", str(remote), str(dest)], check=True, capture_output=True)
    git(dest, "config", "user.name", "Magazin CI")
    git(dest, "config", "user.email", "ci@magazin.invalid")
    return dest


@pytest.fixture
def repos(tmp_path):
    """A bare remote with a main branch, and a working clone of it."""
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(remote)], check=True)
    seed = tmp_path / "seed"
    subprocess.run(["git", "init", "-q", "-b", "main", str(seed)], check=True)
    (seed / "README.md").write_text("Magazin\n")
    git(seed, "add", "README.md")
    git(seed, "-c", "user.name=x", "-c", "user.email=x@x.invalid", "commit", "-qm", "init")
    git(seed, "push", "-q", str(remote), "main")
    return remote, clone(remote, tmp_path / "work")


def make_site(root: Path, pages: dict[str, str]) -> Path:
    for rel, text in pages.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


V1 = {
    "index.html": "<h1>Start</h1>",
    "technik/a/index.html": "<h1>A</h1>",
    "feeds/all.atom.xml": "<feed/>",
    "theme/css/magazin.css": "body{}",
}


def remote_files(remote: Path) -> set[str]:
    return set(git(remote, "ls-tree", "-r", "--name-only", BRANCH).splitlines())


def test_deploys_with_cname_and_nojekyll_and_keeps_history(repos, tmp_path):
    remote, work = repos
    first = deploy(make_site(tmp_path / "v1", V1), work, cname="magazin.heco.de")
    assert first.parent is None and first.pushed
    assert remote_files(remote) == {*V1, "CNAME", ".nojekyll"}
    assert git(remote, "show", f"{BRANCH}:CNAME") == "magazin.heco.de"
    v2 = make_site(tmp_path / "v2", {**V1, "technik/b/index.html": "<h1>B</h1>"})
    second = deploy(v2, work, cname="magazin.heco.de")
    assert second.parent == first.commit
    log = git(remote, "rev-list", BRANCH).splitlines()
    assert log == [second.commit, first.commit]  # history kept, one commit per deploy
    assert "technik/b/index.html" in remote_files(remote)
    # main is untouched
    assert git(remote, "rev-list", "--count", "main") == "1"


@pytest.mark.parametrize(
    "site",
    [{}, {"technik/a/index.html": "<h1>A</h1>"}, {"index.html": ""}],
    ids=["empty", "no-start-page", "blank-start-page"],
)
def test_refuses_empty_site(repos, tmp_path, site):
    remote, work = repos
    deploy(make_site(tmp_path / "v1", V1), work)
    before = git(remote, "rev-parse", BRANCH)
    target = tmp_path / "bad"
    target.mkdir()
    with pytest.raises(PublishRefused) as info:
        deploy(make_site(target, site), work)
    assert "es wird nichts veröffentlicht" in str(info.value)
    assert git(remote, "rev-parse", BRANCH) == before


def test_refuses_to_lose_pages_unless_listed(repos, tmp_path):
    remote, work = repos
    deploy(make_site(tmp_path / "v1", V1), work)
    before = git(remote, "rev-parse", BRANCH)
    shrunk = {k: v for k, v in V1.items() if k not in ("technik/a/index.html", "theme/css/magazin.css")}
    site = make_site(tmp_path / "v2", shrunk)
    with pytest.raises(PublishRefused) as info:
        deploy(site, work)
    text = str(info.value)
    assert "1 Seite(n) weniger" in text and "technik/a/index.html" in text
    assert "magazin.css" not in text  # assets may go; pages may not
    assert git(remote, "rev-parse", BRANCH) == before
    # listed explicitly: allowed
    report = deploy(site, work, allow_removal=["technik/a/"])
    assert "technik/a/index.html" in report.removed
    assert "technik/a/index.html" not in remote_files(remote)


def test_removals_file_allows_removal(repos, tmp_path):
    remote, work = repos
    deploy(make_site(tmp_path / "v1", V1), work)
    (work / publishing.REMOVALS_FILE).write_text("# alter Artikel, zurückgezogen\n/technik/a/\n")
    site = make_site(tmp_path / "v2", {k: v for k, v in V1.items() if not k.startswith("technik/a")})
    deploy(site, work)
    assert "technik/a/index.html" not in remote_files(remote)


def test_never_force_pushes_over_a_concurrent_deploy(repos, tmp_path, monkeypatch):
    remote, work = repos
    deploy(make_site(tmp_path / "v1", V1), work)
    other = clone(remote, tmp_path / "other")
    real_git = publishing._git

    def racing_git(repo, *args, **kwargs):
        if args and args[0] == "push":
            # someone else deploys between our fetch and our push
            git(other, "fetch", "-q", "origin", BRANCH)
            git(other, "checkout", "-q", "-b", BRANCH, f"origin/{BRANCH}")
            (other / "index.html").write_text("<h1>Anderer Stand</h1>")
            git(other, "commit", "-qam", "concurrent deploy")
            git(other, "push", "-q", "origin", BRANCH)
        return real_git(repo, *args, **kwargs)

    monkeypatch.setattr(publishing, "_git", racing_git)
    with pytest.raises(PublishRefused) as info:
        deploy(make_site(tmp_path / "v2", {**V1, "neu/index.html": "<h1>Neu</h1>"}), work)
    assert "nicht erzwungen" in str(info.value)
    assert git(remote, "log", "-1", "--format=%s", BRANCH) == "concurrent deploy"
    assert "neu/index.html" not in remote_files(remote)


def test_publish_end_to_end_builds_checks_and_deploys(repos, tmp_path):
    remote, work = repos
    content = copy_fixture("editorial", tmp_path / "site")
    overrides = {"PATH": str(content), "CACHE_PATH": str(tmp_path / "cache")}
    report = publish(PUBLISH_SETTINGS, work, overrides=overrides)
    files = remote_files(remote)
    assert "technik/qualitaet-von-edelstahl-ein-ueberblick/index.html" in files
    assert not any("schweissnaehte" in f for f in files)  # still in review
    assert {"CNAME", ".nojekyll", "index.html", "sitemap.xml", "feeds/all.atom.xml"} <= files
    assert git(remote, "show", f"{BRANCH}:CNAME") == "magazin.heco.de"
    assert report.files == len(files) - 2
    # the same commit again gives the same files (Pagefind's index excepted, see test_workflow):
    # nothing lost, a new commit on top of the deployed one
    again = publish(PUBLISH_SETTINGS, work, overrides=overrides)
    assert again.parent == report.commit

    def stable_tree(commit: str) -> list[str]:
        entries = git(remote, "ls-tree", "-r", commit).splitlines()
        return [e for e in entries if not e.split("\t", 1)[1].startswith("pagefind/")]

    assert stable_tree(again.commit) == stable_tree(report.commit)


def test_publish_refuses_when_a_check_fails(repos, tmp_path):
    remote, work = repos
    content = copy_fixture("editorial", tmp_path / "site")
    article = content / "articles/technik/qualitaet-von-edelstahl.md"
    article.write_text(article.read_text(encoding="utf-8").replace("Author: Jürgen Weiß", "Author: Niemand"))
    with pytest.raises(PublishRefused) as info:
        publish(PUBLISH_SETTINGS, work, overrides={"PATH": str(content), "CACHE_PATH": str(tmp_path / "c")})
    assert "qualitaet-von-edelstahl.md:3: Unbekannte Autorin" in str(info.value)
    assert git(remote, "ls-remote", "--heads", str(remote), BRANCH) == ""  # nothing was pushed
