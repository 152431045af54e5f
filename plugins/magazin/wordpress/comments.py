"""Comments of the export → the magazine's comment server (Isso), never into git.

``collect_threads`` keeps approved comments (spam, trash, unapproved comments, pingbacks and
trackbacks are dropped) and keys each thread by the imported article's new address, which is
the thread id the comment plugin uses (``/department/slug/``). The importer hands the threads to
a ``comments_import`` callable; ``invoke import-wordpress`` passes the comment plugin's importer
when that plugin is installed (see README, "Moving in from WordPress").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .wxr import Comment


@dataclass
class Thread:
    """The approved comments of one imported post; ``thread_id`` is its new URL path."""

    thread_id: str
    title: str
    post_id: str
    old_url: str
    comments: list[Comment] = field(default_factory=list)


def collect_threads(planned: list[Any]) -> tuple[list[Thread], int]:
    """(threads with approved comments, number dropped). A reply to a dropped comment is
    re-attached to the nearest kept ancestor (or becomes a top-level comment)."""
    threads, dropped = [], 0
    for plan in planned:
        if plan.item.status != "publish":
            continue
        comments = plan.item.comments
        kept = [c for c in comments if c.publishable]
        dropped += len(comments) - len(kept)
        if not kept:
            continue
        parents = {c.comment_id: c.parent for c in comments}
        keep_ids = {c.comment_id for c in kept}
        fixed = []
        for c in kept:
            parent = c.parent
            while parent not in ("", "0") and parent not in keep_ids:
                parent = parents.get(parent, "0")
            fixed.append(c if parent == c.parent else _with_parent(c, parent))
        threads.append(Thread(plan.url, plan.item.title, plan.item.post_id, plan.item.link, fixed))
    return threads, dropped


def _with_parent(comment: Comment, parent: str) -> Comment:
    from dataclasses import replace

    return replace(comment, parent=parent or "0")
