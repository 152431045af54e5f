"""Signal wiring and settings defaults of the channels plugin (the one place for both)."""

from __future__ import annotations

from pathlib import Path

from pelican import signals

from magazin.core.settings import Setting, declare
from magazin.core.wiring import configure_with, provides

from .channels import PLATFORMS, add_channels
from .pages import SocialMediaGenerator
from .qr import qr_data_uri
from .share import share_links

TEMPLATES = Path(__file__).resolve().parent / "templates"

# Until 2026-12 the channels' settings were called SOCIAL_*: an old name is refused with the new one.
RENAMED = {
    f"SOCIAL_{name}": f"CHANNELS_{name}"
    for name in (
        "PAGE_URL",
        "PAGE_SAVE_AS",
        "SIGNATURE_URL",
        "SIGNATURE_SAVE_AS",
        "QR_DIR",
        "SHARE_NETWORKS",
        "SIGNATURE_EXAMPLE",
        "COMPANY",
    )
}

DEFAULTS = declare(
    "magazin.channels",
    "CHANNELS_",
    Setting("CHANNELS_PAGE_URL", "social-media/", "address of the social-links page"),
    Setting("CHANNELS_PAGE_SAVE_AS", "social-media/index.html", "file of the social-links page"),
    Setting("CHANNELS_SIGNATURE_URL", "social-media/signatur/", "address of the e-mail signature page"),
    Setting(
        "CHANNELS_SIGNATURE_SAVE_AS", "social-media/signatur/index.html", "file of the e-mail signature page"
    ),
    Setting("CHANNELS_QR_DIR", "social-media/qr", "output folder of the channels' QR codes"),
    Setting(
        "CHANNELS_SHARE_NETWORKS",
        ["facebook", "x", "linkedin", "xing", "whatsapp", "email"],
        "share links under each article (plain links, no SDK), in this order",
    ),
    Setting(
        "CHANNELS_PLATFORMS",
        PLATFORMS,
        "platform keys a channel in channels.yml may name",
        kind=(list, tuple),
    ),
    Setting(
        "CHANNELS_SIGNATURE_EXAMPLE",
        {
            "name": "Vorname Nachname",
            "role": "Funktion",
            "department": "Abteilung",
            "phone": "+49 000 000000-00",
            "email": "vorname.nachname@heco.de",
        },
        "example values the signature page shows before the employee types their own",
    ),
    Setting(
        "CHANNELS_COMPANY",
        {
            "name": "heco gmbh",
            "claim": "Rohre und Rohrverbindungsteile aus Edelstahl",
            "street": "[Straße Hausnummer]",
            "city": "[PLZ Ort]",
            "phone": "[Telefonnummer]",
            "email": "[E-Mail-Adresse]",
            "web": "https://www.heco.de/",
        },
        "company details for the signature and the brochure's contact page",
    ),
    renamed=RENAMED,
)


configure = configure_with(DEFAULTS, templates=TEMPLATES)


def add_globals(generator) -> None:
    """Template helpers: ``share_links(url, title)`` and ``qr_data_uri(url)``."""
    networks = generator.settings.get("CHANNELS_SHARE_NETWORKS")
    generator.env.globals["share_links"] = lambda url, title: share_links(url, title, networks)
    generator.env.globals["qr_data_uri"] = qr_data_uri


get_generators = provides(SocialMediaGenerator)


def register() -> None:
    signals.initialized.connect(configure)
    signals.article_generator_init.connect(add_channels)
    signals.generator_init.connect(add_globals)
    signals.get_generators.connect(get_generators)
