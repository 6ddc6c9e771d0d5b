"""Issue 5: the map /carte/, its GeoJSON layers, its list by EPCI and its vendored libraries."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT
from dom_query import parse
from territoire.config import DEFAULTS
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
    # One script at load, the site's module; Leaflet's files are named on the button that loads
    # them, hidden until the script shows it (without JavaScript, the drawn map alone).
    assert [(s.get("src"), s.get("type")) for s in page.all("script")] == [("/theme/js/carte.js", "module")]
    assert not [link for link in page.all("link") if "vendor" in link.get("href")]
    button = page.one("#carte-explorer")
    assert button.get("hidden") is not None and button.get("type") == "button"
    assert button.text == "Explorer la carte : zoom et fond de carte"
    assert button.get("data-styles").split(" ") == [
        "/theme/vendor/leaflet/leaflet.css",
        "/theme/vendor/leaflet.markercluster/MarkerCluster.css",
        "/theme/vendor/leaflet.markercluster/MarkerCluster.Default.css",
    ]
    assert button.get("data-scripts").split(" ") == [
        "/theme/vendor/leaflet/leaflet.js",
        "/theme/vendor/leaflet.markercluster/leaflet.markercluster.js",
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


EXPLORE = "Explorer la carte"


def explore(tab) -> None:
    """Starts the interactive map with its button; returns once every marker is on it."""
    tab.get_by_role("button", name=EXPLORE).click()
    tab.wait_for_selector("#carte[data-pret=oui]")


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
    explore(page)
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


LEAFLET_FILES = [
    "/theme/vendor/leaflet/leaflet.css",
    "/theme/vendor/leaflet.markercluster/MarkerCluster.css",
    "/theme/vendor/leaflet.markercluster/MarkerCluster.Default.css",
    "/theme/vendor/leaflet/leaflet.js",
    "/theme/vendor/leaflet.markercluster/leaflet.markercluster.js",
]


@pytest.mark.browser
def test_the_interactive_map_starts_only_when_asked_and_with_the_keyboard(browser, site_url, sample_site):
    """At load, the drawn map and a button: nothing of Leaflet (scripts, styles), no GeoJSON and
    no tile is fetched. Tab reaches the button, Enter starts the map: its files come, the focus
    goes to the map, a status line says how to move it, the button goes; the legend's boxes,
    ticked before, still choose the markers."""
    context = browser.new_context(viewport={"width": 375, "height": 800}, locale="fr-FR")
    context.route(
        "**/*",
        lambda r: (
            r.continue_()
            if r.request.url.startswith("http://127.0.0.1")
            else r.fulfill(status=200, content_type="image/png", body=BLANK_TILE)
        ),
    )
    requested = []
    context.on("request", lambda r: requested.append(r.url.removeprefix(site_url)))
    tab = context.new_page()
    tab.goto(f"{site_url}/carte/", wait_until="networkidle")
    button = tab.get_by_role("button", name="Explorer la carte : zoom et fond de carte")
    assert button.is_visible()
    size = button.bounding_box()
    assert size["width"] >= 44 and size["height"] >= 44
    assert [u for u in requested if "/vendor/" in u or u.endswith(".geojson") or not u.startswith("/")] == []
    assert "/theme/js/carte.js" in requested  # (the page's own script did run)
    # Unticked before the map starts: the drawn map hides the partners, and so will Leaflet's.
    tab.get_by_role("checkbox", name="Partenaires").uncheck()
    assert tab.locator(".static-partenaires").is_hidden() and tab.locator(".static-offres").is_visible()
    for _ in range(30):
        tab.keyboard.press("Tab")
        if tab.evaluate("document.activeElement.id") == "carte-explorer":
            break
    assert tab.evaluate("document.activeElement.matches(':focus-visible')")
    tab.keyboard.press("Enter")
    tab.wait_for_selector("#carte[data-pret=oui]")
    assert [u for u in LEAFLET_FILES if u not in requested] == []
    assert any(u.startswith(TILE_HOST) for u in requested)
    assert tab.evaluate("document.activeElement.id") == "carte"
    assert tab.locator("#carte-etat").inner_text() == (
        "Carte interactive ouverte : les flèches la déplacent, + et − zooment, Tab passe d'un repère à l'autre."
    )
    assert button.count() == 0 or button.is_hidden()
    assert count_markers(tab, "offres") == len(sample_site.open_offers)
    assert count_markers(tab, "partenaires") == 0
    tab.get_by_role("checkbox", name="Partenaires").check()
    assert count_markers(tab, "partenaires") == len(sample_site.partners)
    context.close()


@pytest.mark.browser
def test_the_interactive_map_keeps_to_the_sites_content_security_policy(browser, site_url, sample_site):
    """Served with the site's own Content-Security-Policy (hosting.py), the map's files, added
    by its script, are allowed: no violation, the map has its markers."""
    from territoire.hosting import security_headers

    csp = dict(security_headers(sample_site.config))["Content-Security-Policy"]
    assert "script-src 'self' 'wasm-unsafe-eval';" in csp and "'unsafe-inline'" not in csp

    def route(r):
        if r.request.url.startswith(TILE_HOST):
            r.fulfill(status=200, content_type="image/png", body=BLANK_TILE)
        elif r.request.url.startswith("http://127.0.0.1"):
            response = r.fetch()
            r.fulfill(response=response, headers={**response.headers, "content-security-policy": csp})
        else:
            r.abort()

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route("**/*", route)
    tab = context.new_page()
    tab.add_init_script(
        "window.__refused = []; document.addEventListener('securitypolicyviolation',"
        " e => window.__refused.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    errors = []
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    tab.goto(f"{site_url}/carte/")
    explore(tab)
    assert count_markers(tab, "partenaires") == len(sample_site.partners)
    assert tab.evaluate("window.__refused") == [] and errors == []
    context.close()


@pytest.mark.browser
def test_a_map_that_cannot_load_keeps_the_drawn_map_and_can_be_asked_again(browser, site_url, sample_site):
    """A file of Leaflet that does not come (a phone losing its network): the drawn map stays, a
    notice says so, and the button, pressed again, starts the map."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    blocked = {"on": True}
    context.route(
        "**/*",
        lambda r: (
            r.abort()
            if not r.request.url.startswith("http://127.0.0.1")
            or (blocked["on"] and "markercluster.js" in r.request.url)
            else r.continue_()
        ),
    )
    tab = context.new_page()
    tab.goto(f"{site_url}/carte/")
    button = tab.get_by_role("button", name="Explorer la carte : zoom et fond de carte")
    button.click()
    notice = tab.get_by_role("alert")
    notice.wait_for()
    assert notice.inner_text() == (
        "La carte interactive n'a pas pu être chargée. La carte dessinée et la liste ci-dessous donnent "
        "les mêmes informations."
    )
    assert tab.locator("#carte svg.static-map").is_visible() and button.is_visible()
    blocked["on"] = False
    button.click()
    tab.wait_for_selector("#carte[data-pret=oui]")
    assert notice.is_hidden()
    assert count_markers(tab, "offres") == len(sample_site.open_offers)
    context.close()


@pytest.mark.browser
def test_map_page_without_javascript_lists_everything(browser, site_url, sample_site):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(f"{site_url}/carte/")
    # The drawn map and its legend, and no button for a map that cannot start; the boxes still
    # show or hide each kind of marker (CSS).
    assert tab.locator("#carte svg.static-map").is_visible()
    assert tab.get_by_role("button", name=EXPLORE).count() == 0
    assert tab.locator(".static-partenaires").is_visible()
    tab.get_by_role("checkbox", name="Partenaires").uncheck()
    assert tab.locator(".static-partenaires").is_hidden() and tab.locator(".static-offres").is_visible()
    assert tab.locator(".fallback-partners a").count() == len(sample_site.partners)
    assert tab.locator(".fallback-offers a").count() == len(sample_site.open_offers)
    context.close()


@pytest.mark.browser
def test_fallback_list_works_with_tab_and_enter(page):
    page.goto(f"{page.base}/carte/")
    page.get_by_role("button", name=EXPLORE).wait_for()
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
        tab.get_by_role("button", name="Explorer la carte : zoom et fiche de chaque repère", exact=True).wait_for()
        explore(tab)
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
    start), a legend naming both kinds of marker, and 44 px targets that differ by shape, none
    covering another's shape."""
    # Reduced motion: zooming is immediate (no animation to wait for; the site turns them off).
    context = browser.new_context(viewport={"width": width, "height": 800}, reduced_motion="reduce")
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith("http://127.0.0.1") else r.abort())
    tab = context.new_page()
    tab.add_init_script(
        "window.__shift = 0; new PerformanceObserver(l => l.getEntries().forEach(e => { if (!e.hadRecentInput) window.__shift += e.value; }))"
        ".observe({type: 'layout-shift', buffered: true});"
    )
    tab.goto(f"{site_url}/carte/")
    place = "(() => { const r = document.getElementById('carte').getBoundingClientRect(); return [r.left, r.top + scrollY, r.width, r.height]; })()"
    drawn = tab.evaluate(place)
    explore(tab)
    assert tab.evaluate(place) == drawn  # the same box, drawn map or Leaflet's
    tab.locator("#carte-fond-absent").wait_for(state="visible")  # tiles blocked: the notice overlays the map
    # The observer's last entries are delivered once the next frames are drawn.
    tab.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r))))")
    assert tab.evaluate("window.__shift") == 0
    legend = tab.locator(".map-layers")
    assert "Légende" in legend.locator("legend").inner_text()
    assert legend.locator("label", has_text="Partenaires").locator("svg path").count() == 1  # a diamond
    assert legend.locator("label", has_text="Offres ouvertes").locator("svg circle").count() == 1  # a disc
    sizes = tab.evaluate(
        "[...document.querySelectorAll('.leaflet-marker-icon')].map(e => { const r = e.getBoundingClientRect(); return [e.className, r.width, r.height]; })"
    )
    assert sizes and all(w >= 44 and h >= 44 for _, w, h in sizes), sizes
    # No target covers the visible shape of another one (partners and offers are clustered
    # together, as soon as their targets would cover each other's shapes): a tap on a shape,
    # at its centre or near its edges, reaches that marker.
    covered = tab.evaluate(
        """(() => { const out = [];
           document.querySelectorAll('#carte .leaflet-marker-icon').forEach(icon => {
             const r = icon.firstElementChild.getBoundingClientRect();
             const cx = r.left + r.width / 2, cy = r.top + r.height / 2;
             [[0, 0], [-.4, 0], [.4, 0], [0, -.4], [0, .4]].forEach(([dx, dy]) => {
               const hit = document.elementFromPoint(cx + dx * r.width, cy + dy * r.height);
               const owner = hit && hit.closest('.leaflet-marker-icon');
               if (owner && owner !== icon) out.push([icon.className, owner.className]);
             });
           });
           return out; })()"""
    )
    assert covered == [], covered
    # Zoomed in until single markers of both kinds show (at 375 px, clusters may hold them all).
    for _ in range(6):
        if (
            tab.locator(".leaflet-marker-icon.marker-partenaire").count()
            and tab.locator(".leaflet-marker-icon.marker-offre").count()
        ):
            break
        tab.locator(".leaflet-control-zoom-in").click()
        tab.wait_for_function("() => !document.querySelector('#carte').classList.contains('leaflet-zoom-anim')")
    shapes = tab.evaluate(
        """['marker-partenaire', 'marker-offre'].map(c => { const s = document.querySelector('.' + c + ' span');
           return s ? [getComputedStyle(s).borderRadius, getComputedStyle(s).transform !== 'none'] : null; })"""
    )
    assert shapes[0] is not None and shapes[1] is not None
    assert shapes[0] != shapes[1]  # a rotated square and a disc, not only two colours
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("motion", ["reduce", "no-preference"])
def test_map_popup_closes_with_escape_and_reduced_motion_stills_the_map(browser, site_url, motion):
    """A marker's popup closes with Escape (the focus goes back to the marker); a visitor who
    asks for reduced motion gets no zoom or cluster animation."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, reduced_motion=motion)
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith("http://127.0.0.1") else r.abort())
    tab = context.new_page()
    tab.goto(f"{site_url}/carte/")
    explore(tab)
    # (Leaflet marks its tile containers and its vector layer's svg, the territory's outline,
    # whether or not zooms are animated.)
    animated = tab.locator("#carte .leaflet-zoom-animated:not(.leaflet-tile-container):not(svg)").count()
    assert (animated == 0) == (motion == "reduce"), tab.locator(
        "#carte .leaflet-zoom-animated:not(.leaflet-tile-container):not(svg)"
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


def _inside(rings: list, lon: float, lat: float) -> bool:
    """Even-odd rule over every ring of the outline."""
    inside = False
    for ring in rings:
        for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False):
            if (y0 > lat) != (y1 > lat) and lon < x0 + (lat - y0) * (x1 - x0) / (y1 - y0):
                inside = not inside
    return inside


def test_territory_outline_surrounds_every_commune_of_the_territory(built_site, sample_site):
    """carte/territoire.geojson: closed rings around every commune's centre of the territory,
    and nothing far beyond it (Lyon, a reference town, stays outside)."""
    data = geojson(built_site, "territoire.geojson")
    (feature,) = data["features"]
    assert feature["geometry"]["type"] == "MultiLineString"
    assert "approximatif" in feature["properties"]["trace"]
    rings = feature["geometry"]["coordinates"]
    assert rings and all(ring[0] == ring[-1] and len(ring) > 8 for ring in rings)
    communes = sample_site.communes.territory()
    assert len(communes) > 400
    outside = [c.nom for c in communes if not _inside(rings, c.longitude, c.latitude)]
    assert outside == []
    lyon = sample_site.communes.by_code["69123"]
    assert not _inside(rings, lyon.longitude, lyon.latitude)
    # The page names the file, and says in its legend that the outline is approximate.
    page = parse(built_site / "carte" / "index.html")
    assert page.one("#carte").get("data-contour").endswith("/carte/territoire.geojson")
    assert "Contour approximatif du territoire" in page.one(".map-layers").text


# A blank 256 px tile: the tile server « answers », so the map draws its tiles and not the
# fallback picture of the territory.
BLANK_TILE = bytes.fromhex(
    "89504e470d0a1a0a0000000d494844520000010000000100010300000066bc3a2500000003504c5445f2efe9110a2f9b"
    "0000001f4944415478daedc1010d000000c2a0f74f6d0e37a00000000000000000be0d2100000160e49d970000000049454e44ae426082"
)


def map_tab(browser, site_url, width: int, motion: str = "no-preference"):
    """/carte/ at ``width`` px, its tiles answered by BLANK_TILE, ready."""
    context = browser.new_context(viewport={"width": width, "height": 900}, reduced_motion=motion)
    context.route(
        "**/*",
        lambda r: (
            r.continue_()
            if r.request.url.startswith("http://127.0.0.1")
            else r.fulfill(status=200, content_type="image/png", body=BLANK_TILE)
            if r.request.url.startswith(TILE_HOST)
            else r.abort()
        ),
    )
    tab = context.new_page()
    tab.goto(f"{site_url}/carte/")
    explore(tab)
    return context, tab


@pytest.mark.browser
def test_first_view_shows_the_territory_outlined_and_its_markers_one_by_one(browser, site_url, sample_site):
    """Over the tiles, the territory's outline; the first view holds the territory, with the
    markers shown one by one where they do not crowd, and no cluster gathering more than a few."""
    context, tab = map_tab(browser, site_url, 1280)
    tab.wait_for_function("document.querySelectorAll('#carte img.leaflet-tile-loaded').length > 0")
    outline = tab.locator("#carte .leaflet-overlay-pane path.territory-outline")
    assert outline.count() == 1
    assert tab.locator("#carte .leaflet-image-layer").count() == 0  # the tiles came: no fallback picture
    box, drawn = tab.locator("#carte").bounding_box(), outline.bounding_box()
    assert drawn["x"] >= box["x"] and drawn["x"] + drawn["width"] <= box["x"] + box["width"]
    assert drawn["height"] > 0.8 * box["height"] - 40  # the territory fills the view
    singles = tab.locator(".leaflet-marker-icon.marker-offre, .leaflet-marker-icon.marker-partenaire").count()
    clusters = tab.locator(".marker-cluster").all_inner_texts()
    total = len(sample_site.partners) + len(sample_site.open_offers)
    # (Fitted to every marker, with clusters of 80 px, the first view held one marker and
    # clusters of up to 19.)
    assert singles >= 10, (singles, clusters)
    assert max(int(n) for n in clusters) <= total // 5, clusters
    assert count_markers(tab, "offres") == len(sample_site.open_offers)
    assert count_markers(tab, "partenaires") == len(sample_site.partners)
    context.close()


@pytest.mark.browser
def test_offer_popup_shows_photo_price_and_commune_in_the_site_style(browser, site_url, sample_site):
    context, tab = map_tab(browser, site_url, 1280, motion="reduce")
    with_photo = {o.titre: o for o in sample_site.open_offers if o.photos and o.prix}
    shown = tab.locator(".leaflet-marker-icon.marker-offre").evaluate_all("es => es.map(e => e.title)")
    titles = [t for t in shown if t in with_photo]
    assert titles
    offer = with_photo[titles[0]]
    tab.locator(f'.leaflet-marker-icon.marker-offre[title="{titles[0]}"]').click()
    popup = tab.locator(".leaflet-popup-content")
    popup.wait_for()
    assert popup.locator("a").first.inner_text() == offer.titre
    photo = popup.locator("img")
    assert photo.get_attribute("alt") == offer.photos[0]["alt"]
    assert "-480." in photo.get_attribute("src")
    tab.wait_for_function("document.querySelector('.leaflet-popup-content img').complete")
    assert photo.evaluate("i => i.naturalWidth") > 0
    text = popup.inner_text().replace("\u00a0", " ")
    assert offer.place.nom in text
    assert f"{offer.prix:,} €".replace(",", " ") in text
    # The site's type and colours, not Leaflet's 12 px Helvetica and blue links.
    styles = tab.evaluate(
        """() => { const c = getComputedStyle(document.querySelector('.leaflet-popup-content'));
           const a = getComputedStyle(document.querySelector('.leaflet-popup-content a'));
           const b = getComputedStyle(document.body);
           return [c.fontFamily === b.fontFamily, c.fontSize, a.color]; }"""
    )
    assert styles == [True, "16px", "rgb(31, 63, 27)"]
    context.close()
