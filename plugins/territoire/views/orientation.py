"""« Trouver un accompagnement »: the tool (/trouver-un-accompagnement/), its data files,
and a pre-rendered page per sector and stage for visitors without JavaScript."""

from __future__ import annotations

from ..models import ETAPES, SECTEURS
from ..orientation import SCOPE_DEPARTEMENT, SCOPE_EPCI, Match, communes_file, data_file
from ..routes import address
from .map import write_json

BASE = address("orientation")


def write(gen, site) -> None:
    siteurl = site.config.SITEURL
    desk, results = gen.derived.orientation.desk, gen.derived.orientation.results
    write_json(gen, address("orientation-partenaires"), {**data_file(site, siteurl), **tool_answers(gen, site, desk)})
    write_json(gen, address("orientation-communes"), communes_file(site))
    gen.render(f"{BASE}index.html", "pages/orientation", secteurs=SECTEURS, etapes=ETAPES, desk=desk, base=BASE)
    for secteur, secteur_label in SECTEURS.items():
        for etape, etape_label in ETAPES.items():
            groups = results[secteur, etape]
            gen.render(
                f"{address('orientation-resultats', secteur=secteur, etape=etape)}index.html",
                "pages/orientation-resultats",
                secteur=secteur,
                etape=etape,
                secteur_label=secteur_label,
                etape_label=etape_label,
                groups=groups,
                desk=desk,
                base=BASE,
            )


def tool_answers(gen, site, desk) -> dict:
    """What orientation.js shows, all computed here: the answer for every sector, stage and place
    (orientation.answers, derived with the rest), each partner's result as the pre-rendered pages show it (one per
    scope, from partials/orientation-partenaire.html), and the welcome desk's notice for no
    answer (partials/orientation-accueil.html, its first paragraph left for the script's text)."""
    siteurl = gen.siteurl_for(f"{BASE}index.html")
    found = gen.derived.orientation.answers
    shown = sorted(
        {pid for by_place in found.values() for scopes in by_place.values() for ids in scopes for pid in ids}
    )
    partial = gen.get_template("partials/orientation-partenaire")

    def result(pid: str, scope: str) -> str:
        return partial.render(gen.context, SITEURL=siteurl, m=Match(site.partners[pid], scope)).strip()

    notice = gen.get_template("partials/orientation-accueil")
    return {
        "reponses": found,
        "fiches": {pid: {scope: result(pid, scope) for scope in (SCOPE_EPCI, SCOPE_DEPARTEMENT)} for pid in shown},
        "sans_reponse": notice.render(gen.context, SITEURL=siteurl, desk=desk, none_text="").strip(),
    }
