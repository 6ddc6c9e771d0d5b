"""Reading content files: size, encoding, YAML documents and Markdown front matter.

Every failure becomes a ``SourceError`` with a French message and a position. A text not yet
saved (checked alone by validate.check_text) is read as if its file held it, inside ``unsaved()``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .yamlsource import Positions, SourceError, load

BOM = "\ufeff"

# Files as they would be saved: path → bytes, read instead of the disk (validate.check_text).
_UNSAVED: ContextVar[Mapping[Path, bytes]] = ContextVar("unsaved", default=MappingProxyType({}))


@contextlib.contextmanager
def unsaved(texts: dict[Path, bytes]) -> Iterator[None]:
    """Inside this block, each of ``texts`` is read as the content of its file (which may not
    exist): the checks see a text as they would once it is saved, without writing it."""
    token = _UNSAVED.set({**_UNSAVED.get(), **texts})
    try:
        yield
    finally:
        _UNSAVED.reset(token)


def unsaved_under(folder: Path) -> list[Path]:
    """The files not yet saved inside ``folder`` (sub-folders included)."""
    return [path for path in _UNSAVED.get() if path.is_relative_to(folder)]


def is_unsaved(path: Path) -> bool:
    return path in _UNSAVED.get()


def any_unsaved() -> bool:
    return bool(_UNSAVED.get())


def file_bytes(path: Path) -> bytes:
    """The bytes of a content file: its unsaved text if there is one, else the disk's."""
    pending = _UNSAVED.get()
    return pending[path] if path in pending else path.read_bytes()


def file_text(path: Path, encoding: str = "utf-8-sig") -> str:
    """A content file's text, to find a line in (undecodable bytes replaced, as Path.read_text
    with errors="replace" reads them, line ends made « \\n »)."""
    text = file_bytes(path).decode(encoding, "replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_text(path: Path, max_size: int) -> str:
    pending = _UNSAVED.get()
    size = len(pending[path]) if path in pending else path.stat().st_size
    if size > max_size:
        weight = f"{size / 1048576:.1f}".replace(".", ",")
        raise SourceError(
            f"le fichier pèse {weight} Mio ({size} octets) ; un fichier de contenu ne doit pas dépasser "
            f"{max_size // 1048576} Mio (mettez les images à part, dans content/images/).",
            1,
            1,
        )
    data = file_bytes(path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise SourceError(
            "le fichier n'est pas enregistré en UTF-8 (caractère illisible ici, octet "
            f"0x{data[exc.start]:02x}) ; enregistrez-le au format UTF-8 depuis votre éditeur.",
            line,
            column,
        ) from None
    return text[1:] if text.startswith(BOM) else text


def _require_mapping(data: Any, what: str) -> dict:
    if data is None:
        raise SourceError(f"{what} est vide ; attendu : des lignes « champ: valeur ».", 1, 1)
    if not isinstance(data, dict):
        found = "une liste" if isinstance(data, list) else "une valeur seule"
        raise SourceError(
            f"{what} contient {found} ; attendu : des lignes « champ: valeur » (un champ par ligne).",
            1,
            1,
        )
    return data


def read_yaml(path: Path, max_size: int) -> tuple[dict, Positions]:
    text = read_text(path, max_size)
    if not text.strip():
        raise SourceError("le fichier est vide ; attendu : des lignes « champ: valeur ».", 1, 1)
    data, positions = load(text)
    positions.first_line = text.split("\n", 1)[0].rstrip("\r")
    return _require_mapping(data, "le fichier"), positions


def read_front_matter(path: Path, max_size: int) -> tuple[dict, Positions, str]:
    """A Markdown file starting with a YAML block between two `---` lines."""
    text = read_text(path, max_size)
    if not text.strip():
        raise SourceError("le fichier est vide ; attendu : un en-tête entre deux lignes « --- », puis le texte.", 1, 1)
    lines = text.splitlines(keepends=True)
    if lines[0].strip() != "---":
        raise SourceError("le fichier doit commencer par une ligne « --- » ouvrant l'en-tête.", 1, 1)
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            break
    else:
        raise SourceError(
            "l'en-tête ouvert par « --- » en ligne 1 n'est jamais fermé par une autre ligne « --- ».", 1, 1
        )
    header = "".join(lines[1:index])
    body = "".join(lines[index + 1 :]).strip()
    if not header.strip():
        raise SourceError("l'en-tête entre les lignes « --- » est vide.", 1, 1)
    data, positions = load(header, line_offset=1)
    return _require_mapping(data, "l'en-tête"), positions, body
