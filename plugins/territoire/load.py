"""Stage « load »: every content file read, with its line numbers, and nothing checked yet.

``load(config)`` reads the reference data (the communes), lists the content files (never
through a symbolic link: each link is a problem, contentfiles.py), parses each one (YAML, or
Markdown with YAML front matter) and returns ``Sources``: the parsed files of each kind and the
problems met while reading them (a file too large, not UTF-8, not YAML…). The records are made
and checked against their models by the next stage (validate.py).
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import communes as communes_mod
from . import images
from .communes_data import kit_communes
from .config import Config
from .contentcache import PreviewMemory, SourceStore
from .contentcache import cache_folder as content_cache_folder
from .contentfiles import image_problems, link_problem, link_problems, loose_problems, regular_files, unread_problems
from .problems import Problem
from .sources import read_front_matter, read_yaml
from .yamlsource import _UNREADABLE as UNREADABLE
from .yamlsource import Positions, SourceError

# Parsing YAML is the bulk of validation: above this many files, use every core.
PARALLEL_THRESHOLD = 400


@dataclass
class Source:
    """One content file as read: its data, where each value is, and its Markdown body."""

    path: Path
    data: dict
    positions: Positions
    body: str | None = None  # the text after the front matter (Markdown files only)


@dataclass
class Sources:
    """Everything the content folders hold, read but not checked."""

    root: Path  # the project folder (offers/, content/, data/)
    content: Path  # PATH, the content folder
    communes: communes_mod.Communes
    # Every file of the images folder and of the offers' photo folder, by its path inside the
    # content folder (« images/offres/four.jpg »): what photo and logo fields may name.
    image_paths: set[str]
    partner_ids: set[str]  # the stem of every partner file, readable or not (offers name them)
    partners: list[Source] = field(default_factory=list)
    offers: list[Source] = field(default_factory=list)
    events: list[Source] = field(default_factory=list)
    year_reports: list[Source] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    content_read: bool = True  # False when the content folder is a link: nothing read from it
    # Each record file read (relative to the project) → the SHA-256 of its bytes, as the content
    # cache keys it: what the preview compares from one build to the next (incremental.py).
    digests: dict[str, str] = field(default_factory=dict)


def communes_file(config: Config) -> Path:
    """The communes reference: the project's own file when the settings name one, else the kit's."""
    if config.TERRITOIRE_COMMUNES_CSV:
        return config.ROOT.resolve() / config.TERRITOIRE_COMMUNES_CSV
    return kit_communes()


def load(config: Config, memory: PreviewMemory | None = None) -> Sources:
    """Read the reference data and every content file of the project ``config`` describes
    (``memory``: the preview's, contentcache.PreviewMemory)."""
    root = config.ROOT.resolve()
    content = Path(config.PATH).resolve()
    max_size = config.TERRITOIRE_MAX_FILE_SIZE
    communes = communes_mod.load(communes_file(config), config.TERRITOIRE_EPCI)
    # The content and offers folders themselves (or a folder above them in the project) may not
    # be links either: nothing is read from them then.
    linked = {
        found
        for folder in (Path(config.PATH), config.ROOT / config.TERRITOIRE_OFFRES_PATH)
        if (found := _linked_folder(folder.absolute(), config.ROOT.absolute()))
    }
    if linked:
        sources = Sources(root, content, communes, set(), set(), content_read=False)
        sources.problems += [link_problem(config.ROOT.absolute(), folder) for folder in sorted(linked)]
        return sources
    scan = memory.scan if memory is not None and memory.trusted and memory.scan is not None else None
    if scan is None:
        scan = _scan(config, root, content)
    else:  # the preview, only record files changed: the folders hold what they held, less deletions
        scan = scan.without(memory.gone)
    if memory is not None:
        memory.scan = scan
    partner_files, offer_files, event_files, report_files = scan.files
    sources = Sources(root, content, communes, scan.image_paths, {p.stem for p in partner_files})
    sources.problems += scan.before

    def keep(kind: list[Source], path: Path, parsed: Source | SourceError) -> None:
        if isinstance(parsed, SourceError):
            where = path.relative_to(root).as_posix()
            sources.problems.append(Problem(where, parsed.line, parsed.column, parsed.message, parsed.field))
        else:
            kind.append(parsed)

    # Files parsed by an earlier build (same bytes) come from the content cache (contentcache.py).
    folder = content_cache_folder(config)
    store = memory.source_store(folder, UNREADABLE) if memory is not None else SourceStore(folder, UNREADABLE)
    digests: dict[Path, str] = {}
    for kind, files, front_matter in (
        (sources.partners, partner_files, True),
        (sources.offers, offer_files, False),
        (sources.events, event_files, True),
        (sources.year_reports, report_files, False),
    ):
        for path, parsed in zip(files, _read_files(files, max_size, front_matter, store, digests), strict=True):
            keep(kind, path, parsed)
    sources.digests = {relative_name(path, root): key for path, key in digests.items()}
    try:
        if memory is None or not memory.trusted:  # the preview's edits: kept in memory only
            store.save()
    except OSError:
        pass  # a read-only or full cache disk: the next build parses again
    sources.problems += scan.after
    return sources


@dataclass
class Scan:
    """What the content folders hold: the files of each kind, the images, and the problems of
    the folders themselves (links, images that are not inert or cannot be published, files left
    out) found before and after the files are parsed."""

    image_paths: set[str]
    files: tuple[list[Path], list[Path], list[Path], list[Path]]  # partners, offers, events, reports
    before: list[Problem]
    after: list[Problem]

    def without(self, gone: set[Path]) -> Scan:
        """The same folders, less the files deleted since (the preview's watcher names them)."""
        if not gone:
            return self
        kept = tuple([p for p in files if p not in gone] for files in self.files)
        return Scan(self.image_paths, kept, self.before, self.after)  # type: ignore[arg-type]


def _scan(config: Config, root: Path, content: Path) -> Scan:
    max_size = config.TERRITOIRE_MAX_FILE_SIZE
    image_folders = {content / "images", content / config.TERRITOIRE_PHOTOS_PATH}
    offers_dir = root / config.TERRITOIRE_OFFRES_PATH
    image_paths = {
        p.relative_to(content).as_posix()
        for folder in image_folders
        for p in regular_files(folder, ["*"], recursive=True, within=content)
    }
    # Nothing is read through a symbolic link (contentfiles.py): each one is an error.
    before = link_problems(root, [content, offers_dir])
    before += image_problems(root, content, max_size)  # inert images only
    before += _publishable_images(root, content, image_folders, images.limits(config), before)
    partners_dir = content / config.TERRITOIRE_PARTENAIRES_PATH
    partner_files = regular_files(partners_dir, ["*.md"], within=content)
    offer_files = regular_files(offers_dir, ["*.yaml", "*.yml"], within=root)
    events_dir = content / config.TERRITOIRE_EVENEMENTS_PATH
    event_files = regular_files(events_dir, ["*.md"], within=content)
    reports_dir = content / config.TERRITOIRE_BILAN_PATH
    report_files = regular_files(reports_dir, ["*.yaml", "*.yml"], within=reports_dir.parent)
    # A file the build would leave out (« offre.yaml.txt », « Offre.YAML », a sub-folder) is
    # named, with the name to give it: nothing is left out without a word.
    after: list[Problem] = []
    for folder, read, suffix, what in (
        (offers_dir, offer_files, ".yaml", "une offre"),
        (partners_dir, partner_files, ".md", "un partenaire"),
        (events_dir, event_files, ".md", "un événement"),
        (reports_dir, report_files, ".yaml", "un bilan annuel"),
    ):
        after += unread_problems(root, folder, read, suffix, what)
    # A file put directly in content/ is read by nothing: named, with the place it belongs in.
    shown = content.relative_to(root).as_posix() if content.is_relative_to(root) else content.name
    after += loose_problems(
        root,
        content,
        {
            "offre": ("une offre", offers_dir.relative_to(root).as_posix(), ".yaml"),
            "partenaire": ("un partenaire", f"{shown}/{config.TERRITOIRE_PARTENAIRES_PATH}", ".md"),
            "evenement": ("un événement", f"{shown}/{config.TERRITOIRE_EVENEMENTS_PATH}", ".md"),
            "page": ("une page", f"{shown}/pages", ".md"),
            "bilan": ("un bilan annuel", f"{shown}/{config.TERRITOIRE_BILAN_PATH}", ".yaml"),
            "photo": ("une photo d'offre", f"{shown}/{config.TERRITOIRE_PHOTOS_PATH}", ""),
        },
        # The folders something reads: Pelican's pages, the plugin's partners, events and
        # figures, the images (published by the image pipeline), the offers when kept there.
        known={
            "pages",
            "images",
            *(
                Path(p).parts[0]
                for p in (
                    config.TERRITOIRE_PARTENAIRES_PATH,
                    config.TERRITOIRE_EVENEMENTS_PATH,
                    config.TERRITOIRE_BILAN_PATH,
                    config.TERRITOIRE_PHOTOS_PATH,
                )
            ),
            *([offers_dir.relative_to(content).parts[0]] if offers_dir.is_relative_to(content) else []),
        },
    )
    return Scan(image_paths, (partner_files, offer_files, event_files, report_files), before, after)


def relative_name(path: Path, root: Path) -> str:
    """A file's name as its record's ``source`` gives it: relative to the project (string work:
    pathlib's relative_to, for every record file at every build, cost 0.1 s at 5,000 offers)."""
    text, prefix = str(path), str(root).rstrip(os.sep) + os.sep
    if text.startswith(prefix):
        return text[len(prefix) :].replace(os.sep, "/")
    return path.as_posix()


def _linked_folder(folder: Path, root: Path) -> Path | None:
    """The folder itself, or the folder of the project above it, that is a symbolic link."""
    try:
        inside = folder.relative_to(root)
    except ValueError:  # a content folder set outside the project: only itself is looked at
        return folder if folder.is_symlink() else None
    return next((root / part for part in [*reversed(inside.parents), inside] if (root / part).is_symlink()), None)


def _publishable_images(
    root: Path, content: Path, folders: set[Path], limits: dict[str, int], known: list[Problem]
) -> list[Problem]:
    """Every photo the build will publish (images.py: each raster file of the images folders,
    named by a page or not) is readable to its last byte and within the pixel limit, checked
    before anything decodes it; a file already refused for its content is not named twice."""
    refused = {p.path for p in known}
    found = []
    for path in sorted({p for folder in folders for p in regular_files(folder, ["*"], recursive=True, within=content)}):
        source = path.relative_to(root).as_posix()
        hidden = any(part.startswith(".") for part in path.relative_to(content).parts)
        if hidden or path.suffix.lower() not in images.RASTER_SUFFIXES or source in refused:
            continue
        problem, _width, _height = images.inspect_file(path, limits)
        if problem:
            found.append(Problem(source, 0, 0, problem))
    return found


def _read_one(path: Path, max_size: int, front_matter: bool = False) -> Source | SourceError:
    try:
        if front_matter:
            return Source(path, *read_front_matter(path, max_size))
        return Source(path, *read_yaml(path, max_size))
    except SourceError as exc:
        return exc
    except OSError as exc:
        return SourceError(f"le fichier ne peut pas être lu ({exc.strerror}).", 1, 1)


def _read_files(
    paths: list[Path], max_size: int, front_matter: bool, store: SourceStore, digests: dict[Path, str]
) -> list[Source | SourceError]:
    """Each file as parsed: from the store when a file of the same bytes was parsed before,
    else parsed now (on every core when there are many), and kept in the store. ``digests``
    receives each file's key."""
    found: list[Source | SourceError | None] = [None] * len(paths)
    keys: list[str | None] = [None] * len(paths)
    missing = []
    for i, path in enumerate(paths):
        try:
            data = _small_file_bytes(path, max_size)
            if data is not None:  # a file too large is refused by _read_one
                keys[i] = digests[path] = store.key(data, front_matter, max_size)
        except OSError:
            pass  # said by _read_one, in French
        hit = store.get(keys[i]) if keys[i] else None
        if hit is None:
            missing.append(i)
        else:
            found[i] = Source(path, *hit)
    for i, parsed in zip(missing, _read_all([paths[i] for i in missing], max_size, front_matter), strict=True):
        found[i] = parsed
        if keys[i] and isinstance(parsed, Source):
            store.put(keys[i], (parsed.data, parsed.positions, parsed.body))
    return found


def _small_file_bytes(path: Path, max_size: int) -> bytes | None:
    """The file's bytes, None if it is larger than ``max_size``: one open, its size from the open
    file (5,000 files at each of the preview's builds, without a path object's overhead)."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        size = os.fstat(descriptor).st_size
        if size > max_size:
            return None
        chunks = []
        while chunk := os.read(descriptor, max(size, 1 << 16)):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(descriptor)


def _read_all(paths: list[Path], max_size: int, front_matter: bool = False) -> list[Source | SourceError]:
    """The files, parsed on every core when there are many."""
    workers = min(os.cpu_count() or 1, 8)
    if len(paths) < PARALLEL_THRESHOLD or workers < 2:
        return [_read_one(p, max_size, front_matter) for p in paths]
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        chunks = max(1, len(paths) // (workers * 4))
        return list(pool.map(_read_one, paths, [max_size] * len(paths), [front_matter] * len(paths), chunksize=chunks))
