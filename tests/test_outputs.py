"""The output registry (outputs.py): every file of the built site with the code that wrote it,
read by the sitemap and by `invoke outputs`."""

from __future__ import annotations

import subprocess
from pathlib import Path

from territoire.outputs import Registry

ROOT = Path(__file__).resolve().parents[1]


def _outputs(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(ROOT / ".venv" / "bin" / "invoke"), "outputs", *args], cwd=ROOT, capture_output=True, encoding="utf-8"
    )


def test_every_file_of_the_site_is_in_the_registry_and_nothing_else(built_site):
    registry = Registry.load(built_site)
    on_disk = {p.relative_to(built_site).as_posix() for p in built_site.rglob("*") if p.is_file()}
    on_disk.discard("_hebergement/sorties.json")  # the registry itself, saved last
    # Pagefind's files named after a hash that changes between builds: one stable pattern each.
    on_disk = {"pagefind/filter/*.pf_filter" if p.startswith("pagefind/filter/") else p for p in on_disk}
    on_disk = {
        "pagefind/pagefind.*.pf_meta" if p.startswith("pagefind/pagefind.") and p.endswith(".pf_meta") else p
        for p in on_disk
    }
    assert {o.path for o in registry} == on_disk
    offer = registry.get("offres/boulangerie-patisserie-ambert/index.html")
    assert offer.producer == "territoire/views/offers.py:write" and offer.template == "pages/offre"
    assert offer.searchable and offer.sitemap and not offer.noindex
    assert registry.get("offres/offres.csv").producer.startswith("territoire/views/exports.py:")
    assert registry.get("accessibilite/index.html").producer == "Pelican : page content/pages/accessibilite.md"
    # The search page is the search view's, not the offer board's.
    assert registry.get("recherche/index.html").producer == "territoire/views/search.py:write_late"
    # Pelican's own pages name their template as the theme files it: theme/templates/pages/.
    assert registry.get("accessibilite/index.html").template == "pages/page"
    assert registry.get("index.html").template == "pages/index"


def test_the_sitemap_is_the_registrys_list_of_indexable_pages(built_site):
    registry = Registry.load(built_site)
    sitemap = (built_site / "sitemap.xml").read_text(encoding="utf-8")
    listed = [line.split("<loc>")[1].split("</loc>")[0] for line in sitemap.splitlines() if "<loc>" in line]
    assert listed == [f"/{o.path.removesuffix('index.html')}" for o in registry.sitemap()]
    noindex = [o for o in registry if o.noindex]
    assert noindex, "the sample has withdrawn and expired offers"
    for page in noindex:
        assert '<meta name="robots" content="noindex">' in (built_site / page.path).read_text(encoding="utf-8")
        assert f"<loc>/{page.url.lstrip('/')}</loc>" not in sitemap
    assert "/404.html" not in sitemap and "/admin/" not in sitemap


def test_invoke_outputs_goes_from_an_address_to_its_code_and_template(built_site):
    result = _outputs(
        "--output", str(built_site), "--", "/offres/", "https://exemple.fr/carte/", "/evenements/evenements.ics"
    )
    assert result.returncode == 0, result.stderr
    assert (
        "offres/index.html ← territoire/views/offers.py:_write_list · gabarit theme/templates/pages/offres.html"
        in result.stdout
    )
    assert (
        "carte/index.html ← territoire/views/map.py:write · gabarit theme/templates/pages/carte.html" in result.stdout
    )
    assert "evenements/evenements.ics ← territoire/views/events.py:write" in result.stdout


def test_invoke_outputs_names_the_content_files_a_page_is_made_from(built_site):
    result = _outputs("--output", str(built_site), "--", "/offres/boulangerie-patisserie-ambert/")
    assert result.returncode == 0, result.stderr
    assert (
        "offres/boulangerie-patisserie-ambert/index.html ← territoire/views/offers.py:write · gabarit "
        "theme/templates/pages/offre.html · d'après offers/boulangerie-patisserie-ambert.yaml, "
        "content/partenaires/cci-ambert.md, "
    ) in result.stdout


def test_invoke_outputs_lists_every_file_and_says_when_an_address_leads_nowhere(built_site, tmp_path):
    everything = _outputs("--output", str(built_site))
    assert everything.returncode == 0
    assert len(everything.stdout.splitlines()) == len(Registry.load(built_site))
    missing = _outputs("--output", str(built_site), "--", "/offres/n-existe-pas/")
    assert missing.returncode == 1
    assert "/offres/n-existe-pas/ : aucun fichier du site à cette adresse." in missing.stdout
    unbuilt = _outputs("--output", str(tmp_path))
    assert unbuilt.returncode == 2
    assert "construisez-le d'abord : invoke build" in unbuilt.stderr
