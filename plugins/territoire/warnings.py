"""Warnings: things worth fixing that never stop a build (unless `invoke validate --strict`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from . import lifecycle
from .problems import Problem

if TYPE_CHECKING:
    from .contentcache import PreviewMemory
    from .site import Offer, Site

STALE_DAYS = 180
EXPIRING_DAYS = 30
SHORT_DESCRIPTION_WORDS = 40
SCHEMA_LINE = "# yaml-language-server: $schema=../schemas/offre.schema.json"


def offer_warnings(site: Site, root: Path, memory: PreviewMemory | None = None) -> list[Problem]:
    """Each offer's warnings (``memory``: the preview's, where an offer whose file has the bytes
    of the last build keeps them: they read nothing else than the file and the build date)."""
    found: list[Problem] = []
    for offer in site.offers:
        digest = site.digests.get(offer.source) if memory is not None else None
        key = ("avertissements de l'offre", offer.source, digest, site.build_date)
        kept = memory.checked(key) if digest else None
        if kept is None:
            kept = _offer_warnings(offer, site.build_date)
        if digest:
            memory.remember_check(key, kept)
        found += kept
    return found


def _offer_warnings(offer: Offer, today: dt.date) -> list[Problem]:
    found: list[Problem] = []

    def warn(field: str, message: str) -> None:
        line, column = offer.positions.key_of(field) if field in offer.data else (1, 1)
        found.append(Problem(offer.source, line, column, message, field, level="avertissement"))

    if offer.positions.first_line != SCHEMA_LINE:
        found.append(
            Problem(
                offer.source,
                1,
                1,
                f"la première ligne devrait être « {SCHEMA_LINE} » : elle permet à l'éditeur de compléter et vérifier les champs pendant la saisie.",
                "",
                "avertissement",
            )
        )
    if not lifecycle.is_open(offer, today) or lifecycle.is_future(offer, today):
        return found
    updated = offer.mise_a_jour or offer.publiee_le
    if today - updated > dt.timedelta(days=STALE_DAYS):
        field = "mise_a_jour" if offer.mise_a_jour else "publiee_le"
        warn(
            field,
            f"l'offre n'a pas été mise à jour depuis le {updated.isoformat()} (plus de {STALE_DAYS} jours) : vérifiez qu'elle est toujours d'actualité, puis indiquez « mise_a_jour: {today.isoformat()} ».",
        )
    if offer.expire_le and today <= offer.expire_le <= today + dt.timedelta(days=EXPIRING_DAYS):
        warn(
            "expire_le",
            f"l'offre expire le {offer.expire_le.isoformat()}, dans moins de {EXPIRING_DAYS} jours : prolongez « expire_le » si elle reste d'actualité.",
        )
    if not offer.photos:
        warn(
            "description",
            "l'offre n'a pas de photo : une photo (avec son texte de remplacement) attire davantage de candidats.",
        )
    words = len(offer.description.split())
    if words < SHORT_DESCRIPTION_WORDS:
        warn(
            "description",
            f"la description est très courte ({words} mots) : décrivez l'activité, le lieu, la clientèle et les conditions (au moins {SHORT_DESCRIPTION_WORDS} mots).",
        )
    return found
