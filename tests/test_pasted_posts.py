"""Real X archives and Mastodon API answers (tests/fixtures/x_archive_real, mastodon_api; sources in
tests/fixtures/pasted/SOURCES.md): both archive layouts, folder or zip, long posts, video posters,
unknown languages; content warnings, sensitive media, remote addresses, custom emoji, polls, boosts."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup
from PIL import Image
from posts_helpers import RecordedServer, png_bytes

from magazin.posts.extras import known_lang
from magazin.posts.importers import ImportFailed, fetch_post, import_x_archive
from magazin.posts.markdown_ext import PostCardExtension
from magazin.posts.model import load_library
from magazin.posts.render import render_card

FIXTURES = Path(__file__).parent / "fixtures"
ARCHIVES = FIXTURES / "x_archive_real"
MASTODON = FIXTURES / "mastodon_api"
LONG = "https://x.com/alrocar/status/1712845356000485462"
GIF = "https://x.com/alrocar/status/1761718480645075043"
MEDIA_ONLY = "https://x.com/alrocar/status/1742846226712646124"
OLD_GIF = "https://x.com/LumenInferius/status/1193139803467980800"


def card(post, folder: Path) -> BeautifulSoup:
    html = render_card(post, lambda f: f"/media/posts/{f}")
    return BeautifulSoup(str(html), "lxml")


# --- X archives ---------------------------------------------------------------------------------


def test_todays_archive_folder_long_post_gif_and_unknown_language(tmp_path):
    posts = tmp_path / "posts"
    report = import_x_archive(ARCHIVES / "heute", posts)  # the unpacked archive folder
    assert len(report.added) == 3 and report.notes == []
    library = load_library(posts)
    long = library.find(LONG)
    # tweets.js cuts it after "Check…"; note-tweet.js has the whole text
    assert "Check\u2026" not in long.plain_text
    assert long.plain_text.endswith("so you don't even have to remember to run them ✅ Check it out 👇")
    assert any("tinybirdco/status/1712831962212077889" in link.url for link in long.links)
    gif = library.find(GIF)
    (medium,) = gif.media
    assert medium.kind == "video" and medium.alt == "Standbild aus dem Video von alrocar 🥘"
    with Image.open(posts / medium.file) as poster:  # the MP4's first frame
        assert poster.format == "JPEG" and poster.size == (220, 124)
    doc = card(gif, posts)
    label = doc.select_one(".post-card__video .post-card__media-label")
    assert label.get_text() == "Video" and doc.select_one(".post-card__video img")["alt"].startswith(
        "Standbild"
    )
    only = library.find(MEDIA_ONLY)
    assert only.lang == ""  # X's "qme": media only
    assert card(only, posts).select_one(".post-card__text").get("lang") is None
    assert card(long, posts).select_one(".post-card__text")["lang"] == "en"


@pytest.mark.parametrize("how", ["zip", "data", "tweet.js"])
def test_older_archive_layout_as_zip_data_folder_or_file(tmp_path, how):
    old = ARCHIVES / "alt"
    if how == "zip":
        target = tmp_path / "twitter-2020-01-31.zip"
        with zipfile.ZipFile(target, "w") as archive:
            for path in sorted(old.rglob("*")):
                if path.is_file():
                    archive.write(path, "twitter-2020-01-31/" + path.relative_to(old).as_posix())
    elif how == "data":
        target = old / "data"
    else:
        target = old / "data" / "tweet.js"
    posts = tmp_path / "posts"
    assert len(import_x_archive(target, posts).added) == 1
    post = load_library(posts).find(OLD_GIF)
    assert post.author.name == "Lumen Inferius" and post.plain_text.startswith("The calm before the storm...")
    assert post.media[0].kind == "video" and (posts / post.media[0].file).is_file()
    assert import_x_archive(target, posts).skipped == [OLD_GIF]


def test_archive_without_tweets_is_refused_in_german(tmp_path):
    (tmp_path / "leer").mkdir()
    with pytest.raises(ImportFailed, match=r"weder tweets\.js noch tweet\.js"):
        import_x_archive(tmp_path / "leer", tmp_path / "posts")


@pytest.mark.parametrize("lang", ["und", "qme", "zxx", None, "qht"])
def test_one_rule_for_unknown_languages(tmp_path, lang):
    archive = tmp_path / "archiv"
    shutil.copytree(ARCHIVES / "alt", archive)
    path = archive / "data" / "tweet.js"
    prefix, data = path.read_text("utf-8").split("= ", 1)
    items = json.loads(data)
    items[0]["tweet"]["lang"] = lang
    path.write_text(prefix + "= " + json.dumps(items), "utf-8")
    import_x_archive(archive, tmp_path / "posts")
    saved = json.loads((tmp_path / "posts" / "x-1193139803467980800.json").read_text("utf-8"))
    assert "lang" not in saved
    assert known_lang(lang) == "" and known_lang("de") == "de" and known_lang("pt-BR") == "pt-BR"


# --- Mastodon -----------------------------------------------------------------------------------


@pytest.fixture
def mastodon():
    server = RecordedServer()

    def serve(status_file: str, status_id: str) -> None:
        text = (
            (MASTODON / status_file).read_text("utf-8").replace("https://files.mastodon.social", server.base)
        )
        server.routes[f"/api/v1/statuses/{status_id}"] = (200, {}, text.encode())
        for item in json.loads(text).get("media_attachments", []):
            for key in ("url", "preview_url"):
                if item.get(key):
                    server.routes[item[key].replace(server.base, "")] = (200, {}, png_bytes("#224466"))

    server.serve = serve
    yield server
    server.close()


def test_content_warning_keeps_text_and_media_behind_details(tmp_path, mastodon):
    mastodon.serve("status_content_warning.json", "103270115826048975")
    url = "https://mastodon.social/@Gargron/103270115826048975"
    fetch_post(url, tmp_path, mastodon_base=mastodon.base)
    post = load_library(tmp_path).find(url)
    assert post.spoiler == "Cats" and post.sensitive
    doc = card(post, tmp_path)
    details = doc.select_one("details.post-card__cw")
    assert details is not None and not details.has_attr("open")
    assert details.summary.get_text(" ", strip=True).startswith("Inhaltswarnung: Cats")
    assert "inheritance" in details.select_one(".post-card__text").get_text()
    assert details.select_one(".post-card__media img")["alt"] == "test media description"
    # nothing of the text or the image outside the warning
    outside = [t for t in doc.find_all(string=True) if "inheritance" in t and not t.find_parent("details")]
    assert outside == []


def test_sensitive_media_without_warning_are_hidden_too(tmp_path, mastodon):
    mastodon.serve("status_content_warning.json", "103270115826048975")
    url = "https://mastodon.social/@Gargron/103270115826048975"
    fetch_post(url, tmp_path, mastodon_base=mastodon.base)
    path = next(tmp_path.glob("mastodon-*.json"))
    data = json.loads(path.read_text("utf-8"))
    del data["spoiler_text"]
    path.write_text(json.dumps(data), "utf-8")
    doc = card(load_library(tmp_path).find(url), tmp_path)
    assert doc.select_one("details.post-card__cw") is None
    hidden = doc.select_one("details.post-card__sensitive")
    assert hidden.summary.get_text() == "Sensible Inhalte – Medien anzeigen" and hidden.find("img")
    assert "inheritance" in doc.select_one(".post-card__text").get_text()


def test_remote_post_address_finds_the_imported_post_with_local_emoji(tmp_path, mastodon):
    mastodon.serve("status_remote_emoji.json", "104009345787923021")
    for code in ("109/724", "188/590", "181/490"):
        for size in ("static", "original"):
            prefix = f"/custom_emojis/images/000/{code}/{size}/"
            for name in ("7283224bdc0ce77f.png", "69409ebdc0f11a5a.png", "ac73d3cc2c956679.png"):
                mastodon.routes[prefix + name] = (
                    200,
                    {"Content-Type": "image/png"},
                    png_bytes("#ffaa00", (16, 16)),
                )
    home = "https://mastodon.social/@rio@kaptains.net/104009345787923021"
    report = fetch_post(home, tmp_path, mastodon_base=mastodon.base)
    assert report.added == ["mastodon-kaptains.net-104009345526101446.json"]
    library = load_library(tmp_path)
    post = library.find(home)
    assert post is not None and post.url == "https://kaptains.net/@rio/104009345526101446"
    assert fetch_post(home, tmp_path, mastodon_base=mastodon.base).skipped == [home]
    # the card in an article: found under the address the author copied, not "missing"
    ext = PostCardExtension(library=library, media_prefix="/media/posts/", privacy_url="")
    html = markdown.markdown(f"Davor.\n\n{home}\n\nDanach.", extensions=[ext])
    assert ext.missing == [] and "post-card--missing" not in html
    doc = BeautifulSoup(html, "lxml")
    emoji = {img["alt"]: img["src"] for img in doc.select("img.emoji")}
    assert set(emoji) == {":toot:", ":cr_top:", ":rio:"}
    assert all(src.startswith("/media/posts/emoji/") for src in emoji.values())
    text = doc.select_one(".post-card__text")
    assert text.get_text().strip() == "ClashTime" and len(text.select("img.emoji")) == 2
    assert doc.select_one(".post-card__name img.emoji")["alt"] == ":rio:"
    assert "files.mastodon.social" not in html and mastodon.base not in html
    assert all((tmp_path / e.file).is_file() for e in post.emojis)
    assert doc.select_one(".post-card__text")["lang"] == "de"


def test_poll_is_a_static_list_marked_umfrage(tmp_path, mastodon):
    mastodon.serve("status_poll.json", "103254222827484720")
    url = "https://mastodon.social/@trwnh/103254222827484720"
    fetch_post(url, tmp_path, mastodon_base=mastodon.base)
    doc = card(load_library(tmp_path).find(url), tmp_path)
    poll = doc.select_one(".post-card__poll")
    assert poll.select_one(".post-card__poll-label").get_text() == "Umfrage"
    assert [li.get_text() for li in poll.select("li")] == ["test 1", "test 2"]
    assert not doc.find(["input", "button", "form"])


def test_boost_is_dated_by_the_original_and_says_when_it_was_shared(tmp_path, mastodon):
    mastodon.serve("status_boost.json", "103254401326800919")
    fetch_post("https://mastodon.social/@trwnh/103254401326800919", tmp_path, mastodon_base=mastodon.base)
    post = load_library(tmp_path).find("https://mastodon.social/@Gargron/99734435964706331")
    assert post.repost and post.date.date().isoformat() == "2018-03-23"
    doc = card(post, tmp_path)
    assert doc.select_one(".post-card__footer time")["datetime"].startswith("2018-03-23")
    context = doc.select_one(".post-card__context")
    assert context.get_text() == "infinite love ⴳ hat am 5. Dezember 2019 geteilt"
    assert context.time["datetime"].startswith("2019-12-05")
