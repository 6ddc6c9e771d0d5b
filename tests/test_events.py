"""Events: the list, the pages, iCalendar files and the Atom feed, parsed by real parsers."""

from __future__ import annotations

import datetime as dt
import json
import re
from zoneinfo import ZoneInfo

import feedparser
from conftest import ROOT
from icalendar import Calendar
from territoire.sources import read_front_matter

PARIS = ZoneInfo("Europe/Paris")


def sample_events() -> dict[str, dict]:
    events = {}
    for path in sorted((ROOT / "content" / "evenements").glob("*.md")):
        data, _, _ = read_front_matter(path, 1 << 20)
        events[path.stem] = data
    return events


def local(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=PARIS)


def text_of(path) -> str:
    html = path.read_text(encoding="utf-8")
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("\u00a0", " ")


def test_agenda_ics_has_every_event_with_its_fields(built_site):
    cal = Calendar.from_ical((built_site / "evenements" / "evenements.ics").read_bytes())
    assert cal.get("version") == "2.0"
    assert any(c.name == "VTIMEZONE" and str(c.get("tzid")) == "Europe/Paris" for c in cal.walk())
    events = {str(e.get("uid")): e for e in cal.walk("VEVENT")}
    samples = sample_events()
    assert len(events) == len(samples)
    for slug, data in samples.items():
        event = events[f"{slug}@cap-actif.example.org"]
        assert str(event.get("summary")) == data["titre"]
        assert event.decoded("dtstart") == local(data["debut"]) and event.decoded("dtstart").tzinfo is not None
        assert event.decoded("dtend") == local(data["fin"])
        assert event.get("dtstart").params["TZID"] == "Europe/Paris"
        assert data["lieu"] in str(event.get("location"))
        assert str(event.get("url")) == f"https://cap-actif.example.org/evenements/{slug}/"
        assert event.decoded("dtstamp") == dt.datetime(2026, 11, 22, tzinfo=dt.UTC)


def test_event_across_daylight_saving_change_keeps_local_times(built_site):
    cal = Calendar.from_ical(
        (built_site / "evenements" / "salon-creation-reprise-ambert-2027" / "evenement.ics").read_bytes()
    )
    (event,) = cal.walk("VEVENT")
    start, end = event.decoded("dtstart"), event.decoded("dtend")
    assert start.utcoffset() == dt.timedelta(hours=1) and end.utcoffset() == dt.timedelta(hours=2)
    assert (start.hour, end.hour) == (9, 17)
    elapsed = end.astimezone(dt.UTC) - start.astimezone(dt.UTC)
    assert elapsed == dt.timedelta(hours=31)  # 32 hours on the clock, one lost to summer time


def test_per_event_ics_link_on_each_page(built_site):
    for slug in sample_events():
        page = (built_site / "evenements" / slug / "index.html").read_text(encoding="utf-8")
        assert f'href="/evenements/{slug}/evenement.ics"' in page and "Ajouter à mon agenda" in page
        assert (built_site / "evenements" / slug / "evenement.ics").exists()


def test_event_page_gives_date_place_partners_and_json_ld(built_site):
    path = built_site / "evenements" / "projets-en-campagne-clermont-ferrand-2027" / "index.html"
    text = text_of(path)
    assert "dimanche 14 mars 2027, de 10 h à 18 h" in text
    assert "Place de Jaude" in text and "Clermont-Ferrand" in text
    html = path.read_text(encoding="utf-8")
    assert 'href="/partenaires/cma-63/"' in html
    assert 'href="https://inscriptions.cap-actif.example.org/projets-en-campagne-2027"' in html
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["@type"] == "Event" and data["startDate"] == "2027-03-14T10:00:00+01:00"
    assert data["location"]["address"]["addressLocality"] == "Clermont-Ferrand"
    multi = text_of(built_site / "evenements" / "salon-creation-reprise-ambert-2027" / "index.html")
    assert "du samedi 27 mars 2027 à 9 h au dimanche 28 mars 2027 à 17 h" in multi


def test_events_list_upcoming_soonest_first_then_past_by_year(built_site, sample_site):
    html = (built_site / "evenements" / "index.html").read_text(encoding="utf-8")
    upcoming, past = html.split('id="passes"')
    found = re.findall(r'href="/evenements/([^/"]+)/"', upcoming)
    expected = [e.slug for e in sample_site.events if e.fin.date() >= dt.date(2026, 11, 22)]
    assert found == expected and len(found) >= 5
    years = re.findall(r"<h3>(\d{4})</h3>", past)
    assert years == sorted(years, reverse=True) and years[0] == "2026"
    assert set(re.findall(r'href="/evenements/([^/"]+)/"', past)) == {e.slug for e in sample_site.past_events()}


def test_home_page_shows_the_next_three_events(built_site, sample_site):
    html = (built_site / "index.html").read_text(encoding="utf-8")
    section = html.split('id="agenda-titre"')[1]
    shown = re.findall(r'href="/evenements/([^/"]+)/"', section)[:3]
    assert shown == [e.slug for e in sample_site.upcoming_events()[:3]]
    # With the date and hours, as on the events page.
    assert "jeudi 3 décembre 2026, de 18 h à 20 h" in re.sub(r"<[^>]+>", " ", section).replace("\u00a0", " ")


def test_events_atom_feed_parses(built_site):
    feed = feedparser.parse((built_site / "evenements" / "flux.atom").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert len(feed.entries) == len(sample_events())
    assert feed.entries[0].title and feed.entries[0].link.endswith("/")


def test_uids_stay_when_the_site_moves():
    from territoire.calendar import absolute_base, site_domain
    from territoire.config import read_config

    def config(**settings):
        return read_config({"PATH": "content", **settings})[0]

    moved = config(
        SITEURL="https://preprod.exemple.net", TERRITOIRE_DOMAINE="cap-actif.example.org", TERRITOIRE_RESEAU="Cap Actif"
    )
    assert site_domain(moved) == "cap-actif.example.org" and absolute_base(moved) == "https://preprod.exemple.net"
    local = config(SITEURL="", TERRITOIRE_DOMAINE="cap-actif.example.org")
    assert absolute_base(local) == "https://cap-actif.example.org"
    assert (
        site_domain(config(SITEURL="https://www.reseau-creuse.fr", TERRITOIRE_RESEAU="Réseau Creuse"))
        == "www.reseau-creuse.fr"
    )
    assert site_domain(config(SITEURL="", TERRITOIRE_RESEAU="Réseau Creuse")) == "reseau-creuse.invalid"


def test_calendar_timezone_covers_the_events_years_only(built_site):
    raw = (built_site / "evenements" / "salon-creation-reprise-ambert-2027" / "evenement.ics").read_bytes()
    assert len(raw) < 3000, len(raw)
    (tz,) = Calendar.from_ical(raw).walk("VTIMEZONE")
    zone = tz.to_tz()
    assert dt.datetime(2027, 7, 1, 12, tzinfo=zone).utcoffset() == dt.timedelta(hours=2)
    assert dt.datetime(2027, 12, 1, 12, tzinfo=zone).utcoffset() == dt.timedelta(hours=1)
