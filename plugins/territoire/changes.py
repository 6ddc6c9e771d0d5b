"""Where content files stand in git: added by the change under review, or already on the branch
the site is published from.

The change under review is measured against its base: the pull request's target branch on
GitHub (GITHUB_BASE_REF, fetched as origin/<branch>), else the remote's default branch
(origin/HEAD, origin/main). Without git or without a remote, only uncommitted files are known
to be new. Validation uses it where the same content means two things: a reference used twice
is the new file's mistake (an error) but, once both offers are on the published branch (two
pull requests checked apart, merged one after the other), it must not stop the publication.

Two git commands per validation at most, whatever the number of files, and only when a
question is asked (most validations ask none).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from .sources import any_unsaved, is_unsaved


def _git(root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.decode("utf-8", "surrogateescape") if done.returncode == 0 else None


class Changes:
    """The files of the project ``root`` (paths relative to it, with forward slashes) as git
    sees them, read on the first question."""

    def __init__(self, root: Path):
        self.root = root
        self._base: set[str] | None = None  # files on the base branch (None: no base)
        self._status: dict[str, str] | None = None  # uncommitted files → git's short status

    def _read(self) -> None:
        if self._status is not None:
            return
        self._status = {}
        prefix = _git(self.root, "rev-parse", "--show-prefix")
        if prefix is None:  # not in a git repository
            return
        prefix = prefix.strip()
        wanted = [f"origin/{os.environ['GITHUB_BASE_REF']}"] if os.environ.get("GITHUB_BASE_REF") else []
        for revision in [*wanted, "origin/HEAD", "origin/main", "origin/master"]:
            if _git(self.root, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}") is not None:
                listed = _git(self.root, "ls-tree", "-r", "-z", "--name-only", "--full-name", revision, "--", ".")
                self._base = {p[len(prefix) :] for p in (listed or "").split("\0") if p.startswith(prefix) and p}
                break
        status = _git(self.root, "status", "--porcelain", "-z", "--untracked-files=all", "--", ".") or ""
        entries = iter(status.split("\0"))
        for entry in entries:
            if len(entry) < 4:
                continue
            code, path = entry[:2], entry[3:]
            if code[0] in "RC":  # a rename or copy: the next entry is the former path
                next(entries, None)
            if path.startswith(prefix):
                self._status[path[len(prefix) :]] = code.strip()

    def in_base(self, source: str) -> bool | None:
        """Whether the file is on the base branch; None when there is no base to compare with."""
        self._read()
        return None if self._base is None else source in self._base

    def uncommitted(self, source: str) -> str:
        """git's short status of the file (« ?? » untracked, « M » modified…), « » when it is
        committed as it is, or outside git. A text not yet saved (sources.unsaved) is new or
        modified, as it will be once saved."""
        if any_unsaved() and is_unsaved(self.root / source):  # no path made for each file otherwise
            return "M" if (self.root / source).exists() else "??"
        self._read()
        return self._status.get(source, "")

    def is_added(self, source: str) -> bool:
        """Added by the change under review: absent from the base branch, or not yet committed
        at all when there is no base."""
        known = self.in_base(source)
        return not known if known is not None else self.uncommitted(source) == "??"

    def is_published(self, source: str) -> bool:
        """Already on the base branch as it is (committed, unchanged since)."""
        return bool(self.in_base(source)) and not self.uncommitted(source)
