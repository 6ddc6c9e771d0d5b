"""The welcome brochure: the pages under /accueil/, in the order of their `Ordre` metadata,
with a table of contents and previous / next links (see pages/page.html)."""

from __future__ import annotations

BROCHURE_SLUG = "accueil"


def brochure_pages(pages: list) -> list:
    chapters = [p for p in pages if p.slug == BROCHURE_SLUG or p.slug.startswith(BROCHURE_SLUG + "/")]
    return sorted(chapters, key=lambda p: (int(getattr(p, "ordre", 99) or 99), p.slug))


def add_context(gen, site) -> None:
    gen.context["BROCHURE"] = brochure_pages(gen.context.get("pages", []))


def write(gen, site) -> None:
    """Nothing of its own: Pelican writes the pages, pages/page.html adds the brochure navigation."""
