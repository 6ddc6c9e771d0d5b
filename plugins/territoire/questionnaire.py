"""What the template of a new territory (copier.yml, template/) asks and checks, as Jinja
filters that copier loads (``_jinja_extensions``): the intercommunalities, given by name or by
SIREN code, checked against the communes reference the kit ships; a default reference prefix and
a default domain drawn from the territory's name; and the few French turns of phrase the
starter pages need (« en Creuse », « de la Creuse » are the territory's to write, but the
elision of « de » before a vowel is not)."""

from __future__ import annotations

import csv
import difflib
import functools
import json
import re
import unicodedata

from jinja2.ext import Extension

from .communes_data import kit_communes

SEPARATORS = re.compile(r"[;\n]+")


def fold(text: str) -> str:
    """Lower case, no accents, only letters and digits, one space between words: « Creuse
    Sud-Ouest » → « creuse sud ouest » (communes.fold keeps « st » for « saint », for commune names)."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


# An EPCI's name without its legal form: « CC Creuse Sud Ouest » is also « Creuse Sud Ouest ».
_FORMS = re.compile(
    r"^(cc|ca|cu|communaute de communes|communaute d agglomeration|communaute urbaine|metropole)( de la| de l| des| du| de| d)?\s+"
)


@functools.cache
def epcis() -> dict[str, tuple[str, tuple[str, ...], int]]:
    """SIREN → (name, departments, number of communes), from the kit's communes reference."""
    found: dict[str, tuple[str, set[str], int]] = {}
    with kit_communes().open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            siren = row["epci_siren"]
            if not siren:
                continue
            name, departments, count = found.get(siren, (row["epci_nom"], set(), 0))
            departments.add(row["departement"])
            found[siren] = (name, departments, count + 1)
    return {siren: (name, tuple(sorted(deps)), count) for siren, (name, deps, count) in found.items()}


def _names() -> dict[str, list[str]]:
    """Folded name (with and without its legal form) → SIREN codes."""
    index: dict[str, list[str]] = {}
    for siren, (name, _, _) in epcis().items():
        folded = fold(name)
        for key in {folded, _FORMS.sub("", folded)}:
            index.setdefault(key, []).append(siren)
    return index


def _resolve_one(token: str) -> tuple[str | None, str]:
    """(SIREN, "") for a code or a name that names one EPCI; else (None, the French reason)."""
    token = token.strip()
    if re.fullmatch(r"\d{9}", token):
        if token in epcis():
            return token, ""
        return None, f"« {token} » n'est le code SIREN d'aucune intercommunalité du référentiel des communes"
    if re.fullmatch(r"[\d\s]+", token):
        return None, f"« {token} » n'est pas un code SIREN (9 chiffres)"
    folded = fold(token)
    index = _names()
    exact = index.get(folded) or index.get(_FORMS.sub("", folded))
    if exact and len(exact) == 1:
        return exact[0], ""
    within = sorted({s for key, codes in index.items() if folded and folded in key for s in codes})
    if len(within) == 1:
        return within[0], ""
    if len(within) > 1:
        shown = " ; ".join(f"{epcis()[s][0]} ({s})" for s in within[:6])
        return (
            None,
            f"« {token} » désigne plusieurs intercommunalités : {shown}{' …' if len(within) > 6 else ''} ; précisez le nom ou donnez le code SIREN",
        )
    near = difflib.get_close_matches(folded, index.keys(), n=3, cutoff=0.75)
    hint = " ; vouliez-vous dire " + " ou ".join(f"« {epcis()[index[k][0]][0]} »" for k in near) + " ?" if near else ""
    return None, f"« {token} » ne correspond à aucune intercommunalité du référentiel{hint}"


def tokens(answer: str) -> list[str]:
    return [t.strip() for t in SEPARATORS.split(answer or "") if t.strip()]


def epci_error(answer: str) -> str:
    """The French message copier shows under the question, or "" when every name resolves."""
    given = tokens(answer)
    if not given:
        return "Donnez au moins une intercommunalité (nom ou code SIREN ; plusieurs, séparées par « ; »)."
    reasons = [reason for _, reason in map(_resolve_one, given) if reason]
    return ("; ".join(reasons) + ".") if reasons else ""


def epci_codes(answer: str) -> list[str]:
    """The SIREN codes named by the answer, in the order given, without repeats."""
    codes = [code for code, _ in map(_resolve_one, tokens(answer)) if code]
    return list(dict.fromkeys(codes))


def epci_name(code: str) -> str:
    return epcis()[code][0]


def default_prefix(territory: str) -> str:
    """« Creuse » → « CR », « Livradois-Forez » → « LF », « Pays de Retz » → « PR »."""
    words = [
        w for w in fold(territory).split() if w not in {"de", "du", "des", "la", "le", "les", "l", "d", "en", "et"}
    ]
    if len(words) >= 2:
        return "".join(w[0] for w in words[:3]).upper()
    word = words[0] if words else "terr"
    return word[:2].upper()


def default_domain(network: str) -> str:
    """« Creuse Accueil Actifs » → « creuse-accueil-actifs.fr »."""
    return "-".join(fold(network).split()) + ".fr"


def de(name: str) -> str:
    """« de » or « d' » before a name: « d'Ambert », « de Thiers »."""
    return f"d'{name}" if fold(name)[:1] in set("aeiouy") else f"de {name}"


def python_string(value: str) -> str:
    """A Python string literal for settings files, accents kept as they are."""
    return json.dumps(value, ensure_ascii=False)


class Questionnaire(Extension):
    """The filters copier.yml and template/ use (loaded by copier with ``--trust``)."""

    def __init__(self, environment) -> None:
        super().__init__(environment)
        environment.filters.update(
            epci_erreur=epci_error,
            epci_codes=epci_codes,
            epci_nom=epci_name,
            prefixe_par_defaut=default_prefix,
            domaine_par_defaut=default_domain,
            de=de,
            py=python_string,
        )
