"""Development settings of the Edelstahlmagazin (the single place where plugins are listed).

``publishconf.py`` imports everything from here and overrides only what production needs.
"""

from __future__ import annotations

import logging
from pathlib import Path

HERE = Path(__file__).resolve().parent

from magazin.german.slugs import SLUG_SUBSTITUTIONS as _slug_rules
from magazin.german.slugs import toc_slugify

AUTHOR = "heco gmbh"
SITENAME = "Das Edelstahlmagazin für Mehrwisser"
SITESUBTITLE = "Fachwissen rund um Rohre und Rohrverbindungsteile aus Edelstahl"
PUBLISHER = "heco gmbh"
SITEURL = ""
# Absolute base for canonical links, Open Graph, JSON-LD and feeds.
MAGAZINE_CANONICAL_BASE = "http://127.0.0.1:8000"
MAGAZINE_STRICT = False  # publishconf: any warning fails the build

PATH = "content"
OUTPUT_PATH = "output"
THEME = "theme"
ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images", "media", "downloads"]  # downloads: files linked from articles (PDF, …)
MAGAZINE_DATA_DIR = "data"
IGNORE_FILES = [".#*", "*~", "*.swp", "README*"]

TIMEZONE = "Europe/Berlin"
DEFAULT_LANG = "de"
DEFAULT_DATE_FORMAT = "%d.%m.%Y"  # templates use the Babel filter ``date_de`` instead
DEFAULT_METADATA = {"status": "published"}

# The folder is the department; the masthead plugin gives it its name from the data file.
USE_FOLDER_AS_CATEGORY = True
DEFAULT_CATEGORY = "ohne-abteilung"
FORMATTED_FIELDS: list[str] = []  # the summary is plain text, escaped like any other text

# German slugs everywhere: ä→ae, ö→oe, ü→ue, ß→ss.
SLUGIFY_SOURCE = "title"
SLUGIFY_USE_UNICODE = True
SLUG_REGEX_SUBSTITUTIONS = _slug_rules
CATEGORY_REGEX_SUBSTITUTIONS = _slug_rules
TAG_REGEX_SUBSTITUTIONS = _slug_rules
AUTHOR_REGEX_SUBSTITUTIONS = _slug_rules

# Pretty URLs (the output contract is in README.md, section „Layout“).
ARTICLE_URL = "{category}/{slug}/"
ARTICLE_SAVE_AS = "{category}/{slug}/index.html"
DRAFT_URL = "entwuerfe/{slug}/"
DRAFT_SAVE_AS = "entwuerfe/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
CATEGORY_URL = "{slug}/"
CATEGORY_SAVE_AS = "{slug}/index.html"
CATEGORIES_URL = "abteilungen/"
CATEGORIES_SAVE_AS = "abteilungen/index.html"
AUTHOR_URL = "autoren/{slug}/"
AUTHOR_SAVE_AS = "autoren/{slug}/index.html"
AUTHORS_URL = "autoren/"
AUTHORS_SAVE_AS = "autoren/index.html"
TAG_URL = "themen/{slug}/"
TAG_SAVE_AS = "themen/{slug}/index.html"
TAGS_URL = "themen/"
TAGS_SAVE_AS = "themen/index.html"
ARCHIVES_URL = "archiv/"
ARCHIVES_SAVE_AS = "archiv/index.html"
YEAR_ARCHIVE_SAVE_AS = ""
MONTH_ARCHIVE_SAVE_AS = ""
DAY_ARCHIVE_SAVE_AS = ""
INDEX_SAVE_AS = "index.html"
ROBOTS_SAVE_AS = "robots.txt"
NOTFOUND_SAVE_AS = "404.html"
DIRECT_TEMPLATES = ["index", "categories", "authors", "tags", "archives", "robots", "notfound"]

DEFAULT_PAGINATION = 10
PAGINATED_TEMPLATES = {"index": None, "category": None, "author": None, "tag": None}
# "…/page/N/": Pelican's default "{name}{number}" collides (autor-1 page 2 vs. autor-12).
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)

# Feeds: Atom for everything and per department, written by the feeds plugin (feedgen).
# Pelican's own feed writer is off: it strips tags from titles instead of escaping them.
FEEDS_ALL = "feeds/all.atom.xml"
FEEDS_DEPARTMENT = "feeds/{slug}.atom.xml"
FEEDS_MAX_ITEMS = 50
FEED_DOMAIN = MAGAZINE_CANONICAL_BASE
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_RSS = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
TRANSLATION_FEED_RSS = None
TAG_FEED_ATOM = None
TAG_FEED_RSS = None

# Jinja: autoescape on; templates mark only rendered article content as safe.
JINJA_ENVIRONMENT = {
    "autoescape": True,
    "trim_blocks": True,
    "lstrip_blocks": True,
    "extensions": [],
}

PLUGIN_PATHS = ["plugins"]
PLUGINS = [
    "pelican.plugins.sitemap",
    "magazin.german",
    "magazin.masthead",
    "magazin.channels",
    "magazin.seo",
    "magazin.feeds",
    # typography before search: its content_written handler rewrites each page before the
    # search helper reads it (otherwise the index depends on timing)
    "magazin.typography",  # German no-break spaces and hyphens in written pages (plugins/magazin/typography)
    "magazin.search",
    "magazin.consent",
    "magazin.youtube",
    "magazin.posts",
    "magazin.facebook",  # Facebook posts and videos behind the consent placeholder (plugins/magazin/facebook)
    "magazin.intranet",
    "magazin.brochure",
    "magazin.editorial",
    "magazin.wordpress",  # redirects of the old WordPress addresses (plugins/magazin/wordpress)
    "magazin.images",  # responsive WebP/JPEG derivatives (plugins/magazin/images)
    "magazin.comments",  # reader comments with Isso, after a click (plugins/magazin/comments)
    "magazin.statistics",  # reader statistics from the server log: privacy section, ?k= markers
    "magazin.editor",  # the authors' editor (Decap CMS) at /redaktion/ (docs/redaktion.md)
    "magazin.stylesheet",  # folds plugin CSS into theme/css/magazin.css (one blocking stylesheet)
    "magazin.parallel",  # keep last: renders Markdown in a process pool (see plugins/magazin/parallel)
]

# Extra navigation entries (url, label, active key), shown between "Archiv" and "Über das Magazin".
MAGAZINE_EXTRA_NAV = [
    ("videos/", "Videos", "videos"),
    ("social-media/", "Social Media", "social_media"),  # channels plugin
]

SITEMAP = {
    "format": "xml",
    "exclude": [r"^404\.html$", r"^entwuerfe/", r"^intranet/"],
}

MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.toc": {"permalink": False, "slugify": toc_slugify},
        "markdown.extensions.sane_lists": {},
        # smarty with a cheap first look per text (same HTML, ≈ 40 % less Markdown time)
        "magazin.german.smarty": {
            "substitutions": {
                "left-single-quote": "&sbquo;",
                "right-single-quote": "&lsquo;",
                "left-double-quote": "&bdquo;",
                "right-double-quote": "&ldquo;",
            }
        },
    },
    "output_format": "html5",
}

# Reading the same files again is the slow part of a rebuild: cache what the readers
# return (the parallel plugin invalidates it when settings, plugins or data change).
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CONTENT_CACHING_LAYER = "reader"
# Uncompressed: gzip cost 0.3 s of every build (1,000 articles: ≈ 0.8 MB gzipped, 15 MB plain).
GZIP_CACHE = False

# Pelican's English "Empty alt attribute for image …" (no line, fails the strict publish build):
# the pre-build checks own that rule, in German with datei:zeile (plugins/magazin/editorial);
# decorative images of post cards keep alt="" on purpose.
LOG_FILTER = [(logging.WARNING, "Empty alt attribute for image %s in %s")]

DISPLAY_PAGES_ON_MENU = False
DISPLAY_CATEGORIES_ON_MENU = False
DEFAULT_OG_IMAGE = "images/magazin-social.png"
LOCALE = ("C.UTF-8", "C")

# Content-Security-Policy, delivered as the first <meta> in <head> of every page:
# only our own files; embeds may frame only their provider after consent. "{frame_src}" is
# replaced at build time by the frame origins of the embed providers the listed plugins
# register (plugins/magazin/consent; 'none' without any); `invoke audit` checks the same list.
MAGAZINE_CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "media-src 'self'",
        "frame-src {frame_src}",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ]
)

# Posts from X and Mastodon, cached in content/media/posts/ by the fetch-* tasks (plugins/magazin/posts).
POSTS_FEED_ACCOUNTS = ["@hecogmbh"]  # the „Aktuelles auf X“ block shows these accounts
POSTS_FEED_COUNT = 4
POSTS_FEED_REPLIES = False
POSTS_FEED_REPOSTS = False
POSTS_FEED_TITLE = "Aktuelles auf X"

# Reader comments (plugins/magazin/comments, docs/kommentare.md): the Isso server as browsers
# reach it. Locally `invoke comments-server` (started by `make serve` too); its origin joins the
# CSP's connect-src, nothing else.
COMMENTS_URL = "http://127.0.0.1:8081"

# Intranet: /feeds/intranet.xml (RSS 2.0) and /intranet/aktuelles.html (plugins/magazin/intranet).
INTRANET_FEED = "feeds/intranet.xml"
INTRANET_FRAGMENT = "intranet/aktuelles.html"

# Editorial workflow (plugins/magazin/editorial): the development build shows every article, with a
# banner on those not yet cleared; publishconf switches EDITORIAL_PUBLISH on.
EDITORIAL_PUBLISH = False
