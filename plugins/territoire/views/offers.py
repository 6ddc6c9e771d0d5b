"""The offer board: /offres/ and its facet pages, a page per offer, concluded offers,
Atom feeds, the alerts page, the open data files and the filter data for offres.js.

Everything is computed with indexes built in one pass over the offers (linear time).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from jinja2 import pass_context
from markupsafe import Markup

from ..escaping import script_json
from ..models import NATURES, SECTEURS, STATUTS
from . import exports, feeds, svgmap

PER_PAGE = 24
RELATED = 3
NOTICES = {
    "conclue": "Cette offre a trouvé preneur : elle ne figure plus parmi les offres ouvertes.",
    "retiree": "Cette offre a été retirée par son partenaire référent : elle n'est plus disponible.",
    "expiree": "Cette offre a expiré : elle n'est plus disponible.",
}


@dataclass
class Facet:
    kind: str  # nature, secteur, territoire, commune
    code: str
    label: str
    offers: list = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"offres/{self.kind}/{self.code}/"


@dataclass
class Board:
    """The open offers and their facets, computed once per build."""

    offers: list
    facets: dict[str, dict[str, Facet]]  # kind → code → Facet (sorted for display)


def state(site, offer) -> str:
    """disponible, en-negociation, conclue, retiree or expiree."""
    if offer.statut in ("disponible", "en-negociation") and site.is_expired(offer):
        return "expiree"
    return offer.statut


def build_board(site) -> Board:
    opened = site.open_offers
    facets: dict[str, dict[str, Facet]] = {"nature": {}, "secteur": {}, "territoire": {}, "commune": {}}
    for offer in opened:
        commune = site.commune(offer.commune)
        keys = (
            ("nature", offer.nature, NATURES[offer.nature]),
            ("secteur", offer.secteur, SECTEURS[offer.secteur]),
            ("territoire", commune.epci_siren, commune.epci_nom),
            ("commune", commune.insee, commune.nom),
        )
        for kind, code, label in keys:
            facet = facets[kind].get(code)
            if facet is None:
                facet = facets[kind][code] = Facet(kind, code, label)
            facet.offers.append(offer)
    # Display order: the models' order for natures and sectors, names for places.
    order = {"nature": list(NATURES), "secteur": list(SECTEURS)}
    for kind, found in facets.items():
        if kind in order:
            facets[kind] = {c: found[c] for c in order[kind] if c in found}
        else:
            from ..communes import fold

            facets[kind] = dict(sorted(found.items(), key=lambda item: (fold(item[1].label), item[0])))
    return Board(opened, facets)


def related_offers(site, board: Board) -> dict[str, list]:
    """Three related open offers per published offer: same sector and EPCI first, then same
    sector, then same EPCI. Each lookup scans at most a few items of an index: linear overall."""
    by_both: dict[tuple, list] = defaultdict(list)
    by_sector: dict[str, list] = defaultdict(list)
    by_epci: dict[str, list] = defaultdict(list)
    for offer in board.offers:
        epci = site.commune(offer.commune).epci_siren
        for index, key in ((by_both, (offer.secteur, epci)), (by_sector, offer.secteur), (by_epci, epci)):
            if len(index[key]) < RELATED + 1:
                index[key].append(offer)
    result = {}
    for offer in site.published_offers:
        epci = site.commune(offer.commune).epci_siren
        chosen: list = []
        for candidates in (by_both.get((offer.secteur, epci), ()), by_sector.get(offer.secteur, ()), by_epci.get(epci, ())):
            for other in candidates:
                if other is not offer and other not in chosen and len(chosen) < RELATED:
                    chosen.append(other)
        result[offer.slug] = chosen
    return result


def pages(items: list, per_page: int = PER_PAGE) -> list[list]:
    return [items[i : i + per_page] for i in range(0, len(items), per_page)] or [[]]


def pagination(base: str, number: int, count: int) -> dict[str, Any]:
    def url(n: int) -> str:
        return base if n == 1 else f"{base}page/{n}/"

    return {
        "number": number,
        "count": count,
        "previous": url(number - 1) if number > 1 else None,
        "next": url(number + 1) if number < count else None,
        "urls": [(n, url(n)) for n in range(1, count + 1)],
    }


def key_figures(offer) -> list[tuple[str, str]]:
    from ..formats import euros, number, surface

    figures = []
    if offer.prix is not None:
        figures.append(("Prix", euros(offer.prix)))
    if offer.loyer is not None:
        figures.append(("Loyer", f"{euros(offer.loyer)} par mois"))
    if offer.surface is not None:
        figures.append(("Surface", surface(offer.surface)))
    if offer.chiffre_affaires is not None and len(figures) < 3:
        figures.append(("Chiffre d'affaires", f"{euros(offer.chiffre_affaires)} par an"))
    if offer.effectif and len(figures) < 3:
        figures.append(("Effectif", f"{number(offer.effectif)} salarié{'s' if offer.effectif > 1 else ''}"))
    return figures[:3]


def add_context(gen, site) -> None:
    board = build_board(site)
    gen.offers_board = board
    gen.context["NATURES"] = NATURES
    gen.context["SECTEURS"] = SECTEURS
    gen.context["STATUTS"] = STATUTS
    gen.context["chiffres_cles"] = key_figures
    gen.context["carte_offre"] = _Fragments(gen, "offre-carte").card
    gen.context["liens_facettes"] = _Fragments(gen, "offres-facettes").facet_links


class _Fragments:
    """Parts of pages that many pages share, rendered once from their template and reused.

    An offer's card appears on the board, on up to four facet pages and under related offers;
    the facet links (every nature, sector, EPCI and commune) appear on every list page. Pages
    are rendered with their own SITEURL (relative URLs differ by depth), so it is in each key.
    """

    def __init__(self, gen, template: str):
        self.gen = gen
        self.template = template
        self.cache: dict[tuple, Markup] = {}

    def _render(self, key: tuple, siteurl: str, **values) -> Markup:
        html = self.cache.get(key)
        if html is None:
            template = self.gen.get_template(self.template)
            html = self.cache[key] = Markup(template.render(self.gen.context, SITEURL=siteurl, **values))
        return html

    @pass_context
    def card(self, ctx, offer, niveau: int = 2) -> Markup:
        """``{{ carte_offre(offer, 3) }}``: the offer's card, its title at heading ``niveau``."""
        return self._render((offer.slug, niveau, ctx["SITEURL"]), ctx["SITEURL"], offer=offer, niveau=niveau)

    @pass_context
    def facet_links(self, ctx, facets: dict, facet: Facet | None) -> Markup:
        """``{{ liens_facettes(facets, facet) }}``: links to every facet page, the current one
        marked with aria-current; the communes are folded unless a commune is shown."""
        siteurl = ctx["SITEURL"]
        communes = bool(facet and facet.kind == "commune")
        html = self._render((communes, siteurl), siteurl, facets=facets, ouvrir_communes=communes)
        if facet is not None:
            link = f'<a href="{siteurl}/{facet.url}">'
            html = Markup(str(html).replace(link, f'{link[:-1]} aria-current="page">', 1))
        return html


def write(gen, site) -> None:
    """The searchable pages: one per offer, and the open data page."""
    board = getattr(gen, "offers_board", None) or build_board(site)
    siteurl = gen.settings.get("SITEURL", "")
    related = related_offers(site, board)
    dots = svgmap.Locator(site.communes.territory())
    if dots.ok:
        gen.write_data(dots.LAYER, dots.layer())
    for offer in site.published_offers:
        commune = site.commune(offer.commune)
        st = state(site, offer)
        gen.render(
            f"{offer.url}index.html",
            "offre",
            offer=offer,
            referent=site.referent(offer),
            commune=commune,
            etat=st,
            notice=NOTICES.get(st),
            noindex=st in ("retiree", "expiree"),
            related=related[offer.slug],
            facets=board.facets,
            locator=dots.svg(commune, siteurl),
            jsonld=script_json(exports.json_ld(site, offer, siteurl)),
        )

    # Open data files, the filter data, and the open data page.
    gen.offers_files = exports.write_all(gen, site, board)
    gen.render("donnees-ouvertes/index.html", "donnees-ouvertes", files=gen.offers_files, total=len(board.offers))


def write_late(gen, site) -> None:
    """The board's lists (/offres/, facets, concluded offers), feeds, alerts and search page."""
    board = getattr(gen, "offers_board", None) or build_board(site)
    common = {"facets": board.facets, "total": len(board.offers)}

    # /offres/ and its pages.
    _write_list(gen, "offres/", board.offers, common, facet=None)
    for _kind, found in board.facets.items():
        for facet in found.values():
            _write_list(gen, facet.url, facet.offers, common, facet=facet)

    # Concluded offers, by year of conclusion (newest first).
    years: dict[int, list] = defaultdict(list)
    for offer in sorted(site.concluded_offers, key=lambda o: (o.conclue_le, o.reference), reverse=True):
        years[offer.conclue_le.year].append(offer)
    gen.render("offres/conclues/index.html", "offres-conclues", years=sorted(years.items(), reverse=True), total=len(site.concluded_offers))

    # Feeds and the alerts page.
    feed_list = feeds.write_all(gen, site, board)
    gen.render("offres/alertes/index.html", "offres-alertes", feeds=feed_list)

    # The search page.
    gen.render("recherche/index.html", "recherche")


def _write_list(gen, base: str, offers: list, common: dict, facet: Facet | None) -> None:
    chunks = pages(offers)
    for number, chunk in enumerate(chunks, start=1):
        save_as = f"{base}index.html" if number == 1 else f"{base}page/{number}/index.html"
        gen.render(
            save_as,
            "offres",
            offers=chunk,
            count=len(offers),
            facet=facet,
            paginator=pagination(base, number, len(chunks)),
            **common,
        )


def today(site) -> dt.date:
    return site.build_date
