"""The offer board: /offres/ and its facet pages, a page per offer, concluded offers,
Atom feeds, the alerts page, the open data files and the filter data for offres.js.

The board itself (open offers, facets, related offers) is computed by the derive stage
(board.py, derive.py); this view renders it.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections import defaultdict
from typing import Any

from jinja2 import pass_context
from markupsafe import Markup

from .. import fields, lifecycle
from ..board import FACET_KINDS, PRICE_BANDS, Board, Facet, price_band
from ..communes import fold
from ..escaping import script_json
from ..geo import located
from ..models import NATURES, OFFRE, SECTEURS
from ..outputs import produces
from ..routes import ALL_OFFERS, BOARD, CONFIGURATION, Route, Templates, address, data, page, sources_of
from . import exports, feeds

PER_PAGE = 24
NOTICES = {
    "conclue": "Cette offre a trouvé preneur : elle ne figure plus parmi les offres ouvertes.",
    "retiree": "Cette offre a été retirée par son partenaire référent : elle n'est plus disponible.",
    "expiree": "Cette offre a expiré : elle n'est plus disponible.",
}


# The facet links of the list pages name the communes themselves up to this many; beyond, they
# lead to the page of the communes (/offres/commune/): a board of 5,000 offers names hundreds, which
# made every list page four times heavier on a phone.
COMMUNES_LISTED = 30

# The board's cards for offres.js, in files of this many cards (board order): a filtered list
# fetches only the files holding the cards it shows.
CARDS_PER_FILE = 200


def pages(items: list, per_page: int = PER_PAGE) -> list[list]:
    return [items[i : i + per_page] for i in range(0, len(items), per_page)] or [[]]


def page_address(base: str, number: int) -> str:
    """The address of page ``number`` of the list at ``base``: « offres/ », « offres/page/2/ »."""
    return base if number == 1 else address("page-suivante", liste=base, number=number)


def pagination(base: str, number: int, count: int) -> dict[str, Any]:
    def url(n: int) -> str:
        return page_address(base, n)

    return {
        "number": number,
        "count": count,
        "previous": url(number - 1) if number > 1 else None,
        "next": url(number + 1) if number < count else None,
        "urls": [(n, url(n)) for n in range(1, count + 1)],
    }


def key_figures(offer) -> list[tuple[str, str]]:
    """The first three key figures of an offer, as the model declares them (cards, PDF)."""
    return fields.key_figures(offer, OFFRE.fields)


def page_figures(offer) -> list[fields.Figure]:
    """The figures of an offer's page, as the model declares them."""
    return fields.figures(offer, OFFRE.fields)


def template_context(site, derived, templates) -> dict:
    cards = _Fragments(templates, "partials/offre-carte")
    return {
        "NATURES": NATURES,
        "SECTEURS": SECTEURS,
        "ETATS": lifecycle.STATE_LABELS,
        "chiffres_cles": key_figures,
        "chiffres_offre": page_figures,
        "carte_offre": cards.card,
        "_cartes_offres": cards,
        "FACET_KINDS": FACET_KINDS,
        "liens_facettes": _Fragments(templates, "partials/offres-facettes").facet_links,
    }


class _Fragments:
    """Parts of pages that many pages share, rendered once from their template and reused.

    An offer's card appears on the board, on up to four facet pages and under related offers;
    the facet links (every nature, sector, EPCI and commune) appear on every list page. Pages
    are rendered with their own SITEURL (relative URLs differ by depth), so it is in each key.
    """

    def __init__(self, templates: Templates, template: str):
        self.templates = templates
        self.template = template
        self.cache: dict[tuple, Markup] = {}

    def _render(self, key: tuple, siteurl: str, **values) -> Markup:
        html = self.cache.get(key)
        if html is None:
            template = self.templates.get_template(self.template)
            html = self.cache[key] = Markup(template.render(self.templates.context, SITEURL=siteurl, **values))
        return html

    @pass_context
    def card(self, ctx, offer, niveau: int = 2) -> Markup:
        """``{{ carte_offre(offer, 3) }}``: the offer's card, its title at heading ``niveau``."""
        return self.card_for(offer, niveau, ctx["SITEURL"])

    def card_for(self, offer, niveau: int, siteurl: str) -> Markup:
        return self._render((offer.slug, niveau, siteurl), siteurl, offer=offer, niveau=niveau)

    @pass_context
    def facet_links(self, ctx, facets: dict, facet: Facet | None) -> Markup:
        """``{{ liens_facettes(facets, facet) }}``: links to every facet page, the current one
        marked with aria-current; the communes are folded unless a commune is shown."""
        siteurl = ctx["SITEURL"]
        communes = bool(facet and facet.kind == "commune")
        listed = len(facets["commune"]) <= COMMUNES_LISTED
        html = self._render(
            (communes, siteurl), siteurl, facets=facets, ouvrir_communes=communes, communes_listees=listed
        )
        if facet is not None:
            link = f'<a href="{siteurl}/{facet.url}">'
            html = Markup(str(html).replace(link, f'{link[:-1]} aria-current="page">', 1))
        return html


def write(site, derived, templates) -> list[Route]:
    """The searchable pages: one per offer, and the open data page."""
    board, related, dots = derived.board, derived.related, derived.locator
    routes = []
    if dots.ok:
        routes.append(data(dots.LAYER, dots.layer, (CONFIGURATION,)))
    for offer in site.published_offers:
        ouverte = lifecycle.is_open(offer, site.build_date)
        routes.append(
            page(
                f"{offer.url}index.html",
                "pages/offre",
                functools.partial(_offer_page, site, derived, offer, ouverte),
                # The page shows its offer, its referent, the related offers' cards and links to
                # its facets.
                (*sources_of(offer, offer.partner, *related[offer.slug]), BOARD),
                searchable=ouverte,
                noindex=lifecycle.is_noindex(offer.state),
            )
        )

    # Open data files and the open data page.
    files = exports.described()
    routes += exports.write_all(site, board)
    context = {"files": files, "total": len(board.offers)}
    routes.append(
        page(f"{address('donnees-ouvertes')}index.html", "pages/donnees-ouvertes", context, (ALL_OFFERS,), True)
    )
    return routes


def _offer_page(site, derived, offer, ouverte: bool) -> dict:
    siteurl = site.config.SITEURL
    dots, commune = derived.locator, offer.place
    return {
        "offer": offer,
        "referent": offer.partner,
        "commune": commune,
        "etat": offer.state,
        "ouverte": ouverte,
        "notice": NOTICES.get(offer.state),
        "noindex": lifecycle.is_noindex(offer.state),
        "related": derived.related[offer.slug],
        "facets": derived.board.facets,
        "locator": dots.svg(commune, siteurl),
        "distances": dots.distances(commune),
        "jsonld": script_json(exports.json_ld(site, offer, siteurl)),
    }


def write_late(site, derived, templates) -> list[Route]:
    """The board's lists (/offres/, facets, concluded offers), feeds and alerts page."""
    board = derived.board
    common = {"facets": board.facets, "total": len(board.offers)}

    # /offres/ and its pages.
    routes = _write_list(address("offres"), board.offers, common, facet=None)
    for _kind, found in board.facets.items():
        for facet in found.values():
            routes += _write_list(facet.url, facet.offers, common, facet=facet)
    routes += _write_script_data(templates, site, board)
    if board.facets["commune"]:
        context = {"groups": communes_by_intercommunality(site, board), "count": len(board.facets["commune"])}
        routes.append(page(f"{address('offres-par-commune')}index.html", "pages/offres-communes", context, (BOARD,)))
    # A commune's page was at its INSEE code (/offres/commune/63003/) before it took its name:
    # the old addresses lead to the new ones, so no link breaks.
    for facet in board.facets["commune"].values():
        base = address("commune-code", code=facet.code)
        for number in range(1, len(pages(facet.offers)) + 1):
            suffix = page_address(base, number).removeprefix(base)
            context = {"target": facet.url + suffix, "facet": facet, "number": number, "noindex": True}
            routes.append(page(f"{base}{suffix}index.html", "pages/redirection", context, (BOARD,)))

    # Concluded offers, by year of conclusion (newest first).
    years: dict[int, list] = defaultdict(list)
    for offer in sorted(site.concluded_offers, key=lambda o: (o.conclue_le, o.reference), reverse=True):
        years[offer.conclue_le.year].append(offer)
    context = {"years": sorted(years.items(), reverse=True), "total": len(site.concluded_offers)}
    routes.append(page(f"{address('offres-conclues')}index.html", "pages/offres-conclues", context, (ALL_OFFERS,)))

    # Feeds and the alerts page.
    routes += feeds.write_all(site, board)
    context = {"feeds": feeds.alerts(site, board)}
    routes.append(page(f"{address('offres-alertes')}index.html", "pages/offres-alertes", context, (ALL_OFFERS,)))
    return routes


def communes_by_intercommunality(site, board: Board) -> list[tuple[Facet, list[Facet]]]:
    """The communes' facets under their intercommunality's, both in the board's order."""
    by_epci: dict[str, list[Facet]] = defaultdict(list)
    for code, facet in board.facets["commune"].items():
        by_epci[site.commune(code).epci_siren].append(facet)
    return [(epci, by_epci[siren]) for siren, epci in board.facets["territoire"].items() if by_epci[siren]]


@produces
def _write_list(base: str, offers: list, common: dict, facet: Facet | None) -> list[Route]:
    chunks = pages(offers)
    return [
        page(
            f"{page_address(base, number)}index.html",
            "pages/offres",
            {
                "offers": chunk,
                "count": len(offers),
                "facet": facet,
                "paginator": pagination(base, number, len(chunks)),
                **common,
            },
            # The cards of its offers (each with its referent), and the board's lists and facets.
            (*sources_of(*chunk, *(o.partner for o in chunk)), BOARD),
        )
        for number, chunk in enumerate(chunks, start=1)
    ]


def _compact(data) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


@produces
def _write_script_data(templates: Templates, site, board: Board) -> list[Route]:
    """What offres.js reads: filtres.json (one short row per offer) and the cards themselves,
    the very markup of the server-rendered list (partials/offre-carte.html), CARDS_PER_FILE to a file
    in board order, so the script never builds a card of its own."""
    siteurl = templates.siteurl_for(f"{address('offres')}index.html")
    cards = templates.context["_cartes_offres"]

    def card_file(chunk: list) -> str:
        return _compact([str(cards.card_for(offer, 3, siteurl)).strip() for offer in chunk])

    routes = [data(address("offres-filtres"), lambda: _compact(filter_data(site, board, siteurl)), (ALL_OFFERS,))]
    for number, chunk in enumerate(pages(board.offers, CARDS_PER_FILE), start=1):
        routes.append(
            data(
                address("offres-cartes-fichier", number=number),
                functools.partial(card_file, chunk),
                sources_of(*chunk, *(o.partner for o in chunk)),
            )
        )
    return routes


def distance_places(site) -> list:
    """The communes the distance filter measures from: the territory's, then the reference towns."""
    towns = [site.commune(code) for code in site.config.TERRITOIRE_VILLES_REPERES]
    places = located(site.communes.territory()) + [t for t in located(towns) if not site.communes.in_territory(t)]
    return sorted(places, key=lambda c: (fold(c.nom), c.insee))


def filter_data(site, board: Board, siteurl: str) -> dict:
    """Compact data for offres.js: one short row per open offer, in board order (newest first):
    [nature, sector, commune, publication day, price band or -1, housing 0/1, price or null,
    the title's and activity's words folded as communes.fold() and commun.js's fold() do, for
    the keyword filter] (indexes into the tables beside); a commune: [INSEE code, EPCI,
    latitude, longitude, label]. The card of row i is item i % per_file of card file
    i // per_file + 1. Days count from 2000-01-01."""
    kinds = {
        kind: {code: i for i, code in enumerate(codes)}
        for kind, codes in (("nature", NATURES), ("secteur", SECTEURS), ("prix", [b[0] for b in PRICE_BANDS]))
    }
    epcis = {siren: i for i, siren in enumerate(board.facets["territoire"])}
    communes = {code: i for i, code in enumerate(board.facets["commune"])}
    epoch = dt.date(2000, 1, 1)
    rows = []
    for offer in board.offers:
        band = price_band(offer)
        rows.append(
            [
                kinds["nature"][offer.nature],
                kinds["secteur"][offer.secteur],
                communes[offer.commune],
                (offer.publiee_le - epoch).days,
                kinds["prix"][band[0]] if band else -1,
                1 if offer.logement else 0,
                offer.prix,
                fold(f"{offer.titre} {offer.activite}"),
            ]
        )

    def where(c) -> list:
        return [round(c.latitude, 4), round(c.longitude, 4)] if c.latitude is not None else [None, None]

    return {
        "cartes": {"adresse": f"{siteurl}/{address('offres-cartes')}", "par_fichier": CARDS_PER_FILE},
        "natures": list(NATURES),
        "secteurs": list(SECTEURS),
        "prix": [b[0] for b in PRICE_BANDS],
        "epci": list(epcis),
        # The form's list of communes is made from these rows (offres.js): kept out of the page,
        # the hundreds of communes of a large board do not delay its first paint.
        "communes": [
            [code, epcis[site.commune(code).epci_siren], *where(site.commune(code)), facet.label]
            for code, facet in board.facets["commune"].items()
        ],
        "lieux": [[c.insee, c.nom, *where(c)] for c in distance_places(site)],
        "offres": rows,
    }
