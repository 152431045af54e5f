"""Share links for articles: plain links to each network's share URL, no SDKs, nothing is loaded
from a network until the reader clicks (privacy rules: docs/funktionen.md, „Videos and the consent
component“)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode

# Network key → (label, icon id in icons.svg). Order is the order on the page.
NETWORKS: dict[str, tuple[str, str]] = {
    "facebook": ("Facebook", "facebook"),
    "x": ("X", "x"),
    "linkedin": ("LinkedIn", "linkedin"),
    "xing": ("XING", "xing"),
    "whatsapp": ("WhatsApp", "whatsapp"),
    "email": ("E-Mail", "mail"),
}


@dataclass(frozen=True)
class ShareLink:
    """One share target: what the reader sees and where the link goes."""

    key: str
    label: str
    icon: str
    href: str


def share_url(network: str, url: str, title: str) -> str:
    """The share URL of ``network`` for the page at ``url`` with ``title``."""
    text = f"{title} {url}"
    if network == "facebook":
        return "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url})
    if network == "x":
        return "https://x.com/intent/post?" + urlencode({"url": url, "text": title})
    if network == "linkedin":
        return "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": url})
    if network == "xing":
        return "https://www.xing.com/spi/shares/new?" + urlencode({"url": url})
    if network == "whatsapp":
        return "https://wa.me/?" + urlencode({"text": text})
    if network == "email":
        subject = quote(title, safe="")
        body = quote(f"Lesetipp aus dem Edelstahlmagazin: {title}\n\n{url}", safe="")
        return f"mailto:?subject={subject}&body={body}"
    raise ValueError(f"unknown share network {network!r}")


def share_links(url: str, title: str, networks: list[str] | tuple[str, ...] | None = None) -> list[ShareLink]:
    """Share links for one page, in the configured order."""
    keys = list(networks) if networks else list(NETWORKS)
    return [ShareLink(k, NETWORKS[k][0], NETWORKS[k][1], share_url(k, url, title)) for k in keys]
