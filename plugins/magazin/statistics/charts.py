"""Simple charts as SVG written on the server (no chart script, no CDN): bars per day and
horizontal bars per article or department. Built with markupsafe: labels are escaped."""

from __future__ import annotations

import datetime as dt

from markupsafe import Markup

from magazin.german.dates import date_de

BLUE = "#0b5394"
LIGHT = "#9fc3e7"
GREY = "#4f5d69"
SVG = (
    '<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" '
    'height="{h}" role="img" aria-label="{label}">{body}</svg>'
)
SVG_MARKUP = Markup(SVG)  # noqa: S704 - our constant template; format() escapes the values


def day_bars(days: list[tuple[dt.date, int, int]], *, width: int = 640, height: int = 180) -> Markup:
    """Visits (dark) and page views (light) per day of the period."""
    if not days:
        return Markup("")
    top = max(max(v, s) for _, v, s in days) or 1
    left, bottom, head = 34, 26, 10
    inner_w, inner_h = width - left - 6, height - bottom - head
    step = inner_w / len(days)
    bar = min(28.0, max(2.0, step * 0.38))
    parts = [
        Markup('<line x1="{x}" y1="{y}" x2="{x2}" y2="{y}" stroke="#d5dde4"/>').format(
            x=left, x2=width - 6, y=head + inner_h
        ),
        Markup('<text x="{x}" y="{y}" font-size="10" fill="{c}" text-anchor="end">{n}</text>').format(
            x=left - 4, y=head + 4, c=GREY, n=top
        ),
        Markup('<text x="{x}" y="{y}" font-size="10" fill="{c}" text-anchor="end">0</text>').format(
            x=left - 4, y=head + inner_h, c=GREY
        ),
    ]
    label_every = max(1, len(days) // 8)
    for i, (day, views, visits) in enumerate(days):
        x = left + i * step + step * 0.1
        for offset, value, colour, name in (
            (0, views, LIGHT, "Seitenaufrufe"),
            (bar, visits, BLUE, "Besuche"),
        ):
            h = inner_h * value / top
            parts.append(
                Markup(
                    '<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" fill="{c}">'
                    "<title>{d}: {n} {name}</title></rect>"
                ).format(
                    x=x + offset,
                    y=head + inner_h - h,
                    w=bar,
                    h=h,
                    c=colour,
                    d=date_de(day, "medium"),
                    n=value,
                    name=name,
                )
            )
        if i % label_every == 0:
            parts.append(
                Markup('<text x="{x:.1f}" y="{y}" font-size="10" fill="{c}">{d}</text>').format(
                    x=x, y=height - 8, c=GREY, d=day.strftime("%d.%m.")
                )
            )
    return SVG_MARKUP.format(
        w=width, h=height, label="Seitenaufrufe und Besuche pro Tag", body=Markup("").join(parts)
    )


def bars(rows, *, label: str, width: int = 640, value: str = "views", unit: str = "Aufrufe") -> Markup:
    """Horizontal bars, one per row (``Row.label`` and its ``views``/``visits``)."""
    if not rows:
        return Markup("")
    line, text_w = 22, 250
    top = max(getattr(r, value) for r in rows) or 1
    height = line * len(rows) + 4
    parts = []
    for i, row in enumerate(rows):
        n = getattr(row, value)
        y = i * line + 2
        w = (width - text_w - 50) * n / top
        name = row.label if len(row.label) <= 42 else row.label[:41] + "…"
        parts.append(
            Markup(
                '<text x="0" y="{ty}" font-size="11" fill="#15202b">{name}</text>'
                '<rect x="{x}" y="{y}" width="{w:.1f}" height="{h}" fill="{c}">'
                "<title>{full}: {n} {unit}</title></rect>"
                '<text x="{nx:.1f}" y="{ty}" font-size="11" fill="{g}">{n}</text>'
            ).format(
                ty=y + 14,
                name=name,
                x=text_w,
                y=y + 3,
                w=w,
                h=line - 8,
                c=BLUE,
                full=row.label,
                n=n,
                unit=unit,
                nx=text_w + w + 4,
                g=GREY,
            )
        )
    return SVG_MARKUP.format(w=width, h=height, label=label, body=Markup("").join(parts))
