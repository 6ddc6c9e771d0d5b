"""Putting a built or published site in place in one atomic step, with normal permissions,
and cleaning up after interrupted runs.

The new version is prepared in a sibling staging folder, then exchanged with the target by
``renameat2(RENAME_EXCHANGE)`` (Linux): at every instant the target is a whole site, the old
one or the new one, whatever fails and whenever the process is killed. Staging folders carry
the id of the process that made them (``.<name>-<kind>-<pid>-…``): the next run removes those
whose process is gone.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
STAGING_KINDS = ("construction", "publication", "ancienne", "corbeille", "recherche")


class NoAtomicExchange(OSError):
    """This system or file system cannot exchange two folders atomically."""


def exchange(first: Path, second: Path) -> None:
    """Swap two existing paths atomically (renameat2 with RENAME_EXCHANGE)."""
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:
        raise NoAtomicExchange(errno.ENOSYS, "renameat2 absent")
    if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) != 0:
        code = ctypes.get_errno()
        kind = NoAtomicExchange if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP) else OSError
        raise kind(code, os.strerror(code), str(first), None, str(second))


def new_staging(target: Path, kind: str) -> Path:
    """An empty folder next to ``target`` (0755), once the leftovers of dead runs are removed."""
    remove_leftovers(target)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-{kind}-{os.getpid()}-", dir=target.parent))
    staging.chmod(0o755)  # mkdtemp makes it 0700: a web server running as another user could not read it
    return staging


def remove_leftovers(target: Path) -> list[Path]:
    """Remove the staging folders next to ``target`` left by runs that were killed."""
    pattern = re.compile(rf"\.{re.escape(target.name)}-(?:{'|'.join(STAGING_KINDS)}|precedent)-(\d+)(?:-|$)")
    removed = []
    for entry in target.parent.iterdir() if target.parent.is_dir() else []:
        match = pattern.match(entry.name)
        if match and not _alive(int(match.group(1))):
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def swap_in(staging: Path, target: Path) -> Path | None:
    """Put ``staging`` in ``target``'s place. Returns where the previous version now is (a
    staging name, to be kept or removed by the caller), or None when there was none."""
    if not target.exists() and not target.is_symlink():
        staging.rename(target)
        return None
    try:
        exchange(staging, target)
    except NoAtomicExchange:
        # Not Linux, or a file system without the exchange: two renames, the target missing
        # for an instant in between.
        previous = staging.with_name(
            staging.name.replace("-construction-", "-ancienne-").replace("-publication-", "-ancienne-")
        )
        target.rename(previous)
        try:
            staging.rename(target)
        except OSError:
            previous.rename(target)
            raise
        return previous
    return staging


@contextlib.contextmanager
def readable_files() -> Iterator[None]:
    """Files made meanwhile are 0644 and folders 0755, whatever the user's umask, so a web
    server running as another user can read them all."""
    umask = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(umask)


def normalize_permissions(folder: Path) -> None:
    """0755 for the folders under ``folder``, 0644 for its files: for copies that kept their
    source's mode (Pelican copies the theme's files with theirs)."""
    for parent, dirs, files in os.walk(folder):
        for name in dirs:
            path = os.path.join(parent, name)
            if not os.path.islink(path):
                os.chmod(path, 0o755)
        for name in files:
            path = os.path.join(parent, name)
            if not os.path.islink(path):
                os.chmod(path, 0o644)


@contextlib.contextmanager
def locked(folder: Path) -> Iterator[bool]:
    """Hold an exclusive lock on ``folder`` (yields False if another process holds it)."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(descriptor)
