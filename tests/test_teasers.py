"""Teaser pictures on every card and the lead article, author pages and avatars (issue #16).

Read from the built HTML as a reader's browser gets it: every card has a picture with
``srcset``/``sizes``/``width``/``height`` whose files exist, or the department-coloured
fallback; author pages say „Autorin“ or „Autor“ from ``authors.yml``.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, build_site, copy_fixture, page
from magazin.core.build import BuildFailed

PHOTO = ROOT / "content/images/technik/orbitalschweissnaht.jpg"  # the magazine's own picture
DRAWING = ROOT / "content/images/vertrieb/vorschweissflansch-typ-11.svg"


def srcset_files(output: Path, srcset: str) -> list[Path]:
    return [output / entry.split()[0].lstrip("/") for entry in srcset.split(",")]


def assert_card_picture(output: Path, card) -> None:
    """A card's picture: responsive, sized (no layout shift), every file there."""
    teaser = card.select_one(":scope > .teaser")
    assert teaser is not None, card
    if "teaser--fallback" in teaser["class"]:
        assert re.fullmatch(r"teaser--tone-[0-7]", next(c for c in teaser["class"] if "tone" in c))
        assert teaser.get("aria-hidden") == "true" and not teaser.get_text(strip=True)
        return
    img = teaser.select_one("img")
    assert img["width"].isdigit() and img["height"].isdigit()
    assert img["alt"] == ""  # the title names the article; the picture is decoration
    assert (output / img["src"].lstrip("/")).is_file()
    if img["src"].endswith(".svg"):
        return
    assert img["sizes"].endswith("100vw")
    for file in srcset_files(output, img["srcset"]):
        assert file.is_file(), file
    webp = teaser.select_one('source[type="image/webp"]')
    assert webp is not None and webp["sizes"] == img["sizes"]
    for file in srcset_files(output, webp["srcset"]):
        assert file.is_file() and file.suffix == ".webp"


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/page/2/",
        "/technik/",
        "/themen/korrosion/",
        "/autoren/anja-voss/",
        "/technik/orbitalschweissen-von-edelstahlrohren-schritt-fuer-schritt/",  # related articles
    ],
)
def test_every_card_has_a_picture_or_the_department_fallback(sample_output, url):
    doc = page(sample_output, url)
    cards = doc.select(".card")
    assert cards
    for card in cards:
        assert_card_picture(sample_output, card)
    # one picture (or none) loads at once; all others wait until they are scrolled to
    eager = [img for img in doc.select(".card .teaser img") if img.get("loading") != "lazy"]
    assert len(eager) <= 1


def test_pictures_come_from_image_metadata_text_or_video(sample_output):
    doc = page(sample_output, "/technik/")
    by_title = {c.select_one(".card__title").get_text(strip=True): c for c in doc.select(".card")}
    # the article's photo (made responsive into /bilder/)
    photo = by_title["Orbitalschweißen von Edelstahlrohren Schritt für Schritt"].select_one(".teaser img")
    assert "/bilder/orbitalschweissnaht-" in photo["src"]
    assert "480w" in photo["srcset"] and "800w" in photo["srcset"]
    # the video's poster
    poster = by_title["Pressfitting oder Schweißnaht? Eine Entscheidungshilfe"].select_one(".teaser img")
    assert poster["src"].startswith("/videos/poster/hK3pF7wQx2M-")
    # a drawing (SVG) is shown whole, not cropped
    drawing = by_title["Lochfraß verstehen: Was die Wirksumme PREN aussagt"].select_one(".teaser")
    assert "teaser--diagram" in drawing["class"] and drawing.img["src"].endswith("pren-vergleich.svg")
    # no picture at all: the department's colour (technik is the first department)
    fallback = by_title["Warum 1.4404 im Lebensmittelbereich die erste Wahl ist"].select_one(".teaser")
    assert "teaser--fallback" in fallback["class"] and "teaser--tone-0" in fallback["class"]
    fallback_qs = page(sample_output, "/qualitaetssicherung/").select_one(".teaser--fallback")
    assert "teaser--tone-1" in fallback_qs["class"]  # another department, another colour


def test_lead_article_has_its_picture_loaded_first(sample_output):
    doc = page(sample_output, "/")
    hero = doc.select_one(".hero")
    img = hero.select_one(".hero__picture img")
    assert img is not None and img["fetchpriority"] == "high" and "loading" not in img.attrs
    assert img["sizes"] == "(min-width: 60rem) 30rem, 100vw"
    assert img["width"] == "1200" and img["height"] == "675"
    assert hero.select_one(".hero__picture")["aria-hidden"] == "true"  # the title link names it


def test_every_image_on_every_page_has_its_size(sample_output):
    """No layout shift: the browser reserves the space of every <img> before it loads."""
    missing = []
    for html in sorted(sample_output.rglob("*.html")):
        if "intranet" in html.parts:
            continue
        rel = "/" + str(html.relative_to(sample_output))
        for img in page(sample_output, rel).select("img"):
            if not (img.get("width") and img.get("height")):
                missing.append(f"{rel}: {img.get('src')}")
    assert not missing, missing


def test_page_two_has_the_same_layout_as_page_one(sample_output):
    first, second = page(sample_output, "/"), page(sample_output, "/page/2/")
    for doc in (first, second):
        assert doc.select_one(".home-grid .home-latest .card-grid .card")
        assert doc.select_one(".home-grid aside.home-aside #dep-title")
    h1 = second.select_one(".home-latest h1")
    assert " ".join(h1.get_text().split()) == "Alle Artikel Seite 2"
    assert second.select(".card h2.card__title")  # no heading level skipped under the h1


def test_author_pages_say_autorin_or_autor(sample_output):
    anja = page(sample_output, "/autoren/anja-voss/")
    assert anja.select_one(".listing-header__kicker").get_text(strip=True) == "Autorin"
    juergen = page(sample_output, "/autoren/juergen-weiss/")
    assert juergen.select_one(".listing-header__kicker").get_text(strip=True) == "Autor"
    for doc in (anja, juergen):
        assert "Autorin / Autor" not in doc.get_text()
    avatar = anja.select_one(".listing-header .avatar--initials")
    assert avatar.get_text() == "AV" and avatar["aria-hidden"] == "true"
    # the cards on her page do not repeat her name; other pages do name her
    cards = anja.select(".card")
    assert len(cards) == 2 and all("Anja Voß" not in c.select_one(".card__meta").get_text() for c in cards)
    home = page(sample_output, "/")
    assert any("Anja Voß" in m.get_text() for m in home.select(".card__meta"))


def test_department_page_cards_do_not_repeat_the_department(sample_output):
    doc = page(sample_output, "/technik/")
    assert not [k for k in doc.select(".card__kicker") if "Technik & Anwendung" in k.get_text()]
    tag = page(sample_output, "/themen/korrosion/")
    assert all(card.select_one(".card__kicker a") for card in tag.select(".card"))


def test_author_box_and_author_list_show_avatars(sample_output):
    article = page(sample_output, "/technik/orbitalschweissen-von-edelstahlrohren-schritt-fuer-schritt/")
    assert article.select_one(".author-box .avatar--initials").get_text() == "AV"
    authors = page(sample_output, "/autoren/")
    initials = [a.get_text() for a in authors.select(".tile--person .avatar")]
    assert "JW" in initials and "SK" in initials  # Jürgen Weiß, Sören Käßler


def test_svg_drawings_open_large_and_have_their_size(sample_output):
    doc = page(sample_output, "/vertrieb/flansch-ist-nicht-gleich-flansch-en-1092-1-und-asme-im-vergleich/")
    link = doc.select_one(".prose a.zoom")
    assert link["href"] == "/images/vertrieb/vorschweissflansch-typ-11.svg"
    assert (link.img["width"], link.img["height"]) == ("800", "500")
    assert link.get_text(strip=True) == "Grafik in voller Größe öffnen"


# -- fixture sites: Image:, portraits, bad input ------------------------------------------------


@pytest.fixture
def mini(tmp_path):
    content = copy_fixture("mini", tmp_path / "site")
    (content / "images").mkdir()
    shutil.copy(PHOTO, content / "images" / "schweissnaht.jpg")
    shutil.copy(DRAWING, content / "images" / "flansch.svg")
    return content, tmp_path / "output"


def add_metadata(article: Path, line: str) -> None:
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("Summary:", f"{line}\nSummary:", 1), encoding="utf-8")


def test_image_metadata_gives_the_teaser(mini):
    content, out = mini
    articles = content / "articles"
    add_metadata(articles / "technik/qualitaet-von-edelstahl.md", "Image: images/schweissnaht.jpg")
    drawing = "Image: {static}/images/flansch.svg"
    add_metadata(articles / "qualitaetssicherung/pruefzeugnisse-lesen.md", drawing)
    build_site(content, out, STATIC_PATHS=["images"])
    doc = page(out, "/technik/")
    img = doc.select_one(".card .teaser img")
    assert re.match(r"/bilder/schweissnaht-[0-9a-f]{16}-1200\.jpg", img["src"])
    assert [e.split()[1] for e in img["srcset"].split(", ")] == ["480w", "800w", "1200w"]
    assert (img["width"], img["height"]) == ("1600", "900")
    assert "loading" not in img.attrs  # the first card of a listing loads at once
    for file in srcset_files(out, img["srcset"]):
        assert file.is_file()
    svg = page(out, "/qualitaetssicherung/").select_one(".card .teaser--diagram img")
    assert svg["src"] == "/images/flansch.svg" and (svg["width"], svg["height"]) == ("800", "500")


def test_wrong_image_metadata_stops_the_build(mini):
    content, out = mini
    article = content / "articles/technik/qualitaet-von-edelstahl.md"
    add_metadata(article, "Image: images/gibt-es-nicht.jpg")
    with pytest.raises(BuildFailed) as info:
        build_site(content, out, STATIC_PATHS=["images"])
    message = "\n".join(info.value.problems)
    assert "qualitaet-von-edelstahl.md:5:" in message
    assert "images/gibt-es-nicht.jpg“ gibt es nicht" in message
    assert not out.exists()


def test_portrait_replaces_the_initials(mini):
    content, out = mini
    authors = content / "data/authors.yml"
    text = authors.read_text(encoding="utf-8")
    portrait = "- name: Jürgen Weiß\n  portrait: images/schweissnaht.jpg\n"
    authors.write_text(text.replace("- name: Jürgen Weiß\n", portrait, 1), encoding="utf-8")
    build_site(content, out, STATIC_PATHS=["images"])
    doc = page(out, "/autoren/juergen-weiss/")
    img = doc.select_one(".listing-header .avatar--portrait img")
    assert img is not None and img["width"] == "1600" and img["height"] == "900"
    assert [e.split()[1] for e in img["srcset"].split(", ")] == ["160w", "320w"]
    assert doc.select_one('.listing-header .avatar--portrait source[type="image/webp"]')
    assert not doc.select(".listing-header .avatar--initials")
    # this fixture's authors.yml has no „anrede“: a neutral heading, not „Autorin / Autor“
    assert doc.select_one(".listing-header__kicker").get_text(strip=True) == "Beiträge von"


@pytest.mark.parametrize(
    ("insert", "expected"),
    [
        ("  anrede: Autorinnen\n", "„anrede: Autorinnen“ bei Jürgen Weiß ist unbekannt."),
        ("  portrait: images/fehlt.jpg\n", "Das Porträt „images/fehlt.jpg“ von Jürgen Weiß gibt es nicht."),
    ],
)
def test_bad_author_fields_stop_the_build(mini, insert, expected):
    content, out = mini
    authors = content / "data/authors.yml"
    lines = authors.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("- name: Jürgen Weiß"))
    lines.insert(start + 1, insert)
    authors.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(BuildFailed) as info:
        build_site(content, out)
    message = "\n".join(info.value.problems)
    assert f"authors.yml:{start + 1}:" in message and expected in message
    assert not out.exists()


def test_every_video_on_the_videos_page_says_what_it_is(sample_output):
    doc = page(sample_output, "/videos/")
    for card in doc.select(".video-card"):
        kind = card.select_one(".video-card__meta").get_text(strip=True)
        assert kind in {"Interview", "Montage", "Tutorial", "Kurzvideo (Short)"}, card
    interviews = doc.find("h2", string="Interviews mit Mitarbeitenden").find_parent("section")
    titles = [t.get_text(strip=True) for t in interviews.select(".video-card__title")]
    assert "Ausbildung bei heco: Mein erstes Lehrjahr im Interview" in titles
