"""GoAccess (Debian's ``goaccess``) counts the prepared log; this module runs it and reads its
JSON.

Why GoAccess: it is a maintained log analyser with a maintained list of crawlers and tools
(``--ignore-crawlers``, ``--unknowns-as-crawlers``), counts hits and unique visitors per
address, per referring site and per day, and writes JSON that a task can read. What it cannot
do is done before it runs (``logs.py``): the period, the company's networks and visits of 30
minutes (its "unique visitor" is address + day + browser; the visit number written in place of
the address makes it count visits). It runs with ``--no-global-config`` and reads the log from
standard input: no database on disk, no HTML report, nothing kept.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

GOACCESS = "goaccess"
LOG_FORMAT = "COMBINED"
# panels the report never reads: addresses (visit numbers here), systems, browsers, times
IGNORED_PANELS = ("HOSTS", "OS", "BROWSERS", "VISIT_TIMES", "REFERRERS", "KEYPHRASES", "GEO_LOCATION")


class GoAccessMissing(RuntimeError):
    """GoAccess is not installed (German message with the install command)."""


@dataclass(frozen=True)
class Count:
    hits: int
    visits: int


@dataclass
class Counted:
    """What the report reads from one GoAccess run."""

    valid: int = 0
    visits: int = 0
    requests: dict[str, Count] = field(default_factory=dict)  # path[?query] → count
    referring_sites: dict[str, Count] = field(default_factory=dict)  # host → count
    days: dict[str, Count] = field(default_factory=dict)  # YYYYMMDD → count
    not_found: dict[str, Count] = field(default_factory=dict)


def _items(panel: dict | None) -> dict[str, Count]:
    out: dict[str, Count] = {}
    for item in (panel or {}).get("data", []):
        key = str(item.get("data", ""))
        count = Count(int(item["hits"]["count"]), int(item["visitors"]["count"]))
        old = out.get(key)
        out[key] = count if old is None else Count(old.hits + count.hits, old.visits + count.visits)
    return out


def parse_json(data: dict) -> Counted:
    """GoAccess's JSON output (``-o json``) → the counts the report uses."""
    general = data.get("general", {})
    return Counted(
        valid=int(general.get("valid_requests", 0)),
        visits=int(general.get("unique_visitors", 0)),
        requests=_items(data.get("requests")),
        referring_sites=_items(data.get("referring_sites")),
        days=_items(data.get("visitors")),
        not_found=_items(data.get("not_found")),
    )


def run(lines: list[str], own_agents: list[str]) -> Counted:
    """Count ``lines`` (combined log format) with GoAccess; bots and ``own_agents`` left out."""
    binary = shutil.which(GOACCESS)
    if binary is None:
        raise GoAccessMissing("GoAccess fehlt: apt-get install goaccess (siehe docs/betrieb.md).")
    if not lines:
        return Counted()
    with tempfile.TemporaryDirectory(prefix="magazin-goaccess-") as tmp:
        browsers = Path(tmp) / "eigene-pruefungen.list"
        # GoAccess's browsers file: "<part of the user agent>\t<category>"; Crawlers are ignored
        browsers.write_text(
            "".join(f"{agent}\tCrawlers\n" for agent in own_agents if agent.strip()), encoding="utf-8"
        )
        command = [
            binary, "-", "--no-global-config", f"--log-format={LOG_FORMAT}",
            "--ignore-crawlers", "--unknowns-as-crawlers", f"--browsers-file={browsers}",
            "--ignore-statics=panel", "-o", "json",
            *(f"--ignore-panel={panel}" for panel in IGNORED_PANELS),
        ]  # fmt: skip
        done = subprocess.run(
            command,
            input="\n".join(lines) + "\n",
            capture_output=True,
            text=True,
            check=False,
            cwd=tmp,
            timeout=600,
        )
    if done.returncode != 0:
        raise RuntimeError(f"GoAccess endete mit {done.returncode}: {done.stderr.strip()[-2000:]}")
    return parse_json(json.loads(done.stdout))
