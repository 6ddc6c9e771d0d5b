"""/reseau/bilan/ and /reseau/bilan.csv: the network's yearly figures."""

from __future__ import annotations

from .. import figures
from ..models import SECTEURS
from ..routes import ALL_OFFERS, ALL_YEARS, Route, address, data, page


def _bars(rows: list[tuple[str, int]]) -> list[tuple[str, int, float]]:
    """(label, value, bar length in % of the largest value): the template draws the bars."""
    top = max((v for _, v in rows), default=0) or 1
    return [(label, v, round(100 * v / top, 1)) for label, v in rows]


def write(site, derived, templates) -> list[Route]:
    years, indicators = derived.years, derived.indicators
    names = site.communes.epci_names
    charts = {}
    for year in years:
        sectors = [(SECTEURS[c], year.par_secteur.get(c, 0)) for c in SECTEURS]
        epcis = sorted(((names.get(s, s), n) for s, n in year.par_epci.items()), key=lambda r: (-r[1], r[0]))
        charts[year.annee] = {"secteurs": _bars(sectors), "epcis": _bars(epcis)}
    computed = sorted({y for i in indicators for y in i.computed})
    # Where the offers were diffused, and in which years (oldest first): « dans X en 2004 ».
    where = {y: r.offres_diffusees_dans for y, r in site.year_reports.items() if r.offres_diffusees_dans}
    for y in computed:
        where.setdefault(y, "la bourse d'activités du site")
    diffusion: dict[str, list[int]] = {}
    for y in sorted(where):
        diffusion.setdefault(where[y], []).append(y)
    made_from = (ALL_YEARS, ALL_OFFERS)
    context = {
        "years": years,
        "labels": figures.LABELS,
        "charts": charts,
        "indicators": indicators,
        "evolving": [i for i in indicators if len(i.values) > 1],  # a chart needs two years or more
        "single_year": [i for i in indicators if len(i.values) == 1],
        "indicator_years": sorted({y for i in indicators for y in i.values}, reverse=True),
        "computed_years": computed,
        "diffusion": list(diffusion.items()),
        "sources": sorted((y, r.provenance) for y, r in site.year_reports.items() if r.provenance),
    }
    return [
        page(f"{address('bilan')}index.html", "pages/bilan", context, made_from),
        data(address("bilan-csv"), lambda: figures.to_csv(site, years), made_from, download=True),
    ]
