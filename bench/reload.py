"""Save → reload in the browser, as an author sees it in ``make serve``.

Starts the live preview (``python -m magazin.preview.run``) on a free port, opens one
article in Chromium (Playwright, Debian's ``/usr/bin/chromium``), waits until the page
listens for rebuilds, then appends a sentence to the article's Markdown and measures
until the reloaded page shows it: ``reload_s`` = save → the browser starts loading the new
page, ``visible_s`` = save → the sentence is on screen. Several saves, one process, as an
author works.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")


def _wait_for(origin: str, process: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(origin + "/", timeout=2).close()  # noqa: S310 - our http://127.0.0.1
            return
        except (urllib.error.URLError, OSError):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("Die Vorschau ist nicht gestartet.") from None
            time.sleep(0.3)


def _wait_for_search(output: Path, timeout: float) -> None:
    """Until the preview's background search index is in place (or ``timeout``)."""
    deadline = time.monotonic() + timeout
    time.sleep(0.5)
    while time.monotonic() < deadline:
        busy = any(p.name.startswith(".pagefind-neu-") for p in output.iterdir()) if output.exists() else True
        if not busy and (output / "pagefind" / "pagefind.js").is_file():
            return
        time.sleep(0.25)


def measure(
    content: Path, output: Path, cache: Path, article: Path, url: str, runs: int = 3, pause_s: float = 0.0
) -> dict:
    """Median and single figures of save → reload for ``article`` (served at ``url``);
    ``pause_s``: extra seconds between a reload and the next save (0: the next save follows
    as soon as the search index is in place)."""
    from playwright.sync_api import sync_playwright

    from magazin.audit.browser import CHROMIUM_ARGS
    from magazin.preview.server import free_port

    if not CHROMIUM.exists():
        return {"error": "kein Chromium unter /usr/bin/chromium"}
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "plugins")}
    cmd = [sys.executable, "-m", "magazin.preview.run", "--content", str(content)]
    cmd += ["--output", str(output), "--cache", str(cache), "--port", str(port)]
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_for(origin, process, timeout=600)
            _wait_for_search(output, timeout=900)
            reload_s, visible_s = [], []
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
                tab = browser.new_page()
                tab.goto(origin + url)
                for run in range(runs):
                    tab.wait_for_selector("html[data-vorschau]", state="attached", timeout=60_000)
                    _wait_for_search(output, timeout=900)  # its background index would compete
                    time.sleep(pause_s)
                    sentence = f"Vorschau-Messung {run}: gespeichert und neu geladen."
                    navigated: list[float] = []
                    tab.once("framenavigated", lambda _frame, n=navigated: n.append(time.perf_counter()))
                    started = time.perf_counter()
                    with article.open("a", encoding="utf-8") as fh:
                        fh.write(f"\n{sentence}\n")
                    tab.get_by_text(sentence).wait_for(timeout=120_000)
                    visible_s.append(time.perf_counter() - started)
                    reload_s.append((navigated[0] if navigated else time.perf_counter()) - started)
                browser.close()
        finally:
            process.terminate()
            process.wait(timeout=30)
            log.seek(0)
            tail = log.read().decode("utf-8", "replace")[-1500:]
    import statistics

    return {
        "median_s": round(statistics.median(visible_s), 3),
        "reload_median_s": round(statistics.median(reload_s), 3),
        "runs_s": [round(t, 3) for t in visible_s],
        "reload_runs_s": [round(t, 3) for t in reload_s],
        "log_tail": tail[-400:],
    }
