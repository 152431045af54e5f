"""Full-text search (plugins/magazin/search): index contents, markup, the safe build, and Chromium
typing into /suche/ under the site's Content-Security-Policy."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from conftest import FIXTURES, as_read, build_site, copy_fixture, page, serve_directory
from magazin.core.build import BuildFailed

DRAFT_WORD = "Zwiebelturmflansch"
CHROME_TEXT = [  # header, navigation, footer, article chrome: never in the index
    "Zum Inhalt springen",
    "Folgen Sie uns",
    "Neue Artikel per Feedreader abonnieren",
    "setzt keine Cookies",
    "Über das Magazin",
    "Min. Lesezeit",
    "Älterer Artikel",
    "Neuerer Artikel",
    "Schreibt über Werkstoffe",  # author box
]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("search") / "output"
    build_site(FIXTURES / "search" / "content", out)
    return out


def _decoded(path: Path) -> bytes:
    data = gzip.decompress(path.read_bytes())
    assert data.startswith(b"pagefind_dcd")
    return data[len(b"pagefind_dcd") :]


def fragments(site: Path) -> list[dict]:
    return [json.loads(_decoded(p)) for p in sorted((site / "pagefind" / "fragment").glob("*.pf_fragment"))]


def test_index_holds_published_articles_and_pages_only(site):
    urls = sorted(f["url"] for f in fragments(site))
    assert urls == [
        "/datenschutz/",
        "/impressum/",
        "/qualitaetssicherung/das-abnahmepruefzeugnis-3-1-lesen/",
        "/technik/der-vorschweissflansch-im-rohrleitungsbau/",
        "/technik/pressfitting-richtig-montieren/",
        "/technik/warum-1-4404-die-erste-wahl-ist/",
    ]
    # The draft was built (dev settings) but carries no index marker.
    draft = page(site, "/entwuerfe/ein-entwurf-der-noch-nicht-oeffentlich-ist/")
    assert draft.select("[data-pagefind-body]") == []


def test_index_has_no_navigation_footer_or_draft_text(site):
    for fragment in fragments(site):
        for text in CHROME_TEXT:
            assert text not in as_read(fragment["content"]), (fragment["url"], text)
        assert DRAFT_WORD not in fragment["content"]
    for chunk in (site / "pagefind" / "index").glob("*.pf_index"):
        assert DRAFT_WORD.lower().encode() not in _decoded(chunk).lower()


def test_index_metadata_and_filters(site):
    by_url = {f["url"]: f for f in fragments(site)}
    article = by_url["/technik/warum-1-4404-die-erste-wahl-ist/"]
    assert article["meta"]["title"] == "Warum 1.4404 die erste Wahl ist"
    assert article["meta"]["abteilung"] == "Technik & Anwendung"
    assert article["meta"]["datum"]
    assert article["filters"]["Typ"] == ["Artikel"]
    assert article["filters"]["Abteilung"] == ["Technik & Anwendung"]
    video = by_url["/technik/pressfitting-richtig-montieren/"]
    assert sorted(video["filters"]["Typ"]) == ["Artikel", "Video"]
    assert by_url["/impressum/"]["filters"]["Typ"] == ["Seite"]
    # Unused default UIs are not shipped.
    assert not (site / "pagefind" / "pagefind-ui.js").exists()
    assert (site / "pagefind" / "pagefind.js").is_file()


def test_search_page_and_header_form_work_without_javascript(site):
    search = page(site, "/suche/")
    form = search.select_one("form.search__form")
    assert form["action"] == "/suche/" and form["method"] == "get"
    assert form.select_one("input[name=q]") is not None
    noscript = search.find("noscript")
    assert noscript is not None and "JavaScript" in noscript.get_text()
    assert "/archiv/" in [a["href"] for a in noscript.find_all("a")]
    assert search.select_one("script[src$='/theme/js/suche.js']") is not None
    assert search.select("[style]") == []
    assert search.select("script:not([src]):not([type='application/ld+json'])") == []
    for url in ("/", "/technik/warum-1-4404-die-erste-wahl-ist/", "/archiv/"):
        header_form = page(site, url).select_one(".site-header form[role=search]")
        assert header_form["action"] == "/suche/" and header_form["method"] == "get"
        assert header_form.select_one("input[name=q]") is not None
    # Listing pages are not indexed (they would duplicate every article).
    assert page(site, "/").select("[data-pagefind-body]") == []


def test_failed_index_build_fails_the_build_and_keeps_output(tmp_path, monkeypatch):
    from magazin.search import indexer as search_indexer

    out = tmp_path / "output"
    out.mkdir()
    (out / "alt.txt").write_text("bisherige Website", encoding="utf-8")
    monkeypatch.setattr(search_indexer, "pagefind_executable", lambda: "/bin/false")
    with pytest.raises(BuildFailed) as info:
        build_site(FIXTURES / "search" / "content", out)
    assert any("Suchindex" in problem for problem in info.value.problems)
    assert (out / "alt.txt").read_text(encoding="utf-8") == "bisherige Website"
    assert not (out / "pagefind").exists()


SPLIT_TOKEN = re.compile(r"[^\W\d_]+_[^\W\d_]+")


def test_compounds_are_indexed_with_parts_and_tokens_restore_to_the_words(site):
    from magazin.search.compounds import restore_text

    by_url = {f["url"]: f for f in fragments(site)}
    flansch = by_url["/technik/der-vorschweissflansch-im-rohrleitungsbau/"]
    # Pagefind keeps the index tokens in its fragments; the search page shows their words.
    assert restore_text(flansch["meta"]["title"]) == "Der Vorschweißflansch im Rohrleitungsbau"
    assert "Ein Vorschweißflansch wird stumpf an die Leitung geschweißt." in restore_text(flansch["content"])
    anchors = [restore_text(a["text"]) for a in flansch["anchors"] if a["element"] == "h2"]
    assert anchors == ["Die Schweißnaht prüfen"]
    for fragment in by_url.values():
        texts = [
            fragment["content"],
            *fragment["meta"].values(),
            *(a.get("text") or "" for a in fragment["anchors"]),
        ]
        for text in texts:
            restored = restore_text(text)
            assert not SPLIT_TOKEN.search(restored), (fragment["url"], SPLIT_TOKEN.search(restored).group(0))
    # Filter values are never split.
    assert flansch["filters"]["Abteilung"] == ["Technik & Anwendung"]
    # The published page itself is untouched.
    assert (
        "Vorschweißflansch_"
        not in (site / "technik/der-vorschweissflansch-im-rohrleitungsbau/index.html").read_text()
    )
    words = b"".join(_decoded(chunk) for chunk in (site / "pagefind" / "index").glob("*.pf_index"))
    for whole, part in ((b"vorschweissflansch", b"schweissflansch"), (b"edelstahlrohr", b"stahlrohr")):
        assert part in words.replace(whole, b""), part  # the part is a word of its own


def test_video_placeholder_and_consent_controls_stay_out_of_the_index(site):
    by_url = {f["url"]: f for f in fragments(site)}
    from magazin.search.compounds import restore_text

    video = by_url["/technik/pressfitting-richtig-montieren/"]
    assert "Montagevideo: Pressfitting mit der Presszange verpressen." in restore_text(video["content"])
    assert "Rohre verpressen in 90 Sekunden" not in video["content"]  # the poster's title
    assert "laden" not in video["content"]  # the consent button
    privacy = by_url["/datenschutz/"]
    assert "widerrufen" not in privacy["content"]  # the consent manager's controls


def test_decompounder_parts():
    from magazin.search.compounds import Decompounder, restore_text

    d = Decompounder.from_texts(["Von Jürgen Weiß über Stahlsorten, Werkstoffe und das Prüfzeugnis."])
    assert d.parts("Abnahmeprüfzeugnis") == ["prüfzeugnis", "zeugnis"]
    assert d.parts("Edelstahlrohren") == ["stahlrohren", "rohren"]
    assert d.parts("Vorschweißflansch") == ["schweißflansch", "flansch"]  # not "weißflansch"
    assert d.parts("Qualitätssicherung") == ["sicherung"]  # linking s, no "ssicherung"
    assert d.parts("Flanschverbindung") == ["verbindung"]
    assert d.parts("Schweißnaht") == ["naht"]
    assert d.parts("Werkstoff") == ["stoff"]
    for plain in ("Temperatur", "Molkereien", "Verarbeitung", "Rohr", "Steine", "Beratung"):
        assert d.parts(plain) == [], plain
    text = "Das Abnahmeprüfzeugnis (für Edelstahlrohre) und file_name."
    split = d.split_text(text)
    assert "Abnahmeprüfzeugnis_prüfzeugnis_zeugnis" in split and "file_name" in split
    assert restore_text(split) == text
    assert d.compounds() == {"Abnahmeprüfzeugnis", "Edelstahlrohre"}


def test_split_html_keeps_markup_code_and_filter_values():
    from magazin.search.compounds import Decompounder, split_html

    html = (
        '<main data-pagefind-body data-pagefind-filter="Typ:Artikel"><p data-pagefind-filter="Abteilung">'
        'Qualitätssicherung</p><h1 data-pagefind-meta="title">Edelstahlrohr &amp; Flansch</h1>'
        '<img src="a.png" alt="Edelstahlrohr"><code>Edelstahlrohr</code><!-- Edelstahlrohr -->'
        "<pre><code>Edelstahlrohr</code></pre><p>Das Edelstahlrohr<br></p></main>"
    )
    assert split_html(html, Decompounder()) == html.replace(
        ">Edelstahlrohr &amp;", ">Edelstahlrohr_stahlrohr_rohr &amp;"
    ).replace("Das Edelstahlrohr<", "Das Edelstahlrohr_stahlrohr_rohr<")


def test_indexed_element_is_cut_from_the_page():
    from magazin.search.indexer import indexed_element

    html = (
        '<!doctype html><html lang="de"><body><nav>Menü</nav><article class="a" data-pagefind-body>'
        "<h1>Titel</h1><article><p>Karte</p></article><p>Text</p></article>"
        "<aside>Ähnliche Artikel</aside></body></html>"
    )
    assert indexed_element(html) == (
        "de",
        '<article class="a" data-pagefind-body><h1>Titel</h1><article><p>Karte</p></article>'
        "<p>Text</p></article>",
    )
    assert indexed_element("<html><body><p>Liste</p></body></html>") is None


def test_compound_splitting_can_be_switched_off(tmp_path):
    from magazin.search.compounds import restore_text
    from magazin.search.indexer import index_site

    html = (
        '<!doctype html><html lang="de"><body><main data-pagefind-body><h1>Flanschkunde</h1>'
        "<p>Ein Vorschweißflansch.</p></main></body></html>"
    )
    for compounds in (True, False):
        site = tmp_path / str(compounds)
        (site / "a").mkdir(parents=True)
        (site / "a" / "index.html").write_text(html, encoding="utf-8")
        stats = index_site(site, compounds=compounds)
        assert stats.pages == 1 and (stats.compounds > 0) is compounds
        words = b"".join(_decoded(c) for c in (site / "pagefind" / "index").glob("*.pf_index"))
        assert (b"schweissflansch" in words.replace(b"vorschweissflansch", b"")) is compounds
        [fragment] = fragments(site)
        assert fragment["url"] == "/a/"
        assert restore_text(fragment["content"]) == "Flanschkunde. Ein Vorschweißflansch."
        assert ("_" in fragment["content"]) is compounds


def test_searchable_rule():
    from magazin.search.search import has_class, is_searchable

    class Item:
        status = "published"

    assert is_searchable(Item())
    assert not is_searchable(Item(), banner="<p>Entwurf – noch nicht freigegeben</p>")
    hidden = Item()
    hidden.status = "draft"
    assert not is_searchable(hidden)
    held = Item()
    held.search_index = False
    assert not is_searchable(held)
    assert has_class('<div class="embed video">x</div>', "video")
    assert not has_class('<p class="videos">Video</p>', "video")


# --- Chromium -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(site):
    with serve_directory(site) as origin:
        yield origin


@pytest.fixture
def tab(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.foreign_requests = []
    tab.errors = []
    tab.on("request", lambda r: None if r.url.startswith(server) else tab.foreign_requests.append(r.url))
    tab.on("console", lambda m: tab.errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: tab.errors.append(str(e)))
    yield tab
    context.close()


def _search(tab, server, query: str):
    tab.goto(f"{server}/suche/")
    tab.wait_for_selector("#suche.search--ready", timeout=10_000)
    tab.fill("#search-q", query)
    # locator assertions poll without eval(): wait_for_function would trip the strict CSP
    expect(tab.locator("#search-status")).to_contain_text(query, timeout=10_000)


def _titles(tab) -> list[str]:
    return tab.locator(".search-result__title").all_inner_texts()


def test_typing_finds_article_and_department_filter_narrows(tab, server):
    _search(tab, server, "1.4404")
    titles = _titles(tab)
    assert titles[0] == "Warum 1.4404 die erste Wahl ist"
    assert "Das Abnahmeprüfzeugnis 3.1 lesen" in titles
    assert not any("Entwurf" in t for t in titles)
    first = tab.locator(".search-result").first
    assert "Technik & Anwendung" in first.locator(".search-result__kicker").text_content()
    assert first.locator("mark").count() >= 1
    assert len(titles) > 1
    tab.locator(".search__option", has_text="Qualitätssicherung").click()
    expect(tab.locator(".search-result")).to_have_count(1, timeout=10_000)
    assert _titles(tab) == ["Das Abnahmeprüfzeugnis 3.1 lesen"]
    assert "q=1.4404" in tab.url
    assert tab.foreign_requests == []
    assert tab.errors == []  # includes CSP violations


def test_draft_word_finds_nothing(tab, server):
    _search(tab, server, DRAFT_WORD)
    assert _titles(tab) == []
    assert "Keine Treffer" in tab.inner_text("#search-status")


def test_german_words_and_heading_links(tab, server):
    _search(tab, server, "Edelstahlrohr")  # prefix of "Edelstahlrohre"
    assert _titles(tab)[0] == "Warum 1.4404 die erste Wahl ist"
    section = tab.locator(".search-result__sections a").first
    assert section.get_attribute("href").endswith("#edelstahlrohre-im-lebensmittelbereich")
    _search(tab, server, "prufzeugnis")  # umlaut typed without dots
    assert "Das Abnahmeprüfzeugnis 3.1 lesen" in _titles(tab)
    assert tab.errors == []


def _excerpts(tab) -> list[str]:
    return tab.locator(".search-result__excerpt").all_inner_texts()


def test_compound_words_found_by_their_parts(tab, server):
    _search(tab, server, "Prüfzeugnis")  # the 1.4404 article says only "Abnahmeprüfzeugnis"
    assert "Warum 1.4404 die erste Wahl ist" in _titles(tab)
    marks = tab.locator(".search-result mark").all_inner_texts()
    assert "Abnahmeprüfzeugnis" in marks
    _search(tab, server, "Rohr")  # only "Edelstahlrohre" in that article
    assert "Warum 1.4404 die erste Wahl ist" in _titles(tab)
    _search(tab, server, "Flansch")  # "Vorschweißflansch", "Flanschverbindung"; the draft stays out
    assert _titles(tab) == ["Der Vorschweißflansch im Rohrleitungsbau"]
    first = tab.locator(".search-result").first
    assert "Vorschweißflansch" in first.locator(".search-result__excerpt mark").all_inner_texts()
    _search(tab, server, "schweissnaht")  # ß typed as ss
    assert "Der Vorschweißflansch im Rohrleitungsbau" in _titles(tab)
    assert "Pressfitting richtig montieren" in _titles(tab)
    _search(tab, server, "prufzeugnis")
    assert "Warum 1.4404 die erste Wahl ist" in _titles(tab)
    texts = _excerpts(tab) + tab.locator(".search-result__sections").all_inner_texts()
    assert not any(SPLIT_TOKEN.search(t) for t in texts), texts
    assert tab.foreign_requests == [] and tab.errors == []


def test_video_filter_and_header_field(tab, server):
    tab.goto(f"{server}/technik/warum-1-4404-die-erste-wahl-ist/")
    tab.fill("#header-search-q", "Pressfitting")
    tab.press("#header-search-q", "Enter")
    tab.wait_for_url("**/suche/?q=Pressfitting")
    tab.wait_for_selector(".search-result", timeout=10_000)
    first = tab.locator(".search-result").first
    assert first.locator(".search-result__title").inner_text() == "Pressfitting richtig montieren"
    assert first.locator(".search-result__badge").text_content() == "Video"
    tab.fill("#search-q", "")
    tab.locator(".search__option", has_text="Video").click()
    expect(tab.locator(".search-result")).to_have_count(1, timeout=10_000)
    assert _titles(tab) == ["Pressfitting richtig montieren"]
    assert tab.foreign_requests == [] and tab.errors == []


def test_what_the_reader_types_while_the_search_loads_is_kept(browser, server):
    """Typing right after ``load`` at human speed, while Pagefind is still loading (its
    files are held back 1.5 s): the field keeps every letter and the search runs for it."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()

    def slow(route):
        tab.wait_for_timeout(1500)
        route.continue_()

    tab.route("**/pagefind/**", slow)
    tab.goto(f"{server}/suche/", wait_until="load")
    tab.locator("#search-q").press_sequentially("Spülgas", delay=120)
    assert "search--ready" not in (tab.get_attribute("#suche", "class") or "")  # typed before ready
    expect(tab.locator("#search-status")).to_contain_text("„Spülgas“", timeout=15_000)
    assert tab.input_value("#search-q") == "Spülgas"
    assert _titles(tab) == ["Der Vorschweißflansch im Rohrleitungsbau"]
    assert "q=Sp%C3%BClgas" in tab.url
    context.close()


def test_query_without_a_real_match_says_keine_treffer(tab, server):
    _search(tab, server, "xyzzq")  # Pagefind alone would answer with matches of "X"
    assert "Keine Treffer" in tab.inner_text("#search-status")
    assert _titles(tab) == []
    _search(tab, server, "Flansche")  # a stem is a real match
    assert _titles(tab) == ["Der Vorschweißflansch im Rohrleitungsbau"]


def test_excerpts_show_article_text_with_ellipses_at_cut_sentences(tab, server):
    _search(tab, server, "Presszange")
    [excerpt] = _excerpts(tab)
    assert "laden" not in excerpt and "Rohre verpressen in 90 Sekunden" not in excerpt
    assert "Montagevideo" in excerpt
    assert excerpt.startswith("… ")  # the excerpt starts inside the text
    _search(tab, server, "Sichtprüfung")
    excerpt = _excerpts(tab)[0]
    assert excerpt.startswith("… ") or excerpt.startswith("Der Vorschweißflansch")
    assert excerpt.endswith(" …") or excerpt.rstrip().endswith((".", "!", "?"))
    assert tab.foreign_requests == [] and tab.errors == []


def test_unchanged_pages_reuse_the_cached_index(site, tmp_path):
    """Same indexed elements → the bundle comes from the build cache (hard links to the
    cached files, Pagefind writes nothing); an edited article → Pagefind writes anew."""

    def inodes(out: Path) -> dict:
        return {p.relative_to(out): p.stat().st_ino for p in (out / "pagefind").rglob("*") if p.is_file()}

    def runs(out: Path) -> int:  # 0: the first build's bundle (linked from the cache), 1: new
        return int(inodes(out) != inodes(site))

    cache = str(site.parent / "cache")
    again = tmp_path / "output"
    build_site(FIXTURES / "search" / "content", again, CACHE_PATH=cache)
    assert runs(again) == 0
    before = {p.relative_to(site): p.read_bytes() for p in (site / "pagefind").rglob("*") if p.is_file()}
    after = {p.relative_to(again): p.read_bytes() for p in (again / "pagefind").rglob("*") if p.is_file()}
    assert before and before == after
    # another site title changes no indexed element: still the cached bundle
    build_site(FIXTURES / "search" / "content", tmp_path / "title", CACHE_PATH=cache, SITENAME="Anderes")
    assert runs(tmp_path / "title") == 0
    # an edited article: Pagefind writes again, and finds the new word
    content = copy_fixture("search", tmp_path / "edited")
    article = content / "articles" / "technik" / "vorschweissflansch.md"
    text = article.read_text(encoding="utf-8") + "\nDazu passt ein Losflansch.\n"
    article.write_text(text, encoding="utf-8")
    changed = tmp_path / "changed"
    build_site(content, changed, CACHE_PATH=cache)
    assert runs(changed) == 1
    assert any("Losflansch" in f["content"] for f in fragments(changed))


def test_a_page_added_after_pagefind_started_is_indexed_too(tmp_path):
    """``SiteIndex.start`` lets Pagefind begin early; a searchable page that arrives later
    makes ``finish`` index again, so it is never missing from the bundle."""
    from magazin.search.indexer import SiteIndex

    site = tmp_path / "site"
    site.mkdir()
    page = (
        '<!doctype html><html lang="de"><body><main data-pagefind-body><h1>{}</h1><p>{}</p></main>'
        "</body></html>"
    )
    index = SiteIndex(site, decompounder=None)
    assert index.add("a/index.html", page.format("Flansche", "Vorschweißflansch und Blindflansch."))
    index.start()
    assert index.add("b/index.html", page.format("Spätzünder", "Der Kugelhahn kam zuletzt."))
    assert not index.add("c/index.html", "<!doctype html><html><body><p>Liste</p></body></html>")
    stats = index.finish()
    assert stats.pages == 2
    urls = sorted(f["url"] for f in fragments(site))
    assert urls == ["/a/", "/b/"]
    assert any("Kugelhahn" in f["content"] for f in fragments(site))
    assert not list(tmp_path.glob(".site-suchindex-*"))  # the work folder is gone
