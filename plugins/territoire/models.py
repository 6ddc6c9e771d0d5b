"""The content models: one per kind, the single source of truth.

The validator, the JSON Schemas, the CMS configuration and the contributors' field tables
are all derived from these definitions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from . import fields as f
from .communes import fold

NATURES = {
    "reprise": "Reprise d'entreprise",
    "creation": "Activité à créer",
    "local": "Local professionnel",
    "foncier": "Foncier et terrain",
    "association": "Association",
}
SECTEURS = {
    "agriculture": "Agriculture",
    "artisanat": "Artisanat",
    "commerce": "Commerce",
    "industrie": "Industrie",
    "services": "Services",
    "tourisme": "Tourisme",
    "sante-social": "Santé et social",
}
STATUTS = {
    "disponible": "Disponible",
    "en-negociation": "En négociation",
    "conclue": "Conclue",
    "retiree": "Retirée",
}
TYPES_PARTENAIRE = {
    "cci": "Chambre de commerce et d'industrie",
    "chambre-metiers": "Chambre de métiers et de l'artisanat",
    "chambre-agriculture": "Chambre d'agriculture",
    "intercommunalite": "Communauté de communes",
    "plateforme-initiative": "Plateforme d'initiative locale",
    "financeur": "Financeur",
    "accompagnement": "Accompagnement et conseil",
    "parc": "Parc naturel régional",
    "autre": "Autre",
}
ETAPES = {
    "accueil": "Accueil",
    "idee": "Idée",
    "creation": "Création",
    "reprise": "Reprise",
    "financement": "Financement",
    "installation": "Installation",
    "suivi": "Suivi",
}
TYPES_EVENEMENT = {
    "projets-en-campagne": "Projets en campagne",
    "micro-marche": "Micro-marché",
    "salon": "Salon",
    "reunion": "Réunion d'information",
    "visite": "Visite",
    "autre": "Autre",
}

# A cross-field check: (cleaned data) → list of (field, French message).
CrossCheck = Callable[[dict[str, Any]], list[tuple[str, str]]]


@dataclass
class Model:
    kind: str  # "offre", "partenaire", "evenement"
    titre: str  # French name of the kind
    folder: str  # where its files live, for messages and docs
    fields: dict[str, f.Field]
    checks: list[CrossCheck] = field(default_factory=list)
    body_field: str | None = None  # Markdown body of a front-matter file

    @property
    def required(self) -> list[str]:
        return [name for name, fld in self.fields.items() if fld.required]

    def json_schema(self, base_url: str = "") -> dict:
        props = {name: fld.json_schema() for name, fld in self.fields.items() if name != self.body_field}
        return {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"{base_url}{self.kind}.schema.json",
            "title": self.titre,
            "description": f"Fichier {self.titre.lower()} du site ({self.folder}).",
            "type": "object",
            "properties": props,
            "required": [n for n in self.required if n != self.body_field],
            "additionalProperties": False,
        }


def _offer_dates(data: dict[str, Any]) -> list[tuple[str, str]]:
    found = []
    published = data.get("publiee_le")
    for name in ("expire_le", "conclue_le", "mise_a_jour"):
        value = data.get(name)
        if published and value and value < published:
            found.append(
                (
                    name,
                    f"la date {value.isoformat()} est antérieure à publiee_le ({published.isoformat()}) ; attendu : une date postérieure ou égale.",
                )
            )
    if data.get("statut") == "conclue" and not data.get("conclue_le"):
        found.append(
            (
                "statut",
                "une offre au statut « conclue » doit indiquer sa date de conclusion : ajoutez une ligne « conclue_le: AAAA-MM-JJ » (la date de la signature).",
            )
        )
    if data.get("conclue_le") and data.get("statut") not in (None, "conclue"):
        found.append(
            (
                "conclue_le",
                f"une date de conclusion est indiquée mais le statut est « {data.get('statut')} » ; mettez « statut: conclue » ou retirez la ligne conclue_le.",
            )
        )
    return found


def _event_dates(data: dict[str, Any]) -> list[tuple[str, str]]:
    start, end = data.get("debut"), data.get("fin")
    if start and end and end < start:
        return [
            (
                "fin",
                f"la fin ({end:%Y-%m-%d %H:%M}) précède le début ({start:%Y-%m-%d %H:%M}) ; attendu : une fin postérieure au début.",
            )
        ]
    return []


OFFRE = Model(
    kind="offre",
    titre="Offre d'activité",
    folder="offers/",
    fields={
        "reference": f.Reference(
            "Référence",
            "Code public unique de l'offre : les lettres du territoire, l'année, un numéro.",
            required=True,
            pattern=r"[A-Z]{2,4}-\d{4}-\d{3,4}",
            pattern_text="un code de 2 à 4 lettres, l'année et un numéro, comme AB-2026-014",
            max_length=20,
            exemple="AB-2026-014",
        ),
        "titre": f.Text(
            "Titre",
            "Titre de l'offre, tel qu'il apparaît sur le site.",
            required=True,
            min_length=3,
            max_length=120,
            exemple="Boulangerie à reprendre au cœur du bourg",
        ),
        "nature": f.Choice("Nature", "Nature de l'offre.", required=True, choices=NATURES),
        "secteur": f.Choice("Secteur", "Secteur d'activité.", required=True, choices=SECTEURS),
        "activite": f.Text(
            "Activité", "L'activité en quelques mots.", required=True, max_length=120, exemple="Boulangerie-pâtisserie"
        ),
        "commune": f.CommuneCode(
            "Commune", "Code INSEE de la commune, dans le territoire.", required=True, exemple="75056"
        ),
        "referent": f.PartnerRef(
            "Partenaire référent",
            "Identifiant du partenaire qui suit l'offre et reçoit les contacts.",
            required=True,
            exemple="cci-du-territoire",
        ),
        "statut": f.Choice("Statut", "Où en est l'offre.", required=True, choices=STATUTS),
        "publiee_le": f.Date("Publiée le", "Date de publication de l'offre.", required=True, exemple="2026-10-01"),
        "description": f.Markdown(
            "Description",
            "Présentation de l'offre en Markdown (sans adresse électronique ni téléphone).",
            required=True,
        ),
        "mise_a_jour": f.Date("Mise à jour", "Date de la dernière mise à jour."),
        "expire_le": f.Date("Expire le", "Date après laquelle l'offre n'est plus affichée."),
        "conclue_le": f.Date("Conclue le", "Date de conclusion (obligatoire si le statut est « conclue »)."),
        # The figures visitors read, on the page in this order; key_figure: their place on the
        # cards and in the PDF (the first three an offer has).
        "prix": f.Integer(
            "Prix de cession",
            "Prix demandé, en euros.",
            unite="euros",
            exemple=85000,
            short_label="Prix",
            key_figure=1,
            on_page=True,
            search_meta="prix",
        ),
        "loyer": f.Integer(
            "Loyer", "Loyer par mois, en euros.", unite="euros par mois", exemple=650, key_figure=2, on_page=True
        ),
        "chiffre_affaires": f.Integer(
            "Chiffre d'affaires",
            "Chiffre d'affaires annuel, en euros.",
            unite="euros par an",
            exemple=210000,
            key_figure=4,
            on_page=True,
        ),
        "effectif": f.Integer(
            "Effectif",
            "Nombre de salariés.",
            unite="personnes",
            exemple=3,
            counted=("salarié", "salariés", "aucun salarié"),
            key_figure=5,
            on_page=True,
        ),
        "surface": f.Integer(
            "Surface", "Surface en mètres carrés.", unite="m²", minimum=1, exemple=120, key_figure=3, on_page=True
        ),
        "logement": f.Boolean("Logement disponible", "Un logement est-il disponible avec l'activité ?"),
        "motif": f.Text("Motif", "Motif de la cession ou de l'offre.", max_length=300),
        "atouts": f.ListOf("Atouts", "Les points forts, un par ligne.", item=f.Text("Atout", max_length=200)),
        "aides": f.ListOf(
            "Aides mobilisables",
            "Aides et accompagnements possibles, un par ligne.",
            item=f.Text("Aide", max_length=200),
        ),
        "photos": f.ListOf("Photos", "Photos de l'offre, chacune avec son texte de remplacement.", item=f.Photo()),
        "contacts": f.Integer(
            "Contacts obtenus",
            "Nombre de candidats qui se sont renseignés (pour le bilan annuel).",
            unite="personnes",
            exemple=4,
        ),
    },
    checks=[_offer_dates],
)

PARTENAIRE = Model(
    kind="partenaire",
    titre="Partenaire",
    folder="content/partenaires/",
    body_field="presentation",
    fields={
        "nom": f.Text("Nom", "Nom complet de la structure.", required=True, min_length=3, max_length=150),
        "sigle": f.Text("Sigle", "Nom court ou sigle.", max_length=40),
        "type": f.Choice("Type", "Type de structure.", required=True, choices=TYPES_PARTENAIRE),
        "commune": f.CommuneCode(
            "Commune", "Code INSEE de la commune du siège, dans le territoire.", required=True, exemple="75056"
        ),
        "adresse": f.Text("Adresse", "Adresse postale.", max_length=200),
        "telephone": f.Phone("Téléphone", "Numéro de téléphone.", exemple="04 65 71 00 00"),
        "courriel": f.Email("Courriel", "Adresse électronique de contact.", exemple="contact@exemple.org"),
        "site": f.Url("Site web", "Adresse du site web.", max_length=300),
        "territoire": f.ListOf(
            "Territoire couvert",
            "Intercommunalités (code SIREN) ou départements couverts.",
            required=True,
            min_items=1,
            item=f.TerritoryCode("Code"),
        ),
        "secteurs": f.ListOf(
            "Secteurs",
            "Secteurs d'activité accompagnés.",
            required=True,
            min_items=1,
            item=f.Choice("Secteur", choices=SECTEURS),
        ),
        "etapes": f.ListOf(
            "Étapes",
            "Étapes du projet accompagnées.",
            required=True,
            min_items=1,
            item=f.Choice("Étape", choices=ETAPES),
        ),
        "reseau_local": f.LocalNetwork("Réseau local", "Réseau local du réseau auquel la structure participe."),
        "photos": f.ListOf(
            "Photos",
            "Photos de la structure (locaux, équipe, accueil), chacune avec son texte de remplacement ; fichiers dans content/images/partenaires/.",
            item=f.Photo(folder="images/partenaires"),
        ),
        "logo": f.LogoFile(
            "Logo",
            "Nom du fichier du logo dans content/images/partenaires/ (SVG ou PNG de préférence) ; il figure sur la page d'accueil et sur la page du partenaire.",
            max_length=120,
        ),
        "presentation": f.Markdown(
            "Présentation",
            "Présentation de la structure (corps du fichier, en Markdown).",
            required=True,
            personal_data=False,
        ),
    },
)

EVENEMENT = Model(
    kind="evenement",
    titre="Événement",
    folder="content/evenements/",
    body_field="description",
    fields={
        "titre": f.Text("Titre", "Titre de l'événement.", required=True, min_length=3, max_length=150),
        "type": f.Choice("Type", "Type d'événement.", required=True, choices=TYPES_EVENEMENT),
        "debut": f.DateTime(
            "Début", "Date et heure de début (heure de Paris).", required=True, exemple="2027-03-14 10:00"
        ),
        "fin": f.DateTime("Fin", "Date et heure de fin (heure de Paris).", required=True, exemple="2027-03-14 18:00"),
        "lieu": f.Text("Lieu", "Lieu précis (salle, adresse).", required=True, max_length=200),
        "commune": f.CommuneCode(
            "Commune",
            "Code INSEE de la commune (toute commune française).",
            required=True,
            territory=False,
            exemple="75056",
        ),
        "partenaires": f.ListOf(
            "Partenaires", "Identifiants des partenaires qui participent.", item=f.PartnerRef("Partenaire")
        ),
        "inscription": f.Url("Inscription", "Adresse web du formulaire d'inscription.", max_length=300),
        "photos": f.ListOf(
            "Photos",
            "Photos de l'événement ou du lieu, chacune avec son texte de remplacement ; fichiers dans content/images/evenements/.",
            item=f.Photo(folder="images/evenements"),
        ),
        "description": f.Markdown(
            "Description", "Présentation de l'événement (corps du fichier, en Markdown).", required=True
        ),
    },
    checks=[_event_dates],
)

# The yearly figures a network reports about project holders, in the words of the founding
# document's « Bilan de l'année 2004 » (seed 003). Field → the document's wording.
INDICATEURS_BILAN = {
    "projets_rencontres": "Nombre de projets rencontrés",
    "porteurs_avec_referent": "Nombre de porteurs de projets ayant un référent",
    "projets_effet_reseau": "Nombre de projets ayant bénéficié d'un effet du travail en réseau",
    "activites_installees": "Nombre d'activités installées",
    "installees_suivi_post_creation": "Nombre d'activités installées ayant bénéficié d'un suivi post création",
    "offres_diffusees": "Nombre d'offres d'activités diffusées",
    "contacts_offres": "Nombre de contacts obtenus pour ces offres",
    "installations_offres": "Nombre des installations réalisées par l'intermédiaire des offres diffusées",
}
# A part can never exceed its whole: (part, whole).
BILAN_PARTS = [
    ("porteurs_avec_referent", "projets_rencontres"),
    ("projets_effet_reseau", "projets_rencontres"),
    ("installees_suivi_post_creation", "activites_installees"),
    ("installations_offres", "offres_diffusees"),
    ("installations_offres", "activites_installees"),
]


def _bilan_counts(data: dict[str, Any]) -> list[tuple[str, str]]:
    found = []
    if not any(data.get(name) is not None for name in INDICATEURS_BILAN):
        found.append(
            (
                "annee",
                f"le fichier ne donne aucun chiffre ; attendu : au moins un des champs {', '.join(INDICATEURS_BILAN)}.",
            )
        )
    for part, whole in BILAN_PARTS:
        if data.get(part) is not None and data.get(whole) is not None and data[part] > data[whole]:
            found.append(
                (
                    part,
                    f"{data[part]} dépasse {whole} ({data[whole]}), dont il fait partie ; attendu : un nombre au plus égal à {data[whole]}.",
                )
            )
    return found


def _count(name: str, titre: str, exemple: int) -> f.Integer:
    return f.Integer(
        titre,
        f"{INDICATEURS_BILAN[name]} dans l'année (un total, aucune donnée personnelle).",
        exemple=exemple,
        maximum=1_000_000,
    )


BILAN = Model(
    kind="bilan",
    titre="Bilan annuel",
    folder="content/bilan/",
    fields={
        "annee": f.Integer(
            "Année",
            "L'année dont le fichier donne les chiffres (le fichier s'appelle ANNÉE.yaml).",
            required=True,
            minimum=1950,
            maximum=2100,
            exemple=2004,
        ),
        "projets_rencontres": _count("projets_rencontres", "Projets rencontrés", 540),
        "porteurs_avec_referent": _count("porteurs_avec_referent", "Porteurs ayant un référent", 220),
        "projets_effet_reseau": _count("projets_effet_reseau", "Projets aidés par le travail en réseau", 115),
        "activites_installees": _count("activites_installees", "Activités installées", 88),
        "installees_suivi_post_creation": _count(
            "installees_suivi_post_creation", "Installées avec un suivi post création", 17
        ),
        "offres_diffusees": _count("offres_diffusees", "Offres d'activités diffusées", 20),
        "contacts_offres": _count("contacts_offres", "Contacts obtenus pour ces offres", 85),
        "installations_offres": _count("installations_offres", "Installations grâce aux offres", 3),
        "offres_diffusees_dans": f.Text(
            "Support de diffusion des offres",
            "Où les offres ont été diffusées (un magazine, la bourse du site…).",
            max_length=120,
            exemple="Village Magazine",
        ),
        "provenance": f.Text(
            "Provenance",
            "D'où viennent ces chiffres (document, comité de suivi…).",
            max_length=250,
            exemple="Bilan de l'année 2004 présenté au comité de suivi",
        ),
    },
    checks=[_bilan_counts],
)

MODELS = {m.kind: m for m in (OFFRE, PARTENAIRE, EVENEMENT, BILAN)}


def check_record(
    model: Model, data: dict[str, Any], ctx: f.CheckContext, raw: dict[tuple, str], body: str | None = None
) -> tuple[dict[str, Any], list[tuple[str, tuple, str]]]:
    """Check one file's data (and Markdown body, for front-matter files) against its model.

    Returns the cleaned data and a list of (field, sub-path, French message); the sub-path is
    None when the problem is the field's name itself (an unknown field).
    """
    cleaned: dict[str, Any] = {}
    problems: list[tuple[str, tuple, str]] = []
    for name in data:
        if name == model.body_field:
            problems.append(
                (
                    name,
                    (),
                    f"« {name} » s'écrit sous l'en-tête, après la ligne « --- » qui le ferme, pas comme un champ.",
                )
            )
        elif name not in model.fields:
            suggestion = f.closest(name, list(model.fields))
            hint = f" ; vouliez-vous dire « {suggestion} » ?" if suggestion else "."
            problems.append(
                (
                    name,
                    None,
                    f"le champ « {name} » n'existe pas{hint} Champs permis : {', '.join(n for n in model.fields if n != model.body_field)}.",
                )
            )
    if model.body_field:
        data = {**data, model.body_field: body}
    for name, fld in model.fields.items():
        value = data.get(name)
        if value is None or value == "":
            if fld.required:
                label = "" if fold(fld.titre) == fold(name) else f" ({fld.titre.lower()})"
                problems.append(
                    (name, (), f"le champ obligatoire « {name} »{label} manque ; attendu : {fld.expected_in(ctx)}.")
                )
            continue
        ctx.raw = raw.get((name,))
        try:
            cleaned[name] = fld.check(value, ctx)
        except f.Invalid as exc:
            problems.append(
                (name, exc.path if exc.needle is None else ("@needle", exc.needle), f"{name} : {exc.message}")
            )
    ctx.raw = None
    if not problems:
        for check in model.checks:
            problems.extend((name, (), f"{name} : {message}") for name, message in check(cleaned))
    return cleaned, problems


def offer_price(offer) -> str | None:
    """The price, else the rent, as the offer's page shows it (« 85 000 € », « 650 € par mois »):
    the one figure cards, map popups and sharing images name beside the commune."""
    for name in ("prix", "loyer"):
        value = getattr(offer, name, None)
        if value is not None:
            return OFFRE.fields[name].display(value)
    return None
