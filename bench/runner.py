"""Run the benchmark: every build in its own process, median of several runs.

For each corpus size: our magazine cold / warm (no change) / after editing one article's
body / after changing one article's tags, the live-preview rebuild in one process, stock
Pelican and Hugo on the same Markdown; plus the correctness gate (parallel and cached
output byte-identical to a clean serial build).
"""

from __future__ import annotations

import filecmp
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from .corpus import make_corpus
from .others import make_hugo_site, write_stock_settings

ROOT = Path(__file__).resolve().parent.parent
HUGO = shutil.which("hugo")
TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None


@dataclass
class Timing:
    """One process: wall seconds, peak resident memory (MB) of the largest process in its tree."""

    seconds: float
    peak_mb: float
    stdout: str = ""
    cpu: float = 0.0


@dataclass
class Case:
    """Several runs of one scenario."""

    runs: list[Timing] = field(default_factory=list)
    extra: dict = field(default_factory=dict)

    @property
    def median(self) -> float:
        return statistics.median(t.seconds for t in self.runs)

    @property
    def peak_mb(self) -> float:
        return max(t.peak_mb for t in self.runs)

    def as_dict(self) -> dict:
        return {
            "median_s": round(self.median, 3),
            "cpu_s": round(statistics.median(t.cpu for t in self.runs), 3),
            "runs_s": [round(t.seconds, 3) for t in self.runs],
            "peak_mb": round(self.peak_mb, 1),
            **self.extra,
        }


def timed(cmd: list[str], cwd: Path = ROOT) -> Timing:
    """Run ``cmd``; wall time and peak RSS from ``wait4`` (the child and the children it waited for)."""
    # ``wait4`` alone would count the benchmark's own memory (the kernel keeps the
    # pre-exec high-water mark): /usr/bin/time forks from a tiny process instead.
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.NamedTemporaryFile("r") as mem,
    ):
        wrapped = [TIME, "-f", "%M %U %S", "-o", mem.name, *cmd] if TIME else cmd
        started = time.perf_counter()
        proc = subprocess.Popen(wrapped, cwd=cwd, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        peak_kb, cpu = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
        if TIME:
            last = (mem.read().strip().splitlines() or [""])[-1].split()
            if len(last) == 3:
                peak_kb, cpu = int(last[0]), float(last[1]) + float(last[2])
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        if proc.returncode != 0:
            raise RuntimeError(
                f"{cmd[:4]} failed ({proc.returncode}):\n{stdout[-2000:]}\n"
                f"{err.read().decode('utf-8', 'replace')[-3000:]}"
            )
    return Timing(seconds, peak_kb / 1024, stdout, cpu)


def _ours(content: Path, output: Path, cache: Path, serial: bool = False, search: bool = True) -> Timing:
    cmd = [
        sys.executable,
        "-m",
        "bench.build_once",
        "--content",
        str(content),
        "--output",
        str(output),
        "--cache",
        str(cache),
    ]
    if serial:
        cmd.append("--serial")
    if not search:
        cmd.append("--no-search")
    timing = timed(cmd)
    result = json.loads(timing.stdout.strip().splitlines()[-1])
    if not result.get("ok"):
        raise RuntimeError("our build failed: " + "\n".join(result.get("problems", [])))
    timing.stdout = json.dumps(result)
    return timing


def _images(timing: Timing) -> dict:
    return json.loads(timing.stdout).get("images", {})


def count_pages(output: Path) -> int:
    return sum(1 for _ in output.rglob("*.html"))


# Pagefind's index (plugins/magazin/search) differs between two identical serial builds (its meta and
# filter shards are not reproducible), so it cannot take part in a byte-for-byte comparison.
NOT_REPRODUCIBLE = ("pagefind",)


def diff_trees(left: Path, right: Path, ignore: tuple[str, ...] = NOT_REPRODUCIBLE) -> list[str]:
    """Relative paths that differ between two output trees (missing, extra or other bytes);
    top-level folders in ``ignore`` are skipped."""
    problems: list[str] = []

    def walk(cmp: filecmp.dircmp, prefix: str) -> None:
        if prefix.split("/", 1)[0] in ignore:
            return
        problems.extend(f"{prefix}{n} (nur links)" for n in cmp.left_only)
        problems.extend(f"{prefix}{n} (nur rechts)" for n in cmp.right_only)
        _, mismatch, errors = filecmp.cmpfiles(cmp.left, cmp.right, cmp.common_files, shallow=False)
        problems.extend(prefix + n for n in mismatch + errors)
        for name, sub in cmp.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(filecmp.dircmp(left, right), "")
    return problems


def _touch_body(article: Path, run: int) -> None:
    with article.open("a", encoding="utf-8") as fh:
        fh.write(f"\nErgänzung {run}: Ein Satz mehr für den Benchmark.\n")


def _change_tags(article: Path, run: int) -> None:
    lines = article.read_text(encoding="utf-8").splitlines(keepends=True)
    for index, line in enumerate(lines):
        if line.startswith("Tags:"):
            lines[index] = line.rstrip("\n") + f", Benchmark {run}\n"
            break
    article.write_text("".join(lines), encoding="utf-8")


def _search_stats(timing: Timing) -> dict:
    """Pages, words and the wait at the end of the build for the search index (IndexStats)."""
    stats = json.loads(timing.stdout).get("search") or {}
    keys = ("pages", "words", "files", "bytes", "seconds", "documents_cpu", "pagefind_cpu")
    return {k: stats[k] for k in keys if k in stats}


def _article_url(output: Path, article: Path) -> str:
    """The URL of ``article`` in the built ``output`` (found by its title)."""
    import html

    lines = article.read_text(encoding="utf-8").splitlines()
    title = next(line[6:].strip() for line in lines if line.startswith("Title:"))
    needle = f">{html.escape(title, quote=False)}</h1>"
    for page in sorted((output / article.parent.name).glob("*/index.html")):
        if needle in page.read_text(encoding="utf-8"):
            return "/" + str(page.parent.relative_to(output)) + "/"
    raise RuntimeError(f"{article.name}: Seite nicht gefunden")


def bench_size(n: int, runs: int, seed: int, work: Path, log=print, pairs: int = 5) -> dict:
    """All scenarios for one corpus size."""
    folder = work / f"n{n}"
    content = make_corpus(folder, n, seed, work / "image-pool")
    articles = sorted((content / "articles").rglob("*.md"))
    victim = articles[len(articles) // 2]
    out, cache = folder / "output", folder / "cache"
    result: dict = {"articles": n}

    log(f"[{n}] ours, cold ×{runs}")
    cold = Case()
    for _ in range(runs):
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)
        cold.runs.append(_ours(content, out, cache))
    cold.extra["images"] = _images(cold.runs[-1])
    result["pages"] = count_pages(out)

    # The three builds the goals compare run in rounds (ours with the image cache kept, the same
    # without search, stock Pelican), so that each round meets the machine in the same state:
    # this machine's speed drifts by ±30 % within minutes, which made ratios of medians taken
    # minutes apart say more about the drift than about the builds.
    log(
        f"[{n}] rounds ×{pairs}: ours cold with the image cache kept, the same with search off, stock Pelican"
    )
    stock_out = folder / "stock-output"
    stock_conf = write_stock_settings(folder / "stock", content, stock_out)
    cold_text, no_search, stock = Case(), Case(), Case()
    no_search_out = folder / "output-no-search"

    def cold_except_images() -> None:
        for entry in cache.iterdir() if cache.exists() else []:
            if entry.name != "images":
                shutil.rmtree(entry) if entry.is_dir() else entry.unlink()

    for _ in range(pairs):  # ours last in a round: its output and cache serve the warm scenarios
        shutil.rmtree(no_search_out, ignore_errors=True)
        cold_except_images()
        no_search.runs.append(_ours(content, no_search_out, cache, search=False))
        shutil.rmtree(stock_out, ignore_errors=True)
        stock.runs.append(timed([sys.executable, "-m", "pelican", "-q", "-s", str(stock_conf)], cwd=folder))
        shutil.rmtree(out, ignore_errors=True)
        cold_except_images()
        cold_text.runs.append(_ours(content, out, cache))
    cold_text.extra["images"] = _images(cold_text.runs[-1])
    stock.extra["pages"] = count_pages(stock_out)
    shutil.rmtree(no_search_out, ignore_errors=True)
    search_stats = _search_stats(cold_text.runs[-1])

    cold_copy = folder / "output-cold"
    shutil.rmtree(cold_copy, ignore_errors=True)
    shutil.copytree(out, cold_copy)

    log(f"[{n}] ours, warm ×{runs}")
    warm = Case()
    for _ in range(runs):
        warm.runs.append(_ours(content, out, cache))
    warm.extra["images"] = _images(warm.runs[-1])

    log(f"[{n}] clean serial build (correctness gate)")
    serial_out = folder / "output-serial"
    shutil.rmtree(serial_out, ignore_errors=True)
    serial = Case([_ours(content, serial_out, folder / "cache-serial", serial=True)])
    shutil.rmtree(folder / "cache-serial", ignore_errors=True)
    gate = {"parallel_cold": diff_trees(serial_out, cold_copy), "warm_cache": diff_trees(serial_out, out)}

    log(f"[{n}] ours, one article's body edited ×{runs}")
    edit = Case()
    for run in range(runs):
        _touch_body(victim, run)
        edit.runs.append(_ours(content, out, cache))
    edit.extra["images"] = _images(edit.runs[-1])

    log(f"[{n}] ours, one article's tags changed ×{runs}")
    tags = Case()
    for run in range(runs):
        _change_tags(victim, run)
        tags.runs.append(_ours(content, out, cache))

    log(f"[{n}] clean serial build of the edited corpus (correctness gate)")
    shutil.rmtree(serial_out, ignore_errors=True)
    _ours(content, serial_out, folder / "cache-serial", serial=True)
    shutil.rmtree(folder / "cache-serial", ignore_errors=True)
    gate["cached_after_edits"] = diff_trees(serial_out, out)

    log(f"[{n}] live preview: edit one article, rebuild in the same process ×{runs}")
    preview = timed(
        [
            sys.executable,
            "-m",
            "bench.preview",
            "--content",
            str(content),
            "--output",
            str(out),
            "--cache",
            str(cache),
            "--article",
            str(victim),
            "--runs",
            str(runs),
        ]
    )
    preview_times = json.loads(preview.stdout.strip().splitlines()[-1])["times"]

    log(f"[{n}] live preview in Chromium: save the article, wait for the reloaded page ×{runs}")
    from .reload import measure as measure_reload

    reload = measure_reload(
        content, folder / "output-preview", cache, victim, _article_url(out, victim), runs=runs
    )

    hugo = None
    if HUGO:
        log(f"[{n}] Hugo ×{runs}")
        site = make_hugo_site(folder / "hugo", content)
        hugo = Case()
        for _ in range(runs):
            shutil.rmtree(site / "public", ignore_errors=True)
            hugo.runs.append(timed([HUGO, "--quiet", "--source", str(site)], cwd=site))
        hugo.extra["pages"] = count_pages(site / "public")

    c = cold.median
    ct = cold_text.median
    rounds = list(zip(cold_text.runs, no_search.runs, strict=True))
    per_round = [a.seconds / b.seconds for a, b in zip(cold_text.runs, stock.runs, strict=True)]
    result.update(
        {
            "ours_cold": cold.as_dict(),
            "ours_cold_images_cached": cold_text.as_dict(),
            "ours_warm": warm.as_dict(),
            "ours_edit_one": edit.as_dict(),
            "ours_tags_one": tags.as_dict(),
            "ours_serial_clean": serial.as_dict(),
            "preview_edit_one": {
                "median_s": round(statistics.median(preview_times), 3),
                "runs_s": [round(t, 3) for t in preview_times],
            },
            "ours_cold_no_search": no_search.as_dict(),
            "search": {
                # per round: with search minus without, the median of the rounds
                "cost_s": round(statistics.median(a.seconds - b.seconds for a, b in rounds), 3),
                "cost_range_s": [
                    round(min(a.seconds - b.seconds for a, b in rounds), 3),
                    round(max(a.seconds - b.seconds for a, b in rounds), 3),
                ],
                "cost_cpu_s": round(statistics.median(a.cpu - b.cpu for a, b in rounds), 3),
                **search_stats,
            },
            "save_reload": reload,
            "stock_pelican": stock.as_dict(),
            "hugo": hugo.as_dict() if hugo else None,
            "identical": {k: (not v) for k, v in gate.items()},
            "differences": {k: v[:10] for k, v in gate.items() if v},
        }
    )
    result["ratios"] = {
        "ours_over_stock": round(c / stock.median, 2),
        "ours_over_hugo": round(c / hugo.median, 2) if hugo else None,
        # per round: ours / stock, the median of the rounds (and their range)
        "ours_images_cached_over_stock": round(statistics.median(per_round), 2),
        "ours_images_cached_over_stock_range": [round(min(per_round), 2), round(max(per_round), 2)],
        "ours_images_cached_over_hugo": round(ct / hugo.median, 2) if hugo else None,
        "warm_over_cold": round(warm.median / c, 2),
        "edit_over_cold": round(edit.median / c, 2),
        "parallel_over_serial": round(c / serial.median, 2),
        "ours_no_search_images_cached_over_stock": round(
            statistics.median(b.seconds / c.seconds for b, c in zip(no_search.runs, stock.runs, strict=True)),
            2,
        ),
    }
    result["ms_per_article"] = round(1000 * c / n, 2)
    result["ms_per_page"] = round(1000 * c / result["pages"], 2)
    return result


def run_bench(
    sizes: list[int], runs: int, seed: int, work: Path | None = None, log=print, pairs: int = 5
) -> dict:
    """The whole benchmark; ``work`` (default: a temporary folder) holds corpora and outputs."""
    own_work = work is None
    work = Path(work or tempfile.mkdtemp(prefix="magazin-bench-"))
    try:
        results = {
            "date": time.strftime("%Y-%m-%d %H:%M"),
            "machine": {
                "cores": os.cpu_count(),
                "python": sys.version.split()[0],
                "load_before": os.getloadavg()[0],
            },
            "runs": runs,
            "seed": seed,
            "sizes": [bench_size(n, runs, seed, work, log, pairs) for n in sizes],
            "pairs": pairs,
        }
    finally:
        if own_work:
            shutil.rmtree(work, ignore_errors=True)
    return results
