"""JSON Schemas (draft 2020-12) derived from the models, for editors and other tools."""

from __future__ import annotations

import json
from pathlib import Path

from .models import MODELS


def render_schemas() -> dict[str, str]:
    """File name → JSON text, for every model."""
    return {
        f"{kind}.schema.json": json.dumps(model.json_schema(), ensure_ascii=False, indent=2) + "\n"
        for kind, model in MODELS.items()
    }


def write_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in render_schemas().items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
