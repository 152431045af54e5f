"""Pelican wiring of the posts plugin: settings, signals, template globals.

Settings (defaults in ``DEFAULTS``):
- ``POSTS_PATH``: folder of the cached posts, relative to the content folder (``media/posts``).
- ``POSTS_FEED_ACCOUNTS``: handles shown in the feed block (``[]`` = every account).
- ``POSTS_FEED_COUNT``: how many posts the feed block shows.
- ``POSTS_FEED_REPLIES`` / ``POSTS_FEED_REPOSTS``: whether replies / reposts appear there.
- ``POSTS_FEED_TITLE``: heading of the feed block.

Template context: ``POSTS`` (every cached post, newest first), ``LATEST_POSTS`` (the filtered
feed block list), ``POSTS_FEED_TITLE``; global ``post_card(post, compact=False)``.
Include ``partials/posts_feed.html`` to show the block.
"""

from __future__ import annotations

import html as html_lib
import logging
from pathlib import Path

from markupsafe import Markup
from pelican import signals

from magazin.consent import privacy_url, provider
from magazin.consent.reader import line_of
from magazin.core.errors import relpath
from magazin.core.settings import (
    Setting,
    add_markdown_extension,
    add_template_dir,
    apply_defaults,
    declare,
    setting,
)

from .markdown_ext import PostCardExtension
from .model import Post, PostLibrary, load_library
from .render import render_card

logger = logging.getLogger(__name__)

DEFAULTS = declare(
    "magazin.posts",
    "POSTS_",
    Setting("POSTS_PATH", "media/posts", "folder below PATH with the fetched posts from X and Mastodon"),
    Setting("POSTS_FEED_ACCOUNTS", [], "accounts whose posts the „Aktuelles auf X“ block shows"),
    Setting("POSTS_FEED_COUNT", 4, "posts in that block"),
    Setting("POSTS_FEED_REPLIES", False, "show the accounts' replies in it"),
    Setting("POSTS_FEED_REPOSTS", False, "show the accounts' reposts in it"),
    Setting("POSTS_FEED_TITLE", "Aktuelles auf X", "the block's heading"),
)
LIBRARY_KEY = "POSTS_LIBRARY"  # per build, set by ``load`` (never a module global)
TEMPLATES = Path(__file__).resolve().parent / "templates"


def posts_folder(settings: dict) -> Path:
    return Path(settings["PATH"]) / setting(settings, "POSTS_PATH", DEFAULTS)


def load(pelican) -> None:
    """Read and validate the cached posts; hook the Markdown extension and our templates in."""
    settings = pelican.settings
    apply_defaults(settings, DEFAULTS)
    library = load_library(posts_folder(settings))
    settings[LIBRARY_KEY] = library
    prefix = "{static}/" + setting(settings, "POSTS_PATH", DEFAULTS).strip("/") + "/"
    add_markdown_extension(
        settings,
        PostCardExtension(
            library=library,
            media_prefix=prefix,
            privacy_url=privacy_url(settings),
            provider=provider(settings, "x"),
        ),
    )
    add_template_dir(settings, TEMPLATES)


def add_context(generator) -> None:
    """Post lists for the templates and the ``post_card`` global."""
    settings = generator.settings
    library: PostLibrary | None = settings.get(LIBRARY_KEY)
    if library is None:
        return
    base = f"{generator.context.get('SITEURL', '')}/{setting(settings, 'POSTS_PATH', DEFAULTS).strip('/')}/"

    def post_card(post: Post, compact: bool = False) -> Markup:
        return render_card(post, lambda file: base + file, compact=compact)

    generator.env.globals["post_card"] = post_card
    context = generator.context
    if "POSTS" not in context:
        context["POSTS"] = library.posts
        context["LATEST_POSTS"] = library.latest(
            int(setting(settings, "POSTS_FEED_COUNT", DEFAULTS)),
            setting(settings, "POSTS_FEED_ACCOUNTS", DEFAULTS),
            replies=bool(setting(settings, "POSTS_FEED_REPLIES", DEFAULTS)),
            reposts=bool(setting(settings, "POSTS_FEED_REPOSTS", DEFAULTS)),
        )
        context["POSTS_FEED_TITLE"] = setting(settings, "POSTS_FEED_TITLE", DEFAULTS)


def warn_missing(content) -> None:
    """A post URL without cached data: warn (the strict publish build fails on warnings)."""
    html = getattr(content, "_content", None) or ""
    if "data-post-missing=" not in html:
        return
    import re

    source = getattr(content, "source_path", None)
    for url in re.findall(r'data-post-missing="([^"]+)"', html):
        url = html_lib.unescape(url)
        # the line the author wrote: the address, or (a pasted embed code links the post
        # in its own spelling) the post's number
        line = line_of(source, url) or line_of(source, url.rstrip("/").rsplit("/", 1)[-1])
        logger.warning(
            "%s: Der Beitrag %s ist nicht gespeichert – im Artikel erscheint nur ein Link. "
            "Bitte „invoke fetch-post --url %s“ ausführen und die Datei committen.",
            f"{relpath(source)}:{line}" if line else relpath(source),
            url,
            url,
        )


def drop_post_data(generator) -> None:
    """The post JSON files are build input, not files to publish; their images are."""
    folder = setting(generator.settings, "POSTS_PATH", DEFAULTS).strip("/") + "/"
    generator.staticfiles[:] = [  # in place: the context holds the same list
        s
        for s in generator.staticfiles
        if not (
            s.relative_source_path.replace("\\", "/").startswith(folder)
            and s.relative_source_path.endswith(".json")
        )
    ]


def register() -> None:
    signals.initialized.connect(load)
    signals.generator_init.connect(add_context)
    signals.content_object_init.connect(warn_missing)
    signals.static_generator_finalized.connect(drop_post_data)
