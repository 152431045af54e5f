"""Embed codes and raw HTML pasted into articles (real samples, see tests/fixtures/pasted/SOURCES.md).

- YouTube's, X's and Mastodon's own embed codes become the same private blocks as a pasted
  address (start times kept); ``invoke check`` says the plain address is simpler.
- Any other HTML that could load or run something stops every build (development and publish)
  with a German ``datei:zeile`` message; harmless HTML stays.
- An empty alt text stops the build with the line, in German (not Pelican's English warning).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PUBLISH_SETTINGS, ROOT, SETTINGS, build_site, copy_fixture, page
from magazin.core.build import BuildFailed
from magazin.editorial.embedcodes import find_embed_codes
from magazin.editorial.rawhtml import scan_html

PASTED = Path(__file__).parent / "fixtures" / "pasted"
EMBEDS = (PASTED / "embed_codes.md").read_text(encoding="utf-8")
DOMPURIFY = json.loads((PASTED / "raw_html_dompurify.json").read_text(encoding="utf-8"))
MARKDOWN_XSS = json.loads((PASTED / "raw_markdown_xss.json").read_text(encoding="utf-8"))
ARTICLE = "articles/technik/eingefuegt.md"
# A real lecture-video embed (Panopto, Aalto University) as pasted into a course page.
PANOPTO = (
    '<iframe src="https://aalto.cloud.panopto.eu/Panopto/Pages/Embed.aspx?id=dbcba88b-e377-4343-b5d1-'
    "acec016e2065&amp;autoplay=false&amp;offerviewer=true&amp;showtitle=true&amp;showbrand=false&amp;"
    'start=0&amp;interactivity=all" style="border: 1px solid #464646;" allowfullscreen="" allow="autoplay" '
    'width="100%" height="720"></iframe>'
)
CONSENT = (  # what a logged-out visitor in the EU copies (see fixtures/pasted/SOURCES.md)
    "https://consent.youtube.com/ml?continue=https://www.youtube.com/watch?v=iwGFalTRHDA"
    "&gl=LU&hl=en&pc=yt&uxe=23983172&src=1"
)
HARMLESS = """
<table><thead><tr><th>Werkstoff</th><th>Cr</th></tr></thead><tbody><tr><td>1.4404</td><td>17</td></tr></tbody></table>

Der Wert gilt bei 20 °C<sup>1</sup> für <abbr title="Nenndurchmesser">DN</abbr> 50.

<details><summary>Mehr zur Norm</summary>Die EN 10088 regelt die Werkstoffe.</details>

Zeigen lässt sich Code auch: `<script src="x.js"></script>` bleibt als Code stehen.

```html
<iframe src="https://example.org/"></iframe>
```
"""


def _header(title: str = "Eingefügt") -> str:
    return f"Title: {title}\nDate: 2026-11-20 09:00\nAuthor: Jürgen Weiß\nSummary: Was Autoren einfügen.\n\n"


# --- recognition (unit) -------------------------------------------------------------------


def test_real_embed_codes_are_recognised_with_their_address_and_start_time():
    codes = find_embed_codes(EMBEDS.split("\n"))
    assert [(c.platform, c.url) for c in codes] == [
        ("youtube", "https://www.youtube.com/watch?v=8qcPq4peows"),
        ("youtube", "https://www.youtube.com/watch?v=yqeiXpbDoKg&t=517s"),
        ("youtube", "https://www.youtube.com/watch?v=UxTJeEbZX-0"),
        ("x", "https://x.com/radforschung/status/983360948932153344"),
        ("mastodon", "https://digipres.club/@joe/99650486509645352"),
    ]
    multi = codes[2]
    assert multi.last - multi.first == 7  # the eight-line iframe, as one block
    assert codes[3].last - codes[3].first == 1  # blockquote plus widgets.js on the next line


def test_embed_codes_are_not_refused_but_an_unknown_iframe_is():
    assert scan_html(EMBEDS.split("\n")) == []
    findings = scan_html(["Text davor", "", PANOPTO])
    assert [(f.index, f.message) for f in findings] == [
        (
            2,
            "Ein <iframe> von aalto.cloud.panopto.eu lädt fremde Inhalte, "
            "bevor die Leser eingewilligt haben.",
        )
    ]


def test_a_youtube_player_that_shows_no_video_is_refused_with_the_reason():
    # a community site's live frame (search id 16298614391, see SOURCES.md)
    live = (
        '<iframe className="absolute inset-0 w-full h-full" '
        'src="https://www.youtube.com/embed/live_stream?channel=@Islandwavenet" title="IslandWave Live" '
        "allowFullScreen></iframe>"
    )
    (finding,) = scan_html([live])
    assert finding.message.startswith("Dieser YouTube-Einbettungscode zeigt kein einzelnes Video:")
    assert "Livestream eines Kanals (Kanal @Islandwavenet)" in finding.message


@pytest.mark.parametrize(
    "case", DOMPURIFY["refused"] + MARKDOWN_XSS["refused"], ids=lambda c: c["payload"][:40]
)
def test_real_attack_payloads_are_refused(case):
    findings = scan_html(["Vorher.", "", case["payload"]])
    assert findings, case["payload"]
    assert all(f.index == 2 for f in findings)
    assert any(case["message"] in f.message for f in findings), [f.message for f in findings]


@pytest.mark.parametrize("payload", DOMPURIFY["harmless"], ids=lambda p: p[:30])
def test_harmless_payloads_pass(payload):
    assert scan_html([payload]) == []


def test_harmless_html_code_and_attribute_lists():
    assert scan_html(HARMLESS.split("\n")[:9]) == []  # up to the fence: prose_lines() skips fences
    findings = scan_html(["![Rohr](/images/rohr.jpg){: onerror=alert(1) }"])
    assert findings and "onerror" in findings[0].message
    findings = scan_html(['<p style="background:url(https://tracker.example/p.gif)">x</p>'])
    assert findings and "url(…)" in findings[0].message
    findings = scan_html(["<img", '  src="https://tracker.example/p.gif" alt="Zähler">'])  # over two lines
    assert [(f.index, f.message) for f in findings] == [
        (0, "<img> lädt „https://tracker.example/p.gif“ von einem fremden Server.")
    ]
    assert scan_html(["![Schema](data:image/png;base64,iVBORw0KGgo=)", "[Mail](mailto:info@heco.de)"]) == []


# --- the build -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pasted_site(tmp_path_factory):
    base = tmp_path_factory.mktemp("pasted")
    content = copy_fixture("mini", base / "site")
    text = _header() + EMBEDS.split("\n\n", 1)[1] + HARMLESS + "\n" + CONSENT + "\n"
    (content / ARTICLE).write_text(text, encoding="utf-8")
    out = base / "output"
    build_site(content, out)
    return content, out


def test_embed_codes_become_private_blocks(pasted_site):
    _, out = pasted_site
    html = (out / "technik/eingefuegt/index.html").read_text(encoding="utf-8")
    doc = page(out, "/technik/eingefuegt/")
    body = doc.select_one("article") or doc
    # no third-party frame or script in the page before a click
    assert not body.find("iframe")
    for script in doc.find_all("script"):
        src = script.get("src") or ""
        assert "twitter" not in src and "digipres" not in src and "youtube" not in src
    assert "widgets.js" not in html and "embed.js" not in html
    videos = doc.select(".consent.video")
    assert len(videos) == 4  # three embed codes and the consent-page address
    sources = " ".join(str(v) for v in videos)
    assert "youtube-nocookie.com/embed/yqeiXpbDoKg?" in sources and "start=517" in sources
    assert "youtube-nocookie.com/embed/8qcPq4peows?" in sources
    cards = doc.select("[data-post-missing]")  # not imported yet: link cards, not X's code
    assert {c["data-post-missing"] for c in cards} == {
        "https://x.com/radforschung/status/983360948932153344",
        "https://digipres.club/@joe/99650486509645352",
    }


def test_harmless_html_stays(pasted_site):
    _, out = pasted_site
    doc = page(out, "/technik/eingefuegt/")
    assert doc.find("table").find("td").get_text() == "1.4404"
    assert doc.find("sup").get_text() == "1"
    assert doc.find("abbr")["title"] == "Nenndurchmesser"
    assert doc.find("details").find("summary").get_text() == "Mehr zur Norm"
    assert any("<script" in c.get_text() for c in doc.find_all("code"))


def test_invoke_check_says_the_plain_address_is_simpler(pasted_site):
    content, _ = pasted_site
    invoke = Path(sys.executable).with_name("invoke")
    result = subprocess.run(
        [str(invoke), "check", "--content", str(content)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        check=False,
    )
    notes = [line for line in result.stdout.splitlines() if line.startswith("ℹ")]
    rel = f"{ARTICLE}"
    assert any(
        rel + ":8:" in n and "Einbettungscode von YouTube" in n and "watch?v=8qcPq4peows" in n for n in notes
    ), result.stdout
    assert any(
        "Einbettungscode von X" in n and "x.com/radforschung/status/983360948932153344" in n for n in notes
    )
    assert any("Einbettungscode von Mastodon" in n for n in notes)
    text = (content / ARTICLE).read_text("utf-8").split("\n")
    line = text.index(CONSENT) + 1
    assert any(
        f"{ARTICLE}:{line}: Die Video-Adresse wird gelesen als https://www.youtube.com/watch?v=iwGFalTRHDA"
        in n
        for n in notes
    ), notes
    assert result.returncode == 0 and "Alles in Ordnung" in result.stdout  # notes do not fail the check


@pytest.mark.parametrize("settings", ["dev", "publish"])
def test_other_raw_html_stops_every_build_with_file_and_line(tmp_path, settings):
    content = copy_fixture("mini", tmp_path / "site")
    body = (
        "Einleitung.\n\n"
        + PANOPTO
        + "\n\nMehr Text.\n\n<script>alert(1)</script>\n\n![](/images/fehlt-nicht.png)\n"
    )
    (content / ARTICLE).write_text(_header() + body, encoding="utf-8")
    images = content / "images"
    images.mkdir(exist_ok=True)
    shutil.copy(ROOT / "theme/static/images/logo.png", images / "fehlt-nicht.png")
    out = tmp_path / "output"
    out.mkdir()
    (out / "alt.html").write_text("vorher", encoding="utf-8")
    with pytest.raises(BuildFailed) as info:
        build_site(content, out, PUBLISH_SETTINGS if settings == "publish" else SETTINGS)
    text = "\n".join(info.value.problems)
    rel = "technik/eingefuegt.md"
    assert f"{rel}:8: Ein <iframe> von aalto.cloud.panopto.eu lädt fremde Inhalte" in text
    assert f"{rel}:12: Ein <script> im Text würde Code" in text
    assert f"{rel}:14: Dem Bild „/images/fehlt-nicht.png“ fehlt der Alternativtext." in text
    assert "Empty alt attribute" not in text
    assert [p.name for p in out.iterdir()] == ["alt.html"]  # output untouched


def test_decorative_post_images_do_not_trip_pelicans_english_alt_warning(tmp_path):
    """Pelican warns „Empty alt attribute for image …“ (English, no line) on any alt="" in the
    HTML, which fails the strict publish build; the pre-build check owns the rule for the
    article's own images, and a post card's decorative image (alt="" on purpose) stays quiet."""
    from posts_helpers import png_bytes, write_post

    content = copy_fixture("mini", tmp_path / "site")
    posts = content / "media" / "posts"
    (posts / "bilder").mkdir(parents=True)
    (posts / "bilder" / "deko.png").write_bytes(png_bytes())
    write_post(posts, media=[{"file": "bilder/deko.png", "alt": ""}])
    article = content / "articles/technik/qualitaet-von-edelstahl.md"
    article.write_text(
        article.read_text("utf-8") + "\n\nhttps://x.com/hecogmbh/status/1990000000000000001\n", "utf-8"
    )
    report = build_site(content, tmp_path / "output")
    assert not [w for w in report.warnings if "alt" in w.lower()], report.warnings
    doc = page(tmp_path / "output", "/technik/qualitaet-von-edelstahl-ein-ueberblick/")
    assert doc.select_one(".post-card__media img")["alt"] == ""
