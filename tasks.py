"""Invoke tasks of the Edelstahlmagazin (in the pelican-quickstart tradition).

Run ``invoke --list`` for an overview; docs/aufgaben.md explains every task.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import sys
from pathlib import Path

from invoke import task

from magazin.core.build import BuildFailed
from magazin.core.build import build as safe_build

ROOT = Path(__file__).resolve().parent

SETTINGS = ROOT / "pelicanconf.py"
PUBLISH_SETTINGS = ROOT / "publishconf.py"
OUTPUT = ROOT / "output"
HOST, PORT = "127.0.0.1", 8000


def _build(settings: Path = SETTINGS, output: Path = OUTPUT, **kwargs) -> bool:
    """Build safely; print German problems and return False when the build failed."""
    os.chdir(ROOT)
    try:
        report = safe_build(settings, output, **kwargs)
    except BuildFailed as exc:
        _print_problems("\nDer Build ist fehlgeschlagen – die bisherige Website bleibt unverändert.\n", exc)
        print(f"\n{len(exc.problems)} Problem(e). Bitte beheben und erneut bauen.", file=sys.stderr)
        return False
    for warning in report.warnings:
        print(f"  ! {warning}", file=sys.stderr)
    print(f"Fertig: {report.output} in {report.seconds:.2f} s.")
    return True


def _print_problems(headline: str, exc) -> None:
    """A refusal's headline and its German problems (``exc.problems``), on standard error."""
    print(headline, file=sys.stderr)
    for problem in exc.problems:
        print(f"  ✗ {problem}", file=sys.stderr)


def _fail_unless(ok: bool) -> None:
    if not ok:
        raise SystemExit(1)


@task
def build(c):
    """Build the site with the development settings into output/."""
    _fail_unless(_build())


@task
def clean(c):
    """Remove output/ and caches."""
    shutil.rmtree(OUTPUT, ignore_errors=True)
    shutil.rmtree(ROOT / "cache", ignore_errors=True)


@task(pre=[clean])
def rebuild(c):
    """Clean, then build."""
    _fail_unless(_build())


def _watched() -> list[Path]:
    return [ROOT / "content", ROOT / "theme", ROOT / "plugins", SETTINGS]


@task
def regenerate(c):
    """Rebuild whenever content, theme, plugins or settings change (no server)."""
    from watchfiles import watch

    from magazin.core.incremental import PreviewState

    state = PreviewState()
    _build(preview=state)
    print("Warte auf Änderungen … (Strg+C beendet)")
    for changes in watch(*_watched()):
        print("Geändert:", ", ".join(sorted(os.path.relpath(p) for _, p in changes)))
        _build(preview=state)


@task
def serve(c, port=PORT):
    """Serve output/ at http://127.0.0.1:8000 (no rebuild; unknown addresses get 404.html)."""
    import time

    from magazin.preview.server import PreviewServer

    server = PreviewServer(OUTPUT, HOST, int(port), live=False).start()
    print(f"Die Website läuft unter {server.url} (Strg+C beendet)")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop()


@task(help={"comments": "den Kommentar-Server (Isso) mitstarten, wenn .venv-comments bereit ist"})
def livereload(c, port=PORT, comments=True):
    """Authors' preview: build, serve at http://127.0.0.1:8000 and reload the browser on every change."""
    from magazin.preview.run import main

    isso = _start_comments_preview(int(port)) if comments else None
    editor = _start_editor_backend(int(port))
    try:
        code = main(["--port", str(port)])
    finally:
        for server in (isso, editor):
            if server is not None:
                server.terminate()
                server.wait(timeout=10)
    raise SystemExit(code)


def _start_editor_backend(site_port: int):
    """decap-server on 127.0.0.1 for /redaktion/ (plugins/magazin/editor/server.py)."""
    from magazin.core.build import read_magazine_settings
    from magazin.editor.server import start

    (ROOT / "cache" / "redaktion").mkdir(parents=True, exist_ok=True)
    log = (ROOT / "cache" / "redaktion" / "server.log").open("a")
    return start(read_magazine_settings(SETTINGS), f"http://{HOST}:{site_port}", log)


# ---- Reader comments: Isso in its own environment .venv-comments (plugins/magazin/comments) ----

COMMENTS_DB = ROOT / "cache" / "comments" / "kommentare.db"


def _comments_port() -> int:
    from urllib.parse import urlsplit

    from magazin.comments import DEFAULTS as COMMENTS
    from magazin.core.build import read_magazine_settings
    from magazin.core.settings import setting

    url = setting(read_magazine_settings(SETTINGS), "COMMENTS_URL", COMMENTS)
    return urlsplit(url).port or 8081


def _comments_command(site_port: int, port: int):
    import secrets

    from magazin.comments.environment import dev_server

    password = os.environ.get("ISSO_ADMIN_PASSWORD") or secrets.token_urlsafe(12)
    origins = [f"http://{HOST}:{site_port}", f"http://localhost:{site_port}"]
    cmd, env = dev_server(port=port, site_origins=origins, db_path=COMMENTS_DB, admin_password=password)
    return cmd, env, password


def _start_comments_preview(site_port: int):
    """Start Isso beside the preview when .venv-comments is installed; else say how."""
    import subprocess

    from magazin.comments.environment import is_ready

    if not is_ready():
        print("Hinweis: Kommentare in der Vorschau brauchen „.venv/bin/invoke comments-install“.")
        return None
    port = _comments_port()
    cmd, env, password = _comments_command(site_port, port)
    log = (ROOT / "cache" / "comments" / "server.log").open("a")
    print(
        f"Kommentare: http://{HOST}:{port}/admin (Passwort: {password}), Protokoll cache/comments/server.log"
    )
    return subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)


@task(name="comments-client")
def comments_client(c):
    """Isso's browser files for the site build, from the pinned release (no compiler needed)."""
    from magazin.comments.environment import fetch_client_release
    from magazin.comments.server import CommentsError

    try:
        folder = fetch_client_release()
    except CommentsError as exc:
        print(f"✗ {exc}", file=sys.stderr)
        raise SystemExit(1) from None
    print(f"Isso-Client bereit: {folder.relative_to(ROOT)}")


@task(name="comments-install")
def comments_install(c):
    """Create or update .venv-comments (Isso + gunicorn, pinned; needs gcc and the Python headers)."""
    from magazin.comments.environment import ensure_venv
    from magazin.comments.server import CommentsError

    try:
        python = ensure_venv(quiet=False)
    except CommentsError as exc:
        print(f"✗ {exc}", file=sys.stderr)
        raise SystemExit(1) from None
    print(f"Kommentar-Umgebung bereit: {python.parent.parent.relative_to(ROOT)}")


@task(name="comments-server", help={"site_port": "Port der Vorschau, die Kommentare anzeigen darf (CORS)"})
def comments_server(c, site_port=PORT):
    """Start Isso on 127.0.0.1 (port from COMMENTS_URL) with the local database cache/comments/."""
    import subprocess

    comments_install(c)
    port = _comments_port()
    cmd, env, password = _comments_command(int(site_port), port)
    print(f"Kommentar-Server: http://{HOST}:{port}/ – Datenbank {COMMENTS_DB.relative_to(ROOT)}")
    print(f"Adminseite: http://{HOST}:{port}/admin (Passwort: {password}); Strg+C beendet.")
    with contextlib.suppress(KeyboardInterrupt):
        subprocess.run(cmd, env=env, cwd=ROOT, check=False)


@task
def preview(c):
    """Build with the publish settings (absolute URLs, warnings are errors) into output/."""
    _fail_unless(_build(PUBLISH_SETTINGS))


@task
def test(c, k="", x=False):
    """Run the whole test suite (pytest)."""
    args = [sys.executable, "-m", "pytest", "-q"]
    if k:
        args += ["-k", k]
    if x:
        args.append("-x")
    result = c.run(" ".join(args), pty=False, warn=True)
    raise SystemExit(result.exited)


@task
def einstellungen(c):
    """Write docs/einstellungen.md, the settings reference, from the plugins' declarations."""
    from pelican.settings import read_settings

    from magazin.core.settings import REFERENCE, reference_for

    text = reference_for(read_settings(str(SETTINGS))["PLUGINS"])
    (ROOT / REFERENCE).write_text(text, encoding="utf-8")
    print(f"{REFERENCE} geschrieben.")


@task
def lint(c, fix=False):
    """ruff: lint and format check (``--fix`` applies fixes and formats)."""
    if fix:
        c.run(f"{sys.executable} -m ruff check --fix . && {sys.executable} -m ruff format .")
    else:
        c.run(f"{sys.executable} -m ruff check . && {sys.executable} -m ruff format --check .")


@task(
    help={
        "title": "Titel des Artikels",
        "department": "Abteilung (Ordnername, z. B. technik)",
        "author": "Name wie in content/data/authors.yml",
    }
)
def new(c, title, department, author):
    """Scaffold a new article: content/articles/<department>/<slug>.md."""
    from pelican.settings import read_settings

    from magazin.core.scaffold import ScaffoldError, scaffold_article

    timezone = read_settings(str(SETTINGS)).get("TIMEZONE") or "Europe/Berlin"
    try:
        path = scaffold_article(ROOT / "content", title, department, author, timezone=timezone)
    except ScaffoldError as exc:
        print(f"✗ {exc}", file=sys.stderr)
        raise SystemExit(1) from None
    print(f"Neuer Artikel: {path.relative_to(ROOT)}")
    print("Fülle die mit TODO markierten Felder aus und starte die Vorschau mit „make serve“.")


@task(
    help={
        "force": "auch schon vorhandene Vorschaubilder und Titel neu laden",
    }
)
def fetch_media(c, force=False):
    """Download posters and titles of every YouTube video in content/ into content/media/youtube/."""
    from pelican.settings import read_settings

    from magazin.core.settings import setting
    from magazin.youtube import DEFAULTS as YOUTUBE
    from magazin.youtube.fetch import fetch_media as fetch

    settings = read_settings(str(SETTINGS))
    content = ROOT / settings["PATH"]
    media = content / setting(settings, "YOUTUBE_MEDIA_DIR", YOUTUBE)
    report = fetch(
        content,
        media,
        force=force,
        thumbnail_url=setting(settings, "YOUTUBE_THUMBNAIL_URL", YOUTUBE),
        oembed_url=setting(settings, "YOUTUBE_OEMBED_URL", YOUTUBE),
    )
    counts = (len(report.fetched), len(report.skipped), len(report.problems))
    print("{} geladen, {} schon vorhanden, {} Problem(e).".format(*counts))
    for problem in report.problems:
        print(f"  ✗ {problem}", file=sys.stderr)
    if report.fetched:
        print(f"Bitte {media.relative_to(ROOT)}/ committen.")
    if report.problems:
        raise SystemExit(1)


# ---- Posts from X and Mastodon (plugins/magazin/posts/importers: the only code that goes online) ----

POSTS_DIR = ROOT / "content" / "media" / "posts"


def _run_import(action) -> None:
    from magazin.posts.importers import ImportFailed

    try:
        report = action()
    except ImportFailed as exc:
        print(f"✗ {exc}", file=sys.stderr)
        raise SystemExit(1) from None
    print(report.summary())
    if report.added:
        print("Bitte die neuen Dateien in content/media/posts/ prüfen und committen.")


@task(
    help={
        "user": "X-Konto ohne @ (Standard: hecogmbh)",
        "count": "Anzahl der neuesten Beiträge (5–100)",
        "api_base": "Basisadresse der X-API v2 (Standard: https://api.x.com/2)",
    }
)
def fetch_posts_x(c, user="hecogmbh", count=20, api_base=""):
    """Import the newest posts of an X account (X API v2; token in X_BEARER_TOKEN)."""
    from magazin.posts.importers import fetch_x_timeline
    from magazin.posts.importers.x_api import X_API_BASE

    _run_import(lambda: fetch_x_timeline(user, POSTS_DIR, count=int(count), api_base=api_base or X_API_BASE))


@task(
    help={
        "path": "X-Datenarchiv: die .zip-Datei, ihr entpackter Ordner oder tweets.js (auch tweet.js)",
        "user": "X-Konto ohne @, falls account.js fehlt",
        "name": "Anzeigename, falls account.js fehlt",
    }
)
def import_x_archive(c, path, user="", name=""):
    """Import posts from X's data archive (the .zip, its folder or tweets.js); no token, no network."""
    from magazin.posts.importers import import_x_archive as run

    _run_import(lambda: run(Path(path), POSTS_DIR, username=user, display_name=name))


@task(
    help={
        "account": "Mastodon-Konto, z. B. @heco@social.example",
        "count": "Anzahl der neuesten Beiträge (1–40)",
        "base_url": "Basisadresse der Instanz (Standard: https://<instanz>)",
    }
)
def fetch_posts_mastodon(c, account, count=20, base_url=""):
    """Import the newest public posts of a Mastodon account (public API, no token)."""
    from magazin.posts.importers import fetch_mastodon

    _run_import(lambda: fetch_mastodon(account, POSTS_DIR, count=int(count), base_url=base_url))


@task(
    help={
        "url": "Adresse des Beitrags (x.com, twitter.com oder Mastodon)",
        "oembed": "oEmbed-Endpunkt (Standard: https://publish.twitter.com/oembed)",
        "mastodon_base": "Basisadresse der Mastodon-Instanz (Standard: aus der Adresse)",
    }
)
def fetch_post(c, url, oembed="", mastodon_base=""):
    """Import a single post by URL (X via oEmbed with omit_script/dnt, Mastodon via its API)."""
    from magazin.posts.importers import fetch_post as run
    from magazin.posts.importers.single import OEMBED_ENDPOINT

    endpoint = oembed or OEMBED_ENDPOINT
    _run_import(lambda: run(url, POSTS_DIR, oembed_endpoint=endpoint, mastodon_base=mastodon_base))


# ---- Moving in from WordPress (plugins/magazin/wordpress; image download in its fetch.py) ----


def _comments_importer(content: Path):
    """Approved WordPress comments → the comment server's database (cache/comments/ or $ISSO_DB)."""
    from magazin.core.build import read_magazine_settings
    from magazin.wordpress.comments import isso_importer

    settings = read_magazine_settings(SETTINGS, {"PATH": str(content)})
    return isso_importer(settings, Path(os.environ.get("ISSO_DB") or COMMENTS_DB))


@task(
    help={
        "export": "WordPress-Exportdatei (WXR, .xml aus „Werkzeuge → Daten exportieren“)",
        "department": "Abteilung (Ordner) für Kategorien ohne Zuordnung, z. B. technik",
        "author": "Name aus content/data/authors.yml für Benutzer ohne Zuordnung",
        "uploads": "lokale Kopie von wp-content/uploads: Bilder von dort, kein Netzwerk",
        "dry_run": "nichts schreiben, nur den Bericht zeigen",
        "force": "auch Dateien überschreiben, die seit dem letzten Import bearbeitet wurden",
        "content": "anderer Inhaltsordner als content/ (für Tests)",
    }
)
def import_wordpress(c, export, department="", author="", uploads="", dry_run=False, force=False, content=""):
    """Move in from WordPress: posts, pages, images, embeds, old addresses (see docs/wordpress.md)."""
    from magazin.wordpress.importer import import_wordpress as run
    from magazin.wordpress.wxr import WordPressError

    target = Path(content) if content else ROOT / "content"
    fetch = None
    if not uploads:
        from magazin.wordpress.fetch import fetch_bytes as fetch
    try:
        report = run(
            export,
            target,
            department=department,
            author=author,
            uploads=uploads or None,
            dry_run=dry_run,
            force=force,
            fetch=fetch,
            progress=lambda message: print(f"  … {message}", flush=True),
            comments_import=None if dry_run else _comments_importer(target),
        )
    except WordPressError as exc:
        print(f"✗ {exc}", file=sys.stderr)
        raise SystemExit(1) from None
    print(report.text())
    if report.written and not dry_run:
        print("\nBitte prüfen: invoke check, make serve – dann die neuen Dateien committen.")


@task(
    help={
        "print": "Druckfassung: 3 mm Beschnitt und Schnittmarken (für die Druckerei)",
        "out": "Ziel-Datei (Standard: output/social-media/broschuere.pdf bzw. …-druck.pdf)",
    }
)
def brochure(c, print=False, out=""):
    """Build only the customer brochure (PDF), e.g. for the print shop: invoke brochure --print."""
    from magazin.brochure.standalone import build_brochure
    from magazin.core.errors import ContentError, ContentErrors

    os.chdir(ROOT)
    default = "social-media/broschuere-druck.pdf" if print else "social-media/broschuere.pdf"
    target = Path(out) if out else OUTPUT / default
    try:
        path, pages = build_brochure(SETTINGS, target, print_marks=True if print else None)
    except (ContentError, ContentErrors) as exc:
        problems = exc.errors if isinstance(exc, ContentErrors) else [exc]
        for problem in problems:
            sys.stderr.write(f"  ✗ {problem}\n")
        raise SystemExit(1) from None
    shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    sys.stdout.write(f"Broschüre: {shown} ({pages} Seiten).\n")


# --- Editorial workflow: author checks, pipeline status, safe publishing (plugins/magazin/editorial) ---


def _settings_file(publish: bool) -> Path:
    return PUBLISH_SETTINGS if publish else SETTINGS


def _editorial_settings(publish: bool, content: str) -> dict:
    from magazin.core.build import read_magazine_settings

    overrides = {"PATH": str(Path(content).resolve())} if content else {}
    return read_magazine_settings(_settings_file(publish), overrides)


@task(
    help={
        "publish": "mit den Veröffentlichungs-Einstellungen prüfen (fehlende Freigaben sind Fehler)",
        "content": "anderer Inhaltsordner als content/ (für Tests)",
    }
)
def check(c, publish=False, content=""):
    """The authors' linter: every problem in content/ at once, as file:line: message."""
    import time

    from magazin.editorial.checks import check_site
    from magazin.editorial.notes import site_paste_notes as paste_notes

    settings = _editorial_settings(publish, content)
    os.chdir(ROOT)
    started = time.perf_counter()
    problems = check_site(settings, full=True)
    for problem in problems:
        print(f"✗ {problem}")
    for note in paste_notes(settings):  # pasted embed codes, normalised video addresses
        print(f"ℹ {note}")
    seconds = time.perf_counter() - started
    if problems:
        files = len({p.path for p in problems})
        summary = f"{len(problems)} Problem(e) in {files} Datei(en) ({seconds:.2f} s). Bitte beheben."
        print(f"\n{summary}", file=sys.stderr)
        raise SystemExit(1)
    print(f"Alles in Ordnung ({seconds:.2f} s).")


@task(
    name="status",
    help={
        "content": "anderer Inhaltsordner als content/ (für Tests)",
        "comments_db": "Isso-Datenbank (Standard: $ISSO_DB oder cache/comments/kommentare.db)",
    },
)
def status_(c, content="", comments_db=""):
    """The editorial pipeline: every article, its state and who has to act next."""
    from magazin.editorial.status import format_table, status_rows

    settings = _editorial_settings(False, content)
    os.chdir(ROOT)
    print(format_table(status_rows(settings)))
    from magazin.comments.moderation import format_pending, pending_by_department

    db = Path(comments_db or os.environ.get("ISSO_DB") or COMMENTS_DB)
    print()
    print(format_pending(pending_by_department(settings, db), db))


@task(
    iterable=["allow_removal"],
    help={
        "allow_removal": "Pfad oder Muster, der auf der veröffentlichten Website wegfallen darf (mehrfach)",
        "remote": "Git-Remote, auf das veröffentlicht wird (Standard: origin)",
        "branch": "Zweig der Website (Standard: gh-pages)",
        "dry_run": "alles prüfen und bauen, aber nicht pushen",
        "target": "Releases-Ordner des eigenen Servers (statt gh-pages), z. B. /srv/magazin/website",
    },
)
def publish(c, allow_removal=None, remote="origin", branch="gh-pages", dry_run=False, target=""):
    """Check, build with publishconf into a fresh folder, compare with gh-pages, deploy with ghp-import
    (or, with --target, into a new release folder of the own server and switch to it)."""
    from magazin.editorial.publish import PublishRefused
    from magazin.editorial.publish import publish as run_publish

    os.chdir(ROOT)
    if target:
        if dry_run:
            print("✗ --dry-run gibt es nur für gh-pages; für den eigenen Server: ohne --dry-run, "
                  "zurück mit „invoke rollback“.", file=sys.stderr)  # fmt: skip
            raise SystemExit(1)
        _publish_release(Path(target), allow_removal or [])
        return
    try:
        report = run_publish(
            PUBLISH_SETTINGS,
            ROOT,
            remote=remote,
            branch=branch,
            allow_removal=allow_removal or [],
            push=not dry_run,
        )
    except PublishRefused as exc:
        _print_problems("\nNicht veröffentlicht – die Website bleibt, wie sie ist.\n", exc)
        raise SystemExit(1) from None
    verb = "Veröffentlicht" if report.pushed else "Bereit (nicht gepusht)"
    print(f"{verb}: {report.files} Dateien, Commit {report.commit[:10]} auf {branch}.")
    for path in report.removed:
        print(f"  entfernt: {path}")


@task(
    help={
        "output": "ein vorhandenes Build-Verzeichnis prüfen statt neu zu bauen (Publish-Einstellungen)",
        "all_pages": "axe auf jeder Seite der Sitemap statt auf einer Seite je Seitentyp",
    }
)
def audit(c, output="", all_pages=False):
    """Quality gates: build with the publish settings into a temporary folder, check it with
    vnu, the link crawler, feedparser, axe-core and Chromium, print one table (exit 1 on problems)."""
    import tempfile
    import time

    from magazin.audit import Site, format_report, run_gates
    from magazin.core.build import read_magazine_settings

    settings = read_magazine_settings(PUBLISH_SETTINGS)
    with tempfile.TemporaryDirectory(prefix="audit-") as tmp:
        target = Path(output).resolve() if output else Path(tmp) / "output"
        if not output:
            print("Baue mit den Publish-Einstellungen (streng) …")
            _fail_unless(_build(PUBLISH_SETTINGS, target))
        site = Site.from_settings(target, settings)
        started = time.perf_counter()
        results = run_gates(
            site, a11y_all_pages=all_pages, progress=lambda name: print(f"  prüfe: {name} …", flush=True)
        )
        print()
        print(format_report(results))
        failed = [r for r in results if r.problems]
        print(
            f"\n{len(results)} Prüfungen in {time.perf_counter() - started:.0f} s: "
            + ("alle bestanden." if not failed else f"{len(failed)} nicht bestanden.")
        )
    if failed:
        raise SystemExit(1)


@task(
    help={
        "sizes": "Artikelzahlen, kommagetrennt (Standard 250,1000; 4000 dauert mehrere Minuten)",
        "runs": "Läufe je Messung (Median)",
        "seed": "Startwert des Korpus-Generators",
        "lighthouse": "zusätzlich Lighthouse (mobil) auf Startseite, Video-Artikel, Social-Media-Seite",
        "readme": "die Tabelle in docs/leistung.md schreiben",
    }
)
def bench(c, sizes="250,1000", runs=3, seed=42, lighthouse=False, readme=True, pairs=5):
    """Benchmark: our build (cold, warm, edit one) vs stock Pelican and Hugo; writes bench-results/."""
    import tempfile

    from bench.report import markdown_table, update_readme, write_results
    from bench.runner import run_bench

    os.chdir(ROOT)
    results = run_bench(
        [int(s) for s in str(sizes).split(",") if s.strip()], int(runs), int(seed), pairs=int(pairs)
    )
    if lighthouse:
        from bench.lighthouse import audit as lighthouse_audit

        with tempfile.TemporaryDirectory(prefix="magazin-lh-") as tmp:
            out = Path(tmp) / "output"
            safe_build(SETTINGS, out, overrides={"CACHE_PATH": str(Path(tmp) / "cache")})
            results["lighthouse"] = lighthouse_audit(out)
    json_path, md_path = write_results(results, ROOT / "bench-results")
    table = markdown_table(results)
    print(table)
    print(f"Ergebnisse: {json_path.relative_to(ROOT)}, {md_path.relative_to(ROOT)}")
    if readme and update_readme(ROOT / "docs" / "leistung.md", table):
        print("docs/leistung.md aktualisiert.")
    failed = [r["articles"] for r in results["sizes"] if not all(r["identical"].values())]
    if failed:
        print(f"✗ Ausgabe nicht byte-identisch bei {failed} Artikeln", file=sys.stderr)
        raise SystemExit(1)


# --- Internal documents: review sheets for data protection, the meeting report (plugins/magazin/reports) ---
REPORTS = ROOT / "berichte"


def _reports_facts(content: str):
    from magazin.reports.facts import collect

    os.chdir(ROOT)
    overrides = {"PATH": str(Path(content).resolve())} if content else {}
    try:
        return collect(SETTINGS, overrides)
    except BuildFailed as exc:
        _print_problems("Der Bericht braucht einen fehlerfreien Build. Bitte zuerst beheben:", exc)
        raise SystemExit(1) from None


@task(
    help={
        "artikel": "Datei oder Slug eines Artikels (ohne: alle, die auf die Freigabe Datenschutz warten)",
        "ziel": "Ordner für die Prüfbögen (Standard: berichte/, nicht im Git, nie veröffentlicht)",
        "content": "anderer Inhaltsordner als content/ (für Tests)",
    },
)
def pruefbogen(c, artikel="", ziel="", content=""):
    """Review sheet(s) for the data-protection officer as HTML and PDF in berichte/."""
    from magazin.reports.sheet import UnknownArticle, write_sheets

    facts = _reports_facts(content)
    target = Path(ziel).resolve() if ziel else REPORTS / "pruefboegen"
    try:
        written = write_sheets(facts, target, artikel or "")
    except UnknownArticle as exc:
        print(f"✗ {exc}", file=sys.stderr)
        raise SystemExit(1) from None
    if not written:
        print(
            "Kein Artikel wartet auf die Freigabe Datenschutz. "
            "Einen bestimmten Artikel: invoke pruefbogen -a DATEI"
        )
        return
    for pdf in written:
        print(f"Prüfbogen: {os.path.relpath(pdf)} (und .html)")
    print(f"{len(written)} Prüfbogen/Prüfbögen geschrieben.")


@task(
    help={
        "seit": "Beginn des Zeitraums, JJJJ-MM-TT (Standard: vor drei Wochen)",
        "comments_db": "Isso-Datenbank (Standard: $ISSO_DB oder cache/comments/kommentare.db)",
        "ziel": "Ordner für den Bericht (Standard: berichte/, nicht im Git, nie veröffentlicht)",
        "content": "anderer Inhaltsordner als content/ (für Tests)",
    }
)
def bericht(c, seit="", ziel="", content="", comments_db=""):
    """The status report for the team meeting every three weeks (HTML + PDF in berichte/)."""
    from zoneinfo import ZoneInfo

    from magazin.reports.meeting import build_report, comment_source, parse_since, write_report

    facts = _reports_facts(content)
    today = dt.datetime.now(ZoneInfo(facts.settings.get("TIMEZONE", "Europe/Berlin"))).date()
    try:
        since = parse_since(seit, today)
    except ValueError as exc:
        print(f"✗ {exc}", file=sys.stderr)
        raise SystemExit(1) from None
    db = Path(comments_db or os.environ.get("ISSO_DB") or COMMENTS_DB)
    report = build_report(facts, since, today, comment_source(facts.settings, db))
    report.reading = _reading_section(facts, since, today)  # „Was gelesen wurde“ (statistics)
    html, pdf, pages = write_report(report, Path(ziel).resolve() if ziel else REPORTS)
    print(f"Bericht: {os.path.relpath(pdf)} ({pages} Seite(n)) und {os.path.relpath(html)}")


# --- The company's own web server: nginx configuration, releases, rollback (plugins/magazin/server) ---


def _refused(exc) -> None:
    _print_problems("\nNichts umgeschaltet – die Website bleibt, wie sie ist.\n", exc)
    raise SystemExit(1) from None


def _publish_release(target: Path, allow_removal: list[str]) -> None:
    from magazin.editorial.publish import PublishRefused
    from magazin.server.release import publish_release

    try:
        report = publish_release(PUBLISH_SETTINGS, target, repo=ROOT, allow_removal=allow_removal)
    except PublishRefused as exc:
        _refused(exc)
    print(f"Veröffentlicht: {report.release} ({report.files} Dateien, {report.compressed} .gz), jetzt live.")
    if report.previous:
        print(f"Vorherige Version: {report.previous.name} (zurück mit „invoke rollback --target {target}“)")
    for path in report.removed:
        print(f"  entfernt: {path}")
    for name in report.pruned:
        print(f"  alte Version gelöscht: {name}")


@task(
    help={
        "target": "Releases-Ordner des eigenen Servers (Standard: SERVER_ROOT aus publishconf.py)",
        "to": "Name der Version (Ordner in releases/); ohne: die vor der aktuellen",
    }
)
def rollback(c, target="", to=""):
    """Switch the own server back to the previous release (one symlink, atomic)."""
    from magazin.core.build import read_magazine_settings
    from magazin.editorial.publish import PublishRefused
    from magazin.server import rollback as run_rollback
    from magazin.server import server_setting

    settings = read_magazine_settings(PUBLISH_SETTINGS)
    root = Path(target or server_setting(settings, "SERVER_ROOT"))
    try:
        old, new = run_rollback(root, settings, to)
    except PublishRefused as exc:
        _refused(exc)
    print(f"Zurückgerollt: {old.name} → {new.name} (live).")


@task(
    name="server-config",
    help={
        "out": "Zielordner (Standard: SERVER_CONFIG_DIR, server-config/; nie output/)",
        "root": "Releases-Ordner auf dem Server (Standard: SERVER_ROOT)",
    },
)
def server_config(c, out="", root=""):
    """Write the nginx configuration for the own server from publishconf (server-config/magazin.conf)."""
    from magazin.server import ServerConfigError, effective_settings, server_setting, write_config

    os.chdir(ROOT)
    try:
        settings = effective_settings(PUBLISH_SETTINGS)
    except BuildFailed as exc:
        _refused(exc)
    target = Path(out or server_setting(settings, "SERVER_CONFIG_DIR"))
    try:
        path = write_config(settings, target, root=root or None)
    except ServerConfigError as exc:
        _refused(exc)
    shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    print(f"nginx-Konfiguration: {shown} – einbinden und prüfen wie in docs/betrieb.md beschrieben.")


@task(
    name="bench-server",
    help={
        "requests": "Anfragen je statischer Messung (Standard 20000)",
        "isso_requests": "Anfragen je Messung der Kommentar-Fäden (Standard 600)",
    },
)
def bench_server(c, requests=20000, isso_requests=600):
    """Load and faults behind nginx + Isso on loopback (ab, 50/200 clients; posters, outage, backup)."""
    import json

    from magazin.server.bench import problems, report, run, write_into

    os.chdir(ROOT)
    results = run(static_requests=int(requests), isso_requests=int(isso_requests))
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    path = out / f"server-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%SZ}.json"
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    text = report(results)
    print(text)
    print(f"\nErgebnisse: {path.relative_to(ROOT)}")
    for doc in (ROOT / "docs" / "betrieb.md", ROOT / "docs" / "hosting.md"):
        if write_into(doc, text):
            print(f"{doc.relative_to(ROOT)}: Messwerte aktualisiert.")
    found = problems(results)
    for problem in found:
        print(f"✗ {problem}", file=sys.stderr)
    if found:
        raise SystemExit(1)


# --- Reader statistics from the own server's access log (plugins/magazin/statistics) ---


def _reading(facts, since, until, logs=None):
    """The figures of the period from the access log (None when the statistics are not listed)."""
    from magazin.statistics.figures import reading_of, site_names
    from magazin.statistics.settings import check_statistics_settings, enabled

    if not enabled(facts.settings):
        return None
    check_statistics_settings(facts.settings)
    articles, videos = site_names(facts)
    try:
        return reading_of(facts.settings, since, until, articles, videos, paths=logs)
    except ValueError as exc:  # a bad STATISTICS_EXCLUDE_NETWORKS entry
        print(f"✗ {exc}", file=sys.stderr)
        raise SystemExit(1) from None


def _reading_section(facts, since, until):
    from magazin.statistics.report import section_context

    reading = _reading(facts, since, until)
    return None if reading is None else section_context(reading, facts.settings, charts=False)


@task(
    help={
        "seit": "Beginn des Zeitraums, JJJJ-MM-TT (Standard: vor drei Wochen)",
        "ziel": "Ordner für die Seite (Standard: STATISTICS_TARGET, berichte/statistik/; nie output/)",
        "aufraeumen": "Zugriffsprotokolle löschen, die älter als STATISTICS_RETENTION_DAYS sind",
        "protokoll": "ein bestimmtes Zugriffsprotokoll (Standard: STATISTICS_LOGS bzw. SERVER_ACCESS_LOG)",
        "content": "anderer Inhaltsordner als content/ (für Tests)",
    }
)
def statistik(c, seit="", ziel="", aufraeumen=False, protokoll="", content=""):
    """What readers read: the intranet page (HTML, SVG charts) from the server's access log."""
    from zoneinfo import ZoneInfo

    from magazin.reports.meeting import parse_since
    from magazin.statistics.figures import log_paths
    from magazin.statistics.report import write_page
    from magazin.statistics.retention import delete_expired
    from magazin.statistics.settings import check_statistics_settings, statistics_setting

    facts = _reports_facts(content)
    check_statistics_settings(facts.settings)
    if aufraeumen:
        days = int(statistics_setting(facts.settings, "STATISTICS_RETENTION_DAYS"))
        gone = delete_expired(log_paths(facts.settings), days, dt.datetime.now(dt.UTC))
        for path in gone:
            print(f"  gelöscht (älter als {days} Tage): {path}")
        print(f"Aufgeräumt: {len(gone)} Protokolldatei(en) gelöscht.")
    today = dt.datetime.now(ZoneInfo(facts.settings.get("TIMEZONE", "Europe/Berlin"))).date()
    try:
        since = parse_since(seit, today)
    except ValueError as exc:
        print(f"✗ {exc}", file=sys.stderr)
        raise SystemExit(1) from None
    logs = None
    if protokoll:
        logs = [Path(protokoll)]
        if not logs[0].is_file():
            print(f"✗ --protokoll {protokoll}: diese Datei gibt es nicht.", file=sys.stderr)
            raise SystemExit(1)
    reading = _reading(facts, since, today, logs)
    if reading is None:
        print("✗ Die Statistik ist aus: magazin.statistics steht nicht in PLUGINS.", file=sys.stderr)
        raise SystemExit(1)
    target = Path(ziel) if ziel else ROOT / statistics_setting(facts.settings, "STATISTICS_TARGET")
    page = write_page(reading, facts.settings, target, today)
    if reading.problem:
        print(f"! {reading.problem}", file=sys.stderr)
    print(f"Statistik: {os.path.relpath(page)} ({reading.views} Seitenaufrufe, {reading.visits} Besuche)")


# ---- Mutation testing (mutmut): how well the fast tests guard the privacy and security promises ----

# module → (file under plugins/, its fast tests: files or test ids). Only tests without a site
# build or a browser (those are marked slow/browser, or left out by id here): each mutant runs
# the selected tests that reach the function it changed.
_FAST = ["-m", "not slow and not browser", "-p", "no:cacheprovider", "-x", "-q"]
_PASTED = [
    f"tests/test_pasted_html.py::{name}"
    for name in (
        "test_real_embed_codes_are_recognised_with_their_address_and_start_time",
        "test_embed_codes_are_not_refused_but_an_unknown_iframe_is",
        "test_a_youtube_player_that_shows_no_video_is_refused_with_the_reason",
        "test_real_attack_payloads_are_refused",
        "test_harmless_payloads_pass",
        "test_harmless_html_code_and_attribute_lists",
    )
]
# (The tests that start Isso run server.py as a script in .venv-comments, where a mutated copy
# cannot run: the in-process tests of test_user_visible_comments.py stand for them here.)
_COMMENTS = [
    "tests/test_comments.py::test_thread_id_for_source_is_department_and_file_name",
    "tests/test_user_visible_comments.py",
]
_WORDPRESS = [
    "tests/test_wordpress.py::test_converter_embed_forms_and_images",
    "tests/test_wordpress.py::test_bad_address_records_stop_the_build_with_file_and_line",
    "tests/test_user_visible_wordpress.py",
]
MUTANT_MODULES: dict[str, tuple[str, list[str]]] = {
    "rawhtml": ("magazin/editorial/rawhtml.py", [*_PASTED, "tests/test_user_visible_rawhtml.py"]),
    # the engine and every plugin's embed-code rule (youtube/embedcode.py, posts/embedcodes.py, …)
    "embedcodes": (
        "magazin/*/embedcode*.py",
        [
            *_PASTED,
            "tests/test_user_visible_rawhtml.py",
            "tests/test_pasted_posts.py",
            "tests/test_facebook.py",
        ],
    ),
    "comments-assets": ("magazin/comments/assets.py", _COMMENTS),
    "comments-threads": ("magazin/comments/threads.py", _COMMENTS),
    "comments-server": ("magazin/comments/server.py", _COMMENTS),
    "preview-server": ("magazin/preview/server.py", ["tests/test_user_visible_preview.py"]),
    "wordpress-convert": ("magazin/wordpress/convert.py", _WORDPRESS),
    "wordpress-redirects": ("magazin/wordpress/redirects.py", _WORDPRESS),
    "consent": (
        "magazin/consent/*.py",
        [
            "tests/test_embed_plugin.py::test_url_alone_reads_one_address_and_nothing_else",
            "tests/test_embed_plugin.py::test_url_line_processor_replaces_only_accepted_paragraphs",
            "tests/test_embed_plugin.py::test_registry_runs_each_listed_hook_once_in_plugins_order",
            "tests/test_embed_plugin.py::test_consent_providers_setting_changes_a_registered_provider",
            "tests/test_youtube.py::test_bare_url_on_its_own_line_becomes_a_placeholder",
            "tests/test_youtube.py::test_placeholder_escapes_every_value",
            "tests/test_user_visible_consent.py",
        ],
    ),
}
MUTANTS = ROOT / ".mutants"


def _mutant_scores(workdir: Path) -> tuple[int, int, dict[str, int]]:
    """(killed, counted, count per status) from mutmut's ``*.meta`` files in ``workdir``."""
    import json
    from collections import Counter

    names = {1: "killed", 3: "killed", 0: "survived", 5: "no tests", 33: "no tests", 34: "skipped"}
    names |= dict.fromkeys((36, 24, -24, 152, 255), "timeout") | {37: "type check", None: "not checked"}
    status: Counter[str] = Counter()
    for meta in (workdir / "mutants").rglob("*.meta"):
        for code in json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"].values():
            status[names.get(code, "suspicious")] += 1
    killed = status["killed"] + status["timeout"] + status["type check"]
    counted = sum(n for s, n in status.items() if s not in ("skipped", "not checked"))
    return killed, counted, dict(status)


def _forget_survivors(workdir: Path) -> None:
    """Drop the verdicts "survived" and "no tests" from mutmut's ``*.meta`` files in ``workdir``."""
    import json

    for meta in (workdir / "mutants").rglob("*.meta"):
        data = json.loads(meta.read_text(encoding="utf-8"))
        codes = data["exit_code_by_key"]
        data["exit_code_by_key"] = {k: None if v in (0, 5, 33) else v for k, v in codes.items()}
        meta.write_text(json.dumps(data, indent=4), encoding="utf-8")


@task(
    help={
        "module": f"eines von: {', '.join(MUTANT_MODULES)} (leer: alle)",
        "jobs": "parallele Testläufe (Standard 2; die Maschine ist geteilt)",
        "fresh": "frühere Ergebnisse verwerfen und alle Mutanten neu prüfen",
        "again": "nur die überlebenden (und ungetesteten) Mutanten neu prüfen, z. B. nach neuen Tests",
    },
)
def mutants(c, module="", jobs=2, fresh=False, again=False):
    """Mutation testing with mutmut over the modules that keep a privacy or security promise.

    ``invoke mutants`` runs every module, ``invoke mutants -m rawhtml`` one (invoke has no
    optional positional arguments).

    Each module runs in its own folder .mutants/<module>/ (git-ignored): mutmut copies the
    plugins there, changes the module one small mutation at a time and runs the module's
    fast tests (no site build, no browser) against each. Prints the score per module;
    ``cd .mutants/<module> && ../../.venv/bin/mutmut show NAME`` shows a mutant.
    Not part of `invoke test` (it takes its time on two cores): run it for every change
    to these modules (README, before a release).
    """
    import subprocess

    if module and module not in MUTANT_MODULES:
        print(f"✗ Unbekanntes Modul „{module}“. Bekannt: {', '.join(MUTANT_MODULES)}", file=sys.stderr)
        raise SystemExit(2)
    mutmut = Path(sys.executable).with_name("mutmut")
    rows = []
    for name in [module] if module else list(MUTANT_MODULES):
        target, tests = MUTANT_MODULES[name]
        workdir = MUTANTS / name
        if fresh:
            shutil.rmtree(workdir, ignore_errors=True)
        workdir.mkdir(parents=True, exist_ok=True)
        # the modules find the comment server's files beside the plugins' parent (comments/server.py)
        links = [
            "tests",
            "comments",
            ".venv-comments",
            "requirements-comments.txt",
            "requirements-comments.lock",
        ]
        # copied for the tests that read the settings, the content or the tasks
        copied = ["pelicanconf.py", "publishconf.py", "theme", "content", "tasks.py"]
        links += copied
        for link, real in [("magazin", ROOT / "plugins" / "magazin"), *((n, ROOT / n) for n in links)]:
            if real.exists() and not (workdir / link).is_symlink():
                (workdir / link).symlink_to(real)
        # mutmut reads its settings from setup.cfg here (the repository's pyproject has none);
        # pytest's own settings come from pyproject.toml, linked beside it.
        if not (workdir / "pyproject.toml").is_symlink():
            (workdir / "pyproject.toml").symlink_to(ROOT / "pyproject.toml")
        present = [t for t in tests if (ROOT / t.split("::")[0]).is_file()]
        if not present:
            print(f"✗ {name}: keine schnellen Tests vorhanden", file=sys.stderr)
            continue
        selection = [*present, *_FAST]
        (workdir / "setup.cfg").write_text(
            "[mutmut]\nsource_paths = magazin\n"
            f"only_mutate = {target}\n"
            "pytest_add_cli_args_test_selection =\n"
            + "".join(f"    {arg}\n" for arg in selection)
            + "also_copy =\n"
            + "".join(f"    {name}\n" for name in copied)
            + "use_git_change_detection = false\n",
            encoding="utf-8",
        )
        if again:  # keep the killed ones; mutmut re-tests mutants without a verdict
            _forget_survivors(workdir)
        print(f"→ {name}: {target} mit {len(present)} Testdatei(en)/Tests")
        subprocess.run(
            ["nice", "-n", "10", str(mutmut), "run", "--max-children", str(int(jobs))],
            cwd=workdir,
            check=False,
        )
        rows.append((name, *_mutant_scores(workdir)))
    print("\nMutationstests (getötet / gezählt):")
    for name, killed, counted, status in rows:
        score = 100 * killed / counted if counted else 0.0
        details = ", ".join(f"{s} {n}" for s, n in sorted(status.items()))
        print(f"  {name:<22} {killed:>4} / {counted:<4} {score:5.1f} %   ({details})")
