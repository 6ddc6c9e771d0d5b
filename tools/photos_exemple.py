"""Render the sample content's photos (content/images/): rural scenes drawn with Pillow alone.

Run once by a developer (`.venv/bin/python tools/photos_exemple.py`), the JPEG files are
committed; the build never runs this. Every scene is drawn from a seeded random generator, so
the same script gives the same pixels. No photo is taken from anywhere: the pictures are this
project's own work, under the licence stated in content/images/LISEZMOI.md.
"""

from __future__ import annotations

import math
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont, ImageOps

ROOT = Path(__file__).resolve().parents[1]
W, H = 1600, 1000
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
SERIF = "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf"


def noise(rng: random.Random, size: tuple[int, int], cells: tuple[int, int]) -> Image.Image:
    """Smooth value noise: random cells, enlarged with bicubic interpolation."""
    small = Image.frombytes("L", cells, rng.randbytes(cells[0] * cells[1]))
    return small.resize(size, Image.Resampling.BICUBIC)


def fbm(rng: random.Random, size: tuple[int, int], base: int = 4, octaves: int = 5) -> Image.Image:
    """Fractal noise: octaves of value noise, each half as strong and twice as fine."""
    out = noise(rng, size, (base, max(2, base * size[1] // size[0])))
    weight = 0.5
    for octave in range(1, octaves):
        cells = base * 2**octave
        layer = noise(rng, size, (cells, max(2, cells * size[1] // size[0])))
        out = Image.blend(out, layer, weight)
        weight *= 0.55
    return ImageOps.autocontrast(out, cutoff=1)


def textured(
    rng: random.Random, size: tuple[int, int], dark: tuple, light: tuple, base: int = 8, octaves: int = 4
) -> Image.Image:
    return ImageOps.colorize(fbm(rng, size, base, octaves), dark, light)


def profile(rng: random.Random, n: int, base: float, amplitude: float, roughness: int = 6) -> list[float]:
    """A ridge line: sums of sines of random phases."""
    waves = [
        (rng.uniform(0.5, 1.5) * (k + 1), rng.uniform(0, 2 * math.pi), amplitude / (k + 1) ** 1.2)
        for k in range(roughness)
    ]
    return [base - sum(a * math.sin(f * x / n * math.pi * 2 + p) for f, p, a in waves) for x in range(n)]


def mix(a: tuple, b: tuple, t: float) -> tuple:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def sky(rng: random.Random, top=(92, 140, 200), bottom=(200, 220, 235), clouds: float = 0.5) -> Image.Image:
    gradient = Image.linear_gradient("L").resize((W, H))
    image = ImageOps.colorize(gradient, top, bottom)
    cloud = fbm(rng, (W, H), 3, 6).point(lambda v: max(0, v - 140) * 2)
    white = Image.new("RGB", (W, H), (250, 250, 252))
    return Image.composite(white, image, cloud.point(lambda v: int(v * clouds)))


def hills(
    image: Image.Image, rng: random.Random, layers: list[tuple[float, float, tuple]], haze=(200, 215, 225)
) -> None:
    """Ranges of hills, far to near: (base height 0–1, amplitude 0–1, colour)."""
    for i, (base, amplitude, colour) in enumerate(layers):
        line = profile(rng, W, base * H, amplitude * H)
        mask = Image.new("L", (W, H), 0)
        ImageDraw.Draw(mask).polygon([(0, H)] + [(x, y) for x, y in enumerate(line)] + [(W, H)], fill=255)
        far = 1 - i / max(1, len(layers) - 1)
        tone = textured(rng, (W, H), mix(colour, (0, 0, 0), 0.35), mix(colour, (255, 255, 255), 0.15), 12, 5)
        tone = Image.blend(tone, Image.new("RGB", (W, H), haze), 0.55 * far)
        image.paste(tone, (0, 0), mask)


def trees(
    image: Image.Image,
    rng: random.Random,
    count: int,
    y_range: tuple[int, int],
    size: tuple[int, int],
    conifer: float = 0.6,
) -> None:
    draw = ImageDraw.Draw(image)
    spots = sorted((rng.uniform(0, W), rng.uniform(*y_range)) for _ in range(count))
    for x, y in sorted(spots, key=lambda s: s[1]):
        scale = (y - y_range[0]) / max(1, y_range[1] - y_range[0]) * 0.7 + 0.3
        h = rng.uniform(*size) * scale
        green = mix((28, 58, 30), (70, 100, 45), rng.random())
        if rng.random() < conifer:
            for step in range(4):
                top = y - h + step * h / 5
                half = h / 4 * (step + 1) / 2.2
                draw.polygon(
                    [(x, top), (x - half, top + h / 2.6), (x + half, top + h / 2.6)],
                    fill=mix(green, (0, 0, 0), 0.1 * step),
                )
        else:
            for _ in range(5):
                dx, dy = rng.uniform(-h / 5, h / 5), rng.uniform(-h / 5, h / 8)
                r = h / 3.2
                draw.ellipse(
                    (x + dx - r, y - h / 1.6 + dy - r, x + dx + r, y - h / 1.6 + dy + r),
                    fill=mix(green, (120, 140, 60), rng.random() * 0.3),
                )
        draw.rectangle((x - h / 30, y - h / 4, x + h / 30, y), fill=(60, 45, 30))


def meadow(image: Image.Image, rng: random.Random, top: int, colour=(104, 140, 62), dark=(60, 92, 38)) -> None:
    grass = textured(rng, (W, H - top), dark, colour, 16, 5)
    stripes = Image.linear_gradient("L").resize((W, H - top)).point(lambda v: 255 - v // 3)
    grass = Image.composite(grass, Image.new("RGB", grass.size, mix(colour, (255, 255, 255), 0.2)), stripes)
    image.paste(grass, (0, top))


def animals(
    image: Image.Image,
    rng: random.Random,
    count: int,
    y_range: tuple[int, int],
    body=(240, 238, 230),
    head=(40, 35, 30),
    size=40,
    spots=False,
) -> None:
    draw = ImageDraw.Draw(image)
    for _ in range(count):
        x, y = rng.uniform(50, W - 50), rng.uniform(*y_range)
        s = size * (0.4 + 0.8 * (y - y_range[0]) / max(1, y_range[1] - y_range[0]))
        for leg in (-0.7, -0.35, 0.35, 0.7):
            draw.rectangle((x + leg * s - s * 0.06, y, x + leg * s + s * 0.06, y + s * 0.6), fill=head)
        draw.ellipse((x - s, y - s * 0.5, x + s, y + s * 0.35), fill=body)
        if spots:
            for _ in range(3):
                px, py = x + rng.uniform(-s * 0.7, s * 0.5), y + rng.uniform(-s * 0.35, s * 0.1)
                draw.ellipse((px - s * 0.25, py - s * 0.18, px + s * 0.25, py + s * 0.18), fill=head)
        side = rng.choice((-1, 1))
        draw.ellipse(
            (x + side * s * 0.85 - s * 0.3, y - s * 0.65, x + side * s * 0.85 + s * 0.3, y - s * 0.1), fill=head
        )


def house(
    image: Image.Image,
    rng: random.Random,
    box: tuple,
    wall=(190, 175, 150),
    roof=(110, 60, 45),
    windows: int = 3,
    door: bool = True,
) -> None:
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    stone = textured(rng, (int(w), int(h)), mix(wall, (0, 0, 0), 0.3), wall, 10, 5)
    image.paste(stone, (int(x0), int(y0)))
    draw = ImageDraw.Draw(image)
    draw.polygon([(x0 - w * 0.06, y0), (x0 + w / 2, y0 - h * 0.55), (x1 + w * 0.06, y0)], fill=roof)
    draw.line(
        [(x0 - w * 0.06, y0), (x0 + w / 2, y0 - h * 0.55), (x1 + w * 0.06, y0)],
        fill=mix(roof, (0, 0, 0), 0.4),
        width=max(2, int(w / 80)),
    )
    for i in range(windows):
        cx = x0 + w * (i + 1) / (windows + 1)
        ww, wh = w / (windows * 3.5), h / 4
        draw.rectangle(
            (cx - ww, y0 + h * 0.2, cx + ww, y0 + h * 0.2 + wh),
            fill=(50, 60, 70),
            outline=(235, 230, 220),
            width=max(2, int(w / 150)),
        )
        draw.rectangle((cx - ww * 1.7, y0 + h * 0.2, cx - ww, y0 + h * 0.2 + wh), fill=(90, 110, 80))
        draw.rectangle((cx + ww, y0 + h * 0.2, cx + ww * 1.7, y0 + h * 0.2 + wh), fill=(90, 110, 80))
    if door:
        draw.rectangle((x0 + w * 0.45, y1 - h * 0.38, x0 + w * 0.55, y1), fill=(90, 60, 40))


def storefront(
    rng: random.Random,
    sign: str,
    colour: tuple,
    goods: tuple,
    text=(250, 245, 230),
    awning: bool = True,
    empty: bool = False,
) -> Image.Image:
    """A shop on a village street: stone upper floor, painted front, sign, window, pavement."""
    image = textured(rng, (W, H), (150, 138, 120), (205, 195, 178), 14, 6)  # stone wall
    draw = ImageDraw.Draw(image)
    for row in range(0, 520, 38):  # courses of stone
        offset = (row // 38) % 2 * 60
        draw.line([(0, row), (W, row)], fill=(140, 128, 110), width=2)
        for x in range(-offset, W, 120):
            draw.line([(x, row), (x, row + 38)], fill=(150, 138, 120), width=2)
    for cx in (330, 800, 1270):  # upper windows with shutters
        draw.rectangle((cx - 70, 90, cx + 70, 330), fill=(45, 55, 62), outline=(230, 225, 215), width=8)
        draw.line([(cx, 90), (cx, 330)], fill=(230, 225, 215), width=6)
        draw.rectangle((cx - 150, 90, cx - 74, 330), fill=mix(colour, (255, 255, 255), 0.25))
        draw.rectangle((cx + 74, 90, cx + 150, 330), fill=mix(colour, (255, 255, 255), 0.25))
    front = textured(rng, (W - 120, 380), mix(colour, (0, 0, 0), 0.2), colour, 20, 3)
    image.paste(front, (60, 400))
    draw.rectangle((60, 400, W - 60, 780), outline=mix(colour, (0, 0, 0), 0.45), width=10)
    font = ImageFont.truetype(SERIF, 74)
    draw.rectangle((60, 400, W - 60, 500), fill=mix(colour, (0, 0, 0), 0.3))
    draw.text((W / 2, 452), sign, font=font, fill=text, anchor="mm")
    # window and door
    glass = Image.linear_gradient("L").rotate(90).resize((880, 250))
    pane = ImageOps.colorize(glass, (35, 45, 55), (120, 140, 150) if empty else (230, 200, 150))
    image.paste(pane, (140, 520))
    if not empty:
        for _ in range(60):
            gx, gy = rng.uniform(170, 990), rng.uniform(640, 760)
            r = rng.uniform(12, 26)
            draw.ellipse(
                (gx - r, gy - r * 0.7, gx + r, gy + r * 0.7), fill=mix(goods, (255, 255, 255), rng.random() * 0.3)
            )
        draw.rectangle((150, 700, 1010, 770), fill=mix(goods, (60, 40, 20), 0.5))
    else:
        draw.rectangle((380, 580, 780, 680), fill=(250, 250, 245))
        draw.text((580, 630), "À LOUER", font=ImageFont.truetype(FONT, 52), fill=(180, 30, 30), anchor="mm")
    draw.rectangle((140, 520, 1020, 770), outline=(40, 35, 30), width=8)
    draw.rectangle((1120, 520, 1400, 780), fill=(55, 45, 38), outline=(40, 35, 30), width=8)
    draw.rectangle((1140, 540, 1380, 700), fill=(90, 110, 120))
    if awning:
        for i in range(16):
            x = 130 + i * 56
            draw.polygon(
                [(x, 505), (x + 56, 505), (x + 66, 590), (x + 10, 590)], fill=colour if i % 2 else (245, 240, 230)
            )
    # pavement and street
    street = textured(rng, (W, H - 780), (95, 92, 88), (150, 146, 140), 30, 4)
    image.paste(street, (0, 780))
    for x in range(0, W, 90):
        draw.line([(x, 780), (x - 120, H)], fill=(110, 106, 100), width=3)
    draw.rectangle((0, 780, W, 800), fill=(170, 165, 155))
    for pot in (90, 1500):
        draw.rectangle((pot - 40, 720, pot + 40, 790), fill=(150, 80, 50))
        draw.ellipse((pot - 60, 650, pot + 60, 740), fill=(60, 110, 50))
    return image


def landscape(rng: random.Random, layers=None, horizon: float = 0.58, clouds: float = 0.5) -> Image.Image:
    image = sky(rng, clouds=clouds)
    hills(
        image, rng, layers or [(0.42, 0.06, (95, 120, 140)), (0.5, 0.05, (70, 105, 80)), (horizon, 0.03, (60, 95, 50))]
    )
    return image


def farm(rng: random.Random, beasts: str) -> Image.Image:
    image = landscape(rng)
    trees(image, rng, 70, (int(H * 0.52), int(H * 0.62)), (60, 120))
    meadow(image, rng, int(H * 0.62))
    house(image, rng, (980, 440, 1420, 640), wall=(175, 160, 140), roof=(95, 80, 70), windows=2)
    draw = ImageDraw.Draw(image)
    draw.rectangle((600, 500, 960, 640), fill=(120, 95, 70))  # barn
    draw.polygon([(580, 500), (780, 400), (980, 500)], fill=(80, 80, 85))
    draw.rectangle((720, 540, 840, 640), fill=(70, 50, 35))
    for x in range(0, W, 110):  # fence
        draw.rectangle((x, 760, x + 8, 830), fill=(110, 85, 60))
    draw.line([(0, 780), (W, 780)], fill=(120, 95, 70), width=5)
    draw.line([(0, 805), (W, 805)], fill=(120, 95, 70), width=5)
    if beasts == "vaches":
        animals(image, rng, 9, (700, 920), body=(235, 230, 220), head=(70, 45, 35), size=55, spots=True)
    elif beasts == "moutons":
        animals(image, rng, 22, (690, 940), body=(235, 232, 222), head=(45, 40, 38), size=34)
    elif beasts == "chevres":
        animals(image, rng, 12, (700, 930), body=(225, 215, 195), head=(150, 120, 90), size=36)
    return image


def market_garden(rng: random.Random) -> Image.Image:
    image = landscape(rng)
    trees(image, rng, 40, (int(H * 0.52), int(H * 0.6)), (50, 100), conifer=0.2)
    meadow(image, rng, int(H * 0.6), colour=(130, 110, 80), dark=(90, 70, 50))
    draw = ImageDraw.Draw(image)
    for i in range(14):  # rows of vegetables converging to the horizon
        x0 = -400 + i * 170
        draw.polygon(
            [(W / 2 + (x0 - W / 2) * 0.25, 600), (W / 2 + (x0 + 60 - W / 2) * 0.25, 600), (x0 + 60, H), (x0, H)],
            fill=(70, 120, 50),
        )
    draw.chord((120, 430, 720, 760), 180, 360, fill=(225, 230, 232))  # a polytunnel
    draw.rectangle((120, 595, 720, 600), fill=(200, 205, 208))
    for x in range(160, 720, 70):
        draw.arc((120, 430, 720, 760), 180, 360, fill=(180, 185, 190), width=3)
        draw.line([(x, 470), (x, 598)], fill=(200, 205, 210), width=2)
    return image


def lake(rng: random.Random, tents: bool = False) -> Image.Image:
    image = landscape(rng, [(0.4, 0.07, (90, 115, 135)), (0.5, 0.04, (60, 95, 60))])
    water = Image.linear_gradient("L").resize((W, H - 560))
    image.paste(ImageOps.colorize(water, (110, 150, 180), (50, 80, 95)), (0, 560))
    reflection = (
        image.crop((0, 560 - (H - 560), W, 560))
        .transpose(Image.Transpose.FLIP_TOP_BOTTOM)
        .filter(ImageFilter.GaussianBlur(6))
    )
    image.paste(Image.blend(image.crop((0, 560, W, H)), reflection, 0.35), (0, 560))
    trees(image, rng, 90, (500, 575), (50, 110))
    draw = ImageDraw.Draw(image)
    draw.polygon([(0, 880), (W, 820), (W, H), (0, H)], fill=(100, 130, 60))
    if tents:
        for x, c in ((300, (220, 120, 40)), (560, (60, 120, 170)), (860, (200, 200, 60))):
            draw.polygon([(x, 900), (x + 110, 790), (x + 220, 900)], fill=c)
            draw.polygon([(x + 95, 900), (x + 110, 820), (x + 125, 900)], fill=mix(c, (0, 0, 0), 0.5))
    else:  # bicycles on the shore
        for x in (1000, 1180, 1360):
            for wheel in (x, x + 110):
                draw.ellipse((wheel - 45, 850, wheel + 45, 940), outline=(30, 30, 30), width=6)
            draw.line([(x, 895), (x + 50, 850), (x + 110, 895), (x + 40, 895), (x, 895)], fill=(190, 40, 40), width=7)
            draw.line([(x + 50, 850), (x + 40, 830)], fill=(30, 30, 30), width=6)
    return image


def village(rng: random.Random, snow: bool = False, houses: int = 7) -> Image.Image:
    layers = [
        (0.35, 0.1, (235, 238, 242) if snow else (110, 125, 140)),
        (0.48, 0.05, (80, 110, 80)),
        (0.6, 0.03, (90, 125, 60)),
    ]
    image = landscape(rng, layers)
    trees(image, rng, 60, (520, 620), (60, 120))
    meadow(image, rng, 600)
    for i in range(houses):
        x = 120 + i * (W - 240) / houses + rng.uniform(-20, 20)
        y = 600 + rng.uniform(20, 120) + (i % 2) * 60
        w = rng.uniform(170, 260)
        house(
            image,
            rng,
            (x, y - w * 0.65, x + w, y),
            roof=rng.choice([(105, 60, 45), (90, 85, 90), (120, 70, 50)]),
            windows=2,
        )
    return image


def big_building(
    rng: random.Random, sign: str, colour=(170, 175, 180), logs: bool = False, modern: bool = False
) -> Image.Image:
    image = landscape(rng)
    trees(image, rng, 80, (500, 600), (70, 140))
    meadow(image, rng, 620, colour=(120, 120, 110), dark=(80, 80, 75))  # yard
    draw = ImageDraw.Draw(image)
    x0, y0, x1, y1 = 260, 380, 1340, 760
    if modern:
        draw.rectangle((x0, y0, x1, y1), fill=(235, 232, 225))
        draw.rectangle((x0, y0, x1, y0 + 30), fill=(90, 140, 120))
        for i in range(9):
            draw.rectangle((x0 + 40 + i * 115, y0 + 80, x0 + 120 + i * 115, y0 + 220), fill=(90, 130, 160))
        draw.rectangle((720, 560, 880, y1), fill=(80, 120, 150))
    else:
        metal = textured(rng, (x1 - x0, y1 - y0), mix(colour, (0, 0, 0), 0.25), colour, 10, 3)
        image.paste(metal, (x0, y0))
        for x in range(x0, x1, 18):
            draw.line([(x, y0), (x, y1)], fill=mix(colour, (0, 0, 0), 0.2), width=3)
        draw.polygon([(x0 - 30, y0), (800, y0 - 120), (x1 + 30, y0)], fill=(100, 95, 95))
        draw.rectangle((520, 540, 820, y1), fill=(90, 90, 95))
        for y in range(540, y1, 24):
            draw.line([(520, y), (820, y)], fill=(70, 70, 75), width=3)
    font = ImageFont.truetype(FONT, 54)
    draw.rectangle(
        (
            x0 + 60,
            y0 + 30 if not modern else y0 + 240,
            x0 + 60 + font.getlength(sign) + 60,
            (y0 + 110) if not modern else y0 + 320,
        ),
        fill=(245, 245, 240),
    )
    draw.text((x0 + 90, (y0 + 70) if not modern else y0 + 280), sign, font=font, fill=(40, 70, 45), anchor="lm")
    if logs:
        for row in range(4):
            for i in range(18 - row):
                cx, cy, r = 80 + i * 46 + row * 23, 900 - row * 40, 24
                draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(185, 145, 95), outline=(110, 75, 45), width=4)
                draw.ellipse((cx - 6, cy - 6, cx + 6, cy + 6), outline=(150, 110, 70), width=2)
    return image


def open_land(rng: random.Random) -> Image.Image:
    image = landscape(rng, [(0.45, 0.04, (100, 120, 140)), (0.55, 0.015, (110, 130, 70))])
    meadow(image, rng, 560, colour=(150, 160, 90), dark=(110, 120, 60))
    draw = ImageDraw.Draw(image)
    draw.polygon([(700, 560), (900, 560), (1500, H), (100, H)], fill=(80, 80, 85))  # road
    for y in range(600, H, 70):
        t = (y - 560) / (H - 560)
        draw.rectangle((800 - 4 - 8 * t, y, 800 + 4 + 8 * t, y + 30 * t + 8), fill=(240, 240, 235))
    for x in (180, 1320):
        draw.rectangle((x, 600, x + 16, 700), fill=(230, 230, 230))
        draw.rectangle((x - 60, 560, x + 76, 610), fill=(40, 110, 60))
    draw.text((1318, 585), "LOTS", font=ImageFont.truetype(FONT, 28), fill=(255, 255, 255), anchor="mm")
    for x in (380, 1150):  # street lights
        draw.line([(x, 520), (x, 720)], fill=(90, 90, 95), width=8)
        draw.line([(x, 520), (x + 60, 520)], fill=(90, 90, 95), width=8)
    return image


def finish(image: Image.Image, rng: random.Random) -> Image.Image:
    """A photographic look: slight blur, light falloff to the corners."""
    image = image.filter(ImageFilter.GaussianBlur(0.8))
    vignette = Image.radial_gradient("L").resize((W, H)).point(lambda v: 255 - int(v * 0.35))
    return Image.composite(image, Image.new("RGB", (W, H), (20, 20, 20)), vignette)


SCENES = {
    # file name (content/images/offres/) → scene
    "boulangerie-ambert.jpg": lambda r: storefront(r, "BOULANGERIE · PÂTISSERIE", (120, 70, 40), (200, 140, 60)),
    "boucherie-langeac.jpg": lambda r: storefront(r, "BOUCHERIE · CHARCUTERIE", (150, 35, 40), (190, 80, 70)),
    "epicerie-paulhaguet.jpg": lambda r: storefront(r, "ÉPICERIE", (40, 90, 60), (220, 150, 60)),
    "cafe-epicerie-saint-dier.jpg": lambda r: storefront(r, "CAFÉ · ÉPICERIE", (30, 70, 110), (200, 160, 90)),
    "cafe-restaurant-champeix.jpg": lambda r: storefront(r, "CAFÉ · RESTAURANT", (110, 30, 45), (210, 190, 160)),
    "librairie-saint-bonnet.jpg": lambda r: storefront(r, "LIBRAIRIE · PAPETERIE", (35, 55, 95), (180, 60, 50)),
    "pharmacie-arlanc.jpg": lambda r: storefront(r, "PHARMACIE", (20, 120, 80), (230, 230, 230), awning=False),
    "coiffure-maringues.jpg": lambda r: storefront(r, "COIFFURE MIXTE", (60, 60, 70), (200, 180, 200), awning=False),
    "auto-ecole-brioude.jpg": lambda r: storefront(r, "AUTO-ÉCOLE", (30, 80, 140), (230, 200, 60), awning=False),
    "atelier-coutellerie-thiers.jpg": lambda r: storefront(
        r, "COUTELLERIE", (70, 60, 55), (200, 200, 205), awning=False
    ),
    "local-courpiere.jpg": lambda r: storefront(r, "", (140, 130, 115), (0, 0, 0), awning=False, empty=True),
    "local-noiretable.jpg": lambda r: storefront(r, "", (95, 105, 115), (0, 0, 0), awning=False, empty=True),
    "garage-cunlhat.jpg": lambda r: big_building(r, "GARAGE · MÉCANIQUE", colour=(200, 200, 195)),
    "menuiserie-lezoux.jpg": lambda r: big_building(r, "MENUISERIE", colour=(150, 110, 80)),
    "batiment-monnerie.jpg": lambda r: big_building(r, "À VENDRE OU À LOUER", colour=(160, 170, 180)),
    "scierie-job.jpg": lambda r: big_building(r, "SCIERIE", colour=(140, 120, 95), logs=True),
    "maison-sante-sauxillanges.jpg": lambda r: big_building(r, "MAISON DE SANTÉ", modern=True),
    "pole-sante-sainte-florine.jpg": lambda r: big_building(r, "PÔLE DE SANTÉ", modern=True),
    "ferme-saint-antheme.jpg": lambda r: farm(r, "vaches"),
    "elevage-ovin-saugues.jpg": lambda r: farm(r, "moutons"),
    "chevrerie-cohade.jpg": lambda r: farm(r, "chevres"),
    "maraichage-vic-le-comte.jpg": market_garden,
    "lac-aydat.jpg": lambda r: lake(r),
    "camping-lavoute-chilhac.jpg": lambda r: lake(r, tents=True),
    "auberge-chastreix.jpg": lambda r: village(r, snow=True, houses=3),
    "gite-blesle.jpg": lambda r: village(r, houses=5),
    "zone-aigueperse.jpg": open_land,
}
HOME = {"livradois-forez.jpg": lambda r: village(r, houses=8)}
# Partners' and events' photos (their « photo » field): content/images/partenaires/, …/evenements/.
PARTNERS = {
    "adie-permanence.jpg": lambda r: storefront(r, "ADIE · PERMANENCE", (30, 80, 140), (230, 230, 230), awning=False),
    "parc-hameau.jpg": lambda r: village(r, houses=4),
}
EVENTS = {
    "reunion-thiers.jpg": lambda r: big_building(r, "ESPACE ENTREPRENDRE", modern=True),
    "visite-bergerie-saugues.jpg": lambda r: farm(r, "moutons"),
}


def render(folder: Path, scenes: dict, quality: int = 80) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for seed, (name, scene) in enumerate(sorted(scenes.items())):
        rng = random.Random(f"{name}-{seed}")
        image = finish(scene(rng), rng)
        image.save(folder / name, "JPEG", quality=quality, optimize=True, progressive=True)
        print(f"{name}: {(folder / name).stat().st_size // 1024} Kio")


if __name__ == "__main__":
    render(ROOT / "content" / "images" / "offres", SCENES)
    render(ROOT / "content" / "images" / "territoire", HOME)
    render(ROOT / "content" / "images" / "partenaires", PARTNERS)
    render(ROOT / "content" / "images" / "evenements", EVENTS)
