"""Pelican wiring of the consent component: settings, the registered providers, the CSP's
``frame-src``, the privacy-page markers and the template globals.

Settings (defaults in ``DEFAULTS``):
- ``CONSENT_PRIVACY_SLUG``: the page with the revoke control and the provider sections.
- ``CONSENT_PROVIDERS``: ``{key: {field: value}}`` changes fields of registered providers.
- ``CONSENT_CSP_TOKEN``: the text in ``MAGAZINE_CSP`` replaced by the registered providers'
  frame origins (``'none'`` when no provider frames anything).

Template globals: ``consent_assets()`` (the script, on pages that need it),
``consent_manager(page)`` (the revoke control), ``CONSENT_PRIVACY_SLUG``.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from markupsafe import Markup
from pelican import signals

from magazin.core.settings import (
    Setting,
    add_markdown_extension,
    add_static_dir,
    apply_defaults,
    declare,
    setting,
)
from magazin.statistics.settings import beacon_base
from magazin.stylesheet import add_css

from .markdown_ext import ConsentManagerExtension
from .reader import install_reader, raise_embed_errors
from .registry import frame_origins, providers, registry
from .render import MANAGER_ANCHOR, render_manager

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).resolve().parent / "static"
SIGNATURE = "data-consent="  # every placeholder carries it; pages with it load the script

DEFAULTS = declare(
    "magazin.consent",
    "CONSENT_",
    Setting("CONSENT_PRIVACY_SLUG", "datenschutz", "slug of the Datenschutzerklärung the overlays link to"),
    Setting(
        "CONSENT_PROVIDERS", {}, "{provider: {field: value}} changes fields of registered embed providers"
    ),
    Setting(
        "CONSENT_CSP_TOKEN",
        "{frame_src}",
        "text in MAGAZINE_CSP replaced by the registered providers' frame origins",
    ),
)


def content_security_policy(settings: dict) -> str:
    """``MAGAZINE_CSP`` with the registered providers' frame origins in place of the token."""
    policy = settings.get("MAGAZINE_CSP") or ""
    sources = " ".join(frame_origins(settings)) or "'none'"
    return policy.replace(setting(settings, "CONSENT_CSP_TOKEN", DEFAULTS), sources)


def configure(pelican) -> None:
    """Defaults, the providers of the listed plugins, the CSP, static files, Markdown markers."""
    settings = pelican.settings
    apply_defaults(settings, DEFAULTS)
    registry(settings)  # every listed embed plugin's ``register_embeds`` runs here, once
    if settings.get("MAGAZINE_CSP"):
        settings["MAGAZINE_CSP"] = content_security_policy(settings)
    add_static_dir(settings, STATIC_DIR, "consent")
    add_markdown_extension(settings, ConsentManagerExtension(providers(settings)))
    # Folded into the theme's single stylesheet (plugins/magazin/stylesheet): no second blocking request.
    add_css(settings, "consent", STATIC_DIR / "consent" / "consent.css")


def _uses_consent(obj: Any, settings: dict) -> bool:
    if obj is None:
        return False
    if getattr(obj, "slug", None) == settings.get("CONSENT_PRIVACY_SLUG"):
        return True
    return SIGNATURE in (getattr(obj, "_content", None) or "")


def add_globals(generator) -> None:
    from jinja2 import pass_context

    settings = generator.settings
    registered = providers(settings)

    @pass_context
    def consent_assets(ctx) -> Markup:
        """``<script defer>`` for pages that show an embed or the revoke control (the CSS is
        part of the theme stylesheet, see ``plugins/magazin/stylesheet``)."""
        objs = [ctx.get("article"), ctx.get("page")]
        if not (ctx.get("consent_needed") or any(_uses_consent(o, settings) for o in objs)):
            return Markup("")
        base = f"{ctx.get('SITEURL', '')}/{ctx.get('THEME_STATIC_DIR', 'theme')}/consent"
        # the statistics plugin's address for a clicked video ("" = the script reports nothing)
        count = beacon_base(settings)
        return Markup('<script src="{base}/consent.js" defer{count}></script>').format(
            base=base, count=Markup(' data-statistik="{}"').format(count) if count else ""
        )

    def consent_manager(page: Any = None) -> Markup:
        """The revoke control for the privacy page, unless its text already placed it."""
        if page is not None and "data-consent-manager" in (getattr(page, "_content", None) or ""):
            return Markup("")
        return render_manager(registered)

    generator.env.globals.update(
        consent_assets=consent_assets,
        consent_manager=consent_manager,
        CONSENT_PRIVACY_SLUG=settings.get("CONSENT_PRIVACY_SLUG"),
    )


def privacy_url(settings: dict) -> str:
    """Link target of the placeholders' "Datenschutzerklärung" link."""
    slug = setting(settings, "CONSENT_PRIVACY_SLUG", DEFAULTS)
    page_url = settings.get("PAGE_URL", "{slug}/").format(slug=slug)
    return f"{settings.get('SITEURL', '')}/{page_url}#{MANAGER_ANCHOR}"


def register() -> None:
    signals.initialized.connect(configure)
    signals.readers_init.connect(install_reader)
    signals.generator_init.connect(add_globals)
    signals.article_generator_pretaxonomy.connect(raise_embed_errors)
    signals.page_generator_finalized.connect(raise_embed_errors)
