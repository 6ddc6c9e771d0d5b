"""The offer board: /offres/ and a page per offer."""

from __future__ import annotations


def write(gen, writer, site) -> None:
    gen.render(writer, "offres/index.html", "offres", offers=site.open_offers)
    for offer in site.published_offers:
        gen.render(writer, f"{offer.url}index.html", "offre", offer=offer, referent=site.referent(offer), commune=site.commune(offer.commune))
