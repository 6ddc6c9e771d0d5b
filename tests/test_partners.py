"""Issue 5: the partners' directory, each partner's page and « qui fait quoi »."""

from __future__ import annotations

import json

import pytest
from dom_query import parse
from territoire.models import ETAPES, SECTEURS

RESEAUX = {
    "thiers": "Réseau local de Thiers et de la Dore",
    "ambert": "Réseau local d'Ambert et du Livradois",
    "brioude": "Réseau local du Brivadois et du Haut-Allier",
}


def test_directory_lists_every_partner_once_grouped_by_type_with_its_local_network(built_site, sample_site):
    page = parse(built_site / "partenaires" / "index.html")
    headings = [h.text for h in page.all("main h2")]
    assert headings == [
        "Chambres consulaires",
        "Communautés de communes et d'agglomération",
        "Plateformes d'initiative et financeurs",
        "Accompagnement et conseil",
        "Le Parc naturel régional",
    ]
    entries = page.all(".partner-entry")
    assert sorted(e.get("data-partenaire") for e in entries) == sorted(sample_site.partners)
    for entry in entries:
        partner = sample_site.partners[entry.get("data-partenaire")]
        assert entry.one("a").get("href") == f"/partenaires/{partner.slug}/"
        assert entry.one("a").text == partner.nom
        assert RESEAUX[partner.reseau_local] in entry.text
    chambers = [e.get("data-partenaire") for e in page.all("section")[0].all(".partner-entry")]
    assert {
        "cci-ambert",
        "cci-brioude",
        "cci-thiers",
        "cma-43",
        "cma-63",
        "chambre-agriculture-43",
        "chambre-agriculture-63",
    } == set(chambers)
    park = page.all("section")[4].all(".partner-entry")
    assert [e.get("data-partenaire") for e in park] == ["parc-livradois-forez"]
    assert (built_site / "partenaires" / "parc-livradois-forez" / "index.html").exists()


def test_partner_page_shows_presentation_contact_territory_and_what_it_does(built_site):
    page = parse(built_site / "partenaires" / "cci-ambert" / "index.html")
    assert page.one("h1").text == "Chambre de commerce et d'industrie d'Ambert (CCI Ambert)"
    assert len(page.all("main .prose p")) >= 1
    contact = page.one(".partner-contact")
    assert "8 boulevard Henri-IV, 63600 Ambert" in contact.text
    hrefs = [a.get("href") for a in contact.all("a")]
    assert "tel:0465711002" in hrefs
    assert "mailto:contact@cci-ambert.example.org" in hrefs
    assert "https://cci-ambert.example.org" in hrefs
    assert [li.text for li in page.all(".territory-epci li")] == [
        "CA Agglo Pays d'Issoire",
        "CC Ambert Livradois Forez",
        "CC du Massif du Sancy",
    ]
    assert page.all(".territory-departement li") == []
    assert [li.text for li in page.all(".partner-secteurs li")] == ["Commerce", "Industrie", "Services", "Tourisme"]
    assert [li.text for li in page.all(".partner-etapes li")] == [
        "Accueil",
        "Idée",
        "Création",
        "Reprise",
        "Financement",
        "Suivi",
    ]
    assert "Membre du réseau local d'Ambert et du Livradois." in page.one("main").text


def test_partner_page_names_whole_departments(built_site):
    page = parse(built_site / "partenaires" / "adie" / "index.html")
    assert [li.text for li in page.all(".territory-departement li")] == ["Puy-de-Dôme (63)", "Haute-Loire (43)"]
    assert page.all(".territory-epci li") == []


def test_partner_page_links_the_open_offers_it_follows_and_its_upcoming_events(built_site, sample_site):
    for pid in ("cci-ambert", "cma-63", "adie", "urscop"):
        page = parse(built_site / "partenaires" / pid / "index.html")
        offers = [a.get("href") for a in page.all(".partner-offers a")]
        assert offers == [f"/{o.url}" for o in sample_site.open_offers if o.referent == pid]
        events = [a.get("href") for a in page.all(".partner-events a")]
        assert events == [f"/{e.url}" for e in sample_site.upcoming_events() if pid in (e.partenaires or [])]
    cci = parse(built_site / "partenaires" / "cci-ambert" / "index.html")
    assert len(cci.all(".partner-offers a")) == 3
    assert "/evenements/salon-creation-reprise-ambert-2027/" in [a.get("href") for a in cci.all(".partner-events a")]
    # Past events are not listed.
    assert "/evenements/visite-exploitation-saint-antheme-2025/" not in [
        a.get("href") for a in cci.all(".partner-events a")
    ]
    adret = parse(built_site / "partenaires" / "adret" / "index.html")
    assert adret.all(".partner-offers a") == []
    assert "Aucune offre ouverte" in adret.one("main").text


def test_partner_page_has_schema_org_organization(built_site):
    page = parse(built_site / "partenaires" / "cci-brioude" / "index.html")
    data = json.loads(page.one('script[type="application/ld+json"]').text)
    assert data["@type"] == "Organization"
    assert data["name"] == "Chambre de commerce et d'industrie de Brioude"
    assert data["address"]["@type"] == "PostalAddress"
    assert data["address"]["streetAddress"] == "5 place Lafayette, 43100 Brioude"
    assert data["address"]["addressLocality"] == "Brioude"
    assert data["address"]["postalCode"] == "43100"
    assert data["contactPoint"]["@type"] == "ContactPoint"
    assert data["contactPoint"]["telephone"] == "04 65 71 10 03"
    assert data["contactPoint"]["email"] == "contact@cci-brioude.example.org"
    assert len(data["areaServed"]) == 3
    assert all(a["@type"] == "AdministrativeArea" for a in data["areaServed"])


def test_qui_fait_quoi_is_an_accessible_matrix_of_partners_and_stages(built_site, sample_site):
    page = parse(built_site / "qui-fait-quoi" / "index.html")
    region = page.one(".table-scroll")
    assert region.get("role") == "region" and region.get("tabindex") == "0"
    table = region.one("table")
    caption = table.one("caption")
    assert region.get("aria-labelledby") == caption.get("id")
    cols = table.all("thead th")
    assert all(th.get("scope") == "col" for th in cols)
    assert [th.text for th in cols] == [
        "Partenaire",
        "Accueil",
        "Idée",
        "Création",
        "Reprise",
        "Financement",
        "Installation",
        "Suivi",
    ]
    rows = table.all("tbody tr")
    assert len(rows) == len(sample_site.partners)
    for row in rows:
        head = row.one("th")
        assert head.get("scope") == "row"
        partner = sample_site.partners[head.one("a").get("href").split("/")[2]]
        marks = [td.text for td in row.all("td")]
        expected = ["✓oui" if e in partner.etapes else "–non" for e in ETAPES]
        assert marks == expected, partner.slug
        # The symbol is hidden from screen readers; the word is read.
        assert all(td.one('[aria-hidden="true"]') and td.one(".visually-hidden") for td in row.all("td"))
    assert len(page.all("h1")) == 1


def test_every_sector_and_stage_label_is_french(built_site):
    page = parse(built_site / "partenaires" / "chambre-agriculture-63" / "index.html")
    assert [li.text for li in page.all(".partner-secteurs li")] == [SECTEURS["agriculture"]]


@pytest.mark.browser
def test_qui_fait_quoi_scrolls_inside_its_region_on_a_phone(browser, site_url):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="fr-FR")
    tab = context.new_page()
    tab.goto(f"{site_url}/qui-fait-quoi/")
    page_width = tab.evaluate("document.documentElement.scrollWidth")
    assert page_width <= 360
    region = tab.locator(".table-scroll")
    assert region.evaluate("e => e.scrollWidth > e.clientWidth")
    region.focus()
    tab.keyboard.press("ArrowRight")
    tab.keyboard.press("ArrowRight")
    # Keyboard scrolling may be smooth: wait until it has moved.
    tab.wait_for_function("document.querySelector('.table-scroll').scrollLeft > 0")
    context.close()
