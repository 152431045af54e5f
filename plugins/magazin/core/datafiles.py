"""YAML data files (departments, authors, channels) with line numbers for error messages."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

from .errors import ContentError
from .settings import CORE, setting

LINE_KEY = "__line__"


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that remembers on which line each mapping starts."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    mapping = yaml.SafeLoader.construct_mapping(loader, node, deep=deep)
    mapping[LINE_KEY] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def data_path(settings: dict, name: str) -> Path:
    """Where data file ``name`` lives: ``<PATH>/<MAGAZINE_DATA_DIR>/<name>``."""
    return Path(settings["PATH"]) / setting(settings, "MAGAZINE_DATA_DIR", CORE) / name


def load_records(path: str | os.PathLike[str], required: tuple[str, ...]) -> list[dict[str, Any]]:
    """Load a YAML list of mappings; every mapping must have the ``required`` keys.

    Raises ContentError (German, with file and line) for unreadable YAML, a file that is
    not a list, or a record that misses a key or leaves it empty.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ContentError(
            str(path), None, "Die Datendatei fehlt.", "Lege sie an (siehe docs/autoren.md)."
        ) from None
    try:
        data = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise ContentError(
            str(path),
            line,
            f"Die YAML-Datei ist fehlerhaft ({problem}).",
            "Prüfe Einrückung und Doppelpunkte.",
        ) from None
    if not isinstance(data, list):
        raise ContentError(str(path), 1, "Die Datei muss eine Liste sein (jeder Eintrag beginnt mit „- “).")
    records = []
    for index, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise ContentError(str(path), None, f"Eintrag {index} ist keine Zuordnung „schlüssel: wert“.")
        for key in required:
            value = item.get(key)
            if value is None or (isinstance(value, str) and not value.strip()):
                raise ContentError(
                    str(path),
                    item[LINE_KEY],
                    f"Im Eintrag {index} fehlt das Feld „{key}“.",
                    "Ergänze es oder entferne den Eintrag.",
                )
        records.append(item)
    return records


def department_names(settings: dict) -> dict[str, str]:
    """Department slug → display name from ``departments.yml`` (empty when the file is broken:
    the build reports that file itself; reports and status tables fall back to the slug)."""
    try:
        return {
            str(r["slug"]): str(r["name"])
            for r in load_records(data_path(settings, "departments.yml"), ("slug", "name"))
        }
    except Exception:
        return {}
