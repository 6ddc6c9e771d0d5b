"""The welcome brochure as a PDF (/plaquette-accueil.pdf), made with WeasyPrint after the build.

A cover (the territory's picture, the site's address and a QR code to the offer board), the
table of contents with page numbers, the brochure chapters (content/pages/accueil/), the partner
directory and an appendix of the open offers as compact sheets with their photo. Chapters follow
each other without forced page breaks, so no page is left mostly blank. Only files of the built
site are read. If WeasyPrint or its system libraries are missing, the build says so and goes on.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from .calendar import absolute_base
from .formats import date as date_fr
from .images import Images, load_images
from .markup import render
from .models import NATURES, SECTEURS, TYPES_PARTENAIRE
from .pages import page_metadata
from .views.offers import key_figures

PDF_NAME = "plaquette-accueil.pdf"
# The QR code of the cover, also published beside the PDF (for posters and flyers).
QR_NAME = "plaquette-qr-offres.svg"
# Beyond this many open offers the appendix lists the newest ones and points to the site.
APPENDIX_LIMIT = 150

CSS = """
@page { size: A4; margin: 18mm 16mm 20mm;
  @bottom-center { content: "Page " counter(page) " / " counter(pages); font-size: 9pt; color: #4f5d63; } }
@page cover { margin: 0; @bottom-center { content: none; } }
body { margin: 0; }
html { font-family: "DejaVu Sans", sans-serif; font-size: 10.5pt; line-height: 1.45; color: #1d2a2f; }
h1, h2, h3 { color: #1f3f1b; line-height: 1.2; break-after: avoid; }
.cover { page: cover; break-after: page; position: relative; height: 297mm; background: #1f3f1b; color: #fff; }
.cover-photo { display: block; width: 210mm; height: 165mm; object-fit: cover; }
.cover-text { padding: 10mm 16mm 0; }
.cover .network { font-size: 12pt; letter-spacing: .03em; color: #ffecb3; margin: 0 0 3mm; }
.cover h1 { color: #fff; font-size: 27pt; margin: 0 0 5mm; }
.cover p { font-size: 12pt; margin: 0 0 2mm; }
.cover-foot { position: absolute; left: 16mm; right: 16mm; bottom: 14mm; display: flex; align-items: flex-end; gap: 8mm; }
.cover-foot .qr { width: 36mm; height: 36mm; background: #fff; padding: 2mm; }
.cover-foot .address { font-size: 15pt; font-weight: bold; margin: 0 0 2mm; }
.cover-foot p { margin: 0; }
.toc ol { list-style: none; padding: 0; }
.toc li { margin: 2.5mm 0; }
.toc a { color: inherit; text-decoration: none; }
.toc a::after { content: leader(".") target-counter(attr(href), page); }
.facts { display: flex; gap: 6mm; margin: 8mm 0; }
.facts div { flex: 1; border-top: 3px solid #2d5a27; padding-top: 2mm; }
.facts strong { display: block; font-size: 20pt; color: #1f3f1b; }
section.chapter { margin-top: 10mm; }
section.chapter > h1 { font-size: 19pt; border-bottom: 2px solid #2d5a27; padding-bottom: 2mm; }
section.chapter img { max-width: 100%; height: auto; }
.partner { break-inside: avoid; margin: 0 0 4mm; }
.partner h3 { margin: 0; font-size: 11pt; }
.partner p { margin: 0; font-size: 9.5pt; }
.sheet { break-inside: avoid; border: 1px solid #9aa89a; border-radius: 2mm; padding: 3mm 4mm; margin: 0 0 4mm; overflow: hidden; }
.sheet img { float: right; width: 44mm; height: 27.5mm; object-fit: cover; margin: 0 0 1mm 4mm; border-radius: 1mm; }
.sheet h3 { margin: 0 0 1mm; font-size: 11pt; }
.sheet p { margin: 0.5mm 0; font-size: 9.5pt; }
.ref { font-weight: bold; color: #8a3b12; }
a { color: #1f3f1b; }
"""


def _chapters(content: Path) -> list[tuple[str, str, str]]:
    """(anchor, title, html) of each brochure page, in `Ordre` order."""
    found = []
    for path in sorted((content / "pages" / "accueil").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        meta = page_metadata(text)
        body = text.split("\n\n", 1)[1] if "\n\n" in text else ""
        order = int(meta.get("ordre", ("99", 0))[0] or 99)
        found.append((order, path.stem, meta.get("title", (path.stem, 0))[0], render(body, demote=0)))
    return [(f"chap-{stem}", title, html) for _, stem, title, html in sorted(found)]


def board_url(config) -> str:
    """The offer board's public address, for the cover's QR code."""
    base = absolute_base(config)
    return f"{base}/offres/" if base.startswith(("http://", "https://")) else f"https://{base.strip('/') or 'localhost'}/offres/"


def qr_svg(url: str) -> str:
    """The QR code of ``url`` as SVG (segno: pure Python, same input, same bytes)."""
    import io

    import segno

    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(out, kind="svg", scale=4, border=2, dark="#1d2a2f", light="#ffffff", xmldecl=False, nl=False, title="QR code : " + url)
    return out.getvalue().decode("utf-8")


def _photo(images: Images, relative: str | None, width: int = 960):
    """The published JPEG of a photo, the widest not above ``width`` (WeasyPrint reads JPEG)."""
    picture = images.get(relative) if relative else None
    if picture is None or picture.vector:
        return None
    fitting = [v for v in picture.jpeg if v.width <= width] or list(picture.jpeg[:1])
    return fitting[-1]


def brochure_html(site, images: Images | None = None) -> str:
    images = images or load_images(site.config)
    network = site.config.TERRITOIRE_RESEAU
    territory = site.config.TERRITOIRE_NOM
    siteurl = site.config.SITEURL
    board = board_url(site.config)
    address = board.split("://", 1)[1].rstrip("/").removesuffix("/offres")
    chapters = _chapters(Path(site.config.PATH))
    open_offers = site.open_offers
    appendix = open_offers[:APPENDIX_LIMIT]
    sections = [(a, t) for a, t, _ in chapters] + [("annuaire", "Annuaire des partenaires"), ("offres", "Annexe : les offres d'activités ouvertes")]
    day = site.build_date.isoformat()
    home = site.config.TERRITOIRE_PHOTO_ACCUEIL or {}
    cover = _photo(images, home.get("fichier"), 1600)
    out = [
        "<!doctype html><html lang='fr'><head><meta charset='utf-8'>",
        f"<title>Plaquette d'accueil — {escape(network)} {escape(territory)}</title>",
        f"<meta name='author' content='{escape(network)}'>",
        f"<meta name='dcterms.created' content='{day}'><meta name='dcterms.modified' content='{day}'>",
        f"<style>{CSS}</style></head><body>",
        "<div class='cover'>",
        f"<img class='cover-photo' src='/{escape(cover.path)}' alt='{escape(home.get('alt', ''))}'>" if cover else "",
        "<div class='cover-text'>",
        f"<p class='network'>Plaquette d'accueil du réseau {escape(network)}</p>",
        f"<h1>Créer ou reprendre une activité en {escape(territory)}</h1>",
        f"<p>{len(site.partners)} partenaires · {len(open_offers)} offres d'activités ouvertes</p>",
        f"<p>Édition du {date_fr(site.build_date)}</p></div>",
        "<div class='cover-foot'>",
        f"<img class='qr' src='/{QR_NAME}' alt='QR code menant aux offres d’activités : {escape(board)}'>",
        f"<div><p class='address'>{escape(address)}</p><p>Toutes les offres à jour, les partenaires et les événements :</p>",
        f"<p>flashez le code ou allez sur {escape(board)}</p></div></div></div>",
        "<nav class='toc'><h1>Sommaire</h1><ol>",
        *[f"<li><a href='#{a}'>{escape(t)}</a></li>" for a, t in sections],
        "</ol></nav>",
        "<div class='facts'>",
        f"<div><strong>{len(site.partners)}</strong> partenaires pour vous accompagner</div>",
        f"<div><strong>{len(open_offers)}</strong> offres d'activités ouvertes</div>",
        f"<div><strong>{len(site.upcoming_events())}</strong> événements à venir</div>",
        "</div>",
    ]
    for anchor, title, html in chapters:
        out.append(f"<section class='chapter' id='{anchor}'><h1>{escape(title)}</h1>{html}</section>")
    out.append("<section class='chapter' id='annuaire'><h1>Annuaire des partenaires</h1>")
    for type_code, label in TYPES_PARTENAIRE.items():
        members = sorted((p for p in site.partners.values() if p.type == type_code), key=lambda p: p.nom)
        if not members:
            continue
        out.append(f"<h2>{escape(label)}</h2>")
        for p in members:
            contact = " · ".join(escape(x) for x in (p.adresse, p.telephone, p.courriel, p.site) if x)
            out.append(f"<div class='partner'><h3>{escape(p.nom)}</h3><p>{contact}</p></div>")
    out.append("</section>")
    out.append("<section class='chapter' id='offres'><h1>Annexe : les offres d'activités ouvertes</h1>")
    out.append(f"<p>{len(open_offers)} offres ouvertes au {date_fr(site.build_date)}. Chaque offre est suivie par un partenaire référent ; détails et mises à jour sur {escape(siteurl or 'le site')}/offres/.</p>")
    photos_folder = images.offers_folder
    for offer in appendix:
        commune = offer.place
        figures = " · ".join(f"{k} : {v}" for k, v in key_figures(offer))
        photo = _photo(images, f"{photos_folder}/{offer.photos[0]['fichier']}", 480) if offer.photos else None
        out.append(
            "<div class='sheet'>"
            + (f"<img src='/{escape(photo.path)}' alt='{escape(offer.photos[0]['alt'])}'>" if photo else "")
            + f"<h3><span class='ref'>{escape(offer.reference)}</span> — {escape(offer.titre)}</h3>"
            f"<p>{escape(NATURES[offer.nature])} · {escape(SECTEURS[offer.secteur])} · {escape(commune.nom)} ({escape(commune.epci_nom)})</p>"
            + (f"<p>{escape(figures)}</p>" if figures else "")
            + f"<p>Référent : {escape(offer.partner.nom)}{' — ' + escape(offer.partner.telephone) if offer.partner.telephone else ''}</p></div>"
        )
    if len(open_offers) > len(appendix):
        out.append(f"<p>… et {len(open_offers) - len(appendix)} autres offres à consulter sur le site.</p>")
    out.append("</section></body></html>")
    return "".join(out)


def local_fetcher(output: Path, siteurl: str = ""):
    """A WeasyPrint URL fetcher that reads files of the built site only.

    Site-absolute links (« /images/x.png », or SITEURL + « /images/x.png ») are read from the
    output folder; data: URLs are allowed; anything else (another host, a file outside the
    output folder) is refused, with a warning, so making the PDF never touches the network."""
    from urllib.parse import unquote, urlsplit

    from weasyprint.urls import URLFetcher

    root = output.resolve()
    prefix = siteurl.rstrip("/") + "/" if urlsplit(siteurl).scheme in ("http", "https") else None

    class SiteFilesOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = None
            if prefix and url.startswith(prefix):
                path = root / unquote(urlsplit(url).path).lstrip("/")
            elif url.startswith("file:"):
                path = Path(unquote(urlsplit(url).path)).resolve()
                if not path.is_relative_to(root):  # « /images/x.png » resolved from the file system root
                    path = root / path.relative_to(path.anchor)
            if path is not None:
                path = path.resolve()
                if path.is_relative_to(root) and path.is_file():
                    return super().fetch(path.as_uri(), headers)
            raise ValueError(f"ressource refusée dans la plaquette PDF (seuls les fichiers du site sont lus) : {url}")

    return SiteFilesOnly(allowed_protocols={"file", "data"}, allow_redirects=False)


def make_pdf(run, say) -> None:
    """POSTPROCESSORS step: write output/plaquette-accueil.pdf, or explain why not."""
    output, site = run.output, run.site
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:
        say(f"⚠ Plaquette PDF non produite : WeasyPrint ou une bibliothèque système manque ({exc}). "
            "Installez les paquets pango (apt-get install libpango-1.0-0 libpangoft2-1.0-0) ; le reste du site est construit.")
        return
    say("Plaquette d'accueil en PDF…")
    (output / QR_NAME).write_text(qr_svg(board_url(site.config)), encoding="utf-8")
    html = brochure_html(site)
    document = HTML(string=html, base_url=str(output) + "/", url_fetcher=local_fetcher(output, site.config.SITEURL))
    try:
        pdf = document.write_pdf(pdf_identifier=b"plaquette-" + site.build_date.isoformat().encode(), pdf_variant="pdf/ua-1")
    except Exception as exc:  # the PDF is a bonus: a rendering failure must not block the site
        say(f"⚠ Plaquette PDF non produite : WeasyPrint n'a pas pu la mettre en page ({type(exc).__name__} : {exc}) ; le reste du site est construit.")
        return
    (output / PDF_NAME).write_bytes(pdf)
