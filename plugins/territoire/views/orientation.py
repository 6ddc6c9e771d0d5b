"""« Trouver un accompagnement »: the tool (/trouver-un-accompagnement/), its data files,
and a pre-rendered page per sector and stage for visitors without JavaScript."""

from __future__ import annotations

from ..models import ETAPES, SECTEURS
from ..orientation import communes_file, data_file
from .map import write_json

BASE = "trouver-un-accompagnement/"


def write(gen, site) -> None:
    siteurl = site.config.SITEURL
    desk, results = gen.derived.orientation.desk, gen.derived.orientation.results
    write_json(gen, f"{BASE}partenaires.json", data_file(site, siteurl))
    write_json(gen, f"{BASE}communes.json", communes_file(site))
    gen.render(f"{BASE}index.html", "pages/orientation", secteurs=SECTEURS, etapes=ETAPES, desk=desk, base=BASE)
    for secteur, secteur_label in SECTEURS.items():
        for etape, etape_label in ETAPES.items():
            groups = results[secteur, etape]
            gen.render(
                f"{BASE}{secteur}/{etape}/index.html",
                "pages/orientation-resultats",
                secteur=secteur,
                etape=etape,
                secteur_label=secteur_label,
                etape_label=etape_label,
                groups=groups,
                desk=desk,
                base=BASE,
            )
