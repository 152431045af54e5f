"""The authors' editor without a browser (plugins/magazin/editor): the pinned npm packages,
the page and its own policy, the configuration generated from the data files, the editor's
absence from sitemap, feeds and search, and the file format's byte-for-byte round trip
(Node runs the very script the browser loads) on every sample article, every fixture and
the WordPress import's output."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import FIXTURES, ROOT, build_site, copy_fixture

EDITOR = ROOT / "editor"
FORMAT_JS = ROOT / "plugins" / "magazin" / "editor" / "js" / "pelican-format.js"
CSP = {"http-equiv": lambda v: v and v.lower() == "content-security-policy"}


def test_decap_is_pinned_exactly_and_the_lock_has_no_download_addresses():
    package = json.loads((EDITOR / "package.json").read_text(encoding="utf-8"))
    assert re.fullmatch(r"3\.16\.\d+", package["dependencies"]["decap-cms"])
    assert re.fullmatch(r"3\.11\.\d+", package["dependencies"]["decap-server"])
    lock_text = (EDITOR / "package-lock.json").read_text(encoding="utf-8")
    lock = json.loads(lock_text)
    for name in ("decap-cms", "decap-server"):
        assert lock["packages"][f"node_modules/{name}"]["version"] == package["dependencies"][name]
    assert '"resolved"' not in lock_text
    assert "://" not in lock_text  # no address of any kind (npm's "funding" links were removed too)
    assert "omit-lockfile-registry-resolved=true" in (EDITOR / ".npmrc").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("redaktion")
    content = copy_fixture("search", tmp / "site")
    out = tmp / "output"
    build_site(content, out)
    return {"content": content, "output": out, "tmp": tmp}


def _policy(path: Path) -> str:
    meta = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml").find("meta", attrs=CSP)
    return meta["content"] if meta else ""


def test_the_editor_page_is_served_from_our_origin_with_its_own_policy(site):
    from magazin.core.build import read_magazine_settings
    from magazin.editor import editor_csp

    folder = site["output"] / "redaktion"
    doc = BeautifulSoup((folder / "index.html").read_text(encoding="utf-8"), "lxml")
    assert doc.html["lang"] == "de"
    assert doc.find("meta", attrs={"name": "robots"})["content"].startswith("noindex")
    scripts = [s["src"] for s in doc.find_all("script")]
    assert scripts == ["/redaktion/redaktion-start.js", "/redaktion/decap-cms.js", "/redaktion/redaktion.js"]
    for src in scripts:
        assert (site["output"] / src.lstrip("/")).is_file()
    # the bundle: the entry script, every chunk it loads lazily, its WebAssembly modules
    bundle = (folder / "decap-cms.js").read_text(encoding="utf-8")
    assert "unpkg" not in (folder / "index.html").read_text(encoding="utf-8")
    chunks = sorted(p.name for p in folder.glob("*.decap-cms.js"))
    dist = ROOT / "editor" / "node_modules" / "decap-cms" / "dist"
    assert chunks == sorted(p.name for p in dist.glob("*.decap-cms.js")) and len(chunks) > 50
    assert sorted(p.name for p in folder.glob("*.wasm")) == sorted(p.name for p in dist.glob("*.wasm"))
    assert 'decap-cms.js"' in bundle or ".decap-cms.js" in bundle
    settings = read_magazine_settings(ROOT / "pelicanconf.py", {"PATH": str(site["content"])})
    policy = _policy(folder / "index.html")
    assert policy == editor_csp(settings)
    assert "script-src 'self' 'unsafe-eval'" in policy and "object-src 'none'" in policy
    assert "http://127.0.0.1:8082" in policy  # the local decap-server, development only


def test_only_the_editor_page_relaxes_the_script_policy_every_other_page_is_unchanged(site):
    """Every page's policy as without the editor plugin; 'unsafe-eval' on /redaktion/ only."""
    without = site["tmp"] / "ohne-redaktion"
    from pelicanconf import PLUGINS

    build_site(site["content"], without, PLUGINS=[p for p in PLUGINS if p != "magazin.editor"])
    pages = sorted(p.relative_to(site["output"]) for p in site["output"].rglob("*.html"))
    assert pages, "no pages built"
    relaxed = [str(rel) for rel in pages if "'unsafe-eval'" in _policy(site["output"] / rel)]
    assert relaxed == ["redaktion/index.html"]
    others = [rel for rel in pages if str(rel) != "redaktion/index.html" and _policy(site["output"] / rel)]
    assert len(others) > 10
    for rel in others:
        assert _policy(site["output"] / rel) == _policy(without / rel), rel


def test_the_editor_is_in_no_sitemap_feed_or_search_index(site):
    out = site["output"]
    for name in ("sitemap.xml", "feeds/all.atom.xml", "robots.txt"):
        if (out / name).exists():
            assert "redaktion" not in (out / name).read_text(encoding="utf-8"), name
    for path in (out / "pagefind").rglob("*"):
        if path.is_file() and path.suffix in (".json",):
            assert "redaktion" not in path.read_text(encoding="utf-8", errors="ignore")


def test_config_comes_from_the_data_files(site, tmp_path):
    config = yaml.safe_load((site["output"] / "redaktion" / "config.yml").read_text(encoding="utf-8"))
    departments = yaml.safe_load((site["content"] / "data" / "departments.yml").read_text(encoding="utf-8"))
    authors = yaml.safe_load((site["content"] / "data" / "authors.yml").read_text(encoding="utf-8"))
    assert config["locale"] == "de"
    assert [c["name"] for c in config["collections"]] == [d["slug"] for d in departments]
    assert [c["label"] for c in config["collections"]] == [d["name"] for d in departments]
    first = config["collections"][0]
    assert first["format"] == "pelican" and first["extension"] == "md"
    assert first["folder"].endswith(f"articles/{departments[0]['slug']}")
    assert first["media_folder"].endswith(f"/images/{departments[0]['slug']}")
    assert first["public_folder"] == f"{{static}}/images/{departments[0]['slug']}"
    fields = {f["name"]: f for f in first["fields"]}
    assert sorted(fields["author"]["options"]) == sorted(a["name"] for a in authors)
    assert fields["body"]["widget"] == "pelicanbody"  # never Decap's Markdown widget (#5673)
    assert fields["title"]["label"] == "Titel"
    assert fields["image"]["widget"] == "image"  # Image: images/<department>/<file>
    assert fields["image"]["public_folder"] == f"images/{departments[0]['slug']}"
    assert fields["body"]["media_library"]["config"]["max_file_size"] == 500_000
    # a new department in departments.yml is a new collection, without touching the editor
    from magazin.core.build import read_magazine_settings
    from magazin.editor.config import decap_config

    content = copy_fixture("search", tmp_path / "site")
    with (content / "data" / "departments.yml").open("a", encoding="utf-8") as fh:
        fh.write("- slug: vertrieb\n  name: Vertrieb & Beratung\n  description: Neu.\n")
    settings = read_magazine_settings(ROOT / "pelicanconf.py", {"PATH": str(content)})
    assert "vertrieb" in [c["name"] for c in decap_config(settings)["collections"]]


def test_production_uses_the_editorial_workflow_and_no_local_backend():
    from magazin.core.build import read_magazine_settings
    from magazin.editor import editor_csp
    from magazin.editor.config import decap_config

    settings = read_magazine_settings(ROOT / "publishconf.py")
    config = decap_config(settings)
    assert config["publish_mode"] == "editorial_workflow"
    assert "local_backend" not in config
    assert config["backend"]["name"] in ("github", "gitlab", "gitea")
    assert "127.0.0.1" not in editor_csp(settings)


# ---- the file format: load and save unchanged gives the same bytes -------------------------------


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed (the editor needs it: make venv)")
    return node


ROUND_TRIP = """
const fs = require("fs");
const F = require(process.argv[1]);
const out = {};
for (const file of process.argv.slice(2)) {
  const text = fs.readFileSync(file, "utf8");
  const data = JSON.parse(JSON.stringify(F.fromFile(text)));  // what Decap keeps between load and save
  out[file] = F.toFile(data) === text;
}
console.log(JSON.stringify(out));
"""


def _round_trip(files: list[Path]) -> dict[str, bool]:
    done = subprocess.run(
        [_node(), "-e", ROUND_TRIP, str(FORMAT_JS), *map(str, files)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def test_every_sample_article_and_fixture_round_trips_byte_for_byte():
    files = sorted((ROOT / "content").rglob("*.md")) + sorted(FIXTURES.rglob("*.md"))
    assert len(files) > 40
    result = _round_trip(files)
    assert [f for f, same in result.items() if not same] == []


def test_the_wordpress_import_output_round_trips_byte_for_byte(tmp_path):
    from test_wordpress import EXPORT, OPTIONS, WP, make_uploads, no_network

    from magazin.wordpress.importer import import_wordpress

    shutil.copytree(WP / "site", tmp_path / "site")
    content = tmp_path / "site" / "content"
    import_wordpress(EXPORT, content, uploads=make_uploads(tmp_path / "uploads"), fetch=no_network, **OPTIONS)
    files = sorted((content / "articles").rglob("*.md")) + sorted((content / "pages").rglob("*.md"))
    assert len(files) >= 3
    result = _round_trip(files)
    assert [f for f, same in result.items() if not same] == []


EDIT = """
const fs = require("fs");
const F = require(process.argv[1]);
const text = fs.readFileSync(process.argv[2], "utf8");
const data = JSON.parse(JSON.stringify(F.fromFile(text)));
data.summary = "Eine neue Zusammenfassung.";
data.kommentare = "aus";
data.body = data.body.replace(process.argv[3], process.argv[4]);
process.stdout.write(F.toFile(data));
"""


def test_an_edit_changes_only_the_lines_the_author_changed():
    source = (
        ROOT
        / "content"
        / "articles"
        / "technik"
        / "orbitalschweissen-von-edelstahlrohren-schritt-fuer-schritt.md"
    )
    old = source.read_text(encoding="utf-8")
    sentence = "Hier ändert sich das Gefüge"
    done = subprocess.run(
        [_node(), "-e", EDIT, str(FORMAT_JS), str(source), sentence, "Hier wandelt sich das Gefüge"],
        capture_output=True,
        text=True,
        check=True,
    )
    new = done.stdout
    old_lines, new_lines = old.split("\n"), new.split("\n")
    removed = [line for line in old_lines if line not in new_lines]
    added = [line for line in new_lines if line not in old_lines]
    assert [line.split(":")[0] for line in removed[:1]] == ["Summary"]
    assert added[0] == "Summary: Eine neue Zusammenfassung."
    assert "Kommentare: aus" in added
    assert len(removed) == 2 and len(added) == 3  # summary, the sentence's line; + Kommentare
    assert new_lines.index("Kommentare: aus") < new_lines.index("")  # in the header


# ---- pictures from a phone: no location on the published site -----------------------------------


def _photo_with_gps(path: Path) -> None:
    from PIL import Image

    exif = Image.Exif()
    exif[0x0112] = 1  # orientation
    exif[0x010F] = "Telefonkamera"
    exif[0x8825] = {1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 36.0)}
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (640, 480), (90, 110, 130)).save(path, "JPEG", quality=85, exif=exif.tobytes())


def test_gps_data_never_reaches_the_published_site(tmp_path):
    from PIL import Image

    content = copy_fixture("search", tmp_path / "site")
    photo = content / "images" / "technik" / "vom-telefon.jpg"
    _photo_with_gps(photo)
    original = photo.read_bytes()
    article = content / "articles" / "technik" / "vorschweissflansch.md"
    article.write_text(
        article.read_text(encoding="utf-8")
        + "\n![Ein Flansch, mit dem Telefon fotografiert]({static}/images/technik/vom-telefon.jpg)\n",
        encoding="utf-8",
    )
    out = tmp_path / "output"
    build_site(content, out)
    published = out / "images" / "technik" / "vom-telefon.jpg"
    exif = Image.open(published).getexif()
    assert 0x8825 not in exif and exif.get_ifd(0x8825) == {}
    assert exif[0x010F] == "Telefonkamera" and exif[0x0112] == 1  # the rest stays
    assert b"Telefonkamera" in published.read_bytes()
    # the picture itself is untouched: the same bytes after the EXIF segment
    assert published.read_bytes()[-2000:] == original[-2000:]
    assert list(Image.open(published).getdata()) == list(Image.open(photo).getdata())
    # the author's file in content/ keeps its bytes (the build never changes sources)
    assert photo.read_bytes() == original and 0x8825 in Image.open(photo).getexif()
    # no other published JPEG carries a location either (derivatives are made without EXIF)
    for jpeg in out.rglob("*.jpg"):
        assert 0x8825 not in Image.open(jpeg).getexif(), jpeg


def test_the_security_gate_accepts_the_editor_policy_and_nothing_else(site, tmp_path):
    """The audit's CSP gate: /redaktion/ may carry exactly editor_csp(settings), no other."""
    from magazin.audit import security
    from magazin.audit.core import Site
    from magazin.core.build import read_magazine_settings

    settings = read_magazine_settings(ROOT / "pelicanconf.py", {"PATH": str(site["content"])})
    copy = tmp_path / "output"
    shutil.copytree(site["output"], copy)
    result = security.run(Site.from_settings(copy, settings))
    assert [f for f in result.problems if "redaktion" in str(f)] == []
    page = copy / "redaktion" / "index.html"
    page.write_text(
        page.read_text(encoding="utf-8").replace("connect-src &#39;self&#39;", "connect-src *"),
        encoding="utf-8",
    )
    result = security.run(Site.from_settings(copy, settings))
    assert any("CSP der Redaktion weicht" in str(f) for f in result.problems), result.problems
    # the same relaxation on any other page is refused as before
    other = copy / "technik" / "index.html"
    other.write_text(
        other.read_text(encoding="utf-8").replace(
            "script-src &#39;self&#39;", "script-src &#39;self&#39; &#39;unsafe-eval&#39;"
        ),
        encoding="utf-8",
    )
    result = security.run(Site.from_settings(copy, settings))
    assert any("unsafe-eval" in str(f) and "technik" in str(f) for f in result.problems), result.problems


def test_no_local_editing_without_a_branch_of_its_own(tmp_path):
    """decap-server checks out the configured branch for every request: on a detached HEAD (or
    outside git) the generated config has no local backend, so nothing would switch branches."""
    from editor_helpers import git, init_repository

    from magazin.core.build import read_magazine_settings
    from magazin.editor.config import decap_config

    content = copy_fixture("search", tmp_path / "site")
    settings = read_magazine_settings(ROOT / "pelicanconf.py", {"PATH": str(content)})
    assert "local_backend" not in decap_config(settings)  # no git repository at all
    init_repository(tmp_path / "site")
    git(tmp_path / "site", "checkout", "-q", "-b", "schreiben")
    config = decap_config(settings)
    assert config["local_backend"] == {"url": "http://127.0.0.1:8082/api/v1"}
    assert config["backend"]["branch"] == "schreiben"
    git(tmp_path / "site", "checkout", "-q", "--detach")
    assert "local_backend" not in decap_config(settings)
