"""Field types of the content models: each checks its own value and describes itself.

A field's ``check`` returns the cleaned value or raises ``Invalid`` with a French message
saying what was found and what is expected. ``json_schema`` gives its JSON Schema and
``expected`` a short French description used in messages and in the contributors' guide.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from urllib.parse import urlsplit

from .communes import Communes, fold
from .markup import markdown_hazard


class Invalid(Exception):
    def __init__(self, message: str, path: tuple = (), needle: str | None = None):
        super().__init__(message)
        self.message = message
        self.path = path  # sub-path inside the field (e.g. (0, "alt") for photos)
        self.needle = needle  # the offending text, to point at its own line in a long text


@dataclass
class CheckContext:
    """What fields need to know beyond their own value."""

    communes: Communes
    partner_ids: set[str] = field(default_factory=set)
    partner_names: dict[str, tuple[str, ...]] = field(default_factory=dict)  # id → name, acronym
    reseaux_locaux: dict[str, str] = field(default_factory=dict)
    photo_exists: Callable[[str], bool] = lambda name: True
    logo_exists: Callable[[str], bool] = lambda name: True  # in content/images/partenaires/
    # What is wrong with a photo file (format, weight, size: images.check_photo), or None.
    photo_problem: Callable[[str], str | None] = lambda name: None
    known_contacts: set[str] = field(default_factory=set)  # partners' e-mails and phones
    raw: str | None = None  # source text of a plain scalar, when the field needs it


def shown(value: Any) -> str:
    """A value as a partner wrote it, for messages."""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, (str, int, float)):
        text = (
            value
            if isinstance(value, str)
            else str(value)
            if not isinstance(value, int) or value.bit_length() < 200
            else f"{value:x}"
        )
        text = text if len(text) <= 60 else text[:57] + "…"
        # A message is one line of plain text: invisible characters are shown, not sent.
        while (bad := invisible_character(text, "\t")) is not None:
            text = text.replace(bad, "⏎" if bad in LINE_BREAKS else f"<U+{ord(bad):04X}>")
        return f"« {text} »"
    if isinstance(value, dict):
        return "une liste de champs"
    if isinstance(value, list):
        return "une liste"
    if value is None:
        return "une valeur vide"
    return f"« {value} »"


def closest(word: str, choices: list[str]) -> str | None:
    folded = {fold(c): c for c in choices}
    match = difflib.get_close_matches(fold(str(word)), list(folded), n=1, cutoff=0.6)
    return folded[match[0]] if match else None


class Field:
    json_type = "string"

    def __init__(self, titre: str, description: str = "", required: bool = False, exemple: Any = None):
        self.titre = titre
        self.description = description
        self.required = required
        self.exemple = exemple

    def expected(self) -> str:
        return "un texte"

    def check(self, value: Any, ctx: CheckContext) -> Any:
        return value

    def json_schema(self) -> dict:
        schema = {"type": self.json_type, "title": self.titre}
        if self.description:
            schema["description"] = self.description
        if self.exemple is not None:
            schema["examples"] = [self.exemple]
        return schema

    def wrong_type(self, value: Any) -> Invalid:
        if isinstance(value, (dict, list)):
            return Invalid(f"{shown(value)} n'est pas permise ici ; attendu : {self.expected()}.")
        return Invalid(f"{shown(value)} n'est pas valable ; attendu : {self.expected()}.")


# Line breaks a single-line text may not hold (it lands in titles, attributes, calendar and
# feed lines): the ASCII ones are control characters, these are Unicode's own.
LINE_BREAKS = "\n\r\v\f\x85\u2028\u2029"


def invisible_character(text: str, allowed: str = "") -> str | None:
    """The first character that has no place in content text, or None.

    Control characters (other than ``allowed``), Unicode line breaks, lone surrogates and the
    non-characters U+FFFE and U+FFFF make XML (feeds, sitemaps) and calendars malformed and can
    hide text; none is ever typed on purpose."""
    pattern = _INVISIBLE.get(allowed)
    if pattern is None:
        ranges = "\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff"
        keep = "".join(re.escape(c) for c in allowed)
        pattern = _INVISIBLE[allowed] = re.compile(f"(?![{keep}])[{ranges}]" if keep else f"[{ranges}]")
    found = pattern.search(text)
    return found.group() if found else None


_INVISIBLE: dict[str, re.Pattern] = {}


def describe_character(char: str) -> str:
    """« un retour à la ligne », « le caractère invisible U+0007 »… for messages."""
    if char in LINE_BREAKS:
        return "un retour à la ligne"
    if char == "\t":
        return "une tabulation"
    return f"le caractère invisible U+{ord(char):04X}"


class Text(Field):
    # Characters of this kind of text allowed beyond printable ones (a Markdown body has lines).
    allowed_controls = ""

    def __init__(self, *args: Any, max_length: int = 200, min_length: int = 1, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.max_length = max_length
        self.min_length = min_length

    def expected(self) -> str:
        if self.min_length > 1:
            return f"un texte de {self.min_length} à {self.max_length} caractères"
        return f"un texte d'au plus {self.max_length} caractères"

    def check(self, value: Any, ctx: CheckContext) -> str:
        if isinstance(value, dict) and len(value) == 1 and isinstance(next(iter(value.values())), (str, int, float)):
            # « - Atout : bien » in a list reads as a field « Atout » holding « bien ».
            key, rest = next(iter(value.items()))
            raise Invalid(
                f"le texte « {key} : {rest} » contient « : » (deux-points suivi d'une espace), qui sépare "
                f'd\'habitude un champ de sa valeur : mettez le texte entre guillemets, ainsi : - "{key} : {rest}"'
            )
        if isinstance(value, bool) or isinstance(value, (dict, list)) or value is None:
            raise self.wrong_type(value)
        text = str(value).strip()
        if not text:
            raise Invalid("le texte est vide ; écrivez une valeur ou supprimez la ligne.")
        if len(text) > self.max_length:
            raise Invalid(f"le texte fait {len(text)} caractères ; attendu : au plus {self.max_length}.")
        if len(text) < self.min_length:
            raise Invalid(
                f"{shown(text)} est trop court ({len(text)} caractère{'s' if len(text) > 1 else ''}) ; "
                f"attendu : au moins {self.min_length} caractères qui disent de quoi il s'agit."
            )
        bad = invisible_character(text, self.allowed_controls)
        if bad is not None:
            before = text[: text.index(bad)].split()
            where = f"après « {' '.join(before[-3:])} »" if before else "au début"
            if bad == "\t":
                fix = "remplacez la tabulation par une espace"
            elif bad in LINE_BREAKS and not self.allowed_controls:
                fix = "un texte sur une seule ligne : écrivez-le à la suite, sans passer à la ligne"
            else:
                fix = "du texte sans caractère de contrôle : supprimez-le (ou retapez ce passage)"
            raise Invalid(f"le texte contient {describe_character(bad)} {where} ; attendu : {fix}.")
        return text

    def json_schema(self) -> dict:
        return {**super().json_schema(), "minLength": self.min_length, "maxLength": self.max_length}


EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE_RE = re.compile(r"(?<!\d)(?:\+33\s?|0)[1-9](?:[\s.-]?\d{2}){4}(?!\d)")


def normal_phone(text: str) -> str:
    digits = re.sub(r"\D", "", text)
    return "0" + digits[2:] if digits.startswith("33") else digits


# The sentences `invoke new-offer`, `new-event` and `new-partner` write for the partner to
# replace (scaffold.py): a file still holding one is not ready to publish.
PLACEHOLDERS = {
    "offre": "Décrivez ici l'activité, le lieu, la clientèle, ce qui est cédé ou proposé et les conditions.",
    "evenement": "Décrivez ici l'événement : à qui il s'adresse, ce qu'on y trouve, comment venir.",
    "partenaire": "Présentez ici la structure : qui elle accueille, ce qu'elle propose, comment la joindre.",
}


class Markdown(Text):
    """A Markdown text. Personal contact details are refused: contact goes through a partner.
    The example sentence left by the scaffolding commands is refused too."""

    allowed_controls = "\n\r\t"

    def __init__(self, *args: Any, personal_data: bool = True, **kwargs: Any):
        kwargs.setdefault("max_length", 20000)
        super().__init__(*args, **kwargs)
        self.personal_data = personal_data

    def expected(self) -> str:
        return "un texte en Markdown"

    def check(self, value: Any, ctx: CheckContext) -> str:
        text = super().check(value, ctx)
        hazard = markdown_hazard(text)
        if hazard:
            line, message = hazard
            raise Invalid(message, needle=text.split("\n")[line - 1].strip()[:40])
        for placeholder in PLACEHOLDERS.values():
            if placeholder in text:
                raise Invalid(
                    f"le texte d'exemple « {placeholder[:40]}… » est encore là ; remplacez-le par "
                    "votre propre texte avant de publier.",
                    needle=placeholder[:40],
                )
        if self.personal_data:
            for email in EMAIL_RE.findall(text) if "@" in text else ():
                if email.lower() not in ctx.known_contacts:
                    raise Invalid(
                        f"l'adresse électronique « {email} » ne doit pas figurer dans le texte "
                        "(donnée personnelle) ; le contact passe par le partenaire référent : "
                        "supprimez-la.",
                        needle=email,
                    )
            for phone in PHONE_RE.findall(text):
                if normal_phone(phone) not in ctx.known_contacts:
                    raise Invalid(
                        f"le numéro de téléphone « {phone.strip()} » ne doit pas figurer dans le "
                        "texte (donnée personnelle) ; le contact passe par le partenaire "
                        "référent : supprimez-le.",
                        needle=phone.strip(),
                    )
        return text


class Choice(Field):
    def __init__(self, *args: Any, choices: dict[str, str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.choices = choices  # value → French label

    def expected(self) -> str:
        return "une des valeurs " + ", ".join(self.choices)

    def check(self, value: Any, ctx: CheckContext) -> str:
        if isinstance(value, str) and value in self.choices:
            return value
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            raise self.wrong_type(value)
        suggestion = closest(str(value), list(self.choices) + list(self.choices.values()))
        message = f"{shown(value)} n'est pas permis"
        if suggestion:
            code = suggestion if suggestion in self.choices else _code_of(self.choices, suggestion)
            message += f" ; vouliez-vous dire « {code} » ?"
        else:
            message += "."
        raise Invalid(f"{message} Valeurs permises : {', '.join(self.choices)}.")

    def json_schema(self) -> dict:
        schema = super().json_schema()
        schema["enum"] = list(self.choices)
        schema["x-labels"] = dict(self.choices)
        return schema


def _code_of(choices: dict[str, str], label: str) -> str:
    return next(code for code, lab in choices.items() if lab == label)


class Integer(Field):
    """A whole number (euros, m², people). A decimal or a thousands separator is never rounded
    silently: « 150.000 » (a French thousands dot read as 150) is an error with what to write."""

    json_type = "integer"

    def __init__(self, *args: Any, unite: str = "", minimum: int = 0, maximum: int = 999_999_999, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.unite = unite
        self.minimum = minimum
        self.maximum = maximum  # by default, beyond it a number is a typing accident (too long to show)

    def expected(self) -> str:
        unit = f" (en {self.unite})" if self.unite else ""
        return f"un nombre entier{unit}, sans espace ni symbole, par exemple {self.exemple or 12000}"

    def check(self, value: Any, ctx: CheckContext) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            # The text as written (« 150.000 »), not the float YAML made of it (150.0).
            written = ctx.raw if isinstance(value, float) and ctx.raw else value
            raise Invalid(
                f"{shown(str(written) if isinstance(value, float) else written)} {self._not_whole(written)} Attendu : {self.expected()}."
            )
        if value < 0:
            raise Invalid(
                f"« {value} » est négatif ; écrivez {-value} (un montant ou une quantité est positif). Attendu : {self.expected()}."
            )
        if value < self.minimum:
            raise Invalid(
                f"« {value} » n'est pas possible ; attendu : un nombre au moins égal à {self.minimum} (ou supprimez la ligne si vous ne le connaissez pas)."
            )
        if value > self.maximum:
            raise Invalid(f"{shown(value)} est trop grand ; attendu : un nombre au plus égal à {self.maximum}.")
        return value

    def _not_whole(self, written: Any) -> str:
        """Why the value is not a whole number, and the number to write instead."""
        text = re.sub(r"[\s\u202f\u00a0€]|m²|m2", "", str(written)) if isinstance(written, (str, float, int)) else ""
        if re.fullmatch(r"-?\d{1,3}([.,]\d{3})+", text):  # 150.000, 1,500,000: thousands separators
            number = int(re.sub(r"[.,]", "", text))
            return f"contient un séparateur de milliers ; écrivez {number} (chiffres seuls, sans point, virgule ni espace)."
        if re.fullmatch(r"-?\d+([.,]\d+)?", text):
            whole = int(Decimal(text.replace(",", ".")).to_integral_value(ROUND_HALF_UP))
            if re.fullmatch(r"-?\d+", text):
                return f"n'est pas écrit comme un nombre ; écrivez {whole} (chiffres seuls, sans espace ni symbole)."
            return f"n'est pas un nombre entier ; écrivez {whole} (nombre entier, sans virgule ni centimes)."
        return "n'est pas un nombre."

    def json_schema(self) -> dict:
        return {**super().json_schema(), "minimum": self.minimum, "maximum": self.maximum}


class Boolean(Field):
    json_type = "boolean"

    def expected(self) -> str:
        return "oui ou non (true ou false)"

    def check(self, value: Any, ctx: CheckContext) -> bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and fold(value) in ("oui", "non"):
            return fold(value) == "oui"
        raise Invalid(f"{shown(value)} n'est pas valable ; attendu : true (oui) ou false (non).")


# Dates outside these years are typing accidents (0001, 9999) that calendars, feeds and date
# arithmetic cannot hold.
YEARS = (1900, 2100)


def plausible_year(day: dt.date) -> dt.date:
    if not YEARS[0] <= day.year <= YEARS[1]:
        raise Invalid(f"l'année {day.year} n'est pas plausible ; attendu : une année entre {YEARS[0]} et {YEARS[1]}.")
    return day


_FRENCH_DATE = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?:\s*(?:à\s*)?(\d{1,2})\s*[:h]\s*(\d{2})?)?")


def _french_date_hint(value: str, with_time: bool) -> str | None:
    """« 12/03/2027 » → « écrivez 2027-03-12 » (the date as the file wants it), else None."""
    match = _FRENCH_DATE.fullmatch(value.strip())
    if not match:
        return None
    day, month, year = (int(g) for g in match.groups()[:3])
    written = f"{year:04d}-{month:02d}-{day:02d}"
    if with_time:
        hours, minutes = int(match.group(4) or 10), int(match.group(5) or 0)
        written += f" {hours:02d}:{minutes:02d}"
    return f"{shown(value)} n'est pas au bon format ; écrivez {written}."


def _iso_date(value: str) -> dt.date | None:
    """A date written AAAA-MM-JJ as text (typed on the command line, or quoted in a file)."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise Invalid(
            f"{shown(value)} n'est pas une date qui existe ; attendu : une date du calendrier au format AAAA-MM-JJ, par exemple 2026-10-01."
        ) from None


class Date(Field):
    def expected(self) -> str:
        return "une date au format AAAA-MM-JJ, par exemple 2026-10-01"

    def check(self, value: Any, ctx: CheckContext) -> dt.date:
        if isinstance(value, dt.datetime):
            return plausible_year(value.date())
        if isinstance(value, dt.date):
            return plausible_year(value)
        if isinstance(value, str):
            if (hint := _french_date_hint(value, with_time=False)) is not None:
                raise Invalid(hint)
            if (date := _iso_date(value)) is not None:
                return plausible_year(date)
        raise self.wrong_type(value)

    def json_schema(self) -> dict:
        return {**super().json_schema(), "format": "date"}


class DateTime(Field):
    def expected(self) -> str:
        return "une date et une heure au format AAAA-MM-JJ HH:MM, par exemple 2027-03-14 10:00"

    def check(self, value: Any, ctx: CheckContext) -> dt.datetime:
        moment = self._parse(value)
        plausible_year(moment)
        return moment

    def _parse(self, value: Any) -> dt.datetime:
        if isinstance(value, dt.datetime):
            return value.replace(tzinfo=None)
        if isinstance(value, dt.date):
            return dt.datetime.combine(value, dt.time())
        if isinstance(value, str):
            if (hint := _french_date_hint(value, with_time=True)) is not None:
                raise Invalid(hint)
            try:
                return dt.datetime.strptime(value.strip(), "%Y-%m-%d %H:%M")
            except ValueError:
                pass
            try:
                return dt.datetime.fromisoformat(value.strip()).replace(tzinfo=None)
            except ValueError:
                pass
        raise self.wrong_type(value)

    def json_schema(self) -> dict:
        schema = super().json_schema()
        schema["pattern"] = r"^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2})?)?$"
        return schema


# Characters that never appear in a web address as written in a browser's bar, and that would
# close an HTML attribute or a Markdown link around it.
URL_FORBIDDEN = "\"'<>\\`"
# The same rule for the JSON Schema and the CMS form (url_problem says more, in validate).
URL_PATTERN = "^https?://[^\\s\"'<>\\\\`]+$"
_HOST_RE = re.compile(r"(?:[^\W_](?:[\w-]*[^\W_])?\.)+(?:[^\W\d_]{2,}|xn--[a-z0-9-]+)|\d{1,3}(?:\.\d{1,3}){3}")


def url_problem(text: str) -> str | None:
    """Why ``text`` is not an absolute http(s) address a visitor can follow, or None."""
    for char in text:
        if char.isspace():
            return "contient une espace"
        if char in URL_FORBIDDEN:
            return f"contient le caractère « {char} »"
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not text.startswith(("http://", "https://")):
        return "ne commence pas par https:// (ni http://)"
    try:
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        return "a un numéro de port qui n'est pas valable"
    if parts.username is not None or parts.password is not None:
        return "contient un identifiant ou un mot de passe (« …@ ») avant le nom du site"
    if not parts.hostname or not _HOST_RE.fullmatch(parts.hostname):
        return "n'a pas de nom de site valable après « // » (par exemple www.exemple.fr)"
    return None


class Url(Text):
    def expected(self) -> str:
        return "une adresse web complète commençant par https://"

    def check(self, value: Any, ctx: CheckContext) -> str:
        text = super().check(value, ctx)
        problem = url_problem(text)
        if problem:
            raise Invalid(f"{shown(text)} {problem} ; attendu : {self.expected()}.")
        return text

    def json_schema(self) -> dict:
        return {**super().json_schema(), "format": "uri", "pattern": URL_PATTERN}


class Email(Text):
    def expected(self) -> str:
        return "une adresse électronique, par exemple contact@exemple.fr"

    def check(self, value: Any, ctx: CheckContext) -> str:
        text = super().check(value, ctx)
        if not EMAIL_RE.fullmatch(text):
            raise Invalid(f"{shown(text)} n'est pas une adresse électronique ; attendu : {self.expected()}.")
        return text

    def json_schema(self) -> dict:
        return {**super().json_schema(), "format": "email"}


class Phone(Text):
    def expected(self) -> str:
        return "un numéro à 10 chiffres, par exemple 04 65 71 00 00"

    def check(self, value: Any, ctx: CheckContext) -> str:
        text = str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else None
        # PHONE_RE's separators (\s) would let a line break or a control character through.
        if text is None or invisible_character(text) or not PHONE_RE.fullmatch(text):
            raise Invalid(f"{shown(value)} n'est pas un numéro de téléphone ; attendu : {self.expected()}.")
        return text


class Pattern(Text):
    def __init__(self, *args: Any, pattern: str, pattern_text: str, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.pattern = pattern
        self.pattern_text = pattern_text

    def expected(self) -> str:
        return self.pattern_text

    def check(self, value: Any, ctx: CheckContext) -> str:
        text = super().check(value, ctx)
        if not re.fullmatch(self.pattern, text):
            raise Invalid(f"{shown(text)} n'est pas valable ; attendu : {self.pattern_text}.")
        return text

    def json_schema(self) -> dict:
        return {**super().json_schema(), "pattern": f"^{self.pattern}$"}


class CommuneCode(Field):
    """An INSEE code, as a string; ``territory=True`` requires a commune of the territory."""

    def __init__(self, *args: Any, territory: bool = True, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.territory = territory

    def expected(self) -> str:
        where = "d'une commune du territoire" if self.territory else "d'une commune française"
        return f'le code INSEE à 5 caractères {where}, entre guillemets, par exemple "63003"'

    def check(self, value: Any, ctx: CheckContext) -> str:
        if isinstance(value, int) and not isinstance(value, bool):
            value = ctx.raw if ctx.raw and ctx.raw.isdigit() else str(value)
        if not isinstance(value, str):
            raise self.wrong_type(value)
        code = value.strip()
        commune = ctx.communes.get(code.upper())
        if commune is None:
            named = ctx.communes.by_name(code)
            if named:
                c = named[0]
                raise Invalid(
                    f"{shown(code)} est un nom de commune ; écrivez son code INSEE : "
                    f'"{c.insee}" ({c.nom}, {c.departement_nom}).'
                )
            near = ctx.communes.closest_names(code, territory=self.territory) if not code[:1].isdigit() else []
            if near:
                names = ", ".join(f'{c.nom} ("{c.insee}")' for c in near)
                raise Invalid(
                    f'{shown(code)} n\'est ni un code INSEE ni un nom de commune connu ; vouliez-vous dire : {names} ? Écrivez le code entre guillemets, par exemple commune: "{near[0].insee}".'
                )
            raise Invalid(f"{shown(code)} n'est pas un code de commune connu ; attendu : {self.expected()}.")
        if self.territory and not ctx.communes.in_territory(commune):
            raise Invalid(
                f"{commune.nom} ({code}) est hors du territoire : sa communauté, "
                f"{commune.epci_nom or 'aucune'}, n'en fait pas partie."
            )
        return commune.insee

    def json_schema(self) -> dict:
        return {**super().json_schema(), "pattern": "^[0-9][0-9AB][0-9]{3}$"}


class PartnerRef(Field):
    def expected(self) -> str:
        return "l'identifiant d'un partenaire (le nom de son fichier dans content/partenaires/, sans « .md »)"

    def check(self, value: Any, ctx: CheckContext) -> str:
        if not isinstance(value, str):
            raise self.wrong_type(value)
        if value in ctx.partner_ids:
            return value
        folded = fold(value)
        for partner_id, names in sorted(ctx.partner_names.items()):
            if folded in {fold(name) for name in names if name}:
                raise Invalid(f"{shown(value)} est le nom d'un partenaire ; écrivez son identifiant : {partner_id}.")
        message = f"{shown(value)} n'est pas un partenaire connu"
        suggestion = closest(value, sorted(ctx.partner_ids))
        if suggestion:
            raise Invalid(f"{message} ; vouliez-vous dire « {suggestion} » ? Attendu : {self.expected()}.")
        raise Invalid(f"{message}. Attendu : {self.expected()}.")


class TerritoryCode(Field):
    def expected(self) -> str:
        return 'le code SIREN d\'une intercommunalité (9 chiffres) ou un numéro de département ("63")'

    def check(self, value: Any, ctx: CheckContext) -> str:
        code = str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
        if code in ctx.communes.epci_names or code in ctx.communes.departements():
            return code
        raise Invalid(f"{shown(value)} n'est ni une intercommunalité ni un département ; attendu : {self.expected()}.")


class LocalNetwork(Field):
    def expected(self) -> str:
        return "l'identifiant d'un réseau local défini dans pelicanconf.py (TERRITOIRE_RESEAUX_LOCAUX)"

    def check(self, value: Any, ctx: CheckContext) -> str:
        return Choice(self.titre, choices=ctx.reseaux_locaux).check(value, ctx)


class ListOf(Field):
    json_type = "array"

    def __init__(self, *args: Any, item: Field, min_items: int = 0, unique: bool = True, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.item = item
        self.min_items = min_items
        self.unique = unique

    def expected(self) -> str:
        if isinstance(self.item, Record):
            return (
                f"une liste dont chaque élément commence par « - » et donne les champs {' et '.join(self.item.fields)}"
            )
        return f"une liste dont chaque élément est {self.item.expected()}"

    def check(self, value: Any, ctx: CheckContext) -> list:
        if isinstance(value, (str, int)) and not isinstance(value, bool) and not isinstance(self.item, Record):
            value = [value]  # a single value where a list is expected: accept it
        if not isinstance(value, list):
            raise self.wrong_type(value)
        if len(value) < self.min_items:
            raise Invalid(f"la liste est vide ; attendu : au moins {self.min_items} élément(s).")
        cleaned = []
        for index, item in enumerate(value):
            try:
                cleaned.append(self.item.check(item, ctx))
            except Invalid as exc:
                raise Invalid(f"élément n° {index + 1} : {exc.message}", (index,) + exc.path) from None
        if self.unique and len({repr(v) for v in cleaned}) != len(cleaned):
            raise Invalid("la liste contient deux fois la même valeur.")
        return cleaned

    def json_schema(self) -> dict:
        schema = super().json_schema()
        schema["items"] = self.item.json_schema()
        if self.min_items:
            schema["minItems"] = self.min_items
        if self.unique:
            schema["uniqueItems"] = True
        return schema


class Record(Field):
    """A small mapping inside a list (a photo: fichier and alt)."""

    json_type = "object"

    def __init__(self, *args: Any, fields: dict[str, Field], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields = fields

    def expected(self) -> str:
        first, *others = self.fields
        rest = "".join(f" puis « {name}: … » en dessous" for name in others)
        return f"les champs {' et '.join(self.fields)} (« - {first}: … »{rest}, aligné)"

    def check(self, value: Any, ctx: CheckContext) -> dict:
        if not isinstance(value, dict):
            raise self.wrong_type(value)
        cleaned = {}
        for name in value:
            if name not in self.fields:
                raise Invalid(f"le champ « {name} » n'existe pas ; champs permis : {', '.join(self.fields)}.", (name,))
        for name, sub in self.fields.items():
            if value.get(name) in (None, "") and sub.required:
                what = f" : {sub.description[0].lower()}{sub.description[1:].rstrip('.')}" if sub.description else ""
                raise Invalid(
                    f"le champ obligatoire « {name} » ({sub.titre.lower()}) manque ; attendu{what} ({sub.expected()})."
                )
            if name in value:
                try:
                    cleaned[name] = sub.check(value[name], ctx)
                except Invalid as exc:
                    raise Invalid(f"{name} : {exc.message}", (name,) + exc.path) from None
        return cleaned

    def json_schema(self) -> dict:
        schema = super().json_schema()
        schema["properties"] = {n: f.json_schema() for n, f in self.fields.items()}
        schema["required"] = [n for n, f in self.fields.items() if f.required]
        schema["additionalProperties"] = False
        return schema


class PhotoFile(Text):
    """An image file's name, in FOLDER of the content folder (an offer's photo)."""

    FOLDER = "images/offres"
    EXTENSIONS = ".jpg, .png, .webp, .svg"

    def expected(self) -> str:
        return f"le nom d'un fichier image ({self.EXTENSIONS}) déposé dans content/{self.FOLDER}/"

    def exists(self, ctx: CheckContext, name: str) -> bool:
        return ctx.photo_exists(name)

    def problem(self, ctx: CheckContext, name: str) -> str | None:
        return ctx.photo_problem(name)

    def check(self, value: Any, ctx: CheckContext) -> str:
        name = super().check(value, ctx)
        if not re.fullmatch(r"[\w.-]+\.(jpe?g|png|webp|svg)", name, re.IGNORECASE):
            raise Invalid(f"{shown(name)} n'est pas valable ; attendu : {self.expected()}.")
        if not self.exists(ctx, name):
            raise Invalid(
                f"le fichier {shown(name)} est introuvable dans content/{self.FOLDER}/ ; déposez-le ou corrigez le nom."
            )
        problem = self.problem(ctx, name)
        if problem:
            raise Invalid(problem)
        return name


# A text alternative that says nothing of the picture (screen readers would read it aloud).
_EMPTY_ALT = re.compile(r"(photo|image|img|illustration|dsc|pict?)?[\s_-]*\d*(\.(jpe?g|png|webp|svg))?", re.IGNORECASE)


class AltText(Text):
    """A photo's text alternative: what the photo shows, not its file name."""

    def check(self, value: Any, ctx: CheckContext) -> str:
        text = super().check(value, ctx)
        if _EMPTY_ALT.fullmatch(text) or re.fullmatch(r"[\w.-]+\.(jpe?g|png|webp|svg)", text, re.IGNORECASE):
            raise Invalid(
                f"{shown(text)} ne dit pas ce que montre la photo ; attendu : une phrase qui la décrit, "
                "par exemple « Vitrine de la boulangerie sur la place du marché »."
            )
        return text


class LogoFile(PhotoFile):
    """A partner's logo: a file of content/images/partenaires/ (SVG or PNG keep it sharp)."""

    FOLDER = "images/partenaires"
    EXTENSIONS = ".svg, .png, .jpg, .webp"

    def exists(self, ctx: CheckContext, name: str) -> bool:
        return ctx.logo_exists(name)

    def problem(self, ctx: CheckContext, name: str) -> str | None:
        return None  # a logo may be small: the photos' minimum size does not apply
