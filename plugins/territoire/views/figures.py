"""/reseau/bilan/ and /reseau/bilan.csv: the network's yearly figures."""

from __future__ import annotations

from .. import figures
from ..models import SECTEURS


def write(gen, site) -> None:
    years = figures.yearly_figures(site)
    names = site.communes.epci_names
    charts = {}
    for year in years:
        sectors = [(SECTEURS[c], year.par_secteur.get(c, 0)) for c in SECTEURS]
        epcis = sorted(((names.get(s, s), n) for s, n in year.par_epci.items()), key=lambda r: (-r[1], r[0]))
        charts[year.annee] = {
            "secteurs": sectors,
            "epcis": epcis,
            "svg_secteurs": figures.bar_chart(f"Offres publiées en {year.annee} par secteur", sectors),
            "svg_epcis": figures.bar_chart(f"Offres publiées en {year.annee} par intercommunalité", epcis),
        }
    gen.render("reseau/bilan/index.html", "bilan", years=years, labels=figures.LABELS, charts=charts)
    gen.write_data("reseau/bilan.csv", figures.to_csv(site, years))
