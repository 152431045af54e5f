"""Consent component: placeholders that load third-party embeds only after the reader's click.

See ``consent.py`` for the Python API and the data-attribute contract with ``consent.js``.
"""

from .consent import (
    DEFAULT_PROVIDERS,
    EmbedError,
    Provider,
    add_markdown_extension,
    privacy_url,
    providers_from_settings,
    record_embed,
    register,
    render_manager,
    render_placeholder,
    source_path,
    where,
)

__all__ = [
    "DEFAULT_PROVIDERS",
    "EmbedError",
    "Provider",
    "add_markdown_extension",
    "privacy_url",
    "providers_from_settings",
    "record_embed",
    "register",
    "render_manager",
    "render_placeholder",
    "source_path",
    "where",
]
