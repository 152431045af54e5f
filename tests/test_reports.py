"""Internal documents (plugins/magazin/reports): the data-protection review sheet and the
meeting report. Both are read back as a user reads them (PDF text, page count) and must
never reach the published site."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import FIXTURES, ROOT, SETTINGS, build_site, copy_fixture
from magazin.reports.facts import collect
from magazin.reports.meeting import build_report, comment_source, parse_since, write_report
from magazin.reports.sheet import UnknownArticle, write_sheets

TODAY = dt.date(2026, 11, 30)
VIDEO_ARTICLE = """\
Title: Montage im Video
Date: 2026-11-26 09:00
Author: Jürgen Weiß
Tags: Montage
Summary: Ein Video zeigt die Montage eines Pressfittings.
Status: In Prüfung
Freigabe-Abteilung: Autor 1, 2026-11-27
{privacy}
So sieht die Montage aus, erklärt von Anja Voß:

https://youtu.be/Mq3vT8kLp2E?t=1m30s

Die Norm steht bei der [Normungsstelle](https://www.din.de/de/ueber-normen-und-standards).
"""


def pdf_text(path: Path) -> tuple[str, int]:
    reader = PdfReader(str(path))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages), len(reader.pages)


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=Test", "-c", "user.email=test@example.invalid", *args],
        check=True,
        capture_output=True,
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The editorial fixture plus an article with a video, in a git repository whose history
    has one cleared version of that article and a later edit without the sign-off."""
    root = tmp_path_factory.mktemp("reports") / "repo"
    content = copy_fixture("editorial", root)
    shutil.copytree(FIXTURES / "videos" / "content" / "media", content / "media")
    # the real Datenschutzerklärung: its sections are what the sheet points to
    shutil.copy(ROOT / "content" / "pages" / "datenschutz.md", content / "pages" / "datenschutz.md")
    article = content / "articles" / "technik" / "montage-im-video.md"
    article.write_text(
        VIDEO_ARTICLE.format(privacy="Freigabe-Datenschutz: Claudia Reinhardt, 2026-11-27\n"),
        encoding="utf-8",
    )
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "cleared")
    article.write_text(
        VIDEO_ARTICLE.format(privacy="").replace(
            "So sieht die Montage aus", "Neu: So sieht die Montage jetzt aus"
        ),
        encoding="utf-8",
    )
    git(root, "commit", "-qam", "edited after clearance")
    return content


@pytest.fixture(scope="module")
def facts(site):
    return collect(SETTINGS, {"PATH": str(site)})


def test_default_sheets_cover_every_article_waiting_for_data_protection(facts, tmp_path):
    written = write_sheets(facts, tmp_path, today=TODAY)
    titles = sorted(pdf_text(p)[0].split("Wer ist")[0] for p in written)
    assert len(written) == 2, [p.name for p in written]
    assert any("Montage im Video" in t for t in titles)
    assert any("Schweißnähte prüfen" in t for t in titles)
    # a cleared article gets no sheet unless asked for
    assert not any("Qualität von Edelstahl" in t for t in titles)
    for pdf in written:
        assert pdf.with_suffix(".html").is_file()


def test_sheet_lists_third_parties_links_people_sections_diff_and_sign_line(facts, tmp_path):
    (pdf,) = write_sheets(facts, tmp_path, "montage-im-video", today=TODAY)
    text, pages = pdf_text(pdf)
    assert 1 <= pages <= 3
    # the video: provider, title, what is transferred (the overlay's own sentence)
    assert "YouTube" in text and "youtube-nocookie.com/embed/Mq3vT8kLp2E" in text.replace(" ", "")
    assert "IP-Adresse" in text
    # the external link with host and text; the video's own fallback link is not listed twice
    assert "www.din.de" in text and "Normungsstelle" in text
    assert "Video auf YouTube ansehen" not in text
    # people: author, department sign-off, a colleague named in the text
    for name in ("Jürgen Weiß", "Autor 1", "Anja Voß"):
        assert name in text
    # the privacy page's section on YouTube applies, as do hosting and rights
    sections = text.split("Betroffene Abschnitte der Datenschutzerklärung", 1)[1].split("Änderungen seit", 1)[
        0
    ]
    assert "YouTube" in sections and "Hosting" in sections and "Rechte" in sections
    assert "Mastodon" not in sections  # no post in this article
    # changed since the last clearance, with the commit that carried it and the new sentence
    assert "Zuletzt freigegeben" in text and "Claudia Reinhardt, 2026-11-27" in text
    assert "Neu: So sieht die Montage jetzt aus" in text
    # the line to paste
    assert "Freigabe-Datenschutz: Claudia Reinhardt, 2026-11-30" in text


def test_sheet_of_a_never_cleared_article_says_so(facts, tmp_path):
    (pdf,) = write_sheets(facts, tmp_path, "schweissnaehte-pruefen", today=TODAY)
    text, _ = pdf_text(pdf)
    assert "Noch nie freigegeben" in text
    assert "Keine: Der Artikel lädt auch nach einem Klick nichts von Drittanbietern" in text


def test_unknown_article_is_a_german_error(facts, tmp_path):
    with pytest.raises(UnknownArticle, match="Kein Artikel passt zu „gibt-es-nicht“"):
        write_sheets(facts, tmp_path, "gibt-es-nicht", today=TODAY)


def test_meeting_report_is_one_page_with_who_acts_next(facts, tmp_path):
    report = build_report(facts, parse_since("2026-11-09", TODAY), TODAY)
    html, pdf, pages = write_report(report, tmp_path)
    text, count = pdf_text(pdf)
    assert pages == count == 1
    assert "1. Dezember" not in text and "9. November 2026 bis 30. November 2026" in text
    # published in the period (cleared 2026-11-24), per department
    assert "Qualität von Edelstahl" in text.split("Veröffentlicht seit dem letzten Treffen", 1)[1]
    # in review, and who has to act
    review = text.split("In Prüfung: wer ist dran?", 1)[1].split("Entwürfe", 1)[0]
    assert "Montage im Video" in review and "Schweißnähte prüfen" in review
    assert "Datenschutzbeauftragte/r: Freigabe erteilen" in review
    # cleared long before the period: not in this report
    assert "Prüfzeugnisse lesen" not in text
    # no invented visitor figures: the magazine counts none
    assert "Aufrufe" not in text and "Besucher" not in text
    assert html.read_text(encoding="utf-8").count("<script") == 0


def test_meeting_report_counts_comments_waiting_on_the_real_comment_server(site, facts, tmp_path):
    from comments_helpers import isso_server

    with isso_server(tmp_path / "isso", "http://127.0.0.1:9") as isso:
        status, _, _ = isso.post(
            "/technik/schweissnaehte-pruefen", "Schweißnähte", text="Prüfen Sie auch 1.4571?"
        )
        assert status == 202  # moderated: waits
        source = comment_source(facts.settings, isso.db)
        report = build_report(facts, parse_since("", TODAY), TODAY, source)
        _, pdf, _ = write_report(report, tmp_path)
    text, _ = pdf_text(pdf)
    waiting = text.split("Kommentare, die auf Freigabe warten", 1)[1]
    assert "Technik" in waiting and "Schweißnähte prüfen" in waiting and "1" in waiting
    # no database: said plainly, the report is still written
    report = build_report(
        facts, parse_since("", TODAY), TODAY, comment_source(facts.settings, tmp_path / "x.db")
    )
    assert "keine Datenbank" in report.comments_error


def test_since_must_be_a_date():
    with pytest.raises(ValueError, match="JJJJ-MM-TT"):
        parse_since("9.11.2026", TODAY)
    assert parse_since("", TODAY) == dt.date(2026, 11, 9)


def test_sheets_and_reports_never_reach_the_published_site(site, facts, tmp_path):
    """Writing sheets changes nothing in a built site, and a build of the repository never
    picks up the berichte/ folder."""
    out = tmp_path / "output"
    build_site(site, out)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    target = site.parent / "berichte"
    write_sheets(facts, target, today=TODAY)
    write_report(build_report(facts, parse_since("", TODAY), TODAY), target)
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert before == after
    assert not [p for p in after if "pruefbogen" in str(p) or "bericht" in str(p)]
    assert not any(b"Pr\xc3\xbcfbogen" in data for data in after.values())
    # the repository's own folder is git-ignored and outside content/
    ignored = subprocess.run(
        ["git", "-C", str(ROOT), "check-ignore", "-q", "berichte/pruefboegen/x.pdf"], check=False
    )
    assert ignored.returncode == 0
    assert not (ROOT / "content" / "berichte").exists()
