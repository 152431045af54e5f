"""The consent providers and embed URL rules of one site, registered by the embed plugins.

An embed plugin (YouTube, posts, the next one) lives in one folder and is listed once in
``PLUGINS``. Beside ``register()`` its package exports the *embed hook*::

    def register_embeds(settings: dict) -> None:
        add_provider(settings, Provider(key="beispiel", name="Beispiel-Video", …))
        add_url_check(settings, url_problem)
        add_embed_code(settings, EmbedCodeRule("beispiel", "Beispiel-Video", identify))

``registry(settings)`` calls the hook of every plugin listed in ``settings["PLUGINS"]`` once
per settings object and keeps what they registered in the settings (``EMBED_REGISTRY``).
The build does this at ``initialized`` (the consent plugin); ``invoke check`` and
``invoke audit`` read the settings without building and get the very same list. Only plugins
that are listed count, so removing the ``PLUGINS`` line removes the provider everywhere: its
placeholder, its ``frame-src`` in the CSP, its acceptance by the audit, its linter rule and
its paragraph in the Datenschutzerklärung.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace

logger = logging.getLogger(__name__)

HOOK = "register_embeds"
REGISTRY_KEY = "EMBED_REGISTRY"

# ``url_problem(url)``: None when the address is not this plugin's kind or is fine, else
# (German message, German hint) for ``invoke check``.
UrlCheck = Callable[[str], "tuple[str, str] | None"]

# An element's tag name and attributes (names lower-case), as an HTML parser gives them.
Tag = tuple[str, dict[str, str]]


def _no_script(host: str, path: str, url: str) -> bool:
    return False


@dataclass(frozen=True)
class EmbedCodeRule:
    """A platform's own embed code (what its "Teilen → Einbetten" dialog writes), which the
    build turns into the plain address alone on its line (``editorial.embedcodes``): the same
    private block as a pasted address, instead of raw HTML the checks refuse.

    ``identify(tags)`` gets the code's elements in order (the first is the ``<iframe>`` or
    ``<blockquote>`` that opens it) and returns the address it stands for, or None when the code
    is not this platform's. ``script_ok(host, path, url)``: whether a ``<script src>`` right
    after the code is the platform's own loader for it (dropped with the code)."""

    platform: str  # e.g. "youtube" (the provider's key where there is one)
    name: str  # shown to the author, e.g. "YouTube"
    identify: Callable[[list[Tag]], str | None]
    script_ok: Callable[[str, str, str], bool] = _no_script


@dataclass(frozen=True)
class Provider:
    """A third party whose content is loaded only after the reader's consent."""

    key: str  # storage key and CSS hook, e.g. "youtube"
    name: str  # shown to the reader, e.g. "YouTube"
    transfer: str  # one German sentence on the placeholder: what is transferred to whom
    load_label: str = "Inhalt laden"  # the button, e.g. "Video laden"
    external_label: str = "Beim Anbieter ansehen"  # the no-JavaScript link
    # Origins the iframe may come from after consent: the CSP's frame-src and the audit's list.
    frame_origins: tuple[str, ...] = ()
    privacy_policy: str = ""  # the provider's own privacy policy (linked from our privacy page)
    # The provider's section of the Datenschutzerklärung: a heading and German Markdown text.
    privacy_heading: str = ""
    privacy_text: str = ""


@dataclass
class Registry:
    """What the listed embed plugins registered, in ``PLUGINS`` order."""

    providers: dict[str, Provider] = field(default_factory=dict)
    url_checks: list[UrlCheck] = field(default_factory=list)
    embed_codes: list[EmbedCodeRule] = field(default_factory=list)
    hooks_ran: bool = False  # the listed plugins' ``register_embeds`` were called


def add_provider(settings: dict, provider: Provider) -> None:
    """Register ``provider`` for this site (from an embed plugin's ``register_embeds``)."""
    _registry(settings).providers[provider.key] = provider


def add_url_check(settings: dict, check: UrlCheck) -> None:
    """Offer ``check`` to ``invoke check`` for every address alone on its line."""
    _registry(settings).url_checks.append(check)


def add_embed_code(settings: dict, rule: EmbedCodeRule) -> None:
    """Teach the build and the checks this platform's own embed code."""
    _registry(settings).embed_codes.append(rule)


def embed_code_rules(settings: dict) -> tuple[EmbedCodeRule, ...]:
    """The embed codes the listed plugins registered, in ``PLUGINS`` order."""
    return tuple(registry(settings).embed_codes)


def _registry(settings: dict) -> Registry:
    current = settings.get(REGISTRY_KEY)
    if not isinstance(current, Registry):
        current = settings[REGISTRY_KEY] = Registry()
    return current


def registry(settings: dict) -> Registry:
    """The site's registry; the listed plugins' hooks run on first use."""
    current = _registry(settings)
    if current.hooks_ran:
        return current
    current.hooks_ran = True
    if not settings.get("PLUGINS"):
        return current  # e.g. a bare audit Site: no plugin, no provider
    from pelican.plugins._utils import load_plugins

    for module in load_plugins(settings):  # the modules Pelican loads, in PLUGINS order
        hook = getattr(module, HOOK, None)
        if callable(hook):
            hook(settings)
    return current


def providers(settings: dict) -> dict[str, Provider]:
    """Registered providers, each changed by the setting ``CONSENT_PROVIDERS`` ({key: {field: value}})."""
    result = dict(registry(settings).providers)
    for key, fields in (settings.get("CONSENT_PROVIDERS") or {}).items():
        base = result.get(key)
        if base is None:
            logger.warning(
                "CONSENT_PROVIDERS nennt den Anbieter „%s“, den kein Plugin in PLUGINS anmeldet.", key
            )
            continue
        result[key] = replace(base, **{k: v for k, v in fields.items() if k != "key"})
    return result


def provider(settings: dict, key: str) -> Provider:
    """One registered provider (KeyError naming the missing plugin otherwise)."""
    found = providers(settings).get(key)
    if found is None:
        raise KeyError(f"Kein Einbettungsanbieter „{key}“ angemeldet (fehlt sein Plugin in PLUGINS?)")
    return found


def frame_origins(settings: dict) -> tuple[str, ...]:
    """Every origin a registered provider's iframe may come from, in registration order."""
    seen: dict[str, None] = {}
    for p in providers(settings).values():
        for origin in p.frame_origins:
            seen.setdefault(origin.rstrip("/"), None)
    return tuple(seen)


def url_problems(settings: dict, url: str) -> list[tuple[str, str]]:
    """(message, hint) from every registered check that objects to ``url``."""
    return [problem for check in registry(settings).url_checks if (problem := check(url))]
