"""The life of an offer, one rule per function: published, future, expired, open, concluded,
withdrawn, and the resulting state shown on its page.

Every view, export, figure and warning asks these functions (or ``offer.state``, set once by
resolve.py) instead of comparing statuses and dates itself.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from .models import STATUTS

# Statuses under which an offer is still open to candidates (until it expires).
OPEN_STATUSES = ("disponible", "en-negociation")
CONCLUDED = "conclue"
WITHDRAWN = "retiree"
# The state of an offer whose status says open but whose expiry date has passed.
EXPIRED = "expiree"
# What each state is called on an offer's page.
STATE_LABELS = {**STATUTS, EXPIRED: "Expirée"}
# States whose page stays online (its URL never breaks) but is kept out of search engines.
NOINDEX_STATES = (WITHDRAWN, EXPIRED)


class Dated(Protocol):
    statut: str
    publiee_le: dt.date
    expire_le: dt.date | None
    conclue_le: dt.date | None
    mise_a_jour: dt.date | None


def is_published(offer: Dated, today: dt.date) -> bool:
    """Published already: the offer has a page (its publication date has come)."""
    return offer.publiee_le <= today


def is_future(offer: Dated, today: dt.date) -> bool:
    """Not published yet: no page, no list, no export until ``publiee_le``."""
    return not is_published(offer, today)


def is_expired(offer: Dated, today: dt.date) -> bool:
    """Its expiry date has passed (an offer is open through its expiry day)."""
    return bool(offer.expire_le and offer.expire_le < today)


def is_open(offer: Dated, today: dt.date) -> bool:
    """Open to candidates: available or under negotiation, and not expired."""
    return offer.statut in OPEN_STATUSES and not is_expired(offer, today)


def is_concluded(offer: Dated) -> bool:
    return offer.statut == CONCLUDED


def is_withdrawn(offer: Dated) -> bool:
    return offer.statut == WITHDRAWN


def state(offer: Dated, today: dt.date) -> str:
    """disponible, en-negociation, conclue, retiree, or expiree (an open status past expiry)."""
    if offer.statut in OPEN_STATUSES and is_expired(offer, today):
        return EXPIRED
    return offer.statut


def is_noindex(offer_state: str) -> bool:
    """A withdrawn or expired offer keeps its page, marked noindex (out of the sitemap)."""
    return offer_state in NOINDEX_STATES


def closed_on(offer: Dated) -> dt.date | None:
    """First day the offer was no longer open, as far as its file tells (None: still open)."""
    days = []
    if is_concluded(offer) and offer.conclue_le:
        days.append(offer.conclue_le)
    if is_withdrawn(offer):
        days.append(offer.mise_a_jour or offer.publiee_le)
    if offer.expire_le:
        days.append(offer.expire_le + dt.timedelta(days=1))  # open through its expiry day
    return min(days) if days else None
