"""A new embed provider is one folder plus one ``PLUGINS`` line.

The fixture plugin ``tests/fixtures/embed_plugin/plugins/beispielvideo`` (a made-up platform on
``video.example``) is added to the mini site by ``PLUGIN_PATHS`` and one ``PLUGINS`` entry, and
nothing else: its placeholder, its CSP ``frame-src`` entry, its acceptance by the audit, its
``invoke check`` rule, its section of the Datenschutzerklärung and its revoke row all appear;
without the line they are all gone. Builds run in a subprocess each, so the fixture plugin's
Pelican signal receivers cannot leak into other tests' builds.

Also here: the privacy page's posts section names Mastodon only when a Mastodon channel is
configured (issue #16), and the shared "URL alone on its line" processor.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import markdown
import pytest

from conftest import FIXTURES, ROOT, SETTINGS, build_site, page
from magazin.audit import Site, security
from magazin.core.build import read_magazine_settings
from magazin.core.urlline import UrlLineProcessor, url_alone
from magazin.editorial.checks import check_site

PLUGIN_DIR = FIXTURES / "embed_plugin" / "plugins"
VIDEO_URL = "https://video.example/v/Ab12Cd34"
ORIGIN = "https://player.video.example"
ARTICLE = f"""Title: Rohre biegen im Video
Date: 2026-11-20 10:00
Author: Jürgen Weiß
Summary: Ein Video von Beispiel-Video.

So biegen wir Rohre:

{VIDEO_URL}

Mehr dazu im nächsten Beitrag.
"""
PRIVACY = """Title: Datenschutzerklärung
Slug: datenschutz

Vorwort.

[[Eingebettete Inhalte]]

## Ihre Rechte

Nachwort.
"""


def base_plugins() -> list[str]:
    return list(read_magazine_settings(SETTINGS)["PLUGINS"])


def overrides(content: Path, cache: Path, with_plugin: bool) -> dict:
    """PATH and cache, plus, for the new provider, its folder and its one PLUGINS line."""
    result: dict = {"PATH": str(content), "CACHE_PATH": str(cache)}
    if with_plugin:
        plugins = base_plugins()
        plugins.insert(plugins.index("magazin.parallel"), "beispielvideo")  # parallel stays last
        result["PLUGIN_PATHS"] = [str(ROOT / "plugins"), str(PLUGIN_DIR)]
        result["PLUGINS"] = plugins
    return result


def build_in_subprocess(content: Path, out: Path, with_plugin: bool) -> None:
    code = (
        "import json, sys\n"
        f"sys.path[:0] = [{str(ROOT)!r}]\n"
        "from magazin.core.build import build\n"
        "build(sys.argv[1], sys.argv[2], overrides=json.loads(sys.argv[3]))\n"
    )
    args = json.dumps(overrides(content, out.parent / "cache", with_plugin))
    done = subprocess.run(
        [sys.executable, "-c", code, str(SETTINGS), str(out), args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def mini_with_video(dest: Path) -> Path:
    shutil.copytree(FIXTURES / "mini", dest)
    content = dest / "content"
    (content / "articles" / "technik" / "rohre-biegen-im-video.md").write_text(ARTICLE, encoding="utf-8")
    (content / "pages" / "datenschutz.md").write_text(PRIVACY, encoding="utf-8")
    return content


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The same content built with and without the fixture plugin."""
    root = tmp_path_factory.mktemp("embed-plugin")
    content = mini_with_video(root / "site")
    sites = {}
    for with_plugin in (True, False):
        out = root / ("with" if with_plugin else "without") / "output"
        build_in_subprocess(content, out, with_plugin)
        sites[with_plugin] = out
    return content, sites


def csp_of(soup) -> dict[str, list[str]]:
    meta = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    return security.parse_csp(meta["content"])


def test_new_provider_placeholder_appears_and_vanishes(built):
    _, sites = built
    figure = page(sites[True], "/technik/rohre-biegen-im-video/").find("figure", attrs={"data-consent": True})
    assert figure["data-consent"] == "beispielvideo"
    assert figure["data-consent-src"] == f"{ORIGIN}/embed/Ab12Cd34"
    assert "Beispiel-Video." in figure.find(class_="consent__provider").get_text()
    assert (
        figure.find("button", attrs={"data-consent-load": True})
        .get_text(" ", strip=True)
        .startswith("Video laden")
    )
    assert figure.find("iframe") is None  # nothing from the provider before the click
    assert figure.find("a", class_="consent__poster")["href"] == VIDEO_URL

    without = page(sites[False], "/technik/rohre-biegen-im-video/")
    assert without.find(attrs={"data-consent": True}) is None
    assert VIDEO_URL in without.find("main").get_text()  # just the pasted text again


PASTED = """Title: Rohre biegen, eingebettet
Date: 2026-11-21 10:00
Author: Jürgen Weiß
Summary: Das Video, als Einbettungscode eingefügt.

So biegen wir Rohre:

<iframe width="640" height="360" src="https://player.video.example/embed/Ab12Cd34?autoplay=0"
  title="Beispiel-Video" allowfullscreen></iframe>

Mehr dazu im nächsten Beitrag.
"""


def test_new_provider_teaches_the_checks_and_the_build_its_embed_code(tmp_path):
    """The plugin registers its platform's embed code: pasted, it becomes the same private block
    as the address; without the plugin the same <iframe> is refused as raw HTML."""
    content = mini_with_video(tmp_path / "site")
    pasted = content / "articles" / "technik" / "rohre-biegen-eingebettet.md"
    pasted.write_text(PASTED, encoding="utf-8")
    listed = read_magazine_settings(SETTINGS, overrides(content, tmp_path / "c", True))
    assert check_site(listed, full=True) == []
    out = tmp_path / "with" / "output"
    build_in_subprocess(content, out, with_plugin=True)
    figure = page(out, "/technik/rohre-biegen-eingebettet/").find("figure", attrs={"data-consent": True})
    assert figure["data-consent"] == "beispielvideo"
    assert figure["data-consent-src"] == f"{ORIGIN}/embed/Ab12Cd34"
    assert page(out, "/technik/rohre-biegen-eingebettet/").find("iframe") is None

    unlisted = read_magazine_settings(SETTINGS, overrides(content, tmp_path / "c", False))
    messages = [str(p) for p in check_site(unlisted, full=True)]
    assert len(messages) == 1 and f"{pasted}:8: Ein <iframe> von player.video.example" in messages[0], (
        messages
    )


def test_new_provider_frame_origin_in_csp_only_while_listed(built):
    _, sites = built
    with_csp = csp_of(page(sites[True], "/technik/rohre-biegen-im-video/"))
    without_csp = csp_of(page(sites[False], "/technik/rohre-biegen-im-video/"))
    from magazin.consent import frame_origins

    # what the listed plugins register, whichever they are (a new provider plugin adds its own)
    base = list(frame_origins(read_magazine_settings(SETTINGS)))
    assert "https://www.youtube-nocookie.com" in base and "https://platform.twitter.com" in base
    assert without_csp["frame-src"] == base
    assert with_csp["frame-src"] == [*base, ORIGIN]
    # everything else is exactly as strict as before
    assert {k: v for k, v in with_csp.items() if k != "frame-src"} == {
        k: v for k, v in without_csp.items() if k != "frame-src"
    }
    assert without_csp["default-src"] == ["'self'"] and without_csp["object-src"] == ["'none'"]


def test_audit_accepts_the_new_frame_origin_only_while_listed(built):
    content, sites = built
    listed = read_magazine_settings(SETTINGS, overrides(content, content.parent / "c", True))
    unlisted = read_magazine_settings(SETTINGS, overrides(content, content.parent / "c", False))
    ok = security.run(Site.from_settings(sites[True], listed))
    assert ok.ok, "\n".join(map(str, ok.problems))
    # the same output audited under settings without the plugin: its origin is not approved
    refused = security.run(Site.from_settings(sites[True], unlisted))
    assert any(f"frame-src erlaubt {ORIGIN}" in p.message for p in refused.problems)


def test_linter_runs_the_new_provider_rule_only_while_listed(tmp_path):
    content = mini_with_video(tmp_path / "site")
    bad = content / "articles" / "technik" / "falsche-adresse.md"
    bad.write_text(
        ARTICLE.replace("Rohre biegen im Video", "Falsche Adresse").replace(
            VIDEO_URL, "https://video.example/kanal/heco"
        ),
        encoding="utf-8",
    )
    listed = read_magazine_settings(SETTINGS, overrides(content, tmp_path / "c", True))
    messages = [str(p) for p in check_site(listed, full=True)]
    assert messages == [
        f"{bad}:8: Ungültige Beispiel-Video-Adresse „https://video.example/kanal/heco“: "
        "ein Video hat die Form https://video.example/v/<8 Zeichen>. "
        "Kopiere die Adresse über „Teilen“ bei Beispiel-Video."
    ]
    unlisted = read_magazine_settings(SETTINGS, overrides(content, tmp_path / "c", False))
    assert check_site(unlisted, full=True) == []


def test_new_provider_privacy_section_and_revoke_row(built):
    _, sites = built
    privacy = page(sites[True], "/datenschutz/")
    headings = [h.get_text(strip=True) for h in privacy.find("main").find_all("h2")]
    without_headings = [
        h.get_text(strip=True) for h in page(sites[False], "/datenschutz/").find("main").find_all("h2")
    ]
    assert {"Eingebettete Videos von YouTube", "Beiträge von X (vormals Twitter)"} <= set(without_headings)
    # the new provider's section comes after the others' and before the page's own text
    rights = without_headings.index("Ihre Rechte")
    assert headings == [*without_headings[:rights], "Videos von Beispiel-Video", *without_headings[rights:]]
    section = privacy.find("h2", string="Videos von Beispiel-Video")
    text = section.find_next_sibling("p").get_text()
    assert "erst nach Ihrem Klick" in text
    link = section.find_next_sibling("p").find_next_sibling("p").find("a")
    assert (link.get_text(), link["href"]) == (
        "Datenschutzerklärung von Beispiel-Video",
        "https://video.example/datenschutz",
    )
    assert privacy.find(attrs={"data-consent-item": "beispielvideo"}) is not None

    without = page(sites[False], "/datenschutz/")
    assert "Beispiel-Video" not in without.get_text()
    assert without.find(attrs={"data-consent-item": "beispielvideo"}) is None


# -- the posts section follows the channels actually configured (issue #16) ----------------------


MASTODON_CHANNEL = """- platform: mastodon
  name: Mastodon
  url: https://social.example/@fixture
  handle: "@fixture@social.example"
  content: Kurznachrichten im Fediverse.
  benefit: Ohne Algorithmus informiert.
"""


def test_privacy_page_names_mastodon_only_with_a_mastodon_channel(tmp_path):
    content = mini_with_video(tmp_path / "site")
    out = tmp_path / "out" / "output"
    build_site(content, out)
    main = page(out, "/datenschutz/").find("main")
    assert "Mastodon" not in main.get_text()
    section = main.find("h2", string="Beiträge von X (vormals Twitter)")
    assert "keine Verbindung zu X." in section.find_next_sibling("p").get_text()

    channels = content / "data" / "channels.yml"
    channels.write_text(channels.read_text(encoding="utf-8") + MASTODON_CHANNEL, encoding="utf-8")
    build_site(content, out)
    main = page(out, "/datenschutz/").find("main")
    section = main.find("h2", string="Beiträge von X (vormals Twitter) und Mastodon")
    assert section is not None
    text = section.find_next_sibling("p").get_text()
    assert "keine Verbindung zu diesen Plattformen" in text
    assert "Beiträge von Mastodon binden wir nicht ein" in text


def test_sample_privacy_page_sections_come_from_the_plugins(sample_output):
    main = page(sample_output, "/datenschutz/").find("main")
    headings = [h.get_text(strip=True) for h in main.find_all("h2")]
    from magazin.consent import providers

    registered = list(providers(read_magazine_settings(SETTINGS)).values())
    sections = [p.privacy_heading for p in registered if p.privacy_heading]
    assert {"Eingebettete Videos von YouTube", "Beiträge von X (vormals Twitter)"} <= set(sections)
    i = headings.index(sections[0])
    assert headings[i : i + len(sections) + 1] == [*sections, "Teilen-Links"]  # in PLUGINS order
    assert "Mastodon" not in main.get_text()  # content/data/channels.yml lists no Mastodon channel
    assert "[[" not in main.get_text()  # the marker was replaced
    links = main.find_all("a")
    policies = {a.get_text(): a["href"] for a in links if a.get_text().startswith("Datenschutzerkl")}
    assert policies == {
        f"Datenschutzerklärung von {p.name}": p.privacy_policy for p in registered if p.privacy_policy
    }
    assert policies["Datenschutzerklärung von YouTube"] == "https://policies.google.com/privacy?hl=de"
    assert policies["Datenschutzerklärung von X"] == "https://x.com/de/privacy"


# -- the shared "URL alone on its line" processor ----------------------------------------------


def test_url_alone_reads_one_address_and_nothing_else():
    assert url_alone("  https://video.example/v/Ab12Cd34  ") == "https://video.example/v/Ab12Cd34"
    assert url_alone("<https://video.example/v/Ab12Cd34>") == "https://video.example/v/Ab12Cd34"
    assert url_alone("youtu.be/Mq3vT8kLp2E") == "youtu.be/Mq3vT8kLp2E"
    assert url_alone("Siehe https://video.example/v/Ab12Cd34") is None
    assert url_alone("https://a.example/\nhttps://b.example/") is None
    assert url_alone("") is None


def test_url_line_processor_replaces_only_accepted_paragraphs():
    from markdown.extensions import Extension

    class Demo(Extension):
        def extendMarkdown(self, md):
            ours = lambda url: url.startswith("https://video.example/")  # noqa: E731
            processor = UrlLineProcessor(md.parser, ours, lambda md, url: "<b>EMBED</b>")
            md.parser.blockprocessors.register(processor, "demo", 26)

    html = markdown.markdown(
        "Text davor.\n\nhttps://video.example/v/1\n\nhttps://anderes.example/\n\n"
        "    https://video.example/v/2\n",
        extensions=[Demo()],
    )
    assert html.count("<b>EMBED</b>") == 1  # not the other host, not the code block
    assert "<p>https://anderes.example/</p>" in html
    assert "<pre><code>https://video.example/v/2" in html


# -- in Chromium: the new provider's placeholder works like YouTube's -------------------------


@pytest.mark.browser
@pytest.mark.slow
def test_new_provider_in_the_browser_click_always_allow_and_revoke(built, browser):
    from conftest import revoke_consent, serve_directory

    _, sites = built
    with serve_directory(sites[True]) as origin:
        ctx = browser.new_context(viewport={"width": 1280, "height": 900})
        requests: list[str] = []
        violations: list[str] = []

        def gate(route):
            if route.request.url.startswith(origin + "/"):
                route.continue_()
            else:
                route.abort()  # no internet here; the attempt is still recorded

        ctx.route("**/*", gate)
        ctx.on("request", lambda request: requests.append(request.url))
        try:
            page = ctx.new_page()
            page.on("console", lambda m: violations.append(m.text) if "Content Security" in m.text else None)
            page.goto(origin + "/technik/rohre-biegen-im-video/", wait_until="networkidle")
            figure = page.locator('figure[data-consent="beispielvideo"]')
            figure.hover()
            assert [u for u in requests if not u.startswith(origin + "/")] == []
            assert page.locator("iframe").count() == 0
            figure.get_by_label("Beispiel-Video immer erlauben").check()
            figure.get_by_role("button", name="Video laden").click()
            frame = figure.locator("iframe")
            frame.wait_for(state="attached")
            assert frame.get_attribute("src") == f"{ORIGIN}/embed/Ab12Cd34"
            assert frame.get_attribute("title") == "Beispiel-Video Ab12Cd34"
            page.wait_for_timeout(300)
            assert violations == []  # the CSP's frame-src lets the provider's frame through
            assert {u.split("/")[2] for u in requests if not u.startswith(origin + "/")} == {
                "player.video.example"
            }

            revoke_consent(page, origin, "beispielvideo", "Beispiel-Video")
            page.goto(origin + "/technik/rohre-biegen-im-video/", wait_until="networkidle")
            page.wait_for_timeout(300)
            assert page.locator("iframe").count() == 0
        finally:
            ctx.close()


# -- the registry itself ---------------------------------------------------------------------


def test_registry_runs_each_listed_hook_once_in_plugins_order():
    """The site's registry is what each listed embed plugin adds, in PLUGINS order: asserted
    per plugin, so a newly listed provider plugin adds to it without changing this test."""
    from magazin.consent import frame_origins, providers, registry

    settings = read_magazine_settings(SETTINGS)
    first = registry(settings)
    assert registry(settings) is first
    alone = {name: registry({"PLUGINS": [name]}) for name in settings["PLUGINS"]}
    adding = [name for name, reg in alone.items() if reg.providers]
    assert {"magazin.youtube", "magazin.posts"} <= set(adding)  # the magazine's own providers
    assert list(providers(settings)) == [key for name in adding for key in alone[name].providers]
    assert len(first.url_checks) == sum(len(reg.url_checks) for reg in alone.values())
    expected = [
        o.rstrip("/") for name in adding for p in alone[name].providers.values() for o in p.frame_origins
    ]
    assert list(frame_origins(settings)) == list(dict.fromkeys(expected))
    assert "https://www.youtube-nocookie.com" in frame_origins(settings)
    assert registry({"PLUGINS": []}).providers == {}  # nothing listed, nothing registered


def test_consent_providers_setting_changes_a_registered_provider(caplog):
    from magazin.consent import content_security_policy, provider, providers

    settings = read_magazine_settings(
        SETTINGS, {"CONSENT_PROVIDERS": {"youtube": {"transfer": "Anders."}, "vimeo": {"name": "Vimeo"}}}
    )
    assert provider(settings, "youtube").transfer == "Anders."
    assert provider(settings, "youtube").frame_origins == ("https://www.youtube-nocookie.com",)
    assert "vimeo" not in providers(settings)
    assert "CONSENT_PROVIDERS nennt den Anbieter „vimeo“" in caplog.text
    with pytest.raises(KeyError, match="fehlt sein Plugin in PLUGINS"):
        provider(settings, "vimeo")
    # without any provider, nothing may be framed at all
    bare = {"PLUGINS": [], "MAGAZINE_CSP": "default-src 'self'; frame-src {frame_src}"}
    assert content_security_policy(bare) == "default-src 'self'; frame-src 'none'"
