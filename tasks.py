"""Tasks of the site kit (run them with `.venv/bin/invoke <task>`, or through make).

    invoke build [--date AAAA-MM-JJ] [--settings publishconf.py] [--output DIR]
    invoke validate [CHEMINS…] [--format texte|github|json] [--strict]
    invoke serve [--port 8000]
"""

from __future__ import annotations

import sys
from pathlib import Path

from invoke import Exit, task

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "plugins"))

from territoire.build import BuildError, build as build_site, read_settings  # noqa: E402
from territoire.report import print_report  # noqa: E402
from territoire.site import load_site  # noqa: E402


@task(
    help={
        "date": "date de construction AAAA-MM-JJ (par défaut : SOURCE_DATE_EPOCH, sinon aujourd'hui)",
        "settings": "fichier de réglages (pelicanconf.py ou publishconf.py)",
        "output": "dossier de sortie (par défaut : output/)",
    }
)
def build(c, date=None, settings="pelicanconf.py", output=None):
    """Vérifie le contenu puis construit le site dans output/ (rien n'est écrasé en cas d'erreur)."""
    try:
        build_site(settings, output=output, date=date)
    except BuildError as exc:
        raise Exit(f"✘ Échec : {exc}", code=1) from None


@task(
    positional=["paths"],
    iterable=["paths"],
    help={
        "paths": "fichiers à vérifier (par défaut : tout le contenu)",
        "format": "texte (défaut), github (annotations) ou json",
        "strict": "les avertissements comptent comme des erreurs",
    },
)
def validate(c, paths=None, format="texte", strict=False):
    """Vérifie les offres, partenaires et événements, et leurs renvois."""
    if format not in ("texte", "github", "json"):
        raise Exit(f"format « {format} » inconnu ; attendu : texte, github ou json.", code=2)
    settings = read_settings()
    only = {Path(p) for p in paths} if paths else None
    site = load_site(settings, only=only)
    checked = len(site.offers) + len(site.partners) + len(site.events)
    print_report(site.report, fmt=format, checked=None if only else checked)
    if site.report.errors or (strict and site.report.warnings):
        raise Exit(code=1)


@task(help={"port": "port local (défaut 8000)", "date": "date de construction AAAA-MM-JJ"})
def serve(c, port=8000, date=None):
    """Construit le site, le sert sur http://127.0.0.1:PORT et le reconstruit à chaque modification."""
    from territoire.serve import serve as serve_site

    serve_site(port=int(port), date=date)


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
    from territoire.synthetic import generate

    target = Path(dest).resolve()
    generate(target, int(offers), int(seed))
    print(f"{offers} offres générées dans {target} ; construisez-le avec : TERRITOIRE_PROJECT={target} invoke build")
