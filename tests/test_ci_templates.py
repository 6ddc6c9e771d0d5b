"""The CI templates shipped for the network's repository only call make targets and invoke
tasks that exist."""

from __future__ import annotations

import re
import subprocess

import pytest
import yaml
from conftest import ROOT

TEMPLATES = [".github/workflows/pr.yml", ".github/workflows/deploy.yml", ".gitlab-ci.yml"]


def _commands(node) -> list[str]:
    """Every shell command (`run:` of GitHub steps, `script:`/`before_script:` of GitLab jobs)."""
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "run" and isinstance(value, str):
                found.append(value)
            elif key in ("script", "before_script") and isinstance(value, list):
                found += [v for v in value if isinstance(v, str)]
            else:
                found += _commands(value)
    elif isinstance(node, list):
        for item in node:
            found += _commands(item)
    return found


@pytest.fixture(scope="module")
def tasks() -> set[str]:
    listing = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "invoke"), "--list"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
    ).stdout
    return {
        line.split()[0]
        for line in listing.splitlines()
        if line.startswith("  ") and line.strip() and not line.startswith("    ")
    }


def test_templates_parse_and_reference_existing_targets_and_tasks(tasks):
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([\w./-]+)\s*:(?!=)", makefile, re.M)) | {"$(STAMP)"}
    stamp = re.search(r"^STAMP\s*:=\s*(\S+)", makefile, re.M).group(1).replace("$(VENV)", ".venv")
    targets.add(stamp)
    seen_make, seen_invoke = set(), set()
    for template in TEMPLATES:
        document = yaml.safe_load((ROOT / template).read_text(encoding="utf-8"))
        assert isinstance(document, dict), template
        for command in _commands(document):
            for target in re.findall(r"(?:^|&&|;|\|\|)\s*make\s+([\w./-]+)", command, re.M):
                seen_make.add(target)
                assert target in targets, f"{template} : la cible « make {target} » n'existe pas dans le Makefile"
            for task in re.findall(r"invoke\s+([\w-]+)", command):
                seen_invoke.add(task)
                assert task in tasks, f"{template} : la tâche « invoke {task} » n'existe pas"
    assert {"html", ".venv/.installed"} <= seen_make
    assert {"validate", "build", "diff"} <= seen_invoke


def test_github_workflows_use_the_pages_actions():
    deploy = yaml.safe_load((ROOT / ".github/workflows/deploy.yml").read_text(encoding="utf-8"))
    uses = {step.get("uses", "").split("@")[0] for job in deploy["jobs"].values() for step in job["steps"]}
    assert {"actions/upload-pages-artifact", "actions/deploy-pages"} <= uses
    pr = yaml.safe_load((ROOT / ".github/workflows/pr.yml").read_text(encoding="utf-8"))
    assert "pull_request" in pr[True] if True in pr else "pull_request" in pr["on"]  # YAML 1.1 reads `on` as True
    gitlab = yaml.safe_load((ROOT / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    assert gitlab["pages"]["artifacts"]["paths"] == ["public"]


def test_github_workflows_keep_the_image_and_content_caches_between_runs():
    """Publication restores the last image and content caches before building and saves them
    after (a cold build of a large board encodes thousands of pictures and lays out the brochure);
    a pull request only reads them."""
    from territoire.config import DEFAULTS

    assert DEFAULTS["TERRITOIRE_CACHE_IMAGES"] is None  # None: .cache/images/
    assert DEFAULTS["TERRITOIRE_CACHE_CONTENU"] is None  # None: .cache/contenu/
    for name, action in (("deploy.yml", "actions/cache"), ("pr.yml", "actions/cache/restore")):
        workflow = yaml.safe_load((ROOT / ".github/workflows" / name).read_text(encoding="utf-8"))
        steps = next(iter(workflow["jobs"].values()))["steps"]
        uses = [step.get("uses", "").split("@")[0] for step in steps]
        assert action in uses, f"{name} : pas d'étape {action}"
        cache = steps[uses.index(action)]
        assert cache["with"]["path"].split() == [".cache/images", ".cache/contenu"], name
        assert cache["with"]["restore-keys"] == "construction-", name
        build = next(
            i for i, step in enumerate(steps) if "build" in step.get("run", "") or "make html" in step.get("run", "")
        )
        assert uses.index(action) < build, f"{name} : le cache est repris après la construction"


def test_gitlab_keeps_the_image_and_content_caches_between_pipelines():
    gitlab = yaml.safe_load((ROOT / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    assert {".cache/images", ".cache/contenu", ".cache/pip"} <= set(gitlab["cache"]["paths"])
    assert all("cache" not in job for name, job in gitlab.items() if isinstance(job, dict) and "script" in job)
