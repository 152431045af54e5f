"""A Facebook post or video address alone on its line → the consent placeholder.

Nothing is fetched from Facebook, ever: the placeholder names the page (when the address
does), the provider and what is transferred; the ``<iframe>`` of Facebook's own plugin
(``/plugins/post.php`` or ``/plugins/video.php``) is created by ``consent.js`` only after the
reader's click. An address on Facebook that names no post or video stops the build with
``datei:zeile`` (the same rule ``invoke check`` reports, ``embed.url_problem``).
"""

from __future__ import annotations

from markdown import Extension, Markdown
from markupsafe import Markup

from magazin.consent import EmbedError, Provider, record_embed, render_placeholder
from magazin.core.urlline import UrlLineProcessor

from .embed import HINT, PROVIDER
from .urls import FacebookRef, InvalidFacebookUrl, is_facebook_url, parse_facebook_url, plugin_src

ALLOW = "autoplay; clipboard-write; encrypted-media; picture-in-picture; web-share"


def heading(ref: FacebookRef) -> str:
    """The German title of the placeholder (and of the iframe after consent)."""
    what = "Facebook-Beitrag" if ref.kind == "post" else "Facebook-Video"
    return f"{what} von {ref.page}" if ref.page else what


class FacebookExtension(Extension):
    def __init__(self, **kwargs):
        self.config = {
            "provider": [PROVIDER, "the consent provider (consent.provider(settings, 'facebook'))"],
            "privacy_url": ["/datenschutz/#einwilligungen", "link to the privacy page"],
            "locale": ["de_DE", "FACEBOOK_LOCALE"],
            "post_width": [500, "FACEBOOK_POST_WIDTH"],
            "video_width": [560, "FACEBOOK_VIDEO_WIDTH"],
        }
        super().__init__(**kwargs)

    def render(self, md: Markdown, url: str) -> Markup:
        try:
            ref = parse_facebook_url(url)
        except InvalidFacebookUrl as exc:
            raise EmbedError(
                f"Keine Facebook-Beitrags- oder Video-Adresse „{url}“: {exc}. {HINT}", needle=url
            ) from None
        provider: Provider = self.getConfig("provider")
        sizes = {
            "locale": self.getConfig("locale"),
            "post_width": int(self.getConfig("post_width")),
            "video_width": int(self.getConfig("video_width")),
        }
        record_embed(md, {"provider": "facebook", "kind": ref.kind, "id": ref.key, "url": ref.url})
        if ref.kind == "post":
            classes: tuple[str, ...] = ("consent--facebook-post",)
        else:
            classes = ("video", "consent--ratio-9x16") if ref.upright else ("video",)
        title = heading(ref)
        return render_placeholder(
            provider=provider,
            src=plugin_src(ref, **sizes),
            src_play=plugin_src(ref, autoplay=True, **sizes) if ref.kind == "video" else None,
            title=title,
            fallback_url=ref.url,
            privacy_url=self.getConfig("privacy_url"),
            allow=ALLOW,
            heading=title,
            classes=classes,
            element_id=f"facebook-{ref.key}",
        )

    def extendMarkdown(self, md: Markdown) -> None:
        processor = UrlLineProcessor(md.parser, is_facebook_url, self.render)
        md.parser.blockprocessors.register(processor, "facebook", 26)


def makeExtension(**kwargs) -> FacebookExtension:
    return FacebookExtension(**kwargs)
