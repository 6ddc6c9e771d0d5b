"""The foundation: the sample site builds, is deterministic, and bad files stop the build."""

from __future__ import annotations

import filecmp
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import BUILD_DATE, ROOT
from territoire.build import BuildError, build


def html_pages(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.html"))


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags_of(path: Path) -> list[tuple[str, dict]]:
    parser = Tags()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.tags


def test_home_page_is_french_with_landmarks_and_skip_link(built_site):
    home = built_site / "index.html"
    text = home.read_text(encoding="utf-8")
    assert '<html lang="fr">' in text
    tags = tags_of(home)
    names = [t for t, _ in tags]
    for landmark in ("header", "nav", "main", "footer"):
        assert landmark in names, landmark
    first_link = next(a for t, a in tags if t == "a")
    assert first_link["href"] == "#contenu" and 'id="contenu"' in text
    for section in ("/offres/", "/partenaires/", "/evenements/", "/accueil/"):
        assert f'href="{section}"' in text


def test_every_page_is_self_hosted_without_inline_script(built_site):
    pages = html_pages(built_site)
    assert len(pages) > 60
    for page in pages:
        for tag, attrs in tags_of(page):
            if tag == "script":
                assert attrs.get("src") or attrs.get("type") == "application/ld+json", f"script en ligne dans {page}"
            for attr in ("src", "href"):
                value = attrs.get(attr) or ""
                if tag in ("script", "link", "img", "iframe", "source") and value.startswith(("http:", "https:", "//")):
                    pytest.fail(f"{page.relative_to(built_site)} charge une ressource externe : {value}")
            assert "style" not in attrs or tag == "svg", f"style en ligne dans {page}"


def test_sample_content_loads_every_kind(sample_site, built_site):
    site = sample_site
    assert len(site.partners) >= 27
    assert len(site.offers) >= 24
    assert len({o.secteur for o in site.offers}) >= 5
    assert len({o.nature for o in site.offers}) >= 4
    assert len({site.commune(o.commune).epci_siren for o in site.offers}) >= 4
    statuses = {o.statut for o in site.offers}
    assert {"disponible", "en-negociation", "conclue"} <= statuses
    assert any(o.state == "expiree" for o in site.offers)
    assert len(site.events) >= 6
    assert site.upcoming_events() and site.past_events()
    gateway = {site.commune(e.commune).nom for e in site.events}
    assert {"Clermont-Ferrand", "Lyon", "Saint-Étienne"} & gateway
    # Each kind has its pages in the output.
    for offer in site.published_offers:
        assert (built_site / offer.url / "index.html").exists(), offer.url
    for partner in site.partners.values():
        assert (built_site / partner.url / "index.html").exists()
    for event in site.events:
        assert (built_site / event.url / "index.html").exists()
    # Pelican pages: legal notice, accessibility statement, welcome brochure.
    for slug in ("mentions-legales", "accessibilite", "accueil"):
        assert (built_site / slug / "index.html").exists(), slug


def test_positions_are_kept_for_later_messages(sample_site):
    offer = sample_site.offers[0]
    source = (ROOT / offer.source).read_text(encoding="utf-8").splitlines()
    line, column = offer.positions.key_of("secteur")
    assert source[line - 1].startswith("secteur:")


def test_commune_code_resolves_to_name_epci_and_coordinates(sample_site):
    ambert = sample_site.commune("63003")
    assert ambert.nom == "Ambert"
    assert ambert.epci_siren == "200070761" and ambert.epci_nom == "CC Ambert Livradois Forez"
    assert 45.5 < ambert.latitude < 45.6 and 3.7 < ambert.longitude < 3.8
    assert sample_site.communes.in_territory(ambert)
    assert not sample_site.communes.in_territory(sample_site.commune("69123"))


def test_legal_notice_credits_the_data_sources(built_site):
    text = (built_site / "mentions-legales" / "index.html").read_text(encoding="utf-8")
    assert "INSEE (COG), IGN (Admin Express) — Licence Ouverte" in text
    assert (built_site / "accessibilite" / "index.html").exists()
    assert "Page introuvable" in (built_site / "404.html").read_text(encoding="utf-8")


def test_two_builds_with_the_same_date_are_byte_identical(tmp_path, built_site):
    other = tmp_path / "deuxieme"
    build(output=str(other), date=BUILD_DATE, quiet=True)
    comparison = filecmp.dircmp(built_site, other)

    def differences(cmp) -> list[str]:
        found = cmp.left_only + cmp.right_only + cmp.diff_files + cmp.funny_files
        for sub in cmp.subdirs.values():
            found += differences(sub)
        return found

    # Pagefind (1.x) writes its filter and metadata indexes in hash-map order, so those
    # files (and their hashed names) change between runs: upstream Pagefind/pagefind#638.
    # Everything else, including the search fragments and word indexes, must be identical.
    def pagefind_unstable(name: str) -> bool:
        return name.endswith((".pf_filter", ".pf_meta")) or name == "pagefind-entry.json"

    # dircmp compares shallowly by stat; compare bytes explicitly.
    assert not [d for d in differences(comparison) if not pagefind_unstable(d)]
    for path in built_site.rglob("*"):
        if path.is_file() and not pagefind_unstable(path.name):
            assert path.read_bytes() == (other / path.relative_to(built_site)).read_bytes(), path


def test_source_date_epoch_sets_the_build_date(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")  # 2026-11-18 in Paris
    from territoire.settings import build_date

    assert build_date().isoformat() == "2026-11-18"


BROKEN = {
    "offre": ("offers/boulangerie-cassee.yaml", "reference: LF-2026-900\ntitre: [Boulangerie\n"),
    "partenaire": (
        "content/partenaires/partenaire-casse.md",
        '---\nnom: Structure\ntype: cci\n  commune: "63003"\n---\nTexte.\n',
    ),
    "événement": ("content/evenements/evenement-casse.md", "---\ntitre: Salon\n- liste\n---\nTexte.\n"),
}


@pytest.mark.parametrize("kind", list(BROKEN))
def test_a_broken_file_of_each_kind_stops_the_build_naming_the_file(kind, project, capsys):
    relative, text = BROKEN[kind]
    previous = project.output / "index.html"
    previous.parent.mkdir(parents=True)
    previous.write_text("ancienne version", encoding="utf-8")
    project.write(relative, text)
    with pytest.raises(BuildError):
        project.build()
    err = capsys.readouterr().err
    assert re.search(re.escape(relative) + r":\d+:\d+ — erreur de syntaxe YAML", err), err
    assert "Traceback" not in err
    assert previous.read_text(encoding="utf-8") == "ancienne version"


def test_make_html_reports_bad_content_in_french_without_traceback(project):
    project.write("offers/x.yaml", "reference: LF-2026-901\n")
    result = project.run("build", "--date", BUILD_DATE)
    assert result.returncode == 1
    assert "offers/x.yaml:1:1 — le champ obligatoire « titre » manque" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert not project.output.exists()


def test_readme_starts_with_the_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    head = readme[:800]
    assert "make html" in head and "make test" in head
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci and "apt-get" in ci
    assert subprocess.run(["bash", "-n", str(ROOT / ".ci" / "run")]).returncode == 0


def test_the_previous_build_is_deleted_after_the_new_one_is_in_place(project):
    """The new site replaces the previous one at once; the previous one (thousands of files on a
    large board) is deleted by a detached process, and nothing of it is left next to output/."""
    import time

    project.write("output/ancien-fichier.txt", "de la construction précédente")
    result = project.run("build", "--date", BUILD_DATE)
    assert result.returncode == 0, result.stderr
    assert (project.output / "index.html").is_file()
    assert not (project.output / "ancien-fichier.txt").exists()
    deadline = time.monotonic() + 60
    while (left := sorted(p.name for p in project.root.iterdir() if p.name.startswith(".output"))) and (
        time.monotonic() < deadline
    ):
        time.sleep(0.05)  # polling the condition: the detached deletion, not a fixed wait
    assert left == [], left


def test_no_import_cycle_and_no_stage_imports_a_later_one():
    """The pipeline's modules import only their own or earlier stages (tools/modulemap.py):
    the calendar reached into a view, derive into the views, the image cache into the page
    writer, the registry into the hosting step; a cycle ran through calendar.py and the views."""
    from tools.modulemap import back_references, cycles, graph

    edges = graph()
    assert "svgmap" in edges and "views.offers" in edges  # the map covers the package
    assert cycles(edges) == []
    assert back_references(edges) == []
