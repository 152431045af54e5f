"""Consent component: placeholders that load third-party embeds only after the reader's click.

Modules, one job each:

- ``registry``: ``Provider``, ``add_provider``/``add_url_check`` (called by an embed plugin's
  ``register_embeds(settings)`` hook) and the site's registered providers and URL rules.
- ``render``: the placeholder, the privacy page's revoke control, its provider sections.
- ``reader``: the Markdown reader (file names, ``article.embeds``, ``EmbedError`` → ``datei:zeile``).
- ``markdown_ext``: the markers ``[[Einwilligungen]]`` and ``[[Eingebettete Inhalte]]``.
- ``plugin``: settings, signals, the CSP's ``frame-src`` from the providers, template globals.

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

from .markdown_ext import MANAGER_MARKER, PROVIDERS_MARKER, ConsentManagerExtension
from .plugin import DEFAULTS, content_security_policy, privacy_url, register
from .reader import EmbedError, record_embed, source_path, where
from .registry import (
    EmbedCodeRule,
    Provider,
    Tag,
    add_embed_code,
    add_provider,
    add_url_check,
    embed_code_rules,
    frame_origins,
    provider,
    providers,
    registry,
    url_problems,
)
from .render import MANAGER_ANCHOR, privacy_markdown, render_manager, render_placeholder

__all__ = [
    "DEFAULTS",
    "MANAGER_ANCHOR",
    "MANAGER_MARKER",
    "PROVIDERS_MARKER",
    "ConsentManagerExtension",
    "EmbedCodeRule",
    "EmbedError",
    "Provider",
    "Tag",
    "add_embed_code",
    "add_provider",
    "add_url_check",
    "content_security_policy",
    "embed_code_rules",
    "frame_origins",
    "privacy_markdown",
    "privacy_url",
    "provider",
    "providers",
    "record_embed",
    "register",
    "registry",
    "render_manager",
    "render_placeholder",
    "source_path",
    "url_problems",
    "where",
]
