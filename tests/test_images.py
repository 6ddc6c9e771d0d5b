"""Photos through the image pipeline (images.py): responsive variants of the right sizes,
no metadata left (GPS above all), a cache that spares re-encoding, byte-identical builds,
French errors for bad photos, and the <picture> as Chromium uses it."""

from __future__ import annotations

import random
import re
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image
from territoire.build import build
from test_offers import page_of

GPS_EXIF_TAGS = (b"GPS", b"Exif", b"ICC_PROFILE", b"Appareil de test", b"<x:xmpmeta")


def photo_with_gps(width: int = 1250, height: int = 2000) -> bytes:
    """A camera-like JPEG: stored upright-turned (EXIF orientation 6), with a GPS position,
    a camera name, an ICC profile and an XMP packet."""
    rng = random.Random(1)
    image = Image.frombytes("RGB", (width // 50, height // 50), rng.randbytes(width // 50 * height // 50 * 3)).resize(
        (width, height)
    )
    exif = Image.Exif()
    exif[0x0110] = "Appareil de test"  # Model
    exif[0x0112] = 6  # Orientation: turn 90° to show
    exif[0x8825] = {1: "N", 2: (45.0, 33.0, 1.5), 3: "E", 4: (3.0, 44.0, 2.0)}  # GPSInfo (Ambert)
    out = BytesIO()
    from PIL import ImageCms

    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    image.save(
        out, "JPEG", quality=90, exif=exif, icc_profile=icc, xmp=b'<x:xmpmeta xmlns:x="adobe:ns:meta/"></x:xmpmeta>'
    )
    return out.getvalue()


def _with_photo(project, name: str, alt: str = "Four à sole et pétrin du fournil") -> None:
    path = project.path("offers/boulangerie-patisserie-ambert.yaml")
    text = re.sub(
        r"fichier: \S+\n    alt: .*\n", f"fichier: {name}\n    alt: {alt}\n", path.read_text(encoding="utf-8")
    )
    path.write_text(text, encoding="utf-8")


def _build(project, output: Path, cache: Path) -> Path:
    overrides = {**project.overrides(), "TERRITOIRE_CACHE_IMAGES": str(cache)}
    return build(output=str(output), overrides=overrides, quiet=True)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_photo_variants_sizes_metadata_cache_and_identical_builds(project, tmp_path):
    project.write("content/images/offres/fournil.jpg", photo_with_gps())
    _with_photo(project, "fournil.jpg")
    first = _build(project, tmp_path / "un", tmp_path / "cache")

    made = sorted(p.name for p in (first / "images" / "offres").glob("fournil*"))
    assert [re.sub(r"\.\w{10}\.", ".<clé>.", n) for n in made] == [
        "fournil-1600.<clé>.jpg",
        "fournil-1600.<clé>.webp",
        "fournil-480.<clé>.jpg",
        "fournil-480.<clé>.webp",
        "fournil-960.<clé>.jpg",
        "fournil-960.<clé>.webp",
        "fournil.jpg",
    ]
    for name in made:
        data = (first / "images" / "offres" / name).read_bytes()
        with Image.open(BytesIO(data)) as image:
            width = int(re.search(r"-(\d+)\.", name).group(1)) if "-" in name else 1600
            assert image.size == (width, width * 1250 // 2000), name  # turned as the camera said
            assert image.format == ("WEBP" if name.endswith(".webp") else "JPEG")
            assert not image.getexif() and "icc_profile" not in image.info and "xmp" not in image.info, name
        assert not [tag for tag in GPS_EXIF_TAGS if tag in data], name

    page = page_of(first, "offres/boulangerie-patisserie-ambert/")
    img = [i for i in page.find("img") if "fournil" in i["src"]][0]
    # The offer's first photo opens its page (the largest paint): fetched at once, never lazily.
    assert (img["width"], img["height"], img.get("fetchpriority"), img.get("loading")) == ("1600", "1000", "high", None)
    assert img["src"].endswith(".jpg") and img["alt"] == "Four à sole et pétrin du fournil"
    source = [s for s in page.find("source") if "fournil" in s["srcset"]][0]
    assert source["type"] == "image/webp"
    assert [entry.split()[1] for entry in source["srcset"].split(", ")] == ["480w", "960w", "1600w"]
    assert img["sizes"] == source["sizes"]

    # A second build takes every file from the cache: none is encoded (nor rewritten) again.
    cached = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in (tmp_path / "cache").rglob("*") if p.is_file()}
    sharing = [p for p in cached if p.parent.name == "partage"]  # the offers' sharing images (social.py)
    assert len(sharing) == len(project.load().published_offers) + 1
    photos = [p for p in project.path("content/images").rglob("*") if p.suffix in (".jpg", ".png", ".webp")]
    # 3 widths × 2 formats + the stripped copy; the home page's banner, 7 widths × 2 + its copy.
    assert len(cached) - len(sharing) == 7 * (len(photos) - 1) + 15
    second = _build(project, tmp_path / "deux", tmp_path / "cache")
    assert {
        p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in (tmp_path / "cache").rglob("*") if p.is_file()
    } == cached
    # A build from an empty cache makes the very same bytes.
    third = _build(project, tmp_path / "trois", tmp_path / "autre-cache")
    images = _files(first / "images")
    assert images == _files(second / "images") == _files(third / "images")
    # Nothing but images: photos re-encoded, and the SVG drawings (partners' logos) as they are.
    drawings = {
        p.relative_to(project.path("content")).as_posix(): p.read_bytes()
        for p in project.path("content/images").rglob("*.svg")
    }
    assert drawings and {p: b for p, b in images.items() if p.endswith(".svg")} == {
        p.removeprefix("images/"): b for p, b in drawings.items()
    }
    assert all(p.endswith((".jpg", ".webp", ".png", ".svg")) for p in images), images.keys()


def test_original_photos_never_published_as_uploaded(built_site):
    """Every photo of the sample is published re-encoded: no camera metadata anywhere; the SVG
    drawings (partners' logos) are published as they are, each one inert (no script, no link)."""
    from territoire.contentfiles import svg_problem

    files = [p for p in (built_site / "images").rglob("*") if p.is_file()]
    photos = [p for p in files if p.suffix != ".svg"]
    assert len(photos) > 100
    for path in photos:
        with Image.open(path) as image:
            assert not image.getexif() and "icc_profile" not in image.info, path
    drawings = [p for p in files if p.suffix == ".svg"]
    assert len(drawings) >= 3
    assert [p for p in drawings if svg_problem(p.read_bytes())] == []


def _noise_png(width: int, height: int) -> bytes:
    rng = random.Random(2)
    out = BytesIO()
    Image.frombytes("RGB", (width, height), rng.randbytes(width * height * 3)).save(out, "PNG", compress_level=0)
    return out.getvalue()


def _small_jpeg(width: int, height: int, kind: str = "JPEG") -> bytes:
    out = BytesIO()
    Image.new("RGB", (width, height), (120, 90, 60)).save(out, kind)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "alt", "expected"),
    [
        (
            "trop-petite.jpg",
            _small_jpeg(640, 480),
            "Vitrine de la boutique",
            "la photo « trop-petite.jpg » est trop petite (640 × 480 pixels) ; attendu : au moins 800 × 450 pixels, pour rester nette sur les grands écrans.",
        ),
        (
            "lourde.png",
            _noise_png(2000, 1500),
            "Vitrine de la boutique",
            "la photo « lourde.png » pèse 8,6 Mo ; le maximum est 8,0 Mo : enregistrez-la en JPEG de qualité 80 à 90, 2000 pixels de large au plus.",
        ),
        (
            "animee.jpg",
            _small_jpeg(1200, 800, "GIF"),
            "Vitrine de la boutique",
            "le fichier « animee.jpg » est une image GIF ; attendu : une photo JPEG (.jpg), PNG (.png) ou WebP (.webp).",
        ),
        (
            "deguisee.jpg",
            _small_jpeg(1200, 800, "PNG"),
            "Vitrine de la boutique",
            "le fichier « deguisee.jpg » est en réalité une image PNG ; renommez-le avec l'extension qui convient (JPEG (.jpg), PNG (.png) ou WebP (.webp)).",
        ),
        (
            "texte.jpg",
            b"ceci n'est pas une image\n",
            "Vitrine de la boutique",
            "le fichier « texte.jpg » n'est pas une image lisible ; attendu : une photo JPEG (.jpg), PNG (.png) ou WebP (.webp).",
        ),
    ],
)
def test_bad_photo_french_error_with_file_line_and_field(project, name, content, alt, expected):
    project.write(f"content/images/offres/{name}", content)
    _with_photo(project, name, alt)
    site = project.load()
    errors = [str(p) for p in site.report.errors if p.path == "offers/boulangerie-patisserie-ambert.yaml"]
    assert errors == [f"offers/boulangerie-patisserie-ambert.yaml:28:14 — photos : élément n° 1 : fichier : {expected}"]


@pytest.mark.parametrize("alt", ["IMG_1234.jpg", "photo", "Image 2"])
def test_alt_that_says_nothing_is_refused(project, alt):
    _with_photo(project, "boulangerie-ambert.jpg", alt)
    errors = [str(p) for p in project.load().report.errors]
    assert errors == [
        f"offers/boulangerie-patisserie-ambert.yaml:29:10 — photos : élément n° 1 : alt : « {alt} » ne dit pas ce que montre la photo ; "
        "attendu : une phrase qui la décrit, par exemple « Vitrine de la boulangerie sur la place du marché »."
    ]


@pytest.mark.browser
def test_picture_in_chromium_webp_and_space_kept_while_loading(browser, site_url):
    context = browser.new_context(viewport={"width": 375, "height": 700}, device_scale_factor=2, locale="fr-FR")
    context.add_init_script("""window.shifts = 0;
        new PerformanceObserver(list => { for (const e of list.getEntries()) window.shifts += e.value; })
            .observe({type: 'layout-shift', buffered: true});""")
    held = []  # the photo's requests, answered only once its box has been measured
    photos = re.compile(r".*/images/offres/.*")
    context.route(photos, lambda route: held.append(route))
    page = context.new_page()
    page.goto(site_url + "/offres/boulangerie-patisserie-ambert/", wait_until="domcontentloaded")
    # The page as a visitor first sees it: its stylesheets applied (DOMContentLoaded may come
    # before them on a loaded machine), the photo still on its way (held above).
    page.wait_for_function("() => [...document.querySelectorAll('link[rel=stylesheet]')].every(l => l.sheet)")
    img = page.locator(".offer-photos img").first
    before = img.evaluate(
        "i => ({complete: i.complete && i.naturalWidth > 0, box: i.getBoundingClientRect().toJSON(), y: scrollY})"
    )
    assert not before["complete"]
    assert before["box"]["height"] == pytest.approx(before["box"]["width"] * 1000 / 1600, abs=1)  # space kept
    for route in held:
        route.continue_()
    context.unroute(photos)
    img.evaluate("i => i.decode()")
    after = img.evaluate(
        "i => ({src: i.currentSrc, width: i.naturalWidth, box: i.getBoundingClientRect().toJSON(), y: scrollY, w: i.getAttribute('width'), h: i.getAttribute('height')})"
    )
    assert re.search(r"/images/offres/boulangerie-ambert-960\.\w+\.webp$", after["src"])  # 375 px × 2 → the 960 WebP
    assert (after["w"], after["h"]) == ("1600", "1000") and after["width"] > 0
    assert (after["box"], after["y"]) == (before["box"], before["y"]), (before, after)
    assert page.evaluate("window.shifts") == 0
    context.close()


def _responsive(img, picture_source, widths=("480w", "960w", "1600w")) -> None:
    """An <img> drawn by partials/picture.html: sized, lazy, with WebP and JPEG variants."""
    assert img.get("width") and img.get("height") and img.get("loading") == "lazy"
    assert img.get("sizes") and [e.split()[1] for e in img.get("srcset").split(", ")] == list(widths)
    assert picture_source.get("type") == "image/webp" and picture_source.get("sizes") == img.get("sizes")


def test_partner_and_event_photos_go_through_the_pipeline(built_site, sample_site):
    """Partners and events may have photos (like an offer's: a file and its text alternative),
    drawn on their page as a responsive picture; the sample has two of each."""
    from dom_query import parse

    records = [
        *(("images/partenaires", p) for p in sample_site.partners.values() if p.photos),
        *(("images/evenements", e) for e in sample_site.events if e.photos),
    ]
    assert sum(1 for folder, _ in records if "partenaires" in folder) >= 2
    assert sum(1 for folder, _ in records if "evenements" in folder) >= 2
    for folder, record in records:
        figure = parse(built_site / record.url / "index.html").one(".record-photos figure")
        img = figure.one("img")
        assert img.get("alt") == record.photos[0]["alt"]
        stem = record.photos[0]["fichier"].rsplit(".", 1)[0]
        assert img.get("src").startswith(f"/{folder}/{stem}-960.") and img.get("src").endswith(".jpg")
        _responsive(img, figure.one("source"))
        for entry in figure.one("source").get("srcset").split(", "):
            assert (built_site / entry.split()[0].lstrip("/")).is_file()


def test_markdown_images_in_bodies_are_responsive_pictures(built_site):
    """« ![texte](/images/…) » in a page's body becomes the same <picture> as every photo."""
    from dom_query import parse

    body = parse(built_site / "accueil" / "s-installer" / "index.html")
    pictures = [p for p in body.all("main picture") if "livradois-forez" in p.one("img").get("src")]
    assert len(pictures) == 1
    img = pictures[0].one("img")
    assert img.get("alt").startswith("Village aux maisons de pierre")
    assert img.get("src").startswith("/images/territoire/livradois-forez-960.")
    # The territory's picture is also the home page's banner: it has the banner's widths.
    _responsive(img, pictures[0].one("source"), [f"{w}w" for w in (320, 480, 640, 800, 960, 1280, 1600)])


@pytest.mark.parametrize(
    ("where", "written", "expected"),
    [
        (
            "content/partenaires/adie.md",
            "![Le local de l'Adie](/images/partenaires/absente.jpg)",
            "presentation : l'image « /images/partenaires/absente.jpg » est introuvable : aucun fichier content/images/partenaires/absente.jpg ; déposez-le dans content/images/ ou corrigez l'adresse.",
        ),
        (
            "content/evenements/micro-marche-lyon-2027.md",
            "![Le marché](https://exemple.org/marche.jpg)",
            "description : l'image « https://exemple.org/marche.jpg » n'est pas une image de content/images/ ; attendu : « ![Ce que montre l'image](/images/dossier/photo.jpg) », avec le fichier (.jpg, .png, .webp ou .svg) déposé dans content/images/.",
        ),
        (
            "content/evenements/micro-marche-lyon-2027.md",
            "![](/images/territoire/livradois-forez.jpg)",
            "description : l'image « /images/territoire/livradois-forez.jpg » n'a pas de texte de remplacement ; attendu : « ![Ce que montre l'image](/images/dossier/photo.jpg) », avec entre crochets ce que montre l'image, pour les personnes qui ne la voient pas.",
        ),
        (
            "content/pages/accueil/05-s-installer.md",
            "![photo](/images/territoire/livradois-forez.jpg)",
            "l'image « /images/territoire/livradois-forez.jpg » : « photo » ne dit pas ce que montre la photo ; attendu : une phrase qui la décrit, par exemple « Vitrine de la boulangerie sur la place du marché ».",
        ),
        (
            "content/pages/accueil/05-s-installer.md",
            "![Le bourg](/images/LISEZMOI.md)",
            "l'image « /images/LISEZMOI.md » n'est pas une image de content/images/ ; attendu : « ![Ce que montre l'image](/images/dossier/photo.jpg) », avec le fichier (.jpg, .png, .webp ou .svg) déposé dans content/images/.",
        ),
    ],
)
def test_a_markdown_image_that_is_not_a_file_of_content_images_is_refused_in_french(project, where, written, expected):
    """The error names the file, the line where the image is written, and what to write."""
    path = project.path(where)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.append("")
    lines.append(f"Le lieu : {written}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = project.run("validate")
    out = result.stdout + result.stderr
    assert result.returncode == 1 and "Traceback" not in out
    assert f"{where}:{len(lines)}:" in out and expected in out, out


def test_a_partner_photo_is_checked_like_an_offer_photo(project):
    """A file under content/images/partenaires/, an alternative that says what it shows."""
    path = project.path("content/partenaires/adie.md")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("fichier: adie-permanence.jpg", "fichier: absente.jpg"), encoding="utf-8")
    result = project.run("validate")
    out = result.stdout + result.stderr
    assert result.returncode == 1 and "Traceback" not in out
    assert "content/partenaires/adie.md:" in out
    assert (
        "photos : élément n° 1 : fichier : le fichier « absente.jpg » est introuvable dans content/images/partenaires/"
        in out
    )
    path.write_text(text.replace("alt: Façade de la permanence", "alt: IMG_1234.jpg\n# Façade"), encoding="utf-8")
    result = project.run("validate")
    out = result.stdout + result.stderr
    assert (
        result.returncode == 1
        and "photos : élément n° 1 : alt : « IMG_1234.jpg » ne dit pas ce que montre la photo" in out
    ), out
