"""Deleting access logs older than ``STATISTICS_RETENTION_DAYS`` (``invoke statistik
--aufraeumen``). logrotate rotates the log every day (``docs/betrieb.md``); a rotated file
whose newest request is older than the retention period is deleted. The current file is left
to logrotate (nginx writes to it)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from .logs import parse_line, read_lines


def newest_request(path: Path) -> dt.datetime | None:
    newest = None
    for line in read_lines([path]):
        request = parse_line(line)
        if request is not None and (newest is None or request.when > newest):
            newest = request.when
    return newest


def expired(paths: Iterable[Path], days: int, now: dt.datetime) -> list[Path]:
    """The rotated logs (not the first, current one) whose newest request is older than ``days``."""
    limit = now - dt.timedelta(days=days)
    out = []
    for path in paths:
        if not path.name.rsplit(".", 1)[-1].isdigit() and not path.name.endswith(".gz"):
            continue  # the current log: logrotate's job
        newest = newest_request(path)
        if newest is None:
            newest = dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.UTC)
        if newest < limit:
            out.append(path)
    return out


def delete_expired(paths: Iterable[Path], days: int, now: dt.datetime) -> list[Path]:
    """Delete what ``expired`` names; returns the deleted files."""
    gone = expired(list(paths), days, now)
    for path in gone:
        path.unlink()
    return gone
