"""Stage « publish »: the built site sent to static hosting (`invoke publish`).

The driver (build.publish) builds the site with publishconf.py into a temporary folder (content
validation is part of the build), checks every internal link, and only then hands it to the
publisher of the target. Any failure before the last step publishes nothing and leaves the
previous publication intact.

Targets, chosen by the form of their address:

- ``file:///chemin``: copied next to the target then exchanged with it in one atomic step
  (swap.py: the target is always a whole site, even if the publication is killed); the
  previous version stays in ``<chemin>.precedent`` (rollback: swap them back);
- ``rsync://hôte/module/chemin``, ``utilisateur@hôte:/chemin`` or a local folder: rsync with
  ``--delay-updates --delete-after`` (files are replaced at the very end);
- ``ghpages://propriétaire/dépôt`` (GitHub Pages over SSH), a git URL or a local bare
  repository: a single commit on the ``gh-pages`` branch (with ``.nojekyll`` and ``CNAME`` when
  ``PUBLISH_CNAME`` is set), pushed with ``--force``.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from .config import Config
from .routes import HOSTING_DIR
from .swap import locked, new_staging, swap_in

SSH_STYLE = re.compile(r"^[\w.-]+@[\w.-]+:")


class PublishError(Exception):
    """A publication that must stop: the message, in French, says why."""


# What the system said, in French (the copy's own message is English and, for a full disk,
# repeated for every file: one line is enough).
OS_ERRORS = {
    errno.ENOSPC: "le disque est plein",
    errno.EDQUOT: "le quota du disque est atteint",
    errno.EACCES: "permission refusée",
    errno.EPERM: "opération non permise",
    errno.EROFS: "le disque est en lecture seule",
    errno.EIO: "erreur de lecture ou d'écriture du disque",
    errno.ENOENT: "un fichier a disparu pendant la copie",
    errno.ENAMETOOLONG: "un nom de fichier est trop long",
}


def os_error_text(exc: OSError) -> str:
    """One French line for a failed copy: the first failure (shutil.copytree gathers one per
    file), what it was, and how many files failed."""
    failures = exc.args[0] if isinstance(exc, shutil.Error) and exc.args and isinstance(exc.args[0], list) else [exc]
    first = failures[0]
    code = first.errno if isinstance(first, OSError) else None
    if code is None:
        found = re.search(r"\[Errno (\d+)\]", str(first))
        code = int(found.group(1)) if found else None
    what = OS_ERRORS.get(code) or (
        f"erreur du système n° {code}" if code else "un fichier spécial ne peut pas être copié"
    )
    more = f", et {len(failures) - 1} autre(s) fichier(s)" if len(failures) > 1 else ""
    return f"{what}{more}"


def _copy_site(source: Path, destination: Path) -> None:
    shutil.copytree(source, destination, ignore=shutil.ignore_patterns(HOSTING_DIR), symlinks=True, dirs_exist_ok=True)


class FilePublisher:
    """A folder on this machine, replaced in one atomic exchange (swap.py): at every instant it
    holds a whole site, whatever fails or is killed. The previous one is kept for rollback."""

    def __init__(self, path: str | Path):
        self.path = Path(path)

    def __str__(self) -> str:
        return f"file://{self.path}"

    @property
    def previous(self) -> Path:
        return self.path.with_name(self.path.name + ".precedent")

    def publish(self, source: Path) -> None:
        parent = self.path.parent
        existed = self.path.is_dir()
        if not parent.is_dir():
            raise PublishError(f"le dossier {parent} n'existe pas : rien n'a été publié.")
        with locked(parent) as alone:
            if not alone:
                raise PublishError(
                    f"une autre publication vers {self.path} est en cours : rien n'a été publié ; relancez quand elle sera finie."
                )
            try:
                staging = new_staging(self.path, "publication")  # leftovers of killed publications go first
            except OSError as exc:
                raise PublishError(
                    f"impossible d'écrire dans {parent} ({os_error_text(exc)}) : rien n'a été publié."
                ) from None
            try:
                _copy_site(source, staging)
                replaced = swap_in(staging, self.path)
            except OSError as exc:
                shutil.rmtree(staging, ignore_errors=True)
                if self.path.is_dir():
                    state = "la publication précédente est intacte"
                else:
                    state = f"{self.path} n'existe plus" if existed else "aucune publication n'existait à cet endroit"
                raise PublishError(
                    f"la copie vers {self.path} a échoué ({os_error_text(exc)}) : rien n'a été publié, {state}."
                ) from None
            if replaced is not None:
                self._keep(replaced)

    def _keep(self, replaced: Path) -> None:
        """The replaced version becomes <path>.precedent (the one before is removed)."""
        trash = None
        try:
            if self.previous.exists() or self.previous.is_symlink():
                trash = self.previous.with_name(f".{self.path.name}-corbeille-{os.getpid()}")
                self.previous.rename(trash)
            replaced.rename(self.previous)
        except OSError as exc:
            raise PublishError(
                f"le nouveau site est publié dans {self.path}, mais la version précédente n'a pas pu être gardée dans {self.previous} ({os_error_text(exc)})."
            ) from None
        finally:
            for leftover in (trash, replaced):
                if leftover is not None and leftover.exists():
                    shutil.rmtree(leftover, ignore_errors=True)


class RsyncPublisher:
    """rsync to a local folder, an rsync:// module or user@host:/path (over SSH)."""

    def __init__(self, destination: str):
        self.destination = destination

    def __str__(self) -> str:
        return self.destination

    def publish(self, source: Path) -> None:
        if shutil.which("rsync") is None:
            raise PublishError("rsync est introuvable sur cette machine (apt install rsync) : rien n'a été publié.")
        destination = self.destination if self.destination.endswith("/") else self.destination + "/"
        command = [
            "rsync",
            "-a",
            "--delay-updates",
            "--delete-after",
            f"--exclude=/{HOSTING_DIR}/",
            f"{source}/",
            destination,
        ]
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            detail = (result.stderr or result.stdout).strip().splitlines()
            raise PublishError(
                f"rsync vers {self.destination} a échoué ({detail[-1] if detail else result.returncode})."
            )


class GitPublisher:
    """A single commit holding the site on the gh-pages branch, force-pushed."""

    def __init__(self, remote: str, cname: str | None = None, branch: str = "gh-pages"):
        self.remote = remote
        self.cname = cname
        self.branch = branch

    def __str__(self) -> str:
        return f"{self.remote} (branche {self.branch})"

    def publish(self, source: Path) -> None:
        if shutil.which("git") is None:
            raise PublishError("git est introuvable sur cette machine : rien n'a été publié.")
        with tempfile.TemporaryDirectory(prefix="publication-git-") as tmp:
            work = Path(tmp) / "site"
            _copy_site(source, work)
            (work / ".nojekyll").write_text("", encoding="utf-8")
            if self.cname:
                (work / "CNAME").write_text(self.cname.strip() + "\n", encoding="utf-8")
            env = {
                **os.environ,
                "GIT_AUTHOR_NAME": "Publication du site",
                "GIT_AUTHOR_EMAIL": "publication@localhost",
                "GIT_COMMITTER_NAME": "Publication du site",
                "GIT_COMMITTER_EMAIL": "publication@localhost",
            }

            def git(*args: str) -> None:
                result = subprocess.run(["git", "-C", str(work), *args], capture_output=True, text=True, env=env)
                if result.returncode != 0:
                    detail = (result.stderr or result.stdout).strip().splitlines()
                    raise PublishError(
                        f"git {args[0]} a échoué ({detail[-1] if detail else result.returncode}) : rien n'a été publié."
                    )

            git("init", "-q", "-b", self.branch)
            git("add", "-A", "--force", ".")
            git("commit", "-q", "--no-verify", "-m", "Publication du site")
            git("push", "--force", "--quiet", self.remote, f"HEAD:refs/heads/{self.branch}")


def _is_git(target: str) -> bool:
    if target.endswith(".git") or target.startswith(("git@", "git://")):
        return True
    path = Path(target)
    return path.is_dir() and (path / "HEAD").is_file() and (path / "objects").is_dir()


def make_publisher(target: str, cname: str | None = None):
    """The publisher for a target address (see the module docstring); ``cname``: the custom
    domain of a gh-pages publication (PUBLISH_CNAME)."""
    scheme = urlsplit(target).scheme
    if scheme == "file":
        path = urlsplit(target).path
        if not path or path == "/":
            raise PublishError(f"la cible « {target} » ne désigne aucun dossier ; attendu : file:///chemin/du/site.")
        return FilePublisher(path.rstrip("/"))
    if scheme == "ghpages":
        parts = urlsplit(target)
        repo = (parts.netloc + parts.path).strip("/")
        if repo.count("/") != 1:
            raise PublishError(f"la cible « {target} » est incomplète ; attendu : ghpages://propriétaire/dépôt.")
        return GitPublisher(f"git@github.com:{repo}.git", cname)
    if scheme == "rsync":
        return RsyncPublisher(target)
    if _is_git(target) or scheme in ("ssh", "http", "https") and target.rstrip("/").endswith(".git"):
        return GitPublisher(target, cname)
    if scheme in ("http", "https", "ssh"):
        raise PublishError(
            f"la cible « {target} » n'est pas reconnue ; attendu : file://, rsync://, utilisateur@hôte:/chemin, ghpages://, une adresse git ou un dossier."
        )
    if SSH_STYLE.match(target):
        return RsyncPublisher(target)
    return RsyncPublisher(str(Path(target).resolve()))


def resolve_target(target: str | None, config: Config) -> str:
    """A target name from PUBLISH_TARGETS, an address, or PUBLISH_TARGET by default."""
    named = config.PUBLISH_TARGETS
    target = target or config.PUBLISH_TARGET
    if not target:
        raise PublishError(
            "aucune cible de publication : indiquez --target ou réglez PUBLISH_TARGET dans publishconf.py."
        )
    return named.get(target, target)
