"""The statistics as documents: the intranet page of ``invoke statistik`` (HTML with SVG
charts, outside ``output/``) and the context of the section in ``invoke bericht``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .charts import bars, day_bars
from .figures import Reading
from .settings import statistics_setting

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"


def section_context(reading: Reading, settings: Mapping[str, Any], *, charts: bool) -> dict[str, Any]:
    """What ``was-gelesen.html`` needs."""
    top = int(statistics_setting(settings, "STATISTICS_TOP"))
    drawn = None
    if charts and not reading.problem:
        drawn = {
            "days": day_bars(reading.days),
            "articles": bars(reading.top(top), label="Meistgelesene Artikel (Aufrufe)"),
            "departments": bars(reading.departments, label="Aufrufe nach Abteilung"),
        }
    return {
        "reading": reading,
        "top": top,
        "charts": drawn,
        "all_articles": charts,
        "visit_minutes": int(statistics_setting(settings, "STATISTICS_VISIT_MINUTES")),
    }


def write_page(reading: Reading, settings: Mapping[str, Any], target: Path, today: dt.date) -> Path:
    """``target``/statistik-<seit>-bis-<bis>.html: self-contained (CSS inline, no script)."""
    from magazin.reports.render import FONTS, environment
    from magazin.reports.render import HERE as REPORTS

    output = Path(settings.get("OUTPUT_PATH", "output")).resolve()
    target = Path(target).resolve()
    if target == output or target.is_relative_to(output):
        raise ValueError(f"{target}: die Statistik gehört nicht in die Website ({output}).")
    css = (REPORTS / "templates" / "report.css").read_text(encoding="utf-8")
    html = (
        environment()
        .get_template("statistik.html")
        .render(css=css, fonts=FONTS.as_uri(), today=today, **section_context(reading, settings, charts=True))
    )
    target.mkdir(parents=True, exist_ok=True)
    path = target / f"statistik-{reading.since.isoformat()}-bis-{reading.until.isoformat()}.html"
    path.write_text(html, encoding="utf-8")
    return path
