"""The authors' editor in a real browser (plugins/magazin/editor): Decap CMS from our origin at
/redaktion/ of the live preview, decap-server on 127.0.0.1 in git mode against a temporary git
repository of a fixture site, Chromium typing at human speed through the German interface.

- a new article (title with umlauts, a YouTube address on its own line, an uploaded picture
  with alt text) becomes a commit whose file is byte for byte what `invoke new` and typing
  give; `invoke check` has nothing to say about it and the built page shows the video
  placeholder;
- one changed sentence of an existing article is a one-line diff;
- the preview pane shows the placeholder and `invoke check`'s German message for a broken
  date, and no request leaves 127.0.0.1.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from editor_helpers import git, running_editor
from playwright.sync_api import expect

from conftest import ROOT, copy_fixture

TITLE = "Prüfdruck: Was Größe und Güte über ein Rohr verraten"
SLUG = "pruefdruck-was-groesse-und-guete-ueber-ein-rohr-verraten"
AUTHOR = "Jürgen Weiß"
TAGS = "Prüfung, Druckprobe"
SUMMARY = "Wie wir Edelstahlrohre abdrücken, bevor sie das Lager verlassen."
INTRO = "Bevor ein Rohr zum Kunden geht, prüfen wir es mit Wasserdruck – Größe und Güte entscheiden."
VIDEO = "https://www.youtube.com/watch?v=Mq3vT8kLp2E"  # its poster is cached in the fixture
ALT = "Ein Edelstahlrohr auf dem Prüfstand, das Manometer zeigt 60 bar"
OUTRO = "Zum Schluss: Das Protokoll geht mit dem Rohr."
DELAY = 15  # ms between two keys: a fast typist


@pytest.fixture(scope="module")
def editor(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("redaktion")
    with running_editor(tmp) as running:
        yield running


def new_context(browser, editor, width: int = 1280):
    """A German browser in Berlin; every request that would leave 127.0.0.1 is aborted and kept."""
    context = browser.new_context(
        viewport={"width": width, "height": 900}, locale="de-DE", timezone_id="Europe/Berlin"
    )
    context.foreign = []

    def gate(route):
        if route.request.url.startswith(("http://127.0.0.1:", "blob:", "data:")):
            route.continue_()
        else:
            context.foreign.append(route.request.url)
            route.abort()

    context.route("**/*", gate)
    return context


def open_collection(page, origin: str, label: str) -> None:
    page.goto(origin + "/redaktion/")
    page.get_by_role("button", name="Login").click()
    page.get_by_role("link", name=label).first.click()


def start_article(page, origin: str) -> None:
    open_collection(page, origin, "Technik & Anwendung")
    page.get_by_role("link", name="Artikel (Technik & Anwendung)").click()
    expect(page.get_by_label("Titel", exact=True)).to_be_visible()


def choose_author(page, name: str) -> None:
    page.locator('[id^="author-field"]').first.click()
    page.get_by_text(name, exact=True).click()


def preview_frame(page):
    return page.frame_locator("iframe").first


def publish(page) -> None:
    page.get_by_role("button", name="Veröffentlichen").click()
    page.get_by_text("Jetzt veröffentlichen").click()
    expect(page.get_by_text("Änderungen gespeichert", exact=False).first).to_be_visible(timeout=30_000)


def _picture(folder: Path) -> Path:
    from PIL import Image

    path = folder / "pruefstand.jpg"
    Image.new("RGB", (1200, 800), (96, 120, 140)).save(path, quality=80)
    return path


def _wait_for(url: str, timeout: float = 180) -> str:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                return answer.read().decode("utf-8")
        except (urllib.error.URLError, OSError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def test_a_new_article_is_a_commit_byte_for_byte_what_invoke_new_and_typing_give(browser, editor, tmp_path):
    picture = _picture(tmp_path)
    context = new_context(browser, editor)
    page = context.new_page()
    prompts: list[str] = []

    def answer(dialog):
        prompts.append(dialog.message)
        dialog.accept(ALT)

    page.on("dialog", answer)
    commits = int(git(editor.repo, "rev-list", "--count", "HEAD"))
    start_article(page, editor.origin)
    page.get_by_label("Titel", exact=True).press_sequentially(TITLE, delay=DELAY)
    choose_author(page, AUTHOR)
    page.get_by_label("Themen").press_sequentially(TAGS, delay=DELAY)
    page.get_by_label("Zusammenfassung").press_sequentially(SUMMARY, delay=DELAY)
    body = page.get_by_label("Text", exact=True)
    body.press_sequentially(f"{INTRO}\n\n{VIDEO}\n\n", delay=DELAY)
    page.get_by_role("button", name="Bild einfügen").click()
    page.locator('input[type="file"]').set_input_files(str(picture))
    expect(page.get_by_text("pruefstand.jpg", exact=True)).to_be_visible()  # uploaded, selected
    page.get_by_role("button", name="Ausgewähltes Element verwenden").click()
    expect(body).to_have_value(re.compile(re.escape(f"![{ALT}]({{static}}/images/technik/pruefstand.jpg)")))
    assert prompts == ["Was ist auf dem Bild zu sehen? (Alternativtext, Pflicht)"]
    pane = preview_frame(page)  # the picture before it is saved: from the browser, not missing
    expect(pane.locator(f'img[alt="{ALT}"]')).to_have_attribute("src", re.compile(r"^blob:"), timeout=15_000)
    expect(pane.locator("[data-redaktion-pruefung]")).to_have_count(0)
    expect(body).to_have_attribute("data-eingefuegt", "1")  # the caret is after the picture
    expect(body).to_be_focused()
    page.keyboard.type(OUTRO, delay=DELAY)
    publish(page)

    # a commit with the article and the picture, in the article's department folders
    assert int(git(editor.repo, "rev-list", "--count", "HEAD")) == commits + 1
    files = git(editor.repo, "show", "--name-only", "--format=", "HEAD").split()
    assert sorted(files) == sorted(
        [f"content/articles/technik/{SLUG}.md", "content/images/technik/pruefstand.jpg"]
    )
    written = (editor.content / "articles" / "technik" / f"{SLUG}.md").read_bytes()

    # … byte for byte what `invoke new` writes, once the author replaced its TODO lines
    from magazin.core.scaffold import scaffold_article

    date = re.search(rb"^Date: (.+)$", written, re.M).group(1).decode()
    from zoneinfo import ZoneInfo

    berlin = dt.datetime.now(ZoneInfo("Europe/Berlin"))
    assert (
        abs((berlin.replace(tzinfo=None) - dt.datetime.strptime(date, "%Y-%m-%d %H:%M")).total_seconds())
        < 600
    )
    scratch = copy_fixture("search", tmp_path / "neu")
    made = scaffold_article(
        scratch, TITLE, "technik", AUTHOR, now=dt.datetime.strptime(date, "%Y-%m-%d %H:%M")
    )
    assert made.name == f"{SLUG}.md"
    header, _todo_body = made.read_text(encoding="utf-8").split("\n\n", 1)
    header = re.sub(r"^Tags: .*$", f"Tags: {TAGS}", header, flags=re.M)
    header = re.sub(r"^Summary: .*$", f"Summary: {SUMMARY}", header, flags=re.M)
    typed = f"{INTRO}\n\n{VIDEO}\n\n![{ALT}]({{static}}/images/technik/pruefstand.jpg)\n\n{OUTRO}\n"
    assert written == f"{header}\n\n{typed}".encode()
    assert (editor.content / "images" / "technik" / "pruefstand.jpg").read_bytes() == picture.read_bytes()

    # `invoke check` has nothing to say about it
    from magazin.core.build import read_magazine_settings
    from magazin.editorial.checks import check_site

    settings = read_magazine_settings(ROOT / "pelicanconf.py", {"PATH": str(editor.content)})
    mine = [p for p in check_site(settings, full=True) if p.path and Path(p.path).name == f"{SLUG}.md"]
    assert mine == []

    # the preview rebuilt: the article's page shows the video as the consent placeholder
    html = _wait_for(f"{editor.origin}/technik/{SLUG}/")
    doc = BeautifulSoup(html, "lxml")
    assert doc.find("h1").get_text(strip=True).replace("\u00a0", " ").replace("\u00ad", "") == TITLE
    assert doc.select("figure.consent [data-consent-stage]")
    assert doc.find("img", alt=ALT) is not None
    assert context.foreign == []
    context.close()


def test_changing_one_sentence_of_an_existing_article_changes_one_line(browser, editor):
    context = new_context(browser, editor)
    page = context.new_page()
    source = editor.content / "articles" / "technik" / "vorschweissflansch.md"
    before = source.read_text(encoding="utf-8")
    open_collection(page, editor.origin, "Technik & Anwendung")
    title = re.search(r"^Title: (.+)$", before, re.M).group(1)
    page.get_by_text(title).first.click()
    body = page.get_by_label("Text", exact=True)
    expect(body).to_have_value(before.split("\n\n", 1)[1])
    lines = before.split("\n\n", 1)[1].split("\n")
    target = next(line for line in lines if len(line) > 40 and not line.startswith(("#", "!", "http")))
    sentence = target.split(". ")[0]
    start = before.split("\n\n", 1)[1].index(sentence)
    body.evaluate(
        "(el, [s, e]) => { el.focus(); el.setSelectionRange(s, e); }", [start, start + len(sentence)]
    )
    body.press_sequentially("Dieser Satz wurde im Browser neu geschrieben", delay=DELAY)
    publish(page)
    diff = git(
        editor.repo, "diff", "--unified=0", "HEAD~1", "HEAD", "--", str(source.relative_to(editor.repo))
    )
    changed = [line for line in diff.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert changed == [
        f"-{target}",
        "+" + target.replace(sentence, "Dieser Satz wurde im Browser neu geschrieben"),
    ]
    assert context.foreign == []
    context.close()


def test_preview_pane_shows_the_placeholder_and_the_checks_german_messages(browser, editor):
    context = new_context(browser, editor)
    page = context.new_page()
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    start_article(page, editor.origin)
    page.get_by_label("Titel", exact=True).press_sequentially("Ein Video aus der Werkstatt", delay=DELAY)
    choose_author(page, AUTHOR)
    page.get_by_label("Zusammenfassung").press_sequentially("Kurz erklärt.", delay=DELAY)
    page.get_by_label("Text", exact=True).press_sequentially(f"Ein Satz.\n\n{VIDEO}\n", delay=DELAY)
    pane = preview_frame(page)
    expect(pane.locator("figure.consent [data-consent-stage]")).to_have_count(1, timeout=15_000)
    expect(pane.locator("h1")).to_have_text("Ein Video aus der Werkstatt")
    expect(pane.locator("[data-redaktion-pruefung]")).to_have_count(0)
    # a broken date: the check's German message, with the line, while writing
    page.get_by_label("Datum").press_sequentially("2026-13-45 10:00", delay=DELAY)
    message = pane.locator("[data-redaktion-pruefung] li").first
    expect(message).to_contain_text("articles/technik/ein-video-aus-der-werkstatt.md:2", timeout=15_000)
    expect(message).to_contain_text(
        "Das Datum „2026-13-45 10:00“ gibt es nicht: Einen Monat 13 gibt es nicht."
    )
    hint = "Die Vorschau erscheint, sobald die Prüfung oben nichts mehr meldet."
    expect(pane.locator(".redaktion-hinweis")).to_have_text(hint)
    assert context.foreign == []
    assert requests and all(url.startswith(("http://127.0.0.1:", "blob:", "data:")) for url in requests)
    context.close()


def test_decap_server_listens_on_loopback_only(editor):
    import subprocess

    if shutil.which("ss") is None:
        pytest.skip("ss (iproute2) is not installed")
    sockets = subprocess.run(["ss", "-ltnH"], capture_output=True, text=True, check=True).stdout
    listening = [
        line.split()[3]
        for line in sockets.splitlines()
        if line.split()[3].endswith(f":{editor.backend_port}")
    ]
    assert listening == [f"127.0.0.1:{editor.backend_port}"]


def test_a_title_whose_address_is_taken_is_refused_in_german_and_nothing_is_written(browser, editor):
    context = new_context(browser, editor)
    page = context.new_page()
    head = git(editor.repo, "rev-parse", "HEAD")
    before = sorted(p.name for p in (editor.content / "articles" / "technik").iterdir())
    start_article(page, editor.origin)
    page.get_by_label("Titel", exact=True).press_sequentially(
        "Der Vorschweißflansch im Rohrleitungsbau", delay=DELAY
    )
    choose_author(page, AUTHOR)
    page.get_by_label("Zusammenfassung").press_sequentially("Noch einmal.", delay=DELAY)
    page.get_by_label("Text", exact=True).press_sequentially("Ein Satz.", delay=DELAY)
    page.get_by_role("button", name="Veröffentlichen").click()
    page.get_by_text("Jetzt veröffentlichen").click()
    expect(
        page.get_by_text(
            "Die Adresse „der-vorschweissflansch-im-rohrleitungsbau“ hat schon ein anderer Artikel"
        )
    ).to_be_visible()
    assert git(editor.repo, "rev-parse", "HEAD") == head
    assert sorted(p.name for p in (editor.content / "articles" / "technik").iterdir()) == before
    context.close()


def test_a_picture_over_the_limit_is_refused_with_a_german_message(browser, editor, tmp_path):
    big = tmp_path / "riesig.jpg"
    big.write_bytes(b"\xff\xd8\xff\xe0" + bytes(600_000))  # 600 KB, over the 500 KB limit
    context = new_context(browser, editor)
    page = context.new_page()
    messages: list[str] = []

    def answer(dialog):
        messages.append(dialog.message)
        dialog.accept()

    page.on("dialog", answer)
    start_article(page, editor.origin)
    page.get_by_role("button", name="Bild einfügen").click()
    page.locator('input[type="file"]').set_input_files(str(big))
    deadline = time.monotonic() + 10
    while not messages and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert messages == ["Datei zu groß.\nErlaubt sind nur Dateien bis 500 kB."]
    expect(page.get_by_text("riesig.jpg", exact=True)).to_have_count(0)
    assert not (editor.content / "images" / "technik" / "riesig.jpg").exists()
    context.close()


def test_the_entitled_reviewer_signs_off_with_a_button_and_the_check_accepts_the_commit(browser, editor):
    """Jürgen Weiß (the repository's git identity: decap-server commits as him) may sign off for
    technik; an article by Autor 1 shows him „Freigeben“ for the department, not for data protection."""
    authors = editor.content / "data" / "authors.yml"
    text = authors.read_text(encoding="utf-8").replace(
        "- name: Jürgen Weiß\n",
        "- name: Jürgen Weiß\n  email: juergen.weiss@heco.example\n  freigabe: [technik]\n",
        1,
    )
    text += (
        "- name: Claudia Reinhardt\n  department: technik\n  role: Datenschutzbeauftragte\n  bio: Prüft.\n"
        "  email: claudia.reinhardt@heco.example\n  datenschutz: true\n"
    )
    authors.write_text(text, encoding="utf-8")
    article = editor.content / "articles" / "technik" / "zur-pruefung.md"
    article.write_text(
        "Title: Ein Artikel zur Prüfung\nDate: 2026-02-01 09:00\nAuthor: Autor 1\nTags: Prüfung\n"
        "Summary: Bitte freigeben.\nStatus: In Prüfung\nFreigabe-Abteilung:\nFreigabe-Datenschutz:\n"
        "\nDer Text.\n",
        encoding="utf-8",
    )
    git(editor.repo, "add", "-A")
    git(
        editor.repo,
        "-c",
        "user.name=Autor 1",
        "-c",
        "user.email=autor1@heco.example",
        "commit",
        "-q",
        "-m",
        "Artikel",
    )
    deadline = time.monotonic() + 180  # the preview rebuilds the editor's rules from authors.yml
    while '"Jürgen Weiß": [' not in _wait_for(f"{editor.origin}/redaktion/regeln.json"):
        assert time.monotonic() < deadline, "regeln.json was not rebuilt"
        time.sleep(0.5)
    context = new_context(browser, editor)
    page = context.new_page()
    open_collection(page, editor.origin, "Technik & Anwendung")
    page.get_by_text("Ein Artikel zur Prüfung").first.click()
    department, privacy = (
        page.locator(".redaktion-freigabe").nth(0),
        page.locator(".redaktion-freigabe").nth(1),
    )
    expect(department).to_contain_text("Noch nicht freigegeben.")
    expect(privacy).to_contain_text("Noch nicht freigegeben.")
    expect(privacy.get_by_role("button")).to_have_count(0)  # only the data-protection officer
    department.get_by_role("button", name="Freigeben als Jürgen Weiß").click()
    expect(department).to_contain_text("Freigegeben: Jürgen Weiß, ")
    publish(page)
    line = next(
        x for x in article.read_text(encoding="utf-8").split("\n") if x.startswith("Freigabe-Abteilung")
    )
    assert re.fullmatch(r"Freigabe-Abteilung: Jürgen Weiß, \d{4}-\d{2}-\d{2}", line)
    assert git(editor.repo, "log", "-1", "--format=%an <%ae>") == "Jürgen Weiß <juergen.weiss@heco.example>\n"

    from magazin.core.build import read_magazine_settings
    from magazin.editorial.checks import check_site

    settings = read_magazine_settings(
        ROOT / "publishconf.py", {"PATH": str(editor.content), "EDITORIAL_SIGNOFF_TRUSTED": None}
    )
    mine = [str(p) for p in check_site(settings, full=True) if p.path and Path(p.path).name == article.name]
    assert mine == []  # the department's sign-off came from the entitled person's commit
    context.close()


def test_a_file_that_is_not_utf8_is_not_overwritten(browser, editor):
    source = editor.content / "articles" / "technik" / "altlast.md"
    raw = (
        "Title: Größe und Güte\nDate: 2024-01-02 10:00\nAuthor: Jürgen Weiß\nSummary: Alt.\n\nÄltere Datei.\n"
    )
    source.write_bytes(raw.encode("latin-1"))
    git(editor.repo, "add", "-A")
    git(editor.repo, "commit", "-q", "-m", "Eine Datei in Latin-1")
    head = git(editor.repo, "rev-parse", "HEAD")
    context = new_context(browser, editor)
    page = context.new_page()
    open_collection(page, editor.origin, "Technik & Anwendung")
    page.get_by_text("und G").first.click()
    body = page.get_by_label("Text", exact=True)
    body.press("End")
    body.press_sequentially(" Neu.", delay=DELAY)
    page.get_by_role("button", name="Veröffentlichen").click()
    page.get_by_text("Jetzt veröffentlichen").click()
    expect(page.get_by_text("ist nicht als UTF-8 gespeichert", exact=False)).to_be_visible()
    assert source.read_bytes() == raw.encode("latin-1")
    assert git(editor.repo, "rev-parse", "HEAD") == head
    context.close()
