"""Steps run on the freshly built site, before it replaces the previous one.

Each step is ``step(output: Path, settings: dict, site: Site, say: callable)``; ``say`` prints
progress for people. A step that raises ``BuildError`` stops the build and nothing is swapped in.
Pagefind is already writing its index when these steps start (search.SearchIndex): the steps
that do not need it run first, ``pagefind_index`` waits for it, and compression comes last
because it must see every file, Pagefind's included.
"""

from __future__ import annotations

from .brochure_pdf import make_pdf
from .hosting import fingerprint_assets, precompress, write_hosting_rules, write_robots_and_sitemap
from .search import pagefind_index

POSTPROCESSORS: list = [
    make_pdf,
    fingerprint_assets,
    write_robots_and_sitemap,
    write_hosting_rules,
    pagefind_index,
    precompress,  # keep last
]
