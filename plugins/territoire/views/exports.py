"""Open data of the open offers (JSON, CSV, GeoJSON, Table Schema) and the schema.org JSON-LD
of an offer page.

The CSV columns, their cells and the Table Schema are derived from the OFFRE model: each
field's type gives its column (fields.py: ``table_schema``, ``export_value``, ``csv_cell``).
"""

from __future__ import annotations

import csv
import functools
import io
import json

from .. import fields as f
from ..escaping import FORMULA_STARTS, spreadsheet_cell
from ..markup import plain_summary
from ..models import NATURES, OFFRE, SECTEURS
from ..outputs import produces
from ..routes import ALL_OFFERS, ALL_PARTNERS, CONFIGURATION, Route, address
from ..routes import data as data_file

# Internal follow-up figures are not published.
PRIVATE = {"contacts"}
DERIVED = [
    ("url", "Adresse de la fiche", "Adresse de la fiche de l'offre sur le site.", {"type": "string", "format": "uri"}),
    ("commune_nom", "Nom de la commune", "Nom de la commune de l'offre.", {"type": "string"}),
    (
        "epci_siren",
        "Intercommunalité (SIREN)",
        "Code SIREN de l'intercommunalité de la commune.",
        {"type": "string", "constraints": {"pattern": "[0-9]{9}"}},
    ),
    ("epci_nom", "Intercommunalité", "Nom de l'intercommunalité.", {"type": "string"}),
    ("latitude", "Latitude", "Latitude du centre de la commune (WGS 84).", {"type": "number"}),
    ("longitude", "Longitude", "Longitude du centre de la commune (WGS 84).", {"type": "number"}),
    ("referent_nom", "Partenaire référent (nom)", "Nom du partenaire qui suit l'offre.", {"type": "string"}),
]
# schema.org availability of an offer, by lifecycle state (lifecycle.state).
AVAILABILITY = {
    "disponible": "InStock",
    "en-negociation": "LimitedAvailability",
    "conclue": "SoldOut",
    "retiree": "Discontinued",
    "expiree": "Discontinued",
}
# Said in the Table Schema and on the open data page: what the CSV does to a risky cell.
FORMULA_NOTE = (
    "Une cellule de texte qui commencerait par "
    + ", ".join(f"« {c} »" for c in FORMULA_STARTS if c.isprintable())
    + ", une tabulation ou un retour chariot est précédée d'une apostrophe (') : "
    "un tableur ne la prend pas pour une formule (protection contre l'injection de formules, OWASP)."
)


def public_fields() -> list[tuple[str, f.Field]]:
    return [(name, fld) for name, fld in OFFRE.fields.items() if name not in PRIVATE]


def table_schema(base_url: str = "") -> dict:
    """Frictionless Table Schema of offres.csv, derived from the model."""
    out = [fld.table_schema(name) for name, fld in public_fields()]
    for name, title, description, spec in DERIVED:
        if name == "url" and not base_url.startswith(("http://", "https://")):
            spec = {"type": "string"}  # a site built without SITEURL has relative addresses
        out.append({"name": name, "title": title, "description": description, **spec})
    return {
        "$schema": "https://specs.frictionlessdata.io/schemas/table-schema.json",
        "title": "Offres d'activités ouvertes",
        "description": "Une ligne par offre ouverte (disponible ou en négociation). Colonnes issues du modèle de la fiche commune d'offre. "
        + FORMULA_NOTE,
        "fields": out,
        "primaryKey": ["reference"],
        "missingValues": [""],
    }


def record(site, offer, siteurl: str) -> dict:
    """An offer as plain data: the public fields, then the derived ones."""
    data = {}
    for name, fld in public_fields():
        value = getattr(offer, name)
        data[name] = None if value is None else fld.export_value(value, siteurl)
    commune = offer.place
    data.update(
        url=f"{siteurl}/{offer.url}",
        commune_nom=commune.nom,
        epci_siren=commune.epci_siren,
        epci_nom=commune.epci_nom,
        latitude=commune.latitude,
        longitude=commune.longitude,
        referent_nom=offer.partner.nom,
    )
    return data


def csv_text(records: list[dict]) -> str:
    fields = public_fields()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([name for name, _ in fields] + [d[0] for d in DERIVED])
    for data in records:
        row = ["" if data[name] is None else fld.csv_cell(data[name]) for name, fld in fields]
        row += [_derived_cell(data[name], spec) for name, _title, _description, spec in DERIVED]
        writer.writerow(row)
    return buffer.getvalue()


def _derived_cell(value: object, spec: dict) -> str:
    if value is None:
        return ""
    return str(value) if spec["type"] == "number" else spreadsheet_cell(str(value))


def geojson(records: list[dict]) -> dict:
    features = []
    for data in records:
        if data["latitude"] is None:
            continue
        props = {k: v for k, v in data.items() if k not in ("latitude", "longitude", "description")}
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [data["longitude"], data["latitude"]]},
                "properties": props,
            }
        )
    return {"type": "FeatureCollection", "features": features}


def json_ld(site, offer, siteurl: str) -> dict:
    commune = offer.place
    referent = offer.partner
    place = {
        "@type": "Place",
        "name": commune.nom,
        "address": {
            "@type": "PostalAddress",
            "addressLocality": commune.nom,
            "postalCode": commune.code_postal,
            "addressRegion": commune.departement_nom,
            "addressCountry": "FR",
        },
    }
    if commune.latitude is not None:
        place["geo"] = {"@type": "GeoCoordinates", "latitude": commune.latitude, "longitude": commune.longitude}
    availability = AVAILABILITY[offer.state]
    data = {
        "@context": "https://schema.org",
        "@type": "Offer",
        "name": offer.titre,
        "description": plain_summary(offer.description),
        "url": f"{siteurl}/{offer.url}",
        "identifier": offer.reference,
        "category": f"{NATURES[offer.nature]} — {SECTEURS[offer.secteur]}",
        "availability": f"https://schema.org/{availability}",
        "validFrom": offer.publiee_le.isoformat(),
        "itemOffered": {"@type": "Product", "name": offer.activite, "category": SECTEURS[offer.secteur]},
        "availableAtOrFrom": place,
        "offeredBy": {"@type": "Organization", "name": referent.nom, "url": f"{siteurl}/{referent.url}"},
    }
    if offer.expire_le:
        data["validThrough"] = offer.expire_le.isoformat()
    if offer.prix is not None:
        data["price"] = offer.prix
        data["priceCurrency"] = "EUR"
    elif offer.loyer is not None:
        data["priceSpecification"] = {
            "@type": "UnitPriceSpecification",
            "price": offer.loyer,
            "priceCurrency": "EUR",
            "unitText": "MON",
        }
    if offer.photos:
        data["image"] = [f"{siteurl}/images/offres/{p['fichier']}" for p in offer.photos]
    return data


@produces
def write_all(site, board) -> list[Route]:
    """The open data files (made when written, the offers' records once for all three)."""
    siteurl = site.config.SITEURL

    @functools.cache
    def records() -> list[dict]:
        return [record(site, o, siteurl) for o in board.offers]

    every = (ALL_OFFERS, ALL_PARTNERS)
    return [
        data_file(
            address("offres-json"),
            lambda: json.dumps({"offres": records()}, ensure_ascii=False, indent=1, sort_keys=False) + "\n",
            every,
            download=True,
        ),
        data_file(address("offres-csv"), lambda: csv_text(records()), every, download=True),
        data_file(
            address("offres-geojson"),
            lambda: json.dumps(geojson(records()), ensure_ascii=False) + "\n",
            every,
            download=True,
        ),
        data_file(
            address("offres-schema"),
            lambda: json.dumps(table_schema(siteurl), ensure_ascii=False, indent=1) + "\n",
            (CONFIGURATION,),
            download=True,
        ),
    ]


def described() -> list[dict]:
    """The open data files as the « Données ouvertes » page describes them."""
    return [
        {
            "url": address("offres-csv"),
            "nom": "offres.csv",
            "format": "CSV (UTF-8, virgule, ligne d'en-tête)",
            "description": "Un tableau d'une ligne par offre ouverte, à ouvrir dans un tableur. Une cellule qui commencerait par =, +, - ou @ y est précédée d'une apostrophe, pour qu'aucun tableur ne la prenne pour une formule.",
        },
        {
            "url": address("offres-schema"),
            "nom": "offres.schema.json",
            "format": "Table Schema (JSON)",
            "description": "La description de chaque colonne du fichier CSV (spécification Frictionless Table Schema).",
        },
        {
            "url": address("offres-json"),
            "nom": "offres.json",
            "format": "JSON",
            "description": "Les mêmes offres, pour les programmes.",
        },
        {
            "url": address("offres-geojson"),
            "nom": "offres.geojson",
            "format": "GeoJSON",
            "description": "Les offres situées au centre de leur commune, pour les logiciels de cartographie.",
        },
    ]
