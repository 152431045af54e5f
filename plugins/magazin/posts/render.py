"""HTML for posts: allow-list sanitising of the untrusted text (nh3) and the static post card.

Every snippet is built with markupsafe: values are escaped, only the nh3 output is trusted.
Used by the Markdown extension (cards in articles) and by the templates (feed block).

In articles an X post card is also the "poster" of the consent component (provider ``x``):
the static card stays what every reader sees; "Original-Beitrag von X laden" swaps it for
X's own embed (``platform.twitter.com/embed/Tweet.html``) only after the click.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import nh3
from markupsafe import Markup

from magazin.consent import Provider, render_placeholder
from magazin.german.dates import date_de

from .embed import PROVIDER, X_EMBED_ORIGIN
from .model import PLATFORM_NAMES, Post

# What a post text may contain after sanitising: paragraphs, line breaks and links.
ALLOWED_TAGS = {"a", "br", "p"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_SCHEMES = {"https", "http", "mailto"}
TEXT_LINK_REL = "nofollow noopener noreferrer ugc"
X_EMBED_URL = X_EMBED_ORIGIN + "/embed/Tweet.html?id={id}&dnt=true&lang=de"


def sanitize_text(text: str) -> Markup:
    """The post text as safe HTML: only <p>, <br> and <a href> with http(s)/mailto survive.

    ``<script>``/``<style>`` vanish with their content, ``javascript:`` links lose their
    href, entities stay entities (``&amp;`` shows as "&"). Plain line breaks become <br>.
    """
    if not re.search(r"<(p|br)\b", text, re.I):
        text = text.strip().replace("\r\n", "\n").replace("\n", "<br>\n")
    cleaned = nh3.clean(
        text.strip(),
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style", "iframe", "object", "template"},
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel=TEXT_LINK_REL,
        strip_comments=True,
    )
    return Markup(cleaned)  # noqa: S704 - allow-list sanitised by nh3 above


MediaUrl = Callable[[str], str]


def _header(post: Post) -> Markup:
    return Markup(
        '<header class="post-card__header">'
        '<span class="post-card__name">{name}</span> '
        '<span class="post-card__handle">{handle}</span>'
        '<span class="post-card__platform">auf {platform}</span>'
        "</header>"
    ).format(
        name=(post.original_author or post.author).name if post.repost else post.author.name,
        handle=(post.original_author or post.author).handle if post.repost else post.author.handle,
        platform=post.platform_name,
    )


def render_card(
    post: Post,
    media_url: MediaUrl,
    *,
    compact: bool = False,
    heading_level: int | None = None,
    privacy_url: str | None = None,
    provider: Provider = PROVIDER,
) -> Markup:
    """The static card of one post: author, handle, German date, text, local images, link.

    With ``privacy_url`` (the Datenschutzerklärung's consent anchor) a full-size X card is
    wrapped in the consent placeholder (``provider``, the site's registered ``x``) that
    offers X's official embed after a click.
    """
    card = _card(post, media_url, compact=compact)
    if privacy_url and post.platform == "x" and not compact:
        return x_embed_placeholder(post, card, privacy_url, provider)
    return card


def x_embed_placeholder(post: Post, card: Markup, privacy_url: str, provider: Provider = PROVIDER) -> Markup:
    """The static ``card`` inside the consent placeholder for X's official embed."""
    return render_placeholder(
        provider=provider,
        src=X_EMBED_URL.format(id=post.id),
        title=f"Beitrag von {post.author.name} ({post.author.handle}) auf X",
        fallback_url=post.url,
        privacy_url=privacy_url,
        content=card,
        resize_origin=X_EMBED_ORIGIN,
        classes=("post-embed",),
    )


def _card(post: Post, media_url: MediaUrl, *, compact: bool) -> Markup:
    classes = ["post-card", f"post-card--{post.platform}"]
    if compact:
        classes.append("post-card--compact")
    parts: list[Markup] = []
    if post.repost:
        parts.append(
            Markup('<p class="post-card__context">{name} hat geteilt</p>').format(name=post.author.name)
        )
    elif post.reply:
        target = post.in_reply_to or "einen Beitrag"
        parts.append(Markup('<p class="post-card__context">Antwort an {target}</p>').format(target=target))
    parts.append(_header(post))
    parts.append(
        Markup('<div class="post-card__text" lang="{lang}">{text}</div>').format(
            lang=post.lang or "de", text=sanitize_text(post.text)
        )
    )
    if post.media:
        images = Markup("").join(
            Markup('<img src="{src}" alt="{alt}"{size} loading="lazy" decoding="async">').format(
                src=media_url(m.file),
                alt=m.alt,
                size=Markup(' width="{w}" height="{h}"').format(w=m.width, h=m.height) if m.width else "",
            )
            for m in post.media
        )
        count = " post-card__media--multi" if len(post.media) > 1 else ""
        parts.append(
            Markup('<div class="post-card__media{count}">{images}</div>').format(count=count, images=images)
        )
    parts.append(
        Markup(
            '<footer class="post-card__footer">'
            '<time datetime="{iso}">{date}</time>'
            '<a class="post-card__original" href="{url}" rel="noopener">Original auf {platform} ansehen'
            '<span class="visually-hidden"> (Beitrag von {handle} vom {date})</span></a>'
            "</footer>"
        ).format(
            iso=post.date.isoformat(),
            date=date_de(post.date),
            url=post.url,
            platform=post.platform_name,
            handle=post.author.handle,
        )
    )
    label = Markup("Beitrag von {name} auf {platform}").format(
        name=post.author.name, platform=post.platform_name
    )
    return Markup('<article class="{classes}" aria-label="{label}">{body}</article>').format(
        classes=" ".join(classes), label=label, body=Markup("").join(parts)
    )


def render_missing(url: str, platform: str | None) -> Markup:
    """A plain link card for a post that has no cached data (with a warning for the author)."""
    name = PLATFORM_NAMES.get(platform or "", "der Plattform")
    return Markup(
        '<div class="post-card post-card--missing" data-post-missing="{url}">'
        '<p class="notice notice--warning">Dieser Beitrag ist noch nicht im Magazin gespeichert. '
        "Redaktion: bitte mit „invoke fetch-post --url …“ importieren.</p>"
        '<p><a class="post-card__original" href="{url}" rel="noopener">Beitrag auf {name} ansehen</a></p>'
        "</div>"
    ).format(url=url, name=name)
