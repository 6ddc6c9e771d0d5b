"""The site's Atom feeds, all written by one writer (``atom`` below, on feedgenerator, the
library Pelican writes its own feeds with): new open offers (all, per sector, per EPCI) and
new events. Deterministic: every date comes from the content, never "now"."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from feedgenerator import Atom1Feed
from feedgenerator.django.utils.feedgenerator import rfc3339_date

from .. import calendar
from ..markup import plain_summary
from ..models import NATURES, SECTEURS, TYPES_EVENEMENT
from ..outputs import produces
from ..routes import ALL_OFFERS, Route, address, data
from ..settings import PARIS
from ..slugs import slugify

LATEST = 50


@dataclass(frozen=True, slots=True)
class Entry:
    title: str
    link: str
    id: str
    updated: dt.date | dt.datetime  # a date is midnight UTC
    summary: str  # plain text
    published: dt.date | dt.datetime | None = None
    category: tuple[str, str] | None = None  # (term, label)


class _AtomFeed(Atom1Feed):
    """feedgenerator's Atom 1.0 as these feeds need it: links typed text/html, summaries in
    plain text (content files are never trusted as HTML, and feedgenerator would mark them
    type="html"), categories with their label, and the feed's date given (feedgenerator dates
    a feed without entries "now")."""

    def latest_post_date(self):
        return self.feed["updated"]

    def add_root_elements(self, handler) -> None:
        handler.addQuickElement("title", self.feed["title"])
        handler.addQuickElement("id", self.feed["id"])
        handler.addQuickElement("link", "", {"rel": "self", "href": self.feed["feed_url"]})
        handler.addQuickElement("link", "", {"rel": "alternate", "type": "text/html", "href": self.feed["link"]})
        handler.addQuickElement("updated", rfc3339_date(self.latest_post_date()))
        handler.startElement("author", {})
        handler.addQuickElement("name", self.feed["author_name"])
        handler.endElement("author")

    def add_item_elements(self, handler, item) -> None:
        handler.addQuickElement("title", item["title"])
        handler.addQuickElement("link", "", {"rel": "alternate", "type": "text/html", "href": item["link"]})
        handler.addQuickElement("id", item["unique_id"])
        if item["pubdate"] is not None:
            handler.addQuickElement("published", rfc3339_date(item["pubdate"]))
        handler.addQuickElement("updated", rfc3339_date(item["updateddate"]))
        if item["category"]:
            term, label = item["category"]
            handler.addQuickElement("category", "", {"term": term, "label": label})
        handler.addQuickElement("summary", item["description"])


def atom(title: str, feed_id: str, feed_url: str, page_url: str, updated, author: str, entries: list[Entry]) -> str:
    """One Atom document: every feed of the site is written here."""
    feed = _AtomFeed(
        title=title,
        link=page_url,
        description="",
        language="fr",
        author_name=author,
        feed_url=feed_url,
        feed_guid=feed_id,
        updated=updated,
    )
    for e in entries:
        feed.add_item(
            title=e.title,
            link=e.link,
            description=e.summary,
            unique_id=e.id,
            pubdate=e.published,
            updateddate=e.updated,
            category=e.category,
        )
    return feed.writeString("utf-8") + "\n"


def _updated(offer) -> dt.date:
    return max(d for d in (offer.publiee_le, offer.mise_a_jour) if d)


def offers_atom(site, offers: list, title: str, self_url: str, page_url: str, siteurl: str) -> str:
    base = siteurl or ""
    latest = offers[:LATEST]
    tag = f"tag:{slugify(site.config.SITENAME or 'site')},2026:"
    entries = []
    for offer in latest:
        commune = offer.place
        url = f"{base}/{offer.url}"
        summary = f"{NATURES[offer.nature]} · {SECTEURS[offer.secteur]} · {commune.nom} ({commune.epci_nom}). {plain_summary(offer.description, 300)}"
        entries.append(
            Entry(
                title=offer.titre,
                link=url,
                id=url if base else f"{tag}{offer.reference}",
                published=offer.publiee_le,
                updated=_updated(offer),
                category=(offer.secteur, SECTEURS[offer.secteur]),
                summary=summary,
            )
        )
    return atom(
        title,
        f"{base}/{self_url}" if base else f"{tag}{self_url}",
        f"{base}/{self_url}",
        f"{base}/{page_url}",
        max((_updated(o) for o in latest), default=site.build_date),
        site.config.TERRITOIRE_RESEAU,
        entries,
    )


def events_atom(site, siteurl: str) -> str:
    """New events first (by start date of announcement: newest events in the agenda)."""
    base = siteurl or ""
    latest = sorted(site.events, key=lambda e: (e.debut, e.slug), reverse=True)[:LATEST]
    tag = f"tag:{calendar.site_domain(site.config)},2026:"
    entries = [
        Entry(
            title=event.titre,
            link=f"{base}/{event.url}",
            id=f"{base or tag}/{event.url}",
            updated=event.debut.replace(tzinfo=PARIS),
            summary=f"{TYPES_EVENEMENT[event.type]} · {event.place.nom}. {plain_summary(event.description, 300)}",
        )
        for event in latest
    ]
    return atom(
        f"Événements — {site.config.TERRITOIRE_RESEAU}",
        f"{base or tag}/{address('flux-evenements')}",
        f"{base}/{address('flux-evenements')}",
        f"{base}/{address('evenements')}",
        max(e.debut for e in latest).replace(tzinfo=PARIS) if latest else site.build_date,
        site.config.TERRITOIRE_RESEAU,
        entries,
    )


def _feeds(site, board) -> list[tuple]:
    """Every offers' feed: (offers, title, url, page, kind, label)."""
    network = site.config.TERRITOIRE_RESEAU
    found = [
        (
            board.offers,
            f"Nouvelles offres d'activités — {network}",
            address("flux-offres"),
            address("offres"),
            "tout",
            "Toutes les offres",
        )
    ]
    names = site.communes.epci_names
    by_kind = {
        "secteur": [(code, label, address("flux-secteur", code=code)) for code, label in SECTEURS.items()],
        "territoire": [
            (siren, names.get(siren, siren), address("flux-territoire", siren=siren))
            for siren in sorted(site.communes.territory_epci, key=lambda s: names.get(s, s))
        ],
    }
    for kind, feeds in by_kind.items():
        for code, label, url in feeds:
            facet = board.facets[kind].get(code)
            offers, page = (facet.offers, facet.url) if facet else ([], address("offres"))
            found.append((offers, f"Nouvelles offres : {label} — {network}", url, page, kind, label))
    return found


def alerts(site, board) -> list[dict]:
    """The offers' feeds as the alerts page lists them: kind, label, url, page, title, count."""
    return [
        {"type": kind, "nom": label, "url": url, "page": page, "titre": title, "nombre": len(offers)}
        for offers, title, url, page, kind, label in _feeds(site, board)
    ]


@produces
def write_all(site, board) -> list[Route]:
    """Every offers' feed."""
    siteurl = site.config.SITEURL
    return [
        data(url, functools.partial(offers_atom, site, offers, title, url, page, siteurl), (ALL_OFFERS,), True)
        for offers, title, url, page, _kind, _label in _feeds(site, board)
    ]
