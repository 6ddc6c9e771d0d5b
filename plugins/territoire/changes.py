"""Where a content file stands in git: added by the change under review, or already on the
branch the site is published from.

The change under review is measured against its base: the pull request's target branch on
GitHub (GITHUB_BASE_REF, fetched as origin/<branch>), else the remote's default branch
(origin/HEAD, origin/main). Without git or without a remote, only uncommitted files are known
to be new. Validation uses it where the same content means two things: a reference used twice
is the new file's mistake (an error) but, once both offers are on the published branch (two
pull requests checked apart, merged one after the other), it must not stop the publication.
"""

from __future__ import annotations

import functools
import os
import subprocess
from pathlib import Path


def _git(root: Path, *args: str) -> subprocess.CompletedProcess | None:
    try:
        return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None


@functools.cache
def base_revision(root: Path) -> str | None:
    """The revision the change under review is compared with, or None (no remote, no git)."""
    wanted = [f"origin/{os.environ['GITHUB_BASE_REF']}"] if os.environ.get("GITHUB_BASE_REF") else []
    for revision in [*wanted, "origin/HEAD", "origin/main", "origin/master"]:
        found = _git(root, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
        if found is not None and found.returncode == 0:
            return revision
    return None


def in_base(root: Path, source: str) -> bool | None:
    """Whether the file (path relative to the repository's root) is on the base branch; None
    when there is no base to compare with."""
    base = base_revision(root)
    if base is None:
        return None
    found = _git(root, "cat-file", "-e", f"{base}:{source}")
    return found is not None and found.returncode == 0


def uncommitted(root: Path, source: str) -> str:
    """git's short status of the file (« ?? » untracked, « M » modified…), « » when committed
    as it is or outside git."""
    found = _git(root, "status", "--porcelain", "--", source)
    return found.stdout[:2].strip() if found is not None and found.returncode == 0 else ""


def is_added(root: Path, source: str) -> bool:
    """Added by the change under review: absent from the base branch, or not yet committed
    at all when there is no base."""
    known = in_base(root, source)
    return not known if known is not None else uncommitted(root, source) == "??"


def is_published(root: Path, source: str) -> bool:
    """Already on the base branch as it is (committed, unchanged since)."""
    return bool(in_base(root, source)) and not uncommitted(root, source)
