"""The route table: every address of the site, declared once, and the routes of a build.

``ADDRESSES`` names each address the kit's sections use (« offres », « offre », « flux-offres »…)
with its pattern; code asks ``address("offre", slug=…)`` and templates ``{{ url_for("offres") }}``
(SITEURL in front, as the page sees it: relative when RELATIVE_URLS is on), so no section
address is written anywhere else. The top-level folders of the table are the slugs no page may
take (pages.py).

A view (views/) returns its ``Route``s from the resolved site and the derived data: the address
it writes (``save_as``), the producer (the view's function), the template, the sources it is
made from and what makes its content. The generator (generator.py) collects every route before
anything is written, then renders the table in order; the output registry (outputs.py) records
each route and, once the site is built, the files nobody declared.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from jinja2 import pass_context

if TYPE_CHECKING:
    from jinja2 import Template

    from .images import CachedFile

# Name → address pattern (relative to the site's root; « {…} » filled by ``address()``).
ADDRESSES: dict[str, str] = {
    # The offer board (views/offers.py, exports.py, feeds.py).
    "offres": "offres/",
    "offre": "offres/{slug}/",
    "facette": "offres/{kind}/{slug}/",
    "commune-code": "offres/commune/{code}/",  # a commune's former address: a redirection
    "offres-par-commune": "offres/commune/",  # every commune with open offers, by intercommunality
    "offres-conclues": "offres/conclues/",
    "offres-alertes": "offres/alertes/",
    "flux-offres": "offres/flux.atom",
    "flux-secteur": "offres/secteur/{code}/flux.atom",
    "flux-territoire": "offres/territoire/{siren}/flux.atom",
    "offres-filtres": "offres/filtres.json",
    "offres-cartes": "offres/cartes/",
    "offres-cartes-fichier": "offres/cartes/{number}.json",
    "offres-json": "offres/offres.json",
    "offres-csv": "offres/offres.csv",
    "offres-geojson": "offres/offres.geojson",
    "offres-schema": "offres/offres.schema.json",
    "offres-communes": "offres/communes.svg",
    "donnees-ouvertes": "donnees-ouvertes/",
    # Partners (views/partners.py).
    "partenaires": "partenaires/",
    "partenaire": "partenaires/{slug}/",
    "qui-fait-quoi": "qui-fait-quoi/",
    # Events (views/events.py).
    "evenements": "evenements/",
    "evenement": "evenements/{slug}/",
    "evenement-ics": "evenements/{slug}/evenement.ics",
    "evenements-ics": "evenements/evenements.ics",
    "flux-evenements": "evenements/flux.atom",
    # The map (views/map.py, svgmap.py).
    "carte": "carte/",
    "carte-partenaires": "carte/partenaires.geojson",
    "carte-offres": "carte/offres.geojson",
    "carte-contour": "carte/territoire.geojson",
    "carte-fond": "carte/territoire.svg",
    # The network's figures (views/figures.py).
    "bilan": "reseau/bilan/",
    "bilan-csv": "reseau/bilan.csv",
    # « Trouver un accompagnement » (views/orientation.py).
    "orientation": "trouver-un-accompagnement/",
    "orientation-resultats": "trouver-un-accompagnement/{secteur}/{etape}/",
    "orientation-partenaires": "trouver-un-accompagnement/partenaires.json",
    "orientation-communes": "trouver-un-accompagnement/communes.json",
    # Search (views/search.py) and the CMS (views/admin.py).
    "recherche": "recherche/",
    "admin": "admin/",
    "admin-config": "admin/config.yml",
    "admin-logo": "admin/logo.svg",
    "admin-fichier": "admin/{name}",  # the CMS's data files (cms.COMMUNES_FRANCE, cms.LABELS)
    # The welcome brochure: Pelican's pages of content/pages/accueil/ (views/brochure.py).
    "accueil": "accueil/",
    # A list's further pages (the board, its facets): « offres/page/2/ ».
    "page-suivante": "{liste}page/{number}/",
}
# The board's facets, in display order: each kind is a folder under /offres/ (« facette »), with
# the label of its group.
FACET_KINDS = {
    "nature": "Nature",
    "secteur": "Secteur",
    "prix": "Prix de cession",
    "logement": "Logement",
    "territoire": "Intercommunalité",
    "commune": "Commune",
}
# The hosting files made with the site and never published (nginx.conf, the output registry).
HOSTING_DIR = "_hebergement"
# Top-level folders of the site that are not sections: no page may take them either.
OTHER_FOLDERS = ("theme", "images", "pagefind")
# Sections whose folder belongs to Pelican's pages (content/pages/accueil/): not reserved.
PAGE_SECTIONS = ("accueil",)


def address(name: str, /, **params: Any) -> str:
    """The address ``name`` of the table, relative to the site's root: « offres/four/ »."""
    return ADDRESSES[name].format(**params)


@pass_context
def url_for(context, name: str, /, **params: Any) -> str:
    """``{{ url_for("offre", slug=offer.slug) }}`` in a template: SITEURL as the page sees it,
    then the address."""
    return f"{context.get('SITEURL', '')}/{address(name, **params)}"


def reserved_slugs() -> set[str]:
    """The top-level folders the site's own sections use: no editorial page may take them."""
    sections = {pattern.split("/", 1)[0] for pattern in ADDRESSES.values() if not pattern.startswith("{")}
    return (sections - set(PAGE_SECTIONS)) | set(OTHER_FOLDERS)


def reserved_under(name: str) -> set[str]:
    """The first segments the table uses under the section ``name`` (« offres » → page,
    secteur, conclues…): no record of the section may take them as its slug."""
    base = ADDRESSES[name]
    found = set()
    for pattern in ADDRESSES.values():
        rest = pattern.removeprefix(base)
        if rest != pattern and "/" in rest:
            segment = rest.split("/", 1)[0]
            found |= set(FACET_KINDS) if segment == "{kind}" else set() if segment.startswith("{") else {segment}
    found.add(ADDRESSES["page-suivante"].removeprefix("{liste}").split("/", 1)[0])
    return found


JINJA_GLOBALS = {"url_for": url_for, "adresse": address}


class Templates(Protocol):
    """What a view may ask of the theme while it declares its routes (the generator): the
    templates' shared context, a template, and SITEURL as a page sees it."""

    context: dict[str, Any]

    def get_template(self, name: str) -> Template: ...

    def siteurl_for(self, save_as: str) -> str: ...


@dataclass(frozen=True, slots=True)
class Route:
    """One output of the site, declared before anything is written: a page (``template`` and
    its ``context``) or a data file (``data``)."""

    save_as: str  # relative to the site's root, with « / »
    template: str = ""  # a page's theme template (theme/templates/<template>.html); "" for a data file
    context: dict[str, Any] | Callable[[], dict[str, Any]] = field(default_factory=dict)
    data: str | bytes | CachedFile | Callable[[], str | bytes | CachedFile] = ""  # a data file's content
    sources: tuple[str, ...] = ()  # the content files it is made from (``ALL_*``: every file of a kind)
    searchable: bool = False  # handed to Pagefind: the page carries data-pagefind-body
    noindex: bool = False
    producer: str = ""  # the view function that declares it: « territoire/views/offers.py:write »
    late: bool = False  # never searchable: written once the search index is closed
    # A file visitors download (export, feed, calendar), never fetched by a page: the preview's
    # partial rebuilds write it once the pages show (incremental.py).
    download: bool = False

    def page_context(self) -> dict[str, Any]:
        return self.context() if callable(self.context) else self.context

    def produced_by(self, producer: str, late: bool | None = None) -> Route:
        """The same route, named after the view function that declares it (and ``late``, if
        given). ``dataclasses.replace``, for each of the 12,000 routes of a 5,000-offer site at
        every build, cost 0.1 s; the constructor, called directly, a third of it."""
        return Route(
            self.save_as,
            self.template,
            self.context,
            self.data,
            self.sources,
            self.searchable,
            self.noindex,
            producer,
            self.late if late is None else late,
            self.download,
        )

    def content(self) -> str | bytes | CachedFile:
        return self.data() if callable(self.data) else self.data


def page(
    save_as: str,
    template: str,
    context: dict[str, Any] | Callable[[], dict[str, Any]],
    sources: tuple[str, ...] = (),
    searchable: bool = False,
    noindex: bool | None = None,
) -> Route:
    """A page rendered with a theme template (``context``: its variables, or what makes them);
    ``noindex``, unless given, comes from the context's own."""
    if noindex is None:
        noindex = False if callable(context) else bool(context.get("noindex"))
    return Route(save_as, template, context, sources=sources, searchable=searchable, noindex=noindex)


def data(path: str, content: Any, sources: tuple[str, ...] = (), download: bool = False) -> Route:
    """A data file (feed, calendar, export, image): its content, or what makes it; ``download``:
    one that visitors download, never fetched by a page."""
    return Route(path, data=content, sources=sources, download=download)


def sources_of(*records: Any) -> tuple[str, ...]:
    """The content files of these records (None left out), in order, each once."""
    return tuple(dict.fromkeys(r.source for r in records if r is not None))


# Markers for a route made from every file of a kind (the board, the directory, the map…), as
# `invoke outputs` shows them.
ALL_OFFERS = "toutes les offres"
ALL_PARTNERS = "tous les partenaires"
ALL_EVENTS = "tous les événements"
ALL_YEARS = "tous les bilans annuels"
ALL_PAGES = "toutes les pages de content/pages/"
CONFIGURATION = "la configuration (pelicanconf.py)"
# A file whose name carries the SHA-256 of its content (a sharing image): the same name, the same
# bytes, whatever the files it was made from.
CONTENT_ADDRESSED = "son propre contenu (empreinte dans son nom)"
# The board's order and facets (which offers each list shows, in which order, each facet's label
# and count): the lists and the offer pages' links to their facets depend on them, besides the
# files of the offers they show.
BOARD = "l'ordre et les facettes du tableau des offres"
