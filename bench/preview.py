"""The live preview's case, measured in one process: build, then edit one article's body
and rebuild, as ``invoke livereload`` does on every save. ``python -m bench.preview …``
prints the rebuild times as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--content", required=True)
    parser.add_argument("--output", required=True)
    parser.add_argument("--cache", required=True)
    parser.add_argument("--article", required=True)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    os.chdir(ROOT)
    from magazin.core.build import build
    from magazin.core.incremental import PreviewState

    # as the live preview builds (magazin.preview.run): the search index follows in the background
    overrides = {"PATH": args.content, "CACHE_PATH": args.cache, "SEARCH_BUILD_INDEX": False}
    state = PreviewState()  # kept for the process's life, as ``invoke livereload`` does
    build(ROOT / "pelicanconf.py", args.output, overrides=overrides, preview=state)
    article = Path(args.article)
    times = []
    for run in range(args.runs):
        with article.open("a", encoding="utf-8") as fh:
            fh.write(f"\nNachtrag {run}: Die Vorschau zeigt jede Änderung sofort.\n")
        started = time.perf_counter()
        build(ROOT / "pelicanconf.py", args.output, overrides=overrides, preview=state)
        times.append(time.perf_counter() - started)
    print(json.dumps({"ok": True, "times": times}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
