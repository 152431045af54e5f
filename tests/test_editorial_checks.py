"""Broken and hostile article sources: one German ``file:line`` message each, output/ untouched;
``invoke check`` reports every problem at once and exits non-zero."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, build_site, copy_fixture
from magazin.core.build import BuildFailed, read_magazine_settings
from magazin.editorial.checks import check_site, date_problem, is_safe_output_path
from magazin.posts.embed import post_url_problem
from magazin.youtube.embed import video_url_problem

ARTICLE = "articles/technik/qualitaet-von-edelstahl.md"
REL = "technik/qualitaet-von-edelstahl.md"


def snapshot(out: Path) -> dict[str, str]:
    return {
        str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The editorial fixture, built once; each test copies content and output."""
    base = tmp_path_factory.mktemp("editorial-built")
    content = copy_fixture("editorial", base / "site")
    out = base / "output"
    build_site(content, out)
    return content, out


@pytest.fixture
def site(built, tmp_path):
    import shutil

    content = tmp_path / "content"
    out = tmp_path / "output"
    shutil.copytree(built[0], content)
    shutil.copytree(built[1], out)
    return content, out


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


HOSTILE = {
    "bad-date": (
        lambda a: replace(a, "Date: 2026-11-27 10:00", "Date: 2024-13-45"),
        2,
        ["2024-13-45", "Monat 13"],
    ),
    "missing-title": (
        lambda a: replace(a, "Title: Qualität von Edelstahl – ein Überblick\n", ""),
        1,
        ["Der Titel fehlt", "Title:"],
    ),
    "unknown-status": (
        lambda a: replace(a, "Status: Freigegeben", "Status: fertig"),
        6,
        ["Unbekannter Status „fertig“", "In Prüfung"],
    ),
    "unclosed-header": (
        lambda a: a.write_text("---\n" + a.read_text(encoding="utf-8"), encoding="utf-8"),
        1,
        ["„---“", "nirgends"],
    ),
    "garbled-header": (
        lambda a: replace(a, "Author: Jürgen Weiß", "Author Jürgen Weiß"),
        3,
        ["nicht die Form „Schlüssel: Wert“"],
    ),
    "control-character": (
        lambda a: replace(a, "Edelstahl ist nicht gleich", "Edelstahl ist\x07 nicht gleich"),
        10,
        ["Steuerzeichen", "U+0007"],
    ),
    "slug-escapes": (
        lambda a: replace(a, "Status: Freigegeben", "Status: Freigegeben\nSlug: ../../../../tmp/pwned"),
        7,
        ["Slug „../../../../tmp/pwned“ ist ungültig", "Kleinbuchstaben"],
    ),
    "save-as-escapes": (
        lambda a: replace(a, "Status: Freigegeben", "Status: Freigegeben\nSave_as: ../../pwned.html"),
        7,
        ["Save_as: ../../pwned.html", "Ausgabeordner"],
    ),
    "missing-image": (
        lambda a: replace(a, "images/technik/rohr.png", "images/technik/rohr-neu.png"),
        12,
        ["Das Bild „{static}/images/technik/rohr-neu.png“ gibt es nicht", "rohr.png"],
    ),
}


@pytest.mark.parametrize("case", list(HOSTILE), ids=list(HOSTILE))
def test_hostile_input_one_clear_message_output_untouched(site, case):
    content, out = site
    mutate, line, fragments = HOSTILE[case]
    before = snapshot(out)
    mutate(content / ARTICLE)
    with pytest.raises(BuildFailed) as info:
        build_site(content, out)
    problems = info.value.problems
    assert len(problems) == 1, problems
    message = problems[0]
    assert f"{REL}:{line}: " in message, message
    for fragment in fragments:
        assert fragment in message
    assert "Could not process" not in message
    assert snapshot(out) == before
    assert not list(out.parent.glob(".output-build-*")), "staging folder left behind"
    assert not (out.parent.parent / "tmp" / "pwned").exists()


def test_several_broken_files_reported_together(site):
    content, out = site
    replace(content / ARTICLE, "Date: 2026-11-27 10:00", "Date: 27.11.2026")
    replace(
        content / "articles/qualitaetssicherung/pruefzeugnisse-lesen.md",
        "Title: Prüfzeugnisse lesen",
        "Title:",
    )
    with pytest.raises(BuildFailed) as info:
        build_site(content, out)
    text = "\n".join(info.value.problems)
    assert f"{REL}:2: Date: „27.11.2026“ ist kein Datum" in text
    assert "pruefzeugnisse-lesen.md:1: Der Titel ist leer" in text


def settings_for(content: Path, publish: bool = False) -> dict:
    return read_magazine_settings(
        ROOT / ("publishconf.py" if publish else "pelicanconf.py"), {"PATH": str(content)}
    )


def test_clean_fixture_has_no_findings(tmp_path):
    content = copy_fixture("editorial", tmp_path / "site")
    assert check_site(settings_for(content)) == []
    assert check_site(settings_for(content, publish=True)) == []


def test_fenced_code_is_not_checked(tmp_path):
    """Code blocks show Markdown as text: a TODO, a broken image or a bad video URL there is fine."""
    content = copy_fixture("editorial", tmp_path / "site")
    article = content / ARTICLE
    fenced = "TODO\n![](/images/fehlt.png)\nhttps://www.youtube.com/watch?v=kurz\n"
    article.write_text(
        article.read_text(encoding="utf-8") + "\n```\n" + fenced + "```\n\n~~~\n" + fenced + "~~~\n",
        encoding="utf-8",
    )
    assert check_site(settings_for(content)) == []
    article.write_text(article.read_text(encoding="utf-8") + "\n" + fenced, encoding="utf-8")
    assert len(check_site(settings_for(content))) == 3


def test_check_reports_every_editorial_problem_at_once(tmp_path):
    from PIL import Image

    content = copy_fixture("editorial", tmp_path / "site")
    Image.new("RGB", (3200, 2400), (120, 130, 140)).save(content / "images/technik/riesig.png")
    article = content / ARTICLE
    replace(article, "Author: Jürgen Weiß", "Author: Jürgen Weis")
    replace(article, "Summary: Worauf es bei der Qualität von Edelstahlrohren ankommt.\n", "")
    replace(article, "![Querschnitt eines Edelstahlrohrs]", "![]")
    replace(article, "#was-drinsteht", "#gibt-es-nicht")
    replace(article, "[Werkstoffe](#werkstoffe)", "[Werkstoffe](#werkstof)")
    article.write_text(
        article.read_text(encoding="utf-8")
        + "\n![Großes Foto]({static}/images/technik/riesig.png)\n"
        + "\nMehr im [Archiv]({filename}../technik/gibt-es-nicht.md).\n"
        + "\nhttps://www.youtube.com/watch?v=kurz\n"
        + "\nhttps://x.com/heco/likes\n"
        + "\nTODO Schluss schreiben\n",
        encoding="utf-8",
    )
    other = content / "articles/technik/doppelt.md"
    other.write_text(
        (content / "articles/qualitaetssicherung/pruefzeugnisse-lesen.md")
        .read_text(encoding="utf-8")
        .replace("Title: Prüfzeugnisse lesen", "Title: Schweißnähte prüfen"),
        encoding="utf-8",
    )
    (content / "articles/marketing").mkdir()
    (content / "articles/marketing/neu.md").write_text(
        "Title: Neu\nDate: 2026-01-01 10:00\nAuthor: Autor 1\nSummary: Kurz.\n"
        "Freigabe-Abteilung: A, 2026-01-01\nFreigabe-Datenschuz: B, 2026-01-02\n\nText.\n",
        encoding="utf-8",
    )

    problems = [str(p) for p in check_site(settings_for(content))]
    text = "\n".join(problems)
    expected = [
        f"{REL}:3: Unbekannte Autorin / unbekannter Autor „Jürgen Weis“. Meintest du „Jürgen Weiß“?",
        f"{REL}:1: Die Zusammenfassung fehlt.",
        f"{REL}:11: Dem Bild „{{static}}/images/technik/rohr.png“ fehlt der Alternativtext.",
        f"{REL}:16: Den Sprungpunkt „#werkstof“ gibt es in diesem Text nicht.",
        f"{REL}:16: Den Sprungpunkt „#gibt-es-nicht“ gibt es in pruefzeugnisse-lesen.md nicht.",
        f"{REL}:18: Das Bild „{{static}}/images/technik/riesig.png“ ist zu groß (3200×2400 Pixel",
        "Verkleinere es auf 1600×1200 Pixel",
        f"{REL}:20: Der Link „{{filename}}../technik/gibt-es-nicht.md“ zeigt auf eine Datei",
        f"{REL}:22: Ungültige Video-Adresse „https://www.youtube.com/watch?v=kurz“",
        f"{REL}:24: Ungültige Post-Adresse „https://x.com/heco/likes“",
        f"{REL}:26: Im Text steht noch ein Platzhalter „TODO“.",
        "technik/schweissnaehte-pruefen.md:1: Die Adresse /technik/schweissnaehte-pruefen/ hat schon "
        "articles/technik/doppelt.md",
        "marketing/neu.md: Unbekannte Abteilung „marketing“.",
        "marketing/neu.md:6: Unbekannte Angabe „Freigabe-Datenschuz“. Meintest du „Freigabe-Datenschutz“?",
    ]
    for fragment in expected:
        assert fragment in text, f"missing: {fragment}\n---\n{text}"
    # sorted by file, then line
    assert problems == sorted(
        problems, key=lambda p: (p.split(":")[0], int(p.split(":")[1]) if p.split(":")[1].isdigit() else 0)
    )


def test_invoke_check_exit_codes(tmp_path):
    invoke = [sys.executable, "-m", "invoke"]
    ok = subprocess.run([*invoke, "check"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stdout + ok.stderr  # the sample magazine is clean
    assert "Alles in Ordnung" in ok.stdout
    content = copy_fixture("editorial", tmp_path / "site")
    replace(content / ARTICLE, "Date: 2026-11-27 10:00", "Date: 2024-13-45")
    replace(content / ARTICLE, "Author: Jürgen Weiß", "Author: Niemand")
    bad = subprocess.run(
        [*invoke, "check", "--content", str(content)], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert bad.returncode == 1
    assert "2024-13-45" in bad.stdout and "„Niemand“" in bad.stdout
    assert "2 Problem(e) in 1 Datei(en)" in bad.stderr


def test_publish_check_lists_missing_signoffs(tmp_path):
    content = copy_fixture("editorial", tmp_path / "site")
    replace(content / ARTICLE, "Freigabe-Datenschutz: Claudia Reinhardt, 2026-11-24\n", "")
    assert check_site(settings_for(content)) == []  # the preview does not mind
    problems = [str(p) for p in check_site(settings_for(content, publish=True))]
    assert len(problems) == 1
    assert f"{REL}:6: Der Artikel soll veröffentlicht werden" in problems[0]
    assert "Freigabe durch den Datenschutz" in problems[0]
    assert "Freigabe der Abteilung" not in problems[0]


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("2024-13-45", "Monat 13"),
        ("2025-02-30", "keinen 30. Tag"),
        ("2025-02-03 25:00", "Uhrzeit"),
        ("gestern", "kein Datum"),
        ("2025-02-03 09:30", None),
        ("2025-02-03", None),
    ],
)
def test_date_problem(value, fragment):
    reason = date_problem(value)
    assert (reason is None) if fragment is None else (fragment in reason)


def test_output_path_and_embed_url_rules():
    assert is_safe_output_path("sonder/seite/index.html")
    for bad in ("../x.html", "a/../../x.html", "/etc/passwd", "C:\\x", "~/x", ""):
        assert not is_safe_output_path(bad), bad
    assert video_url_problem("https://youtu.be/dQw4w9WgXcQ") is None
    assert video_url_problem("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=3") is None
    assert video_url_problem("https://www.youtube.com/@heco") is not None
    assert post_url_problem("https://x.com/heco/status/1234567890") is None
    assert post_url_problem("https://social.example/@heco/111222333") is None
    assert post_url_problem("https://x.com/heco/likes") is not None
    assert post_url_problem("https://social.example/@heco") is not None


def test_background_preflight_reports_like_the_serial_one(site, monkeypatch):
    """With two cores the pre-flight runs in a forked process beside the reading
    (editorial/background.py). The author reads the same German list as from the serial
    pre-flight, also when another plugin fails first: the unknown author below stops the
    masthead before the checks are taken, yet the checks' messages are what the build reports.
    Nothing is left running afterwards, and the output stays untouched."""
    from magazin.core import errors
    from magazin.editorial import plugin as editorial

    started = []

    class Counted(editorial.PreflightJob):
        def __init__(self, settings):
            started.append(settings["PATH"])
            super().__init__(settings)

    monkeypatch.setattr(editorial, "PreflightJob", Counted)
    content, out = site
    before = snapshot(out)
    replace(content / ARTICLE, "Date: 2026-11-27 10:00", "Date: 27.11.2026")
    replace(
        content / "articles/qualitaetssicherung/pruefzeugnisse-lesen.md", "Author: Autor 2", "Author: Niemand"
    )
    reports = {}
    for background in (True, False):
        with pytest.raises(BuildFailed) as info:
            build_site(content, out, EDITORIAL_PREFLIGHT_BACKGROUND=background)
        reports[background] = info.value.problems
    assert started == [str(content)]  # forked once: in the background build only
    assert reports[True] == reports[False]
    assert len(reports[True]) == 1 and f"{REL}:2: " in reports[True][0]
    assert "„27.11.2026“ ist kein Datum" in reports[True][0]
    assert "Niemand" not in "\n".join(reports[True])  # the masthead's later error is not mixed in
    assert not errors.pending_checks()
    assert snapshot(out) == before


def test_background_preflight_clean_site_builds(site):
    """No problems: the build goes on as usual and nothing stays pending."""
    from magazin.core import errors

    content, out = site
    report = build_site(content, out, EDITORIAL_PREFLIGHT_BACKGROUND=True)
    assert (report.output / "index.html").is_file()
    assert not errors.pending_checks()
