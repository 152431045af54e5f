"""The consent component shared by every third-party embed (YouTube, X; Mastodon etc. later).

Python API (used by the embed plugins' Markdown extensions):

- ``render_placeholder(provider=…, src=…, title=…, poster=…, fallback_url=…, …)`` returns the
  server-rendered placeholder (``Markup``): local poster, provider name, one German sentence on
  what is transferred to whom, a link to the Datenschutzerklärung, a real ``<button>`` and the
  opt-in "immer erlauben" checkbox. Without JavaScript it is a plain link to the content.
  With ``content=…`` (trusted HTML, e.g. a static post card) that content itself stands in
  for the poster: it stays visible and usable before consent and without JavaScript, the
  button sits below it, and the notice appears only once the script runs.
- ``record_embed(md, embed)`` remembers an embed for the current document; the Markdown reader
  puts the list on the article as ``article.embeds``.
- ``EmbedError`` is what an extension raises for bad input; the reader turns it into a German
  ``datei:zeile: Meldung`` build error (all files are read first, then the build stops).
- ``render_manager(providers, privacy_anchor)`` is the control on the privacy page that shows
  and revokes the stored "immer erlauben" choices; ``[[Einwilligungen]]`` alone on a line of a
  page places it (else page.html's ``page_extra`` appends it to the privacy page).

Data-attribute contract with ``static/consent/consent.js`` (generic over providers):

=============================  ==================================================================
``data-consent="KEY"``         root of a placeholder; KEY is the provider key (``youtube``)
``data-consent-name``          provider name shown to the reader ("YouTube")
``data-consent-src``           iframe address when loaded automatically ("immer erlauben")
``data-consent-src-play``      iframe address after a click (e.g. with autoplay); optional
``data-consent-title``         the iframe's ``title`` (required for screen readers)
``data-consent-allow``         the iframe's ``allow`` list; optional
``data-consent-stage``         element whose content (the poster) the iframe replaces
``data-consent-load``          the "… laden" button (``hidden`` until the script runs)
``data-consent-always``        the "KEY immer erlauben" checkbox (its label is ``hidden`` too)
``data-consent-js``            any other element that is ``hidden`` until the script runs
``data-consent-resize``        origin whose ``twttr.embed`` resize messages set the iframe's
                               height (X's Tweet.html reports its height that way); optional
``data-consent-manager``       the privacy-page control; items ``data-consent-item="KEY"`` with
                               ``data-consent-status`` (text) and ``data-consent-revoke`` (button)
=============================  ==================================================================

Choices are stored first-party in ``localStorage["magazin-consent"]`` as
``{"KEY": {"since": "2026-11-27"}}``; no cookie is ever set.
"""

from __future__ import annotations

import logging
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markdown import Extension, Markdown
from markdown.blockprocessors import BlockProcessor
from markupsafe import Markup
from pelican import signals
from pelican.readers import MarkdownReader
from pelican.utils import pelican_open

from magazin.magazine.errors import ContentError, ContentErrors, relpath
from magazin.stylesheet import add_css

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).resolve().parent / "static"
MANAGER_MARKER = "[[Einwilligungen]]"
MANAGER_ANCHOR = "einwilligungen"
SIGNATURE = "data-consent="  # every placeholder carries it; pages with it load the script


@dataclass(frozen=True)
class Provider:
    """A third party whose content is loaded only after consent."""

    key: str  # storage key and CSS hook, e.g. "youtube"
    name: str  # shown to the reader, e.g. "YouTube"
    transfer: str  # one German sentence: what is transferred to whom
    load_label: str = "Inhalt laden"  # the button, e.g. "Video laden"
    external_label: str = "Beim Anbieter ansehen"  # the no-JavaScript link


# Defaults; the setting CONSENT_PROVIDERS ({key: {field: value}}) adds or overrides providers.
DEFAULT_PROVIDERS: dict[str, Provider] = {
    "youtube": Provider(
        key="youtube",
        name="YouTube",
        transfer=(
            "Erst wenn Sie das Video laden, verbindet sich Ihr Browser mit YouTube "
            "(Google Ireland Limited, Irland; Daten können auch in die USA gelangen): "
            "übertragen werden u. a. Ihre IP-Adresse und die Adresse dieser Seite, "
            "und YouTube kann Cookies setzen."
        ),
        load_label="Video laden",
        external_label="Video auf YouTube ansehen",
    ),
    "x": Provider(
        key="x",
        name="X",
        transfer=(
            "Erst wenn Sie den Original-Beitrag laden, verbindet sich Ihr Browser mit X "
            "(X Corp., USA, und Twitter International Unlimited Company, Irland): übertragen werden "
            "u. a. Ihre IP-Adresse, Angaben zu Ihrem Browser und die Adresse dieser Seite."
        ),
        load_label="Original-Beitrag von X laden",
        external_label="Beitrag auf X ansehen",
    ),
}

DEFAULTS: dict[str, Any] = {
    "CONSENT_PRIVACY_SLUG": "datenschutz",  # the page with the revoke control
    "CONSENT_PROVIDERS": {},
}


def providers_from_settings(settings: dict) -> dict[str, Provider]:
    """Default providers merged with ``CONSENT_PROVIDERS`` from the settings."""
    result = dict(DEFAULT_PROVIDERS)
    for key, fields in (settings.get("CONSENT_PROVIDERS") or {}).items():
        base = result.get(key)
        values = {**(base.__dict__ if base else {"key": key}), **fields, "key": key}
        result[key] = Provider(**values)
    return result


class EmbedError(ValueError):
    """Bad embed syntax. ``needle`` is text of the offending line (to find its line number)."""

    def __init__(self, message: str, needle: str = "", hint: str = ""):
        super().__init__(message)
        self.message, self.needle, self.hint = message, needle, hint


def record_embed(md: Markdown, embed: Any) -> None:
    """Remember ``embed`` for the document being converted (→ ``article.embeds``)."""
    embeds = getattr(md, "magazine_embeds", None)
    if embeds is None:
        embeds = md.magazine_embeds = []
    embeds.append(embed)


def source_path(md: Markdown) -> str | None:
    """The file being converted (None outside Pelican, e.g. in unit tests)."""
    return getattr(md, "magazine_source_path", None)


def line_of(path: str | None, needle: str) -> int | None:
    """First line (1-based) of ``path`` that contains ``needle``."""
    if not path or not needle:
        return None
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    return None


def where(md: Markdown, needle: str) -> str:
    """``datei:zeile`` for messages about the document being converted."""
    path = source_path(md)
    line = line_of(path, needle)
    return f"{relpath(path)}:{line}" if line else relpath(path)


def render_placeholder(
    *,
    provider: Provider,
    src: str,
    title: str,
    fallback_url: str,
    privacy_url: str,
    poster: Markup | str = "",
    src_play: str | None = None,
    allow: str = "",
    caption: str = "",
    heading: str = "",
    classes: tuple[str, ...] = (),
    content: Markup | str = "",
    resize_origin: str = "",
    element_id: str = "",
) -> Markup:
    """The placeholder figure for one embed; every value is escaped here.

    ``poster`` is trusted HTML (e.g. a ``<picture>`` built with markupsafe) inside the
    no-JavaScript link to the provider, so its ``alt`` names that link, e.g.
    "Video auf YouTube ansehen: Titel"; ``classes`` are
    extra CSS classes (e.g. an aspect ratio). ``heading`` is shown on the poster (the title).

    ``content`` (trusted HTML, e.g. a static post card with its own links) replaces the
    poster link: it is what readers see before consent and without JavaScript, so the
    notice and button (meaningless without the script) stay ``hidden`` until it runs and the
    redundant external link is left out. ``resize_origin``: see ``data-consent-resize``.
    ``element_id`` gives the figure an ``id`` (a link target, e.g. ``video-<id>``).
    """
    if content:
        return _render_content_placeholder(
            provider=provider,
            src=src,
            title=title,
            privacy_url=privacy_url,
            content=content,
            src_play=src_play,
            allow=allow,
            classes=classes,
            resize_origin=resize_origin,
            element_id=element_id,
        )
    name = provider.name
    attr_html = _attributes(
        provider,
        classes,
        element_id,
        src=src,
        src_play=src_play or "",
        title=title,
        allow=allow,
        resize=resize_origin,
    )
    heading_html = (
        Markup('<span class="consent__heading" aria-hidden="true">{}</span>').format(heading)
        if heading
        else ""
    )
    caption_html = (
        Markup('<figcaption class="consent__caption">{}</figcaption>').format(caption) if caption else ""
    )
    return Markup(
        "<figure {attrs}>"
        '<div class="consent__stage" data-consent-stage>'
        '<a class="consent__poster" href="{fallback}" data-consent-poster>{poster}{heading}</a>'
        '<button type="button" class="consent__load" data-consent-load hidden>'
        '<svg class="consent__play" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" '
        'focusable="false">'
        '<path d="M8 5v14l11-7z" fill="currentColor"></path></svg>'
        '<span>{load}</span><span class="visually-hidden">: {label}</span></button>'
        "</div>"
        '<div class="consent__notice" data-pagefind-ignore>'
        '<p class="consent__text"><strong class="consent__provider">{name}.</strong> {transfer} '
        '<a href="{privacy}">Mehr in der Datenschutzerklärung</a>.</p>'
        '<p class="consent__actions">'
        '<label class="consent__always" hidden><input type="checkbox" data-consent-always> '
        "{name} immer erlauben</label> "
        '<a class="consent__external" href="{fallback}" rel="noopener">{external}</a>'
        "</p></div>{caption}</figure>"
    ).format(
        attrs=attr_html,
        fallback=fallback_url,
        poster=poster,
        heading=heading_html,
        label=heading or title,
        external=provider.external_label,
        load=provider.load_label,
        name=name,
        transfer=provider.transfer,
        privacy=privacy_url,
        caption=caption_html,
    )


def _attributes(provider: Provider, classes: tuple[str, ...], element_id: str = "", **values: str) -> Markup:
    attrs = {
        "id": element_id,
        "class": " ".join(("consent", f"consent--{provider.key}", *classes)),
        "data-consent": provider.key,
        "data-consent-name": provider.name,
        **{f"data-consent-{k.replace('_', '-')}": v for k, v in values.items()},
    }
    # keys are our own constants; values are escaped by format()
    return Markup(" ").join(
        Markup('{}="{}"').format(Markup(k), v)  # noqa: S704
        for k, v in attrs.items()
        if v
    )


def _render_content_placeholder(
    *,
    provider: Provider,
    src: str,
    title: str,
    privacy_url: str,
    content: Markup | str,
    src_play: str | None,
    allow: str,
    classes: tuple[str, ...],
    resize_origin: str,
    element_id: str,
) -> Markup:
    """``render_placeholder`` with server-rendered content instead of a poster link."""
    attrs = _attributes(
        provider,
        ("consent--content", *classes),
        element_id,
        src=src,
        src_play=src_play or "",
        title=title,
        allow=allow,
        resize=resize_origin,
    )
    return Markup(
        "<figure {attrs}>"
        '<div class="consent__stage" data-consent-stage>{content}</div>'
        '<div class="consent__notice" data-consent-js hidden data-pagefind-ignore>'
        '<p class="consent__text"><strong class="consent__provider">{name}.</strong> {transfer} '
        '<a href="{privacy}">Mehr in der Datenschutzerklärung</a>.</p>'
        '<p class="consent__actions">'
        '<button type="button" class="button consent__load-inline" data-consent-load hidden>'
        "{load}</button> "
        '<label class="consent__always" hidden><input type="checkbox" data-consent-always> '
        "{name} immer erlauben</label>"
        "</p></div></figure>"
    ).format(
        attrs=attrs,
        content=content,
        load=provider.load_label,
        name=provider.name,
        transfer=provider.transfer,
        privacy=privacy_url,
    )


def render_manager(providers: dict[str, Provider] | list[Provider]) -> Markup:
    """The privacy page's control: one row per provider with its stored choice and a revoke button."""
    items = providers.values() if isinstance(providers, dict) else providers
    rows = Markup("").join(
        Markup(
            '<li class="consent-manager__item" data-consent-item="{key}">'
            '<span class="consent-manager__name">{name}</span> '
            '<span class="consent-manager__status" data-consent-status role="status">'
            "Nicht dauerhaft erlaubt: Inhalte werden erst nach Ihrem Klick geladen.</span> "
            '<button type="button" class="button button--ghost consent-manager__revoke" '
            "data-consent-revoke hidden>"
            "Erlaubnis für {name} widerrufen</button></li>"
        ).format(key=p.key, name=p.name)
        for p in items
    )
    return Markup(
        '<section class="consent-manager" id="{anchor}" data-consent-manager '
        'aria-labelledby="{anchor}-titel">'
        '<h3 id="{anchor}-titel" class="consent-manager__title">Gespeicherte Einwilligungen</h3>'
        '<p class="consent-manager__intro">Hier sehen Sie, welche Anbieter Sie mit „immer erlauben“ '
        "freigegeben haben. "
        "Die Auswahl liegt nur in Ihrem Browser, nicht bei uns; ein Widerruf gilt sofort.</p>"
        '<ul class="consent-manager__list">{rows}</ul>'
        '<p class="consent-manager__nojs" data-consent-nojs>Ohne JavaScript speichert diese Website '
        "keine Einwilligung; "
        "jeder externe Inhalt bleibt ein einfacher Link.</p>"
        "</section>"
    ).format(anchor=MANAGER_ANCHOR, rows=rows)


class _ManagerProcessor(BlockProcessor):
    def __init__(self, parser, providers: dict[str, Provider]):
        super().__init__(parser)
        self.providers = providers

    def test(self, parent: etree.Element, block: str) -> bool:
        return block.strip() == MANAGER_MARKER

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        blocks.pop(0)
        p = etree.SubElement(parent, "p")
        p.text = self.parser.md.htmlStash.store(str(render_manager(self.providers)))


class ConsentManagerExtension(Extension):
    """``[[Einwilligungen]]`` alone on a line → the revoke control."""

    def __init__(self, providers: dict[str, Provider] | None = None, **kwargs):
        self.providers = providers or dict(DEFAULT_PROVIDERS)
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        md.parser.blockprocessors.register(
            _ManagerProcessor(md.parser, self.providers), "consent_manager", 26
        )


class EmbedMarkdownReader(MarkdownReader):
    """Pelican's Markdown reader, telling extensions the file name and collecting EmbedErrors.

    Bad embeds do not stop reading: every file is read, then the generator raises all
    problems at once (``raise_embed_errors``).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.embed_errors: list[ContentError] = []

    def read(self, source_path):
        self._source_path = source_path
        self._md = Markdown(**self.settings["MARKDOWN"])
        self._md.magazine_source_path = source_path
        self._md.magazine_embeds = []
        with pelican_open(source_path) as text:
            try:
                content = self._md.convert(text)
            except EmbedError as exc:
                self.embed_errors.append(
                    ContentError(source_path, line_of(source_path, exc.needle), exc.message, exc.hint)
                )
                content = ""
        metadata = self._parse_metadata(self._md.Meta) if hasattr(self._md, "Meta") else {}
        if self._md.magazine_embeds:
            metadata["embeds"] = list(self._md.magazine_embeds)
        return content, metadata


def install_reader(readers) -> None:
    for ext in EmbedMarkdownReader.file_extensions:
        if readers.reader_classes.get(ext) is MarkdownReader:
            readers.reader_classes[ext] = EmbedMarkdownReader


def raise_embed_errors(generator) -> None:
    errors: list[ContentError] = []
    for reader in getattr(generator.readers, "readers", {}).values():
        errors.extend(getattr(reader, "embed_errors", []))
    if errors:
        raise ContentErrors(errors)


def configure(pelican) -> None:
    """Defaults, the plugin's static files and the ``[[Einwilligungen]]`` Markdown marker."""
    settings = pelican.settings
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    static = str(STATIC_DIR)
    if static not in settings["THEME_STATIC_PATHS"]:
        settings["THEME_STATIC_PATHS"] = [*settings["THEME_STATIC_PATHS"], static]
    add_markdown_extension(settings, ConsentManagerExtension(providers_from_settings(settings)))
    # Folded into the theme's single stylesheet (plugins/magazin/stylesheet): no second blocking request.
    add_css(settings, "consent", STATIC_DIR / "consent" / "consent.css")


def add_markdown_extension(settings: dict, extension: Extension) -> None:
    """Append an extension instance to ``MARKDOWN`` without touching the settings module's dict."""
    md = dict(settings.get("MARKDOWN") or {})
    md["extensions"] = [*md.get("extensions", []), extension]
    md["extension_configs"] = dict(md.get("extension_configs", {}))
    settings["MARKDOWN"] = md


def _uses_consent(obj: Any, settings: dict) -> bool:
    if obj is None:
        return False
    if getattr(obj, "slug", None) == settings.get("CONSENT_PRIVACY_SLUG"):
        return True
    return SIGNATURE in (getattr(obj, "_content", None) or "")


def add_globals(generator) -> None:
    from jinja2 import pass_context

    settings = generator.settings
    providers = providers_from_settings(settings)

    @pass_context
    def consent_assets(ctx) -> Markup:
        """``<script defer>`` for pages that show an embed or the revoke control (the CSS is
        part of the theme stylesheet, see ``plugins/magazin/stylesheet``)."""
        objs = [ctx.get("article"), ctx.get("page")]
        if not (ctx.get("consent_needed") or any(_uses_consent(o, settings) for o in objs)):
            return Markup("")
        base = f"{ctx.get('SITEURL', '')}/{ctx.get('THEME_STATIC_DIR', 'theme')}/consent"
        return Markup('<script src="{base}/consent.js" defer></script>').format(base=base)

    def consent_manager(page: Any = None) -> Markup:
        """The revoke control for the privacy page, unless its text already placed it."""
        if page is not None and "data-consent-manager" in (getattr(page, "_content", None) or ""):
            return Markup("")
        return render_manager(providers)

    generator.env.globals.update(
        consent_assets=consent_assets,
        consent_manager=consent_manager,
        CONSENT_PRIVACY_SLUG=settings.get("CONSENT_PRIVACY_SLUG"),
    )


def privacy_url(settings: dict) -> str:
    """Link target of the placeholders' "Datenschutzerklärung" link."""
    slug = settings.get("CONSENT_PRIVACY_SLUG", DEFAULTS["CONSENT_PRIVACY_SLUG"])
    page_url = settings.get("PAGE_URL", "{slug}/").format(slug=slug)
    return f"{settings.get('SITEURL', '')}/{page_url}#{MANAGER_ANCHOR}"


def register() -> None:
    signals.initialized.connect(configure)
    signals.readers_init.connect(install_reader)
    signals.generator_init.connect(add_globals)
    signals.article_generator_pretaxonomy.connect(raise_embed_errors)
    signals.page_generator_finalized.connect(raise_embed_errors)
