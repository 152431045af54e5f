"""Gate "Accessibility": axe-core (the ``axe-playwright-python`` package ships it) in Chromium
on one page of every kind (home, an article – one with a video if there is one –, department,
author, topic, overviews, social-media, signature, privacy …), in light and dark mode:
0 violations of impact serious or critical. Then a keyboard walk-through: the first consent
button of an embed is reached with Tab, shows a visible focus, and Enter loads the player.
"""

from __future__ import annotations

import contextlib

from .browser import Browser, serve, start_url
from .core import GateResult, Site, ToolMissing

NAME = "Barrierefreiheit (axe)"
FAILING_IMPACTS = ("serious", "critical")
# An embed's consent control: a button inside an element that names the embed or the consent.
CONSENT_CONTAINER = ", ".join(
    f"{sel}:not(html):not(body):not(main)"
    for sel in (
        "[data-consent]",
        "[data-embed]",
        "[data-video]",
        "[data-provider]",
        "[class*='consent']",
        "[class*='embed']",
        "[class*='video']",
    )
)
CONSENT_CONTROL = ", ".join(
    f"{c.strip()} {el}" for c in CONSENT_CONTAINER.split(",") for el in ("button", "[role='button']")
)
# An article "with video": one that embeds something (consent control, iframe, video element).
EMBED_IN_MAIN = f"main iframe, main video, {CONSENT_CONTROL}"
FIXED_PAGES = [
    ("Abteilungen", "/abteilungen/"),
    ("Themen", "/themen/"),
    ("Autoren", "/autoren/"),
    ("Archiv", "/archiv/"),
    ("Social Media", "/social-media/"),
    ("Signatur", "/social-media/signatur/"),
    ("Videos", "/videos/"),
    ("Datenschutz", "/datenschutz/"),
    ("Impressum", "/impressum/"),
    ("Suche", "/suche/"),
]


def _axe():
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        raise ToolMissing("axe-playwright-python (axe-core) ist nicht installiert") from None
    return Axe()


def representative_pages(site: Site) -> list[tuple[str, str]]:
    """(kind, site path) of one page per kind, those the sitemap lists."""
    listed = [u for u, _ in site.sitemap_pages]
    files = dict(site.sitemap_pages)
    chosen: list[tuple[str, str]] = []
    if "/" in listed:
        chosen.append(("Startseite", "/"))
    articles = []
    for url in listed:
        soup = site.soup(files[url])
        og = soup.find("meta", property="og:type")
        if og is not None and og.get("content") == "article":
            articles.append(url)
    with_video = [u for u in articles if site.soup(files[u]).select_one(EMBED_IN_MAIN) is not None]
    if articles:
        article = (with_video or articles)[0]
        chosen.append(("Artikel mit Video" if with_video else "Artikel", article))
        department = article.rstrip("/").rsplit("/", 1)[0] + "/"
        if department in listed:
            chosen.append(("Abteilung", department))
    for kind, prefix in (("Autor", "/autoren/"), ("Thema", "/themen/")):
        deeper = [u for u in listed if u.startswith(prefix) and u != prefix and "/page/" not in u]
        if deeper:
            chosen.append((kind, deeper[0]))
    chosen += [(kind, url) for kind, url in FIXED_PAGES if url in listed]
    return chosen


def consent_pages(site: Site) -> list[str]:
    """Sitemap pages that contain an embed's consent control."""
    found = [u for u, f in site.sitemap_pages if site.soup(f).select_one(CONSENT_CONTROL) is not None]
    articles = [
        u for u, f in site.sitemap_pages if site.soup(f).find("meta", property="og:type", content="article")
    ]
    return sorted(found, key=lambda u: u not in articles)  # an article's embed first


def axe_page(axe, page, url: str, scheme: str, result: GateResult) -> None:
    response = axe.run(page).response
    for violation in response["violations"]:
        if violation.get("impact") not in FAILING_IMPACTS:
            continue
        targets = "; ".join(
            " ".join(n["target"]) if isinstance(n["target"], list) else str(n["target"])
            for n in violation["nodes"][:3]
        )
        more = f" (+{len(violation['nodes']) - 3})" if len(violation["nodes"]) > 3 else ""
        result.add(
            f"{url} [{scheme}]",
            f"{violation['id']} ({violation['impact']}): {violation['help']} – {targets}{more}",
        )


FOCUS_JS = """(sel) => {
  const el = document.activeElement;
  if (!el || !el.matches(sel)) return null;
  const s = getComputedStyle(el);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
  return {visible: outline || s.boxShadow !== 'none', text: el.textContent.trim().slice(0, 60)};
}"""


def keyboard_consent(page, url: str, address: str, result: GateResult, max_tabs: int = 150) -> None:
    """Tab to the first consent control, check its focus is visible, press Enter: a player appears."""
    page.goto(address, wait_until="load")
    page.locator("body").focus()
    found = None
    for _ in range(max_tabs):
        page.keyboard.press("Tab")
        found = page.evaluate(FOCUS_JS, CONSENT_CONTROL)
        if found is not None:
            break
    if found is None:
        result.add(
            url, f"Einwilligungs-Schaltfläche ist per Tabulator nicht erreichbar ({max_tabs} Schritte)"
        )
        return
    if not found["visible"]:
        result.add(url, f"Einwilligungs-Schaltfläche „{found['text']}“ zeigt keinen sichtbaren Fokus")
    before = page.evaluate("() => document.querySelectorAll('iframe').length")
    result.notes.append(f"Tastatur: „{found['text']}“ auf {url} erreicht, Enter gedrückt")
    page.keyboard.press("Enter")
    try:
        page.wait_for_function(f"() => document.querySelectorAll('iframe').length > {before}", timeout=3000)
    except Exception:
        result.add(url, f"Enter auf „{found['text']}“ lädt keinen Player (kein <iframe>)")


def run(
    site: Site,
    browser: Browser,
    origin: str | None = None,
    *,
    all_pages: bool = False,
    schemes: tuple[str, ...] = ("light", "dark"),
) -> GateResult:
    result = GateResult(NAME)
    axe = _axe()
    pages = [("Seite", u) for u, _ in site.sitemap_pages] if all_pages else representative_pages(site)
    consent = consent_pages(site)
    result.checked = len(pages)
    with serve(site.output) if origin is None else contextlib.nullcontext(origin) as origin:
        for scheme in schemes:
            ctx = browser.context(site, origin, color_scheme=scheme)
            try:
                page = ctx.new_page()
                for _, url in pages:
                    page.goto(start_url(site, origin, url), wait_until="load")
                    axe_page(axe, page, url, scheme, result)
                if scheme == schemes[0] and consent:
                    keyboard_consent(page, consent[0], start_url(site, origin, consent[0]), result)
            finally:
                ctx.close()
    if not consent:
        result.notes.append("keine Einbettung mit Einwilligung gefunden: Tastatur-Test entfällt")
    return result
