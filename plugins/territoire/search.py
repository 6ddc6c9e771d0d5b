"""Full-text search: Pagefind indexes the built site and emits its self-hosted UI into
/pagefind/. Pages opt in with ``data-pagefind-body``.

The index is built while the site is written, not after: ``SearchIndex`` starts Pagefind as a
service (``pagefind --service``, the protocol of Pagefind's own Python and Node APIs: base64
JSON messages separated by commas on stdin/stdout) before Pelican runs, hands it every page
that carries ``data-pagefind-body`` as soon as it is written (from memory for the pages the
generator renders, ``pagewriter.py``; read back for those Pelican writes itself, through its
``content_written`` signal), and asks it for its files once the last searchable page is out
(``write_files``; ``_write_index`` writes them), so Pagefind works on the second core while
the rest of the site, the PDF brochure and the hosting files are produced. ``pagefind_index`` (a post-processing step)
waits for it. Without Pagefind, the build says so in French and goes on without an index.

In the preview (`make serve`), Pagefind keeps running from one build to the next with its index
(``keep``): a partial rebuild hands it only the pages written again, which it replaces by their
address, in place (``next_round``), and its files are written in the site's pagefind/ where they
differ, the entry file last (named by their content, the others can be written first without
disturbing the index served). Pagefind has no incremental mode: it still builds the whole index
from the pages it holds, but does not read 2,700 pages again (at 5,000 offers, Pagefind's part
of an update went from about 6 s to 1.5 s). A page that comes or goes: the index is made afresh, in the same
Pagefind, so that its pages are in a full build's order.

A full build's index is kept in the content cache (``SearchCache``): the next build whose
searchable pages are the same, byte for byte, takes it, and Pagefind has nothing to do.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import queue
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from .config import Config
from .contentcache import _write_atomically as write_atomically
from .contentcache import cache_folder as content_cache_folder
from .contentcache import salt
from .images import CachedFile
from .images import _write_atomically as write_image_atomically
from .pagewriter import write_file

if TYPE_CHECKING:
    from .run import Run

INSTALL_HINT = "installez-le avec « pip install 'pagefind[bin]' »"
ENTRY = "pagefind-entry.json"  # Pagefind's entry file: names the index's other files
CACHE_FOLDER = "recherche"  # in the content cache: the last full build's index (SearchCache)


def _read(path: str) -> str:
    with open(path, encoding="utf-8", newline="") as page:
        return page.read()


def _files_under(folder: Path) -> set[str]:
    found = set()
    for base, _dirs, files in os.walk(folder):
        prefix = Path(os.path.relpath(base, folder)).as_posix()
        found.update(name if prefix == "." else f"{prefix}/{name}" for name in files)
    return found


def executable() -> str | None:
    """The Pagefind binary shipped by the ``pagefind[bin]`` package, else one on PATH."""
    try:
        from pagefind_bin import get_executable

        found = Path(get_executable())
        if found.exists():
            return str(found)
    except (ImportError, OSError):
        pass
    return shutil.which("pagefind")


class SearchCache:
    """The last full build's index, kept in the content cache (``.cache/contenu/recherche/``):
    its files, stored by their SHA-256, and the address and SHA-256 of each page it was made
    from, in order. A build whose searchable pages are those, byte for byte, takes the index from
    here and Pagefind does nothing: it has no incremental mode, and reading 2,700 pages then
    building their index cost 3 to 4 s of processor at 5,000 offers, on the cores the pages are
    rendered on. Keyed by content, as the rest of the content cache: a fresh checkout with a
    restored cache reuses it too. Salted with this module, Pagefind's version and its binary."""

    def __init__(self, folder: Path, binary: str, language: str):
        self.folder = folder
        self.blobs = folder / "fichiers"
        self.manifest = folder / "index.json"
        try:
            found = os.stat(binary)
            used = f"{binary}:{found.st_size}:{found.st_mtime_ns}"
        except OSError:
            used = binary
        self.salt = salt(("search.py",), ("pagefind_bin",)) + f":{used}:{language}"
        self.pages: list[str] | None = None  # the last build's pages (``page_key``), in order
        self.files: dict[str, str] = {}  # its index: file path in pagefind/ → SHA-256 (its blob)
        try:
            saved = json.loads(self.manifest.read_text(encoding="utf-8"))
            if saved.get("sel") == self.salt:
                self.pages, self.files = list(saved["pages"]), dict(saved["fichiers"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            pass  # no cache, or a damaged one: the index is made

    @staticmethod
    def page_key(url: str, html: str) -> str:
        return url + "\0" + hashlib.sha256(html.encode("utf-8")).hexdigest()

    def complete(self) -> bool:
        """Every file of the kept index is there."""
        return self.pages is not None and all((self.blobs / sha).is_file() for sha in self.files.values())

    def copy_to(self, folder: Path) -> None:
        """The kept index, in ``folder`` (each file linked to its blob, as the photos are)."""
        made: set[str] = set()
        for relative, sha in self.files.items():
            write_file(str(folder / relative), CachedFile(str(self.blobs / sha)), False, made)

    def save(self, pages: list[str], files: dict[str, bytes]) -> None:
        """Keep this index (``files``: path → content) for the next build; blobs no longer used go."""
        try:
            self.blobs.mkdir(parents=True, exist_ok=True)
            kept = {}
            for relative, content in files.items():
                sha = kept[relative] = hashlib.sha256(content).hexdigest()
                blob = self.blobs / sha
                if not blob.is_file():  # named by its content: one there is the same
                    write_image_atomically(blob, lambda out, data=content: out.write(data))  # as the photos'
            manifest = json.dumps({"sel": self.salt, "pages": pages, "fichiers": kept}, ensure_ascii=False)
            write_atomically(self.manifest, manifest.encode("utf-8"))
            used = set(kept.values())
            for blob in os.scandir(self.blobs):
                if blob.name not in used and not blob.name.startswith("."):  # « .… »: being written
                    os.unlink(blob.path)
        except OSError:
            pass  # a cache that cannot be written: the next build makes its index again


class SearchIndexError(Exception):
    """Pagefind failed: the message says why, in French."""


class SearchIndex:
    """A Pagefind index fed page by page while the site is written."""

    def __init__(self, output: Path, binary: str, language: str = "fr", cache: SearchCache | None = None):
        self.output = Path(output)
        # The last full build's index (``SearchCache``): while the pages that come are its pages,
        # in its order, they are held back from Pagefind; if they all are, it is reused.
        self.cache = cache
        self.reused = False
        self.folder = self.output / "pagefind"  # where its files are written (``_write_index``)
        self._log = tempfile.TemporaryFile()
        # At the build's own priority: the build renders on two processes (secondprocess.py),
        # and Pagefind lowered (nice 10) came last, its index made after the pages (measured at
        # 5,000 offers, 7 December 2026: 1.3 s slower a build, three pairs of runs).
        self._proc = subprocess.Popen(
            [binary, "--service"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
            cwd=self.output,
            env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
        )
        self._lock = threading.Condition()
        self._responses: dict[int, dict] = {}
        self._errors: list[str] = []
        self._last_id = 0
        self._closed_stream = False
        self._failed: str | None = None
        self._language = language
        # Kept alive by the preview (``keep``): the index stays in Pagefind from one build to the
        # next, and ``next_round`` hands it only the pages a partial rebuild wrote again.
        self.keep = False
        self.urls: list[str] = []  # the pages' addresses, in the order they came
        self._previous_urls: list[str] | None = None  # the last round's, when kept
        self._written: dict[str, bytes] = {}  # each file written in ``folder`` → its SHA-256
        threading.Thread(target=self._read, name="pagefind-reader", daemon=True).start()
        self._index = self._new_index()
        self._start_round()

    def _new_index(self) -> int:
        created = self._wait(self._send({"type": "NewIndex", "config": {"force_language": self._language}}))
        return created["index_id"]

    def _start_round(self) -> None:
        self._closed = False  # no page may be added once the files are being written
        self.pages = 0  # pages in the index
        self.given = 0  # pages handed to Pagefind this round (a kept index has the others)
        self._keys: list[str] = []  # each page's ``SearchCache.page_key``, when there is a cache
        self._deferred: list[tuple[str, str]] | None = [] if self.cache is not None else None
        with self._lock:
            self._responses.clear()  # the last round's answers (one per page), read or not
        self._pending: queue.SimpleQueue = queue.SimpleQueue()
        self._held: list[tuple[str, str | None]] | None = None  # ``hold``
        self._feeder = threading.Thread(target=self._feed, name="pagefind-feeder", daemon=True)
        self._feeder.start()

    @property
    def alive(self) -> bool:
        """Pagefind still runs, and the last round went through."""
        return self._proc.poll() is None and not self._closed_stream and not self._failed and not self._errors

    def next_round(self, output: Path) -> bool:
        """Start a partial rebuild's round (the preview, ``keep``) in the site ``output``: its
        pages are held until ``release``, which hands Pagefind only the pages written again when
        the site has the same searchable pages as before. Pagefind replaces a page it has by its
        address (``fossick_one``), and keeps its place: the index is the one a full build makes.
        False if this index cannot serve (Pagefind stopped): the caller starts another."""
        if not self.alive:
            return False
        self._feeder.join()
        self.output = Path(output)
        self.folder = self.output / "pagefind"
        self._previous_urls, self.urls = self.urls, []
        self.cache = None
        self._start_round()
        self.hold()
        return True

    # --- protocol ---------------------------------------------------------------------------
    def _send(self, payload: dict) -> int:
        self._last_id += 1
        message = {"message_id": self._last_id, "payload": payload}
        try:
            self._proc.stdin.write(base64.b64encode(json.dumps(message).encode("utf-8")) + b",")
            self._proc.stdin.flush()
        except (OSError, ValueError):  # a broken pipe, or a pipe already closed
            raise SearchIndexError(f"Pagefind s'est arrêté ({self._stderr()})") from None
        return self._last_id

    def _read(self) -> None:
        """Collect responses; keep only errors and the ones somebody waits for. The index's files
        come in one response (``GetFiles``, several MiB): each chunk is searched for the
        separator once, and the files are written here, while the build goes on."""
        pending: list[bytes] = []
        stream = self._proc.stdout
        while chunk := stream.read1(1 << 16):
            while (cut := chunk.find(b",")) >= 0:
                pending.append(chunk[:cut])
                chunk = chunk[cut + 1 :]
                raw, pending = b"".join(pending), []
                response = json.loads(base64.b64decode(raw))
                payload = response.get("payload") or {}
                if payload.get("type") == "GetFiles":
                    payload = self._write_index(payload.get("files") or [])
                with self._lock:
                    if payload.get("type") == "Error":
                        self._errors.append(str(payload.get("message", "erreur inconnue")))
                    self._responses[response.get("message_id") or 0] = payload
                    self._lock.notify_all()
            if chunk:
                pending.append(chunk)
        with self._lock:
            self._closed_stream = True
            self._lock.notify_all()

    def _write_index(self, files: list[dict]) -> dict:
        """Write the files Pagefind gave (paths relative to its folder, content in base64).

        Pagefind's own ``WriteFiles`` answers before its last writes reach the disk, and it exits
        the moment its input is closed (``std::process::exit`` in its service): a file was found
        cut short at 128 KiB, and wasm.unknown.pagefind missing once. Asking for the files and
        writing them here, the index is complete when ``finish`` returns."""
        try:
            written: dict[str, bytes] = {}
            contents: dict[str, bytes] = {}
            made: set[str] = set()  # folders made
            entry = None
            for file in files:
                relative = Path(file["path"])
                if relative.is_absolute() or ".." in relative.parts:
                    raise OSError(f"chemin inattendu : {file['path']}")
                content = base64.b64decode(file["content"])
                name = relative.as_posix()
                written[name] = digest = hashlib.sha256(content).digest()
                contents[name] = content
                target = self.folder / relative
                if self._written.get(name) == digest and target.is_file():
                    continue  # a kept index's file, the same (most of them: named by their content)
                if name == ENTRY:
                    entry = (target, content)  # last: it names the others
                    continue
                # One already there (the preview's) is replaced by a rename: it may be served.
                write_file(str(target), content, target.exists(), made)
            if entry is not None:
                write_file(str(entry[0]), entry[1], entry[0].exists(), made)
            # In the site already there (the preview): the files of the index before go, once the
            # new entry file names only the new ones.
            for stale in _files_under(self.folder) - written.keys():
                (self.folder / stale).unlink(missing_ok=True)
            self._written = written
            with self._lock:
                refused = bool(self._errors)
            if self.cache is not None and not refused:  # kept for the next build (SearchCache)
                self.cache.save(self._keys, contents)
        except (OSError, KeyError, ValueError) as exc:
            self._written = {}
            return {"type": "Error", "message": f"l'index n'a pas pu être écrit ({exc})"}
        return {"type": "WriteFiles", "files": len(files)}

    def _wait(self, message_id: int) -> dict:
        with self._lock:
            self._lock.wait_for(lambda: message_id in self._responses or self._closed_stream)
            payload = self._responses.pop(message_id, None)
        if payload is None:
            raise SearchIndexError(f"Pagefind s'est arrêté ({self._stderr()})")
        if payload.get("type") == "Error":
            raise SearchIndexError(f"Pagefind a refusé une demande : {payload.get('message')}")
        return payload

    def _stderr(self) -> str:
        self._log.seek(0)
        lines = self._log.read().decode("utf-8", "replace").strip().splitlines()
        return lines[-1] if lines else f"code {self._proc.poll()}"

    # --- use --------------------------------------------------------------------------------
    def add_page(self, path: str, html: str | None) -> None:
        """Hand a written page, given in memory (None: read from its file), to Pagefind: the
        output registry (outputs.py) says which pages are searchable. Pages that come once the
        index is closed (the board's lists, never searchable) are left out."""
        if self._closed:
            return
        self.pages += 1
        url = self._url(path)
        self.urls.append(url)
        if self._held is not None:
            self._held.append((path, html))
            return
        if self.cache is not None:
            if html is None:
                html = _read(path)
            self._keys.append(key := self.cache.page_key(url, html))
            if self._deferred is not None:
                position = len(self._keys) - 1
                if position < len(self.cache.pages or ()) and self.cache.pages[position] == key:
                    self._deferred.append((path, html))  # as in the kept index, so far
                    return
                self._send_deferred()
        self._queue_page(path, html)

    def _send_deferred(self) -> None:
        """A page differs from the kept index's: Pagefind gets the pages held back, then the rest."""
        deferred, self._deferred = self._deferred or [], None
        for path, html in deferred:
            self._queue_page(path, html)

    def hold(self) -> None:
        """Keep the pages until ``release`` (the preview's partial rebuilds: Pagefind's work,
        reading the pages kept from the previous build included, waits until the new pages
        show), in the order they came: the index is the one a full build makes."""
        self._held = []

    def release(self) -> None:
        """Hand the held pages to Pagefind, then ask it to write its files."""
        held, self._held = self._held, None
        if held is None:
            return
        if self._previous_urls is not None:
            if self.urls == self._previous_urls:
                # The same pages in the same places: Pagefind gets the ones written again (the
                # others, the previous build's files, are what it has already).
                held = [(path, html) for path, html in held if html is not None]
            else:  # a page came or went: Pagefind's order would not be a full build's
                self._wait(self._send({"type": "DeleteIndex", "index_id": self._index}))
                self._index = self._new_index()
        for path, html in held:
            self._queue_page(path, html)
        self._closed = True
        self._queue_write()

    def _queue_page(self, path: str, html: str | None) -> None:
        self.given += 1
        if html is None:
            html = _read(path)
        self._pending.put(
            {
                "type": "AddFile",
                "index_id": self._index,
                "url": self._url(path),
                "file_path": None,
                "file_contents": html,
            }
        )

    def _url(self, path: str) -> str:
        relative = Path(os.path.relpath(path, self.output)).as_posix()  # no stat: Pelican gives staging/…
        return "/" + relative.removesuffix("index.html")

    def _feed(self) -> None:
        """Hand the queued pages to Pagefind: the writer never waits on Pagefind's pipe."""
        while (payload := self._pending.get()) is not None:
            if self._failed:
                continue
            try:
                self._send(payload)
            except SearchIndexError as exc:
                self._failed = str(exc)  # reported by finish(); the pages themselves are fine

    def write_files(self) -> None:
        """Every searchable page is written: Pagefind writes its files while the build goes on
        (held pages: once released)."""
        if not self._closed:
            self._closed = True
            if self._held is not None:
                return
            cache = self.cache
            if self._deferred is not None and cache is not None and len(self._keys) == len(cache.pages or ()):
                if cache.complete():  # the same pages as the kept index: Pagefind has nothing to do
                    self.reused = True
                    self._pending.put(None)
                    return
            self._send_deferred()
            self._queue_write()

    def _queue_write(self) -> None:
        self._pending.put({"type": "GetFiles", "index_id": self._index})  # written by _read
        self._pending.put(None)

    def finish(self) -> int:
        """Wait for Pagefind's files; returns the number of pages indexed. Pagefind stops then,
        unless the index is kept for the preview's next build (``keep``)."""
        done = False
        try:
            self.release()
            self.write_files()
            self._feeder.join()
            if self.reused:
                try:
                    self.cache.copy_to(self.folder)
                    done = True
                    return self.pages
                except OSError:
                    # A kept file went meanwhile (another build sharing the cache kept its own
                    # index): Pagefind gets the pages held back and makes the index after all.
                    self.reused = False
                    self._pending = queue.SimpleQueue()
                    self._feeder = threading.Thread(target=self._feed, name="pagefind-feeder", daemon=True)
                    self._feeder.start()
                    self._send_deferred()
                    self._queue_write()
                    self._feeder.join()
            if self._failed:
                raise SearchIndexError(self._failed)
            self._wait(self._last_id)  # the GetFiles message, sent last: the files are written
            with self._lock:
                errors = list(self._errors)
            if errors:
                raise SearchIndexError(f"Pagefind a refusé {len(errors)} page(s) : {errors[0]}")
            done = True
            return self.pages
        finally:
            if not (self.keep and done):
                self.close()

    def close(self) -> None:
        """Stop Pagefind (after ``finish``, or when the build fails: nothing more is sent)."""
        if self._feeder.is_alive():
            self._failed = self._failed or "index abandonné"
            self._closed = True
            self._pending.put(None)
            self._feeder.join(timeout=10)
        if self._proc.poll() is None:
            try:
                self._proc.stdin.close()
            except OSError:
                pass
            try:
                # Pagefind may still be writing its last files on a loaded machine: a kill would
                # leave one out (wasm.unknown.pagefind was missing once, in a full test run).
                self._proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        self._log.close()


def start_index(output: Path, config: Config, say, cached: bool = True) -> SearchIndex | None:
    """Start Pagefind before the pages are written, or say why the site will have no index
    (``cached``: with the last build's index, reused if the pages are the same: ``SearchCache``)."""
    binary = config.TERRITOIRE_PAGEFIND or executable()
    if binary is None:
        say(f"  ⚠ Pagefind est absent : le site sera construit sans index de recherche ; {INSTALL_HINT}.")
        return None
    try:
        cache = SearchCache(content_cache_folder(config) / CACHE_FOLDER, binary, "fr") if cached else None
        return SearchIndex(output, binary, cache=cache)
    except (OSError, SearchIndexError) as exc:
        say(
            f"  ⚠ Pagefind n'a pas pu être lancé ({exc}) : le site sera construit sans index de recherche ; {INSTALL_HINT}."
        )
        return None


def pagefind_index(run: Run, say) -> None:
    """Post-processing step: wait for the index fed during the build (``SearchIndex``)."""
    index = run.index
    if index is None:
        return  # start_index already said why there is no index
    say("Index de recherche (Pagefind)…")
    try:
        pages = index.finish()
    except SearchIndexError as exc:
        say(f"  ⚠ {exc} : le site est construit sans index de recherche.")
        shutil.rmtree(index.folder, ignore_errors=True)  # in the preview, the previous index too
        return
    if index.reused:
        say(
            f"  {pages} pages indexées dans pagefind/ (index repris de la construction précédente : les pages sont les mêmes)."
        )
        return
    if index.given < pages:  # the preview's kept index (``next_round``)
        say(f"  {pages} pages indexées dans pagefind/ ({index.given} mises à jour, les autres reprises).")
    else:
        say(f"  {pages} pages indexées dans pagefind/.")
