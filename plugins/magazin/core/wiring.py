"""The two handlers nearly every plugin connects, made once.

    configure = configure_with(DEFAULTS, templates=TEMPLATES)   # for ``initialized``
    configure = configure_with(DEFAULTS, then=[check_cache])     # … with steps of its own
    get_generators = provides(FeedsGenerator)                    # for ``get_generators``

Assign them to module-level names in ``plugin.py``: Pelican's signals hold their receivers by
weak reference, so a handler that nothing else refers to would vanish before the build.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from blinker import signal

from .settings import add_template_dir, apply_defaults

# Sent by the parallel writer (parallel/writing.py) in each writing process once that process
# has written its share of every searchable page (the articles and the pages, written before
# the listings): ``sender`` the output phase, ``settings`` the build's settings, ``shard`` the
# process's number and ``processes`` how many write. When every process has said so, the
# search index can start (search/search.py). A receiver runs in the writing process: it must
# be process-safe (see ``process_safe``).
searchable_written = signal("magazin-searchable-written")


def configure_with(
    defaults: Mapping[str, Any],
    *,
    templates: str | os.PathLike[str] | None = None,
    then: Sequence[Callable[[Any], None]] = (),
) -> Callable[[Any], None]:
    """An ``initialized`` handler: apply the plugin's ``DEFAULTS``, add its template folder, then
    run the plugin's own ``initialized`` steps in order (they see the defaults)."""

    def configure(pelican: Any) -> None:
        apply_defaults(pelican.settings, defaults)
        if templates is not None:
            add_template_dir(pelican.settings, templates)
        for step in then:
            step(pelican)

    # The handler belongs to the plugin that made it (the safe build detaches the handlers of
    # plugins a build does not list, by module: core.build.detach_plugins).
    configure.__module__ = sys._getframe(1).f_globals.get("__name__", __name__)
    return configure


def provides(generator: type) -> Callable[[Any], type]:
    """A ``get_generators`` handler that adds the plugin's generator class to the build."""

    def get_generators(pelican: Any) -> type:
        return generator

    get_generators.__module__ = sys._getframe(1).f_globals.get("__name__", __name__)
    return get_generators


def process_safe(receiver: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a ``content_written`` receiver that may run in whichever process wrote the page.

    The parallel plugin writes pages in several processes (``parallel/writing.py``). A marked
    receiver keeps no state in its process: it only rewrites the file it is given (the
    typography pass) or announces it on a channel made for several processes (the search
    index's locked pipe). Every other receiver runs in the main process, in the order Pelican
    wrote the pages."""
    receiver.process_safe = True  # type: ignore[attr-defined]
    return receiver
