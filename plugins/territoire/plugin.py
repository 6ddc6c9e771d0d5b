"""Registration with Pelican: the templates' filters and escaping, the sanitising of Pelican's
own pages, its Markdown reader given the text the validate stage read (each page is read from
disk once) and Pelican's pages handed to the build (the PDF brochure's chapters are those pages).
The plugin's generator is not registered here: the render stage (render.py) binds it to each
build."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Environment, FileSystemLoader
from markdown import Markdown
from pelican import signals
from pelican.readers import MarkdownReader

from .bodyimages import images_reactives
from .formats import FILTERS
from .markup import sanitize
from .routes import JINJA_GLOBALS

if TYPE_CHECKING:
    from .config import Config


def _filters(configured: dict) -> dict:
    filters = dict(configured)
    for name, function in FILTERS.items():
        filters.setdefault(name, function)
    filters["html_assaini"] = sanitize
    filters["images_reactives"] = images_reactives
    return filters


def _environment_options(configured: dict) -> dict:
    # Every template, the plugin's and Pelican's own pages alike, escapes what it prints: content
    # is never trusted as HTML. Trusted HTML (sanitised Markdown, drawings made here) is marked
    # with markupsafe.Markup where it is made. Forced here, whatever pelicanconf.py says.
    return {**configured, "autoescape": True}


def _add_filters(pelican) -> None:
    pelican.settings["JINJA_FILTERS"] = _filters(pelican.settings["JINJA_FILTERS"])
    pelican.settings["JINJA_ENVIRONMENT"] = _environment_options(pelican.settings["JINJA_ENVIRONMENT"])
    # Addresses come from the route table: {{ url_for("offres") }} (routes.py).
    pelican.settings["JINJA_GLOBALS"] = {**pelican.settings["JINJA_GLOBALS"], **JINJA_GLOBALS}


def theme_environment(config: Config) -> Environment:
    """The theme's templates for what is made after Pelican's run (the PDF brochure): the same
    folders, options and filters as Pelican's generators use."""
    folders = [*config.THEME_TEMPLATES_OVERRIDES, str(Path(config.THEME) / "templates")]
    env = Environment(loader=FileSystemLoader(folders), **_environment_options(config.JINJA_ENVIRONMENT))
    env.filters.update(_filters(config.JINJA_FILTERS))
    env.globals.update(JINJA_GLOBALS)
    return env


def _sanitize_page(instance) -> None:
    """Pelican renders pages itself: pass their HTML through the same allow-list."""
    if getattr(instance, "_content", None):
        instance._content = sanitize(instance._content)


def _no_static_copies(generator) -> None:
    """Pelican copies, as they are, the files a page names with « {static} » or « {attach} »
    (wherever they lie: « {attach}/../.git/config »), besides STATIC_PATHS (empty here). No
    content file is published that way: images go through the image pipeline (images.py).
    invoke validate refuses such links (pages.py); this keeps the build safe without it."""
    for static in generator.staticfiles:
        generator.context["static_content"].pop(static.get_relative_source_path(), None)
    generator.staticfiles = []
    generator.context["staticfiles"] = []


class TerritoireMarkdownReader(MarkdownReader):
    """Pelican's Markdown reader, given the text of each page as the validate stage read and
    checked it (pages.py), rather than reading the file again: what Pelican publishes is what
    was checked, and each page is read once. Outside a build of the kit (no ``TERRITOIRE_RUN``
    in the settings), or for a file the check did not read, it reads the file as Pelican does.
    The three lines after the text are MarkdownReader.read's own (Pelican 4.12)."""

    def read(self, source_path):
        text = _checked_text(self.settings, source_path)
        if text is None:
            return super().read(source_path)
        self._source_path = source_path
        self._md = Markdown(**self.settings["MARKDOWN"])
        content = self._md.convert(text)
        return content, self._parse_metadata(self._md.Meta) if hasattr(self._md, "Meta") else {}


def _checked_text(settings: dict, source_path: str) -> str | None:
    run = settings.get("TERRITOIRE_RUN")
    if run is None:
        return None
    pages_dir = Path(run.site.config.PATH).absolute() / "pages"
    texts = {str(pages_dir / page.relative): page.text for page in run.site.pages}
    text = texts.get(str(Path(source_path).absolute()))
    # As Pelican's pelican_open reads it: universal newlines.
    return text.replace("\r\n", "\n").replace("\r", "\n") if text is not None else None


def _use_checked_texts(readers) -> None:
    readers.reader_classes["md"] = TerritoireMarkdownReader


def _hand_pages_to_the_build(generator) -> None:
    """Pelican's pages as it read them, for the steps after Pelican's run (the PDF brochure)."""
    run = generator.settings.get("TERRITOIRE_RUN")
    if run is not None:
        run.pages = list(generator.pages)


def register() -> None:
    signals.initialized.connect(_add_filters)
    signals.readers_init.connect(_use_checked_texts)
    signals.page_generator_finalized.connect(_hand_pages_to_the_build)
    signals.content_object_init.connect(_sanitize_page)
    signals.static_generator_finalized.connect(_no_static_copies)
