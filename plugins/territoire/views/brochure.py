"""The welcome brochure: the pages under /accueil/, in the order of their `Ordre` metadata,
with a table of contents and previous / next links (see pages/page.html)."""

from __future__ import annotations

import re

from markupsafe import Markup

from ..formats import number
from ..routes import address

BROCHURE_SLUG = address("accueil").rstrip("/")

# The territory's figures a page may quote: written « {nombre de communes} » in its text, they
# show the number the build computes, the same as on the home page, so pages never disagree
# when the territory's EPCIs, offers or partners change. A name not listed here stays as written.
FIGURES = {
    "nombre de communes": lambda site: len(site.communes.territory()),
    "population": lambda site: sum(c.population or 0 for c in site.communes.territory()),
    "nombre d'offres ouvertes": lambda site: len(site.open_offers),
    "nombre d'offres conclues": lambda site: len(site.concluded_offers),
    "nombre de partenaires": lambda site: len(site.partners),
}
# Markdown may have curled the apostrophe (’ or &rsquo;).
_FIGURE = re.compile(
    r"\{(nombre de communes|population|nombre d(?:'|’|&rsquo;|&#39;)offres (?:ouvertes|conclues)|nombre de partenaires)\}"
)


def fill_figures(html: str, site) -> str:
    """The page's text with each « {figure} » replaced by its number (« 469 », « 12 500 »)."""

    def figure(match: re.Match) -> str:
        name = re.sub(r"’|&rsquo;|&#39;", "'", match.group(1))
        return number(FIGURES[name](site))

    filled = _FIGURE.sub(figure, str(html))
    return Markup(filled) if isinstance(html, Markup) else filled


def brochure_pages(pages: list) -> list:
    chapters = [p for p in pages if p.slug == BROCHURE_SLUG or p.slug.startswith(BROCHURE_SLUG + "/")]
    return sorted(chapters, key=lambda p: (int(getattr(p, "ordre", 99) or 99), p.slug))


def template_context(site, derived, templates) -> dict:
    return {
        "BROCHURE": brochure_pages(templates.context.get("pages", [])),
        "chiffres_du_territoire": lambda html: fill_figures(html, site),
    }


def write(site, derived, templates) -> list:
    """Nothing of its own: Pelican writes the pages, pages/page.html adds the brochure navigation."""
    return []
