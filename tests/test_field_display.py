"""Fields drive display: each figure of an offer reads the same on its page, on the cards, in the
brochure's key figures, on its sharing image and in the summary of a change, because its label,
its formatter and its place among the key figures are declared once, in the model."""

from __future__ import annotations

import html as html_module
import re

from territoire import fields as f
from territoire.models import OFFRE


def _text(html: str) -> str:
    text = html_module.unescape(re.sub(r"<[^>]+>", "", html))
    return re.sub(r"\s+", " ", text).replace("\u202f", " ").replace("\xa0", " ").strip()


def _page_figures(html: str) -> dict[str, str]:
    facts = html.split('class="offer-facts"', 1)[1].split("</dl>", 1)[0]
    return {_text(dt): _text(dd) for dt, dd in re.findall(r"<dt[^>]*>(.*?)</dt>\s*<dd[^>]*>(.*?)</dd>", facts, re.S)}


def test_an_offers_figures_read_the_same_on_its_page_its_card_and_in_a_change_summary(built_site):
    page = (built_site / "offres" / "atelier-coutellerie-thiers" / "index.html").read_text(encoding="utf-8")
    figures = _page_figures(page)
    assert figures["Prix de cession"] == "120 000 €"
    assert figures["Loyer"] == "700 € par mois"
    assert figures["Chiffre d'affaires"] == "340 000 € par an"
    assert figures["Effectif"] == "4 salariés"
    assert figures["Surface"] == "260 m²"
    assert 'data-pagefind-meta="prix">120' in page.replace("\u202f", " ")

    board = (built_site / "offres" / "index.html").read_text(encoding="utf-8")
    card = (
        board.split('href="/offres/atelier-coutellerie-thiers/"', 1)[1]
        .split("</li>\n</li>", 1)[0]
        .split('class="card offer-card"', 1)[0]
    )
    shown = re.findall(r"<li>(.*?) : <strong>(.*?)</strong></li>", card)
    assert [(label, _text(value)) for label, value in shown] == [
        ("Prix", "120 000 €"),
        ("Loyer", "700 € par mois"),
        ("Surface", "260 m²"),
    ]

    from territoire.sitediff import _changes

    summary = _text(" ".join(_changes(OFFRE, {"loyer": 650, "effectif": 0}, {"loyer": 700, "effectif": 4})))
    assert "650 € par mois → 700 € par mois" in summary, summary
    assert "aucun salarié → 4 salariés" in summary, summary


def test_the_sharing_image_line_shows_the_rent_as_the_page_does(sample_site):
    from territoire.social import offer_line

    rented = next(o for o in sample_site.offers if o.prix is None and o.loyer is not None)
    assert _text(offer_line(rented, "Courpière")) == f"{_text(OFFRE.fields['loyer'].display(rented.loyer))} · Courpière"
    assert offer_line(rented, "Courpière").split(" · ")[0].endswith("€ par mois")


def test_a_field_declared_once_appears_on_the_page_and_among_the_key_figures():
    """Adding a figure costs its declaration: its label, value and place come from it."""

    class Record:
        prix = 85000
        loyer = None
        surface = None
        chiffre_affaires = None
        effectif = 0
        places = 40

    declared = {
        **OFFRE.fields,
        "places": f.Integer(
            "Places assises", unite="places", counted=("place", "places", "aucune place"), key_figure=2, on_page=True
        ),
    }
    page = [(x.label, _text(x.value)) for x in f.figures(Record(), declared)]
    assert page == [("Prix de cession", "85 000 €"), ("Effectif", "aucun salarié"), ("Places assises", "40 places")]
    assert [(label, _text(v)) for label, v in f.key_figures(Record(), declared)] == [
        ("Prix", "85 000 €"),
        ("Places assises", "40 places"),
    ]
