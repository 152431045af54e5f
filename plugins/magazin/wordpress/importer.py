"""``invoke import-wordpress EXPORT.xml``: posts, pages, images, embeds and old addresses from WordPress.

One run reads the export, checks everything first (a broken export, an unmapped category or
author, two posts with one slug stop with a German message and nothing is written), then
fetches the images (from ``--uploads DIR`` or, only then, over the network through
``fetch.py``), and writes:

- ``content/articles/<department>/<slug>.md`` and ``content/pages/<slug>.md``;
- ``content/images/<department>/…`` (``seiten`` for pages), downscaled to what the checks allow,
  and other linked uploads (PDF data sheets, …) under ``content/downloads/<department>/``; links to
  other imported posts become ``{filename}`` links, category and tag links the new archives;
- ``content/data/wordpress.yml`` (the mapping, as a draft on the first run);
- ``content/data/wordpress-adressen.yml``: every old address and its target, read by the build
  (``redirects.py``), which writes redirect pages, ``_redirects`` and an nginx map;
- ``content/data/wordpress-import.yml``: a checksum of every file the import wrote, so a second
  run changes nothing and an article edited since is not overwritten without ``--force``.

Comments are never written to git: approved ones go to the comment server through
``comments.isso_importer`` (see there).
"""

from __future__ import annotations

import hashlib
import io
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import yaml

from magazin.german.slugs import slugify_de

from .convert import (
    Attached,
    Converter,
    ImageTarget,
    first_paragraph,
    first_text,
    plain_text,
    strip_size_suffix,
)
from .mapping import MAPPING_NAME, Mapping, draft_text, load_mapping
from .media import media_kind
from .wxr import Export, Item, WordPressError, read_export

ADDRESSES_NAME = "wordpress-adressen.yml"
STATE_NAME = "wordpress-import.yml"
PAGES_IMAGE_DIR = "seiten"
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp")
LEGACY_SIGNOFF = "WordPress-Altbestand"
MAX_WIDTH = 1600  # EDITORIAL_IMAGE_SUGGESTED_WIDTH
MAX_BYTES = 500_000  # EDITORIAL_IMAGE_MAX_BYTES
_IMAGE_EXT = {"JPEG": ".jpg", "PNG": ".png", "GIF": ".gif", "WEBP": ".webp"}
KIND_NO_EXCERPT = (
    "{n} Beiträge ohne Auszug in WordPress: „Summary“ ist der Anfang des ersten Absatzes (für "
    "Startseite, Feeds und Suche); die Artikelseite zeigt ihn nur einmal – nichts zu tun",
    "info",
)
KIND_SLUG = (
    "{n} Beiträge/Seiten mit derselben Adresse in WordPress: eindeutige Adresse vergeben, die alte "
    "Adresse leitet weiter",
    "info",
)


@dataclass
class Report:
    """What the import did or, with ``--dry-run``, would do (printed in German)."""

    dry_run: bool = False
    posts: list[str] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)
    drafts: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # edited since the last import, not overwritten
    moved: list[str] = field(default_factory=list)  # to another department or slug
    images: list[str] = field(default_factory=list)
    images_present: int = 0
    embeds: Counter = field(default_factory=Counter)
    skipped: list[str] = field(default_factory=list)
    review: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    fetch_commands: list[str] = field(default_factory=list)
    videos_without_poster: list[str] = field(default_factory=list)
    addresses: int = 0
    comments: str = ""
    # notes of one kind, printed once with their list: (headline, section) → entries
    grouped: dict[tuple[str, str], list[str]] = field(default_factory=dict)

    def group(self, kind: tuple[str, str], what: str, entry: str) -> None:
        """Add ``entry`` to the note of ``kind`` (headline template with {n}/{what}, section)."""
        entries = self.grouped.setdefault((kind[0].replace("{what}", what), kind[1]), [])
        if entry not in entries:
            entries.append(entry)

    def text(self) -> str:
        head = (
            "Probelauf (--dry-run): es wurde nichts geschrieben." if self.dry_run else "Import abgeschlossen."
        )
        lines = [
            head,
            f"Beiträge: {len(self.posts)}, Seiten: {len(self.pages)}, davon Entwürfe: {len(self.drafts)}.",
            f"Dateien {'zu schreiben' if self.dry_run else 'geschrieben'}: {len(self.written)}, "
            f"unverändert: {len(self.unchanged)}, seit dem letzten Import bearbeitet (nicht "
            f"überschrieben, --force): {len(self.kept)}.",
            f"Bilder und Dateien {'zu holen' if self.dry_run else 'übernommen'}: {len(self.images)}, "
            f"schon vorhanden: {self.images_present}.",
            "Einbettungen umgewandelt: "
            + (", ".join(f"{name} {count}" for name, count in sorted(self.embeds.items())) or "keine")
            + ".",
            f"Alte Adressen mit Weiterleitung: {self.addresses}.",
        ]
        if self.comments:
            lines.append(self.comments)
        for title, entries in (
            ("Nicht übernommen", self.skipped),
            ("Bearbeitet seit dem letzten Import (mit --force überschreiben)", self.kept),
            ("Verschoben (neue Abteilung oder Adresse)", self.moved),
            ("Unsicheres entfernt", self.removed),
            ("Bitte ansehen", self.review),
        ):
            if entries:
                lines.append(f"\n{title}:")
                lines += [f"  - {entry}" for entry in entries]
        for section in ("review", "info"):
            for (headline, where), entries in self.grouped.items():
                if where == section:
                    lines.append("\n" + headline.format(n=len(entries)) + ":")
                    lines += [f"  - {entry}" for entry in entries]
        if self.fetch_commands:
            lines.append("\nBeiträge von X/Mastodon, die noch als Zitat stehen – als Karte holen mit:")
            lines += [f"  {command}" for command in self.fetch_commands]
        if self.videos_without_poster:
            lines.append(
                "\nVideos ohne Vorschaubild (" + ", ".join(self.videos_without_poster) + "): bitte "
                "„invoke fetch-media“ ausführen, sonst scheitert der Veröffentlichungs-Build."
            )
        return "\n".join(lines)


@dataclass
class _Planned:
    item: Item
    kind: str  # article | page
    department: str  # folder ("" for pages)
    slug: str
    author: str
    target: Path
    url: str  # the new address, e.g. /technik/slug/
    status: str  # Freigegeben | Entwurf | In Prüfung
    files: dict[str, tuple[str, str]] = field(default_factory=dict)  # static path → (source url, rel)
    unresolved: list[str] = field(default_factory=list)  # links to the old blog without a new target


def _sha(text: str | bytes) -> str:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return hashlib.sha256(data).hexdigest()


def _yaml_str(value: str) -> str:
    return value.replace("\n", " ").strip()


def _read_records(content: Path, name: str) -> dict:
    path = content / "data" / name
    if not path.is_file():
        return {}
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError:
        raise WordPressError(
            f"{path}: Die Datei ist kein gültiges YAML. Bitte reparieren oder löschen."
        ) from None


def _names(content: Path, name: str, key: str) -> dict[str, str]:
    path = content / "data" / name
    if not path.is_file():
        return {}
    records = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return {str(r[key]): str(r.get("name", r[key])) for r in records if isinstance(r, dict) and key in r}


class WordPressImport:
    """One import run; ``run()`` returns the ``Report``."""

    def __init__(
        self,
        export_path: str | Path,
        content: str | Path,
        *,
        department: str = "",
        author: str = "",
        uploads: str | Path | None = None,
        dry_run: bool = False,
        force: bool = False,
        fetch: Callable[[str], bytes] | None = None,
        progress: Callable[[str], None] = lambda message: None,
        comments_import: Callable | None = None,
    ):
        self.export_path = Path(export_path)
        self.content = Path(content)
        self.default_department = department
        self.default_author = author
        self.uploads = Path(uploads) if uploads else None
        self.dry_run = dry_run
        self.force = force
        self.fetch = fetch
        self.progress = progress
        self.comments_import = comments_import
        self.report = Report(dry_run=dry_run)
        self._image_owner: dict[tuple[str, str], str] = {}
        self._failed_urls: set[str] = set()  # reported once, by the image step

    # -- reading and checking ---------------------------------------------------------------------

    def run(self) -> Report:
        if self.uploads is not None and not self.uploads.is_dir():
            raise WordPressError(
                f"{self.uploads}: Ordner nicht gefunden (--uploads: Kopie von wp-content/uploads)."
            )
        export = read_export(self.export_path)
        self.export = export
        self.departments = _names(self.content, "departments.yml", "slug")
        self.people = set(_names(self.content, "authors.yml", "name"))
        mapping = load_mapping(self.content / "data" / MAPPING_NAME)
        self._check_defaults()
        self.attachments = {i.post_id: i for i in export.items if i.post_type == "attachment"}
        self.by_upload = {
            self._upload_key(i.attachment_url): i for i in self.attachments.values() if i.attachment_url
        }
        self._guess_mapping(export, mapping)
        planned = self._plan(export, mapping)
        self._old_address_index(planned)
        self.library = self._post_library()
        converted = {p.item.post_id: self._convert(p, failed=set()) for p in planned}
        failed = self._images(planned)
        if failed:
            converted = {p.item.post_id: self._convert(p, failed) for p in planned}
        self._write(export, mapping, planned, converted)
        self._comments(export, planned)
        return self.report

    def _check_defaults(self) -> None:
        if self.default_department and self.default_department not in self.departments:
            known = ", ".join(sorted(self.departments))
            raise WordPressError(
                f"--department „{self.default_department}“ ist keine Abteilung. Bekannt: {known}."
            )
        if self.default_author and self.default_author not in self.people:
            raise WordPressError(
                f"--author „{self.default_author}“ steht nicht in content/data/authors.yml. "
                "Bitte den Namen genau so schreiben oder die Person dort eintragen."
            )

    def _guess_mapping(self, export: Export, mapping: Mapping) -> None:
        """Fill gaps with obvious matches: category slug/name = department, display name = author."""
        by_name = {slugify_de(name): slug for slug, name in self.departments.items()}
        for slug, term in export.categories.items():
            if mapping.categories.get(slug):
                continue
            guess = slug if slug in self.departments else by_name.get(slugify_de(term.name))
            if guess is None and slugify_de(term.name) in self.departments:
                guess = slugify_de(term.name)
            mapping.categories[slug] = guess
        for login, display in export.authors.items():
            if not mapping.authors.get(login):
                mapping.authors[login] = display if display in self.people else None
        self.mapping = mapping

    def _department_of(self, item: Item, mapping: Mapping) -> str | None:
        for term in item.categories:
            value = mapping.categories.get(term.slug)
            if value:
                return value
        return self.default_department or None

    def _plan(self, export: Export, mapping: Mapping) -> list[_Planned]:
        errors: list[str] = []
        planned: list[_Planned] = []
        for item in export.items:
            if item.post_type not in ("post", "page"):
                if item.post_type not in ("attachment", "nav_menu_item", "revision"):
                    self.report.skipped.append(
                        f"{item.label}: Inhaltstyp „{item.post_type}“ wird nicht übernommen."
                    )
                continue
            status = {
                "publish": "Freigegeben",
                "draft": "Entwurf",
                "pending": "In Prüfung",
                "future": "Entwurf",
            }.get(item.status)
            if status is None:
                reason = {
                    "private": "privat",
                    "trash": "im Papierkorb",
                    "auto-draft": "automatischer Entwurf",
                }.get(item.status, f"Status „{item.status}“")
                self.report.skipped.append(f"{item.label}: {reason} – nicht übernommen.")
                continue
            if item.password:
                self.report.skipped.append(f"{item.label}: passwortgeschützt – nicht übernommen.")
                continue
            if item.date is None:
                errors.append(f"{item.source}:{item.line}: {item.label} hat kein Datum.")
                continue
            slug = _slug(item.decoded_name) or _slug(item.title) or f"beitrag-{item.post_id}"
            login = item.creator
            author = self.mapping.authors.get(login) or self.default_author
            if item.post_type == "page" and item.status != "publish":
                self.report.skipped.append(
                    f"{item.label}: Seite im Status „{item.status}“ – nicht übernommen (Seiten haben keinen "
                    "Freigabeweg; bei Bedarf von Hand unter content/pages/ anlegen)."
                )
                continue
            if item.post_type == "page":
                planned.append(
                    _Planned(
                        item,
                        "page",
                        "",
                        slug,
                        author,
                        self.content / "pages" / f"{slug}.md",
                        f"/{slug}/",
                        status,
                    )
                )
                continue
            if not author:
                errors.append(
                    f"{item.source}:{item.line}: {item.label}: der WordPress-Benutzer „{login}“ "
                    "ist keiner Person "
                    f"zugeordnet. Trage ihn in content/data/{MAPPING_NAME} unter „autoren“ ein "
                    'oder gib --author "Name" an.'
                )
                continue
            if author not in self.people:
                errors.append(
                    f"{item.source}:{item.line}: {item.label}: „{author}“ (für „{login}“) steht nicht in "
                    "content/data/authors.yml."
                )
                continue
            department = self._department_of(item, mapping)
            if department is None:
                names = ", ".join(f"„{t.name}“ ({t.slug})" for t in item.categories) or "keine"
                errors.append(
                    f"{item.source}:{item.line}: {item.label}: Kategorie {names} "
                    "ist keiner Abteilung zugeordnet. "
                    f"Trage sie in content/data/{MAPPING_NAME} unter „kategorien“ ein "
                    "oder gib --department SLUG an."
                )
                continue
            if department not in self.departments:
                errors.append(f"{item.source}:{item.line}: {item.label}: „{department}“ ist keine Abteilung.")
                continue
            target = self.content / "articles" / department / f"{slug}.md"
            planned.append(
                _Planned(item, "article", department, slug, author, target, f"/{department}/{slug}/", status)
            )
        by_id: dict[str, _Planned] = {}
        for plan in planned:
            other = by_id.setdefault(plan.item.post_id, plan)
            if other is not plan:
                errors.append(
                    f"{plan.item.source}:{plan.item.line}: {plan.item.label} und „{other.item.title}“ (Zeile "
                    f"{other.item.line}) haben dieselbe WordPress-ID {plan.item.post_id}. Die Exportdatei "
                    "ist beschädigt oder von Hand zusammengesetzt: bitte in WordPress neu exportieren."
                )
        seen: dict[str, _Planned] = {}
        for plan in planned:
            key = f"{plan.kind}:{plan.slug}"
            if key in seen:  # WordPress would have made it unique: its permalink, title, or "-2"
                other = seen[key].item
                link_name = unquote(urlsplit(plan.item.link).path.rstrip("/").rsplit("/", 1)[-1])
                candidates = [slugify_de(link_name), slugify_de(plan.item.title)]
                candidates += [f"{plan.slug}-{number}" for number in range(2, 100)]
                slug = next(c for c in candidates if c and f"{plan.kind}:{c}" not in seen)
                self.report.group(
                    KIND_SLUG,
                    "",
                    f"{plan.item.label} und {other.label} hießen „{plan.slug}“: jetzt „{slug}“",
                )
                plan.slug = slug
                plan.target = plan.target.with_name(f"{slug}.md")
                plan.url = f"/{plan.department}/{slug}/" if plan.kind == "article" else f"/{slug}/"
                key = f"{plan.kind}:{slug}"
            seen[key] = plan
        if errors:
            raise WordPressError(
                "Der Import wurde abgebrochen, es wurde nichts geschrieben:\n" + "\n".join(errors)
            )
        return planned

    # -- images -------------------------------------------------------------------------------------

    @staticmethod
    def _upload_key(url: str) -> str:
        """Compare uploads by path only (http/https, www or not, resized copies)."""
        return unquote(urlsplit(strip_size_suffix(url)).path)

    def _upload_rel(self, url: str) -> str:
        path = unquote(urlsplit(url).path)
        for marker in ("/wp-content/uploads/", "/files/"):
            if marker in path:
                return path.split(marker, 1)[1]
        return path.lstrip("/")  # WordPress.com: <blog>.files.wordpress.com/2013/05/name.jpg

    def _is_upload(self, url: str) -> bool:
        base = urlsplit(self.export.base).hostname or ""
        host = (urlsplit(url).hostname or "").lower()
        path = urlsplit(url).path
        return (
            self._upload_key(url) in self.by_upload
            or ("/wp-content/uploads/" in path and host.removeprefix("www.") == base.removeprefix("www."))
            or host.endswith(".files.wordpress.com")
        )

    def _file_name(self, plan: _Planned, url: str) -> str:
        """Where an upload goes, relative to content/: ``images/<folder>/<name>`` for pictures,
        ``downloads/<folder>/<name>`` for other files (PDF data sheets, …)."""
        rel = self._upload_rel(strip_size_suffix(url))
        stem, dot, ext = rel.rsplit("/", 1)[-1].rpartition(".")
        if not dot:
            stem, ext = ext, ""
        name = (slugify_de(stem) or "datei") + (f".{ext.lower()}" if ext else "")
        kind = "images" if f".{ext.lower()}" in IMAGE_SUFFIXES else "downloads"
        folder = f"{kind}/{plan.department or PAGES_IMAGE_DIR}"
        owner = self._image_owner.setdefault((folder, name), rel)
        if owner != rel:  # same file name from another month: prefix year and month
            prefix = "-".join(rel.split("/")[:2]) if rel.count("/") >= 2 else _sha(rel)[:6]
            name = f"{slugify_de(prefix)}-{name}"
        return f"{folder}/{name}"

    def _old_address_index(self, planned: list[_Planned]) -> None:
        """Old permalink paths and ``?p=``/``?page_id=`` of the imported items → their files."""
        self._old_links: dict[str, _Planned] = {}
        names: dict[str, list[_Planned]] = {}
        for plan in planned:
            names.setdefault(plan.item.decoded_name, []).append(plan)
        # a dated permalink with another date finds the post by its name, as WordPress does
        self._by_name = {name: found[0] for name, found in names.items() if name and len(found) == 1}
        for plan in planned:
            path = self.export.old_path(plan.item.link)
            if path:
                self._old_links[unquote(path).rstrip("/")] = plan
            for key in ("p", "page_id"):
                self._old_links[f"/?{key}={plan.item.post_id}"] = plan

    def _link_for(self, plan: _Planned, url: str) -> str | None:
        """A link in a post: an upload → a local file; an address of the old blog → the new page."""
        if self._is_upload(url):
            name = self._file_name(plan, url)
            if name in self._failed_files:
                self._failed_urls.add(url)
                return None
            plan.files[f"{{static}}/{name}"] = (url, self._upload_rel(strip_size_suffix(url)))
            return f"{{static}}/{name}"
        path = self.export.old_path(url)
        if path is None or not urlsplit(url).hostname:
            return None
        decoded = unquote(path)
        target = self._old_links.get(decoded.rstrip("/")) or self._old_links.get(decoded)
        dated = re.fullmatch(r"/\d{4}/\d{2}(?:/\d{2})?/([^/]+)/?", decoded)
        if target is None and dated:
            target = self._by_name.get(dated.group(1))
        if target is not None:
            fragment = urlsplit(url).fragment
            return f"{{filename}}/{target.target.relative_to(self.content).as_posix()}" + (
                f"#{fragment}" if fragment else ""
            )
        match = re.fullmatch(r"/(category|tag)/([^/]+)/?", decoded)
        if match and match.group(1) == "category":
            department = self.mapping.categories.get(match.group(2)) or self.default_department
            if department:
                return f"/{department}/"
        if match and match.group(1) == "tag":
            term = self.export.tags.get(match.group(2))
            if term is not None:
                return f"/themen/{slugify_de(term.name)}/"
        plan.unresolved.append(url)
        return None

    def _convert(self, plan: _Planned, failed: set[str]):
        def image_for(url: str) -> ImageTarget | None:
            if not self._is_upload(url):
                return None
            source = strip_size_suffix(url)
            attachment = self.by_upload.get(self._upload_key(url))
            if attachment is not None:
                source = attachment.attachment_url
            name = self._file_name(plan, source)
            if name in failed:
                self._failed_urls.add(url)
                return None
            path = f"{{static}}/{name}"
            plan.files[path] = (source, self._upload_rel(source))
            return ImageTarget(path, _attachment_alt(attachment))

        self._failed_files = failed
        plan.files.clear()
        plan.unresolved.clear()
        converter = Converter(
            image_for,
            lambda attrs, kind: self._attached(plan, attrs, kind),
            post_cached=lambda url: self.library.find(url) is not None,
            link_for=lambda url: self._link_for(plan, url),
        )
        body = plan.item.content + _footnotes(plan.item)
        return converter.convert(body, title=strip_emoji(plan.item.title))

    def _attached(self, plan: _Planned, attrs: dict[str, str], kind: str) -> list[Attached]:
        """What ``[gallery]``/``[playlist]`` shows, by WordPress' rules (``gallery_shortcode``,
        ``wp_playlist_shortcode``): ``ids``/``include`` in their order (``orderby`` may sort
        them), else the attachments whose parent is the post (``id`` = another post) in
        ``menu_order``, then ID; ``exclude`` leaves some out. ``orderby="rand"`` keeps the order
        (a static page shows one order for everybody)."""

        def ids(key: str) -> list[str]:
            return [i.strip() for i in re.split(r"[,\s]+", attrs.get(key, "")) if i.strip().isdigit()]

        def fits(item: Item) -> bool:
            mime = item.mime_type or ""
            url = item.attachment_url.lower()
            if kind == "image":
                return mime.startswith("image/") or url.endswith(IMAGE_SUFFIXES)
            return mime.startswith(f"{kind}/") or media_kind(url) == kind

        chosen = ids("ids") or ids("include")
        if chosen:
            items = [self.attachments[i] for i in chosen if i in self.attachments]
            default_order = "post__in"
        else:
            parent = attrs.get("id", "").strip() or plan.item.post_id
            items = [a for a in self.attachments.values() if a.parent == parent]
            default_order = "menu_order"
        excluded = set(ids("exclude"))
        items = [a for a in items if a.post_id not in excluded and a.attachment_url and fits(a)]
        orderby = (attrs.get("orderby") or default_order).lower().replace("post_", "").strip()
        keys = {
            "menu_order": lambda a: (a.menu_order, int(a.post_id)),
            "id": lambda a: int(a.post_id),
            "title": lambda a: a.title.lower(),
            "date": lambda a: (a.date.isoformat() if a.date else "", int(a.post_id)),
            "name": lambda a: a.post_name,
        }
        key = next((keys[k] for k in orderby.split() if k in keys), None)
        if key is not None:
            items.sort(key=key)
        if (attrs.get("order") or "ASC").upper() == "DESC":
            items.reverse()
        return [
            Attached(a.attachment_url, a.meta.get("_wp_attachment_image_alt", ""), plain_text(a.excerpt))
            for a in items
        ]

    def _post_library(self):
        from magazin.posts.model import load_library

        try:
            return load_library(self.content / "media" / "posts")
        except Exception:  # a broken post file is the build's business, not the import's
            from magazin.posts.model import PostLibrary

            return PostLibrary([])

    def _images(self, planned: list[_Planned]) -> set[str]:
        """Bring every upload (images, documents) into content/ (skip present ones); return the
        names (relative to content/) that failed."""
        jobs: dict[str, tuple[str, str]] = {}
        for plan in planned:
            for path, source in plan.files.items():
                jobs.setdefault(path.removeprefix("{static}/"), source)
        failed: set[str] = set()
        total = len(jobs)
        for number, (name, (url, rel)) in enumerate(sorted(jobs.items()), start=1):
            target = self.content / name
            if target.exists():
                self.report.images_present += 1
                continue
            if self.dry_run:
                self.report.images.append(name)
                continue
            self.progress(f"Datei {number}/{total}: {name}")
            try:
                data = self._image_bytes(url, rel)
                if target.suffix.lower() in IMAGE_SUFFIXES:
                    data = fit_image(data)
            except ImageMissing as exc:
                failed.add(name)
                self.report.review.append(f"Datei {url}: {exc} – bleibt als Link.")
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(target.name + ".part")
            partial.write_bytes(data)
            partial.replace(target)  # an interrupted run leaves no half file behind
            self.report.images.append(name)
        return failed

    def _image_bytes(self, url: str, rel: str) -> bytes:
        if self.uploads is not None:
            source = self.uploads / rel
            if not source.is_file():
                raise ImageMissing(f"fehlt in {self.uploads} ({rel})")
            return source.read_bytes()
        if self.fetch is None:
            raise ImageMissing("kein --uploads-Ordner und kein Download möglich")
        from .fetch import DownloadFailed

        try:
            return self.fetch(url)
        except DownloadFailed as exc:
            raise ImageMissing(f"nicht geladen ({exc})") from None

    # -- writing ------------------------------------------------------------------------------------

    def _header(self, plan: _Planned, mapping: Mapping) -> list[str]:
        item = plan.item
        summary = plain_text(item.excerpt)
        if not summary:
            summary = plain_text(first_paragraph(item.content))
            if not summary:  # only short lines, a quote, pictures: the first text, else the title
                summary = first_text(item.content) or strip_emoji(_yaml_str(item.title))
            if summary and plan.kind == "article":
                self.report.group(KIND_NO_EXCERPT, "", plan.target.relative_to(self.content).as_posix())
        title = strip_emoji(_yaml_str(item.title))
        if title != _yaml_str(item.title):
            self.report.review.append(
                f"{plan.target.relative_to(self.content)}: Emoji aus dem Titel „{item.title}“ entfernt "
                "(Broschüre und Feeds setzen ihn in einer Schrift ohne Emoji)."
            )
        summary = strip_emoji(summary)
        lines = [f"Title: {title or plan.slug}", f"Slug: {plan.slug}"]
        if plan.kind == "article":
            lines.append(f"Date: {item.date:%Y-%m-%d %H:%M}")
            lines.append(f"Author: {plan.author}")
            tags = [t.name.replace(",", " ") for t in item.tags]
            if tags:
                lines.append("Tags: " + ", ".join(dict.fromkeys(tags)))
            if summary:
                lines.append(f"Summary: {summary}")
            status = plan.status
            day = f"{item.date:%Y-%m-%d}"
            if status == "Freigegeben":
                lines.append(f"Freigabe-Abteilung: {LEGACY_SIGNOFF}, {day}")
                if mapping.cleared:
                    lines.append(f"Freigabe-Datenschutz: {LEGACY_SIGNOFF}, {day}")
                else:
                    status = "In Prüfung"
            lines.insert(2, f"Status: {status}")
        elif summary:
            lines.append(f"Summary: {summary}")
        lines.append(f"WordPress-ID: {item.post_id}")
        if item.link:
            lines.append(f"WordPress-URL: {item.link}")
        return lines

    def _addresses(self, export: Export, planned: list[_Planned]) -> list[dict]:
        records: dict[str, dict] = {}

        def add(old: str | None, **target) -> None:
            if not old:
                return
            if not old.startswith("/"):
                old = "/" + old
            records.setdefault(old, {"alt": old, **target})

        used_categories: dict[str, str] = {}
        used_tags: dict[str, str] = {}
        for plan in planned:
            item = plan.item
            if item.status != "publish":
                continue  # a draft never had a public address
            path = export.old_path(item.link)
            if path and unquote(path) != plan.url:
                add(unquote(path), beitrag=item.post_id)
            add(f"/?{'page_id' if plan.kind == 'page' else 'p'}={item.post_id}", beitrag=item.post_id)
            if path and "?" not in path:
                add(unquote(path).rstrip("/") + "/feed/", beitrag=item.post_id)
            if plan.kind == "article":
                for term in item.categories:
                    used_categories.setdefault(
                        term.slug, self.mapping.categories.get(term.slug) or plan.department
                    )
                for tag in item.tags:
                    used_tags.setdefault(tag.slug, tag.name)
        # attachment pages (/?attachment_id=N or …/post/attachment-slug/) show the file in its
        # post: they lead to the post's new address
        published = {plan.item.post_id for plan in planned if plan.item.status == "publish"}
        for item in export.items:
            if item.post_type == "attachment" and item.parent in published:
                add(f"/?attachment_id={item.post_id}", beitrag=item.parent)
                path = export.old_path(item.link)
                if path and "?" not in path:
                    add(unquote(path), beitrag=item.parent)
        for slug, department in sorted(used_categories.items()):
            add(f"/category/{slug}/", abteilung=department)
            add(f"/category/{slug}/feed/", feed=department)
        for slug, name in sorted(used_tags.items()):
            add(f"/tag/{slug}/", thema=name)
            add(f"/tag/{slug}/feed/", feed="alle")
        if planned:
            for old in ("/feed/", "/feed/atom/", "/feed/rss2/", "/comments/feed/"):
                add(old, feed="alle")
        # addresses an editor added by hand (target „ziel“) survive the next import
        previous = _read_records(self.content, ADDRESSES_NAME).get("adressen") or []
        for record in previous:
            if isinstance(record, dict) and isinstance(record.get("alt"), str) and "ziel" in record:
                add(record["alt"], ziel=str(record["ziel"]))
        return [records[key] for key in sorted(records)]

    def _write(self, export: Export, mapping: Mapping, planned: list[_Planned], converted: dict) -> None:
        state = _read_records(self.content, STATE_NAME)
        recorded: dict[str, str] = dict(state.get("dateien") or {})
        files: dict[Path, str] = {}
        for plan in planned:
            result = converted[plan.item.post_id]
            body = result.markdown
            text = "\n".join(self._header(plan, mapping)) + "\n\n" + body
            files[plan.target] = text
            label = f"{plan.item.title} → {plan.url}"
            (self.report.pages if plan.kind == "page" else self.report.posts).append(label)
            if plan.status == "Entwurf":
                self.report.drafts.append(label)
            for embed in result.embeds:
                if embed.provider == "youtube":
                    self._check_poster(embed.url)
                self.report.embeds[
                    {"youtube": "YouTube", "x": "X", "mastodon": "Mastodon"}[embed.provider]
                ] += 1
            rel = plan.target.relative_to(self.content)
            self.report.removed += [f"{rel}: {entry}" for entry in dict.fromkeys(result.removed)]
            self.report.review += [
                f"{rel}: {entry}"
                for entry in dict.fromkeys(result.notes)
                if not any(url in entry for url in self._failed_urls)
            ]
            for kind, what, detail in result.grouped:
                self.report.group(kind, what, f"{rel}: {detail}" if detail else str(rel))
            for url in dict.fromkeys(plan.unresolved):
                self.report.review.append(
                    f"{rel}: Link auf den alten Blog {url} führt zu nichts Übernommenem: bitte ändern."
                )
            for url in result.missing_posts:
                command = f"invoke fetch-post --url {url}"
                if command not in self.report.fetch_commands:
                    self.report.fetch_commands.append(command)
        addresses = self._addresses(export, planned)
        self.report.addresses = len(addresses)
        counts = Counter(t.slug for i in export.items if i.post_type == "post" for t in i.categories)
        author_counts = Counter(i.creator for i in export.items if i.post_type in ("post", "page"))
        data = self.content / "data"
        address_text = _addresses_text(export, addresses)
        support: dict[Path, str] = {data / ADDRESSES_NAME: address_text}
        mapping_path = data / MAPPING_NAME
        if not mapping.exists:
            effective = Mapping(
                categories={
                    slug: mapping.categories.get(slug) or self.default_department or None
                    for slug in export.categories
                },
                authors={
                    login: mapping.authors.get(login) or self.default_author or None
                    for login in export.authors
                },
                cleared=mapping.cleared,
            )
            support[mapping_path] = draft_text(export, effective, counts, author_counts)
        new_state: dict[str, str] = {}
        previous = self._previous_files()
        for plan in planned:  # moved (another department or slug since the last import)
            old = previous.get(plan.item.post_id)
            if old is None or old == plan.target:
                continue
            old_rel = old.relative_to(self.content).as_posix()
            if recorded.get(old_rel) == _sha(old.read_text(encoding="utf-8")) or self.force:
                self.report.moved.append(f"{old_rel} → {plan.target.relative_to(self.content).as_posix()}")
                recorded.pop(old_rel, None)
                if not self.dry_run:
                    old.unlink()
            else:
                self.report.kept.append(f"{old_rel} (seit dem letzten Import bearbeitet, gehört jetzt nach "
                                        f"{plan.target.relative_to(self.content).as_posix()})")  # fmt: skip
                files.pop(plan.target, None)
                if old_rel in recorded:
                    new_state[old_rel] = recorded[old_rel]
        for path, text in files.items():
            rel = path.relative_to(self.content).as_posix()
            if path.exists():
                current = path.read_text(encoding="utf-8")
                if current == text:
                    self.report.unchanged.append(rel)
                    new_state[rel] = _sha(text)
                    continue
                if not self.force and recorded.get(rel) != _sha(current):
                    why = (
                        "seit dem letzten Import bearbeitet"
                        if rel in recorded
                        else "nicht vom Import angelegt"
                    )
                    self.report.kept.append(f"{rel} ({why})")
                    if rel in recorded:
                        new_state[rel] = recorded[rel]
                    continue
            self.report.written.append(rel)
            new_state[rel] = _sha(text)
            if not self.dry_run:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
        for path, text in support.items():
            if path.exists() and path.read_text(encoding="utf-8") == text:
                continue
            self.report.written.append(path.relative_to(self.content).as_posix())
            if not self.dry_run:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
        state_text = _state_text(
            export, {**{k: v for k, v in recorded.items() if k not in new_state}, **new_state}
        )
        state_path = data / STATE_NAME
        if not self.dry_run and (
            not state_path.exists() or state_path.read_text(encoding="utf-8") != state_text
        ):
            state_path.parent.mkdir(parents=True, exist_ok=True)
            state_path.write_text(state_text, encoding="utf-8")

    def _previous_files(self) -> dict[str, Path]:
        """WordPress-ID → the article or page file that carries it now."""
        found: dict[str, Path] = {}
        for folder in ("articles", "pages"):
            for path in sorted((self.content / folder).rglob("*.md")):
                with path.open(encoding="utf-8", errors="replace") as handle:
                    for line in handle:
                        if not line.strip():
                            break  # end of the metadata header
                        key, _, value = line.partition(":")
                        if key.strip().lower() == "wordpress-id":
                            found.setdefault(value.strip(), path)
        return found

    def _check_poster(self, url: str) -> None:
        from magazin.youtube.urls import InvalidVideoUrl, parse_youtube_url

        try:
            key = parse_youtube_url(url).key
        except InvalidVideoUrl:
            return
        poster = self.content / "media" / "youtube" / f"{key}.jpg"
        if not poster.exists() and key not in self.report.videos_without_poster:
            self.report.videos_without_poster.append(key)

    def _comments(self, export: Export, planned: list[_Planned]) -> None:
        from .comments import collect_threads

        threads, dropped = collect_threads(planned)
        approved = sum(len(t.comments) for t in threads)
        if not approved and not dropped:
            return
        if self.dry_run:
            self.report.comments = (
                f"Kommentare: {approved} freigegebene würden übernommen, {dropped} (Spam, Papierkorb, "
                "nicht freigegeben, Pingbacks) verworfen."
            )
            return
        if self.comments_import is None:
            self.report.comments = (
                f"Kommentare: {approved} freigegebene gefunden, {dropped} verworfen – NICHT übernommen: "
                "das Kommentar-Plugin ist nicht eingebunden (siehe docs/kommentare.md). "
                "Kommentare landen nie in git."
            )
            return
        from magazin.comments.server import CommentsError

        try:
            imported, existing = self.comments_import(threads)
        except CommentsError as exc:
            self.report.comments = f"Kommentare: {approved} freigegebene NICHT übernommen – {exc}"
            return
        self.report.comments = (
            f"Kommentare: {imported} in den Kommentarserver übernommen, {dropped} verworfen "
            "(Spam, Papierkorb, nicht freigegeben, Pingbacks)"
            + (f"; {len(existing)} Artikel hatten ihre Kommentare schon." if existing else ".")
        )


def _footnotes(item: Item) -> str:
    """The block editor's footnotes (post meta ``footnotes``, shown by WordPress on the fly) as
    a list at the end of the text."""
    import json

    try:
        notes = json.loads(item.meta.get("footnotes") or "[]")
    except json.JSONDecodeError:
        return ""
    texts = [str(n.get("content", "")) for n in notes if isinstance(n, dict) and n.get("content")]
    if not texts:
        return ""
    entries = "".join(f"<li>{text}</li>" for text in texts)  # HTML from the export: cleaned later
    return f"\n\n<h2>Anmerkungen</h2>\n<ol>{entries}</ol>\n"


def _slug(text: str) -> str:
    """The German slug; letters of other scripts (Greek, Cyrillic, …) transliterated (Unidecode,
    Pelican's own dependency) instead of dropped („επίπεδο-2“ → „epipedo-2“, not „2“)."""
    slug = slugify_de(text)
    if re.search(r"[^\W\d_]", text) and not re.search(r"[a-z]", slug):
        from unidecode import unidecode

        slug = slugify_de(unidecode(text))
    return slug


def _attachment_alt(attachment: Item | None) -> str:
    """The attachment's alt text, else its title when that is words and not the file name."""
    if attachment is None:
        return ""
    alt = attachment.meta.get("_wp_attachment_image_alt", "").strip()
    if alt:
        return alt
    title = " ".join(attachment.title.split())
    stem = urlsplit(attachment.attachment_url).path.rsplit("/", 1)[-1].rsplit(".", 1)[0]

    def squash(text: str) -> str:
        return re.sub(r"[\W_]+", "", text.lower())

    if not title or squash(title) == squash(stem) or not re.search(r"[^\W\d_]{3,}", title):
        return ""
    if re.fullmatch(r"(?i)(img|dsc|dcp|cep|pict?|p)?[\W_\d]*\w{0,3}[\d_]+", title):
        return ""  # a camera's file name
    return title


_EMOJI = re.compile(
    "[\U0001f000-\U0001faff\U00002600-\U000027bf\U00002b00-\U00002bff\U0000fe0f\U0000200d\U000e0020-\U000e007f]"
)


def strip_emoji(text: str) -> str:
    """Text without emoji (pictographs, dingbats, flags, joiners); spaces tidied."""
    return " ".join(_EMOJI.sub("", text).split())


class ImageMissing(Exception):
    """An image could not be taken over (German reason)."""


def fit_image(data: bytes) -> bytes:
    """Check the bytes are an image; shrink what the editorial checks would refuse.

    Wider than 1600 px or larger than 500 KB: scaled to at most 1600 px and saved as JPEG
    (quality 82) or optimised PNG (graphics with transparency).
    """
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            kind = image.format or ""
            if kind not in _IMAGE_EXT:
                raise ImageMissing(f"kein unterstütztes Bildformat ({kind or 'unbekannt'})")
            if image.width <= MAX_WIDTH and len(data) <= MAX_BYTES:
                return data
            image = ImageOps.exif_transpose(image)
            if image.width > MAX_WIDTH:
                image = image.resize(
                    (MAX_WIDTH, round(image.height * MAX_WIDTH / image.width)), Image.LANCZOS
                )
            out = io.BytesIO()
            if kind == "PNG" and image.mode in ("RGBA", "LA", "P"):
                image.save(out, "PNG", optimize=True)
            elif kind == "JPEG":
                image.convert("RGB").save(out, "JPEG", quality=82, optimize=True, progressive=True)
            else:
                return data if len(data) <= MAX_BYTES else _as_jpeg(image)
            return out.getvalue()
    except (UnidentifiedImageError, OSError):
        raise ImageMissing("keine lesbare Bilddatei") from None


def _as_jpeg(image) -> bytes:
    out = io.BytesIO()
    image.convert("RGB").save(out, "JPEG", quality=82)
    return out.getvalue()


def _addresses_text(export: Export, addresses: list[dict]) -> str:
    header = (
        "# Alte Adressen des WordPress-Blogs und wohin sie jetzt führen.\n"
        "# Geschrieben von „invoke import-wordpress“; der Build macht daraus Weiterleitungsseiten,\n"
        "# output/_redirects und eine nginx-map. Ziele: beitrag (WordPress-ID eines übernommenen\n"
        "# Artikels oder einer Seite), abteilung, thema, feed (alle oder Abteilung) oder ziel (Pfad).\n"
    )
    body = yaml.safe_dump(
        {"quelle": export.base, "adressen": addresses}, allow_unicode=True, sort_keys=False, width=200
    )
    return header + body


def _state_text(export: Export, files: dict[str, str]) -> str:
    header = (
        "# Prüfsummen der Dateien, die „invoke import-wordpress“ geschrieben hat (nicht von Hand ändern).\n"
        "# Eine Datei, deren Inhalt nicht mehr passt, wurde bearbeitet und wird nur mit --force ersetzt.\n"
    )
    body = yaml.safe_dump(
        {"quelle": export.base, "dateien": dict(sorted(files.items()))}, allow_unicode=True, sort_keys=False
    )
    return header + body


def encoded_path(path: str) -> str:
    """A decoded path as a browser sends it (UTF-8 percent-encoded, upper-case hex)."""
    return quote(path, safe="/?=&%:@!$'()*+,;-._~")


def import_wordpress(export_path: str | Path, content: str | Path, **options) -> Report:
    """Run one import (see ``WordPressImport``); raises ``WordPressError`` with a German message."""
    return WordPressImport(export_path, content, **options).run()
