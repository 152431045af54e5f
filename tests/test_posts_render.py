"""Posts: data validation, nh3 sanitising and the Markdown extension on its own."""

from __future__ import annotations

import json

import markdown
import pytest
from bs4 import BeautifulSoup
from posts_helpers import png_bytes, write_post

from conftest import ROOT
from magazin.core.errors import ContentError, ContentErrors
from magazin.core.text import plain_text
from magazin.posts.markdown_ext import PostCardExtension
from magazin.posts.model import PostLibrary, load_library, load_post, post_key
from magazin.posts.render import render_card, sanitize_text


def test_sample_posts_are_valid_and_varied():
    library = load_library(ROOT / "content/media/posts")
    posts = library.posts
    assert 8 <= len(posts) <= 12
    assert [p.date for p in posts] == sorted((p.date for p in posts), reverse=True)
    assert {p.platform for p in posts} == {"x", "mastodon"}
    assert any(p.reply for p in posts) and any(p.repost for p in posts)
    assert any(p.media for p in posts)
    assert max(p.date for p in posts).date().isoformat() <= "2026-11-20"


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("https://x.com/hecogmbh/status/123", ("x", "123")),
        ("https://twitter.com/hecogmbh/status/123?s=20", ("x", "123")),
        ("https://mobile.twitter.com/hecogmbh/status/123/", ("x", "123")),
        ("https://social.example/@heco/115", ("mastodon", "social.example/115")),
        ("https://x.com/hecogmbh", None),
        ("https://magazin.heco.de/technik/", None),
        ("javascript:alert(1)//x.com/a/status/1", None),
    ],
)
def test_post_key(url, key):
    assert post_key(url) == key


def problems(path) -> list[str]:
    with pytest.raises((ContentError, ContentErrors)) as info:
        load_post(path)
    exc = info.value
    return [str(e) for e in exc.errors] if isinstance(exc, ContentErrors) else [str(exc)]


def test_malformed_post_names_file_line_and_field(tmp_path):
    path = write_post(
        tmp_path, date="20.11.2026", reply="nein", media=[{"file": "bilder/fehlt.png", "alt": ""}]
    )
    found = problems(path)
    text = "\n".join(found)
    assert path.name in text
    assert "Feld „date“" in text and "20.11.2026" in text
    assert "Feld „reply“" in text and "true oder false" in text
    assert "Feld „media[0].file“" in text and "fehlt" in text
    lines = path.read_text().splitlines()
    date_error = next(e for e in found if "„date“" in e)
    line = int(date_error.split(":")[1])
    assert '"date"' in lines[line - 1]


def test_missing_field_and_bad_json(tmp_path):
    path = write_post(tmp_path)
    data = json.loads(path.read_text())
    del data["author"]
    path.write_text(json.dumps(data))
    assert any("Feld „author“" in p for p in problems(path))
    path.write_text('{"platform": "x",,}')
    assert any("JSON-Datei ist fehlerhaft" in p for p in problems(path))


def test_url_must_match_platform_and_id(tmp_path):
    path = write_post(tmp_path, url="https://x.com/hecogmbh/status/999")
    assert any("Feld „id“" in p for p in problems(path))


# --- sanitising -------------------------------------------------------------------------


def test_script_is_removed_with_its_content():
    html = str(sanitize_text('Vorher<script>alert("x")</script> nachher<img src=x onerror=alert(1)>'))
    assert "<script" not in html and "alert" not in html and "<img" not in html
    assert "Vorher" in html and "nachher" in html


def test_javascript_links_lose_their_target():
    doc = BeautifulSoup(
        str(sanitize_text('<a href="javascript:alert(1)">klick</a> <a href="JaVaScRiPt:x">b</a>')), "lxml"
    )
    for a in doc.find_all("a"):
        assert not a.get("href")
    assert doc.get_text() == "klick b"


def test_good_links_survive_with_safe_rel_and_no_handlers():
    doc = BeautifulSoup(
        str(sanitize_text('<a href="https://magazin.heco.de/" onclick="x()" style="color:red">Magazin</a>')),
        "lxml",
    )
    a = doc.find("a")
    assert a["href"] == "https://magazin.heco.de/"
    assert "noopener" in a["rel"] and "nofollow" in a["rel"]
    assert not a.get("onclick") and not a.get("style")


def test_entities_render_once_not_twice():
    html = str(sanitize_text("Rohre &amp; Fittings &lt;3 – 1.4404 & 1.4571 < 6 m"))
    text = BeautifulSoup(html, "lxml").get_text()
    assert text == "Rohre & Fittings <3 – 1.4404 & 1.4571 < 6 m"
    assert "&amp;amp;" not in html
    assert plain_text("A &amp; B<br>C") == "A & B C"


def test_plain_newlines_become_line_breaks():
    assert str(sanitize_text("Zeile 1\nZeile 2")) == "Zeile 1<br>\nZeile 2"


# --- Markdown extension alone ---------------------------------------------------------------


@pytest.fixture
def library(tmp_path) -> PostLibrary:
    (tmp_path / "bilder").mkdir()
    (tmp_path / "bilder/x-1990000000000000001-1.png").write_bytes(png_bytes())
    write_post(
        tmp_path,
        text='Neu &amp; gut: <a href="https://magazin.heco.de/">Magazin</a><script>alert(1)</script>',
        media=[{"file": "bilder/x-1990000000000000001-1.png", "alt": "Rohre im Lager"}],
    )
    write_post(
        tmp_path,
        platform="mastodon",
        id="115",
        url="https://social.example/@heco/115",
        author={"name": "heco gmbh", "handle": "@heco@social.example"},
        text="<p>Hallo Fediverse</p>",
    )
    return load_library(tmp_path)


def md(text: str, library: PostLibrary) -> BeautifulSoup:
    ext = PostCardExtension(library=library, media_prefix="/media/posts/")
    return BeautifulSoup(markdown.markdown(text, extensions=["extra", ext]), "lxml")


def test_url_alone_on_its_line_becomes_a_card(library):
    doc = md("Einleitung.\n\nhttps://twitter.com/hecogmbh/status/1990000000000000001\n\nSchluss.", library)
    card = doc.select_one("article.post-card")
    assert card is not None and "post-card--x" in card["class"]
    assert card.select_one(".post-card__name").get_text() == "heco gmbh"
    assert card.select_one(".post-card__handle").get_text() == "@hecogmbh"
    assert card.find("time").get_text() == "20. November 2026"
    assert card.find("time")["datetime"] == "2026-11-20T09:15:00+01:00"
    assert card.select_one(".post-card__text").get_text() == "Neu & gut: Magazin"
    assert not doc.find("script")
    img = card.find("img")
    assert img["src"] == "/media/posts/bilder/x-1990000000000000001-1.png"
    assert img["alt"] == "Rohre im Lager" and img["width"] == "40"
    original = card.select_one("a.post-card__original")
    assert original["href"] == "https://x.com/hecogmbh/status/1990000000000000001"
    assert "Original auf X ansehen" in original.get_text()
    # the card is not wrapped in a paragraph; the text around it stays
    assert card.parent.name != "p"
    figure = card.find_parent("figure")
    assert figure is not None and figure.parent.name != "p"
    assert [
        p.get_text() for p in doc.find_all("p", recursive=True) if not p.find_parent(["article", "figure"])
    ] == [
        "Einleitung.",
        "Schluss.",
    ]


def test_x_card_is_the_poster_of_the_consent_placeholder(library):
    doc = md("Einleitung.\n\nhttps://x.com/hecogmbh/status/1990000000000000001\n\nSchluss.", library)
    figure = doc.select_one("figure.consent")
    assert figure["data-consent"] == "x" and figure["data-consent-name"] == "X"
    # X's own embed is only an address for the script; nothing loads before the click
    assert not doc.find("iframe") and not doc.find("script")
    assert figure["data-consent-src"] == (
        "https://platform.twitter.com/embed/Tweet.html?id=1990000000000000001&dnt=true&lang=de"
    )
    assert figure["data-consent-resize"] == "https://platform.twitter.com"
    assert figure["data-consent-title"] == "Beitrag von heco gmbh (@hecogmbh) auf X"
    # the static card is the server-rendered content of the stage, not hidden, not inside a link
    stage = figure.select_one("[data-consent-stage]")
    card = stage.select_one("article.post-card--x")
    assert card is not None and not card.find_parent("a") and not card.has_attr("hidden")
    assert (
        card.select_one("a.post-card__original")["href"]
        == "https://x.com/hecogmbh/status/1990000000000000001"
    )
    # the consent notice: German transfer sentence, privacy link, button and opt-in (shown by the script)
    notice = figure.select_one(".consent__notice")
    assert notice.has_attr("hidden") and notice.has_attr("data-consent-js")
    text = " ".join(notice.get_text(" ").split())
    assert "X Corp." in text and "Twitter International Unlimited Company" in text
    assert "IP-Adresse" in text and "Browser" in text and "Adresse dieser Seite" in text
    assert (
        notice.find("a", string="Mehr in der Datenschutzerklärung")["href"] == "/datenschutz/#einwilligungen"
    )
    button = notice.find("button")
    assert button.get_text(strip=True) == "Original-Beitrag von X laden" and button["type"] == "button"
    assert button.has_attr("data-consent-load")
    assert " ".join(notice.find("label").get_text().split()) == "X immer erlauben"


def test_mastodon_and_compact_cards_have_no_embed_offer(library, tmp_path):
    doc = md("https://social.example/@heco/115", library)
    assert doc.select_one("article.post-card--mastodon") and not doc.select("[data-consent]")
    post = library.find("https://x.com/hecogmbh/status/1990000000000000001")
    compact = str(render_card(post, str, compact=True, privacy_url="/datenschutz/#einwilligungen"))
    assert "data-consent" not in compact
    assert "data-consent" not in str(render_card(post, str))


def test_mastodon_card_and_angle_brackets(library):
    doc = md("<https://social.example/@heco/115>", library)
    card = doc.select_one("article.post-card--mastodon")
    assert card.select_one(".post-card__text").get_text() == "Hallo Fediverse"
    assert "Original auf Mastodon ansehen" in card.get_text()


def test_url_inside_text_or_code_stays(library):
    doc = md(
        "Siehe https://x.com/hecogmbh/status/1990000000000000001 im Text.\n\n"
        "    https://x.com/hecogmbh/status/1990000000000000001\n",
        library,
    )
    assert not doc.select(".post-card")
    assert doc.find("code").get_text().strip() == "https://x.com/hecogmbh/status/1990000000000000001"


def test_unknown_post_becomes_link_card_with_warning(library):
    ext = PostCardExtension(library=library, media_prefix="/m/")
    doc = BeautifulSoup(markdown.markdown("https://x.com/hecogmbh/status/42", extensions=[ext]), "lxml")
    card = doc.select_one(".post-card--missing")
    assert card.find("a")["href"] == "https://x.com/hecogmbh/status/42"
    assert "noch nicht im Magazin gespeichert" in card.get_text()
    assert ext.missing == ["https://x.com/hecogmbh/status/42"]


def test_repost_and_reply_cards(tmp_path):
    write_post(
        tmp_path, id="1", repost=True, original_author={"name": "Offspring", "handle": "@heco_offspring"}
    )
    write_post(tmp_path, id="2", reply=True, in_reply_to="@kunde")
    lib = load_library(tmp_path)
    repost = BeautifulSoup(str(render_card(lib.find("https://x.com/a/status/1"), str)), "lxml")
    assert repost.select_one(".post-card__context").get_text() == "heco gmbh hat geteilt"
    assert repost.select_one(".post-card__handle").get_text() == "@heco_offspring"
    reply = BeautifulSoup(str(render_card(lib.find("https://x.com/a/status/2"), str)), "lxml")
    assert reply.select_one(".post-card__context").get_text() == "Antwort an @kunde"
    assert lib.latest(5) == []
    assert len(lib.latest(5, replies=True, reposts=True)) == 2
