"""``invoke check``'s notes: things that work but have a simpler form (``ℹ datei:zeile: …``).

Pasted embed codes and normalised video addresses (``rawhtml.paste_notes``), for every source
of the site. Notes never fail the check.
"""

from __future__ import annotations

from magazin.consent.registry import embed_code_rules
from magazin.core.errors import ContentError

from .checks import load_site
from .rawhtml import paste_notes


def site_paste_notes(settings: dict) -> list[str]:
    """Every note of ``paste_notes`` for the whole site, as ``datei:zeile: …``."""
    notes = []
    rules = embed_code_rules(settings)
    for src in load_site(settings).sources:
        if src.readable:
            notes.extend(
                str(ContentError(str(src.path), line, text)) for line, text in paste_notes(src, rules)
            )
    return notes
