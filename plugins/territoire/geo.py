"""Distances and shapes from commune centroids: great-circle distance, the nearest town, the
territory's outline (one convex hull per EPCI) and readable commune slugs."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache

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


KM_PER_DEGREE = 111.2


def outline_rings(
    groups: Iterable[list[tuple[float, float]]], margin_km: float, cells: int = 300
) -> list[list[tuple[float, float]]]:
    """See ``_outline_rings``: the same communes, the same outline, drawn once per process (the
    preview draws it at each build otherwise: 30 ms at 5,000 offers)."""
    frozen = tuple(tuple(group) for group in groups)
    return [list(ring) for ring in _outline_rings(frozen, margin_km, cells)]


@lru_cache(maxsize=8)
def _outline_rings(
    groups: tuple[tuple[tuple[float, float], ...], ...], margin_km: float, cells: int
) -> tuple[tuple[tuple[float, float], ...], ...]:
    """The outline of a territory made of groups of communes (one group per EPCI), as closed
    rings of (longitude, latitude), drawn without any boundary data: each group's convex hull,
    widened by ``margin_km`` around its communes' centres, and the union of these hulls, traced
    on a grid of about ``cells`` squares across and smoothed. Linear in communes.

    ``groups``: lists of (latitude, longitude). Outer rings run counter-clockwise, holes
    clockwise; no ring crosses another."""
    groups = [g for g in groups if g]
    if not groups:
        return ()
    lat0 = min(p[0] for g in groups for p in g)
    lon0 = min(p[1] for g in groups for p in g)
    lat1 = max(p[0] for g in groups for p in g)
    lon1 = max(p[1] for g in groups for p in g)
    kx = math.cos(math.radians((lat0 + lat1) / 2))
    span = max((lon1 - lon0) * kx, lat1 - lat0) * KM_PER_DEGREE + 2 * margin_km
    cell = max(span / cells, margin_km / 8, 0.05)
    pad = margin_km + 2 * cell

    def to_grid(lat: float, lon: float) -> tuple[float, float]:
        return ((lon - lon0) * kx * KM_PER_DEGREE + pad) / cell, ((lat - lat0) * KM_PER_DEGREE + pad) / cell

    # Each group's hull, widened: the hull of a circle of points around each commune.
    ring = [(math.cos(2 * math.pi * k / 16), math.sin(2 * math.pi * k / 16)) for k in range(16)]
    r = margin_km / cell
    hulls = []
    for group in groups:
        hull = convex_hull([to_grid(lat, lon) for lat, lon in group])
        hulls.append(convex_hull([(x + r * dx, y + r * dy) for x, y in hull for dx, dy in ring]))
    width = int(max(x for h in hulls for x, _ in h)) + 3
    height = int(max(y for h in hulls for _, y in h)) + 3
    filled = [bytearray(width) for _ in range(height)]
    # Scanlines: a convex polygon meets the line through each row's cell centres in one span.
    for hull in hulls:
        n = len(hull)
        for j in range(max(0, int(min(y for _, y in hull))), min(height, int(max(y for _, y in hull)) + 1)):
            yc = j + 0.5
            xs = []
            for k in range(n):
                (xa, ya), (xb, yb) = hull[k], hull[(k + 1) % n]
                if (ya <= yc < yb) or (yb <= yc < ya):
                    xs.append(xa + (yc - ya) * (xb - xa) / (yb - ya))
            if len(xs) >= 2:
                row = filled[j]
                for i in range(max(0, math.ceil(min(xs) - 0.5)), min(width, math.floor(max(xs) - 0.5) + 1)):
                    row[i] = 1
    rings = _trace(filled, width, height)
    out = []
    for points in rings:
        if abs(_area(points)) < 4:  # a speck of a few cells
            continue
        points = _smooth(_simplify(points, 0.8))
        out.append(
            tuple(
                (
                    round(lon0 + (x * cell - pad) / (kx * KM_PER_DEGREE), 5),
                    round(lat0 + (y * cell - pad) / KM_PER_DEGREE, 5),
                )
                for x, y in points
            )
        )
    return tuple(out)


def _trace(filled: list[bytearray], width: int, height: int) -> list[list[tuple[float, float]]]:
    """The edges between filled and empty cells, chained into closed rings (filled on the left)."""

    def on(i: int, j: int) -> bool:
        return 0 <= i < width and 0 <= j < height and filled[j][i] == 1

    edges: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for j in range(height):
        row = filled[j]
        for i in range(width):
            if not row[i]:
                continue
            if not on(i, j - 1):
                edges[(i, j)].append((i + 1, j))
            if not on(i + 1, j):
                edges[(i + 1, j)].append((i + 1, j + 1))
            if not on(i, j + 1):
                edges[(i + 1, j + 1)].append((i, j + 1))
            if not on(i - 1, j):
                edges[(i, j + 1)].append((i, j))
    rings = []
    for start in sorted(edges):
        while edges[start]:
            points = [start]
            here = edges[start].pop()
            while here != start:
                points.append(here)
                here = edges[here].pop()
            rings.append([(float(x), float(y)) for x, y in points])
    return rings


def _area(points: list[tuple[float, float]]) -> float:
    """Signed area (positive when counter-clockwise)."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1], strict=True)) / 2


def _simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas–Peucker on a closed ring (its first point kept), iterative."""
    closed = points + [points[0]]
    keep = [False] * len(closed)
    keep[0] = keep[-1] = True
    stack = [(0, len(closed) - 1)]
    while stack:
        a, b = stack.pop()
        (xa, ya), (xb, yb) = closed[a], closed[b]
        length = math.hypot(xb - xa, yb - ya)
        best, best_d = None, tolerance
        for k in range(a + 1, b):
            x, y = closed[k]
            d = abs((xb - xa) * (ya - y) - (xa - x) * (yb - ya)) / length if length else math.hypot(x - xa, y - ya)
            if d > best_d:
                best, best_d = k, d
        if best is not None:
            keep[best] = True
            stack += [(a, best), (best, b)]
    return [p for p, k in zip(closed[:-1], keep[:-1], strict=True) if k]


def _smooth(points: list[tuple[float, float]], rounds: int = 2) -> list[tuple[float, float]]:
    """Chaikin's corner cutting on a closed ring: the grid's steps become curves."""
    for _ in range(rounds):
        out = []
        for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1], strict=True):
            out += [(0.75 * x0 + 0.25 * x1, 0.75 * y0 + 0.25 * y1), (0.25 * x0 + 0.75 * x1, 0.25 * y0 + 0.75 * y1)]
        points = out
    return points
