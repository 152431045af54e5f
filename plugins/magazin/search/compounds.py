"""German compound words for the search index: "Edelstahlrohr" must be found by "Rohr".

Pagefind (1.5) splits a word into parts only at punctuation and case changes, and indexes
those parts at the position of the whole word. German writes compounds closed
("Abnahmeprüfzeugnis"), so a reader typing "Prüfzeugnis" would find nothing. This module

1. learns a vocabulary: every capitalised word (German nouns) of the indexed pages plus a
   short list of domain terms (``DOMAIN_TERMS``), minus capitalised function words;
2. finds the morpheme boundaries of a long word: a known word (with an inflection or a
   linking "s"/"es"/"n"/"en") ends the word or a segment, or starts it;
3. turns the word into one *index token* in the document that Pagefind reads
   (``split_html``): ``Abnahmeprüfzeugnis_prüfzeugnis_zeugnis`` — the word itself followed
   by every tail that starts at a boundary. Pagefind indexes each part (``prüfzeugnis``,
   ``zeugnis``) at the word's position and, through prefix search, "Prüf" or "Zeug" match too;
4. the search page (``theme/static/js/suche.js``) shows a token as its first part, the
   original word (``restore_token`` is the same rule in Python, for tests and tools).

No dictionary download, no dependency: the site's own words carry the vocabulary, which
keeps it in step with what the magazine writes about. False splits only add a match, they
never hide one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Always known: the magazine's subjects, also when no page uses the word on its own.
DOMAIN_TERMS = [
    "Abnahme",
    "Bogen",
    "Druck",
    "Edelstahl",
    "Fitting",
    "Fittings",
    "Flansch",
    "Gewinde",
    "Hygiene",
    "Korrosion",
    "Lager",
    "Leitung",
    "Messing",
    "Montage",
    "Muffe",
    "Naht",
    "Nickel",
    "Norm",
    "Pressfitting",
    "Pressverbindung",
    "Prüfung",
    "Prüfzeugnis",
    "Rohr",
    "Rohrbogen",
    "Schweiß",
    "Schweißnaht",
    "Schweißung",
    "Stahl",
    "Stoff",
    "Verbindung",
    "Verschraubung",
    "Werkstoff",
    "Werkstoffe",
    "Zeugnis",
    "Zange",
    "Dichtung",
    "Ventil",
    "Armatur",
    "Anlage",
    "Technik",
    "Qualität",
    "Sicherung",
    "Oberfläche",
    "Behälter",
    "Molkerei",
    "Lebensmittel",
    "Chrom",
    "Molybdän",
    "Analyse",
]

# Capitalised at the start of a sentence, never a part of a compound noun.
FUNCTION_WORDS = frozenset(
    [
        "aber",
        "alle",
        "allem",
        "allen",
        "aller",
        "alles",
        "also",
        "auch",
        "bitte",
        "dabei",
        "damit",
        "dann",
        "darum",
        "dass",
        "denn",
        "deren",
        "dessen",
        "diese",
        "diesem",
        "diesen",
        "dieser",
        "dieses",
        "doch",
        "durch",
        "eine",
        "einem",
        "einen",
        "einer",
        "eines",
        "etwa",
        "euch",
        "fast",
        "hier",
        "ihre",
        "ihrem",
        "ihren",
        "ihrer",
        "immer",
        "jede",
        "jedem",
        "jeden",
        "jeder",
        "jedes",
        "jetzt",
        "kann",
        "kein",
        "keine",
        "keinem",
        "keinen",
        "keiner",
        "mehr",
        "mein",
        "meine",
        "mich",
        "nach",
        "nicht",
        "noch",
        "nun",
        "oder",
        "ohne",
        "sehr",
        "sein",
        "seine",
        "sich",
        "sie",
        "sind",
        "sobald",
        "solche",
        "sondern",
        "sowie",
        "unter",
        "unsere",
        "unser",
        "unserem",
        "unseren",
        "unserer",
        "viel",
        "viele",
        "vom",
        "von",
        "wann",
        "warum",
        "was",
        "weil",
        "welche",
        "wenn",
        "wer",
        "wie",
        "wird",
        "wir",
        "wo",
        "zum",
        "zur",
        "zwar",
        "zwischen",
    ]
)

# Endings after a known word: plural/case inflection at the end, linking elements inside.
ENDINGS = ("", "e", "n", "s", "en", "es", "er", "ns", "ern")
MIN_KNOWN = 4  # letters of a known word part ("Rohr", "Naht", "Norm")
MIN_REST = 3  # letters of the other part ("Vor", "Abnahme")
MIN_WORD = MIN_KNOWN + MIN_REST
VOWELS = frozenset("aeiouyäöü")
CONSONANTS = frozenset("bcdfghjklmnpqrstvwxzß")
ONSETS = tuple(
    [
        "bl",
        "br",
        "dr",
        "fl",
        "fr",
        "gl",
        "gr",
        "kl",
        "kn",
        "kr",
        "pf",
        "ph",
        "pl",
        "pr",
        "qu",
        "sch",
        "sk",
        "sl",
        "sm",
        "sn",
        "sp",
        "st",
        "th",
        "tr",
        "wr",
        "zw",
    ]
)
# Known words that are far more often an ending than a part ("Mitarbeit|ende", "Dimens|ionen").
NEVER_PARTS = frozenset(
    ["ende", "enden", "endes", "ender", "innen", "ionen", "ation", "tisch", "tische", "tischer", "lich"]
)
# Word endings after which a compound takes the linking "s" (Qualitäts-, Arbeits-, Prüfungs-).
S_LINKED = ("ung", "heit", "keit", "schaft", "ion", "tät", "ling", "tum", "arbeit", "sicht")
SEPARATOR = "_"  # Pagefind splits at ASCII punctuation; "_" never occurs inside German words

WORD = re.compile(r"[^\W\d_]+")
# A capitalised word of at least MIN_KNOWN letters (shorter ones never join the vocabulary).
NOUN = re.compile(r"[A-ZÄÖÜ][^\W\d_]{" + str(MIN_KNOWN - 1) + ",}")


def _has_vowel(part: str) -> bool:
    return any(c in VOWELS for c in part)


def _onset(part: str) -> bool:
    """Does ``part`` begin like a German word stem (consonant + vowel or a known cluster)?"""
    if part[0] in VOWELS or part[0] not in CONSONANTS:
        return False
    return part[1] in VOWELS or any(part.startswith(c) for c in ONSETS)


class Decompounder:
    """Splits German compounds against a vocabulary (lower-case nouns)."""

    def __init__(self, words: Iterable[str] = (), *, extra_terms: Iterable[str] = ()):
        vocabulary = {w.lower() for w in (*DOMAIN_TERMS, *extra_terms)}
        vocabulary.update(w.lower() for w in words)
        self.vocabulary = frozenset(
            w for w in vocabulary if len(w) >= MIN_KNOWN and w not in FUNCTION_WORDS and WORD.fullmatch(w)
        )
        self._cache: dict[str, str] = {}

    @classmethod
    def from_texts(cls, texts: Iterable[str], *, extra_terms: Iterable[str] = ()) -> Decompounder:
        """Vocabulary from running text or HTML: its capitalised words (German nouns)."""
        nouns: set[str] = set()
        for text in texts:
            nouns.update(NOUN.findall(text))
        return cls(nouns, extra_terms=extra_terms)

    def _known(self, part: str) -> bool:
        for ending in ENDINGS:
            stem_len = len(part) - len(ending)
            if stem_len < MIN_KNOWN:
                return False
            if part.endswith(ending) and part[:stem_len] in self.vocabulary:
                return True
        return False

    def _split_segment(self, w: str, start: int, end: int) -> list[int]:
        """Boundaries inside ``w[start:end]``: first where the longest known word ends the segment
        (Vor|schweiß, not Vorsch|weiß), then where one starts it, not within two letters of
        another boundary (Druck|stufe, not also Drucks|tufe). Every part has a vowel (Schweiß
        is not Sch|weiß); the rest after a known first word must begin like a German word
        (Anlage|nbau and Dokument|ation are no splits)."""
        cuts = [
            i
            for i in range(start + MIN_REST, end - MIN_KNOWN + 1)
            if self._known(w[i:end]) and _has_vowel(w[start:i]) and w[i:end] not in NEVER_PARTS
        ][:1]  # the longest known tail; shorter ones are found inside it (recursion)
        for i in range(start + MIN_KNOWN, end - MIN_KNOWN + 1):
            rest = w[i:end]
            if any(abs(i - cut) <= 2 for cut in cuts) or not _has_vowel(rest) or not _onset(rest):
                continue
            if w[start:i] in self.vocabulary and rest[0] == "s" and w[start:i].endswith(S_LINKED):
                continue  # Arbeit|splatz: after these endings the "s" links (Arbeits|platz)
            if self._known(w[start:i]):
                cuts.append(i)
        return cuts

    def boundaries(self, word: str) -> list[int]:
        """Positions where ``word`` (any case) splits into parts, sorted."""
        w = word.lower()
        found: set[int] = set()
        pending = [(0, len(w))]
        while pending:
            start, end = pending.pop()
            for cut in self._split_segment(w, start, end):
                if cut not in found:
                    found.add(cut)
                    pending += [(start, cut), (cut, end)]
        return sorted(found)

    def parts(self, word: str) -> list[str]:
        """The tails a reader may search for: "Edelstahlrohren" -> ["stahlrohren", "rohren"]."""
        return [word[i:].lower() for i in self.boundaries(word)]

    def token(self, word: str) -> str:
        """The word as Pagefind should index it (``word`` itself when it is no compound)."""
        if len(word) < MIN_WORD or not word[0].isupper():
            return word  # German compounds that matter are nouns
        cached = self._cache.get(word)
        if cached is None:
            parts = self.parts(word)
            cached = SEPARATOR.join([word, *parts]) if parts else word
            self._cache[word] = cached
        return cached

    def compounds(self) -> set[str]:
        """The words split so far."""
        return {word for word, token in self._cache.items() if token != word}

    def split_text(self, text: str) -> str:
        """Plain ``text`` with every compound replaced by its index token."""
        return WORD.sub(lambda m: self.token(m.group(0)), text)


TOKEN = re.compile(r"[^\W\d_]+(?:_[^\W\d_]+)+")


def restore_token(token: str) -> str:
    """The original word of an index token (``Abnahmeprüfzeugnis_prüfzeugnis_zeugnis`` ->
    ``Abnahmeprüfzeugnis``); anything else (``file_name``) is returned unchanged. A token's
    parts are lower-case tails of its first part: that is what tells it from other text."""
    word, *parts = token.split(SEPARATOR)
    low = word.lower()
    if parts and all(p and p == low[len(low) - len(p) :] and len(p) < len(low) for p in parts):
        return word
    return token


def restore_text(text: str) -> str:
    """``text`` with every index token turned back into its word."""
    return TOKEN.sub(lambda m: restore_token(m.group(0)), text)


# One pass over a page's indexed element: comments, elements whose text Pagefind must see
# unchanged (code, scripts, filter values taken from the element's text) and all other tags
# are matched whole and kept; a long capitalised word between them may become its token.
# Every alternative starts with "<" or a capital letter, so the scan skips all other text fast.
_HTML = re.compile(
    r"<!--.*?-->"
    r"|<(script|style|code|pre|kbd|samp|textarea|svg|math)\b[^>]*>.*?</\1\s*>"
    r'|<([a-zA-Z][\w-]*)\b[^>]*\sdata-pagefind-filter="[^":\[]*"[^>]*>.*?</\2\s*>'
    r"|<[^>]*>"
    r"|(?P<word>[A-ZÄÖÜ][^\W\d_]{" + str(MIN_WORD - 1) + ",})",
    re.S,
)


def split_html(html: str, decompounder: Decompounder) -> str:
    """``html`` (the element Pagefind indexes) with compounds in its text replaced by their
    index tokens; markup, code and filter texts stay byte for byte."""
    token = decompounder.token

    def replace(match: re.Match) -> str:
        word = match.group("word")
        if word is None:
            return match.group(0)
        start = match.start()
        if start and html[start - 1].isalpha():  # a capital inside a word ("heCo…")
            return word
        return token(word)

    return _HTML.sub(replace, html)
