"""QR codes for channel URLs, made with segno (vector SVG, scalable, no raster artefacts)."""

from __future__ import annotations

import base64
import io

import segno

QR_DARK = "#0b3d6b"  # the magazine's dark blue: high contrast to white, scans like black
QR_LIGHT = "#ffffff"


def qr_svg(url: str, *, dark: str = QR_DARK, title: str | None = None) -> str:
    """The QR code for ``url`` as a standalone SVG document (viewBox only, 4-module quiet zone)."""
    qr = segno.make(url, error="m", micro=False)
    buf = io.BytesIO()
    qr.save(
        buf,
        kind="svg",
        scale=1,
        border=4,
        dark=dark,
        light=QR_LIGHT,
        xmldecl=False,
        omitsize=True,
        svgclass=None,
        lineclass=None,
        title=title,
        encoding="utf-8",
    )
    return buf.getvalue().decode("utf-8")


def qr_data_uri(url: str, *, dark: str = QR_DARK) -> str:
    """The QR code as a ``data:image/svg+xml`` URI (for the brochure's <img>)."""
    svg = qr_svg(url, dark=dark).encode("utf-8")
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")
