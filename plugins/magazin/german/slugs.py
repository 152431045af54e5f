"""German slugs: ä→ae, ö→oe, ü→ue, ß→ss, other Latin accents folded to ASCII.

Pelican's own slugify runs ``unidecode`` *before* the regex substitutions, which turns
"Qualität" into "qualitat". We therefore switch unicode slugs on and do the
transliteration ourselves through ``*_REGEX_SUBSTITUTIONS``; the same list is used for
articles, pages, departments, tags and authors, so every URL follows one rule.
"""

from __future__ import annotations

import unicodedata

from pelican.utils import slugify

# German first (order matters: these must win over the generic accent folding).
GERMAN_SUBSTITUTIONS: list[tuple[str, str]] = [
    ("ä", "ae"),
    ("ö", "oe"),
    ("ü", "ue"),
    ("ß", "ss"),
    ("ẞ", "ss"),
]


def _accent_substitutions() -> list[tuple[str, str]]:
    """Fold the remaining Latin letters with diacritics (é, ñ, ø, …) to ASCII."""
    special = {"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "þ": "th", "ð": "d"}
    groups: dict[str, list[str]] = {}
    for code in range(0xC0, 0x250):
        char = chr(code)
        if not char.isalpha() or not char.islower() or char in "äöüß":
            continue
        if unicodedata.normalize("NFKC", char) != char:
            continue  # ligatures such as "ǌ": Pelican NFKC-normalises the patterns
        if char in special:
            base = special[char]
        else:
            base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
        if base.isascii() and base.isalpha():
            groups.setdefault(base, []).append(char)
    # One character class per ASCII target keeps the list short (fast to apply).
    return [("[" + "".join(chars) + "]", base) for base, chars in sorted(groups.items())]


SLUG_SUBSTITUTIONS: list[tuple[str, str]] = [
    *GERMAN_SUBSTITUTIONS,
    *_accent_substitutions(),
    (r"(?<=\d)[.,](?=\d)", "-"),  # 1.4404 -> 1-4404
    (r"&", "und"),
    (r"[^a-z0-9\s-]", ""),  # everything else that is not ASCII goes
    (r"(?<=\w)\s+(?=\w)", "-"),
    (r"[-\s]+", "-"),
    (r"^-+|-+$", ""),
]


def slugify_de(text: str) -> str:
    """Return the URL slug for a German title, tag or name, e.g. "Qualität" → "qualitaet"."""
    return slugify(text, regex_subs=SLUG_SUBSTITUTIONS, use_unicode=True)


def toc_slugify(value: str, separator: str = "-") -> str:
    """Heading anchors for Python-Markdown's ``toc`` extension, same rule as URLs."""
    return slugify_de(value) or "abschnitt"
