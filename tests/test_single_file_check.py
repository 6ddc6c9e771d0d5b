"""One file checked alone (validate.check_text, the ``check_file`` fixture the message tests
use) says exactly what the whole validation says about that file: for a sample of the message
tests' cases, and for every check that reads other files (an unknown partner, a reference or an
address already taken, a page's address, a file replaced by its new text), both are run and
their lines compared. The whole validation runs on a copy of the sample committed in git, the
file written in it, as in a partner's repository."""

from __future__ import annotations

import pytest
import test_partner_mistakes
import test_validation
from conftest import ROOT, Project, git_commit_all
from test_validation import PARTNER, event, offer

SAMPLED = {
    **{
        case: test_validation.CASES[case][:2]
        for case in (
            "syntaxe YAML",
            "pas UTF-8",
            "champ obligatoire manquant",
            "champ manquant d'un événement",
            "référent inconnu",
            "référent écrit par son nom",
            "événement partenaire inconnu",
            "partenaire hors territoire",
            "courriel dans la description",
            "texte d'exemple de new-event",
            "photo absente",
            "expire avant publication",
            "page sans titre",
            "page à une adresse déjà prise",
        )
    },
    **{
        case: test_partner_mistakes.CASES[case]
        for case in (
            "page en .txt",
            "puces dans la description",
            "dièse dans le titre",
            "prix nul",
            "publication future",
            "conclue_le future",
            "TODO",
            "ligne de description non décalée",
        )
    },
    # Checks against the rest of the site.
    "référence déjà prise": ("offers/a.yaml", offer(reference="reference: LF-2026-014")),
    "adresse déjà prise par une offre": ("offers/atelier-coutellerie-thiers.yml", offer()),
    "adresse réservée": ("offers/conclues.yaml", offer()),
    "nouvelle offre déjà expirée": ("offers/a.yaml", offer(prix="expire_le: 2026-10-20")),
    "offre existante modifiée": (
        "offers/atelier-coutellerie-thiers.yaml",
        (ROOT / "offers/atelier-coutellerie-thiers.yaml")
        .read_text(encoding="utf-8")
        .replace("secteur: ", "secteur: x", 1),
    ),
    "partenaire existant modifié": ("content/partenaires/adie.md", PARTNER.format(commune="99999")),
    "partenaire à la même adresse": ("content/partenaires/adié.md", PARTNER.format(commune="63003")),
    "événement à la même adresse": ("content/evenements/salon-création-reprise-ambert-2027.md", event()),
    "bilan d'une autre année": (
        "content/bilan/2005.yaml",
        (ROOT / "content/bilan/2004.yaml").read_text(encoding="utf-8"),
    ),
}


@pytest.fixture(scope="module")
def committed(tmp_path_factory) -> Project:
    project = Project(tmp_path_factory.mktemp("entier") / "projet")
    git_commit_all(project.root)
    return project


@pytest.mark.parametrize("case", list(SAMPLED))
def test_a_file_checked_alone_gets_the_lines_of_the_whole_validation(case, committed, check_file):
    relative, text = SAMPLED[case]
    path = committed.path(relative)
    before = path.read_bytes() if path.exists() else None
    committed.write(relative, text)
    try:
        whole = [str(p) for p in committed.load().report.problems if p.path == relative]
    finally:
        if before is None:
            path.unlink()
        else:
            path.write_bytes(before)
    alone = [str(p) for p in check_file(relative, text).problems]
    assert whole, "un cas sans message ne prouve rien"
    assert alone == whole


def test_a_path_no_loader_reads_is_refused(check_file):
    """Where a misplaced file belongs is said by the loading of the folders, not here."""
    with pytest.raises(ValueError, match="offers/a.yaml.txt"):
        check_file("offers/a.yaml.txt", offer())
