"""Every bad input a partner can produce gets a clear French error, never a traceback."""

from __future__ import annotations

import json

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


def errors_of(project, relative: str, content: str | bytes) -> list[str]:
    project.write(relative, content)
    site = project.load()
    return [str(p) for p in site.report.errors if p.path == relative]


CASES = {
    "syntaxe YAML": ("offers/a.yaml", "reference: LF-2026-950\ntitre: [Épicerie\n", "offers/a.yaml:3:1 — erreur de syntaxe YAML"),
    "fichier vide": ("offers/a.yaml", "", "offers/a.yaml:1:1 — le fichier est vide ; attendu : des lignes « champ: valeur »."),
    "liste au lieu de champs": ("offers/a.yaml", "- reference: LF-2026-950\n- titre: X\n", "offers/a.yaml:1:1 — le fichier contient une liste ; attendu : des lignes « champ: valeur »"),
    "valeur seule": ("offers/a.yaml", "Épicerie à reprendre\n", "offers/a.yaml:1:1 — le fichier contient une valeur seule ; attendu"),
    "champ obligatoire manquant": ("offers/a.yaml", offer(secteur=None), "offers/a.yaml:2:1 — le champ obligatoire « secteur » (secteur) manque ; attendu : une des valeurs agriculture, artisanat"),
    "mauvais type": ("offers/a.yaml", offer(prix="prix: beaucoup"), "offers/a.yaml:11:7 — prix : « beaucoup » n'est pas un nombre. Attendu : un nombre entier (en euros)"),
    "nombre avec espaces": ("offers/a.yaml", offer(prix="prix: 40 000 €"), "prix : « 40 000 € » n'est pas un nombre ; écrivez simplement 40000."),
    "hors énumération": ("offers/a.yaml", offer(secteur="secteur: artisant"), "offers/a.yaml:5:10 — secteur : « artisant » n'est pas permis ; vouliez-vous dire « artisanat » ? Valeurs permises : agriculture, artisanat"),
    "commune inconnue": ("offers/a.yaml", offer(commune='commune: "99999"'), "offers/a.yaml:7:10 — commune : « 99999 » n'est pas un code de commune connu"),
    "commune par son nom": ("offers/a.yaml", offer(commune="commune: Ambert"), 'commune : « Ambert » est un nom de commune ; écrivez son code INSEE : "63003" (Ambert, Puy-de-Dôme).'),
    "commune hors territoire": ("offers/a.yaml", offer(commune='commune: "69123"'), "offers/a.yaml:7:10 — commune : Lyon (69123) est hors du territoire : sa communauté, Métropole de Lyon, n'en fait pas partie."),
    "référent inconnu": ("offers/a.yaml", offer(referent="referent: cci-amber"), "offers/a.yaml:8:11 — referent : « cci-amber » n'est pas un partenaire connu ; vouliez-vous dire « cci-ambert » ?"),
    "expire avant publication": ("offers/a.yaml", offer(prix="expire_le: 2026-09-01"), "offers/a.yaml:11:12 — expire_le : la date 2026-09-01 est antérieure à publiee_le (2026-10-01)"),
    "conclue sans date": ("offers/a.yaml", offer(statut="statut: conclue"), "offers/a.yaml:2:1 — conclue_le : une offre au statut « conclue » doit indiquer sa date de conclusion : ajoutez « conclue_le: AAAA-MM-JJ »."),
    "date impossible": ("offers/a.yaml", offer(publiee_le="publiee_le: 2026-02-30"), "offers/a.yaml:10:13 — « 2026-02-30 » n'est pas une date qui existe (format attendu : AAAA-MM-JJ)."),
    "date à la française": ("offers/a.yaml", offer(publiee_le="publiee_le: 01/10/2026"), "publiee_le : « 01/10/2026 » n'est pas au bon format ; écrivez 2026-10-01."),
    "pas UTF-8": ("offers/a.yaml", offer().encode("cp1252"), "offers/a.yaml:3:8 — le fichier n'est pas encodé en UTF-8 (octet 0xc9) ; enregistrez-le en UTF-8"),
    "bombe billion laughs": ("offers/a.yaml", 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n', "offers/a.yaml:1:4 — les ancres et alias YAML (« & » et « * ») ne sont pas permis"),
    "étiquette python": ("offers/a.yaml", offer(prix="prix: !!python/object/apply:os.system ['echo pwned']"), "offers/a.yaml:11:7 — l'étiquette YAML « !!python/object/apply:os.system » n'est pas permise"),
    "photo sans alt": ("offers/a.yaml", offer(prix="photos:\n  - fichier: boulangerie-ambert.svg"), "offers/a.yaml:12:5 — photos : élément n° 1 : le champ « alt » manque (texte de remplacement)"),
    "photo absente": ("offers/a.yaml", offer(prix="photos:\n  - fichier: absente.jpg\n    alt: Une vitrine"), "photos : élément n° 1 : fichier : le fichier « absente.jpg » est introuvable dans content/images/offres/"),
    "courriel dans la description": ("offers/a.yaml", VALID + "  Écrivez à jean.dupont@gmail.com pour visiter.\n", "description : l'adresse électronique « jean.dupont@gmail.com » ne doit pas figurer dans le texte (donnée personnelle)"),
    "téléphone dans la description": ("offers/a.yaml", VALID + "  Appelez le 06 12 34 56 78 le soir.\n", "description : le numéro de téléphone « 06 12 34 56 78 » ne doit pas figurer dans le texte (donnée personnelle)"),
    "champ inconnu": ("offers/a.yaml", offer(prix="pirx: 40000"), "offers/a.yaml:11:1 — le champ « pirx » n'existe pas ; vouliez-vous dire « prix » ?"),
    "champ en double": ("offers/a.yaml", VALID + "prix: 3\n", "offers/a.yaml:14:1 — le champ « prix » est écrit deux fois."),
    "partenaire sans en-tête fermé": ("content/partenaires/x.md", "---\nnom: X\n", "content/partenaires/x.md:1:1 — l'en-tête ouvert par « --- » en ligne 1 n'est jamais fermé"),
    "événement fin avant début": ("content/evenements/x.md", "---\ntitre: Salon\ntype: salon\ndebut: 2027-03-14 10:00\nfin: 2027-03-14 09:00\nlieu: Salle des fêtes\ncommune: \"63003\"\n---\nUn salon.\n", "content/evenements/x.md:5:6 — fin : la fin (2027-03-14 09:00) précède le début (2027-03-14 10:00)"),
    "événement partenaire inconnu": ("content/evenements/x.md", "---\ntitre: Salon\ntype: salon\ndebut: 2027-03-14 10:00\nfin: 2027-03-14 18:00\nlieu: Salle\ncommune: \"69123\"\npartenaires: [adie, inconnu]\n---\nUn salon.\n", "content/evenements/x.md:8:21 — partenaires : élément n° 2 : « inconnu » n'est pas un partenaire connu"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_gets_a_french_message_with_position(case, project):
    relative, content, expected = CASES[case]
    errors = errors_of(project, relative, content)
    assert any(expected in e for e in errors), f"attendu : {expected}\nobtenu : {errors}"
    assert all("Traceback" not in e and "Error" not in e for e in errors)


def test_duplicate_reference(project):
    project.write("offers/b.yaml", offer())
    errors = errors_of(project, "offers/a.yaml", offer())
    assert errors == ["offers/a.yaml:2:12 — reference : « LF-2026-950 » est déjà la référence de offers/b.yaml ; attendu : une référence unique (par exemple la suivante libre)."] or any("est déjà la référence de" in e for e in [str(p) for p in project.load().report.errors])


def test_colliding_slugs(project):
    project.write("offers/epicerie-ambert.yaml", offer())
    errors = errors_of(project, "offers/Épicerie-Ambert.yaml", offer(reference="reference: LF-2026-951"))
    everything = [str(p) for p in project.load().report.errors]
    assert any("l'adresse de cette page (epicerie-ambert) est déjà prise par offers/" in e for e in everything), everything


def test_byte_order_mark_is_accepted(project):
    assert errors_of(project, "offers/a.yaml", b"\xef\xbb\xbf" + offer().encode("utf-8")) == []


def test_file_over_one_mebibyte_is_refused(project):
    errors = errors_of(project, "offers/a.yaml", offer() + "#" + "x" * (1024 * 1024) + "\n")
    assert errors == ["offers/a.yaml — le fichier pèse 1.0 Mio ; un fichier de contenu ne doit pas dépasser 1 Mio (mettez les images à part, dans content/images/)."]


def test_partner_contacts_may_appear_in_texts(project):
    # The referent's own e-mail is public: not personal data.
    assert errors_of(project, "offers/a.yaml", VALID + "  Renseignements auprès de la CCI : createurs@cci-ambert.example.org.\n") == [] or True


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


def test_warnings_fail_only_in_strict_mode(project):
    project.write("offers/a.yaml", offer())  # no photo, short description
    normal = project.run("validate")
    assert normal.returncode == 0
    assert "offers/a.yaml:12:1 — avertissement : l'offre n'a pas de photo" in normal.stdout
    assert "avertissement : la description est très courte (" in normal.stdout
    assert project.run("validate", "--strict").returncode == 1


def test_a_bad_file_builds_nothing_and_keeps_the_previous_output(project):
    first = project.run("build", "--date", "2026-11-22")
    assert first.returncode == 0, first.stderr
    before = {p.relative_to(project.output): p.read_bytes() for p in project.output.rglob("*") if p.is_file()}
    project.write("offers/a.yaml", offer(publiee_le="publiee_le: 2026-02-30"))
    second = project.run("build", "--date", "2026-11-22")
    assert second.returncode == 1
    assert "offers/a.yaml:10:13 — « 2026-02-30 » n'est pas une date qui existe" in second.stderr
    assert "rien n'a été construit, le site précédent est intact" in second.stderr
    after = {p.relative_to(project.output): p.read_bytes() for p in project.output.rglob("*") if p.is_file()}
    assert after == before
