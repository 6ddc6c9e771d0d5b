"""/recherche/: the search page, whose results Pagefind's script draws from the index (search.py)."""

from __future__ import annotations

from ..routes import ALL_OFFERS, Route, address, page


def write(site, derived, templates) -> list[Route]:
    """Nothing searchable of its own: the page is written once the index is closed."""
    return []


def write_late(site, derived, templates) -> list[Route]:
    return [
        page(f"{address('recherche')}index.html", "pages/recherche", {"facets": derived.board.facets}, (ALL_OFFERS,))
    ]
