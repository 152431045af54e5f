"""Moving in from WordPress: ``invoke import-wordpress`` and the redirects of the old addresses.

- ``wxr``: reads the export file (strict XML, German errors).
- ``convert``: post HTML → Markdown (wpautop, blocks, shortcodes, embeds, clean-up).
- ``mapping``: ``content/data/wordpress.yml`` (categories → departments, users → authors).
- ``importer``: the import run (plan, check, images, write, report); ``fetch``: the image
  download, the only network code here; ``comments``: approved comments for the comment server.
- ``redirects`` / ``plugin``: the build writes redirect pages, ``_redirects`` and an nginx map.
"""

from .plugin import register

__all__ = ["register"]
