"""``content/data/wordpress.yml``: which WordPress category is which department, which user which author.

The import writes it as a draft on its first run (German comments, every category and user of
the export listed, guesses filled in, the rest empty); editors complete it and run the import
again. ``altbestand_freigegeben`` says whether posts that were already public on WordPress
count as cleared by department and data protection (see docs/wordpress.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .wxr import Export, WordPressError

MAPPING_NAME = "wordpress.yml"


@dataclass
class Mapping:
    categories: dict[str, str | None] = field(default_factory=dict)  # WordPress slug → department
    authors: dict[str, str | None] = field(default_factory=dict)  # login → authors.yml name
    cleared: bool = True  # altbestand_freigegeben
    exists: bool = False


def load_mapping(path: Path) -> Mapping:
    if not path.is_file():
        return Mapping()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        raise WordPressError(f"{path}{line}: Die Zuordnungsdatei ist kein gültiges YAML ({exc}).") from None
    if not isinstance(data, dict):
        raise WordPressError(
            f"{path}:1: Die Zuordnungsdatei muss Schlüssel „kategorien“ und „autoren“ haben."
        )
    unknown = sorted(set(data) - {"kategorien", "autoren", "altbestand_freigegeben"})
    if unknown:
        raise WordPressError(
            f"{path}: Unbekannter Schlüssel „{unknown[0]}“. Erlaubt sind „kategorien“, „autoren“ "
            "und „altbestand_freigegeben“."
        )
    for key in ("kategorien", "autoren"):
        if not isinstance(data.get(key) or {}, dict):
            raise WordPressError(f"{path}: „{key}“ muss eine Zuordnung der Form „alt: neu“ sein.")
    return Mapping(
        categories={str(k): (str(v) if v else None) for k, v in (data.get("kategorien") or {}).items()},
        authors={str(k): (str(v) if v else None) for k, v in (data.get("autoren") or {}).items()},
        cleared=bool(data.get("altbestand_freigegeben", True)),
        exists=True,
    )


def _quote(value: str) -> str:
    return yaml.safe_dump(value, allow_unicode=True, default_style=None).strip().removesuffix("...").strip()


def draft_text(
    export: Export, mapping: Mapping, counts: dict[str, int], author_counts: dict[str, int]
) -> str:
    """The draft of ``wordpress.yml`` for ``export`` with the current (guessed) choices."""
    lines = [
        "# Zuordnung für „invoke import-wordpress“ (Umzug aus WordPress).",
        "# Diese Datei hat der Import als Entwurf angelegt. Bitte prüfen, Lücken füllen und",
        "# den Import erneut starten – er überschreibt nur, was er selbst geschrieben hat.",
        "",
        "# WordPress-Kategorie (Titelform, „slug“) → Abteilung (Ordner unter content/articles/,",
        "# siehe content/data/departments.yml). Leer: es gilt --department.",
        "kategorien:",
    ]
    for slug in sorted(export.categories):
        term = export.categories[slug]
        value = mapping.categories.get(slug)
        lines.append(f"  # „{term.name}“, {counts.get(slug, 0)} Beitrag/Beiträge")
        lines.append(f"  {_quote(slug)}: {_quote(value) if value else ''}".rstrip())
    lines += [
        "",
        "# WordPress-Benutzer (Login) → Name genau wie in content/data/authors.yml.",
        "# Leer: es gilt --author.",
        "autoren:",
    ]
    for login in sorted(export.authors):
        value = mapping.authors.get(login)
        lines.append(f"  # „{export.authors[login]}“, {author_counts.get(login, 0)} Beitrag/Beiträge")
        lines.append(f"  {_quote(login)}: {_quote(value) if value else ''}".rstrip())
    lines += [
        "",
        "# Bereits veröffentlichte Beiträge waren jahrelang öffentlich. „true“: sie gelten als",
        "# freigegeben (Freigabe-Abteilung und Freigabe-Datenschutz „WordPress-Altbestand“ mit",
        "# dem Datum der Erstveröffentlichung). „false“: sie kommen als „In Prüfung“ an und",
        "# warten auf die Freigabe durch den Datenschutz (siehe „invoke status“).",
        f"altbestand_freigegeben: {'true' if mapping.cleared else 'false'}",
        "",
    ]
    return "\n".join(lines)
