"""Unit tests: German slugs and dates."""

import datetime as dt

import pytest

from magazin.german.dates import date_de, month_de
from magazin.german.slugs import slugify_de, toc_slugify


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Qualitätssicherung", "qualitaetssicherung"),
        ("Über uns", "ueber-uns"),
        ("Größe", "groesse"),
        ("Straße", "strasse"),
        ("ÄÖÜ äöü ß", "aeoeue-aeoeue-ss"),
        ("Jürgen Weiß", "juergen-weiss"),
        ("Warum 1.4404 die erste Wahl ist", "warum-1-4404-die-erste-wahl-ist"),
        ("Rohr & Flansch", "rohr-und-flansch"),
        ("Café Niño – Überblick!", "cafe-nino-ueberblick"),
        ("Łódź und Ørsted", "lodz-und-orsted"),
        ("  viele   Leerzeichen  ", "viele-leerzeichen"),
        ("\"Zitat\" und 'Apostroph'", "zitat-und-apostroph"),
        ("EN 10204 – 3.1", "en-10204-3-1"),
    ],
)
def test_slugify_de(text, slug):
    assert slugify_de(text) == slug


def test_toc_anchor_uses_same_rule():
    assert toc_slugify("Prüfung der Oberfläche", "-") == "pruefung-der-oberflaeche"
    assert toc_slugify("!!!", "-") == "abschnitt"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (dt.date(2026, 11, 27), "27. November 2026"),
        (dt.datetime(2026, 3, 1, 9, 30), "1. März 2026"),
        (dt.date(2025, 12, 31), "31. Dezember 2025"),
    ],
)
def test_date_de(value, text):
    assert date_de(value) == text


def test_date_de_medium_and_month():
    assert date_de(dt.date(2026, 3, 1), "medium") == "01.03.2026"
    assert month_de(dt.date(2026, 3, 1)) == "März 2026"


# --- smarty with a first look (plugins/magazin/german/smarty.py) ---------------------------

SMARTY_SAMPLES = [
    "Er sagte: \"Das Rohr hält 16 bar.\" Und dann: 'Gut so'.",
    "Die 80er-Jahre -- und '90 -- waren anders... oder nicht?",
    "Ein \"Zitat mit 'innen' drin\" und ein Gedankenstrich --- lang.",
    "Kein Anführungszeichen, kein Strich, nur Text mit 3.1-Zeugnis und z. B. DN 50.",
    '| Spalte | "Wert" |\n|---|---|\n| a -- b | c... |',
    '`code mit "quotes" -- und ...` und danach "Text".',
    'Link [„Ratgeber“](https://example.org/?a=1--2) und "[Zitat](#x)" hier.',
]


def _smarty_html(text: str, extension: str) -> str:
    import markdown

    from pelicanconf import MARKDOWN

    configs = {
        (extension if "smarty" in key else key): value for key, value in MARKDOWN["extension_configs"].items()
    }
    return markdown.Markdown(
        extensions=list(configs), extension_configs=configs, output_format="html5"
    ).convert(text)


def _real_markdown() -> list[str]:
    from conftest import FIXTURES, ROOT

    files = sorted([*(ROOT / "content").rglob("*.md"), *FIXTURES.rglob("*.md")])
    assert len(files) > 30
    return [f.read_text(encoding="utf-8") for f in files]


@pytest.mark.parametrize("text", SMARTY_SAMPLES)
def test_gated_smarty_makes_the_same_html_as_smarty(text):
    ours = _smarty_html(text, "magazin.german.smarty")
    assert ours == _smarty_html(text, "markdown.extensions.smarty")
    if '"' in text:
        assert "&bdquo;" in ours or "„" in ours  # the German quotes are really made


def test_gated_smarty_on_every_article_of_the_repository():
    for text in _real_markdown():
        assert _smarty_html(text, "magazin.german.smarty") == _smarty_html(text, "markdown.extensions.smarty")


def test_remembered_slugify_gives_pelicans_slugs():
    """Pelican's contents and URL wrappers use the remembered slugify (magazin.german), whose
    own implementation of Pelican's steps (patterns compiled once) gives Pelican's slug for
    every argument; each name is computed once."""
    import pelican.contents
    import pelican.urlwrappers
    from markupsafe import Markup
    from pelican.utils import slugify

    from conftest import ROOT
    from magazin.german import register
    from magazin.german.slugs import SLUG_SUBSTITUTIONS, _remembered, remembered_slugify

    register()  # what Pelican does when it loads the plugin
    assert pelican.urlwrappers.slugify is remembered_slugify
    assert pelican.contents.slugify is remembered_slugify
    names = [
        "Qualität",
        "Rohre & Fittings",
        "1.4404 im Einsatz",
        "Jürgen Weiß",
        Markup("<b>Straße</b> Nr. 5"),
        "ÄRGER mit ẞ und Œuvre",
        "ﬁtting – „Zitat“ … ½ Zoll",
        "  Leerzeichen  am Rand  ",
        "Ça va, Ñandú? Ø 40 mm",
        "Kapitel 3: Was ist neu?",
        "<script>alert(1)</script>Titel",
    ]
    # every title and tag of the sample magazine too
    names += [
        line.split(":", 1)[1].strip()
        for path in (ROOT / "content").rglob("*.md")
        for line in path.read_text(encoding="utf-8").splitlines()[:12]
        if line.startswith(("Title:", "Tags:"))
    ]
    for name in names:
        for subs, case, uni in [(SLUG_SUBSTITUTIONS, False, True), ([], False, False), ([], True, False)]:
            assert remembered_slugify(name, regex_subs=subs, preserve_case=case, use_unicode=uni) == slugify(
                name, regex_subs=subs, preserve_case=case, use_unicode=uni
            )
    _remembered.cache_clear()
    for _ in range(3):
        remembered_slugify("Qualitätssicherung", regex_subs=SLUG_SUBSTITUTIONS, use_unicode=True)
    assert _remembered.cache_info().misses == 1 and _remembered.cache_info().hits == 2
