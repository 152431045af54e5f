"""The editor's preview pane where no preview server answers (production: EDITOR_PREVIEW_API
is empty): the browser renders the draft itself with the pinned `marked`, in the article's
markup and the magazine's stylesheet, a YouTube address as a consent placeholder; nothing
leaves 127.0.0.1 and raw HTML in the text stays text."""

from __future__ import annotations

import pytest
from editor_helpers import running_editor
from playwright.sync_api import expect
from test_editor_browser import AUTHOR, DELAY, VIDEO, choose_author, new_context, preview_frame, start_article


@pytest.fixture(scope="module")
def editor(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("redaktion-ohne-server")
    with running_editor(tmp, settings_lines='EDITOR_PREVIEW_API = ""\n') as running:
        yield running


def test_the_pane_renders_in_the_browser_with_placeholders_and_no_foreign_request(browser, editor):
    context = new_context(browser, editor)
    page = context.new_page()
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    start_article(page, editor.origin)
    page.get_by_label("Titel", exact=True).press_sequentially("Ein Video ohne Server", delay=DELAY)
    choose_author(page, AUTHOR)
    page.get_by_label("Zusammenfassung").press_sequentially("Im Browser gezeigt.", delay=DELAY)
    text = f"Ein Satz mit **fett**.\n\n{VIDEO}\n\n## Abschnitt\n\n<img src=x onerror=alert(1)> bleibt Text.\n"
    page.get_by_label("Text", exact=True).press_sequentially(text, delay=5)
    pane = preview_frame(page)
    expect(pane.locator("[data-redaktion-hinweis]")).to_contain_text("Vorschau im Browser")
    expect(pane.locator("h1.article__title")).to_have_text("Ein Video ohne Server")
    expect(pane.locator(".article__kicker")).to_have_text("Technik & Anwendung")
    expect(pane.locator(".article__body > p > strong")).to_have_text("fett")
    expect(pane.locator(".article__body h2")).to_have_text("Abschnitt")
    placeholder = pane.locator('figure.consent[data-redaktion-platzhalter="youtube"]')
    expect(placeholder).to_have_count(1)
    expect(placeholder).to_contain_text("Video auf YouTube")
    expect(placeholder).to_contain_text("YouTube.")  # the provider's own transfer sentence follows
    expect(pane.locator(".article__body img")).to_have_count(0)  # raw HTML is shown as text
    expect(pane.locator(".article__body")).to_contain_text("<img src=x onerror=alert(1)> bleibt Text.")
    expect(pane.locator("[data-redaktion-pruefung]")).to_have_count(0)
    assert context.foreign == []
    assert all(url.startswith(("http://127.0.0.1:", "blob:", "data:")) for url in requests)
    assert any(url.endswith("/redaktion/marked.js") for url in requests)
    context.close()
