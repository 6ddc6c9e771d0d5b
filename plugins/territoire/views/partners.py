"""The partners: the directory /partenaires/, a page per partner, and /qui-fait-quoi/."""

from __future__ import annotations

import functools

from markupsafe import Markup

from ..communes import fold
from ..escaping import script_json
from ..models import ETAPES, SECTEURS, TYPES_PARTENAIRE
from ..routes import ALL_EVENTS, ALL_OFFERS, ALL_PARTNERS, Route, address, page, sources_of


def coverage(site, partner, departements: dict[str, str]) -> tuple[list[str], list[str]]:
    """(EPCI names, department names) of the partner's territory."""
    epcis, deps = [], []
    for code in partner.territoire or []:
        if code in departements and len(code) <= 3:
            deps.append(f"{departements[code]} ({code})")
        else:
            epcis.append(site.communes.epci_names.get(code, code))
    return sorted(epcis, key=fold), deps


def json_ld(site, partner, commune, epcis: list[str], deps: list[str], siteurl: str) -> Markup:
    """schema.org Organization of a partner, as JSON-LD (safe inside a <script> element)."""
    data: dict = {"@context": "https://schema.org", "@type": "Organization", "name": partner.nom}
    if partner.sigle and partner.sigle != partner.nom:
        data["alternateName"] = partner.sigle
    if siteurl:
        data["url"] = f"{siteurl}/{partner.url}"
    if partner.site:
        data["sameAs"] = partner.site
    address = {"@type": "PostalAddress", "addressCountry": "FR"}
    if partner.adresse:
        address["streetAddress"] = partner.adresse
    if commune:
        address.update(
            addressLocality=commune.nom, postalCode=commune.code_postal, addressRegion=commune.departement_nom
        )
    data["address"] = address
    contact = {"@type": "ContactPoint", "contactType": "accueil des porteurs de projets", "availableLanguage": "fr"}
    if partner.telephone:
        data["telephone"] = partner.telephone
        contact["telephone"] = partner.telephone
    if partner.courriel:
        data["email"] = partner.courriel
        contact["email"] = partner.courriel
    data["contactPoint"] = contact
    data["areaServed"] = [{"@type": "AdministrativeArea", "name": n} for n in epcis + deps]
    return script_json(data, indent=2)


def write(site, derived, templates) -> list[Route]:
    networks = site.config.TERRITOIRE_RESEAUX_LOCAUX
    departements = site.communes.departements()
    directory = derived.directory
    everyone = (ALL_PARTNERS, ALL_OFFERS, ALL_EVENTS)
    routes = [
        page(
            f"{address('partenaires')}index.html",
            "pages/partenaires",
            {"groups": directory.groups, "networks": networks, "types": TYPES_PARTENAIRE},
            everyone,
        ),
        page(
            f"{address('qui-fait-quoi')}index.html",
            "pages/qui-fait-quoi",
            {"rows": directory.stages, "etapes": ETAPES, "groups": directory.groups},
            everyone,
        ),
    ]
    for partner in site.partners.values():
        offers = directory.offers_of.get(partner.slug, [])
        events = directory.events_of.get(partner.slug, [])
        routes.append(
            page(
                f"{partner.url}index.html",
                "pages/partenaire",
                functools.partial(_partner_page, site, partner, offers, events, departements),
                sources_of(partner, *offers, *events),
                searchable=True,
            )
        )
    return routes


def _partner_page(site, partner, offers: list, events: list, departements: dict[str, str]) -> dict:
    networks = site.config.TERRITOIRE_RESEAUX_LOCAUX
    commune = partner.place
    epcis, deps = coverage(site, partner, departements)
    return {
        "partner": partner,
        "commune": commune,
        "offers": offers,
        "events": events,
        "epcis": epcis,
        "departements": deps,
        "network": networks.get(partner.reseau_local) if partner.reseau_local else None,
        "type_label": TYPES_PARTENAIRE.get(partner.type, partner.type),
        "secteurs": SECTEURS,
        "etapes": ETAPES,
        "jsonld": json_ld(site, partner, commune, epcis, deps, site.config.SITEURL),
    }
