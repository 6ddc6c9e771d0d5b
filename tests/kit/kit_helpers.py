"""What the kit's tests share (tests/kit/): the kit's repository, the environment the kit is
installed in, commands run as a coordinator types them, and a territory made by the template.
Nothing here reads the Livradois-Forez sample: a territory that deletes it keeps these tests."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from dom_query import Node, parse  # built pages, read with a real HTML5 parser

KIT = Path(__file__).resolve().parents[2]  # the kit's repository: copier.yml, template/, plugins/
KIT_VERSION = tomllib.loads((KIT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
BIN = Path(sys.executable).parent  # the environment the kit is installed in (.venv/bin)

# Every command runs at this build date (2026-11-18): tests never depend on the real clock.
SOURCE_DATE_EPOCH = "1795000000"


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True, encoding="utf-8").stdout


def run(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """A command in ``cwd``, with none of the test session's settings leaking into it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TERRITOIRE_", "PYTEST", "VIRTUAL_ENV"))}
    env["SOURCE_DATE_EPOCH"] = SOURCE_DATE_EPOCH
    result = subprocess.run(list(args), cwd=cwd, env=env, capture_output=True, text=True, encoding="utf-8")
    if check:
        assert result.returncode == 0, (
            f"{' '.join(args)} : code {result.returncode}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
    return result


def copy_tracked(source: Path, dest: Path) -> Path:
    """The files git knows in ``source`` (committed or not, ignored ones left out), as a clean
    clone has them: no .venv, no output, no downloaded vendor files."""
    names = git(source, "ls-files", "--cached", "--others", "--exclude-standard", "-z").split("\0")
    for name in filter(None, names):
        path = source / name
        if path.is_symlink() or path.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, dest / name, follow_symlinks=False)
    return dest


def new_territory(source: Path, dest: Path, *answers: str) -> subprocess.CompletedProcess:
    """`kit-territoire nouveau DEST --source SOURCE --sans-questions --reponse …`."""
    command = [str(BIN / "kit-territoire"), "nouveau", str(dest), "--source", str(source), "--sans-questions"]
    for answer in answers:
        command += ["--reponse", answer]
    return run(dest.parent, *command, check=False)


class Territory:
    """A territory's repository made by the template, its content written as partners write it,
    built with the kit of this environment (its tasks.py runs the kit's tasks on its folder)."""

    def __init__(self, root: Path):
        self.root = root
        self.output = root / "output"

    def write(self, files: dict[str, str]) -> None:
        for name, text in files.items():
            path = self.root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")

    def invoke(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return run(self.root, str(BIN / "invoke"), *args, check=check)

    def page(self, address: str) -> Node:
        """A built page, by its address: « offres/ » reads output/offres/index.html."""
        return parse(self.output / (address + "index.html" if address.endswith("/") or not address else address))

    def text(self, name: str) -> str:
        return (self.output / name).read_text(encoding="utf-8")

    def scratch(self, dest: Path, with_site: bool = False) -> Territory:
        """A copy of the territory's sources (and of its built site ``with_site``), to break or add files in."""
        ignored = (".cache",) if with_site else ("output", ".cache")
        shutil.copytree(self.root, dest, symlinks=True, ignore=shutil.ignore_patterns(*ignored))
        return Territory(dest)
