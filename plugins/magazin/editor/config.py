"""Decap CMS's ``config.yml`` and the editor's rules file, generated from the content's data
files at build time (one source of truth: a new department in ``departments.yml`` is a new
collection in the editor, a new person in ``authors.yml`` a new choice).

Each department is a folder collection ``content/articles/<slug>`` in our own file format
``pelican`` (``Key: value`` lines, a blank line, the text; registered by
``js/redaktion.js``). Pictures go to ``content/images/<slug>/`` and are written into the
text as ``{static}/images/<slug>/<file>``, as authors write them by hand.

``rules(settings)`` is what the browser needs besides Decap's config: the slug rules of
``magazin.german.slugs``, the existing article addresses (a new article must not take one),
the upload limit, the preview endpoint.
"""

from __future__ import annotations

import copy
import os
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from magazin.core.datafiles import data_path, load_records
from magazin.core.settings import setting

from .settings import DEFAULTS

FORMAT = "pelican"  # the name js/redaktion.js registers the file format under

DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}( \d{1,2}:\d{2})?$"
STATUS_CHOICES = ["Entwurf", "In Prüfung", "Freigegeben"]


def git_output(folder: Path, *args: str) -> str | None:
    """``git -C folder args`` → its output, or None when git fails or is missing."""
    try:
        done = subprocess.run(
            ["git", "-C", str(folder), *args], capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def content_in_repository(settings: Mapping[str, Any]) -> str:
    """The content folder relative to its git repository's top (``content`` when it is no
    git checkout): the paths Decap and decap-server use."""
    content = Path(settings["PATH"]).resolve()
    top = git_output(content, "rev-parse", "--show-toplevel")
    if not top:
        return "content"
    return Path(os.path.relpath(content, Path(top).resolve())).as_posix()


def local_branch(settings: Mapping[str, Any]) -> str | None:
    """The branch decap-server commits to: ``EDITOR_LOCAL_BRANCH`` or the working copy's."""
    branch = setting(settings, "EDITOR_LOCAL_BRANCH", DEFAULTS)
    if branch:
        return str(branch)
    current = git_output(Path(settings["PATH"]).resolve(), "rev-parse", "--abbrev-ref", "HEAD")
    return current if current and current != "HEAD" else None


def _fields(authors: list[str], max_bytes: int) -> list[dict[str, Any]]:
    return [
        {
            "label": "Titel",
            "name": "title",
            "widget": "string",
            "hint": "Die Überschrift. Aus ihr entsteht die Adresse (ä→ae, ö→oe, ü→ue, ß→ss).",
        },
        {
            "label": "Datum",
            "name": "date",
            "widget": "string",
            "required": False,
            "pattern": [DATE_PATTERN, "Schreibe das Datum als „JJJJ-MM-TT SS:MM“, z. B. „2026-03-14 09:30“."],
            "hint": "Erscheinungsdatum in deutscher Zeit, „JJJJ-MM-TT SS:MM“. Leer lassen: jetzt.",
        },
        {"label": "Autorin / Autor", "name": "author", "widget": "select", "options": authors},
        {
            "label": "Themen",
            "name": "tags",
            "widget": "string",
            "required": False,
            "hint": "Durch Kommas getrennt, z. B. „Schweißen, Qualität, Hygiene“.",
        },
        {
            "label": "Zusammenfassung",
            "name": "summary",
            "widget": "text",
            "hint": "Ein bis zwei Sätze, reiner Text: Startseite, Feeds, Suchmaschinen.",
        },
        {
            "label": "Stand",
            "name": "status",
            "widget": "select",
            "options": STATUS_CHOICES,
            "required": False,
        },
        {
            "label": "Kommentare",
            "name": "kommentare",
            "widget": "select",
            "options": [{"label": "aus (keine Leserkommentare)", "value": "aus"}],
            "required": False,
            "hint": "Leer: Leserkommentare sind an.",
        },
        {
            "label": "Titelbild",
            "name": "image",
            "widget": "image",
            "required": False,
            "choose_url": False,
            "hint": "Für die Karten auf Start-, Abteilungs- und Themenseiten und für soziale Netzwerke. "
            "Ohne Titelbild gilt das erste Bild im Text.",
            "media_library": {"config": {"max_file_size": max_bytes}},
        },
        {
            "label": "Freigabe der Abteilung",
            "name": "freigabe_abteilung",
            "widget": "freigabe",  # shown as text; a „Freigeben“ button for the entitled person only
            "freigabe": "abteilung",
            "required": False,
        },
        {
            "label": "Freigabe Datenschutz",
            "name": "freigabe_datenschutz",
            "widget": "freigabe",  # shown as text; a „Freigeben“ button for the entitled person only
            "freigabe": "datenschutz",
            "required": False,
        },
        {
            "label": "Text",
            "name": "body",
            "widget": "pelicanbody",
            # the media library's upload limit (Decap says „Datei zu groß …“ in German)
            "media_library": {"config": {"max_file_size": max_bytes}},
            "hint": "Markdown wie in docs/autoren.md. Video oder Post: die Adresse allein in einer Zeile.",
        },
    ]


def decap_config(settings: Mapping[str, Any]) -> dict[str, Any]:
    """Decap's configuration for this content (``config.yml``)."""
    departments = load_records(data_path(dict(settings), "departments.yml"), ("slug", "name"))
    people = load_records(data_path(dict(settings), "authors.yml"), ("name",))
    authors = sorted({str(p["name"]) for p in people}, key=str.casefold)
    content = content_in_repository(settings)
    articles = str((settings.get("ARTICLE_PATHS") or ["articles"])[0]).strip("/")
    backend = dict(setting(settings, "EDITOR_BACKEND", DEFAULTS) or {})
    local = setting(settings, "EDITOR_LOCAL_BACKEND", DEFAULTS)
    if local:
        # decap-server checks out the backend's branch for every request: it must be the
        # working copy's own; without one (no git, a detached HEAD) there is no local editing
        branch = local_branch(settings)
        if branch:
            backend["branch"] = branch
        else:
            local = None
    base = str(settings.get("SITEURL") or "")
    config: dict[str, Any] = {
        "locale": "de",
        "backend": backend,
        "publish_mode": setting(settings, "EDITOR_PUBLISH_MODE", DEFAULTS),
        "media_folder": f"{content}/images",
        "public_folder": "{static}/images",
        "site_url": base or "/",
        "display_url": base or "/",
        "logo_url": f"{base}/{settings.get('THEME_STATIC_DIR', 'theme')}/images/favicon.svg",
        "slug": {"encoding": "ascii", "clean_accents": True},
        "collections": [],
    }
    if local:
        config["local_backend"] = {"url": local}
    fields = _fields(authors, int(setting(settings, "EDITOR_MEDIA_MAX_BYTES", DEFAULTS)))
    for dept in departments:
        slug = str(dept["slug"])
        own = copy.deepcopy(fields)  # no YAML anchors: one list per collection
        for field in own:
            if field["name"] == "image":  # `Image: images/<abteilung>/<datei>`, as docs/autoren.md says
                field["media_folder"] = f"/{content}/images/{slug}"
                field["public_folder"] = f"images/{slug}"
        config["collections"].append(
            {
                "name": slug,
                "label": str(dept["name"]),
                "label_singular": f"Artikel ({dept['name']})",
                "description": str(dept.get("description", "")),
                "folder": f"{content}/{articles}/{slug}",
                "create": True,
                "extension": "md",
                "format": FORMAT,
                "identifier_field": "title",
                "slug": "{{dateiname}}",
                "summary": "{{title}} ({{date}})",
                "sortable_fields": ["date", "title", "author"],
                "media_folder": f"/{content}/images/{slug}",
                "public_folder": f"{{static}}/images/{slug}",
                "fields": own,
            }
        )
    return config


def config_yaml(settings: Mapping[str, Any]) -> str:
    """``config.yml`` as Decap reads it."""
    return yaml.safe_dump(decap_config(settings), allow_unicode=True, sort_keys=False, width=200)


def _providers(settings: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    try:
        from magazin.consent.registry import providers
    except ImportError:  # pragma: no cover - the consent plugin is part of the magazine
        return {}
    return {key: {"name": p.name, "text": p.transfer} for key, p in providers(dict(settings)).items()}


def rules(settings: Mapping[str, Any], taken: list[str]) -> dict[str, Any]:
    """The editor's own rules (``regeln.json``): slug rules, addresses already taken, limits."""
    from magazin.german.slugs import SLUG_SUBSTITUTIONS

    departments = load_records(data_path(dict(settings), "departments.yml"), ("slug", "name"))
    base = str(settings.get("SITEURL") or "")
    people = load_records(data_path(dict(settings), "authors.yml"), ("name",))
    reviewers: dict[str, list[str]] = {}
    for entry in people:
        granted = entry.get("freigabe") or []
        if granted:
            reviewers[str(entry["name"])] = [
                str(d) for d in (granted if isinstance(granted, list) else [granted])
            ]
    return {
        "abteilungen": [str(d["slug"]) for d in departments],
        # who may sign off what (names only: the e-mail addresses stay in the repository)
        "freigabe": {
            "abteilung": reviewers,
            "datenschutz": sorted(str(p["name"]) for p in people if p.get("datenschutz") is True),
        },
        "slug": [[pattern, replacement] for pattern, replacement in SLUG_SUBSTITUTIONS],
        "vergeben": sorted(set(taken)),
        "maxBytes": int(setting(settings, "EDITOR_MEDIA_MAX_BYTES", DEFAULTS)),
        # the consent placeholders' provider names and transfer sentences, for the pane's own
        # rendering where no preview server answers (production)
        "anbieter": _providers(settings),
        "basis": base,
        "vorschau": setting(settings, "EDITOR_PREVIEW_API", DEFAULTS) or "",
        "zeitzone": settings.get("TIMEZONE", "Europe/Berlin"),
        "stil": f"{base}/{settings.get('THEME_STATIC_DIR', 'theme')}/css/magazin.css",
    }
