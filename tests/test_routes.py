"""The route table (routes.py): every section address is declared once, and code and templates
take their addresses from it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from conftest import BUILD_DATE
from territoire import routes
from territoire.build import BuildError, build
from territoire.outputs import UNDECLARED, Registry
from territoire.pages import RESERVED_PAGE_SLUGS
from territoire.validate import RESERVED_OFFER_SLUGS

PACKAGE = Path(routes.__file__).resolve().parent
SECTIONS = sorted({p.split("/", 1)[0] for p in routes.ADDRESSES.values() if not p.startswith("{")})
# A section address inside a string: at its start or after « / » or a space; the folders of
# content/ and of the images (« content/partenaires/ », « images/offres/x.jpg ») are not addresses.
SECTION_ADDRESS = re.compile(
    r"(?:^|(?<=[/\s]))(?<!images/)(?<!content/)(?<!pages/)(?:" + "|".join(map(re.escape, SECTIONS)) + r")/"
)
# Files allowed to write a section address (none: every message takes it from the table).
ALLOWED: set[str] = set()


def _strings(tree: ast.AST):
    """Every string constant of a module, its docstrings left out, with its line."""
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node.lineno, node.value


def test_no_section_address_is_written_outside_the_table():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if relative == "routes.py" or relative in ALLOWED:
            continue
        for line, text in _strings(ast.parse(path.read_text(encoding="utf-8"))):
            if SECTION_ADDRESS.search(text):
                found.append(f"{relative}:{line}: {text[:80]!r}")
    for path in sorted((PACKAGE / "theme" / "templates").rglob("*.html")):
        text = re.sub(
            r"\{#.*?#\}", lambda m: "\n" * m.group().count("\n"), path.read_text(encoding="utf-8"), flags=re.S
        )
        for number, line in enumerate(text.splitlines(), start=1):
            if SECTION_ADDRESS.search(line):
                found.append(f"theme/templates/{path.relative_to(PACKAGE / 'theme' / 'templates')}:{number}")
    assert not found, "adresses de rubrique écrites en dur hors de routes.py :\n" + "\n".join(found)


def test_the_check_finds_an_address_written_by_hand():
    # The check above would see these (it is not blind to f-strings or to templates).
    tree = ast.parse('x = f"{base}/evenements/flux.atom"\ny = "offres/page/2/"\nz = "images/offres/four.jpg"')
    assert sorted(line for line, text in _strings(tree) if SECTION_ADDRESS.search(text)) == [1, 2]
    assert SECTION_ADDRESS.search('<a href="{{ SITEURL }}/carte/">')


def test_the_reserved_slugs_are_the_tables_folders():
    assert RESERVED_PAGE_SLUGS == {*SECTIONS, "theme", "images", "pagefind"} - {"accueil"}
    # An offer may not take an address the board uses under /offres/ (validate.py's list).
    assert RESERVED_OFFER_SLUGS == {
        *routes.FACET_KINDS,
        "page",
        "conclues",
        "alertes",
        "cartes",
    }
    assert set(routes.FACET_KINDS) == {"nature", "secteur", "prix", "logement", "territoire", "commune"}


def test_addresses_and_url_for():
    assert routes.address("offre", slug="four") == "offres/four/"
    assert routes.address("page-suivante", liste="offres/secteur/commerce/", number=3) == (
        "offres/secteur/commerce/page/3/"
    )
    from jinja2 import Environment

    env = Environment()
    env.globals.update(routes.JINJA_GLOBALS)
    template = env.from_string("{{ url_for('facette', kind='secteur', slug='commerce') }} {{ adresse('carte') }}")
    assert template.render(SITEURL="..") == "../offres/secteur/commerce/ carte/"
    assert template.render(SITEURL="https://exemple.fr") == "https://exemple.fr/offres/secteur/commerce/ carte/"


def test_every_page_and_file_of_the_views_was_declared_before_it_was_written(built_site):
    registry = Registry.load(built_site)
    on_disk = {p.relative_to(built_site).as_posix() for p in built_site.rglob("*") if p.is_file()}
    declared = {o.path for o in registry if o.declared}
    # Every route of the table was written…
    assert declared <= on_disk
    # …and what the table did not declare is made by a step after the render (Pagefind, the
    # hosting rules, the PDF, compressed copies) or is a theme file Pelican copies: no page.
    undeclared = [o for o in registry if not o.declared]
    assert {o.producer for o in undeclared} <= {producer for _, producer in UNDECLARED}
    assert not [o.path for o in undeclared if o.path.endswith(".html") or o.producer.startswith("territoire/views/")]
    # Pelican's pages are in the table too, with their source.
    assert registry.get("accessibilite/index.html").sources == ("content/pages/accessibilite.md",)
    assert registry.get("accessibilite/index.html").declared


def test_each_route_names_the_content_files_it_is_made_from(built_site):
    registry = Registry.load(built_site)
    sources = registry.get("offres/boulangerie-patisserie-ambert/index.html").sources
    assert sources[:2] == ("offers/boulangerie-patisserie-ambert.yaml", "content/partenaires/cci-ambert.md")
    assert len(sources) > 2  # the related offers shown under it
    assert sources[-1] == routes.BOARD  # its links to its facets
    # A list: the offers it shows (with their referents), then the board's order and facets.
    board = registry.get("offres/index.html").sources
    assert board[0].startswith("offers/") and board[-1] == routes.BOARD
    assert routes.ALL_OFFERS in registry.get("offres/flux.atom").sources
    assert routes.ALL_EVENTS in registry.get("evenements/evenements.ics").sources


def test_a_template_that_disagrees_with_the_table_about_search_stops_the_build(project):
    """The table says which pages Pagefind indexes; a territory's template marking another page
    data-pagefind-body (here the map) is told what to change, and the previous site stays."""
    previous = project.output / "index.html"
    previous.parent.mkdir(parents=True)
    previous.write_text("ancienne version", encoding="utf-8")
    project.write("theme/pages/carte.html", "<main data-pagefind-body>La carte</main>\n")
    overrides = {**project.overrides(), "THEME_TEMPLATES_OVERRIDES": [str(project.root / "theme")]}
    with pytest.raises(BuildError) as failure:
        build(output=str(project.output), overrides=overrides, quiet=True, date=BUILD_DATE)
    assert (
        "la page carte/index.html n'est pas déclarée cherchable dans la table des routes, mais le gabarit "
        "« pages/carte.html » marque un élément data-pagefind-body ; retirez cet attribut"
    ) in str(failure.value)
    assert previous.read_text(encoding="utf-8") == "ancienne version"


def test_a_route_named_after_its_producer_keeps_every_other_field():
    """Route.produced_by copies the route through its constructor: a field added to Route and
    forgotten there would be lost without this test."""
    import dataclasses

    route = routes.Route(
        "offres/x/index.html",
        "offre",
        {"a": 1},
        b"data",
        ("offers/x.yaml",),
        searchable=True,
        noindex=True,
        producer="",
        late=False,
        download=True,
    )
    assert route.produced_by("vue") == dataclasses.replace(route, producer="vue")
    assert route.produced_by("vue", late=True) == dataclasses.replace(route, producer="vue", late=True)
    assert {f.name for f in dataclasses.fields(routes.Route)} == {
        "save_as",
        "template",
        "context",
        "data",
        "sources",
        "searchable",
        "noindex",
        "producer",
        "late",
        "download",
    }
