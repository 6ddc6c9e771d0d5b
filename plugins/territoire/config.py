"""One typed configuration, read once from the Pelican settings and validated.

As in MkDocs' ``config_options``: each option checks its own value and says, in French, which
key, what was found and what was expected (« pelicanconf.py:31 — TERRITOIRE_EPCI : trouvé
« 200070761 » (un texte) ; attendu : une liste de codes SIREN de 9 chiffres »). Every setting
is declared once, as an attribute of ``Config``: its type (the annotation), its default, its
check (None: its default's type) and what it is for (``Setting``). ``read_config`` reads the
configuration once into
``site.config``; views, exports and post-processing steps read ``site.config.<NAME>`` and never
``settings.get(NAME, <a default of their own>)``.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .problems import Problem
from .routes import address

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


@dataclass(frozen=True)
class Setting:
    """One setting, declared once: its default, its check (None: its default's type) and what it
    is for. Its type is the annotation of its attribute of ``Config``."""

    default: Any
    check: Option | None = None
    doc: str = ""

    def option(self) -> Option:
        if self.check is not None:
            return self.check
        return Option() if self.default is None else Typed(type(self.default))


class Config:
    """The validated settings, one attribute per setting, named as in pelicanconf.py, and
    ``ROOT``, the project folder (offers/, content/, data/). A site sets them in pelicanconf.py
    (production overrides in publishconf.py)."""

    ROOT: Path
    # Pelican's settings read as they are (Pelican checks them; its defaults when absent).
    PATH: str
    OUTPUT_PATH: str
    THEME: str
    RELATIVE_URLS: bool
    SLUG_REGEX_SUBSTITUTIONS: list[tuple[str, str]]
    SLUGIFY_PRESERVE_CASE: bool
    SLUGIFY_USE_UNICODE: bool
    THEME_TEMPLATES_OVERRIDES: list[str]
    JINJA_FILTERS: dict[str, Any]
    JINJA_ENVIRONMENT: dict[str, Any]
    # Pelican's settings the plugin reads and checks.
    SITEURL: str = Setting("", _TEXT, doc="The public site's address (Pelican's).")
    SITENAME: str = Setting("", _TEXT, doc="The site's name (Pelican's).")
    SITESUBTITLE: str | None = Setting(None, Typed(str, optional=True), doc="The site's subtitle (Pelican's).")
    # The plugin's settings.
    TERRITOIRE_NOM: str = Setting(
        "Mon territoire",
        doc="Name of the territory, as visitors read it (« Livradois-Forez »).",
    )
    TERRITOIRE_EN: str = Setting(
        "",
        doc="The territory in a sentence after « offres ouvertes … »: « en Livradois-Forez », « dans le Pays de Retz ». Empty: « en » and TERRITOIRE_NOM.",
    )
    TERRITOIRE_RESEAU: str = Setting(
        "Réseau d'accueil",
        doc="Name of the network of partners (« Cap Actif »).",
    )
    TERRITOIRE_PREFIXE: str = Setting(
        "",
        Pattern(r"([A-Z]{2,4})?", '2 à 4 lettres majuscules, entre guillemets, comme "LF"'),
        doc="Letters that begin every offer's reference (« LF » in LF-2026-014): 2 to 4 capitals. Empty: the prefix most of the existing offers use, else the initials of TERRITOIRE_NOM.",
    )
    TERRITOIRE_EPCI: list[str] = Setting(
        [],
        ListOf(Pattern(r"\d{9}", ""), "une liste de codes SIREN de 9 chiffres, entre guillemets"),
        doc="SIREN codes of the EPCIs that make up the territory. Offers and partners must be located in one of their communes.",
    )
    TERRITOIRE_RESEAUX_LOCAUX: dict[str, str] = Setting(
        {},
        MappingOf('un dictionnaire identifiant → nom, tel que {"ambert": "Réseau d\'Ambert"}'),
        doc="Local groups of the network: id → name. Partners name theirs in `reseau_local`.",
    )
    TERRITOIRE_OFFRES_PATH: str = Setting(
        "offers",
        _RELATIVE,
        doc="Folder of the offers (YAML), relative to the project root (the folder of pelicanconf.py).",
    )
    TERRITOIRE_PARTENAIRES_PATH: str = Setting(
        "partenaires",
        _RELATIVE,
        doc="Folder of the partners' presentations, relative to PATH (the content folder).",
    )
    TERRITOIRE_EVENEMENTS_PATH: str = Setting(
        "evenements",
        _RELATIVE,
        doc="Folder of the events, relative to PATH (the content folder).",
    )
    TERRITOIRE_BILAN_PATH: str = Setting(
        "bilan",
        _RELATIVE,
        doc=f"Folder of the network's yearly figures (one YAML file per year, /{address('bilan')}), relative to PATH.",
    )
    TERRITOIRE_PHOTOS_PATH: str = Setting(
        "images/offres",
        _RELATIVE,
        doc="Folder of offer photos, relative to PATH.",
    )
    TERRITOIRE_CACHE_IMAGES: str | None = Setting(
        None,
        Typed(str, optional=True),
        doc="Photos (images.py): every JPEG, PNG or WebP under content/images/ is published in responsive variants, stripped of its metadata. Encoded files are kept in this folder between builds (relative to the project root; None: .cache/images/). The cache is keyed by each photo's content and the encoding settings: projects may share one safely.",
    )
    TERRITOIRE_CACHE_CONTENU: str | None = Setting(
        None,
        Typed(str, optional=True),
        doc="Content cache (contentcache.py): the content files as parsed, the records' rendered descriptions, the brochure's QR codes and its PDF, the last full build's search index, kept in this folder between builds (relative to the project root; None: .cache/contenu/). Keyed by content (SHA-256 of the text, of the brochure's HTML and of every file it reads), never by dates: a fresh checkout with a restored cache skips the same work.",
    )
    TERRITOIRE_PHOTOS_LIMITES: dict[str, int] | None = Setting(
        None,
        Custom(_limits, optional=True),
        doc="Limits of an offer's photo, checked by `invoke validate`: poids_max (bytes), largeur_min and hauteur_min (pixels), pixels_max (width × height). None: images.DEFAULT_LIMITS (8 Mo, 800 × 450 pixels at least, 40 megapixels at most).",
    )
    TERRITOIRE_PHOTO_ACCUEIL: dict[str, str] | None = Setting(
        None,
        Custom(_photo, optional=True),
        doc="The home page's and the brochure cover's picture: file relative to PATH, and its text alternative. None: no picture.",
    )
    TERRITOIRE_COMMUNES_CSV: str | None = Setting(
        None,
        Typed(str, optional=True),
        doc="Communes reference (CSV), relative to the project root. None: the kit's own copy (every French commune, its EPCI and coordinates; see territoire/data/README.md).",
    )
    TERRITOIRE_BUILD_DATE: dt.date | None = Setting(
        None,
        BuildDate(optional=True),
        doc="Build date (a datetime.date). None: from SOURCE_DATE_EPOCH, else today (Europe/Paris).",
    )
    TERRITOIRE_DOMAINE: str = Setting(
        "",
        doc="Host name of the public site, named in the events' calendar UIDs (<slug>@<host>) and used for absolute links in calendars, feeds and JSON-LD when SITEURL is not an absolute URL. Empty: SITEURL's host (else « <network>.invalid »). Set it so UIDs never change.",
    )
    TERRITOIRE_MAX_FILE_SIZE: int = Setting(
        1024 * 1024,
        Typed(int, minimum=1, maximum=1 << 30),
        doc="Largest content file accepted, in bytes.",
    )
    TERRITOIRE_PAGEFIND: str | None = Setting(
        None,
        Typed(str, optional=True),
        doc=f"The Pagefind program that indexes the site for /{address('recherche')}. None: the one the `pagefind[bin]` package installs, else `pagefind` on PATH. Without one, the site is built without a search index (the build says so).",
    )
    TERRITOIRE_PROCESSUS: int | None = Setting(
        None,
        Typed(int, optional=True, minimum=1, maximum=2),
        doc="Processes rendering the pages of a full build: 2, a second process (forked, Linux only) renders about half of them on another core (secondprocess.py); 1, the build's own process renders them all. None: 2 on Linux with two cores or more, else 1. The site is the same either way.",
    )
    TERRITOIRE_CMS_BACKEND: dict[str, str] = Setting(
        {"name": "github", "repo": "", "branch": "main"},
        Custom(_cms_backend),
        doc=f'Decap CMS at /{address("admin")} (config.yml generated by cms.py): the Git backend partners log in to (name, repo "owner/name", branch), see https://decapcms.org/docs/backends-overview/.',
    )
    TERRITOIRE_CMS_LOCAL_BACKEND: bool | dict = Setting(
        False,
        OneOf(Typed(bool), Typed(dict), expected='True, False ou un dictionnaire {"url": …}'),
        doc='Decap\'s local backend (the `decap-server` proxy, for trying the CMS on one\'s machine): False, True (http://localhost:8081/api/v1) or a dict such as {"url": ..., "allowed_hosts": [...]}.',
    )
    TERRITOIRE_CMS_EDITORIAL_WORKFLOW: bool = Setting(
        True,
        doc="Editorial workflow: each save is a branch and a pull request, published after review.",
    )
    # --- Publication (`invoke publish`, set in publishconf.py) ---
    PUBLISH_TARGETS: dict[str, str] = Setting(
        {},
        MappingOf('un dictionnaire nom → adresse, tel que {"local": "file:///srv/site"}'),
        doc="Named targets, name → address (file:///chemin, rsync://…, utilisateur@hôte:/chemin, ghpages://propriétaire/dépôt, a git URL or bare repository, a local folder).",
    )
    PUBLISH_TARGET: str | None = Setting(
        None,
        Typed(str, optional=True),
        doc="The target used without --target (a name of PUBLISH_TARGETS or an address).",
    )
    PUBLISH_CNAME: str | None = Setting(
        None,
        Typed(str, optional=True),
        doc="Custom domain written as CNAME on the gh-pages branch (None: no CNAME).",
    )
    TERRITOIRE_EMPREINTES: bool = Setting(
        False,
        doc="Production builds (publishconf.py) name theme CSS/JS after their content (site.<hash8>.css, cached a year); development builds stay quick.",
    )
    TERRITOIRE_PRECOMPRESSION: bool = Setting(
        False,
        doc="Production builds (publishconf.py) write .gz/.br copies of text files; development builds stay quick.",
    )
    TERRITOIRE_BROTLI_QUALITE: int = Setting(
        9,
        Typed(int, minimum=0, maximum=11),
        doc="Brotli quality of the pre-compressed .br copies (0–11; 11 is much slower for 5,000 pages).",
    )
    TERRITOIRE_CARTE_TUILES: str | None = Setting(
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        Pattern(
            r"https?://\S*\{z\}\S*\{x\}\S*\{y\}\S*",
            "une adresse http(s) contenant {z}, {x} et {y}, ou None",
            optional=True,
        ),
        doc=f"Map /{address('carte')}: tile URL template ({{z}}/{{x}}/{{y}}, optional {{s}}). The tile server is the one third-party host a page may call; None: no tiles, the markers on a plain background.",
    )
    TERRITOIRE_CARTE_ATTRIBUTION: str = Setting(
        "© les contributeurs d'OpenStreetMap",
        doc="The tiles' attribution (HTML allowed, shown on the map).",
    )
    TERRITOIRE_CARTE_ZOOM_MAX: int = Setting(
        19,
        Typed(int, minimum=0, maximum=24),
        doc="Highest zoom level the tile server offers.",
    )
    TERRITOIRE_VILLES_REPERES: list[str] = Setting(
        [],
        ListOf(Pattern(r"\d[\dAB]\d{3}", ""), "une liste de codes INSEE de communes, entre guillemets (« 63113 »)"),
        doc="Reference towns (INSEE codes) every offer's locator map shows with their distance (the nearest town is always added), and that the board's distance filter offers beside the territory's communes: the cities newcomers come from.",
    )

    def __init__(self, values: dict[str, Any]):
        self.__dict__.update(values)

    def __repr__(self) -> str:
        return f"<Config {self.ROOT}>"


# Every setting, as Config declares it; Pelican's settings read as they are.
SETTINGS: dict[str, Setting] = {name: value for name, value in vars(Config).items() if isinstance(value, Setting)}
PELICAN = tuple(name for name in Config.__annotations__ if name not in SETTINGS and name != "ROOT")
# The plugin's own settings and their defaults.
DEFAULTS = {name: s.default for name, s in SETTINGS.items() if name not in ("SITEURL", "SITENAME", "SITESUBTITLE")}


def default(name: str) -> Any:
    return copy.deepcopy(SETTINGS[name].default)


def option(name: str) -> Option:
    """The option of a setting: its own check, else one inferred from its default's type."""
    return SETTINGS[name].option()


def read_config(settings: dict[str, Any]) -> tuple[Config, list[Problem]]:
    """Validate every setting of the plugin; returns the configuration and the problems (errors
    at the line of pelicanconf.py or publishconf.py that sets the key). A refused value keeps
    its default, so that the problems of content files can still be reported."""
    from pelican.settings import DEFAULT_CONFIG

    from .settings import project_root

    values: dict[str, Any] = {name: settings.get(name, DEFAULT_CONFIG.get(name)) for name in PELICAN}
    problems = []
    for name in SETTINGS:
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
