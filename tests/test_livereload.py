"""The authors' live preview (plugins/magazin/preview): Chromium keeps an article open,
the article's Markdown is saved, and the open page reloads with the change – under the
site's own Content-Security-Policy, which the preview does not weaken. Only pages whose
bytes changed reload, each once. Unknown addresses get the site's 404 page."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from conftest import ROOT, copy_fixture

ARTICLE = "technik/vorschweissflansch.md"
ARTICLE_URL = "/technik/der-vorschweissflansch-im-rohrleitungsbau/"
NEW_SENTENCE = "Gespeichert und sofort sichtbar: die Vorschau lädt neu."
SECOND_SENTENCE = "Ein zweiter Satz, schnell gezeigt und nicht doppelt geladen."
# Lists the article among its related ones (links it, so the full build renders it again),
# but does not show its body: its bytes stay the same.
OTHER_URL = "/technik/warum-1-4404-die-erste-wahl-ist/"


def _free_port() -> int:
    from magazin.preview.server import free_port

    return free_port()


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    """``python -m magazin.preview.run`` on a copy of the search fixture, on a free port."""
    tmp = tmp_path_factory.mktemp("vorschau")
    content = copy_fixture("search", tmp / "fixture")
    port = _free_port()
    log = (tmp / "vorschau.log").open("w", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "plugins")}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "magazin.preview.run",
            "--content",
            str(content),
            "--output",
            str(tmp / "output"),
            "--cache",
            str(tmp / "cache"),
            "--port",
            str(port),
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    origin = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while True:
        try:
            urllib.request.urlopen(origin + "/", timeout=2).close()
            break
        except (urllib.error.URLError, OSError):
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise AssertionError((tmp / "vorschau.log").read_text(encoding="utf-8")) from None
            time.sleep(0.3)
    yield {"origin": origin, "content": content, "output": tmp / "output", "log": tmp / "vorschau.log"}
    process.terminate()
    process.wait(timeout=20)
    log.close()


def test_saving_an_article_reloads_the_open_page(browser, preview):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.goto(preview["origin"] + ARTICLE_URL)
    expect(tab.locator("html[data-vorschau]")).to_have_count(1, timeout=15_000)  # listening
    assert NEW_SENTENCE not in tab.inner_text("main")
    csp = tab.get_attribute('meta[http-equiv="Content-Security-Policy"]', "content")
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp

    source = preview["content"] / "articles" / ARTICLE
    with tab.expect_event("framenavigated", timeout=120_000):
        source.write_text(source.read_text(encoding="utf-8") + f"\n{NEW_SENTENCE}\n", encoding="utf-8")
    expect(tab.locator(".article__body")).to_contain_text(NEW_SENTENCE, timeout=30_000)
    assert errors == [], errors  # a CSP violation would be logged here
    context.close()


def _wait_until_idle(log: Path, builds: int, timeout: float = 120) -> None:
    """Until the preview has logged ``builds`` finished full builds and then nothing for 1 s."""
    deadline = time.monotonic() + timeout
    last, since = "", time.monotonic()
    while time.monotonic() < deadline:
        text = log.read_text(encoding="utf-8")
        if text != last:
            last, since = text, time.monotonic()
        elif text.count("Fertig in") >= builds and time.monotonic() - since > 1.0:
            return
        time.sleep(0.1)
    raise AssertionError(log.read_text(encoding="utf-8"))


def _mark(tab) -> None:
    """A mark only this instance of the page carries: a reload removes it."""
    tab.evaluate("document.documentElement.dataset.marke = 'vor-dem-speichern'")


def _marked(tab) -> bool:
    return tab.get_attribute("html", "data-marke") == "vor-dem-speichern"


def test_fast_render_then_only_changed_pages_reload_once(browser, preview):
    """The article's page reloads once (from the fast render), not again when the full build
    after it wrote the same bytes; a page that does not show the edit does not reload."""
    log = preview["log"]
    _wait_until_idle(log, builds=1)
    builds = log.read_text(encoding="utf-8").count("Fertig in")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    article, other = context.new_page(), context.new_page()
    article.goto(preview["origin"] + ARTICLE_URL)
    other.goto(preview["origin"] + OTHER_URL)
    for tab in (article, other):
        expect(tab.locator("html[data-vorschau]")).to_have_count(1, timeout=15_000)
        _mark(tab)
    assert other.locator(f'a[href$="{ARTICLE_URL}"]').count() >= 1  # it links the article

    source = preview["content"] / "articles" / ARTICLE
    with article.expect_event("framenavigated", timeout=60_000):
        source.write_text(source.read_text(encoding="utf-8") + f"\n{SECOND_SENTENCE}\n", encoding="utf-8")
    expect(article.locator(".article__body")).to_contain_text(SECOND_SENTENCE, timeout=30_000)
    assert not _marked(article)  # reloaded
    _mark(article)
    _wait_until_idle(log, builds=builds + 1)
    time.sleep(1.0)  # the full build's event, had it named these pages, would have arrived by now

    text = log.read_text(encoding="utf-8")
    assert "Schnellvorschau in" in text.split("Geändert:")[-1], text
    assert _marked(article), "the article's page reloaded a second time after the full build"
    assert _marked(other), "a page that does not show the edit reloaded"
    expect(article.locator(".article__body")).to_contain_text(SECOND_SENTENCE)
    served = urllib.request.urlopen(preview["origin"] + ARTICLE_URL).read().decode("utf-8")
    assert SECOND_SENTENCE in served
    context.close()


def test_the_published_files_carry_no_preview_script(preview):
    page = (preview["output"] / ARTICLE_URL.strip("/") / "index.html").read_text(encoding="utf-8")
    assert "__vorschau" not in page
    served = urllib.request.urlopen(preview["origin"] + ARTICLE_URL).read().decode("utf-8")
    assert re.search(r"<script src=\"/__vorschau/reload.js\?stand=\d+\" defer></script></head>", served)


def test_unknown_address_gets_the_sites_own_404_page(browser, preview):
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(preview["origin"] + "/gibt-es-nicht/")
    assert info.value.code == 404
    context = browser.new_context()
    tab = context.new_page()
    response = tab.goto(preview["origin"] + "/gibt-es-nicht/")
    assert response.status == 404
    assert tab.inner_text("h1") == "Diese Seite gibt es nicht (mehr)"
    assert tab.locator('link[rel="stylesheet"]').count() == 1
    context.close()


def test_search_index_is_refreshed_in_the_background(preview):
    bundle = Path(preview["output"]) / "pagefind" / "pagefind.js"
    deadline = time.monotonic() + 120
    while not bundle.is_file() and time.monotonic() < deadline:
        time.sleep(0.5)
    assert bundle.is_file(), preview["log"].read_text(encoding="utf-8")


def test_a_failed_build_is_shown_on_the_open_page_until_it_is_fixed(browser, preview):
    """An author who saves a mistake sees the German error (file and line) on the page they
    look at; the page keeps the last good state; the next good save removes the notice."""
    log = preview["log"]
    _wait_until_idle(log, builds=1)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    tab.goto(preview["origin"] + ARTICLE_URL)
    expect(tab.locator("html[data-vorschau]")).to_have_count(1, timeout=15_000)
    expect(tab.locator("#vorschau-fehler")).to_have_count(0)
    source = preview["content"] / "articles" / ARTICLE
    good = source.read_text(encoding="utf-8")
    try:
        source.write_text(good.replace("Author: Jürgen Weiß", "Author: Jürgen Weis", 1), encoding="utf-8")
        notice = tab.locator("#vorschau-fehler")
        expect(notice).to_be_visible(timeout=120_000)
        expect(notice).to_have_attribute("role", "alert")
        expect(notice.locator("h2")).to_have_text("Der Build ist fehlgeschlagen")
        text = notice.inner_text()
        assert "Jürgen Weis" in text and "vorschweissflansch.md:3" in text, text
        assert "Meintest du „Jürgen Weiß“?" in text, text
        # the page itself is still the last good one, styled by the preview's own stylesheet
        expect(tab.locator("h1")).to_have_text("Der Vorschweißflansch im Rohrleitungsbau")
        assert (
            tab.evaluate("getComputedStyle(document.getElementById('vorschau-fehler')).position") == "fixed"
        )
    finally:
        source.write_text(good, encoding="utf-8")
    expect(tab.locator("#vorschau-fehler")).to_have_count(0, timeout=120_000)
    assert errors == [], errors  # no CSP violation (no inline style or script)
    context.close()
