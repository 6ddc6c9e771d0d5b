"""Rebuild what an edit touches: the preview's builds after the first (`make serve`).

Sphinx's ``get_outdated_docs`` and Lektor's dependency records, on this kit's route table: every
route names the content files it is made from (``Route.sources``) or a kind of them
(« toutes les offres »…), so once a build is done the preview knows, for the next one, which
routes an edit can have changed. The next build still goes through every stage (checked
content, derived data, the whole route table, Pelican's pages, the search index, the
post-processing steps); only the rendering of the routes the edit cannot have changed is
skipped: their file is taken from the previous build (a hard link: the previous folder is
never written again, it is swapped out then deleted). The result is the site a full build of
the same sources makes, byte for byte (tests/test_incremental.py compares them).

A route is rendered again when:

- one of its files changed (content hash: a file saved unchanged changes nothing), or the
  list of its files did (an offer no longer among an other one's related offers);
- it is made from every file of a kind (« toutes les offres ») and a file of that kind
  changed, appeared or went away;
- it depends on the board's order and facets (``routes.BOARD``: the lists, the offer pages'
  links to their facets) and they changed;
- it names no source (images, icons: taken from their own caches), or it is new.

Anything else than a record file (an offer, a partner, an event, a year's report) changing, a
new build date, or a previous folder that is not the one this preview built: a full build.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .outputs import FILE_NAME
from .routes import ALL_EVENTS, ALL_OFFERS, ALL_PARTNERS, ALL_YEARS, BOARD, HOSTING_DIR

if TYPE_CHECKING:
    from collections.abc import Iterable

    from .derive import Derived
    from .outputs import Output
    from .routes import Route
    from .site import Site


@dataclass
class Snapshot:
    """What the preview's last build was made from, and what it wrote."""

    files: dict[str, str]  # every file of the content and offers folders → SHA-256
    kinds: dict[str, str]  # each record's file → its kind's marker (ALL_OFFERS…)
    board: str  # fingerprint of the board's order and facets
    build_date: object
    routes: dict[str, tuple[str, ...]]  # save_as → sources, as declared
    registry: str  # SHA-256 of the registry saved with the site (_hebergement/sorties.json)


@dataclass
class Reuse:
    """This build's plan: the routes the edit cannot have changed are taken from ``previous``."""

    previous: Path
    changed: set[str]  # changed files and the markers of what they change
    routes: dict[str, tuple[str, ...]]
    kept: int = 0
    rendered: int = 0

    def keeps(self, route: Route) -> bool:
        sources = route.sources
        kept = (
            bool(sources)
            and self.routes.get(route.save_as) == sources
            and self.changed.isdisjoint(sources)
            and os.path.isfile(self.previous / route.save_as)
        )
        if kept:
            self.kept += 1
        else:
            self.rendered += 1
        return kept


@dataclass
class Preview:
    """Held by `make serve` from one build to the next."""

    snapshot: Snapshot | None = None
    # Set by the preview before each build: the paths its watcher saw change.
    changed_paths: list[Path] = field(default_factory=list)

    def plan(self, site: Site, derived: Derived, target: Path) -> Reuse | None:
        """The routes this build may take from the previous one, or None: a full build."""
        previous, self.snapshot = self.snapshot, None
        if previous is None or previous.build_date != site.build_date:
            return None
        folders = content_folders(site)
        if not self.changed_paths or not all(_within(p, folders) for p in self.changed_paths):
            return None
        if _digest_file(target / HOSTING_DIR / FILE_NAME) != previous.registry:
            return None  # another build wrote there since: nothing of it is known
        files = content_files(folders, site.config.ROOT)
        kinds = record_kinds(site)
        changed = {name for name in files.keys() | previous.files.keys() if files.get(name) != previous.files.get(name)}
        markers = set()
        for name in changed:
            kind = kinds.get(name) or previous.kinds.get(name)
            if kind is None:
                return None  # not a record (a page, an image): whatever shows it is unknown
            markers.add(kind)
        if board_fingerprint(derived) != previous.board:
            markers.add(BOARD)
        return Reuse(target, changed | markers, previous.routes)

    def remember(self, site: Site, derived: Derived, outputs: Iterable[Output], target: Path) -> None:
        """After a successful build (swapped in at ``target``): what the next one compares with
        (``outputs``: the route table, as the output registry declared it)."""
        self.snapshot = Snapshot(
            content_files(content_folders(site), site.config.ROOT),
            record_kinds(site),
            board_fingerprint(derived),
            site.build_date,
            {o.path: tuple(o.sources) for o in outputs},
            _digest_file(target / HOSTING_DIR / FILE_NAME),
        )

    def forget(self) -> None:
        self.snapshot = None


def content_folders(site: Site) -> list[Path]:
    config = site.config
    return [Path(config.PATH).resolve(), (config.ROOT / config.TERRITOIRE_OFFRES_PATH).resolve()]


def content_files(folders: list[Path], root: Path) -> dict[str, str]:
    """Every file of the content folders (relative to the project) → the SHA-256 of its bytes."""
    root = Path(root).resolve()
    found: dict[str, str] = {}
    for folder in folders:
        for base, _dirs, names in os.walk(folder):
            for name in names:
                path = os.path.join(base, name)
                found[Path(path).relative_to(root).as_posix()] = _digest_file(Path(path))
    return found


def record_kinds(site: Site) -> dict[str, str]:
    kinds = {o.source: ALL_OFFERS for o in site.offers}
    kinds.update({p.source: ALL_PARTNERS for p in site.partners.values()})
    kinds.update({e.source: ALL_EVENTS for e in site.events})
    kinds.update({r.source: ALL_YEARS for r in site.year_reports.values()})
    return kinds


def board_fingerprint(derived: Derived) -> str:
    """The board's order and facets: what its lists, its facet links and counts, its former
    commune addresses and each offer page's links to its facets are made of, besides the
    offers' own files."""
    board = derived.board
    digest = hashlib.sha256(repr([o.source for o in board.offers]).encode())
    for kind, found in board.facets.items():
        for code, facet in found.items():
            digest.update(repr((kind, code, facet.label, facet.url, [o.source for o in facet.offers])).encode())
    digest.update(repr(sorted(board.commune_slugs.items())).encode())
    return digest.hexdigest()


def _within(path: Path, folders: list[Path]) -> bool:
    resolved = Path(path).resolve()
    return any(resolved.is_relative_to(folder) for folder in folders)


def _digest_file(path: Path) -> str:
    try:
        with open(path, "rb") as f:
            return hashlib.file_digest(f, "sha256").hexdigest()
    except OSError:
        return ""
