"""Stage « derive », the partners' directory: its sections, who does what at each stage, and
each partner's open offers and upcoming events (views/partners.py renders them)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .communes import fold
from .models import ETAPES

if TYPE_CHECKING:
    from .site import Site

# Directory sections: (title, partner types), in the order visitors read them.
GROUPS = [
    ("Chambres consulaires", ["cci", "chambre-metiers", "chambre-agriculture"]),
    ("Communautés de communes et d'agglomération", ["intercommunalite"]),
    ("Plateformes d'initiative et financeurs", ["plateforme-initiative", "financeur"]),
    ("Accompagnement et conseil", ["accompagnement", "autre"]),
    ("Le Parc naturel régional", ["parc"]),
]


def by_name(partners) -> list:
    return sorted(partners, key=lambda p: (fold(p.nom), p.slug))


def directory_groups(site) -> list[tuple[str, list]]:
    """The directory's sections with their partners, by name; types not listed go last."""
    listed = {t for _, types in GROUPS for t in types}
    groups = [(title, by_name(p for p in site.partners.values() if p.type in types)) for title, types in GROUPS]
    others = by_name(p for p in site.partners.values() if p.type not in listed)
    if others:
        groups.append(("Autres partenaires", others))
    return [(title, members) for title, members in groups if members]


def matrix(site) -> list[tuple[object, list[bool]]]:
    """Partners × stages for /qui-fait-quoi/: (partner, [does each stage]) by directory order."""
    rows = []
    for _, members in directory_groups(site):
        for p in members:
            rows.append((p, [e in (p.etapes or []) for e in ETAPES]))
    return rows


@dataclass
class Directory:
    groups: list[tuple[str, list]]  # (section title, its partners by name)
    stages: list[tuple[object, list[bool]]]  # /qui-fait-quoi/: (partner, [does each stage])
    offers_of: dict[str, list]  # partner id → the open offers it refers
    events_of: dict[str, list]  # partner id → the upcoming events it takes part in


def directory(site: Site) -> Directory:
    offers_of: dict[str, list] = {}
    for offer in site.open_offers:
        offers_of.setdefault(offer.referent, []).append(offer)
    events_of: dict[str, list] = {}
    for event in site.upcoming_events():
        for pid in event.partenaires or []:
            events_of.setdefault(pid, []).append(event)
    return Directory(directory_groups(site), matrix(site), offers_of, events_of)
