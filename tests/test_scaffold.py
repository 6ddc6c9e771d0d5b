"""`invoke new-offer`, `new-event`, `new-partner` write files that pass validation."""

from __future__ import annotations

import os
import subprocess

from conftest import ROOT


def test_new_offer_with_options_resolves_the_commune_by_name(project):
    result = project.run("new-offer", "--titre", "Café-épicerie à créer à Saint-Amant-Roche-Savine", "--nature", "creation", "--secteur", "commerce", "--commune", "saint amant roche savine", "--referent", "cc-ambert-livradois-forez", "--date", "2026-11-22")
    assert result.returncode == 0, result.stderr
    path = project.root / result.stdout.strip().splitlines()[-1]
    text = path.read_text(encoding="utf-8")
    assert path.parent.name == "offers" and path.name == "cafe-epicerie-a-creer-a-saint-amant-roche-savine.yaml"
    assert 'commune: "63314"' in text
    assert "reference: LF-2026-022" in text and "publiee_le: 2026-11-22" in text
    check = project.run("validate")
    assert check.returncode == 0, check.stdout
    assert f"{path.relative_to(project.root)}" not in [line.split(":")[0] for line in check.stdout.splitlines() if "avertissement" not in line]


def test_new_offer_interactive_asks_and_corrects(project):
    env = {**os.environ, "TERRITOIRE_PROJECT": str(project.root)}
    answers = "Scierie à reprendre\nreprise\nindustre\nindustrie\nArlanc\ncci-ambert\n"
    result = subprocess.run([str(ROOT / ".venv/bin/invoke"), "new-offer", "--date", "2026-11-22"], cwd=ROOT, env=env, input=answers, capture_output=True, text=True, encoding="utf-8")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "« industre » n'est pas permis ; vouliez-vous dire « industrie » ?" in result.stdout
    path = project.root / result.stdout.strip().splitlines()[-1].split(" : ")[-1]
    assert 'commune: "63010"' in path.read_text(encoding="utf-8")
    assert project.run("validate").returncode == 0


def test_new_offer_refuses_an_unknown_sector_with_options(project):
    result = project.run("new-offer", "--titre", "X", "--nature", "reprise", "--secteur", "artisant", "--commune", "63003", "--referent", "cci-ambert")
    assert result.returncode == 1
    assert "secteur : « artisant » n'est pas permis ; vouliez-vous dire « artisanat » ?" in result.stderr


def test_new_event_and_partner_pass_validation(project):
    event = project.run("new-event", "--titre", "Micro-marché à Lyon", "--type", "micro-marche", "--debut", "2027-05-02 10:00", "--fin", "2027-05-02 17:00", "--lieu", "Place Carnot", "--commune", "Lyon")
    assert event.returncode == 0, event.stderr
    partner = project.run("new-partner", "--nom", "Coopérative d'activités du Livradois", "--type", "accompagnement", "--commune", "Ambert")
    assert partner.returncode == 0, partner.stderr
    assert (project.root / "content/partenaires/cooperative-d-activites-du-livradois.md").exists()
    check = project.run("validate")
    assert check.returncode == 0, check.stdout
