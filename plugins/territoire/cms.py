"""The Decap CMS configuration (/admin/config.yml), generated from the content models.

Every field of models.py becomes a Decap widget with its French label and hint; enumerations
become selects, partner references relations to the partners collection, and communes of
the territory a select by name whose stored value is the INSEE code. The YAML Decap writes
with this configuration is read back by our loader (dates as AAAA-MM-JJ, codes as strings).
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import yaml

from . import fields as f
from . import images
from .communes import fold
from .config import Config, read_config
from .models import BILAN, EVENEMENT, OFFRE, PARTENAIRE, Model
from .routes import address
from .validate import next_reference, reference_prefix
from .warnings import SCHEMA_LINE

# Pelican pages (content/pages/) keep their `Key: value` header: see theme/static/js/admin.js.
PAGE_FORMAT = "pelican-markdown"
# The Decap formats of admin.js that write files as partners write them (one per kind).
FORMATS = {"offre": "territoire-offre", "partenaire": "territoire-partenaire", "evenement": "territoire-evenement"}


def widget(name: str, fld: f.Field, ctx: dict[str, Any]) -> dict[str, Any]:
    """The Decap field for one model field (``ctx``: see ``Field.decap_widget``)."""
    return fld.decap_widget(name, ctx)


def model_fields(model: Model, ctx: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for name, fld in model.fields.items():
        field = fld.decap_widget(name, ctx)
        if name == model.body_field:
            field["name"] = "body"  # Decap writes the `body` field below the front matter
        out.append(field)
    return out


def _context(site, cfg: Config) -> dict[str, Any]:
    communes = [{"label": c.nom, "value": c.insee} for c in site.communes.territory()]
    departements: dict[str, str] = {}
    for c in site.communes.territory():
        departements.setdefault(c.departement, c.departement_nom)
    territoires = [
        {"label": site.communes.epci_names.get(code, code), "value": code} for code in cfg.TERRITOIRE_EPCI
    ] + [{"label": f"{name} ({code})", "value": code} for code, name in sorted(departements.items())]
    partners = [
        {"label": f"{p.nom} ({p.sigle})" if p.sigle else p.nom, "value": p.slug}
        for p in sorted(site.partners.values(), key=lambda p: fold(p.nom))
    ]
    return {
        "communes": communes,
        "partenaires": partners,
        "territoires": territoires,
        "reseaux_locaux": cfg.TERRITOIRE_RESEAUX_LOCAUX,
        "photos_folder": f"{_content_folder(cfg)}/{cfg.TERRITOIRE_PHOTOS_PATH}",
        # A photo heavier or smaller than validation accepts is refused by the form before it is sent.
        "photo_limits": images.limits(cfg),
        "content_folder": _content_folder(cfg),
    }


# The options of a search among all French communes (an event's commune): too many for
# config.yml, they are a file of their own beside it, read by admin.js when the form needs it.
COMMUNES_FRANCE = "communes.json"


def communes_france(site) -> str:
    """Every French commune as a search option, « Nom (département) », by folded name."""
    communes = sorted(site.communes.by_code.values(), key=lambda c: (fold(c.nom), c.departement, c.insee))
    options = [{"label": f"{c.nom} ({c.departement_nom})", "value": c.insee} for c in communes]
    return json.dumps(options, ensure_ascii=False, separators=(",", ":"))


# What admin.js shows a code as (the preview, the search by commune name): the label tables the
# site itself uses (the models' choices, the communes and partners of the site), one file beside
# config.yml, read by admin.js before the CMS starts.
LABELS = "libelles.json"
PREVIEWED = {"offres": OFFRE, "partenaires": PARTENAIRE, "evenements": EVENEMENT}


def _shown_as(fld: f.Field, ctx: dict[str, Any]) -> dict[str, Any]:
    """How the preview shows a field's value: « libelles » (code → label), « recherche » (its
    search widget's own preview: a commune or partner by name), « unite », « date », « texte »
    (Markdown), « photos »; nothing for a text shown as written."""
    item = fld.item if isinstance(fld, f.ListOf) else fld
    if isinstance(item, f.Choice):
        return {"libelles": dict(item.choices)}
    if isinstance(item, f.Boolean):
        return {"libelles": {"true": "Oui", "false": "Non", "oui": "Oui", "non": "Non"}}
    if isinstance(item, f.TerritoryCode):
        return {"libelles": {o["value"]: o["label"] for o in ctx["territoires"]}}
    if isinstance(item, f.LocalNetwork):
        return {"libelles": dict(ctx["reseaux_locaux"])}
    if isinstance(item, f.PartnerRef) and isinstance(fld, f.ListOf):
        return {"libelles": {o["value"]: o["label"] for o in ctx["partenaires"]}}
    if isinstance(item, (f.CommuneCode, f.PartnerRef)):
        return {"recherche": True}
    if isinstance(item, f.Integer):
        return {"unite": item.unite}
    if isinstance(item, (f.Date, f.DateTime)):
        return {"date": True}
    if isinstance(item, f.Markdown):
        return {"texte": True}
    if isinstance(item, f.Photo):
        return {"photos": True}
    return {}


def labels(site) -> str:
    """libelles.json: for each previewed collection, its fields in order (name as Decap holds it,
    French label, how the value shows), its title field; and the territory's communes by code."""
    ctx = _context(site, site.config)
    collections = {}
    for name, model in PREVIEWED.items():
        fields = [
            {"nom": "body" if n == model.body_field else n, "titre": fld.titre, **_shown_as(fld, ctx)}
            for n, fld in model.fields.items()
        ]
        collections[name] = {"titre": "nom" if "nom" in model.fields else "titre", "champs": fields}
    communes = {c["value"]: c["label"] for c in ctx["communes"]}
    limits = ctx["photo_limits"]
    photos = {name: limits[name] for name in ("poids_max", "largeur_min", "hauteur_min")}
    data = {"collections": collections, "communes": communes, "photos": photos}
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _content_folder(cfg: Config) -> str:
    """PATH relative to the project root, as Decap sees the repository."""
    root = cfg.ROOT.resolve()
    content = Path(cfg.PATH).resolve()
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
        {
            "name": "slug",
            "label": "Adresse",
            "widget": "string",
            "required": True,
            "hint": f"Adresse de la page sur le site, en minuscules et tirets (par exemple {example}).",
            "pattern": [slug_pattern, expected],
        },
    ]
    if ordre:
        fields.append(
            {
                "name": "ordre",
                "label": "Numéro du chapitre",
                "widget": "number",
                "value_type": "int",
                "min": 0,
                "required": True,
                "hint": "Place du chapitre dans la plaquette (0 pour la page d'entrée, 1 pour le premier chapitre).",
            }
        )
    fields += [
        {
            "name": "summary",
            "label": "Résumé",
            "widget": "text",
            "required": False,
            "hint": "Une phrase qui résume la page (moteurs de recherche, listes).",
        },
        {
            "name": "body",
            "label": "Texte",
            "widget": "markdown",
            "required": True,
            "modes": ["rich_text", "raw"],
            "editor_components": [],
        },
    ]
    return fields


def config(site, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """The whole Decap configuration for a loaded site, as a dict (see ``dump``); ``overrides``
    replaces settings (checked as pelicanconf.py's), e.g. the local backend of a test."""
    cfg = read_config({**site.settings, **overrides})[0] if overrides else site.config
    ctx = _context(site, cfg)
    content = _content_folder(cfg)
    backend = dict(cfg.TERRITOIRE_CMS_BACKEND)
    backend.setdefault("branch", "main")
    backend.setdefault(
        "commit_messages",
        {
            "create": "Ajout : {{collection}} « {{slug}} »",
            "update": "Modification : {{collection}} « {{slug}} »",
            "delete": "Suppression : {{collection}} « {{slug}} »",
            "uploadMedia": "Ajout de l'image « {{path}} »",
            "deleteMedia": "Suppression de l'image « {{path}} »",
        },
    )
    out: dict[str, Any] = {"backend": backend}
    if cfg.TERRITOIRE_CMS_LOCAL_BACKEND:
        out["local_backend"] = cfg.TERRITOIRE_CMS_LOCAL_BACKEND
    if cfg.TERRITOIRE_CMS_EDITORIAL_WORKFLOW:
        out["publish_mode"] = "editorial_workflow"
    out["locale"] = "fr"
    if cfg.SITEURL:
        out["site_url"] = cfg.SITEURL
        out["display_url"] = cfg.SITEURL
    # The login page shows the site's name in its colours (admin/logo.svg, see ``logo``).
    out["logo"] = {"src": f"{cfg.SITEURL}/{address('admin-logo')}", "show_in_header": True}
    out["media_folder"] = ctx["photos_folder"]
    out["public_folder"] = "/" + cfg.TERRITOIRE_PHOTOS_PATH
    out["slug"] = {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"}
    out["collections"] = [
        {
            "name": "offres",
            "label": "Offres d'activités",
            "label_singular": "Offre d'activité",
            "description": "Les entreprises à reprendre, activités à créer, locaux et terrains (un fichier YAML par offre, dans offers/).",
            "folder": cfg.TERRITOIRE_OFFRES_PATH,
            "extension": "yaml",
            "format": FORMATS["offre"],
            "create": True,
            "delete": False,
            "slug": "{{titre}}",
            "identifier_field": "titre",
            # commune_nom and commune_recherche: the commune's name and its spellings without
            # accents, added by admin.js when it reads the file (never written): the list shows
            # the name, Decap's search (which reads the summary's fields) finds both; the
            # ternary filter keeps the spellings out of sight.
            "summary": "{{reference}} — {{titre}}, {{commune_nom}} ({{statut}}){{commune_recherche | ternary('', '')}}",
            "sortable_fields": ["publiee_le", "reference", "titre"],
            "view_filters": [
                {"label": label, "field": "statut", "pattern": f"^{code}$"}
                for code, label in OFFRE.fields["statut"].choices.items()
            ],
            "fields": _with_next_reference(model_fields(OFFRE, ctx), site),
        },
        {
            "name": "partenaires",
            "label": "Partenaires",
            "label_singular": "Partenaire",
            "description": "Les structures du réseau (leur identifiant est le nom du fichier, sans « .md »).",
            "folder": f"{content}/{cfg.TERRITOIRE_PARTENAIRES_PATH}",
            "extension": "md",
            "format": FORMATS["partenaire"],
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
            "folder": f"{content}/{cfg.TERRITOIRE_EVENEMENTS_PATH}",
            "extension": "md",
            "format": FORMATS["evenement"],
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
            "fields": _page_fields(
                SLUG_PATTERN, "mentions-legales", "Attendu : des minuscules sans accents, des chiffres et des tirets."
            ),
        },
        {
            "name": "plaquette",
            "label": "Plaquette d'accueil",
            "label_singular": "Chapitre de la plaquette",
            "description": f"Les chapitres de la plaquette d'accueil (/{address('accueil')} et son PDF), dans l'ordre de leur numéro.",
            "folder": f"{content}/pages/accueil",
            "extension": "md",
            "format": PAGE_FORMAT,
            "create": True,
            "delete": False,
            "slug": "{{title}}",
            "identifier_field": "title",
            "sortable_fields": ["ordre", "title"],
            "summary": "{{ordre}}. {{title}}",
            "fields": _page_fields(
                BROCHURE_SLUG_PATTERN,
                f"{address('accueil')}s-installer",
                f"Attendu : des minuscules sans accents, des chiffres et des tirets, après « {address('accueil')} ».",
                ordre=True,
            ),
        },
        {
            "name": "bilan",
            "label": "Bilan annuel",
            "label_singular": "Bilan d'une année",
            "description": f"Les chiffres d'une année du réseau (porteurs de projets rencontrés, installés…), saisis par la coordination : des totaux, aucune donnée personnelle. Affichés sur /{address('bilan')}.",
            "folder": f"{content}/{cfg.TERRITOIRE_BILAN_PATH}",
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


def _with_next_reference(fields: list[dict[str, Any]], site) -> list[dict[str, Any]]:
    """A new offer's form starts with the next free reference of the year (the build's)."""
    references = [o.reference for o in site.offers]
    prefix = reference_prefix(site.config, references)
    free = next_reference(references, f"{prefix}-{site.build_date.year}-000")
    for field in fields:
        if field["name"] == "reference":
            field["default"] = free
            field["hint"] += f" La prochaine libre est proposée ({free}) ; gardez-la."
    return fields


def formats() -> dict[str, dict[str, Any]]:
    """What admin.js needs to write each kind of file as partners do (given to it in /admin/'s
    page): the fields in their usual order (an offer's Markdown description last), the yes/no
    fields, the schema line of offers, whether a Markdown text follows a YAML header."""
    out = {}
    for model in (OFFRE, PARTENAIRE, EVENEMENT):
        order = [n for n in model.fields if n != model.body_field]
        markdown = [n for n in order if model.fields[n].decap_format == "block"]
        order = [n for n in order if n not in markdown] + markdown
        out[FORMATS[model.kind]] = {
            "kind": model.kind,
            "extension": "md" if model.body_field else "yaml",
            "front_matter": bool(model.body_field),
            "order": order,
            "booleans": [n for n in order if model.fields[n].decap_format == "boolean"],
            "blocks": markdown,
            "flow": [],
            "schema": "" if model.body_field else SCHEMA_LINE,
        }
    return out


def _theme_colour(cfg: Config, name: str, default: str) -> str:
    """A colour of the theme's stylesheet (``--brand: #2d5a27;``), so the CMS wears the site's."""
    css = Path(cfg.THEME) / "static" / "css" / "site.css"
    found = (
        re.search(rf"--{name}:\s*(#[0-9a-fA-F]{{3,6}})\s*;", css.read_text(encoding="utf-8")) if css.is_file() else None
    )
    return found.group(1) if found else default


def logo(cfg: Config) -> str:
    """The CMS's logo (login page and header): the site's name, white on the site's colour."""
    name = cfg.SITENAME
    width = max(320, 14 * len(name) + 48)
    brand = _theme_colour(cfg, "brand", "#2d5a27")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="72" viewBox="0 0 {width} 72" role="img" aria-label="{html.escape(name)}">'
        f'<rect width="{width}" height="72" rx="8" fill="{brand}"/>'
        f'<text x="{width // 2}" y="46" text-anchor="middle" font-family="system-ui, sans-serif" font-size="24" font-weight="700" fill="#ffffff">{html.escape(name)}</text>'
        "</svg>\n"
    )


def dump(data: dict[str, Any]) -> str:
    header = "# Configuration de Decap CMS, produite à partir des modèles (plugins/territoire/cms.py) : ne pas modifier à la main.\n"
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000, default_flow_style=False)
