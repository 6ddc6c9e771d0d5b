"""The kit as a second territory adopts it: the kit's repository is a real git repository with a
version tag; `kit-territoire nouveau` asks the questionnaire (answers given on the command line)
and writes the Creuse network's repository (outside the Puy-de-Dôme); that repository passes
`make html` and `make test` with its own .venv (the kit installed from the tagged commit), reads
well while empty, speaks of the Creuse only, and takes the next kit version with `make upgrade`,
keeping its offers, its edited brochure chapter and its overridden template."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from kit_helpers import BIN, KIT, KIT_VERSION, git, new_territory, run

ANSWERS = [
    "territoire=Creuse",
    "reseau=Creuse Accueil Actifs",
    # By name, by name without its legal form, and by SIREN code.
    "intercommunalites=CA du Grand Guéret ; Creuse Sud Ouest ; 200044014",
    "domaine=accueil-creuse.fr",
    "cible_publication=file:///var/www/accueil-creuse",
]


DESCRIPTION = (
    "description: |\n"
    "  Épicerie de 80 m² avec logement au-dessus, au centre du bourg, face à la mairie. La clientèle\n"
    "  est fidèle et le local a été rénové il y a deux ans ; le cédant accompagne le repreneur.\n"
)
PRESENTATION = "La Maison de l'emploi accueille les porteurs de projets de tout le bassin de Guéret et les oriente.\n"
pytestmark = pytest.mark.xdist_group("kit")  # one worker builds the Creuse once, for every test


def new_partner(project: Path, invoke: str, commune: str) -> Path:
    """`invoke new-partner` as a coordinator types it: the Maison de l'emploi de Guéret."""
    made = run(
        project,
        invoke,
        "new-partner",
        "--nom",
        "Maison de l'emploi de Guéret",
        "--type",
        "accompagnement",
        "--commune",
        commune,
        "--id",
        "mde-gueret",
    )
    return project / made.stdout.strip()


def present(partner: Path) -> None:
    """The partner's presentation written in place of the example text."""
    text = partner.read_text(encoding="utf-8")
    partner.write_text(text[: text.index("---", 4) + 4] + PRESENTATION, encoding="utf-8")


def new_offer(project: Path, invoke: str, commune: str, check: bool = True) -> subprocess.CompletedProcess:
    """`invoke new-offer` for a grocery to take over, followed by the partner above."""
    return run(
        project,
        invoke,
        "new-offer",
        "--titre",
        "Épicerie à reprendre",
        "--nature",
        "reprise",
        "--secteur",
        "commerce",
        "--commune",
        commune,
        "--referent",
        "mde-gueret",
        "--date",
        "2026-11-18",
        check=check,
    )


def tracked_and_built(project: Path) -> list[Path]:
    names = git(project, "ls-files", "--cached", "--others", "--exclude-standard").splitlines()
    built = [p for p in (project / "output").rglob("*") if p.is_file()]
    return [project / n for n in names] + built


@pytest.fixture(scope="module")
def creuse(kit, tmp_path_factory) -> Path:
    """The Creuse network's repository, made by the template, committed, built with make html."""
    dest = tmp_path_factory.mktemp("territoires") / "creuse"
    made = new_territory(kit, dest, *ANSWERS)
    assert made.returncode == 0, made.stdout + made.stderr
    git(dest, "init", "-q", "-b", "main")
    git(dest, "add", "-A")
    git(
        dest,
        "-c",
        "user.name=Creuse",
        "-c",
        "user.email=c@example.org",
        "commit",
        "-qm",
        "Site de Creuse Accueil Actifs",
    )
    run(dest, "make", "html")
    return dest


def test_the_kit_is_a_versioned_package_pelican_finds_as_a_namespace_plugin():
    result = run(
        KIT,
        str(BIN / "python"),
        "-c",
        (
            "from pelican.plugins._utils import get_namespace_plugins; import territoire;"
            "print(sorted(get_namespace_plugins())); print(territoire.__version__)"
        ),
    )
    assert "pelican.plugins.territoire" in result.stdout
    assert result.stdout.split()[-1] == KIT_VERSION
    changelog = (KIT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## {KIT_VERSION}" in changelog


def test_a_new_territory_holds_only_its_content_its_settings_and_its_overrides(creuse):
    files = sorted(p.relative_to(creuse).as_posix() for p in tracked_and_built(creuse) if "output" not in p.parts)
    assert not any(f.startswith(("plugins/", "data/")) for f in files), files
    # The editors' schemas (the $schema line of every offer) are the kit's, kept up to date by upgrades.
    for kind in ("offre", "partenaire", "evenement", "bilan"):
        kit_schema = (KIT / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8")
        assert (creuse / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8").strip() == kit_schema.strip()
    assert "theme/LISEZMOI.md" in files and not any(f.startswith("theme/templates/") for f in files)
    settings = (creuse / "pelicanconf.py").read_text(encoding="utf-8")
    # The intercommunalities given by name or by code, resolved against the communes reference.
    assert '"200034825",  # CA du Grand Guéret' in settings
    assert '"200067189",  # CC Creuse Sud Ouest' in settings
    assert '"200044014",  # CC Creuse Grand Sud' in settings
    assert 'TERRITOIRE_PREFIXE = "CR"' in settings
    assert 'SITENAME = "Creuse Accueil Actifs"' in settings  # not « Creuse Accueil Actifs Creuse »
    publish = (creuse / "publishconf.py").read_text(encoding="utf-8")
    assert '"https://accueil-creuse.fr"' in publish and '"file:///var/www/accueil-creuse"' in publish
    requirements = (creuse / "requirements.txt").read_text(encoding="utf-8")
    assert re.search(r"^territoire-site-kit @ git\+file://localhost/\S+/kit@[0-9a-f]{40}$", requirements, re.M), (
        requirements
    )


def test_no_word_of_the_sample_territory_in_the_new_tree_or_its_site(creuse):
    found = []
    for path in tracked_and_built(creuse):
        # The CMS's list of every French commune (events may take place anywhere) is reference
        # data: it names Marsac-en-Livradois and Ambert as it names every other commune.
        if path.name == "communes.json" and path.parent.name == "admin":
            continue
        if path.is_file() and not path.is_symlink():
            data = path.read_bytes()
            for word in (b"livradois", b"cap actif", b"cap-actif", b"ambert"):
                if word in data.lower():
                    found.append(f"{path.relative_to(creuse)} : {word.decode()}")
    assert not found, found
    # The same as a coordinator would check it.
    grep = subprocess.run(
        ["grep", "-ril", "livradois", "--exclude-dir=.venv", "--exclude-dir=.git", "--exclude=communes.json", "."],
        cwd=creuse,
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert grep.stdout == ""


def test_the_new_territory_passes_its_own_make_test(creuse):
    result = run(creuse, "make", "test")
    assert "2 passed" in result.stdout


def test_an_empty_territory_reads_as_a_site_just_opened(creuse):
    home = (creuse / "output" / "index.html").read_text(encoding="utf-8")
    assert '<a class="brand" href="/">Creuse Accueil Actifs</a>' in home
    assert "Créer ou reprendre une activité en Creuse" in home
    assert "Ambert" not in home and 'placeholder="boulangerie, ferme, Guéret…"' in home
    assert "Voir les 0 offres" not in home and "0 structures" not in home and "<strong>0</strong>" not in home
    board = (creuse / "output" / "offres" / "index.html").read_text(encoding="utf-8")
    assert "Aucune offre" in board and "ces critères" not in board and "0 offre" not in board
    assert 'id="filtres"' not in board  # no filters to offer before the first offer
    figures = (creuse / "output" / "reseau" / "bilan" / "index.html").read_text(encoding="utf-8")
    assert "Aucune offre n'a encore été publiée" in figures and "Synthèse des offres par année" not in figures
    directory = (creuse / "output" / "partenaires" / "index.html").read_text(encoding="utf-8")
    assert "0 structure" not in directory
    pdf = subprocess.run(
        ["pdftotext", str(creuse / "output" / "plaquette-accueil.pdf"), "-"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
    ).stdout
    assert "Creuse" in pdf and "0 offre" not in pdf


def test_new_commands_create_their_folders_and_use_the_territory_s_prefix_and_communes(creuse, tmp_path):
    project = tmp_path / "creuse"
    shutil.copytree(creuse, project, symlinks=True, ignore=shutil.ignore_patterns(".venv", "output"))
    invoke = str(creuse / ".venv" / "bin" / "invoke")
    partner = new_partner(project, invoke, "Guéret")
    assert partner == project / "content" / "partenaires" / "mde-gueret.md"
    refused = new_offer(project, invoke, "Guéret", check=False)
    assert (
        refused.returncode == 1 and "créez d'abord le partenaire référent" in refused.stderr
    )  # its text is still the example
    present(partner)
    offer = project / new_offer(project, invoke, "Guéret").stdout.strip()
    assert offer.parent.name == "offers"
    assert "reference: CR-2026-001" in offer.read_text(encoding="utf-8")
    made = run(
        project,
        invoke,
        "new-event",
        "--titre",
        "Réunion d'information",
        "--type",
        "reunion",
        "--debut",
        "2027-03-12 14:00",
        "--fin",
        "2027-03-12 17:00",
        "--lieu",
        "Salle des fêtes",
        "--commune",
        "Guéret",
    )
    assert made.stdout.strip().startswith("content/evenements/")
    # A wrong commune code: the example the message gives is the territory's own (Guéret).
    offer.write_text(offer.read_text(encoding="utf-8").replace('commune: "23096"', 'commune: "9999"'), encoding="utf-8")
    checked = run(project, invoke, "validate", check=False)
    assert checked.returncode == 1
    assert 'par exemple "23096"' in checked.stdout and "63003" not in checked.stdout
    offer.write_text(
        offer.read_text(encoding="utf-8").replace("reference: CR-2026-001", "reference: CR2026"), encoding="utf-8"
    )
    assert "un code comme CR-2026-014" in run(project, invoke, "validate", check=False).stdout


def test_a_kit_clone_with_unsaved_changes_is_refused_in_french_and_nothing_is_made(kit, tmp_path):
    """Copier would copy a dirty clone through a commit of its own, which the new site's
    requirements.txt would pin and `make html` could not fetch: the command refuses, names the
    files, says what to do, and creates nothing. Once saved, the clone makes a site whose pinned
    kit version is the clone's last commit."""
    clone = tmp_path / "kit"
    git(tmp_path, "clone", "-q", str(kit), str(clone))
    (clone / "brouillon.txt").write_text("essai\n", encoding="utf-8")
    (clone / "CHANGELOG.md").write_text("modifié\n", encoding="utf-8")
    answers = ("territoire=Creuse", "reseau=Creuse Accueil Actifs", "intercommunalites=CC Creuse Sud Ouest")
    refused = new_territory(clone, tmp_path / "creuse", *answers)
    said = refused.stdout + refused.stderr
    assert refused.returncode == 2, said
    assert (
        "a des modifications qui ne sont pas enregistrées dans git (2 fichiers : « CHANGELOG.md », « brouillon.txt »)"
        in said
    )
    assert "git stash --include-untracked" in said and "Rien n'a été créé." in said
    assert "Traceback" not in said and not (tmp_path / "creuse").exists()

    git(clone, "checkout", "-q", "CHANGELOG.md")
    (clone / "brouillon.txt").unlink()
    made = new_territory(clone, tmp_path / "creuse", *answers)
    assert made.returncode == 0, made.stdout + made.stderr
    head = git(clone, "rev-parse", "HEAD").strip()
    assert f"@{head}" in (tmp_path / "creuse" / "requirements.txt").read_text(encoding="utf-8")


def test_a_wrong_intercommunality_is_refused_with_a_suggestion(template_source, tmp_path):
    made = new_territory(
        template_source,
        tmp_path / "x",
        "territoire=Creuse",
        "reseau=Creuse Accueil Actifs",
        "intercommunalites=Creuse Sud Oeust",
    )
    assert made.returncode != 0
    assert "« Creuse Sud Oeust » ne correspond à aucune intercommunalité du référentiel" in made.stdout + made.stderr
    assert "Creuse Sud Ouest" in made.stdout + made.stderr
    assert "Traceback" not in made.stderr
    assert not (tmp_path / "x" / "pelicanconf.py").exists()


def test_a_territory_s_name_reads_right_in_sentences_and_references(pays_de_retz):
    settings = (pays_de_retz.root / "pelicanconf.py").read_text(encoding="utf-8")
    assert 'TERRITOIRE_PREFIXE = "PR"' in settings and 'SITENAME = "Retz Entreprendre Pays de Retz"' in settings
    home = pays_de_retz.text("index.html")
    assert "Créer ou reprendre une activité dans le Pays de Retz" in home and "en Pays de Retz" not in home
    assert '<a class="brand" href="/">Retz Entreprendre <span>Pays de Retz</span></a>' in home
    chapter = pays_de_retz.text("accueil/index.html")
    assert "CA Pornic Agglo Pays de Retz, CC Sud Retz Atlantique" in chapter


def test_an_ambiguous_intercommunality_names_the_candidates(template_source, tmp_path):
    made = new_territory(
        template_source, tmp_path / "x", "territoire=Retz", "reseau=Retz Entreprendre", "intercommunalites=Retz"
    )
    said = made.stdout + made.stderr
    assert made.returncode != 0 and "« Retz » désigne plusieurs intercommunalités" in said
    assert "CA Pornic Agglo Pays de Retz (200067346)" in said and "CC Retz en Valois (200071991)" in said


# Last: it tags a new version in the kit's repository the other tests read.
def test_upgrading_keeps_the_territory_s_work_and_shows_conflicts(kit, creuse, tmp_path):
    project = tmp_path / "creuse"
    git(creuse.parent, "clone", "-q", str(creuse), str(project))
    (project / ".venv").symlink_to(creuse / ".venv")  # the territory's own environment
    stamp = (creuse / ".venv" / ".installed").stat().st_mtime
    os.utime(project / "requirements.txt", (stamp - 10, stamp - 10))
    invoke = str(project / ".venv" / "bin" / "invoke")
    who = ["-c", "user.name=Creuse", "-c", "user.email=c@example.org"]
    # The territory's own work: a partner and an offer, an edited chapter, an overridden template.
    present(new_partner(project, invoke, "23096"))
    offer = project / new_offer(project, invoke, "23096").stdout.strip()
    text = offer.read_text(encoding="utf-8")
    offer.write_text(text[: text.index("description: |")] + DESCRIPTION, encoding="utf-8")
    chapter = project / "content" / "pages" / "accueil" / "01-vivre-sur-le-territoire.md"
    text = chapter.read_text(encoding="utf-8")
    text = text.replace(
        "Décrivez ici le territoire tel qu'un nouvel arrivant le découvre",
        "La Creuse, ses lacs et ses bocages, à deux heures de Limoges et de Clermont",
    )
    text = text.replace(
        "Écoles, santé, transports, vie associative", "Écoles, maisons de santé, lignes de car, vie associative"
    )
    chapter.write_text(text, encoding="utf-8")
    override = project / "theme" / "templates" / "partials" / "pied-creuse.html"
    override.parent.mkdir(parents=True)
    override.write_text("<p>Fait en Creuse</p>\n", encoding="utf-8")
    git(project, "add", "-A")
    git(project, *who, "commit", "-qm", "Contenu de la Creuse")

    # The next kit version: a chapter's other paragraph rewritten, the same line the territory
    # edited rewritten too (a conflict), and a new line in the README.
    # (made in the kit's own repository, as its maintainers would: the territory's answers name it)
    next_kit = kit
    template = next_kit / "template" / "content" / "pages" / "accueil" / "01-vivre-sur-le-territoire.md.jinja"
    text = template.read_text(encoding="utf-8")
    text = text.replace(
        "Présentez les activités traditionnelles et celles qui émergent",
        "Présentez les métiers qui recrutent, les activités traditionnelles et celles qui émergent",
    )
    text = text.replace(
        "Écoles, santé, transports, vie associative", "Écoles, santé, mobilités, vie associative, accès au numérique"
    )
    template.write_text(text, encoding="utf-8")
    readme = next_kit / "template" / "README.md.jinja"
    readme.write_text(readme.read_text(encoding="utf-8") + "\nNouveau dans cette version du kit.\n", encoding="utf-8")
    pyproject = next_kit / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text(encoding="utf-8").replace(f'version = "{KIT_VERSION}"', 'version = "99.0.0"'),
        encoding="utf-8",
    )
    git(next_kit, "add", "-A")
    git(next_kit, *who, "commit", "-qm", "Kit 99.0.0")
    git(next_kit, "tag", "v99.0.0")

    upgraded = run(project, "make", "upgrade", "VERSION=v99.0.0", check=False)
    said = upgraded.stdout + upgraded.stderr
    assert upgraded.returncode != 0, said  # a conflict is not a success
    assert "installation de la nouvelle version a échoué" not in said, said
    assert "v0" in said and "v99.0.0" in said
    assert "✘ 1 conflit(s)" in said and "content/pages/accueil/01-vivre-sur-le-territoire.md" in said
    assert "Traceback" not in said
    merged = chapter.read_text(encoding="utf-8")
    assert "La Creuse, ses lacs et ses bocages" in merged  # the territory's edit, kept
    assert "Présentez les métiers qui recrutent" in merged  # the kit's change, taken
    assert "<<<<<<<" in merged and "Écoles, maisons de santé" in merged and "accès au numérique" in merged
    assert "Nouveau dans cette version du kit." in (project / "README.md").read_text(encoding="utf-8")
    assert "Épicerie de 80 m² avec logement" in offer.read_text(encoding="utf-8")
    assert override.read_text(encoding="utf-8") == "<p>Fait en Creuse</p>\n"
    assert "@" in (project / "requirements.txt").read_text(encoding="utf-8")
    assert run(project, str(project / ".venv" / "bin" / "kit-territoire"), "version").stdout.strip() == "99.0.0"

    # The coordinator settles the conflict as the message says; the result builds.
    resolved = re.sub(r"<<<<<<< [^\n]*\n(.*?)=======\n.*?>>>>>>> [^\n]*\n", r"\1", merged, flags=re.S)
    chapter.write_text(resolved, encoding="utf-8")
    run(project, "make", "html")
    page = (project / "output" / "accueil" / "vivre-sur-le-territoire" / "index.html").read_text(encoding="utf-8")
    assert "La Creuse, ses lacs et ses bocages" in page and "Présentez les métiers qui recrutent" in page
    assert (project / "output" / "offres" / offer.stem / "index.html").is_file()
