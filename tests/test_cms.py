"""The CMS for partners at /admin/: Decap CMS, its config.yml generated from the models, and
an offer created through the form in Chromium against Decap's local backend (decap-server)."""

from __future__ import annotations

import difflib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import threading
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, npm_installed, serve_folder
from territoire import cms
from territoire.models import BILAN, EVENEMENT, OFFRE, PARTENAIRE
from territoire.settings import THEME_PATH as KIT_THEME

CMS_TESTS = ROOT / "tests" / "cms"
DECAP_SERVER = CMS_TESTS / "node_modules" / "decap-server" / "dist" / "index.js"


@pytest.fixture(scope="module")
def config(built_site) -> dict:
    return yaml.safe_load((built_site / "admin" / "config.yml").read_text(encoding="utf-8"))


def collection(config: dict, name: str) -> dict:
    return next(c for c in config["collections"] if c["name"] == name)


def fields_of(coll: dict) -> dict[str, dict]:
    return {f["name"]: f for f in coll["fields"]}


# --- The generated config.yml ---------------------------------------------------------------


def test_config_backend_workflow_and_locale(config):
    assert config["backend"]["name"] == "github"
    assert config["backend"]["repo"] == "cap-actif/site"
    assert config["backend"]["branch"] == "main"
    assert config["publish_mode"] == "editorial_workflow"  # each save is a branch and a pull request
    assert config["locale"] == "fr"
    assert config["local_backend"] is True
    assert config["media_folder"] == "content/images/offres"
    assert [c["name"] for c in config["collections"]] == [
        "offres",
        "partenaires",
        "evenements",
        "pages",
        "plaquette",
        "bilan",
    ]


def test_production_config_has_no_local_backend(sample_site):
    from territoire.build import read_settings

    settings = read_settings("publishconf.py")
    assert "local_backend" not in cms.config(
        sample_site, {k: v for k, v in settings.items() if k.startswith("TERRITOIRE_CMS")}
    )


def test_collections_folders_and_formats(config):
    offers = collection(config, "offres")
    # Offers, partners and events are written by admin.js's formats, as partners write them.
    assert (offers["folder"], offers["extension"], offers["format"]) == ("offers", "yaml", "territoire-offre")
    partners = collection(config, "partenaires")
    assert (partners["folder"], partners["extension"], partners["format"]) == (
        "content/partenaires",
        "md",
        "territoire-partenaire",
    )
    events = collection(config, "evenements")
    assert (events["folder"], events["extension"], events["format"]) == (
        "content/evenements",
        "md",
        "territoire-evenement",
    )
    pages = collection(config, "pages")
    assert pages["folder"] == "content/pages"
    # The brochure's chapters live in a sub-folder, which a Decap folder collection does not list.
    brochure = collection(config, "plaquette")
    assert (brochure["folder"], brochure["format"]) == ("content/pages/accueil", pages["format"])
    assert fields_of(brochure)["ordre"]["widget"] == "number"
    assert fields_of(brochure)["slug"]["pattern"][0] == "^accueil(/[a-z0-9]+(-[a-z0-9]+)*)?$"
    figures = collection(config, "bilan")
    assert (figures["folder"], figures["extension"], figures["format"], figures["slug"]) == (
        "content/bilan",
        "yaml",
        "yaml",
        "{{annee}}",
    )
    assert fields_of(figures)["annee"] == {**fields_of(figures)["annee"], "widget": "number", "min": 1950, "max": 2100}
    # The Markdown body of front-matter files is Decap's `body` field, with the model's label.
    assert fields_of(partners)["body"]["label"] == PARTENAIRE.fields["presentation"].titre
    assert fields_of(partners)["body"]["widget"] == "markdown"
    assert fields_of(events)["body"]["label"] == EVENEMENT.fields["description"].titre


@pytest.mark.parametrize(
    "model,name", [(OFFRE, "offres"), (PARTENAIRE, "partenaires"), (EVENEMENT, "evenements"), (BILAN, "bilan")]
)
def test_every_model_field_has_its_widget_label_hint_and_required_flag(config, model, name):
    fields = fields_of(collection(config, name))
    expected_names = ["body" if n == model.body_field else n for n in model.fields]
    assert list(fields) == expected_names
    for field_name, fld in model.fields.items():
        widget = fields["body" if field_name == model.body_field else field_name]
        assert widget["label"] == fld.titre
        assert widget["required"] is fld.required, field_name
        assert widget["hint"], field_name


def test_widgets_per_field_type(config):
    offer = fields_of(collection(config, "offres"))
    assert offer["titre"]["widget"] == "string"
    assert offer["motif"]["widget"] == "text"
    assert offer["description"]["widget"] == "markdown"
    assert offer["reference"]["widget"] == "string"
    assert offer["reference"]["pattern"][0] == "^[A-Z]{2,4}-\\d{4}-\\d{3,4}$"
    for name in ("prix", "loyer", "chiffre_affaires", "effectif", "surface", "contacts"):
        assert offer[name]["widget"] == "number" and offer[name]["value_type"] == "int", name
    # Yes/no as a list: an untouched switch would write « logement: false ».
    assert offer["logement"]["widget"] == "select" and offer["logement"]["required"] is False
    assert offer["logement"]["options"] == [{"label": "Oui", "value": "oui"}, {"label": "Non", "value": "non"}]
    assert "default" not in offer["logement"]
    assert offer["reference"]["default"] == "LF-2026-022"  # the next free reference
    for name in ("publiee_le", "mise_a_jour", "expire_le", "conclue_le"):
        assert offer[name]["widget"] == "datetime"
        assert offer[name]["format"] == "YYYY-MM-DD" and offer[name]["time_format"] is False, name
    assert offer["atouts"]["widget"] == "list" and offer["atouts"]["field"]["widget"] == "string"
    photos = offer["photos"]
    assert photos["widget"] == "list"
    photo = {f["name"]: f for f in photos["fields"]}
    # Decap's image widget in admin.js's wrapper, with validation's limits (a logo may be small).
    assert photo["fichier"]["widget"] == "territoire-photo" and photo["fichier"]["required"] is True
    assert (photo["fichier"]["largeur_min"], photo["fichier"]["hauteur_min"]) == (800, 450)
    assert photo["fichier"]["poids_max"] == 8 * 1024 * 1024
    assert photo["alt"]["widget"] == "string" and photo["alt"]["required"] is True
    event = fields_of(collection(config, "evenements"))
    assert event["debut"]["widget"] == "datetime" and event["debut"]["format"] == "YYYY-MM-DD HH:mm"
    assert event["inscription"]["pattern"][0].startswith("^https?://")
    partner = fields_of(collection(config, "partenaires"))
    assert partner["courriel"]["widget"] == "string" and "pattern" in partner["courriel"]
    assert partner["reseau_local"]["widget"] == "select"
    assert partner["logo"]["widget"] == "territoire-photo" and "largeur_min" not in partner["logo"]


def test_enumerations_are_selects_with_every_value_and_french_label(config):
    offer = fields_of(collection(config, "offres"))
    partner = fields_of(collection(config, "partenaires"))
    event = fields_of(collection(config, "evenements"))
    cases = [
        (offer["nature"], OFFRE.fields["nature"].choices),
        (offer["secteur"], OFFRE.fields["secteur"].choices),
        (offer["statut"], OFFRE.fields["statut"].choices),
        (partner["type"], PARTENAIRE.fields["type"].choices),
        (partner["secteurs"], PARTENAIRE.fields["secteurs"].item.choices),
        (partner["etapes"], PARTENAIRE.fields["etapes"].item.choices),
        (event["type"], EVENEMENT.fields["type"].choices),
    ]
    for widget, choices in cases:
        assert widget["widget"] == "select"
        assert {o["value"]: o["label"] for o in widget["options"]} == choices
    assert partner["secteurs"]["multiple"] is True and partner["secteurs"]["min"] == 1
    assert "Santé et social" in [o["label"] for o in offer["secteur"]["options"]]


def test_referent_and_event_partners_are_relations_to_partners(config):
    offer = fields_of(collection(config, "offres"))
    event = fields_of(collection(config, "evenements"))
    widget = event["partenaires"]
    assert widget["widget"] == "relation"
    assert widget["collection"] == "partenaires"
    assert widget["value_field"] == "{{slug}}"
    assert "nom" in widget["search_fields"]
    assert event["partenaires"]["multiple"] is True
    # The referent is searched by name or acronym, ignoring accents (admin.js's search widget).
    assert offer["referent"]["widget"] == "territoire-recherche"
    assert {"label": "Chambre de commerce et d'industrie d'Ambert (CCI Ambert)", "value": "cci-ambert"} in offer[
        "referent"
    ]["options"]
    assert offer["referent"]["required"] is True


def test_commune_is_chosen_by_name_among_the_territory(config, sample_site):
    offer = fields_of(collection(config, "offres"))
    partner = fields_of(collection(config, "partenaires"))
    territory = sample_site.communes.territory()
    for widget in (offer["commune"], partner["commune"]):
        assert widget["widget"] == "territoire-recherche"
        options = {o["value"]: o["label"] for o in widget["options"]}
        assert len(options) == len(territory) > 100
        assert options["63003"] == "Ambert"
        assert all(isinstance(v, str) and len(v) == 5 for v in options)
    # Every sample offer's and partner's commune is offered, so editing them keeps it.
    values = {o["value"] for o in offer["commune"]["options"]}
    assert {o.commune for o in sample_site.offers} <= values
    assert {p.commune for p in sample_site.partners.values()} <= values
    # Events may be anywhere in France: chosen by name too, among every commune (a file of its own).
    event = fields_of(collection(config, "evenements"))
    assert event["commune"]["widget"] == "territoire-recherche" and event["commune"]["options_url"] == "communes.json"


def test_every_french_commune_is_offered_to_the_event_form(built_site, sample_site):
    options = json.loads((built_site / "admin" / "communes.json").read_text(encoding="utf-8"))
    assert len(options) == len(sample_site.communes.by_code) > 30000
    assert {"label": "Lyon (Rhône)", "value": "69123"} in options
    assert {e.commune for e in sample_site.events} <= {o["value"] for o in options}


def test_partner_territory_options_cover_the_sample_partners(config, sample_site):
    widget = fields_of(collection(config, "partenaires"))["territoire"]
    assert widget["widget"] == "select" and widget["multiple"] is True
    values = {o["value"] for o in widget["options"]}
    for partner in sample_site.partners.values():
        assert set(partner.territoire) <= values, partner.slug


class _Head(HTMLParser):
    def __init__(self):
        super().__init__()
        self.robots = None
        self.scripts: list[dict] = []
        self.inline_scripts = 0
        self.styles_attrs = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and a.get("name") == "robots":
            self.robots = a.get("content")
        if tag == "script":
            self.scripts.append(a)
            if "src" not in a:
                self.inline_scripts += 1
        if "style" in a:
            self.styles_attrs += 1


def test_admin_page_loads_self_hosted_decap_and_is_not_indexed(built_site):
    html = (built_site / "admin" / "index.html").read_text(encoding="utf-8")
    head = _Head()
    head.feed(html)
    assert head.robots == "noindex, nofollow"
    assert head.inline_scripts == 0 and head.styles_attrs == 0
    sources = [s["src"] for s in head.scripts]
    # admin.js (a module) runs first and starts Decap itself once both deferred scripts have run.
    assert sources == [
        "/theme/js/admin.js",
        "/theme/vendor/decap-cms/decap-cms.js",
        "/theme/vendor/js-yaml/js-yaml.min.js",
    ]
    assert [s.get("type") for s in head.scripts] == ["module", None, None]
    assert all("defer" in s for s in head.scripts[1:])
    for src in sources:
        assert (built_site / src.lstrip("/")).is_file()
    assert (built_site / "theme" / "vendor" / "decap-cms" / "LICENSE").is_file()
    versions = (KIT_THEME / "static" / "vendor" / "VERSIONS.md").read_text(encoding="utf-8")
    assert "decap-cms | 3.16.3" in versions
    sitemap = (built_site / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>" in sitemap and "/admin/" not in sitemap


def test_config_is_deterministic(sample_site, built_site):
    assert cms.dump(cms.config(sample_site)) == (built_site / "admin" / "config.yml").read_text(encoding="utf-8")


# --- Creating an offer through the form, in Chromium, against decap-server ------------------


@pytest.fixture(scope="session")
def decap_server_script() -> Path:
    """decap-server, pinned in tests/cms/package-lock.json; installed with `npm ci` if missing."""
    return npm_installed(CMS_TESTS, DECAP_SERVER, "le test du CMS (decap-server)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def decap_server(decap_server_script, project):
    """decap-server (file-system mode) on a free port, serving the SCRATCH copy of the project."""
    port = _free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "BIND_HOST": "127.0.0.1",
        "MODE": "fs",
        "GIT_REPO_DIRECTORY": str(project.root),
        "LOG_LEVEL": "info",
    }
    process = subprocess.Popen(
        [shutil.which("node") or "node", str(decap_server_script)],
        cwd=project.root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        for line in process.stdout:  # wait until it listens
            if "listening on" in line:
                break
        else:
            pytest.fail("decap-server s'est arrêté au démarrage.")
        threading.Thread(target=process.stdout.read, daemon=True).start()  # keep its log drained
        yield f"http://127.0.0.1:{port}/api/v1"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def cms_site(built_site, project, decap_server, tmp_path):
    """The built /admin/ with a config.yml generated from the scratch copy: local backend on
    decap-server, editorial workflow off (decap-server's file-system mode has no pull requests)."""
    site_dir = tmp_path / "site"
    shutil.copytree(built_site / "theme", site_dir / "theme")
    (site_dir / "admin").mkdir()
    shutil.copy(built_site / "admin" / "index.html", site_dir / "admin" / "index.html")
    for name in ("communes.json", cms.LABELS):
        shutil.copy(built_site / "admin" / name, site_dir / "admin" / name)
    overrides = {"TERRITOIRE_CMS_LOCAL_BACKEND": {"url": decap_server}, "TERRITOIRE_CMS_EDITORIAL_WORKFLOW": False}
    text = cms.dump(cms.config(project.load(), overrides))
    (site_dir / "admin" / "config.yml").write_text(text, encoding="utf-8")
    server = serve_folder(site_dir)
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _search(tab, field: str, typed: str, option: str) -> None:
    """Choose in admin.js's search widget: type, then click the option found."""
    box = tab.locator(f"input[id^='{field}-field']")
    box.fill(typed)
    tab.get_by_role("button", name=option, exact=True).click()
    tab.get_by_text(f"Choisi : {option}", exact=True).wait_for()


def _pick(tab, field: str, typed: str, option: str) -> None:
    """Choose an option of a Decap select or relation (react-select) by typing its label."""
    control = tab.locator(f"input[id^='{field}-field']")
    control.click()
    control.fill(typed)
    tab.get_by_role("option", name=option, exact=True).click()


@pytest.mark.browser
def test_offer_created_in_the_cms_is_a_valid_file(browser, cms_site, project):
    before = {p.name for p in (project.root / "offers").iterdir()}
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    outside: list[str] = []

    def route(r):
        if r.request.url.startswith(("http://127.0.0.1", "data:", "blob:")):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    tab = context.new_page()
    try:
        tab.goto(f"{cms_site}/admin/")
        tab.get_by_role("button", name="Se connecter").click()
        tab.goto(f"{cms_site}/admin/#/collections/offres/new")
        reference = tab.locator("input[id^='reference-field']")
        reference.wait_for()
        assert reference.input_value() == "LF-2026-022"  # the next free reference, filled in
        tab.locator("input[id^='titre-field']").fill("Menuiserie à reprendre à Saint-Amant-Roche-Savine")
        _pick(tab, "nature", "Reprise", "Reprise d'entreprise")
        _pick(tab, "secteur", "Artisa", "Artisanat")
        tab.locator("input[id^='activite-field']").fill("Menuiserie et agencement")
        # Searched as people type: no accent, no hyphen, « st » for « saint ».
        _search(tab, "commune", "st amant roche", "Saint-Amant-Roche-Savine")
        _search(
            tab,
            "referent",
            "chambre de commerce et d industrie d ambert",
            "Chambre de commerce et d'industrie d'Ambert (CCI Ambert)",
        )
        _pick(tab, "statut", "Dispo", "Disponible")
        tab.locator("input[id^='publiee_le-field']").fill("2026-11-20")
        tab.locator("input[id^='expire_le-field']").fill("2027-05-20")
        tab.locator("input[id^='prix-field']").fill("85000")
        tab.locator("[data-slate-editor='true']").first.click()
        tab.keyboard.type("Un atelier de menuiserie équipé, avec une clientèle fidèle de particuliers.")
        tab.get_by_role("button", name="Publier").first.click()
        tab.get_by_text("Publier maintenant").click()
        tab.wait_for_url("**/collections/offres/entries/**")
    finally:
        context.close()
    added = sorted({p.name for p in (project.root / "offers").iterdir()} - before)
    assert added == ["menuiserie-a-reprendre-a-saint-amant-roche-savine.yaml"]
    text = (project.root / "offers" / added[0]).read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schemas/offre.schema.json\nreference: LF-2026-022\n")
    assert "logement" not in text  # an untouched yes/no field writes nothing
    assert "\ndescription: |\n  Un atelier" in text  # Markdown as a block, after the other fields
    written = yaml.safe_load(text)
    assert written["commune"] == "63314" and written["referent"] == "cci-ambert"
    assert written["prix"] == 85000 and written["nature"] == "reprise" and written["secteur"] == "artisanat"
    site = project.load()
    assert site.report.errors == []
    assert "LF-2026-022" in {o.reference for o in site.offers}
    result = project.run("validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert outside == []


@pytest.mark.browser
def test_a_brochure_chapter_edited_in_the_cms_keeps_its_header(browser, cms_site, project):
    chapter = project.root / "content" / "pages" / "accueil" / "02-creer-ou-reprendre.md"
    original = chapter.read_text(encoding="utf-8")
    before = original.splitlines()
    context, tab = _open_cms(browser, cms_site)
    try:
        tab.goto(f"{cms_site}/admin/#/collections/plaquette")
        for title in (
            "0. Bienvenue en Livradois-Forez",
            "1. Vivre en Livradois-Forez",
            "2. Créer ou reprendre une activité",
        ):
            tab.get_by_text(title, exact=False).first.wait_for()
        tab.goto(f"{cms_site}/admin/#/collections/plaquette/entries/02-creer-ou-reprendre")
        summary = tab.locator("textarea[id^='summary-field']")
        summary.fill("Les cinq étapes d'un projet, et qui vous accompagne à chacune.")
        # Wait for Decap's own « Entrée enregistrée », then read the file it wrote.
        after = _publish(tab, chapter, original).splitlines()
    finally:
        context.close()
    assert after[:4] == [
        before[0],
        before[1],
        "Ordre: 2",
        "Summary: Les cinq étapes d'un projet, et qui vous accompagne à chacune.",
    ]
    assert after[4] == ""
    assert any(line.startswith("## Étape 1") for line in after)
    result = project.run("validate")
    assert result.returncode == 0, result.stdout + result.stderr


# --- Clean files: what the CMS writes is what a partner would write by hand -------------------


def _open_cms(browser, cms_site):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    tab = context.new_page()
    tab.goto(f"{cms_site}/admin/")
    tab.get_by_role("button", name="Se connecter").click()
    return context, tab


def _open_photo_library(browser, cms_site):
    """A new offer's photo field, its media library open; the alerts the form shows are
    collected (and dismissed) in the list returned with the tab."""
    context, tab = _open_cms(browser, cms_site)
    alerts: list[str] = []

    def dismiss(dialog) -> None:
        alerts.append(dialog.message)
        dialog.dismiss()

    tab.on("dialog", dismiss)
    tab.goto(f"{cms_site}/admin/#/collections/offres/new")
    tab.get_by_role("button", name="Ajouter Photo").click()
    tab.get_by_role("button", name="Choisir une image").click()
    return context, tab, alerts


def _publish(tab, path, before: str) -> str:
    """Publish the entry and return the file as decap-server wrote it."""
    tab.get_by_role("button", name="Publier").first.click()
    tab.get_by_text("Publier maintenant").click()
    tab.get_by_text("Entrée enregistrée").first.wait_for(timeout=60000)
    text = path.read_text(encoding="utf-8")
    assert text != before, "le fichier n'a pas été enregistré"
    return text


ONE_WORD = {
    "offre": (
        "offres",
        "offers/boulangerie-patisserie-ambert.yaml",
        "titre",
        "Boulangerie-pâtisserie à reprendre au cœur d'Ambert",
        "Boulangerie-pâtisserie à reprendre au centre d'Ambert",
    ),
    "partenaire": (
        "partenaires",
        "content/partenaires/adie.md",
        "adresse",
        "Permanence d'Issoire, 20 rue du Palais, 63500 Issoire",
        "Permanence d'Issoire, 22 rue du Palais, 63500 Issoire",
    ),
    "événement": (
        "evenements",
        "content/evenements/micro-marche-lyon-2027.md",
        "lieu",
        "Place Carnot, stand du réseau Cap Actif",
        "Place Bellecour, stand du réseau Cap Actif",
    ),
}


@pytest.mark.browser
@pytest.mark.parametrize("kind", list(ONE_WORD))
def test_editing_one_word_in_the_cms_changes_one_line(browser, cms_site, project, kind):
    """The schema line, the key order, flow lists, quoted codes, the Markdown text as written:
    everything but the edited line stays as the partner wrote it."""
    collection_name, relative, field, old, new = ONE_WORD[kind]
    path = project.root / relative
    original = path.read_text(encoding="utf-8")
    before = original.splitlines()
    context, tab = _open_cms(browser, cms_site)
    try:
        tab.goto(f"{cms_site}/admin/#/collections/{collection_name}/entries/{path.stem}")
        box = tab.locator(f"input[id^='{field}-field']")
        box.wait_for()
        assert box.input_value() == old
        box.fill(new)
        after = _publish(tab, path, original).splitlines()
    finally:
        context.close()
    changed = [
        line
        for line in difflib.unified_diff(before, after, lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    assert changed == [f"-{field}: {old}", f"+{field}: {new}"], "\n".join(
        difflib.unified_diff(before, after, lineterm="")
    )
    assert project.run("validate", "--", str(path)).returncode == 0


@pytest.mark.parametrize(
    "kind,folder", [("offre", "offers"), ("partenaire", "content/partenaires"), ("evenement", "content/evenements")]
)
def test_every_sample_file_is_written_back_unchanged(kind, folder):
    """admin.js's formats, run by Node with the js-yaml the CMS loads: reading then writing any
    file of the sample gives back the same bytes (the CMS rewrites nothing it was not asked to)."""
    import json

    node = shutil.which("node")
    if node is None:
        if os.environ.get("CI") == "true":
            pytest.fail("node est absent alors que CI=true.")
        pytest.skip("node absent")
    files = sorted(str(p) for p in (ROOT / folder).iterdir() if p.suffix in (".yaml", ".md"))
    formats = json.dumps(cms.formats())
    result = subprocess.run(
        [node, str(CMS_TESTS / "roundtrip.mjs"), str(KIT_THEME.parent), formats, cms.FORMATS[kind], *files],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
    )
    written = json.loads(result.stdout)
    for file in files:
        assert written[file] == Path(file).read_text(encoding="utf-8"), file


def test_contributing_names_the_cms_screens_word_for_word(built_site):
    """Every word in bold in CONTRIBUTING's form steps is one the CMS shows: a label of
    config.yml (collections, fields, options) or a French text of the pinned Decap CMS."""
    import re

    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    steps = guide.split("### Avec le formulaire (`/admin/`)")[1].split("### Obtenir un compte")[0]
    account = guide.split("### Obtenir un compte")[1].split("\n#")[0]
    steps += account.split("3. La coordination")[0] + account.split("4. Ouvrez")[1]  # step 3 is GitHub's own screen
    terms = set(re.findall(r"\*\*(.+?)\*\*", steps))
    config = yaml.safe_load((built_site / "admin" / "config.yml").read_text(encoding="utf-8"))
    labels: set[str] = set()

    def collect(node):
        if isinstance(node, dict):
            labels.update(str(node[k]) for k in ("label", "label_singular") if k in node)
            for value in node.values():
                collect(value)
        elif isinstance(node, list):
            for value in node:
                collect(value)

    collect(config["collections"])
    decap = (built_site / "theme" / "vendor" / "decap-cms" / "decap-cms.js").read_text(encoding="utf-8")
    assert terms >= {
        "Se connecter avec GitHub",
        "Offres d'activités",
        "Référence",
        "Commune",
        "Partenaire référent",
        "Enregistrer",
        "Prêt",
    }
    for term in sorted(terms):
        assert term in labels or f'"{term}"' in decap, f"« {term} » n'apparaît pas dans le formulaire"


@pytest.mark.browser
def test_login_page_shows_the_site_name_in_its_colours(browser, built_site, site_url):
    logo = (built_site / "admin" / "logo.svg").read_text(encoding="utf-8")
    assert 'fill="#2d5a27"' in logo and ">Cap Actif Livradois-Forez</text>" in logo  # the theme's --brand
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(site_url) else r.abort())
    tab = context.new_page()
    try:
        tab.goto(f"{site_url}/admin/")
        tab.get_by_role("button", name="Se connecter avec GitHub").wait_for(timeout=60000)
        image = tab.locator("img[src$='/admin/logo.svg']").first
        image.wait_for()
        assert image.evaluate("i => i.complete && i.naturalWidth > 0")
        assert tab.title() == "Espace partenaires — Cap Actif Livradois-Forez"
        tab.screenshot(path=str(built_site.parent / "connexion-admin.png"))
    finally:
        context.close()


# --- The local trial as README and CONTRIBUTING tell it: `make serve` and decap-server ------


def _readme_local_backend_command() -> str:
    """The decap-server command README.md gives, after its `npm ci` (run by the fixture)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = re.search(r"`npm ci --prefix tests/cms && (PORT=8081 node [^`]+)`", readme).group(1)
    return command.replace("tests/cms/", f"{CMS_TESTS}/")


@pytest.mark.browser
def test_the_documented_local_trial_finds_the_local_backend(browser, decap_server_script, project):
    """`make serve` (invoke serve) plus the decap-server command of the README: /admin/ finds the
    local backend under the preview's security policy, offers « Se connecter » (not GitHub) and
    writes with « Publier », as CONTRIBUTING says; the published site's policy stays strict."""
    port = _free_port()
    env = {**os.environ, "TERRITOIRE_PROJECT": str(project.root), "PYTHONUNBUFFERED": "1"}
    serve = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "invoke"), "serve", "--port", str(port), "--date", "2026-11-22"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8",
    )  # fmt: skip
    proxy = subprocess.Popen(
        ["bash", "-c", _readme_local_backend_command()],
        cwd=project.root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )  # fmt: skip
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    try:
        for line in proxy.stdout:
            if "listening on port 8081" in line:
                break
        else:
            pytest.fail("decap-server ne s'est pas lancé sur le port 8081 (déjà pris ?).")
        threading.Thread(target=proxy.stdout.read, daemon=True).start()
        for line in serve.stdout:
            if f"Aperçu sur http://127.0.0.1:{port}/" in line:
                break
        else:
            pytest.fail("invoke serve s'est arrêté avant de servir l'aperçu.")
        threading.Thread(target=serve.stdout.read, daemon=True).start()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/admin/", timeout=30) as response:
            assert (
                "connect-src 'self' http://localhost:8081 https://api.github.com"
                in response.headers["Content-Security-Policy"]
            )
        tab = context.new_page()
        console: list[str] = []
        tab.on("console", lambda m: console.append(m.text))
        tab.goto(f"http://127.0.0.1:{port}/admin/")
        tab.get_by_role("button", name="Se connecter", exact=True).click()
        tab.get_by_role("link", name="Offres d'activités").first.wait_for()
        assert tab.get_by_role("button", name="Se connecter avec GitHub").count() == 0
        tab.goto(f"http://127.0.0.1:{port}/admin/#/collections/offres/new")
        tab.get_by_role("button", name="Publier").wait_for()
        assert not [m for m in console if "Proxy Server not detected" in m or "Content Security Policy" in m], console
    finally:
        context.close()
        serve.terminate()
        os.killpg(proxy.pid, signal.SIGTERM)
        serve.wait(timeout=10)
        proxy.wait(timeout=10)


def test_the_published_admin_policy_names_no_local_backend(built_site):
    headers = (built_site / "_headers").read_text(encoding="utf-8")
    admin = headers.split("/admin/*", 1)[1].split("\n/", 1)[0]
    assert "connect-src 'self' https://api.github.com https://github.com https://gitlab.com;" in admin
    assert "localhost" not in headers


def test_the_form_removes_hand_written_comments_as_contributing_says(tmp_path):
    """A comment written by hand in an offer is lost when the form saves it (admin.js writes the
    file from the form's fields): CONTRIBUTING says so plainly."""
    import json

    node = shutil.which("node")
    if node is None:
        pytest.fail("node est absent : il faut Node.js pour ce test.")
    offer = tmp_path / "boulangerie.yaml"
    text = (ROOT / "offers" / "boulangerie-patisserie-ambert.yaml").read_text(encoding="utf-8")
    offer.write_text(text.replace("prix: 85000", "# Prix négociable (note interne)\nprix: 85000"), encoding="utf-8")
    result = subprocess.run(
        [node, str(CMS_TESTS / "roundtrip.mjs"), str(KIT_THEME.parent), json.dumps(cms.formats()), cms.FORMATS["offre"], str(offer)],
        capture_output=True, text=True, encoding="utf-8", check=True,
    )  # fmt: skip
    assert json.loads(result.stdout)[str(offer)] == text  # the comment is gone, nothing else changed
    guide = " ".join((ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8").split())
    assert (
        "Le formulaire retire les commentaires : les lignes commençant par `#` ajoutées à la main dans un fichier "
        "(sauf sa première ligne `# yaml-language-server: …`) disparaissent quand on l'enregistre depuis le formulaire."
    ) in guide


@pytest.mark.browser
def test_the_form_refuses_a_photo_heavier_than_validation_accepts(browser, cms_site, project, tmp_path):
    """A 9 MB photo is refused by the form when it is chosen, before it reaches the repository
    (validation accepts 8 MB at most); nothing is written to content/images/offres/."""
    heavy = tmp_path / "photo-lourde.jpg"
    heavy.write_bytes(b"\xff\xd8\xff\xe0" + b"\0" * (9 * 1024 * 1024))
    before = sorted(p.name for p in (project.root / "content" / "images" / "offres").iterdir())
    context, tab, alerts = _open_photo_library(browser, cms_site)
    try:
        # The alert is modal: the file input's change handler, which opens it, returns (and
        # set_input_files with it) only once the listener above has dismissed it.
        tab.locator("input[type='file']").set_input_files(str(heavy))
        tab.wait_for_function("() => document.querySelector(\"input[type='file']\").value === ''")
        assert alerts == [
            "La photo « photo-lourde.jpg » pèse 9,0 Mo ; le maximum est 8,0 Mo : enregistrez-la en JPEG de qualité "
            "80 à 90, 2000 pixels de large au plus.\n\nLa photo n'a pas été ajoutée."
        ]
    finally:
        context.close()
    assert sorted(p.name for p in (project.root / "content" / "images" / "offres").iterdir()) == before


@pytest.mark.browser
def test_the_event_form_chooses_the_commune_by_name_and_previews_names(browser, cms_site, project):
    """An event's commune (anywhere in France) is searched by its name like an offer's, and the
    preview shows names, not codes."""
    event = project.root / "content" / "evenements" / "micro-marche-lyon-2027.md"
    original = event.read_text(encoding="utf-8")
    context, tab = _open_cms(browser, cms_site)
    try:
        tab.goto(f"{cms_site}/admin/#/collections/evenements/entries/micro-marche-lyon-2027")
        tab.get_by_text("Choisi : Lyon (Rhône)", exact=True).wait_for()
        preview = tab.frame_locator("iframe").first
        preview.get_by_text("Lyon (Rhône)", exact=True).wait_for()
        _search(tab, "commune", "st etienne", "Saint-Étienne (Loire)")
        preview.get_by_text("Saint-Étienne (Loire)", exact=True).wait_for()
        text = _publish(tab, event, original)
    finally:
        context.close()
    assert [line for line in text.splitlines() if line.startswith("commune:")] == ['commune: "42218"']
    assert text.replace('commune: "42218"', 'commune: "69123"') == original


def _jpeg(path: Path, width: int, height: int) -> Path:
    from PIL import Image

    Image.new("RGB", (width, height), (120, 90, 60)).save(path, "JPEG", quality=85)
    return path


@pytest.mark.browser
def test_the_form_refuses_a_photo_smaller_than_validation_accepts(browser, cms_site, project, tmp_path):
    """A 640 × 480 photo is refused when it is chosen, with validation's minimum (800 × 450,
    images.limits); a 1200 × 800 one goes on to the media library. Nothing small reaches the
    repository."""
    small = _jpeg(tmp_path / "petite.jpg", 640, 480)
    good = _jpeg(tmp_path / "grande.jpg", 1200, 800)
    photos = project.root / "content" / "images" / "offres"
    before = sorted(p.name for p in photos.iterdir())
    context, tab, alerts = _open_photo_library(browser, cms_site)
    try:
        upload = tab.locator("input[type='file']")
        upload.set_input_files(str(small))
        tab.wait_for_function("() => document.querySelector(\"input[type='file']\").value === ''")
        assert alerts == [
            "La photo « petite.jpg » est trop petite (640 × 480 pixels) ; il faut au moins 800 × 450 pixels, pour "
            "qu'elle reste nette sur les grands écrans.\n\nLa photo n'a pas été ajoutée."
        ]
        assert tab.get_by_text("petite.jpg").count() == 0
        upload.set_input_files(str(good))
        tab.get_by_text("grande.jpg").first.wait_for()  # in the media library, to be saved with the offer
        assert len(alerts) == 1
    finally:
        context.close()
    assert sorted(p.name for p in photos.iterdir()) == before


@pytest.mark.browser
def test_the_offer_preview_shows_labels_not_codes(browser, cms_site):
    context, tab = _open_cms(browser, cms_site)
    try:
        tab.goto(f"{cms_site}/admin/#/collections/offres/entries/boulangerie-patisserie-ambert")
        preview = tab.frame_locator("iframe").first
        preview.get_by_role("heading", name="Boulangerie-pâtisserie à reprendre au cœur d'Ambert").wait_for()
        facts = preview.locator("dl")
        facts.get_by_text("Ambert", exact=True).wait_for()
        text = " ".join(facts.inner_text().split())
    finally:
        context.close()
    for shown in (
        "Nature Reprise d'entreprise",
        "Secteur Commerce",
        "Commune Ambert",
        "Partenaire référent Chambre de commerce et d'industrie d'Ambert (CCI Ambert)",
        "Statut Disponible",
        "Publiée le 15 septembre 2026",
        "Prix de cession 85 000 euros",
        "Logement disponible Oui",
    ):
        assert shown.replace(" ", "") in text.replace(" ", "").replace("\u202f", ""), (shown, text)
    for label, code in (("Nature", "reprise"), ("Secteur", "commerce"), ("Commune", "63003"), ("Statut", "disponible"), ("Publiée le", "2026-09-15"), ("Logement disponible", "true")):  # fmt: skip
        assert f"{label} {code}" not in text, (code, text)
    assert "cci-ambert" not in text and "63003" not in text


@pytest.mark.browser
@pytest.mark.parametrize("typed", ["saint germain lherm", "Saint-Germain-l'Herm", "st germain l herm"])
def test_the_search_finds_an_offer_by_its_commune_without_accents(browser, cms_site, project, typed):
    """Decap's search reads the summary's fields: admin.js adds the commune's name and its
    spellings without accents when it reads a file (never written back)."""
    text = (project.root / "offers" / "boulangerie-patisserie-ambert.yaml").read_text(encoding="utf-8")
    text = text.replace("reference: LF-2026-014", "reference: LF-2026-090").replace(
        'commune: "63003"', 'commune: "63353"'
    )
    text = re.sub(r"(?m)^titre: .*$", "titre: Fournil de montagne à transmettre", text)
    offer = project.write("offers/fournil-de-montagne.yaml", text)
    context, tab = _open_cms(browser, cms_site)
    try:
        tab.get_by_role("link", name="Offres d'activités").first.wait_for()
        tab.goto(f"{cms_site}/admin/#/search/{urllib.parse.quote(typed)}")
        summary = "LF-2026-090 — Fournil de montagne à transmettre, Saint-Germain-l'Herm (disponible)"
        found = tab.get_by_text(summary, exact=True)  # the spellings searched are not shown
        found.first.wait_for(timeout=60000)
    finally:
        context.close()
    assert offer.read_text(encoding="utf-8") == text  # reading wrote nothing


def test_photo_limits_in_the_form_come_from_validation_settings(sample_site):
    """TERRITOIRE_PHOTOS_LIMITES, read by validation (images.limits), sets the form's too."""
    custom = cms.config(sample_site, {"TERRITOIRE_PHOTOS_LIMITES": {"largeur_min": 1200, "hauteur_min": 600, "poids_max": 5_000_000}})  # fmt: skip
    photo = {f["name"]: f for f in fields_of(collection(custom, "offres"))["photos"]["fields"]}["fichier"]
    assert (photo["largeur_min"], photo["hauteur_min"], photo["poids_max"]) == (1200, 600, 5_000_000)
    assert photo["media_library"] == {"config": {"max_file_size": 5_000_000}}


def test_label_tables_are_the_sites_own(built_site):
    from territoire.models import NATURES, SECTEURS, STATUTS

    tables = json.loads((built_site / "admin" / cms.LABELS).read_text(encoding="utf-8"))
    offer = {f["nom"]: f for f in tables["collections"]["offres"]["champs"]}
    assert offer["nature"]["libelles"] == NATURES and offer["secteur"]["libelles"] == SECTEURS
    assert offer["statut"]["libelles"] == STATUTS
    assert offer["commune"] == {"nom": "commune", "titre": "Commune", "recherche": True}
    assert offer["prix"]["unite"] == "euros" and offer["description"]["texte"] is True
    partner = {f["nom"]: f for f in tables["collections"]["partenaires"]["champs"]}
    assert partner["body"]["texte"] is True and partner["etapes"]["libelles"]["financement"] == "Financement"
    assert tables["communes"]["63003"] == "Ambert" and tables["communes"]["63353"] == "Saint-Germain-l'Herm"
    assert tables["photos"] == {"poids_max": 8 * 1024 * 1024, "largeur_min": 800, "hauteur_min": 450}
