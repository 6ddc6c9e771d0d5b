"""Rendering a share of the pages in a second process, on the second core.

Jinja renders in Python under the interpreter lock: a thread cannot render on another core.
In a full build of a large site, once the route table is complete (generator.py), the
generator forks: the child process shares the resolved site, the derived data and the compiled
templates with the parent (copy-on-write; the content is frozen, ``gc.freeze``). The routes
are cut into blocks; the child renders every other block and writes its files itself
(pagewriter.DirectWriter), the parent renders the others. Each block is claimed before it is
rendered, in a small table both processes share: a process that gets ahead takes the other's
blocks not yet begun, so neither waits for a slow other (the machine's other work, Pagefind
included, rarely leaves both cores free alike). Nothing is pickled either way; the child says
each block done with a byte on a pipe.

The parent goes through the table in its order: at a block the child took, it waits until the
child has written it, and hands its searchable pages to the search index, which reads them from
their files. Pagefind gets every page in the order of a build on one process, so the index is
the same, and so is every file (tests/test_second_process.py compares the two).

A failure in the child (a template error, a full disk) comes back as its exception and stops
the build as it would on one process; if the parent fails, the child is stopped. Only Linux
forks here (``os.fork`` with the build's threads running is safe there: the child uses none of
them, and leaves through ``os._exit``); elsewhere, or on one core, the parent
renders everything, as before (``processes``; the TERRITOIRE_PROCESSUS setting can ask for
one process). The preview's partial rebuilds, which render a few routes, do not fork.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
import sys
from collections.abc import Callable, Sequence
from typing import Any

from .pagewriter import PageWriteError

# Routes per block: small enough that the two processes keep pace (a block of offer pages is
# some 30 ms of rendering), large enough that claiming a block costs nothing.
BLOCK = 16
# A block's state in the shared table.
FREE, PARENT, CHILD, WRITTEN = 0, 1, 2, 3
# What the child says on its pipe.
DONE, FINISHED, FAILED = b".", b"F", b"E"


def processes(wanted: int | None) -> int:
    """How many processes render a full build's pages: ``wanted`` (the TERRITOIRE_PROCESSUS
    setting: 1, 2, None for as many as useful), 1 where there is no fork to make the second."""
    if sys.platform != "linux" or wanted == 1:
        return 1
    if wanted is None and len(os.sched_getaffinity(0)) < 2:
        return 1
    return 2


def blocks(count: int) -> list[range]:
    """The routes ``0…count-1`` in blocks of ``BLOCK``."""
    return [range(start, min(start + BLOCK, count)) for start in range(0, count, BLOCK)]


class SecondProcess:
    """The child rendering its share of the routes, and what the parent knows of it."""

    def __init__(self, pid: int, reader: int, states, early: int):
        self._pid = pid
        self._reader = reader
        self._states = states  # one per block: the early routes' blocks, then the late ones'
        self._early = early  # how many of them are the early routes'
        self._finished = False

    @classmethod
    def split(
        cls,
        early: Sequence[Any],
        late: Sequence[Any],
        write: Callable[[Any], None],
        use: Callable[[], None],
    ) -> SecondProcess:
        """Fork a child that renders its share of ``early`` then of ``late`` (``write``: render
        and write one route; ``use``: called first in the child, to write its files itself)."""
        first = len(blocks(len(early)))  # the early routes' blocks come first
        cut = [*blocks(len(early)), *blocks(len(late))]
        states = multiprocessing.get_context("fork").Array("b", len(cut))  # shared, with its lock
        reader, writer = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            os.close(reader)
            _child(early, late, cut, first, states, write, use, writer)
        os.close(writer)
        return cls(pid, reader, states, first)

    def parent_renders(self, n: int, late: bool = False) -> bool:
        """Whether the parent renders the ``n``-th early (or late) route: yes if its block is the
        parent's or still free (taken at its first route). No: the child has it; for an early
        route the parent then waits until the child has written the whole block."""
        k = n // BLOCK + (self._early if late else 0)
        if n % BLOCK == 0:
            _claim(self._states, k, PARENT)
        if self._states[k] == PARENT:
            return True
        if not late:
            while self._states[k] != WRITTEN:
                self._next()
        return False

    def join(self) -> None:
        """Wait until the child has written its whole share, and for its end."""
        while not self._finished:
            self._next()
        self._reap()

    def stop(self) -> None:
        """The build failed in the parent: the child is stopped; its files go with the staging
        folder."""
        if self._pid:
            try:
                os.kill(self._pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self._reap()

    def _next(self) -> None:
        said = os.read(self._reader, 1)
        if said == DONE:
            return
        if said == FINISHED:
            self._finished = True
        elif said == FAILED:
            raise self._failure()
        else:  # the pipe closed without a word: the child was killed
            status = self._reap()
            raise PageWriteError(f"le second processus de rendu s'est arrêté sans finir ({_status(status)})")

    def _failure(self) -> BaseException:
        chunks = []
        while chunk := os.read(self._reader, 1 << 16):
            chunks.append(chunk)
        self._reap()
        try:
            return pickle.loads(b"".join(chunks))
        except Exception:  # noqa: BLE001 - whatever it was, the build stops with a message
            return PageWriteError("le second processus de rendu a échoué")

    def _reap(self) -> int:
        status = 0
        if self._pid:
            _, status = os.waitpid(self._pid, 0)
            self._pid = 0
            os.close(self._reader)
        return status


def _claim(states, k: int, who: int) -> bool:
    """Take block ``k`` for ``who`` if nobody has it yet."""
    with states.get_lock():
        if states[k] == FREE:
            states[k] = who
    return states[k] == who


def _child(early, late, cut: list[range], early_blocks: int, states, write, use, pipe: int) -> None:
    """The child's work: its blocks (the odd ones) in order, then, from the end, any block the
    parent has not reached yet."""
    code = 0
    try:
        use()
        order = [*range(1, len(cut), 2), *range(len(cut) - 1, -1, -1)]
        for k in order:
            if not _claim(states, k, CHILD):
                continue
            routes = early if k < early_blocks else late
            for n in cut[k]:
                write(routes[n])
            states[k] = WRITTEN
            os.write(pipe, DONE)
        os.write(pipe, FINISHED)
    except BaseException as exc:  # noqa: BLE001 - handed to the parent, which raises it
        code = 1
        try:
            os.write(pipe, FAILED + _pickled(exc))
        except OSError:
            pass
    finally:
        os._exit(code)


def _pickled(exc: BaseException) -> bytes:
    """The exception as the parent will raise it: itself, or its type and message."""
    try:
        data = pickle.dumps(exc)
        pickle.loads(data)
        return data
    except Exception:  # noqa: BLE001 - an exception that does not travel: its words do
        return pickle.dumps(PageWriteError(f"{type(exc).__name__} : {exc}"))


def _status(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"signal {os.WTERMSIG(status)}"
    return f"code {os.waitstatus_to_exitcode(status)}"
