"""Link checks: known schemes, anchors in this and other articles, ``{filename}`` targets and
root-relative links to own articles."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from ..source import Source
from .addresses import addresses
from .images import IMAGE_MD_RE
from .site import PLACEHOLDER_RE, Site, inside, resolve, suggest_file

_LINK_MD_RE = re.compile(
    r"(?<!!)\[(?P<text>[^\]]*)\]\(\s*<?(?P<url>[^)\s>]+)>?(?:\s+[\"'][^\"']*[\"'])?\s*\)"
)
_REF_DEF_RE = re.compile(r"^\s{0,3}\[(?P<label>[^\]]+)\]:\s*<?(?P<url>\S+?)>?(?:\s+.*)?$")


_A_TAG_RE = re.compile(r"<a\b[^>]*\bhref\s*=\s*[\"'](?P<url>[^\"']+)[\"']", re.I)


def _links(src: Source):
    """(line, url) of every link in the body (not images)."""
    for number, line in src.prose_lines():
        clean = IMAGE_MD_RE.sub("", line)
        for match in _LINK_MD_RE.finditer(clean):
            yield number, match.group("url")
        for match in _A_TAG_RE.finditer(line):
            yield number, match.group("url")
        ref = _REF_DEF_RE.match(line)
        if ref:
            yield number, ref.group("url")


def _heading_ids(site: Site, src: Source) -> set[str]:
    cache = site.heading_ids
    key = src.path
    if key not in cache:
        import markdown

        toc_config = dict(
            site.settings.get("MARKDOWN", {}).get("extension_configs", {}).get("markdown.extensions.toc", {})
        )
        md = markdown.Markdown(
            extensions=["markdown.extensions.extra", "markdown.extensions.toc"],
            extension_configs={"markdown.extensions.toc": toc_config},
        )
        html = md.convert("\n".join(src.body))
        cache[key] = set(re.findall(r'\bid="([^"]+)"', html))
    return cache[key]


def _article_urls(site: Site) -> dict[str, Source]:
    urls = {}
    for src, save_as in addresses(site):
        url = save_as.removesuffix("index.html")
        urls["/" + url] = src
    return urls


def check_links(site: Site, src: Source) -> None:
    urls = None
    for number, url in _links(src):
        parts = urlsplit(url)
        if (
            parts.scheme
            and parts.scheme not in ("http", "https", "mailto", "tel")
            and not url.startswith("{")
        ):
            src.error(
                number,
                f"Der Link „{url}“ hat ein unbekanntes Schema „{parts.scheme}:“.",
                "Erlaubt sind https://…, mailto: und Verweise auf eigene Artikel.",
            )
            continue
        if url.startswith("#"):
            anchor = unquote(url[1:])
            if anchor and anchor not in _heading_ids(site, src):
                src.error(
                    number,
                    f"Den Sprungpunkt „{url}“ gibt es in diesem Text nicht.",
                    "Prüfe die Schreibweise der Zwischenüberschrift.",
                )
            continue
        match = PLACEHOLDER_RE.match(url.split("#", 1)[0])
        if match:
            target = resolve(site, src, url)
            if target is None or not inside(target, site.content) or not target.is_file():
                src.error(
                    number,
                    f"Der Link „{url}“ zeigt auf eine Datei, die es nicht gibt.",
                    suggest_file(
                        site,
                        target or site.content,
                        "Prüfe Ordner und Dateinamen (relativ zu dieser Datei oder mit / ab content/).",
                    ),
                )
                continue
            anchor = unquote(url.split("#", 1)[1]) if "#" in url else ""
            if anchor and target.suffix == ".md":
                other = next((s for s in site.sources if s.path.resolve() == target), None)
                if other is not None and anchor not in _heading_ids(site, other):
                    src.error(
                        number,
                        f"Den Sprungpunkt „#{anchor}“ gibt es in {target.name} nicht.",
                        "Prüfe die Zwischenüberschrift im verlinkten Artikel.",
                    )
            continue
        if url.startswith("/") and not url.startswith("//"):
            path = unquote(parts.path)
            if urls is None:
                urls = _article_urls(site)
            segments = [s for s in path.split("/") if s]
            if len(segments) == 2 and segments[0] in site.departments:
                wanted = "/" + "/".join(segments) + "/"
                if wanted not in urls:
                    src.error(
                        number,
                        f"Den Artikel „{url}“ gibt es nicht.",
                        "Verlinke eigene Artikel am sichersten mit {filename}../abteilung/datei.md.",
                    )
                elif parts.fragment and parts.fragment not in _heading_ids(site, urls[wanted]):
                    src.error(
                        number,
                        f"Den Sprungpunkt „#{parts.fragment}“ gibt es in „{wanted}“ nicht.",
                        "Prüfe die Zwischenüberschrift im verlinkten Artikel.",
                    )
