"""The kit's invoke tasks. A territory's tasks.py imports them (``from territoire.tasks import *``)
and may add its own; they work on the project in the current folder (the one holding
pelicanconf.py), which that tasks.py makes current. Run them with `.venv/bin/invoke <task>`, or
through make.

    invoke build [--date AAAA-MM-JJ] [--settings publishconf.py] [--output DIR]
    invoke validate [--format texte|github|json] [--strict] [-- FICHIER…]
    invoke serve [--port 8000]
"""

from __future__ import annotations

import gc
import os
import shlex
import sys
from pathlib import Path

from invoke import Exit, task

# What a territory's tasks.py takes with ``from territoire.tasks import *``.
__all__ = [
    "build",
    "contributing",
    "diff",
    "new_event",
    "new_offer",
    "new_partner",
    "outputs",
    "publish",
    "schemas",
    "serve",
    "upgrade",
    "validate",
]


def _project() -> Path:
    """The project: the current folder (a territory's tasks.py makes it its own folder)."""
    return Path.cwd()


# Each task imports what it runs: `invoke outputs` answers without loading the whole build.


@task(
    help={
        "date": "date de construction AAAA-MM-JJ (par défaut : SOURCE_DATE_EPOCH, sinon aujourd'hui)",
        "settings": "fichier de réglages (pelicanconf.py ou publishconf.py)",
        "output": "dossier de sortie (par défaut : output/)",
    }
)
def build(c, date=None, settings="pelicanconf.py", output=None):
    """Vérifie le contenu puis construit le site dans output/ (rien n'est écrasé en cas d'erreur)."""
    from territoire.build import build as build_site
    from territoire.run import BuildError

    try:
        build_site(settings, output=output, date=date)
    except BuildError as exc:
        raise Exit(f"✘ Échec : {exc}", code=1) from None
    # The process ends here: spare it the final garbage collection over everything the build
    # made (0.3 s at 5,000 offers).
    gc.freeze()


@task(
    iterable=["fichier"],
    help={
        "fichier": "fichier à vérifier (répétable : -f a.yaml -f b.md ; ou, après « -- », une liste : invoke validate -- a.yaml b.md ; par défaut : tout le contenu)",
        "format": "texte (défaut), github (annotations) ou json",
        "strict": "les avertissements comptent comme des erreurs",
    },
)
def validate(c, fichier=None, format="texte", strict=False):
    """Vérifie les offres, partenaires, événements et pages, et leurs renvois (tout, ou les fichiers nommés)."""
    if format not in ("texte", "github", "json"):
        raise Exit(f"format « {format} » inconnu ; attendu : texte, github ou json.", code=2)
    # Invoke tasks take no list of positional arguments: the paths come with -f, or after « -- ».
    paths = [*(fichier or []), *shlex.split(c.remainder or "")]
    from territoire.build import check, fewer_collections, read_settings
    from territoire.report import print_report
    from territoire.settings import project_root

    settings = read_settings()
    only = _named_files(paths, project_root(settings)) if paths else None
    with fewer_collections():
        site = check(settings, only=only)
    gc.freeze()  # the process ends after the report: no final collection through the content
    checked = len(site.offers) + len(site.partners) + len(site.events) + len(site.year_reports)
    try:
        print_report(site.report, fmt=format, checked=len(only) if only else checked, strict=strict)
        sys.stdout.flush()
    except BrokenPipeError:  # `invoke validate | head`: the reader has gone; the exit code still tells
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    if site.report.errors or (strict and site.report.warnings):
        raise Exit(code=1)


def _named_files(paths: list[str], root: Path) -> set[Path]:
    """The files named on the command line, each checked to exist inside the project."""
    found = set()
    for name in paths:
        path = Path(name).resolve()
        if not path.is_file():
            raise Exit(
                f"✘ « {name} » n'existe pas (ou n'est pas un fichier) ; attendu : le chemin d'un fichier de contenu, par exemple offers/mon-offre.yaml.",
                code=2,
            )
        if not path.is_relative_to(root.resolve()):
            raise Exit(
                f"✘ « {name} » n'est pas dans le projet ({root}) ; attendu : un fichier de offers/ ou de content/.",
                code=2,
            )
        found.add(path)
    return found


@task(
    help={
        "port": "port local (défaut 8000)",
        "date": "date de construction AAAA-MM-JJ",
        "settings": "fichier de réglages (défaut pelicanconf.py)",
    }
)
def serve(c, port=8000, date=None, settings="pelicanconf.py"):
    """Construit le site, le sert sur http://127.0.0.1:PORT et le reconstruit à chaque modification."""
    from territoire.serve import serve as serve_site

    serve_site(port=int(port), date=date, settings_file=settings)


@task
def schemas(c):
    """Régénère les schémas JSON de schemas/ à partir des modèles (à lancer après un changement de modèle)."""
    from territoire.schemas import write_schemas

    for path in write_schemas(_project() / "schemas"):
        print(f"écrit : {path.relative_to(_project())}")


def _scaffold(kind: str, date: str | None, options: dict) -> None:
    from territoire import scaffold
    from territoire.build import check, read_settings

    site = check(read_settings())
    root = site.config.ROOT
    given = {k: v for k, v in options.items() if v is not None}
    interactive = sys.stdin.isatty() or not given
    try:
        today = scaffold.parse_date(date, site.build_date)
        path = getattr(scaffold, f"new_{kind}")(site, root, today, given, interactive)
    except (scaffold.ScaffoldError, EOFError) as exc:
        raise Exit(f"✘ {exc or 'saisie interrompue'}", code=1) from None
    print(path.relative_to(root))


@task(
    name="new-offer",
    help={
        "titre": "titre de l'offre",
        "nature": "reprise, creation, local, foncier ou association",
        "secteur": "secteur d'activité",
        "commune": "nom ou code INSEE de la commune",
        "referent": "identifiant du partenaire référent",
        "date": "date de publication AAAA-MM-JJ (défaut : aujourd'hui)",
    },
)
def new_offer(c, titre=None, nature=None, secteur=None, commune=None, referent=None, date=None):
    """Crée une nouvelle offre valide (questions posées pour ce qui manque) et affiche son chemin."""
    _scaffold(
        "offer", date, {"titre": titre, "nature": nature, "secteur": secteur, "commune": commune, "referent": referent}
    )


@task(
    name="new-event",
    help={
        "titre": "titre",
        "type": "type d'événement",
        "debut": "AAAA-MM-JJ HH:MM",
        "fin": "AAAA-MM-JJ HH:MM",
        "lieu": "lieu",
        "commune": "nom ou code INSEE (toute la France)",
    },
)
def new_event(c, titre=None, type=None, debut=None, fin=None, lieu=None, commune=None):
    """Crée un nouvel événement valide et affiche son chemin."""
    _scaffold(
        "event", None, {"titre": titre, "type": type, "debut": debut, "fin": fin, "lieu": lieu, "commune": commune}
    )


@task(
    name="new-partner",
    help={
        "nom": "nom de la structure",
        "type": "type de structure",
        "commune": "nom ou code INSEE du siège",
        "id": "identifiant (nom du fichier)",
    },
)
def new_partner(c, nom=None, type=None, commune=None, id=None):
    """Crée un nouveau partenaire valide et affiche son chemin."""
    _scaffold("partner", None, {"nom": nom, "type": type, "commune": commune, "id": id})


@task
def contributing(c):
    """Régénère les tableaux de champs de CONTRIBUTING.md à partir des modèles."""
    from territoire.contributing import update

    changed = update(_project() / "CONTRIBUTING.md")
    print("CONTRIBUTING.md mis à jour." if changed else "CONTRIBUTING.md était déjà à jour.")


@task(
    help={
        "base": "révision git de référence (branche, étiquette ou commit ; défaut : main)",
        "construction": "issue de la construction du site, pour la vérification d'une demande de modification : success, failure ou skipped (valeurs de GitHub Actions)",
    }
)
def diff(c, base="main", construction=None):
    """Résume en Markdown ce que la modification change sur le site public (pour une demande de modification)."""
    from territoire.build import read_settings
    from territoire.sitediff import summarize

    try:
        text, _valid = summarize(read_settings(), base, construction)
    except ValueError as exc:
        raise Exit(f"✘ {exc}", code=2) from None
    print(text, end="")


@task(
    help={
        "target": "cible : un nom de PUBLISH_TARGETS ou une adresse (file://, rsync://, utilisateur@hôte:/chemin, ghpages://, dépôt git, dossier)",
        "date": "date de construction AAAA-MM-JJ",
        "settings": "fichier de réglages (défaut : publishconf.py)",
    }
)
def publish(c, target=None, date=None, settings="publishconf.py"):
    """Construit le site avec publishconf.py, vérifie chaque lien interne, puis le publie (rien n'est publié en cas d'erreur)."""
    from territoire.build import publish as publish_site
    from territoire.publishers import PublishError

    try:
        publish_site(target=target, date=date, settings_file=settings)
    except PublishError as exc:
        raise Exit(f"✘ Échec : {exc}", code=1) from None


@task(
    help={
        "output": "dossier du site construit (par défaut : output/, ou celui de TERRITOIRE_PROJECT)",
    }
)
def outputs(c, output=None):
    """Liste chaque fichier du site construit avec le code et le gabarit qui l'écrivent ; avec des adresses après « -- » (invoke outputs -- /offres/ /carte/), seulement celles-ci."""
    from territoire.outputs import Registry, describe

    if output is None:
        from territoire.build import read_settings

        output = read_settings()["OUTPUT_PATH"]
    folder = Path(output)
    try:
        registry = Registry.load(folder)
    except FileNotFoundError:
        raise Exit(
            f"✘ {folder}/ ne contient pas de site construit par cette version ; construisez-le d'abord : invoke build.",
            code=2,
        ) from None
    urls = shlex.split(c.remainder or "")
    if not urls:
        for line in describe(registry):
            print(line)
        return
    missing = False
    for url in urls:
        found = registry.find(url)
        if found is None:
            print(f"{url} : aucun fichier du site à cette adresse.")
            missing = True
        else:
            print(f"{url} →")
            for line in describe([found]):
                print(line)
    if missing:
        raise Exit(code=1)


@task(
    help={
        "version": "version du kit à prendre (étiquette, par exemple v0.3.0 ; défaut : la plus récente)",
    }
)
def upgrade(c, version=None):
    """Passe le projet à une autre version du kit : les fichiers du modèle sont fusionnés avec vos modifications, les conflits signalés."""
    from territoire.upgrade import UpgradeError
    from territoire.upgrade import upgrade as upgrade_project

    try:
        conflicts = upgrade_project(_project(), version)
    except UpgradeError as exc:
        raise Exit(f"✘ {exc}", code=1) from None
    if conflicts:
        raise Exit(code=1)
