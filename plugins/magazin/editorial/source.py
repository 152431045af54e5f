"""Read a Markdown source file the way Python-Markdown's ``meta`` extension does, but keep
line numbers and report every malformed header line instead of silently moving it into
the text.

Used by the pre-build checks and by ``invoke check``; pure Python, no Pelican needed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from magazin.core.errors import ContentError

# The same patterns as markdown.extensions.meta (so what we accept, Pelican accepts).
META_RE = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)$")
META_MORE_RE = re.compile(r"^[ ]{4,}(?P<value>.*)$")
BEGIN_RE = re.compile(r"^-{3}(\s.*)?$")
END_RE = re.compile(r"^(-{3}|\.{3})(\s.*)?$")
# The opening or closing line of a fenced code block (``` or ~~~): its lines are no prose.
FENCE_RE = re.compile(r"^\s*(```|~~~)")
# C0/C1 control characters except tab, line feed and carriage return; plus the Unicode
# line/paragraph separators, which editors show as nothing but Markdown treats oddly.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff]")


@dataclass
class Source:
    """One Markdown file: its header (keys lower-case) with line numbers, and its body."""

    path: Path
    kind: str  # "article" or "page"
    meta: dict[str, str] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)  # lower-case → as written
    body: list[str] = field(default_factory=list)
    body_start: int = 1  # line number of body[0]
    problems: list[ContentError] = field(default_factory=list)
    readable: bool = True

    def line_of(self, key: str) -> int | None:
        return self.lines.get(key.lower())

    def error(self, line: int | None, message: str, hint: str = "") -> None:
        self.problems.append(ContentError(str(self.path), line, message, hint))

    def body_lines(self):
        """(line number, text) of every body line."""
        return enumerate(self.body, start=self.body_start)

    def prose_lines(self):
        """(line number, text) of every body line outside fenced code blocks (``` or ~~~):
        what the checks look at for images, links, embeds and placeholders."""
        in_fence = False
        for number, line in self.body_lines():
            if FENCE_RE.match(line):
                in_fence = not in_fence
            elif not in_fence:
                yield number, line


def _char_name(char: str) -> str:
    try:
        return unicodedata.name(char)
    except ValueError:
        return "Steuerzeichen"


def read_source(path: Path, kind: str) -> Source:
    """Parse ``path``; problems (encoding, control characters, header) go to ``problems``."""
    src = Source(path=path, kind=kind)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        src.error(
            line,
            "Die Datei ist nicht als UTF-8 gespeichert (unlesbares Zeichen).",
            "Speichere sie im Editor mit der Kodierung „UTF-8“.",
        )
        src.readable = False
        return src
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        line = line.removesuffix("\r")
        for match in CONTROL_RE.finditer(line):
            if match.group() == "\ufeff" and number == 1 and match.start() == 0:
                continue  # a byte-order mark at the very start is harmless
            char = match.group()
            src.error(
                number,
                f"Die Zeile enthält ein unsichtbares Steuerzeichen (U+{ord(char):04X} {_char_name(char)}) "
                f"an Position {match.start() + 1}.",
                "Lösche die Zeile und tippe sie neu (oft beim Kopieren aus PDF oder Word entstanden).",
            )
    lines = [line.removesuffix("\r") for line in lines]
    if lines and lines[0].startswith("\ufeff"):
        lines[0] = lines[0][1:]
    _parse_header(src, lines)
    return src


def _parse_header(src: Source, lines: list[str]) -> None:
    fenced = bool(lines) and BEGIN_RE.match(lines[0]) is not None
    if fenced:
        end = next((i for i in range(1, len(lines)) if END_RE.match(lines[i])), None)
        if end is None:
            src.error(
                1,
                "Der Kopfbereich beginnt mit „---“, wird aber nirgends mit „---“ abgeschlossen.",
                "Setze nach der letzten Angabe eine Zeile „---“ (oder lass beide „---“-Zeilen weg).",
            )
            end = next((i for i in range(1, len(lines)) if not lines[i].strip()), len(lines))
            _parse_lines(src, lines, 1, end, report=False)
            src.body_start, src.body = end + 1, lines[end:]
            return
        _parse_lines(src, lines, 1, end, report=True)
        src.body_start, src.body = end + 2, lines[end + 1 :]
        return
    end = next((i for i in range(len(lines)) if not lines[i].strip()), len(lines))
    stop = _parse_lines(src, lines, 0, end, report=True, stop_at_garbage=True)
    src.body_start, src.body = stop + 1, lines[stop:]


def _parse_lines(
    src: Source, lines: list[str], start: int, end: int, *, report: bool, stop_at_garbage: bool = False
) -> int:
    """Parse header lines ``start``..``end`` (exclusive); return where the header really ended."""
    last_key: str | None = None
    for index in range(start, end):
        line = lines[index]
        number = index + 1
        if not line.strip():
            continue
        match = META_RE.match(line)
        if match:
            key = match.group("key")
            lower = key.lower()
            if lower in src.meta:
                if report:
                    src.error(
                        number,
                        f"Die Angabe „{key}“ steht doppelt im Kopfbereich "
                        f"(zuerst in Zeile {src.lines[lower]}).",
                        "Lösche eine der beiden Zeilen.",
                    )
            else:
                src.meta[lower] = match.group("value").strip()
                src.lines[lower] = number
                src.keys[lower] = key
            last_key = lower
            continue
        more = META_MORE_RE.match(line)
        if more and last_key is not None:
            src.meta[last_key] = f"{src.meta[last_key]} {more.group('value').strip()}".strip()
            continue
        if report and not src.meta and stop_at_garbage:
            src.error(
                number,
                "Die Datei beginnt nicht mit dem Kopfbereich „Title: …“, „Date: …“ usw.",
                "Die ersten Zeilen müssen die Form „Schlüssel: Wert“ haben (z. B. „Title: Mein Thema“); "
                "danach folgt eine Leerzeile und dann der Text.",
            )
        elif report:
            src.error(
                number,
                "Diese Zeile im Kopfbereich hat nicht die Form „Schlüssel: Wert“.",
                "Fehlt der Doppelpunkt, oder fehlt vor dem Text die Leerzeile, die den Kopfbereich beendet?",
            )
        if stop_at_garbage:
            return index
    return end
