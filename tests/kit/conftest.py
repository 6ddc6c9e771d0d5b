"""Fixture territories for the kit's tests, made by the kit's own template (`kit-territoire
nouveau`), never from the Livradois-Forez sample: the Pilat (Loire), with two partners, three
offers and two events written as partners write them; an empty Creuse; the Pays de Retz (a name
read « dans le Pays de Retz »). Each is made and built once per session; the tests using them
share an xdist group so one worker builds them. ``kit`` is the kit's repository under git,
tagged, for the territories test_kit.py installs with their own .venv and upgrades."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # kit_helpers, dom_query: for every test module here
from kit_helpers import KIT, KIT_VERSION, SOURCE_DATE_EPOCH, Territory, copy_tracked, git, new_territory

PILAT_ANSWERS = (
    "territoire=Pilat",
    "en_territoire=dans le Pilat",
    "reseau=Pilat Actif",
    # One intercommunality by name, one by SIREN code.
    "intercommunalites=CC des Monts du Pilat ; 244200895",
    "prefixe=PL",
    "domaine=pilat-actif.fr",
    "cible_publication=file:///var/www/pilat-actif",
)

PILAT_FILES = {
    "content/partenaires/cc-monts-du-pilat.md": """---
nom: Communauté de communes des Monts du Pilat
sigle: CCMP
type: intercommunalite
commune: "42224"
adresse: 2 rue de la Mairie, 42660 Saint-Genest-Malifaux
telephone: 04 77 00 00 01
courriel: economie@monts-du-pilat.example.org
site: https://monts-du-pilat.example.org
territoire: ["244200622"]
secteurs: [commerce, artisanat, tourisme]
etapes: [accueil, reprise, installation]
---
Le service économique de la communauté de communes accueille les porteurs de projets des seize
communes des Monts du Pilat : visite des locaux disponibles, mise en relation avec les cédants,
aides à l'installation.
""",
    "content/partenaires/chambre-agriculture-42.md": """---
nom: Chambre d'agriculture de la Loire
type: chambre-agriculture
commune: "42168"
adresse: Antenne du Pilat, 10 place de l'Église, 42410 Pélussin
telephone: 04 77 00 00 02
courriel: installation@loire-agri.example.org
territoire: ["42"]
secteurs: [agriculture]
etapes: [idee, creation, reprise, financement]
---
Le point accueil installation de la chambre d'agriculture conseille les futurs agriculteurs :
parcours à l'installation, recherche de foncier, prêts et aides de la dotation jeunes agriculteurs.
""",
    "offers/boulangerie-bourg-argental.yaml": """# yaml-language-server: $schema=../schemas/offre.schema.json
reference: PL-2026-001
titre: Boulangerie-pâtisserie à reprendre à Bourg-Argental
nature: reprise
secteur: artisanat
activite: Boulangerie-pâtisserie
commune: "42023"
referent: cc-monts-du-pilat
statut: disponible
publiee_le: 2026-10-05
prix: 120000
chiffre_affaires: 310000
effectif: 3
logement: true
atouts:
  - Seule boulangerie du bourg, sur la place du marché
  - Four récent, laboratoire aux normes
contacts: 4
description: |
  Boulangerie-pâtisserie installée depuis trente ans au centre de Bourg-Argental, sur la place
  du marché. Les cédants partent à la retraite et accompagnent le repreneur pendant trois mois.

  Un logement de quatre pièces est disponible au-dessus du magasin <script>alert(1)</script>.
""",
    "offers/ferme-caprine-pelussin.yaml": """# yaml-language-server: $schema=../schemas/offre.schema.json
reference: PL-2026-002
titre: Ferme caprine avec fromagerie près de Pélussin
nature: foncier
secteur: agriculture
activite: Élevage de chèvres et fabrication de fromages fermiers
commune: "42168"
referent: chambre-agriculture-42
statut: disponible
publiee_le: 2026-09-12
surface: 450
contacts: 2
description: |
  Une chèvrerie de soixante places et une fromagerie équipée, avec dix-huit hectares de prairies,
  sur les pentes du Pilat au-dessus de Pélussin. Vente directe possible au marché.
""",
    "offers/epicerie-saint-genest-malifaux.yaml": """# yaml-language-server: $schema=../schemas/offre.schema.json
reference: PL-2025-007
titre: Épicerie du village à Saint-Genest-Malifaux
nature: reprise
secteur: commerce
activite: Épicerie de proximité
commune: "42224"
referent: cc-monts-du-pilat
statut: conclue
publiee_le: 2025-11-03
conclue_le: 2026-06-30
contacts: 5
description: |
  L'épicerie du village a trouvé sa repreneuse au printemps : elle a rouvert en juillet.
""",
    "content/evenements/reunion-installation-pelussin-2027.md": """---
titre: Réunion d'information sur l'installation agricole
type: reunion
debut: 2027-03-12 14:00
fin: 2027-03-12 17:00
lieu: Salle des fêtes
commune: "42168"
partenaires: [chambre-agriculture-42]
---
Une après-midi pour comprendre le parcours à l'installation et rencontrer des agriculteurs
installés récemment dans le Pilat.
""",
    "content/evenements/micro-marche-saint-etienne-2026.md": """---
titre: Micro-marché du Pilat à Saint-Étienne
type: micro-marche
debut: 2026-05-16 09:00
fin: 2026-05-16 17:00
lieu: Place Jean-Jaurès
commune: "42218"
partenaires: [cc-monts-du-pilat, chambre-agriculture-42]
---
Les producteurs et les partenaires du réseau accueillent les Stéphanois qui veulent s'installer
à la campagne.
""",
}

CREUSE_ANSWERS = (
    "territoire=Creuse",
    "reseau=Creuse Accueil Actifs",
    "intercommunalites=CC Creuse Sud Ouest",
    "domaine=accueil-creuse.fr",
)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items) -> None:
    """`--dist loadgroup` (pyproject.toml) sends the tests of one ``xdist_group`` to one worker,
    which builds the heavy fixtures once. pytest-xdist 3.8 names a test's group by rewriting
    ``item._nodeid``, which pytest 9 no longer reads (a node's id is ``item._id``): groups were
    spread over every worker, each building the fixture territories again. The same suffix,
    where pytest 9 reads it; nothing to do when xdist's own rewrite took effect."""
    if not getattr(config.option, "loadgroup", False):  # set on xdist's workers only
        return
    from _pytest.nodeid import NodeId

    for item in items:
        names = {
            str(m.args[0] if m.args else m.kwargs.get("name", "default")) for m in item.iter_markers("xdist_group")
        }
        suffix = "@" + "_".join(sorted(names))
        if names and not item.nodeid.endswith(suffix):
            item._id = NodeId.parse(item.nodeid + suffix)


@pytest.fixture(scope="session")
def template_source(tmp_path_factory) -> Path:
    """The kit's repository as a plain folder (its tracked files): copier's template source."""
    return copy_tracked(KIT, tmp_path_factory.mktemp("kit-source") / "kit")


def made(template_source: Path, dest: Path, answers: tuple[str, ...]) -> Territory:
    result = new_territory(template_source, dest, *answers)
    assert result.returncode == 0, result.stdout + result.stderr
    return Territory(dest)


@pytest.fixture(scope="session")
def pilat_sources(template_source, tmp_path_factory) -> Territory:
    """The Pilat network (Loire), made by the template: two partners, three offers (one
    concluded), two events (one past) written as files; not built."""
    territory = made(template_source, tmp_path_factory.mktemp("territoires") / "pilat", PILAT_ANSWERS)
    territory.write(PILAT_FILES)
    return territory


@pytest.fixture(scope="session")
def pilat_check(pilat_sources):
    """``pilat_check(relative, text)``: one file of the Pilat holding ``text``, checked alone
    (validate.check_text, as `invoke validate` checks it) against the territory's other files,
    read once; nothing is written."""
    import datetime as dt

    from territoire.build import read_settings
    from territoire.config import read_config
    from territoire.load import load
    from territoire.validate import check_text

    date = dt.datetime.fromtimestamp(int(SOURCE_DATE_EPOCH), dt.UTC).date()  # the commands' build date
    settings = read_settings(str(pilat_sources.root / "pelicanconf.py"), overrides={"TERRITOIRE_BUILD_DATE": date})
    config, problems = read_config(settings)
    assert problems == []
    rest = load(config)
    return lambda relative, text: check_text(rest, config, relative, text)


@pytest.fixture(scope="session")
def pilat(pilat_sources, tmp_path_factory) -> Territory:
    """The Pilat's site as visitors get it: `invoke publish` to a folder (publishconf.py: the
    territory's domain in absolute addresses, fingerprinted assets, checked internal links)."""
    territory = pilat_sources.scratch(tmp_path_factory.mktemp("territoires") / "pilat-publie")
    territory.output = territory.root.parent / "www"
    territory.invoke("publish", "--target", territory.output.as_uri())
    return territory


@pytest.fixture(scope="session")
def creuse_sources(template_source, tmp_path_factory) -> Territory:
    """The Creuse network just made: no offer, no partner, no event; not built."""
    return made(template_source, tmp_path_factory.mktemp("territoires") / "creuse", CREUSE_ANSWERS)


@pytest.fixture(scope="session")
def creuse_vide(creuse_sources, tmp_path_factory) -> Territory:
    """The empty Creuse territory, built."""
    territory = creuse_sources.scratch(tmp_path_factory.mktemp("territoires") / "creuse-construite")
    territory.invoke("build")
    return territory


@pytest.fixture(scope="session")
def pays_de_retz(template_source, tmp_path_factory) -> Territory:
    """A territory whose name reads « dans le Pays de Retz » (Loire-Atlantique), just made, built."""
    answers = (
        "territoire=Pays de Retz",
        "en_territoire=dans le Pays de Retz",
        "reseau=Retz Entreprendre",
        "intercommunalites=CA Pornic Agglo Pays de Retz ; Sud Retz Atlantique",
    )
    territory = made(template_source, tmp_path_factory.mktemp("territoires") / "retz", answers)
    territory.invoke("build")
    return territory


@pytest.fixture(scope="module")
def kit(tmp_path_factory) -> Path:
    """The kit's repository as a clean clone has it (the files git knows here, committed), tagged."""
    repo = copy_tracked(KIT, tmp_path_factory.mktemp("kit") / "kit")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=Kit", "-c", "user.email=kit@example.org", "commit", "-qm", f"Kit {KIT_VERSION}")
    git(repo, "tag", f"v{KIT_VERSION}")
    return repo
