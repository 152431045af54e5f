"""The magazine served for real: Debian's nginx with the generated configuration, the releases
folder, Isso under gunicorn behind it, Chromium and a plain HTTP client (plugins/magazin/server).

The site is the WordPress fixture (tests/fixtures/wordpress, imported as in test_wordpress.py),
published with the publish settings into a releases folder under ``tmp``; nginx runs on
127.0.0.1 in the foreground with its own prefix (no system configuration touched), Isso with a
temporary database. Tests run in file order: the last ones publish again and roll back.
"""

from __future__ import annotations

import gzip
import http.client
import os
import re
import shutil
import threading
import time
from pathlib import Path
from urllib.parse import unquote

import brotli
import pytest
import yaml
from bs4 import BeautifulSoup
from comments_helpers import Isso, comments_python, in_ci
from observatory_rules import evaluate
from test_wordpress import EXPORT, OPTIONS, make_uploads, no_network

from conftest import FIXTURES, PUBLISH_SETTINGS, ROOT, serve_directory
from magazin.editorial.publish import PublishRefused
from magazin.server import current_release, effective_settings, releases, rollback
from magazin.server.loopback import free_port, start_isso, start_nginx
from magazin.server.nginx import NGINX, header_policy
from magazin.server.release import install_release, publish_release
from magazin.wordpress.importer import import_wordpress
from magazin.wordpress.redirects import encode

HEADERS = (
    "content-security-policy",
    "strict-transport-security",
    "x-content-type-options",
    "referrer-policy",
    "permissions-policy",
    "cross-origin-opener-policy",
)
ARTICLE = "/it/heco-social-media-wer-wie-warum/"


def nginx_or_skip() -> None:
    if NGINX.exists():
        return
    if in_ci():
        pytest.fail("CI=true but /usr/sbin/nginx is missing: .ci/run must install nginx")
    pytest.skip("Debian's nginx is not installed (apt-get install nginx)")


class Served:
    def __init__(self, **kw):
        self.__dict__.update(kw)

    def get(self, path: str, *, source: str = "127.0.0.1", headers: dict | None = None, method: str = "GET"):
        """(status, headers with lower-case names, body) of one request, redirects not followed."""
        conn = http.client.HTTPConnection(
            "127.0.0.1", self.nginx.port, timeout=15, source_address=(source, 0)
        )
        try:
            conn.request(method, path, headers=headers or {})
            response = conn.getresponse()
            body = response.read()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, body
        finally:
            conn.close()


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    nginx_or_skip()
    python = comments_python()
    tmp = tmp_path_factory.mktemp("served")
    shutil.copytree(FIXTURES / "wordpress" / "site", tmp / "site")
    content = tmp / "site" / "content"
    import_wordpress(EXPORT, content, uploads=make_uploads(tmp / "uploads"), fetch=no_network, **OPTIONS)
    port, isso_port, redirect_port = free_port(), free_port(), free_port()
    origin = f"http://127.0.0.1:{port}"
    root = tmp / "website"
    overrides = {
        "PATH": str(content),
        "CACHE_PATH": str(tmp / "cache"),
        "SITEURL": origin,
        "MAGAZINE_CANONICAL_BASE": origin,
        "FEED_DOMAIN": origin,
        "SERVER_ROOT": str(root),
        "SERVER_KEEP_RELEASES": 3,
    }
    first = publish_release(PUBLISH_SETTINGS, root, repo=ROOT, overrides=overrides)
    settings = effective_settings(PUBLISH_SETTINGS, overrides)
    isso = start_isso(
        python,
        tmp / "isso" / "comments.db",
        site_origin=origin,
        public_endpoint=origin + "/kommentare",
        port=isso_port,
        guard=False,
        log=tmp / "isso" / "gunicorn.log",
    )
    try:
        nginx = start_nginx(
            settings, root, tmp / "nginx", port, comments_port=isso_port, redirect_port=redirect_port
        )
    except BaseException:
        isso.stop()
        raise
    served = None
    try:
        served = Served(
            origin=origin,
            root=root,
            content=content,
            settings=settings,
            overrides=overrides,
            nginx=nginx,
            isso=isso,
            first=first,
            redirect_port=redirect_port,
            tmp=tmp,
        )
        yield served
    finally:
        nginx.stop()
        (served.isso if served is not None else isso).stop()  # a test may have restarted Isso


def _page_types(site: Path) -> list[str]:
    """One address of every kind of page and file the site has."""
    picks = ["/", ARTICLE, "/impressum/", "/archiv/", "/abteilungen/", "/autoren/", "/themen/",
             "/feeds/all.atom.xml", "/sitemap.xml", "/robots.txt", "/theme/css/magazin.css",
             "/suche/", "/social-media/", "/pagefind/pagefind.js"]  # fmt: skip
    for pattern in ("themen/*/index.html", "autoren/*/index.html", "bilder/*.webp", "pagefind/*.js"):
        found = sorted(site.glob(pattern))
        assert found, pattern
        rel = found[0].relative_to(site).as_posix()
        picks.append("/" + rel.removesuffix("index.html"))
    return picks


def test_every_page_type_carries_the_headers(served):
    site = current_release(served.root)
    meta_policy = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "lxml").find(
        "meta", attrs={"http-equiv": "Content-Security-Policy"}
    )["content"]
    assert "connect-src 'self';" in meta_policy  # Isso on the same origin: no second origin
    expected = {
        "content-security-policy": header_policy(meta_policy),
        "strict-transport-security": "max-age=63072000; includeSubDomains",
        "x-content-type-options": "nosniff",
        "referrer-policy": "strict-origin-when-cross-origin",
        "cross-origin-opener-policy": "same-origin",
    }
    assert expected["content-security-policy"].endswith("frame-ancestors 'none'")
    for path in [*_page_types(site), "/gibt-es-nicht/", "/?p=200", "/kommentare/config"]:
        status, headers, body = served.get(path)
        assert status in (200, 301, 404), (path, status)
        for name in HEADERS:
            assert name in headers, (path, name)
        for name, value in expected.items():
            if path == "/pagefind/pagefind-worker.js" and name == "content-security-policy":
                # the search's worker alone may compile WebAssembly (Pagefind's index)
                from magazin.server.nginx import editor_policy

                value = editor_policy(value, ["'wasm-unsafe-eval'"])
            assert headers[name] == value, (path, name, headers[name])
        assert "camera=()" in headers["permissions-policy"]
        if path.endswith("/") and status == 200 and not path.startswith("/kommentare"):
            doc = BeautifulSoup(body, "lxml")  # the meta policy stays as a second line of defence
            assert doc.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"] == meta_policy


def test_header_set_earns_the_observatorys_top_grade(served):
    _, headers, body = served.get("/")
    conn = http.client.HTTPConnection("127.0.0.1", served.redirect_port, timeout=10)
    conn.request("GET", "/")
    answer = conn.getresponse()
    redirect = (answer.status, answer.getheader("Location"))
    conn.close()
    assert redirect == (301, "https://127.0.0.1/")
    url = "https://127.0.0.1/"  # loopback stands in for the HTTPS server
    score = evaluate(url, headers, body.decode(), redirect)
    assert score.grade == "A+", score.results
    assert score.score == 115, score.results
    assert score.results["content-security-policy"][0] == "csp-implemented-with-no-unsafe"
    assert score.results["x-frame-options"][0] == "x-frame-options-implemented-via-csp"
    # the same rules give a static host's answer (no headers, no redirect) an F
    bare = {"content-type": headers["content-type"]}
    assert evaluate(url, bare, body.decode(), (200, "")).grade == "F"


def test_a_foreign_page_cannot_frame_the_magazine(served, browser, tmp_path):
    (tmp_path / "rahmen.html").write_text(
        f'<!doctype html><title>Fremd</title><iframe id="f" src="{served.origin}/"></iframe>',
        encoding="utf-8",
    )
    (tmp_path / "ohne-header").mkdir()
    shutil.copy(current_release(served.root) / "index.html", tmp_path / "ohne-header" / "index.html")
    with serve_directory(tmp_path) as other:
        ctx = browser.new_context()
        page = ctx.new_page()
        messages: list[str] = []
        page.on("console", lambda m: messages.append(m.text))
        page.goto(other + "/rahmen.html", wait_until="load")
        page.wait_for_timeout(500)
        framed = page.frames[1]
        assert framed.url == "chrome-error://chromewebdata/"  # Chromium's "refused" page
        assert "Edelstahlmagazin" not in framed.content()
        assert any("frame-ancestors" in m for m in messages), messages
        shots = os.environ.get("MAGAZIN_SCREENSHOTS")
        if shots:
            Path(shots).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(shots) / "fremder-rahmen-abgelehnt.png"))
            other_page = ctx.new_page()
            response = other_page.goto(served.origin + "/gibt-es-nicht/", wait_until="networkidle")
            assert response.status == 404
            other_page.screenshot(path=str(Path(shots) / "404-ueber-nginx.png"))
            other_page.close()
        # control: the same page without our headers (from the foreign server) can be framed
        page.set_content(f'<iframe src="{other}/ohne-header/index.html"></iframe>')
        page.wait_for_timeout(500)
        assert page.frames[1].url == f"{other}/ohne-header/index.html"
        assert "Edelstahlmagazin" in page.frames[1].title()
        ctx.close()


def test_every_old_wordpress_address_answers_301_to_its_article(served):
    site = current_release(served.root)
    records = yaml.safe_load((served.content / "data/wordpress-adressen.yml").read_text(encoding="utf-8"))
    olds = [r["alt"] for r in records["adressen"]]
    assert "/?p=200" in olds and "/feed/" in olds and "/?attachment_id=202" in olds
    rules = {}
    for line in (site / "_redirects").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            parts = line.split()
            rules[" ".join(parts[:-2])] = parts[-2]
    for old in olds:
        if "?" in old:
            path, query = old.split("?")
            target = rules[f"{path} {query}"]
        else:
            target = rules[encode(old)]
        status, headers, _ = served.get(encode(old))
        assert status == 301, (old, status)
        assert headers["location"] == unquote(target), (old, headers["location"])
        assert served.get(target)[0] == 200, (old, target)
    status, headers, _ = served.get("/?p=100&utm_source=alt")
    assert (status, headers["location"]) == (301, "/it/heco-social-media-wer-wie-warum/")
    assert served.get("/?p=999")[0] == 200  # an unknown id is the start page, not a redirect
    assert served.get("/_redirects.nginx.conf")[0] == 404


def test_unknown_address_is_404_with_the_sites_page(served):
    own = BeautifulSoup((current_release(served.root) / "404.html").read_text(encoding="utf-8"), "lxml")
    status, headers, body = served.get("/technik/gibt-es-nicht/")
    assert status == 404
    doc = BeautifulSoup(body, "lxml")
    assert doc.title.string == own.title.string and doc.h1.get_text() == own.h1.get_text()
    assert headers["content-type"].startswith("text/html")
    status, headers, _ = served.get("/technik")  # a folder without its slash: moved, relative
    assert (status, headers["location"]) == (301, "/technik/")


def test_caching_and_precompressed_files(served):
    site = current_release(served.root)
    image = "/" + sorted(site.glob("bilder/*-[0-9a-f]*-*.webp"))[0].relative_to(site).as_posix()
    status, headers, _ = served.get(image)
    assert status == 200 and headers["cache-control"] == "public, max-age=31536000, immutable"
    fragment = "/" + sorted(site.glob("pagefind/fragment/*.pf_fragment"))[0].relative_to(site).as_posix()
    assert served.get(fragment)[1]["cache-control"] == "public, max-age=31536000, immutable"
    for path in ("/", ARTICLE, "/theme/css/magazin.css", "/feeds/all.atom.xml"):
        status, headers, _ = served.get(path)
        assert headers["cache-control"] == "no-cache", path
        etag = headers["etag"]
        assert served.get(path, headers={"If-None-Match": etag})[0] == 304, path
    # the .gz written at publish time is sent as it is
    assert (site / "index.html.gz").is_file() and (site / "theme/css/magazin.css.gz").is_file()
    status, headers, body = served.get("/", headers={"Accept-Encoding": "gzip"})
    assert headers["content-encoding"] == "gzip" and "accept-encoding" in headers["vary"].lower()
    assert body == (site / "index.html.gz").read_bytes()
    assert gzip.decompress(body) == (site / "index.html").read_bytes()
    status, headers, body = served.get("/")
    assert "content-encoding" not in headers and body == (site / "index.html").read_bytes()
    # Brotli (Debian's libnginx-mod-http-brotli-static) where the browser offers it
    status, headers, body = served.get("/", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert headers["content-encoding"] == "br" and body == (site / "index.html.br").read_bytes()
    assert brotli.decompress(body) == (site / "index.html").read_bytes()
    css = "/theme/css/magazin.css"
    status, headers, body = served.get(css, headers={"Accept-Encoding": "br"})
    assert headers["content-encoding"] == "br" and headers["cache-control"] == "no-cache"


def test_comment_flow_through_the_same_origin_proxy(served, browser):
    """Open, post, approve (the mailed link, through nginx), read: every request goes to the
    magazine's own origin, no answer carries a CORS header."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="de-DE")
    responses = []
    ctx.on("response", lambda r: responses.append((r.url, r.all_headers())))
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(served.origin + ARTICLE, wait_until="networkidle")
    page.get_by_role("button", name="Kommentare anzeigen und schreiben").click()
    page.locator(".isso-postbox textarea").first.wait_for()
    page.get_by_label("Name (freiwillig)").fill("Eva Schmidt")
    page.get_by_role("textbox", name="Ihr Kommentar").fill("Gilt das auch für 1.4404?")
    page.get_by_role("button", name="Kommentar absenden").click()
    page.locator("#isso-root .isso-comment .isso-note").first.wait_for()
    comment_id = int(
        page.locator("#isso-root > .isso-comment").first.get_attribute("id").removeprefix("isso-")
    )
    isso = Isso(
        served.origin + "/kommentare", served.isso.port, served.isso.db, served.isso.log,
        served.isso.process, served.origin,
    )  # fmt: skip
    isso.approve(comment_id)  # POST to the mailed link: through nginx's moderation location
    assert isso.activation_links()[comment_id].startswith(served.origin + "/kommentare/id/")
    page.reload(wait_until="networkidle")
    page.get_by_role("button", name="Kommentare anzeigen und schreiben").click()
    shown = page.locator(f"#isso-{comment_id}")
    shown.wait_for()
    assert "Gilt das auch für 1.4404?" in shown.inner_text()
    if os.environ.get("MAGAZIN_SCREENSHOTS"):
        shots = Path(os.environ["MAGAZIN_SCREENSHOTS"])
        shots.mkdir(parents=True, exist_ok=True)
        page.locator("#kommentare").screenshot(path=str(shots / "kommentare-ueber-nginx.png"))
    assert errors == []
    assert responses and all(url.startswith(served.origin + "/") for url, _ in responses), responses
    isso_answers = [h for url, h in responses if "/kommentare/" in url]
    assert isso_answers
    for headers in (h for _, h in responses):
        assert not [k for k in headers if k.lower().startswith("access-control-")], headers
        assert "set-cookie" not in headers
    assert ctx.cookies() == []
    ctx.close()


def test_admin_only_from_the_allowed_networks_and_logs_keep_no_full_ip(served):
    status, _, _ = served.get("/kommentare/admin/", source="127.0.0.2")
    assert status == 403
    status, _, body = served.get("/kommentare/admin/", source="127.0.0.1")
    assert status == 200 and b"<form" in body.lower()
    assert served.get("/kommentare/login/", source="127.0.0.2", method="POST")[0] == 403
    assert served.get("/", source="127.0.0.2")[0] == 200  # the site itself is for everyone
    ipv6 = False
    try:
        conn = http.client.HTTPConnection("::1", served.nginx.port, timeout=10)
        conn.request("GET", "/impressum/")
        ipv6 = conn.getresponse().status == 200
        conn.close()
    except OSError:
        pass
    from magazin.server.loopback import _ipv6_loopback

    assert ipv6 == _ipv6_loopback(0)  # nginx listens on [::1] wherever the machine has it
    log = served.nginx.access_log.read_text(encoding="utf-8")
    lines = log.splitlines()
    assert len(lines) >= 5
    assert all(line.startswith(("127.0.0.0 ", ":: ")) for line in lines), lines[:3]
    if ipv6:
        assert [line for line in lines if line.startswith(":: ") and "/impressum/" in line]
        assert "::1 " not in log
    # a full client address nowhere (the site's own address in referers is no client's)
    assert not re.search(r'(^|[\s"])127\.0\.0\.[12](?![:\d])', log, re.M)


def test_the_editor_gets_its_own_policy_and_no_other_page_does(served):
    """The header for /redaktion/ is the editor page's own policy (as its <meta>), with
    frame-ancestors; no other page's header allows 'unsafe-eval'."""
    from bs4 import BeautifulSoup

    from magazin.editor.policy import editor_csp
    from magazin.server.nginx import header_policy

    site_policy = served.get("/")[1]["content-security-policy"]
    status, headers, body = served.get("/redaktion/")
    assert status == 200
    assert headers["content-security-policy"] == header_policy(editor_csp(served.settings))
    meta = BeautifulSoup(body, "html.parser").find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    assert headers["content-security-policy"] == header_policy(meta["content"])
    assert "'unsafe-eval'" in headers["content-security-policy"]
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert "'unsafe-eval'" not in site_policy


def test_isso_refusals_and_outages_answer_in_german(served):
    """A request Isso refuses (403: here a form post, which its CSRF check rejects) and a post
    while Isso is down (503) both get nginx's German text; after a restart posts are stored."""
    from magazin.server.nginx import COMMENTS_DOWN, COMMENTS_REFUSED

    thread = "/it/heco-social-media-wer-wie-warum"
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    status, _, body = served.get(f"/kommentare/new?uri={thread}", method="POST", headers=form)
    assert status == 403 and body.decode().strip() == COMMENTS_REFUSED
    json_post = {"Content-Type": "application/json"}
    served.isso.stop()
    conn = http.client.HTTPConnection("127.0.0.1", served.nginx.port, timeout=15)
    conn.request(
        "POST", f"/kommentare/new?uri={thread}", body=b'{"text": "Waehrend der Wartung"}', headers=json_post
    )
    answer = conn.getresponse()
    assert answer.status == 503 and answer.read().decode().strip() == COMMENTS_DOWN
    conn.close()
    served.isso = served.isso.start_again()
    conn = http.client.HTTPConnection("127.0.0.1", served.nginx.port, timeout=15)
    conn.request("POST", f"/kommentare/new?uri={thread}", body=b'{"text": "Wieder da."}', headers=json_post)
    assert conn.getresponse().status == 202  # accepted, waiting for approval
    conn.close()


def test_refuses_an_empty_or_shrunken_site_and_lists_what_would_vanish(served, tmp_path):
    live = current_release(served.root)
    empty = served.root / "releases" / "leer"
    empty.mkdir()
    with pytest.raises(PublishRefused, match="leer"):
        install_release(empty, served.root, settings=served.settings)
    assert not empty.exists() and current_release(served.root) == live
    smaller = served.root / "releases" / "kleiner"
    shutil.copytree(live, smaller)
    shutil.rmtree(smaller / "impressum")
    with pytest.raises(PublishRefused) as refused:
        install_release(smaller, served.root, settings=served.settings)
    text = "\n".join(refused.value.problems)
    assert "1 Seite(n) weniger" in text and "impressum/index.html" in text
    assert current_release(served.root) == live and not smaller.exists()


def test_publish_roll_back_publish_while_readers_load_pages(served):
    """Every answer during the switches is complete: 200 and the whole file."""
    paths = ["/", ARTICLE, "/impressum/", "/theme/css/magazin.css", "/feeds/all.atom.xml"]
    stop = threading.Event()
    results: list[tuple[str, int, bool]] = []

    def reader() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", served.nginx.port, timeout=15)
        while not stop.is_set():
            for path in paths:
                conn.request("GET", path)
                response = conn.getresponse()
                body = response.read()
                length = int(response.getheader("Content-Length") or -1)
                whole = len(body) == length and (not path.endswith("/") or body.rstrip().endswith(b"</html>"))
                results.append((path, response.status, whole))
        conn.close()

    threads = [threading.Thread(target=reader) for _ in range(3)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(0.3)
        second = publish_release(PUBLISH_SETTINGS, served.root, repo=ROOT, overrides=served.overrides)
        time.sleep(0.3)
        back_from, back_to = rollback(served.root, served.settings)
        assert back_from == second.release and back_to == served.first.release
        assert current_release(served.root) == served.first.release
        time.sleep(0.3)
        third = publish_release(PUBLISH_SETTINGS, served.root, repo=ROOT, overrides=served.overrides)
        time.sleep(0.3)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    assert current_release(served.root) == third.release
    assert len(results) > 100
    bad = [r for r in results if r[1] != 200 or not r[2]]
    assert bad == [], bad[:5]
    names = [r.name for r in releases(served.root)]
    assert len(names) == 3 and names[-1] == third.release.name  # SERVER_KEEP_RELEASES


def test_bad_server_settings_stop_with_german_messages(tmp_path):
    from magazin.server.nginx import ServerConfigError, write_config

    settings = {
        "SITEURL": "https://magazin.example",
        "MAGAZINE_CSP": "default-src 'self'",
        "OUTPUT_PATH": str(tmp_path / "output"),
        "SERVER_ADMIN_NETWORKS": ["10.0.0.0/8", "firmennetz"],
        "SERVER_REFERRER_POLICY": 'no-referrer"; add_header X "1',
        "SERVER_COMMENTS_PATH": "kommentare",
    }
    with pytest.raises(ServerConfigError) as refused:
        write_config(settings, tmp_path / "conf")
    text = "\n".join(refused.value.problems)
    assert "SERVER_ADMIN_NETWORKS: 'firmennetz' ist kein Netz" in text
    assert "SERVER_REFERRER_POLICY" in text and "nicht stehen darf" in text
    assert "SERVER_COMMENTS_PATH 'kommentare'" in text
    assert not (tmp_path / "conf").exists()
    good = {k: v for k, v in settings.items() if not k.startswith("SERVER_")}
    with pytest.raises(ServerConfigError, match="gehört nicht in die Website"):
        write_config(good, tmp_path / "output" / "nginx")
    with_editor = write_config({**good, "PLUGINS": ["magazin.editor"]}, tmp_path / "editor").read_text()
    assert "location ^~ /redaktion/" in with_editor and "'unsafe-eval'" in with_editor
    path = write_config({**good, "PLUGINS": []}, tmp_path / "conf")
    text = path.read_text(encoding="utf-8")
    assert "/redaktion/" not in text and "server_name magazin.example;" in text


def test_the_production_configuration_passes_nginx_t(tmp_path):
    """``invoke server-config``'s file with publishconf's defaults (HTTPS on 443, the redirect
    server on 80, Brotli, the editor, Isso) is accepted by Debian's nginx (``nginx -t``)."""
    import subprocess

    from magazin.server.nginx import BROTLI_MODULE, standalone_config, write_config

    nginx_or_skip()
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is needed for a throw-away certificate")
    cert, key = tmp_path / "fullchain.pem", tmp_path / "privkey.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=magazin.heco.de", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    settings = effective_settings(PUBLISH_SETTINGS, {"CACHE_PATH": str(tmp_path / "cache")})
    settings.update(
        SERVER_TLS_CERTIFICATE=str(cert),
        SERVER_TLS_KEY=str(key),
        SERVER_ACCESS_LOG=str(tmp_path / "access.log"),
        SERVER_ERROR_LOG=str(tmp_path / "error.log"),
    )
    path = write_config(settings, tmp_path / "conf", root=str(tmp_path / "website"))
    text = path.read_text(encoding="utf-8")
    assert "listen 443 ssl http2;" in text and "return 301 https://magazin.heco.de$request_uri;" in text
    assert "brotli_static on;" in text and "location ^~ /redaktion/" in text
    conf = tmp_path / "nginx.conf"
    conf.write_text(standalone_config(path, tmp_path, brotli=BROTLI_MODULE.exists()), encoding="utf-8")
    done = subprocess.run(
        [str(NGINX), "-t", "-p", str(tmp_path), "-c", str(conf), "-e", str(tmp_path / "error.log")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
