"""Gate "Security headers in HTML": what a static host cannot send as headers, the page must
carry itself, and our pages must not need anything the policy forbids.

Per HTML file: a Content-Security-Policy ``<meta>`` first in ``<head>`` (only ``<meta charset>``
may precede it) with a strict policy (no ``unsafe-inline``/``unsafe-eval``, ``object-src 'none'``,
``frame-src`` only the registered embed providers' origins); a referrer policy; no inline
scripts, event-handler attributes, ``style=`` attributes or ``<style>`` elements; external
scripts and stylesheets only with Subresource Integrity.
"""

from __future__ import annotations

from bs4 import Tag

from magazin.consent import frame_origins

from .core import GateResult, Site

NAME = "Sicherheit (CSP)"
STRICT_REFERRERS = {"no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"}
DATA_SCRIPT_TYPES = {"application/ld+json", "application/json", "importmap-disabled"}


def parse_csp(policy: str) -> dict[str, list[str]]:
    """``"default-src 'self'; img-src 'self' data:"`` → {directive: [sources]} (first wins)."""
    out: dict[str, list[str]] = {}
    for part in policy.split(";"):
        tokens = part.split()
        if tokens and tokens[0].lower() not in out:
            out[tokens[0].lower()] = tokens[1:]
    return out


def check_policy(policy: str, where: str, result: GateResult, providers: tuple[str, ...]) -> None:
    csp = parse_csp(policy)
    if "default-src" not in csp:
        result.add(where, "CSP ohne default-src")
    for directive in ("script-src", "style-src", "default-src"):
        sources = csp.get(directive, [])
        for bad in ("'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:"):
            if bad in sources and not (bad == "data:" and directive == "style-src"):
                result.add(where, f"CSP {directive} erlaubt {bad}")
    if csp.get("object-src") != ["'none'"]:
        result.add(where, "CSP ohne object-src 'none'")
    if "base-uri" not in csp:
        result.add(where, "CSP ohne base-uri")
    frames = csp.get("frame-src", csp.get("child-src", csp.get("default-src", [])))
    for source in frames:
        if source in ("'none'", "'self'"):
            continue
        if source.rstrip("/") not in providers:
            result.add(
                where, f"CSP frame-src erlaubt {source} (nur Einbettungsanbieter: {', '.join(providers)})"
            )


def first_element(head: Tag) -> list[Tag]:
    return [el for el in head.children if isinstance(el, Tag)]


def check_page(site: Site, path, result: GateResult, providers: tuple[str, ...]) -> None:
    where = site.url_of(path)
    soup = site.soup(path)
    head = soup.head
    if site.is_fragment(path):
        check_body(site, soup, where, result)  # embedded elsewhere: the host page has the head
        return
    if head is None:
        result.add(where, "kein <head>")
        return
    elements = first_element(head)
    csp_metas = soup.find_all(
        "meta", attrs={"http-equiv": lambda v: v and v.lower() == "content-security-policy"}
    )
    if not csp_metas:
        result.add(where, "keine Content-Security-Policy (<meta http-equiv>)")
    else:
        before = []
        for el in elements:
            if el is csp_metas[0]:
                break
            before.append(el)
        if (
            any(not (el.name == "meta" and el.has_attr("charset")) for el in before)
            or csp_metas[0].parent is not head
        ):
            result.add(where, "CSP-<meta> steht nicht am Anfang von <head> (nur <meta charset> davor)")
        if len(csp_metas) > 1:
            result.add(where, f"{len(csp_metas)} CSP-<meta>-Elemente (genau eines erwartet)")
        policy = csp_metas[0].get("content", "")
        editor = _editor_policy(site, path)
        if editor is None:
            check_policy(policy, where, result, providers)
        elif policy != editor:  # the one page allowed 'unsafe-eval': exactly its own policy
            result.add(where, "CSP der Redaktion weicht von magazin.editor.editor_csp ab")
    referrer = soup.find("meta", attrs={"name": "referrer"})
    if referrer is None:
        result.add(where, 'keine Referrer-Policy (<meta name="referrer">)')
    elif referrer.get("content", "").strip().lower() not in STRICT_REFERRERS:
        result.add(where, f"Referrer-Policy zu offen: {referrer.get('content')!r}")
    check_body(site, soup, where, result)


def _editor_policy(site: Site, path) -> str | None:
    """The editor page's own policy when ``path`` is that page (``/redaktion/``), else None."""
    settings = site.settings or {}
    if "magazin.editor" not in (settings.get("PLUGINS") or []):
        return None
    from magazin.core.settings import setting
    from magazin.editor import editor_csp
    from magazin.editor.settings import DEFAULTS

    page = site.output / str(setting(settings, "EDITOR_URL", DEFAULTS)).strip("/") / "index.html"
    return editor_csp(settings) if path == page else None


def check_body(site: Site, soup, where: str, result: GateResult) -> None:
    """What no document or fragment of ours may contain: inline scripts, styles, handlers."""
    for script in soup.find_all("script"):
        kind = (script.get("type") or "").strip().lower()
        if not script.has_attr("src"):
            if kind not in DATA_SCRIPT_TYPES:
                result.add(where, f"Inline-Skript: {script.get_text()[:60]!r}")
            continue
        if site.site_path(site.resolve(script["src"], where)) is None and not script.get("integrity"):
            result.add(where, f"externes Skript ohne Subresource Integrity: {script['src']}")
    for link in soup.find_all("link", href=True):
        rel = link.get("rel") or []
        external = site.site_path(site.resolve(link["href"], where)) is None
        if ("stylesheet" in rel or "modulepreload" in rel) and external and not link.get("integrity"):
            result.add(where, f"externes Stylesheet ohne Subresource Integrity: {link['href']}")
    if soup.find("style") is not None:
        result.add(where, "<style>-Element (CSP style-src verbietet es)")
    for el in soup.find_all(True):
        for attr in el.attrs:
            if attr.lower() == "style":
                result.add(where, f"style-Attribut an <{el.name}> (CSP style-src verbietet es)")
            elif attr.lower().startswith("on"):
                result.add(where, f"Event-Handler {attr}= an <{el.name}> (Inline-Skript)")
        for attr in ("href", "src", "action", "formaction"):
            value = el.get(attr)
            if isinstance(value, str) and value.strip().lower().startswith("javascript:"):
                result.add(where, f"javascript:-URL an <{el.name}>")


def run(site: Site, providers: tuple[str, ...] | None = None) -> GateResult:
    """Check the head and body of every HTML file (fragments: the body).

    ``providers``: origins that may be framed after consent; by default those of the embed
    providers the site's plugins register (``magazin.consent.frame_origins``), the very list
    the build writes into the CSP's ``frame-src``.
    """
    if providers is None:
        providers = frame_origins(site.settings)
    result = GateResult(NAME)
    result.checked = len(site.html_files)
    for path in site.html_files:
        check_page(site, path, result, providers)
    return result
