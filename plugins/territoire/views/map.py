"""The map /carte/: partners and open offers as two GeoJSON layers, with a list by EPCI
that works without JavaScript (and when the tiles cannot load)."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable

from ..communes import fold
from ..geo import located, outline_rings
from ..models import NATURES, SECTEURS, TYPES_PARTENAIRE, offer_price
from ..outputs import produces
from ..routes import ALL_OFFERS, ALL_PARTNERS, Route, address, data, page
from ..svgmap import OUTLINE_KM

# The territory's outline on the web map: drawn from the communes' centres (no boundary data
# ships with the kit), see ``territory_geojson``.
OUTLINE = address("carte-contour")


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
            features.append(
                {"type": "Feature", "id": key(record), "geometry": geometry, "properties": properties(record, commune)}
            )
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


def offers_geojson(site, siteurl: str, images=None) -> dict:
    """Open offers, with what the map's popup shows: the price (or rent) as written on the
    board and the first photo's smallest variant (``images``: the site's photos, views/images.py)."""

    def properties(o, commune) -> dict:
        props = {
            "titre": o.titre,
            "nature": NATURES.get(o.nature, o.nature),
            "secteur": SECTEURS.get(o.secteur, o.secteur),
            "commune": commune.nom,
            "url": f"{siteurl}/{o.url}",
        }
        price = offer_price(o)
        if price is not None:
            props["prix"] = price
        picture = images.offre(o.photos[0]["fichier"]) if images is not None and o.photos else None
        if picture is not None:
            small = (picture.webp or picture.jpeg or (picture.original,))[0]
            props["photo"] = {
                "url": f"{siteurl}/{small.path}",
                "alt": o.photos[0]["alt"],
                "largeur": small.width,
                "hauteur": small.height,
            }
        return props

    return _collection(site, sorted(site.open_offers, key=lambda o: o.reference), lambda o: o.reference, properties)


def territory_geojson(site) -> dict:
    """The territory's outline, approximate: no boundary data ships with the kit (the commune
    list has centres only), so it is the union of each EPCI's convex hull widened by
    OUTLINE_KM around its communes' centres (the offer pages' locator draws the same shape)."""
    groups = defaultdict(list)
    for commune in located(site.communes.territory()):
        groups[commune.epci_siren].append((commune.latitude, commune.longitude))
    rings = outline_rings([groups[k] for k in sorted(groups)], OUTLINE_KM)
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": "territoire",
                "geometry": {"type": "MultiLineString", "coordinates": [[*ring, ring[0]] for ring in rings]},
                "properties": {
                    "nom": site.config.TERRITOIRE_NOM,
                    "trace": "approximatif : enveloppe des centres des communes",
                },
            }
        ]
        if rings
        else [],
    }


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
def write_json(relative: str, content: dict | Callable[[], dict], sources: tuple[str, ...] = ()) -> list[Route]:
    """A compact JSON file (``content``: the data, or what makes it)."""

    def text() -> str:
        found = content() if callable(content) else content
        return json.dumps(found, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"

    return [data(relative, text, sources)]


def write(site, derived, templates) -> list[Route]:
    siteurl = site.config.SITEURL
    partners = partners_geojson(site, siteurl)
    offers = offers_geojson(site, siteurl, templates.context.get("images"))
    outline = territory_geojson(site)
    every = (ALL_PARTNERS, ALL_OFFERS)
    routes = [
        *write_json(address("carte-partenaires"), partners, (ALL_PARTNERS,)),
        *write_json(address("carte-offres"), offers, (ALL_OFFERS,)),
    ]
    if outline["features"]:
        routes += write_json(OUTLINE, outline, every)
    locator = derived.locator
    if locator.ok:
        routes.append(data(locator.LAYER_PLAIN, lambda: locator.layer(plain=True), every))
    partner_places = [p.place for p in site.partners.values()]
    offer_places = [o.place for o in site.open_offers]
    label = f"Carte du territoire : les communes des {len(partners['features'])} partenaires et des {len(offers['features'])} offres ouvertes. La liste par intercommunalité, sous la carte, les nomme."

    def context() -> dict:
        return {
            "outline": locator.LAYER_PLAIN if locator.ok else "",
            "territory": OUTLINE if outline["features"] else "",
            "outline_bounds": ",".join(map(str, locator.bounds())) if locator.ok else "",
            "static_map": locator.static_map({"partenaires": partner_places, "offres": offer_places}, label, siteurl),
            "groups": by_epci(site),
            "partner_count": len(partners["features"]),
            "offer_count": len(offers["features"]),
            "tiles": site.config.TERRITOIRE_CARTE_TUILES,
            "attribution": site.config.TERRITOIRE_CARTE_ATTRIBUTION,
            "zoom_max": site.config.TERRITOIRE_CARTE_ZOOM_MAX,
        }

    routes.append(page(f"{address('carte')}index.html", "pages/carte", context, every))
    return routes
