"""Departments and authors from ``content/data/*.yml``.

- Every article lives in ``content/articles/<department-slug>/``; the folder is the
  department, which becomes Pelican's category (display name and slug from the data file).
- Every article's ``Author:`` must be a person in ``authors.yml``.
- Unknown departments or authors stop the build with a German message naming file and line.
- Adds reading time, a plain-text description and related articles to each article.
- ``team: true`` marks a person as a member of the Social-Media-Team, ``team_role`` says
  what they do there; the team page lists the members by department (``TEAM``).
"""

from __future__ import annotations

import difflib
import heapq
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePath

from pelican.urlwrappers import Category

from magazin.core.datafiles import LINE_KEY, data_path, load_records
from magazin.core.errors import ContentError, ContentErrors, find_metadata_line
from magazin.core.text import plain_text

WORDS_PER_MINUTE = 200
DESCRIPTION_LENGTH = 160
RELATED_COUNT = 3
ANREDEN = ("Autorin", "Autor")  # allowed values of ``anrede`` in authors.yml


@dataclass(frozen=True)
class Department:
    slug: str
    name: str
    description: str


@dataclass(frozen=True)
class Person:
    name: str
    department: Department
    role: str
    bio: str
    team: bool = False
    team_role: str = ""
    # „Autorin“ or „Autor“ on the person's page (field ``anrede``); empty: a neutral heading
    anrede: str = ""
    # a portrait under content/ (field ``portrait``); empty: an initials avatar
    portrait: str = ""

    @property
    def initials(self) -> str:
        """„Anja Voß“ → „AV“: first letters of the first and the last name."""
        words = [w for w in self.name.replace("-", " ").split() if w[:1].isalpha()]
        if not words:
            return "?"
        return (words[0][0] + (words[-1][0] if len(words) > 1 else "")).upper()


@dataclass
class Masthead:
    """All departments and people of one build (kept on the generator, not globally)."""

    departments: dict[str, Department]
    people: dict[str, Person]

    def team(self) -> list[tuple[Department, list[Person]]]:
        """The Social-Media-Team by department (departments and people in file order)."""
        groups = [
            (dep, [p for p in self.people.values() if p.team and p.department.slug == dep.slug])
            for dep in self.departments.values()
        ]
        return [(dep, members) for dep, members in groups if members]


def _team_fields(record: dict, name: str, path: Path) -> tuple[bool, str, list[ContentError]]:
    """``team`` (yes/no) and ``team_role`` of one person, with German errors."""
    errors: list[ContentError] = []
    team = record.get("team", False)
    if not isinstance(team, bool):
        errors.append(
            ContentError(
                str(path),
                record[LINE_KEY],
                f"{name}: „team: {team}“ ist kein Ja/Nein-Wert.",
                "Schreibe „team: true“ für Mitglieder des Social-Media-Teams oder lass das Feld weg.",
            )
        )
        team = False
    team_role = record.get("team_role")
    if team_role is not None and (not isinstance(team_role, str) or not team_role.strip()):
        errors.append(
            ContentError(
                str(path),
                record[LINE_KEY],
                f"{name}: das Feld „team_role“ ist leer.",
                "Trage ein, was die Person im Social-Media-Team macht, oder lass das Feld weg.",
            )
        )
        team_role = None
    if team_role and not team:
        errors.append(
            ContentError(
                str(path),
                record[LINE_KEY],
                f"{name}: „team_role“ steht da, aber die Person ist nicht als Mitglied markiert.",
                "Ergänze „team: true“ oder entferne „team_role“.",
            )
        )
    return bool(team), " ".join(str(team_role or "").split()), errors


def load_masthead(settings: dict) -> Masthead:
    """Read and validate ``departments.yml`` and ``authors.yml``."""
    from magazin.german.slugs import slugify_de

    dep_file = data_path(settings, "departments.yml")
    errors: list[ContentError] = []
    departments: dict[str, Department] = {}
    for record in load_records(dep_file, ("slug", "name", "description")):
        slug = str(record["slug"])
        if slugify_de(slug) != slug:
            errors.append(
                ContentError(
                    str(dep_file),
                    record[LINE_KEY],
                    f"Der Slug „{slug}“ ist ungültig.",
                    f"Erlaubt sind Kleinbuchstaben, Ziffern und Bindestriche, z. B. „{slugify_de(slug)}“.",
                )
            )
        if slug in departments:
            errors.append(
                ContentError(
                    str(dep_file), record[LINE_KEY], f"Die Abteilung „{slug}“ steht doppelt in der Datei."
                )
            )
        departments[slug] = Department(slug, str(record["name"]), str(record["description"]))

    people_file = data_path(settings, "authors.yml")
    people: dict[str, Person] = {}
    for record in load_records(people_file, ("name", "department", "role", "bio")):
        name = str(record["name"]).strip()
        dep = departments.get(str(record["department"]))
        if dep is None:
            errors.append(
                ContentError(
                    str(people_file),
                    record[LINE_KEY],
                    f"Die Abteilung „{record['department']}“ von {name} gibt es nicht.",
                    "Bekannte Abteilungen: " + ", ".join(departments) + ".",
                )
            )
            continue
        if name in people:
            errors.append(
                ContentError(
                    str(people_file), record[LINE_KEY], f"Die Person „{name}“ steht doppelt in der Datei."
                )
            )
        team, team_role, team_errors = _team_fields(record, name, people_file)
        errors.extend(team_errors)
        anrede = str(record.get("anrede") or "").strip()
        if anrede and anrede not in ANREDEN:
            errors.append(
                ContentError(
                    str(people_file),
                    record[LINE_KEY],
                    f"„anrede: {anrede}“ bei {name} ist unbekannt.",
                    "Schreibe „anrede: Autorin“ oder „anrede: Autor“ (oder lass die Zeile weg).",
                )
            )
        portrait = str(record.get("portrait") or "").strip().lstrip("/")
        if portrait and not (Path(settings["PATH"]) / portrait).is_file():
            errors.append(
                ContentError(
                    str(people_file),
                    record[LINE_KEY],
                    f"Das Porträt „{portrait}“ von {name} gibt es nicht.",
                    "Lege das Bild unter content/ ab (z. B. images/autoren/name.jpg) und gib den Pfad "
                    "relativ zu content/ an, oder lass „portrait:“ weg (dann erscheinen die Initialen).",
                )
            )
        elif portrait and Path(portrait).suffix.lower() not in (".jpg", ".jpeg", ".png", ".webp"):
            errors.append(
                ContentError(
                    str(people_file),
                    record[LINE_KEY],
                    f"Das Porträt „{portrait}“ von {name} ist kein JPEG-, PNG- oder WebP-Bild.",
                )
            )
        people[name] = Person(
            name,
            dep,
            str(record["role"]),
            str(record["bio"]),
            team=team,
            team_role=team_role,
            anrede=anrede,
            portrait=portrait,
        )
    if errors:
        raise ContentErrors(errors)
    return Masthead(departments, people)


def department_folder(relative_path: str | PurePath, article_paths: Iterable[str]) -> str | None:
    """The department folder of an article (path relative to the content folder):
    ``articles/<folder>/<file>.md`` → folder; None when it lies in no folder of its own.

    The one rule for the build (``attach_masthead``) and the linter (``invoke check``)."""
    rel = PurePath(relative_path)
    for base in article_paths:
        try:
            inner = rel.relative_to(base)
        except ValueError:
            continue
        return inner.parts[0] if len(inner.parts) > 1 else None
    return None


@dataclass(frozen=True)
class MastheadProblem:
    """A department or author of an article that the masthead does not know.

    ``key`` is the metadata key whose line the message should name (None: the whole file)."""

    key: str | None
    message: str
    hint: str


def masthead_problems(masthead: Masthead, folder: str | None, authors: list[str]) -> list[MastheadProblem]:
    """Check an article's department folder and author names against the masthead.

    The one implementation behind the build (``attach_masthead``) and ``invoke check``."""
    problems = []
    if folder is None:
        problems.append(
            MastheadProblem(
                None,
                "Der Artikel liegt in keinem Abteilungsordner.",
                "Verschiebe ihn nach content/articles/<abteilung>/ (z. B. technik).",
            )
        )
    elif folder not in masthead.departments:
        problems.append(
            MastheadProblem(
                None,
                f"Unbekannte Abteilung „{folder}“.",
                "Bekannte Abteilungen: "
                + ", ".join(masthead.departments)
                + ". Verschiebe den Artikel oder ergänze content/data/departments.yml.",
            )
        )
    if not authors:
        problems.append(
            MastheadProblem(
                "title", "Die Angabe „Author:“ fehlt.", "Trage eine Person aus content/data/authors.yml ein."
            )
        )
    for name in authors:
        if name not in masthead.people:
            close = difflib.get_close_matches(name, list(masthead.people), n=1, cutoff=0.75)
            hint = f"Meintest du „{close[0]}“? " if close else ""
            problems.append(
                MastheadProblem(
                    "author",
                    f"Unbekannte Autorin / unbekannter Autor „{name}“.",
                    hint + "Der Name muss genau so in content/data/authors.yml stehen "
                    "(Schreibweise prüfen oder die Person dort ergänzen).",
                )
            )
    return problems


def raw_html(content) -> str:
    """The rendered HTML *before* Pelican replaces ``{static}``/``{filename}`` links.

    ``content.content`` must not be touched before all generators ran: Pelican memoises
    it, and static files are not known yet, so every ``{static}`` link would break."""
    return getattr(content, "_content", "") or ""


def minutes_for(words: int) -> int:
    """Reading time in whole minutes (at least 1) for a number of words."""
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


def summary_text(article) -> str:
    """The ``Summary:`` metadata as plain text, else the first paragraph's text."""
    summary = article.metadata.get("summary")
    if summary:  # plain text (FORMATTED_FIELDS is empty): keep it verbatim, only fold spaces
        return " ".join(str(summary).split())
    html = raw_html(article)
    first = re.search(r"<p>(.*?)</p>", html, re.S)
    return plain_text(first.group(1) if first else html)


def describe(article) -> str:
    """Meta description: the summary, shortened to about 160 characters."""
    text = summary_text(article)
    if len(text) <= DESCRIPTION_LENGTH:
        return text
    cut = text[: DESCRIPTION_LENGTH - 1].rsplit(" ", 1)[0]
    return cut + "…"


_IMG = re.compile(r'<img[^>]*\bsrc="(?P<src>[^"]+)"')


def first_image(content) -> str | None:
    """Path of the article's Open Graph image: ``Image:`` metadata or the first local image."""
    explicit = content.metadata.get("image")
    if explicit:
        return str(explicit).lstrip("/")
    for match in _IMG.finditer(raw_html(content)):
        src = re.sub(r"^\{(static|attach|filename)\}", "", match.group("src"))
        if not src.startswith(("http:", "https:", "data:", "//")) and not src.endswith(".svg"):
            return src.lstrip("/")
    return None


def attach_body_facts(article) -> None:
    """What the masthead derives from an article's body (before the images plugin rewrites
    it): reading time, summary text, description, word count, Open Graph image."""
    words = len(plain_text(raw_html(article)).split())  # once for both figures
    article.reading_minutes = minutes_for(words)
    article.summary_text = summary_text(article)
    article.description = describe(article)
    article.word_count = words
    article.og_image = first_image(article)


def refresh_body(edit) -> None:
    """Body refresher of the live preview's fast render (``core.incremental``): the edited
    article's body facts again, as ``attach_masthead`` sets them."""
    attach_body_facts(edit.article)


def attach_masthead(generator) -> None:
    """Validate departments and authors of every article; set category, reading time."""
    masthead = load_masthead(generator.settings)
    generator.masthead = masthead
    categories = {slug: _category(dep, generator.settings) for slug, dep in masthead.departments.items()}
    errors: list[ContentError] = []
    everything = [*generator.articles, *generator.drafts, *generator.hidden_articles]
    translations = [*generator.translations, *generator.drafts_translations, *generator.hidden_translations]
    article_paths = generator.settings.get("ARTICLE_PATHS", [])
    for article in everything + translations:
        folder = department_folder(article.relative_source_path, article_paths)
        names = [author.name for author in getattr(article, "authors", [])]
        for problem in masthead_problems(masthead, folder, names):
            line = find_metadata_line(article.source_path, problem.key) if problem.key else None
            errors.append(ContentError(article.source_path, line, problem.message, problem.hint))
        if folder in masthead.departments:
            article.category = categories[folder]
            article.department = masthead.departments[folder]
        article.people = [masthead.people[name] for name in names if name in masthead.people]
        attach_body_facts(article)
    if errors:
        raise ContentErrors(errors)
    generator.context["DEPARTMENTS"] = list(masthead.departments.values())
    generator.context["DEPARTMENTS_BY_SLUG"] = masthead.departments
    generator.context["PEOPLE"] = masthead.people
    generator.context["TEAM"] = masthead.team()


def _category(dep: Department, settings: dict) -> Category:
    category = Category(dep.name, settings)
    category.slug = dep.slug
    category.department = dep
    return category


def related_articles(articles: list, count: int = RELATED_COUNT) -> dict[int, list]:
    """For each article the ``count`` most related: shared tags first, then same
    department, then the newest. Deterministic."""
    by_tag: dict[str, list[int]] = {}
    for index, article in enumerate(articles):
        for tag in getattr(article, "tags", []):
            by_tag.setdefault(tag.slug, []).append(index)
    by_department: dict[str, list[int]] = {}
    for index, article in enumerate(articles):
        category = getattr(article, "category", None)
        by_department.setdefault(getattr(category, "slug", ""), []).append(index)
    department_of = [getattr(getattr(a, "category", None), "slug", "") for a in articles]
    result: dict[int, list] = {}
    for index, article in enumerate(articles):
        department = department_of[index]
        scores: Counter[int] = Counter()
        for tag in getattr(article, "tags", []):
            for other in by_tag[tag.slug]:
                scores[other] += 2
        scores.pop(index, None)
        for other in scores:
            if department_of[other] == department:
                scores[other] += 1
        # articles are newest first, so the index breaks ties towards the newest
        ranked = heapq.nsmallest(count, scores, key=lambda i: (-scores[i], i))
        for other in by_department.get(department, []):
            if len(ranked) >= count:
                break
            if other != index and other not in ranked:
                ranked.append(other)
        result[id(article)] = [articles[i] for i in ranked]
    return result


def attach_related(generator) -> None:
    """Related articles, and the older/newer neighbours within the department."""
    related = related_articles(generator.articles)
    for article in generator.articles:
        article.related = related.get(id(article), [])
    for _category, articles in generator.categories:
        ordered = sorted(articles, key=lambda a: (a.date, a.source_path))  # oldest first
        for index, article in enumerate(ordered):
            article.older_in_department = ordered[index - 1] if index > 0 else None
            article.newer_in_department = ordered[index + 1] if index + 1 < len(ordered) else None


def add_page_descriptions(generator) -> None:
    for page in [*generator.pages, *generator.hidden_pages, *getattr(generator, "draft_pages", [])]:
        page.summary_text = summary_text(page)
        page.description = describe(page)
