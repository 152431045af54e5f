"""The e-mail signature page in Chromium: typing fills preview, HTML and text; „Kopieren“
puts rich HTML (inline styles) and plain text on the clipboard; the CSP is never violated."""

from __future__ import annotations

import re

import pytest

from conftest import CHROMIUM_ARGS, build_site, chromium_or_skip, copy_fixture, serve_directory


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("sigsite")
    content = copy_fixture("mini", root / "site")
    out = root / "output"
    build_site(content, out)
    with serve_directory(out) as origin:
        yield origin


def test_signature_builder(server):
    chromium = chromium_or_skip()
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
        page = context.new_page()
        problems = []

        def on_console(message):
            if message.type in ("error", "warning"):
                problems.append(f"{message.text[:200]} @ {message.location}")

        page.on("console", on_console)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.goto(server + "/social-media/signatur/")
        preview = page.locator("#sig-preview")
        assert "Vorname Nachname" in preview.inner_text()  # example before typing

        page.fill("#sig-name", "Jürgen <b>Weiß</b>")
        page.fill("#sig-department", "Technik & Anwendung")
        page.fill("#sig-phone", "+49 711 123-45")
        text = preview.inner_text()
        assert "Jürgen <b>Weiß</b>" in text and "Technik & Anwendung" in text
        assert "Funktion" not in text  # empty field left out, separator too
        assert "E-Mail" not in text.replace("E-Mail-Adresse", "")
        assert preview.locator("b").count() == 0  # the name is text, not markup
        assert preview.locator('a[href="tel:+4971112345"]').count() == 1
        assert preview.locator('a[href="https://x.com/fixture"]').count() == 1

        html = page.input_value("#sig-html")
        assert "Jürgen &lt;b&gt;Weiß&lt;/b&gt;" in html and 'style="' in html
        assert "data-sig" not in html
        plain = page.input_value("#sig-text")
        assert plain.startswith("Jürgen <b>Weiß</b>\nTechnik & Anwendung\n")
        assert "X: https://x.com/fixture" in plain

        assert not problems, problems
        page.click("#sig-copy")
        expect(page.locator("#sig-status")).to_have_text(re.compile(r"^Kopiert"))
        clip = page.evaluate("""async () => {
            const [item] = await navigator.clipboard.read();
            return {html: await (await item.getType('text/html')).text(),
                    text: await (await item.getType('text/plain')).text()};
        }""")
        assert 'href="https://www.youtube.com/@fixture"' in clip["html"]
        assert "font-family:Arial" in clip["html"]
        assert clip["text"] == plain
        assert not [m for m in problems if "Content Security Policy" in m or "Error" in m], problems
        browser.close()
