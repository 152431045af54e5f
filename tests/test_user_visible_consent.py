"""The consent component as the reader meets it before any click, without a site build.

What a reader's browser gets from ``plugins/magazin/consent``: the placeholder (no frame, no
third-party address anywhere the browser would load it, the German notice, the links), the
privacy page's revoke control and provider sections, the CSP's ``frame-src``, the script only
on pages that need it, and German ``datei:zeile`` messages for bad embeds. The real providers
are the ones the listed plugins register (YouTube, X).
"""

from __future__ import annotations

import logging
import uuid
from pathlib import Path
from types import SimpleNamespace

import markdown
import pytest
from bs4 import BeautifulSoup
from jinja2 import Environment
from markupsafe import Markup
from pelican import signals

from conftest import SETTINGS
from magazin.consent import (
    MANAGER_MARKER,
    PROVIDERS_MARKER,
    ConsentManagerExtension,
    EmbedError,
    Provider,
    add_provider,
    add_url_check,
    content_security_policy,
    frame_origins,
    privacy_markdown,
    privacy_url,
    provider,
    providers,
    record_embed,
    registry,
    render_manager,
    render_placeholder,
    source_path,
    url_problems,
    where,
)
from magazin.consent import plugin as consent_plugin
from magazin.consent import reader as consent_reader
from magazin.core.build import read_magazine_settings
from magazin.core.errors import ContentErrors
from magazin.youtube.embed import PROVIDER as YOUTUBE

VIDEO = "https://www.youtube-nocookie.com/embed/Mq3vT8kLp2E?start=90"
BEISPIEL = Provider(
    key="beispiel",
    name="Beispiel & Co",
    transfer="Beim Laden erfährt Beispiel Ihre IP-Adresse.",
    frame_origins=("https://player.beispiel.example/", "https://www.youtube-nocookie.com"),
    privacy_policy="https://beispiel.example/datenschutz",
    privacy_heading="Beispiel-Videos",
    privacy_text="  Wir binden Videos von Beispiel ein.\n",
)


def _placeholder(**extra) -> BeautifulSoup:
    html = render_placeholder(
        provider=YOUTUBE,
        src=VIDEO,
        title="YouTube-Video: Montage",
        fallback_url="https://www.youtube.com/watch?v=Mq3vT8kLp2E&t=90s",
        privacy_url="/datenschutz/#einwilligungen",
        **extra,
    )
    assert isinstance(html, Markup)
    return BeautifulSoup(str(html), "lxml").figure


# --- the placeholder -------------------------------------------------------------------------------


def test_the_poster_placeholder_loads_nothing_before_the_click():
    poster = Markup('<img src="/videos/poster/Mq3vT8kLp2E-480.jpg" alt="">')
    figure = _placeholder(
        poster=poster, heading="Montage <live>", caption="Ein Pressfitting", allow="autoplay"
    )
    assert figure["class"] == ["consent", "consent--youtube"]
    assert figure["data-consent"] == "youtube" and figure["data-consent-name"] == "YouTube"
    assert figure["data-consent-src"] == VIDEO and figure["data-consent-title"] == "YouTube-Video: Montage"
    assert figure["data-consent-allow"] == "autoplay"
    assert not figure.has_attr("data-consent-src-play") and not figure.has_attr("id")
    assert not figure.has_attr("data-consent-resize")
    assert not figure.find("iframe") and not figure.find("script")
    loaded = [t.get("src") or "" for t in figure.find_all(src=True)]
    assert loaded == ["/videos/poster/Mq3vT8kLp2E-480.jpg"]  # only our own poster
    stage = figure.select_one("[data-consent-stage]")
    link = stage.select_one("a.consent__poster[data-consent-poster]")
    assert link["href"] == "https://www.youtube.com/watch?v=Mq3vT8kLp2E&t=90s"
    assert link.select_one(".consent__heading").get_text() == "Montage <live>"
    assert link.select_one(".consent__heading")["aria-hidden"] == "true"
    button = stage.select_one("button.consent__load[data-consent-load]")
    assert button.has_attr("hidden") and button["type"] == "button"
    assert button.get_text() == "Video laden: Montage <live>"
    assert button.select_one("svg.consent__play")["aria-hidden"] == "true"
    notice = figure.select_one(".consent__notice")
    assert notice.has_attr("data-pagefind-ignore") and not notice.has_attr("hidden")
    text = notice.select_one("p.consent__text")
    assert text.get_text() == f"YouTube. {YOUTUBE.transfer} Mehr in der Datenschutzerklärung."
    assert text.select_one("a")["href"] == "/datenschutz/#einwilligungen"
    always = notice.select_one("label.consent__always")
    assert always.has_attr("hidden") and always.get_text() == " YouTube immer erlauben"
    assert always.select_one("input[type=checkbox]").has_attr("data-consent-always")
    external = notice.select_one("a.consent__external")
    assert external["href"] == link["href"] and external["rel"] == ["noopener"]
    assert external.get_text() == "Video auf YouTube ansehen"
    assert figure.select_one("figcaption.consent__caption").get_text() == "Ein Pressfitting"


def test_the_content_placeholder_shows_the_card_and_hides_what_needs_the_script():
    card = Markup('<article class="post-card"><a href="https://x.com/a/status/1">Original</a></article>')
    figure = _placeholder(
        content=card,
        classes=("consent--wide",),
        src_play=VIDEO + "&autoplay=1",
        resize_origin="https://platform.twitter.com",
        element_id="beitrag-1",
    )
    assert figure["class"] == ["consent", "consent--youtube", "consent--content", "consent--wide"]
    assert figure["id"] == "beitrag-1" and figure["data-consent-resize"] == "https://platform.twitter.com"
    assert figure["data-consent-src-play"] == VIDEO + "&autoplay=1"
    assert str(figure.select_one("[data-consent-stage] article")) == str(card)
    assert not figure.select("a.consent__poster, a.consent__external, figcaption")
    notice = figure.select_one(".consent__notice")
    assert notice.has_attr("hidden") and notice.has_attr("data-consent-js")
    button = notice.select_one("button.consent__load-inline[data-consent-load]")
    assert button.has_attr("hidden") and button.get_text() == "Video laden"
    assert notice.select_one("label.consent__always").has_attr("hidden")
    plain = _placeholder(classes=("consent--wide",))
    assert plain["class"] == ["consent", "consent--youtube", "consent--wide"]
    assert plain.select_one("button.consent__load").get_text() == "Video laden: YouTube-Video: Montage"
    assert not plain.select(".consent__heading")


def test_every_value_is_escaped():
    figure = _placeholder(heading='"><script>x()</script>', caption="<img src=x onerror=y()>")
    assert not figure.find("script") and not figure.find("img")
    html = str(
        render_placeholder(
            provider=BEISPIEL,
            src='https://x/"><iframe src="https://evil.example/">',
            title="<b>T</b>",
            fallback_url='javascript:alert(1)"',
            privacy_url="/d/",
        )
    )
    assert "<iframe" not in html and "<b>" not in html and 'alert(1)"' not in html
    assert "Beispiel &amp; Co." in html


# --- the privacy page -------------------------------------------------------------------------------


def test_the_revoke_control_lists_each_provider():
    control = BeautifulSoup(str(render_manager({"youtube": YOUTUBE, "beispiel": BEISPIEL})), "lxml").section
    assert control["id"] == "einwilligungen" and control.has_attr("data-consent-manager")
    assert control["aria-labelledby"] == "einwilligungen-titel"
    assert control.select_one("h3#einwilligungen-titel").get_text() == "Gespeicherte Einwilligungen"
    rows = control.select("li[data-consent-item]")
    assert [r["data-consent-item"] for r in rows] == ["youtube", "beispiel"]
    status = rows[1].select_one("[data-consent-status]")
    assert status["role"] == "status"
    assert status.get_text() == "Nicht dauerhaft erlaubt: Inhalte werden erst nach Ihrem Klick geladen."
    revoke = rows[1].select_one("button[data-consent-revoke]")
    assert revoke.has_attr("hidden") and revoke.get_text() == "Erlaubnis für Beispiel & Co widerrufen"
    assert "keine Einwilligung" in control.select_one("[data-consent-nojs]").get_text()
    assert [
        r["data-consent-item"] for r in BeautifulSoup(str(render_manager([YOUTUBE])), "lxml").select("li")
    ] == ["youtube"]


def test_the_provider_sections_of_the_privacy_page():
    quiet = Provider(key="still", name="Still", transfer="x")  # no heading: no section
    text = privacy_markdown({"beispiel": BEISPIEL, "still": quiet, "youtube": YOUTUBE})
    sections = text.split("\n\n## ")
    assert sections[0] == (
        "## Beispiel-Videos\n\nWir binden Videos von Beispiel ein.\n\n"
        "Mehr dazu in der [Datenschutzerklärung von Beispiel & Co](<https://beispiel.example/datenschutz>)."
    )
    assert sections[1].startswith(YOUTUBE.privacy_heading + "\n\n")
    assert len(sections) == 2
    no_policy = Provider(key="n", name="N", transfer="x", privacy_heading="N-Inhalte", privacy_text="Text.")
    assert privacy_markdown([no_policy]) == "## N-Inhalte\n\nText."
    assert privacy_markdown([quiet]) == ""


def test_the_markers_on_the_privacy_page():
    ext = ConsentManagerExtension({"beispiel": BEISPIEL})
    shown = f"```\n{PROVIDERS_MARKER}\n{MANAGER_MARKER}\n```\n"
    text = f"Einleitung.\n\n{PROVIDERS_MARKER}\n\n{MANAGER_MARKER}\n\n{shown}"
    html = markdown.markdown(text, extensions=["fenced_code", ext])
    doc = BeautifulSoup(html, "lxml")
    assert doc.find("h2").get_text() == "Beispiel-Videos"
    assert doc.select_one("section[data-consent-manager] li")["data-consent-item"] == "beispiel"
    assert doc.find("code").get_text() == f"{PROVIDERS_MARKER}\n{MANAGER_MARKER}\n"  # shown as code
    assert markdown.markdown("Nur Text.", extensions=[ConsentManagerExtension()]) == "<p>Nur Text.</p>"
    assert MANAGER_MARKER in markdown.markdown(f"Siehe {MANAGER_MARKER} hier.", extensions=[ext])


# --- the site's providers: CSP and registry ---------------------------------------------------------


# The magazine's first two embed plugins, named here so a newly listed provider changes nothing
TWO_PROVIDERS = {"PLUGINS": ["magazin.youtube", "magazin.posts"]}


def test_the_csp_frames_only_the_registered_providers(caplog):
    settings = read_magazine_settings(SETTINGS, TWO_PROVIDERS)
    policy = "default-src 'self'; frame-src {frame_src}"
    assert content_security_policy({**settings, "MAGAZINE_CSP": policy}) == (
        "default-src 'self'; frame-src https://www.youtube-nocookie.com https://platform.twitter.com"
    )
    custom = {**settings, "MAGAZINE_CSP": "frame-src RAHMEN", "CONSENT_CSP_TOKEN": "RAHMEN"}
    assert (
        content_security_policy(custom)
        == "frame-src https://www.youtube-nocookie.com https://platform.twitter.com"
    )
    assert content_security_policy({"PLUGINS": []}) == ""
    own = {"PLUGINS": []}
    add_provider(own, BEISPIEL)
    add_provider(own, YOUTUBE)
    assert frame_origins(own) == ("https://player.beispiel.example", "https://www.youtube-nocookie.com")
    assert provider(own, "beispiel") is BEISPIEL
    # a key of its own: Pelican's LimitFilter drops a warning already logged in this process
    missing = f"fehlt-{uuid.uuid4().hex[:8]}"
    changed = {
        **own,
        "CONSENT_PROVIDERS": {"beispiel": {"key": "anders", "name": "B"}, missing: {"name": "F"}},
    }
    with caplog.at_level(logging.WARNING):
        assert providers(changed)["beispiel"] == Provider(**{**BEISPIEL.__dict__, "name": "B"})
    assert (
        f"CONSENT_PROVIDERS nennt den Anbieter „{missing}“, den kein Plugin in PLUGINS anmeldet."
        in caplog.text
    )
    with pytest.raises(KeyError) as info:
        provider(own, "fehlt")
    assert "Kein Einbettungsanbieter „fehlt“ angemeldet (fehlt sein Plugin in PLUGINS?)" in str(info.value)


def test_url_rules_of_the_listed_plugins():
    settings = read_magazine_settings(SETTINGS)
    assert url_problems(settings, "https://www.heco.de/") == []
    (problem,) = url_problems(settings, "https://youtu.be/kurz")
    assert "11 Zeichen" in problem[0]
    own = {"PLUGINS": []}
    add_url_check(own, lambda url: ("Falsch.", "Richtig.") if "beispiel" in url else None)
    add_url_check(own, lambda url: None)
    assert url_problems(own, "https://beispiel.example/v/1") == [("Falsch.", "Richtig.")]
    assert registry(own).hooks_ran and registry({}).providers == {}


# --- the plugin: settings, script only where needed, privacy link ---------------------------------------


def test_configure_puts_the_frame_origins_into_the_policy_and_registers_the_markers():
    settings = read_magazine_settings(
        SETTINGS, {**TWO_PROVIDERS, "MAGAZINE_CSP": "frame-src {frame_src}; img-src 'self'"}
    )
    settings.pop("EMBED_REGISTRY", None)
    consent_plugin.configure(SimpleNamespace(settings=settings))
    assert settings["MAGAZINE_CSP"] == (
        "frame-src https://www.youtube-nocookie.com https://platform.twitter.com; img-src 'self'"
    )
    extensions = settings["MARKDOWN"]["extensions"]
    markers = [e for e in extensions if isinstance(e, ConsentManagerExtension)]
    assert len(markers) == 1 and list(markers[0].providers) == ["youtube", "x"]
    bare = read_magazine_settings(SETTINGS, {"MAGAZINE_CSP": ""})
    consent_plugin.configure(SimpleNamespace(settings=bare))
    assert bare["MAGAZINE_CSP"] == ""


def _render(generator, template: str, **context) -> str:
    return generator.env.from_string(template).render(**context)


def test_the_script_only_on_pages_with_a_placeholder_or_the_revoke_control():
    settings = {"PLUGINS": [], "CONSENT_PRIVACY_SLUG": "datenschutz"}
    add_provider(settings, BEISPIEL)
    generator = SimpleNamespace(settings=settings, env=Environment(autoescape=True))
    consent_plugin.add_globals(generator)
    assert generator.env.globals["CONSENT_PRIVACY_SLUG"] == "datenschutz"
    script = '<script src="/theme/consent/consent.js" defer></script>'
    with_video = SimpleNamespace(slug="montage", _content='<figure data-consent="youtube">')
    plain = SimpleNamespace(slug="montage", _content="<p>Text</p>")
    privacy = SimpleNamespace(slug="datenschutz", _content="<p>Text</p>")
    template = "{{ consent_assets() }}"
    base = {"SITEURL": "", "THEME_STATIC_DIR": "theme"}
    assert _render(generator, template, article=with_video, **base) == script
    assert _render(generator, template, page=privacy, **base) == script
    assert _render(generator, template, article=plain, **base) == ""
    assert _render(generator, template, article=SimpleNamespace(slug="x", _content=None), **base) == ""
    assert _render(generator, template, **base) == ""
    assert _render(generator, template, consent_needed=True, **base) == script  # e.g. the videos page
    assert _render(
        generator, template, consent_needed=True, SITEURL="https://m.example", THEME_STATIC_DIR="t"
    ) == ('<script src="https://m.example/t/consent/consent.js" defer></script>')
    manager = "{{ consent_manager(page) }}"
    placed = SimpleNamespace(slug="datenschutz", _content='<section data-consent-manager="">')
    assert _render(generator, manager, page=placed) == ""
    assert 'data-consent-item="beispiel"' in _render(generator, manager, page=privacy)
    assert 'data-consent-item="beispiel"' in _render(generator, "{{ consent_manager() }}")


def test_the_placeholders_link_to_the_revoke_control():
    assert privacy_url({}) == "/datenschutz/#einwilligungen"
    settings = {
        "SITEURL": "https://magazin.heco.de",
        "PAGE_URL": "seiten/{slug}.html",
        "CONSENT_PRIVACY_SLUG": "ds",
    }
    assert privacy_url(settings) == "https://magazin.heco.de/seiten/ds.html#einwilligungen"


# --- the reader: German datei:zeile messages for bad embeds -------------------------------------------------


def test_bad_embeds_name_the_file_and_line(tmp_path):
    from pelican.readers import Readers
    from pelican.settings import read_settings

    good = tmp_path / "gut.md"
    good.write_text(
        "Title: Gut\nDate: 2026-11-20\n\nText\n\nhttps://youtu.be/Mq3vT8kLp2E\n", encoding="utf-8"
    )
    bad = tmp_path / "kaputt.md"
    bad.write_text("Title: Kaputt\nDate: 2026-11-20\n\nText\n\nhttps://youtu.be/kurz\n", encoding="utf-8")
    settings = read_settings(str(SETTINGS), override={"PATH": str(tmp_path), "CACHE_CONTENT": False})
    from magazin.youtube.plugin import configure as youtube_configure

    consent_plugin.configure(SimpleNamespace(settings=settings))
    youtube_configure(SimpleNamespace(settings=settings))  # the embed extension the reader runs
    with signals.readers_init.muted():  # only this reader: earlier builds in the session connected theirs
        readers = Readers(settings)
    consent_reader.install_reader(readers)  # at readers_init, before Pelican makes each reader
    assert readers.reader_classes["markdown"] is consent_reader.EmbedMarkdownReader
    reader = readers.readers["md"] = readers.reader_classes["md"](settings)
    assert isinstance(reader, consent_reader.EmbedMarkdownReader)
    content, metadata = reader.read(str(good))
    assert [e.ref.video_id for e in metadata["embeds"]] == ["Mq3vT8kLp2E"] and "data-consent" in content
    content, metadata = reader.read(str(bad))
    assert content == "" and metadata["title"] == "Kaputt"
    (error,) = reader.embed_errors
    assert str(error).startswith(f"{bad}:6: ") and "11 Zeichen" in str(error)
    with pytest.raises(ContentErrors) as info:
        consent_reader.raise_embed_errors(SimpleNamespace(readers=readers))
    assert [str(e) for e in info.value.errors] == [str(error)]
    consent_reader.raise_embed_errors(SimpleNamespace(readers=SimpleNamespace(readers={})))  # nothing to say


def test_extensions_learn_the_file_being_read(tmp_path):
    path = tmp_path / "artikel.md"
    path.write_text("Title: A\n\nErste Zeile\nhttps://youtu.be/kurz\n", encoding="utf-8")
    md = markdown.Markdown()
    assert source_path(md) is None
    with consent_reader.reading(str(path)):
        assert source_path(md) == str(path)
        assert where(md, "youtu.be/kurz").endswith("artikel.md:4")
        assert where(md, "gibt es nicht").endswith("artikel.md")
    assert source_path(md) is None
    assert consent_reader.line_of(str(path), "Erste") == 3
    assert consent_reader.line_of(str(path), "") is None and consent_reader.line_of(None, "x") is None
    assert consent_reader.line_of(str(tmp_path / "fehlt.md"), "x") is None
    record_embed(md, "a")
    record_embed(md, "b")
    assert md.magazine_embeds == ["a", "b"]
    error = EmbedError("Meldung", "Nadel", "Tipp")
    assert (str(error), error.needle, error.hint) == ("Meldung", "Nadel", "Tipp")
    assert Path(consent_reader.__file__).name == "reader.py"


# --- the exact markup: the contract with consent.js, the stylesheet and the audit ------------------------

SIMPLE = Provider(
    key="beispiel", name="Beispiel & Co", transfer="Beim Laden erfährt Beispiel Ihre IP-Adresse."
)
POSTER_FORM = "".join(
    (
        '<figure class="consent consent--beispiel" data-consent="beispiel" ',
        'data-consent-name="Beispiel &amp; Co" ',
        'data-consent-src="https://player.beispiel.example/v/1" data-consent-title="Beispiel-Video: Rohre">',
        '<div class="consent__stage" data-consent-stage>',
        '<a class="consent__poster" href="https://beispiel.example/v/1" data-consent-poster></a>',
        '<button type="button" class="consent__load" data-consent-load hidden>',
        '<svg class="consent__play" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" ',
        'focusable="false"><path d="M8 5v14l11-7z" fill="currentColor"></path></svg>',
        '<span>Inhalt laden</span><span class="visually-hidden">: Beispiel-Video: Rohre</span>',
        "</button></div>",
        '<div class="consent__notice" data-pagefind-ignore><p class="consent__text">',
        '<strong class="consent__provider">Beispiel &amp; Co.</strong> Beim Laden erfährt Beispiel Ihre ',
        'IP-Adresse. <a href="/datenschutz/#einwilligungen">Mehr in der Datenschutzerklärung</a>.</p>',
        '<p class="consent__actions"><label class="consent__always" hidden>',
        '<input type="checkbox" data-consent-always> Beispiel &amp; Co immer erlauben</label> ',
        '<a class="consent__external" href="https://beispiel.example/v/1" rel="noopener">',
        "Beim Anbieter ansehen</a></p></div></figure>",
    )
)
CONTENT_FORM = "".join(
    (
        '<figure id="k" class="consent consent--beispiel consent--content" data-consent="beispiel" ',
        'data-consent-name="Beispiel &amp; Co" data-consent-src="https://player.beispiel.example/v/1" ',
        'data-consent-title="T"><div class="consent__stage" data-consent-stage><p>Karte</p></div>',
        '<div class="consent__notice" data-consent-js hidden data-pagefind-ignore><p class="consent__text">',
        '<strong class="consent__provider">Beispiel &amp; Co.</strong> Beim Laden erfährt Beispiel Ihre ',
        'IP-Adresse. <a href="/d/">Mehr in der Datenschutzerklärung</a>.</p><p class="consent__actions">',
        '<button type="button" class="button consent__load-inline" data-consent-load hidden>Inhalt laden',
        '</button> <label class="consent__always" hidden><input type="checkbox" data-consent-always> ',
        "Beispiel &amp; Co immer erlauben</label></p></div></figure>",
    )
)
MANAGER = "".join(
    (
        '<section class="consent-manager" id="einwilligungen" data-consent-manager ',
        'aria-labelledby="einwilligungen-titel"><h3 id="einwilligungen-titel" ',
        'class="consent-manager__title">',
        'Gespeicherte Einwilligungen</h3><p class="consent-manager__intro">Hier sehen Sie, welche Anbieter ',
        "Sie mit „immer erlauben“ freigegeben haben. Die Auswahl liegt nur in Ihrem Browser, nicht bei uns; ",
        'ein Widerruf gilt sofort.</p><ul class="consent-manager__list">',
        '<li class="consent-manager__item" data-consent-item="beispiel">',
        '<span class="consent-manager__name">Beispiel &amp; Co</span> ',
        '<span class="consent-manager__status" data-consent-status role="status">Nicht dauerhaft erlaubt: ',
        "Inhalte werden erst nach Ihrem Klick geladen.</span> ",
        '<button type="button" class="button button--ghost consent-manager__revoke" ',
        "data-consent-revoke hidden>",
        "Erlaubnis für Beispiel &amp; Co widerrufen</button></li></ul>",
        '<p class="consent-manager__nojs" data-consent-nojs>Ohne JavaScript speichert diese Website keine ',
        "Einwilligung; jeder externe Inhalt bleibt ein einfacher Link.</p></section>",
    )
)


def test_the_exact_markup_of_placeholders_and_the_revoke_control():
    common = {
        "provider": SIMPLE,
        "src": "https://player.beispiel.example/v/1",
        "fallback_url": "https://beispiel.example/v/1",
    }
    poster = render_placeholder(
        **common, title="Beispiel-Video: Rohre", privacy_url="/datenschutz/#einwilligungen"
    )
    assert str(poster) == POSTER_FORM
    content = render_placeholder(
        **common, title="T", privacy_url="/d/", content=Markup("<p>Karte</p>"), element_id="k"
    )
    assert str(content) == CONTENT_FORM
    assert str(render_manager([SIMPLE])) == MANAGER
    with_heading = render_placeholder(
        **common, title="T", privacy_url="/d/", heading="Rohre biegen", caption="Ein Film"
    )
    assert (
        '<a class="consent__poster" href="https://beispiel.example/v/1" data-consent-poster>'
        '<span class="consent__heading" aria-hidden="true">Rohre biegen</span></a>'
    ) in str(with_heading)
    assert str(with_heading).endswith(
        '</div><figcaption class="consent__caption">Ein Film</figcaption></figure>'
    )
    second = Provider(key="zwei", name="Zwei", transfer="x")
    rows = str(render_manager([SIMPLE, second]))
    assert 'widerrufen</button></li><li class="consent-manager__item" data-consent-item="zwei">' in rows
    assert str(render_manager([])).count("<li") == 0 and '<ul class="consent-manager__list"></ul>' in str(
        render_manager({})
    )
    ext = ConsentManagerExtension({"beispiel": SIMPLE})
    assert markdown.markdown(MANAGER_MARKER, extensions=[ext]) == MANAGER  # the control alone, no <p>
    assert markdown.markdown(f"Text\n\n{MANAGER_MARKER}", extensions=[ext]) == f"<p>Text</p>\n{MANAGER}"
    only = ConsentManagerExtension({"beispiel": BEISPIEL})
    assert markdown.markdown(PROVIDERS_MARKER, extensions=[only]).startswith("<h2>Beispiel-Videos</h2>")
    md = markdown.Markdown(extensions=[only])
    assert "consent_manager" in md.parser.blockprocessors and "consent_providers" in md.preprocessors


def test_the_plugin_registers_its_stylesheet_and_signals():
    from pelican import signals

    settings = read_magazine_settings(SETTINGS, {"MAGAZINE_CSP": ""})
    consent_plugin.configure(SimpleNamespace(settings=settings))
    assert ("consent", str(consent_plugin.STATIC_DIR / "consent" / "consent.css")) in settings[
        "STYLESHEET_PARTS"
    ]
    assert str(consent_plugin.STATIC_DIR) in settings["THEME_STATIC_PATHS"]
    consent_plugin.register()

    def connected(signal) -> list:
        return [
            ref() if callable(ref) and not hasattr(ref, "__name__") else ref
            for ref in signal.receivers.values()
        ]

    assert consent_plugin.configure in connected(signals.initialized)
    assert consent_reader.install_reader in connected(signals.readers_init)
    assert consent_plugin.add_globals in connected(signals.generator_init)
    assert consent_reader.raise_embed_errors in connected(signals.article_generator_pretaxonomy)
    assert consent_reader.raise_embed_errors in connected(signals.page_generator_finalized)
    # Pelican connects them again for every build; nothing stays connected from this test
    signals.initialized.disconnect(consent_plugin.configure)
    signals.readers_init.disconnect(consent_reader.install_reader)
    signals.generator_init.disconnect(consent_plugin.add_globals)
    signals.article_generator_pretaxonomy.disconnect(consent_reader.raise_embed_errors)
    signals.page_generator_finalized.disconnect(consent_reader.raise_embed_errors)


def test_pages_without_a_text_or_a_slug_and_providers_changed_after_an_unknown_one(caplog):
    settings = {"PLUGINS": [], "CONSENT_PRIVACY_SLUG": "datenschutz"}
    add_provider(settings, BEISPIEL)
    generator = SimpleNamespace(settings=settings, env=Environment(autoescape=True))
    consent_plugin.add_globals(generator)
    bare = SimpleNamespace()  # e.g. a listing's object: neither slug nor text
    assert _render(generator, "{{ consent_assets() }}", article=bare, page=SimpleNamespace(slug="x")) == ""
    assert 'data-consent-item="beispiel"' in _render(generator, "{{ consent_manager(p) }}", p=bare)
    missing = f"fehlt-{uuid.uuid4().hex[:8]}"  # a warning of its own (see above)
    changed = {**settings, "CONSENT_PROVIDERS": {missing: {"name": "F"}, "beispiel": {"name": "B"}}}
    with caplog.at_level(logging.WARNING, logger="magazin.consent.registry"):
        assert providers(changed)["beispiel"].name == "B"  # the unknown one first does not stop the rest
    assert caplog.messages == [
        f"CONSENT_PROVIDERS nennt den Anbieter „{missing}“, den kein Plugin in PLUGINS anmeldet."
    ]


def test_the_reader_tells_extensions_the_file_and_keeps_their_hints(tmp_path):
    from markdown.extensions import Extension
    from markdown.preprocessors import Preprocessor
    from pelican.readers import Readers
    from pelican.settings import read_settings

    seen = []

    class Probe(Preprocessor):
        def run(self, lines):
            seen.append(source_path(self.md))
            if any("STOPP" in line for line in lines):
                raise EmbedError("Das geht so nicht.", "STOPP", "Schreib es anders.")
            return lines

    class ProbeExtension(Extension):
        def extendMarkdown(self, md):
            md.preprocessors.register(Probe(md), "probe", 5)

    stop = tmp_path / "stopp.md"
    stop.write_text("Title: Stopp\nDate: 2026-11-20\n\nGrüße\n\nSTOPP\n", encoding="utf-8")
    latin1 = tmp_path / "alt.md"  # an old file with a stray Latin-1 byte
    latin1.write_bytes(b"Title: Alt\n\nGr\xfc\xdfe\n\nSTOPP\n")
    plain = tmp_path / "schlicht.md"
    plain.write_text("Title: Schlicht\nDate: 2026-11-20\n\nNur Text.\n", encoding="utf-8")
    settings = read_settings(str(SETTINGS), override={"PATH": str(tmp_path), "CACHE_CONTENT": False})
    settings["MARKDOWN"] = {
        **settings["MARKDOWN"],
        "extensions": [*settings["MARKDOWN"].get("extensions", []), ProbeExtension()],
    }
    with signals.readers_init.muted():  # only this reader: earlier builds in the session connected theirs
        readers = Readers(settings)
    consent_reader.install_reader(readers)
    reader = readers.reader_classes["md"](settings)
    content, metadata = reader.read(str(plain))
    assert "embeds" not in metadata and "Nur Text." in content
    reader.read(str(stop))
    assert seen == [str(plain), str(stop)]
    (error,) = reader.embed_errors
    assert str(error) == f"{stop}:6: Das geht so nicht. Schreib es anders."
    assert consent_reader.line_of(str(latin1), "STOPP") == 5  # a stray Latin-1 byte does not hide the line
    assert (EmbedError("M").needle, EmbedError("M").hint) == ("", "")
    consent_reader.raise_embed_errors(SimpleNamespace(readers=SimpleNamespace()))  # no readers yet
