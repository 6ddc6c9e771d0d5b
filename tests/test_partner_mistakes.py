"""Partners' mistakes (issue 20): each is refused with the fix named, or shown as a warning
that says what the visitor would see; the exact French line a partner reads is asserted.

Errors stop the build; warnings (« avertissement : ») never do, unless `invoke validate --strict`.

A file in a place no loader reads is named by the loading of the folders: checked on a project
holding that file alone. Every other mistake is checked on its file alone (``check_file``,
validate.check_text against the sample read once per session)."""

from __future__ import annotations

import subprocess

import pytest
from conftest import Project
from test_validation import PARTNER, VALID, event, offer

# Files in a place no loader reads: file → content.
MISPLACED = {
    "offre en .YAML": ("offers/epicerie.YAML", offer()),
    "offre en .txt": ("offers/epicerie.txt", offer()),
    "offre en .yaml.txt": ("offers/epicerie.yaml.txt", offer()),
    "offre dans un sous-dossier": ("offers/brouillons/epicerie.yaml", offer()),
    "partenaire en .MD": ("content/partenaires/coop.MD", PARTNER.format(commune="63003")),
    "événement en .md.txt": ("content/evenements/salon.md.txt", event()),
    "offre posée dans content/": ("content/epicerie.yaml", offer()),
    "offre dans un dossier inconnu de content/": ("content/offres/epicerie.yaml", offer()),
    "page dans un sous-dossier inconnu de content/": ("content/textes/2026/charte.md", "Title: Charte\n\nTexte.\n"),
    "offre en .yml.txt posée dans content/": ("content/epicerie.yml.txt", offer()),
    "partenaire posé dans content/": ("content/coop.md", PARTNER.format(commune="63003")),
    "événement posé dans content/": ("content/salon.md", event()),
    "page posée dans content/": ("content/charte.md", "Title: Charte\n\nTexte.\n"),
    "photo posée dans content/": ("content/four.jpg", "pas une vraie photo"),
    "fichier inconnu posé dans content/": ("content/notes.odt", "brouillon"),
}

# What a partner writes: file → content (one mistake each).
CASES = {
    "page en .txt": ("content/pages/charte.txt", "Title: Charte\n\nTexte.\n"),
    "puces dans la description": ("offers/a.yaml", VALID + "  • Four à sole • Laboratoire\n"),
    "liste collée au texte": ("offers/a.yaml", VALID + "  Ce qui est cédé :\n  - le four\n  - le laboratoire\n"),
    "puces dans un atout": ("offers/a.yaml", offer(prix="atouts:\n  - • Four à sole • Laboratoire")),
    "dièse dans le titre": ("offers/a.yaml", offer(titre="titre: Boulangerie #1 du canton")),
    "dièse dans un atout": ("offers/a.yaml", offer(prix="atouts:\n  - Clientèle fidèle #fidélité")),
    "phrase d'exemple retouchée": ("offers/a.yaml", VALID + "  Décrivez ici l'activité : une épicerie.\n"),
    "note de new-offer": (
        "offers/a.yaml",
        VALID + "  (Pas d'adresse électronique ni de téléphone : le contact passe par le partenaire référent.)\n",
    ),
    "lorem ipsum": ("offers/a.yaml", VALID + "  Lorem ipsum dolor sit amet.\n"),
    "XXX": ("offers/a.yaml", VALID + "  Surface du magasin : XXX m².\n"),
    "à compléter": ("offers/a.yaml", offer(activite="activite: à compléter")),
    "TODO": ("content/evenements/x.md", event(body="TODO : décrire le salon.")),
    "prix nul": ("offers/a.yaml", offer(prix="prix: 0")),
    "prix de 15 €": ("offers/a.yaml", offer(prix="prix: 15")),
    "prix de 150 millions": ("offers/a.yaml", offer(prix="prix: 150000000")),
    "titre entre guillemets français": ("offers/a.yaml", offer(titre="titre: « Épicerie de village »")),
    "titre entre guillemets droits": ("offers/a.yaml", offer(titre="titre: '\"Épicerie de village\"'")),
    # 6
    "publication future": ("offers/a.yaml", offer(publiee_le="publiee_le: 2027-01-10")),
    "conclue_le future": ("offers/a.yaml", offer(statut="statut: conclue", prix="conclue_le: 2027-01-01")),
    "début sans heure": ("content/evenements/x.md", event().replace("debut: 2027-03-14 10:00", "debut: 2027-03-14")),
    "fin sans heure entre guillemets": ("content/evenements/x.md", event(fin='"2027-03-14"')),
    # 7
    "deux-points sans espace": ("offers/a.yaml", offer(prix="prix:150000")),
    "champ décalé": ("offers/a.yaml", offer(prix="prix: 40000\n  surface: 30")),
    "ligne de description non décalée": ("offers/a.yaml", VALID + "La suite du texte.\n"),
    "apostrophe entre apostrophes": ("offers/a.yaml", offer(titre="titre: 'L'atelier du bourg'")),
    "code postal comme commune": ("offers/a.yaml", offer(commune="commune: 63600")),
    "nom et code postal comme commune": ("offers/a.yaml", offer(commune="commune: Ambert 63600")),
    "photo HEIC": ("offers/a.yaml", offer(prix="photos:\n  - fichier: IMG_0042.HEIC\n    alt: Le four à pain")),
    "photo avec accent et espace": (
        "offers/a.yaml",
        offer(prix="photos:\n  - fichier: façade boutique.jpg\n    alt: La façade"),
    ),
    "photo avec une espace": ("offers/a.yaml", offer(prix="photos:\n  - fichier: four a pain.jpg\n    alt: Le four")),
    "logo avec accent": (
        "content/partenaires/coop.md",
        PARTNER.format(commune="63003").replace("secteurs:", "logo: coopérative.svg\nsecteurs:"),
    ),
    "partenaires sans crochets": (
        "content/evenements/x.md",
        event().replace("partenaires: [adie, cma-63]", "partenaires: cci-ambert, cma-63"),
    ),
}

# What the partner reads (file:line:column — message), one line per case.
EXPECTED = {
    "offre en .YAML": "offers/epicerie.YAML — ce fichier ne sera pas publié : seuls les fichiers en « .yaml » (en minuscules) de offers/ sont lus. Pour qu'il soit lu comme une offre, nommez-le offers/epicerie.yaml (ou supprimez-le s'il n'a rien à publier).",
    "offre en .txt": "offers/epicerie.txt — ce fichier ne sera pas publié : seuls les fichiers en « .yaml » (en minuscules) de offers/ sont lus. Pour qu'il soit lu comme une offre, nommez-le offers/epicerie.yaml (ou supprimez-le s'il n'a rien à publier).",
    "offre en .yaml.txt": "offers/epicerie.yaml.txt — ce fichier ne sera pas publié : seuls les fichiers en « .yaml » (en minuscules) de offers/ sont lus. Pour qu'il soit lu comme une offre, nommez-le offers/epicerie.yaml (ou supprimez-le s'il n'a rien à publier).",
    "offre dans un sous-dossier": "offers/brouillons/epicerie.yaml — ce fichier ne sera pas publié : il est dans un sous-dossier de offers/, que la construction ne lit pas. Pour qu'il soit lu comme une offre, nommez-le offers/epicerie.yaml (ou supprimez-le s'il n'a rien à publier).",
    "partenaire en .MD": "content/partenaires/coop.MD — ce fichier ne sera pas publié : seuls les fichiers en « .md » (en minuscules) de content/partenaires/ sont lus. Pour qu'il soit lu comme un partenaire, nommez-le content/partenaires/coop.md (ou supprimez-le s'il n'a rien à publier).",
    "événement en .md.txt": "content/evenements/salon.md.txt — ce fichier ne sera pas publié : seuls les fichiers en « .md » (en minuscules) de content/evenements/ sont lus. Pour qu'il soit lu comme un événement, nommez-le content/evenements/salon.md (ou supprimez-le s'il n'a rien à publier).",
    "page en .txt": "content/pages/charte.txt — ce fichier ne sera pas publié : seuls les fichiers en « .md » (en minuscules) sont lus comme pages. Nommez-le content/pages/charte.md (ou supprimez-le s'il n'a rien à publier).",
    "offre dans un dossier inconnu de content/": "content/offres/epicerie.yaml — ce fichier ne sera pas publié : la construction ne lit pas le dossier content/offres/. Pour qu'il soit lu comme une offre, déplacez-le en offers/epicerie.yaml (ou supprimez-le s'il n'a rien à publier).",
    "page dans un sous-dossier inconnu de content/": "content/textes/2026/charte.md — ce fichier ne sera pas publié : la construction ne lit pas le dossier content/textes/. Pour qu'il soit lu comme une page, déplacez-le en content/pages/charte.md (ou supprimez-le s'il n'a rien à publier).",
    "offre posée dans content/": "content/epicerie.yaml — ce fichier ne sera pas publié : la construction ne lit aucun fichier posé directement dans content/. Pour qu'il soit lu comme une offre, déplacez-le en offers/epicerie.yaml (ou supprimez-le s'il n'a rien à publier).",
    "offre en .yml.txt posée dans content/": "content/epicerie.yml.txt — ce fichier ne sera pas publié : la construction ne lit aucun fichier posé directement dans content/. Pour qu'il soit lu comme une offre, déplacez-le en offers/epicerie.yaml (ou supprimez-le s'il n'a rien à publier).",
    "partenaire posé dans content/": "content/coop.md — ce fichier ne sera pas publié : la construction ne lit aucun fichier posé directement dans content/. Pour qu'il soit lu comme un partenaire, déplacez-le en content/partenaires/coop.md (ou supprimez-le s'il n'a rien à publier).",
    "événement posé dans content/": "content/salon.md — ce fichier ne sera pas publié : la construction ne lit aucun fichier posé directement dans content/. Pour qu'il soit lu comme un événement, déplacez-le en content/evenements/salon.md (ou supprimez-le s'il n'a rien à publier).",
    "page posée dans content/": "content/charte.md — ce fichier ne sera pas publié : la construction ne lit aucun fichier posé directement dans content/. Pour qu'il soit lu comme une page, déplacez-le en content/pages/charte.md (ou supprimez-le s'il n'a rien à publier).",
    "photo posée dans content/": "content/four.jpg — ce fichier ne sera pas publié : la construction ne lit aucun fichier posé directement dans content/. Pour qu'il soit lu comme une photo d'offre, déplacez-le en content/images/offres/four.jpg (ou supprimez-le s'il n'a rien à publier).",
    "fichier inconnu posé dans content/": "content/notes.odt — ce fichier ne sera pas publié : la construction ne lit aucun fichier posé directement dans content/. Rangez-le selon ce qu'il contient : une offre en offers/notes.yaml, un partenaire en content/partenaires/notes.md, un événement en content/evenements/notes.md, une page en content/pages/notes.md, un bilan annuel en content/bilan/notes.yaml (ou supprimez-le s'il n'a rien à publier).",
    "puces dans la description": "offers/a.yaml:14:1 — avertissement : description : des puces « • » s'afficheront dans le texte, sur une seule ligne, et non comme une liste ; pour une liste, laissez une ligne vide avant elle et commencez chaque élément par « - » sur sa propre ligne.",
    "liste collée au texte": "offers/a.yaml:15:1 — avertissement : description : la liste qui commence par « - le four » suit directement une ligne de texte : elle s'affichera dans le même paragraphe, sans puces ; laissez une ligne vide avant le premier « - ».",
    "puces dans un atout": "offers/a.yaml:12:5 — avertissement : atouts : l'élément n° 1 contient des puces « • » : il s'affichera comme un seul élément. Écrivez-en un par ligne, chacun commençant par « - » : - Four à sole ; - Laboratoire",
    "dièse dans le titre": 'offers/a.yaml:3:8 — avertissement : titre : en YAML, « # » après une espace commence un commentaire : seul « Boulangerie » sera publié, « #1 du canton » est ignoré. Pour garder tout le texte, mettez-le entre guillemets : titre: "Boulangerie #1 du canton"',
    "dièse dans un atout": 'offers/a.yaml:12:5 — avertissement : atouts : en YAML, « # » après une espace commence un commentaire : seul « Clientèle fidèle » sera publié, « #fidélité » est ignoré. Pour garder tout le texte, mettez-le entre guillemets : - "Clientèle fidèle #fidélité"',
    "phrase d'exemple retouchée": "offers/a.yaml:14:3 — description : la phrase d'exemple commençant par « Décrivez ici » est encore là, même retouchée ; remplacez-la entièrement par votre propre texte avant de publier.",
    "note de new-offer": "offers/a.yaml:14:3 — description : la note « (Pas d'adresse électronique ni de téléphone : le contact pas… » écrite par la commande de création est encore là ; supprimez cette ligne avant de publier (elle s'afficherait sur le site).",
    "lorem ipsum": "offers/a.yaml:14:3 — description : « Lorem ipsum » est un texte provisoire ; écrivez le vrai texte avant de publier (ce qui est écrit ici s'affichera tel quel sur le site).",
    "XXX": "offers/a.yaml:14:24 — description : « XXX » est un texte provisoire ; écrivez le vrai texte avant de publier (ce qui est écrit ici s'affichera tel quel sur le site).",
    "à compléter": "offers/a.yaml:6:11 — activite : « à compléter » est un texte provisoire ; écrivez le vrai texte avant de publier (ce qui est écrit ici s'affichera tel quel sur le site).",
    "TODO": "content/evenements/x.md:10:1 — description : « TODO » est un texte provisoire ; écrivez le vrai texte avant de publier (ce qui est écrit ici s'affichera tel quel sur le site).",
    "prix nul": "offers/a.yaml:11:7 — avertissement : prix : le site affichera « Prix de cession : 0\xa0€ » ; si rien n'est demandé, dites-le dans la description et retirez la ligne ; sinon, écrivez le montant. Si le montant est juste, ignorez cet avertissement.",
    "prix de 15 €": "offers/a.yaml:11:7 — avertissement : prix : 15\xa0€ paraît bien peu pour ce champ ; vérifiez le montant, en euros et en chiffres seuls (par exemple 15000 pour quinze mille euros). Si le montant est juste, ignorez cet avertissement.",
    "prix de 150 millions": "offers/a.yaml:11:7 — avertissement : prix : 150\xa0000\xa0000\xa0€ paraît bien élevé ; vérifiez le nombre de zéros. Si le montant est juste, ignorez cet avertissement.",
    "titre entre guillemets français": "offers/a.yaml:3:8 — avertissement : titre : le texte est entouré de guillemets (« … »), qui s'afficheront tels quels sur le site ; retirez-les : titre: Épicerie de village",
    "titre entre guillemets droits": 'offers/a.yaml:3:8 — avertissement : titre : le texte est entouré de guillemets (" … "), qui s\'afficheront tels quels sur le site ; retirez-les : titre: Épicerie de village',
    "publication future": "offers/a.yaml:10:13 — avertissement : publiee_le : l'offre n'apparaîtra sur le site qu'à partir du 10 janvier 2027 ; pour la publier dès maintenant, écrivez « publiee_le: 2026-11-22 ».",
    "conclue_le future": "offers/a.yaml:11:13 — conclue_le : le 1er janvier 2027 n'est pas encore arrivé ; une offre est conclue à la signature : écrivez sa date (le 22 novembre 2026 au plus tard), ou gardez le statut « en-negociation » jusque-là.",
    "début sans heure": "content/evenements/x.md:4:8 — debut : « 2027-03-14 » n'a pas d'heure ; écrivez la date et l'heure au format AAAA-MM-JJ HH:MM, par exemple 2027-03-14 10:00.",
    "fin sans heure entre guillemets": "content/evenements/x.md:5:6 — fin : « 2027-03-14 » n'a pas d'heure ; écrivez la date et l'heure au format AAAA-MM-JJ HH:MM, par exemple 2027-03-14 10:00.",
    "deux-points sans espace": "offers/a.yaml:11:6 — erreur de syntaxe YAML : il manque une espace après « prix: » ; écrivez « prix: 150000 » (une espace après les deux-points).",
    "champ décalé": "offers/a.yaml:12:1 — erreur de syntaxe YAML : la ligne « surface: 30 » est plus décalée vers la droite que « prix: 40000 » au-dessus, qui a déjà sa valeur : alignez « surface: » sur « prix: » (le même nombre d'espaces en début de ligne).",
    "ligne de description non décalée": "offers/a.yaml:14:1 — erreur de syntaxe YAML : la ligne « La suite du texte. » fait partie du texte de « description » mais ne commence pas par des espaces ; chaque ligne d'un texte sur plusieurs lignes commence par deux espaces : ajoutez-les au début de la ligne.",
    "apostrophe entre apostrophes": 'offers/a.yaml:3:8 — erreur de syntaxe YAML : la valeur de « titre » est entre apostrophes et contient elle-même une apostrophe, qui la termine trop tôt : mettez-la entre guillemets droits, ainsi : titre: "L\'atelier du bourg"',
    "code postal comme commune": 'offers/a.yaml:7:10 — commune : « 63600 » est le code postal, pas le code INSEE de la commune (les deux diffèrent) ; écrivez le code INSEE : Ambert ("63003"), Baffie ("63027"), Champétières ("63081"), Grandrif ("63173"), La Forie ("63161"), par exemple commune: "63003".',
    "nom et code postal comme commune": 'offers/a.yaml:7:10 — commune : « Ambert 63600 » est un nom et un code postal, pas le code INSEE de la commune (les deux diffèrent) ; écrivez le code INSEE : Ambert ("63003"), par exemple commune: "63003".',
    "photo HEIC": "offers/a.yaml:12:14 — photos : élément n° 1 : fichier : « IMG_0042.HEIC » est une photo HEIC (format des iPhone), que les navigateurs n'affichent pas ; exportez-la en JPEG (sur l'iPhone : Réglages › Appareil photo › Formats › « Le plus compatible », ou « Exporter » depuis l'ordinateur) et nommez-la img-0042.jpg.",
    "photo avec accent et espace": "offers/a.yaml:12:14 — photos : élément n° 1 : fichier : le nom « façade boutique.jpg » contient le caractère « ç » : un nom de fichier d'image ne prend que des lettres sans accents, des chiffres et des tirets ; renommez le fichier facade-boutique.jpg et écrivez ce nom ici.",
    "photo avec une espace": "offers/a.yaml:12:14 — photos : élément n° 1 : fichier : le nom « four a pain.jpg » contient une espace : un nom de fichier d'image ne prend que des lettres sans accents, des chiffres et des tirets ; renommez le fichier four-a-pain.jpg et écrivez ce nom ici.",
    "logo avec accent": "content/partenaires/coop.md:6:7 — logo : le nom « coopérative.svg » contient le caractère « é » : un nom de fichier d'image ne prend que des lettres sans accents, des chiffres et des tirets ; renommez le fichier cooperative.svg et écrivez ce nom ici.",
    "partenaires sans crochets": "content/evenements/x.md:8:14 — partenaires : « cci-ambert, cma-63 » est écrit comme un seul texte ; une liste s'écrit entre crochets : [cci-ambert, cma-63]",
}


def said(case: str, found: list[str]) -> None:
    assert EXPECTED[case] in found, f"attendu : {EXPECTED[case]}\nobtenu : {found}"
    assert all("Traceback" not in line and "Error" not in line for line in found)


@pytest.mark.parametrize("case", list(MISPLACED))
def test_a_file_in_the_wrong_place_is_named_with_the_place_it_belongs_in(case, tmp_path):
    project = Project(tmp_path / "projet", sample=False)  # the message depends on the file alone
    relative, content = MISPLACED[case]
    project.write(relative, content)
    said(case, [str(p) for p in project.load().report.problems if p.path == relative])


@pytest.mark.parametrize("case", list(CASES))
def test_each_mistake_gets_its_french_message(case, check_file):
    relative, content = CASES[case]
    said(case, [str(p) for p in check_file(relative, content).problems])


def git(project, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "init.defaultBranch=main", *args],
        cwd=project.root,
        check=True,
        capture_output=True,
    )


def test_a_file_the_build_leaves_out_is_named_when_checked_alone(project):
    """`invoke validate -- offers/x.yaml.txt` used to answer « ✔ 1 fichier vérifié »."""
    path = project.write("offers/epicerie.yaml.txt", offer())
    result = project.run("validate", "--", str(path))
    assert result.returncode == 1, result.stdout
    assert result.stdout.splitlines()[0] == EXPECTED["offre en .yaml.txt"]
    assert result.stdout.splitlines()[-1].startswith("✘ 1 fichier vérifié : 1 erreur dans 1 fichier")


def test_an_offer_in_yml_is_read_and_hidden_files_are_not_content(project):
    project.write("offers/epicerie.yml", offer())
    project.write("offers/.gitkeep", "")
    site = project.load()
    assert "offers/epicerie.yml" in [o.source for o in site.offers]
    assert [p for p in site.report.errors if p.path.startswith("offers/")] == []


def test_a_new_offer_already_expired_is_refused_an_old_one_keeps_its_page(project):
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "base")
    project.write("offers/a.yaml", offer(prix="expire_le: 2026-10-20"))
    errors = [str(p) for p in project.load().report.errors if p.path == "offers/a.yaml"]
    assert errors == [
        "offers/a.yaml:11:12 — expire_le : le 20 octobre 2026 est déjà passé ; cette nouvelle offre serait publiée "
        "comme expirée et n'apparaîtrait dans aucune liste. Écrivez une date à venir, par exemple « expire_le: 2027-11-22 », ou retirez la ligne."
    ]
    git(project, "add", "-A")
    git(project, "commit", "-qm", "offre")  # published earlier, expired since: its page stays, with a notice
    assert [p for p in project.load().report.errors if p.path == "offers/a.yaml"] == []


def test_the_summary_says_when_a_future_offer_appears(project):
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "base")
    project.write("offers/epicerie.yaml", offer(publiee_le="publiee_le: 2027-01-10"))
    out = project.run("diff", "--base", "main")
    assert out.returncode == 0, out.stderr
    assert (
        "- programmée le 10 janvier 2027 : **Épicerie de village à reprendre** (LF-2026-950) — `/offres/epicerie/`, en ligne à cette date"
        in out.stdout
    ), out.stdout
    assert "- ajoutée :" not in out.stdout


def test_new_offer_suggests_the_communes_whose_name_starts_with_what_was_typed(project):
    result = project.run(
        "new-offer", "--titre", "Épicerie à reprendre", "--nature", "reprise", "--secteur", "commerce",
        "--commune", "Saint Germain", "--referent", "cci-ambert", "--date", "2026-11-22",
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "✘ aucune commune « Saint Germain » dans le territoire ; vérifiez l'orthographe ou donnez le code INSEE. "
        "Communes proches : Saint-Germain-l'Herm (63353), Saint-Germain-Lembron (63352), Saint-Romain (63394)."
    )


def test_a_partner_checked_alone_has_its_svg_logo_checked(project):
    project.write(
        "content/images/partenaires/coop.svg", '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    )
    partner = project.write(
        "content/partenaires/coop.md", PARTNER.format(commune="63003").replace("secteurs:", "logo: coop.svg\nsecteurs:")
    )
    alone = project.run("validate", "--", str(partner))
    assert alone.returncode == 1, alone.stdout
    assert (
        "content/images/partenaires/coop.svg:1:1 — l'élément <script> n'est pas permis dans une image SVG (seuls les éléments de dessin le sont : pas de script, de contenu HTML, d'image ou de lien) ; enregistrez l'image en « SVG simple » ou en PNG."
        in alone.stdout.splitlines()
    ), alone.stdout
