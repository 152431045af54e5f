"""The access log as the statistics read it: nginx's ``magazin`` log format (shortened IPs,
see ``server/templates/magazin.nginx.conf``), current and rotated files (``.1``, ``.2.gz`` …).

Before GoAccess sees a line, this module
- keeps only the requests of the period,
- drops the company's own networks (``STATISTICS_EXCLUDE_NETWORKS``),
- groups the requests into visits (same shortened IP and browser, gaps under
  ``STATISTICS_VISIT_MINUTES``) and writes a running visit number in place of the address, so
  GoAccess's "unique visitors" are visits and neither GoAccess nor its output ever holds an
  address,
- cuts each referrer to its host (internal navigation: none) and each query string to what is
  counted: the campaign marker ``k`` on pages, the search term on ``/statistik/suche``.
The visit numbers live only in memory for one report.
"""

from __future__ import annotations

import datetime as dt
import gzip
import ipaddress
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

from .settings import CAMPAIGN_PARAMETER

LINE = re.compile(
    r'^(?P<ip>\S+) - - \[(?P<time>[^\]]+)\] "(?P<request>[^"]*)" (?P<status>\d{3}) (?P<bytes>\S+) '
    r'"(?P<referer>[^"]*)" "(?P<agent>[^"]*)"'
)
TIME_FORMAT = "%d/%b/%Y:%H:%M:%S %z"
SEARCH_BEACON = "suche"


@dataclass(frozen=True)
class Request:
    """One parsed line of the access log."""

    ip: str  # shortened by nginx (x.y.z.0, a:b:c::)
    when: dt.datetime
    method: str
    target: str
    protocol: str
    status: int
    size: str
    referer: str
    agent: str


def parse_line(line: str) -> Request | None:
    """A line in the ``magazin`` format, or None (another format, a broken line)."""
    match = LINE.match(line)
    if not match:
        return None
    parts = match["request"].split(" ")
    if len(parts) != 3:
        return None
    try:
        when = dt.datetime.strptime(match["time"], TIME_FORMAT)
    except ValueError:
        return None
    return Request(
        match["ip"], when, parts[0], parts[1], parts[2], int(match["status"]), match["bytes"],
        match["referer"], match["agent"],
    )  # fmt: skip


def log_files(main: str | os.PathLike[str]) -> list[Path]:
    """``main`` and its rotated copies (``main.1``, ``main.2.gz``, or with logrotate's
    ``dateext`` ``main.20261207``, ``main.20261206.gz``); the order does not matter (requests
    are sorted by time)."""
    main = Path(main)
    rotated = []
    for path in main.parent.glob(main.name + ".*"):
        suffix = path.name[len(main.name) + 1 :].removesuffix(".gz")
        if suffix.isdigit():
            rotated.append((int(suffix), path))
    files = [p for _, p in sorted(rotated, reverse=True)]
    if main.exists():
        files.append(main)
    return files


def read_lines(paths: Iterable[Path]) -> Iterator[str]:
    for path in paths:
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8", errors="replace") as handle:
            yield from handle


def in_networks(ip: str, networks: list) -> bool:
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return False
    return any(address.version == n.version and address in n for n in networks)


def networks_of(values: Iterable[str]) -> list:
    """``STATISTICS_EXCLUDE_NETWORKS`` as networks; a German ``ValueError`` names a bad one."""
    out = []
    for value in values:
        try:
            out.append(ipaddress.ip_network(str(value), strict=False))
        except ValueError:
            raise ValueError(
                f"STATISTICS_EXCLUDE_NETWORKS: „{value}“ ist kein Netz (z. B. 192.0.2.0/24)."
            ) from None
    return out


def reduced_target(target: str, beacons: str) -> str:
    """Path plus only what is counted of the query: ``k`` on pages, ``q`` on the search beacon."""
    parts = urlsplit(target)
    keep = ("q",) if parts.path == beacons + SEARCH_BEACON else (CAMPAIGN_PARAMETER,)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=False) if k in keep][:1]
    return parts.path + ("?" + urlencode(query) if query else "")


def referer_host(referer: str, own_hosts: set[str]) -> str:
    """Only the host of a foreign referrer (``https://host/``), "-" for none or our own."""
    host = (urlsplit(referer).hostname or "").lower() if referer not in ("", "-") else ""
    if not host or host in own_hosts:
        return "-"
    return f"https://{host}/"


@dataclass
class Prepared:
    """The period's requests, ready for GoAccess: anonymised lines and what was dropped."""

    lines: list[str]
    requests: list[tuple[int, Request]]  # (visit number, request) for the department pass
    excluded_network: int = 0
    outside_period: int = 0
    unreadable: int = 0


def prepare(
    lines: Iterable[str],
    since: dt.date,
    until: dt.date,
    *,
    exclude: list,
    visit_minutes: int,
    own_hosts: set[str],
    beacons: str,
) -> Prepared:
    """Filter, group into visits and anonymise (see the module's docstring)."""
    gap = dt.timedelta(minutes=visit_minutes)
    last_seen: dict[tuple[str, str], tuple[dt.datetime, int]] = {}
    visits = 0
    out = Prepared([], [])
    parsed = []
    for line in lines:
        request = parse_line(line)
        if request is None:
            out.unreadable += 1 if line.strip() else 0
            continue
        parsed.append(request)
    parsed.sort(key=lambda r: r.when)
    for request in parsed:
        if not since <= request.when.date() <= until:
            out.outside_period += 1
            continue
        if in_networks(request.ip, exclude):
            out.excluded_network += 1
            continue
        key = (request.ip, request.agent)
        seen = last_seen.get(key)
        if seen is None or request.when - seen[0] > gap:
            visits += 1
            number = visits
        else:
            number = seen[1]
        last_seen[key] = (request.when, number)
        out.requests.append((number, request))
        out.lines.append(anonymised_line(number, request, None, own_hosts, beacons))
    return out


def pseudo_address(number: int) -> str:
    """A visit number written as an address GoAccess accepts (10.0.0.0/8, never a real one)."""
    return f"10.{(number >> 16) & 255}.{(number >> 8) & 255}.{number & 255}"


def anonymised_line(
    number: int, request: Request, target: str | None, own_hosts: set[str], beacons: str
) -> str:
    """The request in the combined log format with the visit number for the address."""
    target = target if target is not None else reduced_target(request.target, beacons)
    agent = request.agent.replace('"', "")
    return (
        f"{pseudo_address(number)} - - [{request.when.strftime(TIME_FORMAT)}] "
        f'"{request.method} {target} {request.protocol}" {request.status} {request.size} '
        f'"{referer_host(request.referer, own_hosts)}" "{agent}"'
    )
