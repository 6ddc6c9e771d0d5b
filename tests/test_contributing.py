"""CONTRIBUTING.md and the models agree: the field tables are generated from the models."""

from __future__ import annotations

from conftest import ROOT
from territoire.contributing import render
from territoire.models import MODELS


def test_contributing_field_tables_match_the_models():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert render(text) == text, "CONTRIBUTING.md et les modèles divergent : lancez « invoke contributing »"


def test_every_field_of_every_model_is_documented():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for kind, model in MODELS.items():
        block = text.split(f"<!-- champs:{kind} -->")[1].split(f"<!-- /champs:{kind} -->")[0]
        for name in model.fields:
            assert f"`{name}`" in block or f"({name})" in block, f"{kind}.{name}"


def test_a_renamed_field_is_detected():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8").replace("| `prix` |", "| `prix_de_vente` |")
    assert render(text) != text


def test_guide_explains_each_task():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for heading in (
        "## Publier une nouvelle offre",
        "## Mettre à jour une offre",
        "## Conclure une offre",
        "## Retirer une offre",
        "/admin/",
        "Create a new branch and start a pull request",
    ):
        assert heading in text
