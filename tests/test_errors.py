"""Bad input stops the build with a German message naming file and value; output/ is untouched."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from conftest import build_site, copy_fixture
from magazin.magazine.build import BuildFailed


def snapshot(out: Path) -> dict[str, str]:
    return {
        str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def site(tmp_path):
    content = copy_fixture("mini", tmp_path / "site")
    out = tmp_path / "output"
    build_site(content, out)
    return content, out


def test_unknown_author(site):
    content, out = site
    before = snapshot(out)
    article = content / "articles/technik/qualitaet-von-edelstahl.md"
    article.write_text(article.read_text().replace("Author: Jürgen Weiß", "Author: Jürgen Weis"))
    with pytest.raises(BuildFailed) as info:
        build_site(content, out)
    message = "\n".join(info.value.problems)
    assert "qualitaet-von-edelstahl.md:3:" in message
    assert "Unbekannte" in message and "„Jürgen Weis“" in message
    assert "authors.yml" in message
    assert snapshot(out) == before


def test_unknown_department(site):
    content, out = site
    before = snapshot(out)
    target = content / "articles/marketing"
    target.mkdir()
    (content / "articles/technik/qualitaet-von-edelstahl.md").rename(target / "artikel.md")
    with pytest.raises(BuildFailed) as info:
        build_site(content, out)
    message = "\n".join(info.value.problems)
    assert "marketing/artikel.md" in message
    assert "Unbekannte Abteilung „marketing“" in message
    assert "technik" in message  # lists the known departments
    assert snapshot(out) == before


def test_broken_data_file_names_line(site):
    content, out = site
    authors = content / "data/authors.yml"
    authors.write_text(authors.read_text() + "- name: Neu\n  department: technik\n  role: ''\n  bio: x\n")
    with pytest.raises(BuildFailed) as info:
        build_site(content, out)
    message = "\n".join(info.value.problems)
    assert "authors.yml:" in message and "„role“" in message


def test_author_in_unknown_department(site):
    content, out = site
    authors = content / "data/authors.yml"
    authors.write_text(authors.read_text() + "- name: Neu\n  department: vertrieb\n  role: R\n  bio: B\n")
    with pytest.raises(BuildFailed) as info:
        build_site(content, out)
    assert "„vertrieb“" in str(info.value) and "authors.yml:" in str(info.value)
