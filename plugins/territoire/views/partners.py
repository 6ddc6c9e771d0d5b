"""The partners: the directory /partenaires/, a page per partner, and /qui-fait-quoi/."""

from __future__ import annotations

from markupsafe import Markup

from ..communes import fold
from ..escaping import script_json
from ..models import ETAPES, SECTEURS, TYPES_PARTENAIRE

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


def matrix(site) -> list[tuple[object, list[bool]]]:
    """Partners × stages for /qui-fait-quoi/: (partner, [does each stage]) by directory order."""
    rows = []
    for _, members in directory_groups(site):
        for p in members:
            rows.append((p, [e in (p.etapes or []) for e in ETAPES]))
    return rows


def write(gen, site) -> None:
    siteurl = site.config.SITEURL
    networks = site.config.TERRITOIRE_RESEAUX_LOCAUX
    departements = site.communes.departements()
    gen.render(
        "partenaires/index.html",
        "pages/partenaires",
        groups=directory_groups(site),
        networks=networks,
        types=TYPES_PARTENAIRE,
    )
    gen.render(
        "qui-fait-quoi/index.html",
        "pages/qui-fait-quoi",
        rows=matrix(site),
        etapes=ETAPES,
        groups=directory_groups(site),
    )

    offers_of: dict[str, list] = {}
    for offer in site.open_offers:
        offers_of.setdefault(offer.referent, []).append(offer)
    events_of: dict[str, list] = {}
    for event in site.upcoming_events():
        for pid in event.partenaires or []:
            events_of.setdefault(pid, []).append(event)
    for partner in site.partners.values():
        commune = partner.place
        epcis, deps = coverage(site, partner, departements)
        gen.render(
            f"{partner.url}index.html",
            "pages/partenaire",
            partner=partner,
            commune=commune,
            offers=offers_of.get(partner.slug, []),
            events=events_of.get(partner.slug, []),
            epcis=epcis,
            departements=deps,
            network=networks.get(partner.reseau_local) if partner.reseau_local else None,
            type_label=TYPES_PARTENAIRE.get(partner.type, partner.type),
            secteurs=SECTEURS,
            etapes=ETAPES,
            jsonld=json_ld(site, partner, commune, epcis, deps, siteurl),
        )
