"""`invoke new-offer`, `new-event`, `new-partner` write files that pass validation once their
example text is replaced, and never crash on what a person types."""

from __future__ import annotations

import os
import subprocess

from conftest import ROOT


def replace_placeholder(path, text: str) -> None:
    """What the partner does next: write the real description over the example sentence."""
    from territoire.fields import PLACEHOLDERS

    content = path.read_text(encoding="utf-8")
    for placeholder in PLACEHOLDERS.values():
        content = content.replace(placeholder, text)
    path.write_text(content, encoding="utf-8")


def scaffold(project, command: str, **options: str) -> subprocess.CompletedProcess:
    """``invoke <command> --option value …`` in the project, options in the order given."""
    return project.run(command, *(part for name, value in options.items() for part in (f"--{name}", value)))


def interactive(project, answers: str, *args: str) -> subprocess.CompletedProcess:
    """``invoke <args>`` in the project, typing ``answers`` (one per line) at its questions."""
    return subprocess.run(
        [str(ROOT / ".venv/bin/invoke"), *args],
        cwd=ROOT,
        env={**os.environ, "TERRITOIRE_PROJECT": str(project.root)},
        input=answers,
        capture_output=True,
        text=True,
        encoding="utf-8",
    )


def test_new_offer_with_options_resolves_the_commune_by_name(project):
    result = scaffold(
        project,
        "new-offer",
        titre="Café-épicerie à créer à Saint-Amant-Roche-Savine",
        nature="creation",
        secteur="commerce",
        commune="saint amant roche savine",
        referent="cc-ambert-livradois-forez",
        date="2026-11-22",
    )
    assert result.returncode == 0, result.stderr
    path = project.root / result.stdout.strip().splitlines()[-1]
    text = path.read_text(encoding="utf-8")
    assert path.parent.name == "offers" and path.name == "cafe-epicerie-a-creer-a-saint-amant-roche-savine.yaml"
    assert 'commune: "63314"' in text
    assert "reference: LF-2026-022" in text and "publiee_le: 2026-11-22" in text
    # The example sentence is not publishable: validation says so, on its line.
    check = project.run("validate", "--", str(path))
    assert check.returncode == 1
    assert (
        "cafe-epicerie-a-creer-a-saint-amant-roche-savine.yaml:14:3 — description : le texte d'exemple « Décrivez ici l'activité"
        in check.stdout
    )
    replace_placeholder(
        path, "Un café-épicerie à créer dans le bourg, avec le soutien de la commune, qui cherche un porteur de projet."
    )
    check = project.run("validate")
    assert check.returncode == 0, check.stdout
    assert f"{path.relative_to(project.root)}" not in [
        line.split(":")[0] for line in check.stdout.splitlines() if "avertissement" not in line
    ]


def test_new_offer_interactive_asks_and_corrects(project):
    answers = "AB\nScierie à reprendre\nreprise\nindustre\nindustrie\nArlan\nArlanc\ncci-ambert\n"
    result = interactive(project, answers, "new-offer", "--date", "2026-11-22")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (
        "« AB » est trop court (2 caractères) ; attendu : au moins 3 caractères qui disent de quoi il s'agit."
        in result.stdout
    )
    assert "« industre » n'est pas permis ; vouliez-vous dire « industrie » ?" in result.stdout
    assert (
        "aucune commune « Arlan » dans le territoire ; vérifiez l'orthographe ou donnez le code INSEE. Communes proches : Arlanc (63010)"
        in result.stdout
    )
    path = project.root / result.stdout.strip().splitlines()[-1].split(" : ")[-1]
    assert 'commune: "63010"' in path.read_text(encoding="utf-8")
    replace_placeholder(path, "Une scierie à reprendre, avec son matériel et sa clientèle de charpentiers.")
    assert project.run("validate").returncode == 0


def test_new_offer_refuses_an_unknown_sector_with_options(project):
    result = scaffold(
        project,
        "new-offer",
        titre="Menuiserie",
        nature="reprise",
        secteur="artisant",
        commune="63003",
        referent="cci-ambert",
    )
    assert result.returncode == 1
    assert "secteur : « artisant » n'est pas permis ; vouliez-vous dire « artisanat » ?" in result.stderr


def test_new_offer_refuses_a_french_date_without_traceback(project):
    result = scaffold(
        project,
        "new-offer",
        titre="Menuiserie à Ambert",
        nature="reprise",
        secteur="artisanat",
        commune="63003",
        referent="cci-ambert",
        date="12/03/2027",
    )
    assert result.returncode == 1
    assert result.stderr.strip() == "✘ date : « 12/03/2027 » n'est pas au bon format ; écrivez 2027-03-12."
    assert not list((project.root / "offers").glob("menuiserie*"))


def test_new_event_re_asks_a_french_date_interactively(project):
    answers = "Forest stand au salon du bois\nsalon\n12/03/2027 10:00\n2027-03-12 10:00\n2027-03-12 09:00\n2027-03-12 18:00\nHall A\nAmbert\n"
    result = interactive(project, answers, "new-event")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "« 12/03/2027 10:00 » n'est pas au bon format ; écrivez 2027-03-12 10:00." in result.stdout
    assert "la fin (2027-03-12 09:00) précède le début (2027-03-12 10:00)" in result.stdout
    path = project.root / result.stdout.strip().splitlines()[-1].split(" : ")[-1]
    # One slug function: « st » inside a word stays as it is.
    assert path.name == "forest-stand-au-salon-du-bois.md"
    assert "debut: 2027-03-12 10:00\nfin: 2027-03-12 18:00\n" in path.read_text(encoding="utf-8")


def test_new_event_with_options_refuses_a_french_date(project):
    result = scaffold(
        project,
        "new-event",
        titre="Salon",
        type="salon",
        debut="14/03/2027",
        fin="2027-03-14 18:00",
        lieu="Hall",
        commune="Ambert",
    )
    assert result.returncode == 1
    assert result.stderr.strip() == "✘ debut : « 14/03/2027 » n'est pas au bon format ; écrivez 2027-03-14 10:00."


def test_long_titles_give_whole_file_names(project):
    title = "Reprise d'une entreprise de charpente, couverture et zinguerie implantée depuis quarante ans à Ambert"
    result = scaffold(
        project,
        "new-offer",
        titre=title,
        nature="reprise",
        secteur="artisanat",
        commune="63003",
        referent="cma-63",
        date="2026-11-22",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith(
        "offers/reprise-d-une-entreprise-de-charpente-couverture-et-zinguerie-implantee-depuis-quarante-ans-a-ambert.yaml"
    )


def test_new_event_and_partner_pass_validation(project):
    event = scaffold(
        project,
        "new-event",
        titre="Micro-marché à Lyon",
        type="micro-marche",
        debut="2027-05-02 10:00",
        fin="2027-05-02 17:00",
        lieu="Place Carnot",
        commune="Lyon",
    )
    assert event.returncode == 0, event.stderr
    partner = scaffold(
        project,
        "new-partner",
        nom="Coopérative d'activités du Livradois",
        type="accompagnement",
        commune="Ambert",
    )
    assert partner.returncode == 0, partner.stderr
    created = [project.root / event.stdout.strip(), project.root / partner.stdout.strip()]
    assert created[1] == project.root / "content/partenaires/cooperative-d-activites-du-livradois.md"
    assert project.run("validate").returncode == 1  # the example sentences are still there
    for path in created:
        replace_placeholder(
            path, "Un texte écrit par le partenaire, qui présente ce qu'il propose aux porteurs de projets."
        )
    check = project.run("validate")
    assert check.returncode == 0, check.stdout


def test_one_slug_function_from_pelican():
    from territoire.slugs import slugify

    assert slugify("Forest stand") == "forest-stand"
    assert slugify("St-Flour et St Anthème") == "saint-flour-et-saint-antheme"
    assert slugify("Boulangerie au cœur d'Ambert") == "boulangerie-au-coeur-d-ambert"
    assert slugify("st-flour") == "st-flour"  # a file name already a slug keeps its address
