"""``invoke bericht``: the status report for the social-media team's meeting every three weeks.

One page (A4, readable projected on a wall): what went public since the last meeting per
department, what is in review and who has to act, drafts, new videos and posts, and the
comments waiting for moderation where the comment server is configured, and „Was gelesen
wurde“ from the web server's access log when the statistics plugin is listed
(``magazin.statistics``: sums only, no cookie, no script, no profile).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from magazin.core.settings import setting
from magazin.posts import DEFAULTS as POSTS

from .facts import ArticleFacts, SiteFacts
from .render import write_document

THREE_WEEKS = dt.timedelta(weeks=3)


@dataclass(frozen=True)
class PostRow:
    """A post of the period as the report lists it (plain text, no markup)."""

    date: dt.date
    platform: str
    account: str
    text: str


# The report is one page on the wall: more posts than this are counted, not listed.
MAX_POSTS_LISTED = 6


@dataclass
class Report:
    since: dt.date
    until: dt.date
    published: dict[str, list[ArticleFacts]]  # department → articles, newest first
    in_review: list[tuple[ArticleFacts, str]]  # (article, who acts next)
    drafts: list[ArticleFacts]
    videos: list[tuple[str, str, ArticleFacts]]  # (title, address, article)
    posts: list[PostRow]  # posts dated in the period, newest first
    comments: list[tuple[str, str, int]] | None = None  # (department, article, waiting); None: no server
    comments_error: str = ""
    totals: dict[str, int] = field(default_factory=dict)
    reading: dict | None = None  # the statistics' section context (statistics.report), or None


def parse_since(value: str, today: dt.date) -> dt.date:
    """``--seit`` as JJJJ-MM-TT (empty: three weeks back); a German error otherwise."""
    if not value:
        return today - THREE_WEEKS
    try:
        day = dt.date.fromisoformat(value.strip())
    except ValueError:
        example = (today - THREE_WEEKS).isoformat()
        raise ValueError(
            f"--seit „{value}“ ist kein Datum der Form JJJJ-MM-TT, z. B. --seit {example}."
        ) from None
    if day > today:
        raise ValueError(
            f"--seit {value} liegt in der Zukunft; der Bericht reicht bis heute ({today.isoformat()})."
        )
    return day


def _posts_in(site: SiteFacts, since: dt.date, until: dt.date) -> list:
    from magazin.posts.model import load_library

    folder = Path(site.settings["PATH"]) / setting(site.settings, "POSTS_PATH", POSTS)
    try:
        library = load_library(folder)
    except Exception:  # broken post files fail the build itself; the report leaves them out
        return []
    from magazin.core.text import plain_text

    return [
        PostRow(p.date.date(), p.platform_name, p.author.handle, " ".join(plain_text(p.text).split()))
        for p in library.posts
        if since <= p.date.date() <= until
    ]


def build_report(
    site: SiteFacts,
    since: dt.date,
    until: dt.date,
    comments: Callable[[dict], list[tuple[str, str, int]]] | None = None,
) -> Report:
    published: dict[str, list[ArticleFacts]] = {}
    in_review, drafts, videos = [], [], []
    for article in site.articles:
        day = article.published_on
        if day is not None and since <= day <= until:
            published.setdefault(article.department, []).append(article)
            videos.extend(
                (tp.title, tp.address, article) for tp in article.third_parties if tp.key == "youtube"
            )
        elif article.flow.status == "draft":
            drafts.append(article)
        elif not article.flow.publishable:
            in_review.append((article, article.flow.waiting_for(article.author or "Autor/in")))
    for items in published.values():
        items.sort(key=lambda a: a.published_on, reverse=True)
    report = Report(
        since=since,
        until=until,
        published=dict(sorted(published.items())),
        in_review=sorted(in_review, key=lambda item: (item[0].department, item[0].title)),
        drafts=sorted(drafts, key=lambda a: (a.department, a.title)),
        videos=videos,
        posts=_posts_in(site, since, until),
    )
    if comments is not None:
        try:
            report.comments = comments(site.settings)
        except Exception as exc:  # the server is down: say so instead of failing the meeting
            report.comments_error = f"Die Kommentare konnten nicht gelesen werden: {exc}."
    report.totals = {
        "published": sum(len(v) for v in report.published.values()),
        "review": len(report.in_review),
        "drafts": len(report.drafts),
        "videos": len(report.videos),
        "posts": len(report.posts),
    }
    return report


def write_report(report: Report, target: Path) -> tuple[Path, Path, int]:
    name = f"bericht-{report.since.isoformat()}-bis-{report.until.isoformat()}"
    return write_document(
        "meeting.html",
        {"r": report, "max_posts": MAX_POSTS_LISTED, "statistik": report.reading},
        target / name,
    )


def comment_source(settings: dict, db_path: Path) -> Callable[[dict], list[tuple[str, str, int]]] | None:
    """Comments waiting for moderation per department and article, read from Isso's SQLite
    file by the comments plugin (None when the plugin is not enabled)."""
    if "magazin.comments" not in settings.get("PLUGINS", []):
        return None

    def waiting(settings: dict) -> list[tuple[str, str, int]]:
        from magazin.comments.moderation import pending_by_department

        if not Path(db_path).exists():
            raise FileNotFoundError(
                f"keine Datenbank unter {db_path}; der Kommentar-Server lief hier noch nie"
            )
        return [
            (group.name, article.title, len(article.comments))
            for group in pending_by_department(settings, Path(db_path))
            for article in group.articles
        ]

    return waiting
