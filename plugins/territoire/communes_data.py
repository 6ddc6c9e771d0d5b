"""The kit's list of French communes (data/communes-france.csv), made on first use.

The list is 3.4 MiB: it is not committed. Its names, codes, departments, regions,
intercommunalities, postcodes and populations come from the npm package
``@etalab/decoupage-administratif`` (INSEE's Code officiel géographique), pinned below by version
and SHA-512 and downloaded once by vendor.py's installer (no npm needed). The centres of the
communes, which no package registry publishes, are the one file kept in the repository
(data/communes-centres.csv, 0.8 MiB). The list joins them: the current communes of metropolitan
France, in code order. It is written with a stamp naming both sources (the package's pin and
the centres file's digest): later calls find the stamp and read nothing else; a new pin or new
centres make the list again. A kit installed with pip makes it in its own folder, as it does
Decap CMS's bundle. ``TERRITOIRE_NPM_REGISTRY`` names a mirror.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import json
from pathlib import Path

from .run import BuildError
from .settings import COMMUNES_CSV
from .vendor import Package, VendorError, default_registry, fetch, replace_file

SOURCE = Package(
    name="@etalab/decoupage-administratif",
    version="6.0.0",
    integrity="sha512-XavYsFlbcM/prKr8hNHPKER94IHw/dsxNM4nxjWMYk6PLFACpEedvn/7wK8Baozm0dCYhWWcf+7bcWpA5pmCaQ==",
    folder="",  # nothing of it is kept: the list is made from it
    files={
        "package/data/communes.json": "communes.json",
        "package/data/epci.json": "epci.json",
        "package/data/departements.json": "departements.json",
    },
)
CENTRES = COMMUNES_CSV.with_name("communes-centres.csv")
STAMP = COMMUNES_CSV.with_name(".communes-france.installe")
COLUMNS = [
    "insee",
    "nom",
    "departement",
    "departement_nom",
    "region",
    "epci_siren",
    "epci_nom",
    "codes_postaux",
    "population",
    "latitude",
    "longitude",
]


def kit_communes(say=print) -> Path:
    """The kit's list of communes, made first if it is missing or its sources changed; a
    download that fails is a French ``BuildError`` and leaves any previous list in place."""
    return _made(COMMUNES_CSV, CENTRES, STAMP, default_registry(), say)


@functools.cache  # once per process; a failure is not kept, the next call tries again
def _made(target: Path, centres: Path, stamp: Path, registry: str, say) -> Path:
    centres_bytes = centres.read_bytes()
    expected = f"{SOURCE.label} {SOURCE.integrity} centres:{hashlib.sha256(centres_bytes).hexdigest()}\n"
    try:
        if stamp.read_text(encoding="utf-8") == expected and target.is_file():
            return target
    except OSError:
        pass
    say(f"Liste des communes de France : installation de {SOURCE.label} depuis le registre npm (une seule fois)…")
    try:
        files = fetch(SOURCE, registry)
    except VendorError as exc:
        raise BuildError(f"La liste des communes de France n'a pas pu être faite : {exc}") from None
    stamp.unlink(missing_ok=True)  # the stamp goes last: an interrupted making is done again
    replace_file(target, joined(files, centres_bytes.decode("utf-8")))
    replace_file(stamp, expected.encode("utf-8"))
    return target


def joined(files: dict[str, bytes], centres: str) -> bytes:
    """The list (CSV, COLUMNS): the package's current communes of metropolitan France with their
    department's name, their intercommunality and their centre (none for a few: empty cells)."""
    communes = json.loads(files["communes.json"])
    departments = {d["code"]: d["nom"] for d in json.loads(files["departements.json"])}
    epci_of = {}
    for epci in json.loads(files["epci.json"]):
        for member in epci["membres"]:
            epci_of[member["code"]] = (epci["code"], epci["nom"])
    where = {row["insee"]: (row["latitude"], row["longitude"]) for row in csv.DictReader(io.StringIO(centres))}
    out = io.StringIO()
    writer = csv.writer(out)  # "\r\n" line ends, as the file always had
    writer.writerow(COLUMNS)
    current = (c for c in communes if c["type"] == "commune-actuelle" and c.get("zone") == "metro")
    for c in sorted(current, key=lambda c: c["code"]):
        writer.writerow(
            [
                c["code"],
                c["nom"],
                c["departement"],
                departments[c["departement"]],
                c["region"],
                *epci_of.get(c["code"], ("", "")),
                " ".join(c.get("codesPostaux", [])),
                c.get("population", ""),
                *where.get(c["code"], ("", "")),
            ]
        )
    return out.getvalue().encode("utf-8")
