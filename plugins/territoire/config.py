"""One typed configuration, read once from the Pelican settings and validated.

As in MkDocs' ``config_options``: each option checks its own value and says, in French, which
key, what was found and what was expected (« pelicanconf.py:31 — TERRITOIRE_EPCI : trouvé
« 200070761 » (un texte) ; attendu : une liste de codes SIREN de 9 chiffres »). The defaults
stay documented in settings.py (``DEFAULTS``); an option without a check of its own here is
checked against its default's type. ``load_site`` reads the configuration once into
``site.config``; views, exports and post-processing steps read ``site.config.<NAME>`` and never
``settings.get(NAME, <a default of their own>)``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .problems import Problem
from .settings import DEFAULTS

SETTINGS_FILES = ("publishconf.py", "pelicanconf.py")  # where a key is looked for, in order


class Invalid(Exception):
    """A value refused by an option: ``expected`` says what would do, in French."""

    def __init__(self, expected: str):
        super().__init__(expected)
        self.expected = expected


class Option:
    """A setting: its default and the check of its value (``run_validation``)."""

    def __init__(self, optional: bool = False):
        self.optional = optional  # None is accepted

    def validate(self, value: Any) -> Any:
        if value is None and self.optional:
            return None
        return self.run_validation(value)

    def run_validation(self, value: Any) -> Any:
        return value


class Typed(Option):
    """A value of one Python type (bool is never taken for an int, nor an int for a bool)."""

    NAMES = {
        str: "un texte",
        bool: "True ou False",
        int: "un nombre entier",
        list: "une liste",
        dict: "un dictionnaire { … }",
    }

    def __init__(self, kind: type, optional: bool = False, minimum: int | None = None, maximum: int | None = None):
        super().__init__(optional)
        self.kind, self.minimum, self.maximum = kind, minimum, maximum

    def run_validation(self, value: Any) -> Any:
        if not isinstance(value, self.kind) or (self.kind is int and isinstance(value, bool)):
            raise Invalid(self.NAMES.get(self.kind, self.kind.__name__) + (" ou None" if self.optional else ""))
        if self.minimum is not None and not (self.minimum <= value <= self.maximum):
            raise Invalid(f"un nombre entier de {self.minimum} à {self.maximum}")
        return value


class Pattern(Typed):
    """Text matching a regular expression."""

    def __init__(self, pattern: str, expected: str, optional: bool = False):
        super().__init__(str, optional)
        self.pattern, self.expected = re.compile(pattern), expected

    def run_validation(self, value: Any) -> Any:
        if not isinstance(value, str) or not self.pattern.fullmatch(value):
            raise Invalid(self.expected)
        return value


class ListOf(Typed):
    def __init__(self, item: Option, expected: str):
        super().__init__(list)
        self.item, self.expected = item, expected

    def run_validation(self, value: Any) -> Any:
        if not isinstance(value, list | tuple):
            raise Invalid(self.expected)
        try:
            return [self.item.validate(v) for v in value]
        except Invalid:
            raise Invalid(self.expected) from None


class MappingOf(Typed):
    def __init__(self, expected: str):
        super().__init__(dict)
        self.expected = expected

    def run_validation(self, value: Any) -> Any:
        if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
            raise Invalid(self.expected)
        return dict(value)


class BuildDate(Option):
    """A date, or its ISO text (AAAA-MM-JJ); None: SOURCE_DATE_EPOCH, else today."""

    def run_validation(self, value: Any) -> Any:
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            raise Invalid("une date AAAA-MM-JJ ou None") from None


class OneOf(Option):
    """Any of several options (the first that accepts the value)."""

    def __init__(self, *options: Option, expected: str):
        super().__init__()
        self.options, self.expected = options, expected

    def run_validation(self, value: Any) -> Any:
        for option in self.options:
            try:
                return option.validate(value)
            except Invalid:
                continue
        raise Invalid(self.expected)


class Custom(Option):
    def __init__(self, check: Callable[[Any], Any], optional: bool = False):
        super().__init__(optional)
        self.check = check

    def run_validation(self, value: Any) -> Any:
        return self.check(value)


def _cms_backend(value: Any) -> dict:
    if (
        not isinstance(value, dict)
        or not isinstance(value.get("name"), str)
        or not all(isinstance(v, str) for v in value.values())
    ):
        raise Invalid('un dictionnaire tel que {"name": "github", "repo": "propriétaire/dépôt", "branch": "main"}')
    return dict(value)


def _photo(value: Any) -> dict:
    if (
        not isinstance(value, dict)
        or not isinstance(value.get("fichier"), str)
        or not isinstance(value.get("alt"), str)
    ):
        raise Invalid('un dictionnaire {"fichier": "images/…/photo.jpg", "alt": "ce que montre la photo"}, ou None')
    return dict(value)


def _limits(value: Any) -> dict:
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool) and v > 0 for k, v in value.items()
    ):
        raise Invalid(
            "un dictionnaire de nombres entiers positifs (poids_max, largeur_min, hauteur_min, pixels_max), ou None"
        )
    return dict(value)


_TEXT = Typed(str)
_RELATIVE = Pattern(r"[^/].*", "un chemin relatif (sans « / » au début)")
# Checks of their own; every other option of DEFAULTS is checked against its default's type.
CHECKS: dict[str, Option] = {
    "TERRITOIRE_EPCI": ListOf(Pattern(r"\d{9}", ""), "une liste de codes SIREN de 9 chiffres, entre guillemets"),
    "TERRITOIRE_RESEAUX_LOCAUX": MappingOf('un dictionnaire identifiant → nom, tel que {"ambert": "Réseau d\'Ambert"}'),
    "TERRITOIRE_PREFIXE": Pattern(r"([A-Z]{2,4})?", "2 à 4 lettres majuscules, entre guillemets, comme \"LF\""),
    "TERRITOIRE_OFFRES_PATH": _RELATIVE,
    "TERRITOIRE_PARTENAIRES_PATH": _RELATIVE,
    "TERRITOIRE_EVENEMENTS_PATH": _RELATIVE,
    "TERRITOIRE_BILAN_PATH": _RELATIVE,
    "TERRITOIRE_PHOTOS_PATH": _RELATIVE,
    "TERRITOIRE_COMMUNES_CSV": Typed(str, optional=True),
    "TERRITOIRE_BUILD_DATE": BuildDate(optional=True),
    "TERRITOIRE_MAX_FILE_SIZE": Typed(int, minimum=1, maximum=1 << 30),
    "TERRITOIRE_PAGEFIND": Typed(str, optional=True),
    "TERRITOIRE_PHOTO_ACCUEIL": Custom(_photo, optional=True),
    "TERRITOIRE_PHOTOS_LIMITES": Custom(_limits, optional=True),
    "TERRITOIRE_CACHE_IMAGES": Typed(str, optional=True),
    "TERRITOIRE_CMS_BACKEND": Custom(_cms_backend),
    "TERRITOIRE_CMS_LOCAL_BACKEND": OneOf(
        Typed(bool), Typed(dict), expected='True, False ou un dictionnaire {"url": …}'
    ),
    "PUBLISH_TARGETS": MappingOf('un dictionnaire nom → adresse, tel que {"local": "file:///srv/site"}'),
    "PUBLISH_TARGET": Typed(str, optional=True),
    "PUBLISH_CNAME": Typed(str, optional=True),
    "TERRITOIRE_BROTLI_QUALITE": Typed(int, minimum=0, maximum=11),
    "TERRITOIRE_CARTE_TUILES": Pattern(
        r"https?://\S*\{z\}\S*\{x\}\S*\{y\}\S*", "une adresse http(s) contenant {z}, {x} et {y}, ou None", optional=True
    ),
    "TERRITOIRE_CARTE_ZOOM_MAX": Typed(int, minimum=0, maximum=24),
    "TERRITOIRE_VILLES_REPERES": ListOf(
        Pattern(r"\d[\dAB]\d{3}", ""), "une liste de codes INSEE de communes, entre guillemets (« 63113 »)"
    ),
    # Pelican's own settings the plugin reads (defaults: PELICAN_DEFAULTS).
    "SITEURL": _TEXT,
    "SITENAME": _TEXT,
    "SITESUBTITLE": Typed(str, optional=True),
}
PELICAN_DEFAULTS = {"SITEURL": "", "SITENAME": "", "SITESUBTITLE": None}
# Pelican's settings read as they are (Pelican checks them; its defaults when absent).
PELICAN = (
    "PATH",
    "OUTPUT_PATH",
    "THEME",
    "RELATIVE_URLS",
    "SLUG_REGEX_SUBSTITUTIONS",
    "SLUGIFY_PRESERVE_CASE",
    "SLUGIFY_USE_UNICODE",
    "THEME_TEMPLATES_OVERRIDES",
    "JINJA_FILTERS",
    "JINJA_ENVIRONMENT",
)


def default(name: str) -> Any:
    return DEFAULTS[name] if name in DEFAULTS else PELICAN_DEFAULTS.get(name)


def option(name: str) -> Option:
    """The option of a setting: its own check, else one inferred from its default's type."""
    if name in CHECKS:
        return CHECKS[name]
    value = default(name)
    return Option() if value is None else Typed(type(value))


class Config:
    """The validated settings, one attribute per setting, named as in pelicanconf.py, and
    ``ROOT``, the project folder (offers/, content/, data/)."""

    ROOT: Path
    SITEURL: str
    SITENAME: str
    PATH: str
    OUTPUT_PATH: str
    THEME: str
    RELATIVE_URLS: bool
    SITESUBTITLE: str | None
    SLUG_REGEX_SUBSTITUTIONS: list[tuple[str, str]]
    SLUGIFY_PRESERVE_CASE: bool
    SLUGIFY_USE_UNICODE: bool
    THEME_TEMPLATES_OVERRIDES: list[str]
    JINJA_FILTERS: dict[str, Any]
    JINJA_ENVIRONMENT: dict[str, Any]
    TERRITOIRE_NOM: str
    TERRITOIRE_RESEAU: str
    TERRITOIRE_EPCI: list[str]
    TERRITOIRE_PREFIXE: str
    TERRITOIRE_EN: str
    TERRITOIRE_RESEAUX_LOCAUX: dict[str, str]
    TERRITOIRE_OFFRES_PATH: str
    TERRITOIRE_PARTENAIRES_PATH: str
    TERRITOIRE_EVENEMENTS_PATH: str
    TERRITOIRE_BILAN_PATH: str
    TERRITOIRE_PHOTOS_PATH: str
    TERRITOIRE_CACHE_IMAGES: str | None
    TERRITOIRE_PHOTOS_LIMITES: dict[str, int] | None
    TERRITOIRE_PHOTO_ACCUEIL: dict[str, str] | None
    TERRITOIRE_COMMUNES_CSV: str | None
    TERRITOIRE_DOMAINE: str
    TERRITOIRE_BUILD_DATE: dt.date | None
    TERRITOIRE_MAX_FILE_SIZE: int
    TERRITOIRE_PAGEFIND: str | None
    TERRITOIRE_CMS_BACKEND: dict[str, str]
    TERRITOIRE_CMS_LOCAL_BACKEND: bool | dict
    TERRITOIRE_CMS_EDITORIAL_WORKFLOW: bool
    PUBLISH_TARGETS: dict[str, str]
    PUBLISH_TARGET: str | None
    PUBLISH_CNAME: str | None
    TERRITOIRE_EMPREINTES: bool
    TERRITOIRE_PRECOMPRESSION: bool
    TERRITOIRE_BROTLI_QUALITE: int
    TERRITOIRE_CARTE_TUILES: str | None
    TERRITOIRE_CARTE_ATTRIBUTION: str
    TERRITOIRE_CARTE_ZOOM_MAX: int
    TERRITOIRE_VILLES_REPERES: list[str]

    def __init__(self, values: dict[str, Any]):
        self.__dict__.update(values)

    def __repr__(self) -> str:
        return f"<Config {self.ROOT}>"


def read_config(settings: dict[str, Any]) -> tuple[Config, list[Problem]]:
    """Validate every setting of the plugin; returns the configuration and the problems (errors
    at the line of pelicanconf.py or publishconf.py that sets the key). A refused value keeps
    its default, so that the problems of content files can still be reported."""
    from pelican.settings import DEFAULT_CONFIG

    from .settings import project_root

    values: dict[str, Any] = {name: settings.get(name, DEFAULT_CONFIG.get(name)) for name in PELICAN}
    problems = []
    for name in {**DEFAULTS, **CHECKS}:
        value = settings.get(name, default(name))
        try:
            values[name] = option(name).validate(value)
        except Invalid as exc:
            values[name] = default(name)
            path, line = _where(name, project_root(settings))
            problems.append(Problem(path, line, 1, f"{name} : trouvé « {value!r} » ; attendu : {exc.expected}.", name))
    values["ROOT"] = project_root(settings)
    values["TERRITOIRE_EN"] = values["TERRITOIRE_EN"] or f"en {values['TERRITOIRE_NOM']}"
    return Config(values), problems


def _where(name: str, root: Path) -> tuple[str, int]:
    """The settings file and line that set ``name`` (publishconf.py wins, as at publication)."""
    for file_name in SETTINGS_FILES:
        path = root / file_name
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError:
            continue
        for number, line in enumerate(lines, start=1):
            if re.match(rf"{name}\s*=", line):
                return file_name, number
    return "pelicanconf.py", 0
