"""Stage « post-process »: the steps run on the freshly rendered site, before it replaces the
previous one.

``postprocess(run, say)`` runs each step of ``POSTPROCESSORS`` in order, then completes the
output registry with the files no view declared and saves it with the site. Each step is
``step(run, say)`` (``run.output`` is the new site's folder, ``say`` prints progress for
people); a step that raises ``BuildError`` stops the build and nothing is swapped in. Pagefind
is already writing its index when these steps start (search.SearchIndex): the steps that do not
need it run first, ``pagefind_index`` waits for it, and compression comes last because it must
see every file, Pagefind's included.

The preview's partial rebuilds (incremental.py) run the two halves apart: ``pages_done`` before
the preview shows the new pages, ``search_done`` (from ``pagefind_index`` on, then the registry)
while the person looks at them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .brochure_pdf import make_pdf
from .hosting import fingerprint_assets, precompress, write_hosting_rules, write_robots_and_sitemap
from .search import pagefind_index
from .swap import normalize_permissions

if TYPE_CHECKING:
    from .run import Run

POSTPROCESSORS: list = [
    make_pdf,
    fingerprint_assets,
    write_robots_and_sitemap,
    write_hosting_rules,
    pagefind_index,  # the steps from here on need the search index (``search_done``)
    precompress,  # keep last
]


def postprocess(run: Run, say) -> None:
    pages_done(run, say)
    search_done(run, say)


def pages_done(run: Run, say) -> None:
    """The steps that do not wait for the search index."""
    for step in POSTPROCESSORS[: POSTPROCESSORS.index(pagefind_index)]:
        step(run, say)
    normalize_permissions(run.output / "theme")  # copied by Pelican with the checkout's modes


def search_done(run: Run, say) -> None:
    """The search index's steps and the ones after it, then the output registry (every file)."""
    for step in POSTPROCESSORS[POSTPROCESSORS.index(pagefind_index) :]:
        step(run, say)
    run.outputs.complete(run.output)
    run.outputs.save(run.output)
