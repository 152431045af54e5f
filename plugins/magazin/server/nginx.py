"""The nginx configuration of the magazine on the company's own server, from the site's settings.

``invoke server-config`` writes ``magazin.conf`` (an include for the ``http`` block of
Debian's nginx) into ``SERVER_CONFIG_DIR``, never into ``output/``. Everything in it comes
from the same settings the build reads:

- the site's Content-Security-Policy (``MAGAZINE_CSP`` after every plugin added its part, as
  the pages carry it in their ``<meta>``) as an HTTP header, plus ``frame-ancestors 'none'``
  (a meta policy cannot say that), HSTS, ``X-Content-Type-Options``, ``Referrer-Policy``,
  ``Permissions-Policy`` and ``Cross-Origin-Opener-Policy``;
- caching: fingerprinted files (``SERVER_IMMUTABLE``) a year and immutable, everything else
  revalidated; the ``.gz`` copies the release step writes are served as they are;
- the site's ``404.html``; the WordPress import's redirect map as real 301s (the build writes
  it into the site, nginx reads the live release's copy);
- Isso proxied on the same origin (``SERVER_COMMENTS_PATH``), its admin page only for
  ``SERVER_ADMIN_NETWORKS``, a German answer when it is down;
- the authors' editor (``EDITOR_URL`` of the listed editor plugin) with its page's own policy;
- access logs with shortened IP addresses only, and a silent 204 for the statistics' plain
  requests (``/statistik/``: a clicked video, a search without result) that the log records.

``standalone_config()`` wraps it into a complete nginx.conf with its own prefix, temp and
log folders: how the tests and ``invoke bench-server`` run Debian's nginx on loopback.
"""

from __future__ import annotations

import ipaddress
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2

from magazin.core.errors import BuildFailed, ContentErrors
from magazin.statistics.settings import beacon_path
from magazin.statistics.settings import enabled as statistics_enabled

from .settings import check_server_settings, server_setting

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
CONFIG_NAME = "magazin.conf"
NGINX = Path("/usr/sbin/nginx")
MIME_TYPES = Path("/etc/nginx/mime.types")
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")
COMMENTS_DOWN = (
    "Der Kommentar-Server ist gerade nicht erreichbar. Ihr Kommentar wurde nicht gespeichert – "
    "bitte versuchen Sie es in einigen Minuten noch einmal."
)
COMMENTS_REFUSED = (
    "Ihr Kommentar wurde nicht angenommen: Aus Ihrem Netz kamen gerade zu viele Kommentare "
    "(oder die Anfrage war ungültig). Bitte versuchen Sie es in einigen Minuten noch einmal."
)
# Isso's admin and moderation pages use inline scripts and styles (Isso's own templates).
ADMIN_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
_UNSAFE = re.compile(r'["$\\;{}\n\r]')
_UNSAFE_IN_POLICY = re.compile(r'["$\\{}\n\r]')  # a policy has ";" between its directives
_UNSAFE_IN_REGEX = re.compile(r'["\n\r]')  # a quoted location regex (no variables there)


class ServerConfigError(BuildFailed):
    """German problems with the ``SERVER_*`` settings (nothing is written)."""


def site_origin(settings: dict) -> str:
    """``scheme://host[:port]`` of ``SITEURL`` (or of ``MAGAZINE_CANONICAL_BASE``)."""
    url = settings.get("SITEURL") or settings.get("MAGAZINE_CANONICAL_BASE") or ""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ServerConfigError(
            [f"SITEURL {url!r}: der eigene Server braucht die vollständige Adresse der Website."]
        )
    return f"{parts.scheme}://{parts.netloc}"


def server_overrides(settings: dict) -> dict[str, Any]:
    """Settings a build for the own server changes: the comment server on the same origin."""
    path = server_setting(settings, "SERVER_COMMENTS_PATH")
    if not path or not settings.get("COMMENTS_ENABLED", True):
        return {}
    return {"COMMENTS_URL": site_origin(settings) + path.rstrip("/")}


def effective_settings(settings_file: str | os.PathLike[str], overrides: dict | None = None) -> dict:
    """The settings after every listed plugin's ``initialized`` handler ran (as in a build):
    ``MAGAZINE_CSP`` then holds the embed providers' frame origins and the comment server."""
    from pelican import Pelican

    from magazin.core.build import detach_plugins, read_magazine_settings

    settings = read_magazine_settings(settings_file, overrides)
    try:
        check_server_settings(settings)
    except ContentErrors as exc:
        raise BuildFailed([str(e) for e in exc.errors]) from None
    settings = read_magazine_settings(settings_file, {**(overrides or {}), **server_overrides(settings)})
    detach_plugins(settings)
    return Pelican(settings).settings


def _directives(policy: str) -> list[list[str]]:
    return [part.split() for part in policy.split(";") if part.split()]


def header_policy(csp: str) -> str:
    """The page policy as a header: ``frame-ancestors 'none'`` added (a ``<meta>`` cannot)."""
    parts = [d for d in _directives(csp) if d[0] != "frame-ancestors"]
    parts.append(["frame-ancestors", "'none'"])
    return "; ".join(" ".join(p) for p in parts)


def editor_location(settings: dict) -> tuple[str, str] | None:
    """(path, policy) of the authors' editor when its plugin is listed and on: the same policy
    its page carries as ``<meta>`` (``magazin.editor.policy.editor_csp``; a header that differed
    would only narrow it and break the editor)."""
    if "magazin.editor" not in (settings.get("PLUGINS") or []):
        return None
    from magazin.core.settings import setting
    from magazin.editor.policy import editor_csp
    from magazin.editor.settings import DEFAULTS as EDITOR

    if not setting(settings, "EDITOR_ENABLED", EDITOR):
        return None
    return "/" + str(setting(settings, "EDITOR_URL", EDITOR)).strip("/") + "/", editor_csp(settings)


def editor_policy(policy: str, extra: list[str]) -> str:
    """``policy`` with ``extra`` sources (``'unsafe-eval'`` for Decap) in ``script-src`` only."""
    parts = _directives(policy)
    for directive in parts:
        if directive[0] == "script-src":
            directive.extend(s for s in extra if s not in directive)
            break
    else:
        default = next((d[1:] for d in parts if d[0] == "default-src"), ["'self'"])
        parts.append(["script-src", *default, *extra])
    return "; ".join(" ".join(p) for p in parts)


def _value(key: str, value: Any, problems: list[str], *, policy: bool = False, regex: bool = False) -> str:
    text = str(value)
    pattern = _UNSAFE_IN_REGEX if regex else _UNSAFE_IN_POLICY if policy else _UNSAFE
    if pattern.search(text):
        problems.append(
            f"{key} = {text!r}: enthält ein Zeichen, das in der nginx-Konfiguration nicht stehen darf "
            '(" $ \\ ; { } oder Zeilenumbruch). Bitte in publishconf.py ändern.'
        )
    return text


def _list(settings: dict, key: str, problems: list[str]) -> list[str]:
    value = server_setting(settings, key)
    if isinstance(value, str):
        value = [value] if value else []
    if not isinstance(value, (list, tuple)):
        problems.append(f'{key}: bitte eine Liste angeben, z. B. ["…", "…"].')
        return []
    return [_value(key, v, problems) for v in value]


def config_context(settings: dict, *, root: str | None = None) -> dict[str, Any]:
    """Everything the template needs, checked; ``ServerConfigError`` lists every problem."""
    problems: list[str] = []
    origin = site_origin(settings)
    server_name = server_setting(settings, "SERVER_NAME") or urlsplit(origin).hostname
    csp = settings.get("MAGAZINE_CSP") or ""
    if not csp:
        problems.append(
            "MAGAZINE_CSP ist leer: ohne Richtlinie erzeugt der eigene Server keine Konfiguration."
        )
    policy = _value("MAGAZINE_CSP", header_policy(csp), problems, policy=True)
    root = str(root or server_setting(settings, "SERVER_ROOT")).rstrip("/")
    if not root.startswith("/"):
        problems.append(f"SERVER_ROOT {root!r}: bitte einen absoluten Pfad angeben.")
    context: dict[str, Any] = {
        "server_name": _value("SERVER_NAME", server_name, problems),
        "root": _value("SERVER_ROOT", root, problems),
        "listen": _list(settings, "SERVER_LISTEN", problems),
        "http_redirect_listen": _list(settings, "SERVER_HTTP_REDIRECT_LISTEN", problems),
        "tls_certificate": _value(
            "SERVER_TLS_CERTIFICATE", server_setting(settings, "SERVER_TLS_CERTIFICATE"), problems
        ),
        "tls_key": _value("SERVER_TLS_KEY", server_setting(settings, "SERVER_TLS_KEY"), problems),
        "policy": policy,
        "hsts": _value("SERVER_HSTS", server_setting(settings, "SERVER_HSTS"), problems, policy=True),
        "referrer_policy": _value(
            "SERVER_REFERRER_POLICY", server_setting(settings, "SERVER_REFERRER_POLICY"), problems
        ),
        "permissions_policy": _value(
            "SERVER_PERMISSIONS_POLICY", server_setting(settings, "SERVER_PERMISSIONS_POLICY"), problems
        ),
        "coop": _value("SERVER_COOP", server_setting(settings, "SERVER_COOP"), problems),
        "revalidate": _value("SERVER_REVALIDATE", server_setting(settings, "SERVER_REVALIDATE"), problems),
        "immutable": [],
        "access_log": _value("SERVER_ACCESS_LOG", server_setting(settings, "SERVER_ACCESS_LOG"), problems),
        "error_log": _value("SERVER_ERROR_LOG", server_setting(settings, "SERVER_ERROR_LOG"), problems),
        "redirect_map": "",
        "brotli": bool(server_setting(settings, "SERVER_BROTLI")),
        "editor": None,
        "comments": None,
        "statistics": "",
        # Pagefind's worker compiles its WebAssembly index: only the worker script's policy
        # allows that ('wasm-unsafe-eval', no JavaScript eval); every page keeps the strict one
        "search_worker_policy": editor_policy(policy, ["'wasm-unsafe-eval'"]),
    }
    if statistics_enabled(settings):
        context["statistics"] = _path("STATISTICS_PATH", beacon_path(settings), problems)
    if not context["listen"]:
        problems.append("SERVER_LISTEN ist leer: nginx braucht mindestens eine listen-Zeile.")
    for pattern in server_setting(settings, "SERVER_IMMUTABLE"):
        try:
            re.compile(pattern)
        except re.error as exc:
            problems.append(f"SERVER_IMMUTABLE: {pattern!r} ist kein regulärer Ausdruck ({exc}).")
            continue
        context["immutable"].append(_value("SERVER_IMMUTABLE", pattern, problems, regex=True))
    redirect_map = settings.get("WORDPRESS_NGINX_MAP_SAVE_AS", "_redirects.nginx.conf")
    if redirect_map and "magazin.wordpress" in (settings.get("PLUGINS") or []):
        name = _value("WORDPRESS_NGINX_MAP_SAVE_AS", redirect_map, problems)
        context["redirect_map"] = name
        # a glob: nginx accepts a pattern that matches nothing (a site without WordPress import)
        context["redirect_map_glob"] = name[:-1] + f"[{name[-1]}]"
    editor = editor_location(settings)
    if editor is not None:
        path, editor_csp = editor
        context["editor"] = {"path": _path("EDITOR_URL", path, problems), "policy": header_policy(editor_csp)}
    comments_path = server_setting(settings, "SERVER_COMMENTS_PATH")
    if comments_path and settings.get("COMMENTS_ENABLED", True):
        networks = []
        for network in _list(settings, "SERVER_ADMIN_NETWORKS", problems):
            try:
                networks.append(str(ipaddress.ip_network(network, strict=False)))
            except ValueError:
                problems.append(f"SERVER_ADMIN_NETWORKS: {network!r} ist kein Netz (z. B. 10.0.0.0/8).")
        path = _path("SERVER_COMMENTS_PATH", comments_path, problems)
        context["comments"] = {
            "path": path,
            "script_name": path.rstrip("/"),
            "upstream": _value(
                "SERVER_COMMENTS_UPSTREAM", server_setting(settings, "SERVER_COMMENTS_UPSTREAM"), problems
            ),
            "admin_networks": networks,
            "admin_policy": ADMIN_POLICY,
            "down_message": COMMENTS_DOWN,
            "refused_message": COMMENTS_REFUSED,
        }
    if problems:
        raise ServerConfigError(problems)
    return context


def _path(key: str, value: str, problems: list[str]) -> str:
    text = _value(key, value, problems)
    if not re.fullmatch(r"/[a-z0-9._-]+(?:/[a-z0-9._-]+)*/", text):
        problems.append(f"{key} {text!r}: ein Pfad wie „/kommentare/“ (mit / am Anfang und Ende).")
    return text


def _environment() -> jinja2.Environment:
    # nginx syntax, not HTML: no autoescape; every value was checked by config_context().
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=False,  # noqa: S701 - nginx syntax, values checked
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_config(settings: dict, *, root: str | None = None) -> str:
    """The text of ``magazin.conf`` for ``settings`` (see ``effective_settings``)."""
    return _environment().get_template("magazin.nginx.conf").render(config_context(settings, root=root))


def write_config(settings: dict, target: str | os.PathLike[str], *, root: str | None = None) -> Path:
    """Write ``magazin.conf`` into the folder ``target``; refuses ``output/`` and folders in it."""
    target = Path(target).resolve()
    output = Path(settings.get("OUTPUT_PATH", "output")).resolve()
    if target == output or target.is_relative_to(output):
        raise ServerConfigError(
            [f"{target}: die Server-Konfiguration gehört nicht in die Website ({output})."]
        )
    text = render_config(settings, root=root)
    target.mkdir(parents=True, exist_ok=True)
    path = target / CONFIG_NAME
    tmp = path.with_name(f".{CONFIG_NAME}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return path


def standalone_config(
    include: Path, prefix: Path, *, workers: int = 1, connections: int = 1024, brotli: bool = False
) -> str:
    """A complete nginx.conf around ``include`` for a run of its own (tests, bench): pid, logs
    and temp folders under ``prefix``, in the foreground; nothing of the system's nginx used
    except Debian's ``mime.types`` (and the Brotli module, when ``brotli``)."""
    prefix = Path(prefix)
    temp = prefix / "temp"
    for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (temp / name).mkdir(parents=True, exist_ok=True)
    user = ""
    if os.geteuid() == 0:  # workers would run as nobody and not read a private temp folder
        import grp
        import pwd

        user = f"user {pwd.getpwuid(os.getuid()).pw_name} {grp.getgrgid(os.getgid()).gr_name};\n"
    module = f"load_module {BROTLI_MODULE};\n" if brotli else ""
    return (
        f"# nginx für einen eigenen Lauf (Tests, Messungen) – erzeugt von plugins/magazin/server\n"
        f"{module}{user}worker_processes {workers};\n"
        f"daemon off;\n"
        f"pid {prefix}/nginx.pid;\n"
        f"error_log {prefix}/error.log warn;\n"
        f"events {{ worker_connections {connections}; }}\n"
        f"http {{\n"
        f"    include {MIME_TYPES};\n"
        f"    default_type application/octet-stream;\n"
        f"    sendfile on;\n"
        f"    tcp_nopush on;\n"
        f"    keepalive_requests 10000;\n"
        f"    client_body_temp_path {temp}/body;\n"
        f"    proxy_temp_path {temp}/proxy;\n"
        f"    fastcgi_temp_path {temp}/fastcgi;\n"
        f"    uwsgi_temp_path {temp}/uwsgi;\n"
        f"    scgi_temp_path {temp}/scgi;\n"
        f"    access_log off;\n"
        f"    include {include};\n"
        f"}}\n"
    )
