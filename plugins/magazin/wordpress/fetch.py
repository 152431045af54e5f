"""The one piece of the WordPress move that goes online: downloading the export's images.

Used only by ``invoke import-wordpress`` without ``--uploads``; never during a build. Tests
point it at a loopback HTTP server. Each image is fetched once: the importer skips images that
are already in ``content/images/`` (so an interrupted import resumes where it stopped).
"""

from __future__ import annotations

import urllib.error
import urllib.request

USER_AGENT = "Edelstahlmagazin-WordPress-Umzug/1.0"
MAX_BYTES = 50_000_000


class DownloadFailed(Exception):
    """One image could not be loaded; the message is German."""


def fetch_bytes(url: str, timeout: float = 30) -> bytes:
    """The body of ``url`` (http/https only); ``DownloadFailed`` with the reason otherwise."""
    if not url.startswith(("https://", "http://")):
        raise DownloadFailed(f"keine http(s)-Adresse: {url}")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})  # noqa: S310 - http(s) only
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            body = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raise DownloadFailed(f"HTTP {exc.code}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise DownloadFailed(f"nicht erreichbar ({getattr(exc, 'reason', exc)})") from None
    if len(body) > MAX_BYTES:
        raise DownloadFailed("größer als 50 MB")
    return body
