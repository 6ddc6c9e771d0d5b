"""Issue 14: a home page that sells the territory — a picture, a search box that works with and
without JavaScript, the orientation tool among the first choices, key figures, recent offers
with pictures and the next events."""

from __future__ import annotations

import re

import pytest
from dom_query import parse


def test_home_page_has_every_section(built_site, sample_site):
    home = parse(built_site / "index.html")
    main = home.one("main")
    # A picture at the top, with its size set (no layout shift).
    picture = main.one(".hero-picture img")
    assert picture.get("width") and picture.get("height")
    # A search box that sends its words to /recherche/ with a plain GET.
    form = main.one("form.home-search")
    assert form.get("action") == "/recherche/" and form.get("method") == "get"
    field = form.one("input[type=search]")
    assert field.get("name") == "q" and form.one(f"label[for={field.get('id')}]").text
    # The orientation tool is the first choice offered, before the offers.
    links = [a.get("href") for a in main.all("a")]
    assert links.index("/trouver-un-accompagnement/") < links.index("/offres/")
    assert main.all(".sections li")[0].one("a").get("href") == "/trouver-un-accompagnement/"
    # Key figures from the content.
    figures = [li.text for li in main.all(".key-figures li")]
    assert f"{len(sample_site.open_offers)} offres ouvertes" in figures
    assert f"{len(sample_site.partners)} partenaires pour vous accompagner" in figures
    # Recent offers, the ones with photos first, each card with its picture.
    cards = main.all(".featured .offer-card")
    assert len(cards) == 3
    with_photos = [o for o in sample_site.open_offers if o.photos]
    assert [c.one(".card-title a").get("href") for c in cards] == [
        f"/{o.url}" for o in (with_photos + [o for o in sample_site.open_offers if not o.photos])[:3]
    ]
    assert all(c.one(".card-media img").get("src") for c in cards)
    # The next events.
    upcoming = sample_site.upcoming_events()[:3]
    assert upcoming and [a.get("href") for a in main.all(".event-list a")] == [f"/{e.url}" for e in upcoming]


def test_every_card_has_a_picture_and_its_figures_in_bold(built_site, sample_site):
    board = parse(built_site / "offres" / "index.html")
    for card in board.all("#liste-offres > li"):
        img = card.one(".card-media img")
        assert img.get("src") and img.get("width") and img.get("height") and img.get("alt") is not None
    offer = next(o for o in sample_site.open_offers if o.slug == "boulangerie-patisserie-ambert")
    card = next(c for c in board.all("#liste-offres > li") if c.one(".card-title a").get("href") == f"/{offer.url}")
    bold = [b.text for b in card.all(".figures strong")]
    assert bold == ["85 000 €", "950 € par mois", "120 m²", "Logement disponible"]  # (text with spaces collapsed)
    # Offers without photo get their sector's drawing, one per sector.
    drawn = next(o for o in sample_site.open_offers if not o.photos)
    card = next(c for c in board.all("#liste-offres > li") if c.one(".card-title a").get("href") == f"/{drawn.url}")
    assert card.one(".card-media img").get("src") == f"/theme/images/secteurs/{drawn.secteur}.svg"


def test_sector_drawings_exist_and_are_inert(built_site):
    from territoire.models import SECTEURS

    for sector in SECTEURS:
        svg = (built_site / "theme" / "images" / "secteurs" / f"{sector}.svg").read_text(encoding="utf-8")
        assert svg.startswith("<svg") and 'viewBox="0 0 320 200"' in svg
        assert not re.search(r"<script|\son\w+\s*=|javascript:|<foreignObject|href=", svg, re.I), sector


@pytest.mark.browser
def test_home_search_box_leads_to_the_results(page):
    page.goto(page.base + "/")
    page.locator("#recherche-accueil").fill("myrtilles")
    page.locator("form.home-search button").click()
    page.wait_for_url(re.compile(r"/recherche/\?q=myrtilles$"))
    link = page.locator(".pagefind-ui__result-link").first
    link.wait_for()
    assert link.get_attribute("href").endswith("/offres/boulangerie-patisserie-ambert/")
    assert page.outside_requests == [] and page.console_errors == []


@pytest.mark.browser
def test_home_search_without_javascript_says_where_to_look(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(site_url + "/")
    tab.locator("#recherche-accueil").fill("boulangerie")
    tab.locator("form.home-search button").click()
    tab.wait_for_url(re.compile(r"/recherche/\?q=boulangerie$"))
    message = tab.locator(".search-nojs")
    assert message.is_visible() and "offres" in message.inner_text()
    assert "besoin de JavaScript" not in tab.locator("main").inner_text()
    # A useful page: the offers by sector, the partners, the events, one click away.
    tab.locator(".search-browse a", has_text="Commerce").click()
    tab.wait_for_url(re.compile(r"/offres/secteur/commerce/$"))
    context.close()


def test_partner_logos_where_provided(built_site, sample_site):
    with_logo = sorted((p for p in sample_site.partners.values() if p.logo), key=lambda p: p.slug)
    assert len(with_logo) >= 2
    home = parse(built_site / "index.html")
    logos = home.all(".partner-logos li a")
    assert [a.get("href") for a in logos] == [f"/{p.url}" for p in with_logo]
    assert [a.one("img").get("alt") for a in logos] == [p.nom for p in with_logo]
    assert all((built_site / a.one("img").get("src").lstrip("/")).is_file() for a in logos)
    page = parse(built_site / with_logo[0].url / "index.html")
    assert page.one(".partner-logo img").get("alt") == f"Logo : {with_logo[0].nom}"


def test_a_logo_file_that_is_missing_is_refused_in_french(project):
    path = project.path("content/partenaires/adie.md")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\n---\n", "\nlogo: adie-logo.svg\n---\n", 1), encoding="utf-8")
    result = project.run("validate")
    out = result.stdout + result.stderr
    assert result.returncode == 1 and "Traceback" not in out
    assert "content/partenaires/adie.md" in out
    assert "logo : le fichier « adie-logo.svg » est introuvable dans content/images/partenaires/" in out


def test_a_logo_that_could_run_a_script_is_refused_in_french(project):
    """A logo is an image of content/images/: the SVG safety check applies to it (SECURITY.md)."""
    project.write(
        "content/images/partenaires/adie.svg",
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><script>alert(1)</script></svg>',
    )
    path = project.path("content/partenaires/adie.md")
    path.write_text(path.read_text(encoding="utf-8").replace("\n---\n", "\nlogo: adie.svg\n---\n", 1), encoding="utf-8")
    result = project.run("validate")
    out = result.stdout + result.stderr
    assert result.returncode == 1 and "Traceback" not in out
    assert "content/images/partenaires/adie.svg" in out and "<script>" in out


def test_home_tells_the_success_stories(built_site, sample_site):
    """Concluded offers are the network's success stories: the three most recent on the home
    page under « Ils se sont installés », every one on /offres/conclues/, with its photo."""
    concluded = sorted(sample_site.concluded_offers, key=lambda o: o.conclue_le, reverse=True)
    assert concluded
    home = parse(built_site / "index.html")
    section = home.one(".stories")
    assert section.one("h2").text == "Ils se sont installés"
    assert [a.get("href") for a in section.all(".card-title a")] == [f"/{o.url}" for o in concluded[:3]]
    assert all(card.one(".card-media img") for card in section.all(".story"))
    page = parse(built_site / "offres" / "conclues" / "index.html")
    assert page.one("h1").text == "Ils se sont installés"
    assert len(page.all(".story")) == len(concluded)


# « 469 communes », « 394 964 habitants », « 23 offres ouvertes », « 28 partenaires »: a number
# (thousands split by a space or a non-breaking space) before what it counts. The PDF's text
# may break the line between them (one line break; a blank line parts two blocks of the page).
_COUNTED = re.compile(
    r"(\d{1,3}(?:[ \u00a0\u202f]\d{3})*)[ \u00a0]*\n?[ \u00a0]*(communes|habitants|offres ouvertes|partenaires)\b"
)


def _counts(text: str) -> set[tuple[int, str]]:
    return {(int(re.sub(r"\D", "", n)), what) for n, what in _COUNTED.findall(text)}


def test_figures_agree_across_the_home_the_brochure_and_its_pdf(built_site, sample_site):
    """The brochure's chapters quote the territory's figures through « {nombre de communes} »,
    « {population} »…: the home page, the brochure pages and the PDF say the same numbers, the
    ones computed from the territory's communes, offers and partners."""
    import subprocess

    territory = sample_site.communes.territory()
    expected = {
        "communes": len(territory),
        "habitants": sum(c.population for c in territory),
        "offres ouvertes": len(sample_site.open_offers),
        "partenaires": len(sample_site.partners),
    }
    pages = {
        "accueil": parse(built_site / "index.html").one("main").text,
        "plaquette": parse(built_site / "accueil" / "index.html").one("main").text,
        "vivre": parse(built_site / "accueil" / "vivre-sur-le-territoire" / "index.html").one("main").text,
        "pdf": subprocess.run(
            ["pdftotext", str(built_site / "plaquette-accueil.pdf"), "-"],
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=True,
        ).stdout,
    }
    for name, text in pages.items():
        assert "{nombre" not in text and "{population}" not in text, name
        for number, what in _counts(text):
            assert number == expected[what], f"{name} : « {number} {what} », attendu {expected[what]}"
    # Each figure is quoted somewhere, and the brochure quotes the territory's size.
    quoted = set().union(*(_counts(t) for t in pages.values()))
    assert (expected["communes"], "communes") in _counts(pages["plaquette"])
    assert (expected["habitants"], "habitants") in _counts(pages["vivre"])
    assert (expected["communes"], "communes") in _counts(pages["pdf"])
    assert {what for _, what in quoted} == set(expected)


def test_an_unknown_figure_stays_as_written(project):
    """Only the figures the kit knows are replaced: other braces in a text stay as they are."""
    from territoire.views.brochure import FIGURES, fill_figures

    site = project.load()
    text = "{nombre de communes} communes, {nombre d’offres ouvertes} offres, {nombre de moulins}."
    assert fill_figures(text, site) == (
        f"{FIGURES['nombre de communes'](site)} communes, {len(site.open_offers)} offres, {{nombre de moulins}}."
    )


def test_success_stories_name_the_partner_and_are_absent_without_any(built_site, sample_site, project):
    concluded = sorted(sample_site.concluded_offers, key=lambda o: o.conclue_le, reverse=True)
    story = parse(built_site / "index.html").all(".stories .story")[0]
    assert "Conclue le " in story.text and concluded[0].partner.nom in story.text
    assert story.one(f'a[href="/{concluded[0].partner.url}"]')
    # A board with no concluded offer: no empty section on the home page, and a plain sentence
    # on /offres/conclues/.
    for path in project.path("offers").glob("*.yaml"):
        if re.search(r"^statut: *conclue", path.read_text(encoding="utf-8"), re.M):
            path.unlink()
    output = project.build()
    assert parse(output / "index.html").all(".stories") == []
    assert "Ils se sont installés" not in parse(output / "index.html").one("main").text
    page = parse(output / "offres" / "conclues" / "index.html").one("main")
    assert "Aucune offre conclue pour le moment." in page.text and page.all(".story") == []


@pytest.mark.browser
@pytest.mark.parametrize(("width", "scale"), [(320, 1), (375, 1), (375, 2), (1280, 1), (1280, 2)])
def test_hero_picture_file_fits_its_size_on_screen(browser, site_url, width, scale):
    """The banner's srcset and sizes let the browser take a file at most about 1.5 times as wide
    as the picture on screen (in device pixels), and never a blurry one narrower than it."""
    context = browser.new_context(viewport={"width": width, "height": 800}, device_scale_factor=scale)
    tab = context.new_page()
    tab.goto(f"{site_url}/")
    img = tab.locator(".hero-picture img")
    img.evaluate("i => i.decode()")
    shown = img.evaluate("i => ({src: i.currentSrc, box: i.getBoundingClientRect().width})")
    # The file's own width is in its name (naturalWidth is divided by the density srcset gives).
    file_width = int(re.search(r"-(\d+)\.\w+\.webp$", shown["src"]).group(1))
    needed = shown["box"] * scale
    assert needed <= file_width <= 1.5 * needed, (file_width, shown)
    context.close()
