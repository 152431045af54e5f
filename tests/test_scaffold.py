"""``invoke new`` scaffolds an article that builds."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import build_site, copy_fixture, page
from magazin.core.scaffold import ScaffoldError, scaffold_article


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


@pytest.mark.parametrize(
    ("utc", "berlin"),
    [
        (dt.datetime(2026, 11, 27, 4, 29, tzinfo=dt.UTC), "2026-11-27 05:29"),  # CET, UTC+1
        (dt.datetime(2026, 7, 1, 4, 29, tzinfo=dt.UTC), "2026-07-01 06:29"),  # CEST, UTC+2
        (dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.UTC), "2027-01-01 00:30"),  # a new year in Berlin
    ],
)
def test_new_writes_the_date_in_the_sites_time_zone(tmp_path, utc, berlin):
    content = copy_fixture("mini", tmp_path / "site")
    path = scaffold_article(content, "Zeitzone", "technik", "Jürgen Weiß", now=utc, timezone="Europe/Berlin")
    assert f"Date: {berlin}\n" in path.read_text(encoding="utf-8")


def test_invoke_new_uses_pelicanconf_timezone_on_a_utc_machine(tmp_path, monkeypatch):
    """`invoke new` on a machine whose clock is UTC (CI, servers) still writes Berlin time:
    what Pelican reads from ``Date:`` with TIMEZONE = "Europe/Berlin"."""
    import time
    from zoneinfo import ZoneInfo

    from invoke import Context

    import tasks

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    try:
        copy_fixture("mini", tmp_path / "repo")
        monkeypatch.setattr(tasks, "ROOT", tmp_path / "repo")
        before = dt.datetime.now(ZoneInfo("Europe/Berlin")).replace(second=0, microsecond=0, tzinfo=None)
        tasks.new(Context(), title="Spät am Abend", department="technik", author="Jürgen Weiß")
        after = dt.datetime.now(ZoneInfo("Europe/Berlin")).replace(tzinfo=None)
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    text = (tmp_path / "repo" / "content/articles/technik/spaet-am-abend.md").read_text(encoding="utf-8")
    written = dt.datetime.strptime(text.split("Date: ", 1)[1].split("\n", 1)[0], "%Y-%m-%d %H:%M")
    assert before <= written <= after
    utc_now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    assert abs((written - utc_now).total_seconds()) >= 3600 - 120  # not the machine's UTC clock
