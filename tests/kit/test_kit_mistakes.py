"""The typical mistakes of a partner's files, in a territory made by the kit's template (the
Pilat, Loire): `invoke validate` answers in French with the file, the line, the field, what was
found and what is expected, with the territory's own reference prefix and one of its own
communes as examples; `invoke build` refuses to build and leaves the previous site intact.
Beyond the commands' own answers, each mistake is checked on its file alone (``pilat_check``:
validate.check_text against the territory read once)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.xdist_group("kit-territoires")

OFFER = "offers/boulangerie-bourg-argental.yaml"


def edited(territory, name: str, *changes: tuple[str, str]) -> str:
    """The text of one of the territory's files with some of its text replaced."""
    text = (territory.root / name).read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text, (name, old)
        text = text.replace(old, new, 1)
    return text


def edit(territory, name: str, old: str, new: str) -> None:
    (territory.root / name).write_text(edited(territory, name, (old, new)), encoding="utf-8")


def alone(pilat_check, name: str, text: str) -> str:
    """What checking the file alone says, one line per problem."""
    return "\n".join(str(p) for p in pilat_check(name, text).problems)


def validate(territory, *files: str):
    result = territory.invoke("validate", *(["--", *files] if files else []), check=False)
    assert "Traceback" not in result.stdout + result.stderr
    return result


def test_the_territory_s_sample_files_are_valid(pilat_sources):
    result = validate(pilat_sources)
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_offer_s_mistakes_are_named_with_the_territory_s_prefix_and_communes(pilat_sources, tmp_path):
    territory = pilat_sources.scratch(tmp_path / "pilat")
    edit(territory, OFFER, "reference: PL-2026-001", "reference: PL2026")
    edit(territory, OFFER, "secteur: artisanat", "secteur: artisant")
    edit(territory, OFFER, 'commune: "42023"', 'commune: "4223"')
    result = validate(territory, OFFER)
    assert result.returncode == 1
    said = result.stdout
    assert (
        f"{OFFER}:2:12 — reference : « PL2026 » n'est pas valable ; attendu : un code comme PL-2026-014"
        " (lettres, année, numéro)." in said
    )
    assert (
        f"{OFFER}:5:10 — secteur : « artisant » n'est pas permis ; vouliez-vous dire « artisanat » ?"
        " Valeurs permises : agriculture, artisanat, commerce, industrie, services, tourisme, sante-social." in said
    )
    assert (
        f"{OFFER}:7:10 — commune : « 4223 » n'est pas un code de commune connu ; attendu : le code INSEE à 5"
        ' caractères d\'une commune du territoire, entre guillemets, par exemple "42168".' in said
    )
    assert "63003" not in said and "LF-" not in said
    assert "✘ 1 fichier vérifié : 3 erreurs dans 1 fichier" in said


def test_a_commune_outside_the_territory_and_an_unknown_referent(pilat_sources, pilat_check):
    text = edited(
        pilat_sources,
        OFFER,
        ('commune: "42023"', 'commune: "42218"'),
        ("referent: cc-monts-du-pilat", "referent: cc-monts-pilat"),
    )
    found = alone(pilat_check, OFFER, text)
    assert (
        f"{OFFER}:7:10 — commune : Saint-Étienne (42218) est hors du territoire : sa communauté,"
        " Saint-Étienne Métropole, n'en fait pas partie." in found
    )
    assert (
        f"{OFFER}:8:11 — referent : « cc-monts-pilat » n'est pas un partenaire connu ; vouliez-vous dire"
        " « cc-monts-du-pilat » ?" in found
    )


def test_a_missing_field_and_broken_yaml(pilat_sources, pilat_check):
    farm = "offers/ferme-caprine-pelussin.yaml"
    found = alone(
        pilat_check, farm, edited(pilat_sources, farm, ("titre: Ferme caprine avec fromagerie près de Pélussin\n", ""))
    )
    found += "\n" + alone(pilat_check, "offers/gite.yaml", 'reference: PL-2026-009\ntitre: "Gîte du col\n')
    assert (
        "offers/ferme-caprine-pelussin.yaml:2:1 — le champ obligatoire « titre » manque ; attendu : un texte de 3"
        " à 120 caractères. Ajoutez la ligne « titre: … » après celle de « reference » (ligne 2)." in found
    )
    assert "offers/gite.yaml:3:1 — erreur de syntaxe YAML : des guillemets ouverts ne sont pas refermés." in found


def test_a_partner_s_and_an_event_s_mistakes(pilat_sources, pilat_check):
    partner = "content/partenaires/cc-monts-du-pilat.md"
    event = "content/evenements/reunion-installation-pelussin-2027.md"
    found = alone(pilat_check, partner, edited(pilat_sources, partner, ("type: intercommunalite", "type: communaute")))
    found += "\n" + alone(
        pilat_check,
        event,
        edited(
            pilat_sources,
            event,
            ("debut: 2027-03-12 14:00", "debut: 2027-13-12 14:00"),
            ('commune: "42168"', "commune: Pelussin"),
        ),
    )
    assert f"{partner}:4:7 — type : « communaute » n'est pas permis ; vouliez-vous dire « intercommunalite » ?" in found
    assert (
        f"{event}:4:8 — debut : « 2027-13-12 14:00 » n'est pas valable ; attendu : une date et une heure au format"
        " AAAA-MM-JJ HH:MM" in found
    )
    assert f'{event}:7:10 — commune : « Pelussin » est un nom de commune ; écrivez son code INSEE : "42168"' in found


def test_invalid_content_is_not_built_and_the_previous_site_stays(creuse_vide, tmp_path):
    territory = creuse_vide.scratch(tmp_path / "creuse", with_site=True)
    before = {p: p.read_bytes() for p in territory.output.rglob("*.html")}
    territory.write({"offers/gite.yaml": "reference: CR-2026-001\ntitre: Gîte\nsecteur: tourism\n"})
    refused = territory.invoke("build", check=False)
    said = refused.stdout + refused.stderr
    assert refused.returncode == 1 and "Traceback" not in said
    assert "offers/gite.yaml:3:10 — secteur : « tourism » n'est pas permis ; vouliez-vous dire « tourisme » ?" in said
    assert (
        "✘ Échec : le contenu contient des erreurs : rien n'a été construit, le site précédent est intact."
        in refused.stderr
    )
    assert {p: p.read_bytes() for p in territory.output.rglob("*.html")} == before
