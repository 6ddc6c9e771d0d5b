"""The welcome brochure: pages navigable as a brochure, and its PDF made by WeasyPrint."""

from __future__ import annotations

import os
import re
import subprocess

from conftest import BUILD_DATE, ROOT

CHAPTERS = ["accueil", "accueil/vivre-sur-le-territoire", "accueil/creer-ou-reprendre", "accueil/le-reseau-et-sa-charte", "accueil/financer-son-projet", "accueil/s-installer"]


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, encoding="utf-8", check=True).stdout


def test_brochure_pages_have_table_of_contents_and_previous_next(built_site):
    for index, slug in enumerate(CHAPTERS):
        html = (built_site / slug / "index.html").read_text(encoding="utf-8")
        toc = html.split('aria-label="Sommaire de la plaquette d\'accueil"')[1].split("</nav>")[0]
        assert re.findall(r'href="/([^"]+)/"', toc) == CHAPTERS
        assert f'href="/{slug}/" aria-current="page"' in toc
        pager = html.split('aria-label="Pages précédente et suivante de la plaquette"')[1].split("</nav>")[0]
        if index:
            assert f'href="/{CHAPTERS[index - 1]}/" rel="prev"' in pager
        if index < len(CHAPTERS) - 1:
            assert f'href="/{CHAPTERS[index + 1]}/" rel="next"' in pager
        assert html.count("<h1") == 1


def test_charter_page_states_the_commitments(built_site):
    text = (built_site / "accueil" / "le-reseau-et-sa-charte" / "index.html").read_text(encoding="utf-8")
    for commitment in ("Co-responsabilité", "Libre parole et respect", "Confidentialité", "Ouverture et transparence", "Convivialité"):
        assert commitment in text


def test_pdf_has_cover_sections_and_every_open_offer(built_site, sample_site):
    pdf = built_site / "plaquette-accueil.pdf"
    assert pdf.read_bytes().startswith(b"%PDF-")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, encoding="utf-8", check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert pages >= 8
    assert "Paper size:      595.276 x 841.89 pts (A4)" in info or "A4" in info
    text = pdf_text(pdf)
    assert "Plaquette d'accueil du réseau Cap Actif" in text and "Sommaire" in text
    toc = text.split("Sommaire")[1].split("Page 2")[0]
    entries = re.findall(r"^(\S.*?)\s*\.{3,}\s*(\d+)\s*$", toc, re.M)
    assert len(entries) == len(CHAPTERS) + 2  # the chapters, the directory, the offers appendix
    assert [e[0] for e in entries][-2:] == ["Annuaire des partenaires", "Annexe : les offres d'activités ouvertes"]
    assert [int(n) for _, n in entries] == sorted(int(n) for _, n in entries)
    assert f"Page {pages} / {pages}" in text
    for offer in sample_site.open_offers:
        assert offer.reference in text, offer.reference
    for partner in sample_site.partners.values():
        assert partner.nom.split()[0] in text


def test_pdf_is_reproducible(built_site, tmp_path):
    from territoire.build import build

    other = build(output=str(tmp_path / "o"), date=BUILD_DATE, quiet=True)
    assert (other / "plaquette-accueil.pdf").read_bytes() == (built_site / "plaquette-accueil.pdf").read_bytes()


def test_build_goes_on_with_a_clear_message_without_weasyprint(tmp_path):
    broken = tmp_path / "casse"
    broken.mkdir()
    # A real failing import, as when Pango is missing from the system.
    (broken / "weasyprint.py").write_text("raise OSError(\"cannot load library 'libpango-1.0-0'\")\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(broken)}
    out = tmp_path / "site"
    result = subprocess.run([str(ROOT / ".venv/bin/invoke"), "build", "--date", BUILD_DATE, "--output", str(out)], cwd=ROOT, env=env, capture_output=True, text=True, encoding="utf-8")
    assert result.returncode == 0, result.stderr
    assert "⚠ Plaquette PDF non produite : WeasyPrint ou une bibliothèque système manque (cannot load library 'libpango-1.0-0')" in result.stdout
    assert (out / "index.html").exists() and not (out / "plaquette-accueil.pdf").exists()
