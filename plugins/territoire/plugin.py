"""Registration with Pelican: filters, the content generator, and the stop on bad content."""

from __future__ import annotations

from pelican import signals

from .formats import FILTERS
from .generator import TerritoireGenerator
from .markup import sanitize


def _add_filters(pelican) -> None:
    filters = dict(pelican.settings.get("JINJA_FILTERS", {}))
    for name, function in FILTERS.items():
        filters.setdefault(name, function)
    filters["html_assaini"] = sanitize
    pelican.settings["JINJA_FILTERS"] = filters
    # Every template, the plugin's and Pelican's own pages alike, escapes what it prints: content
    # is never trusted as HTML. Trusted HTML (sanitised Markdown, drawings made here) is marked
    # with markupsafe.Markup where it is made. Forced here, whatever pelicanconf.py says.
    pelican.settings["JINJA_ENVIRONMENT"] = {**pelican.settings.get("JINJA_ENVIRONMENT", {}), "autoescape": True}


def _generators(pelican):
    return TerritoireGenerator


def _sanitize_page(instance) -> None:
    """Pelican renders pages itself: pass their HTML through the same allow-list."""
    if getattr(instance, "_content", None):
        instance._content = sanitize(instance._content)


def register() -> None:
    signals.initialized.connect(_add_filters)
    signals.content_object_init.connect(_sanitize_page)
    signals.get_generators.connect(_generators)
