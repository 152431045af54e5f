"""Old WordPress addresses → redirects, written by the build from ``content/data/wordpress-adressen.yml``.

For every recorded old address the generator resolves its target in the built site (an
imported article or page by its ``WordPress-ID``, a department, a topic, a feed, or a path)
and writes, through ``writer.write_file``:

- a static redirect page at the old path (``meta refresh`` + ``rel=canonical``, no JavaScript,
  ``noindex``), for every address without a query string;
- ``_redirects`` (one ``old new 301`` line each; ``/?p=123`` as ``/ p=123 new 301``);
- ``_redirects.nginx.conf``: an nginx ``map`` for servers that can send real 301s.

A target that does not exist in this build is a warning (the publish build fails on it); an
unusable record stops the build with ``datei:zeile: Meldung``.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

import yaml
from pelican.generators import Generator

from magazin.core.datafiles import LINE_KEY, _LineLoader
from magazin.core.errors import ContentError, ContentErrors
from magazin.core.settings import CORE, canonical_base, setting
from magazin.feeds.feeds import DEFAULTS as FEEDS

logger = logging.getLogger(__name__)

_SAFE_PATH = re.compile(r"^/[^\x00-\x1f\x7f\"'\\<>{}|^`]*$")  # spaces allowed (WordPress slugs)
QUERY_KEYS = ("p", "page_id", "cat", "attachment_id")
TARGET_KEYS = ("beitrag", "abteilung", "thema", "feed", "ziel")


@dataclass(frozen=True)
class Redirect:
    old: str  # decoded path, optionally with a WordPress query (/?p=123)
    target: str  # site-relative URL of the new page, starting with /
    title: str
    line: int

    @property
    def query(self) -> tuple[str, str] | None:
        parts = urlsplit(self.old)
        pairs = parse_qsl(parts.query)
        return pairs[0] if parts.query and pairs else None

    @property
    def save_as(self) -> str | None:
        """Where the redirect page goes (None for query addresses: only a server can match them)."""
        if self.query is not None or "?" in self.old:
            return None
        path = self.old.lstrip("/")
        if not path or path.endswith(".html"):
            return path or None
        return f"{path.rstrip('/')}/index.html"


def load_redirects(path: Path, resolve) -> list[Redirect]:
    """Read the recorded addresses and resolve each target with ``resolve(kind, value)``
    → (url, title) or None; raise ``ContentErrors`` for unusable records."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader) or {}  # noqa: S506
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ContentErrors(
            [ContentError(str(path), mark.line + 1 if mark else None, "Die Datei ist kein gültiges YAML.")]
        ) from None
    entries = data.get("adressen") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise ContentErrors([ContentError(str(path), 1, "Es fehlt die Liste „adressen“.")])
    errors, redirects, seen = [], [], set()
    for entry in entries:
        line = entry.get(LINE_KEY) if isinstance(entry, dict) else None
        if not isinstance(entry, dict) or not isinstance(entry.get("alt"), str):
            errors.append(ContentError(str(path), line, "Eintrag ohne „alt:“ (die alte Adresse)."))
            continue
        old = entry["alt"]
        if not _SAFE_PATH.match(old):
            errors.append(
                ContentError(
                    str(path),
                    line,
                    f"Die alte Adresse „{old}“ ist kein Pfad.",
                    "Sie beginnt mit / und enthält keine Anführungszeichen, Backslashes oder <>.",
                )
            )
            continue
        if old in seen:
            errors.append(
                ContentError(str(path), line, f"Die alte Adresse „{old}“ steht doppelt in der Liste.")
            )
            continue
        seen.add(old)
        kinds = [k for k in TARGET_KEYS if k in entry]
        if len(kinds) != 1:
            errors.append(
                ContentError(
                    str(path),
                    line,
                    f"„{old}“ braucht genau ein Ziel: {', '.join(TARGET_KEYS)}.",
                )
            )
            continue
        kind, value = kinds[0], str(entry[kinds[0]])
        if kind == "ziel" and not _SAFE_PATH.match(value):
            errors.append(
                ContentError(str(path), line, f"Das Ziel „{value}“ muss ein Pfad sein, der mit / beginnt.")
            )
            continue
        found = resolve(kind, value)
        if found is None:
            logger.warning(
                "%s:%s: Die alte Adresse %s führt zu %s „%s“, das es in diesem Build nicht gibt "
                "(gelöscht oder noch nicht freigegeben). Eintrag entfernen oder Ziel ändern.",
                path,
                line,
                old,
                kind,
                value,
            )
            continue
        url, title = found
        if url.rstrip("/") == old.rstrip("/"):
            continue  # the address did not change
        redirects.append(Redirect(old, url, title, line))
    if errors:
        raise ContentErrors(errors)
    return redirects


def encode(path: str) -> str:
    """Percent-encode a decoded path as a browser sends it."""
    return quote(path, safe="/?=&%:@!$'()*+,;-._~")


def redirects_lines(redirects: list[Redirect], status: int) -> list[str]:
    lines = []
    for r in redirects:
        if r.query:
            key, value = r.query
            lines.append(
                f"{encode(urlsplit(r.old).path or '/')} {key}={encode(value)} {encode(r.target)} {status}"
            )
        else:
            lines.append(f"{encode(r.old)} {encode(r.target)} {status}")
    return lines


def nginx_entries(redirects: list[Redirect]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    paths, queries = [], []
    for r in redirects:
        if r.query:
            key, value = r.query
            if key in QUERY_KEYS and value.isdigit():
                queries.append((key, value))
                paths.append((f"{urlsplit(r.old).path or '/'}?{key}={value}", r.target))
        else:
            paths.append((r.old, r.target))
    return paths, sorted(set(queries))


class WordPressRedirectsGenerator(Generator):
    """Writes redirect pages, ``_redirects`` and the nginx map for the recorded old addresses."""

    def generate_context(self) -> None:
        self.redirects: list[Redirect] = []
        settings = self.settings
        path = (
            Path(settings["PATH"])
            / setting(settings, "MAGAZINE_DATA_DIR", CORE)
            / settings["WORDPRESS_ADDRESSES"]
        )
        if not path.is_file():
            return
        by_id: dict[str, Any] = {}
        for key in ("articles", "pages", "hidden_articles", "hidden_pages"):
            for content in self.context.get(key) or []:
                wp_id = str(content.metadata.get("wordpress-id", "")).strip()
                if wp_id:
                    by_id.setdefault(wp_id, content)
        categories = {c.slug: c for c, _ in self.context.get("categories") or []}
        tags = {t.name.lower(): t for t, _ in self.context.get("tags") or []}

        def resolve(kind: str, value: str) -> tuple[str, str] | None:
            if kind == "beitrag":
                content = by_id.get(value)
                return (f"/{content.url}", content.title) if content is not None else None
            if kind == "abteilung":
                category = categories.get(value)
                return (f"/{category.url}", category.name) if category is not None else None
            if kind == "thema":
                tag = tags.get(value.lower())
                return (f"/{tag.url}", f"Thema {tag.name}") if tag is not None else None
            if kind == "feed":
                if value == "alle":
                    return f"/{setting(settings, 'FEEDS_ALL', FEEDS)}", "Feed"
                if value not in categories:
                    return None
                pattern = setting(settings, "FEEDS_DEPARTMENT", FEEDS)
                return f"/{pattern.format(slug=value)}", f"Feed {categories[value].name}"
            return value, value

        self.redirects = load_redirects(path, resolve)
        written = [r.save_as.removesuffix("index.html") for r in self.redirects if r.save_as]
        written += [settings.get("WORDPRESS_REDIRECTS_SAVE_AS"), settings.get("WORDPRESS_NGINX_MAP_SAVE_AS")]
        if self.redirects:  # keep the redirect pages and server files out of the sitemap
            sitemap = dict(settings.get("SITEMAP") or {})
            # the sitemap plugin compares percent-encoded paths (pathname2url): exclude both forms
            forms = sorted({form for p in written if p for form in (p, quote(p))})
            pattern = "^(?:" + "|".join(re.escape(form) for form in forms) + ")(?:index\\.html)?$"
            sitemap["exclude"] = [*sitemap.get("exclude", []), pattern]
            settings["SITEMAP"] = sitemap

    def generate_output(self, writer) -> None:
        if not self.redirects:
            return
        settings = self.settings
        base = canonical_base(settings)
        site = (settings.get("SITEURL") or "").rstrip("/")
        output = Path(self.output_path)
        template = self.env.get_template("wordpress_redirect.html")
        for redirect in self.redirects:
            save_as = redirect.save_as
            if save_as is None:
                continue
            if (output / save_as).exists():
                logger.warning(
                    "Alte Adresse %s: dort liegt eine Seite des Magazins, keine Weiterleitung geschrieben.",
                    redirect.old,
                )
                continue
            writer.write_file(
                save_as,
                template,
                self.context,
                redirect_target=f"{site}{encode(redirect.target)}",
                redirect_canonical=f"{base}{encode(redirect.target)}",
                redirect_title=redirect.title,
            )
        status = int(settings["WORDPRESS_REDIRECT_STATUS"])
        if settings.get("WORDPRESS_REDIRECTS_SAVE_AS"):
            writer.write_file(
                settings["WORDPRESS_REDIRECTS_SAVE_AS"],
                self.env.get_template("wordpress_redirects.txt"),
                self.context,
                redirect_lines=redirects_lines(self.redirects, status),
            )
        if settings.get("WORDPRESS_NGINX_MAP_SAVE_AS"):
            paths, queries = nginx_entries(self.redirects)
            writer.write_file(
                settings["WORDPRESS_NGINX_MAP_SAVE_AS"],
                self.env.get_template("wordpress_nginx.conf"),
                self.context,
                nginx_paths=paths,
                nginx_queries=queries,
            )
