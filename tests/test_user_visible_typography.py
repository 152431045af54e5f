"""German typesetting: links and opted-out text stay exactly as the author wrote them (issue 24).

The typography pass puts no-break spaces and hyphens into the text of every page. Where it
mistakes an attribute for text, a link's ``href`` gets a U+2011 and leads nowhere; where it
ignores ``data-typography="aus"``, text the author marked to stay as written changes. Both
happen with what authors write in Markdown: raw HTML with single-quoted attributes (as many
CMS and e-mail snippets write them) and the opt-out on a ``<span>``.
"""

from __future__ import annotations

import pytest

from conftest import build_site, copy_fixture, page
from magazin.typography.html import typeset_html
from magazin.typography.rules import NBHY, NBSP, typeset

ARTICLE = "articles/technik/verweise.md"
BODY = (
    "Title: Verweise auf die Norm\n"
    "Date: 2026-11-20 10:00\n"
    "Author: Jürgen Weiß\n"
    "Summary: Wo EN 1092-1 steht.\n\n"
    "Mehr in <a href='/technik/flansche-nach-en-1092-1/' title='EN 1092-1 im Überblick'>EN 1092-1</a> "
    "und <a href='/downloads/T-Stueck-DN-50.pdf'>T-Stück DN 50</a>.\n\n"
    'Die Artikelnummer <span data-typography="aus">T-40 DN 50</span> bleibt, wie sie ist; '
    "<span data-typography='aus'>E-Mail 3 mm</span> auch, "
    "<span data-typography=aus>A-1 16 bar</span> ebenso.\n\n"
    'Ohne Schalter: <span data-typ="aus">T-40</span> und 16 bar.\n'
)


def test_single_quoted_attributes_are_not_text():
    html = "<p><a href='/flansche-en-1092-1/' title='DN 50 · 3 mm'>EN 1092-1</a> und 16 bar</p>"
    assert typeset_html(html, typeset) == (
        f"<p><a href='/flansche-en-1092-1/' title='DN 50 · 3 mm'>EN{NBSP}1092{NBHY}1</a> und 16{NBSP}bar</p>"
    )
    mixed = "<img alt='T-Stück' src=\"/t-stueck-1.png\" data-x=3-mm><p>T-Stück</p>"
    assert typeset_html(mixed, typeset) == mixed.replace("<p>T-Stück", f"<p>T{NBHY}Stück")


@pytest.mark.parametrize(
    "opening",
    [
        '<span data-typography="aus">',
        "<span data-typography='aus'>",
        "<span data-typography=aus>",
        '<span class="nr" DATA-TYPOGRAPHY="AUS">',
        '<span translate="no">',
        "<span translate='no'>",
    ],
)
def test_opted_out_text_stays_as_written(opening):
    html = f"<p>DN 50 {opening}T-40 DN 50 <b>E-Mail 3 mm</b></span> T-Stück</p>"
    assert typeset_html(html, typeset) == (
        f"<p>DN{NBSP}50 {opening}T-40 DN 50 <b>E-Mail 3 mm</b></span> T{NBHY}Stück</p>"
    )


def test_only_the_switch_opts_out():
    for opening in ('<span data-typ="aus">', '<span data-typography="ausgabe">', '<span title="aus">'):
        html = f"<p>{opening}T-40</span></p>"
        assert typeset_html(html, typeset) == f"<p>{opening}T{NBHY}40</span></p>", opening


@pytest.mark.slow
def test_links_and_opted_out_text_in_the_built_page(tmp_path):
    content = copy_fixture("mini", tmp_path / "site")
    (content / ARTICLE).write_text(BODY, encoding="utf-8")
    out = tmp_path / "output"
    build_site(content, out)
    doc = page(out, "/technik/verweise-auf-die-norm/", raw=True)
    body = doc.select_one(".article__body")
    links = body.select("a[href]")
    assert [a["href"] for a in links] == [
        "/technik/flansche-nach-en-1092-1/",
        "/downloads/T-Stueck-DN-50.pdf",
    ]
    assert links[0]["title"] == "EN 1092-1 im Überblick"
    assert links[0].get_text() == f"EN{NBSP}1092{NBHY}1"  # the text is typeset
    spans = [s.get_text() for s in body.select("span")]
    assert spans == ["T-40 DN 50", "E-Mail 3 mm", "A-1 16 bar", f"T{NBHY}40"]
    assert f"16{NBSP}bar" in body.get_text()
