"""``invoke bench-server``: load and faults of the magazine behind Debian's nginx with Isso under
gunicorn, on loopback only, bounded by fixed request counts (not part of the test suite).

1. Static pages (an article) at 50 and 200 concurrent clients: ApacheBench (``ab`` from
   Debian's apache2-utils) with keep-alive and a fixed number of requests: requests per
   second, p50/p95/p99, errors.
2. The same for opening a comment thread (Isso's ``GET /kommentare/?uri=…`` through nginx).
3. 20 concurrent posters with the spam guard as in production (``ISSO_GUARD=true``: 2 per
   minute per /24), each from its own /24 (loopback aliases 127.N.M.1) posting three times:
   every accepted comment is in the database, every refused one got the German answer.
4. Isso stopped while readers post: each gets the German message, the database is unchanged;
   started again: the next post is stored.
5. A backup with SQLite's backup API while writers post; restored into a fresh server: every
   comment acknowledged before the backup started is there, and the server takes new ones.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

from .loopback import ROOT, free_port, start_isso, start_nginx
from .nginx import COMMENTS_DOWN, COMMENTS_REFUSED, effective_settings
from .release import current_release, publish_release

AB = Path("/usr/bin/ab")
ACTIVATE = re.compile(r"Activate comment: (\S+/id/(\d+)/activate/\S+)")


def _ab(url: str, requests: int, concurrency: int) -> dict:
    """One ApacheBench run with keep-alive; its figures."""
    done = subprocess.run(
        [str(AB), "-q", "-k", "-n", str(requests), "-c", str(concurrency), url],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"ab: {done.stderr.strip() or done.stdout[-500:]}")
    out = done.stdout

    def number(label: str, default: float = 0.0) -> float:
        found = re.search(rf"^{label}:\s+([\d.]+)", out, re.M)
        return float(found.group(1)) if found else default

    percent = {int(p): int(ms) for p, ms in re.findall(r"^\s+(\d+)%\s+(\d+)", out, re.M)}
    return {
        "requests": int(number("Complete requests")),
        "concurrency": concurrency,
        "rps": number("Requests per second"),
        "p50_ms": percent.get(50),
        "p95_ms": percent.get(95),
        "p99_ms": percent.get(99),
        "failed": int(number("Failed requests")),
        "non_2xx": int(number("Non-2xx responses")),
        "seconds": number("Time taken for tests"),
    }


class Client:
    """Requests through nginx from a chosen loopback address (``source``)."""

    def __init__(self, port: int):
        self.port = port

    def request(self, method: str, path: str, body: dict | None = None, source: str = "127.0.0.1"):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30, source_address=(source, 0))
        try:
            data = json.dumps(body).encode() if body is not None else None
            headers = {"Content-Type": "application/json"} if body is not None else {}
            conn.request(method, path, body=data, headers=headers)
            response = conn.getresponse()
            return response.status, response.read().decode("utf-8", errors="replace")
        finally:
            conn.close()

    def post(self, thread: str, text: str, source: str):
        return self.request(
            "POST", f"/kommentare/new?uri={quote(thread)}", {"text": text, "title": thread}, source
        )


def _rows(db: Path) -> dict[int, str]:
    """id → text of every stored comment (read-only)."""
    con = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return dict(con.execute("SELECT id, text FROM comments"))
    finally:
        con.close()


def _ids(db: Path) -> set[int]:
    return set(_rows(db))


def _threads(site: Path, count: int) -> list[str]:
    found = []
    for page in sorted(site.glob("*/*/index.html")):
        match = re.search(r'data-isso-id="([^"]+)"', page.read_text(encoding="utf-8"))
        if match:
            found.append(match.group(1))
    if not found:
        raise RuntimeError("Kein Artikel mit Kommentaren in der gebauten Website.")
    return (found * count)[:count]


def run(
    *,
    static_requests: int = 20000,
    isso_requests: int = 600,
    concurrency: tuple[int, ...] = (50, 200),
    posters: int = 20,
    backup_writes: int = 240,
    progress: Callable[[str], None] = print,
) -> dict:
    """All five parts; the figures as a dict (see the module docstring)."""
    from magazin.comments.environment import ensure_venv

    if not AB.exists():
        raise RuntimeError(f"{AB} fehlt: apt-get install apache2-utils")
    python = ensure_venv()
    tmp = Path(tempfile.mkdtemp(prefix="magazin-bench-server-"))
    results: dict = {
        "measured": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "load_before": round(os.getloadavg()[0], 1),
        "cores": os.cpu_count(),
    }
    servers = []
    try:
        port, isso_port = free_port(), free_port()
        origin = f"http://127.0.0.1:{port}"
        root = tmp / "website"
        overrides = {
            "CACHE_PATH": str(tmp / "cache"),
            "SITEURL": origin,
            "MAGAZINE_CANONICAL_BASE": origin,
            "FEED_DOMAIN": origin,
            "SERVER_ROOT": str(root),
        }
        progress("Veröffentliche die Beispiel-Website in einen Releases-Ordner …")
        settings_file = ROOT / "publishconf.py"
        publish_release(settings_file, root, repo=ROOT, overrides=overrides)
        settings = effective_settings(settings_file, overrides)
        site = current_release(root)
        db = tmp / "isso" / "kommentare.db"
        isso = start_isso(
            python, db, site_origin=origin, public_endpoint=origin + "/kommentare", port=isso_port,
            guard=True, log=tmp / "isso" / "gunicorn.log", workers=1,
        )  # fmt: skip
        servers.append(isso)
        nginx = start_nginx(settings, root, tmp / "nginx", port, comments_port=isso_port, workers=2)
        servers.append(nginx)
        client = Client(port)
        article = next(p for p in sorted(site.glob("*/*/index.html")) if "data-isso-id" in p.read_text())
        article_url = f"{origin}/{article.parent.relative_to(site).as_posix()}/"
        threads = _threads(site, posters)

        progress("1. statische Seiten …")
        results["static"] = [_ab(article_url, static_requests, c) for c in concurrency]
        results["static_url"] = article_url.removeprefix(origin)

        progress("2. Kommentar-Faden lesen …")
        reader_thread = threads[0]
        for n in range(3):  # a thread with three approved comments
            status, body = client.post(reader_thread, f"Frage Nummer {n + 1} zum Artikel.", f"127.200.{n}.1")
            assert status in (201, 202), (status, body)
        for link, _ in ACTIVATE.findall(isso.log.read_text()):
            client.request("POST", link.removeprefix(origin))
        read_url = f"{origin}/kommentare/?uri={quote(reader_thread)}"
        status, body = client.request("GET", read_url.removeprefix(origin))
        assert status == 200 and len(json.loads(body)["replies"]) == 3, body
        results["isso_reads"] = [_ab(read_url, isso_requests, c) for c in concurrency]

        progress(f"3. {posters} gleichzeitige Schreiber mit Spam-Bremse …")
        before = _ids(db)

        def poster(index: int) -> list[tuple[str, int, str]]:
            source = f"127.{10 + index}.1.1"
            texts = [f"Kommentar {k + 1} von Leser {index + 1}." for k in range(3)]
            return [(text, *client.post(threads[index], text, source)) for text in texts]

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=posters) as pool:
            answers = [a for batch in pool.map(poster, range(posters)) for a in batch]
        seconds = time.perf_counter() - started
        accepted = {text: json.loads(body)["id"] for text, status, body in answers if status in (201, 202)}
        refused = [body for _, status, body in answers if status not in (201, 202)]
        rows = _rows(db)
        new_texts = [text for i, text in rows.items() if i not in before]
        results["posters"] = {
            "clients": posters,
            "posts": len(answers),
            "accepted": len(accepted),
            "refused": len(refused),
            "refused_german": sum(COMMENTS_REFUSED in body for body in refused),
            "accepted_in_db": sum(text in new_texts for text in accepted),
            "extra_in_db": len([t for t in new_texts if t not in accepted]),
            # Isso 0.14 answers with the highest id in the table (isso/db/comments.py, add()):
            # with more than one request at a time a reader can get another's id
            "ids_correct": sum(rows.get(i) == text for text, i in accepted.items()),
            "seconds": round(seconds, 2),
        }

        progress("4. Kommentar-Server gestoppt, Leser schreiben weiter …")
        isso.stop()
        before = _ids(db)
        with ThreadPoolExecutor(max_workers=10) as pool:
            down = list(
                pool.map(
                    lambda i: client.post(threads[i], "Während der Wartung.", f"127.60.{i}.1"), range(10)
                )
            )
        unchanged = _ids(db) == before
        isso = isso.start_again()
        servers[0] = isso
        status_after, _ = client.post(threads[1], "Nach der Wartung wieder da.", "127.61.0.1")
        results["isso_down"] = {
            "posts": len(down),
            "status": sorted({s for s, _ in down}),
            "german": sum(COMMENTS_DOWN in body for _, body in down),
            "db_unchanged": unchanged,
            "after_restart": status_after,
        }

        progress("5. Sicherung während des Schreibens, Wiederherstellung …")
        acks: list[tuple[float, str]] = []
        lock = threading.Lock()
        counter = iter(range(backup_writes))

        def writer() -> None:
            for k in counter:
                text = f"Sicherungstest {k}."
                status, _ = client.post(threads[k % len(threads)], text, f"127.{100 + k // 200}.{k % 200}.1")
                if status in (201, 202):
                    with lock:
                        acks.append((time.monotonic(), text))

        writers = [threading.Thread(target=writer) for _ in range(4)]
        for thread in writers:
            thread.start()
        while len(acks) < backup_writes // 3:
            time.sleep(0.01)
        backup = tmp / "sicherung" / "kommentare.db"
        backup.parent.mkdir()
        backup_started = time.monotonic()
        with lock:
            acked_before = {i for t, i in acks if t <= backup_started}
        source = sqlite3.connect(db)
        target = sqlite3.connect(backup)
        source.backup(target)
        target.close()
        source.close()
        backup_seconds = time.monotonic() - backup_started
        for thread in writers:
            thread.join()
        restored = tmp / "wiederhergestellt" / "kommentare.db"
        restored.parent.mkdir()
        shutil.copyfile(backup, restored)
        fresh = start_isso(
            python, restored, site_origin=origin, public_endpoint=origin + "/kommentare", port=free_port(),
            guard=True, log=tmp / "wiederhergestellt" / "gunicorn.log", workers=1,
        )  # fmt: skip
        servers.append(fresh)
        conn = http.client.HTTPConnection("127.0.0.1", fresh.port, timeout=10)
        conn.request(
            "POST", f"/new?uri={quote(threads[0])}", body=json.dumps({"text": "Nach der Wiederherstellung."}),
            headers={"Content-Type": "application/json"},
        )  # fmt: skip
        fresh_status = conn.getresponse().status
        conn.close()
        present = set(_rows(restored).values())
        results["backup"] = {
            "writes": backup_writes,
            "acknowledged": len(acks),
            "acknowledged_before_backup": len(acked_before),
            "missing_after_restore": len(acked_before - present),
            "in_backup": len(_ids(backup)),
            "backup_seconds": round(backup_seconds, 3),
            "restored_server_accepts": fresh_status,
        }
    finally:
        for server in reversed(servers):
            server.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return results


def report(results: dict) -> str:
    """Markdown tables of the figures (for docs/betrieb.md and the terminal)."""
    lines = [
        f"Gemessen {results['measured']} (Loopback, nginx 2 Worker, Isso/gunicorn 1 Worker, `ab -k`; "
        f"{results.get('cores')} Kerne, Last vorher {results.get('load_before')} – geteilte Maschine, "
        "die Werte schwanken entsprechend).",
        "",
        "| Last | gleichzeitig | Anfragen | Anfragen/s | p50 | p95 | p99 | Fehler |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label, key in (
        ("Artikelseite " + results["static_url"], "static"),
        ("Kommentar-Faden lesen", "isso_reads"),
    ):
        for run in results[key]:
            errors = run["failed"] + run["non_2xx"]
            lines.append(
                f"| {label} | {run['concurrency']} | {run['requests']} | {run['rps']:.0f} | "
                f"{run['p50_ms']} ms | {run['p95_ms']} ms | {run['p99_ms']} ms | {errors} |"
            )
    p, d, b = results["posters"], results["isso_down"], results["backup"]
    lines += [
        "",
        f"- {p['clients']} gleichzeitige Schreiber, {p['posts']} Kommentare mit Spam-Bremse: "
        f"{p['accepted']} angenommen (alle {p['accepted_in_db']} in der Datenbank, {p['extra_in_db']} "
        f"zusätzliche, {p['ids_correct']} mit der richtigen ID beantwortet), {p['refused']} abgelehnt, "
        f"davon {p['refused_german']} mit deutscher Antwort; "
        f"{p['seconds']} s.",
        f"- Kommentar-Server gestoppt: {d['posts']} Leser schreiben, Antwort {d['status']}, "
        f"{d['german']} mit der deutschen Meldung, Datenbank unverändert: "
        f"{'ja' if d['db_unchanged'] else 'NEIN'}; nach dem Neustart: HTTP {d['after_restart']}.",
        f"- Sicherung während {b['writes']} Schreibvorgängen ({b['backup_seconds']} s): "
        f"{b['acknowledged_before_backup']} vorher bestätigte Kommentare, nach der Wiederherstellung "
        f"fehlen {b['missing_after_restore']}; die Sicherung enthält {b['in_backup']}; der neue Server "
        f"nimmt Kommentare an (HTTP {b['restored_server_accepts']}).",
    ]
    return "\n".join(lines)


def problems(results: dict) -> list[str]:
    """What the bench found wrong (empty when every promise held)."""
    out = []
    for key in ("static", "isso_reads"):
        for run in results[key]:
            if run["failed"] or run["non_2xx"]:
                out.append(f"{key} bei {run['concurrency']}: {run['failed'] + run['non_2xx']} Fehler")
    p, d, b = results["posters"], results["isso_down"], results["backup"]
    if (
        p["accepted_in_db"] != p["accepted"]
        or p["extra_in_db"]
        or p["refused_german"] != p["refused"]
        or p["ids_correct"] != p["accepted"]
    ):
        out.append(f"Schreiber: {p}")
    if d["german"] != d["posts"] or not d["db_unchanged"] or d["after_restart"] not in (201, 202):
        out.append(f"Ausfall: {d}")
    if b["missing_after_restore"] or b["restored_server_accepts"] not in (201, 202):
        out.append(f"Sicherung: {b}")
    return out


def write_into(path: Path, text: str, name: str = "bench-server") -> bool:
    """Replace what stands between ``<!-- NAME:start -->`` and ``<!-- NAME:end -->`` in ``path``."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    doc = path.read_text(encoding="utf-8")
    if start not in doc or end not in doc:
        return False
    head, rest = doc.split(start, 1)
    tail = rest.split(end, 1)[1]
    path.write_text(f"{head}{start}\n{text}\n{end}{tail}", encoding="utf-8")
    return True
