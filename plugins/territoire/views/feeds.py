"""Atom feeds of new open offers: all, per sector, per EPCI. Written by hand so that the
output is deterministic: dates come from the offers (publiee_le, mise_a_jour), never "now"."""

from __future__ import annotations

import datetime as dt
from html import escape

from ..models import NATURES, SECTEURS
from ..slugs import slugify
from .exports import plain_summary

LATEST = 50


def _stamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _updated(offer) -> dt.date:
    return max(d for d in (offer.publiee_le, offer.mise_a_jour) if d)


def feed_head(title: str, feed_id: str, base: str, self_url: str, page_url: str, updated: str, author: str) -> list[str]:
    """Opening lines of an Atom document, shared by the offers' and the events' feeds."""
    return [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr">',
        f"  <title>{escape(title, quote=False)}</title>",
        f"  <id>{escape(feed_id)}</id>",
        f'  <link rel="self" href="{escape(base)}/{escape(self_url)}"/>',
        f'  <link rel="alternate" type="text/html" href="{escape(base)}/{escape(page_url)}"/>',
        f"  <updated>{updated}</updated>",
        f"  <author><name>{escape(author, quote=False)}</name></author>",
    ]


def atom(site, offers: list, title: str, self_url: str, page_url: str, siteurl: str) -> str:
    base = siteurl or ""
    entries = offers[:LATEST]
    updated = max((_updated(o) for o in entries), default=site.build_date)
    tag = f"tag:{slugify(site.config.SITENAME or 'site')},2026:"
    feed_id = f"{base}/{self_url}" if base else f"{tag}{self_url}"
    lines = feed_head(title, feed_id, base, self_url, page_url, _stamp(updated), site.config.TERRITOIRE_RESEAU)
    for offer in entries:
        commune = offer.place
        url = f"{base}/{offer.url}"
        entry_id = url if base else f"{tag}{offer.reference}"
        summary = f"{NATURES[offer.nature]} · {SECTEURS[offer.secteur]} · {commune.nom} ({commune.epci_nom}). {plain_summary(offer.description, 300)}"
        lines += [
            "  <entry>",
            f"    <title>{escape(offer.titre, quote=False)}</title>",
            f'    <link rel="alternate" type="text/html" href="{escape(url)}"/>',
            f"    <id>{escape(entry_id)}</id>",
            f"    <published>{_stamp(offer.publiee_le)}</published>",
            f"    <updated>{_stamp(_updated(offer))}</updated>",
            f'    <category term="{escape(offer.secteur)}" label="{escape(SECTEURS[offer.secteur])}"/>',
            f"    <summary>{escape(summary, quote=False)}</summary>",
            "  </entry>",
        ]
    lines.append("</feed>")
    return "\n".join(lines) + "\n"


def write_all(gen, site, board) -> list[dict]:
    """Write every feed; return (kind, label, url, page) for the alerts page."""
    siteurl = site.config.SITEURL
    network = site.config.TERRITOIRE_RESEAU
    listed = []

    def write(offers, title, url, page, kind, label):
        gen.write_data(url, atom(site, offers, title, url, page, siteurl))
        listed.append({"type": kind, "nom": label, "url": url, "page": page, "titre": title, "nombre": len(offers)})

    write(board.offers, f"Nouvelles offres d'activités — {network}", "offres/flux.atom", "offres/", "tout", "Toutes les offres")
    by_sector = board.facets["secteur"]
    for code, label in SECTEURS.items():
        facet = by_sector.get(code)
        page = facet.url if facet else "offres/"
        write(facet.offers if facet else [], f"Nouvelles offres : {label} — {network}", f"offres/secteur/{code}/flux.atom", page, "secteur", label)
    by_epci = board.facets["territoire"]
    names = site.communes.epci_names
    for siren in sorted(site.communes.territory_epci, key=lambda s: names.get(s, s)):
        facet = by_epci.get(siren)
        label = names.get(siren, siren)
        page = facet.url if facet else "offres/"
        write(facet.offers if facet else [], f"Nouvelles offres : {label} — {network}", f"offres/territoire/{siren}/flux.atom", page, "territoire", label)
    return listed
