"""The partners: /partenaires/ and a page per partner."""

from __future__ import annotations

from ..models import TYPES_PARTENAIRE


def write(gen, writer, site) -> None:
    groups = []
    for type_code, label in TYPES_PARTENAIRE.items():
        members = sorted((p for p in site.partners.values() if p.type == type_code), key=lambda p: p.nom)
        if members:
            groups.append((label, members))
    gen.render(writer, "partenaires/index.html", "partenaires", groups=groups)
    for partner in site.partners.values():
        offers = [o for o in site.open_offers if o.referent == partner.slug]
        gen.render(writer, f"{partner.url}index.html", "partenaire", partner=partner, offers=offers, commune=site.commune(partner.commune))
