"""What a visitor of a territory's site gets, on the Pilat (Loire) made by the kit's template and
published with `invoke publish`: the home page, the board with its filters and facet pages, an
offer, a partner, the events with their iCalendar files, the Atom feeds, the open data, the
sitemap, the search index, the figures. No Livradois-Forez file is read."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import xml.etree.ElementTree as ET

import feedparser
import icalendar
import pytest

pytestmark = pytest.mark.xdist_group("kit-territoires")

SITE = "https://pilat-actif.fr"


def test_home_page_names_the_network_its_territory_and_counts_right(pilat):
    home = pilat.page("")
    assert home.one("a.brand").text == "Pilat Actif"
    main = home.one("main").text
    assert "Créer ou reprendre une activité dans le Pilat" in main
    assert "Le réseau Pilat Actif réunit 2 structures" in main
    assert "Voir les 2 offres" in main and "1 offre conclue" in main
    # The search suggests a commune of the territory, and searches this site.
    assert home.one("form.home-search").get("action") == f"{SITE}/recherche/"
    assert "Pélussin" in home.one("form.home-search input[type=search]").get("placeholder")
    recent = {a.get("href"): a.text for a in home.all("main h3 a")}
    assert recent[f"{SITE}/offres/boulangerie-bourg-argental/"] == "Boulangerie-pâtisserie à reprendre à Bourg-Argental"
    assert f"{SITE}/offres/ferme-caprine-pelussin/" in recent


def test_no_word_of_the_sample_territory_anywhere_in_the_published_site(pilat):
    found = []
    for path in pilat.output.rglob("*"):
        # The CMS's list of every French commune is reference data: it names them all.
        if not path.is_file() or path.suffix in (".br", ".gz", ".png", ".jpg", ".webp", ".pdf", ".woff2"):
            continue
        if path.name == "communes.json" and path.parent.name == "admin":
            continue
        text = path.read_bytes().lower()
        found += [
            f"{path.relative_to(pilat.output)} : {w.decode()}" for w in (b"livradois", b"ambert", b"lf-20") if w in text
        ]
    assert not found, found


def test_the_board_lists_open_offers_with_filters_counted_from_the_territory(pilat):
    board = pilat.page("offres/")
    assert board.one("form#filtres").get("data-donnees") == f"{SITE}/offres/filtres.json"
    results = [a.text for a in board.all("main h3 a")]
    assert results == [
        "Boulangerie-pâtisserie à reprendre à Bourg-Argental",
        "Ferme caprine avec fromagerie près de Pélussin",
    ]  # the concluded grocery is not among the open offers
    text = board.one("main").text
    for facet in ("CC des Monts du Pilat (1)", "CC du Pilat Rhodanien (1)", "Bourg-Argental (1)", "Pélussin (1)"):
        assert facet in text
    assert "ces critères" not in text
    # The data the filters use once JavaScript runs: the same open offers, the same facets.
    filters = json.dumps(json.loads(pilat.text("offres/filtres.json")), ensure_ascii=False)
    assert "ferme caprine avec fromagerie pres de pelussin" in filters and "epicerie" not in filters


def test_facet_pages_work_without_javascript(pilat):
    agriculture = pilat.page("offres/secteur/agriculture/")
    assert "1 offre ouverte sur 2 dans le Pilat" in agriculture.one("main").text
    assert [a.text for a in agriculture.all("main h3 a")] == ["Ferme caprine avec fromagerie près de Pélussin"]
    rhodanien = pilat.page("offres/territoire/244200895/")
    assert [a.text for a in rhodanien.all("main h3 a")] == ["Ferme caprine avec fromagerie près de Pélussin"]
    commune = pilat.page("offres/commune/bourg-argental/")
    assert [a.text for a in commune.all("main h3 a")] == ["Boulangerie-pâtisserie à reprendre à Bourg-Argental"]


def test_an_offer_page_shows_its_sheet_its_referent_and_nothing_unsafe(pilat):
    offer = pilat.page("offres/boulangerie-bourg-argental/")
    assert offer.one("h1").text == "Boulangerie-pâtisserie à reprendre à Bourg-Argental"
    text = offer.one("main").text
    assert "Réf. PL-2026-001 · publiée le 5 octobre 2026" in text
    assert "Bourg-Argental (Loire)" in text and "CC des Monts du Pilat" in text and "120 000 €" in text
    assert "Cette offre est suivie par Communauté de communes des Monts du Pilat (CCMP)" in text
    assert "Seule boulangerie du bourg" in text
    referent = [a.get("href") for a in offer.all("main a") if a.text.startswith("Communauté de communes des Monts")]
    assert referent == [f"{SITE}/partenaires/cc-monts-du-pilat/"]
    html = pilat.text("offres/boulangerie-bourg-argental/index.html")
    assert "<script>alert" not in html  # the description's script tag, removed
    assert "logement de quatre pièces est disponible au-dessus du magasin" in text


def test_a_concluded_offer_keeps_its_page_with_a_notice_and_is_counted(pilat):
    offer = pilat.page("offres/epicerie-saint-genest-malifaux/")
    assert "Offre conclue le 30 juin 2026" in offer.one("main").text
    concluded = pilat.page("offres/conclues/")
    assert "1 offre a trouvé preneur" in concluded.one("main").text
    assert [a.text for a in concluded.all("main h3 a")] == ["Épicerie du village à Saint-Genest-Malifaux"]


def test_the_partner_page_and_directory(pilat):
    partner = pilat.page("partenaires/cc-monts-du-pilat/")
    assert partner.one("h1").text == "Communauté de communes des Monts du Pilat (CCMP)"
    text = partner.one("main").text
    assert "accueille les porteurs de projets des seize communes" in text
    assert "Téléphone : 04 77 00 00 01" in text and "1 intercommunalité : CC des Monts du Pilat" in text
    assert "La structure est le contact de 1 offre ouverte" in text and "(réf. PL-2026-001)" in text
    directory = pilat.page("partenaires/").one("main").text
    assert "2 structures accueillent et accompagnent les porteurs de projets dans le Pilat" in directory
    assert "Chambre d'agriculture de la Loire" in directory


def test_events_page_and_icalendar_files_read_by_a_calendar(pilat):
    events = pilat.page("evenements/").one("main").text
    upcoming, past = events.split("Événements passés")
    assert (
        "Réunion d'information sur l'installation agricole vendredi 12 mars 2027, de 14 h à 17 h — Pélussin" in upcoming
    )
    assert "Micro-marché du Pilat à Saint-Étienne" in past
    calendar = icalendar.Calendar.from_ical((pilat.output / "evenements" / "evenements.ics").read_bytes())
    found = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert set(found) == {
        "reunion-installation-pelussin-2027@pilat-actif.fr",
        "micro-marche-saint-etienne-2026@pilat-actif.fr",
    }
    meeting = found["reunion-installation-pelussin-2027@pilat-actif.fr"]
    assert str(meeting["SUMMARY"]) == "Réunion d'information sur l'installation agricole"
    start = meeting.decoded("DTSTART")
    assert start.isoformat() == "2027-03-12T14:00:00+01:00" and str(start.tzinfo) == "Europe/Paris"
    assert "Pélussin" in str(meeting["LOCATION"])
    single = icalendar.Calendar.from_ical(
        (pilat.output / "evenements" / "reunion-installation-pelussin-2027" / "evenement.ics").read_bytes()
    )
    assert [str(e["UID"]) for e in single.walk("VEVENT")] == ["reunion-installation-pelussin-2027@pilat-actif.fr"]


def test_atom_feeds_read_by_a_feed_reader(pilat):
    offers = feedparser.parse(pilat.text("offres/flux.atom"))
    assert not offers.bozo, offers.bozo_exception
    assert offers.feed.title == "Nouvelles offres d'activités — Pilat Actif"
    assert [e.link for e in offers.entries] == [
        f"{SITE}/offres/boulangerie-bourg-argental/",
        f"{SITE}/offres/ferme-caprine-pelussin/",
    ]
    agriculture = feedparser.parse(pilat.text("offres/secteur/agriculture/flux.atom"))
    assert [e.title for e in agriculture.entries] == ["Ferme caprine avec fromagerie près de Pélussin"]
    events = feedparser.parse(pilat.text("evenements/flux.atom"))
    assert not events.bozo and "Réunion d'information sur l'installation agricole" in [e.title for e in events.entries]


def test_open_data_exports_parse_and_describe_the_open_offers(pilat):
    rows = list(csv.DictReader(io.StringIO(pilat.text("offres/offres.csv"))))
    assert [r["reference"] for r in rows] == ["PL-2026-001", "PL-2026-002"]
    assert rows[0]["commune_nom"] == "Bourg-Argental" and rows[0]["epci_nom"] == "CC des Monts du Pilat"
    assert rows[1]["referent_nom"] == "Chambre d'agriculture de la Loire"
    data = json.loads(pilat.text("offres/offres.json"))
    assert [o["reference"] for o in data["offres"]] == ["PL-2026-001", "PL-2026-002"]
    schema = json.loads(pilat.text("offres/offres.schema.json"))
    assert [f["name"] for f in schema["fields"]] == list(rows[0])  # every column described, in order
    geo = json.loads(pilat.text("offres/offres.geojson"))
    assert len(geo["features"]) == 2
    assert "Les 2 offres ouvertes du réseau Pilat Actif" in pilat.page("donnees-ouvertes/").one("main").text


def test_sitemap_lists_the_territory_s_pages_at_its_domain(pilat):
    root = ET.fromstring((pilat.output / "sitemap.xml").read_bytes())
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = [loc.text for loc in root.findall("s:url/s:loc", ns)]
    assert all(loc.startswith(f"{SITE}/") for loc in locations), locations
    for page in (
        "/",
        "/offres/boulangerie-bourg-argental/",
        "/partenaires/chambre-agriculture-42/",
        "/evenements/reunion-installation-pelussin-2027/",
    ):
        assert f"{SITE}{page}" in locations
    assert f"{SITE}/admin/" not in locations and f"{SITE}/404.html" not in locations
    assert f"Sitemap: {SITE}/sitemap.xml" in pilat.text("robots.txt")


def test_the_search_index_covers_offers_partners_and_events(pilat):
    entry = json.loads(pilat.text("pagefind/pagefind-entry.json"))
    assert entry["languages"]["fr"]["page_count"] >= 10
    search = pilat.page("recherche/")
    assert "Cherchez un mot dans les offres, les partenaires, les événements" in search.one("main").text
    assert "Agriculture (1), Artisanat (1)" in search.one("main").text  # the page without JavaScript


def test_the_figures_are_computed_from_the_territory_s_offers(pilat):
    figures = pilat.page("reseau/bilan/")
    table = figures.all("table.figures-table")[0]
    assert [th.text for th in table.all("thead th")] == ["Indicateur", "2026", "2025"]
    rows = {tr.all("th")[0].text: [td.text for td in tr.all("td")] for tr in table.all("tbody tr")}
    assert rows["Nombre d'offres d'activités diffusées"] == ["2", "1"]
    assert rows["Nombre de contacts obtenus pour ces offres"] == ["6", "5"]
    assert rows["Nombre des installations réalisées par l'intermédiaire des offres diffusées"] == ["1", "0"]


def test_the_welcome_brochure_pdf_speaks_of_the_territory(pilat):
    pdf = subprocess.run(
        ["pdftotext", "-layout", str(pilat.output / "plaquette-accueil.pdf"), "-"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
    ).stdout
    flat = " ".join(pdf.split())
    assert "Plaquette d'accueil du réseau Pilat Actif" in flat
    assert "2 partenaires · 2 offres d'activités ouvertes" in flat and "Édition du 18 novembre 2026" in flat
    assert "https://pilat-actif.fr/offres/" in flat
    for chapter in ("Bienvenue dans le Pilat", "Vivre dans le Pilat", "Le réseau Pilat Actif et sa charte"):
        assert chapter in flat
    assert re.search(
        r"Dans le Pilat, 2 intercommunalités travaillent ensemble : CC des Monts du Pilat, CC du Pilat Rhodanien,"
        r" soit [1-9]\d* communes et [1-9][\d\s\u202f\u00a0]* habitants\.",
        flat,
    ), flat[:3000]
    # The directory and the annex of open offers, from the territory's files.
    assert "Chambre d'agriculture de la Loire" in flat and "04 77 00 00 02" in flat
    assert "Boulangerie-pâtisserie à reprendre à Bourg-Argental" in flat and "PL-2026-001" in flat
    assert "Épicerie du village" not in flat  # concluded: not in the annex
