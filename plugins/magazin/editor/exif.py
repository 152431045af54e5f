"""No location in published pictures: the GPS block of a JPEG's EXIF data is removed from the
copies in the built site (pictures uploaded from a phone carry where they were taken).

Only the EXIF segment is rewritten; the image data stays byte for byte (no re-encoding), and
the other EXIF entries (orientation, camera) stay. The derivatives the images plugin makes
carry no EXIF at all; this handles the originals Pelican copies from ``STATIC_PATHS``.
Connected to ``finalized`` (the files in the build's output folder; a hard-linked file is
replaced, never changed in place, so the source under ``content/`` keeps its bytes).
"""

from __future__ import annotations

import os
from pathlib import Path

GPS_IFD = 0x8825
HEAD = 1 << 16  # the EXIF segment sits at the start of the file
JPEG_SUFFIXES = (".jpg", ".jpeg", ".jpe")


def _exif_segment(data: bytes) -> tuple[int, int] | None:
    """Start and end of the APP1 ``Exif`` segment (with its marker) in JPEG ``data``."""
    if not data.startswith(b"\xff\xd8"):
        return None
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        if marker in (0xDA, 0xD9):  # start of scan / end of image: no more metadata
            return None
        length = int.from_bytes(data[pos + 2 : pos + 4], "big")
        if marker == 0xE1 and data[pos + 4 : pos + 10] == b"Exif\x00\x00":
            return pos, pos + 2 + length
        pos += 2 + length
    return None


def without_gps(data: bytes) -> bytes | None:
    """``data`` (a JPEG) without the GPS entries of its EXIF data; None when it has none."""
    from PIL import Image

    found = _exif_segment(data)
    if found is None:
        return None
    start, end = found
    exif = Image.Exif()
    exif.load(data[start + 4 : end])
    if GPS_IFD not in exif:
        return None
    del exif[GPS_IFD]
    payload = exif.tobytes()
    if not payload.startswith(b"Exif\x00\x00"):
        payload = b"Exif\x00\x00" + payload
    segment = b"\xff\xe1" + (len(payload) + 2).to_bytes(2, "big") + payload
    return data[:start] + segment + data[end:]


def has_gps(path: Path) -> bool:
    """Whether the JPEG at ``path`` carries a GPS block (reads the file's start only)."""
    from PIL import Image

    with open(path, "rb") as fh:
        head = fh.read(HEAD)
    found = _exif_segment(head)
    if found is None or found[1] > len(head):
        return found is not None  # a segment longer than the head: look closer
    exif = Image.Exif()
    exif.load(head[found[0] + 4 : found[1]])
    return GPS_IFD in exif


def strip_gps_in(folder: Path) -> list[Path]:
    """Remove the GPS block from every JPEG below ``folder``; return the files changed."""
    changed = []
    for root, _dirs, files in os.walk(folder):
        for name in files:
            if not name.lower().endswith(JPEG_SUFFIXES):
                continue
            path = Path(root) / name
            if not has_gps(path):
                continue
            clean = without_gps(path.read_bytes())
            if clean is None:
                continue
            tmp = path.with_name(f".{name}.ohne-gps")
            tmp.write_bytes(clean)
            os.replace(tmp, path)  # a new file: a hard link's other name keeps its bytes
            changed.append(path)
    return changed


def strip_gps(pelican) -> None:
    """``finalized``: the static picture folders of the built site without GPS data."""
    from magazin.core.settings import setting

    from .settings import DEFAULTS

    settings = pelican.settings
    if not setting(settings, "EDITOR_STRIP_GPS", DEFAULTS):
        return
    output = Path(pelican.output_path)
    for static in settings.get("STATIC_PATHS", []) or []:
        folder = output / static
        if folder.is_dir():
            strip_gps_in(folder)


__all__ = ["has_gps", "strip_gps", "strip_gps_in", "without_gps"]
