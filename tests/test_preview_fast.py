"""The live preview's fast render (core.fastrender): after a body edit the article's page
is written from the kept last build, byte for byte what a clean build writes; any other
change leaves the served site alone and the full build runs as before."""

from __future__ import annotations

import re
import shutil

import pytest
from bs4 import BeautifulSoup

from bench.corpus import make_corpus
from conftest import SETTINGS
from magazin.core.build import build
from magazin.core.fastrender import fast_render
from magazin.core.incremental import PreviewState

LONG = " ".join(["Die Schweißnaht hält, wenn der Flansch sauber sitzt."] * 60)  # ~ 480 words


def _site(tmp_path, seed=11):
    content = make_corpus(tmp_path / "site", 12, seed=seed, small_images=True)
    articles = sorted((content / "articles").rglob("*.md"))
    out = tmp_path / "output"
    overrides = {"PATH": str(content), "CACHE_PATH": str(tmp_path / "cache"), "SEARCH_BUILD_INDEX": False}
    state = PreviewState()
    build(SETTINGS, out, overrides=overrides, preview=state)
    assert state.kept is not None
    return content, articles, out, overrides, state


def _clean(tmp_path, content, name):
    fresh = tmp_path / name
    cache = tmp_path / f"cache-{name}"
    overrides = {"PATH": str(content), "CACHE_PATH": str(cache), "SEARCH_BUILD_INDEX": False}
    build(SETTINGS, fresh, overrides=overrides)
    return fresh


def _split(path):
    head, body = path.read_text(encoding="utf-8").split("\n\n", 1)
    return head, body


def _images_of(path):
    return re.findall(r"\{static\}/(images/bench/[^)]+)\)", path.read_text(encoding="utf-8"))


def _page(state, source):
    return state.kept.articles[str(source)][0].save_as


def _tree(out):
    return {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}


@pytest.mark.slow
def test_fast_render_writes_what_a_clean_build_writes(tmp_path):
    content, articles, out, overrides, state = _site(tmp_path)
    victim = next(a for a in articles if _images_of(a))  # a body with a photo
    other_image = next(i for a in articles for i in _images_of(a) if i not in _images_of(victim))
    # No Summary: line, so the description comes from the body's first paragraph.
    head, body = _split(victim)
    head = "\n".join(line for line in head.splitlines() if not line.startswith("Summary:"))
    victim.write_text(f"{head}\n\n{body}", encoding="utf-8")
    build(SETTINGS, out, overrides=overrides, preview=state)
    name = _page(state, victim)
    before = BeautifulSoup((out / name).read_text(encoding="utf-8"), "html.parser")

    # The edit: a new first paragraph (typography: „z. B.“, „12 mm“), another photo first
    # (teaser, og:image, <picture> with high priority), and ~480 words more (reading time).
    head, body = _split(victim)
    first = "Rohrbögen aus der Vorschau, z. B. 12 mm stark, sitzen sauber."
    photo = f"![Ein anderes Foto]({{static}}/{other_image})"
    victim.write_text(f"{head}\n\n{first}\n\n{photo}\n\n{LONG}\n\n{body}", encoding="utf-8")
    untouched = _tree(out)
    result = fast_render(state)
    assert result.done, result.reason
    assert result.pages == [name]
    assert result.sources == [str(victim)]
    changed = {p for p, data in _tree(out).items() if untouched.get(p) != data}
    assert {str(p) for p in changed} == {name}  # only the article's own page was written
    assert not list(out.parent.glob(".output-schnell-*"))  # no temporary folder left

    clean = _clean(tmp_path, content, "clean")
    assert (out / name).read_bytes() == (clean / name).read_bytes()

    # … and the page shows what the body implies (not just an unchanged page twice).
    page = BeautifulSoup((out / name).read_text(encoding="utf-8"), "html.parser")
    text = page.select_one(".article__body").get_text()
    assert "z.\u00a0B." in text and "12\u00a0mm" in text  # typography ran on the written file
    stem = other_image.rsplit("/", 1)[1].rsplit(".", 1)[0]
    picture = page.select_one(".article__body picture")
    assert stem in picture.img["src"] and picture.img["fetchpriority"] == "high"
    assert picture.find("source", type="image/webp") is not None
    assert stem in page.find("meta", property="og:image")["content"]
    description = page.find("meta", attrs={"name": "description"})["content"]
    assert description.startswith("Rohrbögen aus der Vorschau")
    assert description != before.find("meta", attrs={"name": "description"})["content"]

    def minutes(soup):
        return int(re.search(r"(\d+)\s+Min\.\s+Lesezeit", soup.get_text()).group(1))

    assert minutes(page) >= minutes(before) + 2

    # The full build after it: the same bytes for the article's page, so it is not announced
    # again; listing pages showing the new description are.
    build(SETTINGS, out, overrides=overrides, preview=state)
    assert state.incremental
    assert name not in state.changed_pages
    department = name.split("/", 1)[0] + "/index.html"
    assert department in state.changed_pages
    assert (out / department).read_bytes() == (clean / department).read_bytes()

    # A second edit of the same article, fast again from the new kept build.
    head, body = _split(victim)
    victim.write_text(f"{head}\n\nNoch ein Satz davor.\n\n{body}", encoding="utf-8")
    assert fast_render(state).pages == [name]
    assert (out / name).read_bytes() == (_clean(tmp_path, content, "clean2") / name).read_bytes()


@pytest.mark.slow
def test_everything_else_falls_back_to_the_full_build(tmp_path):
    content, articles, out, overrides, state = _site(tmp_path, seed=5)
    victim, second = articles[2], articles[5]
    name = _page(state, victim)

    def refused(reason_part):
        before = _tree(out)
        result = fast_render(state)
        assert not result.done and result.pages == []
        assert reason_part in result.reason, result.reason
        assert _tree(out) == before  # nothing written
        return result

    def restore_and_build():
        build(SETTINGS, out, overrides=overrides, preview=state)
        assert state.kept is not None

    # Metadata: new tags (the page and many others change; only the full build may write them).
    text = victim.read_text(encoding="utf-8")
    victim.write_text(text.replace("Tags: ", "Tags: Vorschau-Thema, ", 1), encoding="utf-8")
    refused("Metadaten")
    victim.write_text(text, encoding="utf-8")
    restore_and_build()

    # A new article file.
    new = victim.with_name("neu-in-der-vorschau.md")
    new.write_text(text.replace("Title: ", "Title: Neu: ", 1), encoding="utf-8")
    refused("hinzugefügt")
    new.unlink()
    restore_and_build()

    # A changed data file, and a page (not an article).
    authors = content / "data" / "authors.yml"
    original = authors.read_text(encoding="utf-8")
    authors.write_text(original + "\n", encoding="utf-8")
    refused("ist kein Artikel")
    authors.write_text(original, encoding="utf-8")
    page = next((content / "pages").glob("*.md"))
    page.write_text(page.read_text(encoding="utf-8") + "\nNoch ein Satz.\n", encoding="utf-8")
    refused("ist kein Artikel")
    restore_and_build()

    # A body with something the pre-flight refuses (raw HTML that runs code).
    head, body = _split(victim)
    victim.write_text(f'{head}\n\n<script src="/theme/x.js"></script>\n\n{body}', encoding="utf-8")
    refused("")
    assert fast_render(state).reason  # … with a German reason for the terminal
    victim.write_text(f"{head}\n\n{body}", encoding="utf-8")
    restore_and_build()

    # A photo the site has (it was built since) but no article used yet: no derivative exists.
    photo = content / _images_of(second)[0]
    shutil.copyfile(photo, photo.with_name("ganz-neu.jpg"))
    restore_and_build()
    new_photo = "![Neu]({static}/images/bench/ganz-neu.jpg)"
    victim.write_text(f"{head}\n\n{new_photo}\n\n{body}", encoding="utf-8")
    refused("neues Bild")
    restore_and_build()  # the full build makes it; from now on the fast render can use it
    victim.write_text(f"{head}\n\n{new_photo}\n\nMehr.\n\n{body}", encoding="utf-8")
    assert fast_render(state).pages == [name]

    # A body edit of two articles at once: both pages.
    for path in (victim, second):
        head2, body2 = _split(path)
        path.write_text(f"{head2}\n\nBeide zugleich.\n\n{body2}", encoding="utf-8")
    assert sorted(fast_render(state).pages) == sorted([name, _page(state, second)])
