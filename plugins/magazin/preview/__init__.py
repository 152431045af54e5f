"""The authors' live preview (``invoke livereload`` / ``make serve``): a library, not a
Pelican plugin. ``server.PreviewServer`` serves the built site, answers unknown addresses
with the site's own ``404.html`` and reloads open pages after each rebuild;
``run.main`` watches the sources and rebuilds."""
