"""The kit's tests stand apart from the Livradois-Forez sample: a copy of the kit's repository
from which every file of the sample is deleted (its content, its offers, its settings and tasks,
its own tests and tools) still runs the kit's tests (a fast subset here: a real pytest, its real
exit code)."""

from __future__ import annotations

import shutil

import pytest
from kit_helpers import BIN, KIT, copy_tracked, git, run

pytestmark = pytest.mark.xdist_group("kit-territoires")

# The Livradois-Forez site in the kit's repository: what a territory deletes.
SAMPLE = [
    "content",
    "offers",
    "pelicanconf.py",
    "publishconf.py",
    "tasks.py",
    "tools",
    "BENCHMARKS.md",
    "tests/cms",
    "tests/lighthouse",
]
# Fast kit tests (no site build): the questionnaire's checks and the partners' mistakes.
SUBSET = "wrong_intercommunality or (test_kit_mistakes and not previous_site)"


def test_the_kit_s_tests_run_once_every_sample_file_is_deleted(tmp_path):
    repo = copy_tracked(KIT, tmp_path / "kit")
    for name in SAMPLE:
        path = repo / name
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    sample_tests = sorted(repo.glob("tests/*.py"))  # the sample's tests and their conftest.py
    assert len(sample_tests) > 30
    for path in sample_tests:
        path.unlink()
    assert not (repo / "content").exists() and not list((repo / "tests").glob("*.py"))
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=Kit", "-c", "user.email=kit@example.org", "commit", "-qm", "Sans le Livradois-Forez")

    result = run(
        repo,
        str(BIN / "pytest"),
        "tests/kit",
        "-n", "0", "-p", "no:cacheprovider",
        "-k", SUBSET,
        "--basetemp", str(tmp_path / "base"),
        check=False,
    )  # fmt: skip
    said = result.stdout + result.stderr
    assert result.returncode == 0, said[-4000:]
    assert "6 passed" in said and "error" not in said.lower(), said[-4000:]
    assert f"rootdir: {repo}" in said
