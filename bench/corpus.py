"""A realistic synthetic corpus for the benchmark, deterministic from a seed.

``make_corpus(dest, n, seed)`` writes ``dest/content`` with ``n`` German articles (5–10 KB
Markdown each) in department folders, the data files (departments, authors, channels) in
the same schema as ``content/data/``, two pages, and 1–3 images per article from a pool of
generated photos (Pillow; a few of them 12 megapixels). About one article in eight has a
YouTube URL alone on a line, one in ten an X post URL. All but one in 25 articles carry both
sign-offs (published, searchable); the others are in review.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
from pathlib import Path

import yaml

DEPARTMENTS = [
    ("technik", "Technik", "Werkstoffe, Verbindungstechnik und Anwendungen."),
    ("vertrieb", "Vertrieb", "Beratung, Angebote und Projekte mit Kundinnen und Kunden."),
    ("qualitaetssicherung", "Qualitätssicherung", "Prüfungen, Zeugnisse und Normen."),
    ("logistik", "Logistik", "Lager, Versand und Lieferketten."),
    ("einkauf", "Einkauf", "Rohstoffe, Lieferanten und Preise."),
    ("it", "IT", "Digitale Werkzeuge, Shop und Website."),
]
FIRST = [
    "Jürgen",
    "Anna",
    "Lukas",
    "Sophie",
    "Mehmet",
    "Jana",
    "Tobias",
    "Lea",
    "Björn",
    "Katrin",
    "Özlem",
    "Stefan",
    "Marie",
    "Felix",
    "Sabine",
    "Jonas",
    "Ülkü",
    "Doris",
]
LAST = [
    "Weiß",
    "Müller",
    "Schäfer",
    "Keller",
    "Yılmaz",
    "Groß",
    "Becker",
    "Hoffmann",
    "Krüger",
    "Böhm",
    "Wagner",
    "Lange",
    "Fuchs",
    "Schröder",
]
ROLES = [
    "Anwendungstechnikerin",
    "Vertriebsingenieur",
    "Prüferin",
    "Lagerleiter",
    "Einkäuferin",
    "Entwickler",
    "Auszubildende",
    "Teamleiter",
    "Werkstoffexpertin",
]
TOPICS = [
    "Werkstoffe",
    "1.4404",
    "1.4301",
    "Pressfittings",
    "Flansche",
    "Schweißen",
    "Korrosion",
    "Normen",
    "Prüfzeugnisse",
    "Montage",
    "Lagerhaltung",
    "Versand",
    "Hygiene",
    "Lebensmittel",
    "Pharma",
    "Rohrbögen",
    "T-Stücke",
    "Reduzierungen",
    "Oberflächen",
    "Beizen",
    "Passivieren",
    "Nachhaltigkeit",
    "Ausbildung",
    "Messe",
    "Onlineshop",
    "Kundenservice",
    "Chemie",
    "Druckprüfung",
    "Wanddicke",
    "Toleranzen",
]
NOUNS = [
    "das Edelstahlrohr",
    "der Pressfitting",
    "die Schweißnaht",
    "der Flansch",
    "die Rohrleitung",
    "das Prüfzeugnis",
    "die Oberfläche",
    "der Werkstoff",
    "die Lieferung",
    "das Lager",
    "die Dichtung",
    "der Rohrbogen",
    "die Reduzierung",
    "das T-Stück",
    "die Montage",
]
VERBS = [
    "prüft",
    "verbindet",
    "schützt",
    "erleichtert",
    "beschleunigt",
    "verbessert",
    "dokumentiert",
    "begleitet",
    "erklärt",
    "sichert",
]
OBJECTS = [
    "die Qualität der Anlage",
    "den Durchfluss",
    "die Lebensdauer",
    "den Arbeitsalltag",
    "die Rückverfolgbarkeit",
    "die Beständigkeit gegen Chloride",
    "die Lieferzeit",
    "das Vertrauen der Kundschaft",
    "die Hygiene in der Produktion",
    "den Einbau vor Ort",
]
CLAUSES = [
    "weil der Werkstoff 1.4404 Molybdän enthält",
    "wenn die Anlage im Freien steht",
    "sobald das Material geliefert ist",
    "obwohl die Wanddicke gering ist",
    "damit die Kundschaft schnell weiterarbeiten kann",
    "nachdem die Druckprüfung bestanden ist",
    "während die Kolleginnen im Lager kommissionieren",
    "bevor die Rohre gebeizt werden",
]
EXTRAS = [
    "Das zeigt die Erfahrung aus vielen Projekten.",
    "Unsere Kolleginnen und Kollegen wissen das genau.",
    "Ein Blick in die Norm DIN EN 10217-7 hilft weiter.",
    "So entsteht „Mehrwissen“ für alle.",
    "Größe, Maß und Güte müssen stimmen.",
    "Fragen Sie uns – wir beraten gern.",
    "Die Ergebnisse haben wir im Prüfzeugnis 3.1 festgehalten.",
]
HEADINGS = [
    "Worauf es ankommt",
    "Erfahrungen aus der Praxis",
    "Schritt für Schritt",
    "Häufige Fehler",
    "Was die Norm sagt",
    "Unser Fazit",
    "Tipps für den Einbau",
    "Hintergrund",
    "Zahlen und Fakten",
    "Blick ins Lager",
    "Qualität im Detail",
    "Ausblick",
]
TITLE_PATTERNS = [
    "{t}: Was Mehrwisser über {u} wissen",
    "{t} im Alltag – Erfahrungen aus {d}",
    "Warum {t} und {u} zusammengehören",
    "{t} richtig planen",
    "Fünf Fragen zu {t}",
    "{t} und {u}: ein Überblick",
    "So gelingt {t} – Tipps aus {d}",
]
CAPTIONS = [
    "Rohrleitung in der Halle",
    "Pressfittings im Regal",
    "Schweißnaht unter der Lupe",
    "Flansche vor dem Versand",
    "Prüfstand in der Qualitätssicherung",
    "Blick ins Lager",
    "Oberfläche nach dem Beizen",
    "Montage beim Kunden",
]

POOL_SIZE = 24
LARGE_EVERY = 6  # every sixth pool photo has 12 megapixels
SMALL_SIZE = (1600, 1067)
LARGE_SIZE = (4000, 3000)
REVIEW_EVERY = 25  # one article in 25 is still in review


def _sentence(rnd: random.Random) -> str:
    noun = rnd.choice(NOUNS)
    text = f"{noun[0].upper()}{noun[1:]} {rnd.choice(VERBS)} {rnd.choice(OBJECTS)}, {rnd.choice(CLAUSES)}."
    if rnd.random() < 0.3:
        text += " " + rnd.choice(EXTRAS)
    if rnd.random() < 0.15:
        text = text.replace(" die Qualität", " die **Qualität**").replace(" den Einbau", " den _Einbau_")
    return text


def _paragraph(rnd: random.Random) -> str:
    return " ".join(_sentence(rnd) for _ in range(rnd.randint(3, 6)))


def _people(rnd: random.Random) -> list[dict]:
    people, seen = [], set()
    for index in range(24):
        while True:
            name = f"{rnd.choice(FIRST)} {rnd.choice(LAST)}"
            if name not in seen:
                seen.add(name)
                break
        dep = DEPARTMENTS[index % len(DEPARTMENTS)][0]
        people.append(
            {
                "name": name,
                "department": dep,
                "role": rnd.choice(ROLES),
                "bio": f"{name.split()[0]} arbeitet seit {rnd.randint(2, 25)} Jahren bei heco.",
            }
        )
    return people


CHANNELS = [
    {
        "platform": "youtube",
        "name": "YouTube",
        "url": "https://www.youtube.com/@hecogmbh",
        "handle": "@hecogmbh",
        "content": "Montagevideos und Interviews.",
        "benefit": "Sehen, wie es geht.",
    },
    {
        "platform": "x",
        "name": "X (Twitter)",
        "url": "https://x.com/hecogmbh",
        "handle": "@hecogmbh",
        "content": "Kurznachrichten aus dem Unternehmen.",
        "benefit": "Immer auf dem Laufenden.",
    },
    {
        "platform": "facebook",
        "name": "Facebook",
        "url": "https://www.facebook.com/hecogmbh",
        "handle": "hecogmbh",
        "content": "Neuigkeiten und Veranstaltungen.",
        "benefit": "Mitreden und fragen.",
    },
    {
        "platform": "blog",
        "name": "Edelstahlmagazin",
        "url": "https://magazin.heco.de/",
        "handle": "magazin.heco.de",
        "content": "Fachartikel aller Abteilungen.",
        "benefit": "Mehr wissen.",
    },
]

PAGES = {
    "impressum.md": "Title: Impressum\nSlug: impressum\n\nheco gmbh, Beispielstraße 1, 12345 Musterstadt.\n",
    "datenschutz.md": "Title: Datenschutzerklärung\nSlug: datenschutz\n\nWir speichern keine Cookies.\n",
}


def make_image_pool(
    dest: Path, seed: int, count: int = POOL_SIZE, photo: tuple[int, int] = SMALL_SIZE, large: bool = True
) -> list[str]:
    """Generate the photo pool (noise over gradients, JPEG) into ``dest``; existing files are
    reused. Every ``LARGE_EVERY``-th photo has 12 megapixels when ``large``."""
    from PIL import Image, ImageDraw, ImageFilter

    dest.mkdir(parents=True, exist_ok=True)
    names = []
    for index in range(count):
        name = f"foto-{index:02d}.jpg"
        names.append(name)
        target = dest / name
        if target.exists():
            continue
        rnd = random.Random(seed * 7919 + index)  # noqa: S311 - reproducible test data, not crypto
        full = LARGE_SIZE if large and index % LARGE_EVERY == 0 else photo
        thumb = (full[0] // 8, full[1] // 8)
        colors = [tuple(rnd.randint(40, 220) for _ in range(3)) for _ in range(2)]
        gradient = Image.linear_gradient("L").resize(thumb).rotate(rnd.randint(0, 359))
        base = Image.composite(
            Image.new("RGB", thumb, colors[0]), Image.new("RGB", thumb, colors[1]), gradient
        )
        draw = ImageDraw.Draw(base)
        for _ in range(12):
            x, y = rnd.randrange(thumb[0]), rnd.randrange(thumb[1])
            r = rnd.randint(5, thumb[0] // 5)
            draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(rnd.randint(0, 255) for _ in range(3)))
        base = base.filter(ImageFilter.GaussianBlur(3)).resize(full, Image.Resampling.BICUBIC)
        noise = Image.effect_noise(full, 24).convert("RGB")
        Image.blend(base, noise, 0.12).save(target, "JPEG", quality=85)
    return names


def _article(
    rnd: random.Random, index: int, people: list[dict], images: list[str], start: dt.datetime
) -> tuple[str, str]:
    dep_slug, dep_name, _ = DEPARTMENTS[index % len(DEPARTMENTS)]
    authors = [p for p in people if p["department"] == dep_slug]
    author = rnd.choice(authors)
    topic, other = rnd.sample(TOPICS, 2)
    title = rnd.choice(TITLE_PATTERNS).format(t=topic, u=other, d=dep_name) + f" ({index + 1})"
    date = start + dt.timedelta(hours=7 * index + rnd.randint(0, 5), minutes=rnd.randint(0, 59))
    tags = sorted({topic, other, *rnd.sample(TOPICS, rnd.randint(0, 3))})
    summary = _sentence(rnd).replace("**", "").replace("_", "")
    lines = [
        f"Title: {title}",
        f"Date: {date:%Y-%m-%d %H:%M}",
        f"Author: {author['name']}",
        f"Tags: {', '.join(tags)}",
        f"Summary: {summary}",
    ]
    # Cleared like a real magazine's articles (only those reach the search index); one in
    # REVIEW_EVERY is still in review (banner, not indexed). No randomness is used here.
    if index % REVIEW_EVERY == REVIEW_EVERY - 1:
        lines.append("Status: In Prüfung")
    else:
        cleared = date + dt.timedelta(days=2)
        lines += [
            f"Freigabe-Abteilung: {authors[0]['name']}, {cleared:%Y-%m-%d}",
            f"Freigabe-Datenschutz: Claudia Reinhardt, {cleared + dt.timedelta(days=1):%Y-%m-%d}",
        ]
    lines.append("")
    body: list[str] = [_paragraph(rnd), ""]
    picks = rnd.sample(images, rnd.randint(1, 3))
    target = rnd.randint(5000, 10000)
    section = 0
    while len("\n".join(lines + body).encode()) < target:
        section += 1
        body += [f"## {HEADINGS[(index + section) % len(HEADINGS)]}", ""]
        for _ in range(rnd.randint(1, 3)):
            body += [_paragraph(rnd), ""]
        roll = rnd.random()
        if roll < 0.2:
            body += [f"- {rnd.choice(TOPICS)}: {_sentence(rnd)}" for _ in range(rnd.randint(3, 5))] + [""]
        elif roll < 0.3:
            body += [
                "| Werkstoff | Chrom | Nickel | Molybdän |",
                "|---|---|---|---|",
                "| 1.4301 | 18 % | 8 % | – |",
                "| 1.4404 | 17 % | 10 % | 2 % |",
                "",
            ]
        elif roll < 0.4:
            body += [f"> „{_sentence(rnd)}“ – {author['name']}", ""]
        if picks and section % 2 == 1:
            image = picks.pop(0)
            body += [f"![{rnd.choice(CAPTIONS)}]({{static}}/images/bench/{image})", ""]
        if section == 2 and index % 8 == 3:
            body += [f"https://www.youtube.com/watch?v=bench{index:06d}"[:43], ""]
        if section == 3 and index % 10 == 5:
            body += [f"https://x.com/hecogmbh/status/{1800000000000000000 + index}", ""]
    for image in picks:
        body += [f"![{rnd.choice(CAPTIONS)}]({{static}}/images/bench/{image})", ""]
    slug_name = f"artikel-{index + 1:05d}.md"
    return f"{dep_slug}/{slug_name}", "\n".join(lines + body)


def make_corpus(
    dest: Path, n: int, seed: int = 42, image_pool: Path | None = None, small_images: bool = False
) -> Path:
    """Write the corpus to ``dest/content`` (replacing it) and return that folder.

    ``small_images`` (tests): four small photos instead of the realistic pool."""
    content = dest / "content"
    if content.exists():
        shutil.rmtree(content)
    rnd = random.Random(seed)  # noqa: S311 - reproducible test data, not crypto
    people = _people(rnd)
    data = content / "data"
    data.mkdir(parents=True)

    def dump(name: str, records: list[dict]) -> None:
        (data / name).write_text(
            yaml.safe_dump(records, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )

    dump("departments.yml", [{"slug": s, "name": nm, "description": d} for s, nm, d in DEPARTMENTS])
    dump("authors.yml", people)
    dump("channels.yml", CHANNELS)
    pages = content / "pages"
    pages.mkdir()
    for name, text in PAGES.items():
        (pages / name).write_text(text, encoding="utf-8")
    pool = image_pool or dest / "image-pool"
    if small_images:
        names = make_image_pool(pool, seed, count=4, photo=(640, 427), large=False)
    else:
        names = make_image_pool(pool, seed)
    images = content / "images" / "bench"
    images.mkdir(parents=True)
    for name in names:
        shutil.copyfile(pool / name, images / name)
    start = dt.datetime(2020, 1, 6, 8, 0)
    for index in range(n):
        rel, text = _article(rnd, index, people, names, start)
        path = content / "articles" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return content
