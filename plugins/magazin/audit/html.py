"""Gate "HTML": the Nu HTML Checker (vnu) validates every HTML file of the site.

All files go to ONE vnu run (the JVM is slow to start). The jar is the pinned npm package
``vnu-jar`` that ``make venv`` puts under ``.venv/vnu-<version>/`` (an older vnu rejects
current HTML such as ``enterkeyhint``); ``VNU_JAR`` may point to another one.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .core import GateResult, Site, ToolMissing

NAME = "HTML (vnu)"
FRAGMENT_PAGE = (
    '<!doctype html>\n<html lang="de">\n<head>\n<meta charset="utf-8">\n<title>Fragment</title>\n</head>\n'
    "<body>\n{body}\n</body>\n</html>\n"
)
VENV = Path(__file__).resolve().parents[3] / ".venv"


def find_jar() -> Path | None:
    """``VNU_JAR`` or the newest ``.venv/vnu-*/…/vnu.jar`` of this checkout."""
    if os.environ.get("VNU_JAR"):
        return Path(os.environ["VNU_JAR"])
    jars = sorted(VENV.glob("vnu-*/node_modules/vnu-jar/build/dist/vnu.jar"), key=lambda p: p.stat().st_mtime)
    return jars[-1] if jars else None


def vnu_command() -> list[str]:
    """``java -jar vnu.jar`` or ToolMissing with the reason."""
    java = shutil.which("java")
    if java is None:
        raise ToolMissing("Java fehlt (Debian: default-jre-headless) – vnu braucht eine JVM")
    jar = find_jar()
    if jar is None or not jar.is_file():
        raise ToolMissing(f"vnu.jar fehlt ({jar or VENV / 'vnu-*'}): „make venv“ lädt ihn mit npm")
    return [java, "-Xss1024k", "-jar", str(jar)]


def validate(files: list[Path], timeout: int = 300) -> list[dict]:
    """vnu's messages (dicts with ``url``, ``type``, ``message``, ``lastLine``…) for ``files``."""
    if not files:
        return []
    cmd = [*vnu_command(), "--format", "json", "--exit-zero-always", "--", *map(str, files)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    raw = proc.stderr.strip() or proc.stdout.strip()
    try:
        return json.loads(raw)["messages"]
    except (ValueError, KeyError):
        return [{"type": "error", "url": "", "message": f"vnu lieferte keine Antwort: {raw[:500]}"}]


def run(site: Site) -> GateResult:
    """Every ``*.html`` file in the output (sitemap pages, 404, drafts, fragments) must have 0 errors."""
    result = GateResult(NAME)
    result.checked = len(site.html_files)
    with tempfile.TemporaryDirectory(prefix="vnu-fragments-") as tmp:
        files, by_path = [], {}
        for i, f in enumerate(site.html_files):
            target = f
            if site.is_fragment(f):  # validate a fragment inside a minimal document
                target = Path(tmp) / f"fragment-{i}.html"
                target.write_text(FRAGMENT_PAGE.format(body=f.read_text(encoding="utf-8")), encoding="utf-8")
            files.append(target)
            by_path[target.resolve()] = f
        messages = validate(files)
    for msg in messages:
        if msg.get("type") not in ("error", "non-document-error") and msg.get("subType") != "fatal":
            continue
        f = by_path.get(Path(unquote(urlsplit(msg.get("url", "")).path)).resolve())
        where = site.url_of(f) if f is not None else (msg.get("url") or "vnu")
        line = msg.get("lastLine")
        if line and f is not None and site.is_fragment(f):
            line -= FRAGMENT_PAGE.count("\n", 0, FRAGMENT_PAGE.index("{body}"))
        extract = (msg.get("extract") or "").strip().replace("\n", " ")
        text = msg.get("message", "")
        result.add(
            f"{where}:{line}" if line else where, f"{text}" + (f" – „{extract[:80]}“" if extract else "")
        )
    return result
