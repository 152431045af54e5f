"""Moving in from WordPress: `invoke import-wordpress` on our own WXR fixtures, then the built site.

Fixture: tests/fixtures/wordpress/heco-blog.xml (sources in SOURCES.md there), imported into a
copy of tests/fixtures/wordpress/site/; images from a generated `wp-content/uploads` copy or
from a loopback HTTP server.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

import pytest
import yaml
from PIL import Image
from posts_helpers import RecordedServer, png_bytes

from conftest import FIXTURES, PUBLISH_SETTINGS, ROOT, build_site, page, soup
from magazin.wordpress.convert import Converter, ImageTarget
from magazin.wordpress.fetch import fetch_bytes
from magazin.wordpress.importer import import_wordpress
from magazin.wordpress.wxr import WordPressError

WP = FIXTURES / "wordpress"
EXPORT = WP / "heco-blog.xml"
FILES_HOST = "https://hecogmbh.files.wordpress.com"
OPTIONS = {"department": "it", "author": "Martin Edelmann"}
PDF = b"%PDF-1.4\n% Datenblatt 1.4404 (Testdatei)\n%%EOF\n"


def make_uploads(folder: Path) -> Path:
    """A local copy of wp-content/uploads for the fixture (verloren.jpg is missing on purpose)."""
    (folder / "2013/05").mkdir(parents=True)
    (folder / "2019/03").mkdir(parents=True)
    Image.new("RGB", (2400, 1600), "#557799").save(folder / "2013/05/social-media-gruppe.jpg", quality=95)
    Image.new("RGB", (800, 533), "#998877").save(folder / "2019/03/orbitalnaht.jpg")
    Image.new("RGB", (640, 480), "#446655").save(folder / "2019/03/pruefstand-1.jpg")
    Image.new("RGBA", (640, 480), "#AA4455").save(folder / "2019/03/pruefstand-2.png")
    (folder / "2019/03/datenblatt-1.4404.pdf").write_bytes(PDF)
    return folder


def snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def no_network(url: str) -> bytes:
    raise AssertionError(f"--uploads must never touch the network, but fetched {url}")


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """The fixture export imported with --uploads (no network) and the site built once."""
    root = tmp_path_factory.mktemp("wp")
    shutil.copytree(WP / "site", root / "site")
    content = root / "site" / "content"
    uploads = make_uploads(root / "uploads")
    report = import_wordpress(EXPORT, content, uploads=uploads, fetch=no_network, **OPTIONS)
    output = root / "output"
    build = build_site(content, output)
    return {"content": content, "report": report, "output": output, "uploads": uploads, "build": build}


def md(imported, rel: str) -> str:
    return (imported["content"] / rel).read_text(encoding="utf-8")


# ---- the Markdown ---------------------------------------------------------------------------------


def test_classic_post_markdown(imported):
    text = md(imported, "articles/it/heco-social-media-wer-wie-warum.md")
    header, body = text.split("\n\n", 1)
    meta = dict(line.split(": ", 1) for line in header.splitlines())
    assert meta["Title"] == "heco & Social Media – Wer? Wie? Warum?"
    assert meta["Date"] == "2013-05-14 11:00"  # 09:00:31 UTC is 11:00 in Berlin (summer time)
    assert meta["Author"] == "Martin Edelmann" and meta["Tags"] == "Offspring, YouTube"
    assert meta["Status"] == "Freigegeben"
    assert meta["Freigabe-Abteilung"] == meta["Freigabe-Datenschutz"] == "WordPress-Altbestand, 2013-05-14"
    assert meta["WordPress-ID"] == "100"
    assert (
        meta["WordPress-URL"] == "https://hecogmbh.wordpress.com/2013/05/14/heco-social-media-wer-wie-warum/"
    )
    assert meta["Summary"].startswith("Mit diesem Beitrag möchten wir vorstellen")
    # wpautop paragraphs, the line break kept, [caption] → image + caption, alt from the attachment
    assert body.startswith("Mit diesem Beitrag möchten wir vorstellen")
    assert "**Warum sind Mitglieder aus verschiedenen Abteilungen in dieser Gruppe?**  \nDer Grund" in body
    assert (
        "![Sechzehn Mitglieder der Social Media Gruppe vor dem Lager]"
        "({static}/images/it/social-media-gruppe.jpg)"
        "\n\n*Social Media Gruppe*"
    ) in body
    lines = body.splitlines()
    # URL alone on its line → our own pasted-URL line; a cached tweet → its URL (a card)
    assert "https://www.youtube.com/watch?v=hK3pF7wQx2M" in lines
    assert "https://twitter.com/hecogmbh/status/1983119570422136832" in lines
    # a tweet that is not cached stays a quote with its text and link
    assert "> Neuer Blogbeitrag: Wer steckt hinter unseren Kanälen? https://t.co/abc123" in lines
    assert (
        "> — [Beitrag von heco gmbh (@hecogmbh) auf X](https://twitter.com/hecogmbh/status/334567890123456789)"
        in lines
    )
    assert "<script" not in body and "widgets.js" not in body
    # comments never land in git
    assert "Untertitel" not in body and "Billige Uhren" not in body


def test_block_editor_post_markdown(imported):
    body = md(imported, "articles/technik/orbitalschweissen-saubere-naht.md").split("\n\n", 1)[1]
    lines = body.splitlines()
    assert "*Formiergas*" in body and "<!--" not in body and "wp:" not in body
    # the 1024px copy is replaced by the original upload, alt from the attachment
    assert (
        "![Gleichmäßige Orbitalnaht an einem Edelstahlrohr]({static}/images/technik/orbitalnaht.jpg)" in lines
    )
    assert "*Eine gleichmäßige Naht ohne Anlauffarben*" in lines
    assert "## Das Video zur Montage" in lines
    assert "https://www.youtube.com/watch?v=Lb7nQ2vR9sA" in lines  # wp:embed block
    assert "https://www.youtube.com/watch?v=hK3pF7wQx2M" in lines  # old wp:core-embed/youtube block
    assert "> Eine gute Naht sieht man nicht – man misst sie." in lines
    assert "| Werkstoff | Formiergas |" in lines and "| 1.4571 | Formiergas 95/5 |" in lines
    assert "- Formieren bis Restsauerstoff &lt; 20 ppm" in lines
    assert "> — [Beitrag auf X](https://twitter.com/hecogmbh/status/1100000000000000001)" in lines
    # links to the old blog: imported posts → {filename}, archives → new archives, uploads → local files
    assert (
        "Mehr dazu im [Beitrag über die Social Media Gruppe]"
        "({filename}/articles/it/heco-social-media-wer-wie-warum.md), "
        "im [Prüfstand-Beitrag]({filename}/articles/qualitaetssicherung/ueber-pruefstaende-druckproben.md), "
        "in der Kategorie [Technik](/technik/) und im "
        "[Datenblatt 1.4404 (PDF)]({static}/downloads/technik/datenblatt-1-4404.pdf). "
        "Die [interne Notiz](https://hecogmbh.wordpress.com/2021/07/01/interne-notiz/) bleibt intern."
    ) in lines
    assert (
        "articles/technik/orbitalschweissen-saubere-naht.md: Link auf den alten Blog "
        "https://hecogmbh.wordpress.com/2021/07/01/interne-notiz/ führt zu nichts Übernommenem"
    ) in imported["report"].text()


def test_shortcodes_gallery_umlauts_and_emoji(imported):
    path = imported["content"] / "articles/qualitaetssicherung/ueber-pruefstaende-druckproben.md"
    text = path.read_text(encoding="utf-8")
    # the emoji goes from the title (the brochure's fonts have none) and is reported; the slug is German
    assert text.startswith("Title: Über Prüfstände & Druckproben\nSlug: ueber-pruefstaende-druckproben\n")
    assert "Emoji aus dem Titel „Über Prüfstände & Druckproben 🚀“ entfernt" in imported["report"].text()
    lines = text.splitlines()
    # [gallery ids=…] → a picture grid (columns="3" with two pictures: two columns); the upload
    # missing from --uploads stays a link after it
    assert (
        '<div class="galerie galerie--2">\n'
        '<figure class="galerie__bild"><img src="{static}/images/qualitaetssicherung/pruefstand-1.jpg" '
        'alt="Prüfstand mit eingespanntem Rohrbogen"></figure>\n'
        '<figure class="galerie__bild"><img src="{static}/images/qualitaetssicherung/pruefstand-2.png" '
        'alt="Messprotokoll der Druckprüfung"></figure>\n</div>'
    ) in text
    assert f"[Bild (nicht übernommen)]({FILES_HOST}/2019/03/verloren.jpg)" in lines
    assert lines.count("https://www.youtube.com/watch?v=Lb7nQ2vR9sA") == 1  # [embed]…[/embed]
    assert lines.count("https://www.youtube.com/watch?v=hK3pF7wQx2M") == 1  # [youtube … &w=640]
    assert "> — [Beitrag auf X](https://twitter.com/hecogmbh/status/1100000000000000002)" in lines  # [tweet]
    assert "> — [Beitrag auf X](https://x.com/hecogmbh/status/1100000000000000003)" in lines  # bare URL
    assert "> — [Beitrag auf Mastodon](https://social.example/@heco/115600000000000009)" in lines  # iframe
    assert "iframe" not in text and "embed.js" not in text


def test_hostile_markup_is_dropped_and_listed(imported):
    text = md(imported, "articles/it/gewinnspiel.md")
    body = text.split("\n\n", 1)[1]
    for bad in (
        "<script",
        "onclick",
        "onerror",
        "onmouseover",
        "javascript:",
        "style=",
        "<iframe",
        "<object",
        "<form",
        "<style",
        "document.cookie",
    ):
        assert bad not in body, bad
    assert (
        "Mitmachen und gewinnen!" in body
        and "Hier klicken oder [Kontakt](https://heco.example/kontakt)." in body
    )
    # text that looked like markup stays text (escaped for Markdown)
    assert 'Text mit &lt;script>alert("nur Text")&lt;/script>' in body
    # a foreign iframe and a remote image become plain links, never loaded
    assert "[Eingebetteter Inhalt von evil.example](https://evil.example/tracker.html)" in body
    assert "[Bild: Zählpixel](https://tracker.example/pixel.gif)" in body
    removed = "\n".join(imported["report"].removed)
    for listed in (
        "<script> entfernt",
        "iframe von evil.example",
        "onclick",
        "onerror",
        "javascript:",
        "<object>",
        "<form>",
    ):
        assert listed in removed, listed
    # inline styles are not unsafe: one grouped note that the magazine's own look applies
    assert "1 Beiträge/Seiten mit Inline-Stilen (style=…" in imported["report"].text()


def test_drafts_private_pages_and_report(imported):
    content, report = imported["content"], imported["report"]
    draft = (content / "articles/technik/entwurf-neue-flanschnormen.md").read_text(encoding="utf-8")
    assert "Status: Entwurf" in draft and "Freigabe-" not in draft
    assert not list(content.rglob("interne-notiz*.md"))  # private post
    assert "Nur für Mitarbeitende" not in "".join(p.read_text() for p in content.rglob("*.md"))
    about = (content / "pages/about.md").read_text(encoding="utf-8")
    assert about.startswith("Title: Über uns\nSlug: about\n") and "WordPress-ID: 2" in about
    text = report.text()
    assert "Beiträge: 5, Seiten: 1, davon Entwürfe: 1." in text
    assert "„Interne Notiz zur Inventur“ (WordPress-ID 600): privat – nicht übernommen." in text
    assert "„Kontakt (neu, unfertig)“ (WordPress-ID 3): Seite im Status „draft“ – nicht übernommen" in text
    assert not (content / "pages/kontakt.md").exists()
    assert "Einbettungen umgewandelt: Mastodon 1, X 5, YouTube 5." in text
    assert "invoke fetch-post --url https://x.com/hecogmbh/status/1100000000000000003" in text
    assert "invoke fetch-post --url https://social.example/@heco/115600000000000009" in text
    assert (
        "invoke fetch-post --url https://twitter.com/hecogmbh/status/1983119570422136832" not in text
    )  # cached
    assert "verloren.jpg: fehlt in" in text
    # posts without excerpt: one grouped note for all, nothing to do (the page shows the lead once)
    assert text.count("ohne Auszug") == 1 and "kein Auszug" not in text
    assert (
        "3 Beiträge ohne Auszug in WordPress:" in text
        and "  - articles/it/heco-social-media-wer-wie-warum.md\n" in text
    )
    # comments: two approved (one reply), spam, pingback and the unapproved one dropped; none in git
    assert "Kommentare: 2 freigegebene gefunden, 3 verworfen" in text
    everything = "".join(
        p.read_text(encoding="utf-8", errors="ignore") for p in content.rglob("*") if p.is_file()
    )
    assert "Petra Kunde" not in everything and "192.0.2.15" not in everything


def test_images_downscaled_for_the_checks(imported):
    with Image.open(imported["content"] / "images/it/social-media-gruppe.jpg") as image:
        assert image.width == 1600 and image.height == 1067  # 2400×1600 original
    with Image.open(imported["content"] / "images/technik/orbitalnaht.jpg") as image:
        assert image.size == (800, 533)  # small images are copied as they are
    assert (imported["content"] / "images/technik/orbitalnaht.jpg").read_bytes() == (
        imported["uploads"] / "2019/03/orbitalnaht.jpg"
    ).read_bytes()


def test_mapping_draft_with_german_comments(imported):
    text = md(imported, "data/wordpress.yml")
    assert text.startswith("# Zuordnung für „invoke import-wordpress“")
    data = yaml.safe_load(text)
    assert data["kategorien"] == {
        "allgemein": "it",
        "qualitätssicherung": "qualitaetssicherung",
        "social-media": "it",
        "technik": "technik",
    }
    assert data["autoren"] == {"hecosocialmedia": "Martin Edelmann", "jweiss": "Jürgen Weiß"}
    assert data["altbestand_freigegeben"] is True
    assert "# „Social Media“, 1 Beitrag/Beiträge" in text


def test_imported_content_passes_the_authors_checks(imported):
    result = subprocess.run(
        [sys.executable, "-m", "invoke", "check", "--content", str(imported["content"])],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    status = subprocess.run(
        [sys.executable, "-m", "invoke", "status", "--content", str(imported["content"])],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout
    row = next(line for line in status.splitlines() if line.startswith("Orbitalschweißen"))
    assert "Freigegeben (WordPress-Altbestand)" in row and row.rstrip().endswith("—")
    assert "Entwurf (aus WordPress)" in status


# ---- the built site -------------------------------------------------------------------------------


def test_articles_and_pages_at_new_urls(imported):
    out = imported["output"]
    doc = page(out, "/technik/orbitalschweissen-saubere-naht/")
    assert doc.h1.get_text(strip=True) == "Orbitalschweißen: So entsteht eine saubere Naht"
    links = {a.get_text(): a["href"] for a in doc.select(".article__body a")}
    assert links["Beitrag über die Social Media Gruppe"] == "/it/heco-social-media-wer-wie-warum/"
    assert links["Prüfstand-Beitrag"] == "/qualitaetssicherung/ueber-pruefstaende-druckproben/"
    assert links["Datenblatt 1.4404 (PDF)"] == "/downloads/technik/datenblatt-1-4404.pdf"
    assert (out / "downloads/technik/datenblatt-1-4404.pdf").read_bytes() == PDF
    assert doc.select_one("table th").get_text() == "Werkstoff"
    assert page(out, "/about/").h1.get_text(strip=True) == "Über uns"
    classic = page(out, "/it/heco-social-media-wer-wie-warum/")
    strong = classic.find("strong", string=re.compile("Warum sind Mitglieder"))
    assert strong.find_next_sibling().name == "br" and "\\" not in strong.parent.get_text()
    doc = page(out, "/qualitaetssicherung/ueber-pruefstaende-druckproben/")
    assert doc.h1.get_text(strip=True) == "Über Prüfstände & Druckproben"
    alts = [img.get("alt") for img in doc.select(".article__body img")]
    assert "Prüfstand mit eingespanntem Rohrbogen" in alts and "Messprotokoll der Druckprüfung" in alts


def test_videos_are_private_blocks_and_posts_cards(imported):
    doc = page(imported["output"], "/it/heco-social-media-wer-wie-warum/")
    video = doc.select_one("figure.consent--youtube")
    assert video is not None and video["data-consent-src"].startswith(
        "https://www.youtube-nocookie.com/embed/"
    )
    assert doc.find("iframe") is None
    card = doc.select_one('[data-consent="x"]')  # the cached tweet is a card
    assert card is not None and "Social Media Night" in card.get_text()
    quote = doc.select(".article__body blockquote")[-1]
    assert "Wer steckt hinter unseren Kanälen?" in quote.get_text()
    assert quote.a["href"] == "https://twitter.com/hecogmbh/status/334567890123456789"


def test_nothing_unsafe_in_the_output(imported):
    out = imported["output"]
    for html in out.rglob("*.html"):
        doc = soup(html)
        for script in doc.find_all("script"):
            assert script.get("src", "").startswith("/") or script.get("type") == "application/ld+json", html
        for tag in doc.find_all(True):
            assert not any(a.lower().startswith("on") for a in tag.attrs), (html, tag.name)
            assert "style" not in tag.attrs or html.name == "signatur.html", (html, tag.name)
        for link in doc.find_all("a", href=True):
            assert not link["href"].lower().startswith(("javascript:", "data:")), html
        for img in doc.find_all(["img", "source"]):
            for value in (img.get("src", ""), img.get("srcset", "")):
                assert "://" not in value, (html, value)  # never a remote image
        assert doc.find("iframe") is None and doc.find("object") is None, html
    article = (out / "it/gewinnspiel/index.html").read_text(encoding="utf-8")
    assert "evil.example/?c=" not in article and "document.cookie" not in article
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in article  # the title is escaped text


def test_imported_site_passes_the_publish_build(imported, tmp_path):
    """Offline, strict (every warning fails): uncached tweets stay quotes, legacy posts are cleared."""
    report = build_site(imported["content"], tmp_path / "output", PUBLISH_SETTINGS)
    assert report.warnings == []
    out = tmp_path / "output"
    assert (out / "technik/orbitalschweissen-saubere-naht/index.html").is_file()
    assert not (out / "entwuerfe").exists() and not (out / "technik/entwurf-neue-flanschnormen").exists()
    assert "301" in (out / "_redirects").read_text(encoding="utf-8")


def _target_file(out: Path, url: str) -> Path:
    rel = unquote(url).lstrip("/")
    return out / rel if rel.endswith((".xml", ".html")) else out / rel / "index.html"


def test_every_old_address_resolves(imported):
    out, content = imported["output"], imported["content"]
    records = yaml.safe_load((content / "data/wordpress-adressen.yml").read_text(encoding="utf-8"))
    assert records["quelle"] == "https://hecogmbh.wordpress.com"
    olds = [r["alt"] for r in records["adressen"]]
    for expected in (
        "/2013/05/14/heco-social-media-wer-wie-warum/",
        "/?p=200",
        "/?page_id=2",
        "/2019/03/18/über-prüfstände-druckproben-🚀/",
        "/category/technik/",
        "/category/social-media/",
        "/tag/schweißen/",
        "/feed/",
        "/2019/03/04/orbitalschweissen-saubere-naht/feed/",
    ):
        assert expected in olds, expected
    assert "/2021/07/01/interne-notiz/" not in olds and "/?p=500" not in olds  # private, draft
    redirects = (out / "_redirects").read_text(encoding="utf-8")
    rules = {}
    for line in redirects.splitlines():
        if line and not line.startswith("#"):
            parts = line.split()
            rules[" ".join(parts[:-2])] = parts[-2]
            assert parts[-1] == "301"
    nginx = (out / "_redirects.nginx.conf").read_text(encoding="utf-8")
    nginx_map = dict(re.findall(r'^\s+"(/[^"]*)" "([^"]+)";$', nginx, re.M))
    for old in olds:
        if "?" in old:
            path, query = old.split("?")
            target = rules[f"{path} {query}"]
        else:
            encoded = re.sub(r"[^\x21-\x7e]", lambda m: "".join(f"%{b:02X}" for b in m.group().encode()), old)
            target = rules[encoded]
            # the static redirect page at the old path: meta refresh + canonical, no script
            doc = soup(out / old.lstrip("/") / "index.html")
            assert doc.find("meta", attrs={"http-equiv": "refresh"})["content"] == f"0; url={target}"
            assert doc.find("link", rel="canonical")["href"] == f"http://127.0.0.1:8000{target}"
            assert doc.find("script") is None and doc.main.a["href"] == target
        assert nginx_map[old] == unquote(target)
        assert _target_file(out, target).is_file(), (old, target)
    assert rules["/ p=100"] == "/it/heco-social-media-wer-wie-warum/"
    assert rules["/category/technik/feed/"] == "/feeds/technik.atom.xml"
    assert rules["/tag/schwei%C3%9Fen/"] == "/themen/schweissen/"
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    for old_path in ("/2013/05/14/", "/2019/03/18/", "/category/", "/tag/", "/feed/", "_redirects"):
        assert old_path not in sitemap, old_path  # also the percent-encoded umlaut/emoji paths
    assert "/technik/orbitalschweissen-saubere-naht/" in sitemap


# ---- re-runs ----------------------------------------------------------------------------------------


def test_second_run_changes_nothing_and_edits_survive(imported, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(imported["content"], content)
    before = snapshot(content)
    again = import_wordpress(EXPORT, content, uploads=imported["uploads"], fetch=no_network, **OPTIONS)
    assert snapshot(content) == before
    assert again.written == [] and len(again.unchanged) == 6 and again.images == []
    # an editor improves an article: the next import keeps it, --force replaces it
    article = content / "articles/technik/orbitalschweissen-saubere-naht.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nNachtrag der Redaktion.\n", encoding="utf-8")
    kept = import_wordpress(EXPORT, content, uploads=imported["uploads"], **OPTIONS)
    assert "Nachtrag der Redaktion." in article.read_text(encoding="utf-8")
    assert kept.kept == [
        "articles/technik/orbitalschweissen-saubere-naht.md (seit dem letzten Import bearbeitet)"
    ]
    assert "mit --force überschreiben" in kept.text()
    forced = import_wordpress(EXPORT, content, uploads=imported["uploads"], force=True, **OPTIONS)
    assert "Nachtrag der Redaktion." not in article.read_text(encoding="utf-8")
    assert forced.written == ["articles/technik/orbitalschweissen-saubere-naht.md"]
    assert snapshot(content) == before
    # a redirect an editor adds by hand (e.g. for a post that was private) survives the next import
    addresses = content / "data/wordpress-adressen.yml"
    addresses.write_text(
        addresses.read_text(encoding="utf-8") + "- alt: /2021/07/01/interne-notiz/\n  ziel: /impressum/\n",
        encoding="utf-8",
    )
    import_wordpress(EXPORT, content, uploads=imported["uploads"], **OPTIONS)
    records = yaml.safe_load(addresses.read_text(encoding="utf-8"))["adressen"]
    assert {"alt": "/2021/07/01/interne-notiz/", "ziel": "/impressum/"} in records


def test_changed_mapping_moves_the_article_and_its_redirects(imported, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(imported["content"], content)
    mapping = content / "data/wordpress.yml"
    mapping.write_text(
        mapping.read_text(encoding="utf-8").replace("  technik: technik", "  technik: qualitaetssicherung"),
        encoding="utf-8",
    )
    report = import_wordpress(EXPORT, content, uploads=imported["uploads"], **OPTIONS)
    assert not (content / "articles/technik/orbitalschweissen-saubere-naht.md").exists()
    assert (content / "articles/qualitaetssicherung/orbitalschweissen-saubere-naht.md").is_file()
    assert sorted(report.moved) == [
        "articles/technik/entwurf-neue-flanschnormen.md → "
        "articles/qualitaetssicherung/entwurf-neue-flanschnormen.md",
        "articles/technik/orbitalschweissen-saubere-naht.md → "
        "articles/qualitaetssicherung/orbitalschweissen-saubere-naht.md",
    ]
    assert not list((content / "articles/technik").glob("*.md"))
    records = yaml.safe_load((content / "data/wordpress-adressen.yml").read_text(encoding="utf-8"))
    targets = {r["alt"]: r for r in records["adressen"]}
    assert targets["/?p=200"] == {"alt": "/?p=200", "beitrag": "200"}  # resolved by the build
    assert targets["/category/technik/"] == {"alt": "/category/technik/", "abteilung": "qualitaetssicherung"}
    state = yaml.safe_load((content / "data/wordpress-import.yml").read_text(encoding="utf-8"))
    assert "articles/technik/orbitalschweissen-saubere-naht.md" not in state["dateien"]


def test_dry_run_writes_nothing(tmp_path):
    shutil.copytree(WP / "site", tmp_path / "site")
    content = tmp_path / "site" / "content"
    (content / "media/youtube/Lb7nQ2vR9sA.jpg").unlink()  # a video whose poster is not cached yet
    before = snapshot(content)
    report = import_wordpress(EXPORT, content, dry_run=True, fetch=no_network, **OPTIONS)
    assert snapshot(content) == before
    text = report.text()
    assert text.startswith("Probelauf (--dry-run): es wurde nichts geschrieben.")
    assert "Bilder und Dateien zu holen: 6" in text and "Beiträge: 5, Seiten: 1" in text
    assert report.videos_without_poster == ["Lb7nQ2vR9sA"] and "„invoke fetch-media“ ausführen" in text


def test_legacy_posts_wait_for_data_protection_when_not_cleared(imported, tmp_path):
    shutil.copytree(WP / "site", tmp_path / "site")
    content = tmp_path / "site" / "content"
    mapping = md(imported, "data/wordpress.yml").replace(
        "altbestand_freigegeben: true", "altbestand_freigegeben: false"
    )
    (content / "data/wordpress.yml").write_text(mapping, encoding="utf-8")
    import_wordpress(EXPORT, content, uploads=imported["uploads"])  # the mapping names everyone
    text = (content / "articles/technik/orbitalschweissen-saubere-naht.md").read_text(encoding="utf-8")
    assert "Status: In Prüfung" in text and "Freigabe-Abteilung: WordPress-Altbestand, 2019-03-04" in text
    assert "Freigabe-Datenschutz" not in text
    from magazin.core.build import read_magazine_settings
    from magazin.editorial.status import status_rows

    rows = status_rows(read_magazine_settings(ROOT / "pelicanconf.py", {"PATH": str(content)}))
    row = next(r for r in rows if r.title.startswith("Orbitalschweißen"))
    assert row.state == "In Prüfung (Datenschutz) (aus WordPress)"
    assert row.waiting_for == "Datenschutzbeauftragte/r: Freigabe erteilen"


# ---- images over the network (loopback server) -------------------------------------------------------


def test_images_from_a_loopback_server_resumable(tmp_path):
    server = RecordedServer()
    try:
        for rel, color in (
            ("2013/05/social-media-gruppe.jpg", "#557799"),
            ("2019/03/orbitalnaht.jpg", "#998877"),
            ("2019/03/pruefstand-1.jpg", "#446655"),
            ("2019/03/pruefstand-2.png", "#aa4455"),
        ):
            server.routes[f"/{rel}"] = (200, {"Content-Type": "image/png"}, png_bytes(color, (320, 240)))
        server.routes["/2019/03/datenblatt-1.4404.pdf"] = (200, {"Content-Type": "application/pdf"}, PDF)
        export = tmp_path / "export.xml"
        export.write_text(
            EXPORT.read_text(encoding="utf-8").replace(FILES_HOST, server.base), encoding="utf-8"
        )
        shutil.copytree(WP / "site", tmp_path / "site")
        content = tmp_path / "site" / "content"
        progress: list[str] = []
        report = import_wordpress(export, content, fetch=fetch_bytes, progress=progress.append, **OPTIONS)
        assert sorted(report.images) == [
            "downloads/technik/datenblatt-1-4404.pdf",
            "images/it/social-media-gruppe.jpg",
            "images/qualitaetssicherung/pruefstand-1.jpg",
            "images/qualitaetssicherung/pruefstand-2.png",
            "images/technik/orbitalnaht.jpg",
        ]
        assert progress[0] == "Datei 1/6: downloads/technik/datenblatt-1-4404.pdf"
        assert (content / "downloads/technik/datenblatt-1-4404.pdf").read_bytes() == PDF
        assert (content / "images/technik/orbitalnaht.jpg").read_bytes() == png_bytes("#998877", (320, 240))
        fetched = sorted(path for path, _ in server.requests)
        assert "/2019/03/verloren.jpg" in fetched and "/2019/03/orbitalnaht.jpg" in fetched
        assert "verloren.jpg: nicht geladen (HTTP 404) – bleibt als Link." in report.text()
        # resumable: a second run asks only for what is still missing
        server.requests.clear()
        again = import_wordpress(export, content, fetch=fetch_bytes, **OPTIONS)
        assert [path for path, _ in server.requests] == ["/2019/03/verloren.jpg"]
        assert again.images_present == 5 and again.written == []
    finally:
        server.close()


# ---- broken exports ---------------------------------------------------------------------------------


def _broken(tmp_path, text: str) -> tuple[Path, Path, dict]:
    shutil.copytree(WP / "site", tmp_path / "site")
    content = tmp_path / "site" / "content"
    export = tmp_path / "export.xml"
    export.write_text(text, encoding="utf-8")
    return export, content, snapshot(content)


@pytest.mark.parametrize(
    ("name", "change", "expected"),
    [
        (
            "not xml",
            lambda t: "Das ist kein XML, sondern eine Notiz.",
            r"export\.xml:1: Die Datei ist kein gültiges XML",
        ),
        (
            "truncated",
            lambda t: t[: len(t) // 2],
            r"export\.xml:\d+: Die Datei ist kein gültiges XML \(abgeschnitten",
        ),
        (
            "wrong namespace",
            lambda t: t.replace("http://wordpress.org/export/1.2/", "http://example.org/export/"),
            r"Das ist keine WordPress-Exportdatei \(WXR\)",
        ),
        (
            "duplicate id",
            lambda t: t.replace("<wp:post_id>400</wp:post_id>", "<wp:post_id>300</wp:post_id>"),
            r"„Gewinnspiel <script>alert\(1\)</script>“ \(WordPress-ID 300\) und „Über Prüfstände & "
            r"Druckproben 🚀“ \(Zeile \d+\) haben dieselbe WordPress-ID 300",
        ),
    ],
)
def test_broken_exports_stop_and_write_nothing(tmp_path, name, change, expected):
    export, content, before = _broken(tmp_path, change(EXPORT.read_text(encoding="utf-8")))
    with pytest.raises(WordPressError, match=expected):
        import_wordpress(export, content, fetch=no_network, **OPTIONS)
    assert snapshot(content) == before


def test_two_posts_with_one_slug_get_unique_addresses(tmp_path):
    """WordPress keeps permalinks unique itself; a hand-assembled export may not: no stop."""
    text = (
        EXPORT.read_text(encoding="utf-8")
        .replace(
            "<wp:post_name>gewinnspiel</wp:post_name>",
            "<wp:post_name>orbitalschweissen-saubere-naht</wp:post_name>",
        )
        .replace(
            '<category domain="category" nicename="allgemein">',
            '<category domain="category" nicename="technik">',
        )
    )
    export, content, _ = _broken(tmp_path, text)
    report = import_wordpress(
        export, content, uploads=make_uploads(tmp_path / "up"), fetch=no_network, **OPTIONS
    )
    assert (content / "articles/technik/orbitalschweissen-saubere-naht.md").is_file()
    moved = (content / "articles/technik/gewinnspiel.md").read_text(encoding="utf-8")
    assert "Slug: gewinnspiel\n" in moved and "WordPress-ID: 400" in moved  # from its permalink
    assert "hießen „orbitalschweissen-saubere-naht“: jetzt „gewinnspiel“" in report.text()


def test_unknown_category_without_default_names_the_item(tmp_path):
    export, content, before = _broken(tmp_path, EXPORT.read_text(encoding="utf-8"))
    with pytest.raises(WordPressError) as info:
        import_wordpress(export, content, author="Martin Edelmann", fetch=no_network)
    message = str(info.value)
    lines = EXPORT.read_text(encoding="utf-8").splitlines()
    item_line = next(n for n, line in enumerate(lines, start=1) if "<title>Gewinnspiel" in line) - 1
    assert message.startswith("Der Import wurde abgebrochen, es wurde nichts geschrieben:")
    assert (
        f"export.xml:{item_line}: „Gewinnspiel <script>alert(1)</script>“ (WordPress-ID 400): "
        "Kategorie „Allgemein“ (allgemein) ist keiner Abteilung zugeordnet. "
        "Trage sie in content/data/wordpress.yml unter „kategorien“ ein oder gib --department SLUG an."
    ) in message
    assert "„Social Media“ (social-media)" in message
    assert "Orbitalschweißen" not in message  # its category „Technik“ matches a department by name
    assert snapshot(content) == before


def test_the_task_prints_the_german_report(tmp_path):
    shutil.copytree(WP / "site", tmp_path / "site")
    uploads = make_uploads(tmp_path / "uploads")
    args = [
        sys.executable,
        "-m",
        "invoke",
        "import-wordpress",
        str(EXPORT),
        "--content",
        str(tmp_path / "site/content"),
    ]
    env = {**os.environ, "ISSO_DB": str(tmp_path / "kommentare.db")}  # never the repository's cache
    failed = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, env=env)
    assert failed.returncode == 1 and "ist keiner Person zugeordnet" in failed.stderr
    done = subprocess.run(
        [*args, "--department", "it", "--author", "Martin Edelmann", "--uploads", str(uploads)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert "Import abgeschlossen." in done.stdout and "Bilder und Dateien übernommen: 5" in done.stdout
    assert "Kommentare: " in done.stdout and "Petra Kunde" not in done.stdout


# ---- the converter alone ----------------------------------------------------------------------------


def test_converter_embed_forms_and_images():
    targets = {
        "https://blog.example/wp-content/uploads/2020/01/a.jpg": ImageTarget("{static}/images/x/a.jpg", "A")
    }
    converter = Converter(lambda url: targets.get(url.split("?")[0]))
    result = converter.convert(
        "Absatz\n\n[youtube=http://www.youtube.com/watch?v=Sx4mT8yUe1c&w=425]\n\n"
        '<iframe src="https://www.youtube-nocookie.com/embed/Tz9kW3pL6dE" width="560"></iframe>\n\n'
        '<img src="https://blog.example/wp-content/uploads/2020/01/a.jpg?w=300" alt="">\n\n'
        '<a href="data:text/html,hi">x</a> <a href="vbscript:msgbox">y</a>'
    )
    lines = result.markdown.splitlines()
    assert "https://www.youtube.com/watch?v=Sx4mT8yUe1c" in lines
    assert "https://www.youtube.com/watch?v=Tz9kW3pL6dE" in lines
    assert "![A]({static}/images/x/a.jpg)" in lines
    assert "data:" not in result.markdown and "vbscript" not in result.markdown
    assert result.removed.count("Link mit „data:“ entfernt (Text bleibt)") == 1


# ---- comments → the comment server (Isso), never git ----------------------------------------------


def test_approved_comments_go_to_isso_rekeyed_to_the_thread_id(imported, tmp_path):
    import sqlite3

    from comments_helpers import comments_python

    from magazin.comments.server import pending_comments
    from magazin.wordpress.comments import isso_importer

    python = comments_python()
    content = tmp_path / "content"
    shutil.copytree(imported["content"], content)
    db = tmp_path / "kommentare.db"
    settings = {"PATH": str(content), "ARTICLE_PATHS": ["articles"]}
    run = isso_importer(settings, db, python=str(python))
    report = import_wordpress(EXPORT, content, uploads=imported["uploads"], comments_import=run, **OPTIONS)
    assert report.written == []  # the articles were imported before: only the comments are new
    assert "Kommentare: 2 in den Kommentarserver übernommen, 3 verworfen" in report.text()
    # the thread id is the one the built article page carries
    doc = page(imported["output"], "/it/heco-social-media-wer-wie-warum/")
    thread_id = doc.select_one("[data-isso-id]")["data-isso-id"]
    assert thread_id == "/it/heco-social-media-wer-wie-warum"
    con = sqlite3.connect(db)
    assert [uri for (uri,) in con.execute("SELECT uri FROM threads")] == [thread_id]
    rows = con.execute(
        "SELECT id, parent, author, text, mode, remote_addr FROM comments ORDER BY id"
    ).fetchall()
    con.close()
    assert [(r[2], r[4]) for r in rows] == [("Petra Kunde", 1), ("heco gmbh", 1)]  # public, in order
    assert rows[1][1] == rows[0][0]  # the reply keeps its parent
    assert rows[0][5] == "192.0.2.0"  # IP shortened by Isso
    texts = " ".join(r[3] for r in rows)
    assert "Untertitel" in texts and "Billige Uhren" not in texts and "heco erklärt" not in texts
    assert "Nicht freigegebener" not in texts and pending_comments(db) == []  # nothing lands in the queue
    # importing again adds nothing
    again = import_wordpress(EXPORT, content, uploads=imported["uploads"], comments_import=run, **OPTIONS)
    assert "Kommentare: 0 in den Kommentarserver übernommen" in again.text()
    assert "1 Artikel hatten ihre Kommentare schon." in again.text()


def test_bad_address_records_stop_the_build_with_file_and_line(tmp_path):
    from magazin.core.errors import ContentErrors
    from magazin.wordpress.redirects import load_redirects

    path = tmp_path / "wordpress-adressen.yml"
    path.write_text(
        "quelle: https://blog.example\n"
        "adressen:\n"
        "- alt: /alt/\n"
        "  beitrag: '1'\n"
        "- alt: kein-pfad\n"
        "  ziel: /neu/\n"
        "- alt: /alt/\n"
        "  ziel: /neu/\n"
        "- alt: /zwei/\n"
        "  ziel: /neu/\n"
        "  thema: Korrosion\n"
        "- alt: /leerzeichen im namen/\n"
        "  ziel: /neu/\n",
        encoding="utf-8",
    )
    with pytest.raises(ContentErrors) as info:
        load_redirects(path, lambda kind, value: ("/neu/", "Neu"))
    messages = [str(e) for e in info.value.errors]
    assert messages == [
        f"{path}:5: Die alte Adresse „kein-pfad“ ist kein Pfad. "
        "Sie beginnt mit / und enthält keine Anführungszeichen, Backslashes oder <>.",
        f"{path}:7: Die alte Adresse „/alt/“ steht doppelt in der Liste.",
        f"{path}:9: „/zwei/“ braucht genau ein Ziel: beitrag, abteilung, thema, feed, ziel.",
    ]
    path.write_text("adressen:\n- alt: /leerzeichen im namen/\n  ziel: /neu/\n", encoding="utf-8")
    assert [r.save_as for r in load_redirects(path, lambda kind, value: ("/neu/", "Neu"))] == [
        "leerzeichen im namen/index.html"
    ]


def test_wordpress_com_zip_with_several_files(tmp_path):
    """WordPress.com hands out a .zip; large blogs are split into several WXR files."""
    import zipfile

    text = EXPORT.read_text(encoding="utf-8")
    second = text.split("<!-- attachments")[0] + (
        "<item><title>Nachtrag aus Datei zwei</title>"
        "<link>https://hecogmbh.wordpress.com/2022/02/02/nachtrag/</link><dc:creator>jweiss</dc:creator>"
        "<content:encoded><![CDATA[Ein zweiter Export-Teil mit genau einem Beitrag.]]></content:encoded>"
        "<excerpt:encoded><![CDATA[]]></excerpt:encoded><wp:post_id>700</wp:post_id>"
        "<wp:post_date>2022-02-02 10:00:00</wp:post_date>"
        "<wp:post_date_gmt>2022-02-02 09:00:00</wp:post_date_gmt>"
        "<wp:post_name>nachtrag</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>"
        '<wp:post_password/><category domain="category" nicename="technik"><![CDATA[Technik]]></category>'
        "</item></channel></rss>"
    )
    archive = tmp_path / "hecogmbh.wordpress.com-2026-11-28.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("hecogmbh.wordpress.2026-11-28.000.xml", text)
        zf.writestr("hecogmbh.wordpress.2026-11-28.001.xml", second)
    shutil.copytree(WP / "site", tmp_path / "site")
    content = tmp_path / "site" / "content"
    report = import_wordpress(archive, content, dry_run=True, fetch=no_network, **OPTIONS)
    assert "Beiträge: 6, Seiten: 1" in report.text()
    assert "Nachtrag aus Datei zwei → /technik/nachtrag/" in report.posts
    broken = tmp_path / "kaputt.zip"
    with zipfile.ZipFile(broken, "w") as zf:
        zf.writestr("teil.001.xml", second[: len(second) // 2])
    with pytest.raises(
        WordPressError, match=r"kaputt\.zip:teil\.001\.xml:\d+: Die Datei ist kein gültiges XML"
    ):
        import_wordpress(broken, content, fetch=no_network, **OPTIONS)
