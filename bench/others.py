"""The comparison builds: stock Pelican (default theme, no plugins) and Hugo, on the same
Markdown. Each gets its own minimal configuration written into the benchmark folder."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

STOCK_SETTINGS = '''"""Stock Pelican for the benchmark: default theme, no plugins."""
AUTHOR = "heco gmbh"
SITENAME = "Stock Pelican"
SITEURL = ""
PATH = {path!r}
OUTPUT_PATH = {output!r}
ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images"]
TIMEZONE = "Europe/Berlin"
DEFAULT_LANG = "de"
PLUGINS = []
DELETE_OUTPUT_DIRECTORY = True
'''


def write_stock_settings(folder: Path, content: Path, output: Path) -> Path:
    """Write the stock Pelican settings file; return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "stockconf.py"
    path.write_text(STOCK_SETTINGS.format(path=str(content), output=str(output)), encoding="utf-8")
    return path


HUGO_CONFIG = """baseURL = "http://127.0.0.1/"
languageCode = "de"
title = "Hugo"
disableKinds = ["RSS"]
[taxonomies]
  tag = "tags"
  category = "categories"
  author = "authors"
[markup.goldmark.renderer]
  unsafe = true
"""
HUGO_LAYOUTS = {
    "_default/baseof.html": '<!doctype html><html lang="de"><head><meta charset="utf-8">'
    '<title>{{ .Title }}</title></head><body>{{ block "main" . }}{{ end }}</body></html>\n',
    "_default/single.html": '{{ define "main" }}<article><h1>{{ .Title }}</h1>'
    '<p>{{ .Date.Format "02.01.2006" }} · {{ delimit .Params.authors ", " }}</p>'
    "{{ .Content }}<ul>{{ range .Params.tags }}<li>{{ . }}</li>{{ end }}</ul></article>{{ end }}\n",
    "_default/list.html": '{{ define "main" }}<h1>{{ .Title }}</h1>{{ range .Paginator.Pages }}'
    '<h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2><p>{{ .Summary }}</p>'
    "{{ end }}{{ end }}\n",
    "index.html": '{{ define "main" }}{{ range (.Paginate (where .Site.RegularPages "Type" "posts")).Pages }}'
    '<h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>{{ end }}{{ end }}\n',
}
_HEADER = re.compile(r"^(?P<key>[A-Za-z]+):\s*(?P<value>.*)$")


def _yaml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_front_matter(text: str, category: str) -> str:
    """Pelican's ``Key: value`` header to Hugo's YAML front matter; ``{static}`` links to ``/``."""
    head, _, body = text.partition("\n\n")
    lines = ["---"]
    for line in head.splitlines():
        match = _HEADER.match(line)
        if not match:
            continue
        key, value = match.group("key").lower(), match.group("value").strip()
        if key == "tags":
            lines.append("tags: [" + ", ".join(_yaml_string(t.strip()) for t in value.split(",")) + "]")
        elif key == "author":
            lines.append(f"authors: [{_yaml_string(value)}]")
        elif key == "date":
            lines.append(f"date: {value.replace(' ', 'T')}:00+01:00")
        else:
            lines.append(f"{key}: {_yaml_string(value)}")
    lines.append(f"categories: [{_yaml_string(category)}]")
    lines.append("---")
    return "\n".join(lines) + "\n\n" + body.replace("{static}/", "/")


def make_hugo_site(folder: Path, content: Path) -> Path:
    """Convert the corpus into a Hugo site in ``folder`` (replacing it); return it."""
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "content" / "posts").mkdir(parents=True)
    (folder / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    for rel, text in HUGO_LAYOUTS.items():
        target = folder / "layouts" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    for source in sorted((content / "articles").rglob("*.md")):
        category = source.parent.name
        target = folder / "content" / "posts" / category / source.name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(to_front_matter(source.read_text(encoding="utf-8"), category), encoding="utf-8")
    shutil.copytree(content / "images", folder / "static" / "images")
    return folder
