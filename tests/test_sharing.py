"""Sharing and polish: Open Graph and Twitter card tags on every page with a 1200 × 630 image
made per offer, the site's icons, search excerpts that read well, partner names said once,
and the phone header on two rows."""

from __future__ import annotations

import gzip
import json
import re
import stat
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import ROOT
from PIL import Image


class _Meta(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta: dict[str, str] = {}
        self.links: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("property" in attrs or "name" in attrs):
            self.meta[attrs.get("property") or attrs["name"]] = attrs.get("content", "")
        elif tag == "link":
            self.links.append(attrs)


def meta_of(path: Path) -> _Meta:
    parser = _Meta()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _file_of(site: Path, url: str) -> Path:
    return site / re.sub(r"^https://cap-actif\.example\.org/", "", url)


def test_every_page_has_open_graph_and_twitter_card_with_its_image(built_site):
    pages = [p for p in built_site.rglob("*.html") if p.relative_to(built_site).parts[0] not in ("admin", "pagefind")]
    assert len(pages) > 150
    kinds = {
        "index.html",
        "offres/index.html",
        "offres/scierie-job/index.html",
        "partenaires/adie/index.html",
        "evenements/index.html",
        "accueil/index.html",
        "carte/index.html",
        "reseau/bilan/index.html",
        "404.html",
    }
    assert kinds <= {p.relative_to(built_site).as_posix() for p in pages}
    images = set()
    for path in pages:
        tags = meta_of(path).meta
        for name in (
            "og:title",
            "og:description",
            "og:image",
            "og:image:alt",
            "og:site_name",
            "twitter:title",
            "twitter:description",
            "twitter:image",
        ):
            assert tags.get(name, "").strip(), (path, name)
        assert tags["og:type"] == "website" and tags["og:locale"] == "fr_FR"
        assert tags["twitter:card"] == "summary_large_image"
        assert tags["og:image"] == tags["twitter:image"] and tags["og:image"].startswith(
            "https://cap-actif.example.org/images/partage/"
        )
        assert (tags["og:image:width"], tags["og:image:height"]) == ("1200", "630")
        if path.name == "index.html":
            folder = path.parent.relative_to(built_site).as_posix()
            assert tags["og:url"] == "https://cap-actif.example.org/" + ("" if folder == "." else folder + "/")
        images.add(tags["og:image"])
    for url in images:
        with Image.open(_file_of(built_site, url)) as image:
            assert (image.format, image.size) == ("JPEG", (1200, 630))


def test_each_offer_has_its_own_card_image_with_title_price_and_commune(built_site, sample_site):
    tags = meta_of(built_site / "offres" / "boulangerie-patisserie-ambert" / "index.html").meta
    assert re.fullmatch(
        r"https://cap-actif\.example\.org/images/partage/offres/boulangerie-patisserie-ambert\.\w{10}\.jpg",
        tags["og:image"],
    )
    assert tags["og:title"] == "Boulangerie-pâtisserie à reprendre au cœur d'Ambert"
    offers = [o for o in sample_site.published_offers]
    cards = {meta_of(built_site / o.url / "index.html").meta["og:image"] for o in offers}
    assert len(cards) == len(offers)  # one per offer
    site_card = meta_of(built_site / "index.html").meta["og:image"]
    assert site_card not in cards
    # The card shows the offer's photo: its top right corner (no text, no veil there) is the photo's.
    with (
        Image.open(_file_of(built_site, tags["og:image"])) as card,
        Image.open(built_site / "images" / "offres" / "boulangerie-ambert.jpg") as photo,
    ):
        from PIL import ImageOps

        expected = ImageOps.fit(photo.convert("RGB"), (1200, 630)).crop((600, 0, 1200, 110)).resize((60, 11))
        found = card.convert("RGB").crop((600, 0, 1200, 110)).resize((60, 11))
        difference = sum(abs(a - b) for a, b in zip(expected.tobytes(), found.tobytes(), strict=True))
        assert difference / len(found.tobytes()) < 6


def test_card_image_text_is_drawn_with_the_offer_facts():
    """The drawn text is the title and « price · commune » (checked on the Card itself)."""
    from territoire.social import offer_line

    class Offer:
        prix, loyer = 85000, None

    assert offer_line(Offer, "Ambert") == "85\u00a0000\u00a0€ · Ambert"
    Offer.prix, Offer.loyer = None, 950
    assert offer_line(Offer, "Courpière") == "950\u00a0€ par mois · Courpière"


def test_icons_and_manifest(built_site):
    links = {(link.get("rel"), link.get("href")) for link in meta_of(built_site / "index.html").links}
    assert {
        ("icon", "/favicon.ico"),
        ("icon", "/favicon-32.png"),
        ("apple-touch-icon", "/apple-touch-icon.png"),
        ("manifest", "/site.webmanifest"),
    } <= links
    with Image.open(built_site / "favicon.ico") as ico:
        assert ico.format == "ICO" and {(16, 16), (32, 32), (48, 48)} <= set(ico.info["sizes"])
    for name, size in (
        ("favicon-32.png", 32),
        ("apple-touch-icon.png", 180),
        ("icone-192.png", 192),
        ("icone-512.png", 512),
    ):
        with Image.open(built_site / name) as icon:
            assert icon.size == (size, size)
    manifest = json.loads((built_site / "site.webmanifest").read_text(encoding="utf-8"))
    assert manifest["name"] == "Cap Actif Livradois-Forez" and manifest["lang"] == "fr"
    for icon in manifest["icons"]:
        with Image.open(built_site / icon["src"]) as image:
            assert f"{image.size[0]}x{image.size[1]}" == icon["sizes"]


def _fragment(site: Path, url: str) -> dict:
    for path in (site / "pagefind" / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(path.read_bytes())
        fragment = json.loads(data[data.index(b"{") :])
        if fragment["url"] == url:
            return fragment
    raise AssertionError(f"{url} absent de l'index de recherche")


def test_search_excerpts_do_not_run_labels_into_values(built_site):
    offer = _fragment(built_site, "/offres/boulangerie-patisserie-ambert/")["content"]
    assert "Reprise d'entreprise" in offer and "85 000 €" in offer and "logement disponible" in offer
    assert not re.search(
        r"(Nature|Secteur|Activité|Commune|Intercommunalité|Prix de cession|Loyer|Surface|Logement|Effectif)\S", offer
    ), offer[:400]
    event = _fragment(built_site, "/evenements/salon-creation-reprise-ambert-2027/")["content"]
    assert not re.search(r"(Quand|Où|Type)\S", event), event[:300]


def test_partner_names_are_not_said_twice(built_site, sample_site):
    directory = (built_site / "partenaires" / "index.html").read_text(encoding="utf-8")
    # (partner, the acronym shown after its name or None): « Loire Forez Agglomération (Loire Forez) »
    # said the name twice; « … de la Haute-Loire (CMA 43) » tells something more.
    for pid, shown in (
        ("loire-forez-agglomeration", None),
        ("adret", None),
        ("cci-ambert", "CCI Ambert"),
        ("chambre-agriculture-43", None),
        ("cma-43", "CMA 43"),
        ("urscop", "URSCOP"),
    ):
        page = (built_site / "partenaires" / pid / "index.html").read_text(encoding="utf-8")
        h1 = re.search(r"<h1>(.*?)</h1>", page, re.S).group(1)
        if shown:
            assert f"({shown})" in h1, h1
        else:
            assert "(" not in h1, h1
    hidden = [p.sigle for p in sample_site.partners.values() if p.sigle and p.sigle_distinct is None]
    assert len(hidden) >= 2  # Loire Forez, Chambre d'agriculture 43…: the check below has cases
    for sigle in hidden:
        assert f"({sigle})" not in directory.replace("&#39;", "'"), sigle


@pytest.mark.browser
def test_phone_header_fits_on_one_row(browser, site_url):
    """On a phone the header is the site's name and a « Menu » button on one row; the button
    unfolds every section, all on screen (issue 21: no sideways-scrolling row of links)."""
    context = browser.new_context(viewport={"width": 375, "height": 700}, locale="fr-FR")
    page = context.new_page()
    for url in ("/", "/offres/", "/recherche/"):
        page.goto(site_url + url)
        brand = page.locator(".site-header .brand").bounding_box()
        menu = page.locator(".site-header summary").bounding_box()
        assert abs((brand["y"] + brand["height"] / 2) - (menu["y"] + menu["height"] / 2)) < 12, url  # one row
        assert page.evaluate("document.querySelector('.site-header').scrollWidth") <= 375
        assert page.evaluate("document.querySelector('.site-header').getBoundingClientRect().height") < 110
        page.locator(".site-header summary").click()
        last = page.locator(".site-header .nav a").last
        box = last.bounding_box()
        assert (
            last.is_visible() and 0 <= box["x"] and box["x"] + box["width"] <= 375 and box["y"] + box["height"] <= 700
        )
    context.close()


def test_card_images_are_published_from_the_cache_without_a_copy(built_site):
    """The 1200×630 cards are kept between builds in the image cache; the site gets a hard link
    to each (5,000 offers: 200 MB not copied), readable by the web server whatever the cache's
    own file mode."""
    cache = ROOT / ".cache" / "images" / "partage"
    cards = sorted((built_site / "images" / "partage" / "offres").glob("*.jpg"))
    assert len(cards) >= 20
    for card in cards:
        cached = cache / card.name
        assert card.stat().st_ino == cached.stat().st_ino, f"{card.name} : copie au lieu d'un lien vers le cache"
        assert stat.S_IMODE(card.stat().st_mode) == 0o644, card.name


def test_cards_drawn_on_every_core_are_the_bytes_drawn_in_one_process(tmp_path, monkeypatch):
    """A large board's cards are drawn by worker processes (threads would use one core): the
    files are the same, byte for byte, as when one process draws them all."""
    from territoire import social

    photos = sorted((ROOT / "content" / "images" / "offres").glob("*.jpg"))[:3]

    def draw(folder, per_worker):
        monkeypatch.setattr(social, "CARDS_PER_WORKER", per_worker)
        images = social.SharingImages(folder, "Réseau")
        for i in range(120):
            card = social.Card(f"Offre n° {i} à reprendre", "85 000 € · Ambert", "Réseau", photos[i % 3], "k")
            images._cards[f"o{i}"] = (card, f"images/partage/o{i}.{card.key(images.fonts)[:10]}.jpg")
        images.make_missing()
        assert images.encoded == 120
        return {p.name: p.read_bytes() for p in (folder / "partage").glob("*.jpg")}

    in_parallel = draw(tmp_path / "a", 10)  # 120 cards, 10 per worker: every core
    alone = draw(tmp_path / "b", 10**6)  # one process
    assert len(in_parallel) == 120 and in_parallel == alone
