"""/recherche/: the search page, whose results Pagefind's script draws from the index (search.py)."""

from __future__ import annotations


def write(gen, site) -> None:
    """Nothing searchable of its own: the page is written once the index is closed."""


def write_late(gen, site) -> None:
    gen.render("recherche/index.html", "pages/recherche", facets=gen.derived.board.facets)
