"""Every kind of page in Chromium, from the local HTTP server, at a phone's and a desktop's width:
no console error, no failed request, nothing requested outside 127.0.0.1; axe-core finds no
WCAG 2.0/2.1 A or AA violation; the filter panel, the orientation tool and the map's fallback
list work with the keyboard alone.

PAGES is the specification: one entry per kind of page. A page missing from the built site is a
failure (never a skip): its feature has not landed yet, or it broke."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
CAPTURES = Path(__file__).resolve().parents[1] / "output-captures"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = [375, 1280]
PHONE = 320  # the narrowest phone in use: every page fits it (captured for the gallery too)
GALLERY_WIDTHS = [PHONE, *WIDTHS]


def _offer(status: str) -> Callable:
    """Path of the first published offer with this status (open offers: not expired), one with
    photos first: the page as most offers show it."""

    def find(site) -> str | None:
        for o in sorted(site.published_offers, key=lambda o: (not o.photos, o.slug)):
            if o.state == status:
                return "/" + o.url
        return None

    return find


def _expired(site) -> str | None:
    for o in sorted(site.published_offers, key=lambda o: o.slug):
        if o.state == "expiree":
            return "/" + o.url
    # An expired offer may not be published at all: then its page must not exist (tested elsewhere).
    return None


def _partner(site) -> str | None:
    return "/" + site.partners[sorted(site.partners)[0]].url if site.partners else None


def _event(site) -> str | None:
    events = site.upcoming_events() or site.events
    return "/" + events[0].url if events else None


# (name, path or function(site) -> path, issue that brings the page). ONE list: the spec.
PAGES: list[tuple[str, str | Callable, str]] = [
    ("accueil", "/", "#1"),
    ("tableau des offres", "/offres/", "#4"),
    ("page de facette (secteur)", "/offres/secteur/commerce/", "#4"),
    ("page de commune", "/offres/commune/ambert/", "#14"),
    ("offres par commune", "/offres/commune/", "#4"),
    ("offre disponible", _offer("disponible"), "#4"),
    ("offre en négociation", _offer("en-negociation"), "#4"),
    ("offre conclue", _offer("conclue"), "#4"),
    ("offre retirée", _offer("retiree"), "#4"),
    ("offre expirée", _expired, "#4"),
    ("offres conclues", "/offres/conclues/", "#4"),
    ("alertes", "/offres/alertes/", "#4"),
    ("données ouvertes", "/donnees-ouvertes/", "#4"),
    ("recherche", "/recherche/", "#4"),
    ("liste des partenaires", "/partenaires/", "#5"),
    ("partenaire", _partner, "#5"),
    ("carte", "/carte/", "#5"),
    ("trouver un accompagnement", "/trouver-un-accompagnement/", "#5"),
    ("qui fait quoi", "/qui-fait-quoi/", "#5"),
    ("événements", "/evenements/", "#6"),
    ("événement", _event, "#6"),
    ("plaquette d'accueil", "/accueil/", "#6"),
    ("page de la plaquette", "/accueil/s-installer/", "#6"),
    ("bilan du réseau", "/reseau/bilan/", "#6"),
    ("mentions légales", "/mentions-legales/", "#1"),
    ("accessibilité", "/accessibilite/", "#1"),
    ("page 404", "/404.html", "#7"),
]
NAMES = [name for name, _, _ in PAGES]


def capture_name(name: str, width: int) -> str:
    """« page de facette (secteur) », 375 → « 375-page-de-facette-secteur.png »."""
    from territoire.slugs import slugify

    return f"{width}-{slugify(name)}.png"


def page_path(name: str, built_site: Path, sample_site) -> str:
    """The URL path of a page of PAGES; fails clearly when the built site does not have it."""
    _, spec, issue = next(p for p in PAGES if p[0] == name)
    path = spec(sample_site) if callable(spec) else spec
    if path is None:
        pytest.fail(f"Page « {name} » : le contenu d'exemple n'en fournit aucune (attendue : {issue}).")
    file = built_site / path.lstrip("/")
    if path.endswith("/"):
        file = file / "index.html"
    if not file.is_file():
        pytest.fail(
            f"Page « {name} » ({path}) absente du site construit : attendue par le ticket {issue} (pas encore fusionné, ou cassé)."
        )
    return path


def _tile_host() -> str:
    """Host of the configured map tiles: the only outside host a page may ask (blocked in tests)."""
    from territoire.build import read_settings

    return urlsplit(read_settings().get("TERRITOIRE_CARTE_TUILES", "")).netloc


TILE_HOST = _tile_host()


def _is_tile(url: str) -> bool:
    return bool(TILE_HOST) and urlsplit(url).netloc == TILE_HOST


def _watch(page) -> dict:
    """Console errors, failed requests and error responses; blocked map tiles are expected."""
    seen = {"failed": [], "errors": [], "console": []}

    def console(m):
        if m.type == "error" and not (
            m.text.startswith("Failed to load resource") and _is_tile(m.location.get("url", ""))
        ):
            seen["console"].append(m.text)

    page.on("console", console)
    page.on(
        "requestfailed",
        lambda r: seen["failed"].append(f"{r.url} ({r.failure})") if r.url not in page.outside_requests else None,
    )
    page.on("response", lambda r: seen["errors"].append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on("pageerror", lambda e: seen["console"].append(f"exception : {e}"))
    return seen


@pytest.mark.parametrize("width", WIDTHS, ids=lambda w: f"{w}px")
@pytest.mark.parametrize("name", NAMES)
def test_page_loads_cleanly(page, built_site, sample_site, name, width):
    path = page_path(name, built_site, sample_site)
    page.set_viewport_size({"width": width, "height": 800})
    seen = _watch(page)
    response = page.goto(page.base + path, wait_until="networkidle")
    assert response is not None and response.status == 200, f"{path} : statut HTTP {response and response.status}"
    problems = (
        [f"erreur de console : {e}" for e in seen["console"]]
        + [f"requête échouée : {f}" for f in seen["failed"]]
        + [f"réponse en erreur : {e}" for e in seen["errors"]]
        + [f"requête hors de 127.0.0.1 (bloquée) : {u}" for u in page.outside_requests if not _is_tile(u)]
    )
    assert not problems, f"{name} ({path}) à {width} px :\n  " + "\n  ".join(problems)
    assert page.locator("h1").count() == 1, f"{name} ({path}) : une seule balise h1 attendue"


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})"
        ".then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " targets: v.nodes.map(n => n.target.join(' ')), summary: v.nodes.length ? v.nodes[0].failureSummary : ''})))",
        AXE_TAGS,
    )


def describe_violations(violations: list[dict]) -> str:
    """Violations in French, one block per rule: rule, impact, what it checks, which elements."""
    impacts = {"critical": "critique", "serious": "grave", "moderate": "modéré", "minor": "mineur"}
    lines = []
    for v in violations:
        lines.append(f"• règle {v['id']} (gravité : {impacts.get(v['impact'], v['impact'])}) — {v['help']}")
        for target in v["targets"][:10]:
            lines.append(f"    élément : {target}")
        if len(v["targets"]) > 10:
            lines.append(f"    … et {len(v['targets']) - 10} autres éléments")
        if v["summary"]:
            lines.append("    à corriger : " + v["summary"].replace("\n", " ").strip())
    return "\n".join(lines)


@pytest.mark.parametrize("width", WIDTHS, ids=lambda w: f"{w}px")
@pytest.mark.parametrize("name", NAMES)
def test_no_accessibility_violation(page, built_site, sample_site, name, width):
    """axe-core on every kind of page; the page is captured on the way for the gallery
    (output-captures/, see README)."""
    path = page_path(name, built_site, sample_site)
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(page.base + path, wait_until="networkidle")
    capture = CAPTURES / capture_name(name, width)
    page.screenshot(path=str(capture), full_page=True)
    assert capture.stat().st_size > 1000, capture
    violations = axe_violations(page)
    assert not violations, (
        f"axe-core : {len(violations)} règle(s) WCAG A/AA non respectée(s) sur « {name} » ({path}) à {width} px :\n"
        + describe_violations(violations)
    )


@pytest.mark.parametrize("name", NAMES)
def test_page_fits_a_320_px_phone(page, built_site, sample_site, name):
    """No page scrolls sideways on a 320 px phone: the document is exactly as wide as the
    screen (a wide table may scroll inside its own box). Captured for the gallery."""
    path = page_path(name, built_site, sample_site)
    page.set_viewport_size({"width": PHONE, "height": 640})
    page.goto(page.base + path, wait_until="networkidle")
    page.screenshot(path=str(CAPTURES / capture_name(name, PHONE)), full_page=True)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    wide = page.evaluate(
        """w => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > w + 0.5
            && !e.closest('.table-scroll, .nav-menu:not([open]) .nav')).slice(0, 5)
            .map(e => `${e.tagName.toLowerCase()}.${e.className} (${Math.round(e.getBoundingClientRect().right)} px)`)""",
        PHONE,
    )
    assert width == PHONE, f"« {name} » ({path}) fait {width} px de large sur un écran de {PHONE} px : {wide}"


def _menu_links(tab) -> list[dict]:
    return tab.locator(".site-header nav a").evaluate_all(
        "els => els.map(a => { const r = a.getBoundingClientRect(); const x = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);"
        " return {text: a.textContent.trim(), left: r.left, right: r.right, height: r.height, visible: a.checkVisibility(), hit: x === a || a.contains(x)}; })"
    )


@pytest.mark.parametrize("javascript", [True, False], ids=["avec-js", "sans-js"])
def test_every_menu_item_reachable_on_a_phone(browser, site_url, javascript):
    """At 320 px the seven sections are behind « Menu » (a native disclosure, so it works
    without JavaScript too): once it is open every link is on screen, whole, on top of the page,
    and Tab reaches each one; at 1280 px they show without the button."""
    context = browser.new_context(
        viewport={"width": PHONE, "height": 640}, java_script_enabled=javascript, locale="fr-FR"
    )
    try:
        tab = context.new_page()
        tab.goto(site_url + "/offres/")
        menu = tab.locator(".site-header summary")
        assert menu.inner_text().strip() == "Menu"
        assert not any(link["visible"] for link in _menu_links(tab)), "le menu est replié au chargement"
        menu.click()
        links = _menu_links(tab)
        assert [link["text"] for link in links][:2] == ["Offres d'activités", "Trouver un accompagnement"]
        assert len(links) == 7
        for link in links:
            assert link["visible"] and link["hit"], f"« {link['text']} » n'est pas visible une fois le menu ouvert"
            assert link["left"] >= 0 and link["right"] <= PHONE and link["height"] >= 44, link
        assert tab.evaluate("() => document.documentElement.scrollWidth") == PHONE
        # The keyboard: from the top of the page, Tab reaches the button then every link.
        tab.goto(site_url + "/offres/")
        _tab_to(tab, ".site-header summary")
        tab.keyboard.press("Enter")
        order = _focus_order(tab, limit=12)
        assert [t for t in order if t in {link["text"] for link in links}] == [link["text"] for link in links]
        # Wide screens: the sections in a row, no button.
        tab.set_viewport_size({"width": 1280, "height": 800})
        tab.goto(site_url + "/offres/")
        assert not menu.is_visible()
        assert all(link["visible"] and link["hit"] for link in _menu_links(tab))
    finally:
        context.close()


def test_axe_detects_a_violation(page, site_url):
    """The accessibility check is real: a page with an unlabelled field and an image without
    alternative text is reported."""
    page.goto(site_url + "/")
    page.evaluate(
        "() => { const m = document.querySelector('main'); const i = document.createElement('input'); i.type = 'text';"
        " m.appendChild(i); const g = document.createElement('img'); g.src = 'data:,'; m.appendChild(g); }"
    )
    ids = {v["id"] for v in axe_violations(page)}
    assert {"label", "image-alt"} <= ids
    assert "règle label" in describe_violations([v for v in axe_violations(page) if v["id"] == "label"])


# Keyboard: Tab and Enter only.


def _tab_to(page, matches: str, limit: int = 150) -> str:
    """Press Tab until the focused element matches the CSS selector; returns its outerHTML."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("sel => document.activeElement && document.activeElement.matches(sel)", matches):
            return page.evaluate("() => document.activeElement.outerHTML")
    pytest.fail(f"Tab n'atteint jamais un élément « {matches} » en {limit} appuis.")


def _ends_with(href: str):
    return re.compile(re.escape(urlsplit(href).path) + "$")


def _focus_order(page, limit: int = 150) -> list[str]:
    """Ids (or text) of the elements Tab visits from the top of the page, once around."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        here = page.evaluate(
            "() => { const e = document.activeElement; return e === document.body ? null : (e.id || e.textContent.trim().slice(0, 60)); }"
        )
        if here is None or (seen and here == seen[0]):
            break
        seen.append(here)
    return seen


def test_keyboard_filter_panel(page, built_site, sample_site):
    page_path("tableau des offres", built_site, sample_site)
    page.goto(page.base + "/offres/?secteur=commerce")
    page.wait_for_selector("#filtres:not([hidden])")
    selects = page.locator("#filtres select").evaluate_all("els => els.map(e => e.id)")
    assert selects, "le panneau de filtres n'a aucune liste"
    order = _focus_order(page)
    missing = [s for s in selects if s not in order]
    assert not missing, f"Tab n'atteint pas les filtres {missing}"
    # Enter on « Effacer les filtres » clears them.
    page.goto(page.base + "/offres/?secteur=commerce")
    page.wait_for_selector("#filtres:not([hidden])")
    _tab_to(page, "#filtres button")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/offres/$"))
    assert page.locator("#filtre-secteur").input_value() == ""


def test_keyboard_facet_links_without_javascript(browser, site_url, built_site, sample_site):
    """Without JavaScript the filters are links: Tab reaches them, Enter opens the facet page."""
    page_path("tableau des offres", built_site, sample_site)
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    try:
        tab = context.new_page()
        tab.goto(site_url + "/offres/")
        html = _tab_to(tab, ".facet-links a")
        href = re.search(r'href="([^"]+)"', html).group(1)
        tab.keyboard.press("Enter")
        tab.wait_for_url(_ends_with(href))
        assert tab.locator(".facet-links a[aria-current=page]").count() == 1
    finally:
        context.close()


def test_keyboard_orientation_tool(page, built_site, sample_site):
    """Tab reaches the sector, stage and commune fields and the button; typing a commune then
    Enter gives the partners to contact."""
    page_path("trouver un accompagnement", built_site, sample_site)
    page.goto(page.base + "/trouver-un-accompagnement/")
    page.wait_for_selector("#orientation[data-pret=oui]")
    order = _focus_order(page)
    for field in ("secteur", "etape", "commune"):
        assert field in order, f"Tab n'atteint pas le champ « {field} » de l'outil d'orientation"
    commune = sample_site.communes.territory()[0].nom
    page.goto(page.base + "/trouver-un-accompagnement/")
    page.wait_for_selector("#orientation[data-pret=oui]")
    _tab_to(page, "#commune")
    page.keyboard.type(commune)
    page.keyboard.press("Enter")  # chooses the suggestion
    _tab_to(page, "#orientation button[type=submit]")
    page.keyboard.press("Enter")
    results = page.locator("#resultats")
    results.wait_for(state="visible")
    assert results.locator("a").count() >= 1, "aucun partenaire proposé après Entrée"
    # The pre-rendered pages of the table are reachable too: Tab, then Enter follows the link.
    page.goto(page.base + "/trouver-un-accompagnement/")
    html = _tab_to(page, ".links-table a")
    href = re.search(r'href="([^"]+)"', html).group(1)
    page.keyboard.press("Enter")
    page.wait_for_url(_ends_with(href))
    assert page.locator("h1").count() == 1


def test_keyboard_map_fallback_list(page, built_site, sample_site):
    """The map's list: Tab reaches « Aller à la liste », Enter moves there; the next Tab reaches
    the first partner of the list and Enter opens it."""
    page_path("carte", built_site, sample_site)
    page.goto(page.base + "/carte/", wait_until="networkidle")
    _tab_to(page, "a[href='#liste-par-epci']")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"#liste-par-epci$"))
    html = _tab_to(page, ".fallback-partners a, .fallback-offers a", limit=20)
    href = re.search(r'href="([^"]+)"', html).group(1)
    page.keyboard.press("Enter")
    page.wait_for_url(_ends_with(href))
    assert page.locator("h1").count() == 1
