"""An address alone on its line: checked with the rule each listed embed plugin offers through
its ``register_embeds`` hook (``magazin.consent.add_url_check``), the same rule its build uses.
No embed plugin is named here: a new one brings its rule with it."""

from __future__ import annotations

from magazin.consent import url_problems
from magazin.core.urlline import url_alone

from ..source import Source
from .site import Site


def check_embeds(site: Site, src: Source) -> None:
    for number, line in src.prose_lines():
        url = url_alone(line)
        if url is None:
            continue
        for message, hint in url_problems(site.settings, url):
            src.error(number, message, hint)
