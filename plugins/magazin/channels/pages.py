"""The channel pages: ``/social-media/`` (social links with QR codes) and
``/social-media/signatur/`` (e-mail signature), written through ``writer.write_file`` so the
sitemap lists them, plus one QR-code SVG per channel under ``/social-media/qr/``."""

from __future__ import annotations

import json
from pathlib import Path

from pelican.generators import Generator

from .qr import qr_svg
from .signature import FIELDS, STYLES, TOKENS, fill, style


class SocialMediaGenerator(Generator):
    """Writes the social-links page, the signature page and the channels' QR codes."""

    def generate_context(self) -> None:
        s = self.settings
        self.context["CHANNELS_PAGE_URL"] = s["CHANNELS_PAGE_URL"]
        self.context["CHANNELS_SIGNATURE_URL"] = s["CHANNELS_SIGNATURE_URL"]

    def qr_path(self, channel) -> str:
        """Site path of a channel's QR code (``social-media/qr/youtube.svg``)."""
        return f"{self.settings['CHANNELS_QR_DIR'].strip('/')}/{channel.slug}.svg"

    def _write_qr_codes(self, channels) -> None:
        for channel in channels:
            target = Path(self.output_path) / self.qr_path(channel)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(qr_svg(channel.url, title=f"QR-Code: {channel.url}"), encoding="utf-8")

    def _write_page(self, writer, template: str, save_as: str, url: str, **extra) -> None:
        """One page of the plugin (``social_media`` or ``signature``), under „Social Media“."""
        writer.write_file(
            save_as,
            self.get_template(template),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            url=url,
            page_name=template,
            canonical_path=url,
            active_nav="social_media",
            **extra,
        )

    def generate_output(self, writer) -> None:
        s = self.settings
        channels = self.context.get("CHANNELS", [])
        if s.get("CHANNELS_PAGE_SAVE_AS"):
            self._write_qr_codes(channels)
            self._write_page(
                writer,
                "social_media",
                s["CHANNELS_PAGE_SAVE_AS"],
                s["CHANNELS_PAGE_URL"],
                qr_path=self.qr_path,
            )
        if s.get("CHANNELS_SIGNATURE_SAVE_AS"):
            signature = self.get_template("partials/email_signature")
            signature_text = self.get_template("partials/email_signature_text")
            values = dict(s["CHANNELS_SIGNATURE_EXAMPLE"])
            common = {**self.context, "T": TOKENS, "sig_style": style, "STYLES": STYLES}
            html_template = signature.render(common).strip()
            text_template = signature_text.render(common).strip() + "\n"
            self._write_page(
                writer,
                "signature",
                s["CHANNELS_SIGNATURE_SAVE_AS"],
                s["CHANNELS_SIGNATURE_URL"],
                signature_fields=FIELDS,
                signature_example=values,
                signature_html_template=html_template,
                signature_text_template=text_template,
                signature_html=fill(html_template, values, html=True),
                signature_text=fill(text_template, values, html=False),
                signature_styles=json.dumps(STYLES, ensure_ascii=False),
            )
