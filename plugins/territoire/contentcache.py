"""The content cache: work whose result depends only on the bytes it reads, kept between builds.

Two kinds of work are kept, in the folder TERRITOIRE_CACHE_CONTENU (default .cache/contenu/):

- ``fiches.pickle``: each offer, partner, event and yearly report file as parsed (its data, the
  line and column of each value, its Markdown body), by the SHA-256 of its bytes;
- ``corps.json``: each record's Markdown description rendered to sanitised HTML, by the SHA-256
  of its text;
- ``verifications.pickle``: each record file's check (its cleaned data and its problems), by
  its bytes and everything else the check reads; used again only if each photo it names gets
  the same verdict (``CheckStore``);
- ``qr.json``: the QR codes of the brochure's offer sheets (SVG), by the address they encode;
- ``plaquette/``: the brochure PDF, by the SHA-256 of the HTML WeasyPrint lays out, with the
  SHA-256 of every file it read (stylesheet, photos, fonts, QR code): reused only when each of
  those files is byte for byte the same in the new build (a dependency record, as Lektor keeps).

A preview process (`make serve`) also keeps, from one build to the next, the parsed files and
each file's check (``PreviewMemory``), used only while nothing but record files changed.

Keys are made from content, never from modification times, so a fresh checkout (CI) with a
restored cache skips the same work as the machine that filled it. Every key also carries a
``salt``: the source of the kit's code that does the work and the versions of the libraries it
calls, so a new version of the kit or of PyYAML, Python-Markdown, nh3 or WeasyPrint never reuses
an old result. A cache restored from elsewhere cannot run code: texts are JSON, and the parsed
files are read back by an unpickler that rebuilds nothing but plain values, dates and the kit's
``Positions`` (any other object refuses the whole file, which is then ignored). Writes are atomic
(a temporary file renamed); two builds sharing the folder at once each leave a complete, correct
cache.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import os
import pickle
import tempfile
from collections.abc import Iterable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
SOURCES = "fiches.pickle"
BODIES = "corps.json"
QR_CODES = "qr.json"
BROCHURES = "plaquette"
CHECKS = "verifications.pickle"
WARNINGS = "avertissements"  # a file's text warnings, kept with the checks (CheckStore)
KEPT_BROCHURES = 4  # a project built at several dates keeps each one's PDF


def cache_folder(config) -> Path:
    explicit = config.TERRITOIRE_CACHE_CONTENU
    folder = Path(explicit) if explicit else config.ROOT / ".cache" / "contenu"
    return folder if folder.is_absolute() else config.ROOT / folder


def salt(modules: Iterable[str], packages: Iterable[str]) -> str:
    """What a cached result was made with: the kit's code files (``modules``, names of files of
    this package) and the versions of the libraries (``packages``)."""
    digest = hashlib.sha256()
    for name in modules:
        digest.update(name.encode() + b"\0" + (PACKAGE_DIR / name).read_bytes() + b"\0")
    for package in packages:
        try:
            found = version(package)
        except PackageNotFoundError:
            found = "?"
        digest.update(f"{package}={found}\0".encode())
    return digest.hexdigest()


def digest(*parts: str | bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big") + data)
    return h.hexdigest()


def _write_atomically(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.chmod(temporary, 0o644)  # as every other file the build writes (mkstemp makes 0600)
        os.replace(temporary, target)
    finally:
        Path(temporary).unlink(missing_ok=True)


class _Store:
    """Results by key, kept in one file of the cache folder with the salt they were made with. A
    file whose salt differs (another version of the code or of a library), or that cannot be read,
    is an empty store. Only this build's entries are saved (nothing grows without end), and the
    file is written only when they changed. Subclasses read and write the file (``_read``,
    ``_dump``)."""

    def __init__(self, path: Path, salt_: str):
        self.path = path
        self.salt = salt_
        self._known: dict = {}
        self._used: dict = {}
        self._changed = False
        try:
            saved = self._read()
            if isinstance(saved, dict) and saved.get("sel") == self.salt and isinstance(saved.get(self.KEY), dict):
                self._known = self._accepted(saved[self.KEY])
        except (OSError, EOFError, ValueError, TypeError, AttributeError, IndexError, pickle.UnpicklingError):
            pass  # no cache yet, or one this version cannot read: everything is made again

    KEY = ""  # the entries' name in the file

    def _read(self):
        raise NotImplementedError

    def _dump(self, saved: dict) -> bytes:
        raise NotImplementedError

    def _accepted(self, entries: dict) -> dict:
        return entries

    def get(self, key: str):
        found = self._known.get(key)
        if found is not None:
            self._used[key] = found
        return found

    def put(self, key: str, value) -> None:
        self._used[key] = value
        self._changed = True

    def save(self) -> None:
        if not self._changed and self._used.keys() == self._known.keys():
            return
        _write_atomically(self.path, self._dump({"sel": self.salt, self.KEY: self._used}))

    def keep_last_build(self) -> None:
        """Used again by the next build in this process: what the last one used is known."""
        self._known, self._used, self._changed = self._used, {}, False


class TextStore(_Store):
    """Texts by key, in a JSON file."""

    KEY = "textes"

    def __init__(self, path: Path, salt_modules: Iterable[str], salt_packages: Iterable[str]):
        super().__init__(path, salt(salt_modules, salt_packages))

    def _read(self):
        return json.loads(self.path.read_text(encoding="utf-8"))

    def _accepted(self, entries: dict) -> dict:
        return {k: v for k, v in entries.items() if isinstance(v, str)}

    def _dump(self, saved: dict) -> bytes:
        return json.dumps(saved, ensure_ascii=False, sort_keys=True).encode("utf-8")

    def put(self, key: str, text: str) -> None:
        super().put(key, str(text))


def bodies(folder: Path) -> TextStore:
    """Rendered Markdown bodies, by the SHA-256 of their text and heading shift (``body_key``)."""
    return TextStore(folder / BODIES, ("markup.py", "contentcache.py"), ("markdown", "nh3"))


@functools.lru_cache(maxsize=1 << 15)  # the preview's builds hash the same texts again
def body_key(text: str, demote: int) -> str:
    return digest(str(demote), text)


def qr_codes(folder: Path) -> TextStore:
    """The brochure's QR codes (SVG), by the address they encode."""
    return TextStore(folder / QR_CODES, ("brochure_pdf.py", "contentcache.py"), ("segno",))


class _SafeUnpickler(pickle.Unpickler):
    """Rebuilds plain values, dates and Positions only (the « Restricting Globals » recipe of
    Python's pickle documentation); the parser's mark for an unreadable value comes back as the
    same object."""

    ALLOWED = {
        ("datetime", "date"),
        ("datetime", "datetime"),
        ("datetime", "time"),
        ("datetime", "timedelta"),
        ("datetime", "timezone"),
        ("territoire.yamlsource", "Positions"),
    }

    def __init__(self, file, unreadable: object):
        super().__init__(file)
        self.unreadable = unreadable

    def find_class(self, module: str, name: str):
        if (module, name) not in self.ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name}")
        return super().find_class(module, name)

    def persistent_load(self, pid):
        if pid == "illisible":
            return self.unreadable
        raise pickle.UnpicklingError(str(pid))


class _Pickler(pickle.Pickler):
    def __init__(self, file, unreadable: object):
        super().__init__(file, protocol=5)
        self.unreadable = unreadable

    def persistent_id(self, obj):
        return "illisible" if obj is self.unreadable else None


class _PickledStore(_Store):
    """Entries in a pickle file read back by ``_SafeUnpickler``."""

    def __init__(self, path: Path, salt_: str, unreadable: object):
        self.unreadable = unreadable  # the parser's mark for a value it could not read
        super().__init__(path, salt_)

    def _read(self):
        with self.path.open("rb") as f:
            return _SafeUnpickler(f, self.unreadable).load()

    def _dump(self, saved: dict) -> bytes:
        out = io.BytesIO()
        _Pickler(out, self.unreadable).dump(saved)
        return out.getvalue()


class SourceStore(_PickledStore):
    """Parsed content files (data, positions, body) by the SHA-256 of their bytes and how they
    are read (YAML or front matter, the size limit)."""

    KEY = "fiches"

    def __init__(self, folder: Path, unreadable: object):
        super().__init__(
            folder / SOURCES, salt(("yamlsource.py", "sources.py", "contentcache.py"), ("pyyaml",)), unreadable
        )

    @staticmethod
    def key(data: bytes, front_matter: bool, max_size: int) -> str:
        return digest("entete" if front_matter else "yaml", str(max_size), data)


class CheckStore(_PickledStore):
    """Each record file's check: its cleaned data, its problems, and the verdict on each photo
    it named (``images.check_photo``), by its kind, the SHA-256 of its bytes and of everything
    else its check reads (settings, build date, communes, image paths, partners: validate.py).

    A photo's verdict depends on the photo's bytes, which are not in the key (hashing every
    photo would cost more than the checks): a kept check is used only when each of its photos
    gets the same verdict today, else the file is checked again. The salt is every module of
    the kit's package (the checks call most of them) and the libraries they use."""

    KEY = "verifications"

    def __init__(self, folder: Path, unreadable: object):
        modules = sorted(p.name for p in PACKAGE_DIR.glob("*.py"))
        packages = ("pyyaml", "markdown", "nh3", "pillow", "pelican")
        super().__init__(folder / CHECKS, salt(modules, packages), unreadable)

    def _accepted(self, entries: dict) -> dict:
        return {
            k: v
            for k, v in entries.items()
            if isinstance(v, tuple)
            and (
                (len(v) == 3 and isinstance(v[0], dict) and isinstance(v[1], list))
                or (len(v) == 2 and v[0] == WARNINGS and isinstance(v[1], tuple))  # mistakes.record_warnings
            )
        }


class Brochures:
    """Brochure PDFs by the SHA-256 of their HTML, each with the files it read and their SHA-256."""

    SALT_MODULES = ("brochure_pdf.py", "contentcache.py")
    SALT_PACKAGES = ("weasyprint", "pydyf", "fonttools")

    def __init__(self, folder: Path):
        self.folder = folder / BROCHURES
        self.salt = salt(self.SALT_MODULES, self.SALT_PACKAGES)

    def key(self, html: str, identifier: bytes) -> str:
        return digest(self.salt, identifier, html)

    def get(self, key: str, output: Path) -> bytes | None:
        """The PDF made from this HTML, if every file it read is the same in ``output`` now."""
        try:
            record = json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8"))
            for relative, expected in record["fichiers"].items():
                path = (output / relative).resolve()
                if not path.is_relative_to(output.resolve()) or file_digest(path) != expected:
                    return None
            pdf = (self.folder / f"{key}.pdf").read_bytes()
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None
        if digest(pdf) != record.get("pdf"):
            return None  # a truncated or altered file is not used
        os.utime(self.folder / f"{key}.json")  # recently used: kept by the pruning below
        return pdf

    def put(self, key: str, output: Path, read: Iterable[Path], pdf: bytes) -> None:
        root = output.resolve()
        files = {p.resolve().relative_to(root).as_posix(): file_digest(p) for p in sorted(set(read))}
        _write_atomically(self.folder / f"{key}.pdf", pdf)
        record = {"fichiers": files, "pdf": digest(pdf)}
        _write_atomically(self.folder / f"{key}.json", json.dumps(record, sort_keys=True, indent=0).encode())
        self._prune()

    def _prune(self) -> None:
        records = sorted(self.folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in records[KEPT_BROCHURES:]:
            old.with_suffix(".pdf").unlink(missing_ok=True)
            old.unlink(missing_ok=True)


def file_digest(path: Path) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


class PreviewMemory:
    """What `make serve` keeps in memory from one build to the next, for the content stages.

    ``trusted`` is set by the preview before each build: only record files (offers, partners,
    events, yearly reports) changed since the last one, so nothing else a file's check reads
    (settings, communes, images) can have changed. Then the parsed files come from memory (not
    from fiches.pickle, which is not written again for one file), a file whose bytes and
    context are those of the last build keeps its check, and the folders are not listed again
    (the files the watcher saw deleted are left out). Otherwise the stages work as in any
    build and fill the memory again."""

    def __init__(self) -> None:
        self.trusted = False
        self.gone: set[Path] = set()  # the record files deleted since the last build (trusted)
        self.scan = None  # what the content folders held at the last build (load.Scan)
        self.sources: SourceStore | None = None
        self._checked: dict = {}
        self._checked_now: dict = {}

    def source_store(self, folder: Path, unreadable: object) -> SourceStore:
        store = self.sources
        if not self.trusted or store is None or store.path != folder / SOURCES:
            store = self.sources = SourceStore(folder, unreadable)
        else:
            store.keep_last_build()
        return store

    def checked(self, key: tuple):
        """A file's check as the last build made it (``key``: its kind, the SHA-256 of its
        bytes, the fingerprint of what its check reads), or None."""
        found = self._checked.get(key) if self.trusted else None
        if found is not None:
            self._checked_now[key] = found
        return found

    def remember_check(self, key: tuple, result) -> None:
        self._checked_now[key] = result

    def build_done(self) -> None:
        """Only this build's checks are kept: memory does not grow with the edits."""
        self._checked, self._checked_now = self._checked_now, {}
