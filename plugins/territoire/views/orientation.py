"""« Trouver un accompagnement »: the tool (/trouver-un-accompagnement/), its data files,
and a pre-rendered page per sector and stage for visitors without JavaScript."""

from __future__ import annotations

from ..models import ETAPES, SECTEURS
from ..orientation import SCOPE_DEPARTEMENT, SCOPE_EPCI, Match, communes_file, data_file
from ..routes import ALL_PARTNERS, CONFIGURATION, Route, address, page
from .map import write_json

BASE = address("orientation")


def write(site, derived, templates) -> list[Route]:
    siteurl = site.config.SITEURL
    desk, results = derived.orientation.desk, derived.orientation.results
    routes = [
        *write_json(
            address("orientation-partenaires"),
            lambda: {**data_file(site, siteurl), **tool_answers(templates, site, derived, desk)},
            (ALL_PARTNERS, CONFIGURATION),
        ),
        *write_json(address("orientation-communes"), lambda: communes_file(site), (CONFIGURATION,)),
        page(
            f"{BASE}index.html",
            "pages/orientation",
            {"secteurs": SECTEURS, "etapes": ETAPES, "desk": desk, "base": BASE},
            (ALL_PARTNERS, CONFIGURATION),
        ),
    ]
    for secteur, secteur_label in SECTEURS.items():
        for etape, etape_label in ETAPES.items():
            context = {
                "secteur": secteur,
                "etape": etape,
                "secteur_label": secteur_label,
                "etape_label": etape_label,
                "groups": results[secteur, etape],
                "desk": desk,
                "base": BASE,
            }
            save_as = f"{address('orientation-resultats', secteur=secteur, etape=etape)}index.html"
            routes.append(page(save_as, "pages/orientation-resultats", context, (ALL_PARTNERS, CONFIGURATION)))
    return routes


def tool_answers(templates, site, derived, desk) -> dict:
    """What orientation.js shows, all computed here: the answer for every sector, stage and place
    (orientation.answers, derived with the rest), each partner's result as the pre-rendered pages show it (one per
    scope, from partials/orientation-partenaire.html), and the welcome desk's notice for no
    answer (partials/orientation-accueil.html, its first paragraph left for the script's text)."""
    siteurl = templates.siteurl_for(f"{BASE}index.html")
    found = derived.orientation.answers
    shown = sorted(
        {pid for by_place in found.values() for scopes in by_place.values() for ids in scopes for pid in ids}
    )
    partial = templates.get_template("partials/orientation-partenaire")

    def result(pid: str, scope: str) -> str:
        return partial.render(templates.context, SITEURL=siteurl, m=Match(site.partners[pid], scope)).strip()

    notice = templates.get_template("partials/orientation-accueil")
    return {
        "reponses": found,
        "fiches": {pid: {scope: result(pid, scope) for scope in (SCOPE_EPCI, SCOPE_DEPARTEMENT)} for pid in shown},
        "sans_reponse": notice.render(templates.context, SITEURL=siteurl, desk=desk, none_text="").strip(),
    }
