"""Tests of this territory's site: its content validates and the whole site builds."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
INVOKE = Path(sys.executable).with_name("invoke")


def invoke(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(INVOKE), *args], cwd=ROOT, capture_output=True, text=True, encoding="utf-8")


def test_content_is_valid():
    result = invoke("validate")
    assert result.returncode == 0, result.stdout + result.stderr


def test_site_builds_with_its_main_pages(tmp_path):
    output = tmp_path / "output"
    result = invoke("build", "--output", str(output))
    assert result.returncode == 0, result.stdout + result.stderr
    for page in (
        "index.html",
        "offres/index.html",
        "partenaires/index.html",
        "evenements/index.html",
        "accueil/index.html",
        "plaquette-accueil.pdf",
    ):
        assert (output / page).is_file(), page
