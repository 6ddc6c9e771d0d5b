"""The offer board: synthetic projects, lists, facets, offer pages, lifecycle, feeds, open data."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import pytest
from conftest import BUILD_DATE
from territoire.board import PRICE_BANDS
from territoire.communes_data import kit_communes

ROOT = Path(__file__).resolve().parents[1]


def _hash_tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_generated_project_of_300_offers_validates(tmp_path):
    from tools.synthetic import generate

    generate(tmp_path / "a", 300, seed=3)
    generate(tmp_path / "b", 300, seed=3)
    assert len(list((tmp_path / "a" / "offers").glob("*.yaml"))) == 300
    assert _hash_tree(tmp_path / "a") == _hash_tree(tmp_path / "b")
    env = {**os.environ, "TERRITOIRE_PROJECT": str(tmp_path / "a")}
    result = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "invoke"), "validate"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "aucune erreur" in result.stdout


# --- helpers ------------------------------------------------------------------------------


class Page(HTMLParser):
    """A parsed page: tags with attributes, text of interesting elements."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[tuple[dict, str]] = []
        self.card_links: list[str] = []
        self.h1: list[str] = []
        self.text_parts: list[str] = []
        self._stack: list[tuple[str, dict]] = []
        self._script: dict | None = None
        self._buffer: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag in ("script", "h1"):
            self._script = attrs
            self._buffer = []
        if tag == "a" and self._stack and self._stack[-1][1].get("class", "").startswith("card-title"):
            self.card_links.append(attrs.get("href", ""))
        if tag not in ("meta", "link", "img", "br", "input", "source", "path", "circle"):
            self._stack.append((tag, attrs))

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, "".join(self._buffer)))
            self._script = None
        if tag == "h1" and self._script is not None:
            self.h1.append("".join(self._buffer).strip())
            self._script = None
        while self._stack:
            if self._stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if self._script is not None:
            self._buffer.append(data)
        self.text_parts.append(data)

    @property
    def text(self) -> str:
        return re.sub(r"[ \t\r\n]+", " ", " ".join(self.text_parts)).strip()

    def find(self, tag: str, **attrs) -> list[dict]:
        return [a for t, a in self.tags if t == tag and all(a.get(k.rstrip("_")) == v for k, v in attrs.items())]


def page_of(site: Path, url: str) -> Page:
    return Page((site / url.strip("/") / "index.html").read_text(encoding="utf-8"))


def slugs_listed(page: Page) -> list[str]:
    return [href.rstrip("/").rsplit("/", 1)[-1] for href in page.card_links]


def all_list_slugs(site: Path, base: str) -> list[str]:
    found, number = [], 1
    while True:
        url = base if number == 1 else f"{base}page/{number}/"
        if not (site / url / "index.html").exists():
            return found
        found += slugs_listed(page_of(site, url))
        number += 1


# --- /offres/ and facets ------------------------------------------------------------------
def test_board_lists_open_offers_newest_first_with_negotiation_badge(built_site, sample_site):
    expected = [o.slug for o in sample_site.open_offers]
    assert expected, "the sample must hold open offers"
    board = page_of(built_site, "offres/")
    assert slugs_listed(board) == expected[:24]
    assert all_list_slugs(built_site, "offres/") == expected
    statuses = {o.statut for o in sample_site.open_offers}
    assert statuses == {"disponible", "en-negociation"}
    html = (built_site / "offres" / "index.html").read_text(encoding="utf-8")
    negotiating = [o for o in sample_site.open_offers if o.statut == "en-negociation"]
    assert html.count('<p class="badge">En négociation</p>') == len(negotiating)
    assert f"{len(expected)} offres ouvertes" in board.text
    assert board.h1 == ["Offres d'activités"]
    # Cards carry nature, sector, commune with EPCI, key figures and date.
    assert "Reprise d'entreprise · Commerce" in board.text
    assert "Ambert (CC Ambert Livradois Forez)" in board.text
    assert "Prix : 85\u00a0000\u00a0€" in board.text
    assert "Publiée le 15 septembre 2026" in board.text


def test_every_filter_is_a_link_to_a_facet_page_with_its_count(built_site, sample_site):
    board = page_of(built_site, "offres/")
    open_offers = sample_site.open_offers
    by_sector: dict[str, list] = {}
    by_epci: dict[str, list] = {}
    for o in open_offers:
        by_sector.setdefault(o.secteur, []).append(o.slug)
        by_epci.setdefault(sample_site.commune(o.commune).epci_siren, []).append(o.slug)
    hrefs = {a.get("href") for a in board.find("a")}
    for sector, slugs in by_sector.items():
        assert f"/offres/secteur/{sector}/" in hrefs
        assert all_list_slugs(built_site, f"offres/secteur/{sector}/") == slugs
    for siren, slugs in by_epci.items():
        assert f"/offres/territoire/{siren}/" in hrefs
        assert all_list_slugs(built_site, f"offres/territoire/{siren}/") == slugs
    ambert = [o.slug for o in open_offers if o.commune == "63003"]
    assert all_list_slugs(built_site, "offres/commune/ambert/") == ambert
    assert "/offres/commune/ambert/" in hrefs
    housing = [o.slug for o in open_offers if o.logement]
    assert housing and all_list_slugs(built_site, "offres/logement/oui/") == housing
    cheap = [o.slug for o in open_offers if o.prix is not None and o.prix < 50_000]
    assert cheap and all_list_slugs(built_site, "offres/prix/moins-de-50000/") == cheap
    assert page_of(built_site, "offres/prix/moins-de-50000/").h1 == ["Offres : Moins de 50 000 €"]
    reprises = [o.slug for o in open_offers if o.nature == "reprise"]
    assert all_list_slugs(built_site, "offres/nature/reprise/") == reprises
    commerce = page_of(built_site, "offres/secteur/commerce/")
    assert commerce.h1 == ["Offres : Commerce"]
    assert re.search(rf"Commerce \(\s*{len(by_sector['commerce'])}\s*\)", board.text)
    # The JS form exists but stays hidden without JavaScript; the script is external.
    assert "hidden" in board.find("form", id="filtres")[0]
    assert board.find("script", src="/theme/js/offres.js")[0].get("type") == "module"


def test_filter_data_rows_and_card_files_follow_the_board(built_site, sample_site):
    """offres.js reads one row per open offer (computed by the build: price band, housing) and
    shows the server's own card markup from the card files, row i at file i // n + 1."""
    data = json.loads((built_site / "offres" / "filtres.json").read_text(encoding="utf-8"))
    opened = sample_site.open_offers
    assert len(data["offres"]) == len(opened)
    per_file = data["cartes"]["par_fichier"]
    cards = []
    for number in range(1, -(-len(opened) // per_file) + 1):
        cards += json.loads((built_site / "offres" / "cartes" / f"{number}.json").read_text(encoding="utf-8"))
    assert [re.search(r'href="/offres/([^/"]+)/"', c).group(1) for c in cards] == [o.slug for o in opened]
    # The very markup of the list page: the first card of /offres/ is the first of the file.
    board = (built_site / "offres" / "index.html").read_text(encoding="utf-8")
    assert cards[0] in board
    BANDS = {code: (low, high) for code, _label, low, high in PRICE_BANDS}
    banded = 0
    for offer, row in zip(opened, data["offres"], strict=True):
        assert data["natures"][row[0]] == offer.nature and data["secteurs"][row[1]] == offer.secteur
        assert data["communes"][row[2]][0] == offer.commune
        assert data["communes"][row[2]][4] == sample_site.commune(offer.commune).nom  # the form's label
        assert row[5] == (1 if offer.logement else 0) and row[6] == offer.prix
        band = data["prix"][row[4]] if row[4] >= 0 else None
        assert (band is None) == (offer.prix is None)
        banded += band is not None
        if band is not None:  # within its band's bounds, whichever band
            low, high = BANDS[band]
            assert low <= offer.prix and (high is None or offer.prix < high), (offer.slug, band)
    assert banded > 5  # the sample's offers with a price
    names = [p[1] for p in data["lieux"]]
    assert "Ambert" in names and "Clermont-Ferrand" in names and "Lyon" in names


def test_old_commune_addresses_lead_to_the_named_ones(built_site, sample_site):
    """/offres/commune/63003/ (its INSEE code) became /offres/commune/ambert/: the old address
    stays, a page that sends the browser on without any script, not indexed."""
    page = (built_site / "offres" / "commune" / "63003" / "index.html").read_text(encoding="utf-8")
    assert '<meta http-equiv="refresh" content="0; url=/offres/commune/ambert/">' in page
    assert '<link rel="canonical" href="/offres/commune/ambert/">' in page
    assert '<meta name="robots" content="noindex">' in page
    assert '<a href="/offres/commune/ambert/">' in page and "<script" not in page
    sitemap = (built_site / "sitemap.xml").read_text(encoding="utf-8")
    assert "/offres/commune/ambert/" in sitemap and "/offres/commune/63003/" not in sitemap
    offer = page_of(built_site, "offres/boulangerie-patisserie-ambert/")
    assert "/offres/commune/ambert/" in {a.get("href") for a in offer.find("a")}


def test_homonym_communes_get_their_code_in_their_address():
    from territoire.communes import Commune
    from territoire.geo import commune_slugs

    def commune(code, nom):
        return Commune(code, nom, "63", "Puy-de-Dôme", "1", "CC", (), 0, None, None)

    slugs = commune_slugs(
        [commune("63001", "Saint-Jean"), commune("43002", "Saint-Jean"), commune("63003", "Saint-Germain-l'Herm")]
    )
    assert slugs == {"63001": "saint-jean-63001", "43002": "saint-jean-43002", "63003": "saint-germain-l-herm"}


# --- offer pages ------------------------------------------------------------------------------
def test_offer_page_shows_every_field_in_readable_french(built_site):
    page = page_of(built_site, "offres/boulangerie-patisserie-ambert/")
    text = page.text
    for expected in (
        "85\u00a0000\u00a0€",
        "950\u00a0€ par mois",
        "210\u00a0000\u00a0€",
        "120\u00a0m²",
        "logement disponible",
        "3 salariés",
        "publiée le 15 septembre 2026",
        "mise à jour le 2 octobre 2026",
        "15 septembre 2027",
        "Disponible",
        "Réf. LF-2026-014",
        "CC Ambert Livradois Forez",
        "Départ à la retraite",
        "Four à sole récent",
        "Prêt d'honneur Pays d'Ambert Initiative",
    ):
        assert expected in text, expected
    assert page.h1 == ["Boulangerie-pâtisserie à reprendre au cœur d'Ambert"]
    img = [i for i in page.find("img") if i["src"].startswith("/images/offres/boulangerie-ambert-960.")][0]
    assert img["alt"].startswith("Devanture") and img["src"].endswith(".jpg")
    assert (built_site / img["src"].lstrip("/")).exists()
    mailto = [a["href"] for a in page.find("a") if a.get("href", "").startswith("mailto:")]
    assert mailto and "subject=Offre%20LF-2026-014" in mailto[0]
    svg = page.find("svg", **{"class": "locator"})[0]
    assert svg["role"] == "img"
    assert "Carte de situation : Ambert" in text
    assert len(page.find("circle")) == 1


def test_offer_page_metadata_canonical_opengraph_and_json_ld(built_site):
    page = page_of(built_site, "offres/boulangerie-patisserie-ambert/")
    assert page.find("link", rel="canonical")[0]["href"].endswith("/offres/boulangerie-patisserie-ambert/")
    og = {m["property"]: m["content"] for m in page.find("meta") if "property" in m}
    assert og["og:title"].startswith("Boulangerie-pâtisserie")
    assert og["og:url"].endswith("/offres/boulangerie-patisserie-ambert/")
    assert re.search(
        r"/images/partage/offres/boulangerie-patisserie-ambert\.\w+\.jpg$", og["og:image"]
    )  # test_sharing.py
    assert "Ambert" in page.find("meta", name="description")[0]["content"]
    blocks = [json.loads(body) for attrs, body in page.scripts if attrs.get("type") == "application/ld+json"]
    assert len(blocks) == 1
    ld = blocks[0]
    assert ld["@type"] == "Offer" and ld["identifier"] == "LF-2026-014"
    assert ld["price"] == 85000 and ld["priceCurrency"] == "EUR"
    assert ld["availableAtOrFrom"]["@type"] == "Place"
    assert ld["availableAtOrFrom"]["address"]["addressLocality"] == "Ambert"
    assert not page.find("meta", name="robots")


def test_three_related_offers_share_sector_or_epci(built_site, sample_site):
    page = page_of(built_site, "offres/boulangerie-patisserie-ambert/")
    related = slugs_listed(page)
    assert len(related) == 3 and "boulangerie-patisserie-ambert" not in related
    me = next(o for o in sample_site.offers if o.slug == "boulangerie-patisserie-ambert")
    epci = sample_site.commune(me.commune).epci_siren
    open_slugs = {o.slug: o for o in sample_site.open_offers}
    for slug in related:
        other = open_slugs[slug]
        assert other.secteur == me.secteur or sample_site.commune(other.commune).epci_siren == epci


def test_print_stylesheet_makes_an_a4_sheet(built_site):
    css = (built_site / "theme" / "css" / "print.css").read_text(encoding="utf-8")
    assert "size: A4" in css and ".related" in css and ".referent-card" in css


# --- lifecycle --------------------------------------------------------------------------------
def _listed_anywhere(site: Path) -> set[str]:
    found = set(all_list_slugs(site, "offres/"))
    for kind in ("secteur", "nature", "territoire", "commune"):
        for folder in (site / "offres" / kind).iterdir():
            found |= set(all_list_slugs(site, f"offres/{kind}/{folder.name}/"))
    return found


def test_lifecycle_concluded_withdrawn_expired(built_site, sample_site):
    build_date = dt.date.fromisoformat(BUILD_DATE)
    listed = _listed_anywhere(built_site)
    concluded = [o for o in sample_site.offers if o.statut == "conclue"]
    withdrawn = [o for o in sample_site.offers if o.statut == "retiree"]
    expired = [
        o
        for o in sample_site.offers
        if o.statut in ("disponible", "en-negociation") and o.expire_le and o.expire_le < build_date
    ]
    assert concluded and withdrawn and expired
    conclues = page_of(built_site, "offres/conclues/")
    conclues_hrefs = {a.get("href") for a in conclues.find("a")}
    for offer in concluded:
        page = page_of(built_site, offer.url)
        assert "Offre conclue" in page.text and f"/{offer.url}" in conclues_hrefs
        assert str(offer.conclue_le.year) in conclues.h1 + [t for t in conclues.text.split() if t.isdigit()]
        assert not page.find("meta", name="robots") and offer.slug not in listed
    for offer in withdrawn + expired:
        page = page_of(built_site, offer.url)
        assert page.find("meta", name="robots")[0]["content"] == "noindex"
        assert ("Offre retirée" if offer.statut == "retiree" else "Offre expirée") in page.text
        assert offer.slug not in listed and f"/{offer.url}" not in conclues_hrefs
    exports = (built_site / "offres" / "offres.csv").read_text(encoding="utf-8")
    for offer in concluded + withdrawn + expired:
        assert offer.reference not in exports


def test_concluded_offers_are_grouped_by_year(built_site, sample_site):
    conclues = page_of(built_site, "offres/conclues/")
    years = sorted({o.conclue_le.year for o in sample_site.concluded_offers}, reverse=True)
    headings = [a.get("id") for a in conclues.find("h2")]
    assert headings == [f"annee-{y}" for y in years]


def test_future_offer_has_no_page_and_is_nowhere(project):
    source = (project.root / "offers" / "boulangerie-patisserie-ambert.yaml").read_text(encoding="utf-8")
    future = (
        source.replace("reference: LF-2026-014", "reference: LF-2026-099")
        .replace("publiee_le: 2026-09-15", "publiee_le: 2026-12-01")
        .replace("mise_a_jour: 2026-10-02\n", "")
    )
    project.write("offers/boulangerie-a-venir.yaml", future)
    output = project.build(date=BUILD_DATE)
    assert not (output / "offres" / "boulangerie-a-venir").exists()
    assert (output / "offres" / "boulangerie-patisserie-ambert" / "index.html").exists()
    for path in output.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".csv", ".atom", ".geojson"):
            text = path.read_text(encoding="utf-8")
            assert "boulangerie-a-venir" not in text and "LF-2026-099" not in text, path


# --- feeds and alerts -------------------------------------------------------------------------
def test_atom_feeds_all_per_sector_and_per_epci(built_site, sample_site):
    everything = feedparser.parse((built_site / "offres" / "flux.atom").read_bytes())
    assert not everything.bozo, everything.get("bozo_exception")
    assert [e.title for e in everything.entries] == [o.titre for o in sample_site.open_offers][:50]
    newest = sample_site.open_offers[0]
    assert everything.feed.updated.startswith(
        max(d for o in sample_site.open_offers for d in (o.publiee_le, o.mise_a_jour) if d).isoformat()
    )
    assert everything.entries[0].link.endswith(f"/{newest.url}")
    commerce = feedparser.parse((built_site / "offres" / "secteur" / "commerce" / "flux.atom").read_bytes())
    assert not commerce.bozo
    assert {e.title for e in commerce.entries} == {o.titre for o in sample_site.open_offers if o.secteur == "commerce"}
    epci = "200070761"
    ambert = feedparser.parse((built_site / "offres" / "territoire" / epci / "flux.atom").read_bytes())
    assert not ambert.bozo
    assert {e.title for e in ambert.entries} == {
        o.titre for o in sample_site.open_offers if sample_site.commune(o.commune).epci_siren == epci
    }


def test_alerts_page_lists_every_feed_and_explains(built_site, sample_site):
    page = page_of(built_site, "offres/alertes/")
    assert page.h1 == ["Être alerté"]
    alternates = {
        link["href"] for link in page.find("link", rel="alternate") if link.get("type") == "application/atom+xml"
    }
    feeds = {str(p.relative_to(built_site)) for p in built_site.rglob("flux.atom")}
    assert {f"/{f}" for f in feeds} == alternates
    assert len(feeds) == 1 + 7 + len(sample_site.communes.territory_epci) + 1  # and the events feed
    hrefs = {a.get("href") for a in page.find("a")}
    assert {f"/{f}" for f in feeds} <= hrefs
    assert "lecteur de flux" in page.text and "courriel" in page.text


# --- open data --------------------------------------------------------------------------------
def test_open_data_files_parse_and_match_the_open_offers(built_site, sample_site):
    refs = [o.reference for o in sample_site.open_offers]
    data = json.loads((built_site / "offres" / "offres.json").read_text(encoding="utf-8"))
    assert [o["reference"] for o in data["offres"]] == refs
    assert "contacts" not in data["offres"][0]
    with open(built_site / "offres" / "offres.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["reference"] for r in rows] == refs
    boulangerie = next(r for r in rows if r["reference"] == "LF-2026-014")
    assert (
        boulangerie["prix"] == "85000"
        and boulangerie["commune"] == "63003"
        and boulangerie["epci_nom"] == "CC Ambert Livradois Forez"
    )
    geo = json.loads((built_site / "offres" / "offres.geojson").read_text(encoding="utf-8"))
    assert geo["type"] == "FeatureCollection" and len(geo["features"]) == len(refs)
    lon, lat = geo["features"][0]["geometry"]["coordinates"]
    assert 2 < lon < 5 and 44 < lat < 47


def test_csv_validates_against_its_table_schema_with_frictionless(built_site):
    from frictionless import Resource, Schema

    schema = Schema.from_descriptor(
        json.loads((built_site / "offres" / "offres.schema.json").read_text(encoding="utf-8"))
    )
    names = [f.name for f in schema.fields]
    assert names[:3] == ["reference", "titre", "nature"] and "contacts" not in names
    resource = Resource(path="offres.csv", basepath=str(built_site / "offres"), schema=schema)
    report = resource.validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_open_data_page_links_files_with_licence(built_site):
    page = page_of(built_site, "donnees-ouvertes/")
    assert page.h1 == ["Données ouvertes"]
    hrefs = {a.get("href") for a in page.find("a")}
    for name in ("offres.csv", "offres.json", "offres.geojson", "offres.schema.json"):
        assert f"/offres/{name}" in hrefs
    assert "Licence Ouverte" in page.text
    assert page.find("th", scope="col")


# --- search and pages ---------------------------------------------------------------------------
def test_search_index_and_page(built_site):
    assert (built_site / "pagefind" / "pagefind-ui.js").exists()
    assert (built_site / "pagefind" / "pagefind-entry.json").exists()
    page = page_of(built_site, "recherche/")
    assert page.h1 == ["Rechercher"]
    sources = [a.get("src") for a, _ in page.scripts]
    assert sources == ["/pagefind/pagefind-ui.js", "/theme/js/recherche.js"]
    offer = (built_site / "offres" / "boulangerie-patisserie-ambert" / "index.html").read_text(encoding="utf-8")
    assert (
        "data-pagefind-body" in offer
        and 'data-pagefind-filter="secteur"' in offer
        and 'data-pagefind-filter="nature"' in offer
    )
    withdrawn = (built_site / "offres" / "cafe-restaurant-champeix" / "index.html").read_text(encoding="utf-8")
    assert "data-pagefind-body" not in withdrawn


def test_offer_pages_have_no_inline_script_and_one_h1(built_site):
    for path in list((built_site / "offres").rglob("index.html")) + [
        built_site / "recherche" / "index.html",
        built_site / "donnees-ouvertes" / "index.html",
    ]:
        page = Page(path.read_text(encoding="utf-8"))
        assert len(page.h1) == 1, path
        for attrs, _body in page.scripts:
            assert attrs.get("src") or attrs.get("type") == "application/ld+json", path
        assert not [a for _, a in page.tags if "style" in a], path


# --- scale: pagination over a generated project ------------------------------------------------
@pytest.fixture(scope="module")
def generated_site(tmp_path_factory):
    from territoire.build import build, check, read_settings

    from tools.synthetic import generate

    root = tmp_path_factory.mktemp("genere")
    generate(root, 300, seed=1)
    overrides = {
        "PATH": str(root / "content"),
        "TERRITOIRE_ROOT": str(root),
        "TERRITOIRE_COMMUNES_CSV": str(kit_communes()),
        "TERRITOIRE_BUILD_DATE": dt.date.fromisoformat(BUILD_DATE),
    }
    output = build(output=str(root / "output"), overrides=overrides, quiet=True)
    return output, check(read_settings(overrides=overrides))


def test_generated_board_is_paginated_and_complete(generated_site):
    output, site = generated_site
    opened = [o.slug for o in site.open_offers]
    assert len(opened) > 100
    first = page_of(output, "offres/")
    assert len(slugs_listed(first)) == 24
    assert all_list_slugs(output, "offres/") == opened
    pages = -(-len(opened) // 24)
    assert (output / "offres" / "page" / str(pages) / "index.html").exists()
    assert not (output / "offres" / "page" / str(pages + 1)).exists()
    assert {"/offres/page/2/"} <= {a.get("href") for a in first.find("a", rel="next")}
    second = page_of(output, "offres/page/2/")
    assert slugs_listed(second) == opened[24:48]
    assert second.find("link", rel="canonical")[0]["href"].endswith("/offres/page/2/")
    # Every published offer has a page; only open ones are listed.
    for offer in site.published_offers:
        assert (output / offer.url / "index.html").exists()
    # Size budget, scaled: the first page must not grow with the number of offers.
    assert (output / "offres" / "index.html").stat().st_size < 150_000
    assert (output / "offres" / "filtres.json").stat().st_size < 500_000 * 300 / 5000 * 1.5


def test_a_board_of_many_communes_leads_to_the_page_of_the_communes(generated_site):
    """Beyond COMMUNES_LISTED communes, the list pages' facet links name none of them: one link
    leads to /offres/commune/, where every commune with open offers is listed once, under its
    intercommunality, with its count and a link to its facet page."""
    from dom_query import parse
    from territoire.views.offers import COMMUNES_LISTED

    output, site = generated_site
    communes = {}
    for offer in site.open_offers:
        communes[offer.commune] = communes.get(offer.commune, 0) + 1
    assert len(communes) > COMMUNES_LISTED
    for relative in ("offres", "offres/page/2", "offres/secteur/commerce"):
        nav = parse(output / relative / "index.html").one("nav.facet-links")
        links = [(a.get("href"), a.text) for a in nav.all("a")]
        assert ("/offres/commune/", f"Les {len(communes)} communes et leurs offres") in links, relative
        assert not [href for href, _ in links if href.startswith("/offres/commune/") and href != "/offres/commune/"]

    page = parse(output / "offres" / "commune" / "index.html")
    assert page.one("h1").text == "Offres par commune"
    assert page.one("link[rel=canonical]").get("href") == "/offres/commune/"
    assert page.one("p.lead").text.startswith(f"{len(communes)} communes ont des offres ouvertes")
    listed = {}
    for group in page.all("section.communes-group"):
        epci_link = group.one("h2 a")
        epci = epci_link.get("href").rstrip("/").rsplit("/", 1)[-1]
        for item in group.all("ul.commune-list li"):
            link = item.one("a")
            facet_page = output / link.get("href").strip("/") / "index.html"
            assert facet_page.is_file(), link.get("href")
            name = parse(facet_page).one("h1").text.removeprefix("Offres : ")
            code = next(c for c in communes if site.commune(c).nom == name and site.commune(c).epci_siren == epci)
            assert code not in listed and item.one("span.count").text == f"({communes[code]})"
            listed[code] = epci
    assert set(listed) == set(communes)
    # The first list page stays light however many communes the board names.
    assert (output / "offres" / "index.html").stat().st_size < 60_000


def test_an_offer_file_cannot_take_a_board_address(project):
    source = (project.root / "offers" / "scierie-job.yaml").read_text(encoding="utf-8")
    project.write("offers/conclues.yaml", source.replace("LF-2025-006", "LF-2025-099"))
    result = project.run("validate")
    assert result.returncode == 1
    assert "offers/conclues.yaml:1:1" in result.stdout + result.stderr
    assert "est réservé" in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_facet_links_are_the_same_on_every_list_page_but_the_current_one(built_site, sample_site):
    """The facet links are rendered once and shared (views/offers.py): each list page marks
    its own facet, and only a commune's page unfolds the communes."""
    from dom_query import parse

    def facet_links(relative: str):
        nav = parse(built_site / relative / "index.html").one("nav.facet-links")
        current = [a.get("href") for a in nav.all("a[aria-current=page]")]
        unfolded = [d.one("summary").text for d in nav.all("details[open]")]
        return [a.get("href") for a in nav.all("a")], current, unfolded

    board, current, unfolded = facet_links("offres")
    assert current == [] and unfolded == ["Nature", "Secteur", "Prix de cession", "Logement", "Intercommunalité"]
    from territoire.geo import commune_slugs

    slugs = commune_slugs(sample_site.communes.territory())
    communes = {sample_site.commune(o.commune).insee for o in sample_site.open_offers}
    assert {f"/offres/commune/{slugs[c]}/" for c in communes} <= set(board)  # few communes: listed
    for relative, expected_open in (
        ("offres/secteur/commerce", "Secteur"),
        ("offres/territoire/200070761", "Intercommunalité"),
        ("offres/commune/ambert", "Commune"),
        ("offres/nature/reprise", "Nature"),
    ):
        links, current, unfolded = facet_links(relative)
        assert links == board, f"{relative} : les liens de filtre diffèrent de ceux de /offres/"
        assert current == [f"/{relative}/"]
        assert (expected_open == "Commune") == ("Commune" in unfolded)


def test_offer_locator_shows_the_territory_the_reference_towns_and_distances(built_site, sample_site):
    """The shared layer draws the territory's outline, its communes and the reference towns
    (Clermont-Ferrand inside the frame, Lyon beyond it as an arrow); each offer's map marks
    its commune and the nearest town, and says the distances as the crow flies."""
    import xml.etree.ElementTree as ET

    from dom_query import parse

    svg_ns = "{http://www.w3.org/2000/svg}"
    layer = ET.parse(built_site / "offres" / "communes.svg").getroot()
    assert layer.tag == svg_ns + "svg"
    paths = [p.get("d") for p in layer.iter(svg_ns + "path")]
    # The outline: one closed hull per EPCI of the territory, drawn twice (edge, then fill).
    assert paths[0] == paths[1] and paths[0].count("Z") == len(sample_site.communes.territory_epci)
    dots = paths[2]
    assert dots.count("M") > 400  # every commune of the territory as a dot
    labels = [t.text for t in layer.iter(svg_ns + "text")]
    assert labels == ["Clermont-Ferrand", "Lyon"]
    assert any("rotate(" in (p.get("transform") or "") for p in layer.iter(svg_ns + "path"))  # Lyon's arrow

    offer = next(o for o in sample_site.open_offers if o.slug == "boulangerie-patisserie-ambert")
    page = parse(built_site / "offres" / offer.slug / "index.html")
    svg = page.one("figure.offer-map svg")
    assert svg.get("role") == "img" and "Ambert" in svg.one("title").text
    image = svg.one("image")
    assert image.get("href") == "/offres/communes.svg"
    assert (image.get("width"), image.get("height")) == (svg.get("width"), svg.get("height"))
    assert [t.text for t in svg.all("text")] == ["Montbrison", "Ambert"]
    distances = [" ".join(li.text.split()) for li in page.all("figure.offer-map ul.distances li")]
    assert distances == ["Montbrison (ville la plus proche) : 25 km", "Clermont-Ferrand : 56 km", "Lyon : 87 km"]
    assert "Lyon à 87 km" in svg.one("title").text
