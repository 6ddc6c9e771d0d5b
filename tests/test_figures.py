"""The yearly figures, recomputed independently from the sample files, match the page and CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import statistics
from collections import Counter

import yaml
from conftest import ROOT

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
    for key in ("publiees", "ouvertes_fin_annee", "disponibles", "en_negociation", "conclues", "retirees_ou_expirees", "conclusions", "contacts", "evenements", "partenaires"):
        assert int(got[key]) == want[key], key
    assert float(got["taux_conclusion"]) == want["taux_conclusion"]
    assert float(got["delai_median_jours"]) == want["delai_median_jours"]
    sectors = {r["detail"]: int(r["valeur"]) for r in rows if r["annee"] == "2025" and r["indicateur"] == "offres_par_secteur"}
    assert {k: v for k, v in sectors.items() if v} == dict(want["secteurs"])


def test_page_shows_the_same_figures_in_accessible_tables_and_svg(built_site):
    html = (built_site / "reseau" / "bilan" / "index.html").read_text(encoding="utf-8")
    want = expected(2026)
    row = re.search(r'<th scope="row">Offres publiées</th>(.*?)</tr>', html, re.S).group(1)
    assert [int(v) for v in re.findall(r"<td>(\d+)</td>", row)][0] == want["publiees"]  # newest year first
    assert "<caption>Offres publiées en 2026 par secteur</caption>" in html
    assert html.count('role="img"') == 2 * html.count("<h2 id=\"annee-") - html.count("Aucune offre publiée")
    assert '<svg class="chart"' in html and "<title>Offres publiées en 2026 par secteur</title>" in html
    assert 'href="/reseau/bilan.csv"' in html and "<script" not in html.split("<main")[1]


def test_offers_open_at_year_end_in_csv_and_page(built_site):
    rows = list(csv.DictReader(io.StringIO((built_site / "reseau" / "bilan.csv").read_text(encoding="utf-8"))))
    got = {r["annee"]: int(r["valeur"]) for r in rows if r["indicateur"] == "ouvertes_fin_annee"}
    assert got == {"2025": expected(2025)["ouvertes_fin_annee"], "2026": expected(2026)["ouvertes_fin_annee"]}
    # Offers published in 2025 that closed within 2025 (withdrawn, concluded) are not counted; offers
    # of 2025 still open are counted again at the end of 2026.
    assert 0 < got["2025"] < expected(2025)["publiees"] and got["2026"] > expected(2026)["publiees"] - expected(2026)["conclues"] - expected(2026)["retirees_ou_expirees"]
    html = (built_site / "reseau" / "bilan" / "index.html").read_text(encoding="utf-8")
    row = re.search(r'<th scope="row">Offres ouvertes en fin d\'année[^<]*</th>(.*?)</tr>', html, re.S).group(1)
    assert [int(v) for v in re.findall(r"<td>(\d+)</td>", row)] == [got["2026"], got["2025"]]


def test_offers_per_epci_match_the_communes_reference(built_site):
    with (ROOT / "data" / "communes-france.csv").open(encoding="utf-8", newline="") as f:
        epci_of = {row["insee"]: row["epci_nom"] for row in csv.DictReader(f)}
    rows = list(csv.DictReader(io.StringIO((built_site / "reseau" / "bilan.csv").read_text(encoding="utf-8"))))
    html = (built_site / "reseau" / "bilan" / "index.html").read_text(encoding="utf-8")
    for year in (2025, 2026):
        want = Counter(epci_of[o["commune"]] for o in raw_offers() if o["publiee_le"].year == year and o["publiee_le"] <= BUILD)
        got = {r["detail"]: int(r["valeur"]) for r in rows if r["annee"] == str(year) and r["indicateur"] == "offres_par_epci"}
        assert got == dict(want), year
        table = html.split(f"<caption>Offres publiées en {year} par intercommunalité</caption>")[1].split("</table>")[0]
        shown = {name.replace("&#39;", "'"): int(n) for name, n in re.findall(r'<th scope="row">([^<]+)</th><td>(\d+)</td>', table)}
        assert shown == dict(want), year
