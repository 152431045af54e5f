"""Real YouTube addresses as authors paste them (tests/fixtures/pasted/youtube_urls.json, sources in
SOURCES.md): wrappers unwrapped, the first ``v=`` wins, unusable lists dropped, non-videos refused
with a reason that says what the address is."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from magazin.youtube.urls import InvalidVideoUrl, canonical_url, parse_youtube_url

SAMPLES = json.loads((Path(__file__).parent / "fixtures" / "pasted" / "youtube_urls.json").read_text("utf-8"))


@pytest.mark.parametrize("sample", SAMPLES["valid"], ids=lambda s: s["url"][:60])
def test_real_addresses_name_the_right_video(sample):
    ref = parse_youtube_url(sample["url"])
    assert ref.video_id == sample["id"]
    assert ref.playlist == sample.get("list")
    assert ref.start == sample.get("start")
    if "canonical" in sample:
        assert canonical_url(ref) == sample["canonical"]
    # the player address is the private one and carries the start time
    embed = ref.embed_url()
    assert embed.startswith("https://www.youtube-nocookie.com/embed/" + sample["id"] + "?")
    assert ("start=" in embed) == bool(sample.get("start"))


@pytest.mark.parametrize("sample", SAMPLES["invalid"], ids=lambda s: s["url"][:60])
def test_real_non_video_addresses_are_refused_with_their_reason(sample):
    with pytest.raises(InvalidVideoUrl) as info:
        parse_youtube_url(sample["url"])
    assert sample["message"] in str(info.value)


def test_a_mix_alone_is_refused_and_a_real_playlist_kept():
    with pytest.raises(InvalidVideoUrl, match="Mix"):
        parse_youtube_url("https://www.youtube.com/playlist?list=RDMMrCLekTzKUrw")
    ref = parse_youtube_url("https://www.youtube.com/playlist?list=PLEbnTDJUr_IegfoqO4iPnPYQui46QqT0j")
    assert (ref.video_id, ref.playlist) == (None, "PLEbnTDJUr_IegfoqO4iPnPYQui46QqT0j")


@pytest.mark.parametrize(
    "line",
    [
        "https://consent.youtube.com/ml?continue=https://www.youtube.com/watch?v=iwGFalTRHDA&gl=LU&hl=en&pc=yt&uxe=23983172&src=1",
        "//www.YouTube.com/watch?v=yZIXLfi8CZQ",
        "https://www.youtube.com/watch?v=zEE_zkR9fVQ&amp;feature=youtu.be",
    ],
)
def test_wrapped_addresses_alone_on_a_line_become_the_private_block(line, tmp_path):
    import markdown

    from magazin.youtube.markdown_ext import YouTubeExtension

    html = markdown.markdown(
        f"Davor.\n\n{line}\n\nDanach.",
        extensions=[YouTubeExtension(media_dir=str(tmp_path), warn_missing_poster=False)],
    )
    ref = parse_youtube_url(line)
    assert f"youtube-nocookie.com/embed/{ref.video_id}?" in html
    assert "consent.youtube.com" not in html and "&amp;amp;" not in html
