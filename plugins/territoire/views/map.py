"""The map /carte/: partners and open offers as two GeoJSON layers, with a list by EPCI
that works without JavaScript (and when the tiles cannot load)."""

from __future__ import annotations

import json

from ..communes import fold
from ..models import NATURES, SECTEURS, TYPES_PARTENAIRE
from ..outputs import produces


def _point(commune) -> dict | None:
    if commune is None or commune.latitude is None or commune.longitude is None:
        return None
    return {"type": "Point", "coordinates": [round(commune.longitude, 5), round(commune.latitude, 5)]}


def _collection(site, records, key, properties) -> dict:
    """A GeoJSON FeatureCollection: each record at its commune's centre (records whose commune
    has no coordinates are left out), ``properties(record, commune)`` for each."""
    features = []
    for record in records:
        commune = record.place
        geometry = _point(commune)
        if geometry:
            features.append({"type": "Feature", "id": key(record), "geometry": geometry, "properties": properties(record, commune)})
    return {"type": "FeatureCollection", "features": features}


def partners_geojson(site, siteurl: str) -> dict:
    return _collection(
        site,
        sorted(site.partners.values(), key=lambda p: p.slug),
        lambda p: p.slug,
        lambda p, commune: {
            "nom": p.nom,
            "type": TYPES_PARTENAIRE.get(p.type, p.type),
            "commune": commune.nom,
            "url": f"{siteurl}/{p.url}",
        },
    )


def offers_geojson(site, siteurl: str) -> dict:
    return _collection(
        site,
        sorted(site.open_offers, key=lambda o: o.reference),
        lambda o: o.reference,
        lambda o, commune: {
            "titre": o.titre,
            "nature": NATURES.get(o.nature, o.nature),
            "secteur": SECTEURS.get(o.secteur, o.secteur),
            "commune": commune.nom,
            "url": f"{siteurl}/{o.url}",
        },
    )


def by_epci(site) -> list[dict]:
    """The fallback list: for each EPCI (by name), its partners and open offers."""
    groups: dict[str, dict] = {}

    def group(commune):
        siren = commune.epci_siren if commune else ""
        name = commune.epci_nom if commune else "Autres"
        return groups.setdefault(siren, {"siren": siren, "nom": name, "partners": [], "offers": []})

    for partner in site.partners.values():
        commune = partner.place
        group(commune)["partners"].append((partner, commune))
    for offer in site.open_offers:
        commune = offer.place
        group(commune)["offers"].append((offer, commune))
    for g in groups.values():
        g["partners"].sort(key=lambda pc: (fold(pc[0].nom), pc[0].slug))
        g["offers"].sort(key=lambda oc: (fold(oc[1].nom if oc[1] else ""), oc[0].reference))
    return sorted(groups.values(), key=lambda g: fold(g["nom"]))


@produces
def write_json(gen, relative: str, data: dict) -> None:
    gen.write_data(
        relative,
        json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n",
    )


def write(gen, site) -> None:
    siteurl = site.config.SITEURL
    partners = partners_geojson(site, siteurl)
    offers = offers_geojson(site, siteurl)
    write_json(gen, "carte/partenaires.geojson", partners)
    write_json(gen, "carte/offres.geojson", offers)
    locator = gen.derived.locator
    if locator.ok:
        gen.write_data(locator.LAYER_PLAIN, locator.layer(plain=True))
    partner_places = [p.place for p in site.partners.values()]
    offer_places = [o.place for o in site.open_offers]
    label = f"Carte du territoire : les communes des {len(partners['features'])} partenaires et des {len(offers['features'])} offres ouvertes. La liste par intercommunalité, sous la carte, les nomme."
    gen.render(
        "carte/index.html",
        "pages/carte",
        outline=locator.LAYER_PLAIN if locator.ok else "",
        outline_bounds=",".join(map(str, locator.bounds())) if locator.ok else "",
        static_map=locator.static_map({"partenaires": partner_places, "offres": offer_places}, label, siteurl),
        groups=by_epci(site),
        partner_count=len(partners["features"]),
        offer_count=len(offers["features"]),
        tiles=site.config.TERRITOIRE_CARTE_TUILES,
        attribution=site.config.TERRITOIRE_CARTE_ATTRIBUTION,
        zoom_max=site.config.TERRITOIRE_CARTE_ZOOM_MAX,
    )
