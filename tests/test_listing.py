"""Pagination as …/page/N/ and listing pages on a fixture site with 12+ authors."""

from __future__ import annotations

import pytest

from conftest import build_site, copy_fixture, page


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    base = tmp_path_factory.mktemp("many")
    content = copy_fixture("mini", base / "site")
    # "Autor 1" writes 13 articles: author pages and pagination must not collide with "Autor 12"
    for i in range(13):
        (content / f"articles/technik/artikel-{i:02d}.md").write_text(
            f"Title: Artikel Nummer {i}\nDate: 2026-01-{i + 1:02d} 10:00\nAuthor: Autor 1\n"
            f"Tags: Werkstoffe\nSummary: Zusammenfassung {i}.\n\nText {i}.\n",
            encoding="utf-8",
        )
    (content / "articles/technik/von-autor-12.md").write_text(
        "Title: Von Autor zwölf\nDate: 2025-06-01 10:00\nAuthor: Autor 12\nTags: Normen\n"
        "Summary: Ein Artikel.\n\nText.\n",
        encoding="utf-8",
    )
    out = base / "output"
    build_site(content, out)
    return out


def test_author_pagination_does_not_collide(many):
    first = page(many, "/autoren/autor-1/")
    second = page(many, "/autoren/autor-1/page/2/")
    twelve = page(many, "/autoren/autor-12/")
    assert first.find("h1").get_text(" ", strip=True) == "Autor 1"
    assert "Seite 2" in second.find("h1").get_text(" ", strip=True)
    assert len(first.select(".card")) == 10 and len(second.select(".card")) == 3
    assert [a.get_text() for a in twelve.select(".card__title a")] == ["Von Autor zwölf"]
    assert first.find("a", rel="next")["href"] == "/autoren/autor-1/page/2/"
    assert second.find("a", rel="prev")["href"] == "/autoren/autor-1/"


def test_department_and_tag_pagination(many):
    dep = page(many, "/technik/")
    assert dep.find("a", rel="next")["href"] == "/technik/page/2/"
    assert page(many, "/technik/page/2/").select(".card")
    tag = page(many, "/themen/werkstoffe/")
    assert tag.find("a", rel="next")["href"] == "/themen/werkstoffe/page/2/"
    home2 = page(many, "/page/2/")
    assert home2.select(".card")


def test_german_slugs_in_urls(many):
    doc = page(many, "/technik/qualitaet-von-edelstahl-ein-ueberblick/")
    assert doc.find("h1").get_text() == "Qualität von Edelstahl – ein Überblick"
    assert page(many, "/qualitaetssicherung/").find("h1").get_text() == "Qualitätssicherung"
    assert page(many, "/autoren/juergen-weiss/")
    assert page(many, "/themen/qualitaet/")
    assert page(many, "/themen/1-4404/")


def test_related_and_prev_next(many):
    doc = page(many, "/technik/artikel-nummer-5/")
    related = doc.select(".related .card__title a")
    assert len(related) == 3
    nav = doc.select_one(".prev-next")
    assert nav.find("a", rel="prev")["href"] == "/technik/artikel-nummer-4/"
    assert nav.find("a", rel="next")["href"] == "/technik/artikel-nummer-6/"
