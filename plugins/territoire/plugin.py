"""Registration with Pelican: the templates' filters and escaping, and the sanitising of
Pelican's own pages. The plugin's generator is not registered here: the render stage
(render.py) binds it to each build."""

from __future__ import annotations

from pelican import signals

from .formats import FILTERS
from .markup import sanitize


def _add_filters(pelican) -> None:
    filters = dict(pelican.settings["JINJA_FILTERS"])
    for name, function in FILTERS.items():
        filters.setdefault(name, function)
    filters["html_assaini"] = sanitize
    pelican.settings["JINJA_FILTERS"] = filters
    # Every template, the plugin's and Pelican's own pages alike, escapes what it prints: content
    # is never trusted as HTML. Trusted HTML (sanitised Markdown, drawings made here) is marked
    # with markupsafe.Markup where it is made. Forced here, whatever pelicanconf.py says.
    pelican.settings["JINJA_ENVIRONMENT"] = {**pelican.settings["JINJA_ENVIRONMENT"], "autoescape": True}


def _sanitize_page(instance) -> None:
    """Pelican renders pages itself: pass their HTML through the same allow-list."""
    if getattr(instance, "_content", None):
        instance._content = sanitize(instance._content)


def register() -> None:
    signals.initialized.connect(_add_filters)
    signals.content_object_init.connect(_sanitize_page)
