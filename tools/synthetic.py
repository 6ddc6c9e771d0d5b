"""Synthetic projects: many realistic offers for scale tests and benchmarks.

``generate(root, offers, seed)`` writes a complete scratch project (offers/, content/) that
validates against the models. Same arguments ⇒ same files (a seeded ``random.Random``).
Build it with ``TERRITOIRE_PROJECT=<root> invoke build``.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
from pathlib import Path

from territoire import communes as communes_mod
from territoire.build import read_settings
from territoire.communes_data import kit_communes
from territoire.config import read_config
from territoire.slugs import slugify

ROOT = Path(__file__).resolve().parents[1]  # the sample site, whose partners and events are reused

# (nature, secteur, activité, titre pattern) — {commune} is replaced.
ACTIVITIES = [
    ("reprise", "commerce", "Boulangerie-pâtisserie", "Boulangerie-pâtisserie à reprendre à {commune}"),
    ("reprise", "commerce", "Épicerie de village", "Épicerie de village à reprendre à {commune}"),
    ("reprise", "commerce", "Boucherie-charcuterie", "Boucherie-charcuterie à céder à {commune}"),
    ("reprise", "commerce", "Librairie-papeterie", "Librairie-papeterie à reprendre à {commune}"),
    ("reprise", "commerce", "Fleuriste", "Boutique de fleurs à reprendre à {commune}"),
    ("reprise", "artisanat", "Menuiserie-ébénisterie", "Atelier de menuiserie à reprendre à {commune}"),
    ("reprise", "artisanat", "Plomberie-chauffage", "Entreprise de plomberie-chauffage à céder à {commune}"),
    ("reprise", "artisanat", "Salon de coiffure", "Salon de coiffure à reprendre à {commune}"),
    ("reprise", "artisanat", "Garage automobile", "Garage automobile à reprendre à {commune}"),
    ("reprise", "artisanat", "Maçonnerie", "Entreprise de maçonnerie à céder à {commune}"),
    ("reprise", "industrie", "Coutellerie", "Atelier de coutellerie à reprendre à {commune}"),
    ("reprise", "industrie", "Scierie", "Scierie en activité à reprendre à {commune}"),
    ("reprise", "industrie", "Sous-traitance mécanique", "Entreprise de mécanique de précision à céder à {commune}"),
    ("reprise", "tourisme", "Hôtel-restaurant", "Hôtel-restaurant à reprendre à {commune}"),
    ("reprise", "tourisme", "Gîte et chambres d'hôtes", "Gîte et chambres d'hôtes à reprendre à {commune}"),
    ("reprise", "tourisme", "Camping", "Camping familial à reprendre à {commune}"),
    ("reprise", "agriculture", "Élevage bovin laitier", "Exploitation laitière à transmettre à {commune}"),
    ("reprise", "agriculture", "Élevage ovin", "Élevage ovin à transmettre à {commune}"),
    ("reprise", "agriculture", "Chèvrerie-fromagerie", "Chèvrerie avec fromagerie à reprendre à {commune}"),
    ("reprise", "services", "Auto-école", "Auto-école à reprendre à {commune}"),
    ("reprise", "services", "Agence de services à la personne", "Agence de services à la personne à céder à {commune}"),
    ("reprise", "sante-social", "Pharmacie", "Pharmacie à reprendre à {commune}"),
    ("creation", "sante-social", "Médecine générale", "Médecin généraliste attendu à {commune}"),
    ("creation", "sante-social", "Cabinet infirmier", "Infirmier ou infirmière attendu à {commune}"),
    ("creation", "commerce", "Café multiservice", "Café multiservice à créer à {commune}"),
    ("creation", "services", "Tiers-lieu et espace de travail partagé", "Tiers-lieu à animer à {commune}"),
    ("creation", "tourisme", "Location de vélos", "Location de vélos à créer à {commune}"),
    ("creation", "artisanat", "Boulangerie", "Boulanger attendu à {commune}"),
    ("local", "commerce", "Local commercial", "Local commercial à louer à {commune}"),
    ("local", "artisanat", "Atelier artisanal", "Atelier artisanal à louer à {commune}"),
    ("local", "industrie", "Bâtiment industriel", "Bâtiment industriel disponible à {commune}"),
    ("local", "services", "Bureaux", "Bureaux à louer à {commune}"),
    ("foncier", "agriculture", "Terres agricoles", "Terres agricoles disponibles à {commune}"),
    ("foncier", "agriculture", "Terres de maraîchage", "Terres de maraîchage bio à {commune}"),
    ("foncier", "industrie", "Terrain en zone d'activités", "Terrain en zone d'activités à {commune}"),
    (
        "association",
        "sante-social",
        "Aide à domicile",
        "Association d'aide à domicile cherche sa direction à {commune}",
    ),
    ("association", "services", "Animation culturelle", "Association culturelle cherche coordinateur à {commune}"),
]

OPENINGS = [
    "Au cœur de {commune}, dans un bourg vivant du {territoire}, cette offre attend un porteur de projet motivé.",
    "À {commune}, commune de {population} habitants de la communauté {epci}, une belle occasion se présente.",
    "Entre monts et vallées du {territoire}, {commune} accueille volontiers de nouveaux actifs.",
    "Sur la place principale de {commune}, l'activité rayonne sur une dizaine de villages voisins.",
]
MIDDLES = [
    "L'outil de travail est entretenu avec soin et les équipements ont été renouvelés récemment.",
    "La clientèle, fidèle et locale, est complétée l'été par les vacanciers et les randonneurs.",
    "Les cédants proposent un accompagnement de plusieurs semaines pour présenter fournisseurs et clients.",
    "Le bâtiment, lumineux et accessible, offre des possibilités d'extension.",
    "Les élus de la commune soutiennent le projet et facilitent l'installation des nouveaux venus.",
    "L'école, les commerces de proximité et la maison de santé se trouvent à quelques minutes.",
    "Un réseau de producteurs locaux fournit une grande partie des matières premières.",
    "Le chiffre d'affaires est stable depuis cinq ans, avec une marge de progression sur la vente en ligne.",
    "La commune dispose d'une bonne couverture en fibre optique et d'un accès rapide à l'autoroute.",
    "Les associations locales animent la vie du bourg toute l'année, marchés et fêtes compris.",
]
WORDS = [
    "savoir-faire",
    "transmission",
    "authenticité",
    "patrimoine",
    "dynamisme",
    "convivialité",
    "proximité",
    "qualité",
    "tradition",
    "innovation",
    "terroir",
    "accueil",
]
CLOSINGS = [
    "Le projet convient à un professionnel confirmé comme à une personne en reconversion bien accompagnée.",
    "Le partenaire référent organise les visites et aide à construire le plan de financement.",
    "Les partenaires du réseau accompagnent le repreneur de l'idée à l'installation, puis pendant les premières années.",
]
MOTIFS = [
    "Départ à la retraite après une longue carrière.",
    "Changement de projet professionnel du dirigeant.",
    "Rapprochement familial dans une autre région.",
    "La commune souhaite maintenir un service essentiel pour ses habitants.",
]
ATOUTS = [
    "Clientèle fidèle et bouche-à-oreille favorable",
    "Matériel récent et bien entretenu",
    "Emplacement visible sur un axe passant",
    "Logement possible sur place",
    "Soutien actif de la commune et de la communauté de communes",
    "Accompagnement du cédant pendant la transition",
    "Cadre de vie préservé, à proximité des sentiers de randonnée",
]
AIDES = [
    "Prêt d'honneur de la plateforme d'initiative locale",
    "Garantie bancaire départementale",
    "Aide régionale à la reprise d'entreprise",
    "Dotation jeune agriculteur",
    "Aide communale à l'installation",
]
PHOTOS = [
    ("boulangerie-ambert.jpg", "Devanture d'un commerce de bourg avec vitrine et enseigne"),
    ("menuiserie-lezoux.jpg", "Atelier en bardage bois avec sa grande porte"),
    ("auberge-chastreix.jpg", "Maisons de pierre au pied des montagnes"),
    ("ferme-saint-antheme.jpg", "Bâtiments d'une ferme entourés de prairies"),
]
PARTNER_TYPES = [
    ("accompagnement", "Accompagnement {n}", ["accueil", "idee", "creation", "reprise", "suivi"]),
    ("plateforme-initiative", "Initiative {n}", ["financement", "suivi"]),
    ("intercommunalite", "Maison des entreprises {n}", ["accueil", "installation"]),
    ("financeur", "Fonds territorial {n}", ["financement"]),
]
EVENT_TYPES = [
    ("reunion", "Réunion d'information à {commune}", "Salle des fêtes"),
    ("micro-marche", "Micro-marché des offres à {commune}", "Halle du marché"),
    ("salon", "Salon de la création et de la reprise à {commune}", "Centre des congrès"),
    ("visite", "Visite d'entreprise à {commune}", "Sur le site de l'entreprise"),
    ("projets-en-campagne", "Projets en campagne à {commune}", "Espace d'accueil"),
]
STATUSES = ["disponible"] * 14 + ["en-negociation"] * 3 + ["conclue"] * 2 + ["retiree"]

# Every conclusion is dated by the sample's build date (tests/conftest.py): never in the future.
CONCLUDED_BY = dt.date(2026, 11, 22)


def _yaml_str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _description(rng: random.Random, commune, epci: str, territoire: str) -> str:
    fmt = {
        "commune": commune.nom,
        "epci": epci,
        "territoire": territoire,
        "population": f"{max(commune.population, 50):,}".replace(",", " "),
    }
    middles = rng.sample(MIDDLES, 4)
    paragraphs = [rng.choice(OPENINGS).format(**fmt) + " " + " ".join(middles[:2])]
    paragraphs.append(
        " ".join(middles[2:]) + f" Ici, les maîtres-mots sont {rng.choice(WORDS)} et {rng.choice(WORDS)}."
    )
    paragraphs.append("**Points clés :**\n\n" + "\n".join(f"- {a.lower()} ;" for a in rng.sample(ATOUTS, 3)))
    paragraphs.append(rng.choice(CLOSINGS))
    return "\n\n".join(paragraphs)


def generate(root: Path, offers: int, seed: int = 0) -> None:
    """Write a complete scratch project of ``offers`` generated offers at ``root``."""
    root = Path(root)
    rng = random.Random(seed)
    config, _problems = read_config(read_settings())
    territory_epci = config.TERRITOIRE_EPCI
    territoire = config.TERRITOIRE_NOM
    reseaux = sorted(config.TERRITOIRE_RESEAUX_LOCAUX)
    communes = communes_mod.load(kit_communes(), territory_epci)
    local = [c for c in communes.territory() if c.latitude is not None]
    content = root / "content"
    for name in ("offers", "content"):
        shutil.rmtree(root / name, ignore_errors=True)
    (root / "offers").mkdir(parents=True)
    content.mkdir(parents=True)
    for sub in ("pages", "images"):
        if (ROOT / "content" / sub).is_dir():
            shutil.copytree(ROOT / "content" / sub, content / sub)
    partners_dir = content / "partenaires"
    shutil.copytree(ROOT / "content" / "partenaires", partners_dir)
    partner_ids = sorted(p.stem for p in partners_dir.glob("*.md"))

    # Generated partners: about one per hundred offers.
    for n in range(1, offers // 100 + 1):
        kind, name_pattern, etapes = PARTNER_TYPES[n % len(PARTNER_TYPES)]
        commune = rng.choice(local)
        pid = f"partenaire-genere-{n:03d}"
        partner_ids.append(pid)
        secteurs = sorted(
            rng.sample(["agriculture", "artisanat", "commerce", "industrie", "services", "tourisme", "sante-social"], 3)
        )
        lines = [
            "---",
            f"nom: {_yaml_str(name_pattern.format(n=commune.nom))}",
            f"type: {kind}",
            f'commune: "{commune.insee}"',
            f"adresse: {_yaml_str(f'{rng.randint(1, 40)} place de la Mairie, {commune.code_postal} {commune.nom}')}",
            f"telephone: 04 65 {70 + n // 100:02d} {n % 100:02d} {rng.randint(10, 99)}",
            f"courriel: contact-{n:03d}@partenaires.example.org",
            f"site: https://partenaire-{n:03d}.example.org",
            f'territoire: ["{commune.epci_siren}"]',
            f"secteurs: [{', '.join(secteurs)}]",
            f"etapes: [{', '.join(etapes)}]",
        ]
        if reseaux:
            lines.append(f"reseau_local: {rng.choice(reseaux)}")
        lines += [
            "---",
            f"{name_pattern.format(n=commune.nom)} accueille les porteurs de projets de la communauté {commune.epci_nom} et les accompagne dans leurs démarches, de l'idée à l'installation.",
            "",
        ]
        (partners_dir / f"{pid}.md").write_text("\n".join(lines), encoding="utf-8")

    # Events: about one per fifty offers, plus the sample ones.
    events_dir = content / "evenements"
    shutil.copytree(ROOT / "content" / "evenements", events_dir)
    for n in range(1, offers // 50 + 1):
        kind, title, lieu = EVENT_TYPES[n % len(EVENT_TYPES)]
        commune = rng.choice(local)
        start = dt.datetime(2025, 1, 6, 9) + dt.timedelta(days=rng.randint(0, 900), hours=rng.choice([0, 1, 5, 9]))
        end = start + dt.timedelta(hours=rng.choice([2, 3, 8]))
        text = [
            "---",
            f"titre: {_yaml_str(title.format(commune=commune.nom) + f' ({n})')}",
            f"type: {kind}",
            f"debut: {start:%Y-%m-%d %H:%M}",
            f"fin: {end:%Y-%m-%d %H:%M}",
            f"lieu: {_yaml_str(lieu)}",
            f'commune: "{commune.insee}"',
            f"partenaires: [{', '.join(sorted(rng.sample(partner_ids, 2)))}]",
            "---",
            f"Les partenaires du réseau vous donnent rendez-vous à {commune.nom} pour découvrir les offres d'activités du territoire et rencontrer les conseillers. Entrée libre.",
            "",
        ]
        (events_dir / f"evenement-genere-{n:04d}.md").write_text("\n".join(text), encoding="utf-8")

    # Offers.
    base = dt.date(2024, 1, 1)
    for n in range(1, offers + 1):
        nature, secteur, activite, title = rng.choice(ACTIVITIES)
        commune = rng.choice(local)
        published = base + dt.timedelta(days=rng.randint(0, 1060))
        statut = rng.choice(STATUSES)
        if statut == "conclue" and published > CONCLUDED_BY - dt.timedelta(days=20):
            statut = "en-negociation"  # too recent to be concluded by then: a conclusion is never ahead
        ref = f"SY-{published.year}-{n:04d}"
        lines = [
            "# yaml-language-server: $schema=../schemas/offre.schema.json",
            "# Offre générée automatiquement (données de test)",
            f"reference: {ref}",
            f"titre: {_yaml_str(title.format(commune=commune.nom))}",
            f"nature: {nature}",
            f"secteur: {secteur}",
            f"activite: {_yaml_str(activite)}",
            f'commune: "{commune.insee}"',
            f"referent: {rng.choice(partner_ids)}",
            f"statut: {statut}",
            f"publiee_le: {published.isoformat()}",
        ]
        if rng.random() < 0.4:
            lines.append(f"mise_a_jour: {(published + dt.timedelta(days=rng.randint(1, 90))).isoformat()}")
        if rng.random() < 0.85:
            lines.append(f"expire_le: {(published + dt.timedelta(days=rng.choice([365, 540, 730]))).isoformat()}")
        if statut == "conclue":
            concluded = min(published + dt.timedelta(days=rng.randint(20, 300)), CONCLUDED_BY)
            lines.append(f"conclue_le: {concluded.isoformat()}")
        if nature == "reprise":
            lines.append(f"prix: {rng.randrange(15, 600) * 1000}")
            lines.append(f"chiffre_affaires: {rng.randrange(40, 1500) * 1000}")
            lines.append(f"effectif: {rng.randint(0, 12)}")
        if nature in ("local", "creation") or rng.random() < 0.3:
            lines.append(f"loyer: {rng.randrange(20, 200) * 10}")
        if nature == "foncier":
            lines.append(f"surface: {rng.randrange(1, 60) * 5000}")
        else:
            lines.append(f"surface: {rng.randrange(4, 80) * 5}")
        lines.append(f"logement: {'true' if rng.random() < 0.4 else 'false'}")
        if nature in ("reprise", "association"):
            lines.append(f"motif: {_yaml_str(rng.choice(MOTIFS))}")
        lines.append("atouts:")
        lines += [f"  - {_yaml_str(a)}" for a in rng.sample(ATOUTS, 3)]
        lines.append("aides:")
        lines += [f"  - {_yaml_str(a)}" for a in rng.sample(AIDES, 2)]
        if rng.random() < 0.2:
            photo, alt = rng.choice(PHOTOS)
            lines += ["photos:", f"  - fichier: {photo}", f"    alt: {_yaml_str(alt)}"]
        lines.append(f"contacts: {rng.randint(0, 12)}")
        lines.append("description: |")
        for para in _description(rng, commune, commune.epci_nom, territoire).split("\n"):
            lines.append(f"  {para}" if para else "")
        slug = slugify(f"{title.format(commune=commune.nom)}-{n:04d}")
        (root / "offers" / f"{slug}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
