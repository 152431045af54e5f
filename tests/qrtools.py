"""Test helpers: render PDFs and SVGs to images and decode the QR codes in them (zxing-cpp)."""

from __future__ import annotations

from pathlib import Path


def decode_image(image) -> list[str]:
    """All QR codes found in a PIL image, in reading order."""
    import zxingcpp

    results = zxingcpp.read_barcodes(image.convert("L"))
    results = sorted(results, key=lambda r: (r.position.top_left.y // 40, r.position.top_left.x))
    return [r.text for r in results if r.format == zxingcpp.BarcodeFormat.QRCode]


def pdf_pages(pdf: bytes | Path, dpi: int = 150):
    """Every page of a PDF as a PIL image (PDFium)."""
    import pypdfium2 as pdfium

    data = pdf.read_bytes() if isinstance(pdf, Path) else pdf
    document = pdfium.PdfDocument(data)
    try:
        return [document[i].render(scale=dpi / 72).to_pil() for i in range(len(document))]
    finally:
        document.close()


def decode_svg(path: Path) -> str:
    """Decode the single QR code in an SVG file (rasterised through WeasyPrint and PDFium)."""
    from weasyprint import HTML

    css = "@page { size: 80mm; margin: 5mm } img { width: 70mm }"
    html = f'<style>{css}</style><img src="{path.as_uri()}" alt="QR">'
    pdf = HTML(string=html).write_pdf()
    codes = decode_image(pdf_pages(pdf, 200)[0])
    assert len(codes) == 1, codes
    return codes[0]
