"""One build in its own process (called by the runner): ``python -m bench.build_once …``.

Prints one JSON line: seconds inside the build, pages written, warnings, image statistics.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--content", required=True)
    parser.add_argument("--output", required=True)
    parser.add_argument("--cache", required=True)
    parser.add_argument("--settings", default=str(ROOT / "pelicanconf.py"))
    parser.add_argument("--serial", action="store_true", help="no process pool, no content cache")
    parser.add_argument("--no-search", action="store_true", help="SEARCH_ENABLED = False (what search costs)")
    args = parser.parse_args(argv)
    os.chdir(ROOT)
    from magazin.core.build import BuildFailed, build

    overrides = {"PATH": args.content, "CACHE_PATH": args.cache}
    if args.serial:
        overrides.update(PARALLEL_WORKERS=1, CACHE_CONTENT=False, LOAD_CONTENT_CACHE=False, IMAGES_WORKERS=1)
    if args.no_search:
        overrides["SEARCH_ENABLED"] = False
    try:
        report = build(args.settings, args.output, overrides=overrides)
    except BuildFailed as exc:
        print(json.dumps({"ok": False, "problems": exc.problems[:20]}))
        return 1
    stats_file = Path(args.cache) / "images" / "last-build.json"
    images = json.loads(stats_file.read_text()) if stats_file.exists() else {}
    search = {}
    bundles = sorted((Path(args.cache) / "pagefind").glob("*/stats.json"), key=lambda p: p.stat().st_mtime)
    if bundles and not args.no_search:
        search = json.loads(bundles[-1].read_text())
    posters_file = Path(args.cache) / "images" / "last-posters.json"
    if posters_file.exists():
        images["posters"] = json.loads(posters_file.read_text())
    print(
        json.dumps(
            {
                "ok": True,
                "seconds": report.seconds,
                "warnings": report.warnings[:20],
                "images": images,
                "search": search,
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
