"""HTML of the consent component: the placeholder, the privacy page's revoke control and the
privacy page's provider sections. Every value is escaped here (markupsafe); only ``poster``
and ``content`` are trusted HTML built by the calling plugin.
"""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import Markup

from .registry import Provider

MANAGER_ANCHOR = "einwilligungen"

_PLAY_ICON = Markup(
    '<svg class="consent__play" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" '
    'focusable="false">'
    '<path d="M8 5v14l11-7z" fill="currentColor"></path></svg>'
)


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
    """The placeholder figure for one embed.

    Poster form (default): ``poster`` (trusted HTML, e.g. a ``<picture>``) inside the
    no-JavaScript link to the provider, so its ``alt`` names that link ("Video auf YouTube
    ansehen: Titel"); ``heading`` is shown on the poster; the play button, the notice and
    the external link follow.

    Content form (``content``, trusted HTML such as a static post card with its own links):
    the content is what readers see before consent and without JavaScript, so the notice and
    its button (meaningless without the script) stay ``hidden`` until it runs and the
    redundant external link is left out.

    ``classes``: extra CSS classes (e.g. an aspect ratio); ``resize_origin``: see
    ``data-consent-resize``; ``element_id`` gives the figure an ``id`` (a link target).
    """
    attrs = _attributes(
        provider,
        ("consent--content", *classes) if content else classes,
        element_id,
        src=src,
        src_play=src_play or "",
        title=title,
        allow=allow,
        resize=resize_origin,
    )
    always = Markup(
        '<label class="consent__always" hidden><input type="checkbox" data-consent-always> '
        "{name} immer erlauben</label>"
    ).format(name=provider.name)
    if content:
        stage = Markup("{content}").format(content=content)
        notice_attrs = Markup(" data-consent-js hidden")
        actions = Markup(
            '<button type="button" class="button consent__load-inline" data-consent-load hidden>'
            "{load}</button> {always}"
        ).format(load=provider.load_label, always=always)
    else:
        heading_html = (
            Markup('<span class="consent__heading" aria-hidden="true">{}</span>').format(heading)
            if heading
            else ""
        )
        stage = Markup(
            '<a class="consent__poster" href="{fallback}" data-consent-poster>{poster}{heading}</a>'
            '<button type="button" class="consent__load" data-consent-load hidden>{icon}'
            '<span>{load}</span><span class="visually-hidden">: {label}</span></button>'
        ).format(
            fallback=fallback_url,
            poster=poster,
            heading=heading_html,
            icon=_PLAY_ICON,
            load=provider.load_label,
            label=heading or title,
        )
        notice_attrs = Markup("")
        actions = Markup(
            '{always} <a class="consent__external" href="{fallback}" rel="noopener">{external}</a>'
        ).format(always=always, fallback=fallback_url, external=provider.external_label)
    caption_html = (
        Markup('<figcaption class="consent__caption">{}</figcaption>').format(caption) if caption else ""
    )
    return Markup(
        "<figure {attrs}>"
        '<div class="consent__stage" data-consent-stage>{stage}</div>'
        '<div class="consent__notice"{notice_attrs} data-pagefind-ignore>'
        '<p class="consent__text"><strong class="consent__provider">{name}.</strong> {transfer} '
        '<a href="{privacy}">Mehr in der Datenschutzerklärung</a>.</p>'
        '<p class="consent__actions">{actions}</p></div>{caption}</figure>'
    ).format(
        attrs=attrs,
        stage=stage,
        notice_attrs=notice_attrs,
        name=provider.name,
        transfer=provider.transfer,
        privacy=privacy_url,
        actions=actions,
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


def render_manager(providers: dict[str, Provider] | Iterable[Provider]) -> Markup:
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
        "Die Auswahl liegt nur in Ihrem Browser (localStorage), nicht bei uns; ein Widerruf gilt sofort.</p>"
        '<ul class="consent-manager__list">{rows}</ul>'
        '<p class="consent-manager__nojs" data-consent-nojs>Ohne JavaScript speichert diese Website '
        "keine Einwilligung; "
        "jeder externe Inhalt bleibt ein einfacher Link.</p>"
        "</section>"
    ).format(anchor=MANAGER_ANCHOR, rows=rows)


def privacy_markdown(providers: dict[str, Provider] | Iterable[Provider]) -> str:
    """The Datenschutzerklärung's sections on the registered providers, as Markdown.

    Each provider with a ``privacy_heading`` gives ``## heading``, its own German text and a
    link to its privacy policy. The text is ours (the plugins'), not an author's: it is
    rendered by the same Markdown as the rest of the page, so headings get their usual ids.
    """
    items = providers.values() if isinstance(providers, dict) else providers
    sections = []
    for p in items:
        if not p.privacy_heading:
            continue
        parts = [f"## {p.privacy_heading}", p.privacy_text.strip()]
        if p.privacy_policy:
            parts.append(f"Mehr dazu in der [Datenschutzerklärung von {p.name}](<{p.privacy_policy}>).")
        sections.append("\n\n".join(part for part in parts if part))
    return "\n\n".join(sections)
