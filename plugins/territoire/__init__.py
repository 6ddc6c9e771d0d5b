"""Pelican plugin of the territory site kit: content models, loading, validation, views."""

from .plugin import register

__all__ = ["register"]
