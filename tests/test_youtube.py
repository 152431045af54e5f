"""YouTube plugin and consent component: URL parser, Markdown extension, fixture build, fetch-media."""

from __future__ import annotations

import datetime as dt
import http.server
import io
import json
import threading
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import feedparser
import markdown
import pytest
from bs4 import BeautifulSoup
from PIL import Image

from conftest import FIXTURES, PUBLISH_SETTINGS, ROOT, build_site, copy_fixture, page
from magazin.consent import EmbedError, render_manager, render_placeholder
from magazin.core.build import BuildFailed
from magazin.youtube.embed import PROVIDER as YOUTUBE
from magazin.youtube.fetch import fetch_media, find_videos
from magazin.youtube.generator import VideoEntry, intranet_item
from magazin.youtube.markdown_ext import YouTubeExtension
from magazin.youtube.urls import InvalidVideoUrl, parse_time, parse_youtube_url

ID = "Mq3vT8kLp2E"

# (url, video_id, playlist, start, end, shorts) — None as video_id for a playlist only
VALID = [
    (f"https://www.youtube.com/watch?v={ID}", ID, None, None, None, False),
    (f"http://www.youtube.com/watch?v={ID}", ID, None, None, None, False),
    (f"https://youtube.com/watch?v={ID}", ID, None, None, None, False),
    (f"www.youtube.com/watch?v={ID}", ID, None, None, None, False),
    (f"https://m.youtube.com/watch?v={ID}", ID, None, None, None, False),
    (f"https://music.youtube.com/watch?v={ID}", ID, None, None, None, False),
    (f"https://www.youtube.com/watch?feature=share&v={ID}", ID, None, None, None, False),
    (f"https://www.youtube.com/watch?v={ID}&t=90", ID, None, 90, None, False),
    (f"https://www.youtube.com/watch?v={ID}&t=1m30s", ID, None, 90, None, False),
    (f"https://www.youtube.com/watch?v={ID}&t=1h2m3s", ID, None, 3723, None, False),
    (f"https://www.youtube.com/watch?v={ID}#t=45s", ID, None, 45, None, False),
    (f"https://www.youtube.com/watch?v={ID}&list=PLhecoMontage01", ID, "PLhecoMontage01", None, None, False),
    (f"https://youtu.be/{ID}", ID, None, None, None, False),
    (f"https://youtu.be/{ID}?t=42", ID, None, 42, None, False),
    (f"https://youtu.be/{ID}?si=AbCdEf123&t=2m", ID, None, 120, None, False),
    (f"https://www.youtube.com/shorts/{ID}", ID, None, None, None, True),
    (f"https://youtube.com/shorts/{ID}?feature=share", ID, None, None, None, True),
    (f"https://www.youtube.com/live/{ID}?si=xyz", ID, None, None, None, False),
    (f"https://www.youtube.com/embed/{ID}", ID, None, None, None, False),
    (f"https://www.youtube.com/embed/{ID}?start=30&end=60", ID, None, 30, 60, False),
    (f"https://www.youtube-nocookie.com/embed/{ID}?start=5", ID, None, 5, None, False),
    (f"https://youtube-nocookie.com/embed/{ID}", ID, None, None, None, False),
    (f"https://www.youtube.com/v/{ID}", ID, None, None, None, False),
    (
        "https://www.youtube.com/playlist?list=PLhecoTutorials2026",
        None,
        "PLhecoTutorials2026",
        None,
        None,
        False,
    ),
    (
        "https://www.youtube.com/embed/videoseries?list=PLhecoTutorials2026",
        None,
        "PLhecoTutorials2026",
        None,
        None,
        False,
    ),
    ("https://youtu.be/a-b_C1d2E3f", "a-b_C1d2E3f", None, None, None, False),
]

INVALID = [
    ("", "leer"),
    (f"https://vimeo.com/{ID}", "keine YouTube-Adresse"),
    (f"https://www.youtube.com.evil.example/watch?v={ID}", "keine YouTube-Adresse"),
    (f"ftp://www.youtube.com/watch?v={ID}", "keine YouTube-Adresse"),
    ("https://www.youtube.com/watch?v=Mq3vT8kLp2", "11 Zeichen"),  # 10 chars
    ("https://www.youtube.com/watch?v=Mq3vT8kLp2EX", "11 Zeichen"),  # 12 chars
    ("https://youtu.be/Mq3vT8kLp2!", "11 Zeichen"),
    ("https://www.youtube.com/shorts/abc", "11 Zeichen"),
    ("https://www.youtube.com/watch?list=", "Parameter „v=“ fehlt"),
    ("https://www.youtube.com/watch", "Parameter „v=“ fehlt"),
    ("https://www.youtube.com/@hecogmbh", "Kanalseite"),
    ("https://www.youtube.com/results?search_query=edelstahl", "YouTube-Suche"),
    ("https://youtu.be/", "kein Video"),
    (f"https://www.youtube.com/watch?v={ID}&t=abc", "Zeitangabe"),
    ("https://www.youtube.com/playlist?list=x!y", "Playlist-ID"),
    ("https://www.youtube.com/playlist", "weder ein Video noch eine Playlist"),
    (f"https://www.youtube.com/embed/{ID}?start=60&end=30", "muss nach dem Start"),
]


@pytest.mark.parametrize(("url", "video_id", "playlist", "start", "end", "shorts"), VALID)
def test_valid_url_forms(url, video_id, playlist, start, end, shorts):
    ref = parse_youtube_url(url)
    assert (ref.video_id, ref.playlist, ref.start, ref.end, ref.shorts) == (
        video_id,
        playlist,
        start,
        end,
        shorts,
    )
    embed = urlsplit(ref.embed_url(autoplay=True))
    assert embed.hostname == "www.youtube-nocookie.com"
    assert embed.path == "/embed/" + (video_id or "videoseries")
    query = parse_qs(embed.query)
    assert query["autoplay"] == ["1"]
    assert query.get("start") == ([str(start)] if start else None)
    assert query.get("list") == ([playlist] if playlist else None)


@pytest.mark.parametrize(("url", "message"), INVALID)
def test_invalid_url_forms(url, message):
    with pytest.raises(InvalidVideoUrl) as info:
        parse_youtube_url(url)
    assert message in str(info.value)


def test_table_is_large_enough():
    assert len(VALID) + len(INVALID) >= 25


@pytest.mark.parametrize(
    ("text", "seconds"), [("90", 90), ("1:30", 90), ("1:02:03", 3723), ("2m", 120), ("1h", 3600)]
)
def test_parse_time(text, seconds):
    assert parse_time(text) == seconds


def md(text: str, tmp_path=None) -> BeautifulSoup:
    media = tmp_path or "/nonexistent-media"
    html = markdown.markdown(
        text, extensions=["extra", YouTubeExtension(media_dir=str(media), warn_missing_poster=False)]
    )
    return BeautifulSoup(html, "lxml")


def test_bare_url_on_its_own_line_becomes_a_placeholder():
    doc = md(f"Vorher.\n\nhttps://youtu.be/{ID}?t=90\n\nNachher.")
    figure = doc.find("figure", attrs={"data-consent": "youtube"})
    assert figure is not None
    assert [p.get_text() for p in doc.find_all("p", recursive=True) if not p.find_parent("figure")] == [
        "Vorher.",
        "Nachher.",
    ]
    assert parse_qs(urlsplit(figure["data-consent-src-play"]).query)["start"] == ["90"]
    assert "autoplay" not in figure["data-consent-src"]
    button = figure.find("button")
    assert button.get_text(" ", strip=True).startswith("Video laden") and button.has_attr("hidden")
    assert (
        figure.find("a", class_="consent__external")["href"] == f"https://www.youtube.com/watch?v={ID}&t=90s"
    )
    # nothing on the page points at a third-party host except plain links and data attributes
    assert not doc.find("iframe") and not doc.find("script")
    for tag in doc.find_all(src=True) + doc.find_all(srcset=True):
        assert "youtube" not in (tag.get("src", "") + tag.get("srcset", "")) and "ytimg" not in tag.get(
            "src", ""
        )


def test_url_inside_text_or_code_stays_text():
    doc = md(
        f"Siehe https://youtu.be/{ID} hier.\n\n    https://youtu.be/{ID}\n\n```\nhttps://youtu.be/{ID}\n```"
    )
    assert doc.find("figure") is None
    assert len(doc.find_all("code")) == 2


def test_explicit_form_with_options():
    doc = md(
        f"::: youtube https://www.youtube.com/watch?v={ID}\n"
        "Titel: Pressfitting <montieren> & prüfen\nTyp: montage\nStart: 1:30\n\nEnde: 2:00\n"
        "Bildunterschrift: Jeder Handgriff.\nFormat: 4:3\n:::\n\nDanach."
    )
    figure = doc.find("figure")
    assert "consent--ratio-4x3" in figure["class"]
    query = parse_qs(urlsplit(figure["data-consent-src"]).query)
    assert (query["start"], query["end"]) == (["90"], ["120"])
    assert figure["data-consent-title"] == "YouTube-Video: Pressfitting <montieren> & prüfen"
    assert figure.find(class_="consent__heading").get_text() == "Montage: Pressfitting <montieren> & prüfen"
    assert figure.find("figcaption").get_text() == "Jeder Handgriff."
    assert doc.find_all("p")[-1].get_text() == "Danach."


def test_shorts_are_portrait():
    figure = md(f"https://www.youtube.com/shorts/{ID}").find("figure")
    assert "consent--ratio-9x16" in figure["class"]
    img = figure.find("img")
    assert int(img["height"]) > int(img["width"])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("https://youtu.be/kurz", "11 Zeichen"),
        (f"::: youtube https://youtu.be/{ID}\nTyp: Werbung\n:::", "Unbekannter Video-Typ"),
        (f"::: youtube https://youtu.be/{ID}\nFarbe: blau\n:::", "Unbekannte Video-Angabe"),
        (f"::: youtube https://youtu.be/{ID}\nFormat: 5:4\n:::", "Unbekanntes Format"),
        (f"::: youtube https://youtu.be/{ID}\nStart: bald\n:::", "Zeitangabe"),
        (f"::: youtube https://youtu.be/{ID}\nTitel: ohne Ende", "nicht mit „:::“ geschlossen"),
        ("::: youtube\nTitel: x\n:::", "fehlt die Adresse"),
        (f"::: youtube https://youtu.be/{ID}\nVorschaubild: images/gibtsnicht.jpg\n:::", "gibt es nicht"),
    ],
)
def test_bad_input_raises_german_embed_error(text, message):
    with pytest.raises(EmbedError) as info:
        md(text)
    assert message in info.value.message


def test_cached_poster_and_title_are_used(tmp_path):
    Image.new("RGB", (640, 480), (90, 100, 110)).save(tmp_path / f"{ID}.jpg")
    (tmp_path / f"{ID}.json").write_text(json.dumps({"title": "Rohre verpressen"}), encoding="utf-8")
    figure = md(f"https://youtu.be/{ID}", tmp_path).find("figure")
    assert figure["data-consent-title"] == "YouTube-Video: Rohre verpressen"
    img = figure.find("img")
    assert (img["width"], img["height"]) == ("640", "480")
    assert img["srcset"] == f"/videos/poster/{ID}-480.jpg 480w, /videos/poster/{ID}-640.jpg 640w"
    assert figure.find("source")["type"] == "image/webp"


def test_placeholder_escapes_every_value():
    html = str(
        render_placeholder(
            provider=YOUTUBE,
            src='https://x/"><script>',
            title="<b>T</b>",
            fallback_url='javascript:alert(1)"',
            privacy_url="/datenschutz/",
            heading="<i>h</i>",
        )
    )
    assert "<script>" not in html and "<b>" not in html and "<i>" not in html
    manager = BeautifulSoup(str(render_manager([YOUTUBE])), "lxml")
    assert manager.find(attrs={"data-consent-item": "youtube"}).find("button")["data-consent-revoke"] == ""


# -- fixture site ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def video_site(tmp_path_factory):
    out = tmp_path_factory.mktemp("yt-site") / "output"
    report = build_site(FIXTURES / "videos" / "content", out)
    return out, report


def test_fixture_article_has_placeholders_and_jsonld(video_site):
    out, _ = video_site
    doc = page(out, "/technik/montage-im-video/")
    figures = doc.select("figure[data-consent=youtube]")
    assert len(figures) == 3
    head_scripts = [s["src"] for s in doc.find_all("script", src=True)]
    # the consent script, plus the comments section's small loader (plugins/magazin/comments)
    assert head_scripts == ["/theme/consent/consent.js", "/theme/comments/comments.js"]
    assert all(s.get("defer") is not None for s in doc.find_all("script", src=True))
    assert (out / "theme/consent/consent.js").is_file()
    # one render-blocking stylesheet: the consent and video CSS are folded into magazin.css
    assert [link["href"] for link in doc.select('link[rel="stylesheet"]')] == ["/theme/css/magazin.css"]
    bundled = (out / "theme/css/magazin.css").read_text(encoding="utf-8")
    theme_css = (ROOT / "theme/static/css/magazin.css").read_text(encoding="utf-8")
    consent_css = (ROOT / "plugins/magazin/consent/static/consent/consent.css").read_text(encoding="utf-8")
    videos_css = (ROOT / "plugins/magazin/youtube/static/youtube/videos.css").read_text(encoding="utf-8")
    assert bundled.startswith(theme_css.rstrip("\n"))
    assert consent_css.strip() in bundled and videos_css.strip() in bundled
    # every poster file exists, in both formats, with the announced size
    for img in doc.select("figure[data-consent] img"):
        for candidate in img["srcset"].split(", "):
            url, width = candidate.split(" ")
            with Image.open(out / url.lstrip("/")) as image:
                assert image.width == int(width[:-1]) and image.format == "JPEG"
            with Image.open(out / url.lstrip("/").replace(".jpg", ".webp")) as image:
                assert image.format == "WEBP"
    videos = [json.loads(s.string) for s in doc.find_all("script", type="application/ld+json")]
    videos = [v for v in videos if v.get("@type") == "VideoObject"]
    assert [v["name"] for v in videos] == [
        "Rohre verpressen in 90 Sekunden",
        "Pressfitting <montieren> & prüfen",
        "Video auf YouTube",
    ]
    assert videos[1]["genre"] == "Montage" and videos[1]["embedUrl"].startswith(
        "https://www.youtube-nocookie.com/embed/Rz7Yb2NcX4w?"
    )
    assert all(v["thumbnailUrl"][0].startswith("http://127.0.0.1:8000/videos/poster/") for v in videos)
    assert all(v["uploadDate"] for v in videos)
    assert not (out / "media/youtube").exists()  # raw cache is not published


def test_fixture_videos_page(video_site):
    out, _ = video_site
    doc = page(out, "/videos/")
    groups = {h.get_text(): h.find_parent("section") for h in doc.select(".video-group h2")}
    assert list(groups) == ["Montagevideos", "Tutorials zur Website", "Weitere Videos"]
    tutorial = groups["Tutorials zur Website"]
    assert tutorial.find("h3").get_text() == "Rohre verpressen in 90 Sekunden"
    assert [a["href"] for a in tutorial.select(".video-card__articles a")] == [
        "/technik/montage-im-video/",
        "/qualitaetssicherung/pruefzeugnisse-lesen/",
    ]
    assert doc.select_one('.site-nav a[aria-current="page"]').get_text() == "Videos"
    assert "/videos/" in (out / "sitemap.xml").read_text(encoding="utf-8")
    assert not doc.find("script", src=True)  # no embed here, so no script either
    assert [link["href"] for link in doc.select('link[rel="stylesheet"]')] == ["/theme/css/magazin.css"]


def test_fixture_privacy_page_has_one_manager(video_site):
    out, _ = video_site
    doc = page(out, "/datenschutz/")
    assert len(doc.select("[data-consent-manager]")) == 1
    assert doc.select_one("#einwilligungen [data-consent-item=youtube]") is not None
    assert [s["src"] for s in doc.find_all("script", src=True)] == ["/theme/consent/consent.js"]
    assert page(out, "/impressum/").find("script", src=True) is None


def test_missing_poster_warns_and_fails_publish(video_site, tmp_path):
    _, report = video_site
    assert any(
        "montage-im-video.md:13:" in w and "Rz7Yb2NcX4w" in w and "invoke fetch-media" in w
        for w in report.warnings
    )
    with pytest.raises(BuildFailed) as info:
        # the fixture articles carry no editorial sign-offs (plugins/magazin/editorial): not tested here
        build_site(
            FIXTURES / "videos" / "content", tmp_path / "out", PUBLISH_SETTINGS, EDITORIAL_PUBLISH=False
        )
    assert any("kein lokales Vorschaubild" in p for p in info.value.problems)
    # configurable: no warning, the branded placeholder is accepted
    build_site(
        FIXTURES / "videos" / "content",
        tmp_path / "out2",
        PUBLISH_SETTINGS,
        YOUTUBE_WARN_MISSING_POSTER=False,
        EDITORIAL_PUBLISH=False,
    )


def test_invalid_url_is_a_build_error_with_file_and_line(tmp_path):
    content = copy_fixture("videos", tmp_path / "site")
    article = content / "articles/technik/montage-im-video.md"
    article.write_text(
        article.read_text(encoding="utf-8").replace(
            "https://www.youtube.com/shorts/Sx4mT8yUe1c", "https://www.youtube.com/shorts/Sx4mT8yUe1"
        ),
        encoding="utf-8",
    )
    other = content / "articles/qualitaetssicherung/pruefzeugnisse-lesen.md"
    other.write_text(
        other.read_text(encoding="utf-8").replace("Typ: Tutorial", "Typ: Schulung"), encoding="utf-8"
    )
    out = tmp_path / "out"
    with pytest.raises(BuildFailed) as info:
        build_site(content, out)
    problems = info.value.problems
    assert any(
        "montage-im-video.md:23:" in p and "Sx4mT8yUe1" in p and "11 Zeichen" in p for p in problems
    ), problems
    assert any("pruefzeugnisse-lesen.md:10:" in p and "Schulung" in p for p in problems), problems
    assert not out.exists()


# -- invoke fetch-media against a local server -------------------------------------------------


def _jpeg(size) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (120, 130, 140)).save(buf, "JPEG")
    return buf.getvalue()


RECORDED = {
    # video 1: no maxres (404), sd answered with YouTube's 120x90 grey placeholder, hq is real
    "/vi/Mq3vT8kLp2E/sddefault.jpg": ("image/jpeg", _jpeg((120, 90))),
    "/vi/Mq3vT8kLp2E/hqdefault.jpg": ("image/jpeg", _jpeg((480, 360))),
    # video 2: maxres exists
    "/vi/Rz7Yb2NcX4w/maxresdefault.jpg": ("image/jpeg", _jpeg((1280, 720))),
    # video 3 (Sx4mT8yUe1c): everything 404 (deleted video)
}
OEMBED = {
    "Mq3vT8kLp2E": {
        "title": "Rohre verpressen in 90 Sekunden",
        "author_name": "heco gmbh",
        "author_url": "https://www.youtube.com/@hecogmbh",
    },
    "Rz7Yb2NcX4w": {
        "title": "Pressfitting montieren",
        "author_name": "heco gmbh",
        "author_url": "https://www.youtube.com/@hecogmbh",
    },
}


class _Recorded(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.server.seen.append(self.path)
        parts = urlsplit(self.path)
        if parts.path == "/oembed":
            target = parse_qs(parts.query)["url"][0]
            key = parse_qs(urlsplit(target).query).get("v", [urlsplit(target).path.rsplit("/", 1)[-1]])[0]
            body = OEMBED.get(key)
            if body is None:
                return self._send(404, "text/plain", b"Not Found")
            return self._send(200, "application/json", json.dumps(body).encode())
        if parts.path in RECORDED:
            return self._send(200, *RECORDED[parts.path])
        return self._send(404, "text/plain", b"Not Found")

    def _send(self, code, kind, body):
        self.send_response(code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass


@pytest.fixture
def recorded_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorded)
    server.seen = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def test_find_videos_in_content():
    found = find_videos(FIXTURES / "videos" / "content")
    assert sorted(found) == ["Mq3vT8kLp2E", "Rz7Yb2NcX4w", "Sx4mT8yUe1c"]
    assert found["Rz7Yb2NcX4w"][1].endswith("montage-im-video.md:13")


def test_fetch_media_against_recorded_responses(tmp_path, recorded_server):
    content = copy_fixture("videos", tmp_path / "site")
    media = content / "media/youtube"
    for old in media.iterdir():
        old.unlink()
    base = f"http://127.0.0.1:{recorded_server.server_address[1]}"
    lines = []
    report = fetch_media(
        content,
        media,
        thumbnail_url=base + "/vi/{id}/{name}.jpg",
        oembed_url=base + "/oembed?format=json&url={url}",
        log=lines.append,
    )
    assert sorted(report.fetched) == ["Mq3vT8kLp2E", "Rz7Yb2NcX4w"]
    assert len(report.problems) == 1 and "Sx4mT8yUe1c" in report.problems[0]
    with Image.open(media / "Mq3vT8kLp2E.jpg") as image:
        assert image.size == (480, 360)  # hq, not the 120x90 grey stand-in
    meta = json.loads((media / "Mq3vT8kLp2E.json").read_text(encoding="utf-8"))
    assert meta["title"] == "Rohre verpressen in 90 Sekunden" and meta["thumbnail"] == "hqdefault"
    assert (
        json.loads((media / "Rz7Yb2NcX4w.json").read_text(encoding="utf-8"))["thumbnail"] == "maxresdefault"
    )
    assert not (media / "Sx4mT8yUe1c.jpg").exists()
    assert "/vi/Mq3vT8kLp2E/maxresdefault.jpg" in recorded_server.seen
    # second run: nothing fetched again
    recorded_server.seen.clear()
    again = fetch_media(
        content,
        media,
        thumbnail_url=base + "/vi/{id}/{name}.jpg",
        oembed_url=base + "/oembed?format=json&url={url}",
        log=lines.append,
    )
    assert sorted(again.skipped) == ["Mq3vT8kLp2E", "Rz7Yb2NcX4w"]
    assert all("Sx4mT8yUe1c" in p or "oembed" in p for p in recorded_server.seen)
    # and the build now uses the fetched title and poster
    out = tmp_path / "out"
    build_site(content, out)
    figure = page(out, "/technik/montage-im-video/").select("figure[data-consent]")[0]
    assert figure["data-consent-title"] == "YouTube-Video: Rohre verpressen in 90 Sekunden"
    assert figure.find("img")["width"] == "480"


def test_fixture_intranet_feed_and_fragment_list_the_videos(video_site):
    out, _ = video_site
    feed = feedparser.parse((out / "feeds/intranet.xml").read_bytes())
    assert feed.bozo == 0
    dates = [dt.datetime(*e.published_parsed[:6]) for e in feed.entries]
    assert dates == sorted(dates, reverse=True)
    videos = {e.title: e for e in feed.entries if e.tags[0].term == "Video"}
    # each video once, linked to the first article that shows it, at the video's placeholder
    assert set(videos) == {
        "Rohre verpressen in 90 Sekunden",
        "Pressfitting <montieren> & prüfen",
        "Video auf YouTube",
    }
    base = "http://127.0.0.1:8000"
    assert videos["Rohre verpressen in 90 Sekunden"].link == (
        f"{base}/qualitaetssicherung/pruefzeugnisse-lesen/#video-Mq3vT8kLp2E"
    )
    assert videos["Rohre verpressen in 90 Sekunden"].published.startswith("Sun, 01 Mar 2026 08:00")
    montage = videos["Pressfitting <montieren> & prüfen"]
    assert montage.link == f"{base}/technik/montage-im-video/#video-Rz7Yb2NcX4w"
    assert montage.description == "Unser Monteur zeigt jeden Handgriff."
    assert videos["Video auf YouTube"].description == "Video im Artikel „Montage im Video“."
    for entry in videos.values():
        path, anchor = entry.link.removeprefix(base).split("#")
        assert page(out, path).find(id=anchor)["data-consent"] == "youtube"
        # the enclosure is the published local poster (never an image from YouTube)
        (enclosure,) = entry.enclosures
        assert enclosure.href.startswith(f"{base}/videos/poster/") and enclosure.type == "image/jpeg"
        poster = out / enclosure.href.removeprefix(base + "/")
        assert int(enclosure.length) == poster.stat().st_size > 0
    fragment = page(out, "/intranet/aktuelles.html")
    entries = fragment.select(".heco-aktuelles__eintrag--video")
    assert [e.find("a").get_text() for e in entries] == [  # newest first (same date: by title)
        "Video auf YouTube",
        "Pressfitting <montieren> & prüfen",
        "Rohre verpressen in 90 Sekunden",
    ]
    assert all(e.find("img")["src"].startswith("data:image/jpeg;base64,") for e in entries)
    assert entries[1].find("a")["href"] == f"{base}/technik/montage-im-video/#video-Rz7Yb2NcX4w"


def test_intranet_item_prefers_the_video_date(tmp_path):
    ext = YouTubeExtension(media_dir=str(tmp_path), warn_missing_poster=False)
    md = markdown.Markdown(extensions=[ext])
    md.convert(
        "::: youtube https://youtu.be/Mq3vT8kLp2E\nTitel: Eins\nDatum: 2024-05-02\n:::\n\n"
        "https://youtu.be/Mq3vT8kLp2E\n\nhttps://youtu.be/Rz7Yb2NcX4w"
    )
    first, again, other = md.magazine_embeds
    assert (first.anchor, again.anchor, other.anchor) == ("video-Mq3vT8kLp2E", "", "video-Rz7Yb2NcX4w")
    berlin = ZoneInfo("Europe/Berlin")
    article = SimpleNamespace(
        title="A", url="it/a/", date=dt.datetime(2026, 5, 1, 9, 30, tzinfo=berlin), embeds=md.magazine_embeds
    )
    item = intranet_item(VideoEntry(first, [article]))
    assert item["date"] == dt.datetime(2024, 5, 2, tzinfo=berlin)
    assert item["url"] == "it/a/#video-Mq3vT8kLp2E" and item["kind"] == "video"
    assert item["image"].startswith("videos/poster/Mq3vT8kLp2E-platzhalter-")
    assert intranet_item(VideoEntry(other, [article]))["date"] == article.date
    assert intranet_item(VideoEntry(other, [SimpleNamespace(title="Seite", url="s/", date=None)])) is None


# -- the sample magazine -----------------------------------------------------------------------


def test_sample_videos_page_groups_every_type(sample_output):
    doc = page(sample_output, "/videos/")
    headings = [h.get_text() for h in doc.select(".video-group h2")]
    assert headings == [
        "Interviews mit Mitarbeitenden",
        "Montagevideos",
        "Tutorials zur Website",
        "Weitere Videos",
    ]
    assert len(doc.select(".video-card")) == 5
    nav = [a.get_text() for a in doc.select(".site-nav a")]
    assert nav.index("Archiv") < nav.index("Videos") < nav.index("Über das Magazin")


def test_sample_privacy_page_has_the_revoke_control(sample_output):
    doc = page(sample_output, "/datenschutz/")
    heading = doc.find("h2", string="Ihre Einwilligungen verwalten")
    manager = doc.select_one("[data-consent-manager]")
    assert heading is not None and manager is not None
    assert heading in manager.find_all_previous("h2")


def test_sample_publish_build_has_posters_for_every_video(sample_publish_output):
    # strict build: a missing poster would have failed it; every placeholder has a real poster
    doc = page(sample_publish_output, "/technik/pressfitting-oder-schweissnaht-eine-entscheidungshilfe/")
    img = doc.select_one("figure[data-consent=youtube] img")
    assert "platzhalter" not in img["src"]
    assert img["src"].startswith("https://magazin.heco.de/videos/poster/hK3pF7wQx2M-")


def test_sample_intranet_feed_lists_the_five_videos(sample_output):
    feed = feedparser.parse((sample_output / "feeds/intranet.xml").read_bytes())
    assert feed.bozo == 0
    dates = [dt.datetime(*e.published_parsed[:6]) for e in feed.entries]
    assert dates == sorted(dates, reverse=True)
    videos = [e for e in feed.entries if e.tags[0].term == "Video"]
    ids = [e.link.rsplit("#video-", 1)[1] for e in videos]
    assert ids == ["Tz9kW3pL6dE", "hK3pF7wQx2M", "Lb7nQ2vR9sA", "Sx4mT8yUe1c", "In5rG2hY8aw"]
    for entry in videos:
        (enclosure,) = entry.enclosures
        rel = urlsplit(enclosure.href).path.lstrip("/")
        assert rel.startswith("videos/poster/")
        assert (sample_output / rel).stat().st_size == int(enclosure.length)
