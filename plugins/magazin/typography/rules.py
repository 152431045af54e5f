"""German typesetting rules for plain text: where a line must not break.

No maintained Python library does this for German (typogrify and smartypants know English
quotes and widows, typopo is JavaScript and edits punctuation too), so the rules are ours,
kept small and conservative. They only ever replace a plain space by U+00A0 (no-break
space) or a hyphen-minus by U+2011 (non-breaking hyphen); they never add, drop or reorder
visible characters, and applying them twice changes nothing.

- number and unit: „3 Min.“, „88,9 mm“, „850 °C“, „16 bar“, „12 %“, „53 × 1,5 mm“
- „Min. Lesezeit“ stays on one line with its number
- standards and nominal sizes: „DN 50“, „PN 16“, „EN 1092‑1“, „DIN EN ISO 1127“
- abbreviations before a number: „Nr. 5“, „Art. 6 Abs. 1 lit. a“, „§ 5“, „ca. 300“
- abbreviations of two words: „z. B.“, „d. h.“, „u. a.“, „i. d. R.“ …
- a date's day and month: „27. November“
- a hyphen after a number or a single capital: „3.1‑Zeugnisse“, „T‑Stück“, „E‑Mail“
- formulas: „% Cr“, „3,3 × % Mo“, „PREN = …“
"""

from __future__ import annotations

import re

NBSP = "\u00a0"
NBHY = "\u2011"
_WS = r"[ \t\r\n]+"  # breaking white space only (never an existing no-break space)

_UNITS = (
    # symbols (longest first where one is a prefix of another)
    "N/mm²", "mm²", "mm", "cm", "dm", "km", "µm", "m²", "m³", "m", "kg", "g", "t", "mbar", "bar",
    "GPa", "MPa", "kPa", "Pa", "kN", "Nm", "N", "°C", "°", "K", "%", "‰", "€", "EUR", "ml", "l",
    "min", "h", "s", "Min.", "Std.", "Sek.", "Tsd.", "Mio.", "Mrd.",
    # units and quantities written out
    "Millimeter", "Zentimeter", "Kilometer", "Meter", "Kilogramm", "Tonnen", "Grad", "Prozent",
    "Euro", "Liter", "Zoll", "Sekunden", "Minuten", "Stunden", "Tage", "Tagen", "Wochen",
    "Monate", "Monaten", "Jahre", "Jahren", "Stück",
)  # fmt: skip
_UNIT = "|".join(re.escape(u) for u in sorted(_UNITS, key=len, reverse=True))
_MONTHS = "Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember"
_NORMS = "DIN|EN|ISO|DN|PN|ASTM|ASME|AD|AISI|DVGW|IEC|VDI|SEW|ANSI"
_ABBREVIATIONS = ("z. B.", "d. h.", "u. a.", "u. U.", "i. d. R.", "o. Ä.", "s. o.", "s. u.",
                  "v. a.", "z. T.", "u. v. m.", "i. A.", "z. Hd.", "m. E.")  # fmt: skip

_RULES: list[tuple[re.Pattern[str], str]] = [
    # a number and its unit; a unit ends at a non-letter („16 bar“, „3 Min.“, „12 %“)
    (re.compile(rf"(\d){_WS}(?=(?:{_UNIT})(?!\w))"), rf"\1{NBSP}"),
    # „3 Min. Lesezeit“
    (re.compile(rf"(Min\.){_WS}(?=Lese(?:zeit|dauer)\b)"), rf"\1{NBSP}"),
    # dimensions and formulas: „53 × 1,5 mm“, „3,3 × % Mo“
    (re.compile(rf"{_WS}(×){_WS}"), rf"{NBSP}\1{NBSP}"),
    (re.compile(rf"(?<=\d){_WS}(·){_WS}(?=\d)"), rf"{NBSP}\1{NBSP}"),  # not the "·" between meta items
    (re.compile(rf"(?<=\w){_WS}(=)"), rf"{NBSP}\1"),
    (re.compile(rf"([%‰]){_WS}(?=[A-Z][a-z]?\b)"), rf"\1{NBSP}"),
    # standards and nominal sizes, chained: „DIN EN ISO 1127“, „DN 50“
    (re.compile(rf"(?<![\w-])({_NORMS}){_WS}(?=(?:{_NORMS})\b|\d)"), rf"\1{NBSP}"),
    # abbreviations before a number or a letter item
    (re.compile(rf"(?<!\w)(Nr|Art|Abs|Kap|Abb|Tab|Bd|Ziff|Pos|Anl|S|ca|rd|max|min|mind)\.{_WS}(?=\d)"),
     rf"\1.{NBSP}"),
    (re.compile(rf"(?<!\w)(lit\.){_WS}(?=[a-z]\b)"), rf"\1{NBSP}"),
    (re.compile(rf"(§§?){_WS}(?=\d)"), rf"\1{NBSP}"),
    # the day and the month of a date: „27. November 2026“
    (re.compile(rf"(?<!\d)(\d{{1,2}}\.){_WS}(?=(?:{_MONTHS})\b)"), rf"\1{NBSP}"),
    # a hyphen after a number or a single capital letter: „3.1-Zeugnisse“, „EN 1092-1“, „T-Stück“
    (re.compile(r"(?<!\w)(\d+(?:[.,]\d+)*|[A-ZÄÖÜ])-(?=\w)"), rf"\1{NBHY}"),
]  # fmt: skip
# two-word abbreviations: „z. B.“ → „z.\u00a0B.“
_ABBREV = re.compile(
    "|".join(
        r"(?<!\w)" + rf"\.{_WS}".join(re.escape(part) for part in abbr[:-1].split(". ")) + r"\."
        for abbr in _ABBREVIATIONS
    )
)

# Addresses in running text are left exactly as written (a no-break space would break a copy).
_ADDRESS = re.compile(
    r"(?:https?://|mailto:|www\.)[^\s<>\"]+"
    r"|(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|(?<![\w-])(?:[\w-]+\.)+(?:de|com|org|net|eu|io|info)\b(?:/[^\s<>\"]*)?"
)


def _any_of(*parts: str):
    """A cheap first look for a rule: does ``text`` contain one of ``parts`` at all?"""
    return lambda text: any(part in text for part in parts)


# What each rule needs in the text before its (slower) expression is worth running; None: always.
_NEEDS = (
    None, _any_of("Min."), _any_of("×"), _any_of("·"), _any_of("="), _any_of("%", "‰"),
    None, _any_of("."), _any_of("lit."), _any_of("§"), _any_of("."), _any_of("-"),
)  # fmt: skip
_GATED_RULES = [(p, r, needs) for (p, r), needs in zip(_RULES, _NEEDS, strict=True)]

# Every rule needs one of these; most text between tags has none (a cheap first look).
_DIGIT_OR_SIGN = re.compile(r"[\d§%‰×=]")
_CAPITAL_HYPHEN = re.compile(r"(?<!\w)[A-ZÄÖÜ]-\w")
_ABBREVIATION_START = re.compile(rf"(?<!\w)\w\.{_WS}\w")


def _may_apply(text: str) -> bool:
    return bool(
        _DIGIT_OR_SIGN.search(text)
        or ("-" in text and _CAPITAL_HYPHEN.search(text))
        or ("." in text and _ABBREVIATION_START.search(text))
    )


def _typeset_plain(text: str) -> str:
    if "." in text and _ABBREVIATION_START.search(text):
        text = _ABBREV.sub(lambda m: re.sub(_WS, NBSP, m.group(0)), text)
    for pattern, replacement, needs in _GATED_RULES:
        if needs is None or needs(text):
            text = pattern.sub(replacement, text)
    return text


def typeset(text: str) -> str:
    """``text`` with no-break spaces and hyphens where German typesetting wants them.

    Web and e-mail addresses inside ``text`` are kept byte for byte."""
    if not _may_apply(text):
        return text
    if "." not in text:  # every address has a dot
        return _typeset_plain(text)
    out: list[str] = []
    last = 0
    for match in _ADDRESS.finditer(text):
        out.append(_typeset_plain(text[last : match.start()]))
        out.append(match.group(0))
        last = match.end()
    out.append(_typeset_plain(text[last:]))
    return "".join(out)
