"""Comments of the export → the magazine's comment server (Isso), never into git.

``collect_threads`` keeps approved comments (spam, trash, unapproved comments, pingbacks and
trackbacks are dropped; a reply to a dropped comment moves up to the nearest kept one) for every
imported, published post. ``write_export`` writes just these threads as a small WXR file (in a
temporary folder, never in git), because Isso's own WordPress importer takes every comment of
an export (spam becomes "waiting for approval" there). The importer hands the threads to a
``comments_import`` callable; ``invoke import-wordpress`` passes one that runs the comment
plugin's Isso import on that file, each thread re-keyed to the article's thread id.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .wxr import Comment


@dataclass
class Thread:
    """The approved comments of one imported post; ``thread_id`` is its new URL path."""

    thread_id: str
    title: str
    post_id: str
    old_url: str
    source: str = ""  # the article file the import writes
    comments: list[Comment] = field(default_factory=list)


def collect_threads(planned: list[Any]) -> tuple[list[Thread], int]:
    """(threads with approved comments, number dropped). A reply to a dropped comment is
    re-attached to the nearest kept ancestor (or becomes a top-level comment)."""
    threads, dropped = [], 0
    for plan in planned:
        if plan.item.status != "publish" or plan.kind != "article":
            continue  # pages have no comment section
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
        threads.append(
            Thread(plan.url, plan.item.title, plan.item.post_id, plan.item.link, str(plan.target), fixed)
        )
    return threads, dropped


def _with_parent(comment: Comment, parent: str) -> Comment:
    from dataclasses import replace

    return replace(comment, parent=parent or "0")


# The file is ours and read only by Isso's importer, which recognises the http form only (the
# exports we read may declare either, see wxr.py).
WP_NS = "http://wordpress.org/export/1.2/"


def write_export(threads: list[Thread], path: Path) -> Path:
    """A WXR 1.2 file with only ``threads`` and their kept comments (for Isso's importer)."""
    from lxml import etree

    nsmap = {"wp": WP_NS, "content": "http://purl.org/rss/1.0/modules/content/"}
    rss = etree.Element("rss", nsmap=nsmap, version="2.0")
    channel = etree.SubElement(rss, "channel")
    wp = f"{{{WP_NS}}}"
    for thread in threads:
        item = etree.SubElement(channel, "item")
        etree.SubElement(item, "title").text = thread.title
        etree.SubElement(item, "link").text = thread.old_url
        etree.SubElement(item, f"{wp}post_id").text = thread.post_id
        for comment in thread.comments:
            node = etree.SubElement(item, f"{wp}comment")
            date = (
                comment.date_gmt.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S") if comment.date_gmt else ""
            )
            for name, value in (
                ("comment_id", comment.comment_id),
                ("comment_author", comment.author),
                ("comment_author_email", comment.author_email),
                ("comment_author_url", comment.author_url),
                ("comment_author_IP", comment.author_ip),
                ("comment_date_gmt", date),
                ("comment_content", comment.content),
                ("comment_approved", "1"),
                ("comment_type", "comment"),
                ("comment_parent", comment.parent or "0"),
            ):
                etree.SubElement(node, f"{wp}{name}").text = value
    path.write_bytes(etree.tostring(rss, xml_declaration=True, encoding="utf-8", pretty_print=True))
    return path


def isso_importer(settings: dict, db_path: Path, python: str | None = None):
    """The ``comments_import`` callable for the comment plugin (plugins/magazin/comments).

    Writes the kept comments as a WXR file into a temporary folder and runs the plugin's Isso
    import on it (Isso's own WordPress importer), each thread keyed by the article's thread id
    (``thread_id_for_source``: ``/<department>/<file name>``). Returns (comments imported,
    thread ids that already existed: a second import adds nothing).
    """
    import tempfile

    from magazin.comments.server import import_wordpress
    from magazin.comments.threads import thread_id_for_source

    def run(threads: list[Thread]) -> tuple[int, list[str]]:
        ids = {t.old_url: thread_id_for_source(t.source, settings) for t in threads}
        with tempfile.TemporaryDirectory(prefix="wordpress-kommentare-") as tmp:
            export = write_export(threads, Path(tmp) / "kommentare.xml")
            report = import_wordpress(export, db_path, ids.get, python=python)
        return report.comments, report.existing

    return run
