"""„Was gelesen wurde“: the figures of a period, from the access log (``logs.py``) counted by
GoAccess (``goaccess.py``) and named with the site's articles and videos.

Counted: page views and visits per article and per department, the most read articles, visits
per day, the videos whose placeholder was clicked, the searches on ``/suche/`` that found
nothing, referrer hosts and the campaign markers of the brochure and the e-mail signature.
Not counted: bots and tools, the build's own checks, the company's own networks, static files,
addresses that do not exist. Nothing about a single reader leaves this module: only sums.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from . import goaccess
from .logs import SEARCH_BEACON, log_files, networks_of, prepare, read_lines
from .settings import CAMPAIGN_PARAMETER, beacon_path, own_hosts, statistics_setting

VIDEO_BEACON = "video/"
YOUTUBE_ID = re.compile(r"/embed/([A-Za-z0-9_-]{6,})")


@dataclass(frozen=True)
class Row:
    """One line of a table: a name, its page views (or clicks, searches) and visits."""

    label: str
    views: int
    visits: int
    detail: str = ""  # department of an article, article of a video


@dataclass(frozen=True)
class ArticleRef:
    """What the report knows about an article to name it (from the site's facts)."""

    url: str  # "it/slug/"
    title: str
    department: str


@dataclass
class Reading:
    """The figures of one period (sums only)."""

    since: dt.date
    until: dt.date
    views: int = 0
    visits: int = 0
    articles: list[Row] = field(default_factory=list)  # every article read, most views first
    departments: list[Row] = field(default_factory=list)
    days: list[tuple[dt.date, int, int]] = field(default_factory=list)  # (day, page views, visits)
    videos: list[Row] = field(default_factory=list)
    searches: list[Row] = field(default_factory=list)  # searches without result
    referrers: list[Row] = field(default_factory=list)
    campaigns: list[Row] = field(default_factory=list)
    excluded_network: int = 0
    logs: list[str] = field(default_factory=list)
    problem: str = ""  # why there are no figures (no log, no GoAccess)

    def top(self, n: int) -> list[Row]:
        return self.articles[:n]


def _page_path(key: str) -> tuple[str, str]:
    """``/it/slug/?k=broschuere`` → (``/it/slug/``, ``broschuere``)."""
    parts = urlsplit(key)
    campaign = dict(parse_qsl(parts.query)).get(CAMPAIGN_PARAMETER, "")
    return parts.path, campaign


def _is_page(path: str, beacons: str) -> bool:
    if path.startswith(beacons):
        return False
    last = path.rsplit("/", 1)[-1]
    return path.endswith("/") or last.endswith(".html") or "." not in last


def count(
    lines: Iterable[str],
    settings: Mapping[str, Any],
    since: dt.date,
    until: dt.date,
    articles: list[ArticleRef],
    videos: Mapping[str, tuple[str, str]],
) -> Reading:
    """The figures of [since, until] from access-log ``lines``.

    ``articles``: the site's articles (URL, title, department); ``videos``: YouTube id →
    (title, article title)."""
    beacons = beacon_path(settings)
    prepared = prepare(
        lines,
        since,
        until,
        exclude=networks_of(statistics_setting(settings, "STATISTICS_EXCLUDE_NETWORKS")),
        visit_minutes=int(statistics_setting(settings, "STATISTICS_VISIT_MINUTES")),
        own_hosts=own_hosts(settings),
        beacons=beacons,
    )
    agents = list(statistics_setting(settings, "STATISTICS_OWN_AGENTS"))
    counted = goaccess.run(prepared.lines, agents)
    reading = Reading(since, until, excluded_network=prepared.excluded_network)
    by_url = {"/" + a.url.lstrip("/"): a for a in articles}
    campaigns_named = statistics_setting(settings, "STATISTICS_CAMPAIGNS")

    page_views: dict[str, list[int]] = {}
    campaign_counts: dict[str, list[int]] = {}
    video_counts: dict[str, list[int]] = {}
    search_counts: dict[str, list[int]] = {}
    for key, c in counted.requests.items():
        path, campaign = _page_path(key)
        if path.startswith(beacons + VIDEO_BEACON):
            video = path[len(beacons + VIDEO_BEACON) :].strip("/")
            _add(video_counts, video, c)
        elif path == beacons + SEARCH_BEACON:
            term = " ".join(dict(parse_qsl(urlsplit(key).query)).get("q", "").lower().split())[:80]
            if term:
                _add(search_counts, term, c)
        elif _is_page(path, beacons):
            _add(page_views, path, c)
            if campaign:
                _add(campaign_counts, campaign, c)
    reading.views = sum(v for v, _ in page_views.values())
    reading.visits = counted.visits
    reading.articles = sorted(
        (Row(by_url[p].title, v, s, by_url[p].department) for p, (v, s) in page_views.items() if p in by_url),
        key=lambda r: (-r.views, -r.visits, r.label),
    )
    reading.departments, reading.days = _pages_pass(prepared.requests, by_url, agents, settings, beacons)
    reading.videos = sorted(
        (
            Row(videos.get(v, (v, ""))[0], clicks, visits, videos.get(v, ("", ""))[1])
            for v, (clicks, visits) in video_counts.items()
        ),
        key=lambda r: (-r.views, r.label),
    )
    reading.searches = sorted(
        (Row(term, n, s) for term, (n, s) in search_counts.items()),
        key=lambda r: (-r.visits, -r.views, r.label),
    )
    reading.referrers = sorted(
        (Row(host, c.hits, c.visits) for host, c in counted.referring_sites.items() if host not in ("", "-")),
        key=lambda r: (-r.visits, r.label),
    )
    reading.campaigns = sorted(
        (Row(campaigns_named.get(k, k), v, s, k) for k, (v, s) in campaign_counts.items()),
        key=lambda r: (-r.visits, r.label),
    )
    return reading


def _add(table: dict[str, list[int]], key: str, c: goaccess.Count) -> None:
    entry = table.setdefault(key, [0, 0])
    entry[0] += c.hits
    entry[1] += c.visits


def _pages_pass(requests, by_url, agents, settings, beacons) -> tuple[list[Row], list[tuple]]:
    """A second GoAccess run over the pages alone (no beacons, no errors), each article's
    address replaced by its department: GoAccess's visitors of that key are the visits that
    read the department, its days the page views and visits per day."""
    from .logs import anonymised_line

    own = own_hosts(settings)
    lines = []
    names: dict[str, str] = {}
    keys: dict[str, str] = {}
    for number, request in requests:
        path = urlsplit(request.target).path
        if request.status >= 400 or not _is_page(path, beacons):
            continue
        article = by_url.get(path)
        key = path
        if article is not None:
            key = keys.setdefault(article.department, f"/abteilung-{len(keys) + 1}")
            names[key] = article.department
        lines.append(anonymised_line(number, request, key, own, beacons))
    counted = goaccess.run(lines, agents)
    rows = [Row(names[k], c.hits, c.visits) for k, c in counted.requests.items() if k in names]
    days = sorted(
        (dt.datetime.strptime(day, "%Y%m%d").date(), c.hits, c.visits) for day, c in counted.days.items()
    )
    return sorted(rows, key=lambda r: (-r.views, r.label)), days


def log_paths(settings: Mapping[str, Any]) -> list[Path]:
    """The access logs to read: ``STATISTICS_LOGS`` or ``SERVER_ACCESS_LOG`` with its rotations."""
    from magazin.server.settings import server_setting

    configured = statistics_setting(settings, "STATISTICS_LOGS")
    mains = (
        [Path(p) for p in configured] if configured else [Path(server_setting(settings, "SERVER_ACCESS_LOG"))]
    )
    files: list[Path] = []
    for main in mains:
        files.extend(log_files(main))
    return files


def reading_of(
    settings: Mapping[str, Any],
    since: dt.date,
    until: dt.date,
    articles: list[ArticleRef],
    videos: Mapping[str, tuple[str, str]],
    paths: list[Path] | None = None,
) -> Reading:
    """The figures from the configured logs; a ``Reading`` with ``problem`` when there are none."""
    paths = log_paths(settings) if paths is None else paths
    if not paths:
        from magazin.server.settings import server_setting

        configured = statistics_setting(settings, "STATISTICS_LOGS")
        where = ", ".join(map(str, configured)) or str(server_setting(settings, "SERVER_ACCESS_LOG"))
        return Reading(since, until, problem=f"Kein Zugriffsprotokoll gefunden ({where}).")
    try:
        reading = count(read_lines(paths), settings, since, until, articles, videos)
    except goaccess.GoAccessMissing as exc:
        return Reading(since, until, problem=str(exc))
    reading.logs = [str(p) for p in paths]
    return reading


def site_names(site) -> tuple[list[ArticleRef], dict[str, tuple[str, str]]]:
    """Articles and videos of ``reports.facts.SiteFacts`` as the figures name them."""
    articles = [ArticleRef(a.url, a.title, a.department) for a in site.articles]
    titles: dict[str, str] = {}
    shown_in: dict[str, list[str]] = {}
    for a in site.articles:
        for tp in a.third_parties:
            found = YOUTUBE_ID.search(tp.address)
            if tp.key == "youtube" and found:
                titles.setdefault(found[1], tp.title.removeprefix("YouTube-Video: "))
                if a.title not in shown_in.setdefault(found[1], []):
                    shown_in[found[1]].append(a.title)
    # a click carries no article (no referrer): a video shown in several articles names them all
    videos = {key: (title, " · ".join(shown_in[key])) for key, title in titles.items()}
    return articles, videos
