"""`kit-territoire`, the kit's own command: ``kit-territoire nouveau DOSSIER`` starts a territory's
repository from the kit's template (copier's questionnaire, then the files), and
``kit-territoire version`` says which version is installed."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from . import __version__

# Where the kit's template comes from: the kit's source repository (a git URL or folder).
# A kit installed from its own source tree (pip install -e) knows that tree.
DEFAULT_SOURCE = Path(__file__).resolve().parents[2]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="kit-territoire", description="Le kit de site d'un réseau d'accueil d'actifs."
    )
    commands = parser.add_subparsers(dest="commande", required=True)
    new = commands.add_parser("nouveau", help="crée le dépôt du site d'un nouveau territoire (questionnaire)")
    new.add_argument("dossier", help="dossier à créer (il ne doit pas exister, ou être vide)")
    new.add_argument("--source", default=None, help="dépôt git du kit (défaut : celui d'où ce kit est installé)")
    new.add_argument("--version", default=None, help="version du kit (étiquette git ; défaut : la plus récente)")
    new.add_argument(
        "--reponse", action="append", default=[], metavar="CLÉ=VALEUR", help="réponse donnée d'avance (répétable)"
    )
    new.add_argument(
        "--sans-questions", action="store_true", help="ne rien demander : réponses données et valeurs par défaut"
    )
    commands.add_parser("version", help="affiche la version du kit installée")
    args = parser.parse_args(argv)

    if args.commande == "version":
        print(__version__)
        return 0
    return _new(args)


def _new(args: argparse.Namespace) -> int:
    import copier

    destination = Path(args.dossier)
    if destination.exists() and any(destination.iterdir()):
        print(f"✘ {destination} existe et n'est pas vide ; attendu : un dossier nouveau.", file=sys.stderr)
        return 2
    source = args.source or str(DEFAULT_SOURCE)
    unsaved = None if args.version else _unsaved_changes(source)
    if unsaved:
        shown = ", ".join(f"« {name} »" for name in unsaved[:3]) + (", …" if len(unsaved) > 3 else "")
        print(
            f"✘ Le dépôt du kit ({source}) a des modifications qui ne sont pas enregistrées dans git "
            f"({len(unsaved)} fichier{'s' if len(unsaved) > 1 else ''} : {shown}). Le nouveau site "
            "épinglerait une version du kit qui n'existe que sur cette machine, et son `make html` ne "
            "pourrait pas l'installer. Enregistrez-les (git commit) ou mettez-les de côté "
            "(git stash --include-untracked), puis relancez ; ou choisissez une version publiée du kit "
            "avec --version. Rien n'a été créé.",
            file=sys.stderr,
        )
        return 2
    data = {}
    for pair in args.reponse:
        key, sep, value = pair.partition("=")
        if not sep:
            print(f"✘ --reponse « {pair} » : attendu CLÉ=VALEUR, par exemple territoire=Creuse.", file=sys.stderr)
            return 2
        data[key.strip()] = value
    try:
        copier.run_copy(
            source,
            str(destination),
            data=data,
            vcs_ref=args.version,
            defaults=args.sans_questions,
            unsafe=True,  # the questionnaire's filters (territoire.questionnaire) check the answers
            quiet=False,
        )
    except (KeyboardInterrupt, EOFError):
        print("\n✘ Questionnaire interrompu : rien n'a été créé.", file=sys.stderr)
        return 1
    except Exception as exc:  # copier reports in English: say it in French, without a traceback
        print(f"✘ Le site n'a pas pu être créé ({type(exc).__name__} : {exc}).", file=sys.stderr)
        return 1
    return 0


def _unsaved_changes(source: str) -> list[str]:
    """The files of the kit's local git repository ``source`` that differ from its last commit
    (changed, new or deleted; ignored files left out); [] for a clean one, a remote or a folder
    outside git. Copier would copy such a repository as it is, through a commit of its own that
    the new site's requirements.txt would pin and no other machine could fetch."""
    path = Path(source)
    if not path.is_dir() or not (path / ".git").exists():
        return []
    try:
        status = subprocess.run(
            ["git", "-C", str(path), "status", "--porcelain", "--untracked-files=all", "-z"],
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=False,
        )
    except OSError:  # git absent: copier says so itself
        return []
    if status.returncode != 0:
        return []
    return sorted(entry[3:] for entry in status.stdout.split("\0") if len(entry) > 3 and entry[2] == " ")


if __name__ == "__main__":
    sys.exit(main())
