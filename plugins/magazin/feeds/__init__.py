"""Atom feeds of the magazine (all articles, one per department), written with feedgen."""

from .plugin import register

__all__ = ["register"]
