"""A territory just made by the kit's template (the Creuse, empty): its site reads as a site just
opened, and the coordinator's commands `invoke new-partner`, `new-offer`, `new-event` create the
folders they need and files that validate and build, with the territory's prefix."""

from __future__ import annotations

import html
import re
import subprocess

import pytest

pytestmark = pytest.mark.xdist_group("kit-territoires")


def test_an_empty_territory_s_pages_invite_instead_of_reporting_nothing(creuse_vide):
    board = creuse_vide.page("offres/").one("main").text
    assert "Les partenaires du réseau publieront ici les offres d'activités en Creuse" in board
    assert "Aucune offre ouverte pour le moment" in board and "ces critères" not in board
    events = creuse_vide.page("evenements/").one("main").text
    assert "Aucun événement annoncé pour le moment" in events
    directory = creuse_vide.page("partenaires/").one("main").text
    assert "Les structures du réseau accueilleront et accompagneront les porteurs de projets en Creuse" in directory
    assert "0 structure" not in directory
    # No « 0 » presented as a count where there is nothing yet to count.
    home = creuse_vide.page("").one("main").text
    assert "Le réseau Creuse Accueil Actifs accueille et accompagne chaque porteur de projet" in home
    concluded = creuse_vide.page("offres/conclues/").one("main").text
    assert (
        "Les réussites du réseau paraîtront ici : les offres qui auront trouvé preneur, année par année." in concluded
    )
    data = creuse_vide.page("donnees-ouvertes/").one("main").text
    assert (
        "Aucune offre n'est ouverte pour le moment ; dès la première, les offres du réseau Creuse Accueil Actifs"
        " seront publiées dans des formats ouverts" in data
    )
    for text in (home, concluded, data):
        assert "0 structure" not in text and "0 offre" not in text
    # Every page of the site, the alert feeds' list, the « who does what » table and the
    # orientation results included: a count of nothing is said in words.
    zero = re.compile(r"\b0[\s\u00a0\u202f]+(offres?|structures?|partenaires?|événements?)\b")
    for page in sorted(creuse_vide.output.rglob("*.html")):
        text = html.unescape(re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8")))
        found = zero.search(text)
        assert not found, f"{page.relative_to(creuse_vide.output)} : « {found.group(0)} »"
    alerts = creuse_vide.page("offres/alertes/").one("main").text
    assert "aucune offre ouverte pour le moment" in alerts
    matrix = creuse_vide.page("qui-fait-quoi/").one("main").text
    assert "(aucun partenaire pour le moment, 7 étapes)" in " ".join(matrix.split())
    welcome = creuse_vide.page("accueil/").one("main").text
    assert re.search(
        r"En Creuse, l'intercommunalité CC Creuse Sud Ouest accueille les porteurs de projets dans ses"
        r" [1-9]\d* communes \([1-9][\d\s\u202f\u00a0]* habitants\)\.",
        welcome,
    ), welcome
    for name in ("offres/offres.csv", "evenements/evenements.ics", "offres/flux.atom", "sitemap.xml"):
        assert (creuse_vide.output / name).is_file(), name
    pdf = subprocess.run(
        ["pdftotext", str(creuse_vide.output / "plaquette-accueil.pdf"), "-"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
    ).stdout
    assert "Plaquette d'accueil du réseau Creuse Accueil Actifs" in pdf and "Bienvenue en Creuse" in pdf
    assert "0 offre" not in pdf and "0 partenaire" not in pdf and "Annuaire des partenaires" not in pdf


def test_new_partner_offer_and_event_in_a_new_territory_make_a_site(creuse_sources, tmp_path):
    territory = creuse_sources.scratch(tmp_path / "creuse")
    assert not (territory.root / "offers").exists() and not (territory.root / "content" / "partenaires").exists()
    made = territory.invoke(
        "new-partner", "--nom", "Maison des entreprises de Bourganeuf", "--type", "accompagnement",
        "--commune", "Bourganeuf", "--id", "mde-bourganeuf",
    )  # fmt: skip
    partner = territory.root / made.stdout.strip()
    assert partner == territory.root / "content" / "partenaires" / "mde-bourganeuf.md"
    text = partner.read_text(encoding="utf-8")
    assert 'commune: "23030"' in text
    partner.write_text(
        text[: text.index("---", 4) + 4] + "La Maison des entreprises accueille les créateurs du sud de la Creuse.\n",
        encoding="utf-8",
    )
    made = territory.invoke(
        "new-offer", "--titre", "Café-restaurant à reprendre à Ahun", "--nature", "reprise",
        "--secteur", "commerce", "--commune", "Ahun", "--referent", "mde-bourganeuf", "--date", "2026-11-02",
    )  # fmt: skip
    offer = territory.root / made.stdout.strip()
    assert offer.parent == territory.root / "offers"
    text = offer.read_text(encoding="utf-8")
    assert "reference: CR-2026-001" in text and 'commune: "23001"' in text and "referent: mde-bourganeuf" in text
    made = territory.invoke(
        "new-event", "--titre", "Projets en campagne à Limoges", "--type", "projets-en-campagne",
        "--debut", "2027-02-06 10:00", "--fin", "2027-02-06 17:00", "--lieu", "Halles centrales",
        "--commune", "Limoges",
    )  # fmt: skip
    event = territory.root / made.stdout.strip()
    assert event.parent == territory.root / "content" / "evenements"

    # The example texts the commands write must be replaced before publishing: validate says where.
    refused = territory.invoke("validate", check=False)
    assert refused.returncode == 1
    assert (
        f"offers/{offer.name}:14:3 — description : le texte d'exemple « Décrivez ici l'activité, le lieu, la cli… »"
        " est encore là ; remplacez-le par votre propre texte avant de publier." in refused.stdout
    )
    assert f"content/evenements/{event.name}:10:1 — description : le texte d'exemple" in refused.stdout
    text = offer.read_text(encoding="utf-8")
    offer.write_text(
        text[: text.index("description: |")]
        + "description: |\n  Café-restaurant de quarante couverts sur la place d'Ahun, avec terrasse et licence IV.\n",
        encoding="utf-8",
    )
    text = event.read_text(encoding="utf-8")
    event.write_text(
        text[: text.index("---", 4) + 4] + "Le réseau présente les offres de la Creuse.\n", encoding="utf-8"
    )
    territory.invoke("validate")
    territory.invoke("build")
    page = territory.page(f"offres/{offer.stem}/").one("main").text
    assert "Café-restaurant à reprendre à Ahun" in page and "Réf. CR-2026-001" in page
    assert "Cette offre est suivie par Maison des entreprises de Bourganeuf" in page
    home = territory.page("").one("main").text
    assert "Le réseau Creuse Accueil Actifs réunit 1 structure qui accueille" in home and "Voir l'offre" in home
    data = territory.page("donnees-ouvertes/").one("main").text
    assert "L'offre ouverte du réseau Creuse Accueil Actifs est publiée dans des formats ouverts" in data
    assert "Projets en campagne à Limoges" in territory.page(f"evenements/{event.stem}/").one("h1").text
