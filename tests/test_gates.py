"""Quality gates (plugins/magazin/audit): the sample magazine passes every gate, and every gate fails
on a small hand-written site with exactly the defect it exists to find.

The sample is built once per session with the publish settings; one Chromium serves all
browser gates. A gate whose tool is missing skips here (fails under CI=true).
"""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from conftest import PUBLISH_SETTINGS, SETTINGS, chromium_or_skip
from magazin.audit import (
    Site,
    ToolMissing,
    a11y,
    feeds,
    html,
    in_ci,
    links,
    pdf,
    privacy,
    security,
    structured,
)
from magazin.audit.browser import Browser, serve
from magazin.core.build import read_magazine_settings

BASE = "https://magazin.test"
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-src https://www.youtube-nocookie.com; object-src 'none'; base-uri 'self'"
)


def gate(fn, *args, **kwargs):
    """Run a gate; a missing tool skips (fails under CI=true)."""
    try:
        return fn(*args, **kwargs)
    except ToolMissing as exc:
        if in_ci():
            pytest.fail(f"CI=true, but a gate's tool is missing: {exc}")
        pytest.skip(str(exc))


def messages(result) -> str:
    return "\n".join(str(p) for p in result.problems)


# -- the sample magazine -------------------------------------------------------------------


@pytest.fixture(scope="session")
def sample_site(sample_publish_output) -> Site:
    return Site.from_settings(sample_publish_output, read_magazine_settings(PUBLISH_SETTINGS))


@pytest.fixture(scope="module")
def browser():
    """One Chromium for this module (a Playwright left running would block other modules' own)."""
    chromium_or_skip()
    with gate(Browser) as b:
        yield b


@pytest.fixture(scope="module")
def sample_origin(sample_site):
    with serve(sample_site.output) as origin:
        yield origin


@pytest.mark.slow
@pytest.mark.parametrize("module", [html, links, feeds, security, structured, pdf], ids=lambda m: m.__name__)
def test_sample_passes_static_gate(sample_site, module):
    result = gate(module.run, sample_site)
    assert result.ok, f"{module.NAME}:\n{messages(result)}"
    if module is not pdf:
        assert result.checked >= (8 if module is feeds else len(sample_site.sitemap_pages))


@pytest.mark.slow
@pytest.mark.browser
def test_sample_passes_accessibility(sample_site, browser, sample_origin):
    result = gate(a11y.run, sample_site, browser, sample_origin)
    assert result.ok, messages(result)
    assert result.checked >= 8  # home, article, department, author, topic and the overviews


@pytest.mark.slow
@pytest.mark.browser
def test_sample_passes_privacy(sample_site, browser, sample_origin):
    result = gate(privacy.run, sample_site, browser, sample_origin)
    assert result.ok, messages(result)
    assert result.checked == len(sample_site.sitemap_pages) >= 40


# -- a small hand-written site, correct unless a test breaks it ------------------------------


def page_html(
    title: str,
    body: str = "",
    *,
    head: str = "",
    og_type: str = "website",
    jsonld=None,
    csp: str = CSP,
    url: str = "/",
) -> str:
    jsonld = (
        jsonld
        if jsonld is not None
        else {"@context": "https://schema.org", "@type": "WebSite", "name": "Testmagazin", "url": f"{BASE}/"}
    )
    return f"""<!doctype html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="strict-origin-when-cross-origin">
<title>{title}</title>
<link rel="canonical" href="{BASE}{url}">
<meta property="og:title" content="{title}">
<meta property="og:type" content="{og_type}">
<meta property="og:url" content="{BASE}{url}">
<meta property="og:image" content="{BASE}/og.png">
<link rel="stylesheet" href="/s.css">
<link rel="alternate" type="application/atom+xml" title="Alle Artikel" href="/feeds/all.atom.xml">
{head}<script type="application/ld+json">{json.dumps(jsonld)}</script>
</head>
<body>
<a class="skip" href="#inhalt">Zum Inhalt springen</a>
<main id="inhalt">
<h1>{title}</h1>
{body}
</main>
</body>
</html>
"""


ARTICLE_LD = {
    "@context": "https://schema.org",
    "@type": "BlogPosting",
    "headline": "Rohre biegen",
    "datePublished": "2026-01-05T10:00:00+01:00",
    "image": f"{BASE}/og.png",
    "author": [{"@type": "Person", "name": "Jürgen Weiß"}],
    "publisher": {"@type": "Organization", "name": "heco gmbh", "url": f"{BASE}/"},
    "mainEntityOfPage": f"{BASE}/technik/rohre-biegen/",
}
FEED = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="de">
  <id>{BASE}/feeds/all.atom.xml</id>
  <title>Testmagazin</title>
  <updated>2026-01-05T10:00:00+01:00</updated>
  <link href="{BASE}/" rel="alternate" type="text/html"/>
  <link href="{BASE}/feeds/all.atom.xml" rel="self"/>
  <author><name>heco gmbh</name></author>
  <entry>
    <id>{BASE}/technik/rohre-biegen/</id>
    <title>Rohre biegen</title>
    <updated>2026-01-05T10:00:00+01:00</updated>
    <link href="{BASE}/technik/rohre-biegen/" rel="alternate"/>
    <content type="html">&lt;p&gt;&lt;img src="{BASE}/og.png" alt=""&gt;&lt;/p&gt;</content>
  </entry>
</feed>
"""
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201a5d6e0a50000000049454e44ae426082"
)


def write_site(
    root: Path,
    *,
    home: str | None = None,
    article: str | None = None,
    css: str | None = None,
    feed: str | None = None,
    files: dict[str, str | bytes] | None = None,
) -> Site:
    """The hand-written site: home, one article, sitemap, feed, stylesheet, OG image."""
    out = root / "output"
    if out.exists():
        shutil.rmtree(out)
    content = {
        "index.html": home
        or page_html("Testmagazin", '<p><a href="/technik/rohre-biegen/">Rohre biegen</a></p>'),
        "technik/rohre-biegen/index.html": article
        or page_html(
            "Rohre biegen",
            '<p id="abschnitt">Text über <a href="/#inhalt">Edelstahl</a>.</p>',
            og_type="article",
            jsonld=ARTICLE_LD,
            url="/technik/rohre-biegen/",
        ),
        "s.css": css
        or "body { color: #1a1a1a; background: #fff; font: 16px/1.5 sans-serif; }\n"
        "a { color: #0b3d6b; } a:focus-visible { outline: 3px solid #0b3d6b; }\n",
        "feeds/all.atom.xml": feed or FEED,
        "og.png": PNG,
        "intranet/teaser.html": f'<section lang="de"><h2>Aktuelles</h2>'
        f'<p><a href="{BASE}/technik/rohre-biegen/">Rohre biegen</a></p></section>\n',  # a fragment
        "sitemap.xml": '<?xml version="1.0" encoding="utf-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{BASE}/</loc></url><url><loc>{BASE}/technik/rohre-biegen/</loc></url></urlset>\n",
        **(files or {}),
    }
    for rel, data in content.items():
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            target.write_bytes(data)
        else:
            target.write_text(data, encoding="utf-8")
    # audited under our settings: the frame origins the security gate accepts are those of the
    # embed providers our plugins register
    return Site(out, BASE, settings=read_magazine_settings(SETTINGS))


@pytest.mark.parametrize("module", [html, links, feeds, security, structured], ids=lambda m: m.__name__)
def test_handwritten_site_passes(tmp_path, module):
    """The control: the defects below are the only reason the gates fail."""
    result = gate(module.run, write_site(tmp_path))
    assert result.ok, messages(result)


def test_html_gate_fails_on_invalid_html(tmp_path):
    article = page_html("Kaputt", "<ul><div>kein Listenelement</div></ul>", url="/technik/rohre-biegen/")
    fragment = "<section><p>Absatz <p><li>Listenpunkt ohne Liste</li></section>\n"
    site = write_site(tmp_path, article=article, files={"intranet/teaser.html": fragment})
    result = gate(html.run, site)
    assert any(
        p.where.startswith("/technik/rohre-biegen/:") and "“div” not allowed" in p.message
        for p in result.problems
    ), messages(result)
    assert any(
        p.where == "/intranet/teaser.html:1" and "“li” not allowed" in p.message for p in result.problems
    ), messages(result)


def test_links_gate_fails_on_broken_link_anchor_image_and_css(tmp_path):
    body = (
        '<p><a href="/gibt-es-nicht/">weg</a> <a href="/technik/rohre-biegen/#fehlt">Anker</a> '
        '<a href="#auch-weg">hier</a> <img src="bilder/fehlt.png" alt="fehlt"></p>'
    )
    site = write_site(
        tmp_path, home=page_html("Start", body), css="body { background: url(../bilder/hintergrund.png); }"
    )
    result = gate(links.run, site)
    text = messages(result)
    assert "/: Ziel fehlt: /gibt-es-nicht/" in text
    assert "Anker #fehlt fehlt in /technik/rohre-biegen/" in text
    assert "Anker #auch-weg fehlt in /" in text
    assert "Ziel fehlt: bilder/fehlt.png" in text
    assert "/s.css: Ziel fehlt: ../bilder/hintergrund.png" in text


@pytest.mark.parametrize(
    ("feed", "expected"),
    [
        (
            FEED.replace(
                f'<link href="{BASE}/technik/rohre-biegen/" rel="alternate"/>',
                '<link href="/technik/rohre-biegen/" rel="alternate"/>',
            ),
            "Link nicht absolut",
        ),
        (FEED.replace(f'src="{BASE}/og.png"', 'src="/og.png"'), "relative URL im Inhalt: '/og.png'"),
        (
            FEED.replace("<title>Rohre biegen</title>", "<title>Rohre schweißen</title>"),
            "≠ Seite „Rohre biegen“",
        ),
        (
            FEED.replace("</entry>", "</entry>" + FEED[FEED.index("<entry>") : FEED.index("</entry>") + 8]),
            "doppelte id",
        ),
        (FEED.replace("</feed>", ""), "nicht wohlgeformt"),
        (FEED[: FEED.index("<entry>")] + "</feed>\n", "Artikel fehlt im Feed: /technik/rohre-biegen/"),
    ],
    ids=["relative-link", "relative-content", "title", "duplicate-id", "malformed", "missing-article"],
)
def test_feeds_gate_fails(tmp_path, feed, expected):
    result = gate(feeds.run, write_site(tmp_path, feed=feed))
    assert expected in messages(result), messages(result)


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"body": "<script>alert(1)</script>"}, "Inline-Skript"),
        ({"body": '<p style="color:red">rot</p>'}, "style-Attribut an <p>"),
        ({"body": '<button type="button" onclick="go()">Los</button>'}, "Event-Handler onclick="),
        (
            {"head": '<script src="https://cdn.example.com/lib.js"></script>\n'},
            "externes Skript ohne Subresource",
        ),
        (
            {"csp": CSP.replace("youtube-nocookie.com", "youtube.com")},
            "frame-src erlaubt https://www.youtube.com",
        ),
        (
            {"csp": CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")},
            "script-src erlaubt 'unsafe-inline'",
        ),
    ],
    ids=["inline-script", "style-attr", "handler", "no-sri", "frame-src", "unsafe-inline"],
)
def test_security_gate_fails(tmp_path, kwargs, expected):
    result = gate(security.run, write_site(tmp_path, home=page_html("Start", **kwargs)))
    assert expected in messages(result), messages(result)


def test_security_gate_wants_csp_first_and_a_referrer_policy(tmp_path):
    late = page_html("Start").replace(
        '<meta name="referrer" content="strict-origin-when-cross-origin">\n', ""
    )
    csp_line = late[late.index("<meta http-equiv") : late.index(">", late.index("<meta http-equiv")) + 2]
    late = late.replace(csp_line, "").replace("</head>", csp_line + "</head>")
    result = gate(security.run, write_site(tmp_path, home=late))
    text = messages(result)
    assert "CSP-<meta> steht nicht am Anfang von <head>" in text
    assert "keine Referrer-Policy" in text


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda ld: ld.pop("headline"), "BlogPosting ohne Pflichtangabe 'headline'"),
        (lambda ld: ld.update(image="/og.png"), "image ist keine absolute URL"),
        (lambda ld: ld.update({"@type": "Blogposting"}), "unbekannter @type 'Blogposting'"),
    ],
    ids=["missing-headline", "relative-image", "unknown-type"],
)
def test_structured_data_gate_fails(tmp_path, change, expected):
    ld = json.loads(json.dumps(ARTICLE_LD))
    change(ld)
    article = page_html("Rohre biegen", og_type="article", jsonld=ld, url="/technik/rohre-biegen/")
    result = gate(structured.run, write_site(tmp_path, article=article))
    assert expected in messages(result), messages(result)


def test_structured_data_gate_fails_on_broken_json_and_open_graph(tmp_path):
    home = page_html("Start").replace(f'content="{BASE}/og.png"', 'content="/og.png"')
    home = home.replace('<script type="application/ld+json">{', '<script type="application/ld+json">{,')
    result = gate(structured.run, write_site(tmp_path, home=home))
    text = messages(result)
    assert "kein gültiges JSON" in text
    assert "og:image ist keine absolute URL" in text


# -- PDF -------------------------------------------------------------------------------------


def untagged_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def test_pdf_gate_fails_on_untagged_pdf(tmp_path):
    pytest.importorskip("pypdf")
    site = write_site(tmp_path, files={"social-media/broschuere.pdf": untagged_pdf()})
    result = gate(pdf.run, site)
    text = messages(result)
    for expected in (
        "nicht getaggt: /MarkInfo",
        "/StructTreeRoot fehlt",
        "(/Lang) fehlt",
        "Dokumenttitel fehlt",
        "DisplayDocTitle",
        "kein extrahierbarer Text",
    ):
        assert "/social-media/broschuere.pdf: " in text and expected in text, text


def test_pdf_gate_passes_a_tagged_pdf(tmp_path):
    weasyprint = pytest.importorskip("weasyprint")
    doc = weasyprint.HTML(
        string='<html lang="de"><head><title>Unsere Kanäle</title></head><body>'
        "<h1>Unsere Kanäle</h1><p>YouTube, LinkedIn und das Magazin.</p></body></html>"
    )
    site = write_site(tmp_path, files={"social-media/broschuere.pdf": doc.write_pdf(pdf_variant="pdf/ua-1")})
    result = gate(pdf.run, site)
    assert result.checked == 1
    assert result.ok, messages(result)


# -- browser gates ---------------------------------------------------------------------------


@pytest.mark.browser
def test_handwritten_site_passes_browser_gates(tmp_path, browser):
    site = write_site(tmp_path)
    for module in (a11y, privacy):
        result = gate(module.run, site, browser)
        assert result.ok, f"{module.NAME}:\n{messages(result)}"


@pytest.mark.browser
def test_accessibility_gate_fails_on_low_contrast(tmp_path, browser):
    site = write_site(tmp_path, css="body { color: #bbb; background: #fff; }\n")
    result = gate(a11y.run, site, browser, schemes=("light",))
    assert "color-contrast (serious)" in messages(result), messages(result)


@pytest.mark.browser
def test_accessibility_gate_fails_when_consent_is_not_keyboard_reachable(tmp_path, browser):
    embed = (
        '<div class="embed-consent" data-embed="youtube"><p>Video von YouTube</p>'
        '<span role="button" class="embed-consent__load">Video laden</span></div>'
    )
    article = page_html(
        "Rohre biegen", embed, og_type="article", jsonld=ARTICLE_LD, url="/technik/rohre-biegen/"
    )
    result = gate(a11y.run, write_site(tmp_path, article=article), browser, schemes=("light",))
    assert "per Tabulator nicht erreichbar" in messages(result), messages(result)


CONSENT_JS = """document.querySelectorAll('[data-embed] button').forEach(function (button) {
  button.addEventListener('click', function () {
    var frame = document.createElement('iframe');
    frame.src = 'https://www.youtube-nocookie.com/embed/abc123';
    frame.title = 'Montagevideo';
    button.closest('[data-embed]').replaceChildren(frame);
  });
});
"""


@pytest.mark.browser
def test_accessibility_gate_keyboard_walkthrough_passes_a_working_consent(tmp_path, browser):
    embed = (
        '<div class="embed-consent" data-embed="youtube"><p>Video von YouTube</p>'
        '<button type="button">Video laden</button></div>'
    )
    article = page_html(
        "Rohre biegen",
        embed,
        head='<script src="/consent.js" defer></script>\n',
        og_type="article",
        jsonld=ARTICLE_LD,
        url="/technik/rohre-biegen/",
    )
    site = write_site(tmp_path, article=article, files={"consent.js": CONSENT_JS})
    result = gate(a11y.run, site, browser, schemes=("light",))
    assert result.ok, messages(result)
    assert result.notes == ["Tastatur: „Video laden“ auf /technik/rohre-biegen/ erreicht, Enter gedrückt"]


@pytest.mark.browser
def test_accessibility_gate_fails_when_enter_loads_no_player(tmp_path, browser):
    embed = (
        '<div class="embed-consent" data-embed="youtube"><p>Video von YouTube</p>'
        '<button type="button">Video laden</button></div>'
    )
    article = page_html(
        "Rohre biegen", embed, og_type="article", jsonld=ARTICLE_LD, url="/technik/rohre-biegen/"
    )
    result = gate(a11y.run, write_site(tmp_path, article=article), browser, schemes=("light",))
    assert "lädt keinen Player" in messages(result), messages(result)


@pytest.mark.browser
def test_privacy_gate_fails_on_youtube_iframe_and_storage(tmp_path, browser):
    body = (
        '<iframe src="https://www.youtube.com/embed/abc123" title="Montagevideo"></iframe>'
        '<img src="https://i.ytimg.com/vi/abc123/hqdefault.jpg" alt="Vorschau" loading="lazy">'
    )
    head = '<script src="/merken.js" defer></script>\n'
    article = page_html(
        "Rohre biegen", body, head=head, og_type="article", jsonld=ARTICLE_LD, url="/technik/rohre-biegen/"
    )
    files = {"merken.js": "localStorage.setItem('gesehen', '1'); document.cookie = 'besuch=1; path=/';\n"}
    result = gate(privacy.run, write_site(tmp_path, article=article, files=files), browser)
    text = messages(result)
    # Our CSP stops the iframe's request; the gate still sees the iframe and the violation.
    assert (
        "/technik/rohre-biegen/: Einbettung von fremdem Host ohne Klick: https://www.youtube.com/embed/abc123"
        in text
    )
    assert "violates the following Content Security Policy directive" in text
    assert "Anfrage an fremden Host vor einem Klick: https://i.ytimg.com/vi/abc123/hqdefault.jpg" in text
    assert "localStorage beschrieben: gesehen" in text
    assert "Cookies gesetzt: besuch" in text


@pytest.mark.browser
def test_privacy_gate_records_the_request_when_the_policy_lets_it_through(tmp_path, browser):
    body = '<iframe src="https://www.youtube.com/embed/abc123" title="Montagevideo"></iframe>'
    article = page_html(
        "Rohre biegen",
        body,
        og_type="article",
        jsonld=ARTICLE_LD,
        url="/technik/rohre-biegen/",
        csp=CSP.replace("youtube-nocookie.com", "youtube.com"),
    )
    result = gate(privacy.run, write_site(tmp_path, article=article), browser)
    assert "Anfrage an fremden Host vor einem Klick: https://www.youtube.com/embed/abc123" in messages(result)
