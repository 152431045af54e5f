"""Importers against a local HTTP server on 127.0.0.1 with recorded API/oEmbed responses."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from posts_helpers import RecordedServer, png_bytes

from conftest import FIXTURES
from magazin.posts.importers import (
    HttpClient,
    ImportFailed,
    fetch_mastodon,
    fetch_post,
    fetch_x_timeline,
    import_x_archive,
)
from magazin.posts.model import load_library


@pytest.fixture
def server():
    srv = RecordedServer()
    yield srv
    srv.close()


def x_routes(server: RecordedServer) -> None:
    server.recorded("/2/users/by/username/hecogmbh", "x_user.json")
    server.recorded("/2/users/1234567890/tweets", "x_timeline.json")
    server.routes["/media/lager.png"] = (200, {"Content-Type": "image/png"}, png_bytes("#888888"))


def test_x_timeline_import(server, tmp_path):
    x_routes(server)
    report = fetch_x_timeline("@hecogmbh", tmp_path, token="geheim", api_base=f"{server.base}/2")
    assert len(report.added) == 3 and report.images == ["bilder/x-1991500000000000001-1.png"]
    assert "Neu gespeichert: 3" in report.summary()
    # the bearer token was sent, the media fields were asked for
    path, headers = next(r for r in server.requests if "/tweets" in r[0])
    assert headers["Authorization"] == "Bearer geheim"
    assert "attachments.media_keys" in parse_qs(urlparse(path).query)["expansions"][0]
    library = load_library(tmp_path)  # what the importer wrote passes the build's validation
    first = library.find("https://x.com/hecogmbh/status/1991500000000000001")
    assert first.date.isoformat() == "2026-11-20T09:15:00+01:00"  # German local time
    assert 'href="https://magazin.heco.de/logistik/lagern/"' in first.text
    assert (
        'href="https://x.com/heco_offspring"' in first.text
        and 'href="https://x.com/hashtag/Edelstahl"' in first.text
    )
    assert "t.co/pic999" not in first.text and "&amp; Fittings" in first.text
    assert first.plain_text.startswith("Neu im Magazin: Rohre & Fittings")
    assert first.media[0].alt == "Rohre im Regal" and (tmp_path / first.media[0].file).is_file()
    reply = library.find("https://x.com/hecogmbh/status/1991400000000000002")
    assert reply.reply and reply.in_reply_to == "@rohrbau_beispiel" and not reply.repost
    repost = library.find("https://x.com/hecogmbh/status/1991300000000000003")
    assert repost.repost and repost.original_author.handle == "@heco_offspring"
    assert "Kommissionierung" in repost.text  # the full original text, not the cut "RT @…"
    # idempotent: a second run adds nothing and reports it
    again = fetch_x_timeline("hecogmbh", tmp_path, token="geheim", api_base=f"{server.base}/2")
    assert again.added == [] and len(again.skipped) == 3
    assert "Neu gespeichert: 0" in again.summary()


def test_x_401_says_what_is_wrong_with_the_token(server, tmp_path):
    server.recorded("/2/users/by/username/hecogmbh", "x_401.json", status=401)
    with pytest.raises(ImportFailed) as info:
        fetch_x_timeline("hecogmbh", tmp_path, token="abgelaufen", api_base=f"{server.base}/2")
    message = str(info.value)
    assert "HTTP 401" in message and "X_BEARER_TOKEN" in message and "Token" in message
    assert "ungültig" in message
    assert not list(tmp_path.iterdir())


def test_x_without_token_explains_the_alternatives(tmp_path, monkeypatch):
    monkeypatch.delenv("X_BEARER_TOKEN", raising=False)
    with pytest.raises(ImportFailed, match="X_BEARER_TOKEN ist nicht gesetzt"):
        fetch_x_timeline("hecogmbh", tmp_path, api_base="http://127.0.0.1:9/2")


def test_x_429_names_the_retry_time(server, tmp_path):
    now = dt.datetime(2026, 11, 20, 13, 0, tzinfo=dt.UTC)
    reset = int((now + dt.timedelta(minutes=15)).timestamp())
    server.recorded(
        "/2/users/by/username/hecogmbh",
        "x_429.json",
        status=429,
        headers={"x-rate-limit-reset": str(reset), "x-rate-limit-remaining": "0"},
    )
    client = HttpClient("Die X-API", token="t", now=lambda: now)
    with pytest.raises(ImportFailed) as info:
        fetch_x_timeline("hecogmbh", tmp_path, token="t", api_base=f"{server.base}/2", client=client)
    message = str(info.value)
    assert "HTTP 429" in message and "zu viele Anfragen" in message
    assert "14:15 Uhr am 20.11.2026" in message and "15 Minuten" in message  # Berlin time


def test_mastodon_import(server, tmp_path):
    server.recorded("/api/v1/accounts/lookup", "mastodon_account.json")
    server.recorded("/api/v1/accounts/109876/statuses", "mastodon_statuses.json")
    server.routes["/media/beizen.png"] = (200, {"Content-Type": "image/png"}, png_bytes("#cccccc"))
    report = fetch_mastodon("@heco@social.example", tmp_path, base_url=server.base)
    assert len(report.added) == 2
    lookup = next(p for p, _ in server.requests if "lookup" in p)
    assert parse_qs(urlparse(lookup).query)["acct"] == ["heco"]
    library = load_library(tmp_path)
    own = library.find("https://social.example/@heco/115600000000000001")
    assert own.author.handle == "@heco@social.example" and own.media and not own.repost
    assert "invisible" not in own.text and "https://" not in own.plain_text.split("Passivieren")[1]
    assert own.links[0].title == "Beizen und Passivieren"
    boost = library.find("https://metal.example/@werkstoffe/4242")
    assert boost.repost and boost.original_author.handle == "@werkstoffe@metal.example"
    assert boost.author.handle == "@heco@social.example"
    assert fetch_mastodon("@heco@social.example", tmp_path, base_url=server.base).added == []


def test_mastodon_429_and_401(server, tmp_path):
    server.recorded("/api/v1/accounts/lookup", "x_429.json", status=429, headers={"Retry-After": "120"})
    now = dt.datetime(2026, 11, 20, 8, 0, tzinfo=dt.UTC)
    client = HttpClient("Die Mastodon-Instanz social.example", now=lambda: now)
    with pytest.raises(ImportFailed, match=r"ab 09:02 Uhr am 20\.11\.2026 möglich \(in etwa 2 Minuten\)"):
        fetch_mastodon("@heco@social.example", tmp_path, base_url=server.base, client=client)
    server.recorded("/api/v1/accounts/lookup", "x_401.json", status=401)
    with pytest.raises(ImportFailed, match=r"Zugriff verweigert \(HTTP 401\)"):
        fetch_mastodon("@heco@social.example", tmp_path, base_url=server.base)


def test_single_post_via_oembed(server, tmp_path):
    server.recorded("/oembed", "oembed.json")
    url = "https://twitter.com/hecogmbh/status/1980000000000000007"
    report = fetch_post(url, tmp_path, oembed_endpoint=f"{server.base}/oembed")
    assert report.added == ["x-1980000000000000007.json"]
    query = parse_qs(urlparse(server.requests[0][0]).query)
    assert query["omit_script"] == ["true"] and query["dnt"] == ["true"] and query["url"] == [url]
    post = load_library(tmp_path).find(url)
    assert post.url == "https://x.com/hecogmbh/status/1980000000000000007"
    assert post.author.name == "heco gmbh" and post.author.handle == "@hecogmbh"
    assert post.date.date() == dt.date(2026, 10, 10)
    assert post.plain_text == "Heute Tag der offenen Tür & Werksführung um 14 Uhr https://t.co/xyz"
    assert "blockquote" not in post.text and "twsrc" not in post.text
    assert fetch_post(url, tmp_path, oembed_endpoint=f"{server.base}/oembed").added == []


def test_single_post_rejects_other_urls(tmp_path):
    with pytest.raises(ImportFailed, match="keine Adresse eines Beitrags"):
        fetch_post("https://magazin.heco.de/", tmp_path)


def test_x_archive_import(tmp_path):
    archive = tmp_path / "archiv"
    shutil.copytree(FIXTURES / "x_archive", archive)
    (archive / "data/tweets_media").mkdir()
    (archive / "data/tweets_media/1970000000000000001-Fabc123.jpg").write_bytes(
        png_bytes()
    )  # PNG bytes on purpose
    posts = tmp_path / "posts"
    report = import_x_archive(archive / "data/tweets.js", posts)
    assert len(report.added) == 3
    library = load_library(posts)
    video = library.find("https://x.com/hecogmbh/status/1970000000000000001")
    assert video.author.name == "heco gmbh"  # from account.js
    assert video.date.isoformat() == "2026-09-20T10:00:00+02:00"
    assert video.media[0].file == "bilder/x-1970000000000000001-1.png"  # type from the bytes
    assert video.media[0].alt == "Pressfitting auf einem Rohr"
    assert 'href="https://www.youtube.com/@hecogmbh"' in video.text and "t.co/med222" not in video.text
    assert "&amp; prüfen" in video.text
    reply = library.find("https://x.com/hecogmbh/status/1970000000000000002")
    assert reply.reply and reply.in_reply_to == "@rohrbau_beispiel"
    repost = library.find("https://x.com/hecogmbh/status/1970000000000000003")
    assert repost.repost and repost.original_author.name == "heco Offspring"
    assert repost.plain_text == "Erster Tag im Lager: Alles über Langgut gelernt."
    assert import_x_archive(archive, posts).skipped and not import_x_archive(archive, posts).added
    saved = json.loads((posts / "x-1970000000000000001.json").read_text())
    assert saved["source"] == "x-archive"


def test_archive_rejects_other_files(tmp_path):
    bad = tmp_path / "tweets.js"
    bad.write_text("[1, 2]")
    with pytest.raises(ImportFailed, match="keine Datei aus dem X-Datenarchiv"):
        import_x_archive(bad, tmp_path / "posts", username="hecogmbh")


# Modules that talk HTTP to servers the tests and the bench start on 127.0.0.1 (invoke
# bench-server; the web-server tests), never to the internet and never during a build.
LOOPBACK_TOOLS = {("server", "bench"), ("server", "loopback")}
NETWORK_MODULES = {"urllib.request", "http.client", "requests", "httpx", "ftplib", "smtplib"}  # clients


def test_importers_are_the_only_network_code():
    """Network code lives only in the explicit fetch/import tasks' modules (by what they import)."""
    import ast

    plugins = Path(__file__).resolve().parent.parent / "plugins"
    offenders = []
    for p in plugins.rglob("*.py"):
        if "importers" in p.parts or p.stem == "fetch" or (p.parent.name, p.stem) in LOOPBACK_TOOLS:
            continue
        tree = ast.parse(p.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
            if any(name in NETWORK_MODULES for name in names):
                offenders.append(f"{p.relative_to(plugins)}:{node.lineno}")
    assert offenders == []
