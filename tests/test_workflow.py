"""The editorial workflow: preview banner, publish build with only cleared articles,
reproducible output, the status table."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import feedparser
import pytest

from conftest import PUBLISH_SETTINGS, build_site, copy_fixture, page
from magazin.core.build import BuildFailed, read_magazine_settings
from magazin.editorial.status import format_table, status_rows

CLEARED = "/technik/qualitaet-von-edelstahl-ein-ueberblick/"
REVIEW = "/technik/schweissnaehte-pruefen/"
ARTICLE = "articles/technik/qualitaet-von-edelstahl.md"


@pytest.fixture(scope="module")
def fixture_content(tmp_path_factory) -> Path:
    return copy_fixture("editorial", tmp_path_factory.mktemp("wf") / "site")


@pytest.fixture(scope="module")
def dev_output(fixture_content, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wf-dev") / "output"
    build_site(fixture_content, out)
    return out


@pytest.fixture(scope="module")
def publish_output(fixture_content, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wf-pub") / "output"
    build_site(fixture_content, out, PUBLISH_SETTINGS)
    return out


def test_preview_shows_review_article_with_banner(dev_output):
    doc = page(dev_output, REVIEW)
    banner = doc.select_one(".editorial-banner")
    assert banner is not None
    text = banner.get_text(" ", strip=True)
    assert "noch nicht veröffentlicht" in text
    assert "In Prüfung (Datenschutz)" in text
    assert "Freigabe durch den Datenschutz" in text
    assert "Jürgen Weiß (28.11.2026)" in text  # the department's sign-off, with date
    assert "Freigabe der Abteilung" not in text
    # it sits above the headline, where an author cannot miss it
    assert banner.find_next("h1").get_text(strip=True) == "Schweißnähte prüfen"
    # listed in the preview like any other article
    assert page(dev_output, "/").find("a", href=REVIEW)


def test_cleared_article_has_no_banner(dev_output, publish_output):
    assert page(dev_output, CLEARED).select_one(".editorial-banner") is None
    assert page(publish_output, CLEARED).select_one(".editorial-banner") is None


def test_publish_build_leaves_out_articles_in_review(publish_output):
    assert not (publish_output / REVIEW.strip("/")).exists()
    everything = "\n".join(
        p.read_text(encoding="utf-8", errors="replace")
        for p in publish_output.rglob("*")
        if p.is_file() and p.suffix in (".html", ".xml", ".txt")
    )
    assert "schweissnaehte-pruefen" not in everything
    assert "Schweißnähte prüfen" not in everything
    sitemap = (publish_output / "sitemap.xml").read_text(encoding="utf-8")
    assert CLEARED in sitemap
    feed = feedparser.parse((publish_output / "feeds/all.atom.xml").read_bytes())
    assert sorted(e.title for e in feed.entries) == [
        "Prüfzeugnisse lesen",
        "Qualität von Edelstahl – ein Überblick",
    ]
    # its only topic page is not built either
    assert not (publish_output / "themen/sonderthema-pruefung").exists()


def test_publish_build_fails_without_data_protection_clearance(tmp_path, publish_output):
    content = copy_fixture("editorial", tmp_path / "site")
    article = content / ARTICLE
    article.write_text(
        article.read_text(encoding="utf-8").replace(
            "Freigabe-Datenschutz: Claudia Reinhardt, 2026-11-24\n", ""
        ),
        encoding="utf-8",
    )
    out = tmp_path / "output"
    shutil.copytree(publish_output, out)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    with pytest.raises(BuildFailed) as info:
        build_site(content, out, PUBLISH_SETTINGS)
    assert len(info.value.problems) == 1
    message = info.value.problems[0]
    assert "technik/qualitaet-von-edelstahl.md:6: Der Artikel soll veröffentlicht werden" in message
    assert "es fehlt: Freigabe durch den Datenschutz (Freigabe-Datenschutz)" in message
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    # … while the preview builds it, with the banner naming what is missing
    preview = tmp_path / "preview"
    build_site(content, preview)
    banner = page(preview, CLEARED).select_one(".editorial-banner")
    assert "Freigabe durch den Datenschutz" in banner.get_text()


def test_pelican_draft_status_still_works(tmp_path):
    content = copy_fixture("editorial", tmp_path / "site")
    article = content / "articles/technik/schweissnaehte-pruefen.md"
    article.write_text(
        article.read_text(encoding="utf-8").replace("Status: In Prüfung", "Status: draft"), encoding="utf-8"
    )
    out = tmp_path / "output"
    build_site(content, out)
    assert page(out, "/entwuerfe/schweissnaehte-pruefen/").select_one(".editorial-banner")
    assert not (out / REVIEW.strip("/")).exists()


# Pagefind (plugins/magazin/search) writes its filter/meta index files in hash-map order, so their
# names and bytes differ from run to run (upstream Pagefind issue #638); everything else
# must be byte-identical.
NOT_REPRODUCIBLE = ("pagefind/",)


def tree_digest(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.relative_to(root).as_posix().startswith(NOT_REPRODUCIBLE)
    }


@pytest.mark.parametrize("settings", ["pelicanconf.py", "publishconf.py"])
def test_two_clean_builds_are_byte_identical(tmp_path, settings):
    from conftest import ROOT

    first = copy_fixture("editorial", tmp_path / "a")
    second = copy_fixture("editorial", tmp_path / "b")
    # Different file times for the second copy: nothing may depend on them (or on the clock).
    for path in second.rglob("*"):
        os.utime(path, (1_000_000_000, 1_000_000_000))
    build_site(first, tmp_path / "out-a", ROOT / settings)
    build_site(second, tmp_path / "out-b", ROOT / settings)
    a, b = tree_digest(tmp_path / "out-a"), tree_digest(tmp_path / "out-b")
    assert a.keys() == b.keys()
    assert [k for k in a if a[k] != b[k]] == []
    assert len(a) > 20


def test_status_table_names_who_acts_next(fixture_content):
    settings = read_magazine_settings(PUBLISH_SETTINGS, {"PATH": str(fixture_content)})
    rows = status_rows(settings)
    assert rows[0].title == "Schweißnähte prüfen"  # least advanced first
    review = rows[0]
    assert review.state == "In Prüfung (Datenschutz)"
    assert review.waiting_for.startswith("Datenschutzbeauftragte")
    assert review.department == "Technik & Anwendung"
    assert {r.waiting_for for r in rows[1:]} == {"—"}
    table = format_table(rows)
    assert "Wer ist dran?" in table
    assert "3 Artikel: 2 freigegeben, 1 in Arbeit." in table
