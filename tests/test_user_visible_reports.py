"""The data-protection officer's review sheet, read as the officer reads it: the PDF's text (issue 24).

- a post card says whether its platform's embed loads after a click (X: yes, behind the
  consent placeholder) or is only a link (Mastodon);
- after two clearances, "changed since" compares with the newer one, not the first;
- a draft is not waiting for the officer: it gets no sheet of its own.

The site is a git repository built from the editorial fixture with three articles added and
a history of two clearances, as authors and the officer write them.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest
from posts_helpers import write_post
from pypdf import PdfReader

from conftest import SETTINGS, copy_fixture
from magazin.reports.facts import collect
from magazin.reports.sheet import write_sheets

pytestmark = pytest.mark.slow  # one build of a small site

TODAY = dt.date(2026, 11, 30)
X_POST = "https://x.com/hecogmbh/status/1990000000000000001"
MASTODON_POST = "https://social.example/@heco/115600000000000009"


def _article(title: str, status: str, body: str, privacy: str = "") -> str:
    return (
        f"Title: {title}\nDate: 2026-11-05 09:00\nAuthor: Autor 3\nSummary: {title} kurz erklärt.\n"
        f"Status: {status}\nFreigabe-Abteilung: Jürgen Weiß, 2026-11-06\n{privacy}\n{body}\n"
    )


def _git(repo: Path, *args: str, date: str = "2026-11-06T10:00:00") -> None:
    env = {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date, "PATH": "/usr/bin:/bin"}
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=Test", "-c", "user.email=test@example.invalid", *args],
        check=True,
        capture_output=True,
        env=env,
    )


def _pdf_text(path: Path) -> str:
    return " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(str(path)).pages)


@pytest.fixture(scope="module")
def sheets(tmp_path_factory):
    root = tmp_path_factory.mktemp("sheets") / "repo"
    content = copy_fixture("editorial", root)
    technik = content / "articles" / "technik"
    posts = content / "media" / "posts"
    write_post(posts, text="Neue Pressfittings ab Lager.")
    write_post(
        posts,
        platform="mastodon",
        id="115600000000000009",
        url=MASTODON_POST,
        author={"name": "heco gmbh", "handle": "@heco@social.example"},
        text="Heute im Magazin: Prüfzeugnisse.",
    )
    (technik / "beitraege-aus-netzwerken.md").write_text(
        _article("Beiträge aus Netzwerken", "In Prüfung", f"Zwei Beiträge:\n\n{X_POST}\n\n{MASTODON_POST}\n"),
        encoding="utf-8",
    )
    (technik / "entwurf-flanschnormen.md").write_text(
        _article("Entwurf Flanschnormen", "Entwurf", "Noch in Arbeit."), encoding="utf-8"
    )
    twice = technik / "rohrbiegen.md"
    cleared = "Freigabe-Datenschutz: Claudia Reinhardt, {}\n"
    twice.write_text(
        _article("Rohrbiegen", "Freigegeben", "Erste Fassung zum Biegen.", cleared.format("2026-11-07")),
        encoding="utf-8",
    )
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "first clearance", date="2026-11-07T10:00:00")
    twice.write_text(
        _article("Rohrbiegen", "Freigegeben", "Zweite Fassung zum Biegen.", cleared.format("2026-11-20")),
        encoding="utf-8",
    )
    _git(root, "commit", "-qam", "second clearance", date="2026-11-20T10:00:00")
    twice.write_text(
        _article("Rohrbiegen", "In Prüfung", "Dritte Fassung zum Biegen, mit Kundennamen."), encoding="utf-8"
    )
    _git(root, "commit", "-qam", "edited after the second clearance", date="2026-11-25T10:00:00")
    facts = collect(SETTINGS, {"PATH": str(content)})
    target = root.parent / "berichte"
    default = {p.name: _pdf_text(p) for p in write_sheets(facts, target / "alle", today=TODAY)}
    (posts_pdf,) = write_sheets(facts, target / "posts", "beitraege-aus-netzwerken", today=TODAY)
    (twice_pdf,) = write_sheets(facts, target / "zweimal", "rohrbiegen", today=TODAY)
    return {"default": default, "posts": _pdf_text(posts_pdf), "twice": _pdf_text(twice_pdf)}


def test_post_cards_say_whether_the_embed_loads_after_a_click(sheets):
    text = sheets["posts"].replace("\u2010 ", "")  # words hyphenated at a line end in the table
    table = text.split("EINBETTUNG NACH KLICK", 1)[1].split("Externe Links", 1)[0]
    x_row, mastodon_row = table.split(" Mastodon ", 1)
    assert x_row.strip().startswith("X heco gmbh @hecogmbh")
    assert X_POST in x_row.replace(" ", "") and x_row.split()[-1] == "ja"
    assert mastodon_row.startswith("heco gmbh @heco@social.example")
    assert MASTODON_POST in mastodon_row.replace(" ", "")
    assert mastodon_row.strip().endswith("nein, nur Link")


def test_changes_are_shown_since_the_newest_clearance(sheets):
    text = sheets["twice"]
    assert "Zuletzt freigegeben: „Claudia Reinhardt, 2026-11-20“" in text
    assert "vom 2026-11-20" in text
    changes = text.split("Seitdem geändert", 1)[1]
    assert "-Zweite Fassung zum Biegen." in changes
    assert "+Dritte Fassung zum Biegen, mit Kundennamen." in changes
    assert "Erste Fassung" not in changes and "2026-11-07" not in text


def test_drafts_are_not_waiting_for_the_officer(sheets):
    titles = sorted(t.split("Wer ist", 1)[0] for t in sheets["default"].values())
    names = sorted(sheets["default"])
    assert names == [
        "pruefbogen-technik-beitraege-aus-netzwerken.pdf",
        "pruefbogen-technik-rohrbiegen.pdf",
        "pruefbogen-technik-schweissnaehte-pruefen.pdf",
    ], names
    assert not any("Entwurf Flanschnormen" in t for t in titles)
