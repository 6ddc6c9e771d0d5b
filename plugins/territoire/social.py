"""Pictures for sharing: the Open Graph / Twitter card image of each offer and of the site,
and the site's icons (favicon, home-screen icons, web app manifest).

An offer's card image (1200 × 630 JPEG) shows its photo (or the network's colour), its title,
its price or rent and its commune, with the site's name; it is made with Pillow from the
offer's data and a bundled font, kept in the image cache under a key of everything drawn, and
made again only when one of those changes. Icons are drawn from the site's colour.
Nothing depends on the time or the machine's locale: the same data give the same bytes.
"""

from __future__ import annotations

import functools
import hashlib
import json
import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

from .images import CachedFile, Images, _encoder_versions, _write_atomically

SIZE = (1200, 630)
RECIPE = "1"
# Baseline JPEG: social networks fetch the whole file, a progressive one would only cost
# encoding time (measured: 4.5 ms against 11 ms per card, and 2 % smaller).
CARD_JPEG_OPTIONS = {"quality": 80, "optimize": True, "subsampling": "4:2:0"}
BRAND = (45, 90, 39)  # the theme's --brand
BRAND_DARK = (31, 63, 27)
LIGHT = (255, 236, 179)
FONT_FOLDERS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/local/share/fonts/dejavu")
FONT_FILES = {"bold": "DejaVuSans-Bold.ttf", "regular": "DejaVuSans.ttf"}
ICON_SIZES = {"favicon-32.png": 32, "apple-touch-icon.png": 180, "icone-192.png": 192, "icone-512.png": 512}


def font_path(weight: str) -> Path | None:
    """DejaVu Sans (Debian's fonts-dejavu-core, installed by .ci/run); None: Pillow's own font."""
    for folder in FONT_FOLDERS:
        path = Path(folder) / FONT_FILES[weight]
        if path.is_file():
            return path
    return None


@functools.cache
def _font(weight: str, size: int):
    """A font read once per build process (thousands of cards use the same three)."""
    from PIL import ImageFont

    path = font_path(weight)
    return ImageFont.truetype(str(path), size) if path else ImageFont.load_default(size)


def _fonts_digest() -> str:
    digest = hashlib.sha256()
    for weight in sorted(FONT_FILES):
        path = font_path(weight)
        digest.update(path.read_bytes() if path else b"pillow-default")
    return digest.hexdigest()


@dataclass(frozen=True)
class Card:
    """What one sharing image shows; its key names the file."""

    title: str
    line: str  # price · commune
    site: str
    photo: Path | None  # the source photo (its bytes are part of the key through ``photo_key``)
    photo_key: str

    def key(self, fonts: str) -> str:
        return _card_key(self, fonts)


@functools.lru_cache(maxsize=1 << 16)
def _card_key(card: Card, fonts: str) -> str:
    """A card's key, kept by the preview's process from one build to the next (a 5,000-offer
    site plans 5,000 cards at each build; the same card has the same key)."""
    text = "\0".join(
        (
            RECIPE,
            card.title,
            card.line,
            card.site,
            card.photo_key,
            fonts,
            _encoder_versions(),
            str(CARD_JPEG_OPTIONS),
        )
    )
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _wrap(draw, text: str, font, width: int, lines: int) -> list[str]:
    """Words on at most ``lines`` lines of ``width`` pixels; an ellipsis if cut."""
    out: list[str] = []
    words = text.split()
    while words and len(out) < lines:
        line = words.pop(0)
        while words and draw.textlength(f"{line} {words[0]}", font=font) <= width:
            line += " " + words.pop(0)
        out.append(line)
    if words:
        last = out[-1]
        while last and draw.textlength(last + " …", font=font) > width:
            last = last.rsplit(" ", 1)[0] if " " in last else last[:-1]
        out[-1] = last + " …"
    return out


class _Backgrounds:
    """Photos cropped to 1200 × 630 and veiled once per build, however many cards share them."""

    def __init__(self):
        self._made: dict[Path | None, Any] = {}
        self._lock = threading.Lock()

    def get(self, photo: Path | None):
        from PIL import Image, ImageOps

        with self._lock:
            if photo not in self._made:
                if photo is None:
                    image = Image.new("RGB", SIZE, BRAND)
                else:
                    with Image.open(photo) as opened:
                        image = ImageOps.exif_transpose(opened).convert("RGB")
                    image = ImageOps.fit(image, SIZE, Image.Resampling.LANCZOS)
                # A dark veil rising from the bottom keeps white text readable on any photo
                # (contrast ≥ 4.5:1).
                veil = Image.linear_gradient("L").resize(SIZE).point(lambda v: min(235, int(max(0, v - 60) * 1.6)))
                self._made[photo] = Image.composite(Image.new("RGB", SIZE, (12, 20, 12)), image, veil)
            return self._made[photo]


_WORKER_BACKGROUNDS: _Backgrounds | None = None
CARDS_PER_WORKER = 50  # below this many cards per worker, starting processes costs more


def _draw(card: Card) -> bytes:
    """A card drawn in a worker process, with that process's own cropped photos."""
    global _WORKER_BACKGROUNDS
    if _WORKER_BACKGROUNDS is None:
        _WORKER_BACKGROUNDS = _Backgrounds()
    return draw_card(card, _WORKER_BACKGROUNDS)


def draw_card(card: Card, backgrounds: _Backgrounds) -> bytes:
    from PIL import ImageDraw

    image = backgrounds.get(card.photo).copy()
    draw = ImageDraw.Draw(image)
    badge = _font("bold", 28)
    width = draw.textlength(card.site, font=badge)
    draw.rounded_rectangle((48, 40, 48 + width + 40, 96), radius=12, fill=BRAND_DARK)
    draw.text((68, 68), card.site, font=badge, fill=(255, 255, 255), anchor="lm")
    title_font = _font("bold", 54)
    lines = _wrap(draw, card.title, title_font, SIZE[0] - 96, 3)
    line_font = _font("regular", 36)
    y = SIZE[1] - 60 - 52 - len(lines) * 66
    for line in lines:
        draw.text((48, y), line, font=title_font, fill=(255, 255, 255))
        y += 66
    draw.text((48, SIZE[1] - 100), card.line, font=line_font, fill=LIGHT)
    out = BytesIO()
    image.info = {}
    image.save(out, "JPEG", **CARD_JPEG_OPTIONS)
    return out.getvalue()


class SharingImages:
    """Plans each page's sharing image, makes those missing from the cache, publishes them."""

    FOLDER = "images/partage"

    def __init__(self, cache: Path, site_name: str):
        self.cache = cache / "partage"
        self.site_name = site_name
        self.fonts = _fonts_digest()
        self._cards: dict[str, tuple[Card, str]] = {}  # id → (card, site path)
        self.encoded = 0

    def plan(self, ident: str, title: str, line: str, picture, images: Images) -> str:
        """The site path of the image for ``ident`` (an offer's slug, or "site")."""
        photo = images.content / picture.source if picture is not None and not picture.vector else None
        photo_key = picture.key if photo is not None else ""
        card = Card(title, line, self.site_name, photo, photo_key)
        key = card.key(self.fonts)
        path = f"{self.FOLDER}/{ident}.{key[:10]}.jpg"
        self._cards[ident] = (card, path)
        return path

    def path(self, ident: str) -> str | None:
        found = self._cards.get(ident)
        return found[1] if found else None

    def make_missing(self) -> None:
        """Draw the cards missing from the cache, on every core: drawing text is Python work
        that holds the interpreter's lock, so threads would use one core (measured: 97 % CPU
        for 5,000 cards); worker processes each crop a photo once and draw their share."""
        self.cache.mkdir(parents=True, exist_ok=True)
        # One listing rather than a stat per card (5,000 of them at each build, the preview's too).
        there = {entry.name for entry in os.scandir(self.cache) if entry.is_file()}
        missing = [(card, path) for card, path in self._cards.values() if path.rsplit("/", 1)[-1] not in there]
        if not missing:
            return
        workers = max(1, min(os.cpu_count() or 1, 8, len(missing) // CARDS_PER_WORKER))
        if workers < 2:
            backgrounds = _Backgrounds()
            for card, path in missing:
                self._store(path, draw_card(card, backgrounds))
        else:
            # Cards of the same photo go to the same worker, which crops the photo once.
            ordered = sorted(missing, key=lambda item: (str(item[0].photo), item[1]))
            context = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(workers, mp_context=context) as pool:
                chunk = max(1, len(ordered) // (workers * 4))
                for (_, path), data in zip(
                    ordered, pool.map(_draw, [c for c, _ in ordered], chunksize=chunk), strict=True
                ):
                    self._store(path, data)
        self.encoded += len(missing)

    def _store(self, path: str, data: bytes) -> None:
        _write_atomically(self.cache / Path(path).name, lambda out: out.write(data))

    def publish(self, write: Callable[[str, CachedFile], None]) -> None:
        cache = str(self.cache)  # 5,000 cards: names joined as strings, not paths
        for _, path in sorted(self._cards.values(), key=lambda item: item[1]):
            write(path, CachedFile(os.path.join(cache, path.rpartition("/")[2])))


def offer_line(offer, commune_name: str) -> str:
    """« 85 000 € · Ambert », « 950 € par mois · Courpière », or the commune alone: the price
    or the rent as the offer's page shows it."""
    from .models import offer_price

    price = offer_price(offer)
    return f"{price} · {commune_name}" if price is not None else commune_name


# --- icons ---------------------------------------------------------------------------------------
def _rounded_mask(size: int):
    from PIL import Image, ImageDraw

    mask = Image.new("L", (size, size), 0)
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, size - 1, size - 1), radius=size // 5, fill=255)
    return mask


def draw_icon(size: int) -> Any:
    """The site's icon: hills and a sun, white on the network's green (no text: legible at 16 px)."""
    from PIL import Image, ImageChops, ImageDraw

    scale = 4  # drawn large, then reduced: smooth edges
    big = size * scale
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=big // 5, fill=BRAND + (255,))
    u = big / 32
    draw.ellipse((19 * u, 5 * u, 26 * u, 12 * u), fill=LIGHT + (255,))
    # Rounded hills, as the Livradois and the Forez are: a far one, light, and a near one.
    draw.ellipse((10 * u, 15 * u, 42 * u, 44 * u), fill=(163, 204, 140, 255))
    draw.ellipse((-10 * u, 19 * u, 24 * u, 48 * u), fill=(236, 244, 230, 255))
    image.putalpha(ImageChops.multiply(image.getchannel("A"), _rounded_mask(big)))
    return image.resize((size, size), Image.Resampling.LANCZOS)


def icon_files(site_name: str, short_name: str, theme_color: str = "#2d5a27") -> dict[str, bytes]:
    """favicon.ico, PNG icons and the web app manifest, by site path."""
    files: dict[str, bytes] = {}
    for name, size in ICON_SIZES.items():
        out = BytesIO()
        draw_icon(size).save(out, "PNG", optimize=True)
        files[name] = out.getvalue()
    out = BytesIO()
    draw_icon(48).save(out, "ICO", sizes=[(16, 16), (32, 32), (48, 48)])
    files["favicon.ico"] = out.getvalue()
    manifest = {
        "name": site_name,
        "short_name": short_name,
        "lang": "fr",
        "start_url": "./",
        "display": "browser",
        "background_color": "#ffffff",
        "theme_color": theme_color,
        "icons": [
            {"src": "icone-192.png", "sizes": "192x192", "type": "image/png"},
            {"src": "icone-512.png", "sizes": "512x512", "type": "image/png"},
        ],
    }
    files["site.webmanifest"] = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode()
    return files
