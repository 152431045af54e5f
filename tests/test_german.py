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
