"""Whom to contact: the partners who can help a project, by sector, stage and commune.

``match(site, secteur, etape, commune_code)`` is the one definition of the rule; the browser
tool (theme/static/js/orientation.js) applies no rule of its own: it looks the answer up in
``answers(site)``, computed here for every sector, stage and place, and a test checks that
both agree.

Rule: a partner matches when its ``secteurs`` hold the sector, its ``etapes`` hold the stage
and its ``territoire`` holds the commune's EPCI (SIREN) or the commune's department code.
Closest first: partners covering the EPCI, then department-wide ones; by name within each.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from .communes import Commune, fold
from .models import ETAPES, SECTEURS

# How close a partner is to the commune: its EPCI (0) before its department (1).
SCOPE_EPCI = "epci"
SCOPE_DEPARTEMENT = "departement"
_RANK = {SCOPE_EPCI: 0, SCOPE_DEPARTEMENT: 1}


@dataclass(frozen=True)
class Match:
    partner: object  # site.Partner
    scope: str  # SCOPE_EPCI or SCOPE_DEPARTEMENT

    @property
    def id(self) -> str:
        return self.partner.slug


def scope_of(partner, epci_siren: str, departements: set[str] | frozenset[str]) -> str | None:
    """How the partner covers a place (its EPCI, else one of its departments), or None."""
    codes = partner.territoire or []
    if epci_siren and epci_siren in codes:
        return SCOPE_EPCI
    if any(d in codes for d in departements):
        return SCOPE_DEPARTEMENT
    return None


def match_place(
    site, secteur: str, etape: str, epci_siren: str, departements: set[str] | frozenset[str]
) -> list[Match]:
    """Matching partners for a place given by its EPCI and its department(s), closest first."""
    found = []
    for partner in site.partners.values():
        if secteur not in (partner.secteurs or []) or etape not in (partner.etapes or []):
            continue
        scope = scope_of(partner, epci_siren, departements)
        if scope:
            found.append(Match(partner, scope))
    return sorted(found, key=lambda m: (_RANK[m.scope], fold(m.partner.nom), m.partner.slug))


def match(site, secteur: str, etape: str, commune_code: str) -> list[Match]:
    """Partners for a project of this sector and stage in this commune, closest first."""
    commune: Commune | None = site.commune(commune_code)
    if commune is None:
        return []
    return match_place(site, secteur, etape, commune.epci_siren, {commune.departement})


def welcome_desk(site):
    """The park's welcome desk (the partner of type « parc »), where nobody else matches."""
    parks = sorted((p for p in site.partners.values() if p.type == "parc"), key=lambda p: p.slug)
    return parks[0] if parks else None


def territory_epcis(site) -> list[tuple[str, str, list[Commune]]]:
    """The territory's EPCIs as (SIREN, name, communes), by name."""
    by_epci: dict[str, list[Commune]] = {}
    for commune in site.communes.territory():
        by_epci.setdefault(commune.epci_siren, []).append(commune)
    return sorted(((s, site.communes.epci_names.get(s, s), cs) for s, cs in by_epci.items()), key=lambda e: fold(e[1]))


def partner_json(partner, siteurl: str = "") -> dict:
    """What the browser tool shows of a partner: name, link and how to contact it."""
    return {
        "id": partner.slug,
        "nom": partner.nom,
        "url": f"{siteurl}/{partner.url}",
        "type": partner.type,
        "territoire": list(partner.territoire or []),
        "secteurs": list(partner.secteurs or []),
        "etapes": list(partner.etapes or []),
        "adresse": partner.adresse or "",
        "telephone": partner.telephone or "",
        "courriel": partner.courriel or "",
        "site": partner.site or "",
    }


def data_file(site, siteurl: str = "") -> dict:
    """The data of the browser tool: partners (by id) and the park's welcome desk."""
    desk = welcome_desk(site)
    return {
        "partenaires": [partner_json(p, siteurl) for p in sorted(site.partners.values(), key=lambda p: p.slug)],
        "accueil": desk.slug if desk else None,
    }


def communes_file(site) -> dict:
    """The territory's communes, compact: [insee, name, EPCI SIREN, department, postcode, label]
    where the label is what the list shows: the name, with the postcode for homonyms."""
    communes = site.communes.territory()
    names = Counter(fold(c.nom) for c in communes)
    return {
        "champs": ["insee", "nom", "epci", "departement", "code_postal", "libelle"],
        "communes": [
            [c.insee, c.nom, c.epci_siren, c.departement, c.code_postal, _label(c, names[fold(c.nom)] > 1)]
            for c in communes
        ],
        "epci": {s: n for s, n, _ in territory_epcis(site)},
    }


def _label(commune: Commune, homonym: bool) -> str:
    return f"{commune.nom} ({commune.code_postal})" if homonym else commune.nom


@dataclass
class Orientation:
    """What /trouver-un-accompagnement/ shows: the pre-rendered pages (visitors without
    JavaScript), for each sector and stage, each EPCI of the territory with its partners; and the
    tool's answers (``answers``), so that orientation.js applies no rule of its own."""

    desk: object  # the welcome desk (welcome_desk), or None
    results: dict[tuple[str, str], list[tuple[str, str, list[Match]]]]  # (sector, stage) → [(SIREN, name, matches)]
    answers: dict[str, dict[str, list[list[str]]]]  # see answers()


def orientation(site) -> Orientation:
    epcis = [
        (siren, name, frozenset(c.departement for c in communes)) for siren, name, communes in territory_epcis(site)
    ]
    results = {
        (secteur, etape): [(siren, name, match_place(site, secteur, etape, siren, deps)) for siren, name, deps in epcis]
        for secteur in SECTEURS
        for etape in ETAPES
    }
    return Orientation(welcome_desk(site), results, answers(site))


def answers(site) -> dict:
    """Every answer of the tool, computed with the rule above: for each « secteur/etape » and
    each « EPCI/department » of the territory's communes, the ids of the partners to contact,
    closest first, as [covering the EPCI, covering the department]."""
    places = sorted({(c.epci_siren, c.departement) for c in site.communes.territory()})
    found: dict = {}
    for secteur in SECTEURS:
        for etape in ETAPES:
            by_place = found[f"{secteur}/{etape}"] = {}
            for epci, departement in places:
                matches = match_place(site, secteur, etape, epci, {departement})
                by_place[f"{epci}/{departement}"] = [[m.id for m in matches if m.scope == scope] for scope in _RANK]
    return found
