"""A small locator map drawn at build time, as inline SVG (no tile server, no script): the
territory's outline and communes, the reference towns (Clermont-Ferrand, Lyon…), and on each
offer's page its commune and the nearest town, with the distances as the crow flies.

What is the same on every offer page is one file, ``offres/communes.svg`` (``Locator.layer``),
that each page's SVG shows as an image and the browser caches: the outline (each EPCI's convex
hull, widened by a few kilometres, drawn twice so only the outer edge of their union shows), the
communes as faint dots, the reference towns inside the frame and an arrow towards those beyond
it. Only the marked commune and the nearest town are drawn in the page."""

from __future__ import annotations

import functools
import math
from collections import defaultdict

from markupsafe import Markup, escape

from .geo import TOWN_POPULATION, convex_hull, distance_km, located, nearest
from .routes import address

WIDTH = 300
MARGIN = 14
# The outline runs this far around the outermost communes' centres (a commune's own half-width).
OUTLINE_KM = 3.5
# A reference town is drawn inside the map when it lies this close to the territory's frame
# (as a share of the frame's size); farther ones get an arrow on the edge.
FRAME_REACH = 0.2
# Width of the band for towns beyond the frame (left or right; top or bottom).
BAND_X = 56
BAND_Y = 24
INK = "#1d2a2f"
LABEL = 'font-family="system-ui, sans-serif" font-size="11" fill="#1d2a2f" stroke="#fff" stroke-width="3" paint-order="stroke"'
MARK = 'font-family="system-ui, sans-serif" font-size="12" font-weight="700" fill="#222" stroke="#fff" stroke-width="3" paint-order="stroke"'
Box = tuple[float, float, float, float]  # left, top, right, bottom


def _text_width(name: str, size: int, bold: bool = False) -> float:
    """A generous estimate of a label's width: wide sans-serif faces (DejaVu Sans) stay inside."""
    return len(name) * size * (0.68 if bold else 0.62) + 2


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _overlap_area(a: Box, b: Box) -> float:
    return max(0, min(a[2], b[2]) - max(a[0], b[0])) * max(0, min(a[3], b[3]) - max(a[1], b[1]))


def _square(x: float, y: float, half: float) -> Box:
    return (x - half, y - half, x + half, y + half)


def for_site(site) -> Locator:
    """The site's locator: its territory, its reference towns, every commune as a candidate town."""
    towns = [site.commune(code) for code in site.config.TERRITOIRE_VILLES_REPERES]
    return Locator(site.communes.territory(), [t for t in towns if t], site.communes.by_code.values())


# Markers of the static map of /carte/ (the same shapes and colours as carte.js's): a partner is
# a green diamond, an open offer an orange disc, so they differ by shape as well as by colour.
MARKERS = {
    "partenaires": '<path d="M{x} {y0}l6 6-6 6-6-6z" fill="#1f5f3a" stroke="#fff" stroke-width="1.5"/>',
    "offres": '<circle cx="{x}" cy="{y}" r="5" fill="#b5451b" stroke="#fff" stroke-width="1.5"/>',
}


class Locator:
    def __init__(self, communes, towns=(), candidates=()):
        """``communes``: the territory's; ``towns``: the reference towns; ``candidates``: every
        commune (the nearest town is looked for among those of TOWN_POPULATION inhabitants)."""
        points = located(communes)
        self.ok = bool(points)
        self._drawn: dict[tuple[str, str], Markup] = {}
        if not self.ok:
            return
        lat0, lat1 = min(c.latitude for c in points), max(c.latitude for c in points)
        lon0, lon1 = min(c.longitude for c in points), max(c.longitude for c in points)
        reach_lat, reach_lon = (lat1 - lat0) * FRAME_REACH, (lon1 - lon0) * FRAME_REACH
        self.towns = located(towns)
        for town in self.towns:
            if (
                lat0 - reach_lat <= town.latitude <= lat1 + reach_lat
                and lon0 - reach_lon <= town.longitude <= lon1 + reach_lon
            ):
                lat0, lat1 = min(lat0, town.latitude), max(lat1, town.latitude)
                lon0, lon1 = min(lon0, town.longitude), max(lon1, town.longitude)
        self.lat0, self.lat1, self.lon0, self.lon1 = lat0, lat1, lon0, lon1
        self.kx = math.cos(math.radians((lat0 + lat1) / 2))
        span_x = max((lon1 - lon0) * self.kx, 1e-6)
        span_y = max(lat1 - lat0, 1e-6)
        self.scale = (WIDTH - 2 * MARGIN) / max(span_x, span_y)
        self.left = self.top = MARGIN
        self.height = round(span_y * self.scale) + 2 * MARGIN
        self.width = round(span_x * self.scale) + 2 * MARGIN
        # Towns beyond the frame get a band of their own on that side, for their arrow and name.
        self.beyond: dict[str, str] = {}
        for town in self.towns:
            x, y = self.xy(town)
            if 0 <= x <= self.width and 0 <= y <= self.height:
                continue
            dx, dy = x - self.width / 2, y - self.height / 2
            self.beyond[town.insee] = (
                ("right" if dx > 0 else "left")
                if abs(dx) * self.height > abs(dy) * self.width
                else ("bottom" if dy > 0 else "top")
            )
        sides = set(self.beyond.values())
        if "left" in sides:
            self.left += BAND_X
        if "top" in sides:
            self.top += BAND_Y
        self.width += BAND_X * (("left" in sides) + ("right" in sides))
        self.height += BAND_Y * (("top" in sides) + ("bottom" in sides))
        self.frame = (
            self.left - MARGIN,
            self.top - MARGIN,
            round(span_x * self.scale) + 2 * MARGIN,
            round(span_y * self.scale) + 2 * MARGIN,
        )
        # Towns for « the nearest town »: those of the frame, with a margin (linear in communes).
        pad_lat, pad_lon = 0.5, 0.7
        self.candidates = [
            c
            for c in located(candidates)
            if c.population >= TOWN_POPULATION
            and lat0 - pad_lat <= c.latitude <= lat1 + pad_lat
            and lon0 - pad_lon <= c.longitude <= lon1 + pad_lon
        ]
        self._nearest: dict[str, object] = {}
        self.outline = self._outline(points)
        seen = set()
        parts = []
        for c in sorted(points, key=lambda c: c.insee):
            xy = self.xy(c)
            if xy not in seen:
                seen.add(xy)
                parts.append(f"M{xy[0]} {xy[1]}h0")
        self.dots = "".join(parts)

    LAYER = address("offres-communes")

    def _outline(self, points) -> str:
        """One closed path per EPCI: the convex hull of its communes' centres."""
        groups = defaultdict(list)
        for c in points:
            groups[c.epci_siren].append(self.xy(c))
        paths = []
        for siren in sorted(groups):
            hull = convex_hull(groups[siren])
            paths.append("M" + "L".join(f"{x} {y}" for x, y in hull) + "Z")
        return "".join(paths)

    def bounds(self) -> list[float]:
        """[south, west, north, east] of the layer's picture, for laying it on a web map."""
        k = self.kx * self.scale
        return [
            round(self.lat1 - (self.height - self.top) / self.scale, 5),
            round(self.lon0 - self.left / k, 5),
            round(self.lat1 + self.top / self.scale, 5),
            round(self.lon0 + (self.width - self.left) / k, 5),
        ]

    def inside(self, town) -> bool:
        return town.insee not in self.beyond

    LAYER_PLAIN = address("carte-fond")

    def layer(self, plain: bool = False) -> str:
        """The shared layer: the territory's outline, its communes, the reference towns.
        ``plain``: the outline and communes alone, transparent around (laid on the web map)."""
        widen = round(2 * OUTLINE_KM * self.scale / 111.2, 1)
        parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {self.width} {self.height}" width="{self.width}" height="{self.height}">'
        ]
        if not plain:
            parts.append(f'<rect width="{self.width}" height="{self.height}" fill="#f7f8f6"/>')
            parts.append('<rect x="{}" y="{}" width="{}" height="{}" fill="#eef2f5"/>'.format(*self.frame))
        parts += [
            f'<path d="{self.outline}" fill="#5b7a55" stroke="#5b7a55" stroke-width="{widen + 3}" stroke-linejoin="round" stroke-linecap="round"/>',
            f'<path d="{self.outline}" fill="#e3ecdc" stroke="#e3ecdc" stroke-width="{widen}" stroke-linejoin="round" stroke-linecap="round"/>',
            f'<path d="{self.dots}" fill="none" stroke="#8a9a90" stroke-width="2.5" stroke-linecap="round"/>',
        ]
        labels = self._layer_boxes[0]
        for town in sorted(self.towns, key=lambda t: t.insee):
            if self.inside(town):
                parts.append(self._town(town, labels[town.insee]))
            elif not plain:
                parts.append(self._arrow(town))
        parts.append("</svg>\n")
        return "".join(parts)

    def _place(
        self,
        name: str,
        x: float,
        y: float,
        taken: list[Box],
        prefer: tuple[str, ...],
        size: int = 11,
        bold: bool = False,
    ) -> Box:
        """Where a label goes: the first side of its point (``prefer`` first, then the corners)
        where it stays inside the map and clear of every box ``taken`` (labels and markers), else
        the side where it covers least; the box is added to ``taken``."""
        w, h = _text_width(name, size, bold), size + 3
        sides = {
            "above": (x - w / 2, y - 7 - h),
            "below": (x - w / 2, y + 7),
            "right": (x + 9, y - h / 2),
            "left": (x - 9 - w, y - h / 2),
            "above-right": (x + 5, y - 5 - h),
            "below-right": (x + 5, y + 5),
            "above-left": (x - 5 - w, y - 5 - h),
            "below-left": (x - 5 - w, y + 5),
        }
        best, least = None, None
        for side in (*prefer, *(s for s in sides if s not in prefer)):
            left, top = sides[side]
            left = min(max(left, 2), self.width - 2 - w)
            top = min(max(top, 2), self.height - 2 - h)
            box = (round(left), round(top), round(left + w), round(top + h))
            covered = sum(_overlap_area(box, t) for t in taken)
            if least is None or covered < least:
                best, least = box, covered
            if not covered:
                break
        taken.append(best)
        return best

    @staticmethod
    def _label(name: str, box: Box, style: str = LABEL, size: int = 11) -> str:
        return f'<text x="{box[0]}" y="{round(box[1] + 1 + size * 0.85)}" {style}>{escape(name)}</text>'

    @functools.cached_property
    def _layer_boxes(self) -> tuple[dict[str, Box], list[Box]]:
        """The shared layer's town labels (town code → box) and every box it fills (markers,
        labels, arrows' names): the labels of an offer's page keep clear of them."""
        taken: list[Box] = []
        inside = [t for t in sorted(self.towns, key=lambda t: t.insee) if self.inside(t)]
        for town in inside:
            taken.append(_square(*self.xy(town), 5))
        for town in self.towns:
            if not self.inside(town):
                taken.append(self._arrow_parts(town)[3])
        labels = {t.insee: self._place(t.nom, *self.xy(t), taken, ("above", "below", "right", "left")) for t in inside}
        return labels, taken

    def _town(self, town, box: Box) -> str:
        x, y = self.xy(town)
        return (
            f'<rect x="{x - 4}" y="{y - 4}" width="8" height="8" fill="{INK}" stroke="#fff" stroke-width="1.5"/>'
            + self._label(town.nom, box)
        )

    def _arrow(self, town) -> str:
        """An arrow in the band on the side of a town beyond the frame, with its name."""
        ex, ey, angle, box = self._arrow_parts(town)
        return (
            f'<path d="M-9 -6L0 0L-9 6Z" fill="{INK}" transform="translate({round(ex)} {round(ey)}) rotate({round(angle)})"/>'
            + self._label(town.nom, box)
        )

    def _arrow_parts(self, town) -> tuple[float, float, float, Box]:
        """The arrow's tip, its angle and its name's box (inside the map)."""
        side = self.beyond[town.insee]
        fx, fy, fw, fh = self.frame
        cx, cy = fx + fw / 2, fy + fh / 2
        tx, ty = self.xy(town)
        angle = math.degrees(math.atan2(ty - cy, tx - cx))
        if side in ("left", "right"):
            ex = fx + fw + BAND_X - 10 if side == "right" else 10
            ey = min(max(cy + (ty - cy) * (ex - cx) / (tx - cx), fy + 24), fy + fh - 10)
            lx, ly, anchor = (self.width - 3, ey - 12, "end") if side == "right" else (3, ey - 12, "start")
        else:
            ey = fy + fh + BAND_Y - 8 if side == "bottom" else 8
            ex = min(max(cx + (tx - cx) * (ey - cy) / (ty - cy), fx + 40), fx + fw - 40)
            lx, ly, anchor = ex + 12, ey + 4, "start"
        w = _text_width(town.nom, 11)
        left = min(max(lx - w if anchor == "end" else lx, 2), self.width - 2 - w)
        top = min(max(ly - 11, 2), self.height - 16)
        return ex, ey, angle, (round(left), round(top), round(left + w), round(top + 14))

    def xy(self, commune) -> tuple[int, int]:
        x = self.left + (commune.longitude - self.lon0) * self.kx * self.scale
        y = self.top + (self.lat1 - commune.latitude) * self.scale
        return round(x), round(y)

    def nearest_town(self, commune):
        if commune.insee not in self._nearest:
            self._nearest[commune.insee] = nearest(commune, self.candidates)
        return self._nearest[commune.insee]

    def distances(self, commune) -> list[tuple[object, int, bool]]:
        """(town, km rounded, is the nearest town) for the nearest town, then the reference
        towns by distance; the commune itself is left out."""
        if not self.ok or commune is None or commune.latitude is None:
            return []
        found = []
        town = self.nearest_town(commune)
        if town is not None:
            found.append((town, round(distance_km(commune, town)), True))
        refs = sorted((round(distance_km(commune, t)), t.insee, t) for t in self.towns if t.insee != commune.insee)
        found += [(t, km, False) for km, _, t in refs if town is None or t.insee != town.insee]
        return found

    def svg(self, commune, siteurl: str = "") -> Markup:
        """The locator map of ``commune`` (offers in one commune share it: drawn once)."""
        if not self.ok or commune is None or commune.latitude is None:
            return Markup("")
        key = (commune.insee, siteurl)
        drawn = self._drawn.get(key)
        if drawn is None:
            drawn = self._drawn[key] = self._svg(commune, siteurl)
        return drawn

    def _svg(self, commune, siteurl: str) -> Markup:
        x, y = self.xy(commune)
        town = self.nearest_town(commune)
        extra = ""
        taken = [*self._layer_boxes[1], _square(x, y, 9)]
        if town is not None and town.insee not in {t.insee for t in self.towns} and self.inside(town):
            tx, ty = self.xy(town)
            taken.append(_square(tx, ty, 5))
            away = ("below", "right", "left", "above") if ty > y else ("above", "right", "left", "below")
            extra = (
                f'<path d="M{x} {y}L{tx} {ty}" stroke="{INK}" stroke-width="1.2" stroke-dasharray="3 3"/>'
                + self._town(town, self._place(town.nom, tx, ty, taken, away))
            )
        own = self._place(commune.nom, x, y, taken, ("above", "below", "right", "left"), size=12, bold=True)
        words = ", ".join(f"{t.nom} à {km} km" for t, km, _ in self.distances(commune))
        label = f"Carte de situation : {commune.nom} ({commune.epci_nom}) dans le territoire." + (
            f" À vol d'oiseau : {words}." if words else ""
        )
        return Markup(
            f'<svg class="locator" viewBox="0 0 {self.width} {self.height}" width="{self.width}" height="{self.height}" role="img" aria-labelledby="locator-titre">'
            f'<title id="locator-titre">{escape(label)}</title>'
            f'<image class="locator-communes" href="{escape(siteurl)}/{self.LAYER}" width="{self.width}" height="{self.height}"/>'
            f"{extra}"
            f'<circle cx="{x}" cy="{y}" r="7" fill="#b5451b" stroke="#fff" stroke-width="2"/>'
            + self._label(commune.nom, own, MARK, 12)
            + "</svg>"
        )

    def static_map(self, layers: dict[str, list], label: str, siteurl: str = "") -> Markup:
        """The whole territory with a marker per record, for /carte/ without JavaScript:
        ``layers`` maps a marker kind of MARKERS to communes (one marker each, repeats allowed)."""
        if not self.ok:
            return Markup("")
        parts = [
            f'<svg class="static-map" viewBox="0 0 {self.width} {self.height}" preserveAspectRatio="xMidYMid meet" role="img" aria-label="{escape(label)}">',
            f'<image href="{escape(siteurl)}/{self.LAYER}" width="{self.width}" height="{self.height}"/>',
        ]
        for kind, communes in layers.items():
            parts.append(f'<g class="static-{kind}">')
            for commune in sorted({c.insee: c for c in located(communes)}.values(), key=lambda c: c.insee):
                x, y = self.xy(commune)
                parts.append(MARKERS[kind].format(x=x, y=y, y0=y - 6))
            parts.append("</g>")
        parts.append("</svg>")
        return Markup("".join(parts))
