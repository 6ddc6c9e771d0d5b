"""Photos at build time: responsive variants, metadata stripped, cached between builds.

Every raster file under content/images/ (JPEG, PNG, WebP) is published as:
- variants of a few widths (``WIDTHS``; ``BANNER_WIDTHS`` for the home page's banner; never wider
  than the source) in WebP and in JPEG, named
  ``<name>-<width>.<key>.<ext>`` beside where the source sits in the site, for ``<picture>``
  with ``srcset`` (templates: partials/picture.html);
- a copy at its own address (``/images/offres/x.jpg``), so links written by hand keep working,
  re-encoded in its own format, at most ``WIDTHS[-1]`` wide.
Every output is re-encoded from the pixels only: EXIF (GPS position, camera, date), XMP, ICC
and comments never reach the site. The encoders' settings are fixed and nothing of the build's
time or place goes in, so the same sources give byte-identical files.

Encoded files are kept in a cache folder (TERRITOIRE_CACHE_IMAGES), under a key made of the
source's bytes and every encoding parameter: a photo that has not changed is never encoded
again, and a changed one gets a new key (and new file names, safe to cache for a year).
SVG drawings are published as they are (their size read from their ``width``/``height`` or
``viewBox``).
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import tempfile
import threading
import warnings
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .contentfiles import regular_files

if TYPE_CHECKING:
    from .config import Config

# Widths of the variants, in CSS pixels of a 1x screen: a card or a phone (480), a page column
# or a 2x phone (960), a full-width banner or a 2x column (1600).
WIDTHS = (480, 960, 1600)
# The territory's banner (TERRITOIRE_PHOTO_ACCUEIL) is the largest picture of the home page and
# its widths on screen vary most (a phone's column, half of a wide page): closer steps, so the
# file a browser picks is never much larger than the picture on screen.
BANNER_WIDTHS = (320, 480, 640, 800, 960, 1280, 1600)
RASTER_SUFFIXES = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}
VECTOR_SUFFIXES = {".svg"}
JPEG_OPTIONS = {"quality": 80, "optimize": True, "progressive": True, "subsampling": "4:2:0"}
WEBP_OPTIONS = {"quality": 78, "method": 4}
PNG_OPTIONS = {"optimize": True}
# Bump when the way files are made changes: every cached file is then made again.
RECIPE = "1"
# Limits checked at validation (see ``check_photo``), overridable in the settings.
DEFAULT_LIMITS = {"poids_max": 8 * 1024 * 1024, "largeur_min": 800, "hauteur_min": 450, "pixels_max": 40_000_000}
FORMAT_NAMES = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "MPO": "JPEG"}
EXPECTED_FORMATS = "JPEG (.jpg), PNG (.png) ou WebP (.webp)"


@dataclass(frozen=True)
class CachedFile:
    """A file the build made earlier and keeps in its own cache (a photo variant, a sharing
    image): published as a hard link to the cached file, not read and written again (5,000
    offers: 200 MB less to copy). Cached files are only ever replaced by renaming a new file over them, never written
    in place, so the published link keeps its bytes. A copy where a link cannot be made."""

    path: str


@dataclass(frozen=True)
class Variant:
    """One published file of a picture: its address in the site and its size in pixels."""

    path: str  # relative to the site root, e.g. "images/offres/four-960.1a2b3c4d5e.webp"
    width: int
    height: int
    format: str  # "webp", "jpeg", or the source's own format for the copy at its address


@dataclass(frozen=True)
class Picture:
    """A photo as the templates use it (partials/picture.html): its variants, its size."""

    source: str  # relative to the content folder, e.g. "images/offres/four.jpg"
    width: int  # of the largest variant: gives the intrinsic ratio (width/height attributes)
    height: int
    webp: tuple[Variant, ...] = ()
    jpeg: tuple[Variant, ...] = ()
    original: Variant | None = None  # the copy at the source's own address
    vector: bool = False
    key: str = ""  # of the source's bytes and the encoding settings (in every variant's name)

    @property
    def fallback(self) -> Variant:
        """The ``src`` of the ``<img>``: a JPEG of a column's width (or the SVG itself)."""
        if self.vector or not self.jpeg:
            return self.original
        fitting = [v for v in self.jpeg if v.width <= 960]
        return fitting[-1] if fitting else self.jpeg[0]

    @property
    def largest(self) -> Variant:
        """The biggest JPEG (for Open Graph, JSON-LD, the PDF brochure)."""
        return self.jpeg[-1] if self.jpeg else self.original

    def srcset(self, kind: str, siteurl: str = "") -> str:
        return ", ".join(f"{siteurl}/{v.path} {v.width}w" for v in getattr(self, kind))


@dataclass
class _Job:
    """Files to make from one source, each cached under ``<cache>/<key>/<name>``."""

    source: Path
    key: str
    outputs: list[tuple[str, str, Variant]] = field(default_factory=list)  # (cache name, encoder format, file)


class ImageError(Exception):
    """A photo that cannot be published: the message, in French, says which and why."""


def limits(config: Config) -> dict[str, int]:
    return {**DEFAULT_LIMITS, **(config.TERRITOIRE_PHOTOS_LIMITES or {})}


def check_photo(path: Path, limits: dict[str, int] = DEFAULT_LIMITS) -> str | None:
    """What is wrong with a photo file, in French (for a field's message), or None.

    The file is inspected once per validation (``inspect_file``)."""
    suffix = path.suffix.lower()
    if suffix in VECTOR_SUFFIXES:
        return None
    if suffix not in RASTER_SUFFIXES:
        return f"le format « {path.suffix} » n'est pas accepté ; attendu : une photo {EXPECTED_FORMATS}."
    size = path.stat().st_size
    if size > limits["poids_max"]:
        return (
            f"la photo « {path.name} » pèse {_mo(size)} ; le maximum est {_mo(limits['poids_max'])} : "
            "enregistrez-la en JPEG de qualité 80 à 90, 2000 pixels de large au plus."
        )
    problem, width, height = inspect_file(path, limits)
    if problem:
        return problem
    if width < limits["largeur_min"] or height < limits["hauteur_min"]:
        return (
            f"la photo « {path.name} » est trop petite ({width} × {height} pixels) ; "
            f"attendu : au moins {limits['largeur_min']} × {limits['hauteur_min']} pixels, pour rester nette sur les grands écrans."
        )
    return None


def inspect_file(path: Path, limits: dict[str, int] = DEFAULT_LIMITS) -> tuple[str | None, int, int]:
    stat = path.stat()
    return _inspect(path, stat.st_mtime_ns, stat.st_size, limits["pixels_max"])


@functools.lru_cache(maxsize=4096)
def _inspect(path: Path, _mtime: int, _size: int, pixels_max: int) -> tuple[str | None, int, int]:
    """(what keeps the build from publishing this raster file, in French, or None; its width and
    height as shown). The size is read from the header and checked against ``pixels_max``
    before any pixel is decoded; then the whole file is decoded (a JPEG at an eighth of its
    size: fast, and it still reads every byte), so a truncated or damaged file is named here
    rather than failing the build."""
    from PIL import Image, UnidentifiedImageError

    suffix = path.suffix.lower()
    unreadable = f"le fichier « {path.name} » n'est pas une image lisible ; attendu : une photo {EXPECTED_FORMATS}."
    too_big = "la photo « {name} » est trop grande ({size}) ; réduisez-la à 2000 pixels de large au plus."
    decoding = False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # the limit below says it in French
            image = Image.open(path)
        with image:
            found = image.format
            width, height = _oriented_size(image)
            if found not in FORMAT_NAMES:
                return (
                    f"le fichier « {path.name} » est une image {found} ; attendu : une photo {EXPECTED_FORMATS}.",
                    0,
                    0,
                )
            if FORMAT_NAMES[found] != FORMAT_NAMES[RASTER_SUFFIXES.get(suffix, found)]:
                return (
                    f"le fichier « {path.name} » est en réalité une image {FORMAT_NAMES[found]} ; "
                    f"renommez-le avec l'extension qui convient ({EXPECTED_FORMATS}).",
                    0,
                    0,
                )
            if width * height > pixels_max:
                return too_big.format(name=path.name, size=f"{width} × {height} pixels"), width, height
            decoding = True
            if found in ("JPEG", "MPO"):
                image.draft("RGB", (max(1, width // 8), max(1, height // 8)))
            image.load()
    except Image.DecompressionBombError as exc:  # beyond Pillow's own limit: its figure only
        pixels = re.search(r"\((\d+) pixels\)", str(exc))
        size = f"{int(pixels.group(1)):,} pixels".replace(",", "\u202f") if pixels else "trop de pixels"
        return too_big.format(name=path.name, size=size), 0, 0
    except UnidentifiedImageError:
        return unreadable, 0, 0
    except (OSError, SyntaxError, ValueError, EOFError):
        if decoding:
            return (
                f"le fichier « {path.name} » est abîmé ou incomplet (l'image ne se lit pas jusqu'au bout) ; "
                "enregistrez-la de nouveau depuis votre logiciel d'images.",
                0,
                0,
            )
        return unreadable, 0, 0
    return None, width, height


def _mo(size: int) -> str:
    return f"{size / 1048576:.1f} Mo".replace(".", ",")


def _oriented_size(image) -> tuple[int, int]:
    """Size as shown: EXIF orientations 5 to 8 turn the picture a quarter."""
    width, height = image.size
    try:
        orientation = image.getexif().get(0x0112, 1)
    except Exception:  # a broken EXIF block: the pixels are still good, shown unturned
        orientation = 1
    return (height, width) if orientation in (5, 6, 7, 8) else (width, height)


def _encoder_versions() -> str:
    from PIL import __version__, features

    return f"pillow {__version__} webp {features.version('webp')} jpeg {features.version('jpg')} zlib {features.version('zlib')}"


def _scaled(width: int, height: int, target: int) -> tuple[int, int]:
    if width <= target:
        return width, height
    return target, max(1, round(height * target / width))


_SVG_SIZE = re.compile(rb"<svg\b[^>]*>", re.DOTALL)


def _svg_size(path: Path) -> tuple[int, int]:
    """Width and height of an SVG from its root element (for the img's attributes)."""
    head = _SVG_SIZE.search(path.read_bytes()[:4096])
    tag = head.group(0).decode("utf-8", "replace") if head else ""

    def number(name: str) -> float | None:
        match = re.search(rf'\b{name}\s*=\s*["\']\s*([0-9.]+)(px)?\s*["\']', tag)
        return float(match.group(1)) if match else None

    width, height = number("width"), number("height")
    if not (width and height):
        box = re.search(r'viewBox\s*=\s*["\']\s*[-0-9.]+[\s,]+[-0-9.]+[\s,]+([0-9.]+)[\s,]+([0-9.]+)', tag)
        width, height = (float(box.group(1)), float(box.group(2))) if box else (800.0, 600.0)
    return round(width), round(height)


class Images:
    """Plans the published files of every photo under the content's images folder, makes
    those missing from the cache, and hands every file to the site's writer."""

    def __init__(
        self,
        content: Path,
        cache: Path,
        images_folder: str = "images",
        offers_folder: str = "images/offres",
        banners: tuple[str, ...] = (),
    ):
        """``banners``: paths (inside the content folder) of pictures made at BANNER_WIDTHS."""
        self.content = content
        self.banners = set(banners)
        self.cache = cache
        self.folder = images_folder
        self.offers_folder = offers_folder.strip("/")
        self.versions = _encoder_versions()
        self._pictures: dict[str, Picture] = {}
        self._jobs: list[_Job] = []
        self._copies: list[tuple[str, Path]] = []  # (site path, source): SVG, published as is
        self.encoded = 0  # files made in this build (the others came from the cache)
        self._lock = threading.Lock()

    # --- planning ----------------------------------------------------------------------
    def plan_all(self) -> None:
        """Plan every photo of the images folder (regular files only: never a link)."""
        root = self.content / self.folder
        for path in regular_files(root, ["*"], recursive=True, within=self.content):
            if any(part.startswith(".") for part in path.relative_to(root).parts):
                continue  # hidden files and folders (editors' and systems' own) are not photos
            suffix = path.suffix.lower()
            if suffix in RASTER_SUFFIXES or suffix in VECTOR_SUFFIXES:
                self._plan(path)

    def get(self, relative: str) -> Picture | None:
        """The picture of a file, by its path inside the content folder."""
        return self._pictures.get(relative)

    def offre(self, fichier: str) -> Picture | None:
        """The picture of an offer's photo (its `fichier`)."""
        return self._pictures.get(f"{self.offers_folder}/{fichier}")

    def __iter__(self) -> Iterator[Picture]:
        return iter(self._pictures.values())

    def _plan(self, path: Path) -> None:
        relative = path.relative_to(self.content).as_posix()
        if path.suffix.lower() in VECTOR_SUFFIXES:
            width, height = _svg_size(path)
            original = Variant(relative, width, height, "svg")
            self._copies.append((relative, path))
            self._pictures[relative] = Picture(relative, width, height, original=original, vector=True)
            return
        from PIL import Image

        data = path.read_bytes()
        widths = BANNER_WIDTHS if relative in self.banners else WIDTHS
        key = hashlib.sha256(
            data + f"\0{RECIPE}\0{widths}\0{JPEG_OPTIONS}\0{WEBP_OPTIONS}\0{PNG_OPTIONS}\0{self.versions}".encode()
        ).hexdigest()[:16]
        with Image.open(path) as image:
            width, height = _oriented_size(image)
            own_format = {"MPO": "JPEG"}.get(image.format, image.format)
            if own_format not in ("JPEG", "PNG", "WEBP"):
                own_format = "JPEG"
        stem = relative.rsplit(".", 1)[0]
        job = _Job(path, key)
        variants: dict[str, list[Variant]] = {"webp": [], "jpeg": []}
        targets = sorted({min(w, width) for w in widths})  # never enlarged
        for target in targets:
            w, h = _scaled(width, height, target)
            for kind, ext in (("webp", "webp"), ("jpeg", "jpg")):
                variant = Variant(f"{stem}-{w}.{key[:10]}.{ext}", w, h, kind)
                job.outputs.append((f"{w}.{ext}", kind.upper(), variant))
                variants[kind].append(variant)
        w, h = _scaled(width, height, WIDTHS[-1])
        original = Variant(relative, w, h, own_format.lower())
        job.outputs.append((f"original{path.suffix.lower()}", own_format, original))
        big = variants["jpeg"][-1]
        self._pictures[relative] = Picture(
            relative, big.width, big.height, tuple(variants["webp"]), tuple(variants["jpeg"]), original
        )
        self._jobs.append(job)

    # --- making and publishing ------------------------------------------------------------
    def make_missing(self, workers: int | None = None) -> None:
        """Encode every planned file not yet in the cache (Pillow releases the interpreter
        lock while it resizes and encodes, so threads use every core)."""
        missing = [
            job for job in self._jobs if not all((self.cache / job.key / name).is_file() for name, *_ in job.outputs)
        ]
        if not missing:
            return
        workers = workers or min(os.cpu_count() or 1, 8)
        with ThreadPoolExecutor(max(1, min(workers, len(missing)))) as pool:
            for _ in pool.map(self._make, missing):
                pass

    def _make(self, job: _Job) -> None:
        from PIL import Image, ImageOps

        folder = self.cache / job.key
        folder.mkdir(parents=True, exist_ok=True)
        try:
            with Image.open(job.source) as opened:
                image = ImageOps.exif_transpose(opened)
                image.load()
        except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError):
            raise ImageError(
                f"la photo {job.source.name} n'a pas pu être lue (fichier abîmé ou incomplet) ; "
                "enregistrez-la de nouveau depuis votre logiciel d'images."
            ) from None
        has_alpha = image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info)
        rgb = _flatten(image) if has_alpha else image.convert("RGB")
        for name, kind, variant in job.outputs:
            width, height = variant.width, variant.height
            target = folder / name
            if target.is_file():
                continue
            if kind == "PNG" and has_alpha:
                pixels = image.convert("RGBA").resize((width, height), Image.Resampling.LANCZOS)
            else:
                pixels = rgb if (width, height) == rgb.size else rgb.resize((width, height), Image.Resampling.LANCZOS)
            _write_atomically(target, lambda out, p=pixels, k=kind: _encode(p, k, out))
            with self._lock:
                self.encoded += 1

    def publish(self, write: Callable[[str, bytes | CachedFile], None]) -> None:
        """Every published file, in a stable order: the encoded variants linked from the cache,
        the SVG files of content/images/ copied (never linked: they are the partner's files)."""
        for job in self._jobs:
            for name, _, variant in job.outputs:
                write(variant.path, CachedFile(str(self.cache / job.key / name)))
        for site_path, path in self._copies:
            write(site_path, path.read_bytes())


def _flatten(image):
    """A photo with transparency on white (JPEG has no alpha)."""
    from PIL import Image

    rgba = image.convert("RGBA")
    background = Image.new("RGB", rgba.size, (255, 255, 255))
    background.paste(rgba, mask=rgba.getchannel("A"))
    return background


def _encode(pixels, kind: str, out) -> None:
    """Save the pixels alone: no EXIF, XMP, ICC profile, comment nor date is passed on."""
    pixels.info = {}
    options = {"JPEG": JPEG_OPTIONS, "WEBP": WEBP_OPTIONS, "PNG": PNG_OPTIONS}[kind]
    pixels.save(out, format=kind, **options)


def _write_atomically(target: Path, fill: Callable[[Any], None]) -> None:
    """Write through a temporary file put into place whole: two builds sharing the cache never
    see half a file. The first writer wins: an entry already there (same key, same pixels) is
    kept, so a site that links to it never ends up holding an orphaned copy."""
    handle, temporary = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            fill(out)
        try:
            os.link(temporary, target)
        except FileExistsError:
            pass
        except OSError:  # a file system without hard links: a rename, which replaces
            os.replace(temporary, target)
    finally:
        Path(temporary).unlink(missing_ok=True)


def cache_folder(config: Config) -> Path:
    explicit = config.TERRITOIRE_CACHE_IMAGES
    folder = Path(explicit) if explicit else config.ROOT / ".cache" / "images"
    return folder if folder.is_absolute() else config.ROOT / folder


def load_images(config: Config) -> Images:
    """Plan every photo of the site (no encoding yet)."""
    images = Images(
        Path(config.PATH).resolve(),
        cache_folder(config),
        offers_folder=config.TERRITOIRE_PHOTOS_PATH,
        banners=tuple(p["fichier"] for p in [config.TERRITOIRE_PHOTO_ACCUEIL] if p and p.get("fichier")),
    )
    images.plan_all()
    return images
