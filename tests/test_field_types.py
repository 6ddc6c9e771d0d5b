"""Each field type's projections (fields.py): its JSON Schema, its open data column (Table
Schema, JSON value, CSV cell, read back by frictionless), its Decap CMS widget and its row in
CONTRIBUTING.md; and every field of every model has them all."""

from __future__ import annotations

import csv
import datetime as dt
import re

import jsonschema
import pytest
from frictionless import Resource, Schema
from territoire import fields as f
from territoire.models import MODELS, OFFRE

SITE = "https://exemple.fr"
# What the CMS's form knows of the site (cms._context).
CTX = {
    "communes": [{"label": "Ambert", "value": "63003"}],
    "partenaires": [{"label": "CCI du Puy-de-Dôme (CCI)", "value": "cci-ambert"}],
    "territoires": [{"label": "CC Ambert Livradois Forez", "value": "200070761"}],
    "reseaux_locaux": {"ambert": "Réseau d'Ambert"},
    "photos_folder": "content/images/offres",
    "content_folder": "content",
}


def read_back(tmp_path, name: str, fld: f.Field, values: list) -> list:
    """Write ``values`` in a CSV column as the export does (export_value, then csv_cell), and
    read them back with frictionless against the field's Table Schema column."""
    path = tmp_path / "colonne.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow([name])
        for value in values:
            writer.writerow(["" if value is None else fld.csv_cell(fld.export_value(value, SITE))])
    schema = Schema.from_descriptor({"fields": [fld.table_schema(name)], "missingValues": [""]})
    resource = Resource(path=path.name, basepath=str(tmp_path), schema=schema)
    report = resource.validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    with resource:
        return [row[name] for row in resource.row_stream]


def accepts(fld: f.Field, value) -> bool:
    return jsonschema.Draft202012Validator(fld.json_schema(), format_checker=jsonschema.FormatChecker()).is_valid(value)


# --- One test per type ----------------------------------------------------------------------


def test_text_is_a_string_whose_csv_cell_may_take_an_apostrophe(tmp_path):
    fld = f.Text("Activité", "L'activité en quelques mots.", required=True, max_length=12)
    assert fld.json_schema() == {
        "type": "string",
        "title": "Activité",
        "description": "L'activité en quelques mots.",
        "minLength": 1,
        "maxLength": 12,
    }
    assert fld.table_schema("activite") == {
        "name": "activite",
        "title": "Activité",
        "description": "L'activité en quelques mots.",
        "type": "string",
        "constraints": {"maxLength": 13, "required": True},
    }
    # A text of the longest length starting like a formula still fits its column, apostrophe included.
    assert read_back(tmp_path, "activite", fld, ["=SOMME(A1)", "-" * 12, "Boulangerie"]) == [
        "'=SOMME(A1)",
        "'" + "-" * 12,
        "Boulangerie",
    ]
    assert fld.decap_widget("activite", CTX) == {
        "name": "activite",
        "label": "Activité",
        "required": True,
        "hint": "L'activité en quelques mots.",
        "widget": "string",
        "pattern": [r"^[\s\S]{0,12}$", "Au plus 12 caractères."],
    }
    assert f.Text("Motif", max_length=300).decap_widget("motif", CTX)["widget"] == "text"  # a long text: several lines
    assert (
        fld.contributing_row("`activite`")
        == "| `activite` | oui | Activité — L'activité en quelques mots. | un texte d'au plus 12 caractères |"
    )


def test_markdown_is_a_block_without_length_column_and_a_raw_first_editor(tmp_path):
    fld = OFFRE.fields["description"]
    assert fld.table_schema("description")["constraints"] == {"required": True}
    assert read_back(tmp_path, "description", fld, ["Une **belle** affaire.\n\n- four\n- vitrine"]) == [
        "Une **belle** affaire.\n\n- four\n- vitrine"
    ]
    widget = fld.decap_widget("description", CTX)
    assert (widget["widget"], widget["modes"], widget["editor_components"]) == ("markdown", ["raw", "rich_text"], [])
    assert "pattern" not in widget
    assert fld.decap_format == "block"
    assert fld.contributing_row("`description`").endswith("| un texte en Markdown |")


def test_choice_is_an_enumeration_with_french_labels(tmp_path):
    fld = f.Choice(
        "Statut", "Où en est l'offre.", required=True, choices={"disponible": "Disponible", "conclue": "Conclue"}
    )
    assert fld.json_schema()["enum"] == ["disponible", "conclue"] and fld.json_schema()["x-labels"] == {
        "disponible": "Disponible",
        "conclue": "Conclue",
    }
    assert accepts(fld, "conclue") and not accepts(fld, "Conclue")
    assert fld.table_schema("statut")["constraints"] == {"enum": ["disponible", "conclue"], "required": True}
    assert read_back(tmp_path, "statut", fld, ["conclue"]) == ["conclue"]
    options = [{"label": "Disponible", "value": "disponible"}, {"label": "Conclue", "value": "conclue"}]
    assert fld.decap_widget("statut", CTX) == {
        "name": "statut",
        "label": "Statut",
        "required": True,
        "hint": "Où en est l'offre.",
        "widget": "select",
        "options": options,
    }
    assert fld.contributing_row("`statut`").endswith(
        "| une valeur parmi : `disponible` (Disponible), `conclue` (Conclue) |"
    )
    listing = f.ListOf("Statuts", "Des statuts.", item=fld, min_items=1)
    assert listing.decap_widget("statuts", CTX) == {
        "name": "statuts",
        "label": "Statuts",
        "required": False,
        "hint": "Des statuts.",
        "widget": "select",
        "multiple": True,
        "options": options,
        "min": 1,
    }
    assert listing.contributing_row("`statuts`").endswith(
        "| une liste parmi : `disponible` (Disponible), `conclue` (Conclue) |"
    )


def test_integer_is_a_whole_number_in_every_format(tmp_path):
    fld = OFFRE.fields["surface"]
    assert fld.json_schema() == {
        "type": "integer",
        "title": "Surface",
        "description": "Surface en mètres carrés.",
        "examples": [120],
        "minimum": 1,
        "maximum": 999_999_999,
    }
    assert fld.table_schema("surface") == {
        "name": "surface",
        "title": "Surface",
        "description": "Surface en mètres carrés.",
        "type": "integer",
        "constraints": {"minimum": 1},
    }
    assert read_back(tmp_path, "surface", fld, [120, 5]) == [120, 5]
    assert fld.export_value(120, SITE) == 120
    assert fld.decap_widget("surface", CTX) == {
        "name": "surface",
        "label": "Surface",
        "required": False,
        "hint": "Surface en mètres carrés.",
        "widget": "number",
        "value_type": "int",
        "min": 1,
        "step": 1,
        "max": 999_999_999,
    }
    assert fld.contributing_row("`surface`").endswith(
        "| un nombre entier (en m²), sans espace ni symbole, par exemple 120 |"
    )


def test_boolean_is_true_or_false_in_the_csv_and_oui_non_in_the_form(tmp_path):
    fld = OFFRE.fields["logement"]
    assert fld.json_schema()["type"] == "boolean"
    assert read_back(tmp_path, "logement", fld, [True, False]) == [True, False]
    assert fld.csv_cell(True) == "true" and fld.export_value(False, SITE) is False
    widget = fld.decap_widget("logement", CTX)
    assert (widget["widget"], widget["options"]) == (
        "select",
        [{"label": "Oui", "value": "oui"}, {"label": "Non", "value": "non"}],
    )
    assert fld.decap_format == "boolean"
    assert fld.contributing_row("`logement`").endswith("| oui ou non (true ou false) |")


def test_date_is_iso_in_the_exports_and_a_date_picker_in_the_form(tmp_path):
    fld = OFFRE.fields["publiee_le"]
    assert accepts(fld, "2026-10-01") and fld.json_schema()["format"] == "date"
    assert fld.table_schema("publiee_le")["type"] == "date"
    assert fld.export_value(dt.date(2026, 10, 1), SITE) == "2026-10-01"
    assert read_back(tmp_path, "publiee_le", fld, [dt.date(2026, 10, 1)]) == [dt.date(2026, 10, 1)]
    widget = fld.decap_widget("publiee_le", CTX)
    assert {k: widget[k] for k in ("widget", "format", "date_format", "time_format")} == {
        "widget": "datetime",
        "format": "YYYY-MM-DD",
        "date_format": "DD/MM/YYYY",
        "time_format": False,
    }


def test_date_and_time(tmp_path):
    fld = MODELS["evenement"].fields["debut"]
    assert accepts(fld, "2027-03-14 10:00") and not accepts(fld, "14/03/2027")
    assert fld.table_schema("debut")["type"] == "datetime"
    assert read_back(tmp_path, "debut", fld, [dt.datetime(2027, 3, 14, 10)]) == [dt.datetime(2027, 3, 14, 10)]
    widget = fld.decap_widget("debut", CTX)
    assert (widget["format"], widget["time_format"]) == ("YYYY-MM-DD HH:mm", "HH:mm")


def test_web_address_email_and_phone_carry_the_validator_pattern_to_the_form():
    url, email, phone = (MODELS["partenaire"].fields[n] for n in ("site", "courriel", "telephone"))
    assert url.json_schema()["pattern"] == f.URL_PATTERN and url.json_schema()["format"] == "uri"
    assert url.decap_widget("site", CTX)["pattern"] == [
        f.URL_PATTERN,
        "Attendu : une adresse web complète commençant par https://.",
    ]
    assert (
        email.decap_widget("courriel", CTX)["pattern"][1]
        == "Attendu : une adresse électronique, par exemple contact@exemple.fr."
    )
    assert (
        phone.decap_widget("telephone", CTX)["pattern"][1]
        == "Attendu : un numéro à 10 chiffres, par exemple 04 65 71 00 00."
    )
    for fld, good, bad in ((email, "contact@exemple.fr", "contact@"), (phone, "04 73 82 00 00", "04 73")):
        pattern = fld.decap_widget("x", CTX)["pattern"][0]
        assert re.search(pattern, good) and not re.search(pattern, bad)


def test_pattern_code_keeps_its_length_in_the_csv(tmp_path):
    fld = OFFRE.fields["reference"]
    assert fld.json_schema()["pattern"] == r"^[A-Z]{2,4}-\d{4}-\d{3,4}$"
    assert fld.table_schema("reference")["constraints"] == {
        "pattern": r"[A-Z]{2,4}-\d{4}-\d{3,4}",
        "maxLength": 20,
        "required": True,
    }
    assert read_back(tmp_path, "reference", fld, ["LF-2026-014"]) == ["LF-2026-014"]
    assert fld.decap_widget("reference", CTX)["pattern"] == [
        r"^[A-Z]{2,4}-\d{4}-\d{3,4}$",
        "Attendu : un code de 2 à 4 lettres, l'année et un numéro, comme AB-2026-014.",
    ]


def test_commune_is_searched_by_name_in_the_territory_and_typed_elsewhere(tmp_path):
    offer, event = OFFRE.fields["commune"], MODELS["evenement"].fields["commune"]
    assert offer.json_schema()["pattern"] == "^[0-9][0-9AB][0-9]{3}$"
    assert offer.table_schema("commune")["constraints"] == {"pattern": "[0-9][0-9AB][0-9]{3}", "required": True}
    assert read_back(tmp_path, "commune", offer, ["63003", "2A004"]) == ["63003", "2A004"]
    widget = offer.decap_widget("commune", CTX)
    assert (widget["widget"], widget["options"]) == ("territoire-recherche", CTX["communes"])
    assert widget["hint"].startswith("La commune, dans le territoire : tapez les premières lettres")
    assert list(widget)[:4] == ["name", "label", "required", "hint"]  # the hint stays in its place
    # Anywhere in France: searched by name too, among every commune (admin/communes.json).
    anywhere = event.decap_widget("commune", CTX)
    assert (anywhere["widget"], anywhere["options_url"]) == ("territoire-recherche", "communes.json")
    assert anywhere["hint"].startswith("La commune, partout en France : tapez les premières lettres")


def test_partner_is_searched_alone_and_related_in_a_list():
    one = OFFRE.fields["referent"]
    widget = one.decap_widget("referent", CTX)
    assert (widget["widget"], widget["options"]) == ("territoire-recherche", CTX["partenaires"])
    assert widget["hint"] == "Le partenaire qui suit l'offre et reçoit les contacts : tapez son nom ou son sigle."
    several = MODELS["evenement"].fields["partenaires"].decap_widget("partenaires", CTX)
    assert several["widget"] == "relation" and several["collection"] == "partenaires" and several["multiple"] is True
    assert several["value_field"] == "{{slug}}" and several["search_fields"] == ["nom", "sigle"]


def test_territory_codes_and_local_networks_are_selects_of_the_site_s_own_values():
    territory = MODELS["partenaire"].fields["territoire"]
    assert territory.decap_widget("territoire", CTX) == {
        "name": "territoire",
        "label": "Territoire couvert",
        "required": True,
        "hint": "Intercommunalités (code SIREN) ou départements couverts.",
        "widget": "select",
        "multiple": True,
        "options": CTX["territoires"],
        "min": 1,
    }
    assert territory.item.decap_widget("code", CTX)["options"] == CTX["territoires"]
    network = MODELS["partenaire"].fields["reseau_local"].decap_widget("reseau_local", CTX)
    assert (network["widget"], network["options"]) == ("select", [{"label": "Réseau d'Ambert", "value": "ambert"}])


def test_list_of_texts_is_one_cell_joined_and_a_list_of_single_fields(tmp_path):
    fld = OFFRE.fields["atouts"]
    assert fld.json_schema()["items"]["type"] == "string" and fld.json_schema()["uniqueItems"] is True
    assert fld.table_schema("atouts") == {
        "name": "atouts",
        "title": "Atouts",
        "description": "Les points forts, un par ligne. Valeurs séparées par « | ».",
        "type": "string",
    }
    assert read_back(tmp_path, "atouts", fld, [["Clientèle fidèle", "Four récent"], ["-20 % de loyer"]]) == [
        "Clientèle fidèle | Four récent",
        "'-20 % de loyer",
    ]
    widget = fld.decap_widget("atouts", CTX)
    assert (widget["widget"], widget["label_singular"]) == ("list", "Atout")
    assert widget["field"] == {
        "name": "atouts",
        "label": "Atout",
        "required": True,
        "widget": "string",
        "pattern": [r"^[\s\S]{0,200}$", "Au plus 200 caractères."],
    }
    assert fld.contributing_row("`atouts`").endswith(
        "| une liste dont chaque élément est un texte d'au plus 200 caractères |"
    )


def test_photos_are_their_addresses_in_the_exports_and_images_with_alt_in_the_form(tmp_path):
    fld = OFFRE.fields["photos"]
    photo = {"fichier": "four.jpg", "alt": "Le four à pain"}
    assert fld.export_value([photo], SITE) == [f"{SITE}/images/offres/four.jpg"]
    assert read_back(tmp_path, "photos", fld, [[photo, {"fichier": "vitrine.png", "alt": "La vitrine"}]]) == [
        f"{SITE}/images/offres/four.jpg | {SITE}/images/offres/vitrine.png"
    ]
    assert fld.json_schema()["items"] == {
        "type": "object",
        "title": "Photo",
        "properties": {
            "fichier": {
                "type": "string",
                "title": "Fichier",
                "description": "Nom du fichier dans content/images/offres/.",
                "minLength": 1,
                "maxLength": 120,
            },
            "alt": {
                "type": "string",
                "title": "Texte de remplacement",
                "description": "Ce que montre la photo, pour les personnes qui ne la voient pas.",
                "minLength": 1,
                "maxLength": 250,
            },
        },
        "required": ["fichier", "alt"],
        "additionalProperties": False,
    }
    widget = fld.decap_widget("photos", CTX)
    assert (widget["widget"], widget["summary"], [w["name"] for w in widget["fields"]]) == (
        "list",
        "{{fields.alt}}",
        ["fichier", "alt"],
    )
    assert widget["fields"][0] == {
        "name": "fichier",
        "label": "Fichier",
        "required": True,
        "hint": "Nom du fichier dans content/images/offres/.",
        "widget": "territoire-photo",  # Decap's image widget, refusing photos validation would refuse
        "choose_url": False,
        "media_folder": "/content/images/offres",
        "public_folder": "",
    }
    alone = f.Photo("Photo", "La photo de la structure.").decap_widget("photo", CTX)
    assert alone["widget"] == "object" and [w["widget"] for w in alone["fields"]] == ["territoire-photo", "string"]
    assert f.Photo().export_value(photo, SITE) == f"{SITE}/images/offres/four.jpg"


def test_a_logo_is_an_image_of_its_own_folder_in_the_form_and_the_exports():
    fld = MODELS["partenaire"].fields["logo"]
    assert fld.json_schema()["type"] == "string" and fld.json_schema()["maxLength"] == 120
    widget = fld.decap_widget("logo", CTX)
    assert (widget["widget"], widget["media_folder"], widget["public_folder"]) == (
        "territoire-photo",
        "/content/images/partenaires",
        "",
    )
    assert fld.export_value("cci.svg", SITE) == f"{SITE}/images/partenaires/cci.svg"
    assert fld.contributing_row("`logo`").endswith(
        "| le nom d'un fichier image (.svg, .png, .jpg, .webp) déposé dans content/images/partenaires/ |"
    )
    # A photo declared with a folder of its own: every projection follows the folder.
    photo = f.Photo("Photo", "La photo de l'événement.", folder="images/evenements")
    assert (
        photo.export_value({"fichier": "salon.jpg", "alt": "Le salon"}, SITE) == f"{SITE}/images/evenements/salon.jpg"
    )
    assert photo.decap_widget("photo", CTX)["fields"][0]["media_folder"] == "/content/images/evenements"
    assert (
        photo.json_schema()["properties"]["fichier"]["description"] == "Nom du fichier dans content/images/evenements/."
    )


def test_a_record_is_an_object_everywhere(tmp_path):
    fld = f.Record(
        "Horaire", "Un créneau.", fields={"jour": f.Text("Jour", max_length=10), "debut": f.DateTime("Début")}
    )
    value = {"jour": "lundi", "debut": dt.datetime(2027, 3, 15, 9)}
    assert fld.export_value(value, SITE) == {"jour": "lundi", "debut": "2027-03-15T09:00:00"}
    assert read_back(tmp_path, "horaire", fld, [value]) == [{"debut": "2027-03-15T09:00:00", "jour": "lundi"}]
    assert fld.decap_widget("horaire", CTX)["widget"] == "object"
    assert "summary" not in fld.decap_list("horaires", CTX)


def test_change_summary_shows_values_as_the_site_does():
    nbsp = "\u00a0"
    offer, event = OFFRE.fields, MODELS["evenement"].fields
    assert offer["prix"].shown_value(150000) == f"150{nbsp}000{nbsp}€"
    assert offer["loyer"].shown_value(1200) == f"1{nbsp}200{nbsp}€ par mois"  # as on the page
    assert offer["surface"].shown_value(25000) == f"2,5{nbsp}ha"
    assert offer["effectif"].shown_value(1200) == f"1{nbsp}200 salariés"
    assert offer["effectif"].shown_value(0) == "aucun salarié"
    assert (offer["logement"].shown_value(True), offer["logement"].shown_value(False)) == ("oui", "non")
    assert offer["statut"].shown_value("en-negociation") == "En négociation"
    assert offer["publiee_le"].shown_value(dt.date(2026, 10, 1)) == "1er octobre 2026"
    assert event["debut"].shown_value(dt.datetime(2027, 3, 14, 10)) == f"14 mars 2027 à 10{nbsp}h"
    assert offer["titre"].shown_value("Boulangerie") == "« Boulangerie »"
    assert offer["commune"].shown_value("63003") == "« 63003 »"
    # Long values are named only: « description : modifié ».
    assert [n for n, fld in offer.items() if fld.long_value] == ["description", "atouts", "aides", "photos"]


# --- Every field of every model, and every type ---------------------------------------------


def every_field():
    """(model kind, dotted name, field) of every field, list items and record fields included."""

    def walk(kind, name, fld):
        yield kind, name, fld
        if isinstance(fld, f.ListOf):
            yield from walk(kind, f"{name}[]", fld.item)
        if isinstance(fld, f.Record):
            for sub_name, sub in fld.fields.items():
                yield from walk(kind, f"{name}.{sub_name}", sub)

    for kind, model in MODELS.items():
        for name, fld in model.fields.items():
            yield from walk(kind, name, fld)


# Which Table Schema and Decap widgets fit each JSON type (a list is one text cell in the CSV).
TABLE_TYPES = {
    "string": {"string", "date", "datetime"},
    "integer": {"integer"},
    "boolean": {"boolean"},
    "array": {"string"},
    "object": {"object", "string"},
}
DECAP_WIDGETS = {
    "string": {"string", "text", "markdown", "select", "datetime", "image", "territoire-photo", "territoire-recherche"},
    "integer": {"number"},
    "boolean": {"select"},
    "array": {"list", "select", "relation"},
    "object": {"object"},
}


@pytest.mark.parametrize("kind, name, fld", list(every_field()), ids=lambda v: v if isinstance(v, str) else "")
def test_every_field_of_every_model_has_every_projection(kind, name, fld):
    schema = fld.json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["title"] == fld.titre
    column = fld.table_schema(name)
    assert column["name"] == name and column["title"] == fld.titre
    assert column["type"] in TABLE_TYPES[schema["type"]], (column["type"], schema["type"])
    Schema.from_descriptor({"fields": [column]})  # a valid Table Schema column
    widget = fld.decap_widget(name, CTX)
    assert widget["name"] == name and widget["label"] == fld.titre and widget["required"] == bool(fld.required)
    assert widget["widget"] in DECAP_WIDGETS[schema["type"]], (widget["widget"], schema["type"])
    row = fld.contributing_row(f"`{name}`")
    assert row.startswith(f"| `{name}` | {'oui' if fld.required else 'non'} | {fld.titre} — ") and row.count(" | ") == 3
    assert row.endswith(f"| {fld.contributing_expected()} |") and fld.contributing_expected()


def concrete_types():
    found, todo = [], [f.Field]
    while todo:
        cls = todo.pop()
        todo += cls.__subclasses__()
        if cls is not f.Field:
            found.append(cls)
    return sorted(found, key=lambda c: c.__name__)


@pytest.mark.parametrize("cls", concrete_types(), ids=lambda c: c.__name__)
def test_every_field_type_declares_its_form_widget(cls):
    """The one projection without a default: a new type that forgot it fails here."""
    assert cls.decap_options is not f.Field.decap_options or cls.decap_widget is not f.Field.decap_widget, cls


def test_a_type_without_a_widget_is_refused_in_the_form():
    class Forgotten(f.Field):
        pass

    with pytest.raises(NotImplementedError, match="Forgotten declares no Decap widget"):
        Forgotten("Oublié").decap_widget("oublie", CTX)
