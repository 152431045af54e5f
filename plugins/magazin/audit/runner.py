"""Run all gates over one site and print the report table (``invoke audit``)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from . import a11y, feeds, html, links, pdf, privacy, security, structured
from .browser import Browser, serve
from .core import GateResult, Site, ToolMissing, in_ci

STATIC_GATES = [html, links, feeds, security, structured, pdf]
BROWSER_GATES = [a11y, privacy]


def _guarded(name: str, fn: Callable[[], GateResult]) -> GateResult:
    """Run one gate; a missing tool skips it (a failure under CI=true)."""
    try:
        return fn()
    except ToolMissing as exc:
        result = GateResult(name, skipped=str(exc))
        if in_ci():
            result.add("CI", f"Werkzeug fehlt: {exc}")
        return result


def run_gates(
    site: Site,
    *,
    a11y_all_pages: bool = False,
    progress: Callable[[str], None] | None = None,
) -> list[GateResult]:
    """Run the static gates, then the browser gates in one Chromium against one local server."""
    say = progress or (lambda _msg: None)
    results = []
    for gate in STATIC_GATES:
        say(gate.NAME)
        results.append(_guarded(gate.NAME, lambda gate=gate: gate.run(site)))
    with contextlib.ExitStack() as stack:
        try:
            browser = stack.enter_context(Browser())
        except ToolMissing as exc:
            for gate in BROWSER_GATES:
                results.append(_guarded(gate.NAME, lambda exc=exc: (_ for _ in ()).throw(exc)))
            return results
        origin = stack.enter_context(serve(site.output))
        say(a11y.NAME)
        results.append(_guarded(a11y.NAME, lambda: a11y.run(site, browser, origin, all_pages=a11y_all_pages)))
        say(privacy.NAME)
        results.append(_guarded(privacy.NAME, lambda: privacy.run(site, browser, origin)))
    return results


def format_report(results: list[GateResult], max_details: int = 50) -> str:
    """One table (gate | pages checked | problems), the details below it."""
    rows = [("Prüfung", "geprüft", "Probleme")]
    for r in results:
        status = "übersprungen" if r.skipped and not r.problems else str(len(r.problems))
        rows.append((("✓ " if r.ok else "✗ " if r.problems else "– ") + r.gate, str(r.checked), status))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    line = "-|-".join("-" * w for w in widths)
    out = []
    for i, row in enumerate(rows):
        out.append(
            " | ".join(
                cell.ljust(widths[j]) if j == 0 else cell.rjust(widths[j]) for j, cell in enumerate(row)
            )
        )
        if i == 0:
            out.append(line)
    for r in results:
        if r.skipped:
            out.append(f"\n{r.gate}: übersprungen – {r.skipped}")
        if r.problems:
            out.append(f"\n{r.gate}: {len(r.problems)} Problem(e)")
            out += [f"  ✗ {p}" for p in r.problems[:max_details]]
            if len(r.problems) > max_details:
                out.append(f"  … und {len(r.problems) - max_details} weitere")
        for note in r.notes[:5]:
            out.append(f"  · {r.gate}: {note}")
    return "\n".join(out)
