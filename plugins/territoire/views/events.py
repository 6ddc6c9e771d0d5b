"""The events: /evenements/ (upcoming, then past by year), a page per event, iCalendar files
and an Atom feed of new events."""

from __future__ import annotations

from collections import defaultdict

from .. import calendar
from ..escaping import script_json
from ..models import TYPES_EVENEMENT
from ..routes import address
from ..settings import PARIS
from .exports import plain_summary
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


def add_context(gen, site) -> None:
    gen.context["TYPES_EVENEMENT"] = TYPES_EVENEMENT


def write(gen, site) -> None:
    siteurl = calendar.absolute_base(site.config)
    network = site.config.TERRITOIRE_RESEAU
    past_by_year: dict[int, list] = defaultdict(list)
    for event in site.past_events():
        past_by_year[event.debut.year].append(event)
    gen.render(
        f"{address('evenements')}index.html",
        "pages/evenements",
        upcoming=site.upcoming_events(),
        past_years=sorted(past_by_year.items(), reverse=True),
    )
    gen.write_data(address("evenements-ics"), calendar.calendar(site, site.events, siteurl, f"Événements — {network}"))
    gen.write_data(address("flux-evenements"), events_atom(site, siteurl))
    for event in site.events:
        gen.render(
            f"{event.url}index.html",
            "pages/evenement",
            event=event,
            commune=event.place,
            partners=event.partners,
            passe=event.fin.date() < site.build_date,
            jsonld=script_json(json_ld(site, event, siteurl)),
        )
        gen.write_data(
            address("evenement-ics", slug=event.slug), calendar.calendar(site, [event], siteurl, event.titre)
        )
