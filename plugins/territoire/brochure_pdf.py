"""The welcome brochure as a PDF (/plaquette-accueil.pdf), made with WeasyPrint after the build.

A cover (the territory's picture, the site's address and a QR code to the offer board), the
table of contents with page numbers, the brochure chapters (content/pages/accueil/), the partner
directory and an appendix of the open offers as compact sheets with their photo. Chapters follow
each other without forced page breaks, so no page is left mostly blank. Only files of the built
site are read. If WeasyPrint or its system libraries are missing, the build says so and goes on.
"""

from __future__ import annotations

import threading
from pathlib import Path

from markupsafe import Markup

from .calendar import absolute_base
from .contentcache import Brochures, qr_codes
from .contentcache import cache_folder as content_cache_folder
from .images import Images, load_images
from .models import NATURES, SECTEURS, TYPES_PARTENAIRE
from .plugin import theme_environment
from .routes import address
from .views.brochure import brochure_pages, fill_figures
from .views.offers import key_figures

PDF_NAME = "plaquette-accueil.pdf"
# The QR code of the cover, also published beside the PDF (for posters and flyers).
QR_NAME = "plaquette-qr-offres.svg"
# Beyond this many open offers the appendix lists the newest ones and points to the site.
APPENDIX_LIMIT = 150


def _chapters(pages: list, site) -> list[dict]:
    """The anchor, title and html of each brochure page: Pelican's pages of /accueil/ as the
    site shows them (the same reading, the same HTML, the same order: views/brochure.py), with
    the territory's figures filled in."""
    return [
        {
            "anchor": f"chap-{Path(page.source_path).stem}",
            "title": page.title,
            "html": fill_figures(Markup(page.content), site),
        }
        for page in brochure_pages(pages)
    ]


def board_url(config) -> str:
    """The offer board's public address, for the cover's QR code."""
    base = absolute_base(config)
    return (
        f"{base}/{address('offres')}"
        if base.startswith(("http://", "https://"))
        else f"https://{base.strip('/') or 'localhost'}/{address('offres')}"
    )


def qr_svg(url: str) -> str:
    """The QR code of ``url`` as SVG (segno: pure Python, same input, same bytes)."""
    import io

    import segno

    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(
        out,
        kind="svg",
        scale=4,
        border=2,
        dark="#1d2a2f",
        light="#ffffff",
        xmldecl=False,
        nl=False,
        title="QR code : " + url,
    )
    return out.getvalue().decode("utf-8")


def _photo(images: Images, relative: str | None, width: int = 960):
    """The published JPEG of a photo, the widest not above ``width`` (WeasyPrint reads JPEG)."""
    picture = images.get(relative) if relative else None
    if picture is None or picture.vector:
        return None
    fitting = [v for v in picture.jpeg if v.width <= width] or list(picture.jpeg[:1])
    return fitting[-1]


def brochure_html(site, pages: list, images: Images | None = None) -> str:
    """The brochure's HTML, from the theme's pdf/brochure.html (its styles in pdf/brochure.css);
    ``pages``: Pelican's pages of the build (run.pages), whose /accueil/ ones are the chapters."""
    images = images or load_images(site.config)
    board = board_url(site.config)
    home = site.config.TERRITOIRE_PHOTO_ACCUEIL or {}
    open_offers = site.open_offers
    # Each offer's sheet gives its public address, as a link and as a QR code.
    site_base = board.removesuffix(address("offres"))
    # Drawing a QR code takes ~10 ms: each address's is kept in the content cache.
    codes = qr_codes(content_cache_folder(site.config))

    def qr(url: str) -> str:
        svg = codes.get(url)
        if svg is None:
            svg = qr_svg(url)
            codes.put(url, svg)
        return svg

    sheets = [
        {
            "offer": offer,
            "photo": _photo(images, f"{images.offers_folder}/{offer.photos[0]['fichier']}", 480)
            if offer.photos
            else None,
            "url": site_base + offer.url,
            "qr": Markup(qr(site_base + offer.url)),
        }
        for offer in open_offers[:APPENDIX_LIMIT]
    ]
    try:
        codes.save()
    except OSError:
        pass  # a read-only or full cache disk: drawn again next time
    directory = [
        (label, sorted((p for p in site.partners.values() if p.type == code), key=lambda p: p.nom))
        for code, label in TYPES_PARTENAIRE.items()
    ]
    return (
        theme_environment(site.config)
        .get_template("pdf/brochure.html")
        .render(
            SITENAME=site.config.SITENAME,
            TERRITOIRE_RESEAU=site.config.TERRITOIRE_RESEAU,
            TERRITOIRE_NOM=site.config.TERRITOIRE_NOM,
            SITEURL=site.config.SITEURL,
            BUILD_DATE=site.build_date,
            NATURES=NATURES,
            SECTEURS=SECTEURS,
            chiffres_cles=key_figures,
            board=board,
            address=board.split("://", 1)[1].rstrip("/").removesuffix("/offres"),
            qr=QR_NAME,
            cover=_photo(images, home.get("fichier"), 1600),
            cover_alt=home.get("alt", ""),
            chapters=_chapters(pages, site),
            partners=site.partners,
            events=site.upcoming_events(),
            open_offers=open_offers,
            directory=[(label, members) for label, members in directory if members],
            sheets=sheets,
        )
    )


def local_fetcher(output: Path, siteurl: str = "", read: list[Path] | None = None):
    """A WeasyPrint URL fetcher that reads files of the built site only (each one it reads is
    added to ``read``: the brochure's dependencies, for the content cache).

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
                    if read is not None:
                        read.append(path)
                    return super().fetch(path.as_uri(), headers)
            raise ValueError(f"ressource refusée dans la plaquette PDF (seuls les fichiers du site sont lus) : {url}")

    return SiteFilesOnly(allowed_protocols={"file", "data"}, allow_redirects=False)


def preload() -> threading.Thread:
    """Import WeasyPrint on a thread while the content is checked: its import looks for Pango
    and its other libraries (``ctypes.util.find_library`` runs ldconfig), 0.9 s spent waiting
    on other programs at the end of every build, the PDF reused or not (py-spy, 7 December
    2026). A failed import is left to ``make_pdf``, which imports again and says why. The build
    waits for the thread before it forks (secondprocess.py): no import is half-done then."""

    def load() -> None:
        try:
            import weasyprint  # noqa: F401
        except Exception:  # noqa: BLE001 - make_pdf imports it again and explains
            pass

    thread = threading.Thread(target=load, name="import-weasyprint", daemon=True)
    thread.start()
    return thread


def make_pdf(run, say) -> None:
    """POSTPROCESSORS step: write output/plaquette-accueil.pdf, or explain why not."""
    output, site = run.output, run.site
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:
        say(
            f"⚠ Plaquette PDF non produite : WeasyPrint ou une bibliothèque système manque ({exc}). "
            "Installez les paquets pango (apt-get install libpango-1.0-0 libpangoft2-1.0-0) ; le reste du site est construit."
        )
        return
    say("Plaquette d'accueil en PDF…")
    (output / QR_NAME).write_text(qr_svg(board_url(site.config)), encoding="utf-8")
    html = brochure_html(site, run.pages)
    identifier = b"plaquette-" + site.build_date.isoformat().encode()
    # The same HTML reading the same files makes the same PDF: the previous build's is reused
    # (contentcache.py), WeasyPrint being the costliest step of a build.
    cache = Brochures(content_cache_folder(site.config))
    key = cache.key(html, identifier)
    pdf = cache.get(key, output)
    if pdf is None:
        read: list[Path] = []
        fetcher = local_fetcher(output, site.config.SITEURL, read)
        document = HTML(string=html, base_url=str(output) + "/", url_fetcher=fetcher)
        try:
            pdf = document.write_pdf(pdf_identifier=identifier, pdf_variant="pdf/ua-1")
        except Exception as exc:  # the PDF is a bonus: a rendering failure must not block the site
            say(
                f"⚠ Plaquette PDF non produite : WeasyPrint n'a pas pu la mettre en page ({type(exc).__name__} : {exc}) ; le reste du site est construit."
            )
            return
        try:
            cache.put(key, output, read, pdf)
        except OSError as exc:  # a read-only or full cache disk: the next build lays it out again
            say(f"⚠ Plaquette PDF non gardée en cache ({exc.strerror or exc}) ; le site est construit.")
    else:
        say("  (reprise de la construction précédente : ni le texte ni les fichiers lus n'ont changé)")
    (output / PDF_NAME).write_bytes(pdf)
