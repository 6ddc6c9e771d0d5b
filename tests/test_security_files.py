"""Hostile files (issue 12: points 2, 3, 5, 7, 8): what `invoke validate`, `invoke build` and
`invoke publish` answer, and what a server then sends.

One scratch project holds a corpus of hostile files; `invoke validate` and `invoke build` run
once on it (the real commands), and each test checks the French message its file gets, with
the file and the line, and that nothing was built. Publishing is tried against a real nginx.
"""

from __future__ import annotations

import re
import subprocess
import time

import pytest
from conftest import BUILD_DATE, Project

OFFER = """\
# yaml-language-server: $schema=../schemas/offre.schema.json
reference: {reference}
titre: Une offre de test pour les fichiers hostiles
nature: reprise
secteur: commerce
activite: Commerce de proximité
commune: "63003"
referent: cc-ambert-livradois-forez
statut: disponible
publiee_le: {publiee_le}
prix: {prix}
description: |
  {description}
"""

# name → (file, text, line of the expected message, words of the expected message)
CORPUS: dict[str, tuple[str, str, int, str]] = {}


def hostile(name: str, path: str, text: str, line: int, words: str) -> None:
    CORPUS[name] = (path, text, line, words)


def offer(
    reference: str,
    publiee_le: str = "2026-10-01",
    prix: str = "150000",
    description: str = "Une description ordinaire.",
) -> str:
    return OFFER.format(reference=reference, publiee_le=publiee_le, prix=prix, description=description)


# --- Point 5: bounded work -----------------------------------------------------------------------
hostile(
    "crochets ouverts (offre)",
    "offers/crochets.yaml",
    offer("LF-2026-901", description="[" * 15000),
    13,
    "crochets « [ »",
)
hostile(
    "crochets imbriqués (partenaire)",
    "content/partenaires/crochets.md",
    '---\nnom: Partenaire crochu\ntype: autre\ncommune: "63003"\n---\nPrésentation.\n\n'
    + "[" * 6000
    + "]" * 6000
    + "\n",
    8,
    "crochets « [ »",
)
hostile(
    "liens sans fin (événement)",
    "content/evenements/liens.md",
    '---\ntitre: Liens sans fin\ntype: reunion\ndebut: 2026-12-01 10:00\nfin: 2026-12-01 12:00\nlieu: Mairie\ncommune: "63003"\n---\n'
    + "[a](" * 4000
    + "\n",
    9,
    "parenthèses « ( »",
)
hostile(
    "crochets ouverts (page)",
    "content/pages/crochets.md",
    "Title: Page crochue\nSlug: page-crochue\n\nIntroduction.\n\n" + "[" * 50000 + "\n",
    6,
    "crochets « [ »",
)
hostile(
    "balises jamais fermées (page)",
    "content/pages/balises.md",
    "Title: Balises\nSlug: balises\n\n" + "<a " * 8000 + "\n",
    4,
    "chevrons « < »",
)
hostile(
    "listes imbriquées (page)",
    "content/pages/listes.md",
    "Title: Listes\nSlug: listes\n\n" + "\n".join("    " * i + "- niveau" for i in range(300)) + "\n",
    25,
    "21 niveaux de listes",
)
hostile(
    "YAML imbriqué",
    "offers/imbrique.yaml",
    offer("LF-2026-902").replace("activite: Commerce de proximité", "activite: " + "[" * 200000 + "]" * 200000),
    6,
    "plus de 50 niveaux",
)
hostile(
    "nombre de 5000 chiffres",
    "offers/nombre-geant.yaml",
    offer("LF-2026-903", prix="9" * 5000),
    11,
    "un nombre de 5000 caractères",
)
hostile("prix absurde", "offers/prix-absurde.yaml", offer("LF-2026-904", prix="12345678901234"), 11, "est trop grand")
hostile(
    "année 9999",
    "offers/annee-9999.yaml",
    offer("LF-2026-905", publiee_le="9999-12-31"),
    10,
    "l'année 9999 n'est pas plausible",
)
hostile(
    "année 0001",
    "content/evenements/annee-0001.md",
    '---\ntitre: Réunion d\'un autre temps\ntype: reunion\ndebut: 0001-01-01 10:00\nfin: 0001-01-01 12:00\nlieu: Mairie\ncommune: "63003"\n---\nUne réunion.\n',
    4,
    "l'année 1 n'est pas plausible",
)

# --- Point 7: page addresses the build could not write ----------------------------------------------
for number, (slug, words) in enumerate(
    [
        ("sitemap.xml", "« sitemap.xml » n'est pas une adresse possible"),
        ("index.html", "« index.html » n'est pas une adresse possible"),
        ("_headers", "« _headers » n'est pas une adresse possible"),
        ("./offres", "« ./offres » n'est pas une adresse possible"),
        ("Offres", "« Offres » n'est pas une adresse possible"),
        ("Mentions Légales", "vouliez-vous dire « mentions-legales »"),
        ("", "l'adresse est vide"),
        ("offres/ma-page", "l'adresse /offres/ma-page/ est réservée"),
    ]
):
    hostile(
        f"adresse de page {slug!r}",
        f"content/pages/adresse-{number}.md",
        f"Title: Une page\nSlug: {slug}\n\nTexte.\n",
        2,
        words,
    )
hostile(
    "titre sans adresse",
    "content/pages/sans-adresse.md",
    "Title: !!!\n\nTexte.\n",
    1,
    "le titre ne donne aucune adresse",
)
hostile(
    "Ordre pas un nombre",
    "content/pages/accueil/99-chapitre.md",
    "Title: Un chapitre\nSlug: accueil/un-chapitre\nOrdre: deux\n\nTexte.\n",
    3,
    "Ordre : « deux » n'est pas un numéro de chapitre",
)
hostile(
    "Save_as hors du site",
    "content/pages/evasion.md",
    "Title: Évasion\nSlug: evasion\nSave_as: ../../evasion.html\n\nTexte.\n",
    3,
    "Save_as : « ../../evasion.html »",
)
hostile(
    "page en reStructuredText",
    "content/pages/autre.rst",
    "Autre\n#####\n\n:slug: sitemap.xml\n",
    1,
    "renommez le fichier en « autre.md »",
)


# --- Point 3: images that could run script or pass for a page -----------------------------------------
SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">\n{}\n</svg>\n'
hostile(
    "SVG avec script",
    "content/images/offres/script.svg",
    SVG.format('<rect width="10" height="10"/>\n<script>alert(document.cookie)</script>'),
    3,
    "l'élément <script> n'est pas permis",
)
hostile(
    "SVG avec gestionnaire",
    "content/images/offres/onload.svg",
    SVG.format('<rect width="10" height="10" onload="alert(1)"/>'),
    2,
    "l'attribut « onload »",
)
hostile(
    "SVG avec lien javascript",
    "content/images/offres/lien.svg",
    SVG.format('<use href="javascript:alert(1)"/>'),
    2,
    "le lien « javascript:alert(1) » mène hors de l'image",
)
hostile(
    "SVG avec foreignObject",
    "content/images/offres/html.svg",
    SVG.format('<foreignObject><p xmlns="http://www.w3.org/1999/xhtml">x</p></foreignObject>'),
    2,
    "l'élément <foreignObject> n'est pas permis",
)
hostile(
    "SVG avec référence extérieure",
    "content/images/offres/externe.svg",
    SVG.format('<rect fill="url(https://pisteur.example.com/x.svg#p)"/>'),
    2,
    "désigne une ressource extérieure",
)
hostile(
    "SVG avec entités",
    "content/images/offres/entites.svg",
    '<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">]>\n<svg xmlns="http://www.w3.org/2000/svg">&a;</svg>\n',
    2,
    "ne doit pas déclarer d'entités",
)
hostile(
    "page déguisée en PNG",
    "content/images/offres/page.png",
    "<html><script>alert(1)</script></html>",
    0,
    "ce fichier n'est pas une image PNG",
)

# --- Point 2: symbolic links to files and folders outside the project (made by the fixture) ---------
SECRET = "SECRET-HORS-DU-PROJET"
LINKS = {  # link in the project → (target outside it, words of the message)
    "content/images/offres/fuite.svg": ("secret.svg", "ce fichier est un lien symbolique vers"),
    "content/images/dossier-lie": ("dossier-secret", "ce dossier est un lien symbolique vers"),
    "content/pages/fuite.md": ("page.md", "ce fichier est un lien symbolique vers"),
    "offers/fuite.yaml": ("offre.yaml", "ce fichier est un lien symbolique vers"),
}
for link, (_target, words) in LINKS.items():
    CORPUS[f"lien {link}"] = (link, "", 0, words + " « ")


@pytest.fixture(scope="module")
def hostile_project(tmp_path_factory) -> Project:
    base = tmp_path_factory.mktemp("hostile")
    outside = base / "ailleurs"
    (outside / "dossier-secret").mkdir(parents=True)
    (outside / "secret.svg").write_text(SVG.format(f"<title>{SECRET}</title>"), encoding="utf-8")
    (outside / "dossier-secret" / "secret.svg").write_text(SVG.format(f"<title>{SECRET}</title>"), encoding="utf-8")
    (outside / "page.md").write_text(f"Title: {SECRET}\nSlug: fuite\n\n{SECRET}\n", encoding="utf-8")
    (outside / "offre.yaml").write_text(offer("LF-2026-999", description=SECRET), encoding="utf-8")
    project = Project(base / "projet")
    for path, text, _line, _words in CORPUS.values():
        if path not in LINKS:
            project.write(path, text)
    for link, (target, _words) in LINKS.items():
        project.path(link).symlink_to(outside / target)
    project.write("output/index.html", "le site précédent")
    return project


def _run(project: Project, *args: str, timeout: int = 300) -> tuple[subprocess.CompletedProcess, float]:
    started = time.monotonic()
    result = project.run(*args) if timeout is None else _run_with_timeout(project, args, timeout)
    return result, time.monotonic() - started


def _run_with_timeout(project: Project, args: tuple[str, ...], timeout: int) -> subprocess.CompletedProcess:
    import os

    from conftest import ROOT

    env = {**os.environ, "TERRITOIRE_PROJECT": str(project.root)}
    return subprocess.run(
        [str(ROOT / ".venv" / "bin" / "invoke"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
    )


@pytest.fixture(scope="module")
def validated(hostile_project):
    return _run(hostile_project, "validate")


@pytest.fixture(scope="module")
def built(hostile_project, validated):
    return _run(hostile_project, "build", "--date", BUILD_DATE)


@pytest.mark.parametrize("name", list(CORPUS))
def test_validate_names_the_hostile_file_and_line_in_french(name, validated):
    path, _text, line, words = CORPUS[name]
    result, _seconds = validated
    assert result.returncode == 1, result.stdout[-2000:] + result.stderr[-2000:]
    assert "Traceback" not in result.stderr and "Error" not in result.stderr, result.stderr[-2000:]
    messages = [m for m in result.stdout.splitlines() if m.startswith((f"{path}:", f"{path} "))]
    where = f"{path}:{line}:" if line else f"{path} — "
    assert any(m.startswith(where) and words in m for m in messages), messages or result.stdout[-3000:]
    assert all(len(m) < 400 for m in messages), "un message tient sur une ligne"


def test_validate_answers_quickly_on_the_hostile_corpus(validated):
    result, seconds = validated
    assert result.returncode == 1
    assert seconds < 60, f"invoke validate a pris {seconds:.0f} s"


def test_build_refuses_the_hostile_corpus_in_french_and_keeps_the_previous_site(built, hostile_project):
    result, seconds = built
    assert result.returncode == 1
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    assert "le contenu contient des erreurs : rien n'a été construit, le site précédent est intact" in result.stderr
    assert seconds < 120, f"invoke build a pris {seconds:.0f} s"
    assert (hostile_project.output / "index.html").read_text(encoding="utf-8") == "le site précédent"
    assert [p.name for p in hostile_project.output.iterdir()] == ["index.html"]
    assert not [p.name for p in hostile_project.root.iterdir() if p.name.startswith(".output-")]


def test_nothing_outside_the_project_is_read_or_reported(validated, built):
    for result, _seconds in (validated, built):
        assert SECRET not in result.stdout + result.stderr


def test_bodies_just_under_the_bound_are_accepted_and_render_fast():
    from territoire.markup import markdown_hazard, render

    ordinary = (
        "Voir [le site](https://exemple.fr) et [la carte] [1].\n\n> citation\n>\n> - point\n\n" * 200
        + "[1]: https://exemple.fr/carte"
    )
    assert markdown_hazard(ordinary) is None
    near_bound = "[" * 900
    assert markdown_hazard(near_bound) is None
    started = time.process_time()  # CPU time: the machine's other work does not count
    render(near_bound)
    assert time.process_time() - started < 1.0
    assert re.search(r"<a href=\"https://exemple.fr\"", render(ordinary))
