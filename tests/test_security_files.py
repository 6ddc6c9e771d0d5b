"""Hostile files (issue 12: points 2, 3, 5, 7, 8): what `invoke validate`, `invoke build` and
`invoke publish` answer, and what a server then sends.

One scratch project holds a corpus of hostile files; `invoke validate` and `invoke build` run
once on it (the real commands), and each test checks the French message its file gets, with
the file and the line, and that nothing was built. Publishing is tried against a real nginx.
"""

from __future__ import annotations

import contextlib
import html
import io
import os
import re
import shutil
import signal
import stat
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from pathlib import Path

import pytest
from conftest import BUILD_DATE, ROOT, Project, fetch, nginx_serving
from territoire.build import build
from territoire.publishers import FilePublisher, make_publisher

OFFER = """\
# yaml-language-server: $schema=../schemas/offre.schema.json
reference: {reference}
titre: Une offre de test pour les fichiers hostiles
nature: reprise
secteur: commerce
activite: Commerce de proximité
commune: "63003"
referent: cc-ambert-livradois-forez
statut: disponible
publiee_le: {publiee_le}
prix: {prix}
description: |
  {description}
"""

# name → (file, text, line of the expected message, words of the expected message)
CORPUS: dict[str, tuple[str, str | bytes, int, str]] = {}


def hostile(name: str, path: str, text: str | bytes, line: int, words: str) -> None:
    CORPUS[name] = (path, text, line, words)


def offer(
    reference: str,
    publiee_le: str = "2026-10-01",
    prix: str = "150000",
    description: str = "Une description ordinaire.",
) -> str:
    return OFFER.format(reference=reference, publiee_le=publiee_le, prix=prix, description=description)


# --- Point 5: bounded work -----------------------------------------------------------------------
hostile(
    "crochets ouverts (offre)",
    "offers/crochets.yaml",
    offer("LF-2026-901", description="[" * 15000),
    13,
    "crochets « [ »",
)
hostile(
    "crochets imbriqués (partenaire)",
    "content/partenaires/crochets.md",
    '---\nnom: Partenaire crochu\ntype: autre\ncommune: "63003"\n---\nPrésentation.\n\n'
    + "[" * 6000
    + "]" * 6000
    + "\n",
    8,
    "crochets « [ »",
)
hostile(
    "liens sans fin (événement)",
    "content/evenements/liens.md",
    '---\ntitre: Liens sans fin\ntype: reunion\ndebut: 2026-12-01 10:00\nfin: 2026-12-01 12:00\nlieu: Mairie\ncommune: "63003"\n---\n'
    + "[a](" * 4000
    + "\n",
    9,
    "parenthèses « ( »",
)
hostile(
    "crochets ouverts (page)",
    "content/pages/crochets.md",
    "Title: Page crochue\nSlug: page-crochue\n\nIntroduction.\n\n" + "[" * 50000 + "\n",
    6,
    "crochets « [ »",
)
hostile(
    "balises jamais fermées (page)",
    "content/pages/balises.md",
    "Title: Balises\nSlug: balises\n\n" + "<a " * 8000 + "\n",
    4,
    "chevrons « < »",
)
hostile(
    "listes imbriquées (page)",
    "content/pages/listes.md",
    "Title: Listes\nSlug: listes\n\n" + "\n".join("    " * i + "- niveau" for i in range(300)) + "\n",
    25,
    "21 niveaux de listes",
)
hostile(
    "16 000 lignes de tirets (page)",
    "content/pages/tirets.md",
    "Title: Tirets\nSlug: tirets\n\nIntroduction.\n\n" + "---\n" * 16000,
    6,
    "le texte enchaîne 16000 lignes de séparation ou de titre",
)
hostile(
    "500 définitions à la suite (offre)",
    "offers/definitions.yaml",
    offer("LF-2026-906", description="\n  ".join(f"Terme {i}\n  : définition {i}" for i in range(500))),
    13,
    "le texte enchaîne 500 définitions (une ligne, puis « : … ») sans ligne vide",
)
hostile(
    "YAML imbriqué",
    "offers/imbrique.yaml",
    offer("LF-2026-902").replace("activite: Commerce de proximité", "activite: " + "[" * 200000 + "]" * 200000),
    6,
    "plus de 50 niveaux",
)
hostile(
    "nombre de 5000 chiffres",
    "offers/nombre-geant.yaml",
    offer("LF-2026-903", prix="9" * 5000),
    11,
    "un nombre de 5000 caractères",
)
hostile("prix absurde", "offers/prix-absurde.yaml", offer("LF-2026-904", prix="12345678901234"), 11, "est trop grand")
hostile(
    "année 9999",
    "offers/annee-9999.yaml",
    offer("LF-2026-905", publiee_le="9999-12-31"),
    10,
    "l'année 9999 n'est pas plausible",
)
hostile(
    "année 0001",
    "content/evenements/annee-0001.md",
    '---\ntitre: Réunion d\'un autre temps\ntype: reunion\ndebut: 0001-01-01 10:00\nfin: 0001-01-01 12:00\nlieu: Mairie\ncommune: "63003"\n---\nUne réunion.\n',
    4,
    "l'année 1 n'est pas plausible",
)

# --- Point 7: page addresses the build could not write ----------------------------------------------
for number, (slug, words) in enumerate(
    [
        ("sitemap.xml", "« sitemap.xml » n'est pas une adresse possible"),
        ("index.html", "« index.html » n'est pas une adresse possible"),
        ("_headers", "« _headers » n'est pas une adresse possible"),
        ("./offres", "« ./offres » n'est pas une adresse possible"),
        ("Offres", "« Offres » n'est pas une adresse possible"),
        ("Mentions Légales", "vouliez-vous dire « mentions-legales »"),
        ("", "l'adresse est vide"),
        ("offres/ma-page", "l'adresse /offres/ma-page/ est réservée"),
    ]
):
    hostile(
        f"adresse de page {slug!r}",
        f"content/pages/adresse-{number}.md",
        f"Title: Une page\nSlug: {slug}\n\nTexte.\n",
        2,
        words,
    )
hostile(
    "titre sans adresse",
    "content/pages/sans-adresse.md",
    "Title: !!!\n\nTexte.\n",
    1,
    "le titre ne donne aucune adresse",
)
hostile(
    "Ordre pas un nombre",
    "content/pages/accueil/99-chapitre.md",
    "Title: Un chapitre\nSlug: accueil/un-chapitre\nOrdre: deux\n\nTexte.\n",
    3,
    "Ordre : « deux » n'est pas un numéro de chapitre",
)
hostile(
    "Save_as hors du site",
    "content/pages/evasion.md",
    "Title: Évasion\nSlug: evasion\nSave_as: ../../evasion.html\n\nTexte.\n",
    3,
    "Save_as : « ../../evasion.html »",
)
hostile(
    "page en reStructuredText",
    "content/pages/autre.rst",
    "Autre\n#####\n\n:slug: sitemap.xml\n",
    1,
    "renommez le fichier en « autre.md »",
)


# --- Issue 22, point 1: Pelican's link syntax publishes nothing ------------------------------------
for number, (link, words) in enumerate(
    [
        (
            "{attach}/../../../../etc/passwd",
            "« {attach}/../../../../etc/passwd » publierait un fichier qui n'est pas une image",
        ),
        ("{attach}/../../../../proc/self/environ", "« {attach}/../../../../proc/self/environ » publierait un fichier"),
        ("{attach}/../.git/config", "« {attach}/../.git/config » publierait un fichier"),
        ("{static}/x.html", "« {static}/x.html » publierait un fichier qui n'est pas une image"),
        ("|static|/pages/x.js", "« |static|/pages/x.js » publierait un fichier"),
        (
            "{static}/images/offres/boulangerie-ambert.jpg",
            "écrivez l'adresse de l'image sans « {static} » : « /images/offres/boulangerie-ambert.jpg »",
        ),
        ("{filename}/../.git/config", "ne désigne pas une page de content/pages/"),
        ("{tag}piege", "désigne une rubrique que ce site n'a pas"),
    ]
):
    hostile(
        f"lien Pelican {link}",
        f"content/pages/lien-{number}.md",
        f"Title: Lien {number}\nSlug: lien-{number}\n\nIntroduction.\n\nVoir [le fichier]({link}).\n",
        6,
        words,
    )
hostile(
    "lien Pelican aux accolades échappées",
    "content/pages/lien-echappe.md",
    "Title: Lien échappé\nSlug: lien-echappe\n\n[fichier](\\{attach\\}/../../../../etc/passwd)\n",
    4,
    "« {attach}/../../../../etc/passwd » publierait un fichier",
)
hostile(
    "lien Pelican en HTML codé",
    "content/pages/lien-html.md",
    'Title: Lien codé\nSlug: lien-code\n\n<a href="&#123;attach&#125;/../../../../etc/passwd">fichier</a>\n',
    4,
    "« {attach}/../../../../etc/passwd » publierait un fichier",
)

# --- Issue 22, point 2: a page's metadata is read one way ------------------------------------------
hostile(
    "Slug écrit deux fois",
    "content/pages/deux-slugs.md",
    "Title: Deux adresses\nSlug: deux-slugs\nSlug: offres/fausse-offre\n\nTexte.\n",
    3,
    "Slug : cette ligne est écrite deux fois (lignes 2 et 3)",
)
hostile(
    "Save_as écrit deux fois",
    "content/pages/deux-fichiers.md",
    "Title: Deux fichiers\nSlug: deux-fichiers\nSave_as: deux-fichiers.html\nSave_as: .htaccess\n\nTexte.\n",
    4,
    "Save_as : cette ligne est écrite deux fois (lignes 3 et 4)",
)
hostile(
    "ligne de suite dans l'en-tête",
    "content/pages/suite.md",
    "Title: Suite\nSlug: suite\n    offres/fausse-offre\n\nTexte.\n",
    3,
    "la ligne 3 est en retrait et prolonge « Slug »",
)
hostile(
    "date impossible",
    "content/pages/date.md",
    "Title: Date\nSlug: date-impossible\nDate: 9999-99-99\n\nTexte.\n",
    3,
    "Date : « 9999-99-99 » n'est pas une date",
)
hostile(
    "gabarit inexistant",
    "content/pages/gabarit.md",
    "Title: Gabarit\nSlug: gabarit\nTemplate: inexistant\n\nTexte.\n",
    3,
    "Template : « inexistant » n'est pas un gabarit de page du thème ; valeurs permises : page",
)
hostile(
    "même fichier que la page des mentions",
    "content/pages/meme-fichier.md",
    "Title: Même fichier\nSave_as: mentions-legales/index.html\n\nTexte.\n",
    2,
    "Save_as : « mentions-legales/index.html » est déjà le fichier de content/pages/mentions-legales.md",
)

# --- Issue 22, point 4: nothing external loads from content ----------------------------------------
for number, (body, words) in enumerate(
    [
        (
            '<img src="https://pisteur.example.com/p.png" alt="Vue du bourg">',
            "« https://pisteur.example.com/p.png » n'est pas une image de content/images/",
        ),
        (
            '<img src="//pisteur.example.com/p.png" alt="Vue du bourg">',
            "« //pisteur.example.com/p.png » n'est pas une image de content/images/",
        ),
        (
            "![Vue du bourg][p]\n\n[p]: https://pisteur.example.com/p.png",
            "« https://pisteur.example.com/p.png » n'est pas une image de content/images/",
        ),
        (
            '<img src="/images/territoire/livradois-forez.jpg">',
            'n\'a pas de texte de remplacement ; attendu : un attribut alt="…"',
        ),
    ]
):
    hostile(
        f"image extérieure {number} (offre)",
        f"offers/image-exterieure-{number}.yaml",
        offer(f"LF-2026-91{number}", description=body.replace("\n", "\n  ")),
        13,
        words,
    )
hostile(
    "image extérieure (page)",
    "content/pages/image-exterieure.md",
    "Title: Image\nSlug: image-exterieure\n\nTexte.\n\n<IMG SRC='https://pisteur.example.com/p.png' ALT='Vue'>\n",
    6,
    "« https://pisteur.example.com/p.png » n'est pas une image de content/images/",
)
hostile(
    "image hors de content/images (partenaire)",
    "content/partenaires/image-systeme.md",
    '---\nnom: Partenaire curieux\ntype: autre\ncommune: "63003"\n---\nPrésentation.\n\n<img src="/etc/hostname" alt="Fichier">\n',
    8,
    "« /etc/hostname » n'est pas une image de content/images/",
)

# --- Issue 22, point 6: clear French messages -----------------------------------------------------
hostile(
    "octet nul (offre)",
    "offers/octet-nul.yaml",
    offer("LF-2026-921").replace("titre: Une offre", "titre: Une\0offre"),
    3,
    "le fichier contient un caractère de contrôle invisible (U+0000) ; retapez la ligne sans lui.",
)
hostile(
    "octet nul (page)",
    "content/pages/octet-nul.md",
    "Title: Octet nul\nSlug: octet-nul\n\nUn texte\0caché.\n",
    4,
    "le texte contient le caractère invisible U+0000 ; attendu : du texte sans caractère de contrôle",
)
hostile(
    "échappement de terminal dans un résumé (page)",
    "content/pages/resume-piege.md",
    "Title: Résumé piégé\nSlug: resume-piege\nSummary: Un résumé \x1b[2K effacé\n\nTexte.\n",
    3,
    "le texte contient le caractère invisible U+001B",
)
hostile(
    "moitié de paire UTF-16 (offre)",
    "offers/demi-paire.yaml",
    offer("LF-2026-922").replace("titre: Une offre", 'titre: "\\ud800 Une offre"\nx_titre: Une offre'),
    3,
    "un code « \\u… » entre guillemets doubles n'est pas un caractère",
)
hostile(
    "titre fait de tirets (page)",
    "content/pages/tirets-titre.md",
    "Title: ---\n\nTexte.\n",
    1,
    "Title : le titre ne donne aucune adresse possible ; ajoutez une ligne « Slug: »",
)

# --- Point 3: images that could run script or pass for a page -----------------------------------------
SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">\n{}\n</svg>\n'
hostile(
    "SVG avec script",
    "content/images/offres/script.svg",
    SVG.format('<rect width="10" height="10"/>\n<script>alert(document.cookie)</script>'),
    3,
    "l'élément <script> n'est pas permis",
)
hostile(
    "SVG avec gestionnaire",
    "content/images/offres/onload.svg",
    SVG.format('<rect width="10" height="10" onload="alert(1)"/>'),
    2,
    "l'attribut « onload »",
)
hostile(
    "SVG avec lien javascript",
    "content/images/offres/lien.svg",
    SVG.format('<use href="javascript:alert(1)"/>'),
    2,
    "le lien « javascript:alert(1) » mène hors de l'image",
)
hostile(
    "SVG avec foreignObject",
    "content/images/offres/html.svg",
    SVG.format('<foreignObject><p xmlns="http://www.w3.org/1999/xhtml">x</p></foreignObject>'),
    2,
    "l'élément <foreignObject> n'est pas permis",
)
hostile(
    "SVG avec référence extérieure",
    "content/images/offres/externe.svg",
    SVG.format('<rect fill="url(https://pisteur.example.com/x.svg#p)"/>'),
    2,
    "désigne une ressource extérieure",
)
hostile(
    "SVG avec entités",
    "content/images/offres/entites.svg",
    '<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">]>\n<svg xmlns="http://www.w3.org/2000/svg">&a;</svg>\n',
    2,
    "ne doit pas déclarer d'entités",
)
# Issue 22, point 3: <use> nested to freeze a browser, CSS escapes that hide an outside address.
USE_BOMB = '<defs><rect id="n0" width="1" height="1"/>' + "".join(
    f'<g id="n{k}">' + f'<use href="#n{k - 1}"/>' * 10 + "</g>" for k in range(1, 9)
)
hostile(
    "SVG de <use> imbriqués",
    "content/images/partenaires/clones.svg",
    SVG.format(USE_BOMB + '</defs><use href="#n8"/>'),
    1,
    "répète ses éléments par des <use> imbriqués (plus de 20000 éléments à dessiner)",
)
hostile(
    "SVG avec url codée",
    "content/images/offres/url-codee.svg",
    SVG.format("<style>rect { fill: \\75 rl(https://pisteur.example.com/x.svg#p) }</style>"),
    2,
    "le style de l'image contient une barre oblique inverse",
)
hostile(
    "SVG avec @import codé",
    "content/images/offres/import-code.svg",
    SVG.format('<style>@\\69mport "https://pisteur.example.com/x.css";</style>'),
    2,
    "le style de l'image contient une barre oblique inverse",
)
hostile(
    "SVG avec image-set",
    "content/images/offres/image-set.svg",
    SVG.format(
        '<rect width="10" height="10" style="fill: image-set(&quot;https://pisteur.example.com/x.png&quot; 1x)"/>'
    ),
    2,
    "l'attribut « style » désigne une ressource extérieure",
)


def _png(width: int, height: int) -> bytes:
    """A PNG whose header announces ``width`` × ``height`` (its pixels need not follow)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # one bit per pixel
    rows = zlib.compress(b"\0" * (1 + (width + 7) // 8) * height, 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


def _jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.effect_noise((1200, 800), 40).convert("RGB").save(out, "JPEG")
    return out.getvalue()


# Issue 22, point 3: every file of content/images/, named by a page or not, checked before decoding.
hostile(
    "PNG de 10 000 × 10 000 jamais montré",
    "content/images/territoire/immense.png",
    _png(10_000, 10_000),
    0,
    "la photo « immense.png » est trop grande (10000 × 10000 pixels)",
)
hostile(
    "PNG annoncé de 50 000²",
    "content/images/territoire/bombe.png",
    _png(50_000, 50_000)[:33] + b"\0\0\0\0IEND\xaeB`\x82",
    0,
    "la photo « bombe.png » est trop grande (2\u202f500\u202f000\u202f000 pixels)",
)
hostile(
    "JPEG tronqué",
    "content/images/evenements/tronquee.jpg",
    _jpeg()[:20_000],
    0,
    "le fichier « tronquee.jpg » est abîmé ou incomplet",
)
hostile(
    "signature JPEG et des zéros",
    "content/images/evenements/zeros.jpg",
    b"\xff\xd8\xff" + bytes(5000),
    0,
    "le fichier « zeros.jpg » n'est pas une image lisible",
)
hostile(
    "page déguisée en PNG",
    "content/images/offres/page.png",
    "<html><script>alert(1)</script></html>",
    0,
    "ce fichier n'est pas une image PNG",
)

# --- Point 2: symbolic links to files and folders outside the project (made by the fixture) ---------
SECRET = "SECRET-HORS-DU-PROJET"
LINKS = {  # link in the project → (target outside it, words of the message)
    "content/images/offres/fuite.svg": ("secret.svg", "ce fichier est un lien symbolique vers"),
    "content/images/dossier-lie": ("dossier-secret", "ce dossier est un lien symbolique vers"),
    "content/pages/fuite.md": ("page.md", "ce fichier est un lien symbolique vers"),
    "offers/fuite.yaml": ("offre.yaml", "ce fichier est un lien symbolique vers"),
}
for link, (_target, words) in LINKS.items():
    CORPUS[f"lien {link}"] = (link, "", 0, words + " « ")


@pytest.fixture(scope="module")
def hostile_project(tmp_path_factory) -> Project:
    base = tmp_path_factory.mktemp("hostile")
    outside = base / "ailleurs"
    (outside / "dossier-secret").mkdir(parents=True)
    (outside / "secret.svg").write_text(SVG.format(f"<title>{SECRET}</title>"), encoding="utf-8")
    (outside / "dossier-secret" / "secret.svg").write_text(SVG.format(f"<title>{SECRET}</title>"), encoding="utf-8")
    (outside / "page.md").write_text(f"Title: {SECRET}\nSlug: fuite\n\n{SECRET}\n", encoding="utf-8")
    (outside / "offre.yaml").write_text(offer("LF-2026-999", description=SECRET), encoding="utf-8")
    project = Project(base / "projet")
    for path, text, _line, _words in CORPUS.values():
        if path not in LINKS:
            project.write(path, text)
    for link, (target, _words) in LINKS.items():
        project.path(link).symlink_to(outside / target)
    project.write("output/index.html", "le site précédent")
    return project


def _run(project: Project, *args: str) -> tuple[subprocess.CompletedProcess, float]:
    """An invoke task on the project, and its duration; stopped after 5 minutes."""
    started = time.monotonic()
    env = {**os.environ, "TERRITOIRE_PROJECT": str(project.root)}
    command = [str(ROOT / ".venv" / "bin" / "invoke"), *args]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, encoding="utf-8", timeout=300)
    return result, time.monotonic() - started


@pytest.fixture(scope="module")
def validated(hostile_project):
    return _run(hostile_project, "validate")


@pytest.fixture(scope="module")
def built(hostile_project, validated):
    return _run(hostile_project, "build", "--date", BUILD_DATE)


@pytest.mark.parametrize("name", list(CORPUS))
def test_validate_names_the_hostile_file_and_line_in_french(name, validated):
    path, _text, line, words = CORPUS[name]
    result, _seconds = validated
    assert result.returncode == 1, result.stdout[-2000:] + result.stderr[-2000:]
    assert "Traceback" not in result.stderr and "Error" not in result.stderr, result.stderr[-2000:]
    messages = [m for m in result.stdout.splitlines() if m.startswith((f"{path}:", f"{path} "))]
    where = f"{path}:{line}:" if line else f"{path} — "
    assert any(m.startswith(where) and words in m for m in messages), messages or result.stdout[-3000:]
    assert all(len(m) < 400 for m in messages), "un message tient sur une ligne"


def test_validate_answers_quickly_on_the_hostile_corpus(validated):
    result, seconds = validated
    assert result.returncode == 1
    assert seconds < 60, f"invoke validate a pris {seconds:.0f} s"


def test_build_refuses_the_hostile_corpus_in_french_and_keeps_the_previous_site(built, hostile_project):
    result, seconds = built
    assert result.returncode == 1
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    assert "le contenu contient des erreurs : rien n'a été construit, le site précédent est intact" in result.stderr
    assert seconds < 120, f"invoke build a pris {seconds:.0f} s"
    assert (hostile_project.output / "index.html").read_text(encoding="utf-8") == "le site précédent"
    assert [p.name for p in hostile_project.output.iterdir()] == ["index.html"]
    assert not [p.name for p in hostile_project.root.iterdir() if p.name.startswith(".output-")]


def test_nothing_outside_the_project_is_read_or_reported(validated, built):
    for result, _seconds in (validated, built):
        assert SECRET not in result.stdout + result.stderr


def test_pelican_copies_no_file_a_page_names_with_static_or_attach(project, tmp_path):
    """Pelican itself (its own theme: no validation, no plugin generator) given a page whose
    links name a file outside the content and an original photo: neither is published, and
    the visitor's browser gets the link unresolved, pointing nowhere."""
    project.write("secret.txt", SECRET)
    project.write(
        "content/pages/fuite.md",
        "Title: Fuite\nSlug: fuite\n\n[a]({attach}/../secret.txt) [b]({static}/images/offres/boulangerie-ambert.jpg)\n",
    )
    from pelican import Pelican

    output = tmp_path / "sortie"
    overrides = {**project.overrides(), "OUTPUT_PATH": str(output), "THEME": "simple", "THEME_TEMPLATES_OVERRIDES": []}
    Pelican(project.settings() | overrides).run()
    page = (output / "fuite" / "index.html").read_text(encoding="utf-8")
    assert 'href="{attach}/../secret.txt"' in html.unescape(page)  # (the simple theme escapes the body)
    published = sorted(p.relative_to(output).as_posix() for p in output.rglob("*") if p.is_file())
    assert not [p for p in published if not p.startswith("theme/") and not p.endswith(".html")], published
    assert not any(SECRET in p.read_text(encoding="utf-8", errors="replace") for p in output.rglob("*") if p.is_file())


def test_pelican_links_are_also_looked_for_in_the_rendered_page(tmp_path):
    """However a link is spelled in Markdown, the HTML Pelican will read is checked too."""
    from territoire.pages import rendered_link_problem

    page = tmp_path / "content" / "pages" / "p.md"
    found = rendered_link_problem("[a](\\{attach\\}/../../x)", page, tmp_path / "content")
    assert found and found.startswith("le lien « {attach}/../../x » publierait un fichier")
    assert rendered_link_problem("[a](/mentions-legales/) {attach} en texte", page, tmp_path / "content") is None


def test_bodies_just_under_the_bound_are_accepted_and_render_fast():
    from territoire.markup import markdown_hazard, render

    ordinary = (
        "Voir [le site](https://exemple.fr) et [la carte] [1].\n\n> citation\n>\n> - point\n\n" * 200
        + "[1]: https://exemple.fr/carte"
    )
    assert markdown_hazard(ordinary) is None
    near_bound = "[" * 900
    assert markdown_hazard(near_bound) is None
    started = time.process_time()  # CPU time: the machine's other work does not count
    render(near_bound)
    assert time.process_time() - started < 1.0
    assert re.search(r"<a href=\"https://exemple.fr\"", render(ordinary))


# --- Point 8: publications readable by the web server, and atomic ----------------------------------

# A script of the site's own origin (any file a contributor could slip in): the pages' policy
# (script-src 'self') would let an SVG opened at its own address run it; the images' does not.
HOSTILE_SVG = SVG.format('<rect width="10" height="10"/><script href="piege.js"></script>')
HOSTILE_JS = 'document.documentElement.setAttribute("data-script", "a tourné");\n'


def _wrong_modes(folder: Path) -> list[str]:
    wrong = []
    for path in [folder, *folder.rglob("*")]:
        expected = 0o755 if path.is_dir() else 0o644
        if not path.is_symlink() and stat.S_IMODE(path.stat().st_mode) != expected:
            wrong.append(f"{path.relative_to(folder)}: {oct(stat.S_IMODE(path.stat().st_mode))}")
    return wrong


@pytest.fixture(scope="module")
def www():
    """A folder like /var/www, that the web server's own user (nobody) may traverse."""
    folder = Path(tempfile.mkdtemp(prefix="territoire-www-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def restrictive_build(www) -> Path:
    """The sample site built for production by a user whose umask is 077."""
    output = www / "output"
    umask = os.umask(0o077)
    try:
        build("publishconf.py", output=str(output), date=BUILD_DATE, quiet=True)
    finally:
        os.umask(umask)
    return output


def test_the_build_output_has_normal_permissions(restrictive_build):
    assert _wrong_modes(restrictive_build) == []


def test_every_local_publisher_gives_normal_permissions(restrictive_build, www):
    targets = {"file": www / "par-fichier", "rsync": www / "par-rsync"}
    targets["rsync"].mkdir(mode=0o700)
    for kind, target in targets.items():
        make_publisher(f"file://{target}" if kind == "file" else str(target)).publish(restrictive_build)
        assert (target / "index.html").is_file()
        assert _wrong_modes(target) == [], kind


@pytest.fixture(scope="module")
def nginx_as_nobody(restrictive_build, www):
    """A real nginx whose workers run as « nobody » (as a packaged nginx runs them as
    www-data), serving the build and a file:// publication of it."""
    published = www / "publie"
    FilePublisher(published).publish(restrictive_build)
    # A drawing, and an image that got past validation (copied by hand on the server): their
    # own policy keeps them inert.
    drawing = SVG.format('<rect width="10" height="10"/>')
    for name, text in (("dessin.svg", drawing), ("piege.svg", HOSTILE_SVG), ("piege.js", HOSTILE_JS)):
        (published / "images" / "offres" / name).write_text(text, encoding="utf-8")
        (published / "images" / "offres" / name).chmod(0o644)
    (www / "nginx").mkdir(exist_ok=True)
    roots = {"construction": restrictive_build, "publication": published}
    with nginx_serving(www / "nginx", roots, restrictive_build / "_hebergement" / "nginx.conf", as_root=False) as urls:
        yield urls


def test_nginx_running_as_another_user_serves_the_build_and_the_publication(nginx_as_nobody):
    for name, base in nginx_as_nobody.items():
        for path in (
            "/",
            "/offres/",
            "/offres/atelier-coutellerie-thiers/",
            "/images/offres/boulangerie-ambert.jpg",
            "/robots.txt",
        ):
            status, _headers, _body = fetch(base + path)
            assert status == 200, f"{name} {path}: {status}"


def test_images_are_served_with_a_policy_that_runs_nothing(nginx_as_nobody):
    from territoire.hosting import IMAGE_CSP

    status, headers, body = fetch(nginx_as_nobody["publication"] + "/images/offres/dessin.svg")
    assert status == 200 and body.startswith(b"<svg")
    assert headers["Content-Type"].startswith("image/svg+xml")
    assert headers["Content-Security-Policy"] == IMAGE_CSP
    assert headers["X-Content-Type-Options"] == "nosniff"
    _status, page_headers, _ = fetch(nginx_as_nobody["publication"] + "/offres/")
    assert "script-src 'self'" in page_headers["Content-Security-Policy"]  # pages keep theirs


def test_static_hosts_get_the_image_policy_too(restrictive_build):
    from territoire.hosting import IMAGE_CSP

    rules = (restrictive_build / "_headers").read_text(encoding="utf-8")
    assert f"/images/*\n  ! Content-Security-Policy\n  Content-Security-Policy: {IMAGE_CSP}" in rules


@pytest.mark.browser
def test_a_hostile_svg_opened_in_chromium_runs_no_script_under_the_image_policy(
    nginx_as_nobody, browser, restrictive_build
):
    """Chromium opening the SVG at its own address: without the image policy (a plain server)
    its script runs; with it (nginx and the generated configuration) it does not."""
    plain_root = restrictive_build.parent / "sans-politique"
    plain_root.mkdir(exist_ok=True)
    (plain_root / "piege.svg").write_text(HOSTILE_SVG, encoding="utf-8")
    (plain_root / "piege.js").write_text(HOSTILE_JS, encoding="utf-8")
    from conftest import serve_folder

    plain = serve_folder(plain_root)
    try:
        context = browser.new_context()
        tab = context.new_page()
        ran = {}
        for name, url in (
            ("sans politique", f"http://127.0.0.1:{plain.server_address[1]}/piege.svg"),
            ("avec politique", nginx_as_nobody["publication"] + "/images/offres/piege.svg"),
        ):
            tab.goto(url)
            ran[name] = tab.evaluate("document.documentElement.getAttribute('data-script')")
        context.close()
    finally:
        plain.shutdown()
    assert ran == {"sans politique": "a tourné", "avec politique": None}


def test_a_publication_killed_at_any_instant_leaves_a_whole_site(restrictive_build, tmp_path):
    """A publisher killed (SIGKILL) while copying, right after the swap or while keeping the
    previous version: the target always holds one whole version, and the next publication
    removes what the killed one left behind."""
    versions = {}
    for name in ("A", "B"):
        versions[name] = tmp_path / "versions" / name
        shutil.copytree(restrictive_build, versions[name], ignore=shutil.ignore_patterns("_hebergement"))
        (versions[name] / "version.txt").write_text(name, encoding="utf-8")
    files = {n: sorted(p.relative_to(v).as_posix() for p in v.rglob("*")) for n, v in versions.items()}
    target = tmp_path / "www" / "site"
    target.parent.mkdir()
    FilePublisher(target).publish(versions["A"])
    seen_broken = []
    watching = threading.Event()
    watching.set()

    def watch() -> None:
        while watching.is_set():
            try:
                version = (target / "version.txt").read_text(encoding="utf-8")
                if version not in files or not (target / "offres" / "index.html").is_file():
                    seen_broken.append(version)
            except OSError as exc:
                seen_broken.append(str(exc))

    watcher = threading.Thread(target=watch)
    watcher.start()
    code = "import sys; sys.path.insert(0, 'plugins'); from pathlib import Path; from territoire.publishers import FilePublisher; FilePublisher(Path(sys.argv[1])).publish(Path(sys.argv[2]))"
    try:
        for attempt, fraction in enumerate((0.0, 0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 1.0, 1.2)):
            source = versions["B" if attempt % 2 == 0 else "A"]
            started = time.monotonic()
            process = subprocess.Popen([sys.executable, "-c", code, str(target), str(source)], cwd=ROOT)
            if attempt == 0:
                process.wait()
                duration = time.monotonic() - started  # a whole publication, to spread the kills
                continue
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=max(0.0, fraction * duration - (time.monotonic() - started)))
            process.send_signal(signal.SIGKILL)
            process.wait()
            current = (target / "version.txt").read_text(encoding="utf-8")
            assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*")) == files[current]
    finally:
        watching.clear()
        watcher.join()
    assert seen_broken == []
    FilePublisher(target).publish(versions["B"])
    assert (target / "version.txt").read_text(encoding="utf-8") == "B"
    assert sorted(p.name for p in target.parent.iterdir()) == ["site", "site.precedent"]


# --- Issue 22, point 5: reports cannot be forged ----------------------------------------------------
FORGED = "✔ 0 fichier vérifié : aucune erreur."


def test_no_report_line_can_be_forged_by_a_file_name_or_a_key(project):
    """A file name holding a newline and a YAML key holding a terminal escape, a carriage
    return and a GitHub workflow command: every report format prints them as escapes."""
    project.write(f"offers/x\n{FORGED}.yaml", offer("LF-2026-931", prix="pas un prix"))
    project.write(
        "offers/cle-piegee.yaml",
        offer("LF-2026-932") + f'"\\e[2K\\r{FORGED}\\n::error file=README.md,line=1::Faux": 1\n',
    )
    outputs = {fmt: project.run("validate", "--format", fmt) for fmt in ("texte", "github", "json")}
    for fmt, result in outputs.items():
        assert result.returncode == 1, fmt
        assert "\x1b" not in result.stdout and "\r" not in result.stdout, fmt
        lines = result.stdout.splitlines()
        assert not [line for line in lines if line.startswith(("✔", "::error file=README.md"))], (fmt, lines)
    text = outputs["texte"].stdout
    assert f"offers/x\\n{FORGED}.yaml:11:" in text
    assert f"le champ « \\x1b[2K\\r{FORGED}\\n::error file=README.md,line=1::Faux » n'existe pas" in text
    assert all(
        line.startswith(("::error file=offers/", "::warning file=")) for line in outputs["github"].stdout.splitlines()
    )
    import json

    messages = [p["message"] for p in json.loads(outputs["json"].stdout)]
    assert any("\\x1b[2K\\r" in m for m in messages)


def test_a_linked_content_folder_is_refused_in_french(tmp_path):
    """content/ itself a link to a folder outside the project: one French message naming it,
    nothing read through it, nothing built (it used to end in a traceback)."""
    from conftest import Project

    project = Project(tmp_path / "projet")
    outside = tmp_path / "ailleurs"
    project.path("content").rename(outside)
    project.path("content").symlink_to(outside)
    for task in ("validate", "build"):
        result = project.run(task)
        assert result.returncode == 1, task
        assert "Traceback" not in result.stderr, result.stderr[-2000:]
        shown = result.stdout + result.stderr
        # (the target is shown up to 80 characters)
        said = f"content — ce dossier est un lien symbolique vers « {str(outside)[:80]} » (hors du projet)"
        assert said in shown, shown[-2000:]
    assert not project.output.exists()


@pytest.mark.parametrize(("slug", "written"), [("_headers", "Slug: _headers\n"), ("---", "")])
def test_no_address_is_suggested_that_would_be_refused(project, slug, written):
    project.write("content/pages/x.md", f"Title: {'Une page' if written else slug}\n{written}\nTexte.\n")
    messages = [p.message for p in project.load().report.errors]
    assert len(messages) == 1 and "vouliez-vous dire" not in messages[0], messages
