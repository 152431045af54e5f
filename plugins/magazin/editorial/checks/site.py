"""The checks' view of the content: every article and page source, plus the helpers that
resolve a link or image path inside the content folder (shared by ``images`` and ``links``)."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from magazin.core.errors import ContentError
from magazin.masthead.masthead import Masthead, department_folder

from ..source import Source, read_source

PLACEHOLDER_RE = re.compile(r"^\{(?P<kind>static|attach|filename)\}(?P<path>.*)$")


@dataclass
class Site:
    """Everything the checks look at."""

    settings: dict
    content: Path
    articles: list[Source] = field(default_factory=list)
    pages: list[Source] = field(default_factory=list)
    departments: dict = field(default_factory=dict)
    people: dict = field(default_factory=dict)
    masthead: Masthead | None = None  # None until loaded (``full`` checks) or when it is broken
    errors: list[ContentError] = field(default_factory=list)
    heading_ids: dict[Path, set[str]] = field(default_factory=dict)

    @property
    def sources(self) -> list[Source]:
        return [*self.articles, *self.pages]


def _markdown_files(root: Path, paths: list[str], settings: dict) -> list[Path]:
    from fnmatch import fnmatch

    ignore = settings.get("IGNORE_FILES", [])
    found = []
    for rel in paths:
        base = root / rel
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*")):
            if path.suffix.lower() not in (".md", ".markdown", ".mkd", ".mdown") or not path.is_file():
                continue
            if any(fnmatch(path.name, pattern) for pattern in ignore):
                continue
            found.append(path)
    return found


def load_site(settings: dict) -> Site:
    """Read every article and page source under ``settings['PATH']``."""
    content = Path(settings["PATH"])
    site = Site(settings=settings, content=content)
    site.articles = [
        read_source(p, "article") for p in _markdown_files(content, settings["ARTICLE_PATHS"], settings)
    ]
    site.pages = [read_source(p, "page") for p in _markdown_files(content, settings["PAGE_PATHS"], settings)]
    return site


def department_of(site: Site, src: Source) -> str | None:
    """The article's department folder (the masthead's rule, ``department_folder``)."""
    return department_folder(src.path.relative_to(site.content), site.settings["ARTICLE_PATHS"])


def resolve(site: Site, src: Source, target: str) -> Path | None:
    """Source file a local URL points to, or None when it is not a local file reference."""
    target = unquote(target.split("#", 1)[0].split("?", 1)[0])
    match = PLACEHOLDER_RE.match(target)
    if match:
        path = match.group("path")
        base = site.content if path.startswith("/") else src.path.parent
        return (base / path.lstrip("/")).resolve()
    if target.startswith("/") and not target.startswith("//"):
        return (site.content / target.lstrip("/")).resolve()
    return None


def inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root.resolve())
    except ValueError:
        return False
    return True


def suggest_file(site: Site, path: Path, fallback: str) -> str:
    folder = path.parent
    if folder.is_dir() and inside(folder, site.content):
        names = [p.name for p in folder.iterdir() if p.is_file()]
        close = difflib.get_close_matches(path.name, names, n=1, cutoff=0.6)
        if close:
            return f"Meintest du „{close[0]}“?"
    return fallback
