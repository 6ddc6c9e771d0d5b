"""Resolve: codes turned into objects once, after validation, before any view runs.

Each record keeps its fields as written (``offer.commune`` is the INSEE code, ``offer.referent``
the partner id: exports and schemas publish them as they are) and gains the objects they name:

- ``offer.place`` (Commune), ``offer.partner`` (its referent Partner), ``offer.state``
  (lifecycle.state at the build date);
- ``partner.place`` (Commune of its seat);
- ``event.place`` (Commune), ``event.partners`` (the Partners it names, in order).

Views, exports, feeds and figures read these instead of looking codes up again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import lifecycle

if TYPE_CHECKING:
    from .site import Site


def resolve(site: Site) -> None:
    """Attach the resolved objects to every loaded record. A code that names nothing (only in
    content that failed validation, which the build refuses) resolves to None, or is skipped."""
    communes, partners, today = site.communes, site.partners, site.build_date
    for partner in partners.values():
        partner.place = communes.get(partner.commune)
    for offer in site.offers:
        offer.place = communes.get(offer.commune)
        offer.partner = partners.get(offer.referent)
        offer.state = lifecycle.state(offer, today)
    for event in site.events:
        event.place = communes.get(event.commune)
        event.partners = [partners[p] for p in event.partenaires or () if p in partners]
    site.resolved()  # the records are complete: the site's offer lists can be made once
