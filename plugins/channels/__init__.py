"""The company's social-media channels, from one data file (``content/data/channels.yml``)."""

from .channels import register

__all__ = ["register"]
