"""A small locator map drawn at build time: the territory's communes as faint dots and one
commune marked, as inline SVG (no tile server, no script).

The dots are the same on every offer page: they are one file, ``offres/communes.svg``
(``Locator.layer``), that each page's SVG shows as an image and the browser caches; only the
marked commune and its name are drawn in the page."""

from __future__ import annotations

import math

from markupsafe import Markup, escape

WIDTH = 240
MARGIN = 10


class Locator:
    def __init__(self, communes):
        points = [c for c in communes if c.latitude is not None and c.longitude is not None]
        self.ok = bool(points)
        if not self.ok:
            return
        lats = [c.latitude for c in points]
        lons = [c.longitude for c in points]
        self.lat0, self.lat1 = min(lats), max(lats)
        self.lon0, self.lon1 = min(lons), max(lons)
        self.kx = math.cos(math.radians((self.lat0 + self.lat1) / 2))
        span_x = max((self.lon1 - self.lon0) * self.kx, 1e-6)
        span_y = max(self.lat1 - self.lat0, 1e-6)
        self.scale = (WIDTH - 2 * MARGIN) / max(span_x, span_y)
        self.height = round(span_y * self.scale) + 2 * MARGIN
        self.width = round(span_x * self.scale) + 2 * MARGIN
        seen = set()
        parts = []
        for c in sorted(points, key=lambda c: c.insee):
            xy = self.xy(c)
            if xy not in seen:
                seen.add(xy)
                parts.append(f"M{xy[0]} {xy[1]}h0")
        self.dots = "".join(parts)

    LAYER = "offres/communes.svg"

    def layer(self) -> str:
        """The shared layer: every commune of the territory as a faint dot."""
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {self.width} {self.height}" width="{self.width}" height="{self.height}">'
            f'<path d="{self.dots}" fill="none" stroke="#8a9a90" stroke-width="2.5" stroke-linecap="round"/>'
            "</svg>\n"
        )

    def xy(self, commune) -> tuple[int, int]:
        x = MARGIN + (commune.longitude - self.lon0) * self.kx * self.scale
        y = MARGIN + (self.lat1 - commune.latitude) * self.scale
        return round(x), round(y)

    def svg(self, commune, siteurl: str = "") -> Markup:
        if not self.ok or commune is None or commune.latitude is None:
            return Markup()
        x, y = self.xy(commune)
        label = f"Carte de situation : {commune.nom} ({commune.epci_nom}) parmi les communes du territoire."
        return Markup(
            f'<svg class="locator" viewBox="0 0 {self.width} {self.height}" width="{self.width}" height="{self.height}" role="img" aria-labelledby="locator-titre">'
            f'<title id="locator-titre">{escape(label)}</title>'
            f'<image class="locator-communes" href="{escape(siteurl)}/{self.LAYER}" width="{self.width}" height="{self.height}"/>'
            f'<circle cx="{x}" cy="{y}" r="7" fill="#b5451b" stroke="#fff" stroke-width="2"/>'
            f'<text x="{min(max(x, 40), self.width - 40)}" y="{y - 11 if y > 24 else y + 22}" text-anchor="middle" font-size="12" fill="#222" stroke="#fff" stroke-width="3" paint-order="stroke">{escape(commune.nom)}</text>'
            "</svg>"
        )
