"""Stage « derive », the offer board: the open offers, their facets (nature, sector, price
band, housing, EPCI, commune) and each published offer's related offers.

Everything is computed with indexes built in one pass over the offers (linear time); the views
(views/offers.py, exports, feeds) render what is computed here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .communes import fold
from .geo import commune_slugs
from .models import NATURES, SECTEURS
from .routes import FACET_KINDS, address

RELATED = 3


# Price bands of the board (code, label, lowest price included, highest price excluded).
# The build files each offer in its band; offres.js reads the band, never these bounds.
PRICE_BANDS = [
    ("moins-de-50000", "Moins de 50 000 €", 0, 50_000),
    ("50000-a-150000", "De 50 000 à 150 000 €", 50_000, 150_000),
    ("150000-a-300000", "De 150 000 à 300 000 €", 150_000, 300_000),
    ("plus-de-300000", "Plus de 300 000 €", 300_000, None),
]
HOUSING = ("oui", "Logement disponible")


def price_band(offer) -> tuple[str, str] | None:
    """(code, label) of the offer's price band; None without a price."""
    if offer.prix is None:
        return None
    for code, label, low, high in PRICE_BANDS:
        if offer.prix >= low and (high is None or offer.prix < high):
            return code, label
    return None


@dataclass
class Facet:
    kind: str  # nature, secteur, prix, logement, territoire, commune
    code: str
    label: str
    offers: list = field(default_factory=list)
    slug: str = ""  # the URL part, when it is not the code (communes: their name)

    @property
    def url(self) -> str:
        return address("facette", kind=self.kind, slug=self.slug or self.code)


@dataclass
class Board:
    """The open offers and their facets, computed once per build."""

    offers: list
    facets: dict[str, dict[str, Facet]]  # kind → code → Facet (sorted for display)
    commune_slugs: dict[str, str] = field(default_factory=dict)  # INSEE code → URL part


def build_board(site) -> Board:
    opened = site.open_offers
    slugs = commune_slugs(site.communes.territory())
    facets: dict[str, dict[str, Facet]] = {kind: {} for kind in FACET_KINDS}
    for offer in opened:
        commune = offer.place
        keys = [
            ("nature", offer.nature, NATURES[offer.nature]),
            ("secteur", offer.secteur, SECTEURS[offer.secteur]),
            ("territoire", commune.epci_siren, commune.epci_nom),
            ("commune", commune.insee, commune.nom),
        ]
        if band := price_band(offer):
            keys.append(("prix", *band))
        if offer.logement:
            keys.append(("logement", *HOUSING))
        for kind, code, label in keys:
            facet = facets[kind].get(code)
            if facet is None:
                facet = facets[kind][code] = Facet(
                    kind, code, label, slug=slugs.get(code, "") if kind == "commune" else ""
                )
            facet.offers.append(offer)
    # Display order: the models' order for natures and sectors, bands by price, names for places.
    order = {
        "nature": list(NATURES),
        "secteur": list(SECTEURS),
        "prix": [b[0] for b in PRICE_BANDS],
        "logement": [HOUSING[0]],
    }
    for kind, found in facets.items():
        if kind in order:
            facets[kind] = {c: found[c] for c in order[kind] if c in found}
        else:
            facets[kind] = dict(sorted(found.items(), key=lambda item: (fold(item[1].label), item[0])))
    return Board(opened, facets, slugs)


def related_offers(site, board: Board) -> dict[str, list]:
    """Three related open offers per published offer: same sector and EPCI first, then same
    sector, then same EPCI. Each lookup scans at most a few items of an index: linear overall."""
    by_both: dict[tuple, list] = defaultdict(list)
    by_sector: dict[str, list] = defaultdict(list)
    by_epci: dict[str, list] = defaultdict(list)
    for offer in board.offers:
        epci = offer.place.epci_siren
        for index, key in ((by_both, (offer.secteur, epci)), (by_sector, offer.secteur), (by_epci, epci)):
            if len(index[key]) < RELATED + 1:
                index[key].append(offer)
    result = {}
    for offer in site.published_offers:
        epci = offer.place.epci_siren
        chosen: list = []
        for candidates in (
            by_both.get((offer.secteur, epci), ()),
            by_sector.get(offer.secteur, ()),
            by_epci.get(epci, ()),
        ):
            for other in candidates:
                if other is not offer and other not in chosen and len(chosen) < RELATED:
                    chosen.append(other)
        result[offer.slug] = chosen
    return result
