"""Stage « derive »: what the views show, computed once from the resolved content.

``derive(site)`` returns ``Derived``: the offer board (board.py: the open offers, their facets,
each offer's related offers), the partners' directory (directory.py), the partners each sector
and stage lead to in each EPCI (orientation.py), the territory's outline for the locator maps
(svgmap.py), and the network's yearly figures and indicators (figures.py). The views
(views/) render these and compute none of them again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import figures, svgmap
from .board import Board, build_board, related_offers
from .directory import Directory, directory
from .orientation import Orientation, orientation

if TYPE_CHECKING:
    from .site import Site


@dataclass
class Derived:
    board: Board
    related: dict[str, list]  # offer slug → its related open offers
    directory: Directory
    orientation: Orientation
    locator: svgmap.Locator
    years: list[figures.Year]  # the offers' figures, year by year
    indicators: list[figures.Indicator]  # the network's yearly indicators


def derive(site: Site) -> Derived:
    board = build_board(site)
    years = figures.yearly_figures(site)
    return Derived(
        board,
        related_offers(site, board),
        directory(site),
        orientation(site),
        svgmap.for_site(site),
        years,
        figures.network_indicators(site, years),
    )
