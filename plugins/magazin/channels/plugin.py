"""Signal wiring and settings defaults of the channels plugin (the one place for both)."""

from __future__ import annotations

from pathlib import Path

from pelican import signals

from magazin.magazine.wiring import configure_with, provides

from .channels import add_channels
from .pages import SocialMediaGenerator
from .qr import qr_data_uri
from .share import share_links

TEMPLATES = Path(__file__).resolve().parent / "templates"

DEFAULTS: dict = {
    "SOCIAL_PAGE_URL": "social-media/",
    "SOCIAL_PAGE_SAVE_AS": "social-media/index.html",
    "SOCIAL_SIGNATURE_URL": "social-media/signatur/",
    "SOCIAL_SIGNATURE_SAVE_AS": "social-media/signatur/index.html",
    "SOCIAL_QR_DIR": "social-media/qr",
    "SOCIAL_SHARE_NETWORKS": ["facebook", "x", "linkedin", "xing", "whatsapp", "email"],
    # Example values shown in the signature page before the employee types their own.
    "SOCIAL_SIGNATURE_EXAMPLE": {
        "name": "Vorname Nachname",
        "role": "Funktion",
        "department": "Abteilung",
        "phone": "+49 000 000000-00",
        "email": "vorname.nachname@heco.de",
    },
    # Company details for the signature and the brochure's contact page.
    "SOCIAL_COMPANY": {
        "name": "heco gmbh",
        "claim": "Rohre und Rohrverbindungsteile aus Edelstahl",
        "street": "[Straße Hausnummer]",
        "city": "[PLZ Ort]",
        "phone": "[Telefonnummer]",
        "email": "[E-Mail-Adresse]",
        "web": "https://www.heco.de/",
    },
}


configure = configure_with(DEFAULTS, templates=TEMPLATES)


def add_globals(generator) -> None:
    """Template helpers: ``share_links(url, title)`` and ``qr_data_uri(url)``."""
    networks = generator.settings.get("SOCIAL_SHARE_NETWORKS")
    generator.env.globals["share_links"] = lambda url, title: share_links(url, title, networks)
    generator.env.globals["qr_data_uri"] = qr_data_uri


get_generators = provides(SocialMediaGenerator)


def register() -> None:
    signals.initialized.connect(configure)
    signals.article_generator_init.connect(add_channels)
    signals.generator_init.connect(add_globals)
    signals.get_generators.connect(get_generators)
