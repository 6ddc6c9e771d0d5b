"""The territory site kit, a Pelican plugin: content models, loading, validation, views, and
the theme they render with.

A territory's pelicanconf.py names the kit's theme and its own overrides the way Pelican's
ecosystem does::

    import territoire
    PLUGINS = ["territoire"]
    THEME = territoire.theme_path()
    THEME_TEMPLATES_OVERRIDES = territoire.template_overrides(ROOT / "theme")
    THEME_STATIC_PATHS = territoire.static_paths(ROOT / "theme")
"""

from __future__ import annotations

from pathlib import Path

from .plugin import register
from .settings import THEME_PATH

__all__ = ["__version__", "register", "static_paths", "template_overrides", "theme_path"]


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("territoire-site-kit")
    except PackageNotFoundError:  # imported from a source tree that was never installed
        return "0+inconnue"


__version__ = _version()


def theme_path() -> str:
    """The kit's theme (THEME)."""
    return str(THEME_PATH)


def template_overrides(project_theme: str | Path) -> list[str]:
    """THEME_TEMPLATES_OVERRIDES: the territory's own templates first (``theme/templates/``, same
    relative names as the kit's: ``partials/entete.html``), then the kit's page templates, which
    Pelican looks up by bare name (``page``, ``index``)."""
    own = Path(project_theme) / "templates"
    return [str(own), str(own / "pages"), str(THEME_PATH / "templates" / "pages")]


def static_paths(project_theme: str | Path) -> list[str]:
    """THEME_STATIC_PATHS: the kit's static files, then the territory's ``theme/static/``, copied
    over them (same names replace the kit's files: ``css/territoire.css``)."""
    return ["static", str(Path(project_theme) / "static")]
