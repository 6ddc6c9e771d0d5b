"""The Decap CMS configuration (/admin/config.yml), generated from the content models.

Every field of models.py becomes a Decap widget with its French label and hint; enumerations
become selects, partner references relations to the partners collection, and communes of
the territory a select by name whose stored value is the INSEE code. The YAML Decap writes
with this configuration is read back by our loader (dates as AAAA-MM-JJ, codes as strings).
"""

from __future__ import annotations

from typing import Any

import yaml

from . import fields as f
from . import settings as conf
from .models import BILAN, EVENEMENT, OFFRE, PARTENAIRE, Model

DATE_FORMAT = "YYYY-MM-DD"  # what our loader reads (moment.js tokens)
DATETIME_FORMAT = "YYYY-MM-DD HH:mm"
SHOWN_DATE = "DD/MM/YYYY"
SHOWN_TIME = "HH:mm"
# Pelican pages (content/pages/) keep their `Key: value` header: see theme/static/js/admin.js.
PAGE_FORMAT = "pelican-markdown"


def _base(name: str, fld: f.Field) -> dict[str, Any]:
    out: dict[str, Any] = {"name": name, "label": fld.titre, "required": bool(fld.required)}
    if fld.description:
        out["hint"] = fld.description
    return out


def _length_pattern(fld: f.Text) -> list[str]:
    return [rf"^[\s\S]{{0,{fld.max_length}}}$", f"Au plus {fld.max_length} caractères."]


def _options(choices: dict[str, str]) -> list[dict[str, str]]:
    return [{"label": label, "value": value} for value, label in choices.items()]


def _relation(multiple: bool = False) -> dict[str, Any]:
    out = {
        "widget": "relation",
        "collection": "partenaires",
        "value_field": "{{slug}}",
        "search_fields": ["nom", "sigle"],
        "display_fields": ["nom"],
        "options_length": 100,
    }
    if multiple:
        out["multiple"] = True
    return out


def widget(name: str, fld: f.Field, ctx: dict[str, Any]) -> dict[str, Any]:
    """The Decap field for one model field (``ctx``: communes, territory codes, local networks)."""
    out = _base(name, fld)
    if isinstance(fld, f.Markdown):
        out["widget"] = "markdown"
        out["buttons"] = ["bold", "italic", "link", "heading-two", "heading-three", "quote", "bulleted-list", "numbered-list"]
        out["editor_components"] = []
        out["modes"] = ["rich_text", "raw"]
    elif isinstance(fld, f.Pattern):
        out.update(widget="string", pattern=[f"^{fld.pattern}$", f"Attendu : {fld.pattern_text}."])
    elif isinstance(fld, f.Url):
        out.update(widget="string", pattern=[f.URL_PATTERN, "Attendu : une adresse web complète commençant par https://."])
    elif isinstance(fld, f.Email):
        out.update(widget="string", pattern=[r"^[\w.+-]+@[\w-]+(\.[\w-]+)+$", f"Attendu : {fld.expected()}."])
    elif isinstance(fld, f.Phone):
        out.update(widget="string", pattern=[r"^(\+33 ?|0)[1-9]([ .-]?\d{2}){4}$", f"Attendu : {fld.expected()}."])
    elif isinstance(fld, f.LogoFile):
        out.update(widget="image", choose_url=False, media_folder=f"/{ctx['content_folder']}/{f.LogoFile.FOLDER}", public_folder="")
    elif isinstance(fld, f.PhotoFile):
        out.update(widget="image", choose_url=False, media_folder="/" + ctx["photos_folder"], public_folder="")
    elif isinstance(fld, f.Text):
        out["widget"] = "string" if fld.max_length <= 250 else "text"
        out["pattern"] = _length_pattern(fld)
    elif isinstance(fld, f.Choice):
        out.update(widget="select", options=_options(fld.choices))
    elif isinstance(fld, f.LocalNetwork):
        out.update(widget="select", options=_options(ctx["reseaux_locaux"]))
    elif isinstance(fld, f.Integer):
        out.update(widget="number", value_type="int", min=fld.minimum, step=1)
        if fld.maximum is not None:
            out["max"] = fld.maximum
    elif isinstance(fld, f.Boolean):
        out.update(widget="boolean", default=False)
    elif isinstance(fld, f.DateTime):
        out.update(widget="datetime", format=DATETIME_FORMAT, date_format=SHOWN_DATE, time_format=SHOWN_TIME)
    elif isinstance(fld, f.Date):
        out.update(widget="datetime", format=DATE_FORMAT, date_format=SHOWN_DATE, time_format=False)
    elif isinstance(fld, f.CommuneCode):
        if fld.territory:
            out.update(widget="select", options=ctx["communes"])
            out["hint"] = "La commune, dans le territoire : tapez les premières lettres de son nom."
        else:
            out.update(widget="string", pattern=["^[0-9][0-9AB][0-9]{3}$", "Attendu : le code INSEE à 5 caractères de la commune, par exemple 63113."])
    elif isinstance(fld, f.PartnerRef):
        out.update(_relation())
        out["hint"] = fld.description.replace("Identifiant du partenaire", "Le partenaire").rstrip(".") + " : tapez son nom ou son sigle."
    elif isinstance(fld, f.TerritoryCode):
        out.update(widget="select", options=ctx["territoires"])
    elif isinstance(fld, f.ListOf):
        item = fld.item
        if isinstance(item, f.Choice):
            out.update(widget="select", multiple=True, options=_options(item.choices))
        elif isinstance(item, f.PartnerRef):
            out.update(_relation(multiple=True))
        elif isinstance(item, f.TerritoryCode):
            out.update(widget="select", multiple=True, options=ctx["territoires"])
        elif isinstance(item, f.Record):
            out.update(
                widget="list",
                label_singular=item.titre,
                summary="{{fields.alt}}",
                fields=[widget(n, sub, ctx) for n, sub in item.fields.items()],
            )
        else:
            out.update(widget="list", label_singular=item.titre, field=widget(name, item, ctx) | {"label": item.titre, "required": True})
            out["field"].pop("hint", None)
        if fld.min_items:
            out["min"] = fld.min_items
    elif isinstance(fld, f.Record):
        out.update(widget="object", fields=[widget(n, sub, ctx) for n, sub in fld.fields.items()])
    else:
        out["widget"] = "string"
    return out


def model_fields(model: Model, ctx: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for name, fld in model.fields.items():
        field = widget(name, fld, ctx)
        if name == model.body_field:
            field["name"] = "body"  # Decap writes the `body` field below the front matter
        out.append(field)
    return out


def _context(site) -> dict[str, Any]:
    settings = site.settings
    communes = [{"label": c.nom, "value": c.insee} for c in site.communes.territory()]
    departements: dict[str, str] = {}
    for c in site.communes.territory():
        departements.setdefault(c.departement, c.departement_nom)
    territoires = [
        {"label": site.communes.epci_names.get(code, code), "value": code}
        for code in conf.get(settings, "TERRITOIRE_EPCI")
    ] + [{"label": f"{name} ({code})", "value": code} for code, name in sorted(departements.items())]
    return {
        "communes": communes,
        "territoires": territoires,
        "reseaux_locaux": conf.get(settings, "TERRITOIRE_RESEAUX_LOCAUX"),
        "photos_folder": f"{_content_folder(settings)}/{conf.get(settings, 'TERRITOIRE_PHOTOS_PATH')}",
        "content_folder": _content_folder(settings),
    }


def _content_folder(settings: dict[str, Any]) -> str:
    """PATH relative to the project root, as Decap sees the repository."""
    from pathlib import Path

    root = conf.project_root(settings).resolve()
    content = Path(settings["PATH"]).resolve()
    try:
        return content.relative_to(root).as_posix()
    except ValueError:
        return "content"


SLUG_PATTERN = "^[a-z0-9]+(-[a-z0-9]+)*(/[a-z0-9]+(-[a-z0-9]+)*)*$"
BROCHURE_SLUG_PATTERN = "^accueil(/[a-z0-9]+(-[a-z0-9]+)*)?$"


def _page_fields(slug_pattern: str, example: str, expected: str, ordre: bool = False) -> list[dict[str, Any]]:
    """The fields of a Pelican page (its `Key: value` header and its text); ``ordre`` adds the
    chapter number of the brochure's pages."""
    fields: list[dict[str, Any]] = [
        {"name": "title", "label": "Titre", "widget": "string", "required": True, "hint": "Titre de la page."},
        {"name": "slug", "label": "Adresse", "widget": "string", "required": True, "hint": f"Adresse de la page sur le site, en minuscules et tirets (par exemple {example}).", "pattern": [slug_pattern, expected]},
    ]
    if ordre:
        fields.append({"name": "ordre", "label": "Numéro du chapitre", "widget": "number", "value_type": "int", "min": 0, "required": True, "hint": "Place du chapitre dans la plaquette (0 pour la page d'entrée, 1 pour le premier chapitre)."})
    fields += [
        {"name": "summary", "label": "Résumé", "widget": "text", "required": False, "hint": "Une phrase qui résume la page (moteurs de recherche, listes)."},
        {"name": "body", "label": "Texte", "widget": "markdown", "required": True, "modes": ["rich_text", "raw"], "editor_components": []},
    ]
    return fields


def config(site, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """The whole Decap configuration for a loaded site, as a dict (see ``dump``)."""
    settings = {**site.settings, **(overrides or {})}
    ctx = _context(site)
    content = _content_folder(settings)
    offers_folder = conf.get(settings, "TERRITOIRE_OFFRES_PATH")
    backend = dict(conf.get(settings, "TERRITOIRE_CMS_BACKEND"))
    backend.setdefault("branch", "main")
    backend.setdefault("commit_messages", {
        "create": "Ajout : {{collection}} « {{slug}} »",
        "update": "Modification : {{collection}} « {{slug}} »",
        "delete": "Suppression : {{collection}} « {{slug}} »",
        "uploadMedia": "Ajout de l'image « {{path}} »",
        "deleteMedia": "Suppression de l'image « {{path}} »",
    })
    out: dict[str, Any] = {"backend": backend}
    local = conf.get(settings, "TERRITOIRE_CMS_LOCAL_BACKEND")
    if local:
        out["local_backend"] = local
    if conf.get(settings, "TERRITOIRE_CMS_EDITORIAL_WORKFLOW"):
        out["publish_mode"] = "editorial_workflow"
    out["locale"] = "fr"
    if settings.get("SITEURL"):
        out["site_url"] = settings["SITEURL"]
        out["display_url"] = settings["SITEURL"]
    out["media_folder"] = ctx["photos_folder"]
    out["public_folder"] = "/" + conf.get(settings, "TERRITOIRE_PHOTOS_PATH")
    out["slug"] = {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"}
    out["collections"] = [
        {
            "name": "offres",
            "label": "Offres d'activités",
            "label_singular": "Offre d'activité",
            "description": "Les entreprises à reprendre, activités à créer, locaux et terrains (un fichier YAML par offre, dans offers/).",
            "folder": offers_folder,
            "extension": "yaml",
            "format": "yaml",
            "create": True,
            "delete": False,
            "slug": "{{titre}}",
            "identifier_field": "titre",
            "summary": "{{reference}} — {{titre}} ({{statut}})",
            "sortable_fields": ["publiee_le", "reference", "titre"],
            "view_filters": [{"label": label, "field": "statut", "pattern": f"^{code}$"} for code, label in OFFRE.fields["statut"].choices.items()],
            "fields": model_fields(OFFRE, ctx),
        },
        {
            "name": "partenaires",
            "label": "Partenaires",
            "label_singular": "Partenaire",
            "description": "Les structures du réseau (leur identifiant est le nom du fichier, sans « .md »).",
            "folder": f"{content}/{conf.get(settings, 'TERRITOIRE_PARTENAIRES_PATH')}",
            "extension": "md",
            "format": "frontmatter",
            "create": True,
            "delete": False,
            "slug": "{{nom}}",
            "identifier_field": "nom",
            "sortable_fields": ["nom"],
            "fields": model_fields(PARTENAIRE, ctx),
        },
        {
            "name": "evenements",
            "label": "Événements",
            "label_singular": "Événement",
            "description": "Réunions, salons, visites et marchés du réseau.",
            "folder": f"{content}/{conf.get(settings, 'TERRITOIRE_EVENEMENTS_PATH')}",
            "extension": "md",
            "format": "frontmatter",
            "create": True,
            "delete": False,
            "slug": "{{titre}}",
            "identifier_field": "titre",
            "summary": "{{titre}} ({{debut}})",
            "sortable_fields": ["debut", "titre"],
            "fields": model_fields(EVENEMENT, ctx),
        },
        {
            "name": "pages",
            "label": "Pages",
            "label_singular": "Page",
            "description": "Les pages du site (mentions légales, accessibilité…). Les chapitres de la plaquette d'accueil sont dans « Plaquette d'accueil ».",
            "folder": f"{content}/pages",
            "extension": "md",
            "format": PAGE_FORMAT,
            "create": True,
            "delete": False,
            "slug": "{{slug}}",
            "identifier_field": "title",
            "fields": _page_fields(SLUG_PATTERN, "mentions-legales", "Attendu : des minuscules sans accents, des chiffres et des tirets."),
        },
        {
            "name": "plaquette",
            "label": "Plaquette d'accueil",
            "label_singular": "Chapitre de la plaquette",
            "description": "Les chapitres de la plaquette d'accueil (/accueil/ et son PDF), dans l'ordre de leur numéro.",
            "folder": f"{content}/pages/accueil",
            "extension": "md",
            "format": PAGE_FORMAT,
            "create": True,
            "delete": False,
            "slug": "{{title}}",
            "identifier_field": "title",
            "sortable_fields": ["ordre", "title"],
            "summary": "{{ordre}}. {{title}}",
            "fields": _page_fields(BROCHURE_SLUG_PATTERN, "accueil/s-installer", "Attendu : des minuscules sans accents, des chiffres et des tirets, après « accueil/ ».", ordre=True),
        },
        {
            "name": "bilan",
            "label": "Bilan annuel",
            "label_singular": "Bilan d'une année",
            "description": "Les chiffres d'une année du réseau (porteurs de projets rencontrés, installés…), saisis par la coordination : des totaux, aucune donnée personnelle. Affichés sur /reseau/bilan/.",
            "folder": f"{content}/{conf.get(settings, 'TERRITOIRE_BILAN_PATH')}",
            "extension": "yaml",
            "format": "yaml",
            "create": True,
            "delete": False,
            "slug": "{{annee}}",
            "identifier_field": "annee",
            "summary": "{{annee}}",
            "sortable_fields": ["annee"],
            "fields": model_fields(BILAN, ctx),
        },
    ]
    return out


def dump(data: dict[str, Any]) -> str:
    header = "# Configuration de Decap CMS, produite à partir des modèles (plugins/territoire/cms.py) : ne pas modifier à la main.\n"
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000, default_flow_style=False)
