"""The authors' linter: every problem in the content, at once, in German, as ``file:line: message``.

Two levels share one code path:
- ``check_site(settings, full=False)`` runs before Pelican reads anything (the build's
  pre-flight, connected by the plugin): broken headers, control characters, missing title,
  bad dates, unknown status, sign-offs, slugs or ``Save_as`` escaping the output folder,
  missing images and duplicate addresses — everything that would otherwise end in
  Pelican's generic "Could not process …".
- ``check_site(settings, full=True)`` (``invoke check``) adds the editorial checks:
  departments and authors, summary and leftover TODOs, alt texts, oversize images,
  internal links and anchors, video and post URLs.
"""

from __future__ import annotations

import datetime as dt
import difflib
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from magazin.magazine.errors import ContentError, ContentErrors
from magazin.posts.model import X_HOSTS as POSTS_X_HOSTS
from magazin.youtube.urls import ALL_HOSTS as YOUTUBE_ALL_HOSTS

from .rawhtml import check_raw_html
from .source import Source, read_source
from .workflow import (
    DEPARTMENT_KEY,
    HIDDEN,
    PRIVACY_KEY,
    RELEASE,
    STATUS_CHOICES,
    STATUS_KEY,
    normalise_status,
    parse_signoff,
    workflow_of,
)

DEFAULTS = {
    "EDITORIAL_PUBLISH": False,  # publishconf: only cleared articles, missing sign-offs are errors
    "EDITORIAL_PREFLIGHT": True,  # run the source checks before Pelican reads the content
    "EDITORIAL_IMAGE_MAX_WIDTH": 2000,  # pixels
    "EDITORIAL_IMAGE_MAX_BYTES": 500_000,
    "EDITORIAL_IMAGE_SUGGESTED_WIDTH": 1600,
}

KNOWN_KEYS = [
    "Title",
    "Date",
    "Modified",
    "Author",
    "Authors",
    "Tags",
    "Summary",
    "Slug",
    "Status",
    "Image",
    "Lang",
    "Translation",
    "Save_as",
    "Url",
    "Template",
    "Freigabe-Abteilung",
    "Freigabe-Datenschutz",
]

_DATE_RE = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2})(?:[ T](?P<time>\d{1,2}:\d{2}(?::\d{2})?))?$")
_IMAGE_MD_RE = re.compile(r"!\[(?P<alt>[^\]]*)\]\(\s*<?(?P<url>[^)\s>]+)>?(?:\s+[\"'][^\"']*[\"'])?\s*\)")
_LINK_MD_RE = re.compile(
    r"(?<!!)\[(?P<text>[^\]]*)\]\(\s*<?(?P<url>[^)\s>]+)>?(?:\s+[\"'][^\"']*[\"'])?\s*\)"
)
_REF_DEF_RE = re.compile(r"^\s{0,3}\[(?P<label>[^\]]+)\]:\s*<?(?P<url>\S+?)>?(?:\s+.*)?$")
_IMG_TAG_RE = re.compile(r"<img\b(?P<attrs>[^>]*)>", re.I)
_A_TAG_RE = re.compile(r"<a\b[^>]*\bhref\s*=\s*[\"'](?P<url>[^\"']+)[\"']", re.I)
_ATTR_RE = re.compile(r"(?P<name>[a-zA-Z-]+)\s*=\s*(?P<q>[\"'])(?P<value>.*?)(?P=q)")
_BARE_URL_RE = re.compile(r"^\s*<?(?P<url>(?:https?:)?//\S+?)>?\s*$")
_TODO_RE = re.compile(r"\bTODO\b")
_PLACEHOLDER_RE = re.compile(r"^\{(?P<kind>static|attach|filename)\}(?P<path>.*)$")


@dataclass
class Site:
    """Everything the checks look at."""

    settings: dict
    content: Path
    articles: list[Source] = field(default_factory=list)
    pages: list[Source] = field(default_factory=list)
    departments: dict = field(default_factory=dict)
    people: dict = field(default_factory=dict)
    errors: list[ContentError] = field(default_factory=list)
    heading_ids: dict[Path, set[str]] = field(default_factory=dict)

    @property
    def sources(self) -> list[Source]:
        return [*self.articles, *self.pages]


def setting(settings: dict, name: str):
    return settings.get(name, DEFAULTS[name])


def _markdown_files(root: Path, paths: list[str], settings: dict) -> list[Path]:
    from fnmatch import fnmatch

    ignore = settings.get("IGNORE_FILES", [])
    found = []
    for rel in paths:
        base = root / rel
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*")):
            if path.suffix.lower() not in (".md", ".markdown", ".mkd", ".mdown") or not path.is_file():
                continue
            if any(fnmatch(path.name, pattern) for pattern in ignore):
                continue
            found.append(path)
    return found


def load_site(settings: dict) -> Site:
    """Read every article and page source under ``settings['PATH']``."""
    content = Path(settings["PATH"])
    site = Site(settings=settings, content=content)
    site.articles = [
        read_source(p, "article") for p in _markdown_files(content, settings["ARTICLE_PATHS"], settings)
    ]
    site.pages = [read_source(p, "page") for p in _markdown_files(content, settings["PAGE_PATHS"], settings)]
    return site


def check_site(settings: dict, full: bool = True) -> list[ContentError]:
    """All problems of the site's content, sorted by file and line."""
    site = load_site(settings)
    if full:
        _load_masthead(site)
    for src in site.sources:
        if not src.readable:
            continue
        _check_header(site, src, full)
        _check_images(site, src, full)
        check_raw_html(src)  # every build: nothing that loads or runs something (rawhtml.py)
        if full:
            _check_links(site, src)
            _check_embeds(src)
    _check_duplicates(site)
    problems = [*site.errors]
    for src in site.sources:
        problems.extend(src.problems)
    return ContentErrors(problems).errors if problems else []


# --- header -------------------------------------------------------------------------------


def _check_header(site: Site, src: Source, full: bool) -> None:
    meta = src.meta
    header_line = 1
    title = meta.get("title", "").strip()
    if not title:
        src.error(
            src.line_of("title") or header_line,
            "Der Titel fehlt." if "title" not in meta else "Der Titel ist leer.",
            "Trage im Kopfbereich eine Zeile „Title: Überschrift des Beitrags“ ein.",
        )
    for key, label in (("date", "Date"), ("modified", "Modified")):
        if key in meta:
            reason = date_problem(meta[key])
            if reason:
                src.error(
                    src.line_of(key),
                    f"{label}: {reason}",
                    "Schreibe das Datum als „JJJJ-MM-TT SS:MM“, z. B. „2026-03-14 09:30“.",
                )
        elif key == "date" and src.kind == "article":
            src.error(
                header_line,
                "Das Datum fehlt.",
                "Trage eine Zeile „Date: JJJJ-MM-TT SS:MM“ ein, z. B. „Date: 2026-03-14 09:30“.",
            )
    if "status" in meta and normalise_status(meta["status"]) is None:
        src.error(
            src.line_of("status"),
            f"Unbekannter Status „{meta['status']}“.",
            f"Erlaubt sind {STATUS_CHOICES}.",
        )
    _check_address(src)
    for key in (DEPARTMENT_KEY, PRIVACY_KEY):
        if key in meta:
            _, reason = parse_signoff(meta[key])
            if reason:
                src.error(
                    src.line_of(key),
                    f"{src.keys[key]}: {reason}.",
                    "Beispiel: „Freigabe-Abteilung: Anja Voß, 2026-03-12“.",
                )
    if src.kind == "article" and normalise_status(meta.get(STATUS_KEY)) is not None:
        _check_workflow(site, src)
    if full:
        _check_keys(src)
        _check_people(site, src)
        if src.kind == "article":
            summary = meta.get("summary", "").strip()
            if not summary:
                src.error(
                    src.line_of("summary") or header_line,
                    "Die Zusammenfassung fehlt.",
                    "Trage eine Zeile „Summary: …“ mit ein bis zwei Sätzen ein "
                    "(erscheint auf der Startseite, in Feeds und bei Suchmaschinen).",
                )
        for key, value in meta.items():
            if _TODO_RE.search(value):
                src.error(
                    src.line_of(key),
                    f"In „{src.keys[key]}“ steht noch ein Platzhalter „TODO“.",
                    "Ersetze ihn durch den richtigen Inhalt.",
                )
        for number, line in src.prose_lines():
            if _TODO_RE.search(line):
                src.error(
                    number,
                    "Im Text steht noch ein Platzhalter „TODO“.",
                    "Ersetze ihn durch den richtigen Text.",
                )


def date_problem(value: str) -> str | None:
    """Why ``value`` is not a valid article date (German), or None."""
    value = value.strip()
    match = _DATE_RE.match(value)
    if not match:
        return f"„{value}“ ist kein Datum der Form JJJJ-MM-TT SS:MM."
    year, month, day = (int(x) for x in match.group("date").split("-"))
    if not 1 <= month <= 12:
        return f"Das Datum „{value}“ gibt es nicht: Einen Monat {month} gibt es nicht."
    try:
        dt.date(year, month, day)
    except ValueError:
        return f"Das Datum „{value}“ gibt es nicht: Der Monat {month:02d}/{year} hat keinen {day}. Tag."
    if match.group("time"):
        parts = [int(x) for x in match.group("time").split(":")]
        if parts[0] > 23 or parts[1] > 59 or (len(parts) > 2 and parts[2] > 59):
            return f"Die Uhrzeit in „{value}“ gibt es nicht."
    return None


def _check_address(src: Source) -> None:
    from magazin.german.slugs import slugify_de

    slug = src.meta.get("slug")
    if slug is not None and (not slug or slugify_de(slug) != slug):
        suggestion = slugify_de(slug.replace("/", " ").replace(".", " ")) or "mein-thema"
        src.error(
            src.line_of("slug"),
            f"Der Slug „{slug}“ ist ungültig.",
            f"Erlaubt sind nur Kleinbuchstaben, Ziffern und Bindestriche, z. B. „{suggestion}“.",
        )
    for key in ("save_as", "url"):
        value = src.meta.get(key)
        if value is None:
            continue
        if not is_safe_output_path(value):
            src.error(
                src.line_of(key),
                f"„{src.keys[key]}: {value}“ zeigt aus dem Ausgabeordner der Website hinaus.",
                "Lösche die Zeile: die Adresse ergibt sich aus Abteilung und Titel (oder „Slug:“).",
            )


def is_safe_output_path(value: str) -> bool:
    """True when ``value`` (a Save_as/Url) stays inside the output folder."""
    value = value.strip()
    if not value or "\\" in value or ":" in value or value.startswith(("/", "~")):
        return False
    norm = posixpath.normpath(value)
    return not (norm == ".." or norm.startswith("../") or "/../" in f"/{norm}/")


def _check_workflow(site: Site, src: Source) -> None:
    department = site.departments.get(department_of(site, src) or "")
    flow = workflow_of(src.meta, department.name if department else "")
    if setting(site.settings, "EDITORIAL_PUBLISH") and flow.status in (RELEASE, HIDDEN) and not flow.cleared:
        shown = src.meta.get(STATUS_KEY) or "Freigegeben (Standard)"
        src.error(
            src.line_of(STATUS_KEY) or src.line_of("title") or 1,
            f"Der Artikel soll veröffentlicht werden (Status: {shown}), aber es fehlt: "
            + "; ".join(flow.missing())
            + ".",
            "Hole die Freigaben ein oder setze „Status: In Prüfung“, dann wird er nicht veröffentlicht.",
        )
    if flow.department and flow.privacy and flow.privacy.date < flow.department.date:
        src.error(
            src.line_of(PRIVACY_KEY),
            "Die Freigabe durch den Datenschutz ist älter als die Freigabe der Abteilung.",
            "Erst liest die Abteilung Korrektur, danach prüft der Datenschutz die endgültige Fassung.",
        )


def _check_keys(src: Source) -> None:
    known = {k.lower(): k for k in KNOWN_KEYS}
    for lower, written in src.keys.items():
        if lower in known:
            continue
        close = difflib.get_close_matches(lower, list(known), n=1, cutoff=0.8)
        if close:
            src.error(
                src.line_of(lower),
                f"Unbekannte Angabe „{written}“.",
                f"Meintest du „{known[close[0]]}“?",
            )


def _load_masthead(site: Site) -> None:
    try:
        from magazin.masthead.masthead import load_masthead

        masthead = load_masthead(site.settings)
    except ContentErrors as exc:
        site.errors.extend(exc.errors)
        return
    except ContentError as exc:
        site.errors.append(exc)
        return
    site.departments = masthead.departments
    site.people = masthead.people


def department_of(site: Site, src: Source) -> str | None:
    rel = src.path.relative_to(site.content)
    for base in site.settings["ARTICLE_PATHS"]:
        try:
            inner = rel.relative_to(base)
        except ValueError:
            continue
        return inner.parts[0] if len(inner.parts) > 1 else None
    return None


def _check_people(site: Site, src: Source) -> None:
    if src.kind != "article" or not site.departments:
        return
    folder = department_of(site, src)
    if folder is None:
        src.error(
            None,
            "Der Artikel liegt in keinem Abteilungsordner.",
            "Verschiebe ihn nach content/articles/<abteilung>/ (z. B. technik).",
        )
    elif folder not in site.departments:
        src.error(
            None,
            f"Unbekannte Abteilung „{folder}“.",
            "Bekannte Abteilungen: " + ", ".join(site.departments) + ".",
        )
    names = [
        n.strip() for n in re.split(r"[,;]", src.meta.get("author", src.meta.get("authors", ""))) if n.strip()
    ]
    if not names:
        src.error(
            src.line_of("title") or 1,
            "Die Angabe „Author:“ fehlt.",
            "Trage eine Person aus content/data/authors.yml ein.",
        )
    for name in names:
        if name not in site.people:
            close = difflib.get_close_matches(name, list(site.people), n=1, cutoff=0.75)
            hint = f"Meintest du „{close[0]}“? " if close else ""
            src.error(
                src.line_of("author") or src.line_of("authors"),
                f"Unbekannte Autorin / unbekannter Autor „{name}“.",
                hint + "Der Name muss genau so in content/data/authors.yml stehen.",
            )


# --- images -------------------------------------------------------------------------------


def _resolve(site: Site, src: Source, target: str) -> Path | None:
    """Source file a local URL points to, or None when it is not a local file reference."""
    target = unquote(target.split("#", 1)[0].split("?", 1)[0])
    match = _PLACEHOLDER_RE.match(target)
    if match:
        path = match.group("path")
        base = site.content if path.startswith("/") else src.path.parent
        return (base / path.lstrip("/")).resolve()
    if target.startswith("/") and not target.startswith("//"):
        return (site.content / target.lstrip("/")).resolve()
    return None


def _images(src: Source):
    """(line, alt or None, url) of every image in the body."""
    for number, line in src.prose_lines():
        for match in _IMAGE_MD_RE.finditer(line):
            yield number, match.group("alt"), match.group("url")
        for match in _IMG_TAG_RE.finditer(line):
            attrs = {
                m.group("name").lower(): m.group("value") for m in _ATTR_RE.finditer(match.group("attrs"))
            }
            if "src" in attrs:
                yield number, attrs.get("alt"), attrs["src"]


def _check_images(site: Site, src: Source, full: bool) -> None:
    refs = list(_images(src))
    if "image" in src.meta:
        value = src.meta["image"]
        url = value if value.startswith(("{", "/", "http")) else "/" + value
        refs.append((src.line_of("image"), "(Image:)", url))
    for number, alt, url in refs:
        scheme = urlsplit(url).scheme
        if scheme in ("http", "https") or url.startswith("//"):  # refused in every build
            src.error(
                number,
                f"Das Bild „{url}“ liegt auf einem fremden Server.",
                "Aus Datenschutzgründen lädt das Magazin keine fremden Bilder: speichere das Bild unter "
                "content/images/<abteilung>/ und binde es mit {static}/images/… ein.",
            )
            continue
        if scheme == "data":
            continue
        path = _resolve(site, src, url)
        if path is None:
            src.error(
                number,
                f"Der Bildpfad „{url}“ ist nicht eindeutig.",
                "Schreibe ihn als „{static}/images/<abteilung>/bild.jpg“.",
            )
            continue
        if not _inside(path, site.content) or not path.is_file():
            src.error(
                number,
                f"Das Bild „{url}“ gibt es nicht.",
                _suggest_file(
                    site,
                    path,
                    "Lege die Datei unter content/images/<abteilung>/ ab oder korrigiere den Namen.",
                ),
            )
            continue
        # Alt texts in every build: the pre-build check owns Pelican's "Empty alt attribute" rule.
        if alt is not None and not alt.strip() and alt != "(Image:)":
            src.error(
                number,
                f"Dem Bild „{url}“ fehlt der Alternativtext.",
                "Beschreibe in den eckigen Klammern, was das Bild zeigt: ![Was zu sehen ist](…). "
                "Menschen mit Screenreader hören diesen Text.",
            )
        elif alt is None:
            src.error(
                number, f'Dem Bild „{url}“ fehlt das Attribut alt="…".', "Beschreibe, was das Bild zeigt."
            )
        if full:
            _check_image_size(site, src, number, url, path)


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root.resolve())
    except ValueError:
        return False
    return True


def _suggest_file(site: Site, path: Path, fallback: str) -> str:
    folder = path.parent
    if folder.is_dir() and _inside(folder, site.content):
        names = [p.name for p in folder.iterdir() if p.is_file()]
        close = difflib.get_close_matches(path.name, names, n=1, cutoff=0.6)
        if close:
            return f"Meintest du „{close[0]}“?"
    return fallback


def _check_image_size(site: Site, src: Source, number: int, url: str, path: Path) -> None:
    max_width = setting(site.settings, "EDITORIAL_IMAGE_MAX_WIDTH")
    max_bytes = setting(site.settings, "EDITORIAL_IMAGE_MAX_BYTES")
    suggested = setting(site.settings, "EDITORIAL_IMAGE_SUGGESTED_WIDTH")
    size = path.stat().st_size
    width = height = None
    if path.suffix.lower() != ".svg":
        try:
            from PIL import Image

            with Image.open(path) as image:
                width, height = image.size
        except Exception:
            src.error(
                number,
                f"Das Bild „{url}“ lässt sich nicht lesen.",
                "Speichere es erneut als JPEG, PNG oder WebP.",
            )
            return
    too_wide = width is not None and width > max_width
    if too_wide or size > max_bytes:
        dims = f"{width}×{height} Pixel, " if width else ""
        if width and height:
            target_w = min(width, suggested)
            advice = f"Verkleinere es auf {target_w}×{round(height * target_w / width)} Pixel"
        else:
            advice = "Verkleinere es"
        src.error(
            number,
            f"Das Bild „{url}“ ist zu groß ({dims}{_megabytes(size)}).",
            f"{advice} und speichere es mit höchstens {_megabytes(max_bytes)} "
            "(Fotos als JPEG mit Qualität 80, Grafiken als SVG oder PNG).",
        )


def _megabytes(size: int) -> str:
    if size < 1_000_000:
        return f"{round(size / 1000)} KB"
    return f"{size / 1_000_000:.1f} MB".replace(".", ",")


# --- links --------------------------------------------------------------------------------


def _links(src: Source):
    """(line, url) of every link in the body (not images)."""
    for number, line in src.prose_lines():
        clean = _IMAGE_MD_RE.sub("", line)
        for match in _LINK_MD_RE.finditer(clean):
            yield number, match.group("url")
        for match in _A_TAG_RE.finditer(line):
            yield number, match.group("url")
        ref = _REF_DEF_RE.match(line)
        if ref:
            yield number, ref.group("url")


def _heading_ids(site: Site, src: Source) -> set[str]:
    cache = site.heading_ids
    key = src.path
    if key not in cache:
        import markdown

        toc_config = dict(
            site.settings.get("MARKDOWN", {}).get("extension_configs", {}).get("markdown.extensions.toc", {})
        )
        md = markdown.Markdown(
            extensions=["markdown.extensions.extra", "markdown.extensions.toc"],
            extension_configs={"markdown.extensions.toc": toc_config},
        )
        html = md.convert("\n".join(src.body))
        cache[key] = set(re.findall(r'\bid="([^"]+)"', html))
    return cache[key]


def _article_urls(site: Site) -> dict[str, Source]:
    urls = {}
    for src, save_as in _addresses(site):
        url = save_as.removesuffix("index.html")
        urls["/" + url] = src
    return urls


def _check_links(site: Site, src: Source) -> None:
    urls = None
    for number, url in _links(src):
        parts = urlsplit(url)
        if (
            parts.scheme
            and parts.scheme not in ("http", "https", "mailto", "tel")
            and not url.startswith("{")
        ):
            src.error(
                number,
                f"Der Link „{url}“ hat ein unbekanntes Schema „{parts.scheme}:“.",
                "Erlaubt sind https://…, mailto: und Verweise auf eigene Artikel.",
            )
            continue
        if url.startswith("#"):
            anchor = unquote(url[1:])
            if anchor and anchor not in _heading_ids(site, src):
                src.error(
                    number,
                    f"Den Sprungpunkt „{url}“ gibt es in diesem Text nicht.",
                    "Prüfe die Schreibweise der Zwischenüberschrift.",
                )
            continue
        match = _PLACEHOLDER_RE.match(url.split("#", 1)[0])
        if match:
            target = _resolve(site, src, url)
            if target is None or not _inside(target, site.content) or not target.is_file():
                src.error(
                    number,
                    f"Der Link „{url}“ zeigt auf eine Datei, die es nicht gibt.",
                    _suggest_file(
                        site,
                        target or site.content,
                        "Prüfe Ordner und Dateinamen (relativ zu dieser Datei oder mit / ab content/).",
                    ),
                )
                continue
            anchor = unquote(url.split("#", 1)[1]) if "#" in url else ""
            if anchor and target.suffix == ".md":
                other = next((s for s in site.sources if s.path.resolve() == target), None)
                if other is not None and anchor not in _heading_ids(site, other):
                    src.error(
                        number,
                        f"Den Sprungpunkt „#{anchor}“ gibt es in {target.name} nicht.",
                        "Prüfe die Zwischenüberschrift im verlinkten Artikel.",
                    )
            continue
        if url.startswith("/") and not url.startswith("//"):
            path = unquote(parts.path)
            if urls is None:
                urls = _article_urls(site)
            segments = [s for s in path.split("/") if s]
            if len(segments) == 2 and segments[0] in site.departments:
                wanted = "/" + "/".join(segments) + "/"
                if wanted not in urls:
                    src.error(
                        number,
                        f"Den Artikel „{url}“ gibt es nicht.",
                        "Verlinke eigene Artikel am sichersten mit {filename}../abteilung/datei.md.",
                    )
                elif parts.fragment and parts.fragment not in _heading_ids(site, urls[wanted]):
                    src.error(
                        number,
                        f"Den Sprungpunkt „#{parts.fragment}“ gibt es in „{wanted}“ nicht.",
                        "Prüfe die Zwischenüberschrift im verlinkten Artikel.",
                    )


# --- videos and posts ---------------------------------------------------------------------

# The embed plugins' own host lists: the linter and the build agree on what is an embed.
_YOUTUBE_HOSTS = YOUTUBE_ALL_HOSTS | {"consent.youtube.com"}
_X_HOSTS = set(POSTS_X_HOSTS)


def video_url_problem(url: str) -> str | None:
    """Why a YouTube URL names no video (German), or None.

    Uses the YouTube plugin's parser (the same rules as the build).
    """
    from magazin.youtube.urls import InvalidVideoUrl, parse_youtube_url

    try:
        parse_youtube_url(url)
    except InvalidVideoUrl as exc:
        return str(exc)
    return None


def post_url_problem(url: str) -> str | None:
    """Why an X or Mastodon URL names no single post (German), or None.

    Uses the posts plugin's rule (the same as the build).
    """
    from magazin.posts.model import post_key

    if post_key(url) is not None:
        return None
    host = (urlsplit(url).hostname or "").lower()
    if host in _X_HOSTS:
        return "Ein Post auf X hat die Form https://x.com/<konto>/status/<nummer>."
    return "Ein Mastodon-Post hat die Form https://<server>/@<konto>/<nummer>."


def _check_embeds(src: Source) -> None:
    for number, line in src.prose_lines():
        match = _BARE_URL_RE.match(line)
        if not match:
            continue
        url = match.group("url")
        parts = urlsplit(url)
        host = parts.netloc.lower()
        segments = [s for s in parts.path.split("/") if s]
        if host in _YOUTUBE_HOSTS:
            reason = video_url_problem(url)
            if reason:
                src.error(
                    number,
                    f"Ungültige Video-Adresse „{url}“: {reason}",
                    "Kopiere die Adresse über „Teilen“ bei YouTube, z. B. https://www.youtube.com/watch?v=abcdefghijk.",
                )
        elif host in _X_HOSTS or (segments and segments[0].startswith("@")):
            reason = post_url_problem(url)
            if reason:
                src.error(
                    number,
                    f"Ungültige Post-Adresse „{url}“: {reason}",
                    "Öffne den einzelnen Post und kopiere seine Adresse.",
                )


# --- addresses ----------------------------------------------------------------------------


def _addresses(site: Site):
    """(source, save_as) of every article and page, as Pelican will write them."""
    from magazin.german.slugs import slugify_de

    settings = site.settings
    publish = setting(settings, "EDITORIAL_PUBLISH")
    for src in site.sources:
        if not src.readable:
            continue
        slug = src.meta.get("slug") or slugify_de(src.meta.get("title", ""))
        if not slug:
            continue
        if src.kind == "article":
            status = normalise_status(src.meta.get(STATUS_KEY))
            flow = workflow_of(src.meta)
            if status in ("draft", "review") and publish:
                continue
            if flow.pelican_draft:
                pattern = settings.get("DRAFT_SAVE_AS", "drafts/{slug}.html")
            elif status == HIDDEN or (status == RELEASE and flow.cleared) or not publish:
                pattern = settings.get("ARTICLE_SAVE_AS", "{slug}.html")
            else:
                continue
            fields = {"slug": slug, "category": department_of(site, src) or "", "lang": "de"}
        else:
            pattern = settings.get("PAGE_SAVE_AS", "pages/{slug}.html")
            fields = {"slug": slug, "lang": "de"}
        save_as = src.meta.get("save_as")
        if not save_as:
            try:
                save_as = pattern.format(**fields)
            except (KeyError, IndexError, AttributeError):
                continue
        yield src, save_as


def _check_duplicates(site: Site) -> None:
    seen: dict[str, Source] = {}
    for src, save_as in _addresses(site):
        key = posixpath.normpath(save_as)
        first = seen.get(key)
        if first is None:
            seen[key] = src
            continue
        src.error(
            src.line_of("slug") or src.line_of("title") or 1,
            f"Die Adresse /{key.removesuffix('index.html')} hat schon "
            f"{first.path.relative_to(site.content).as_posix()}.",
            "Zwei Beiträge dürfen nicht dieselbe Adresse haben: "
            "ändere den Titel oder setze einen eigenen „Slug:“.",
        )
