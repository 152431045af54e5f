"""The comment section's assets and settings: the CSP's ``connect-src``, Isso's client files
copied from the pinned release into ``/theme/isso/``, our ``comments.js``/``comments.css`` and
the template globals. (Thread ids: ``threads.py``; the comment server: ``server.py``.)"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path
from urllib.parse import urlsplit

from magazin.consent import DEFAULTS as CONSENT
from magazin.core.settings import Setting, add_static_dir, declare, setting
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


def wire(pelican) -> None:
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
