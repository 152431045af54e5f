"""One name for each thing, no jargon: the built magazine (every page and the brochure PDF)
is searched for the variants the editors retired.

- the team is the „Social-Media-Team“ (its old names only as quoted names where its history is told)
- the magazine is the „Magazin“ (not „Fachblog“/„Blog“)
- the platform is „X“ („X (vormals Twitter)“ and the company's legal name are allowed)
- „Montagevideos“, „Interviews mit Mitarbeitenden“, „Mitarbeitende“
- no „localStorage“, „Homepage“, „Atom-Feed“ for readers

Copies of posts (``.post-card`` on pages, ``--beitrag`` entries in the intranet fragment) are
quoted as they were published and are not searched.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import soup

# variant → what the reader should read instead (for the failure message)
BANNED: dict[str, str] = {
    r"(?<!„)Social[- ]Media[- ]Gruppe": "Social-Media-Team",
    r"(?<!„Social Media )(?<!„)\bTask Force": "Social-Media-Team",
    r"\bFachblog": "Magazin",
    r"\bBlog\b": "Magazin",
    r"X \(Twitter\)": "X",
    r"\bTwitter\b(?! International Unlimited Company)(?<!vormals Twitter)": "X (vormals Twitter), once",
    r"Montage-Video": "Montagevideo",
    r"Mitarbeiter-?[Ii]nterview": "Interview mit Mitarbeitenden",
    r"\bMitarbeiter(?:n|innen)?\b": "Mitarbeitende",
    r"localStorage": "in Ihrem Browser",
    r"\bHomepage": "Startseite",
    r"Atom-Feed": "neue Artikel abonnieren",
}
ATTRIBUTES = ("alt", "title", "aria-label", "placeholder")


def reader_texts(path: Path) -> list[str]:
    """What a reader can see or hear on a page: text, titles, labels, descriptions."""
    doc = soup(path)
    for element in doc.select("script, style, template, .post-card, .heco-aktuelles__eintrag--beitrag"):
        element.decompose()
    texts = [doc.get_text(" ")]
    for element in doc.find_all(True):
        texts.extend(str(element[a]) for a in ATTRIBUTES if element.has_attr(a))
    for meta in doc.select('meta[name="description"], meta[property^="og:"]'):
        texts.append(str(meta.get("content", "")))
    return texts


def offences(text: str) -> list[str]:
    found = []
    for pattern, instead in BANNED.items():
        for match in re.finditer(pattern, text):
            context = " ".join(text[max(0, match.start() - 40) : match.end() + 40].split())
            found.append(f"„{match.group(0)}“ (besser: {instead}): …{context}…")
    return found


@pytest.mark.parametrize(
    ("text", "bad"),
    [
        ("unsere Social-Media-Gruppe trifft sich", True),
        ("hieß anfangs „Social-Media-Gruppe“ oder „Social Media Task Force“", False),
        ("Folgen Sie uns auf X (Twitter)", True),
        ("X (vormals Twitter) und die Twitter International Unlimited Company", False),
        ("ein Blog für Kunden", True),
        ("die Montage-Videos", True),
        ("unsere Mitarbeiter und Mitarbeiterinnen", True),
        ("unsere Mitarbeitenden", False),
        ("im localStorage", True),
    ],
)
def test_the_rules_themselves(text, bad):
    assert bool(offences(text)) is bad


def test_the_built_magazine_uses_one_name_for_each_thing(sample_output):
    problems = []
    pages = sorted(sample_output.rglob("*.html"))
    assert len(pages) > 40
    for path in pages:
        for text in reader_texts(path):
            problems.extend(f"{path.relative_to(sample_output)}: {o}" for o in offences(text))
    brochure = PdfReader(sample_output / "social-media" / "broschuere.pdf")
    text = "\n".join(p.extract_text() for p in brochure.pages)
    assert "Social-Media-Team" in text
    problems.extend(f"broschuere.pdf: {o}" for o in offences(text))
    assert problems == []


def test_history_is_told_with_the_old_names(sample_output):
    """The old names survive exactly where the team's history is told, as quoted names."""
    for url in ("social-media-team", "it/wer-steckt-hinter-unseren-social-media-kanaelen"):
        text = soup(sample_output / url / "index.html").get_text(" ")
        assert "„Social-Media-Gruppe“" in text and "Task Force“" in text
