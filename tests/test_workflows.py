"""The GitHub workflows shipped with the kit run green, step by step, as GitHub would run them:
in a fresh git clone, on a pull-request branch, every `run:` step of pr.yml then deploy.yml in
order (only the `gh` comment step and the `uses:` steps — checkout, Python, artifacts — are left
out: they need GitHub itself)."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import BUILD_DATE, ROOT
from territoire.settings import THEME_PATH as KIT_THEME
from territoire.vendor import PACKAGES, ensure_installed

# The build date of the sample content, as CI gives it (SOURCE_DATE_EPOCH, reproducible builds).
EPOCH = str(int(dt.datetime.fromisoformat(f"{BUILD_DATE}T12:00:00+00:00").timestamp()))
GITHUB_VALUES = {"github.base_ref": "main", "vars.SITEURL": "https://cap-actif.example.org"}


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        [
            "git",
            "-c",
            "user.name=Partenaire",
            "-c",
            "user.email=partenaire@example.org",
            "-c",
            "init.defaultBranch=main",
            *args,
        ],
        cwd=cwd,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def _expand(text: str) -> str:
    def value(match: re.Match) -> str:
        name = match.group(1).strip()
        assert name in GITHUB_VALUES, f"expression GitHub inattendue : {name}"
        return GITHUB_VALUES[name]

    return re.sub(r"\$\{\{(.*?)\}\}", value, text)


def run_steps(workflow: str, clone: Path, env: dict[str, str]) -> list[str]:
    """Run every `run:` step of the workflow's jobs in order, as GitHub does (bash -e)."""
    document = yaml.safe_load((clone / workflow).read_text(encoding="utf-8"))
    ran = []
    for job in document["jobs"].values():
        for step in job.get("steps", []):
            command = step.get("run")
            if command is None or command.lstrip().startswith("gh "):
                continue
            step_env = {
                **env,
                **{k: _expand(str(v)) for k, v in (step.get("env") or {}).items() if "github.token" not in str(v)},
            }
            result = subprocess.run(
                ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", _expand(command)],
                cwd=clone,
                env=step_env,
                capture_output=True,
                text=True,
                encoding="utf-8",
            )
            assert result.returncode == 0, (
                f"{workflow}, étape « {step.get('name')} » : code {result.returncode}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
            )
            assert "Traceback" not in result.stderr, result.stderr
            ran.append(step.get("name") or command)
    return ran


@pytest.fixture(scope="module")
def pull_request(tmp_path_factory) -> Path:
    """The network's repository (the kit as it is here, committed on main), cloned, with a
    partner's pull-request branch that lowers a price and removes the offer's photo."""
    base = tmp_path_factory.mktemp("workflows")
    upstream = base / "depot"
    files = git(ROOT, "ls-files", "--cached", "--others", "--exclude-standard", "-z").split("\0")
    for name in filter(None, files):
        source = ROOT / name
        if source.is_file():
            (upstream / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, upstream / name)
    git(upstream, "init", "-q")
    git(upstream, "add", "-A")
    git(upstream, "commit", "-qm", "Site du réseau")

    clone = base / "clone"
    git(base, "clone", "-q", str(upstream), str(clone))
    git(clone, "checkout", "-q", "-b", "baisse-prix-boulangerie")
    offer = clone / "offers" / "boulangerie-patisserie-ambert.yaml"
    text = offer.read_text(encoding="utf-8")
    photos = re.search(r"(?m)^photos:\n(?:  .*\n)+", text).group(0)
    offer.write_text(text.replace("prix: 85000", "prix: 79000").replace(photos, ""), encoding="utf-8")
    git(clone, "commit", "-qam", "Boulangerie d'Ambert : prix revu")

    # What CI caches between runs: the Python environment and the npm package the first build
    # downloads. The clone uses this project's, so the test stays offline.
    (clone / ".venv").symlink_to(ROOT / ".venv")
    stamp = ROOT / ".venv" / ".installed"
    for name in ("requirements.txt", "pyproject.toml"):
        os.utime(clone / name, (stamp.stat().st_mtime - 10,) * 2)
    ensure_installed(KIT_THEME, say=lambda _: None)
    for package in PACKAGES:
        for name in package.files.values():
            target = clone / KIT_THEME.relative_to(ROOT) / "static" / package.folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(KIT_THEME / "static" / package.folder / name, target)
        shutil.copy2(KIT_THEME / f".{package.name}.installe", clone / KIT_THEME.relative_to(ROOT) / f".{package.name}.installe")
    return clone


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TERRITOIRE_", "PYTEST", "VIRTUAL_ENV"))}
    return {**env, "CI": "true", "GITHUB_ACTIONS": "true", "SOURCE_DATE_EPOCH": EPOCH}


def test_pull_request_workflow_runs_green_and_summarizes_the_change(pull_request):
    ran = run_steps(".github/workflows/pr.yml", pull_request, _env())
    assert ran == ["Installer l'environnement", "Vérifier le contenu", "Construire le site", "Résumer les changements"]
    assert (pull_request / "output" / "offres" / "boulangerie-patisserie-ambert" / "index.html").is_file()
    summary = (pull_request / "resume.md").read_text(encoding="utf-8").replace("\u00a0", " ")
    assert "## Effet de la modification sur le site (par rapport à `origin/main`)" in summary
    assert (
        "- modifiée : **Boulangerie-pâtisserie à reprendre au cœur d'Ambert** (LF-2026-014)\n  - prix : 85 000 € → 79 000 €\n  - photos : retiré\n"
        in summary
    )
    assert "- ✔ contenu valide." in summary
    # The missing photo is the one new warning; those already on main are counted apart.
    assert re.search(
        r"^- 1 nouvel avertissement apporté par la modification :\n  - `offers/boulangerie-patisserie-ambert\.yaml:\d+:1` — l'offre n'a pas de photo.*\n- \d+ avertissements déjà présents avant la modification\.$",
        summary,
        re.M,
    ), summary


def test_deploy_workflow_runs_green_and_publishes_no_server_configuration(pull_request):
    ran = run_steps(".github/workflows/deploy.yml", pull_request, _env())
    assert ran == [
        "Installer l'environnement",
        "Vérifier le contenu",
        "Construire le site (réglages de production)",
        "Retirer la configuration du serveur (non publiée)",
    ]
    public = pull_request / "public"
    assert (public / "index.html").is_file() and not (public / "_hebergement").exists()
    assert "https://cap-actif.example.org/offres/" in (public / "index.html").read_text(encoding="utf-8")
