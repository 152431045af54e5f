"""The ``STATISTICS_*`` settings: what the reader statistics count and how long the log stays.

Declared once here; ``pelicanconf.py``/``publishconf.py`` may override any key. The build reads
them through the listed plugin (``plugin.py``), the tasks (``invoke statistik``, ``invoke
bericht``) through ``statistics_setting`` after ``check_statistics_settings``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from magazin.core.settings import Setting, check_settings, declare, setting

DEFAULTS = declare(
    "magazin.statistics",
    "STATISTICS_",
    Setting(
        "STATISTICS_PATH",
        "statistik/",
        "Site path of the plain requests after a video click or a search without result "
        "(nginx answers 204 and logs them).",
    ),
    Setting(
        "STATISTICS_EXCLUDE_NETWORKS",
        [],
        'The company\'s own networks (CIDR, e.g. "192.0.2.0/24"): their requests are not counted.',
    ),
    Setting(
        "STATISTICS_OWN_AGENTS",
        [
            "HeadlessChrome",
            "Edelstahlmagazin-Pruefung",
            "Python-urllib",
            "python-requests",
            "curl",
            "Wget",
            "ApacheBench",
            "Chrome-Lighthouse",
        ],
        "User-agent parts of the build's own checks and monitoring (counted as bots, not as readers).",
    ),
    Setting(
        "STATISTICS_RETENTION_DAYS",
        30,
        "Days the access log is kept; older log files are deleted (invoke statistik --aufraeumen).",
    ),
    Setting(
        "STATISTICS_VISIT_MINUTES",
        30,
        "A visit: requests from the same shortened IP and browser with gaps shorter than this.",
    ),
    Setting(
        "STATISTICS_LOGS",
        [],
        'Access logs to read ([] = SERVER_ACCESS_LOG and its rotated copies, ".1", ".2.gz" …).',
    ),
    Setting(
        "STATISTICS_CAMPAIGNS",
        {"broschuere": "Info-Broschüre", "signatur": "E-Mail-Signatur"},
        "Campaign markers (?k=…) in links and QR codes to the magazine, and their names in the report.",
    ),
    Setting("STATISTICS_TOP", 10, "How many articles, searches and referrers the report lists."),
    Setting(
        "STATISTICS_TARGET",
        "berichte/statistik",
        "Where invoke statistik writes the intranet page (never into output/).",
    ),
)

CAMPAIGN_PARAMETER = "k"


def statistics_setting(settings: Mapping[str, Any], key: str) -> Any:
    """``settings[key]`` or its default from ``DEFAULTS``."""
    return setting(settings, key, DEFAULTS)


def check_statistics_settings(settings: Mapping[str, Any]) -> None:
    """Refuse unknown ``STATISTICS_…`` keys and wrong types (German ``ContentErrors``)."""
    check_settings(settings, DEFAULTS)


def enabled(settings: Mapping[str, Any]) -> bool:
    """Whether the statistics plugin is listed (only then do pages report clicks or searches)."""
    return "magazin.statistics" in (settings.get("PLUGINS") or [])


def beacon_base(settings: Mapping[str, Any]) -> str:
    """``/statistik/`` as the pages address it (absolute with SITEURL), "" when not enabled."""
    if not enabled(settings):
        return ""
    path = str(statistics_setting(settings, "STATISTICS_PATH")).strip("/")
    return f"{str(settings.get('SITEURL') or '').rstrip('/')}/{path}/"


def beacon_path(settings: Mapping[str, Any]) -> str:
    """The path nginx answers with 204 (``/statistik/``)."""
    return "/" + str(statistics_setting(settings, "STATISTICS_PATH")).strip("/") + "/"


def own_hosts(settings: Mapping[str, Any]) -> set[str]:
    """The site's host names (SITEURL and the canonical base; the same one in production):
    their referrers are internal navigation, their links get the campaign marker."""
    hosts = set()
    for key in ("MAGAZINE_CANONICAL_BASE", "SITEURL"):
        host = urlsplit(str(settings.get(key) or "")).hostname
        if host:
            hosts.add(host.lower())
    return hosts


def with_campaign(url: str, campaign: str, settings: Mapping[str, Any]) -> str:
    """``url`` with ``?k=campaign`` when it points to the magazine itself and the statistics
    are enabled; every other address (a channel on X, YouTube …) stays as it is."""
    if not enabled(settings) or campaign not in statistics_setting(settings, "STATISTICS_CAMPAIGNS"):
        return url
    parts = urlsplit(url)
    if (parts.hostname or "").lower() not in own_hosts(settings):
        return url
    joiner = "&" if parts.query else "?"
    return f"{url.split('#')[0]}{joiner}{CAMPAIGN_PARAMETER}={campaign}" + (
        f"#{parts.fragment}" if parts.fragment else ""
    )
