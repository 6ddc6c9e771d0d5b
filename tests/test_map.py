"""Issue 5: the map /carte/, its GeoJSON layers, its list by EPCI and its vendored libraries."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT
from dom_query import parse
from territoire.settings import DEFAULTS
from territoire.settings import THEME_PATH as KIT_THEME

TILE_HOST = "https://tile.openstreetmap.org/"


def geojson(built_site, name: str) -> dict:
    return json.loads((built_site / "carte" / name).read_text(encoding="utf-8"))


def test_partners_geojson_has_every_partner_at_its_commune(built_site, sample_site):
    data = geojson(built_site, "partenaires.geojson")
    assert data["type"] == "FeatureCollection"
    features = {f["id"]: f for f in data["features"]}
    assert sorted(features) == sorted(sample_site.partners) and len(features) > 20
    parc = features["parc-livradois-forez"]
    commune = sample_site.commune("63355")
    assert parc["geometry"] == {
        "type": "Point",
        "coordinates": [round(commune.longitude, 5), round(commune.latitude, 5)],
    }
    assert parc["properties"]["url"] == "/partenaires/parc-livradois-forez/"
    assert parc["properties"]["nom"] == "Parc naturel régional Livradois-Forez"


def test_offers_geojson_has_the_open_offers_only(built_site, sample_site):
    data = geojson(built_site, "offres.geojson")
    ids = sorted(f["id"] for f in data["features"])
    assert ids == sorted(o.reference for o in sample_site.open_offers)
    assert len(ids) > 10
    concluded = {o.reference for o in sample_site.concluded_offers}
    assert concluded and not concluded & set(ids)
    for feature in data["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        assert 2.5 < lon < 4.5 and 44.8 < lat < 46.2, feature["id"]
        assert feature["properties"]["url"].startswith("/offres/")


def test_page_lists_partners_and_offers_by_epci_without_javascript(built_site, sample_site):
    page = parse(built_site / "carte" / "index.html")
    groups = page.all(".epci-group")
    assert [g.one("h3").text for g in groups][:2] == ["CA Agglo Pays d'Issoire", "CA Loire Forez Agglomération (LFA)"]
    partner_links = [a.get("href") for a in page.all(".fallback-partners a")]
    offer_links = [a.get("href") for a in page.all(".fallback-offers a")]
    assert sorted(partner_links) == sorted(f"/{p.url}" for p in sample_site.partners.values())
    assert sorted(offer_links) == sorted(f"/{o.url}" for o in sample_site.open_offers)
    for group in groups:
        siren = group.get("data-epci")
        for a in group.all(".fallback-partners a"):
            partner = sample_site.partners[a.get("href").split("/")[2]]
            assert sample_site.commune(partner.commune).epci_siren == siren
    # The map is an enhancement of a drawn map that holds its place (no layout shift):
    # configured by data- attributes only.
    tool = page.one("#carte-outil")
    assert tool.get("hidden") is None
    box = page.one("#carte")
    drawn = box.one("svg.static-map")
    assert drawn.get("role") == "img" and "La liste par intercommunalité" in drawn.get("aria-label")
    partner_places = {p.commune for p in sample_site.partners.values()}
    offer_places = {o.commune for o in sample_site.open_offers}
    assert len(drawn.all(".static-partenaires path")) == len(partner_places)
    assert len(drawn.all(".static-offres circle")) == len(offer_places)
    assert box.get("data-tuiles") == TILE_HOST + "{z}/{x}/{y}.png"
    assert box.get("data-attribution") == "© les contributeurs d'OpenStreetMap"
    assert box.get("data-partenaires") == "/carte/partenaires.geojson"
    assert box.get("data-offres") == "/carte/offres.geojson"
    scripts = [s.get("src") for s in page.all("script")]
    assert scripts == [
        "/theme/vendor/leaflet/leaflet.js",
        "/theme/vendor/leaflet.markercluster/leaflet.markercluster.js",
        "/theme/js/carte.js",
    ]
    # Every script runs once the page is parsed, in order: Leaflet's (defer), then the site's module.
    assert [(s.get("defer") is not None, s.get("type")) for s in page.all("script")] == [
        (True, None),
        (True, None),
        (False, "module"),
    ]


def test_tiles_are_a_documented_setting_defaulting_to_openstreetmap():
    assert DEFAULTS["TERRITOIRE_CARTE_TUILES"] == TILE_HOST + "{z}/{x}/{y}.png"
    assert DEFAULTS["TERRITOIRE_CARTE_ATTRIBUTION"] == "© les contributeurs d'OpenStreetMap"
    conf = (ROOT / "pelicanconf.py").read_text(encoding="utf-8")
    assert "TERRITOIRE_CARTE_TUILES" in conf and "TERRITOIRE_CARTE_ATTRIBUTION" in conf


def test_leaflet_and_markercluster_are_self_hosted_with_licences_and_versions(built_site):
    vendor = KIT_THEME / "static" / "vendor"
    for path in (
        "leaflet/leaflet.js",
        "leaflet/leaflet.css",
        "leaflet/LICENSE",
        "leaflet/images/marker-icon.png",
        "leaflet/images/marker-shadow.png",
        "leaflet.markercluster/leaflet.markercluster.js",
        "leaflet.markercluster/MarkerCluster.css",
        "leaflet.markercluster/MIT-LICENCE.txt",
    ):
        assert (vendor / path).is_file(), path
        assert (built_site / "theme" / "vendor" / path).is_file(), path
    versions = (vendor / "VERSIONS.md").read_text(encoding="utf-8")
    assert "leaflet | 1.9.4" in versions and "leaflet.markercluster | 1.5.3" in versions
    assert 't.version="1.9.4"' in (vendor / "leaflet" / "leaflet.js").read_text(encoding="utf-8")


def count_markers(tab, layer: str) -> int:
    """Markers shown one by one plus the markers of this kind counted inside clusters."""
    single = ".leaflet-marker-icon.marker-partenaire" if layer == "partenaires" else ".leaflet-marker-icon.marker-offre"
    return tab.evaluate(
        """([layer, single]) => document.querySelectorAll(single).length +
           [...document.querySelectorAll('.marker-cluster [data-' + layer + ']')]
             .reduce((n, e) => n + parseInt(e.dataset[layer], 10), 0)""",
        [layer, single],
    )


@pytest.mark.browser
def test_map_shows_both_layers_with_tiles_blocked_and_switches_them(page, sample_site):
    errors = []
    page.on("console", lambda m: errors.append(m) if m.type == "error" else None)
    page.goto(f"{page.base}/carte/")
    page.wait_for_selector("#carte[data-pret=oui]")
    partners, offers = len(sample_site.partners), len(sample_site.open_offers)
    assert partners > 20 and offers > 10
    assert count_markers(page, "partenaires") == partners
    assert count_markers(page, "offres") == offers
    assert page.locator(".marker-cluster").count() > 0  # markers that crowd are clustered
    # Every tile was requested from the configured server only, and blocked.
    assert page.outside_requests and all(u.startswith(TILE_HOST) for u in page.outside_requests)
    # The only console errors are the blocked tiles themselves.
    assert [m.text for m in errors if not m.location.get("url", "").startswith(TILE_HOST)] == []
    page.locator("#carte-fond-absent").wait_for(state="visible")

    page.get_by_role("checkbox", name="Partenaires").uncheck()
    assert count_markers(page, "partenaires") == 0
    assert count_markers(page, "offres") == offers
    page.get_by_role("checkbox", name="Offres ouvertes").uncheck()
    assert count_markers(page, "offres") == 0
    page.get_by_role("checkbox", name="Partenaires").check()
    assert count_markers(page, "partenaires") == partners
    # The list stays below the map.
    assert page.locator(".fallback-partners a").count() == partners


@pytest.mark.browser
def test_map_page_without_javascript_lists_everything(browser, site_url, sample_site):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(f"{site_url}/carte/")
    # The drawn map and its legend; the boxes still show or hide each kind of marker (CSS).
    assert tab.locator("#carte svg.static-map").is_visible()
    assert tab.locator(".static-partenaires").is_visible()
    tab.get_by_role("checkbox", name="Partenaires").uncheck()
    assert tab.locator(".static-partenaires").is_hidden() and tab.locator(".static-offres").is_visible()
    assert tab.locator(".fallback-partners a").count() == len(sample_site.partners)
    assert tab.locator(".fallback-offers a").count() == len(sample_site.open_offers)
    context.close()


@pytest.mark.browser
def test_fallback_list_works_with_tab_and_enter(page):
    page.goto(f"{page.base}/carte/")
    page.wait_for_selector("#carte[data-pret=oui]")
    target = page.locator(".fallback-partners a").first
    href = target.get_attribute("href")
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('.fallback-partners a')"):
            break
    assert page.evaluate("document.activeElement.getAttribute('href')") == href
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{href}")
    assert page.locator("h1").count() == 1


@pytest.mark.browser
def test_without_a_tile_server_the_map_calls_no_other_host(browser, project):
    """TERRITOIRE_CARTE_TUILES = None: the markers on a plain background, no request leaving the
    site, and a Content-Security-Policy that names no tile host."""
    from conftest import BUILD_DATE, serve_folder
    from territoire.build import build

    output = build(
        output=str(project.output),
        date=BUILD_DATE,
        quiet=True,
        overrides={**project.overrides(), "TERRITOIRE_CARTE_TUILES": None},
    )
    box = parse(output / "carte" / "index.html").one("#carte")
    assert box.get("data-tuiles") == ""
    headers = (output / "_headers").read_text(encoding="utf-8")
    assert "img-src 'self' data:;" in headers and "openstreetmap" not in headers

    server = serve_folder(output)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    outside, errors = [], []
    context.route(
        "**/*",
        lambda r: (
            r.continue_()
            if r.request.url.startswith(("http://127.0.0.1", "data:", "blob:"))
            else (outside.append(r.request.url), r.abort())
        ),
    )
    tab = context.new_page()
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        tab.goto(f"http://127.0.0.1:{server.server_address[1]}/carte/")
        tab.wait_for_selector("#carte[data-pret=oui]")
        assert count_markers(tab, "partenaires") > 20
        assert tab.locator(".leaflet-tile").count() == 0
        assert outside == [] and errors == []
        assert not tab.locator("#carte-fond-absent").is_visible()
    finally:
        context.close()
        server.shutdown()


@pytest.mark.browser
@pytest.mark.parametrize("width", [375, 1280])
def test_map_keeps_its_place_and_markers_are_large_enough_to_tap(browser, site_url, width):
    """No layout shift while Leaflet replaces the drawn map (the box has its height from the
    start), a legend naming both kinds of marker, and 44 px targets that differ by shape and never
    overlap."""
    context = browser.new_context(viewport={"width": width, "height": 800})
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith("http://127.0.0.1") else r.abort())
    tab = context.new_page()
    tab.add_init_script(
        "window.__shift = 0; new PerformanceObserver(l => l.getEntries().forEach(e => { if (!e.hadRecentInput) window.__shift += e.value; }))"
        ".observe({type: 'layout-shift', buffered: true});"
    )
    tab.goto(f"{site_url}/carte/")
    tab.wait_for_selector("#carte[data-pret=oui]")
    tab.locator("#carte-fond-absent").wait_for(state="visible")  # tiles blocked: the notice overlays the map
    tab.wait_for_timeout(300)  # let the observer deliver the last entries of the frame
    assert tab.evaluate("window.__shift") == 0
    legend = tab.locator(".map-layers")
    assert "Légende" in legend.locator("legend").inner_text()
    assert legend.locator("label", has_text="Partenaires").locator("svg path").count() == 1  # a diamond
    assert legend.locator("label", has_text="Offres ouvertes").locator("svg circle").count() == 1  # a disc
    sizes = tab.evaluate(
        "[...document.querySelectorAll('.leaflet-marker-icon')].map(e => { const r = e.getBoundingClientRect(); return [e.className, r.width, r.height]; })"
    )
    assert sizes and all(w >= 44 and h >= 44 for _, w, h in sizes), sizes
    # No target covers another one (partners and offers are clustered together), so each can be
    # tapped on its whole surface.
    overlaps = tab.evaluate(
        """(() => { const boxes = [...document.querySelectorAll('.leaflet-marker-icon')].map(e => [e, e.getBoundingClientRect()]);
           const out = [];
           boxes.forEach(([a, r], i) => boxes.slice(i + 1).forEach(([b, s]) => {
             if (r.left < s.right && s.left < r.right && r.top < s.bottom && s.top < r.bottom) out.push([a.className, b.className]);
           }));
           return out; })()"""
    )
    assert overlaps == [], overlaps
    # Zoomed in until single markers of both kinds show (at 375 px, clusters may hold them all).
    for _ in range(6):
        if (
            tab.locator(".leaflet-marker-icon.marker-partenaire").count()
            and tab.locator(".leaflet-marker-icon.marker-offre").count()
        ):
            break
        tab.locator(".leaflet-control-zoom-in").click()
        tab.wait_for_timeout(400)  # the zoom animation
    shapes = tab.evaluate(
        """['marker-partenaire', 'marker-offre'].map(c => { const s = document.querySelector('.' + c + ' span');
           return s ? [getComputedStyle(s).borderRadius, getComputedStyle(s).transform !== 'none'] : null; })"""
    )
    assert shapes[0] is not None and shapes[1] is not None
    assert shapes[0] != shapes[1]  # a rotated square and a disc, not only two colours
    context.close()


@pytest.mark.parametrize("motion", ["reduce", "no-preference"])
def test_map_popup_closes_with_escape_and_reduced_motion_stills_the_map(browser, site_url, motion):
    """A marker's popup closes with Escape (the focus goes back to the marker); a visitor who
    asks for reduced motion gets no zoom or cluster animation."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, reduced_motion=motion)
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith("http://127.0.0.1") else r.abort())
    tab = context.new_page()
    tab.goto(f"{site_url}/carte/")
    tab.wait_for_selector("#carte[data-pret=oui]")
    animated = tab.locator("#carte .leaflet-zoom-animated:not(.leaflet-tile-container)").count()
    assert (animated == 0) == (motion == "reduce"), tab.locator(
        "#carte .leaflet-zoom-animated:not(.leaflet-tile-container)"
    ).evaluate_all("es => es.map(e => e.className)")
    for _ in range(8):
        if tab.locator(".leaflet-marker-icon.marker-offre").count():
            break
        tab.locator(".leaflet-control-zoom-in").click()
        tab.wait_for_function("!document.querySelector('#carte .leaflet-zoom-anim')")
    marker = tab.locator(".leaflet-marker-icon.marker-offre").first
    marker.focus()
    tab.keyboard.press("Enter")
    tab.locator(".leaflet-popup-content a").wait_for()
    tab.locator(".leaflet-popup-content a").focus()
    tab.keyboard.press("Escape")
    tab.locator(".leaflet-popup").wait_for(state="detached")
    assert tab.evaluate("document.activeElement.classList.contains('marker-offre')")
    context.close()


@pytest.mark.browser
def test_the_map_box_has_its_height_before_any_script(browser, site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, java_script_enabled=False)
    tab = context.new_page()
    tab.goto(f"{site_url}/carte/")
    box = tab.locator("#carte").bounding_box()
    assert box is not None and box["height"] >= 300
    context.close()
