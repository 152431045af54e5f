"""A message about an embed names the line the author wrote, also when that line is a pasted
embed code or when a longer, correct address of the same account stands above it."""

from __future__ import annotations

import pytest

from conftest import build_site, copy_fixture
from magazin.consent.reader import line_of
from magazin.core.build import BuildFailed

ARTICLE = """Title: Montage im Video
Date: 2026-11-20 10:00
Author: Jürgen Weiß
Summary: Zwei Videos aus der Montage.

So montieren wir einen Flansch:

{first}

Und so einen Bogen:

{second}

Ende.
"""


def _article(tmp_path, first: str, second: str):
    content = copy_fixture("mini", tmp_path / "site")
    path = content / "articles" / "technik" / "montage-im-video.md"
    path.write_text(ARTICLE.format(first=first, second=second), encoding="utf-8")
    return content, path


def test_the_wrong_block_is_named_not_the_correct_one_above_it(tmp_path):
    first = "::: youtube https://youtu.be/Rz7Yb2NcX4w\nTitel: Flansch montieren\n:::"
    second = "::: youtube https://youtu.be/Rz7Yb2NcX4w\nTitel: Flansch\nTitel: Flansch\n:::"
    content, _ = _article(tmp_path, first, second)
    with pytest.raises(BuildFailed) as info:
        build_site(content, tmp_path / "out", YOUTUBE_WARN_MISSING_POSTER=False)
    messages = [p for p in info.value.problems if "steht doppelt" in p]
    # lines: 8-10 the first block („Titel: Flansch montieren“ contains „Titel: Flansch“), 14-17 the second
    assert len(messages) == 1 and "montage-im-video.md:15:" in messages[0], info.value.problems


def test_a_pasted_embed_code_is_named_by_its_own_line(tmp_path):
    iframe = (
        '<iframe width="560" height="315" src="https://www.youtube.com/embed/Rz7Yb2NcX4w?si=Qp4xTt0l8nLrG2hb"'
        ' title="YouTube video player" frameborder="0" allow="accelerometer; autoplay; clipboard-write;'
        ' encrypted-media; gyroscope; picture-in-picture; web-share"'
        ' referrerpolicy="strict-origin-when-cross-origin" allowfullscreen></iframe>'
    )
    content, _ = _article(tmp_path, "Kein Video hier.", iframe)
    report = build_site(content, tmp_path / "out")
    warnings = [w for w in report.warnings if "Rz7Yb2NcX4w" in w and "kein lokales Vorschaubild" in w]
    assert len(warnings) == 1 and "montage-im-video.md:12:" in warnings[0], report.warnings


def test_line_of_prefers_the_whole_line_then_the_whole_address(tmp_path):
    path = tmp_path / "a.md"
    path.write_text(
        "https://x.com/hecogmbh/status/18000000000000000001\nText\nhttps://x.com/hecogmbh/status/1800\n"
        "Siehe https://x.com/hecogmbh/status/18 und mehr\n",
        encoding="utf-8",
    )
    assert line_of(str(path), "https://x.com/hecogmbh/status/1800") == 3
    assert line_of(str(path), "https://x.com/hecogmbh/status/18") == 4
    assert line_of(str(path), "Text") == 2
    assert line_of(str(path), "hecogmbh/status/18000") == 1  # only a part: the first that contains it


def test_an_uncached_post_is_named_by_the_line_of_its_pasted_embed_code(tmp_path):
    """X's embed code (verbatim, tests/fixtures/pasted) links the post as twitter.com/…?ref_src:
    the warning still names the code's line, and a plain address its own line."""
    from conftest import FIXTURES

    code = "\n".join((FIXTURES / "pasted" / "embed_codes.md").read_text(encoding="utf-8").splitlines()[26:28])
    assert code.startswith('<blockquote class="twitter-tweet">')
    content, _ = _article(tmp_path, code, "https://x.com/hecogmbh/status/1800000000000000099")
    report = build_site(content, tmp_path / "out")
    missing = [w for w in report.warnings if "ist nicht gespeichert" in w]
    assert any("montage-im-video.md:8:" in w and "983360948932153344" in w for w in missing), missing
    assert any("montage-im-video.md:13:" in w and "1800000000000000099" in w for w in missing), missing
