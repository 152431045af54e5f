"""Gate "PDF": every PDF of the site (the customer brochure) passes what a PDF/UA-minded
check can verify without a human: tagged (``/MarkInfo /Marked true`` and a
``/StructTreeRoot``), document language set, title set (and shown as window title), all fonts
embedded, text extractable.
"""

from __future__ import annotations

from pathlib import Path

from .core import GateResult, Site, ToolMissing

NAME = "PDF"


def _fonts_not_embedded(reader) -> set[str]:
    missing: set[str] = set()
    for page in reader.pages:
        resources = page.get("/Resources")
        fonts = resources.get_object().get("/Font") if resources is not None else None
        if fonts is None:
            continue
        for ref in fonts.get_object().values():
            font = ref.get_object()
            descriptor = font.get("/FontDescriptor")
            if font.get("/Subtype") == "/Type0":
                descendant = font["/DescendantFonts"][0].get_object()
                descriptor = descendant.get("/FontDescriptor")
            if font.get("/Subtype") == "/Type3":
                continue
            d = descriptor.get_object() if descriptor is not None else {}
            if not any(k in d for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                missing.add(str(font.get("/BaseFont", "?")))
    return missing


def check_pdf(path: Path, where: str, result: GateResult) -> None:
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError:
        raise ToolMissing("pypdf ist nicht installiert") from None
    try:
        reader = PdfReader(path)
        root = reader.trailer["/Root"].get_object()
    except (PdfReadError, KeyError, ValueError) as exc:
        result.add(where, f"kein lesbares PDF: {exc}")
        return
    mark = root.get("/MarkInfo")
    if mark is None or not mark.get_object().get("/Marked"):
        result.add(where, "nicht getaggt: /MarkInfo /Marked true fehlt")
    if "/StructTreeRoot" not in root:
        result.add(where, "nicht getaggt: /StructTreeRoot fehlt")
    lang = str(root.get("/Lang", "")).strip()
    if not lang:
        result.add(where, "Dokumentsprache (/Lang) fehlt")
    title = ""
    if reader.metadata is not None and reader.metadata.title:
        title = str(reader.metadata.title).strip()
    xmp = reader.xmp_metadata
    if not title and xmp is not None and xmp.dc_title:
        title = next(iter(xmp.dc_title.values()), "").strip()
    if not title:
        result.add(where, "Dokumenttitel fehlt")
    prefs = root.get("/ViewerPreferences")
    if prefs is None or not prefs.get_object().get("/DisplayDocTitle"):
        result.add(where, "/ViewerPreferences /DisplayDocTitle true fehlt (Titel statt Dateiname anzeigen)")
    missing = _fonts_not_embedded(reader)
    if missing:
        result.add(where, f"Schriften nicht eingebettet: {', '.join(sorted(missing))}")
    text = "".join((page.extract_text() or "") for page in reader.pages)
    if len(text.strip()) < 20:
        result.add(where, "kein extrahierbarer Text")


def run(site: Site) -> GateResult:
    result = GateResult(NAME)
    pdfs = site.pdf_files
    result.checked = len(pdfs)
    if not pdfs:
        result.notes.append("keine PDF-Datei in der Ausgabe")
    for path in pdfs:
        check_pdf(path, site.url_of(path), result)
    return result
