"""Pelican hooks of the editorial workflow.

- ``initialized``: the settings' defaults (``settings.py``), then the pre-flight — the source
  checks, so a broken article stops the build with one German ``file:line`` message each,
  before anything is made of it (run beside the reading when there are two cores:
  ``background.py``; taken in ``article_generator_pretaxonomy``) — and the Markdown
  preprocessor that turns pasted embed codes of YouTube, X and Mastodon into plain addresses
  (``embedcodes``), so they become the same private blocks.
- ``article_generator_context``: maps the workflow status onto Pelican's status (drafts
  and articles in review are skipped in the publish build) and attaches ``article.editorial``.
- ``article_generator_pretaxonomy``: fails the publish build for articles marked for
  publication without both sign-offs (if the pre-flight was switched off).
- ``article_generator_finalized``: gives the workflow the department's display name
  (shown by the preview banner, ``partials/editorial_banner.html``).
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from pelican import signals

from magazin.consent.registry import embed_code_rules
from magazin.core.errors import (
    ContentError,
    ContentErrors,
    defer_check,
    find_metadata_line,
    pending_checks,
    take_check,
)
from magazin.core.incremental import add_body_refresher
from magazin.core.processes import usable_cores
from magazin.core.settings import setting
from magazin.core.wiring import configure_with

from .background import PreflightJob
from .checks import check_site
from .embedcodes import EmbedCodeExtension
from .fastcheck import check_edited_source
from .settings import DEFAULTS
from .workflow import HIDDEN, RELEASE, STATUS_KEY, normalise_status, pelican_status, workflow_of

TEMPLATES = Path(__file__).resolve().parent / "templates"


def preflight(pelican) -> None:
    """Check every source; raise all problems at once. With more than one core the checks run
    in a forked process while Pelican reads the sources (``background``); ``collect_preflight``
    takes their result before anything uses the articles."""
    settings = pelican.settings
    if not setting(settings, "EDITORIAL_PREFLIGHT", DEFAULTS):
        return
    if (
        setting(settings, "EDITORIAL_PREFLIGHT_BACKGROUND", DEFAULTS)
        and usable_cores() > 1
        and hasattr(os, "fork")
    ):
        # pending until collect_preflight takes it (or core.build, if the build stops first)
        defer_check(PreflightJob(settings))
        return
    problems = check_site(settings, full=False)
    if problems:
        raise ContentErrors(problems)


def collect_preflight(generator) -> None:
    """``article_generator_pretaxonomy``: the background pre-flight's problems stop the build
    here, before departments, tags or pages are made from the articles."""
    for job in pending_checks():
        if isinstance(job, PreflightJob) and job.settings is generator.settings:
            problems = take_check(job)
            if problems:
                raise ContentErrors(problems)


def add_embed_codes(pelican) -> None:
    """Platform embed codes pasted into articles become plain addresses (``embedcodes``)."""
    from magazin.core.settings import add_markdown_extension

    extensions = pelican.settings.get("MARKDOWN", {}).get("extensions", [])
    if not any(isinstance(e, EmbedCodeExtension) for e in extensions):
        add_markdown_extension(pelican.settings, EmbedCodeExtension(embed_code_rules(pelican.settings)))


def map_status(generator, metadata: dict) -> None:
    """Turn the workflow state into Pelican's ``status`` and remember it on the article."""
    raw = metadata.get(STATUS_KEY)
    if normalise_status(raw) is None:
        return  # Pelican reports the unknown status (the pre-flight normally catches it first)
    flow = workflow_of(metadata)
    publish = setting(generator.settings, "EDITORIAL_PUBLISH", DEFAULTS)
    metadata[STATUS_KEY] = pelican_status(flow, publish)
    metadata["editorial"] = flow


def fail_on_missing_signoffs(generator) -> None:
    """Publish build: an article marked for publication needs both sign-offs."""
    if not setting(generator.settings, "EDITORIAL_PUBLISH", DEFAULTS):
        return
    errors = []
    for article in [*generator.articles, *generator.hidden_articles]:
        flow = getattr(article, "editorial", None)
        if flow is not None and flow.status in (RELEASE, HIDDEN) and not flow.cleared:
            path = article.source_path
            errors.append(
                ContentError(
                    path,
                    find_metadata_line(path, STATUS_KEY) or find_metadata_line(path, "title"),
                    "Der Artikel soll veröffentlicht werden, aber es fehlt: "
                    + "; ".join(flow.missing())
                    + ".",
                    "Hole die Freigaben ein oder setze „Status: In Prüfung“.",
                )
            )
    if errors:
        raise ContentErrors(errors)


def name_departments(generator) -> None:
    """Department names for the banner; keep unreleased articles out of the search index."""
    for article in [*generator.articles, *generator.drafts, *generator.hidden_articles]:
        flow = getattr(article, "editorial", None)
        category = getattr(article, "category", None)
        if flow is not None and category is not None:
            article.editorial = dataclasses.replace(flow, department_name=category.name)
        if flow is not None and not flow.publishable:
            article.search_index = False  # plugins/magazin/search: nothing unreleased in the index


def add_refresher(pelican) -> None:
    """The live preview's fast render checks an edited source as the pre-flight would."""
    add_body_refresher(pelican.settings, "source", check_edited_source)


configure = configure_with(DEFAULTS, templates=TEMPLATES, then=[preflight, add_embed_codes, add_refresher])


def register() -> None:
    signals.initialized.connect(configure)
    signals.article_generator_context.connect(map_status)
    signals.article_generator_pretaxonomy.connect(collect_preflight)
    signals.article_generator_pretaxonomy.connect(fail_on_missing_signoffs)
    signals.article_generator_finalized.connect(name_departments)
