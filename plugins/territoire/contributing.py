"""The field tables of CONTRIBUTING.md, generated from the models between markers."""

from __future__ import annotations

import re
from pathlib import Path

from .models import MODELS, Model


def field_table(model: Model) -> str:
    rows = ["| Champ | Obligatoire | Ce qu'il contient | Ce qu'il faut écrire |", "| --- | --- | --- | --- |"]
    for name, field in model.fields.items():
        label = f"`{name}`" if name != model.body_field else f"texte sous l'en-tête ({name})"
        rows.append(field.contributing_row(label))
    return "\n".join(rows)


def render(text: str) -> str:
    """Replace every `<!-- champs:KIND -->…<!-- /champs:KIND -->` block by the model's table."""

    def replace(match: re.Match) -> str:
        kind = match.group(1)
        return f"<!-- champs:{kind} -->\n{field_table(MODELS[kind])}\n<!-- /champs:{kind} -->"

    return re.sub(r"<!-- champs:(\w+) -->.*?<!-- /champs:\1 -->", replace, text, flags=re.DOTALL)


def update(path: Path) -> bool:
    text = path.read_text(encoding="utf-8")
    new = render(text)
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text
