"""Benchmark of the magazine build against stock Pelican and Hugo (``invoke bench``).

- ``corpus``: a synthetic German corpus, deterministic from a seed.
- ``runner``: runs every build in its own process; median wall time, peak memory.
- ``report``: JSON and Markdown table.

Not a Pelican plugin: nothing here is listed in ``PLUGINS``.
"""
