"""What a visitor reads about an offer that is over, and an event added to an agenda whole."""

from __future__ import annotations

import re

from dom_query import parse
from icalendar import Calendar


def _with_expiry(project, name: str) -> None:
    path = project.path(f"offers/{name}.yaml")
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^(publiee_le: .*)$", r"\1\nexpire_le: 2027-06-30", text, count=1), encoding="utf-8")


def test_a_concluded_or_withdrawn_offer_is_not_valid_until_a_date_nor_asks_to_write(project):
    for name in ("salon-coiffure-maringues", "cafe-restaurant-champeix"):
        _with_expiry(project, name)
    output = project.build()
    for name, notice in (("salon-coiffure-maringues", "Offre conclue"), ("cafe-restaurant-champeix", "Offre retirée")):
        page = parse(output / "offres" / name / "index.html")
        article = page.one("article.offer")
        assert notice in article.text
        assert "valable jusqu'au" not in article.text, name
        assert not article.all("a.button"), name  # no big « Écrire à … » button for an offer that is over
        assert article.one("#referent-titre").text == "Votre contact"  # the referent is still named
    open_offer = parse(output / "offres" / "boulangerie-patisserie-ambert" / "index.html").one("article.offer")
    assert "Offre valable jusqu'au15 septembre 2027" in open_offer.text  # <dt> then <dd>
    assert open_offer.one("a.button").get("href").startswith("mailto:")


def test_an_event_in_an_agenda_keeps_every_paragraph(built_site, sample_site):
    event = next(e for e in sample_site.events if e.slug == "micro-marche-lyon-2027")
    paragraphs = [" ".join(p.split()) for p in event.description.split("\n\n")]
    assert len(paragraphs) >= 3
    for path in (
        built_site / "evenements" / event.slug / "evenement.ics",
        built_site / "evenements" / "evenements.ics",
    ):
        calendar = Calendar.from_ical(path.read_bytes())
        vevent = next(c for c in calendar.walk("VEVENT") if str(c["uid"]).startswith(f"{event.slug}@"))
        description = str(vevent["description"])
        assert description.split("\n\n")[: len(paragraphs)] == paragraphs
        assert description.endswith(f"\n\nInscription : {event.inscription}")
