"""The offer board: synthetic projects, lists, facets, offer pages, lifecycle, feeds, open data."""

from __future__ import annotations

import subprocess
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _hash_tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_generated_project_of_300_offers_validates(tmp_path):
    from territoire.synthetic import generate

    generate(tmp_path / "a", 300, seed=3)
    generate(tmp_path / "b", 300, seed=3)
    assert len(list((tmp_path / "a" / "offers").glob("*.yaml"))) == 300
    assert _hash_tree(tmp_path / "a") == _hash_tree(tmp_path / "b")
    env = {**os.environ, "TERRITOIRE_PROJECT": str(tmp_path / "a")}
    result = subprocess.run([str(ROOT / ".venv" / "bin" / "invoke"), "validate"], cwd=ROOT, env=env, capture_output=True, text=True, encoding="utf-8")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "aucune erreur" in result.stdout
