"""The whole tree passes the project's linter and formatter (ruff, settings in pyproject.toml), as
`make test` runs it: a change that does not is refused with ruff's own list of what to fix."""

from __future__ import annotations

import subprocess

import pytest
from conftest import ROOT

RUFF = ROOT / ".venv" / "bin" / "ruff"


@pytest.mark.parametrize("command", [["check", "."], ["format", "--check", "."]], ids=["check", "format"])
def test_ruff_finds_nothing_to_fix(command):
    result = subprocess.run([str(RUFF), *command], cwd=ROOT, capture_output=True, text=True, encoding="utf-8")
    assert result.returncode == 0, f"ruff {' '.join(command)} :\n{result.stdout[-4000:]}{result.stderr[-2000:]}"
