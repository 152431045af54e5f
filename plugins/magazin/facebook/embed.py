"""Facebook as an embed provider: what the consent component, the CSP, the audit, ``invoke check``
and the Datenschutzerklärung need to know, registered by the embed hook ``register_embeds``."""

from __future__ import annotations

from pathlib import Path

from magazin.consent import Provider, add_embed_code, add_provider, add_url_check

from .embedcode import RULE as EMBED_CODE
from .urls import InvalidFacebookUrl, has_tracking, is_facebook_url, parse_facebook_url

# Our section of the Datenschutzerklärung (German Markdown, below the heading), kept beside the code.
PRIVACY_TEXT = Path(__file__).resolve().parent / "datenschutz.md"
FRAME_ORIGIN = "https://www.facebook.com"

PROVIDER = Provider(
    key="facebook",
    name="Facebook",
    transfer=(
        "Erst wenn Sie den Inhalt laden, verbindet sich Ihr Browser mit Facebook "
        "(Meta Platforms Ireland Ltd., Irland; Daten können auch in die USA gelangen): "
        "übertragen werden u. a. Ihre IP-Adresse und die Adresse dieser Seite, "
        "und Facebook kann Cookies setzen, auch wenn Sie dort kein Konto haben."
    ),
    load_label="Von Facebook laden",
    external_label="Bei Facebook ansehen",
    frame_origins=(FRAME_ORIGIN,),
    privacy_policy="https://www.facebook.com/privacy/policy/",
    privacy_heading="Beiträge und Videos von Facebook",
    privacy_text=PRIVACY_TEXT.read_text(encoding="utf-8"),
)

HINT = (
    "Öffne den Beitrag oder das Video bei Facebook, wähle „…“ → „Link kopieren“ (bei einem "
    "Kurzlink: öffne ihn im Browser und kopiere die Adresse aus der Adresszeile) und setze "
    "die Adresse allein in eine Zeile, z. B. https://www.facebook.com/hecogmbh/posts/pfbid0… "
    "oder https://www.facebook.com/watch/?v=123…; "
    "eine Seite oder ein Profil verlinkst du mit [Text](Adresse)."
)


def url_problem(url: str) -> tuple[str, str] | None:
    """``invoke check``: a Facebook address alone on its line that names no post or video, and
    any address that carries Facebook's click marker ``fbclid``."""
    if not is_facebook_url(url):
        if has_tracking(url):
            return (
                f"Die Adresse „{url}“ enthält die Tracking-Kennung „fbclid“ von Facebook.",
                "Lösche „fbclid=…“ (ab dem ? oder &) aus der Adresse.",
            )
        return None
    try:
        parse_facebook_url(url)
    except InvalidFacebookUrl as exc:
        return (f"Keine Facebook-Beitrags- oder Video-Adresse „{url}“: {exc}.", HINT)
    return None


def register_embeds(settings: dict) -> None:
    """The embed hook (see ``magazin.consent.registry``): provider, URL rule, embed code."""
    add_provider(settings, PROVIDER)
    add_url_check(settings, url_problem)
    add_embed_code(settings, EMBED_CODE)
