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
        encoding="utf-8",
    ).stdout


def _expand(text: str, outcomes: dict[str, str] | None = None, values: dict[str, str] | None = None) -> str:
    known = {**GITHUB_VALUES, **(values or {})}

    def value(match: re.Match) -> str:
        name = match.group(1).strip()
        if step := re.fullmatch(r"steps\.([\w-]+)\.outcome", name):
            return (outcomes or {}).get(step.group(1), "")
        assert name in known, f"expression GitHub inattendue : {name}"
        return known[name]

    return re.sub(r"\$\{\{(.*?)\}\}", value, text)


def _should_run(condition: str | None, outcomes: dict[str, str], failed: bool) -> bool:
    """A step's `if:` as GitHub evaluates it: without a status function (always(), failure()…),
    the step runs only when every step before it succeeded. The terms used by the kit's
    workflows: status functions, step outcomes compared with ==/!=, and GitHub's own context
    (true here: the pull request comes from the repository itself)."""
    if not condition:
        return not failed
    terms = [t.strip() for t in condition.split("&&")]
    result = True if any(t in ("always()", "failure()") for t in terms) else not failed
    for term in terms:
        if term == "always()":
            continue
        if term == "failure()":
            result &= failed
        elif term == "success()":
            result &= not failed
        elif compared := re.fullmatch(r"steps\.([\w-]+)\.outcome\s*(==|!=)\s*'(\w+)'", term):
            outcome = outcomes.get(compared.group(1), "skipped")
            result &= (outcome == compared.group(3)) == (compared.group(2) == "==")
        else:
            assert term.startswith("github."), f"condition GitHub inattendue : {term}"
    return result


def run_job(
    workflow: str, clone: Path, env: dict[str, str], values: dict[str, str] | None = None
) -> list[tuple[str, str, str]]:
    """Run the `run:` steps of the workflow's jobs as GitHub does (bash -e, each step's `if:`,
    later steps skipped after a failure unless their condition says otherwise). Returns
    (step, outcome, output) for each step that ran or was skipped."""
    document = yaml.safe_load((clone / workflow).read_text(encoding="utf-8"))
    done = []
    for job in document["jobs"].values():
        outcomes: dict[str, str] = {}
        failed = False
        for step in job.get("steps", []):
            command = step.get("run")
            if command is None or command.lstrip().startswith("gh "):
                continue
            name = step.get("name") or command
            if not _should_run(step.get("if"), outcomes, failed):
                outcomes[step.get("id", name)] = "skipped"
                done.append((name, "skipped", ""))
                continue
            step_env = {
                **env,
                **{
                    k: _expand(str(v), outcomes, values)
                    for k, v in (step.get("env") or {}).items()
                    if "github.token" not in str(v)
                },
            }
            result = subprocess.run(
                ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", _expand(command, outcomes, values)],
                cwd=clone,
                env=step_env,
                capture_output=True,
                text=True,
                encoding="utf-8",
            )
            assert "Traceback" not in result.stderr, result.stderr
            outcome = "success" if result.returncode == 0 else "failure"
            failed |= outcome == "failure"
            outcomes[step.get("id", name)] = outcome
            done.append((name, outcome, result.stdout + result.stderr))
    return done


def run_steps(workflow: str, clone: Path, env: dict[str, str]) -> list[str]:
    """Run every `run:` step of the workflow's jobs in order, each one green."""
    ran = []
    for name, outcome, output in run_job(workflow, clone, env):
        assert outcome == "success", f"{workflow}, étape « {name} » : {outcome}\n{output[-3000:]}"
        ran.append(name)
    return ran


@pytest.fixture(scope="module")
def kit_repository(tmp_path_factory) -> Path:
    """The network's repository on its Git host: the kit as it is here, committed on main."""
    base = tmp_path_factory.mktemp("depot")
    work = base / "initial"
    files = git(ROOT, "ls-files", "--cached", "--others", "--exclude-standard", "-z").split("\0")
    for name in filter(None, files):
        source = ROOT / name
        if source.is_file():
            (work / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, work / name)
    git(work, "init", "-q")
    git(work, "add", "-A")
    git(work, "commit", "-qm", "Site du réseau")
    upstream = base / "depot.git"
    git(base, "clone", "-q", "--bare", str(work), str(upstream))
    return upstream


def ci_clone(upstream: Path, clone: Path) -> Path:
    """A clone of the repository as a CI runner (or a partner's machine) has it."""
    git(clone.parent, "clone", "-q", str(upstream), str(clone))
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
        shutil.copy2(
            KIT_THEME / f".{package.name}.installe", clone / KIT_THEME.relative_to(ROOT) / f".{package.name}.installe"
        )
    return clone


@pytest.fixture(scope="module")
def pull_request(kit_repository, tmp_path_factory) -> Path:
    """A clone with a partner's pull-request branch that lowers a price and removes the
    offer's photo."""
    clone = ci_clone(kit_repository, tmp_path_factory.mktemp("workflows") / "clone")
    git(clone, "checkout", "-q", "-b", "baisse-prix-boulangerie")
    offer = clone / "offers" / "boulangerie-patisserie-ambert.yaml"
    text = offer.read_text(encoding="utf-8")
    photos = re.search(r"(?m)^photos:\n(?:  .*\n)+", text).group(0)
    offer.write_text(text.replace("prix: 85000", "prix: 79000").replace(photos, ""), encoding="utf-8")
    git(clone, "commit", "-qam", "Boulangerie d'Ambert : prix revu")
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
        "Vérifier l'adresse publique du site",
        "Vérifier le contenu",
        "Construire le site (réglages de production)",
        "Retirer la configuration du serveur (non publiée)",
    ]
    public = pull_request / "public"
    assert (public / "index.html").is_file() and not (public / "_hebergement").exists()
    assert "https://cap-actif.example.org/offres/" in (public / "index.html").read_text(encoding="utf-8")


def _outcomes(done: list[tuple[str, str, str]]) -> dict[str, str]:
    return {name: outcome for name, outcome, _ in done}


def _comment_step_runs(done: list[tuple[str, str, str]]) -> bool:
    """Whether GitHub would run pr.yml's `gh pr comment` step after these steps."""
    document = yaml.safe_load((ROOT / ".github/workflows/pr.yml").read_text(encoding="utf-8"))
    steps = document["jobs"]["verifier"]["steps"]
    ids = {step.get("name"): step.get("id", step.get("name")) for step in steps}
    outcomes = {ids[name]: outcome for name, outcome, _ in done}
    comment = next(step for step in steps if str(step.get("run", "")).startswith("gh pr comment"))
    return _should_run(comment["if"], outcomes, failed="failure" in outcomes.values())


def _checked_change(upstream: Path, folder: Path, relative: str, old: str, new: str) -> tuple[dict[str, str], str]:
    """A partner's pull request that replaces ``old`` by ``new`` in one file, checked by pr.yml:
    the steps' outcomes and the summary posted as a comment (it always is)."""
    clone = ci_clone(upstream, folder / "clone")
    git(clone, "checkout", "-q", "-b", "modification")
    changed = clone / relative
    if not changed.exists() and relative.startswith("theme/"):  # a template of the kit, overridden here
        changed.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(KIT_THEME / changed.relative_to(clone / "theme"), changed)
    changed.write_text(changed.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    git(clone, "add", "-A")
    git(clone, "commit", "-qm", "Modification")
    done = run_job(".github/workflows/pr.yml", clone, _env())
    assert _comment_step_runs(done)  # the partner reads the summary as a comment of the pull request
    return _outcomes(done), (clone / "resume.md").read_text(encoding="utf-8")


def _pr_outcomes(verification: str, construction: str) -> dict[str, str]:
    """pr.yml's steps and their outcomes: the summary is always written."""
    return {
        "Installer l'environnement": "success",
        "Vérifier le contenu": verification,
        "Construire le site": construction,
        "Résumer les changements": "success",
    }


def test_a_pull_request_with_errors_still_gets_its_summary(kit_repository, tmp_path):
    outcomes, summary = _checked_change(
        kit_repository, tmp_path, "offers/boulangerie-patisserie-ambert.yaml", "secteur: commerce", "secteur: comerce"
    )
    assert outcomes == _pr_outcomes(verification="failure", construction="skipped")
    assert "- ✘ **1 erreur** : le site ne sera pas publié tant qu'elles ne sont pas corrigées." in summary
    assert re.search(
        r"^  - `offers/boulangerie-patisserie-ambert\.yaml:5:10` — secteur : « comerce » n'est pas permis ; vouliez-vous dire « commerce » \? Valeurs permises : .*\.$",
        summary,
        re.M,
    ), summary
    assert "- la construction du site n'a pas été lancée : corrigez d'abord les erreurs ci-dessus." in summary


def test_a_pull_request_whose_build_fails_says_so(kit_repository, tmp_path):
    outcomes, summary = _checked_change(
        kit_repository, tmp_path, "theme/templates/layouts/base.html", "</body>", "{{ 1 | filtre_inconnu }}</body>"
    )
    assert outcomes == _pr_outcomes(verification="success", construction="failure")
    assert "- ✔ contenu valide." in summary
    assert (
        "- ✘ **la construction du site a échoué**, alors que le contenu est valide : rien ne sera publié tant qu'elle "
        "échoue. Le journal de l'étape « Construire le site » (onglet « Checks » de la demande) dit pourquoi ; "
        "transmettez-le à la coordination du site si le message ne parle pas d'un de vos fichiers."
    ) in summary


def test_deploy_refuses_to_build_without_siteurl(kit_repository, tmp_path):
    clone = ci_clone(kit_repository, tmp_path / "clone")
    done = run_job(".github/workflows/deploy.yml", clone, _env(), {"vars.SITEURL": ""})
    assert [(name, outcome) for name, outcome, _ in done] == [
        ("Installer l'environnement", "success"),
        ("Vérifier l'adresse publique du site", "failure"),
        ("Vérifier le contenu", "skipped"),
        ("Construire le site (réglages de production)", "skipped"),
        ("Retirer la configuration du serveur (non publiée)", "skipped"),
    ]
    assert done[1][2].splitlines()[0] == (
        "::error::La variable SITEURL n'est pas définie : le site serait construit avec des adresses relatives "
        "(plan du site, flux, brochure PDF qui renverrait vers « sur le site/offres/ »). Définissez-la dans "
        "Settings › Secrets and variables › Actions › Variables (par exemple https://www.mon-reseau.fr), "
        "puis relancez la publication. Rien n'a été publié."
    )
    assert not (clone / "public").exists()


def _new_offer(clone: Path, branch: str, titre: str, commune: str, description: str) -> str:
    """A partner's branch from main with one offer made by `invoke new-offer`, pushed."""
    from test_scaffold import replace_placeholder

    git(clone, "checkout", "-q", "-b", branch, "origin/main")
    made = subprocess.run(
        [".venv/bin/invoke", "new-offer", "--titre", titre, "--nature", "reprise", "--secteur", "commerce"]
        + ["--commune", commune, "--referent", "cci-ambert", "--date", BUILD_DATE],
        cwd=clone,
        env=_env(),
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
    )
    path = made.stdout.strip().splitlines()[-1]
    replace_placeholder(clone / path, description)
    git(clone, "add", path)
    git(clone, "commit", "-qm", titre)
    git(clone, "push", "-q", "origin", branch)
    return path


def _pull_request_checkout(clone: Path, branch: str) -> None:
    """What GitHub checks for a pull request: its branch merged into the base as it is now."""
    git(clone, "fetch", "-q", "origin")
    git(clone, "checkout", "-q", "--detach", "origin/main")
    git(clone, "merge", "-q", "--no-ff", "--no-edit", f"origin/{branch}")


def _merge(maintainer: Path, branch: str) -> None:
    """« Merge pull request » on the Git host."""
    git(maintainer, "fetch", "-q", "origin")
    git(maintainer, "checkout", "-q", "main")
    git(maintainer, "merge", "-q", "--ff-only", "origin/main")
    git(maintainer, "merge", "-q", "--no-ff", "--no-edit", f"origin/{branch}")
    git(maintainer, "push", "-q", "origin", "main")


def test_two_branches_taking_the_same_reference_never_stop_the_publication(kit_repository, tmp_path):
    """Two partners run `invoke new-offer` on branches made from the same main: both get the
    same reference, each branch passes alone. The second pull request, checked once the first
    is merged, is refused with the reference to write; merged anyway (its check ran before the
    first was merged), main still publishes, the second offer under the next free reference."""
    first = ci_clone(kit_repository, tmp_path / "partenaire-1")
    second = ci_clone(kit_repository, tmp_path / "partenaire-2")
    garage = _new_offer(first, "garage-viverols", "Garage à reprendre à Viverols", "Viverols", "Un garage de village avec sa clientèle, son atelier équipé et un logement au-dessus.")  # fmt: skip
    epicerie = _new_offer(second, "epicerie-arlanc", "Épicerie à reprendre à Arlanc", "Arlanc", "Une épicerie de bourg avec sa clientèle fidèle, un laboratoire et une réserve.")  # fmt: skip
    for clone, path in ((first, garage), (second, epicerie)):
        assert "reference: LF-2026-022\n" in (clone / path).read_text(encoding="utf-8")

    pr_env = {**_env(), "GITHUB_BASE_REF": "main"}  # set by GitHub for pull_request events
    check = tmp_path / "ci"
    ci_clone(kit_repository, check)
    validate = ".venv/bin/invoke validate --format github"  # pr.yml's « Vérifier le contenu »
    assert validate in (ROOT / ".github/workflows/pr.yml").read_text(encoding="utf-8")
    for branch in ("garage-viverols", "epicerie-arlanc"):  # each pull request alone passes
        _pull_request_checkout(check, branch)
        alone = subprocess.run(
            ["bash", "-c", validate], cwd=check, env=pr_env, capture_output=True, text=True, encoding="utf-8"
        )
        assert alone.returncode == 0, alone.stdout + alone.stderr

    maintainer = ci_clone(kit_repository, tmp_path / "coordination")
    _merge(maintainer, "garage-viverols")
    # The second pull request checked again, now that the first is on main: refused, the fix named.
    _pull_request_checkout(check, "epicerie-arlanc")
    done = run_job(".github/workflows/pr.yml", check, pr_env)
    assert _outcomes(done)["Vérifier le contenu"] == "failure"
    annotation = f"::error file={epicerie},line=2,col=12::reference : « LF-2026-022 » est déjà la référence de {garage} ; donnez à cette offre la prochaine référence libre : LF-2026-023."
    assert annotation in done[1][2].splitlines()
    assert (
        f"  - `{epicerie}:2:12` — reference : « LF-2026-022 » est déjà la référence de {garage} ; donnez à cette offre la prochaine référence libre : LF-2026-023."
        in (check / "resume.md").read_text(encoding="utf-8").splitlines()
    )

    # Merged anyway: main's publication goes on.
    _merge(maintainer, "epicerie-arlanc")
    deploy = ci_clone(kit_repository, tmp_path / "publication")
    done = run_job(".github/workflows/deploy.yml", deploy, _env())
    assert all(outcome == "success" for _, outcome, _ in done), done
    assert (
        f"::warning file={epicerie},line=2,col=12::reference : « LF-2026-022 » est aussi la référence de {garage} "
        "(deux offres ajoutées en parallèle) ; cette offre est publiée sous la référence LF-2026-023 : écrivez "
        "« reference: LF-2026-023 » dans ce fichier pour la garder."
    ) in done[2][2].splitlines()
    public = deploy / "public" / "offres"
    garage_page = (public / "garage-a-reprendre-a-viverols" / "index.html").read_text(encoding="utf-8")
    assert "Réf. LF-2026-022 · publiée le" in garage_page
    page = (public / "epicerie-a-reprendre-a-arlanc" / "index.html").read_text(encoding="utf-8")
    assert "Réf. LF-2026-023 · publiée le" in page and "Réf. LF-2026-022" not in page


# --- GitLab: .gitlab-ci.yml's jobs, their script lines run as the GitLab runner runs them -------


def run_gitlab_job(job: str, clone: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    """The job's `before_script` then `script` lines, in one bash with errexit, as the GitLab
    runner runs them (the image's `apt-get install` left out: the tools are on this machine)."""
    document = yaml.safe_load((clone / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    lines = [line for line in document["before_script"] if not line.startswith("apt-get")]
    lines += document[job]["script"]
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", "\n".join(lines)],
        cwd=clone,
        env={**env, "GITLAB_CI": "true"},
        capture_output=True,
        text=True,
        encoding="utf-8",
    )


@pytest.fixture
def gitlab_api():
    """A stand-in for GitLab's notes API (POST …/merge_requests/<iid>/notes) on a free port:
    what it received, as (path, token, form fields)."""
    import threading
    import urllib.parse
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    received: list[tuple[str, str, dict[str, list[str]]]] = []

    class Notes(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"])).decode("utf-8")
            received.append((self.path, self.headers.get("PRIVATE-TOKEN", ""), urllib.parse.parse_qs(body)))
            self.send_response(201)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"id": 1}')

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Notes)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/api/v4", received
    server.shutdown()


def _merge_request_env(api: str, token: str = "") -> dict[str, str]:
    """The variables GitLab gives a merge request pipeline (and the project's note token)."""
    env = {
        **{k: v for k, v in _env().items() if k != "GITHUB_ACTIONS"},
        "CI_PIPELINE_SOURCE": "merge_request_event",
        "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main",
        "CI_API_V4_URL": api,
        "CI_PROJECT_ID": "42",
        "CI_MERGE_REQUEST_IID": "7",
    }
    return {**env, "GITLAB_NOTE_TOKEN": token} if token else env


def _merge_request_with_an_error(upstream: Path, folder: Path) -> Path:
    """A clone on a merge request's branch that misspells an offer's sector."""
    clone = ci_clone(upstream, folder / "clone")
    git(clone, "checkout", "-q", "-b", "modification")
    offer = clone / "offers" / "boulangerie-patisserie-ambert.yaml"
    text = offer.read_text(encoding="utf-8")
    offer.write_text(text.replace("secteur: commerce", "secteur: comerce"), encoding="utf-8")
    git(clone, "commit", "-qam", "Modification")
    return clone


def test_gitlab_merge_request_with_errors_gets_its_summary_as_a_note(kit_repository, tmp_path, gitlab_api):
    api, received = gitlab_api
    clone = _merge_request_with_an_error(kit_repository, tmp_path)
    result = run_gitlab_job("verifier", clone, _merge_request_env(api, token="jeton-du-projet"))
    assert result.returncode != 0  # the merge request shows the check failed
    assert "Traceback" not in result.stdout + result.stderr
    summary = (clone / "resume.md").read_text(encoding="utf-8")
    error = re.search(r"^  - `offers/boulangerie-patisserie-ambert\.yaml:5:10` — secteur : « comerce » n'est pas permis ; vouliez-vous dire « commerce » \? .*$", summary, re.M)  # fmt: skip
    assert error, summary
    assert "- la construction du site n'a pas été lancée : corrigez d'abord les erreurs ci-dessus." in summary
    assert error.group(0) in result.stdout  # the job's log shows the summary too
    assert received == [("/api/v4/projects/42/merge_requests/7/notes", "jeton-du-projet", {"body": [summary]})]
    job = yaml.safe_load((clone / ".gitlab-ci.yml").read_text(encoding="utf-8"))["verifier"]
    assert job["artifacts"]["when"] == "always" and "resume.md" in job["artifacts"]["paths"]
    assert job["artifacts"]["expose_as"] == "Résumé de la vérification"


def test_gitlab_merge_request_without_a_token_keeps_its_summary_in_the_job(kit_repository, tmp_path, gitlab_api):
    api, received = gitlab_api
    clone = _merge_request_with_an_error(kit_repository, tmp_path)
    result = run_gitlab_job("verifier", clone, _merge_request_env(api))
    assert result.returncode != 0 and received == []
    assert "- ✘ **1 erreur** : le site ne sera pas publié tant qu'elles ne sont pas corrigées." in result.stdout


def test_gitlab_pages_refuses_to_build_without_siteurl(kit_repository, tmp_path):
    clone = ci_clone(kit_repository, tmp_path / "clone")
    env = {k: v for k, v in _env().items() if k not in ("GITHUB_ACTIONS", "SITEURL", "CI_PAGES_URL")}
    result = run_gitlab_job("pages", clone, env)
    assert result.returncode == 1
    assert result.stdout.splitlines()[-1] == (
        "La variable SITEURL n'est pas définie : le site serait construit avec des adresses relatives "
        "(plan du site, flux, brochure PDF qui renverrait vers « sur le site/offres/ »). Définissez-la dans "
        "Settings › CI/CD › Variables (par exemple https://www.mon-reseau.fr), puis relancez la publication. "
        "Rien n'a été publié."
    )
    assert not (clone / "public").exists()
