"""The few rules the site's scripts must apply in the browser, on what a visitor types or picks
(theme/static/js/commun.js), give what their Python twins give: name folding, numbers, distance."""

from __future__ import annotations

import pytest
from territoire.communes import fold
from territoire.formats import number, plural
from territoire.geo import distance_km


@pytest.fixture
def commun(page):
    """commun.js, imported in Chromium as the pages import it."""
    page.goto(f"{page.base}/offres/")
    return lambda expression, arg: page.evaluate(
        f"async (arg) => {{ const m = await import('{page.base}/theme/js/commun.js'); return {expression}; }}", arg
    )


@pytest.mark.browser
def test_fold_is_python_fold_for_every_commune_and_partner(commun, sample_site):
    names = [c.nom for c in sample_site.communes.territory()] + [p.nom for p in sample_site.partners.values()]
    names += ["Saint-Rémy-sur-Durolle", "L'Œuf  d’or", "SAINT ÉTIENNE", "Port-Saint-Père"]
    assert commun("arg.map(m.fold)", names) == [fold(n) for n in names]


@pytest.mark.browser
def test_numbers_and_plurals_are_python_formats(commun):
    values = [0, 1, 2, 7, 999, 1000, 12500, 1234567]
    assert commun("arg.map((n) => m.number(n))", values) == [number(n) for n in values]
    assert commun("arg.map((n) => m.plural(n, 'offre', 'offres'))", values) == [plural(n, "offre") for n in values]


@pytest.mark.browser
def test_distance_is_python_distance(commun, sample_site):
    located = [c for c in sample_site.communes.territory() if c.latitude is not None][::25]
    pairs = [(a, b) for a in located for b in located]
    js = commun(
        "arg.map(([a, b]) => m.distanceKm(a, b))",
        [[[a.latitude, a.longitude], [b.latitude, b.longitude]] for a, b in pairs],
    )
    assert js == pytest.approx([distance_km(a, b) for a, b in pairs], abs=1e-9)
