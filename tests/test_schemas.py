"""The JSON Schemas are derived from the models, up to date, and accept every sample file."""

from __future__ import annotations

import datetime as dt
import json

import jsonschema
import pytest
from conftest import ROOT
from territoire.schemas import render_schemas
from territoire.sources import read_front_matter, read_yaml


def as_json(value):
    """YAML dates become the ISO strings an editor sees."""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    return value


def schema(kind: str) -> dict:
    return json.loads((ROOT / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8"))


def test_schemas_folder_matches_the_models():
    for name, text in render_schemas().items():
        assert (ROOT / "schemas" / name).read_text(encoding="utf-8") == text, (
            f"schemas/{name} est périmé : lancez « invoke schemas »"
        )


def test_schemas_are_valid_draft_2020_12_with_french_titles():
    for kind in ("offre", "partenaire", "evenement", "bilan"):
        s = schema(kind)
        jsonschema.Draft202012Validator.check_schema(s)
        assert s["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        for name, prop in s["properties"].items():
            assert prop["title"] and prop["description"], name
    assert schema("offre")["properties"]["secteur"]["enum"] == [
        "agriculture",
        "artisanat",
        "commerce",
        "industrie",
        "services",
        "tourisme",
        "sante-social",
    ]


@pytest.mark.parametrize(
    "kind, folder, front",
    [
        ("offre", "offers", False),
        ("partenaire", "content/partenaires", True),
        ("evenement", "content/evenements", True),
        ("bilan", "content/bilan", False),
    ],
)
def test_every_sample_file_validates_against_its_schema(kind, folder, front):
    validator = jsonschema.Draft202012Validator(schema(kind), format_checker=jsonschema.FormatChecker())
    files = sorted((ROOT / folder).glob("*.yaml" if not front else "*.md"))
    assert files
    for path in files:
        data = read_front_matter(path, 1 << 20)[0] if front else read_yaml(path, 1 << 20)[0]
        errors = [e.message for e in validator.iter_errors(as_json(data))]
        assert not errors, f"{path.relative_to(ROOT)} : {errors}"


def test_schema_rejects_what_the_validator_rejects():
    validator = jsonschema.Draft202012Validator(schema("offre"))
    data = as_json(read_yaml(ROOT / "offers" / "boulangerie-patisserie-ambert.yaml", 1 << 20)[0])
    assert not list(validator.iter_errors(data))
    assert list(validator.iter_errors({**data, "secteur": "artisant"}))
    assert list(validator.iter_errors({**data, "prix": "beaucoup"}))
    assert list(validator.iter_errors({k: v for k, v in data.items() if k != "titre"}))


def test_every_offer_file_declares_its_schema_for_editors():
    for path in sorted((ROOT / "offers").glob("*.yaml")):
        assert path.read_text(encoding="utf-8").startswith(
            "# yaml-language-server: $schema=../schemas/offre.schema.json\n"
        ), path.name
