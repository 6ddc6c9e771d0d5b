"""The offer board in Chromium: instant filtering with the URL and the back button, and
full-text search with Pagefind. Nothing may leave 127.0.0.1."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser


def _cards(page) -> list[str]:
    return page.locator("#liste-offres .card-title a").all_inner_texts()


def test_instant_filtering_updates_url_and_back_button(page, sample_site):
    opened = sample_site.open_offers
    commerce = [o.titre for o in opened if o.secteur == "commerce"]
    page.goto(page.base + "/offres/")
    page.wait_for_selector("#filtres:not([hidden])")
    assert page.locator(".facet-links").is_hidden()
    assert len(_cards(page)) == min(24, len(opened))

    page.select_option("#filtre-secteur", "commerce")
    page.wait_for_url(re.compile(r"\?secteur=commerce$"))
    assert _cards(page) == commerce
    live = page.locator("#resultats-nombre")
    assert live.get_attribute("aria-live") == "polite"
    assert live.inner_text().startswith(f"{len(commerce)} offre")
    # Counts in the other lists follow the current filter.
    nature_counts = page.locator("#filtre-nature option").all_inner_texts()
    reprise_commerce = sum(1 for o in opened if o.secteur == "commerce" and o.nature == "reprise")
    assert f"Reprise d'entreprise ({reprise_commerce})" in nature_counts

    # A combination without offers says so and offers to clear the filters.
    empty_nature = next(
        n
        for n in ("foncier", "association", "local", "creation", "reprise")
        if not any(o.secteur == "commerce" and o.nature == n for o in opened)
    )
    page.select_option("#filtre-nature", empty_nature)
    page.wait_for_url(re.compile(rf"nature={empty_nature}"))
    assert _cards(page) == []
    assert "Aucune offre ne correspond" in live.inner_text()
    clear = page.locator("#offres-vide button")
    assert clear.inner_text() == "Effacer les filtres"

    # Back button: previous filter state, list and select restored.
    page.go_back()
    page.wait_for_url(re.compile(r"\?secteur=commerce$"))
    assert _cards(page) == commerce
    assert page.locator("#filtre-nature").input_value() == ""
    page.go_forward()
    page.wait_for_url(re.compile(rf"nature={empty_nature}"))
    page.locator("#offres-vide button").click()
    page.wait_for_url(re.compile(r"/offres/$"))
    assert len(_cards(page)) == min(24, len(opened))
    assert page.outside_requests == [] and page.console_errors == []


def test_arrow_keys_in_a_closed_list_make_one_history_entry(page, sample_site):
    """Stepping through the sectors with the arrow keys filters at each key, but Back returns
    to the list before the first key, not one key back."""
    page.goto(page.base + "/offres/")
    page.wait_for_selector("#filtres:not([hidden])")
    before = page.evaluate("history.length")
    page.focus("#filtre-secteur")
    codes = page.locator("#filtre-secteur option").evaluate_all("os => os.map(o => o.value)")
    for code in codes[1:4]:
        page.keyboard.press("ArrowDown")
        page.wait_for_url(re.compile(rf"\?secteur={code}$"))
    assert page.evaluate("history.length") == before + 1
    page.go_back()
    page.wait_for_url(re.compile(r"/offres/$"))
    page.wait_for_function("document.querySelector('#filtre-secteur').value === ''")


def test_shared_filtered_url_opens_filtered(page, sample_site):
    ambert = [o.titre for o in sample_site.open_offers if sample_site.commune(o.commune).epci_siren == "200070761"]
    page.goto(page.base + "/offres/?territoire=200070761")
    page.wait_for_selector("#filtres:not([hidden])")
    page.wait_for_function("document.querySelector('#filtre-territoire').value === '200070761'")
    assert _cards(page) == ambert
    page.locator(".card-title a").first.click()
    page.wait_for_url(re.compile(r"/offres/[a-z0-9-]+/$"))
    assert page.locator("h1").inner_text() == ambert[0]
    assert page.outside_requests == [] and page.console_errors == []


def test_the_forms_communes_come_with_the_data_as_the_links_without_javascript_list_them(page, built_site, sample_site):
    """The page holds no commune of the form's list (a large board names hundreds: kept out of
    the page, they do not delay its first paint); offres.js adds them from filtres.json, with
    their counts, in the order of the commune links the page keeps for visitors without
    JavaScript. A shared address naming a commune opens filtered on it."""
    board = (built_site / "offres" / "index.html").read_text(encoding="utf-8")
    form_list = re.search(r'<select id="filtre-commune" name="commune">(.*?)</select>', board, re.S).group(1)
    assert re.findall(r"<option[^>]*>([^<]*)</option>", form_list) == ["Toutes"]
    page.goto(page.base + "/offres/")
    page.wait_for_selector("#filtres:not([hidden])")
    links = page.locator(".facet-links details", has=page.locator("summary", has_text="Commune")).locator("li")
    without_script = [re.sub(r"\s+", " ", text).strip() for text in links.all_text_contents()]
    options = page.locator("#filtre-commune option").all_inner_texts()
    assert options[0] == "Toutes" and options[1:] == without_script and len(without_script) > 10

    ambert = [o.titre for o in sample_site.open_offers if o.commune == "63003"]
    page.goto(page.base + "/offres/?commune=63003")
    page.wait_for_selector("#filtres:not([hidden])")
    page.wait_for_function("document.querySelector('#filtre-commune').value === '63003'")
    page.wait_for_function("document.querySelector('#resultats-nombre').textContent.includes('correspond')")
    assert ambert and _cards(page) == ambert
    assert page.outside_requests == [] and page.console_errors == []


def test_without_javascript_filters_are_links(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(site_url + "/offres/")
    assert tab.locator("#filtres").is_hidden()
    tab.locator(".facet-links a", has_text="Commerce").first.click()
    tab.wait_for_url(re.compile(r"/offres/secteur/commerce/$"))
    assert tab.locator("h1").inner_text() == "Offres : Commerce"
    context.close()


def test_search_finds_an_offer_by_a_word_of_its_description(page):
    # « myrtilles » appears only in the description of the Ambert bakery.
    page.goto(page.base + "/recherche/")
    search = page.locator(".pagefind-ui__search-input")
    search.wait_for()
    search.fill("myrtilles")
    link = page.locator(".pagefind-ui__result-link").first
    link.wait_for()
    assert page.locator(".pagefind-ui__result-link").count() == 1
    assert link.get_attribute("href").endswith("/offres/boulangerie-patisserie-ambert/")
    assert "Boulangerie" in link.inner_text()
    # An offer's result: its photo, then its title with its commune and price.
    assert link.inner_text().endswith(" — Ambert · 85\u00a0000\u00a0€"), link.inner_text()
    assert page.locator(".pagefind-ui__result-image").first.get_attribute("src").startswith("/images/offres/")
    excerpt = page.locator(".pagefind-ui__result-excerpt").first.inner_text()
    assert not excerpt.startswith(("Disponible", "Réf.")), excerpt
    assert page.outside_requests == [] and page.console_errors == []


def test_search_filter_by_sector_is_offered(page):
    page.goto(page.base + "/recherche/?q=reprendre")
    page.locator(".pagefind-ui__result-link").first.wait_for()
    # Filters load with the first results (their index is fetched and decoded on its own): wait
    # for all three, longer than the default when the machine is busy. recherche.js starts the
    # search of ?q= once Pagefind's filters are loaded: started together, the page was left
    # without filters about one load in five on a loaded machine (CHANGELOG).
    page.wait_for_function("document.querySelectorAll('.pagefind-ui__filter-name').length >= 3", timeout=30000)
    filters = page.locator(".pagefind-ui__filter-name").all_inner_texts()
    assert {"secteur", "nature", "intercommunalité"} <= {f.strip().lower() for f in filters}


@pytest.mark.parametrize(
    "slug",
    [
        "boulangerie-patisserie-ambert",
        "auberge-montagne-chastreix",
        "exploitation-laitiere-fourme-ambert-saint-antheme",
    ],
)
def test_offer_prints_on_one_a4_sheet(page, slug, tmp_path):
    import subprocess

    page.emulate_media(media="print")
    page.goto(f"{page.base}/offres/{slug}/")
    pdf = tmp_path / "offre.pdf"
    pdf.write_bytes(page.pdf(format="A4"))
    info = subprocess.run(
        ["pdfinfo", str(pdf)], capture_output=True, text=True, encoding="utf-8", errors="replace", check=True
    ).stdout
    assert re.search(r"^Pages:\s+1$", info, re.M), info
    assert re.search(r"^Page size:.*\(A4\)", info, re.M), info


def _card_markup(tab) -> list[str]:
    return tab.locator("#liste-offres > li").evaluate_all("els => els.map(e => e.outerHTML)")


def test_filters_and_sort_show_the_same_cards_as_the_pages_without_javascript(page, browser, site_url, sample_site):
    """Housing and price band filters, then sort by price: with JavaScript the list holds the
    server's own cards (same markup as the facet pages without JavaScript), in price order."""
    opened = sample_site.open_offers
    context = browser.new_context(java_script_enabled=False)
    nojs = context.new_page()
    nojs.goto(site_url + "/offres/logement/oui/")
    housing_cards = _card_markup(nojs)
    nojs.goto(site_url + "/offres/prix/50000-a-150000/")
    band_cards = _card_markup(nojs)
    context.close()
    assert housing_cards and band_cards

    page.goto(page.base + "/offres/")
    page.wait_for_selector("#filtres:not([hidden])")
    page.locator("#filtre-logement").check()
    page.wait_for_url(re.compile(r"\?logement=oui$"))
    page.wait_for_function("document.querySelector('#resultats-nombre').textContent.includes('correspond')")
    assert _card_markup(page) == housing_cards
    assert (
        page.locator("#resultats-nombre").inner_text()
        == f"{len(housing_cards)} offres correspondent à votre recherche."
    )

    page.locator("#filtre-logement").uncheck()
    page.select_option("#filtre-prix", "50000-a-150000")
    page.wait_for_url(re.compile(r"\?prix=50000-a-150000$"))
    assert _card_markup(page) == band_cards

    page.select_option("#filtre-prix", "")
    page.select_option("#filtre-tri", "prix-croissant")
    page.wait_for_url(re.compile(r"\?tri=prix-croissant$"))
    priced = sorted((o for o in opened if o.prix is not None), key=lambda o: o.prix)
    unpriced = [o for o in opened if o.prix is None]
    expected = [o.titre for o in priced + unpriced][:24]
    page.wait_for_function(
        "t => document.querySelector('#liste-offres .card-title a').textContent === t", arg=expected[0]
    )
    assert _cards(page) == expected
    page.select_option("#filtre-tri", "prix-decroissant")
    page.wait_for_url(re.compile(r"\?tri=prix-decroissant$"))
    page.wait_for_function(
        "t => document.querySelector('#liste-offres .card-title a').textContent === t", arg=priced[-1].titre
    )
    assert _cards(page)[: len(priced)] == [o.titre for o in reversed(priced)]
    assert page.outside_requests == [] and page.console_errors == []


def _by_distance(sample_site, center, limit: float) -> list:
    """Open offers within ``limit`` km of ``center``, nearest first (board order on ties)."""
    from territoire.geo import distance_km

    found = [(distance_km(center, sample_site.commune(o.commune)), i, o) for i, o in enumerate(sample_site.open_offers)]
    return [o for d, _, o in sorted(found, key=lambda t: t[:2]) if d <= limit]


def test_distance_filter_lists_offers_near_a_commune_and_announces_the_count(page, sample_site):
    ambert = sample_site.commune("63003")
    near = [o.titre for o in _by_distance(sample_site, ambert, 20)]
    assert 0 < len(near) < len(sample_site.open_offers)
    page.goto(page.base + "/offres/")
    page.wait_for_selector("#filtres:not([hidden])")
    page.select_option("#filtre-pres", "63003")
    page.wait_for_url(re.compile(r"\?pres=63003$"))
    live = page.locator("#resultats-nombre")
    page.wait_for_function("document.querySelector('#resultats-nombre').textContent.includes('Ambert')")
    assert live.get_attribute("aria-live") == "polite"
    assert (
        live.inner_text()
        == f"{len(near)} offre{'s' if len(near) > 1 else ''} correspond{'ent' if len(near) > 1 else ''} à votre recherche, à moins de 20 km d'Ambert, les plus proches d'abord."
    )
    assert _cards(page) == near
    page.select_option("#filtre-km", "50")
    page.wait_for_url(re.compile(r"km=50"))
    wider = [o.titre for o in _by_distance(sample_site, ambert, 50)]
    page.wait_for_function("n => document.querySelectorAll('#liste-offres > li').length === n", arg=min(24, len(wider)))
    assert _cards(page) == wider[:24] and len(wider) > len(near)
    assert page.outside_requests == [] and page.console_errors == []


def test_board_finds_a_bakery_within_30_km_of_ambert_under_100000_euros(page, sample_site):
    """The distance chosen before the commune is kept (in the list and the address); the
    maximum price and the keyword narrow the list; each card says how far it is; the nearest
    come first; every criterion is in the address, which opens the same list."""
    from territoire.communes import fold
    from territoire.geo import distance_km

    ambert = sample_site.commune("63003")
    expected = [
        o
        for o in _by_distance(sample_site, ambert, 30)
        if o.prix is not None and o.prix <= 100_000 and "boulang" in fold(f"{o.titre} {o.activite}")
    ]
    assert expected
    page.goto(page.base + "/offres/")
    page.wait_for_selector("#filtres:not([hidden])")
    page.select_option("#filtre-km", "30")
    page.wait_for_url(re.compile(r"\?km=30$"))
    assert page.locator("#filtre-km").input_value() == "30"
    page.select_option("#filtre-pres", "63003")
    page.wait_for_url(re.compile(r"\?pres=63003&km=30$"))
    assert page.locator("#filtre-km").input_value() == "30"
    assert page.locator("#filtre-tri").input_value() == "distance"
    within = _by_distance(sample_site, ambert, 30)
    page.wait_for_function(
        "n => document.querySelectorAll('#liste-offres > li').length === n", arg=min(24, len(within))
    )
    assert _cards(page) == [o.titre for o in within][:24]
    distances = page.locator("#liste-offres .card-distance").all_inner_texts()
    assert (
        distances
        == [f"À {round(distance_km(ambert, sample_site.commune(o.commune)))} km d'Ambert" for o in within][:24]
    )

    page.fill("#filtre-prixmax", "100000")
    page.press("#filtre-prixmax", "Enter")
    page.wait_for_url(re.compile(r"prixmax=100000"))
    page.fill("#filtre-mots", "Boulang")
    page.wait_for_url(re.compile(r"mots=Boulang"))
    page.wait_for_function("n => document.querySelectorAll('#liste-offres > li').length === n", arg=len(expected))
    assert _cards(page) == [o.titre for o in expected]
    status = page.locator("#resultats-nombre").inner_text()
    assert status.endswith("à 100\u00a0000 € au plus, à moins de 30 km d'Ambert, les plus proches d'abord."), status
    address = page.url
    for part in ("prixmax=100000", "mots=Boulang", "pres=63003", "km=30"):
        assert part in address
    page.goto(address)
    page.wait_for_function("n => document.querySelectorAll('#liste-offres > li').length === n", arg=len(expected))
    assert _cards(page) == [o.titre for o in expected]
    assert page.locator("#filtre-mots").input_value() == "Boulang"
    assert page.outside_requests == [] and page.console_errors == []


def test_open_filter_panel_on_a_phone_ends_with_see_the_offers(browser, site_url, sample_site):
    """At 375 px the open panel shows its title once and ends with « Voir les N offres », which
    folds it and shows the list."""
    context = browser.new_context(viewport={"width": 375, "height": 667})
    tab = context.new_page()
    tab.goto(site_url + "/offres/?secteur=commerce")
    tab.wait_for_function("document.querySelector('#resultats-nombre').textContent.includes('correspond')")
    tab.locator("#filtres-panneau > summary").click()
    titles = [
        t
        for t in tab.get_by_text("Filtrer et trier les offres", exact=True).all()
        if (t.bounding_box() or {"width": 0})["width"] > 1
    ]
    assert len(titles) == 1
    commerce = sum(1 for o in sample_site.open_offers if o.secteur == "commerce")
    button = tab.locator("#voir-offres")
    assert button.inner_text() == f"Voir les {commerce} offres"
    last = tab.locator("#filtres-panneau :is(button, a, input, select)").evaluate_all(
        "els => els.filter(e => e.checkVisibility()).at(-1).id"
    )
    assert last == "voir-offres"
    button.click()
    assert tab.locator("#filtres-panneau").get_attribute("open") is None
    first = tab.locator("#liste-offres .card-title a").first.bounding_box()
    assert 0 <= first["y"] < 667
    context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["avec-js", "sans-js"])
def test_first_offer_shows_on_a_phone_without_scrolling(browser, site_url, javascript):
    """At 375 × 667 px the filters stay folded above the list: the first offer's title is on
    the first screen, and one tap unfolds the filters."""
    context = browser.new_context(viewport={"width": 375, "height": 667}, java_script_enabled=javascript)
    tab = context.new_page()
    tab.goto(site_url + "/offres/")
    if javascript:
        tab.wait_for_selector("#filtres", state="attached")
        tab.wait_for_function("document.querySelector('#resultats-nombre').textContent.includes('récentes')")
    title = tab.locator("#liste-offres .card-title a").first.bounding_box()
    assert title is not None and title["y"] + title["height"] <= 667, title
    panel = tab.locator("#filtres-panneau > summary")
    assert panel.is_visible()
    panel.click()
    target = "#filtre-secteur" if javascript else ".facet-links a"
    assert tab.locator(target).first.is_visible()
    context.close()


def test_filters_are_unfolded_beside_the_list_on_a_wide_screen_without_javascript(browser, site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    tab = context.new_page()
    tab.goto(site_url + "/offres/")
    assert tab.locator(".facet-links a", has_text="Commerce").first.is_visible()
    assert tab.locator("#filtres-panneau > summary").is_hidden()
    context.close()


# --- The offer page (issue 21): photos, key figures, contact, text, map ------------------------

OFFER = "/offres/boulangerie-patisserie-ambert/"
PARTS = {
    "photos": ".offer-photos",
    "chiffres": ".offer-facts",
    "contact": ".referent-card",
    "texte": ".offer-text",
    "carte": ".offer-map",
}


def _tops(tab) -> dict[str, float]:
    return {name: tab.locator(selector).bounding_box()["y"] for name, selector in PARTS.items()}


def test_offer_page_leads_with_photos_figures_and_contact_on_a_phone(browser, site_url):
    """At 375 × 667 px: the photo, the key figures, then the contact box (before the text, so
    no one scrolls past the whole page to find it), the text, the map."""
    context = browser.new_context(viewport={"width": 375, "height": 667})
    tab = context.new_page()
    tab.goto(site_url + OFFER)
    tops = _tops(tab)
    assert sorted(tops, key=tops.get) == list(PARTS), tops
    assert tops["photos"] < 667, "la photo ouvre la page"
    assert tops["contact"] < 3 * 667, f"le contact est à {tops['contact']} px du haut"
    context.close()


def test_offer_page_keeps_the_contact_in_view_and_a_reading_measure_on_a_wide_screen(browser, site_url):
    """At 1280 px: the contact box sits beside the photo on the first screen and stays in view
    down to the map; the text's lines hold at most about 80 characters."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.goto(site_url + OFFER)
    contact, photos = tab.locator(".referent-card").bounding_box(), tab.locator(".offer-photos").bounding_box()
    assert contact["y"] + contact["height"] <= 900 and contact["x"] >= photos["x"] + photos["width"], (contact, photos)
    tab.locator(".offer-map").scroll_into_view_if_needed()
    box = tab.locator(".referent-card").bounding_box()
    assert 0 <= box["y"] and box["y"] + box["height"] <= 900, "le contact reste à l'écran pendant la lecture"
    per_line = tab.locator(".offer-text p").evaluate_all(
        "ps => ps.map(p => { const s = getComputedStyle(p); const lines = Math.round(p.getBoundingClientRect().height / parseFloat(s.lineHeight));"
        " return lines > 1 ? p.textContent.length / (lines - 0.5) : 0; })"
    )
    assert max(per_line) <= 80, f"{max(per_line):.0f} caractères par ligne"
    context.close()


LABEL_BOXES = """async () => {
  const svg = document.querySelector('svg.locator');
  const layer = await (await fetch(svg.querySelector('image').getAttribute('href'))).text();
  const holder = document.createElement('div');
  holder.style.cssText = 'position:absolute;left:0;top:0;visibility:hidden';
  holder.innerHTML = layer;
  document.body.append(holder);
  const [w, h] = svg.getAttribute('viewBox').split(' ').slice(2).map(Number);
  const boxes = [...holder.querySelectorAll('text'), ...svg.querySelectorAll('text')].map(t => {
    const b = t.getBBox(); return {name: t.textContent, x0: b.x, y0: b.y, x1: b.x + b.width, y1: b.y + b.height}; });
  holder.remove();
  return {w, h, boxes};
}"""


def test_locator_map_labels_never_collide_or_get_cut(page, sample_site):
    """On every offer page, the names on the locator map (the shared layer's towns, the
    commune, the nearest town), as the browser draws them: inside the map, none over another."""
    problems = []
    for offer in sample_site.published_offers:
        page.goto(page.base + "/" + offer.url)
        found = page.evaluate(LABEL_BOXES)
        boxes = found["boxes"]
        for b in boxes:
            if b["x0"] < 0 or b["y0"] < 0 or b["x1"] > found["w"] or b["y1"] > found["h"]:
                problems.append(f"{offer.url} : « {b['name']} » coupé au bord de la carte")
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                if (
                    a["x0"] < b["x1"] - 0.5
                    and b["x0"] < a["x1"] - 0.5
                    and a["y0"] < b["y1"] - 0.5
                    and b["y0"] < a["y1"] - 0.5
                ):
                    problems.append(f"{offer.url} : « {a['name']} » et « {b['name']} » se chevauchent")
    assert not problems, "\n".join(problems)


def test_offer_with_several_photos_opens_with_a_gallery(browser, project):
    """Several photos: the first fills the column at the top of the page, the others follow as
    a row of thumbnails, before the key figures."""
    from conftest import serve_folder

    path = project.path("offers/boulangerie-patisserie-ambert.yaml")
    text = path.read_text(encoding="utf-8")
    more = (
        "  - fichier: auberge-chastreix.jpg\n    alt: Le fournil vu depuis la boutique, four à sole et pétrin\n"
        "  - fichier: boucherie-langeac.jpg\n    alt: La rue commerçante devant la boulangerie un jour de marché\n"
    )
    path.write_text(text.replace("contacts: 6\n", more + "contacts: 6\n", 1), encoding="utf-8")
    server = serve_folder(project.build())
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        tab = context.new_page()
        tab.goto(f"http://127.0.0.1:{server.server_address[1]}/offres/boulangerie-patisserie-ambert/")
        boxes = tab.locator(".offer-photos figure").evaluate_all(
            "fs => fs.map(f => { const r = f.getBoundingClientRect(); return {x: r.x, y: r.y, w: r.width, h: r.height}; })"
        )
        assert len(boxes) == 3
        first, second, third = boxes
        assert second["y"] >= first["y"] + first["h"] and second["y"] == third["y"]  # a row under the first
        assert first["w"] > 2.5 * second["w"] and third["x"] > second["x"]
        facts = tab.locator(".offer-facts").bounding_box()
        assert facts["y"] >= second["y"] + second["h"]
    finally:
        context.close()
        server.shutdown()
