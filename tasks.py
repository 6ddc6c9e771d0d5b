"""Tasks of the Livradois-Forez site: the kit's tasks (build, validate, serve, new-offer, publish,
diff…; see `invoke --list`), plus the kit developers' own tools (benchmark, generated projects),
which live in this repository only (tools/).

    invoke build [--date AAAA-MM-JJ] [--settings publishconf.py] [--output DIR]
    invoke validate [--format texte|github|json] [--strict] [-- FICHIER…]
    invoke serve [--port 8000]
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from invoke import task

ROOT = Path(__file__).resolve().parent
os.chdir(ROOT)  # the kit's tasks work on the project in the current folder: this one
sys.path.insert(0, str(ROOT))  # tools/: the developers' tools (benchmark, generated projects)

from territoire.tasks import *  # noqa: E402,F403  (the kit's tasks)


@task(
    name="generate-offers",
    help={
        "offers": "nombre d'offres à générer (défaut 300)",
        "dest": "dossier du projet à créer (offers/ et content/ y sont remplacés)",
        "seed": "graine du générateur (même graine ⇒ mêmes fichiers)",
    },
)
def generate_offers(c, offers=300, dest="build/projet-synthetique", seed=0):
    """Génère un projet fictif de N offres (tests de charge) ; construisez-le avec TERRITOIRE_PROJECT=DOSSIER."""
    from tools.synthetic import generate

    target = Path(dest).resolve()
    generate(target, int(offers), int(seed))
    print(f"{offers} offres générées dans {target} ; construisez-le avec : TERRITOIRE_PROJECT={target} invoke build")


@task(
    help={
        "offers": "nombre d'offres générées (défaut 5000)",
        "write": "écrire les résultats dans BENCHMARKS.md (défaut : oui ; --no-write pour seulement les afficher)",
        "keep": "conserver le dossier temporaire (pour l'examiner)",
        "repetitions": "mesures faites en alternance, la médiane compte (défaut 5)",
        "froid": "parmi elles, combien commencent par une construction à froid, caches vides (défaut 2)",
    }
)
def bench(c, offers=5000, write=True, keep=False, repetitions=5, froid=2):
    """Banc d'essai : construit N offres fictives et compare à Pelican nu (N articles) ; résultats dans BENCHMARKS.md."""
    from tools.bench import markdown, run, write_markdown

    results = run(int(offers), keep=keep, repetitions=max(1, int(repetitions)), cold=max(0, int(froid)))
    print()
    print(markdown(results))
    if write:
        write_markdown(results, ROOT / "BENCHMARKS.md")
        print("Résultats écrits dans BENCHMARKS.md.")
