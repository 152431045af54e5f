"""Settings plumbing shared by every plugin of the magazine (one copy instead of one per plugin).

A plugin DECLARES its settings once, next to its code: name (with the plugin's prefix),
default, one line of meaning, and the type when the default does not tell it::

    from magazin.core.settings import Setting, declare

    DEFAULTS = declare(
        "magazin.posts",
        "POSTS_",
        Setting("POSTS_PATH", "media/posts", "folder below PATH with the fetched posts"),
    )

``DEFAULTS`` is a read-only mapping name → default, so it works wherever a dict of defaults
did. ``apply_defaults`` (called by ``wiring.configure_with`` in the plugin's ``initialized``
handler) first checks the site's settings against the declaration: a key with the plugin's
prefix that is not declared (a typo, an old name) or a value of the wrong type stops the build
with a German message naming ``pelicanconf.py``/``publishconf.py``, the line and the nearest
valid name. ``docs/einstellungen.md`` is generated from all declarations (``invoke
einstellungen``; a test keeps it current).

    def somewhere(generator):
        count = setting(generator.settings, "POSTS_FEED_COUNT", DEFAULTS)

``setting()`` also works on settings the ``initialized`` handler has not seen (tests, the
linter of ``invoke check``, which reads settings without starting Pelican).
"""

from __future__ import annotations

import copy
import difflib
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .processes import usable_cores, workers  # noqa: F401 - re-exported: started work asks processes.py

PUBLISHER_FALLBACK = "heco gmbh"

# The reference that lists every declared setting (generated, see ``reference_markdown``).
REFERENCE = "docs/einstellungen.md"
# Capabilities with settings that are libraries, not listed plugins: their tasks check them.
LIBRARIES = ("magazin.server",)


@dataclass(frozen=True)
class Setting:
    """One setting: its name (with the owner's prefix), default, meaning and accepted type.

    ``kind`` defaults to the default's type (a list or tuple accepts both; ``None`` as the
    default accepts anything unless ``kind`` says otherwise). ``computed``: set by the build
    itself, never in a settings file (documented, not accepted from ``pelicanconf.py``)."""

    name: str
    default: Any
    meaning: str
    kind: type | tuple[type, ...] | None = None
    computed: bool = False

    def kinds(self) -> tuple[type, ...]:
        """The accepted Python types (empty: anything)."""
        if self.kind is not None:
            return self.kind if isinstance(self.kind, tuple) else (self.kind,)
        if self.default is None:
            return ()
        if isinstance(self.default, list | tuple):
            return (list, tuple)
        if isinstance(self.default, float):
            return (int, float)
        return (type(self.default),)


_KIND_NAMES = {
    bool: "ja/nein (True/False)",
    int: "eine Zahl",
    float: "eine Zahl",
    str: "ein Text",
    list: "eine Liste",
    tuple: "eine Liste",
    dict: "eine Zuordnung (dict)",
    type(None): "None",
}


def kind_name(kinds: Iterable[type]) -> str:
    """The accepted types in German words (``eine Liste``, ``ein Text oder None``)."""
    names: list[str] = []
    for k in kinds:
        name = _KIND_NAMES.get(k, k.__name__)
        if name not in names:
            names.append(name)
    return " oder ".join(names) or "beliebig"


class Declarations(Mapping[str, Any]):
    """A plugin's declared settings; as a mapping: name → default (read-only)."""

    def __init__(
        self,
        owner: str,
        prefixes: Sequence[str],
        settings: Iterable[Setting],
        renamed: Mapping[str, str] | None = None,
    ) -> None:
        self.owner = owner
        self.prefixes = tuple(prefixes)
        self.settings: dict[str, Setting] = {}
        for item in settings:
            if not item.name.startswith(self.prefixes):
                raise ValueError(f"{owner}: {item.name} lacks the prefix {' or '.join(self.prefixes)}")
            if item.name in self.settings:
                raise ValueError(f"{owner}: {item.name} declared twice")
            self.settings[item.name] = item
        self.renamed = dict(renamed or {})

    def __getitem__(self, key: str) -> Any:
        return self.settings[key].default

    def __iter__(self) -> Iterator[str]:
        return iter(self.settings)

    def __len__(self) -> int:
        return len(self.settings)

    def __repr__(self) -> str:
        return f"Declarations({self.owner!r}, {len(self)} settings)"


# Every declaration made in this process, by owner (filled when a plugin module is imported;
# a declaration is a constant of the code, like a function, not state of a build).
_DECLARED: dict[str, Declarations] = {}


def declare(
    owner: str,
    prefixes: str | Sequence[str],
    *settings: Setting,
    renamed: Mapping[str, str] | None = None,
) -> Declarations:
    """Declare the settings of plugin ``owner`` (its package, ``magazin.<name>``); every name
    carries one of ``prefixes``. ``renamed``: old name → new name, refused with a hint."""
    prefixes = (prefixes,) if isinstance(prefixes, str) else tuple(prefixes)
    declared = Declarations(owner, prefixes, settings, renamed)
    _DECLARED[owner] = declared
    return declared


def declarations() -> dict[str, Declarations]:
    """All declarations made so far, by owner, sorted by owner."""
    return dict(sorted(_DECLARED.items()))


@dataclass(frozen=True)
class SettingsProblem:
    """One wrong setting, for the German message."""

    key: str
    message: str


def locate(key: str, files: Iterable[Path]) -> tuple[str, int | None]:
    """The settings file and line that set ``key`` (the first of ``files`` that does)."""
    from .errors import source_lines

    pattern = re.compile(rf"^\s*{re.escape(key)}\s*(?::[^=]*)?=|[\"']{re.escape(key)}[\"']")
    for path in files:
        for number, line in enumerate(source_lines(path) or [], start=1):
            if pattern.search(line):
                return str(path.name), number
    return "pelicanconf.py/publishconf.py", None


def settings_files(settings: Mapping[str, Any]) -> list[Path]:
    """The settings files that may have set a key: the one the build read (``SETTINGS_FILE``
    when known) and ``publishconf.py``/``pelicanconf.py`` in the project folder."""
    candidates: list[Path] = []
    read = settings.get("MAGAZINE_SETTINGS_FILE")
    if read:
        candidates.append(Path(read))
        candidates += [Path(read).parent / "publishconf.py", Path(read).parent / "pelicanconf.py"]
    path = settings.get("PATH")
    if path:
        candidates += [Path(path).parent / "publishconf.py", Path(path).parent / "pelicanconf.py"]
    candidates += [Path("publishconf.py"), Path("pelicanconf.py")]
    seen: list[Path] = []
    for candidate in candidates:
        resolved = candidate.resolve()
        if resolved not in seen and resolved.is_file():
            seen.append(resolved)
    return seen


def problems(settings: Mapping[str, Any], declared: Declarations) -> list[SettingsProblem]:
    """What is wrong with the site's settings for one plugin: unknown or renamed keys with its
    prefix, values of the wrong type."""
    found: list[SettingsProblem] = []
    known = list(declared.settings)
    for key in sorted(settings):
        if key in declared.renamed:
            new = declared.renamed[key]
            found.append(
                SettingsProblem(key, f"Die Einstellung „{key}“ heißt jetzt „{new}“: bitte umbenennen.")
            )
            continue
        if not key.startswith(declared.prefixes):
            continue
        item = declared.settings.get(key)
        if item is None:
            near = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
            hint = f" Meinten Sie „{near[0]}“?" if near else ""
            found.append(
                SettingsProblem(
                    key,
                    f"Die Einstellung „{key}“ gibt es nicht.{hint} Alle Einstellungen stehen in {REFERENCE}.",
                )
            )
            continue
        kinds = item.kinds()
        value = settings[key]
        if not kinds or (value is None and item.default is None):
            continue
        wrong = not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds)
        if wrong:
            found.append(
                SettingsProblem(
                    key,
                    f"„{key}“ muss {kind_name(kinds)} sein, ist aber {kind_name([type(value)])} "
                    f"({value!r}). Vorgabe: {item.default!r}.",
                )
            )
    return found


def check_settings(settings: Mapping[str, Any], declared: Declarations) -> None:
    """Stop the build with German messages (file:line) when ``problems`` finds any."""
    found = problems(settings, declared)
    if not found:
        return
    from .errors import ContentError, ContentErrors

    files = settings_files(settings)
    raise ContentErrors([ContentError(*locate(p.key, files), p.message) for p in found])


# The core's own settings (the plugins declare theirs in their folders).
CORE = declare(
    "magazin.core",
    "MAGAZINE_",
    Setting("MAGAZINE_CANONICAL_BASE", "", "absolute base of canonical links, Open Graph, JSON-LD and feeds"),
    Setting("MAGAZINE_STRICT", False, "any warning fails the build (publishconf switches it on)"),
    Setting("MAGAZINE_DATA_DIR", "data", "folder below PATH with channels.yml, authors.yml, departments.yml"),
    Setting(
        "MAGAZINE_EXTRA_NAV",
        [],
        "extra navigation entries (url, label, active key) before „Über das Magazin“",
    ),
    Setting(
        "MAGAZINE_CSP",
        "",
        "Content-Security-Policy of every page (first <meta> in <head>); {frame_src}: the embed providers",
    ),
    Setting("MAGAZINE_SETTINGS_FILE", None, "the settings file the build read", kind=str, computed=True),
    Setting(
        "MAGAZINE_BODY_REFRESHERS",
        [],
        "plugins' hooks the live preview's fast render runs on an edited body",
        computed=True,
    ),
    # Until 2026-12 the feeds plugin's settings were called MAGAZINE_FEED_* (now FEEDS_*).
    renamed={f"MAGAZINE_FEED_{name}": f"FEEDS_{name}" for name in ("ALL", "DEPARTMENT", "MAX_ITEMS")},
)


def apply_defaults(settings: dict, defaults: Mapping[str, Any]) -> None:
    """Fill in every key of ``defaults`` the site's settings do not set (after checking the
    site's settings against them when they are a declaration)."""
    if isinstance(defaults, Declarations):
        check_settings(settings, defaults)
    for key, value in defaults.items():
        if key not in settings:
            settings[key] = copy.deepcopy(value)  # a build may extend a list: never the plugin's


def setting(settings: Mapping[str, Any], key: str, defaults: Mapping[str, Any]) -> Any:
    """``settings[key]``, or the plugin's default when the site does not set it.

    A ``KeyError`` for a key missing from ``defaults`` is deliberate: a typo in a setting's
    name fails at once instead of silently reading ``None``."""
    return settings.get(key, defaults[key])


def add_template_dir(settings: dict, path: str | os.PathLike[str]) -> None:
    """Let the theme's Jinja loader find a plugin's templates (once; after the theme's own).

    Pelican searches ``THEME_TEMPLATES_OVERRIDES`` before the theme, so a plugin folder must
    only hold templates the theme does not have (see docs/architektur.md)."""
    overrides = list(settings.get("THEME_TEMPLATES_OVERRIDES", []))
    if str(path) not in overrides:
        overrides.append(str(path))
    settings["THEME_TEMPLATES_OVERRIDES"] = overrides


def add_static_dir(settings: dict, path: str | os.PathLike[str], prefix: str) -> str:
    """Publish a plugin's ``static`` folder with the theme's static files (once) and return
    the site path its files get (``theme/<prefix>``).

    Pelican copies each ``THEME_STATIC_PATHS`` folder's contents into ``THEME_STATIC_DIR``, so
    two plugins would overwrite each other's ``consent.js`` or ``videos.css``: every plugin keeps
    its files in ``static/<prefix>/`` (``prefix`` = the plugin's name) and nothing beside it."""
    folder = Path(path)
    stray = sorted(p.name for p in folder.iterdir() if p.name != prefix) if folder.is_dir() else []
    if not (folder / prefix).is_dir() or stray:
        raise ValueError(f"{folder} must contain exactly one folder {prefix!r} (found {stray or 'nothing'})")
    paths = list(settings.get("THEME_STATIC_PATHS", []))
    if str(folder) not in paths:
        paths.append(str(folder))
    settings["THEME_STATIC_PATHS"] = paths
    return f"{settings.get('THEME_STATIC_DIR', 'theme')}/{prefix}"


def add_markdown_extension(settings: dict, extension: Any) -> None:
    """Append a Markdown extension instance to ``MARKDOWN`` (a copy: the settings module's dict
    stays untouched); an earlier instance of the same class is replaced, not doubled."""
    md = dict(settings.get("MARKDOWN") or {})
    kept = [e for e in md.get("extensions", []) if type(e) is not type(extension)]
    md["extensions"] = [*kept, extension]
    md["extension_configs"] = dict(md.get("extension_configs", {}))
    settings["MARKDOWN"] = md


def canonical_base(settings: Mapping[str, Any]) -> str:
    """Absolute base of canonical links, Open Graph, JSON-LD and feeds, without a trailing slash:
    ``MAGAZINE_CANONICAL_BASE``, else ``SITEURL``, else empty."""
    return (settings.get("MAGAZINE_CANONICAL_BASE") or settings.get("SITEURL") or "").rstrip("/")


def publisher_name(settings: Mapping[str, Any]) -> str:
    """The publisher named in feeds, copyright lines and JSON-LD (``PUBLISHER``)."""
    return settings.get("PUBLISHER") or PUBLISHER_FALLBACK


def reference_markdown(declared: Mapping[str, Declarations]) -> str:
    """The settings reference (``docs/einstellungen.md``): every declared setting by plugin,
    with its default, type and meaning; generated, never edited by hand."""
    lines = [
        "# Settings reference",
        "",
        "Generated from the declarations in the code by `invoke einstellungen`; do not edit by hand",
        "(`tests/test_settings_declared.py` fails when it is out of date). Set a setting in",
        "`pelicanconf.py` (all builds) or `publishconf.py` (the published site only). A misspelt",
        "or retired name with a plugin's prefix, or a value of the wrong type, stops the build with",
        "a German message naming the file, the line and the nearest valid name.",
        "",
    ]
    for owner, decl in declared.items():
        lines += [f"## `{owner}` — prefix {', '.join(f'`{p}`' for p in decl.prefixes)}", ""]
        lines += ["| setting | default | type | meaning |", "|---|---|---|---|"]
        for item in decl.settings.values():
            default = "(computed by the build)" if item.computed else f"`{_short(item.default)}`"
            kinds = ", ".join(sorted({k.__name__ for k in item.kinds()})) or "any"
            meaning = item.meaning.replace("|", "\\|")
            lines.append(f"| `{item.name}` | {default} | {kinds} | {meaning} |")
        if decl.renamed:
            lines += [
                "",
                "Retired names (refused with a hint): "
                + ", ".join(f"`{old}` → `{new}`" for old, new in sorted(decl.renamed.items()))
                + ".",
            ]
        lines.append("")
    return "\n".join(lines)


def reference_for(plugins: Iterable[str]) -> str:
    """The settings reference of the core and the listed plugins (``PLUGINS`` of a settings
    file; names outside ``magazin.`` are other people's and have their own documentation)."""
    import importlib

    for name in [*plugins, *LIBRARIES]:
        if str(name).startswith("magazin."):
            importlib.import_module(str(name))
    listed = {"magazin.core", *LIBRARIES, *map(str, plugins)}
    return reference_markdown({k: v for k, v in declarations().items() if k in listed})


def _short(value: Any) -> str:
    text = repr(value).replace("|", "\\|").replace("`", "'")
    return text if len(text) <= 60 else text[:57] + "…"
