"""Rebuild what an edit touches: the preview's builds after the first (`make serve`).

Sphinx's ``get_outdated_docs`` and Lektor's dependency records, on this kit's route table: every
route names the content files it is made from (``Route.sources``) or a kind of them
(« toutes les offres »…), so once a build is done the preview knows, for the next one, which
routes an edit can have changed. The next build still goes through every stage (checked
content, derived data, the whole route table, Pelican's pages, the search index, the
post-processing steps), but in the site already there, not in a new folder: the routes the edit
cannot have changed are not rendered and their files are left as they are; every other file is
replaced by renaming a new one over it (pagewriter.py); the files of routes gone are deleted.
Pagefind keeps running from one build to the next with its index (``Preview.search``): it is
handed only the searchable pages written again, replaces them by their address and makes its
index again from the pages it holds (it has no incremental mode: about 1.5 s at 5,000 offers,
against 6 s to read every page again); a page that came or went, and the index is made afresh.
The preview shows the new pages as soon as they are written, while Pagefind works; its files
then replace the previous ones where they differ, and the output registry is saved
(``Preview.finish_later``). The next build waits for that end (``settle``). The result
is the site a full build of the same sources makes, byte for byte (tests/test_serve.py compares
them).

Unlike a full build, a partial one is not swapped in at the end: content errors still stop it
before anything is written, but a failure while rendering (a template, a full disk) leaves a
site partly updated, which the next build, a full one, replaces. The preview says the error.

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
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .contentcache import PreviewMemory
from .outputs import FILE_NAME
from .routes import ALL_EVENTS, ALL_OFFERS, ALL_PARTNERS, ALL_YEARS, BOARD, HOSTING_DIR

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from .derive import Derived
    from .outputs import Output
    from .routes import Route
    from .search import SearchIndex
    from .site import Site


@dataclass
class Snapshot:
    """What the preview's last build was made from, and what it wrote."""

    digests: dict[str, str]  # each record file → the SHA-256 of its bytes (load.py)
    kinds: dict[str, str]  # each record's file → its kind's marker (ALL_OFFERS…)
    board: str  # fingerprint of the board's order and facets
    build_date: object
    routes: dict[str, tuple[str, ...]]  # save_as → sources, as declared
    registry: str  # SHA-256 of the registry saved with the site (_hebergement/sorties.json)
    root: Path  # the project's folder, resolved


@dataclass
class Reuse:
    """This build's plan: it works in the site ``previous`` (the preview's output folder), where
    the files of the routes the edit cannot have changed are left as they are."""

    previous: Path
    changed: set[str]  # changed files and the markers of what they change
    routes: dict[str, tuple[str, ...]]
    kept: int = 0
    rendered: int = 0

    def remove_stale(self, declared: set[str]) -> int:
        """Delete the files of the previous build's routes this build no longer has (an offer
        removed), with their compressed copies; returns how many routes went."""
        gone = sorted(self.routes.keys() - declared)
        for relative in gone:
            path = self.previous / relative
            for stale in (path, path.with_name(path.name + ".gz"), path.with_name(path.name + ".br")):
                stale.unlink(missing_ok=True)
            for folder in path.parents:  # folders left empty go too
                if folder == self.previous or not folder.is_relative_to(self.previous):
                    break
                try:
                    folder.rmdir()
                except OSError:
                    break
        return len(gone)

    def keeps(self, route: Route) -> bool:
        sources = route.sources
        # The preview's own folder, as the registry of its last build describes it (``plan``
        # checked that registry): each of its routes' files is there.
        kept = bool(sources) and self.routes.get(route.save_as) == sources and self.changed.isdisjoint(sources)
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
    # The parsed files and their checks, kept from one build to the next (contentcache.py).
    memory: PreviewMemory = field(default_factory=PreviewMemory)
    # The end of the last partial rebuild (search index, registry), running while its pages show.
    finishing: threading.Thread | None = None
    # Pagefind, kept running with the last build's index: a partial rebuild hands it only the
    # pages written again (search.SearchIndex.next_round).
    search: SearchIndex | None = None

    def search_index(self, output: Path, partial: bool) -> SearchIndex | None:
        """For a partial rebuild, the index kept from the last build, ready for its pages; None:
        the build starts Pagefind afresh (a full build always does) and gives it to ``keep_search``."""
        if partial and self.search is not None and self.search.next_round(output):
            return self.search
        self.drop_search()
        return None

    def keep_search(self, index: SearchIndex, partial: bool) -> None:
        index.keep = True
        if partial:
            index.hold()  # Pagefind indexes once the pages show (build._finish_search)
        self.search = index

    def drop_search(self) -> None:
        """Stop the kept Pagefind (a build failed, or the preview stops)."""
        if self.search is not None:
            self.search.close()
            self.search = None

    def finish_later(self, finish: Callable[[], None]) -> None:
        """Run the end of a partial rebuild on a thread of its own; ``settle`` waits for it. If it
        fails, the preview says so and the next build is a full one (nothing is remembered)."""

        def run() -> None:
            try:
                finish()
            except Exception as exc:  # noqa: BLE001 - said in French, the next build starts afresh
                self.snapshot = None
                print(f"✘ la fin de la construction a échoué ({exc}) ; la prochaine sera complète.", flush=True)

        self.finishing = threading.Thread(target=run, name="apercu-recherche", daemon=True)
        self.finishing.start()

    def settle(self) -> None:
        """Wait for the end of the last partial rebuild: the next build starts from a whole site."""
        if self.finishing is not None:
            self.finishing.join()
            self.finishing = None

    def content_memory(self) -> PreviewMemory:
        """The content stages' memory, trusted when only record files changed since the last
        build (the same files ``plan`` accepts; a new file is not one of them)."""
        previous = self.snapshot
        self.memory.trusted = (
            previous is not None
            and bool(self.changed_paths)
            and all(_relative(Path(p), previous.root) in previous.kinds for p in self.changed_paths)
        )
        self.memory.gone = {Path(p).resolve() for p in self.changed_paths if not Path(p).exists()}
        return self.memory

    def plan(self, site: Site, derived: Derived, target: Path) -> Reuse | None:
        """The routes this build may take from the previous one, or None: a full build."""
        previous, self.snapshot = self.snapshot, None
        if previous is None or previous.build_date != site.build_date or not self.changed_paths:
            return None
        if site.settings.get("DELETE_OUTPUT_DIRECTORY"):
            return None  # Pelican would empty the site the rebuild works in
        kinds = record_kinds(site)
        root = Path(site.config.ROOT).resolve()
        for path in self.changed_paths:
            name = _relative(Path(path), root)
            if name not in kinds and name not in previous.kinds:
                return None  # not a record (a page, an image, a template): what shows it is unknown
        if _digest_file(target / HOSTING_DIR / FILE_NAME) != previous.registry:
            return None  # another build wrote there since: nothing of it is known
        # Every record file compared by content (the watcher may have seen one save of several).
        now, before = site.digests, previous.digests
        changed = {name for name in now.keys() | before.keys() if now.get(name) != before.get(name)}
        markers = {kinds.get(name) or previous.kinds[name] for name in changed}
        if board_fingerprint(derived) != previous.board:
            markers.add(BOARD)
        return Reuse(target, changed | markers, previous.routes)

    def remember(self, site: Site, derived: Derived, outputs: Iterable[Output], target: Path) -> None:
        """After a successful build (swapped in at ``target``): what the next one compares with
        (``outputs``: the route table, as the output registry declared it)."""
        self.snapshot = Snapshot(
            dict(site.digests),
            record_kinds(site),
            board_fingerprint(derived),
            site.build_date,
            {o.path: tuple(o.sources) for o in outputs},
            _digest_file(target / HOSTING_DIR / FILE_NAME),
            Path(site.config.ROOT).resolve(),
        )


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


def _relative(path: Path, root: Path) -> str:
    path = path.resolve()
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()


def _digest_file(path: Path) -> str:
    try:
        with open(path, "rb") as f:
            return hashlib.file_digest(f, "sha256").hexdigest()
    except OSError:
        return ""
