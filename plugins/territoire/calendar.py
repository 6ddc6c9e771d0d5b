"""iCalendar (RFC 5545) for events: the whole agenda and one file per event.

Times are written in Europe/Paris with its VTIMEZONE; DTSTAMP is the build date, so the same
sources and build date give the same bytes.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from icalendar import Calendar
from icalendar import Event as VEvent

from .config import Config
from .markup import plain_text
from .settings import PARIS


def uid_domain(siteurl: str, fallback: str) -> str:
    return urlsplit(siteurl).hostname or fallback


def site_domain(config: Config) -> str:
    """Host named in UIDs: TERRITOIRE_DOMAINE, else SITEURL's host, else <network>.invalid.
    Setting TERRITOIRE_DOMAINE keeps UIDs stable when the site moves to another address."""
    from .slugs import slugify

    fallback = f"{slugify(config.TERRITOIRE_RESEAU or 'reseau')}.invalid"
    return config.TERRITOIRE_DOMAINE or uid_domain(config.SITEURL, fallback)


def absolute_base(config: Config) -> str:
    """Base of the links that are read outside the site (agendas, feeds, JSON-LD): SITEURL when
    it is absolute, else https://TERRITOIRE_DOMAINE, else SITEURL as it is."""
    siteurl = config.SITEURL.rstrip("/")
    if urlsplit(siteurl).scheme in ("http", "https") or not config.TERRITOIRE_DOMAINE:
        return siteurl
    return f"https://{config.TERRITOIRE_DOMAINE}"


def _vevent(site, event, siteurl: str, domain: str) -> VEvent:
    commune = event.place
    item = VEvent()
    item.add("uid", f"{event.slug}@{domain}")
    item.add("dtstamp", dt.datetime.combine(site.build_date, dt.time(), tzinfo=dt.UTC))
    item.add("dtstart", event.debut.replace(tzinfo=PARIS))
    item.add("dtend", event.fin.replace(tzinfo=PARIS))
    item.add("summary", event.titre)
    item.add("location", f"{event.lieu}, {commune.code_postal} {commune.nom}".replace("  ", " "))
    if commune.latitude is not None:
        item.add("geo", (commune.latitude, commune.longitude))
    item.add("url", f"{siteurl}/{event.url}")
    description = plain_text(event.description)
    if event.inscription:
        description += f"\n\nInscription : {event.inscription}"
    item.add("description", description)
    item.add("categories", [event.type])
    return item


def calendar(site, events: list, siteurl: str, name: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", f"-//{site.config.TERRITOIRE_RESEAU}//Site du territoire//FR")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/Paris")
    domain = site_domain(site.config)
    for event in events:
        cal.add_component(_vevent(site, event, siteurl, domain))
    if events:
        # The VTIMEZONE rules for the years of these events only (the default spans 1970-2038,
        # a few kilobytes in every per-event file); the same events give the same bytes.
        first = dt.date(min(e.debut.year for e in events) - 1, 1, 1)
        last = dt.date(max(e.fin.year for e in events) + 2, 1, 1)
        cal.add_missing_timezones(first_date=first, last_date=last)
    return cal.to_ical()
