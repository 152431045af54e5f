"""The customer brochure (/social-media/broschuere.pdf), read back with pypdf and PDFium:
pages, text, metadata, tagging, links, fonts and every QR code."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from conftest import build_site, copy_fixture

sys.path.insert(0, str(Path(__file__).resolve().parent))
from qrtools import decode_image, pdf_pages
from test_channels import LINKEDIN, NEW_X, OLD_X, changed_channels

A4 = (595.28, 841.89)


@pytest.fixture(scope="module")
def brochure(tmp_path_factory):
    root = tmp_path_factory.mktemp("brochure")
    content = copy_fixture("mini", root / "site")
    channels = changed_channels(content)
    out = root / "output"
    build_site(content, out)
    pdf = out / "social-media" / "broschuere.pdf"
    return channels, pdf, PdfReader(pdf), content


def _text(reader: PdfReader) -> str:
    return "\n".join(p.extract_text() for p in reader.pages)


def _links(reader: PdfReader) -> list[str]:
    uris = []
    for p in reader.pages:
        for annot in p.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action and "/URI" in action:
                uris.append(str(action["/URI"]))
    return uris


def test_pages_and_format(brochure):
    channels, _, reader, _ = brochure
    assert len(reader.pages) >= 4
    for p in reader.pages:
        assert (round(float(p.mediabox.width), 1), round(float(p.mediabox.height), 1)) == (595.3, 841.9)
    # cover, introduction, channel pages (two per page), magazine, contact
    assert len(reader.pages) == 4 + (len(channels) + 1) // 2


def test_metadata_language_and_tagging(brochure):
    _, _, reader, _ = brochure
    meta = reader.metadata
    assert meta.title == "Social Media bei heco – Info-Broschüre"
    assert meta.author == "heco gmbh"
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "de"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    xmp = reader.xmp_metadata
    assert xmp is not None and "pdfuaid" in str(xmp.rdf_root.toxml())


def test_fonts_are_embedded(brochure):
    _, _, reader, _ = brochure
    names = set()
    for p in reader.pages:
        fonts = p["/Resources"].get("/Font") or {}
        for ref in fonts.values():
            font = ref.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font).get("/FontDescriptor")
            assert descriptor is not None
            descriptor = descriptor.get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font
            names.add(str(font["/BaseFont"]).split("+")[-1])
    assert any(n.startswith("Brochure-Sans") for n in names), names
    assert any(n.startswith("Brochure-Serif") for n in names), names
    assert all(n.startswith(("Brochure-Sans", "Brochure-Serif")) for n in names), names  # no fallback font


def test_every_channel_in_text_and_links(brochure):
    channels, _, reader, _ = brochure
    text = _text(reader)
    compact = text.replace("\n", "")
    links = _links(reader)
    for channel in channels:
        assert channel["name"] in text
        display = channel["url"].split("://", 1)[1].rstrip("/")
        assert display in compact, display
        assert channel["url"] in links
        assert channel["benefit"][:30] in compact
    assert OLD_X not in links and OLD_X.split("://")[1] + "\n" not in text
    assert "Neu im Magazin" in text and "Impressum" in text
    assert "Qualität von Edelstahl" in text  # the latest articles page


def test_every_qr_code_scans_to_its_channel(brochure):
    channels, pdf, _, _ = brochure
    pages = pdf_pages(pdf, dpi=150)
    found = [code for image in pages for code in decode_image(image)]
    channel_urls = [c["url"] for c in channels]
    # one per channel, in file order, plus the magazine's own address on the magazine page
    assert [u for u in found if u in channel_urls] == channel_urls
    assert NEW_X in found and LINKEDIN in found and OLD_X not in found
    assert len(found) == len(channels) + 1


def test_preview_png_is_page_one(brochure):
    _, pdf, _, _ = brochure
    from PIL import Image

    preview = Image.open(pdf.parent / "broschuere-vorschau.png")
    assert preview.width == 420
    assert abs(preview.height / preview.width - A4[1] / A4[0]) < 0.01
    # The cover is dark blue: the preview must be too (it is page 1, not a blank page).
    r, _g, b = preview.convert("RGB").resize((1, 1)).getpixel((0, 0))
    assert b > r and b > 60 and r < 80


def test_standalone_task_with_print_marks(brochure, tmp_path):
    """``invoke brochure --print``: 3 mm bleed around A4, trim box = A4."""
    from magazin.brochure.standalone import build_brochure

    _, _, _, content = brochure
    target, pages = build_brochure(
        Path(__file__).resolve().parent.parent / "pelicanconf.py",
        tmp_path / "druck.pdf",
        print_marks=True,
        overrides={"PATH": str(content), "CACHE_PATH": str(tmp_path / "cache")},
    )
    reader = PdfReader(target)
    assert len(reader.pages) == pages >= 4
    first = reader.pages[0]
    bleed = 3 / 25.4 * 72
    assert float(first.trimbox.width) == pytest.approx(A4[0], abs=0.1)
    assert float(first.mediabox.width) == pytest.approx(A4[0] + 2 * bleed, abs=0.2)
    assert float(first.bleedbox.height) == pytest.approx(A4[1] + 2 * bleed, abs=0.2)


def test_adding_a_channel_adds_a_brochure_section(brochure):
    channels, _, reader, content = brochure
    listed = yaml.safe_load((content / "data" / "channels.yml").read_text(encoding="utf-8"))
    assert [c["name"] for c in listed] == [c["name"] for c in channels]
    overview = reader.pages[1].extract_text()
    for channel in channels:
        assert channel["name"] in overview  # the overview table with page numbers


def test_render_key_follows_html_assets_and_options(tmp_path):
    from magazin.brochure.generator import render_key

    (tmp_path / "brochure.css").write_text("body { color: black; }", encoding="utf-8")
    key = render_key("<p>A</p>", tmp_path, False, 420)
    assert key == render_key("<p>A</p>", tmp_path, False, 420)
    assert key != render_key("<p>B</p>", tmp_path, False, 420)
    assert key != render_key("<p>A</p>", tmp_path, True, 420)
    assert key != render_key("<p>A</p>", tmp_path, False, 300)
    (tmp_path / "brochure.css").write_text("body { color: red; }", encoding="utf-8")
    assert key != render_key("<p>A</p>", tmp_path, False, 420)


def test_brochure_rendered_beside_the_build_equals_rendered_in_place(tmp_path):
    """WeasyPrint runs in a forked process while the build goes on (BROCHURE_BACKGROUND);
    the PDF, its preview and the social-media page that shows its facts are the same as
    when it is rendered in the build's own process (as the live preview does)."""
    content = copy_fixture("mini", tmp_path / "site")
    outputs = {}
    for background in (True, False):
        out = tmp_path / f"out-{background}"
        build_site(
            content, out, CACHE_PATH=str(tmp_path / f"cache-{background}"), BROCHURE_BACKGROUND=background
        )
        outputs[background] = out
    for rel in (
        "social-media/broschuere.pdf",
        "social-media/broschuere-vorschau.png",
        "social-media/index.html",
    ):
        assert (outputs[True] / rel).read_bytes() == (outputs[False] / rel).read_bytes(), rel
    page = (outputs[True] / "social-media" / "index.html").read_text(encoding="utf-8")
    pages = len(PdfReader(outputs[True] / "social-media" / "broschuere.pdf").pages)
    assert f"(PDF, {pages} Seiten," in page
