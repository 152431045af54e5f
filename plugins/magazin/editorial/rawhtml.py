"""Authors' raw HTML: refuse what could load or run something, keep what is harmless.

Run by the pre-build checks of every build (development and publish alike) and by
``invoke check``. Looked at: the prose of a Markdown source (fenced code and inline code
spans are left alone: an article may show HTML as code). The platforms' own embed codes
(``embedcodes``) are not refused: the build turns them into private blocks; ``paste_notes``
tells the author that the plain address is simpler, and that a YouTube address was
normalised.

Refused, each with a German ``datei:zeile`` message saying what to do instead:
``<script>``, ``<iframe>``/``<frame>``, ``<object>``/``<embed>``/``<applet>``, forms and their
fields, ``<base>``/``<link>``/``<meta>``, event handlers (``on…=``, also in ``{: …}``
attribute lists), ``javascript:`` addresses, ``style`` with ``url(…)``/``@import``, and
images, videos or sounds from other servers (``src``, ``srcset``, ``poster``, ``data``).
Allowed: everything else, e.g. ``<table>``, ``<sup>``, ``<sub>``, ``<abbr>``, ``<details>``,
``<kbd>``, ``<mark>``, ``<figure>``, links to other sites.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

from magazin.consent.registry import EmbedCodeRule

from .embedcodes import find_embed_codes, own_rules

_CODE_SPAN = re.compile(r"(`+)(?:.+?)\1")
_ATTR_LIST = re.compile(r"\{:?[^{}\n]*\}")
_ON_ATTR = re.compile(r"(?:^|[\s{:])(?P<name>on[a-z]+)\s*=", re.I)
_CSS_URL = re.compile(r"url\s*\(|@import|expression\s*\(", re.I)
_TAG_NAME = re.compile(r"^[a-z][a-z0-9]*$")
# [Text](javascript:…) and [label]: javascript:… (images may use data: – the image check's rule)
_MD_CODE_LINK = re.compile(
    r"(?:(?<!!)\[[^\]]*\]\(\s*<?|^\s{0,3}\[[^\]]+\]:\s*<?)(?P<url>\s*(?:javascript|vbscript|data)\s*:[^)\s>]*)",
    re.I,
)
_SCRIPT_SCHEMES = ("javascript:", "vbscript:", "data:")
# Browsers ignore whitespace, control and zero-width characters in front of and inside a scheme.
_IGNORED_IN_SCHEME = re.compile(r"[\s\x00-\x1f\x7f\u200b-\u200d\u2028\u2029\u180e\ufeff]+")

ADVICE_EMBED = (
    "Für ein Video oder einen Beitrag einer eingebundenen Plattform genügt die Adresse allein in einer "
    "Zeile; andere Seiten verlinke mit [Text](Adresse)."
)


def advice_embed(rules: Sequence[EmbedCodeRule]) -> str:
    """``ADVICE_EMBED`` naming the platforms the site's embed plugins registered."""
    names = list(dict.fromkeys(rule.name for rule in rules))
    if not names:
        return "Verlinke andere Seiten mit [Text](Adresse)."
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " oder " + names[-1]
    return ADVICE_EMBED.replace("einer eingebundenen Plattform", f"von {listed}")


ADVICE_CODE = " Soll der Code im Artikel nur gezeigt werden, setze ihn zwischen zwei Zeilen ```."
REFUSED_TAGS = {
    "script": (
        "Ein <script> im Text würde Code im Browser der Leser ausführen; "
        "das Magazin lädt keinen fremden Code.",
        "Lösche den Block. " + ADVICE_EMBED,
    ),
    "noscript": ("Ein <noscript>-Block gehört nicht in einen Artikel.", "Lösche ihn."),
    "iframe": (
        "Ein <iframe>{src} lädt fremde Inhalte, bevor die Leser eingewilligt haben.",
        ADVICE_EMBED,
    ),
    "frame": ("Ein <frame>{src} lädt fremde Inhalte.", ADVICE_EMBED),
    "frameset": ("Ein <frameset> lädt fremde Inhalte.", ADVICE_EMBED),
    "object": ("Ein <object>{src} lädt fremde Inhalte oder Programme.", ADVICE_EMBED),
    "embed": ("Ein <embed>{src} lädt fremde Inhalte oder Programme.", ADVICE_EMBED),
    "applet": ("Ein <applet> würde ein Programm laden.", "Lösche es. " + ADVICE_EMBED),
    "form": (
        "Ein Formular (<form>) würde Eingaben der Leser an einen Server schicken.",
        "Verlinke das Formular auf seiner eigenen Seite mit [Text](Adresse).",
    ),
    "input": ("Ein Eingabefeld (<input>) gehört zu einem Formular.", "Lösche es; verlinke das Formular."),
    "button": ("Ein <button> gehört zu einem Formular oder Skript.", "Lösche ihn; schreibe einen Link."),
    "textarea": (
        "Ein Eingabefeld (<textarea>) gehört zu einem Formular.",
        "Lösche es; verlinke das Formular.",
    ),
    "select": (
        "Eine Auswahlliste (<select>) gehört zu einem Formular.",
        "Lösche sie; verlinke das Formular.",
    ),
    "base": ("<base> würde alle Adressen der Seite umleiten.", "Lösche die Zeile."),
    "link": ("<link> würde eine fremde Datei laden.", "Lösche die Zeile."),
    "meta": ("<meta> gehört nicht in den Text (es kann die Seite umleiten).", "Lösche die Zeile."),
    "portal": ("Ein <portal> lädt fremde Inhalte.", ADVICE_EMBED),
}
MEDIA_ATTRIBUTES = ("src", "srcset", "poster", "data", "background", "href", "xlink:href")
CODE_SCHEME_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href")
MEDIA_TAGS = {
    "img",
    "video",
    "audio",
    "source",
    "track",
    "picture",
    "image",
    "use",
    "input",
    "svg",
    "feimage",
}


@dataclass(frozen=True)
class Finding:
    """One problem: body line offset (0-based in the given lines), message and hint."""

    index: int
    message: str
    hint: str


def _blank_code_spans(line: str) -> str:
    return _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line)


def _is_remote(url: str) -> bool:
    url = url.strip()
    return url.startswith("//") or urlsplit(url).scheme in ("http", "https", "ftp")


def _youtube_reason(src: str) -> str:
    """Why a YouTube player address names no video (German), "" for other hosts."""
    from magazin.youtube.urls import ALL_HOSTS, InvalidVideoUrl, parse_youtube_url

    host = (urlsplit(src if "://" in src else "https:" + src).hostname or "").lower()
    if host not in ALL_HOSTS:
        return ""
    try:
        parse_youtube_url(src)
    except InvalidVideoUrl as exc:
        return str(exc).replace("{", "{{").replace("}", "}}")
    return ""


def _code_scheme(tag: str, name: str, value: str) -> bool:
    """A ``javascript:``/``vbscript:`` address, or a ``data:`` one outside an image's ``src``."""
    scheme = _IGNORED_IN_SCHEME.sub("", value).lower()
    if scheme.startswith("data:"):
        return not (name == "src" and tag in ("img", "source"))
    return scheme.startswith(_SCRIPT_SCHEMES)


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.findings: list[tuple[int, str, str]] = []  # (1-based line in the fed text, message, hint)
        self.in_style = False
        self.style_line = 0

    def _add(self, message: str, hint: str) -> None:
        self.findings.append((self.getpos()[0], message, hint))

    def handle_starttag(self, tag, attrs):
        if not _TAG_NAME.match(tag):
            return  # autolinks like <https://…> or <name@example.com> are not tags
        attributes = {name.lower(): value or "" for name, value in attrs}
        if tag in REFUSED_TAGS:
            message, hint = REFUSED_TAGS[tag]
            src = attributes.get("src") or attributes.get("data") or ""
            host = urlsplit(src if "://" in src else "https:" + src).hostname if src else None
            reason = _youtube_reason(src) if tag == "iframe" and src else ""
            if reason:  # a YouTube player the build cannot turn into a video: say why
                message, hint = (
                    f"Dieser YouTube-Einbettungscode zeigt kein einzelnes Video: {reason}",
                    ADVICE_EMBED,
                )
            self._add(message.format(src=f" von {host}" if host else ""), hint)
            return
        if tag == "style":
            self.in_style, self.style_line = True, self.getpos()[0]
        for name, value in attributes.items():
            if name.startswith("on"):
                self._add(
                    f"Das Attribut „{name}“ an <{tag}> würde im Browser Code ausführen.",
                    "Lösche das Attribut; ein Link geht mit [Text](Adresse).",
                )
            elif name in CODE_SCHEME_ATTRIBUTES and _code_scheme(tag, name, value):
                self._add(
                    f"Die Adresse „{value.strip()[:40]}“ an <{tag}> würde Code ausführen.",
                    "Verlinke nur auf https://-Adressen oder eigene Artikel.",
                )
            elif name == "srcdoc":
                self._add(f"Das Attribut „srcdoc“ an <{tag}> bettet eine fremde Seite ein.", "Lösche es.")
            elif name == "style" and _CSS_URL.search(value):
                self._add(
                    f"Das style-Attribut an <{tag}> lädt über url(…) eine fremde Datei.",
                    "Lege Bilder unter content/images/<abteilung>/ ab und binde sie mit "
                    "![Beschreibung]({static}/images/…) ein.",
                )
            elif (
                tag in MEDIA_TAGS
                and name in MEDIA_ATTRIBUTES
                and ((tag, name) != ("img", "src") or "\n" in (self.get_starttag_text() or ""))
            ):
                # a one-line <img src> is the image check's (checks.py), which runs in every build too
                urls = (
                    [part.split()[0] for part in value.split(",") if part.split()]
                    if name == "srcset"
                    else [value]
                )
                remote = next((u for u in urls if _is_remote(u)), None)
                if remote:
                    self._add(
                        f"<{tag}> lädt „{remote}“ von einem fremden Server.",
                        "Aus Datenschutzgründen lädt das Magazin nichts von fremden Servern: speichere die "
                        "Datei unter content/images/<abteilung>/ und binde sie mit {static}/images/… ein.",
                    )

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag == "style":
            self.in_style = False

    def handle_data(self, data):
        if self.in_style and _CSS_URL.search(data):
            self.findings.append(
                (
                    self.style_line,
                    "Der <style>-Block lädt über url(…) oder @import eine fremde Datei.",
                    "Lösche den Block; Bilder gehören nach content/images/<abteilung>/.",
                )
            )
            self.in_style = False


def scan_html(lines: list[str], rules: Sequence[EmbedCodeRule] | None = None) -> list[Finding]:
    """Problems of the raw HTML in ``lines`` (prose: no fenced code), embed codes (``rules``:
    the site's registered ones) excepted."""
    skip: set[int] = set()
    for code in find_embed_codes(lines, rules):
        skip.update(range(code.first, code.last + 1))
    visible = ["" if i in skip else _blank_code_spans(line) for i, line in enumerate(lines)]
    scanner = _Scanner()
    scanner.feed("\n".join(visible))
    scanner.close()
    advice = advice_embed(own_rules() if rules is None else rules)
    findings = [
        Finding(line - 1, message, hint.replace(ADVICE_EMBED, advice) + ADVICE_CODE)
        for line, message, hint in scanner.findings
    ]
    for index, line in enumerate(visible):  # Markdown links that would run code
        match = _MD_CODE_LINK.search(line)
        if match:
            findings.append(
                Finding(
                    index,
                    f"Der Link „{match.group('url')[:40]}“ würde Code ausführen.",
                    "Verlinke nur auf https://-Adressen, mailto: oder eigene Artikel.",
                )
            )
    for index, line in enumerate(visible):  # {: onclick=…} of the attr_list extension
        for attr_list in _ATTR_LIST.finditer(line):
            match = _ON_ATTR.search(attr_list.group(0))
            if match:
                findings.append(
                    Finding(
                        index,
                        f"Die Angabe „{match.group('name')}=…“ in {{: …}} würde im Browser Code ausführen.",
                        "Lösche sie.",
                    )
                )
            elif _CSS_URL.search(attr_list.group(0)):
                findings.append(
                    Finding(index, "Die Angabe in {: …} lädt über url(…) eine fremde Datei.", "Lösche sie.")
                )
    return sorted(set(findings), key=lambda f: f.index)


def check_raw_html(src, rules: Sequence[EmbedCodeRule] | None = None) -> None:
    """Pre-build check: every refused piece of raw HTML of ``src`` (an ``editorial.source.Source``);
    ``rules``: the embed codes the site's plugins registered."""
    prose = list(src.prose_lines())
    for finding in scan_html([line for _, line in prose], rules):
        src.error(prose[finding.index][0], finding.message, finding.hint)


def paste_notes(src, rules: Sequence[EmbedCodeRule] | None = None) -> Iterator[tuple[int, str]]:
    """(line, German note) for ``invoke check``: embed codes and normalised YouTube addresses."""
    from magazin.youtube.urls import (
        ALL_HOSTS,
        InvalidVideoUrl,
        canonical_url,
        parse_youtube_url,
        unwrap_youtube_url,
    )

    prose = list(src.prose_lines())
    lines = [line for _, line in prose]
    for code in find_embed_codes(lines, rules):
        yield (
            prose[code.first][0],
            f"Hier steht der Einbettungscode von {code.platform_name}. Er wird beim Bauen zum "
            f"datenschutzfreundlichen Block; einfacher ist die Adresse allein in einer Zeile: {code.url}",
        )
    for number, line in prose:
        stripped = line.strip().strip("<>")
        if not stripped or " " in stripped:
            continue
        candidate = (
            stripped if "://" in stripped else "https:" + stripped if stripped.startswith("//") else ""
        )
        host = (urlsplit(candidate).hostname or "").lower() if candidate else ""
        if host not in ALL_HOSTS and host != "consent.youtube.com":
            continue
        try:
            ref = parse_youtube_url(stripped)
        except InvalidVideoUrl:
            continue  # the checks report it
        unwrapped = unwrap_youtube_url(stripped)
        query = parse_qs(urlsplit(unwrapped).query)
        changed = (
            unwrapped != candidate  # consent page, attribution link, &amp;, //…, youtu.be/ID&…
            or len(query.get("v", [])) > 1  # the first v= wins
            or (query.get("list") and ref.playlist is None)  # a mix or personal list was dropped
            or "time_continue" in query
        )
        if changed:
            yield (
                number,
                f"Die Video-Adresse wird gelesen als {canonical_url(ref)} (schreibe sie am besten so).",
            )
