"""The search index is fed page by page while the site is written (search.py): what it holds,
read back from Pagefind's own files, and what happens when Pagefind is missing or misused."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from conftest import BUILD_DATE
from territoire.models import SECTEURS
from territoire.search import SearchIndex, SearchIndexError, executable


def _fragments(output: Path) -> dict[str, dict]:
    """Pagefind's record of each indexed page (gzip, then « pagefind_dcd » and JSON), by URL."""
    found = {}
    for path in (output / "pagefind" / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd")
        record = json.loads(data[len("pagefind_dcd") :])
        found[record["url"]] = record
    return found


def test_index_holds_open_offers_partners_events_and_pages_only(built_site, sample_site):
    indexed = _fragments(built_site)
    open_offers = {f"/{o.url}" for o in sample_site.open_offers}
    closed = {f"/{o.url}" for o in sample_site.published_offers} - open_offers
    assert open_offers <= indexed.keys()
    assert closed and not closed & indexed.keys(), (
        "une offre conclue, retirée ou expirée ne doit pas sortir dans la recherche"
    )
    assert {f"/{p.url}" for p in sample_site.partners.values()} <= indexed.keys()
    assert {f"/{e.url}" for e in sample_site.events} <= indexed.keys()
    assert "/accueil/" in indexed and "/mentions-legales/" in indexed
    # Lists and facet pages repeat the offers: never in the results.
    assert not [url for url in indexed if url.startswith(("/offres/page/", "/offres/secteur/", "/offres/commune/"))]
    assert "/offres/" not in indexed
    # Every searchable page of the site is in the index, and nothing else.
    searchable = {
        "/" + p.relative_to(built_site).as_posix().removesuffix("index.html")
        for p in built_site.rglob("*.html")
        if "data-pagefind-body" in p.read_text(encoding="utf-8")
    }
    assert searchable == indexed.keys()


def test_offer_record_is_the_offer_not_its_surroundings(built_site, sample_site):
    offer = next(o for o in sample_site.open_offers if o.slug == "boulangerie-patisserie-ambert")
    record = _fragments(built_site)[f"/{offer.url}"]
    assert record["meta"]["title"] == offer.titre
    assert "myrtilles" in record["content"]
    assert record["filters"]["secteur"] == [SECTEURS[offer.secteur]]
    referent = offer.partner
    # The referent's card, the breadcrumb and the map are not what the offer is about.
    assert referent.courriel not in record["content"]
    assert "Carte de situation" not in record["content"]
    assert not record["content"].startswith("Offres d'activités ›")


def test_pages_written_after_the_index_is_closed_are_left_out(tmp_path):
    binary = executable()
    assert binary, "Pagefind doit être installé (pagefind[bin] dans requirements.txt)"
    index = SearchIndex(tmp_path, binary)
    try:
        first = tmp_path / "a" / "index.html"
        first.parent.mkdir()
        first.write_text(
            '<html lang="fr"><body><main data-pagefind-body><h1>Premier</h1><p>Scierie à reprendre.</p></main></body></html>',
            encoding="utf-8",
        )
        index.add_page(str(first), first.read_text(encoding="utf-8"))
        index.write_files()
        late = tmp_path / "b" / "index.html"
        late.parent.mkdir()
        late.write_text(first.read_text(encoding="utf-8"), encoding="utf-8")
        index.add_page(str(late), late.read_text(encoding="utf-8"))  # the lists come after the index: not indexed
        assert index.finish() == 1
    finally:
        index.close()
    assert list(_fragments(tmp_path)) == ["/a/"]


def test_only_pelican_pages_with_the_marker_are_sent(tmp_path):
    """Pelican's own pages reach Pagefind through the output registry, which reads each once."""
    from territoire.outputs import Registry

    sent = []
    registry = Registry()
    receive = registry.pelican_written(str(tmp_path), lambda path, html: sent.append(path))
    pages = {
        "liste/index.html": "<html><body><h1>Liste</h1></body></html>",
        "a/index.html": "<main data-pagefind-body><h1>A</h1></main>",
        "flux.atom": "<feed/>",
    }
    for relative, text in pages.items():
        (tmp_path / relative).parent.mkdir(exist_ok=True)
        (tmp_path / relative).write_text(text, encoding="utf-8")
        receive(str(tmp_path / relative), {"page_name": "index"})
    assert sent == [str(tmp_path / "a" / "index.html")]
    assert [o.path for o in registry if o.searchable] == ["a/index.html"]
    assert {o.path for o in registry} == set(pages)


def test_pagefind_that_stops_at_once_is_reported(tmp_path):
    with pytest.raises(SearchIndexError, match="Pagefind s'est arrêté"):
        SearchIndex(tmp_path, "/bin/false")


@pytest.mark.parametrize("binary", ["/bin/false", "/nulle-part/pagefind"])
def test_build_without_a_working_pagefind_is_built_without_search(project, capsys, binary):
    output = project.output
    from territoire.build import build

    build(output=str(output), overrides={**project.overrides(), "TERRITOIRE_PAGEFIND": binary}, date=BUILD_DATE)
    said = capsys.readouterr().out
    assert "sera construit sans index de recherche" in said and "pip install 'pagefind[bin]'" in said
    assert "Traceback" not in said
    assert (output / "offres" / "index.html").exists() and (output / "recherche" / "index.html").exists()
    assert not (output / "pagefind").exists()


def _page(root: Path, name: str, text: str) -> str:
    path = root / name / "index.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f'<html lang="fr"><body><main data-pagefind-body><h1>{name}</h1><p>{text}</p></main></body></html>',
        encoding="utf-8",
    )
    return str(path)


def _index_files(output: Path) -> dict[str, bytes]:
    """Pagefind's files, but for the ones that differ from one run to the next (its filters)."""
    folder = output / "pagefind"
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file()
        and not p.relative_to(folder).as_posix().startswith(("filter/", "pagefind.fr_", "pagefind-entry"))
    }


def _fresh(output: Path, pages: dict[str, str]) -> dict[str, bytes]:
    output.mkdir()
    index = SearchIndex(output, executable())
    for name, text in pages.items():
        index.add_page(_page(output, name, text), None)
    index.write_files()
    index.finish()
    return _index_files(output)


def test_a_kept_index_takes_only_the_pages_written_again_and_matches_a_fresh_one(tmp_path):
    """The preview keeps Pagefind and its index from one build to the next (``keep``): a round
    hands it only the pages written again, and its files are the ones a fresh index makes of the
    same pages; a page gone, and the index is made afresh. Its files left are the new ones only."""
    site = tmp_path / "site"
    site.mkdir()
    pages = {"scierie": "Scierie à reprendre.", "fournil": "Fournil du bourg.", "garage": "Garage rural."}
    index = SearchIndex(site, executable())
    index.keep = True
    try:
        for name, text in pages.items():
            index.add_page(_page(site, name, text), None)
        index.write_files()
        assert index.finish() == 3 and index.alive

        # One page written again (in memory), the two others kept (None: their files).
        assert index.next_round(site)
        pages["fournil"] = "Fournil et pâtisserie du bourg."
        for name, text in pages.items():
            path = _page(site, name, text) if name == "fournil" else str(site / name / "index.html")
            index.add_page(path, Path(path).read_text(encoding="utf-8") if name == "fournil" else None)
        index.release()
        assert index.finish() == 3 and index.given == 1
        assert _index_files(site) == _fresh(tmp_path / "frais-1", pages)
        assert "pâtisserie" in _fragments(site)["/fournil/"]["content"]

        # A page gone: Pagefind makes the index afresh, of the two left.
        assert index.next_round(site)
        del pages["garage"]
        for name in pages:
            index.add_page(str(site / name / "index.html"), None)
        index.release()
        assert index.finish() == 2 and index.given == 2
        assert _index_files(site) == _fresh(tmp_path / "frais-2", pages)
        assert set(_fragments(site)) == {"/scierie/", "/fournil/"}
    finally:
        index.close()
    assert not index.alive and not index.next_round(site)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_a_build_whose_searchable_pages_are_unchanged_reuses_the_last_index(project, capsys):
    """The last full build's index is kept in the content cache (search.SearchCache): a build
    whose searchable pages are the same, byte for byte and in the same order, takes it and
    Pagefind does nothing; a page changed, and Pagefind makes the index, which holds the change
    and is kept in turn; a kept file missing, and the index is made again."""
    from territoire.build import build

    def built(name: str) -> tuple[str, Path]:
        output = project.root / name
        build(output=str(output), overrides=project.overrides(), date=BUILD_DATE)
        return capsys.readouterr().out, output

    reused = "index repris de la construction précédente"
    said, first = built("site-1")
    assert "pages indexées dans pagefind/" in said and reused not in said, said
    said, second = built("site-2")
    assert reused in said, said
    # The same files, Pagefind's filter files included (they change from one run of it to the next).
    assert _files(second / "pagefind") == _files(first / "pagefind")

    offer = project.path("offers/boulangerie-patisserie-ambert.yaml")
    offer.write_text(
        offer.read_text(encoding="utf-8").replace("myrtilles", "myrtilles et zorglubs", 1), encoding="utf-8"
    )
    said, third = built("site-3")
    assert reused not in said and "pages indexées dans pagefind/" in said, said
    record = _fragments(third)["/offres/boulangerie-patisserie-ambert/"]
    assert "zorglubs" in record["content"]
    said, fourth = built("site-4")
    assert reused in said, said
    assert _files(fourth / "pagefind") == _files(third / "pagefind")

    blobs = project.root / ".cache" / "contenu" / "recherche" / "fichiers"
    next(blobs.iterdir()).unlink()
    said, fifth = built("site-5")
    assert reused not in said and "pages indexées dans pagefind/" in said, said
    assert "zorglubs" in _fragments(fifth)["/offres/boulangerie-patisserie-ambert/"]["content"]
    assert _index_files(fifth) == _index_files(third)


def test_a_kept_index_that_loses_a_file_before_it_is_copied_is_made_by_pagefind(tmp_path):
    """Two builds may share a content cache (``TERRITOIRE_CACHE_CONTENU``): a kept file can go
    between the decision to reuse the index and its copy. Pagefind then gets the pages held back
    and makes the index, which is the one a fresh index makes of the same pages."""
    from territoire.search import SearchCache

    pages = {"scierie": "Scierie à reprendre.", "fournil": "Fournil du bourg.", "garage": "Garage rural."}
    folder = tmp_path / "cache"

    def indexed(site: Path) -> SearchIndex:
        site.mkdir()
        index = SearchIndex(site, executable(), cache=SearchCache(folder, executable(), "fr"))
        for name, text in pages.items():
            index.add_page(_page(site, name, text), None)
        index.write_files()
        return index

    first = indexed(tmp_path / "un")
    assert first.finish() == 3 and not first.reused
    second = indexed(tmp_path / "deux")
    assert second.reused, "les mêmes pages : l'index gardé doit être repris"
    next((folder / "fichiers").iterdir()).unlink()
    assert second.finish() == 3
    assert not second.reused and second.given == 3
    assert _index_files(tmp_path / "deux") == _index_files(tmp_path / "un")
    assert set(_fragments(tmp_path / "deux")) == {"/scierie/", "/fournil/", "/garage/"}
