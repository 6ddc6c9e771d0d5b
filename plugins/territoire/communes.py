"""The communes reference: a commune code resolves to its name, EPCI, department and position."""

from __future__ import annotations

import csv
import difflib
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple


class Commune(NamedTuple):
    """One commune (a named tuple: 35,000 of them are read at every run, so cheaply)."""

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


@lru_cache(maxsize=65536)  # the same names, sorted again and again (the orientation tool)
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
        self._territory: list[Commune] | None = None
        self._territory_names: dict[str, list[Commune]] | None = None
        self._departements: dict[str, str] | None = None

    def get(self, code: str) -> Commune | None:
        return self.by_code.get(code)

    def example(self) -> Commune | None:
        """The territory's most populous commune: the example messages give."""
        if not hasattr(self, "_example"):
            inside = [c for c in self.by_code.values() if self.in_territory(c)]
            self._example = max(inside, key=lambda c: (c.population, c.insee), default=None)
        return self._example

    def in_territory(self, commune: Commune) -> bool:
        return commune.epci_siren in self.territory_epci

    def territory(self) -> list[Commune]:
        """The territory's communes by name (a new list each time; sorted once: 35,000 communes
        are looked through, and a build asks some fifteen times)."""
        if self._territory is None:
            self._territory = sorted(
                (c for c in self.by_code.values() if self.in_territory(c)), key=lambda c: fold(c.nom)
            )
        return list(self._territory)

    def by_name(self, name: str) -> list[Commune]:
        """Communes whose name matches, accent- and case-insensitively (territory first)."""
        if self._by_name is None:
            self._by_name = {}
            for c in self.by_code.values():
                self._by_name.setdefault(fold(c.nom), []).append(c)
        found = self._by_name.get(fold(name), [])
        return sorted(found, key=lambda c: (not self.in_territory(c), -c.population))

    def closest_names(self, name: str, territory: bool = True, count: int = 3) -> list[Commune]:
        """The communes whose name is nearest a misspelled one (« Ambret » → Ambert), among the
        territory's or, with ``territory=False``, all of France's."""
        if self._by_name is None:
            self.by_name(name)
        folded = fold(name)
        if territory:
            if self._territory_names is None:
                found = (
                    (key, [c for c in communes if self.in_territory(c)]) for key, communes in self._by_name.items()
                )
                self._territory_names = {key: communes for key, communes in found if communes}
            names = {key: found for key, found in self._territory_names.items() if abs(len(key) - len(folded)) <= 4}
        else:
            # 35,000 names: compare only those of a similar length starting with the same letter
            # (a misspelling rarely touches the first one), milliseconds instead of a second.
            names = {
                key: found
                for key, found in self._by_name.items()
                if key[:1] == folded[:1] and abs(len(key) - len(folded)) <= 3
            }
        close = difflib.get_close_matches(folded, list(names), n=count, cutoff=0.7)
        # « Saint Germain » is the start of « Saint-Germain-l'Herm »: names that begin with the
        # words typed come first (in the territory when asked), then the nearest spellings.
        pool = self._territory_names if territory else self._by_name
        starting = sorted(key for key in pool if key.startswith(folded + " "))
        keys = starting + [key for key in close if key not in starting]
        return [c for key in keys for c in sorted(pool.get(key) or names[key], key=lambda c: -c.population)][:count]

    def departements(self) -> dict[str, str]:
        if self._departements is None:
            self._departements = {c.departement: c.departement_nom for c in self.by_code.values()}
        return self._departements


@lru_cache(maxsize=4)
def _read_csv(path: str) -> dict[str, Commune]:
    communes: dict[str, Commune] = {}
    with open(path, encoding="utf-8", newline="") as handle:
        rows = csv.reader(handle)
        header = next(rows)
        at = {
            name: header.index(name)
            for name in (
                "insee",
                "nom",
                "departement",
                "departement_nom",
                "epci_siren",
                "epci_nom",
                "codes_postaux",
                "population",
                "latitude",
                "longitude",
            )
        }
        i_insee, i_nom, i_dep, i_depnom, i_siren, i_epci, i_cp, i_pop, i_lat, i_lon = at.values()
        for row in rows:
            lat, lon = row[i_lat], row[i_lon]
            communes[row[i_insee]] = Commune(
                row[i_insee],
                row[i_nom],
                row[i_dep],
                row[i_depnom],
                row[i_siren],
                row[i_epci],
                tuple(row[i_cp].split()),
                int(row[i_pop] or 0),
                float(lat) if lat else None,
                float(lon) if lon else None,
            )
    return communes


def load(csv_path: Path, territory_epci: list[str]) -> Communes:
    return Communes(_read_csv(str(csv_path)), territory_epci)
