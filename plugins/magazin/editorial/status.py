"""``invoke status``: the editorial pipeline as a table — every article, its state, who acts next."""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass

from .checks import department_of, load_site
from .workflow import normalise_status, workflow_of

LEGACY_SIGNOFF = "WordPress-Altbestand"  # sign-off name the WordPress import gives published posts


@dataclass(frozen=True)
class Row:
    path: str
    title: str
    department: str
    state: str
    waiting_for: str


def status_rows(settings: dict) -> list[Row]:
    """One row per article, in pipeline order (least advanced first), then by path."""
    from magazin.core.datafiles import department_names

    names = department_names(settings)
    site = load_site(settings)
    order = {"draft": 0, "review": 1, "release": 2, "hidden": 3}
    rows = []
    for src in site.articles:
        folder = department_of(site, src) or "?"
        status = normalise_status(src.meta.get("status"))
        author = src.meta.get("author", "Autor/in") or "Autor/in"
        if status is None:
            state, waiting = f"Unbekannter Status „{src.meta.get('status')}“", f"{author}: Status korrigieren"
            rank = -1
        else:
            flow = workflow_of(src.meta, names.get(folder, folder))
            state, waiting, rank = (
                flow.label,
                flow.waiting_for(author),
                order[flow.status] + (0.5 if flow.cleared else 0),
            )
            if src.meta.get("wordpress-id"):  # moved in from WordPress (plugins/magazin/wordpress)
                legacy = flow.privacy is not None and flow.privacy.name == LEGACY_SIGNOFF
                state += " (WordPress-Altbestand)" if legacy else " (aus WordPress)"
        rows.append(
            (
                rank,
                Row(
                    os.path.relpath(src.path),
                    src.meta.get("title", "(ohne Titel)"),
                    names.get(folder, folder),
                    state,
                    waiting,
                ),
            )
        )
    return [row for _, row in sorted(rows, key=lambda item: (item[0], item[1].path))]


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def format_table(rows: list[Row], title_width: int = 48) -> str:
    """A plain-text table (fits a terminal, readable in CI logs)."""
    header = ("Artikel", "Abteilung", "Stand", "Wer ist dran?")
    cells = [(_cut(r.title, title_width), r.department, r.state, r.waiting_for) for r in rows]
    widths = [max(_width(c[i]) for c in [header, *cells]) for i in range(3)]
    lines = []
    for number, cell in enumerate([header, *cells]):
        padded = [cell[i] + " " * (widths[i] - _width(cell[i])) for i in range(3)]
        lines.append("  ".join([*padded, cell[3]]).rstrip())
        if number == 0:
            lines.append("  ".join("─" * w for w in [*widths, max(_width(c[3]) for c in [header, *cells])]))
    done = sum(1 for r in rows if r.waiting_for == "—")
    lines.append("")
    lines.append(f"{len(rows)} Artikel: {done} freigegeben, {len(rows) - done} in Arbeit.")
    return "\n".join(lines)
