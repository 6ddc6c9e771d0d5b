"""What the build's stages hand to each other: the run in progress and the error that stops it.

Kept apart from the driver (build.py), which imports every stage: a stage that needs these names
imports this module, never the driver, so no import goes back up the pipeline.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .derive import Derived
    from .incremental import Reuse
    from .outputs import Registry
    from .routes import Route
    from .search import SearchIndex
    from .site import Site


class BuildError(Exception):
    """A build that must stop: the message, in French, says why; ``details`` lists the content
    problems (one per line, file:line — message), for the preview's error overlay."""

    def __init__(self, message: str, details: str = ""):
        super().__init__(message)
        self.details = details


@dataclass
class Run:
    """One build in progress, handed from stage to stage (render, post-process)."""

    site: Site
    derived: Derived
    output: Path  # the new site's folder (swapped in at the end)
    outputs: Registry  # the route table, then every file written, with the code that made it (outputs.py)
    index: SearchIndex | None  # Pagefind, fed while the pages are written (search.py)
    # Pelican's pages of content/pages/ as it read and rendered them (plugin.py): the PDF
    # brochure's chapters are these, not another rendering of the files.
    pages: list = field(default_factory=list)
    # In the preview, after its first build: the routes an edit cannot have changed, taken from
    # the previous build instead of rendered again (incremental.py).
    reuse: Reuse | None = None
    # In those partial rebuilds: the files to download (exports, feeds, calendars) to write
    # once the pages show, with the search index (build.py).
    downloads: list[Route] = field(default_factory=list)
    # Processes rendering the pages: 2, a second one renders about half of them (secondprocess.py).
    processes: int = 1
