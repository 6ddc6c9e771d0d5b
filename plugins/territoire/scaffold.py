"""Writing new content files (`invoke new-offer`, `new-event`, `new-partner`).

Each command asks for what is missing (interactively) or takes options, resolves a commune
typed by name to its code, and writes a file that passes validation.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .communes import Communes
from .fields import closest
from .models import ETAPES, NATURES, SECTEURS, TYPES_EVENEMENT, TYPES_PARTENAIRE
from .site import Site, slugify


class ScaffoldError(Exception):
    """A French message for the person typing."""


Ask = Callable[[str], str]


def ask_choice(label: str, value: str | None, choices: dict[str, str], ask: Ask) -> str:
    while True:
        if value is None:
            listed = ", ".join(choices)
            value = ask(f"{label} ({listed}) : ").strip()
        if value in choices:
            return value
        guess = closest(value, list(choices) + list(choices.values()))
        guess = next((code for code, label in choices.items() if guess in (code, label)), None) if guess else None
        hint = f" ; vouliez-vous dire « {guess} » ?" if guess else ""
        if ask is _no_questions:
            raise ScaffoldError(f"{label.lower()} : « {value} » n'est pas permis{hint} Valeurs permises : {', '.join(choices)}.")
        print(f"  « {value} » n'est pas permis{hint}")
        value = None


def ask_text(label: str, value: str | None, ask: Ask) -> str:
    while not value or not value.strip():
        if ask is _no_questions:
            raise ScaffoldError(f"{label.lower()} manquant : ajoutez l'option correspondante.")
        value = ask(f"{label} : ")
    return value.strip()


def resolve_commune(communes: Communes, typed: str | None, ask: Ask, territory: bool = True) -> str:
    """A code, or a name typed accent-insensitively, becomes an INSEE code."""
    while True:
        typed = ask_text("Commune (nom ou code INSEE)", typed, ask)
        if communes.get(typed):
            found = [communes.get(typed)]
        else:
            found = communes.by_name(typed)
        if territory:
            found = [c for c in found if communes.in_territory(c)]
        if len(found) == 1:
            return found[0].insee
        if len(found) > 1:
            options = ", ".join(f"{c.insee} ({c.nom}, {c.departement_nom})" for c in found)
            message = f"plusieurs communes s'appellent « {typed} » : {options} ; indiquez le code."
        else:
            where = " dans le territoire" if territory else ""
            message = f"aucune commune « {typed} »{where} ; vérifiez l'orthographe ou donnez le code INSEE."
        if ask is _no_questions:
            raise ScaffoldError(message)
        print(f"  {message}")
        typed = None


def _no_questions(prompt: str) -> str:  # marker: options only, no prompting
    raise AssertionError(prompt)


def next_reference(site: Site, year: int, prefix: str = "LF") -> str:
    used = [int(m.group(1)) for o in site.offers if (m := re.fullmatch(rf"{prefix}-{year}-(\d+)", o.reference))]
    used += [int(m.group(1)) for p in (Path(site.settings["TERRITOIRE_ROOT"]) / "offers").glob("*.y*ml") if (m := re.search(rf"reference:\s*{prefix}-{year}-(\d+)", p.read_text(encoding="utf-8", errors="replace")))] if site.settings.get("TERRITOIRE_ROOT") else []
    return f"{prefix}-{year}-{max(used, default=0) + 1:03d}"


def _free_path(folder: Path, slug: str, suffix: str) -> Path:
    path = folder / f"{slug}{suffix}"
    number = 2
    while path.exists():
        path = folder / f"{slug}-{number}{suffix}"
        number += 1
    return path


def _yaml_str(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def new_offer(site: Site, root: Path, today: dt.date, options: dict[str, Any], interactive: bool) -> Path:
    ask: Ask = input if interactive else _no_questions
    titre = ask_text("Titre de l'offre", options.get("titre"), ask)
    nature = ask_choice("Nature", options.get("nature"), NATURES, ask)
    secteur = ask_choice("Secteur", options.get("secteur"), SECTEURS, ask)
    commune = resolve_commune(site.communes, options.get("commune"), ask)
    referent = ask_choice("Partenaire référent", options.get("referent"), {k: p.nom for k, p in sorted(site.partners.items())}, ask)
    prefix = options.get("prefixe") or _reference_prefix(site)
    reference = next_reference(site, today.year, prefix)
    path = _free_path(root / "offers", slugify(titre)[:60].rstrip("-"), ".yaml")
    path.write_text(
        "# yaml-language-server: $schema=../schemas/offre.schema.json\n"
        f"reference: {reference}\n"
        f"titre: {_yaml_str(titre)}\n"
        f"nature: {nature}\n"
        f"secteur: {secteur}\n"
        f"activite: {_yaml_str(options.get('activite') or titre)}\n"
        f'commune: "{commune}"\n'
        f"referent: {referent}\n"
        "statut: disponible\n"
        f"publiee_le: {today.isoformat()}\n"
        f"mise_a_jour: {today.isoformat()}\n"
        "description: |\n"
        "  Décrivez ici l'activité, le lieu, la clientèle, ce qui est cédé ou proposé et les conditions.\n"
        "  (Pas d'adresse électronique ni de téléphone : le contact passe par le partenaire référent.)\n",
        encoding="utf-8",
    )
    return path


def _reference_prefix(site: Site) -> str:
    prefixes = sorted({o.reference.split("-")[0] for o in site.offers})
    return prefixes[0] if prefixes else "LF"


def new_event(site: Site, root: Path, today: dt.date, options: dict[str, Any], interactive: bool) -> Path:
    ask: Ask = input if interactive else _no_questions
    titre = ask_text("Titre de l'événement", options.get("titre"), ask)
    kind = ask_choice("Type", options.get("type"), TYPES_EVENEMENT, ask)
    debut = ask_text("Début (AAAA-MM-JJ HH:MM)", options.get("debut"), ask)
    fin = ask_text("Fin (AAAA-MM-JJ HH:MM)", options.get("fin"), ask)
    lieu = ask_text("Lieu (salle, adresse)", options.get("lieu"), ask)
    commune = resolve_commune(site.communes, options.get("commune"), ask, territory=False)
    path = _free_path(root / "content" / "evenements", slugify(titre)[:60].rstrip("-"), ".md")
    path.write_text(
        f"---\ntitre: {_yaml_str(titre)}\ntype: {kind}\ndebut: {debut}\nfin: {fin}\nlieu: {_yaml_str(lieu)}\n"
        f'commune: "{commune}"\npartenaires: []\n---\nDécrivez ici l\'événement : à qui il s\'adresse, ce qu\'on y trouve, comment venir.\n',
        encoding="utf-8",
    )
    return path


def new_partner(site: Site, root: Path, today: dt.date, options: dict[str, Any], interactive: bool) -> Path:
    ask: Ask = input if interactive else _no_questions
    nom = ask_text("Nom de la structure", options.get("nom"), ask)
    kind = ask_choice("Type", options.get("type"), TYPES_PARTENAIRE, ask)
    commune = resolve_commune(site.communes, options.get("commune"), ask)
    epci = site.communes.get(commune).epci_siren
    path = _free_path(root / "content" / "partenaires", slugify(options.get("id") or nom)[:60].rstrip("-"), ".md")
    path.write_text(
        f'---\nnom: {_yaml_str(nom)}\ntype: {kind}\ncommune: "{commune}"\nterritoire: ["{epci}"]\n'
        f"secteurs: [{', '.join(SECTEURS)}]\netapes: [{', '.join(ETAPES)}]\n---\n"
        "Présentez ici la structure : qui elle accueille, ce qu'elle propose, comment la joindre.\n",
        encoding="utf-8",
    )
    return path
