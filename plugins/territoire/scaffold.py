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
from .fields import PLACEHOLDERS, CheckContext, Field, Invalid, closest
from .models import ETAPES, EVENEMENT, NATURES, OFFRE, PARTENAIRE, SECTEURS, TYPES_EVENEMENT, TYPES_PARTENAIRE
from .site import Site
from .slugs import slugify
from .validate import next_reference, reference_prefix


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
            raise ScaffoldError(
                f"{label.lower()} : « {value} » n'est pas permis{hint} Valeurs permises : {', '.join(choices)}."
            )
        print(f"  « {value} » n'est pas permis{hint}")
        value = None


def ask_text(label: str, value: str | None, ask: Ask) -> str:
    while not value or not value.strip():
        if ask is _no_questions:
            raise ScaffoldError(f"{label.lower()} manquant : ajoutez l'option correspondante.")
        value = ask(f"{label} : ")
    return value.strip()


def ask_field(label: str, value: str | None, field: Field, ctx: CheckContext, ask: Ask, name: str) -> Any:
    """Ask until the model's own field accepts the answer (a title long enough, a date written
    AAAA-MM-JJ…); with options only, a wrong value stops with the field's French message."""
    while True:
        typed = ask_text(label, value, ask)
        try:
            return field.check(typed, ctx)
        except Invalid as exc:
            if ask is _no_questions:
                raise ScaffoldError(f"{name} : {exc.message}") from None
            print(f"  {exc.message}")
            value = None


def parse_date(typed: str | None, default: dt.date) -> dt.date:
    """The --date option (AAAA-MM-JJ), checked like a date field of a content file."""
    if typed is None:
        return default
    try:
        return OFFRE.fields["publiee_le"].check(typed.strip(), CheckContext(communes=None))
    except Invalid as exc:
        raise ScaffoldError(f"date : {exc.message}") from None


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
            near = communes.closest_names(typed, territory=territory)
            hint = f" Communes proches : {', '.join(f'{c.nom} ({c.insee})' for c in near)}." if near else ""
            message = f"aucune commune « {typed} »{where} ; vérifiez l'orthographe ou donnez le code INSEE.{hint}"
        if ask is _no_questions:
            raise ScaffoldError(message)
        print(f"  {message}")
        typed = None


def _no_questions(prompt: str) -> str:  # marker: options only, no prompting
    raise AssertionError(prompt)


def taken_references(site: Site) -> list[str]:
    """Every reference in use: the valid offers' and those written in files that do not validate
    (a draft still has its number)."""
    taken = [o.reference for o in site.offers]
    offers = site.config.ROOT / site.config.TERRITOIRE_OFFRES_PATH
    for path in offers.glob("*.y*ml"):
        taken += re.findall(
            r"(?m)^reference:\s*[\"']?([A-Z]+-\d{4}-\d+)", path.read_text(encoding="utf-8", errors="replace")
        )
    return taken


def _folder(folder: Path) -> Path:
    """The content kind's folder, made on first use (a new territory starts with none)."""
    folder.mkdir(parents=True, exist_ok=True)
    return folder


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
    if not site.partners:
        raise ScaffoldError(
            "aucun partenaire valide ne peut suivre l'offre : créez d'abord le partenaire référent "
            "(invoke new-partner) et remplacez le texte d'exemple de sa présentation ; invoke validate dit ce qui manque."
        )
    ask: Ask = input if interactive else _no_questions
    ctx = CheckContext(communes=site.communes)
    titre = ask_field("Titre de l'offre", options.get("titre"), OFFRE.fields["titre"], ctx, ask, "titre")
    nature = ask_choice("Nature", options.get("nature"), NATURES, ask)
    secteur = ask_choice("Secteur", options.get("secteur"), SECTEURS, ask)
    commune = resolve_commune(site.communes, options.get("commune"), ask)
    referent = ask_choice(
        "Partenaire référent", options.get("referent"), {k: p.nom for k, p in sorted(site.partners.items())}, ask
    )
    taken = taken_references(site)
    prefix = options.get("prefixe") or reference_prefix(site.config, taken)
    reference = next_reference(taken, f"{prefix}-{today.year}-000")
    path = _free_path(_folder(root / site.config.TERRITOIRE_OFFRES_PATH), slugify(titre), ".yaml")
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
        # A comment, not a line of the text: it is never published, even if left in place.
        "# Dans la description, ni adresse électronique ni téléphone : le contact passe par le partenaire référent.\n"
        "description: |\n"
        f"  {PLACEHOLDERS['offre']}\n",
        encoding="utf-8",
    )
    return path


def new_event(site: Site, root: Path, today: dt.date, options: dict[str, Any], interactive: bool) -> Path:
    ask: Ask = input if interactive else _no_questions
    ctx = CheckContext(communes=site.communes)
    titre = ask_field("Titre de l'événement", options.get("titre"), EVENEMENT.fields["titre"], ctx, ask, "titre")
    kind = ask_choice("Type", options.get("type"), TYPES_EVENEMENT, ask)
    debut = ask_field("Début (AAAA-MM-JJ HH:MM)", options.get("debut"), EVENEMENT.fields["debut"], ctx, ask, "debut")
    fin = ask_field("Fin (AAAA-MM-JJ HH:MM)", options.get("fin"), EVENEMENT.fields["fin"], ctx, ask, "fin")
    while fin < debut:
        message = f"la fin ({fin:%Y-%m-%d %H:%M}) précède le début ({debut:%Y-%m-%d %H:%M}) ; attendu : une fin postérieure au début."
        if ask is _no_questions:
            raise ScaffoldError(f"fin : {message}")
        print(f"  {message}")
        fin = ask_field("Fin (AAAA-MM-JJ HH:MM)", None, EVENEMENT.fields["fin"], ctx, ask, "fin")
    lieu = ask_field("Lieu (salle, adresse)", options.get("lieu"), EVENEMENT.fields["lieu"], ctx, ask, "lieu")
    commune = resolve_commune(site.communes, options.get("commune"), ask, territory=False)
    path = _free_path(_folder(Path(site.config.PATH) / site.config.TERRITOIRE_EVENEMENTS_PATH), slugify(titre), ".md")
    path.write_text(
        f"---\ntitre: {_yaml_str(titre)}\ntype: {kind}\ndebut: {debut:%Y-%m-%d %H:%M}\nfin: {fin:%Y-%m-%d %H:%M}\nlieu: {_yaml_str(lieu)}\n"
        f'commune: "{commune}"\npartenaires: []\n---\n{PLACEHOLDERS["evenement"]}\n',
        encoding="utf-8",
    )
    return path


def new_partner(site: Site, root: Path, today: dt.date, options: dict[str, Any], interactive: bool) -> Path:
    ask: Ask = input if interactive else _no_questions
    nom = ask_field(
        "Nom de la structure",
        options.get("nom"),
        PARTENAIRE.fields["nom"],
        CheckContext(communes=site.communes),
        ask,
        "nom",
    )
    kind = ask_choice("Type", options.get("type"), TYPES_PARTENAIRE, ask)
    commune = resolve_commune(site.communes, options.get("commune"), ask)
    epci = site.communes.get(commune).epci_siren
    path = _free_path(
        _folder(Path(site.config.PATH) / site.config.TERRITOIRE_PARTENAIRES_PATH),
        slugify(options.get("id") or nom),
        ".md",
    )
    path.write_text(
        f'---\nnom: {_yaml_str(nom)}\ntype: {kind}\ncommune: "{commune}"\nterritoire: ["{epci}"]\n'
        f"secteurs: [{', '.join(SECTEURS)}]\netapes: [{', '.join(ETAPES)}]\n---\n"
        f"{PLACEHOLDERS['partenaire']}\n",
        encoding="utf-8",
    )
    return path
