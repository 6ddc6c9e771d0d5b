"""The page writer: pages written on a second thread, in order, handed to the search index
from memory; a page that would overwrite another, or that cannot be written, stops the build
with a French message and leaves the previous site intact."""

from __future__ import annotations

import pytest
from conftest import BUILD_DATE
from territoire.build import BuildError
from territoire.outputs import Output, Registry
from territoire.pagewriter import PageWriteError, PageWriter


def test_pages_and_data_files_are_written_in_their_folders(tmp_path):
    handed = []
    with PageWriter(str(tmp_path), lambda path, html: handed.append((path, html))) as pages:
        pages.submit("offres/scierie/index.html", "<p>Scierie à céder</p>", searchable=True)
        pages.submit("offres/scierie/offre.ics", b"BEGIN:VCALENDAR\r\n")
        pages.submit("offres/donnees.csv", "a,b\r\n1,2\r\n")
        pages.submit("offres/index.html", "<p>Liste</p>")
    assert (tmp_path / "offres" / "scierie" / "index.html").read_text(encoding="utf-8") == "<p>Scierie à céder</p>"
    assert (tmp_path / "offres" / "scierie" / "offre.ics").read_bytes() == b"BEGIN:VCALENDAR\r\n"
    assert (tmp_path / "offres" / "donnees.csv").read_bytes() == b"a,b\r\n1,2\r\n"  # line ends untouched
    # The pages the route table marks searchable go on to the search index, once written, from memory.
    assert handed == [(str(tmp_path / "offres" / "scierie" / "index.html"), "<p>Scierie à céder</p>")]


def test_the_same_address_twice_is_refused_in_french_when_declared():
    """The route table takes each address once, Pelican's pages (declared first) included:
    the collision is found before anything is written."""
    registry = Registry()
    registry.declare(Output.of("a-propos/index.html", "Pelican : page content/pages/a-propos.md", declared=True))
    registry.declare(Output.of("offres/index.html", "vue", declared=True))
    with pytest.raises(PageWriteError, match=r"deux pages du site auraient la même adresse \(offres/index.html\)"):
        registry.declare(Output.of("offres/index.html", "vue", declared=True))
    with pytest.raises(PageWriteError, match=r"\(a-propos/index.html\)"):
        registry.declare(Output.of("a-propos/index.html", "vue", declared=True))
    assert [o.producer for o in registry] == ["Pelican : page content/pages/a-propos.md", "vue"]


def test_a_page_that_cannot_be_written_is_reported_at_flush(tmp_path):
    (tmp_path / "offres").write_text("un fichier là où il faut un dossier", encoding="utf-8")
    pages = PageWriter(str(tmp_path))
    pages.submit("offres/scierie/index.html", "<p>x</p>")
    with pytest.raises(PageWriteError, match="une page n'a pas pu être écrite"):
        pages.flush()
    # Once failed, later pages are refused at once rather than queued behind the failure.
    with pytest.raises(PageWriteError):
        for n in range(1000):
            pages.submit(f"p{n}.html", "x")
    with pytest.raises(PageWriteError):
        pages.close()


def test_a_page_taking_a_generated_address_stops_the_build_and_keeps_the_previous_site(project, capsys):
    """A page of content/pages/ whose Save_as is a page the kit generates (here the open data
    page): Pelican would write it first, the kit's page would silently replace it."""
    previous = project.output / "index.html"
    previous.parent.mkdir(parents=True)
    previous.write_text("ancienne version", encoding="utf-8")
    project.write(
        "content/pages/piege.md", "Title: Piège\nSlug: piege\nSave_as: donnees-ouvertes/index.html\n\nTexte.\n"
    )
    # Validation refuses it (validate and build agree, issue 12 point 7); the writer's own
    # check of an address written twice is tested above.
    assert any(
        p.path == "content/pages/piege.md" and p.line == 3 and p.field == "Save_as"
        for p in project.load().report.errors
    )
    with pytest.raises(BuildError) as failure:
        project.build(date=BUILD_DATE)
    assert "rien n'a été construit, le site précédent est intact" in str(failure.value)
    assert previous.read_text(encoding="utf-8") == "ancienne version"
    assert not list(project.root.glob(".output-construction-*"))  # the half-built site is gone


def test_a_page_slug_taking_a_section_is_refused_by_validation(project):
    project.write("content/pages/donnees.md", "Title: Données\nSlug: donnees-ouvertes\n\nTexte.\n")
    report = project.load().report
    assert any(
        "l'adresse /donnees-ouvertes/ est réservée à une rubrique du site" in p.message for p in report.errors
    ), report.sorted()
