"""Shared core of the magazine's plugins: content errors, data files and the safe build.

This package is a library for the other plugins and for ``tasks.py``; it connects no
signals itself and is therefore not listed in ``PLUGINS``.
"""

from .errors import BuildFailed, ContentError, ContentErrors, find_metadata_line, relpath

__all__ = ["BuildFailed", "ContentError", "ContentErrors", "find_metadata_line", "relpath"]
