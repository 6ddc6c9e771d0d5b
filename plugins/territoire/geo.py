"""Distances and shapes from commune centroids: great-circle distance, the nearest town, the
territory's outline (one convex hull per EPCI) and readable commune slugs."""

from __future__ import annotations

import math
from collections.abc import Iterable

from pelican.utils import slugify

EARTH_RADIUS_KM = 6371.0
# A commune counts as a town (« ville ») from this many inhabitants: the nearest town named
# on an offer's map.
TOWN_POPULATION = 5000
# Pelican's slug rules, with apostrophes as word breaks (« Saint-Germain-l'Herm » →
# saint-germain-l-herm): a commune name becomes a readable URL part.
_SLUG_SUBS = [(r"[^\w\s-]", " "), (r"(?u)\A\s*", ""), (r"(?u)\s*\Z", ""), (r"[-\s]+", "-")]


def distance_km(a, b) -> float:
    """Great-circle distance between two communes (anything with latitude and longitude)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def located(communes: Iterable) -> list:
    return [c for c in communes if c is not None and c.latitude is not None and c.longitude is not None]


def nearest(commune, candidates: Iterable):
    """The candidate closest to ``commune`` other than itself (None when there is none)."""
    best, best_d = None, math.inf
    for other in candidates:
        if other.insee == commune.insee:
            continue
        d = distance_km(commune, other)
        if d < best_d:
            best, best_d = other, d
    return best


def convex_hull(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Andrew's monotone chain: the hull's corners, counter-clockwise, without repeats."""
    pts = sorted(set(points))
    if len(pts) < 3:
        return pts

    def cross(o, a, b) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list = []
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def commune_slugs(communes: Iterable) -> dict[str, str]:
    """INSEE code → URL part: the slug of the name, with the code added to homonyms
    (« saint-jean-63350 ») so every commune keeps one address of its own."""
    communes = list(communes)
    slugs = {c.insee: slugify(c.nom, regex_subs=_SLUG_SUBS) or c.insee for c in communes}
    seen: dict[str, int] = {}
    for slug in slugs.values():
        seen[slug] = seen.get(slug, 0) + 1
    return {code: (f"{slug}-{code}" if seen[slug] > 1 else slug) for code, slug in slugs.items()}
