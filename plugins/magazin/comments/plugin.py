"""Reader comments with Isso: the section under every article, private until the reader clicks.

What the build does (it never asks the comment server anything):

- every article gets ``article.comments`` (a ``Thread``: stable id, title) unless its metadata
  says ``Kommentare: aus``; pages get none. The partial ``comments/section.html`` renders the
  section „Kommentare“ with a button; only ``comments.js`` (ours, from our origin) is loaded
  with the page, and it does nothing before the click.
- after the click ``comments.js`` checks the server, then loads Isso's ``embed.min.js`` and
  ``isso.css``. Both are copied at build time from the pinned Isso package in
  ``.venv-comments`` into ``/theme/isso/`` (served from our origin, never committed).
- the CSP gains the comment server's origin in ``connect-src`` only.

Thread ids (``data-isso-id``) belong to the article, not its address: ``Kommentar-ID`` from the
metadata, else ``/<department>/<file name without .md>`` from the source path, so a new title or
``Slug`` keeps the discussion. Renaming or moving the file: write the old id as
``Kommentar-ID``. Two articles with the same id stop the build.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from magazin.consent.plugin import DEFAULTS as CONSENT
from magazin.magazine.errors import ContentError, ContentErrors, find_metadata_line
from magazin.magazine.settings import Setting, add_static_dir, declare, setting
from magazin.magazine.wiring import configure_with
from magazin.stylesheet import add_css

from .server import CommentsError

logger = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"

DEFAULTS = declare(
    "magazin.comments",
    "COMMENTS_",
    Setting("COMMENTS_ENABLED", True, "show the comment section (loaded after the reader's click)"),
    Setting(
        "COMMENTS_URL",
        "http://127.0.0.1:8081",
        "the comment server as readers' browsers reach it (its origin joins the CSP's connect-src)",
    ),
    Setting(
        "COMMENTS_ISSO_PYTHON",
        "",
        'a Python whose Isso gives the client files ("": the pinned release in .venv, else .venv-comments)',
    ),
    Setting("COMMENTS_CLIENT_DIR", "isso", "folder below /theme/ for Isso's embed.min.js and isso.css"),
    Setting(
        "COMMENTS_PRIVACY_ANCHOR", "kommentare", "anchor of the comments section in the Datenschutzerklärung"
    ),
)

SWITCH_KEY = "kommentare"  # metadata "Kommentare: aus"
ID_KEY = "kommentar-id"  # metadata "Kommentar-ID: /technik/alter-name"
OFF, ON = {"aus", "nein", "off", "false"}, {"an", "ein", "ja", "on", "true"}
THREAD_ID = re.compile(r"^/[a-z0-9][a-z0-9._/-]*$")


@dataclass(frozen=True)
class Thread:
    """What the template needs for one article's discussion."""

    id: str  # data-isso-id
    title: str  # data-title: Isso names a new thread with it (it never fetches the page)


def comments_origin(url: str) -> str:
    """``scheme://host[:port]`` of ``COMMENTS_URL`` (what the CSP allows)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise CommentsError(f"COMMENTS_URL {url!r}: bitte eine vollständige http(s)-Adresse angeben.")
    return f"{parts.scheme}://{parts.netloc}"


def csp_with_connect(policy: str, origin: str) -> str:
    """``policy`` with ``origin`` added to ``connect-src`` (created from ``'self'`` if absent)."""
    directives = [d.strip() for d in policy.split(";") if d.strip()]
    for index, directive in enumerate(directives):
        name, *sources = directive.split()
        if name == "connect-src":
            if origin not in sources:
                directives[index] = " ".join([name, *sources, origin])
            break
    else:
        directives.append(f"connect-src 'self' {origin}")
    return "; ".join(directives)


@functools.lru_cache(maxsize=64)
def _resolved(folder: str, cwd: str) -> Path:
    """The content folder, resolved once per working directory (asked for every article)."""
    return Path(os.path.realpath(os.path.join(cwd, folder)))


def thread_id_for_source(source_path: str | Path, settings: dict) -> str:
    """The default thread id of the article file ``source_path``: ``/<department>/<stem>``.

    For the WordPress import, which knows where it writes each article before Pelican reads it.
    """
    path = Path(os.path.realpath(source_path))
    content = _resolved(str(settings.get("PATH", "content")), os.getcwd())
    try:
        rel = PurePosixPath(path.relative_to(content).as_posix())
    except ValueError:
        rel = PurePosixPath(path.name)
    for articles in settings.get("ARTICLE_PATHS", []) or []:
        prefix = PurePosixPath(str(articles).strip("/"))
        if prefix.parts and rel.parts[: len(prefix.parts)] == prefix.parts:
            rel = PurePosixPath(*rel.parts[len(prefix.parts) :])
            break
    return "/" + rel.with_suffix("").as_posix().lower()


def thread_for(article: Any, settings: dict) -> Thread | None:
    """The article's thread, ``None`` if ``Kommentare: aus``. Raises ``ContentError``."""
    meta = getattr(article, "metadata", {}) or {}
    switch = str(meta.get(SWITCH_KEY, "an")).strip().lower()
    source = getattr(article, "source_path", None)
    if switch not in OFF | ON:
        raise ContentError(
            source,
            find_metadata_line(source, "Kommentare"),
            f"„Kommentare: {meta.get(SWITCH_KEY)}“ ist unbekannt.",
            "Erlaubt sind „aus“ (keine Kommentare) oder „an“.",
        )
    if switch in OFF:
        return None
    explicit = str(meta.get(ID_KEY, "")).strip()
    thread_id = explicit or thread_id_for_source(source or article.slug, settings)
    if not THREAD_ID.match(thread_id) or len(thread_id) > 200:
        raise ContentError(
            source,
            find_metadata_line(source, "Kommentar-ID") if explicit else None,
            f"Kommentar-ID „{thread_id}“ ist ungültig.",
            "Sie beginnt mit „/“ und enthält nur Kleinbuchstaben, Ziffern, „-“, „_“, „.“ und „/“.",
        )
    return Thread(id=thread_id, title=str(article.title))


# ---- signal handlers ------------------------------------------------------------------------


def _wire(pelican) -> None:
    """Static folder, CSS, the CSP's connect-src and Isso's client (after the defaults)."""
    settings = pelican.settings
    if not settings["COMMENTS_ENABLED"]:
        return
    add_static_dir(settings, STATIC, "comments")
    add_css(settings, "comments", STATIC / "comments" / "comments.css")
    origin = comments_origin(settings["COMMENTS_URL"])
    site = settings.get("SITEURL") or settings.get("MAGAZINE_CANONICAL_BASE") or ""
    same_origin = site.startswith(("http://", "https://")) and comments_origin(site) == origin
    if settings.get("MAGAZINE_CSP") and not same_origin:  # proxied on the site's origin: 'self'
        settings["MAGAZINE_CSP"] = csp_with_connect(settings["MAGAZINE_CSP"], origin)
    client = _stage_client(settings)
    if client is not None:
        add_static_dir(settings, client, settings["COMMENTS_CLIENT_DIR"])


configure = configure_with(DEFAULTS, templates=TEMPLATES, then=[_wire])


def _stage_client(settings: dict) -> Path | None:
    """Copy Isso's embed.min.js and isso.css from the pinned package into the cache folder that
    Pelican publishes as ``/theme/<COMMENTS_CLIENT_DIR>/``. A missing package is a warning
    (an error in the strict publish build, where warnings fail)."""
    from .environment import find_client

    python = settings.get("COMMENTS_ISSO_PYTHON") or None
    try:
        client = find_client(Path(python) if python else None)
    except CommentsError as exc:
        logger.warning("Kommentare: %s", exc)
        return None
    cache = Path(settings.get("CACHE_PATH", "cache")).resolve()
    staged = cache / "comments-client" / client.version
    target = staged / settings["COMMENTS_CLIENT_DIR"]
    target.mkdir(parents=True, exist_ok=True)
    files = [(client.script, "embed.min.js"), (client.css, "isso.css")]
    if client.license:
        files.append((client.license, "LICENSE.txt"))
    for source, name in files:
        dest = target / name
        if not dest.exists() or dest.stat().st_size != source.stat().st_size:
            shutil.copyfile(source, dest)
    return staged


def attach_threads(generator) -> None:
    """``article.comments`` on every article (and its translations); errors all at once."""
    settings = generator.settings
    if not setting(settings, "COMMENTS_ENABLED", DEFAULTS):
        return
    errors: list[ContentError] = []
    seen: dict[str, Any] = {}
    articles = [*generator.articles, *generator.translations, *getattr(generator, "drafts", [])]
    for article in articles:
        try:
            thread = thread_for(article, settings)
        except ContentError as exc:
            errors.append(exc)
            continue
        article.comments = thread
        if thread is None or article in generator.translations:
            continue
        other = seen.setdefault(thread.id, article)
        if other is not article:
            errors.append(
                ContentError(
                    article.source_path,
                    find_metadata_line(article.source_path, "Kommentar-ID"),
                    f"Kommentar-ID „{thread.id}“ hat schon {other.source_path}.",
                    "Jeder Artikel braucht eine eigene Kommentar-ID.",
                )
            )
    if errors:
        raise ContentErrors(errors)


def add_globals(generator) -> None:
    """``COMMENTS_*`` for the partial and the asset paths."""
    settings = generator.settings
    if not setting(settings, "COMMENTS_ENABLED", DEFAULTS):
        return
    base = f"{settings.get('SITEURL', '')}/{settings.get('THEME_STATIC_DIR', 'theme')}"
    slug = setting(settings, "CONSENT_PRIVACY_SLUG", CONSENT)
    privacy = settings.get("PAGE_URL", "{slug}/").format(slug=slug)
    generator.env.globals.update(
        COMMENTS_SCRIPT=f"{base}/comments/comments.js",
        COMMENTS_ISSO_SCRIPT=f"{base}/{settings['COMMENTS_CLIENT_DIR']}/embed.min.js",
        COMMENTS_ISSO_CSS=f"{base}/{settings['COMMENTS_CLIENT_DIR']}/isso.css",
        COMMENTS_PRIVACY_URL=f"{settings.get('SITEURL', '')}/{privacy}#{settings['COMMENTS_PRIVACY_ANCHOR']}",
    )


def register() -> None:
    from pelican import signals

    signals.initialized.connect(configure)
    signals.generator_init.connect(add_globals)
    signals.article_generator_finalized.connect(attach_threads)
