"""Shared fixtures: build the sample magazine or a small fixture site into ``tmp_path``."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
sys.path.insert(0, str(ROOT))  # pelicanconf for publishconf; magazin is installed (pyproject.toml)

from magazin.audit.browser import CHROMIUM_ARGS  # noqa: E402
from magazin.audit.browser import serve as serve_directory  # noqa: E402, F401 - re-exported for browser tests
from magazin.core.build import build  # noqa: E402

SETTINGS = ROOT / "pelicanconf.py"
PUBLISH_SETTINGS = ROOT / "publishconf.py"
CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(autouse=True, scope="session")
def _run_from_repo_root():
    """Pelican resolves PATH and THEME relative to the working directory."""
    old = os.getcwd()
    os.chdir(ROOT)
    yield
    os.chdir(old)


def build_site(content: Path, output: Path, settings: Path = SETTINGS, **overrides):
    """Build ``content`` into ``output`` with our theme and plugins; return the report."""
    overrides = {"PATH": str(content), "CACHE_PATH": str(output.parent / "cache"), **overrides}
    return build(settings, output, overrides=overrides)


def copy_fixture(name: str, dest: Path) -> Path:
    """Copy ``tests/fixtures/<name>`` to ``dest`` so a test may change it; return the content dir."""
    shutil.copytree(FIXTURES / name, dest)
    return dest / "content" if (dest / "content").is_dir() else dest


@pytest.fixture(scope="session")
def sample_output(tmp_path_factory) -> Path:
    """The real sample magazine, built once per test session (development settings)."""
    out = tmp_path_factory.mktemp("sample") / "output"
    build_site(ROOT / "content", out)
    return out


@pytest.fixture(scope="session")
def sample_publish_output(tmp_path_factory) -> Path:
    """The real sample magazine with the publish settings (strict: warnings fail)."""
    out = tmp_path_factory.mktemp("publish") / "output"
    build_site(ROOT / "content", out, PUBLISH_SETTINGS)
    return out


# The typography plugin sets no-break spaces and hyphens; a reader sees a space and a hyphen.
# Tests compare text as read (``as_read``); tests of that plugin parse the raw page (raw=True).
AS_READ = str.maketrans({"\u00a0": " ", "\u2011": "-"})


def as_read(text: str) -> str:
    """``text`` with the typography pass's no-break characters as the plain ones a reader sees."""
    return text.translate(AS_READ)


def soup(path: Path, *, raw: bool = False) -> BeautifulSoup:
    text = path.read_text(encoding="utf-8")
    return BeautifulSoup(text if raw else as_read(text), "lxml")


def page(output: Path, url: str, *, raw: bool = False) -> BeautifulSoup:
    """Parse the page at site URL ``url`` (e.g. ``/technik/foo/``); ``raw`` keeps the no-break
    characters of the typography pass."""
    rel = url.strip("/")
    target = output / rel / "index.html" if not rel.endswith((".html", ".xml", ".txt")) else output / rel
    assert target.is_file(), f"{url} was not built ({target})"
    return soup(target, raw=raw)


def chromium_or_skip():
    """Browser tests run wherever Chromium is; under CI=true a missing Chromium is a failure."""
    if CHROMIUM.exists():
        return CHROMIUM
    if os.environ.get("CI") == "true":
        pytest.fail("CI=true but /usr/bin/chromium is missing: .ci/run must install it")
    pytest.skip(
        "Chromium (/usr/bin/chromium) is not installed; install Debian's chromium to run browser tests"
    )


@pytest.fixture(scope="module")
def browser():
    """One headless Debian Chromium per test module (Playwright), with the flags this
    closed-network machine needs; skipped without Chromium except under CI=true."""
    chromium = chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def revoke_consent(page, origin: str, provider: str, name: str):
    """On /datenschutz/: the provider is "Immer erlaubt"; revoke it with its button and see
    the status change. Returns the provider's row for further checks."""
    page.goto(origin + "/datenschutz/", wait_until="networkidle")
    item = page.locator(f'[data-consent-item="{provider}"]')
    assert "Immer erlaubt" in item.locator("[data-consent-status]").inner_text()
    item.get_by_role("button", name=f"Erlaubnis für {name} widerrufen").click()
    assert "Nicht dauerhaft erlaubt" in item.locator("[data-consent-status]").inner_text()
    assert item.get_by_role("button").is_hidden()
    return item


# Stands in for X's Tweet.html (no internet here): it reports its height like the real one.
FAKE_TWEET = (
    "<!doctype html><title>Tweet</title><p>Beitrag</p><script>"
    'parent.postMessage({"twttr.embed": {"method": "twttr.private.resize", '
    '"params": [{"height": 321, "width": 550}]}}, "*");</script>'
)


def offline_context(browser, origin: str):
    """A Chromium context for a site served at ``origin``: X's embed page is answered with
    ``FAKE_TWEET``, every other foreign request is aborted (no internet here) but still
    recorded in ``ctx.requests``, which lists every requested URL."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    ctx.requests = []

    def gate(route):
        url = route.request.url
        if url.startswith(origin + "/"):
            route.continue_()
        elif url.startswith("https://platform.twitter.com/embed/Tweet.html"):
            route.fulfill(status=200, content_type="text/html", body=FAKE_TWEET)
        else:
            route.abort()

    ctx.route("**/*", gate)
    ctx.on("request", lambda request: ctx.requests.append(request.url))
    return ctx
