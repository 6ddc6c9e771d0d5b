"""iCalendar (RFC 5545) for events: the whole agenda and one file per event.

Times are written in Europe/Paris with its VTIMEZONE; DTSTAMP is the build date, so the same
sources and build date give the same bytes.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from icalendar import Calendar, Event as VEvent

from .settings import PARIS
from .views.exports import plain_summary


def uid_domain(siteurl: str, fallback: str) -> str:
    return urlsplit(siteurl).hostname or fallback


def _vevent(site, event, siteurl: str, domain: str) -> VEvent:
    commune = site.commune(event.commune)
    item = VEvent()
    item.add("uid", f"{event.slug}@{domain}")
    item.add("dtstamp", dt.datetime.combine(site.build_date, dt.time(), tzinfo=dt.timezone.utc))
    item.add("dtstart", event.debut.replace(tzinfo=PARIS))
    item.add("dtend", event.fin.replace(tzinfo=PARIS))
    item.add("summary", event.titre)
    item.add("location", f"{event.lieu}, {commune.code_postal} {commune.nom}".replace("  ", " "))
    if commune.latitude is not None:
        item.add("geo", (commune.latitude, commune.longitude))
    item.add("url", f"{siteurl}/{event.url}")
    description = plain_summary(event.description, 600)
    if event.inscription:
        description += f"\n\nInscription : {event.inscription}"
    item.add("description", description)
    item.add("categories", [event.type])
    return item


def calendar(site, events: list, siteurl: str, name: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", f"-//{site.settings.get('TERRITOIRE_RESEAU', 'Reseau')}//Site du territoire//FR")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/Paris")
    domain = uid_domain(siteurl, "cap-actif.invalid")
    for event in events:
        cal.add_component(_vevent(site, event, siteurl, domain))
    if events:
        cal.add_missing_timezones()
    return cal.to_ical()
