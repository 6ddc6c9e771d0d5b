"""Hostile content written by a contributor never runs in a visitor's browser, never breaks out
of an attribute, and leaves every output format well-formed (issue 12, points 1, 4, 6).

A corpus of hostile files (an offer, a partner, an event, a page) is added to a copy of the
sample project and built with the real build; Chromium opens the pages served with the site's
own security headers and, as GitHub Pages does, with no header at all. Every payload below is
valid content: only its escaping stands between it and the visitor."""

from __future__ import annotations

import csv
import functools
import http.server
import io
import json
import re
import threading

import feedparser
import icalendar
import pytest
from conftest import ROOT, Project, serve_folder

# Closes a double- or single-quoted attribute and the tag, then adds an element and two scripts
# that would set window.pwned if they ran.
PAYLOAD = "\"'><img src=x id=injecte onerror=window.pwned=1><script>window.pwned=2</script>"
TITRE = "Atelier " + PAYLOAD
ACTIVITE = '=HYPERLINK("https://pirate.example/","clic")'
MOTIF = "+33 " + PAYLOAD
AIDE = "@SOMME(1+1)"
ATOUT = "-2+3 " + PAYLOAD
ALT = "Vue " + PAYLOAD
NOM = "Structure " + PAYLOAD
SIGLE = "\"'><b id=injecte>S</b>"
ADRESSE = "1 rue " + PAYLOAD
SITE = "https://partenaire.example.org/page?a=1&b=2"
EVENEMENT = "Salon " + PAYLOAD + " </title><!--"
LIEU = "Salle " + PAYLOAD
INSCRIPTION = "https://inscriptions.example.org/salon?x=1&y=2"
# A photo of the sample, for the hostile text of its alt.
PHOTO = sorted(
    p.name for p in (ROOT / "content" / "images" / "offres").iterdir() if p.suffix in (".jpg", ".png", ".svg")
)[0]
PAGE_TITRE = "Page " + PAYLOAD
BODY = (
    "Un texte piégé. <script>window.pwned=3</script> "
    f"<img src=/images/offres/{PHOTO} alt='Vue du local' id=injecte onerror=window.pwned=4>\n\n"
    "<svg onload=window.pwned=5><a id=injecte>x</a></svg> [un lien](javascript:window.pwned=6) "
    '<a href="javascript:window.pwned=7" id=injecte>un autre</a> <iframe src="javascript:window.pwned=8"></iframe>\n'
)


def _yaml(text: str) -> str:
    """A YAML single-quoted scalar."""
    return "'" + text.replace("'", "''") + "'"


def _write_corpus(project: Project) -> None:
    project.write(
        "offers/zz-piege.yaml",
        f"""reference: LF-2026-990
titre: {_yaml(TITRE)}
nature: reprise
secteur: commerce
activite: {_yaml(ACTIVITE)}
commune: "63003"
referent: zz-piege
statut: disponible
publiee_le: 2026-11-01
prix: 40000
motif: {_yaml(MOTIF)}
atouts:
  - {_yaml(ATOUT)}
aides:
  - {_yaml(AIDE)}
photos:
  - fichier: {PHOTO}
    alt: {_yaml(ALT)}
description: |
"""
        + "".join(f"  {line}\n" if line else "\n" for line in BODY.splitlines()),
    )
    project.write(
        "content/partenaires/zz-piege.md",
        f"""---
nom: {_yaml(NOM)}
sigle: {_yaml(SIGLE)}
type: accompagnement
commune: "63003"
adresse: {_yaml(ADRESSE)}
courriel: contact@piege.example.org
site: {_yaml(SITE)}
territoire: ["200070761"]
secteurs: [commerce]
etapes: [accueil]
---
{BODY}""",
    )
    project.write(
        "content/evenements/zz-piege.md",
        f"""---
titre: {_yaml(EVENEMENT)}
type: salon
debut: 2026-11-23 10:00
fin: 2026-11-23 18:00
lieu: {_yaml(LIEU)}
commune: "63003"
partenaires: [zz-piege]
inscription: {_yaml(INSCRIPTION)}
---
{BODY}""",
    )
    project.write("content/pages/zz-piege.md", f"Title: {PAGE_TITRE}\nSlug: page-piegee\n\n{BODY}")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    """The sample project plus the hostile corpus, built once with the real build."""
    project = Project(tmp_path_factory.mktemp("piege") / "projet")
    _write_corpus(project)
    return project.build()


# The pages where the corpus lands, each with what the visitor must read there, intact.
PAGES = [
    ("offres/zz-piege/", [TITRE, ACTIVITE, MOTIF, ATOUT, AIDE, NOM, ADRESSE]),
    ("offres/", [TITRE]),
    ("offres/commune/ambert/", [TITRE]),
    ("partenaires/zz-piege/", [NOM, SIGLE, ADRESSE, EVENEMENT]),
    ("partenaires/", [NOM]),
    ("qui-fait-quoi/", [NOM]),
    ("carte/", [NOM, TITRE]),
    ("trouver-un-accompagnement/commerce/accueil/", [NOM, ADRESSE]),
    ("evenements/zz-piege/", [EVENEMENT, LIEU, NOM]),
    ("evenements/", [EVENEMENT]),
    ("", [EVENEMENT]),
    ("page-piegee/", [PAGE_TITRE]),
]

# What the page holds that the corpus could have added: run scripts, injected elements,
# inline scripts or event handlers.
INJECTED = "#injecte, iframe, svg[onload], [onerror], [onload], [onclick]"
INSPECT = """injected => ({
  pwned: window.pwned === undefined ? null : String(window.pwned),
  injected: document.querySelectorAll(injected).length,
  inline: [...document.scripts].filter(s => !s.src && s.type !== 'application/ld+json').length,
  jsLinks: [...document.querySelectorAll('a[href]')].filter(a => a.protocol === 'javascript:').length,
  text: document.title + '\\n' + document.body.innerText,
})"""
# The page as received, parsed by the browser without running anything: what a visitor without
# JavaScript gets (the board's script re-draws the list of offers from its data, with text only).
RECEIVED = """([html, injected]) => {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  return doc.querySelectorAll(injected).length
    + [...doc.scripts].filter(s => !s.src && s.type !== 'application/ld+json').length;
}"""


class _HeadersHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the built folder with the headers the site publishes for every path (_headers)."""

    published: list[tuple[str, str]] = []

    def end_headers(self) -> None:
        for name, value in self.published:
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, *args) -> None:
        pass


def _site_headers(output) -> list[tuple[str, str]]:
    """The `/*` block of the site's _headers file: the CSP and security headers of every page."""
    block = (output / "_headers").read_text(encoding="utf-8").split("\n/*\n", 1)[1].split("\n/", 1)[0]
    return [tuple(part.strip() for part in line.split(":", 1)) for line in block.splitlines() if ":" in line]


@pytest.fixture(scope="module", params=["sans CSP", "avec la CSP du site"])
def hostile_url(request, hostile_site):
    if request.param == "sans CSP":
        server = serve_folder(hostile_site)
    else:
        headers = _site_headers(hostile_site)
        assert any(name == "Content-Security-Policy" for name, _ in headers)
        handler = type("Handler", (_HeadersHandler,), {"published": headers})
        server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(handler, directory=str(hostile_site))
        )
        threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture
def tab(browser):
    """A fresh Chromium tab; the dialogs a script would open are recorded (and dismissed)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    yield page
    context.close()
    assert not page.dialogs, f"un script injecté a ouvert une boîte de dialogue : {page.dialogs}"


@pytest.mark.browser
@pytest.mark.parametrize(("path", "shown"), PAGES, ids=[p or "accueil" for p, _ in PAGES])
def test_hostile_text_is_shown_as_text_and_never_runs(tab, hostile_url, path, shown):
    response = tab.goto(f"{hostile_url}/{path}", wait_until="load")
    assert response.status == 200
    assert tab.evaluate(RECEIVED, [response.text(), INJECTED]) == 0, (
        f"/{path} : la page reçue contient un élément ou un script injecté"
    )
    found = tab.evaluate(INSPECT, INJECTED)
    assert found["pwned"] is None, f"/{path} : un script injecté s'est exécuté (window.pwned = {found['pwned']})"
    assert found["injected"] == 0, f"/{path} : un élément injecté est dans la page"
    assert found["inline"] == 0, f"/{path} : un script en ligne est dans la page"
    assert found["jsLinks"] == 0, f"/{path} : un lien javascript: est dans la page"
    for text in shown:  # the visitor reads the hostile text as it was written, whole
        assert text in found["text"], f"/{path} : « {text} » n'est pas affiché tel quel"


@pytest.mark.browser
def test_attributes_keep_hostile_text_inside_them(tab, hostile_url):
    """The text stays inside its attribute: alt, og:title, the feed title of a link."""
    tab.goto(f"{hostile_url}/offres/zz-piege/", wait_until="load")
    assert tab.locator(".offer-photos img").get_attribute("alt") == ALT
    assert tab.locator('meta[property="og:title"]').get_attribute("content") == TITRE
    assert tab.locator('meta[property="og:image:alt"]').get_attribute("content") == ALT
    # A page's title is plain text: the same, whole, in the tab, the heading and when shared.
    tab.goto(f"{hostile_url}/page-piegee/", wait_until="load")
    assert tab.title() == f"{PAGE_TITRE} — Cap Actif Livradois-Forez"
    assert tab.locator('meta[property="og:title"]').get_attribute("content") == tab.title()
    assert tab.locator("h1").inner_text() == PAGE_TITRE
    tab.goto(f"{hostile_url}/partenaires/zz-piege/", wait_until="load")
    assert tab.locator(".partner-contact a[href^='https://']").get_attribute("href") == SITE
    tab.goto(f"{hostile_url}/evenements/zz-piege/", wait_until="load")
    assert tab.locator("a.button", has_text="S'inscrire").get_attribute("href") == INSCRIPTION


@pytest.mark.browser
def test_map_popup_shows_hostile_text_as_text(browser, hostile_url):
    """The map's popup (drawn by carte.js from the GeoJSON) shows the offer's title, photo
    text and price as they were written, and nothing in them runs."""
    # Reduced motion: no zoom animation, each click's view is drawn before the next look.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, reduced_motion="reduce")
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith("http://127.0.0.1") else r.abort())
    tab = context.new_page()
    tab.goto(f"{hostile_url}/carte/", wait_until="load")
    tab.get_by_role("button", name="Explorer la carte").click()
    tab.wait_for_selector("#carte[data-pret=oui]")
    tab.get_by_role("checkbox", name="Partenaires").uncheck()
    marker = tab.locator(f'.leaflet-marker-icon.marker-offre[title="{TITRE.replace(chr(34), chr(92) + chr(34))}"]')
    # The trapped offer shares Ambert with another offer: its cluster opens (zoom, then the
    # markers of one place spread around it).
    for _ in range(12):
        if marker.count():
            break
        tab.locator(".marker-cluster").first.click()
    marker.click()
    content = tab.locator(".leaflet-popup-content")
    content.wait_for()
    assert content.locator("a").first.inner_text() == TITRE
    assert content.locator("img").get_attribute("alt") == ALT
    assert "40 000 €" in content.inner_text().replace("\u00a0", " ")
    found = tab.evaluate(INSPECT, INJECTED)
    assert found["pwned"] is None and found["injected"] == 0 and found["inline"] == 0
    context.close()


@pytest.mark.browser
def test_search_results_show_hostile_titles_as_text(tab, hostile_url):
    """Pagefind's results (titles, excerpts) are drawn by its script from the index; an offer's
    title is followed by its commune (and price), « — Commune »."""
    tab.goto(f"{hostile_url}/recherche/?q=pi%C3%A9g%C3%A9", wait_until="load")
    # Pagefind draws its results one by one, as each fragment arrives: wait for both.
    tab.wait_for_function(
        """(expected) => {
            const titles = [...document.querySelectorAll(".pagefind-ui__result-link")].map((a) => a.innerText);
            return expected.every((t) => titles.some((shown) => shown === t || shown.startsWith(t + " — ")));
        }""",
        arg=[TITRE, EVENEMENT],
        timeout=20000,
    )
    titles = tab.locator(".pagefind-ui__result-link").all_inner_texts()
    assert any(t.startswith(TITRE + " — ") for t in titles) and EVENEMENT in titles
    found = tab.evaluate(INSPECT, INJECTED)
    assert found["pwned"] is None and found["injected"] == 0 and found["inline"] == 0


def _json_ld(html: str) -> list[str]:
    return re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)


def test_data_outputs_stay_well_formed_with_hostile_content(hostile_site):
    # JSON-LD: parses, holds the text whole, and no raw <, > or & that the HTML parser could read.
    for page, name in (
        ("offres/zz-piege/", TITRE),
        ("evenements/zz-piege/", EVENEMENT),
        ("partenaires/zz-piege/", NOM),
    ):
        blocks = _json_ld((hostile_site / page / "index.html").read_text(encoding="utf-8"))
        assert len(blocks) == 1, f"/{page} : le bloc JSON-LD a été coupé"
        assert not set("<>&") & set(blocks[0]), f"/{page} : « < », « > » ou « & » brut dans le JSON-LD"
        assert json.loads(blocks[0])["name"] == name

    # CSV: no cell a spreadsheet would run as a formula; the text is kept after the apostrophe.
    rows = list(csv.DictReader(io.StringIO((hostile_site / "offres" / "offres.csv").read_text(encoding="utf-8"))))
    row = next(r for r in rows if r["reference"] == "LF-2026-990")
    assert row["activite"] == "'" + ACTIVITE
    assert row["motif"] == "'" + MOTIF
    assert row["aides"] == "'" + AIDE
    assert row["atouts"] == "'" + ATOUT
    assert row["titre"] == TITRE
    for other in rows:
        for name, cell in other.items():
            if name not in ("latitude", "longitude", "prix", "loyer", "chiffre_affaires", "effectif", "surface"):
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (other["reference"], name, cell)
    schema = json.loads((hostile_site / "offres" / "offres.schema.json").read_text(encoding="utf-8"))
    assert "apostrophe" in schema["description"]

    # Atom feeds and calendars: parsed by real parsers, the titles whole.
    offers_feed = feedparser.parse(str(hostile_site / "offres" / "flux.atom"))
    assert not offers_feed.bozo, offers_feed.get("bozo_exception")
    assert TITRE in [e.title for e in offers_feed.entries]
    events_feed = feedparser.parse(str(hostile_site / "evenements" / "flux.atom"))
    assert not events_feed.bozo, events_feed.get("bozo_exception")
    assert EVENEMENT in [e.title for e in events_feed.entries]
    calendar = icalendar.Calendar.from_ical((hostile_site / "evenements" / "zz-piege" / "evenement.ics").read_bytes())
    event = next(c for c in calendar.walk("VEVENT"))
    assert str(event["SUMMARY"]) == EVENEMENT
    assert LIEU in str(event["LOCATION"])


# --- Validation: what cannot be escaped is refused, in French, with file, line and field ----


PARTNER = '---\nnom: Coopérative du Livradois\ntype: accompagnement\ncommune: "63003"\nterritoire: ["200070761"]\nsecteurs: [commerce]\netapes: [accueil]\n{extra}---\nLa coopérative accompagne les créateurs.\n'
EVENT = '---\ntitre: {titre}\ntype: salon\ndebut: 2027-03-14 10:00\nfin: 2027-03-14 18:00\nlieu: Salle des fêtes\ncommune: "63003"\n{extra}---\nUn salon de la création et de la reprise.\n'

REFUSED = {
    "site avec guillemet": (
        "content/partenaires/coop.md",
        PARTNER.format(extra='site: https://coop.example.org/" onmouseover="alert(1)\n'),
        'content/partenaires/coop.md:8:7 — site : « https://coop.example.org/" onmouseover="alert(1) » contient le caractère « " » ; attendu : une adresse web complète commençant par https://.',
    ),
    "site avec guillemet simple": (
        "content/partenaires/coop.md",
        PARTNER.format(extra="site: https://coop.example.org/'onmouseover='alert(1)'\n"),
        "content/partenaires/coop.md:8:7 — site : « https://coop.example.org/'onmouseover='alert(1)' » contient le caractère « ' » ; attendu : une adresse web complète commençant par https://.",
    ),
    "retour à la ligne dans un téléphone": (
        "content/partenaires/coop.md",
        PARTNER.format(extra='telephone: "04 65\\n71 00 00"\n'),
        "content/partenaires/coop.md:8:12 — telephone : « 04 65⏎71 00 00 » n'est pas un numéro de téléphone ; attendu : un numéro à 10 chiffres, par exemple 04 65 71 00 00.",
    ),
    "inscription javascript:": (
        "content/evenements/salon.md",
        EVENT.format(titre="Salon", extra="inscription: javascript:alert(document.cookie)//https://x.fr\n"),
        "content/evenements/salon.md:8:14 — inscription : « javascript:alert(document.cookie)//https://x.fr » ne commence pas par https:// (ni http://) ; attendu : une adresse web complète commençant par https://.",
    ),
    "inscription sans nom de site": (
        "content/evenements/salon.md",
        EVENT.format(titre="Salon", extra="inscription: https:///inscription\n"),
        "content/evenements/salon.md:8:14 — inscription : « https:///inscription » n'a pas de nom de site valable après « // » (par exemple www.exemple.fr) ; attendu : une adresse web complète commençant par https://.",
    ),
    "retour à la ligne dans un titre d'événement": (
        "content/evenements/salon.md",
        EVENT.format(titre='"Salon\\nBEGIN:VEVENT"', extra=""),
        "content/evenements/salon.md:2:8 — titre : le texte contient un retour à la ligne après « Salon » ; attendu : un texte sur une seule ligne : écrivez-le à la suite, sans passer à la ligne.",
    ),
    "caractère de contrôle dans un lieu": (
        "content/evenements/salon.md",
        EVENT.format(titre="Salon", extra="").replace("Salle des fêtes", '"Salle des fêtes\\x1b"'),
        "content/evenements/salon.md:6:7 — lieu : le texte contient le caractère invisible U+001B après « Salle des fêtes » ; attendu : du texte sans caractère de contrôle : supprimez-le (ou retapez ce passage).",
    ),
    "caractère de contrôle dans le corps d'un partenaire": (
        "content/partenaires/coop.md",
        PARTNER.format(extra="").replace("accompagne les", "accompagne\x1b[31m les"),
        "content/partenaires/coop.md:9:1 — presentation : le texte contient le caractère invisible U+001B après « La coopérative accompagne » ; attendu : du texte sans caractère de contrôle : supprimez-le (ou retapez ce passage).",
    ),
    "séparateur de ligne Unicode dans un texte de remplacement": (
        "offers/epicerie.yaml",
        'reference: LF-2026-950\ntitre: Épicerie\nnature: reprise\nsecteur: commerce\nactivite: Épicerie\ncommune: "63003"\nreferent: cci-ambert\n'
        "statut: disponible\npubliee_le: 2026-10-01\nphotos:\n  - fichier: "
        + PHOTO
        + '\n    alt: "La vitrine\\u2028<b>"\ndescription: Une épicerie de village.\n',
        "offers/epicerie.yaml:12:10 — photos : élément n° 1 : alt : le texte contient un retour à la ligne après « La vitrine » ; attendu : un texte sur une seule ligne : écrivez-le à la suite, sans passer à la ligne.",
    ),
    "caractère de contrôle dans le titre d'une page": (
        "content/pages/piege.md",
        "Title: Une page\x07 piégée\n\nTexte.\n",
        "content/pages/piege.md:1:1 — Title : le texte contient le caractère invisible U+0007 après « Une page » ; attendu : du texte sans caractère de contrôle : supprimez-le (ou retapez ce passage).",
    ),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_what_would_break_a_page_or_a_format_is_refused_by_validate(check_file, case):
    """Checked on the file alone (validate.check_text): an error, so `invoke validate` exits with 1."""
    relative, text, expected = REFUSED[case]
    errors = [str(p) for p in check_file(relative, text).errors]
    assert expected in errors, errors


def test_github_annotations_escape_the_file_name_and_the_message(project):
    """A file name with « , » or « : » cannot add or change an annotation's properties."""
    relative = "offers/a,line=1,col=1::faux%0A:b.yaml"
    project.write(relative, "reference: LF-2026-950\ntitre: Épicerie\n")
    result = project.run("validate", "--format", "github")
    assert "Traceback" not in result.stdout + result.stderr
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert annotations and all(
        re.fullmatch(r"::(error|warning) file=[^,:]*,line=\d+,col=\d+::[^\r\n]*", a) for a in annotations
    )
    ours = [a for a in annotations if "faux" in a]
    assert ours, annotations
    for annotation in ours:
        name = re.match(r"::error file=([^,]*),", annotation).group(1)
        assert name.replace("%2C", ",").replace("%3A", ":").replace("%0A", "\n").replace("%25", "%") == relative


def test_editors_and_the_cms_refuse_the_same_web_addresses():
    """The JSON Schemas (editors) and the CMS form check web addresses as validate does."""
    from territoire.cms import widget
    from territoire.models import MODELS

    for kind, name in (("partenaire", "site"), ("evenement", "inscription")):
        schema = json.loads((ROOT / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8"))
        form = widget(name, MODELS[kind].fields[name], {})
        for pattern in (schema["properties"][name]["pattern"], form["pattern"][0]):
            assert re.search(pattern, SITE) and re.search(pattern, INSCRIPTION)
            for bad in (
                'https://x.fr/" onmouseover="alert(1)',
                "https://x.fr/'onfocus='x'",
                "javascript:alert(1)",
                "https://x.fr/<b>",
            ):
                assert not re.search(pattern, bad), (kind, pattern, bad)
