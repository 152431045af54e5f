"""``invoke status``: comments waiting for approval, grouped by department and article.

Read straight from Isso's SQLite file (read-only, safe while the server runs): no admin
password, no HTTP. Each waiting comment's thread id is matched with the article that has that id
(``Kommentar-ID`` or the default from its file, see ``plugin.thread_id_for_source``). Approving
and deleting stay in Isso (its notification mail or its admin page, docs/kommentare.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from .server import PendingComment, pending_comments
from .threads import ID_KEY, thread_id_for_source


@dataclass
class ArticleQueue:
    title: str
    path: str  # source file, "" for a thread without article
    thread_id: str
    comments: list[PendingComment] = field(default_factory=list)


@dataclass
class DepartmentQueue:
    name: str
    articles: list[ArticleQueue] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(a.comments) for a in self.articles)


def article_threads(settings: dict) -> dict[str, tuple[str, str, str]]:
    """thread id → (department name, article title, source path) for every article in content/."""
    from magazin.core.datafiles import department_names
    from magazin.editorial.checks import department_of, load_site

    names = department_names(settings)
    site = load_site(settings)
    result = {}
    for src in site.articles:
        folder = department_of(site, src) or "?"
        explicit = str(src.meta.get(ID_KEY, "") or "").strip()
        thread_id = explicit or thread_id_for_source(src.path, settings)
        result[thread_id] = (
            names.get(folder, folder),
            str(src.meta.get("title", "(ohne Titel)")),
            str(src.path),
        )
    return result


def pending_by_department(settings: dict, db_path: Path) -> list[DepartmentQueue]:
    """Waiting comments per department (alphabetical), per article; unknown threads last."""
    threads = article_threads(settings)
    departments: dict[str, DepartmentQueue] = {}
    articles: dict[str, ArticleQueue] = {}
    orphan = "Ohne passenden Artikel"
    for comment in pending_comments(db_path):
        dept, title, path = threads.get(comment.thread_id, (orphan, comment.thread_title, ""))
        queue = articles.get(comment.thread_id)
        if queue is None:
            queue = articles[comment.thread_id] = ArticleQueue(title, path, comment.thread_id)
            departments.setdefault(dept, DepartmentQueue(dept)).articles.append(queue)
        queue.comments.append(comment)
    return sorted(departments.values(), key=lambda d: (d.name == orphan, d.name))


def _excerpt(text: str, limit: int = 70) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def format_pending(groups: list[DepartmentQueue], db_path: Path) -> str:
    """Plain text for the terminal and CI logs."""
    total = sum(g.count for g in groups)
    if not Path(db_path).exists():
        return f"Kommentare: keine Datenbank unter {db_path} (Kommentar-Server noch nie gestartet?)."
    if not total:
        return "Kommentare: keiner wartet auf Freigabe."
    lines = [f"Kommentare, die auf Freigabe warten: {total}"]
    for group in groups:
        lines.append(f"\n{group.name} ({group.count})")
        for article in group.articles:
            lines.append(f"  {article.title} – {len(article.comments)} wartend  [{article.thread_id}]")
            for c in article.comments:
                when = dt.datetime.fromtimestamp(c.created).strftime("%d.%m.%Y %H:%M")
                lines.append(f"    #{c.id} {when} {c.author or 'Anonym'}: {_excerpt(c.text)}")
    lines.append(
        "\nFreigeben oder löschen: Link in der Benachrichtigungs-Mail oder Isso-Adminseite (/admin)."
    )
    return "\n".join(lines)
