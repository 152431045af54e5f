"""Lighthouse (npm ``lighthouse@12.2.3``, Debian's Chromium) in mobile mode on the real
magazine: home, an article with a video and the social-links page.

Lighthouse is installed into the git-ignored ``tools/lighthouse`` by ``invoke bench
--lighthouse``; the test suite never depends on it.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import subprocess
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / "tools" / "lighthouse"
BINARY = TOOLS / "node_modules" / ".bin" / "lighthouse"
VERSION = "12.2.3"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def ensure_installed() -> Path:
    """``npm install lighthouse@12.2.3`` into tools/lighthouse (once)."""
    if not BINARY.exists():
        TOOLS.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", f"lighthouse@{VERSION}"], cwd=TOOLS, check=True
        )
    return BINARY


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def _video_article(output: Path) -> str | None:
    """The first article page that contains a video embed (YouTube plugin) or any iframe/poster."""
    for page in sorted(output.glob("*/*/index.html")):
        text = page.read_text(encoding="utf-8", errors="replace")
        if "youtube" in text.lower() and "<article" in text:
            return "/" + str(page.parent.relative_to(output)) + "/"
    return None


def audit(output: Path, chromium: str = "/usr/bin/chromium") -> dict:
    """Serve ``output`` on 127.0.0.1 (free port) and run Lighthouse on the three pages."""
    binary = ensure_installed()
    handler = functools.partial(_QuietHandler, directory=str(output))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    pages = {
        "home page": "/",
        "article with video": _video_article(output),
        "social-links page": "/social-media/",
    }
    results: dict = {}
    env = {**os.environ, "CHROME_PATH": chromium}
    flags = "--headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking"
    try:
        for name, path in pages.items():
            if path is None or not (output / path.strip("/") / "index.html").exists():
                results[name] = {"error": f"Seite fehlt ({path})"}
                continue
            proc = subprocess.run(
                [
                    str(binary),
                    base + path,
                    "--output=json",
                    "--output-path=stdout",
                    "--quiet",
                    f"--chrome-flags={flags}",
                    "--only-categories=" + ",".join(CATEGORIES),
                ],
                capture_output=True,
                text=True,
                env=env,
                timeout=300,
                check=False,
            )
            try:
                report = json.loads(proc.stdout)
            except ValueError:
                results[name] = {"error": (proc.stderr or "keine Ausgabe").strip()[-200:]}
                continue
            scores = {c: round(100 * (report["categories"][c]["score"] or 0)) for c in CATEGORIES}
            cls = report["audits"].get("cumulative-layout-shift", {}).get("numericValue")
            scores["cls"] = round(cls, 3) if cls is not None else "–"
            scores["url"] = path
            scores["failed"] = sorted(
                audit_id
                for c in CATEGORIES[1:]
                for ref in report["categories"][c]["auditRefs"]
                if ref.get("weight")
                and (audit_id := ref["id"]) in report["audits"]
                and report["audits"][audit_id].get("score") not in (None, 1)
            )
            results[name] = scores
    finally:
        server.shutdown()
    return results
