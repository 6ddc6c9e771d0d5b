"""The events: /evenements/ (upcoming, then past by year), a page per event, iCalendar files
and an Atom feed of new events."""

from __future__ import annotations

import functools
from collections import defaultdict

from .. import calendar
from ..escaping import script_json
from ..markup import plain_summary
from ..models import TYPES_EVENEMENT
from ..routes import ALL_EVENTS, ALL_PARTNERS, Route, address, data, page, sources_of
from ..settings import PARIS
from .feeds import events_atom


def json_ld(site, event, siteurl: str) -> dict:
    commune = event.place
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.titre,
        "startDate": event.debut.replace(tzinfo=PARIS).isoformat(),
        "endDate": event.fin.replace(tzinfo=PARIS).isoformat(),
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "description": plain_summary(event.description, 300),
        "url": f"{siteurl}/{event.url}",
        "location": {
            "@type": "Place",
            "name": event.lieu,
            "address": {
                "@type": "PostalAddress",
                "addressLocality": commune.nom,
                "postalCode": commune.code_postal,
                "addressCountry": "FR",
            },
        },
        "organizer": [{"@type": "Organization", "name": p.nom, "url": f"{siteurl}/{p.url}"} for p in event.partners]
        or {"@type": "Organization", "name": site.config.TERRITOIRE_RESEAU},
    }
    if commune.latitude is not None:
        data["location"]["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": commune.latitude,
            "longitude": commune.longitude,
        }
    if event.inscription:
        data["offers"] = {
            "@type": "Offer",
            "url": event.inscription,
            "price": 0,
            "priceCurrency": "EUR",
            "availability": "https://schema.org/InStock",
        }
    return data


def template_context(site, derived, templates) -> dict:
    return {"TYPES_EVENEMENT": TYPES_EVENEMENT}


def write(site, derived, templates) -> list[Route]:
    siteurl = calendar.absolute_base(site.config)
    network = site.config.TERRITOIRE_RESEAU
    past_by_year: dict[int, list] = defaultdict(list)
    for event in site.past_events():
        past_by_year[event.debut.year].append(event)
    every = (ALL_EVENTS, ALL_PARTNERS)
    routes = [
        page(
            f"{address('evenements')}index.html",
            "pages/evenements",
            {"upcoming": site.upcoming_events(), "past_years": sorted(past_by_year.items(), reverse=True)},
            every,
        ),
        data(
            address("evenements-ics"),
            lambda: calendar.calendar(site, site.events, siteurl, f"Événements — {network}"),
            every,
            download=True,
        ),
        data(address("flux-evenements"), lambda: events_atom(site, siteurl), every, download=True),
    ]
    for event in site.events:
        sources = sources_of(event, *event.partners)
        routes.append(
            page(
                f"{event.url}index.html",
                "pages/evenement",
                functools.partial(_event_page, site, event, siteurl),
                sources,
                searchable=True,
            )
        )
        routes.append(
            data(
                address("evenement-ics", slug=event.slug),
                functools.partial(calendar.calendar, site, [event], siteurl, event.titre),
                sources,
                download=True,
            )
        )
    return routes


def _event_page(site, event, siteurl: str) -> dict:
    return {
        "event": event,
        "commune": event.place,
        "partners": event.partners,
        "passe": event.fin.date() < site.build_date,
        "jsonld": script_json(json_ld(site, event, siteurl)),
    }
