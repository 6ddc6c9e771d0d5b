"""Stage « post-process »: the steps run on the freshly rendered site, before it replaces the
previous one.

``postprocess(run, say)`` runs each step of ``POSTPROCESSORS`` in order, then completes the
output registry with the files no view declared and saves it with the site. Each step is
``step(run, say)`` (``run.output`` is the new site's folder, ``say`` prints progress for
people); a step that raises ``BuildError`` stops the build and nothing is swapped in. Pagefind
is already writing its index when these steps start (search.SearchIndex): the steps that do not
need it run first, ``pagefind_index`` waits for it, and compression comes last because it must
see every file, Pagefind's included.
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
    pagefind_index,
    precompress,  # keep last
]


def postprocess(run: Run, say) -> None:
    for step in POSTPROCESSORS:
        step(run, say)
    run.outputs.complete(run.output)
    run.outputs.save(run.output)
    normalize_permissions(run.output / "theme")  # copied by Pelican with the checkout's modes
