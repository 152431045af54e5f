"""Bad input stops the build with a German message naming file and value; output/ is untouched."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from conftest import build_site, copy_fixture
from magazin.core.build import BuildFailed


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


def test_strict_build_failing_on_a_late_warning_leaves_output_byte_identical(site):
    """A warning logged after every writer ran (Pelican's ``finalized``: search index,
    stylesheet bundle …) still fails a strict build, and the previous output/ stays exactly
    as it was: same files, same bytes, no staging folder left behind."""
    import logging

    from pelican import signals

    content, out = site
    before = snapshot(out)
    assert len(before) > 20
    written: list[int] = []

    def warn_late(pelican) -> None:
        staged = Path(pelican.output_path)
        written.append(sum(1 for p in staged.rglob("*.html")))
        logging.getLogger("magazin.test").warning("Spät: ein Problem nach dem Schreiben")

    (content / "articles" / "technik").mkdir(parents=True, exist_ok=True)
    (content / "articles" / "technik" / "neu.md").write_text(
        "Title: Ein neuer Artikel\nDate: 2026-02-01 10:00\nAuthor: Jürgen Weiß\n\nNeuer Text.\n",
        encoding="utf-8",
    )
    signals.finalized.connect(warn_late)
    try:
        with pytest.raises(BuildFailed) as info:
            build_site(content, out, MAGAZINE_STRICT=True)
    finally:
        signals.finalized.disconnect(warn_late)
    assert written and written[0] > 10  # the writers had written the whole site
    assert info.value.problems == ["Spät: ein Problem nach dem Schreiben"]
    assert snapshot(out) == before
    assert not (out / "technik" / "ein-neuer-artikel").exists()
    assert sorted(p.name for p in out.parent.iterdir() if p.name.startswith(".output")) == []


def test_a_content_error_keeps_its_german_message_through_a_context_manager():
    """``contextlib.contextmanager`` sets ``__traceback__`` on an exception that passes
    through it (the consent reader wraps Markdown in one): the author must still get the
    German message, not a FrozenInstanceError."""
    import contextlib

    from magazin.core.errors import ContentError

    @contextlib.contextmanager
    def around():
        yield

    with pytest.raises(ContentError) as info, around():
        raise ContentError("content/articles/technik/x.md", 4, "Unbekannte Abteilung.", "Bitte prüfen.")
    assert str(info.value).endswith("x.md:4: Unbekannte Abteilung. Bitte prüfen.")
    with pytest.raises(Exception, match="cannot assign"):
        info.value.message = "anders"  # the fields stay frozen
