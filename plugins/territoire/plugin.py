"""Registration with Pelican: filters, the content generator, and the stop on bad content."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader
from pelican import signals

from .formats import FILTERS
from .generator import TerritoireGenerator
from .markup import sanitize


def _filters(settings: dict[str, Any]) -> dict:
    filters = dict(settings.get("JINJA_FILTERS", {}))
    for name, function in FILTERS.items():
        filters.setdefault(name, function)
    filters["html_assaini"] = sanitize
    return filters


def _environment_options(settings: dict[str, Any]) -> dict:
    # Every template, the plugin's and Pelican's own pages alike, escapes what it prints: content
    # is never trusted as HTML. Trusted HTML (sanitised Markdown, drawings made here) is marked
    # with markupsafe.Markup where it is made. Forced here, whatever pelicanconf.py says.
    return {**settings.get("JINJA_ENVIRONMENT", {}), "autoescape": True}


def _add_filters(pelican) -> None:
    pelican.settings["JINJA_FILTERS"] = _filters(pelican.settings)
    pelican.settings["JINJA_ENVIRONMENT"] = _environment_options(pelican.settings)


def theme_environment(settings: dict[str, Any]) -> Environment:
    """The theme's templates for what is made after Pelican's run (the PDF brochure): the same
    folders, options and filters as Pelican's generators use."""
    folders = [*settings.get("THEME_TEMPLATES_OVERRIDES", []), str(Path(settings["THEME"]) / "templates")]
    env = Environment(loader=FileSystemLoader(folders), **_environment_options(settings))
    env.filters.update(_filters(settings))
    return env


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
