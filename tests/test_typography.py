"""German typography pass (plugins/magazin/typography): no-break spaces and hyphens where a
line must not break, in article text and template text, never in code, attributes or addresses.

The built sample magazine is the real input (its articles name standards, units and
certificates the way the departments write them); the code-block case is written here.
"""

from __future__ import annotations

import pytest

from conftest import build_site, copy_fixture, page
from magazin.typography.html import typeset_html
from magazin.typography.rules import NBHY, NBSP, typeset

_ = NBSP
H = NBHY


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3 Min. Lesezeit", f"3{_}Min.{_}Lesezeit"),
        ("Flansche nach EN 1092-1 in DN 50", f"Flansche nach EN{_}1092{H}1 in DN{_}50"),
        ("DIN EN ISO 1127 und PN 16", f"DIN{_}EN{_}ISO{_}1127 und PN{_}16"),
        ("z. B. ein T-Stück", f"z.{_}B. ein T{H}Stück"),
        ("jedes 3.1-Zeugnis", f"jedes 3.1{H}Zeugnis"),
        ("Werkstoff-Nr. 1.4404", f"Werkstoff-Nr.{_}1.4404"),
        ("Art. 6 Abs. 1 lit. a DSGVO", f"Art.{_}6 Abs.{_}1 lit.{_}a DSGVO"),
        ("bei 850 °C und 16 bar", f"bei 850{_}°C und 16{_}bar"),
        ("Rohr 53 × 1,5 mm", f"Rohr 53{_}×{_}1,5{_}mm"),
        ("PREN = % Cr + 3,3 × % Mo", f"PREN{_}= %{_}Cr + 3,3{_}×{_}%{_}Mo"),
        ("am 27. November 2026", f"am 27.{_}November 2026"),
        ("i. d. R. 12 %", f"i.{_}d.{_}R. 12{_}%"),
        ("eine E-Mail", f"eine E{H}Mail"),
        # left alone: words that may break, the separator between meta items, other hyphens
        ("Social-Media-Team", "Social-Media-Team"),
        ("Lena Schäfer · 3 Min.", f"Lena Schäfer · 3{_}Min."),
        ("16 Mitglieder aus 7 Abteilungen", "16 Mitglieder aus 7 Abteilungen"),
        ("PREN ist", "PREN ist"),
        # addresses stay byte for byte
        ("https://x.com/a-b/3 mm", "https://x.com/a-b/3 mm"),
        ("siehe www.heco.de/3-1-zeugnis", "siehe www.heco.de/3-1-zeugnis"),
        ("an t-stueck@heco.de", "an t-stueck@heco.de"),
    ],
)
def test_rules(text, expected):
    assert typeset(text) == expected


def test_rules_are_idempotent():
    text = "Nach EN 1092-1, z. B. DN 50 bei 16 bar: 3 Min. Lesezeit, T-Stück, 3.1-Zeugnis."
    once = typeset(text)
    assert once != text and typeset(once) == once
    assert once.replace(NBSP, " ").replace(NBHY, "-") == text  # nothing but the two kinds


def test_html_only_text_nodes_change():
    html = (
        '<p title="DN 50" data-x="3 mm"><a href="/de/en-1092-1/?a=3 mm">EN 1092-1</a> '
        "<code>DN 50</code> <kbd>3 mm</kbd></p><pre><b>T-Stück</b> 3 mm</pre>"
        '<script>if (a < b) { x = "3 mm"; }</script><textarea>DN 50</textarea>'
        '<span translate="no">DN 50</span><!-- DN 50 --><p>DN 50</p>'
    )
    assert typeset_html(html, typeset) == html.replace(">EN 1092-1<", f">EN{NBSP}1092{NBHY}1<").replace(
        "<p>DN 50</p>", f"<p>DN{NBSP}50</p>"
    )


def _text(doc, selector):
    return doc.select_one(selector).get_text(" ")


def test_article_text_and_templates_in_the_sample_magazine(sample_output):
    flansch = "/vertrieb/flansch-ist-nicht-gleich-flansch-en-1092-1-und-asme-im-vergleich/"
    doc = page(sample_output, flansch, raw=True)
    body = _text(doc, ".article__body")
    assert f"EN{NBSP}1092{NBHY}1" in body and "EN 1092-1" not in body
    assert f"PN{NBSP}16" in body
    assert f"EN{NBSP}1092{NBHY}1" in doc.find("h1").get_text()
    # template text: the reading time does not break
    meta = _text(doc, ".article__header")
    assert f"{NBSP}Min.{NBSP}Lesezeit" in meta
    # attributes and the head stay as written
    assert "EN 1092-1" in doc.find("title").get_text()
    assert NBSP not in doc.select_one('meta[name="description"]')["content"]
    assert all(NBHY not in a["href"] and NBSP not in a["href"] for a in doc.select("a[href]"))

    zeugnis = page(
        sample_output, "/qualitaetssicherung/so-pruefen-wir-ein-abnahmepruefzeugnis-3-1/", raw=True
    )
    assert f"3.1{NBHY}Zeugnis" in _text(zeugnis, ".article__body")
    lieferanten = page(
        sample_output, "/einkauf/wie-wir-lieferanten-fuer-rohrverbindungsteile-auswaehlen/", raw=True
    )
    assert f"T{NBHY}Stücke" in _text(lieferanten, ".article__body")
    ikk = page(
        sample_output, "/qualitaetssicherung/interkristalline-korrosion-und-die-rolle-von-1-4571/", raw=True
    )
    assert f"850{NBSP}°C" in _text(ikk, ".article__body")
    # listing cards (another template) and dates
    home = page(sample_output, "/", raw=True)
    assert f"{NBSP}Min.{NBSP}Lesezeit" in home.select_one("main").get_text(" ")
    assert "Min. Lesezeit" not in home.select_one("main").get_text(" ")


def test_no_attribute_anywhere_gets_a_no_break_character(sample_output):
    for path in sorted(sample_output.rglob("*.html")):
        doc = page(sample_output, "/" + str(path.relative_to(sample_output)), raw=True)
        for element in doc.find_all(True):
            for name, value in element.attrs.items():
                text = " ".join(value) if isinstance(value, list) else str(value)
                assert NBHY not in text, (path, name, text)
                if name in ("href", "src", "srcset", "content", "data-url"):
                    assert NBSP not in text, (path, name, text)


def test_code_blocks_and_addresses_keep_their_characters(tmp_path):
    content = copy_fixture("mini", tmp_path / "site")
    (content / "articles" / "technik" / "code.md").write_text(
        "Title: Flanschmaße nach EN 1092-1\n"
        "Date: 2026-11-20 10:00\n"
        "Author: Jürgen Weiß\n"
        "Summary: DN 50 und PN 16 im Überblick.\n\n"
        "Ein Flansch DN 50 nach EN 1092-1 hat z. B. 4 Schrauben; siehe `DN 50, PN 16` und "
        "<https://de.wikipedia.org/wiki/EN_1092-1#T-St%C3%BCck> sowie www.heco.de/en-1092-1.\n\n"
        "```\nflansch --norm EN 1092-1 --dn 50   # 3 mm Dichtung, T-Stück\n```\n\n"
        '[Norm](https://www.din.de/ "Flansch DN 50 nach EN 1092-1")\n',
        encoding="utf-8",
    )
    out = tmp_path / "output"
    build_site(content, out)
    doc = page(out, "/technik/flanschmasse-nach-en-1092-1/", raw=True)
    body = doc.select_one(".article__body")
    first = body.find("p").get_text()
    assert f"DN{NBSP}50 nach EN{NBSP}1092{NBHY}1 hat z.{NBSP}B. 4 Schrauben" in first
    assert body.find("p").find("code").get_text() == "DN 50, PN 16"
    assert body.find("pre").get_text() == "flansch --norm EN 1092-1 --dn 50   # 3 mm Dichtung, T-Stück\n"
    link = body.find("a", href=True)
    assert link["href"] == "https://de.wikipedia.org/wiki/EN_1092-1#T-St%C3%BCck"
    assert link.get_text() == link["href"]
    assert "www.heco.de/en-1092-1" in first
    assert body.find("a", title=True)["title"] == "Flansch DN 50 nach EN 1092-1"
