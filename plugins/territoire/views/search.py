"""/recherche/: the search page, whose results Pagefind's script draws from the index (search.py)."""

from __future__ import annotations

from ..routes import address


def write(gen, site) -> None:
    """Nothing searchable of its own: the page is written once the index is closed."""


def write_late(gen, site) -> None:
    gen.render(f"{address('recherche')}index.html", "pages/recherche", facets=gen.derived.board.facets)
