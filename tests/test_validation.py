"""Every bad input a partner can produce gets a clear French error, never a traceback.

Each message is checked once, on the file alone (``check_file``: validate.check_text against
the sample read once per session, test_single_file_check.py shows it says what the whole
validation says); the tests that run `invoke validate` or `invoke build` on a copy of the
project keep the partner's real path covered (exit codes, formats, the previous site kept)."""

from __future__ import annotations

import json
import re

import pytest

VALID = """\
# yaml-language-server: $schema=../schemas/offre.schema.json
reference: LF-2026-950
titre: Épicerie de village à reprendre
nature: reprise
secteur: commerce
activite: Épicerie
commune: "63003"
referent: cci-ambert
statut: disponible
publiee_le: 2026-10-01
prix: 40000
description: |
  Une épicerie de village bien tenue, au cœur du bourg, avec une clientèle fidèle et un dépôt de pain.
"""


def offer(**changes: str) -> str:
    """The valid offer with some lines replaced (field → new raw line, or None to drop it)."""
    lines = VALID.splitlines()
    out = []
    for line in lines:
        key = line.split(":", 1)[0]
        if key in changes:
            if changes[key] is not None:
                out.append(changes[key])
        else:
            out.append(line)
    return "\n".join(out) + "\n"


def errors_of(check_file, relative: str, content: str | bytes) -> list[str]:
    """The errors of one file holding ``content``, checked alone."""
    return [str(p) for p in check_file(relative, content).errors]


EVENT = '---\ntitre: Salon\ntype: salon\ndebut: 2027-03-14 10:00\nfin: {fin}\nlieu: Salle des fêtes\ncommune: "{commune}"\npartenaires: [adie, {partner}]\n---\n{body}\n'


def event(
    fin="2027-03-14 18:00",
    commune="63003",
    partner="cma-63",
    body="Un salon de la création et de la reprise d'entreprise.",
) -> str:
    return EVENT.format(fin=fin, commune=commune, partner=partner, body=body)


PARTNER = '---\nnom: Coopérative du Livradois\ntype: accompagnement\ncommune: "{commune}"\nterritoire: ["200070761"]\nsecteurs: [commerce]\netapes: [accueil]\n---\nLa coopérative accompagne les créateurs. Écrivez à contact@coop.example.org.\n'

# Each bad input → the exact message a partner reads (file:line:column — message).
CASES = {
    "syntaxe YAML": (
        "offers/a.yaml",
        "reference: LF-2026-950\ntitre: [Épicerie\n",
        "offers/a.yaml:3:1 — erreur de syntaxe YAML : une liste ouverte par « [ » n'est pas refermée par « ] » (ou il manque une virgule entre deux éléments).",
    ),
    "tabulation": (
        "offers/a.yaml",
        "reference: LF-2026-950\ntitre: Épicerie\n\tnature: reprise\n",
        "offers/a.yaml:3:1 — une tabulation a été trouvée ici ; remplacez la tabulation par des espaces (les champs s'alignent avec des espaces, jamais avec la touche Tab).",
    ),
    "tabulation dans une valeur": (
        "offers/a.yaml",
        offer(titre="titre: Épicerie\tde village"),
        "offers/a.yaml:3:16 — une tabulation a été trouvée ici ; remplacez la tabulation par des espaces (les champs s'alignent avec des espaces, jamais avec la touche Tab).",
    ),
    "tabulation dans un événement": (
        "content/evenements/x.md",
        event().replace("lieu: Salle", "lieu:\tSalle"),
        "content/evenements/x.md:6:6 — une tabulation a été trouvée ici ; remplacez la tabulation par des espaces (les champs s'alignent avec des espaces, jamais avec la touche Tab).",
    ),
    "deux-points dans une valeur": (
        "offers/a.yaml",
        offer(titre="titre: Épicerie : reprise au cœur du bourg"),
        "offers/a.yaml:3:17 — la valeur de « titre » contient « : » (deux-points suivi d'une espace), qui sépare d'habitude un champ de sa valeur : mettez le texte entre guillemets, ainsi : titre: \"Épicerie : reprise au cœur du bourg\"",
    ),
    "deux-points dans un élément de liste": (
        "offers/a.yaml",
        offer(prix="atouts:\n  - Emplacement : sur la place"),
        "offers/a.yaml:12:5 — atouts : élément n° 1 : le texte « Emplacement : sur la place » contient « : » (deux-points suivi d'une espace), qui sépare d'habitude un champ de sa valeur : mettez le texte entre guillemets, ainsi : - \"Emplacement : sur la place\"",
    ),
    "fichier vide": (
        "offers/a.yaml",
        "",
        "offers/a.yaml:1:1 — le fichier est vide ; attendu : des lignes « champ: valeur ».",
    ),
    "commentaire seul": (
        "offers/a.yaml",
        "# yaml-language-server: $schema=../schemas/offre.schema.json\n",
        "offers/a.yaml:1:1 — le fichier est vide ; attendu : des lignes « champ: valeur ».",
    ),
    "liste au lieu de champs": (
        "offers/a.yaml",
        "- reference: LF-2026-950\n- titre: X\n",
        "offers/a.yaml:1:1 — le fichier contient une liste ; attendu : des lignes « champ: valeur » (un champ par ligne).",
    ),
    "valeur seule": (
        "offers/a.yaml",
        "Épicerie à reprendre\n",
        "offers/a.yaml:1:1 — le fichier contient une valeur seule ; attendu : des lignes « champ: valeur » (un champ par ligne).",
    ),
    "liste au lieu d'un texte": (
        "offers/a.yaml",
        offer(titre="titre: [Épicerie, Bar]"),
        "offers/a.yaml:3:8 — titre : une liste n'est pas permise ici ; attendu : un texte de 3 à 120 caractères.",
    ),
    "photo écrite comme une valeur seule": (
        "offers/a.yaml",
        offer(prix="photos:\n  - boulangerie-ambert.jpg"),
        "offers/a.yaml:12:5 — photos : élément n° 1 : « boulangerie-ambert.jpg » n'est pas valable ; attendu : les champs fichier et alt (« - fichier: … » puis « alt: … » en dessous, aligné).",
    ),
    "champ obligatoire manquant": (
        "offers/a.yaml",
        offer(secteur=None),
        "offers/a.yaml:4:1 — le champ obligatoire « secteur » manque ; attendu : une des valeurs agriculture, artisanat, commerce, industrie, services, tourisme, sante-social. Ajoutez la ligne « secteur: … » après celle de « nature » (ligne 4).",
    ),
    "premier champ manquant": (
        "offers/a.yaml",
        offer(reference=None),
        "offers/a.yaml:2:1 — le champ obligatoire « reference » manque ; attendu : un code comme LF-2026-014 (lettres, année, numéro). Ajoutez la ligne « reference: … » avant celle de « titre » (ligne 2).",
    ),
    "champ manquant d'un événement": (
        "content/evenements/x.md",
        event().replace("lieu: Salle des fêtes\n", ""),
        "content/evenements/x.md:5:1 — le champ obligatoire « lieu » manque ; attendu : un texte d'au plus 200 caractères. Ajoutez la ligne « lieu: … » après celle de « fin » (ligne 5).",
    ),
    "mauvais type": (
        "offers/a.yaml",
        offer(prix="prix: beaucoup"),
        "offers/a.yaml:11:7 — prix : « beaucoup » n'est pas un nombre. Attendu : un nombre entier (en euros), sans espace ni symbole, par exemple 85000.",
    ),
    "nombre avec espaces": (
        "offers/a.yaml",
        offer(prix="prix: 40 000 €"),
        "offers/a.yaml:11:7 — prix : « 40 000 € » n'est pas écrit comme un nombre ; écrivez 40000 (chiffres seuls, sans espace ni symbole). Attendu : un nombre entier (en euros), sans espace ni symbole, par exemple 85000.",
    ),
    "montant avec un point des milliers": (
        "offers/a.yaml",
        offer(prix="prix: 150.000"),
        "offers/a.yaml:11:7 — prix : « 150.000 » contient un séparateur de milliers ; écrivez 150000 (chiffres seuls, sans point, virgule ni espace). Attendu : un nombre entier (en euros), sans espace ni symbole, par exemple 85000.",
    ),
    "montant avec centimes": (
        "offers/a.yaml",
        offer(prix="prix: 150,5"),
        "offers/a.yaml:11:7 — prix : « 150,5 » n'est pas un nombre entier ; écrivez 151 (nombre entier, sans virgule ni centimes). Attendu : un nombre entier (en euros), sans espace ni symbole, par exemple 85000.",
    ),
    "montant décimal": (
        "offers/a.yaml",
        offer(prix="prix: 150.25"),
        "offers/a.yaml:11:7 — prix : « 150.25 » n'est pas un nombre entier ; écrivez 150 (nombre entier, sans virgule ni centimes). Attendu : un nombre entier (en euros), sans espace ni symbole, par exemple 85000.",
    ),
    "montant négatif": (
        "offers/a.yaml",
        offer(prix="prix: -5000"),
        "offers/a.yaml:11:7 — prix : « -5000 » est négatif ; écrivez 5000 (un montant ou une quantité est positif). Attendu : un nombre entier (en euros), sans espace ni symbole, par exemple 85000.",
    ),
    "surface nulle": (
        "offers/a.yaml",
        offer(prix="surface: 0"),
        "offers/a.yaml:11:10 — surface : « 0 » n'est pas possible ; attendu : un nombre au moins égal à 1 (ou supprimez la ligne si vous ne le connaissez pas).",
    ),
    "titre de deux caractères": (
        "offers/a.yaml",
        offer(titre="titre: Ép"),
        "offers/a.yaml:3:8 — titre : « Ép » est trop court (2 caractères) ; attendu : au moins 3 caractères qui disent de quoi il s'agit.",
    ),
    "titre d'un caractère": (
        "content/evenements/x.md",
        event().replace("titre: Salon", "titre: X"),
        "content/evenements/x.md:2:8 — titre : « X » est trop court (1 caractère) ; attendu : au moins 3 caractères qui disent de quoi il s'agit.",
    ),
    "texte d'exemple de new-offer": (
        "offers/a.yaml",
        VALID + "  Décrivez ici l'activité, le lieu, la clientèle, ce qui est cédé ou proposé et les conditions.\n",
        "offers/a.yaml:14:3 — description : le texte d'exemple « Décrivez ici l'activité, le lieu, la cli… » est encore là ; remplacez-le par votre propre texte avant de publier.",
    ),
    "texte d'exemple de new-event": (
        "content/evenements/x.md",
        event(body="Décrivez ici l'événement : à qui il s'adresse, ce qu'on y trouve, comment venir."),
        "content/evenements/x.md:10:1 — description : le texte d'exemple « Décrivez ici l'événement : à qui il s'ad… » est encore là ; remplacez-le par votre propre texte avant de publier.",
    ),
    "hors énumération": (
        "offers/a.yaml",
        offer(secteur="secteur: artisant"),
        "offers/a.yaml:5:10 — secteur : « artisant » n'est pas permis ; vouliez-vous dire « artisanat » ? Valeurs permises : agriculture, artisanat, commerce, industrie, services, tourisme, sante-social.",
    ),
    "énumération par son libellé": (
        "offers/a.yaml",
        offer(secteur="secteur: Santé et social"),
        "offers/a.yaml:5:10 — secteur : « Santé et social » n'est pas permis ; vouliez-vous dire « sante-social » ? Valeurs permises : agriculture, artisanat, commerce, industrie, services, tourisme, sante-social.",
    ),
    "commune inconnue": (
        "offers/a.yaml",
        offer(commune='commune: "99999"'),
        "offers/a.yaml:7:10 — commune : « 99999 » n'est pas un code de commune connu ; attendu : le code INSEE à 5 caractères d'une commune du territoire, entre guillemets, par exemple \"42147\".",
    ),
    "commune mal orthographiée": (
        "offers/a.yaml",
        offer(commune="commune: Olierges"),
        'offers/a.yaml:7:10 — commune : « Olierges » n\'est ni un code INSEE ni un nom de commune connu ; vouliez-vous dire : Olliergues ("63258"), Thiolières ("63431"), Peslières ("63277") ? Écrivez le code entre guillemets, par exemple commune: "63258".',
    ),
    "commune par son nom": (
        "offers/a.yaml",
        offer(commune="commune: ambert"),
        'offers/a.yaml:7:10 — commune : « ambert » est un nom de commune ; écrivez son code INSEE : "63003" (Ambert, Puy-de-Dôme).',
    ),
    "commune hors territoire": (
        "offers/a.yaml",
        offer(commune='commune: "69123"'),
        "offers/a.yaml:7:10 — commune : Lyon (69123) est hors du territoire : sa communauté, Métropole de Lyon, n'en fait pas partie.",
    ),
    "partenaire hors territoire": (
        "content/partenaires/coop.md",
        PARTNER.format(commune="69123"),
        "content/partenaires/coop.md:4:10 — commune : Lyon (69123) est hors du territoire : sa communauté, Métropole de Lyon, n'en fait pas partie.",
    ),
    "référent inconnu": (
        "offers/a.yaml",
        offer(referent="referent: cci-amber"),
        "offers/a.yaml:8:11 — referent : « cci-amber » n'est pas un partenaire connu ; vouliez-vous dire « cci-ambert » ? Attendu : l'identifiant d'un partenaire (le nom de son fichier dans content/partenaires/, sans « .md »).",
    ),
    "référent écrit par son nom": (
        "offers/a.yaml",
        offer(referent="referent: Chambre de commerce et d'industrie d'Ambert"),
        "offers/a.yaml:8:11 — referent : « Chambre de commerce et d'industrie d'Ambert » est le nom d'un partenaire ; écrivez son identifiant : cci-ambert.",
    ),
    "référent écrit par son sigle": (
        "offers/a.yaml",
        offer(referent="referent: CCI Ambert"),
        "offers/a.yaml:8:11 — referent : « CCI Ambert » est le nom d'un partenaire ; écrivez son identifiant : cci-ambert.",
    ),
    "expire avant publication": (
        "offers/a.yaml",
        offer(prix="expire_le: 2026-09-01"),
        "offers/a.yaml:11:12 — expire_le : la date 2026-09-01 est antérieure à publiee_le (2026-10-01) ; attendu : une date postérieure ou égale.",
    ),
    "conclue sans date": (
        "offers/a.yaml",
        offer(statut="statut: conclue"),
        "offers/a.yaml:9:9 — statut : une offre au statut « conclue » doit indiquer sa date de conclusion : ajoutez une ligne « conclue_le: AAAA-MM-JJ » (la date de la signature).",
    ),
    "date de conclusion sans statut conclue": (
        "offers/a.yaml",
        offer(prix="conclue_le: 2026-11-02"),
        "offers/a.yaml:11:13 — conclue_le : une date de conclusion est indiquée mais le statut est « disponible » ; mettez « statut: conclue » ou retirez la ligne conclue_le.",
    ),
    "date impossible": (
        "offers/a.yaml",
        offer(publiee_le="publiee_le: 2026-02-30"),
        "offers/a.yaml:10:13 — publiee_le : « 2026-02-30 » n'est pas une date qui existe ; attendu : une date du calendrier au format AAAA-MM-JJ, par exemple 2026-10-01.",
    ),
    "date à la française": (
        "offers/a.yaml",
        offer(publiee_le="publiee_le: 01/10/2026"),
        "offers/a.yaml:10:13 — publiee_le : « 01/10/2026 » n'est pas au bon format ; écrivez 2026-10-01.",
    ),
    "pas UTF-8": (
        "offers/a.yaml",
        offer().encode("cp1252"),
        "offers/a.yaml:3:8 — le fichier n'est pas enregistré en UTF-8 (caractère illisible ici, octet 0xc9) ; enregistrez-le au format UTF-8 depuis votre éditeur.",
    ),
    "bombe billion laughs": (
        "offers/a.yaml",
        'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\ni: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n',
        "offers/a.yaml:1:4 — les ancres et alias YAML (« & » et « * ») ne sont pas permis dans un fichier de contenu : recopiez la valeur.",
    ),
    "étiquette python": (
        "offers/a.yaml",
        offer(prix="prix: !!python/object/apply:os.system ['echo pwned']"),
        "offers/a.yaml:11:7 — prix : l'étiquette YAML « !!python/object/apply:os.system » n'est pas permise (seule une lecture sûre est faite) : n'écrivez que des valeurs simples (texte, nombre, date, oui/non), sans « !! » ni « ! ».",
    ),
    "étiquette python sur une valeur": (
        "offers/a.yaml",
        offer(titre="titre: !!python/name:os.system ''"),
        "offers/a.yaml:3:8 — titre : l'étiquette YAML « !!python/name:os.system » n'est pas permise (seule une lecture sûre est faite) : n'écrivez que des valeurs simples (texte, nombre, date, oui/non), sans « !! » ni « ! ».",
    ),
    "photo sans alt": (
        "offers/a.yaml",
        offer(prix="photos:\n  - fichier: boulangerie-ambert.jpg"),
        "offers/a.yaml:12:5 — photos : élément n° 1 : le champ obligatoire « alt » (texte de remplacement) manque ; attendu : ce que montre la photo, pour les personnes qui ne la voient pas (un texte d'au plus 250 caractères).",
    ),
    "photo absente": (
        "offers/a.yaml",
        offer(prix="photos:\n  - fichier: absente.jpg\n    alt: Une vitrine"),
        "offers/a.yaml:12:14 — photos : élément n° 1 : fichier : le fichier « absente.jpg » est introuvable dans content/images/offres/ ; déposez-le ou corrigez le nom.",
    ),
    "courriel dans la description": (
        "offers/a.yaml",
        VALID + "  Écrivez à jean.dupont@gmail.com pour visiter.\n",
        "offers/a.yaml:14:13 — description : l'adresse électronique « jean.dupont@gmail.com » ne doit pas figurer dans le texte (donnée personnelle) ; le contact passe par le partenaire référent : supprimez-la.",
    ),
    "téléphone dans la description": (
        "offers/a.yaml",
        VALID + "  Appelez le 06 12 34 56 78 le soir.\n",
        "offers/a.yaml:14:14 — description : le numéro de téléphone « 06 12 34 56 78 » ne doit pas figurer dans le texte (donnée personnelle) ; le contact passe par le partenaire référent : supprimez-le.",
    ),
    "téléphone dans un événement": (
        "content/evenements/x.md",
        event(body="Un salon.\n\nInscription au +33 6 12 34 56 78."),
        "content/evenements/x.md:12:16 — description : le numéro de téléphone « +33 6 12 34 56 78 » ne doit pas figurer dans le texte (donnée personnelle) ; le contact passe par le partenaire référent : supprimez-le.",
    ),
    "champ inconnu": (
        "offers/a.yaml",
        offer(prix="pirx: 40000"),
        "offers/a.yaml:11:1 — le champ « pirx » n'existe pas ; vouliez-vous dire « prix » ? Champs permis : reference, titre, nature, secteur, activite, commune, referent, statut, publiee_le, description, mise_a_jour, expire_le, conclue_le, prix, loyer, chiffre_affaires, effectif, surface, logement, motif, atouts, aides, photos, contacts.",
    ),
    "champ en double": (
        "offers/a.yaml",
        VALID + "prix: 3\n",
        "offers/a.yaml:14:1 — le champ « prix » est écrit deux fois (déjà en ligne 11) : gardez une seule ligne « prix: … ».",
    ),
    "partenaire sans en-tête fermé": (
        "content/partenaires/x.md",
        "---\nnom: X\n",
        "content/partenaires/x.md:1:1 — l'en-tête ouvert par « --- » en ligne 1 n'est jamais fermé par une autre ligne « --- ».",
    ),
    "événement fin avant début": (
        "content/evenements/x.md",
        event(fin="2027-03-14 09:00"),
        "content/evenements/x.md:5:6 — fin : la fin (2027-03-14 09:00) précède le début (2027-03-14 10:00) ; attendu : une fin postérieure au début.",
    ),
    "événement partenaire inconnu": (
        "content/evenements/x.md",
        event(partner="inconnu"),
        "content/evenements/x.md:8:21 — partenaires : élément n° 2 : « inconnu » n'est pas un partenaire connu. Attendu : l'identifiant d'un partenaire (le nom de son fichier dans content/partenaires/, sans « .md »).",
    ),
    "événement commune inconnue": (
        "content/evenements/x.md",
        event(commune="99999"),
        "content/evenements/x.md:7:10 — commune : « 99999 » n'est pas un code de commune connu ; attendu : le code INSEE à 5 caractères d'une commune française, entre guillemets, par exemple \"42147\".",
    ),
    "page sans titre": (
        "content/pages/charte.md",
        "Slug: charte\n\nLa charte du réseau.\n",
        "content/pages/charte.md:1:1 — la page n'a pas de titre : ajoutez en première ligne « Title: Le titre de la page ».",
    ),
    "page pas UTF-8": (
        "content/pages/charte.md",
        "Title: Charte du réseau\n\nLa charte.\n".encode("cp1252"),
        "content/pages/charte.md:1:19 — le fichier n'est pas enregistré en UTF-8 (caractère illisible ici, octet 0xe9) ; enregistrez-le au format UTF-8 depuis votre éditeur.",
    ),
    "page à une adresse déjà prise": (
        "content/pages/mentions.md",
        "Title: Mentions\nSlug: mentions-legales\n\nTexte.\n",
        "content/pages/mentions.md:2:1 — Slug : « mentions-legales » est déjà l'adresse de content/pages/mentions-legales.md ; attendu : une adresse unique (l'une des deux pages effacerait l'autre).",
    ),
    "page à une adresse réservée": (
        "content/pages/offres.md",
        "Title: Nos offres\nSlug: offres\n\nTexte.\n",
        "content/pages/offres.md:2:1 — Slug : l'adresse /offres/ est réservée à une rubrique du site ; choisissez un autre « Slug: ».",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_gets_an_exact_french_message_with_position(case, check_file):
    relative, content, expected = CASES[case]
    errors = errors_of(check_file, relative, content)
    assert expected in errors, f"attendu : {expected}\nobtenu : {errors}"
    assert all("Traceback" not in e and "Error" not in e for e in errors)


def test_events_may_take_place_anywhere_in_france(check_file):
    assert errors_of(check_file, "content/evenements/x.md", event(commune="69123")) == []


def test_duplicate_reference(project):
    project.write("offers/b.yaml", offer())
    project.write("offers/a.yaml", offer())
    errors = [str(p) for p in project.load().report.errors if p.path in ("offers/a.yaml", "offers/b.yaml")]
    assert errors == [
        "offers/b.yaml:2:12 — reference : « LF-2026-950 » est déjà la référence de offers/a.yaml ; donnez à cette offre la prochaine référence libre : LF-2026-951."
    ]


def test_duplicate_reference_is_reported_on_the_file_a_partner_just_added(project):
    """A partner copies an existing offer as a model and keeps its reference: the error is on
    the copy (new in git), even when its name sorts first, with the next free number."""
    import subprocess

    def git(*args):
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
            cwd=project.root,
            check=True,
            capture_output=True,
        )

    git("init", "-q")
    git("add", "-A")
    git("commit", "-qm", "base")
    original = project.path("offers/boulangerie-patisserie-ambert.yaml").read_text(encoding="utf-8")
    project.write(
        "offers/atelier-copie.yaml", original.replace("titre: Boulangerie", "titre: Atelier copié d'une boulangerie")
    )
    errors = [str(p) for p in project.load().report.errors]
    assert errors == [
        "offers/atelier-copie.yaml:2:12 — reference : « LF-2026-014 » est déjà la référence de offers/boulangerie-patisserie-ambert.yaml ; donnez à cette offre la prochaine référence libre : LF-2026-022."
    ]
    git("add", "-A")
    git("commit", "-qm", "copie")  # committed later than the original: still the one reported
    assert [str(p) for p in project.load().report.errors] == errors


@pytest.mark.parametrize(
    "first, second",
    [
        ("epicerie-ambert.yaml", "Épicerie-Ambert.yaml"),
        ("boulangerie-ambert.yaml", "Boulangerie-Ambert.yaml"),
        ("cafe-thiers.yaml", "café_thiers.yml"),
    ],
)
def test_colliding_slugs(project, first, second):
    project.write(f"offers/{first}", offer())
    project.write(f"offers/{second}", offer(reference="reference: LF-2026-951"))
    errors = [str(p) for p in project.load().report.errors]
    slug = first.removesuffix(".yaml")
    later, earlier = sorted([first, second])[::-1]
    assert (
        f"offers/{later}:1:1 — l'adresse de cette page ({slug}) est déjà prise par offers/{earlier} ; renommez l'un des deux fichiers."
        in errors
    ), errors


def test_byte_order_mark_is_accepted(check_file):
    assert errors_of(check_file, "offers/a.yaml", b"\xef\xbb\xbf" + offer().encode("utf-8")) == []


def test_file_over_one_mebibyte_is_refused(check_file):
    text = offer() + "#" + "x" * (1024 * 1024) + "\n"
    errors = errors_of(check_file, "offers/a.yaml", text)
    size = len(text.encode("utf-8"))
    assert errors == [
        f"offers/a.yaml:1:1 — le fichier pèse 1,0 Mio ({size} octets) ; un fichier de contenu ne doit pas dépasser 1 Mio (mettez les images à part, dans content/images/)."
    ]


def test_partner_contacts_may_appear_in_texts(check_file):
    # The referent's own address and phone are public: not personal data.
    text = VALID + "  Renseignements : contact@cci-ambert.example.org ou 04 65 71 10 02.\n"
    assert errors_of(check_file, "offers/a.yaml", text) == []


def test_partner_presentation_may_give_its_own_contacts(check_file):
    assert errors_of(check_file, "content/partenaires/coop.md", PARTNER.format(commune="63003")) == []


def test_page_errors_stop_the_build(project):
    project.write("content/pages/charte.md", "Slug: charte\n\nLa charte du réseau.\n")
    result = project.run("build", "--date", "2026-11-22")
    assert result.returncode == 1
    assert "content/pages/charte.md:1:1 — la page n'a pas de titre" in result.stderr
    assert not project.output.exists()


def test_validate_exit_codes_and_formats(project):
    ok = project.run("validate")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "aucune erreur" in ok.stdout
    project.write("offers/a.yaml", offer(secteur="secteur: artisant"))
    bad = project.run("validate")
    assert bad.returncode == 1
    assert "offers/a.yaml:5:10 — secteur : « artisant » n'est pas permis" in bad.stdout
    assert "Traceback" not in bad.stdout + bad.stderr
    github = project.run("validate", "--format", "github")
    assert github.returncode == 1
    assert "::error file=offers/a.yaml,line=5,col=10::secteur : « artisant » n'est pas permis" in github.stdout
    as_json = project.run("validate", "--format", "json")
    problems = json.loads(as_json.stdout)
    error = next(p for p in problems if p["niveau"] == "erreur")
    assert error == {**error, "fichier": "offers/a.yaml", "ligne": 5, "colonne": 10, "champ": "secteur"}


def test_only_the_named_paths_are_reported(project):
    project.write("offers/a.yaml", offer(secteur="secteur: artisant"))
    other = project.run("validate", "-f", str(project.path("offers/boulangerie-patisserie-ambert.yaml")))
    assert other.returncode == 0, other.stdout
    # Several paths after « -- » (invoke takes no list of positional arguments).
    named = project.run(
        "validate",
        "--",
        str(project.path("offers/boulangerie-patisserie-ambert.yaml")),
        str(project.path("content/partenaires/adie.md")),
    )
    assert named.returncode == 0, named.stdout + named.stderr
    assert "✔ 2 fichiers vérifiés : aucune erreur" in named.stdout
    both = project.run(
        "validate", "--", str(project.path("offers/a.yaml")), str(project.path("content/partenaires/adie.md"))
    )
    assert both.returncode == 1
    assert "offers/a.yaml:5:10 — secteur : « artisant » n'est pas permis" in both.stdout


def test_a_named_path_that_does_not_exist_is_an_error(project):
    missing = project.run("validate", "--", str(project.path("offers/introuvable.yaml")))
    assert missing.returncode == 2
    assert "offers/introuvable.yaml » n'existe pas (ou n'est pas un fichier)" in missing.stdout + missing.stderr
    outside = project.run("validate", "-f", "/etc/hostname")
    assert outside.returncode == 2
    assert "« /etc/hostname » n'est pas dans le projet" in outside.stdout + outside.stderr
    assert "Traceback" not in missing.stderr + outside.stderr


def test_warnings_fail_only_in_strict_mode(project):
    project.write("offers/a.yaml", offer())  # no photo, short description
    normal = project.run("validate")
    assert normal.returncode == 0
    assert "offers/a.yaml:12:1 — avertissement : l'offre n'a pas de photo" in normal.stdout
    assert "avertissement : la description est très courte (" in normal.stdout
    strict = project.run("validate", "--strict")
    assert strict.returncode == 1
    # Never a ✔ on a failure: the closing line says the warnings count as errors.
    assert "✔" not in strict.stdout
    assert re.fullmatch(
        r"✘ \d+ fichiers vérifiés : aucune erreur, mais \d+ avertissements, qui comptent comme des erreurs avec --strict\. Corrigez-les puis relancez\.",
        strict.stdout.splitlines()[-1],
    )
    one = project.run("validate", "--strict", "--", str(project.path("offers/a.yaml")))
    assert one.returncode == 1
    assert (
        one.stdout.splitlines()[-1]
        == "✘ 1 fichier vérifié : aucune erreur, mais 2 avertissements, qui comptent comme des erreurs avec --strict. Corrigez-les puis relancez."
    )


def test_the_closing_line_speaks_french_in_the_singular(project):
    good = project.run("validate", "--", str(project.path("offers/boulangerie-patisserie-ambert.yaml")))
    assert good.stdout.splitlines()[-1] == "✔ 1 fichier vérifié : aucune erreur, 0 avertissement."
    project.write("offers/a.yaml", offer(secteur="secteur: artisant"))
    bad = project.run("validate", "--", str(project.path("offers/a.yaml")))
    assert (
        bad.stdout.splitlines()[-1]
        == "✘ 1 fichier vérifié : 1 erreur dans 1 fichier, 0 avertissement. Corrigez les erreurs puis relancez."
    )


def test_a_bad_file_builds_nothing_and_keeps_the_previous_output(project, built_site):
    import shutil

    shutil.copytree(built_site, project.output)  # the site built from the same sources, once per session
    before = {p.relative_to(project.output): p.read_bytes() for p in project.output.rglob("*") if p.is_file()}
    project.write("offers/a.yaml", offer(publiee_le="publiee_le: 2026-02-30"))
    second = project.run("build", "--date", "2026-11-22")
    assert second.returncode == 1
    assert "offers/a.yaml:10:13 — publiee_le : « 2026-02-30 » n'est pas une date qui existe" in second.stderr
    assert "rien n'a été construit, le site précédent est intact" in second.stderr
    after = {p.relative_to(project.output): p.read_bytes() for p in project.output.rglob("*") if p.is_file()}
    assert after == before


def warnings_of(check_file, relative: str, content: str) -> list[str]:
    """The warnings of one file holding ``content``, checked alone."""
    return [str(p) for p in check_file(relative, content).warnings]


LONG = "  " + " ".join(["Une épicerie bien tenue au cœur du bourg."] * 6) + "\n"
PHOTO = "photos:\n  - fichier: boulangerie-ambert.jpg\n    alt: Devanture de la boutique"


def test_a_complete_recent_offer_has_no_warning(check_file):
    assert warnings_of(check_file, "offers/a.yaml", offer(prix=PHOTO, publiee_le="publiee_le: 2026-11-01") + LONG) == []


def test_stale_offer_warning(check_file):
    found = warnings_of(check_file, "offers/a.yaml", offer(prix=PHOTO, publiee_le="publiee_le: 2026-04-01") + LONG)
    assert found == [
        "offers/a.yaml:10:1 — avertissement : l'offre n'a pas été mise à jour depuis le 2026-04-01 (plus de 180 jours) : vérifiez qu'elle est toujours d'actualité, puis indiquez « mise_a_jour: 2026-11-22 »."
    ]
    # A recent update clears it; a concluded offer is never stale.
    assert (
        warnings_of(
            check_file,
            "offers/a.yaml",
            offer(prix=PHOTO + "\nmise_a_jour: 2026-10-01", publiee_le="publiee_le: 2026-04-01") + LONG,
        )
        == []
    )
    assert (
        warnings_of(
            check_file,
            "offers/a.yaml",
            offer(
                prix=PHOTO + "\nconclue_le: 2026-05-01", statut="statut: conclue", publiee_le="publiee_le: 2026-04-01"
            )
            + LONG,
        )
        == []
    )


def test_expiring_offer_warning(check_file):
    found = warnings_of(
        check_file,
        "offers/a.yaml",
        offer(prix=PHOTO + "\nexpire_le: 2026-12-10", publiee_le="publiee_le: 2026-11-01") + LONG,
    )
    assert found == [
        "offers/a.yaml:14:1 — avertissement : l'offre expire le 2026-12-10, dans moins de 30 jours : prolongez « expire_le » si elle reste d'actualité."
    ]
    assert (
        warnings_of(
            check_file,
            "offers/a.yaml",
            offer(prix=PHOTO + "\nexpire_le: 2027-01-10", publiee_le="publiee_le: 2026-11-01") + LONG,
        )
        == []
    )


def test_missing_schema_line_warning(check_file):
    text = offer(prix=PHOTO, publiee_le="publiee_le: 2026-11-01") + LONG
    found = warnings_of(check_file, "offers/a.yaml", text.split("\n", 1)[1])
    assert found == [
        "offers/a.yaml:1:1 — avertissement : la première ligne devrait être « # yaml-language-server: $schema=../schemas/offre.schema.json » : elle permet à l'éditeur de compléter et vérifier les champs pendant la saisie."
    ]


def test_warnings_as_github_annotations(project):
    project.write("offers/a.yaml", offer(publiee_le="publiee_le: 2026-11-01"))
    result = project.run("validate", "--format", "github", "-f", str(project.path("offers/a.yaml")))
    assert result.returncode == 0, result.stdout
    assert result.stdout.splitlines() == [
        "::warning file=offers/a.yaml,line=12,col=1::l'offre n'a pas de photo : une photo (avec son texte de remplacement) attire davantage de candidats.",
        "::warning file=offers/a.yaml,line=12,col=1::la description est très courte (19 mots) : décrivez l'activité, le lieu, la clientèle et les conditions (au moins 40 mots).",
    ]


def test_a_report_cut_short_by_its_reader_ends_without_traceback(project):
    """`invoke validate --format json | head`: the reader leaves early; no traceback, the exit
    code still says there are errors."""
    import os
    import subprocess

    from conftest import ROOT

    for n in range(200):  # a report larger than the pipe's buffer (64 KiB): the writer must wait for the reader
        project.write(
            f"offers/a{n}.yaml",
            offer(reference=f"reference: LF-2026-{n:03d}", secteur="secteur: artisant", prix="pirx: 1"),
        )
    env = {**os.environ, "TERRITOIRE_PROJECT": str(project.root)}
    process = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "invoke"), "validate", "--format", "json"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout.read(20).startswith(b"[")
    process.stdout.close()
    stderr = process.stderr.read().decode("utf-8")
    assert process.wait(timeout=60) == 1
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr, stderr
