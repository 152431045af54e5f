"""Posts as an embed provider: X's official embed behind the consent placeholder, the
``invoke check`` rule for post addresses and the posts' section of the Datenschutzerklärung,
registered by the embed hook ``register_embeds``.

The privacy section names the platforms actually in use: X (its consent provider is this
plugin's) and Mastodon only when ``content/data/channels.yml`` lists a Mastodon channel.
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlsplit

from magazin.consent import Provider, add_embed_code, add_provider, add_url_check
from magazin.core.errors import ContentError, ContentErrors

from .embedcodes import MASTODON_RULE, X_RULE
from .model import PLATFORM_NAMES, X_HOSTS, post_key

X_EMBED_ORIGIN = "https://platform.twitter.com"

PROVIDER = Provider(
    key="x",
    name="X",
    transfer=(
        "Erst wenn Sie den Original-Beitrag laden, verbindet sich Ihr Browser mit X "
        "(X Corp., USA, und Twitter International Unlimited Company, Irland): übertragen werden "
        "u. a. Ihre IP-Adresse, Angaben zu Ihrem Browser und die Adresse dieser Seite."
    ),
    load_label="Original-Beitrag von X laden",
    external_label="Beitrag auf X ansehen",
    frame_origins=(X_EMBED_ORIGIN,),
    privacy_policy="https://x.com/de/privacy",
)

_X_EMBED_TEXT = (
    "Unter einem Beitrag von X können Sie mit „Original-Beitrag von X laden“ die offizielle "
    "Einbettung von X anfordern; sie wird erst nach diesem Klick geladen. Dann erhalten X Corp. "
    "(USA) und die Twitter International Unlimited Company (Irland) Ihre IP-Adresse, Angaben zu "
    "Ihrem Browser und die Adresse der aufgerufenen Seite; wir binden den Beitrag mit dem "
    "Parameter „dnt=true“ ein, der X bittet, die Daten nicht zur Personalisierung zu nutzen."
)
_MASTODON_TEXT = "Beiträge von Mastodon binden wir nicht ein, sie bleiben eine Kopie mit Link."
_LEGAL_BASIS = "Rechtsgrundlage ist Art. 6 Abs. 1 lit. a DSGVO."
_LABELS = {"x": "X", "mastodon": "Mastodon"}
# The heading names the former name of X once (the legal entity below still carries it).
_HEADING_LABELS = {**_LABELS, "x": "X (vormals Twitter)"}


def channel_platforms(settings: dict) -> set[str]:
    """Platforms of the channels in ``content/data/channels.yml`` (empty if it cannot be read:
    the channels plugin reports a broken file with file and line)."""
    if "PATH" not in settings:
        return set()
    from magazin.channels.channels import load_channels

    try:
        return {channel.platform for channel in load_channels(settings)}
    except (ContentError, ContentErrors):
        return set()


def privacy_section(platforms: set[str]) -> tuple[str, str]:
    """Heading and Markdown text of the posts' section for the platforms in use."""
    shown = [p for p in ("x", "mastodon") if p in platforms or p == "x"]  # X: our provider
    names = " und ".join(_LABELS[p] for p in shown)
    places = "diesen Plattformen" if len(shown) > 1 else PLATFORM_NAMES[shown[0]]
    sentences = [
        f"Beiträge von {names} zeigen wir als statische Kopie, die auf unserem eigenen Server "
        f"gespeichert ist. Beim Lesen entsteht daher keine Verbindung zu {places}.",
        _X_EMBED_TEXT,
    ]
    if "mastodon" in shown:
        sentences.append(_MASTODON_TEXT)
    sentences.append(_LEGAL_BASIS)
    heading = " und ".join(_HEADING_LABELS[p] for p in shown)
    return f"Beiträge von {heading}", " ".join(sentences)


def post_url_problem(url: str) -> str | None:
    """Why an X or Mastodon address names no single post (German); None when it does or when
    it does not look like a post address at all. The build's own rule (``post_key``)."""
    if not url.startswith(("http://", "https://")) or post_key(url) is not None:
        return None
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    if (parts.hostname or "").lower() in X_HOSTS:
        return "Ein Post auf X hat die Form https://x.com/<konto>/status/<nummer>."
    if segments and segments[0].startswith("@"):
        return "Ein Mastodon-Post hat die Form https://<server>/@<konto>/<nummer>."
    return None


def url_problem(url: str) -> tuple[str, str] | None:
    """``invoke check``: an X or Mastodon address alone on its line that names no single post."""
    reason = post_url_problem(url)
    if reason is None:
        return None
    hint = "Öffne den einzelnen Post und kopiere seine Adresse."
    return f"Ungültige Post-Adresse „{url}“: {reason}", hint


def register_embeds(settings: dict) -> None:
    """The embed hook (see ``magazin.consent.registry``): provider ``x`` and the URL rule."""
    heading, text = privacy_section(channel_platforms(settings))
    add_provider(settings, replace(PROVIDER, privacy_heading=heading, privacy_text=text))
    add_url_check(settings, url_problem)
    add_embed_code(settings, X_RULE)
    add_embed_code(settings, MASTODON_RULE)
