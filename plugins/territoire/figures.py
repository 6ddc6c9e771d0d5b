"""The network's yearly figures (/reseau/bilan/), computed from the content files.

For each year Y (from the first publication to the build date's year):
- publiees: offers whose publiee_le falls in Y (and not after the build date);
- disponibles, en_negociation, conclues, retirees_ou_expirees: those offers by current state;
- ouvertes_fin_annee: offers open on 31 December of Y (on the build date for the current
  year), whatever their year of publication: published by then, not concluded by then
  (conclue_le), not expired by then (expire_le); a withdrawn offer counts as closed from its
  last update (mise_a_jour), or from its publication when it has none (the files keep no
  withdrawal date);
- taux_conclusion: conclues / publiees, in percent (one decimal);
- conclusions: offers whose conclue_le falls in Y; delai_median_jours: median days from
  publication to conclusion of those;
- contacts: sum of `contacts` of the offers published in Y;
- par_secteur, par_epci: offers published in Y;
- evenements: events that started in Y and have ended by the build date;
- partenaires: partners of the network today (the files keep no history).

Beside them, the indicators a network reports about project holders (the founding document's
« Bilan de l'année 2004 »: projects met, with a referent, …), entered by the coordinator in
content/bilan/ANNÉE.yaml. The three about offers (offers diffused, their contacts, installations
through them) are computed from the offer files for the years the site publishes offers, unless
the year's file gives them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import statistics
from collections import Counter
from dataclasses import dataclass, field

from . import lifecycle
from .escaping import spreadsheet_cell
from .models import INDICATEURS_BILAN, SECTEURS


@dataclass
class Year:
    annee: int
    publiees: int = 0
    ouvertes_fin_annee: int = 0
    disponibles: int = 0
    en_negociation: int = 0
    conclues: int = 0
    retirees_ou_expirees: int = 0
    conclusions: int = 0
    delai_median_jours: float | None = None
    contacts: int = 0
    evenements: int = 0
    partenaires: int = 0
    par_secteur: Counter = field(default_factory=Counter)
    par_epci: Counter = field(default_factory=Counter)

    @property
    def taux_conclusion(self) -> float | None:
        return round(100 * self.conclues / self.publiees, 1) if self.publiees else None


# The « dont » rows split « Offres publiées » (they add up to it) and follow it directly; the
# open offers at the year's end count offers of every year of publication, so they come after.
LABELS = [
    ("publiees", "Offres publiées dans l'année"),
    ("disponibles", "dont encore disponibles"),
    ("en_negociation", "dont en négociation"),
    ("conclues", "dont conclues"),
    ("retirees_ou_expirees", "dont retirées ou expirées"),
    ("taux_conclusion", "Taux de conclusion des offres publiées dans l'année (%)"),
    (
        "ouvertes_fin_annee",
        "Offres ouvertes en fin d'année, quelle que soit leur année de publication (au 31 décembre, ou à la date du bilan pour l'année en cours)",
    ),
    ("conclusions", "Offres conclues dans l'année, quelle que soit leur année de publication"),
    ("delai_median_jours", "Délai médian de la publication à la conclusion (jours)"),
    ("contacts", "Contacts obtenus pour les offres publiées"),
    ("evenements", "Événements tenus"),
    ("partenaires", "Partenaires du réseau (aujourd'hui)"),
]


def yearly_figures(site) -> list[Year]:
    offers = site.published_offers
    if not offers and not site.events:
        return []
    first = min(
        [o.publiee_le.year for o in offers] + [e.debut.year for e in site.events if e.fin.date() <= site.build_date]
        or [site.build_date.year]
    )
    years = {y: Year(y, partenaires=len(site.partners)) for y in range(first, site.build_date.year + 1)}
    delays: dict[int, list[int]] = {y: [] for y in years}
    for offer in offers:
        year = years[offer.publiee_le.year]
        year.publiees += 1
        if offer.state == lifecycle.CONCLUDED:
            year.conclues += 1
        elif offer.state in (lifecycle.WITHDRAWN, lifecycle.EXPIRED):
            year.retirees_ou_expirees += 1
        elif offer.state == "en-negociation":
            year.en_negociation += 1
        else:
            year.disponibles += 1
        year.contacts += offer.contacts or 0
        year.par_secteur[offer.secteur] += 1
        year.par_epci[offer.place.epci_siren] += 1
        if lifecycle.is_concluded(offer) and offer.conclue_le and offer.conclue_le.year in years:
            years[offer.conclue_le.year].conclusions += 1
            delays[offer.conclue_le.year].append((offer.conclue_le - offer.publiee_le).days)
        closed = lifecycle.closed_on(offer)
        for y in range(offer.publiee_le.year, site.build_date.year + 1):
            end = min(dt.date(y, 12, 31), site.build_date)
            if closed is not None and closed <= end:
                break
            years[y].ouvertes_fin_annee += 1
    for y, values in delays.items():
        if values:
            years[y].delai_median_jours = statistics.median(values)
    for event in site.events:
        if event.fin.date() <= site.build_date and event.debut.year in years:
            years[event.debut.year].evenements += 1
    return [years[y] for y in sorted(years, reverse=True)]


# Indicators of the founding document computed from the offer files: indicator → Year attribute.
COMPUTED_INDICATORS = {
    "offres_diffusees": "publiees",
    "contacts_offres": "contacts",
    "installations_offres": "conclusions",
}


@dataclass
class Indicator:
    key: str
    label: str  # the founding document's wording
    values: dict[int, int]  # year → value, for the years that have one
    computed: set[int]  # years whose value comes from the offer files

    def bars(self) -> list[tuple[int, int, float]]:
        """(year, value, bar length in % of the largest value), oldest year first."""
        top = max(self.values.values(), default=0) or 1
        return [(y, v, round(100 * v / top, 1)) for y, v in sorted(self.values.items())]


def network_indicators(site, years: list[Year]) -> list[Indicator]:
    """The founding document's indicators, year by year: entered, else computed from offers.

    Indicators no year gives are left out."""
    indicators = []
    for key, label in INDICATEURS_BILAN.items():
        values = {y: getattr(r, key) for y, r in site.year_reports.items() if getattr(r, key) is not None}
        computed = set()
        if key in COMPUTED_INDICATORS:
            for year in years:
                if year.publiees and year.annee not in values:
                    values[year.annee] = getattr(year, COMPUTED_INDICATORS[key])
                    computed.add(year.annee)
        if values:
            indicators.append(Indicator(key, label, values, computed))
    return indicators


def value(year: Year, key: str):
    return getattr(year, key)


def to_csv(site, years: list[Year]) -> str:
    """Long format: annee, indicateur, detail, valeur."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["annee", "indicateur", "detail", "valeur"])
    names = site.communes.epci_names
    for indicator in network_indicators(site, years):
        for annee, v in sorted(indicator.values.items()):
            writer.writerow([annee, indicator.key, "calculé" if annee in indicator.computed else "saisi", v])
    for year in sorted(years, key=lambda y: y.annee):
        for key, _label in LABELS:
            v = value(year, key)
            writer.writerow([year.annee, key, "", "" if v is None else v])
        for code in SECTEURS:
            writer.writerow([year.annee, "offres_par_secteur", code, year.par_secteur.get(code, 0)])
        for siren in sorted(year.par_epci, key=lambda s: names.get(s, s)):
            writer.writerow(
                [year.annee, "offres_par_epci", spreadsheet_cell(names.get(siren, siren)), year.par_epci[siren]]
            )
    return out.getvalue()
