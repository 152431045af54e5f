"""Shared pieces of the importers: HTTP with German error messages, media download, the store.

This package is the only code of the magazine that goes online; it runs from the
``invoke fetch-…``/``import-…`` tasks, never during a build.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import io
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from magazin.core.errors import ContentError, ContentErrors

from ..model import load_post, post_key

BERLIN = ZoneInfo("Europe/Berlin")
USER_AGENT = "Edelstahlmagazin-Importer/1.0 (+https://magazin.heco.de/)"
IMAGE_DIR = "bilder"


class ImportFailed(Exception):
    """An import stopped; the message is German and says what to do."""


@dataclass
class ImportReport:
    """What an import did (printed by the task)."""

    added: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        lines = [
            f"Neu gespeichert: {len(self.added)} Beitrag/Beiträge, "
            f"schon vorhanden: {len(self.skipped)}, Bilder geladen: {len(self.images)}."
        ]
        lines += [f"  + {name}" for name in self.added]
        lines += [f"  ! {note}" for note in self.notes]
        return "\n".join(lines)


def _retry_time(headers, now: dt.datetime) -> dt.datetime | None:
    """When a rate limit ends: ``x-rate-limit-reset`` (epoch or ISO) or ``Retry-After``."""
    for name in ("x-rate-limit-reset", "X-RateLimit-Reset"):
        value = headers.get(name)
        if not value:
            continue
        value = value.strip()
        if value.isdigit():
            return dt.datetime.fromtimestamp(int(value), dt.UTC)
        try:
            return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            pass
    retry = headers.get("Retry-After")
    if retry:
        if retry.strip().isdigit():
            return now + dt.timedelta(seconds=int(retry))
        try:
            return email.utils.parsedate_to_datetime(retry)
        except (TypeError, ValueError):
            return None
    return None


class HttpClient:
    """GET requests with German errors for 401/403, 404, 429 and unreachable hosts."""

    def __init__(
        self,
        service: str,
        *,
        token: str = "",
        auth_hint: str = "",
        timeout: float = 20,
        now: Callable[[], dt.datetime] | None = None,
    ):
        self.service = service
        self.token = token
        self.auth_hint = auth_hint
        self.timeout = timeout
        self.now = now or (lambda: dt.datetime.now(dt.UTC))

    def _open(self, url: str, params: dict | None = None) -> tuple[bytes, str]:
        if params:
            url = f"{url}{'&' if '?' in url else '?'}{urllib.parse.urlencode(params)}"
        if not url.startswith(("https://", "http://")):
            raise ImportFailed(f"Ungültige Adresse „{url}“.")
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})  # noqa: S310
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - http(s) only
                return response.read(), response.headers.get_content_type()
        except urllib.error.HTTPError as exc:
            raise self._http_error(exc, url) from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise ImportFailed(
                f"{self.service} ist nicht erreichbar ({reason}). "
                "Bitte Netzwerkverbindung prüfen und erneut versuchen."
            ) from None

    def _http_error(self, exc: urllib.error.HTTPError, url: str) -> ImportFailed:
        if exc.code in (401, 403):
            hint = self.auth_hint or "Der Dienst verlangt eine Anmeldung."
            return ImportFailed(f"{self.service} hat den Zugriff verweigert (HTTP {exc.code}). {hint}")
        if exc.code == 429:
            now = self.now()
            when = _retry_time(exc.headers, now)
            if when is None:
                return ImportFailed(
                    f"{self.service} meldet zu viele Anfragen (HTTP 429). "
                    "Bitte in einigen Minuten erneut versuchen."
                )
            local = when.astimezone(BERLIN)
            minutes = max(1, round((when - now).total_seconds() / 60))
            return ImportFailed(
                f"{self.service} meldet zu viele Anfragen (HTTP 429). Ein neuer Versuch ist ab "
                f"{local:%H:%M} Uhr am {local:%d.%m.%Y} möglich (in etwa {minutes} Minuten)."
            )
        if exc.code == 404:
            return ImportFailed(
                f"{self.service}: nicht gefunden (HTTP 404) – {url}. Stimmen Name bzw. Adresse?"
            )
        return ImportFailed(
            f"{self.service} antwortet mit Fehler HTTP {exc.code}. Bitte später erneut versuchen."
        )

    def get_json(self, url: str, params: dict | None = None) -> Any:
        body, _ = self._open(url, params)
        try:
            return json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise ImportFailed(f"{self.service} hat keine gültigen JSON-Daten geliefert ({url}).") from None

    def get_bytes(self, url: str) -> bytes:
        return self._open(url)[0]


def local_date(value: dt.datetime) -> str:
    """ISO 8601 in German local time (what the JSON files store)."""
    return value.astimezone(BERLIN).replace(microsecond=0).isoformat()


def parse_iso(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))


def post_filename(url: str) -> str:
    """``x-<id>.json`` or ``mastodon-<host>-<id>.json`` (the key of the post URL)."""
    key = post_key(url)
    if key is None:
        raise ImportFailed(f"„{url}“ ist keine Adresse eines Beitrags auf X oder Mastodon.")
    return f"{key[0]}-{key[1].replace('/', '-')}"


_FORMATS = {"JPEG": ".jpg", "PNG": ".png", "GIF": ".gif", "WEBP": ".webp"}


class PostStore:
    """The folder of cached posts: writes new posts (validated), never overwrites."""

    def __init__(self, folder: str | Path, report: ImportReport | None = None):
        self.folder = Path(folder)
        self.report = report or ImportReport()

    def has(self, url: str) -> bool:
        return (self.folder / f"{post_filename(url)}.json").exists()

    def save_image(self, data: bytes, stem: str, folder: str = IMAGE_DIR) -> str:
        """Store image bytes (checked with Pillow) as ``<folder>/<stem>.<ext>``; return the relative path."""
        from PIL import Image, UnidentifiedImageError

        try:
            with Image.open(io.BytesIO(data)) as image:
                suffix = _FORMATS.get(image.format or "", "")
        except (UnidentifiedImageError, OSError):
            suffix = ""
        if not suffix:
            raise ImportFailed(f"Die Datei für {stem} ist kein unterstütztes Bild (JPEG, PNG, GIF, WebP).")
        rel = f"{folder}/{stem}{suffix}"
        target = self.folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists():
            target.write_bytes(data)
            self.report.images.append(rel)
        return rel

    def add_alias(self, url: str, alias: str) -> bool:
        """Remember that the stored post ``url`` was also fetched as ``alias`` (True if added)."""
        target = self.folder / f"{post_filename(url)}.json"
        if not target.exists():
            return False
        data = json.loads(target.read_text(encoding="utf-8"))
        aliases = list(data.get("aliases") or [])
        if alias in aliases:
            return False
        data["aliases"] = [*aliases, alias]
        target.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        self.report.notes.append(f"{target.name}: auch unter {alias} auffindbar.")
        return True

    def alias_of(self, alias: str) -> str | None:
        """The stored post's file name that lists ``alias`` among its addresses, if any."""
        for path in sorted(self.folder.glob("*.json")) if self.folder.is_dir() else []:
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, json.JSONDecodeError):
                continue
            if isinstance(data, dict) and alias in (data.get("aliases") or []):
                return path.name
        return None

    def add(self, post: dict) -> bool:
        """Write ``post`` unless it exists; validate it like the build does. True if added."""
        name = f"{post_filename(post['url'])}.json"
        target = self.folder / name
        if target.exists():
            self.report.skipped.append(name)
            return False
        self.folder.mkdir(parents=True, exist_ok=True)
        text = json.dumps(post, ensure_ascii=False, indent=2) + "\n"
        target.write_text(text, encoding="utf-8")
        try:
            load_post(target, self.folder)
        except (ContentError, ContentErrors) as exc:
            target.unlink()
            raise ImportFailed(f"Der Beitrag {post['url']} ergibt keine gültige Datei: {exc}") from None
        self.report.added.append(name)
        return True


def slug_stem(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-")
