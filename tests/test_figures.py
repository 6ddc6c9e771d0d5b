"""The yearly figures, recomputed independently from the sample files, match the page and CSV;
the founding document's indicators, entered per year in content/bilan/, are validated, shown and
charted; the charts read at a phone's width."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import statistics
from collections import Counter

import pytest
import yaml
from conftest import ROOT
from territoire.communes_data import kit_communes
from territoire.models import SECTEURS

BUILD = dt.date(2026, 11, 22)


def raw_offers() -> list[dict]:
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "offers").glob("*.yaml"))]


def expected(year: int) -> dict:
    offers = [o for o in raw_offers() if o["publiee_le"].year == year and o["publiee_le"] <= BUILD]
    state = Counter()
    for o in offers:
        expired = o.get("expire_le") and o["expire_le"] < BUILD
        if o["statut"] == "conclue":
            state["conclues"] += 1
        elif o["statut"] == "retiree" or expired:
            state["retirees_ou_expirees"] += 1
        elif o["statut"] == "en-negociation":
            state["en_negociation"] += 1
        else:
            state["disponibles"] += 1
    concluded_in_year = [o for o in raw_offers() if o.get("conclue_le") and o["conclue_le"].year == year]
    events = 0
    for path in (ROOT / "content" / "evenements").glob("*.md"):
        data = yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])
        start, end = (dt.datetime.strptime(data[k], "%Y-%m-%d %H:%M") for k in ("debut", "fin"))
        events += start.year == year and end.date() <= BUILD
    year_end = min(dt.date(year, 12, 31), BUILD)
    open_at_end = 0
    for o in raw_offers():
        if o["publiee_le"] > year_end:
            continue
        if o["statut"] == "conclue" and o["conclue_le"] <= year_end:
            continue
        if o["statut"] == "retiree" and o.get("mise_a_jour", o["publiee_le"]) <= year_end:
            continue
        if o.get("expire_le") and o["expire_le"] < year_end:
            continue
        open_at_end += 1
    return {
        "publiees": len(offers),
        "ouvertes_fin_annee": open_at_end,
        **{k: state[k] for k in ("disponibles", "en_negociation", "conclues", "retirees_ou_expirees")},
        "taux_conclusion": round(100 * state["conclues"] / len(offers), 1),
        "conclusions": len(concluded_in_year),
        "delai_median_jours": statistics.median((o["conclue_le"] - o["publiee_le"]).days for o in concluded_in_year),
        "contacts": sum(o.get("contacts", 0) for o in offers),
        "evenements": events,
        "partenaires": len(list((ROOT / "content" / "partenaires").glob("*.md"))),
        "secteurs": Counter(o["secteur"] for o in offers),
    }


def test_csv_figures_of_2025_match_an_independent_count(built_site):
    rows = list(csv.DictReader(io.StringIO((built_site / "reseau" / "bilan.csv").read_text(encoding="utf-8"))))
    want = expected(2025)
    got = {r["indicateur"]: r["valeur"] for r in rows if r["annee"] == "2025" and not r["detail"]}
    for key in (
        "publiees",
        "ouvertes_fin_annee",
        "disponibles",
        "en_negociation",
        "conclues",
        "retirees_ou_expirees",
        "conclusions",
        "contacts",
        "evenements",
        "partenaires",
    ):
        assert int(got[key]) == want[key], key
    assert float(got["taux_conclusion"]) == want["taux_conclusion"]
    assert float(got["delai_median_jours"]) == want["delai_median_jours"]
    sectors = {
        r["detail"]: int(r["valeur"]) for r in rows if r["annee"] == "2025" and r["indicateur"] == "offres_par_secteur"
    }
    assert {k: v for k, v in sectors.items() if v} == dict(want["secteurs"])


def test_page_shows_the_same_figures_in_accessible_tables_and_bars(built_site):
    html = (built_site / "reseau" / "bilan" / "index.html").read_text(encoding="utf-8")
    want = expected(2026)
    row = re.search(r'<th scope="row">Offres publiées dans l(?:\'|&#39;)année</th>(.*?)</tr>', html, re.S).group(1)
    assert [int(v) for v in re.findall(r"<td>(\d+)</td>", row)][0] == want["publiees"]  # newest year first
    sectors = html.split("<caption>Offres publiées en 2026 par secteur</caption>")[1].split("</table>")[0]
    shown = dict(re.findall(r'<th scope="row">([^<]+)</th><td><span class="bar-value">(\d+)</span>', sectors))
    assert {k: int(v) for k, v in shown.items() if int(v)} == {SECTEURS[c]: n for c, n in want["secteurs"].items()}
    # The bars are decoration beside the figures: hidden from screen readers, sized by an attribute.
    assert sectors.count('aria-hidden="true"') == len(SECTEURS) and 'style="' not in sectors
    assert 'href="/reseau/bilan.csv"' in html and "<script" not in html.split("<main")[1]


def rows_of(table: str) -> list[tuple[str, list[str]]]:
    """(row header, cell texts) of an HTML table."""
    return [
        (h.strip(), re.findall(r"<td>([^<]*)</td>", cells))
        for h, cells in re.findall(r'<th scope="row">([^<]+)</th>(.*?)</tr>', table, re.S)
    ]


def test_the_rows_that_split_a_total_follow_it_and_add_up_to_it(built_site):
    """« dont … » rows come right under the total they split, and add up to it, every year."""
    html = (built_site / "reseau" / "bilan" / "index.html").read_text(encoding="utf-8")
    table = html.split('<caption id="synthese">')[1].split("</table>")[0]
    rows = rows_of(table)
    total_at = next(i for i, (h, _) in enumerate(rows) if h.startswith("Offres publiées"))
    parts = []
    for h, cells in rows[total_at + 1 :]:
        if not h.startswith("dont "):
            break
        parts.append([int(c) for c in cells])
    assert len(parts) == 4, rows
    assert [sum(col) for col in zip(*parts, strict=True)] == [int(c) for c in rows[total_at][1]]
    assert all(h.startswith(("Offres publiées", "dont ")) for h, _ in rows[total_at : total_at + 5])
    assert not any(h.startswith("dont ") for h, _ in rows[total_at + 5 :])


SEED_2004 = {  # « Bilan de l'année 2004 » of the founding document (shared/seeds/003)
    "Nombre de projets rencontrés": 540,
    "Nombre de porteurs de projets ayant un référent": 220,
    "Nombre de projets ayant bénéficié d'un effet du travail en réseau": 115,
    "Nombre d'activités installées": 88,
    "Nombre d'activités installées ayant bénéficié d'un suivi post création": 17,
    "Nombre d'offres d'activités diffusées": 20,
    "Nombre de contacts obtenus pour ces offres": 85,
    "Nombre des installations réalisées par l'intermédiaire des offres diffusées": 3,
}


def test_the_founding_documents_2004_figures_are_on_the_page_with_its_wording(built_site):
    html = (built_site / "reseau" / "bilan" / "index.html").read_text(encoding="utf-8").replace("&#39;", "'")
    table = html.split('<caption id="indicateurs">')[1].split("</table>")[0]
    head = re.findall(r'<th scope="col">(\d{4})</th>', table)
    assert head == ["2026", "2025", "2004"]
    rows = dict(rows_of(table))
    assert list(rows) == list(SEED_2004)
    assert {label: int(cells[2]) for label, cells in rows.items()} == SEED_2004
    # The years of the site: the offer indicators come from the offer files, the others are unknown.
    for year, column in ((2026, 0), (2025, 1)):
        want = expected(year)
        assert int(rows["Nombre d'offres d'activités diffusées"][column]) == want["publiees"]
        assert int(rows["Nombre de contacts obtenus pour ces offres"][column]) == want["contacts"]
        assert (
            int(rows["Nombre des installations réalisées par l'intermédiaire des offres diffusées"][column])
            == want["conclusions"]
        )
        assert rows["Nombre de projets rencontrés"][column] == "—"
    assert "dans Village Magazine en 2004 et dans la bourse d'activités du site en 2025 et 2026" in html
    # Charted over the years: one bar per year for the indicators that have two years or more.
    chart = html.split("<caption>Nombre de contacts obtenus pour ces offres</caption>")[1].split("</table>")[0]
    assert re.findall(r'<th scope="row">(\d{4})</th><td><span class="bar-value">(\d+)</span>', chart) == [
        ("2004", "85"),
        ("2025", str(expected(2025)["contacts"])),
        ("2026", str(expected(2026)["contacts"])),
    ]
    assert '<rect width="100.0"' in chart  # the largest value fills the bar


def test_csv_holds_the_entered_and_the_computed_indicators(built_site):
    rows = list(csv.DictReader(io.StringIO((built_site / "reseau" / "bilan.csv").read_text(encoding="utf-8"))))
    of_2004 = {r["indicateur"]: (r["detail"], int(r["valeur"])) for r in rows if r["annee"] == "2004"}
    assert of_2004["projets_rencontres"] == ("saisi", 540) and of_2004["installations_offres"] == ("saisi", 3)
    assert len(of_2004) == 8
    got = {
        r["annee"]: int(r["valeur"]) for r in rows if r["indicateur"] == "offres_diffusees" and r["detail"] == "calculé"
    }
    assert got == {"2025": expected(2025)["publiees"], "2026": expected(2026)["publiees"]}


BAD_YEARS = {
    "une partie plus grande que son tout": (
        "2005.yaml",
        "annee: 2005\nprojets_rencontres: 540\nporteurs_avec_referent: 600\n",
        "content/bilan/2005.yaml:3:25 — porteurs_avec_referent : 600 dépasse projets_rencontres (540), dont il fait partie ; attendu : un nombre au plus égal à 540.",
    ),
    "un fichier mal nommé": (
        "2006.yaml",
        "annee: 2007\nprojets_rencontres: 10\n",
        "content/bilan/2006.yaml:1:8 — annee : le fichier s'appelle « 2006.yaml » mais donne les chiffres de 2007 ; attendu : un fichier nommé 2007.yaml (une année par fichier).",
    ),
    "une année à venir": (
        "2030.yaml",
        "annee: 2030\nprojets_rencontres: 10\n",
        "content/bilan/2030.yaml:1:8 — annee : 2030 n'a pas encore commencé ; attendu : une année passée ou l'année en cours (2026 au plus).",
    ),
    "un texte à la place d'un nombre": (
        "2008.yaml",
        "annee: 2008\nprojets_rencontres: 540 projets\n",
        "content/bilan/2008.yaml:2:21 — projets_rencontres : « 540 projets » n'est pas un nombre. Attendu : un nombre entier, sans espace ni symbole, par exemple 540.",
    ),
    "un champ mal orthographié": (
        "2009.yaml",
        "annee: 2009\nprojets_recontres: 540\n",
        "content/bilan/2009.yaml:2:1 — le champ « projets_recontres » n'existe pas ; vouliez-vous dire « projets_rencontres » ?",
    ),
    "aucun chiffre": (
        "2010.yaml",
        "annee: 2010\nprovenance: comité de suivi\n",
        "content/bilan/2010.yaml:1:8 — annee : le fichier ne donne aucun chiffre ; attendu : au moins un des champs projets_rencontres, porteurs_avec_referent",
    ),
    "sans année": (
        "2012.yaml",
        "projets_rencontres: 3\n",
        "content/bilan/2012.yaml:1:1 — le champ obligatoire « annee » manque ; attendu : un nombre entier, sans espace ni symbole, par exemple 2004.",
    ),
}


@pytest.mark.parametrize("case", BAD_YEARS)
def test_a_bad_yearly_file_gets_a_french_message_with_its_position(project, case):
    name, text, message = BAD_YEARS[case]
    project.write(f"content/bilan/{name}", text)
    errors = [str(p) for p in project.load().report.errors]
    assert [e for e in errors if e.startswith(message)] and len(errors) == 1, errors


def test_invoke_validate_checks_the_yearly_files_and_the_build_refuses_them(project):
    project.write("content/bilan/2005.yaml", BAD_YEARS["une partie plus grande que son tout"][1])
    result = project.run("validate")
    assert result.returncode == 1 and BAD_YEARS["une partie plus grande que son tout"][2] in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    build = project.run("build", "--date", "2026-11-22")
    assert build.returncode == 1 and not project.output.exists()


@pytest.mark.browser
def test_charts_read_at_a_phones_width(page, built_site):
    """At 375 px: no chart text drawn inside a scaled-down picture, every label and figure at least
    14 px and inside the screen, nothing wider than the screen."""
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(page.base + "/reseau/bilan/")
    assert page.locator("main svg text").count() == 0, "texte de graphique dessiné dans un SVG mis à l'échelle"
    labels = page.locator(".bar-table th, .bar-table .bar-value")
    assert labels.count() > 20
    found = labels.evaluate_all(
        "els => els.map(e => { const r = e.getBoundingClientRect(); return {text: e.textContent.trim(), size: parseFloat(getComputedStyle(e).fontSize), left: r.left, right: r.right, clipped: e.scrollWidth > e.clientWidth + 1}; })"
    )
    bad = [f for f in found if f["size"] < 14 or f["left"] < 0 or f["right"] > 375 or f["clipped"]]
    assert not bad, bad[:5]
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375


def test_offers_open_at_year_end_in_csv_and_page(built_site):
    rows = list(csv.DictReader(io.StringIO((built_site / "reseau" / "bilan.csv").read_text(encoding="utf-8"))))
    got = {r["annee"]: int(r["valeur"]) for r in rows if r["indicateur"] == "ouvertes_fin_annee"}
    assert got == {"2025": expected(2025)["ouvertes_fin_annee"], "2026": expected(2026)["ouvertes_fin_annee"]}
    # Offers published in 2025 that closed within 2025 (withdrawn, concluded) are not counted; offers
    # of 2025 still open are counted again at the end of 2026.
    assert (
        0 < got["2025"] < expected(2025)["publiees"]
        and got["2026"]
        > expected(2026)["publiees"] - expected(2026)["conclues"] - expected(2026)["retirees_ou_expirees"]
    )
    html = (built_site / "reseau" / "bilan" / "index.html").read_text(encoding="utf-8")
    row = re.search(r'<th scope="row">Offres ouvertes en fin d&#39;année[^<]*</th>(.*?)</tr>', html, re.S).group(1)
    assert [int(v) for v in re.findall(r"<td>(\d+)</td>", row)] == [got["2026"], got["2025"]]


def test_offers_per_epci_match_the_communes_reference(built_site):
    with kit_communes().open(encoding="utf-8", newline="") as f:
        epci_of = {row["insee"]: row["epci_nom"] for row in csv.DictReader(f)}
    rows = list(csv.DictReader(io.StringIO((built_site / "reseau" / "bilan.csv").read_text(encoding="utf-8"))))
    html = (built_site / "reseau" / "bilan" / "index.html").read_text(encoding="utf-8")
    for year in (2025, 2026):
        want = Counter(
            epci_of[o["commune"]] for o in raw_offers() if o["publiee_le"].year == year and o["publiee_le"] <= BUILD
        )
        got = {
            r["detail"]: int(r["valeur"])
            for r in rows
            if r["annee"] == str(year) and r["indicateur"] == "offres_par_epci"
        }
        assert got == dict(want), year
        table = html.split(f"<caption>Offres publiées en {year} par intercommunalité</caption>")[1].split("</table>")[0]
        shown = {
            name.replace("&#39;", "'"): int(n)
            for name, n in re.findall(r'<th scope="row">([^<]+)</th><td><span class="bar-value">(\d+)</span>', table)
        }
        assert shown == dict(want), year


def test_csv_epci_names_cannot_run_as_spreadsheet_formulas():
    """The EPCI names come from the reference data, which a territory may replace: a name a
    spreadsheet would read as a formula is written after an apostrophe."""
    from types import SimpleNamespace

    from territoire import figures

    site = SimpleNamespace(
        communes=SimpleNamespace(epci_names={"200070852": '=HYPERLINK("http://x")'}),
        year_reports={},
    )
    year = figures.Year(annee=2025, publiees=1, par_epci=Counter({"200070852": 1}))
    rows = list(csv.reader(io.StringIO(figures.to_csv(site, [year]))))
    assert rows[-1] == ["2025", "offres_par_epci", '\'=HYPERLINK("http://x")', "1"]
