"""The communes reference: a commune code resolves to its name, EPCI, department and position."""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


@dataclass(frozen=True)
class Commune:
    insee: str
    nom: str
    departement: str
    departement_nom: str
    epci_siren: str
    epci_nom: str
    codes_postaux: tuple[str, ...]
    population: int
    latitude: float | None
    longitude: float | None

    @property
    def code_postal(self) -> str:
        return self.codes_postaux[0] if self.codes_postaux else ""


def fold(text: str) -> str:
    """Lower-case, accent-free, hyphen- and apostrophe-insensitive form, for matching names."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    for sep in "-'’":
        text = text.replace(sep, " ")
    return " ".join(text.replace("saint ", "st ").split())


class Communes:
    """All French communes, with the territory (a set of EPCIs) marked out."""

    def __init__(self, communes: dict[str, Commune], territory_epci: list[str]):
        self.by_code = communes
        self.territory_epci = list(territory_epci)
        self.epci_names = {c.epci_siren: c.epci_nom for c in communes.values() if c.epci_siren}
        self._by_name: dict[str, list[Commune]] | None = None
        self._departements: dict[str, str] | None = None

    def get(self, code: str) -> Commune | None:
        return self.by_code.get(code)

    def in_territory(self, commune: Commune) -> bool:
        return commune.epci_siren in self.territory_epci

    def territory(self) -> list[Commune]:
        return sorted(
            (c for c in self.by_code.values() if self.in_territory(c)), key=lambda c: fold(c.nom)
        )

    def by_name(self, name: str) -> list[Commune]:
        """Communes whose name matches, accent- and case-insensitively (territory first)."""
        if self._by_name is None:
            self._by_name = {}
            for c in self.by_code.values():
                self._by_name.setdefault(fold(c.nom), []).append(c)
        found = self._by_name.get(fold(name), [])
        return sorted(found, key=lambda c: (not self.in_territory(c), -c.population))

    def departements(self) -> dict[str, str]:
        if self._departements is None:
            self._departements = {c.departement: c.departement_nom for c in self.by_code.values()}
        return self._departements


@lru_cache(maxsize=4)
def _read_csv(path: str) -> dict[str, Commune]:
    communes: dict[str, Commune] = {}
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            communes[row["insee"]] = Commune(
                insee=row["insee"],
                nom=row["nom"],
                departement=row["departement"],
                departement_nom=row["departement_nom"],
                epci_siren=row["epci_siren"],
                epci_nom=row["epci_nom"],
                codes_postaux=tuple(row["codes_postaux"].split()),
                population=int(row["population"] or 0),
                latitude=float(row["latitude"]) if row["latitude"] else None,
                longitude=float(row["longitude"]) if row["longitude"] else None,
            )
    return communes


def load(csv_path: Path, territory_epci: list[str]) -> Communes:
    return Communes(_read_csv(str(csv_path)), territory_epci)
