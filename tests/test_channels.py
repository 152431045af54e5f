"""One channel list → footer, JSON-LD, /social-media/, signature, share links and brochure.

The fixture site (tests/fixtures/mini) is copied and its channel file changed: one URL is
replaced and a LinkedIn channel is added. Every output must carry the new data and none
the old URL.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
import yaml

from conftest import build_site, copy_fixture, page
from magazin.core.build import BuildFailed
from magazin.core.errors import ContentErrors

sys.path.insert(0, str(Path(__file__).resolve().parent))
from qrtools import decode_svg

OLD_X = "https://x.com/fixture"
NEW_X = "https://x.com/fixture-neu"
LINKEDIN = "https://www.linkedin.com/company/heco-fixture"


def changed_channels(content: Path) -> list[dict]:
    """Change the X URL and add LinkedIn; return the channels in file order."""
    path = content / "data" / "channels.yml"
    channels = yaml.safe_load(path.read_text(encoding="utf-8"))
    for channel in channels:
        if channel["url"] == OLD_X:
            channel["url"] = NEW_X
    channels.append(
        {
            "platform": "linkedin",
            "name": "LinkedIn",
            "url": LINKEDIN,
            "handle": "heco-fixture",
            "content": "Fachbeiträge und Stellenangebote.",
            "benefit": "Sie vernetzen sich mit unseren Fachleuten.",
        }
    )
    path.write_text(yaml.safe_dump(channels, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return channels


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("channels")
    content = copy_fixture("mini", root / "site")
    channels = changed_channels(content)
    out = root / "output"
    build_site(content, out)
    return channels, out


def test_social_page_lists_channels_in_file_order_with_qr_codes(built):
    channels, out = built
    doc = page(out, "/social-media/")
    items = doc.select("ol.social-channels > li")
    assert [li.select_one(".social-channel__name").get_text(strip=True) for li in items] == [
        c["name"] for c in channels
    ]
    for li, channel in zip(items, channels, strict=True):
        assert li.select_one(".social-channel__follow a")["href"] == channel["url"]
        assert channel["benefit"] in li.get_text(" ", strip=True)
        assert channel["content"] in li.get_text(" ", strip=True)
        img = li.select_one(".social-channel__qr img")
        svg = out / img["src"].lstrip("/")
        assert svg.is_file(), img["src"]
        assert decode_svg(svg) == channel["url"]
    # The brochure is linked with its preview; the extension block for X posts exists.
    link = doc.select_one(".brochure-teaser a.button")
    assert link["href"].endswith("social-media/broschuere.pdf")
    preview = doc.select_one(".brochure-teaser img")
    assert (out / preview["src"].lstrip("/")).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert doc.select_one('a[aria-current="page"]').get_text(strip=True) == "Social Media"


def test_pages_have_no_inline_styles_or_scripts(built):
    _, out = built
    for url in ("/social-media/", "/social-media/signatur/"):
        doc = page(out, url)
        assert not doc.select("[style]"), url
        assert all(s.get("src") for s in doc.select("script") if s.get("type") != "application/ld+json"), url


def test_footer_and_jsonld_carry_the_same_urls(built):
    channels, out = built
    urls = [c["url"] for c in channels if c["platform"] != "blog"]  # not the magazine itself
    for url in ("/", "/social-media/"):
        doc = page(out, url)
        assert [a["href"] for a in doc.select(".site-footer .channel-links a")] == urls
    home = page(out, "/")
    data = [json.loads(s.string) for s in home.select('script[type="application/ld+json"]')]
    same_as = [d["sameAs"] for d in data if d.get("@type") == "Organization"]
    assert same_as == [[c["url"] for c in channels if c["platform"] != "blog"]]


def test_signature_html_and_text(built):
    channels, out = built
    doc = page(out, "/social-media/signatur/")
    html = doc.select_one("#sig-html").get_text()
    text = doc.select_one("#sig-text").get_text()
    template = doc.select_one("#sig-html-template").get_text()
    assert "[[NAME]]" in template and "[[PHONE]]" in template
    assert 'style="' in html and "<img" not in html and "data-sig" not in html
    for channel in channels:
        assert f'href="{channel["url"]}"' in html
        assert channel["url"] in text
    assert html.index("YouTube") < html.index("LinkedIn")
    assert "Vorname Nachname" in html and "Vorname Nachname" in text
    fields = [i["data-sig-input"] for i in doc.select("#sig-form input")]
    assert fields == ["name", "role", "department", "phone", "email"]
    assert doc.select_one('script[src$="js/signatur.js"]')


def test_old_url_is_gone_everywhere(built):
    _, out = built
    for path in out.rglob("*"):
        if path.suffix in {".html", ".xml", ".svg", ".txt"}:
            text = path.read_text(encoding="utf-8")
            assert not re.search(re.escape(OLD_X) + r"(?![-\w])", text), path


def test_sitemap_lists_the_new_pages(built):
    _, out = built
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert "/social-media/</loc>" in sitemap
    assert "/social-media/signatur/</loc>" in sitemap


def test_share_links_on_articles(built):
    _, out = built
    doc = page(out, "/technik/qualitaet-von-edelstahl-ein-ueberblick/")
    links = doc.select(".share__link")
    assert [a.get_text(" ", strip=True).split(" –")[0] for a in links] == [
        "Facebook",
        "X",
        "LinkedIn",
        "XING",
        "WhatsApp",
        "E-Mail",
    ]
    canonical = doc.select_one('link[rel="canonical"]')["href"]
    for a in links:
        href = a["href"]
        parsed = urlparse(href)
        values = [v for vs in parse_qs(parsed.query).values() for v in vs]
        assert any(canonical in v for v in values), href
        assert "noopener" in a["rel"]
    assert links[-1]["href"].startswith("mailto:?subject=")
    # Plain links only: no third-party script, iframe or image on the page.
    for tag, attr in (("script", "src"), ("iframe", "src"), ("img", "src"), ("link", "href")):
        for el in doc.select(tag):
            value = el.get(attr) or ""
            assert not value.startswith(("http://", "https://", "//")) or "127.0.0.1" in value, value


# ── Validation ──────────────────────────────────────────────────────────────


def _load(tmp_path: Path, text: str):
    from magazin.channels.channels import load_channels

    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    (data / "channels.yml").write_text(text, encoding="utf-8")
    return load_channels({"PATH": str(tmp_path), "MAGAZINE_DATA_DIR": "data"})


GOOD = """\
- platform: youtube
  name: YouTube
  url: https://www.youtube.com/@a
  handle: "@a"
  content: Videos.
  benefit: Zusehen.
"""


SECOND = """\
- platform: mastodon
  name: Mastodon
  url: https://social.example/@heco
  handle: "@a"
  content: Beiträge.
  benefit: Folgen.
"""


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (('  handle: "@a"\n', ""), "Kanal „Mastodon“: das Feld „handle“ fehlt"),
        (("platform: mastodon", "platform: myspace"), "Kanal „Mastodon“: unbekannte Plattform „myspace“"),
        (
            ("https://social.example/@heco", "http://social.example/@heco"),
            "„http://social.example/@heco“ ist keine gültige https-Adresse",
        ),
        (("  benefit: Folgen.\n", "  benefit: Folgen.\n  benfit: x\n"), "unbekanntes Feld „benfit“"),
    ],
)
def test_invalid_channel_names_file_line_and_channel(tmp_path, change, expected):
    second = SECOND
    text = GOOD + second.replace(*change)
    with pytest.raises(ContentErrors) as info:
        _load(tmp_path, text)
    message = str(info.value)
    assert expected in message, message
    assert "channels.yml:7:" in message  # the second entry starts on line 7


def test_valid_channels_keep_file_order(tmp_path):
    text = GOOD + GOOD.replace("youtube.com/@a", "linkedin.com/company/a/").replace(
        "platform: youtube", "platform: linkedin"
    ).replace("name: YouTube", "name: LinkedIn")
    channels = _load(tmp_path, text)
    assert [c.name for c in channels] == ["YouTube", "LinkedIn"]
    assert channels[1].display_url == "www.linkedin.com/company/a"
    assert channels[1].follow_label == "Auf LinkedIn folgen"


def test_invalid_channel_fails_the_build(tmp_path):
    content = copy_fixture("mini", tmp_path / "site")
    path = content / "data" / "channels.yml"
    path.write_text(path.read_text(encoding="utf-8").replace(OLD_X, "http://x.com/fixture"), encoding="utf-8")
    out = tmp_path / "output"
    with pytest.raises(BuildFailed) as info:
        build_site(content, out)
    message = "\n".join(info.value.problems)
    assert "channels.yml:7:" in message and "Kanal „X (Twitter)“" in message
    assert not out.exists()
