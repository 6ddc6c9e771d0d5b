"""Writing the rendered pages on a second thread while the next ones are rendered.

At 5,000 offers the site has some 6,000 pages, nearly all in a folder of their own
(``/offres/<slug>/index.html``): creating the folders and files is system time spent in the
kernel (about a quarter of the single-threaded page-writing step on this machine's ext4), during
which the rendering thread would otherwise wait. ``PageWriter`` takes each rendered page from
the generator, creates its folder, writes it and hands it, already in memory, to the search
index (no reading back), on a thread of its own: system calls release the interpreter lock, so
rendering and writing overlap, on the core Pagefind leaves free.

Each file is a route of the table (routes.py), declared in the output registry before anything
was written (outputs.py, generator.py): the writer only writes, and hands the searchable pages
on to the search index.

A failure to write (a full disk, a folder that cannot be made) is kept and raised in the
rendering thread at the next page or at ``flush()``: the build stops and nothing is swapped in.

In the preview's partial rebuilds (incremental.py), the writer works in the site already
there: a page the edit did not touch is ``Kept`` (only handed to the search index, which reads
its file), and every file written replaces the previous one by renaming a new file over it, so
that a file linked to a cache (images.CachedFile) is never written through.
"""

from __future__ import annotations

import os
import queue
import shutil
import threading
from collections.abc import Callable

from .images import CachedFile

# Rendered pages waiting to be written: enough to keep the writer busy, few enough (10 KiB
# each at most a few dozen) that memory does not grow with the site.
QUEUE_SIZE = 256


class Kept:
    """A page of the site already there, as the previous build wrote it: nothing to write."""


KEPT = Kept()


class PageWriteError(Exception):
    """A page could not be written: the message says which and why, in French."""


class PageWriter:
    """Write pages and data files (text or bytes) in order on a background thread;
    ``to_index(path, html)`` is called for each searchable page once written (``html`` None: a
    kept page, to be read from its file)."""

    def __init__(self, root: str, to_index: Callable[[str, str | None], None] | None = None, replace: bool = False):
        self._root = root
        self._to_index = to_index
        self._replace = replace  # files already there are replaced, never written through
        self._queue: queue.Queue = queue.Queue(QUEUE_SIZE)
        self._folders: set[str] = set()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="ecriture-des-pages", daemon=True)
        self._thread.start()

    def submit(self, path: str, content: str | bytes | CachedFile | Kept, searchable: bool = False) -> None:
        """Queue a page or data file (``path``: relative to the site's root)."""
        self._raise_if_failed()
        self._queue.put((path, content, searchable))

    def flush(self) -> None:
        """Wait until every queued page is written (and handed on); raise a write failure."""
        self._queue.join()
        self._raise_if_failed()

    def close(self) -> None:
        """Flush, then stop the thread."""
        try:
            self.flush()
        finally:
            self._stop()

    def __enter__(self) -> PageWriter:
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if kind is None:
            self.close()
        else:  # the build already failed: stop without hiding its error
            self._stop()

    def _stop(self) -> None:
        self._queue.put(None)
        self._thread.join()

    def _raise_if_failed(self) -> None:
        if self._error is not None:
            raise PageWriteError(f"une page n'a pas pu être écrite ({self._error}).") from self._error

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            try:
                if item is None:
                    return
                if self._error is None:
                    self._write(*item)
            except BaseException as exc:  # kept for the rendering thread, which raises it
                self._error = exc
            finally:
                self._queue.task_done()

    def _write(self, relative: str, content: str | bytes | CachedFile | Kept, searchable: bool) -> None:
        path = os.path.join(self._root, relative)
        if isinstance(content, Kept):
            if self._to_index is not None and searchable:
                self._to_index(path, None)  # the index reads it when it needs it
            return
        write_file(path, content, self._replace, self._folders)
        if self._to_index is not None and searchable and not isinstance(content, CachedFile):
            self._to_index(path, content)


class DirectWriter:
    """A page writer without a thread, for the second process that renders and writes a share
    of the pages (secondprocess.py): the same files, written at once; none goes to the index."""

    def __init__(self, root: str):
        self._root = root
        self._folders: set[str] = set()

    def submit(self, path: str, content: str | bytes | CachedFile | Kept, searchable: bool = False) -> None:
        if not isinstance(content, Kept):
            write_file(os.path.join(self._root, path), content, False, self._folders)


def write_file(path: str, content: str | bytes | CachedFile, replace: bool, folders: set[str]) -> None:
    """Write one file of the site (``folders``: those already made; ``replace``: a file already
    there is replaced by renaming a new one over it, never written through)."""
    folder = os.path.dirname(path)
    if folder not in folders:
        os.makedirs(folder, exist_ok=True)
        folders.add(folder)
    target = f"{path}.{os.getpid()}.tmp" if replace else path
    if isinstance(content, CachedFile):
        try:
            os.link(content.path, target)
        except OSError:  # another file system, or links refused: a plain copy
            shutil.copyfile(content.path, target)
        else:  # the cache writes through mkstemp (0600): published files are 0644
            os.chmod(target, 0o644)
    else:
        # Bytes as given, text in UTF-8, line ends untouched (no newline translation).
        with open(target, "wb") as out:
            out.write(content if isinstance(content, bytes) else content.encode("utf-8"))
    if target != path:
        os.replace(target, path)
        if os.path.lexists(target):  # renaming a link over a link to the same file does nothing
            os.unlink(target)
