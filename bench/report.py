"""Write the benchmark results: JSON (everything) and a Markdown table (the README's)."""

from __future__ import annotations

import json
from pathlib import Path


def _s(case: dict | None) -> str:
    return "–" if not case else f"{case['median_s']:.2f} s"


def _range(bounds, unit: str) -> str:
    """`` (lowest–highest)`` of the rounds, or nothing."""
    if not bounds:
        return ""
    return f" ({bounds[0]:.2f}–{bounds[1]:.2f}{unit})"


def _row(cells: list) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def _cpu(case: dict | None) -> str:
    return "–" if not case or "cpu_s" not in case else f"{case['cpu_s']:.2f} s"


def _made(images: dict) -> str:
    """Derivatives encoded: article images, plus video posters when the build had any."""
    posters = images.get("posters")
    made = str(images.get("made", 0))
    return f"{made} + {posters['made']} posters" if posters else made


def markdown_table(results: dict) -> str:
    """The results as Markdown: build times (wall and CPU), ratios, memory, images, correctness."""
    head = [
        "Articles",
        "Pages",
        "Measure",
        "ours cold",
        "ours cold, image cache kept",
        "same, search off",
        "warm",
        "edit body",
        "edit tags",
        "preview edit",
        "serial clean",
        "stock Pelican",
        "Hugo",
    ]
    rows = [_row(head), "|" + "---:|" * len(head)]
    ratio_head = [
        "Articles",
        "ours/stock",
        "ours (image cache kept)/stock",
        "ours/Hugo",
        "warm/cold",
        "edit/cold",
        "ms/article",
        "ms/page",
    ]
    ratios = [_row(ratio_head), "|" + "---:|" * len(ratio_head)]
    extra_head = [
        "Articles",
        "peak RAM ours / stock / Hugo (MB)",
        "images cold: made",
        "images warm: reused / made",
        "byte-identical to serial clean",
    ]
    extra = [_row(extra_head), "|" + "---:|" * len(extra_head)]
    keys = [
        "ours_cold",
        "ours_cold_images_cached",
        "ours_cold_no_search",
        "ours_warm",
        "ours_edit_one",
        "ours_tags_one",
        "preview_edit_one",
        "ours_serial_clean",
        "stock_pelican",
        "hugo",
    ]
    for r in results["sizes"]:
        rows.append(_row([r["articles"], r["pages"], "wall", *(_s(r.get(k)) for k in keys)]))
        rows.append(_row(["", "", "CPU", *(_cpu(r.get(k)) for k in keys)]))
        q = r["ratios"]
        ratios.append(
            _row(
                [
                    r["articles"],
                    f"{q['ours_over_stock']}×",
                    f"{q.get('ours_images_cached_over_stock', '–')}×",
                    f"{q['ours_over_hugo']}×" if q.get("ours_over_hugo") else "–",
                    f"{q['warm_over_cold']}×",
                    f"{q['edit_over_cold']}×",
                    r["ms_per_article"],
                    r["ms_per_page"],
                ]
            )
        )
        hugo = r.get("hugo")
        cold_img = r["ours_cold"].get("images") or {}
        warm_img = r["ours_warm"].get("images") or {}
        peaks = [r["ours_cold"]["peak_mb"], r["stock_pelican"]["peak_mb"], hugo["peak_mb"] if hugo else 0]
        gate = ", ".join(f"{k}: {'yes' if v else 'NO'}" for k, v in r["identical"].items())
        extra.append(
            _row(
                [
                    r["articles"],
                    " / ".join(f"{p:.0f}" for p in peaks),
                    _made(cold_img),
                    f"{warm_img.get('reused', 0)} / {warm_img.get('made', 0)}"
                    + (f" (posters made: {warm_img['posters']['made']})" if "posters" in warm_img else ""),
                    gate,
                ]
            )
        )
    goal_head = [
        "Articles",
        "search index: build time it adds (goal ≤ 2 s)",
        "its CPU",
        "of it: documents + Pagefind",
        "pages indexed",
        "wait for the bundle at the end",
        "cold (image cache kept) / stock Pelican (goal ≤ 2×)",
        "save → reload in Chromium (goal < 1 s)",
        "stock Pelican",
        "Hugo",
    ]
    goals = [_row(goal_head), "|" + "---:|" * len(goal_head)]
    for r in results["sizes"]:
        search = r.get("search") or {}
        reload = r.get("save_reload") or {}
        q = r["ratios"]
        goals.append(
            _row(
                [
                    r["articles"],
                    (
                        f"{search['cost_s']:.2f} s" + _range(search.get("cost_range_s"), " s")
                        if "cost_s" in search
                        else "–"
                    ),
                    f"{search['cost_cpu_s']:.2f} s" if "cost_cpu_s" in search else "–",
                    (
                        f"{search['documents_cpu']:.2f} s + {search['pagefind_cpu']:.2f} s"
                        if "pagefind_cpu" in search
                        else "–"
                    ),
                    search.get("pages", "–"),
                    f"{search['seconds']:.2f} s" if "seconds" in search else "–",
                    f"{q.get('ours_images_cached_over_stock', '–')}×"
                    + _range(q.get("ours_images_cached_over_stock_range"), "×"),
                    (
                        f"{reload['median_s']:.2f} s (reload starts {reload['reload_median_s']:.2f} s)"
                        if "median_s" in reload
                        else reload.get("error", "–")
                    ),
                    _s(r.get("stock_pelican")),
                    _s(r.get("hugo")),
                ]
            )
        )
    m = results["machine"]
    lines = [
        f"Measured {results['date']} on {m['cores']} cores (Python {m['python']}, load before "
        f"{m['load_before']:.1f}), median of {results['runs']} runs, seed {results['seed']}. "
        "wall = wall-clock time of the build process, CPU = user + sys of it and its children. "
        f"The goals' figures (first table) come from {results.get('pairs', results['runs'])} rounds of "
        "three builds run one after the other (ours with search off, stock Pelican, ours with "
        "the image cache kept): the median of the rounds' differences and ratios, in brackets the "
        "lowest and highest round; so does the cold column of the second table.",
        "",
        *goals,
        "",
        *rows,
        "",
        *ratios,
        "",
        *extra,
    ]
    lh = results.get("lighthouse")
    if lh:
        lines += [
            "",
            _row(
                [
                    "Lighthouse (mobile)",
                    "Performance",
                    "Accessibility",
                    "Best Practices",
                    "SEO",
                    "CLS",
                    "failed audits",
                ]
            ),
            "|---|---:|---:|---:|---:|---:|---|",
        ]
        for name, sc in lh.items():
            if "error" in sc:
                lines.append(_row([name, "Fehler: " + sc["error"][:80], "", "", "", "", ""]))
            else:
                lines.append(
                    _row(
                        [
                            name,
                            sc["performance"],
                            sc["accessibility"],
                            sc["best-practices"],
                            sc["seo"],
                            sc["cls"],
                            ", ".join(sc.get("failed", [])) or "–",
                        ]
                    )
                )
    return "\n".join(lines) + "\n"


def write_results(results: dict, folder: Path) -> tuple[Path, Path]:
    """``folder/bench-<date>.json`` and ``.md`` plus ``latest.json``/``latest.md``."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = results["date"].replace(" ", "_").replace(":", "")
    table = markdown_table(results)
    data = json.dumps(results, ensure_ascii=False, indent=2)
    for name in (f"bench-{stamp}", "latest"):
        (folder / f"{name}.json").write_text(data, encoding="utf-8")
        (folder / f"{name}.md").write_text(table, encoding="utf-8")
    return folder / "latest.json", folder / "latest.md"


README_START = "<!-- bench:start -->"
README_END = "<!-- bench:end -->"


def update_readme(readme: Path, table: str) -> bool:
    """Replace the table between the bench markers in the README; False when there are none."""
    text = readme.read_text(encoding="utf-8")
    start, end = text.find(README_START), text.find(README_END)
    if start < 0 or end < start:
        return False
    text = text[: start + len(README_START)] + "\n" + table + text[end:]
    readme.write_text(text, encoding="utf-8")
    return True
