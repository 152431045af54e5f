"""The reader statistics as a listed plugin: what it changes in the build.

- the Datenschutzerklärung's section ``[[Zugriffsstatistik]]``, generated from the settings;
- the template global ``campaign(url, name)``: the brochure's and the signature's links and QR
  codes to the magazine carry ``?k=<name>``;
- ``STATISTICS_BEACON``: where the consent script reports a clicked video and the search page
  a search without result (read by those plugins' templates; "" = nothing is reported).
Counting itself is no build step: ``invoke bericht`` and ``invoke statistik`` read the log.
"""

from __future__ import annotations

from pelican import signals

from magazin.core.settings import add_markdown_extension
from magazin.core.wiring import configure_with

from .privacy import PrivacySectionExtension, privacy_markdown
from .settings import DEFAULTS, beacon_base, with_campaign


def add_privacy_section(pelican) -> None:
    settings = pelican.settings
    add_markdown_extension(settings, PrivacySectionExtension(privacy_markdown(settings)))
    settings["STATISTICS_BEACON"] = beacon_base(settings)


configure = configure_with(DEFAULTS, then=[add_privacy_section])


def add_globals(generator) -> None:
    settings = generator.settings

    def campaign(url: str, name: str) -> str:
        return with_campaign(url, name, settings)

    generator.env.globals["campaign"] = campaign


def register() -> None:
    signals.initialized.connect(configure)
    signals.generator_init.connect(add_globals)
