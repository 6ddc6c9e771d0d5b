"""A territory takes another version of the kit (`make upgrade`, `invoke upgrade`): copier
re-applies the kit's template at the new version over the territory's repository with a
three-way merge (the template at the old version, the territory's files, the template at the
new version), so the territory's content and its edits to the template's files are kept. Lines
both sides changed are left as conflicts, between ``<<<<<<<`` and ``>>>>>>>``, and listed here.
Then the environment is reinstalled at the new version (requirements.txt pins the kit)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ANSWERS = ".copier-answers.yml"
MARKERS = ("<<<<<<< ", ">>>>>>> ")


class UpgradeError(Exception):
    """The upgrade cannot start or did not finish: the message says why, in French."""


def _git(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=project, capture_output=True, text=True, encoding="utf-8")


def conflicted_files(project: Path) -> list[str]:
    """Files the merge left with conflict markers (or a .rej file beside them)."""
    listed = _git(project, "ls-files", "--cached", "--others", "--exclude-standard")
    found = []
    for name in listed.stdout.splitlines():
        path = project / name
        if name.endswith(".rej"):
            found.append(name[: -len(".rej")])
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if any(line.startswith(MARKERS) for line in text.splitlines()):
            found.append(name)
    return sorted(set(found))


def upgrade(project: Path, version: str | None = None, reinstall: bool = True) -> list[str]:
    """Upgrade ``project`` to the kit's ``version`` (a tag; None: the latest). Returns the files
    left in conflict (empty: a clean upgrade)."""
    import copier

    if not (project / ANSWERS).is_file():
        raise UpgradeError(
            f"{ANSWERS} est introuvable : ce dossier n'a pas été créé avec le modèle du kit "
            "(kit-territoire nouveau DOSSIER), il ne peut pas être mis à jour ainsi."
        )
    status = _git(project, "status", "--porcelain")
    if status.returncode != 0:
        raise UpgradeError(
            "ce dossier n'est pas un dépôt git ; attendu : le dépôt du site (git init, puis un premier commit)."
        )
    if status.stdout.strip():
        raise UpgradeError(
            "des modifications ne sont pas enregistrées (git status) ; enregistrez-les d'abord "
            '(git commit -am "…") : la mise à jour doit pouvoir être relue et annulée.'
        )
    before = _answers_commit(project)
    print(
        f"Mise à jour du kit (version actuelle : {before or 'inconnue'}, demandée : {version or 'la plus récente'})…",
        flush=True,
    )
    try:
        copier.run_update(
            dst_path=str(project),
            vcs_ref=version,
            defaults=True,  # the territory's answers are kept
            overwrite=True,
            unsafe=True,  # the template's questionnaire filters (territoire.questionnaire)
            conflict="inline",
            quiet=True,
        )
    except Exception as exc:  # copier's own errors carry their English text: say what to do in French
        raise UpgradeError(
            f"la mise à jour n'a pas pu se faire ({type(exc).__name__} : {exc}). Rien n'a été enregistré ; git status montre l'état du dossier."
        ) from None
    after = _answers_commit(project)
    conflicts = conflicted_files(project)
    changed = [line[3:] for line in _git(project, "status", "--porcelain").stdout.splitlines()]
    print(f"  version du kit : {before} → {after} ; {len(changed)} fichier(s) modifié(s) par la mise à jour.")
    if reinstall and (project / "requirements.txt").is_file():
        print("Installation de la nouvelle version du kit dans .venv/…", flush=True)
        pip = subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "-r",
                "requirements.txt",
            ],
            cwd=project,
        )
        if pip.returncode != 0:
            raise UpgradeError(
                "l'installation de la nouvelle version a échoué (voir ci-dessus) ; corrigez requirements.txt puis relancez make html."
            )
        (project / ".venv" / ".installed").touch()
    if conflicts:
        print(f"✘ {len(conflicts)} conflit(s) : le kit et vous avez changé les mêmes lignes de :")
        for name in conflicts:
            print(f"  - {name}")
        print(
            "  Dans chacun, les deux versions sont gardées entre <<<<<<< et >>>>>>> : choisissez, supprimez\n"
            '  les marqueurs, puis make html et git commit -am "Kit ' + str(after) + '".'
        )
    else:
        print(f'✔ Mise à jour terminée sans conflit. Vérifiez avec make html, puis : git commit -am "Kit {after}".')
    return conflicts


def _answers_commit(project: Path) -> str | None:
    import yaml

    try:
        data = yaml.safe_load((project / ANSWERS).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return None
    return data.get("_commit")
