"""The welcome brochure: pages navigable as a brochure, and its PDF made by WeasyPrint."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from pathlib import Path

from conftest import BUILD_DATE, ROOT
from territoire.settings import THEME_PATH as KIT_THEME

CHAPTERS = [
    "accueil",
    "accueil/vivre-sur-le-territoire",
    "accueil/creer-ou-reprendre",
    "accueil/le-reseau-et-sa-charte",
    "accueil/financer-son-projet",
    "accueil/s-installer",
]


def pelican_pages(settings: dict | None = None) -> list:
    """Pelican's pages of content/pages/, read by Pelican's readers as a build reads them (the
    build hands them to the PDF brochure: run.pages)."""
    from pelican.contents import Page
    from pelican.readers import Readers
    from territoire.build import read_settings

    settings = settings or read_settings(overrides={"TERRITOIRE_BUILD_DATE": dt.date.fromisoformat(BUILD_DATE)})
    readers = Readers(settings)
    base = Path(settings["PATH"])
    return [
        readers.read_file(str(base), path.relative_to(base).as_posix(), content_class=Page, context={})
        for path in sorted((base / "pages").rglob("*.md"))
    ]


def pdf_text(path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, encoding="utf-8", check=True
    ).stdout


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
    for commitment in (
        "Co-responsabilité",
        "Libre parole et respect",
        "Confidentialité",
        "Ouverture et transparence",
        "Convivialité",
    ):
        assert commitment in text


def test_pdf_has_cover_sections_and_every_open_offer(built_site, sample_site):
    pdf = built_site / "plaquette-accueil.pdf"
    assert pdf.read_bytes().startswith(b"%PDF-")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, encoding="utf-8", check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert pages >= 8
    # The document's title, as readers and screen readers announce it (PDF/UA).
    assert re.search(r"^Title:\s+Plaquette d’accueil — Cap Actif Livradois-Forez$", info, re.M), info
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


def test_pdf_keeps_phone_numbers_whole_and_gives_each_offer_its_address(built_site, sample_site):
    """A phone number is never split across two lines; each offer's sheet ends with its public
    address, as a link and as a QR code."""
    pdf = built_site / "plaquette-accueil.pdf"
    text = pdf_text(pdf)
    phones = {p.telephone for p in sample_site.partners.values() if p.telephone}
    assert phones
    for phone in phones:
        assert phone in text, f"numéro coupé ou absent : {phone}"
    links = subprocess.run(["pdfinfo", "-url", str(pdf)], capture_output=True, text=True, encoding="utf-8").stdout
    for offer in sample_site.open_offers:
        assert f"/{offer.url}" in text.replace("\n", ""), offer.url
        assert re.search(rf"{re.escape(offer.url)}\s*$", links, re.M), offer.url
    # The QR codes are drawn in the PDF: one per sheet in the HTML it is printed from.
    from territoire.brochure_pdf import brochure_html

    assert brochure_html(sample_site, pelican_pages()).count('<span class="sheet-qr"><svg') == len(
        sample_site.open_offers
    )


def _pages_text(pdf) -> list[str]:
    count = int(
        re.search(
            r"Pages:\s+(\d+)",
            subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, encoding="utf-8", check=True).stdout,
        ).group(1)
    )
    return [
        subprocess.run(
            ["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"],
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=True,
        ).stdout
        for n in range(1, count + 1)
    ]


def test_pdf_cover_has_picture_address_and_qr_code_to_the_board(built_site, sample_site):
    import segno
    from territoire.brochure_pdf import QR_NAME, brochure_html

    pdf = built_site / "plaquette-accueil.pdf"
    cover = _pages_text(pdf)[0]
    assert "cap-actif.example.org" in cover and "https://cap-actif.example.org/offres/" in cover
    assert "Créer ou reprendre une activité" in cover
    # The QR code published beside the PDF is segno's code of the board's address, and the cover shows it.
    expected = segno.make("https://cap-actif.example.org/offres/", error="m", micro=False)
    svg = (built_site / QR_NAME).read_text(encoding="utf-8")
    out = __import__("io").BytesIO()
    expected.save(
        out,
        kind="svg",
        scale=4,
        border=2,
        dark="#1d2a2f",
        light="#ffffff",
        xmldecl=False,
        nl=False,
        title="QR code : https://cap-actif.example.org/offres/",
    )
    assert svg == out.getvalue().decode()
    html = brochure_html(sample_site, pelican_pages())
    cover_html = html.split('<div class="cover">')[1].split('<nav class="toc">')[0]
    assert f'<img class="qr" src="/{QR_NAME}"' in cover_html
    assert '<img class="cover-photo" src="/images/territoire/livradois-forez-1600.' in cover_html
    # Pictures inside: the cover photo, the chapters' images (1600 px copies) and the open offers' photos.
    listed = subprocess.run(
        ["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    sizes = [tuple(int(n) for n in line.split()[3:5]) for line in listed]
    chapters = (ROOT / "content" / "pages" / "accueil").glob("*.md")
    assert sizes.count((1600, 1000)) == 1 + sum(p.read_text(encoding="utf-8").count("](/images/") for p in chapters)
    assert sizes.count((480, 300)) == sum(1 for o in sample_site.open_offers if o.photos)


def test_pdf_layout_and_styles_are_the_themes(sample_site):
    """A territory reshapes or restyles its brochure in the theme (theme/templates/pdf/), as it
    does its pages: the document is pdf/brochure.html, its styles pdf/brochure.css."""
    from territoire.brochure_pdf import brochure_html

    html = brochure_html(sample_site, pelican_pages())
    styles = (KIT_THEME / "templates" / "pdf" / "brochure.css").read_text(encoding="utf-8")
    assert html.startswith('<!doctype html>\n<html lang="fr">')
    assert f"<style>{styles.rstrip()}</style>" in html
    assert 'id="annuaire"' in html and 'id="offres"' in html


def test_pdf_has_no_mostly_blank_page(built_site):
    texts = [len(t.strip()) for t in _pages_text(built_site / "plaquette-accueil.pdf")]
    inner = texts[1:-1]  # the cover is a picture; the last page ends where the text ends
    full = sorted(inner)[len(inner) // 2]
    assert [n for n, size in enumerate(inner, start=2) if size < full / 2] == [], texts


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
    result = subprocess.run(
        [str(ROOT / ".venv/bin/invoke"), "build", "--date", BUILD_DATE, "--output", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert result.returncode == 0, result.stderr
    assert (
        "⚠ Plaquette PDF non produite : WeasyPrint ou une bibliothèque système manque (cannot load library 'libpango-1.0-0')"
        in result.stdout
    )
    assert (out / "index.html").exists() and not (out / "plaquette-accueil.pdf").exists()


# --- accessibility of the brochure, event and figures pages, checked in Chromium ----------------
import pytest  # noqa: E402

A11Y_PAGES = [
    *[f"/{slug}/" for slug in CHAPTERS],
    "/evenements/",
    "/evenements/salon-creation-reprise-ambert-2027/",
    "/evenements/micro-marche-lyon-2025/",
    "/reseau/bilan/",
    "/",
]

# Runs in the page: headings, unnamed links, tables without caption or scope, and every text whose
# contrast with its (opaque) background is below WCAG 2.1 AA.
AUDIT_JS = """() => {
  const parse = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] === 1)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const low = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('svg') || el.closest('.visually-hidden, .skip-link')) continue;
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    const box = el.getBoundingClientRect();
    if (!own || box.width === 0 || box.height === 0) continue;
    const style = getComputedStyle(el);
    const [l1, l2] = [lum(parse(style.color).slice(0, 3)), lum(background(el))].sort((a, b) => b - a);
    const ratio = (l1 + 0.05) / (l2 + 0.05);
    const size = parseFloat(style.fontSize), bold = parseInt(style.fontWeight, 10) >= 700;
    const need = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    if (ratio < need) low.push(`${el.tagName} « ${el.textContent.trim().slice(0, 40)} » ${ratio.toFixed(2)}`);
  }
  return {
    headings: [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map((h) => Number(h.tagName[1])),
    // A link's name: its text, its aria-label, or its images' text alternatives (a logo).
    unnamedLinks: [...document.querySelectorAll('a')].filter((a) => !(a.innerText || a.getAttribute('aria-label') || [...a.querySelectorAll('img[alt]')].map((i) => i.alt).join(' ')).trim()).length,
    badTables: [...document.querySelectorAll('table')].filter((t) => !t.querySelector('caption') || t.querySelectorAll('th:not([scope])').length).length,
    navsWithoutLabel: [...document.querySelectorAll('nav')].filter((n) => !n.getAttribute('aria-label')).length,
    lang: document.documentElement.lang,
    lowContrast: low,
  };
}"""


@pytest.mark.browser
@pytest.mark.parametrize("path", A11Y_PAGES)
def test_brochure_event_and_figures_pages_meet_the_accessibility_bar(page, path):
    page.goto(page.base + path)
    audit = page.evaluate(AUDIT_JS)
    levels = audit["headings"]
    assert levels.count(1) == 1 and levels[0] == 1, levels
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), levels
    assert audit["unnamedLinks"] == 0
    assert audit["badTables"] == 0
    assert audit["navsWithoutLabel"] == 0
    assert audit["lang"] == "fr"
    assert audit["lowContrast"] == []
    assert page.outside_requests == [] and page.console_errors == []


def test_pdf_reads_only_files_of_the_built_site(project, tmp_path):
    import http.server
    import threading

    from PIL import Image

    requested = []

    class Recorder(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            requested.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        Image.new("RGB", (800, 450), (45, 90, 39)).save(project.path("content/images/vue-du-parc.png"))
        page = project.path("content/pages/accueil/01-vivre-sur-le-territoire.md")
        # Images must be files of content/images/, raw HTML ones too (checked at validation;
        # the sanitiser drops any other address, and the PDF's URL fetcher is a third line).
        original = page.read_text(encoding="utf-8")
        local = "\n\n![Vue des monts du Forez](/images/vue-du-parc.png)\n\n"
        outside = (
            f'<img src="http://127.0.0.1:{server.server_address[1]}/ailleurs.png" alt="Image hébergée ailleurs">\n\n'
            '<img src="/etc/hostname" alt="Fichier du système">\n'
        )
        page.write_text(original + local + outside, encoding="utf-8")
        refused = [p.message for p in project.load().report.errors]
        assert len(refused) == 1 and "ailleurs.png » n'est pas une image de content/images/" in refused[0], refused
        page.write_text(original + local, encoding="utf-8")
        output = project.build(date=BUILD_DATE)
    finally:
        server.shutdown()
    pdf = output / "plaquette-accueil.pdf"
    assert pdf.exists()
    assert requested == []  # nothing fetched over the network, not even from 127.0.0.1
    images = subprocess.run(
        ["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    sizes = [tuple(int(n) for n in line.split()[3:5]) for line in images]
    assert (800, 450) in sizes  # the site's own image…
    assert set(sizes) <= {(800, 450), (1600, 1000), (480, 300)}  # …besides the photos of the sample, and nothing else


def test_pdf_chapters_are_the_pages_the_site_shows_read_once(project, built_site, sample_site):
    """One reading of each page: Pelican's reader is given the text the validate stage read and
    checked (a file changed on disk after the check cannot slip into the site or the PDF
    unchecked), and the PDF's chapters are Pelican's pages, the same HTML as the site's."""
    from territoire.brochure_pdf import brochure_html
    from territoire.outputs import Registry
    from territoire.plugin import TerritoireMarkdownReader
    from territoire.run import Run
    from territoire.views.brochure import fill_figures

    site = project.load()
    chapter = next((project.root / "content" / "pages" / "accueil").glob("01-*.md"))
    checked = chapter.read_text(encoding="utf-8")
    chapter.write_text("Title: Remplacé après la vérification\n\n<script>x</script>\n", encoding="utf-8")
    settings = {**project.settings(), "TERRITOIRE_RUN": Run(site, None, project.output, Registry(), None)}
    content, metadata = TerritoireMarkdownReader(settings).read(str(chapter))
    assert metadata["title"] == checked.split("\n", 1)[0].removeprefix("Title: ")
    assert "Remplacé" not in content and "<script>" not in content
    # Outside a build, the reader reads the file as Pelican's does.
    assert (
        TerritoireMarkdownReader(project.settings()).read(str(chapter))[1]["title"] == "Remplacé après la vérification"
    )

    pages = pelican_pages()
    html = brochure_html(sample_site, pages)
    chapters = [p for p in pages if p.slug in CHAPTERS]
    assert len(chapters) == len(CHAPTERS)
    for page in chapters:
        published = (built_site / page.slug / "index.html").read_text(encoding="utf-8")
        first = fill_figures(re.search(r"<p>(.{40,}?)</p>", page.content).group(1), sample_site)
        assert first in html and first in published, page.slug
    # In the site's order (Ordre, then address), the same as the brochure's navigation.
    anchors = re.findall(r'<section class="chapter" id="chap-([^"]+)"', html)
    assert anchors == [Path(p.source_path).stem for p in sorted(chapters, key=lambda p: CHAPTERS.index(p.slug))]
