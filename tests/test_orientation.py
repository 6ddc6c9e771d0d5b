"""Issue 5: « Trouver un accompagnement »: the matching rule in Python, the browser tool that
mirrors it, and the pre-rendered pages per sector and stage for visitors without JavaScript."""

from __future__ import annotations

import json

import pytest
from dom_query import parse
from territoire.models import ETAPES, SECTEURS
from territoire.orientation import match

PARK = "parc-livradois-forez"

# (sector, stage, commune code, what the visitor types, expected partners, closest first)
SCENARIOS = [
    # Ambert: its community of communes and the park (EPCI), then the department's chamber.
    ("agriculture", "installation", "63003", "ambert", ["cc-ambert-livradois-forez", PARK, "chambre-agriculture-63"]),
    # Thiers: the local CCI and loan platform before the department-wide support organisations.
    ("commerce", "reprise", "63430", "thiers", ["cci-thiers", "crea-thiers-initiative", "adret", "urscop"]),
    # Brioude (Haute-Loire): nobody at EPCI level for craft creation, three department-wide.
    ("artisanat", "creation", "43040", "brioude", ["adie", "cma-43", "urscop"]),
    # Issoire: the Ambert CCI and platform cover the Agglo Pays d'Issoire, then the funders.
    (
        "services",
        "financement",
        "63178",
        "issoire",
        ["cci-ambert", "pays-ambert-initiative", "adie", "puy-de-dome-garantie", "urscop"],
    ),
    # Montgreleix is in Cantal but in the Massif du Sancy EPCI: EPCI partners only.
    ("tourisme", "accueil", "15132", "montgreleix", ["cci-ambert", "cc-massif-sancy", PARK]),
    # Typed without accents nor hyphens: « st remy sur durolle » is Saint-Rémy-sur-Durolle.
    ("sante-social", "idee", "63393", "st remy sur durolle", [PARK, "appuy-createurs"]),
    # Boën-sur-Lignon (Loire Forez Agglomération): no partner for agriculture there.
    ("agriculture", "creation", "42019", "boen sur lignon", []),
]
IDS = [f"{s}-{e}-{c}" for s, e, c, _, _ in SCENARIOS]


@pytest.mark.parametrize(("secteur", "etape", "commune", "typed", "expected"), SCENARIOS, ids=IDS)
def test_match_finds_the_partners_closest_first(sample_site, secteur, etape, commune, typed, expected):
    assert [m.id for m in match(sample_site, secteur, etape, commune)] == expected


def test_match_puts_epci_partners_before_department_wide_ones(sample_site):
    found = match(sample_site, "commerce", "reprise", "63430")
    assert [m.scope for m in found] == ["epci", "epci", "departement", "departement"]
    for m in found:
        assert "commerce" in m.partner.secteurs and "reprise" in m.partner.etapes


def test_loire_forez_has_no_agriculture_partner_and_the_page_points_to_the_park(built_site, sample_site):
    assert sample_site.commune("42019").epci_siren == "200065886"
    for etape in ETAPES:
        assert match(sample_site, "agriculture", etape, "42019") == []
    page = parse(built_site / "trouver-un-accompagnement" / "agriculture" / "creation" / "index.html")
    group = page.one('.epci-group[data-epci="200065886"]')
    assert group.all(".result") == []
    notice = group.one(".no-match")
    assert "Aucun partenaire du réseau n'accompagne ce type de projet" in notice.text
    hrefs = [a.get("href") for a in notice.all("a")]
    assert hrefs == [
        "/partenaires/parc-livradois-forez/",
        "tel:0465711028",
        "mailto:contact@parc-livradois-forez.example.org",
    ]


def test_the_tool_page_links_a_page_per_sector_and_stage(built_site):
    page = parse(built_site / "trouver-un-accompagnement" / "index.html")
    links = {a.get("href") for a in page.all(".links-table td a")}
    assert links == {f"/trouver-un-accompagnement/{s}/{e}/" for s in SECTEURS for e in ETAPES}
    for href in links:
        assert (built_site / href.strip("/") / "index.html").is_file()
    form = page.one("form#orientation")
    # Shown from the first paint when scripts run (nothing moves when orientation.js starts),
    # hidden by the style sheet when they do not (see test_the_form_needs_scripts_and_never_moves).
    assert form.get("hidden") is None and "needs-script" in form.get("class").split()
    for field in ("secteur", "etape", "commune"):
        assert page.one(f'label[for="{field}"]').text
    combo = page.one("#commune")
    assert combo.get("role") == "combobox" and combo.get("aria-controls") == "commune-suggestions"
    assert [s.get("src") for s in page.all("script")] == ["/theme/js/orientation.js"]


def test_pre_rendered_pages_group_partners_by_epci_with_the_same_rule(built_site, sample_site):
    """Each page lists, per EPCI, what match() gives for any commune of that EPCI."""
    one_commune = {}
    for c in sample_site.communes.territory():
        one_commune.setdefault((c.epci_siren, c.departement), c.insee)
    single_department = {
        epci: code for (epci, _), code in one_commune.items() if sum(1 for k in one_commune if k[0] == epci) == 1
    }
    compared = unmatched = 0  # both checks below must have run, not been skipped for want of cases
    for secteur in SECTEURS:
        for etape in ETAPES:
            page = parse(built_site / "trouver-un-accompagnement" / secteur / etape / "index.html")
            assert len(page.all("h1")) == 1
            groups = page.all(".epci-group")
            assert len(groups) == len(sample_site.communes.territory_epci)
            for group in groups:
                epci = group.get("data-epci")
                shown = [r.get("data-partenaire") for r in group.all(".result")]
                if epci in single_department:
                    assert shown == [m.id for m in match(sample_site, secteur, etape, single_department[epci])], (
                        secteur,
                        etape,
                        epci,
                    )
                    compared += 1
                if not shown:
                    assert group.all(".no-match a")[0].get("href") == f"/partenaires/{PARK}/"
                    unmatched += 1
                for result in group.all(".result"):
                    assert result.all('a[href^="tel:"]') and result.all('a[href^="mailto:"]')
    assert compared > len(SECTEURS) * len(ETAPES) and unmatched > 0
    page = parse(built_site / "trouver-un-accompagnement" / "commerce" / "reprise" / "index.html")
    thiers = page.one('.epci-group[data-epci="200070712"]')
    assert [r.get("data-partenaire") for r in thiers.all(".result")] == SCENARIOS[1][4]


def test_data_files_for_the_browser_tool(built_site, sample_site):
    folder = built_site / "trouver-un-accompagnement"
    partners = json.loads((folder / "partenaires.json").read_text(encoding="utf-8"))
    assert partners["accueil"] == PARK
    assert sorted(p["id"] for p in partners["partenaires"]) == sorted(sample_site.partners)
    communes = json.loads((folder / "communes.json").read_text(encoding="utf-8"))
    assert communes["champs"] == ["insee", "nom", "epci", "departement", "code_postal", "libelle"]
    assert len(communes["communes"]) == len(sample_site.communes.territory())
    assert ["42019", "Boën-sur-Lignon", "200065886", "42", "42130", "Boën-sur-Lignon"] in communes["communes"]
    assert (folder / "communes.json").stat().st_size < 40_000  # compact: shipped to phones


# --- In the browser -----------------------------------------------------------------------


def open_tool(page):
    page.goto(f"{page.base}/trouver-un-accompagnement/")
    page.wait_for_selector("form#orientation[data-pret=oui]")


def shown_partners(page) -> list[str]:
    page.wait_for_selector("#resultats:not([hidden])")
    return page.eval_on_selector_all("#resultats .result", "els => els.map(e => e.dataset.partenaire)")


@pytest.mark.browser
@pytest.mark.parametrize(("secteur", "etape", "commune", "typed", "expected"), SCENARIOS, ids=IDS)
def test_browser_tool_agrees_with_python(page, sample_site, secteur, etape, commune, typed, expected):
    open_tool(page)
    page.select_option("#secteur", secteur)
    page.select_option("#etape", etape)
    page.fill("#commune", typed)
    page.wait_for_selector("#commune-suggestions:not([hidden]) [role=option]")
    assert page.get_attribute("#commune", "aria-expanded") == "true"
    page.press("#commune", "Enter")
    assert shown_partners(page) == expected == [m.id for m in match(sample_site, secteur, etape, commune)]
    assert page.eval_on_selector("#resultats", "e => e.dataset.commune") == commune
    assert page.input_value("#commune") == sample_site.commune(commune).nom
    if not expected:
        notice = page.locator("#resultats .no-match")
        assert "Aucun partenaire du réseau n'accompagne ce type de projet" in notice.inner_text()
        assert notice.locator("a").first.get_attribute("href") == f"/partenaires/{PARK}/"
        assert notice.locator('a[href="tel:0465711028"]').count() == 1
    else:
        first = page.locator("#resultats .result").first
        assert first.locator('a[href^="tel:"]').count() == 1 and first.locator('a[href^="mailto:"]').count() == 1
    assert page.console_errors == [] and page.outside_requests == []


@pytest.mark.browser
def test_browser_rule_equals_python_rule_everywhere(page, sample_site):
    """Every sector × stage, for a commune of each EPCI and department of the territory."""
    open_tool(page)
    communes = sorted({(c.epci_siren, c.departement): c.insee for c in sample_site.communes.territory()}.values())
    cases = [(s, e, c) for s in SECTEURS for e in ETAPES for c in communes]
    browser_ids = page.evaluate("cases => cases.map(([s, e, c]) => window.orientationMatch(s, e, c))", cases)
    python_ids = [[m.id for m in match(sample_site, s, e, c)] for s, e, c in cases]
    assert len(cases) == len(SECTEURS) * len(ETAPES) * len(communes) and len(communes) >= 12
    assert browser_ids == python_ids


@pytest.mark.browser
def test_suggestions_ignore_accents_and_arrows_choose(page):
    open_tool(page)
    page.fill("#commune", "boen")
    options = page.locator("#commune-suggestions [role=option]")
    assert options.first.inner_text() == "Boën-sur-Lignon"
    page.press("#commune", "ArrowDown")
    active = page.get_attribute("#commune", "aria-activedescendant")
    assert page.get_attribute(f"#{active}", "aria-selected") == "true"
    page.press("#commune", "Escape")
    assert page.get_attribute("#commune", "aria-expanded") == "false"
    page.fill("#commune", "Paris")
    page.click("button[type=submit]")
    error = page.locator("#commune-erreur")
    assert error.is_visible() and "n'est pas une commune du territoire" in error.inner_text()
    assert page.get_attribute("#commune", "aria-invalid") == "true"


@pytest.mark.browser
def test_tool_works_with_the_keyboard_alone(page):
    open_tool(page)
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "secteur":
            break
    assert page.evaluate("document.activeElement.id") == "secteur"
    page.keyboard.type("Commerce")
    page.keyboard.press("Tab")
    page.keyboard.type("Reprise")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "commune"
    page.keyboard.type("thiers")
    page.keyboard.press("Enter")
    assert shown_partners(page) == SCENARIOS[1][4]
    assert page.evaluate("document.activeElement.id") == "resultats"
    page.keyboard.press("Tab")
    href = page.evaluate("document.activeElement.getAttribute('href')")
    assert href == "/partenaires/cci-thiers/"
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{href}")


@pytest.mark.browser
def test_the_form_is_there_from_the_first_paint_and_nothing_moves(browser, site_url):
    """With scripts, the form is laid out before orientation.js runs (its data is held back here):
    the page does not shift when the tool becomes ready."""
    context, tab, release = _tool_with_its_data_held(browser, site_url)
    assert tab.locator("form#orientation").is_visible()
    table = tab.locator(".links-table")
    before = table.bounding_box()["y"]
    release()
    assert table.bounding_box()["y"] == before
    context.close()


def _tool_with_its_data_held(browser, site_url):
    """The tool's page on a phone, its data files held back once orientation.js has asked for
    them: (context, tab, release), ``release()`` letting them through and waiting for the tool."""
    context = browser.new_context(viewport={"width": 375, "height": 800})
    held, released = [], []

    def hold(route):
        route.continue_() if released else held.append(route)

    context.route("**/*.json", hold)
    tab = context.new_page()
    with tab.expect_request("**/communes.json"):  # orientation.js has started and waits for its data
        tab.goto(f"{site_url}/trouver-un-accompagnement/")

    def release():
        released.append(True)
        for route in held:
            route.continue_()
        tab.wait_for_selector("form#orientation[data-pret=oui]")

    return context, tab, release


@pytest.mark.browser
@pytest.mark.parametrize("typed, expected", [("thiers", "thiers"), ("Paris", None)])
def test_a_question_asked_before_the_data_arrives_is_answered_once_it_has(browser, site_url, typed, expected):
    """On a slow network the visitor may ask before the communes are read: the page says it is
    searching, then answers (or says the commune is unknown) once they are, never « not a commune »
    for a commune of the territory."""
    context, tab, release = _tool_with_its_data_held(browser, site_url)
    tab.select_option("#secteur", "commerce")
    tab.select_option("#etape", "reprise")
    tab.fill("#commune", typed)
    tab.press("#commune", "Enter")
    results, error = tab.locator("#resultats"), tab.locator("#commune-erreur")
    assert results.inner_text() == "Recherche des structures à contacter…" and error.is_hidden()
    release()
    if expected:
        tab.wait_for_selector("#resultats .result")
        assert tab.locator("#resultats h2").inner_text().endswith("à Thiers") and error.is_hidden()
        assert shown_partners(tab) == SCENARIOS[1][4]
    else:
        assert error.is_visible() and "« Paris » n'est pas une commune du territoire" in error.inner_text()
        assert results.is_hidden()
    context.close()


@pytest.mark.browser
def test_without_javascript_the_links_lead_to_the_partners(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(f"{site_url}/trouver-un-accompagnement/")
    assert not tab.locator("form#orientation").is_visible()
    tab.get_by_role("link", name="Création — Agriculture").click()
    tab.wait_for_url("**/trouver-un-accompagnement/agriculture/creation/")
    group = tab.locator('.epci-group[data-epci="200065886"]')
    assert "Aucun partenaire du réseau" in group.inner_text()
    context.close()


@pytest.mark.browser
def test_the_answer_has_a_shareable_address(page):
    open_tool(page)
    page.select_option("#secteur", "artisanat")
    page.select_option("#etape", "creation")
    page.fill("#commune", "Brioude")
    page.press("#commune", "Enter")
    assert shown_partners(page) == ["adie", "cma-43", "urscop"]
    assert page.url.endswith("?secteur=artisanat&etape=creation&commune=43040")
    more = page.locator("#resultats a", has_text="Voir, pour chaque intercommunalité")
    assert more.get_attribute("href") == "/trouver-un-accompagnement/artisanat/creation/"
    page.reload()
    page.wait_for_selector("form#orientation[data-pret=oui]")
    assert shown_partners(page) == ["adie", "cma-43", "urscop"]
    assert page.input_value("#commune") == "Brioude"
    assert page.input_value("#secteur") == "artisanat"
