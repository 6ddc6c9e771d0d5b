"""The lifecycle rules of an offer (lifecycle.py), one function each, and their resolution
once per build (resolve.py): every page, list and export reads the same answer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from territoire import lifecycle

TODAY = dt.date(2026, 11, 22)


@dataclass
class Offer:
    statut: str = "disponible"
    publiee_le: dt.date = dt.date(2026, 1, 10)
    expire_le: dt.date | None = None
    conclue_le: dt.date | None = None
    mise_a_jour: dt.date | None = None


def test_an_offer_is_published_on_its_publication_day_not_before():
    assert lifecycle.is_published(Offer(publiee_le=TODAY), TODAY)
    assert lifecycle.is_future(Offer(publiee_le=TODAY + dt.timedelta(days=1)), TODAY)
    assert not lifecycle.is_future(Offer(publiee_le=TODAY), TODAY)


def test_an_offer_stays_open_through_its_expiry_day():
    assert lifecycle.is_open(Offer(expire_le=TODAY), TODAY)
    assert not lifecycle.is_expired(Offer(expire_le=TODAY), TODAY)
    yesterday = Offer(expire_le=TODAY - dt.timedelta(days=1))
    assert lifecycle.is_expired(yesterday, TODAY) and not lifecycle.is_open(yesterday, TODAY)
    assert lifecycle.state(yesterday, TODAY) == "expiree"
    assert lifecycle.state(Offer(statut="en-negociation", expire_le=TODAY), TODAY) == "en-negociation"


def test_concluded_and_withdrawn_offers_are_closed_whatever_their_expiry():
    for statut in ("conclue", "retiree"):
        offer = Offer(statut=statut, expire_le=TODAY - dt.timedelta(days=5))
        assert not lifecycle.is_open(offer, TODAY)
        assert lifecycle.state(offer, TODAY) == statut  # not « expiree »: its status says more
    assert lifecycle.is_concluded(Offer(statut="conclue")) and lifecycle.is_withdrawn(Offer(statut="retiree"))


def test_withdrawn_and_expired_pages_are_noindex_concluded_ones_are_not():
    assert [
        s for s in ("disponible", "en-negociation", "conclue", "retiree", "expiree") if lifecycle.is_noindex(s)
    ] == ["retiree", "expiree"]


def test_closed_on_is_the_first_day_the_offer_was_no_longer_open():
    assert lifecycle.closed_on(Offer()) is None
    assert lifecycle.closed_on(Offer(expire_le=dt.date(2026, 3, 31))) == dt.date(2026, 4, 1)
    concluded = Offer(statut="conclue", conclue_le=dt.date(2026, 2, 1), expire_le=dt.date(2026, 3, 31))
    assert lifecycle.closed_on(concluded) == dt.date(2026, 2, 1)
    assert lifecycle.closed_on(Offer(statut="retiree", mise_a_jour=dt.date(2026, 5, 2))) == dt.date(2026, 5, 2)
    assert lifecycle.closed_on(Offer(statut="retiree")) == dt.date(2026, 1, 10)


def test_loading_resolves_each_offer_once_to_its_commune_referent_and_state(sample_site):
    for offer in sample_site.offers:
        assert offer.place is sample_site.communes.get(offer.commune)
        assert offer.partner is sample_site.partners[offer.referent]
        assert offer.state == lifecycle.state(offer, sample_site.build_date)
    assert {o.state for o in sample_site.published_offers} >= {
        "disponible",
        "en-negociation",
        "conclue",
        "retiree",
        "expiree",
    }
    for event in sample_site.events:
        assert event.place is sample_site.communes.get(event.commune)
        assert [p.slug for p in event.partners] == list(event.partenaires or [])
    for partner in sample_site.partners.values():
        assert partner.place is sample_site.communes.get(partner.commune)
    assert sample_site.open_offers == [o for o in sample_site.published_offers if o.state in lifecycle.OPEN_STATUSES]
