"""The company's social-media channels, from one data file (``content/data/channels.yml``):
validation, footer links, ``/social-media/``, the e-mail signature, QR codes and share links."""

from .plugin import register

__all__ = ["register"]
