"""``invoke new`` scaffolds an article that builds."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import build_site, copy_fixture, page
from magazin.magazine.scaffold import ScaffoldError, scaffold_article


def test_new_article_builds(tmp_path):
    content = copy_fixture("mini", tmp_path / "site")
    path = scaffold_article(
        content, "Größere Rohre für Übersee", "technik", "Jürgen Weiß", now=dt.datetime(2026, 11, 27, 9, 15)
    )
    assert path == content / "articles/technik/groessere-rohre-fuer-uebersee.md"
    text = path.read_text()
    for key in (
        "Title: Größere Rohre für Übersee",
        "Date: 2026-11-27 09:15",
        "Author: Jürgen Weiß",
        "Tags: TODO",
        "Summary: TODO",
    ):
        assert key in text
    out = tmp_path / "out"
    build_site(content, out)
    assert (
        page(out, "/technik/groessere-rohre-fuer-uebersee/").find("h1").get_text()
        == "Größere Rohre für Übersee"
    )


@pytest.mark.parametrize(
    ("title", "department", "author", "message"),
    [
        ("Titel", "marketing", "Jürgen Weiß", "Unbekannte Abteilung „marketing“"),
        ("Titel", "technik", "Niemand", "Unbekannte Person „Niemand“"),
        ("   ", "technik", "Jürgen Weiß", "Titel ist leer"),
    ],
)
def test_new_refuses_bad_input(tmp_path, title, department, author, message):
    content = copy_fixture("mini", tmp_path / "site")
    with pytest.raises(ScaffoldError, match=message):
        scaffold_article(content, title, department, author, now=dt.datetime(2026, 1, 1))


def test_new_does_not_overwrite(tmp_path):
    content = copy_fixture("mini", tmp_path / "site")
    scaffold_article(content, "Zweimal", "technik", "Jürgen Weiß", now=dt.datetime(2026, 1, 1))
    with pytest.raises(ScaffoldError, match="gibt es schon"):
        scaffold_article(content, "Zweimal", "technik", "Jürgen Weiß", now=dt.datetime(2026, 1, 2))
