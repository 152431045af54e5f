"""News for the intranet: one RSS feed and one includable HTML fragment of the latest
articles, videos and posts (``/feeds/intranet.xml``, ``/intranet/aktuelles.html``)."""

from .plugin import register

__all__ = ["register"]
