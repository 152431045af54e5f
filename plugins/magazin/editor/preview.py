"""The live preview's endpoint for the editor's preview pane (``POST /__vorschau/redaktion/artikel``).

The editor sends the draft as the file it would write (``{"pfad": "content/articles/technik/x.md",
"text": "Title: …"}``) and gets back ``{"html": …, "probleme": […]}``:

- ``probleme``: what ``invoke check`` would say about this one file (header, authors,
  TODOs, images and alt texts, raw HTML, links, video and post addresses), in German with the
  line, named by the path the file will have;
- ``html``: the article as the magazine renders it: the text read by the last build's own
  Markdown reader (the embed plugins' consent placeholders instead of players: nothing is
  loaded from YouTube, X or Mastodon), inside the article template's header and body markup,
  for the magazine's stylesheet in the pane.

Nothing is written into the content folder (the draft goes to a temporary folder with the same
layout, so the department comes from its folder as in the build).
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from magazin.consent.registry import embed_code_rules
from magazin.core.datafiles import department_names
from magazin.core.errors import ContentError, ContentErrors
from magazin.core.fastrender import read_as_article

ENDPOINT = "redaktion/artikel"  # below the preview server's /__vorschau/
PERSON_ENDPOINT = "redaktion/person"  # who commits here (git config), for the „Freigeben“ buttons


@dataclass
class Draft:
    """A draft the editor posted: the path relative to the repository and the file's text."""

    path: str
    text: str


def _problem(rel: str, error: ContentError) -> str:
    where = f"{rel}:{error.line}" if error.line else rel
    text = f"{where}: {error.message}"
    return f"{text} {error.hint}".rstrip() if error.hint else text


def content_target(settings: dict, repo_path: str) -> Path | None:
    """The file the draft will become, or None when it lies outside the content folder."""
    from .config import content_in_repository

    content = Path(settings["PATH"]).resolve()
    prefix = content_in_repository(settings).rstrip("/") + "/"
    if not repo_path.startswith(prefix) or ".." in Path(repo_path).parts:
        return None
    target = (content / repo_path[len(prefix) :]).resolve()
    return target if content in target.parents else None


def check_draft(settings: dict, draft: Draft) -> list[str]:
    """``invoke check``'s messages for the draft (empty: nothing to complain about)."""
    from magazin.editorial.checks.embeds import check_embeds
    from magazin.editorial.checks.header import check_header, read_masthead
    from magazin.editorial.checks.images import check_images
    from magazin.editorial.checks.links import check_links
    from magazin.editorial.checks.site import Site
    from magazin.editorial.rawhtml import check_raw_html
    from magazin.editorial.source import read_source

    target = content_target(settings, draft.path)
    if target is None:
        return [f"{draft.path}: Der Artikel liegt nicht im Inhaltsordner. Lege ihn in einer Abteilung an."]
    content = Path(settings["PATH"]).resolve()
    rel = os.path.relpath(target, content.parent)
    with tempfile.TemporaryDirectory(prefix="redaktion-") as folder:
        scratch = Path(folder) / target.name
        scratch.write_bytes(draft.text.encode("utf-8"))
        src = read_source(scratch, "article")
    src.path = target
    site = Site(settings=settings, content=content)
    site.articles = [src]
    if src.readable:
        read_masthead(site)
        check_header(site, src, True)
        check_images(site, src, True)
        check_raw_html(src, embed_code_rules(settings))
        check_links(site, src)
        check_embeds(site, src)
    problems = [*site.errors, *src.problems]
    if not problems:
        return []
    return [_problem(rel, e) for e in ContentErrors(problems).errors]


def _article_generator(kept: Any) -> Any:
    from pelican.generators import ArticlesGenerator

    for gen in kept.generators:
        if isinstance(gen, ArticlesGenerator):
            return gen
    return None


def render_draft(settings: dict, kept: Any, draft: Draft) -> str:
    """The draft's article markup (header and body as the article template has them), read
    with the last build's readers; a German note when there is no build yet or it cannot be read."""

    gen = _article_generator(kept) if kept is not None else None
    target = content_target(settings, draft.path)
    if gen is None or target is None:
        return str(Markup('<p class="redaktion-hinweis">Die Vorschau erscheint nach dem ersten Build.</p>'))
    content = Path(settings["PATH"]).resolve()
    rel = target.relative_to(content)
    with tempfile.TemporaryDirectory(prefix="redaktion-") as folder:
        scratch = Path(folder) / rel
        scratch.parent.mkdir(parents=True, exist_ok=True)
        scratch.write_bytes(draft.text.encode("utf-8"))
        try:
            article = read_as_article(gen, folder, str(rel))
            body = Markup(article.content)  # noqa: S704 - the magazine's own rendering of the text
        except Exception:  # Pelican's own English reason; the checks' messages above name it in German
            return str(
                Markup(
                    '<p class="redaktion-hinweis">Die Vorschau erscheint, sobald die Prüfung oben '
                    "nichts mehr meldet.</p>"
                )
            )
    meta = article.metadata
    department = getattr(getattr(article, "category", None), "name", "")
    department = department_names(settings).get(str(department), department)
    author = ", ".join(str(a) for a in getattr(article, "authors", []) or [])
    return str(
        Markup(
            '<article class="article" aria-labelledby="article-title">'
            '<header class="article__header wrap wrap--narrow">'
            '<p class="article__kicker">{department}</p>'
            '<h1 id="article-title" class="article__title">{title}</h1>'
            '<p class="article__lead">{summary}</p>'
            '<div class="article__meta"><p class="byline">Von {author}</p></div>'
            "</header>"
            '<div class="article__body prose wrap wrap--narrow">{body}</div>'
            "</article>"
        ).format(
            department=escape(department),
            title=escape(str(meta.get("title", ""))),
            summary=escape(str(meta.get("summary", ""))),
            author=escape(author),
            body=body,
        )
    )


def answer(settings: dict, kept: Any, payload: Any) -> dict:
    """The endpoint's JSON answer for ``payload`` (what the editor posted)."""
    if not isinstance(payload, dict) or not isinstance(payload.get("pfad"), str):
        return {"html": "", "probleme": ["Die Vorschau hat keinen Artikel bekommen."]}
    draft = Draft(payload["pfad"], str(payload.get("text", "")))
    problems = check_draft(settings, draft)
    # pictures uploaded in the editor and saved with the article: not in content/ yet
    pending = [str(p) for p in payload.get("bilder", []) or [] if isinstance(p, str)]
    names = [f"„{{static}}/{'/'.join(p.split('/')[-3:])}“ gibt es nicht" for p in pending]
    problems = [p for p in problems if not any(name in p for name in names)]
    return {"html": render_draft(settings, kept, draft), "probleme": problems}


def person(settings: dict, payload: Any = None) -> dict:
    """Who saves in the local editor: decap-server commits with the working copy's git identity,
    so that is the person whose „Freigeben“ counts (``authors.yml``: by ``email``, else the name)."""
    from magazin.core.datafiles import data_path, load_records

    from .config import git_output

    folder = Path(settings["PATH"]).resolve()
    name = git_output(folder, "config", "user.name") or ""
    email = (git_output(folder, "config", "user.email") or "").lower()
    try:
        people = load_records(data_path(settings, "authors.yml"), ("name",))
    except ContentError:
        people = []
    for entry in people:
        if email and str(entry.get("email") or "").strip().lower() == email:
            return {"name": str(entry["name"])}
    return {"name": name}
