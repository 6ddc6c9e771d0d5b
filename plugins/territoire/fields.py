"""Field types of the content models: each checks its own value and describes itself.

A field's ``check`` returns the cleaned value or raises ``Invalid`` with a French message
saying what was found and what is expected; ``expected`` is a short French description used in
messages. As Lektor's types do, each type also carries its projections, the way it appears in
every format derived from the models, so that their writers only iterate the fields:

- ``json_schema()``: its JSON Schema (schemas/, for editors);
- ``table_schema(name)``, ``export_value(value, site_url)`` and ``csv_cell(value)``: its
  column of the open data (Frictionless Table Schema, JSON and CSV, views/exports.py);
- ``decap_widget(name, ctx)``: its field in the CMS's form (/admin/config.yml, cms.py), and
  ``decap_format``, how admin.js writes the value back;
- ``contributing_row(label)``: its row in CONTRIBUTING.md's tables (contributing.py);
- ``display(value)``, ``short_label``, ``key_figure`` and ``on_page``: how visitors read it, the
  same on the offer page, the cards, the PDF, the sharing image and in the summary of a content
  change (``shown_value(value)`` and ``long_value``, sitediff.py): ``figures(record, model)``
  lists a record's figures for the page, ``key_figures(record, model)`` its first three for
  the cards.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from urllib.parse import urlsplit

from . import formats
from .bodyimages import alt_problem, image_problem
from .communes import Communes, fold
from .escaping import spreadsheet_cell
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
    photos_folder: str = "images/offres"  # the offers' photos, in the content folder
    # The image files of the content folder, by their path in it (« images/offres/four.jpg »).
    image_exists: Callable[[str], bool] = lambda path: True
    # What is wrong with a photo file (format, weight, size: images.check_photo), or None; the
    # second argument: whether the photos' minimum size applies (not to a logo).
    image_problem: Callable[[str, bool], str | None] = lambda path, minimum: None
    known_contacts: set[str] = field(default_factory=set)  # partners' e-mails and phones
    raw: str | None = None  # source text of a plain scalar, when the field needs it
    # The territory's reference prefix (« LF » in LF-2026-014): examples in messages use it.
    reference_prefix: str = "AB"

    def example_commune(self) -> str:
        """The INSEE code messages give as an example: the territory's largest commune."""
        example = self.communes.example() if self.communes is not None else None
        return example.insee if example else "75056"


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


# Decap CMS: dates as our loader reads them (moment.js tokens), shown the French way.
DATE_FORMAT = "YYYY-MM-DD"
DATETIME_FORMAT = "YYYY-MM-DD HH:mm"
SHOWN_DATE = "DD/MM/YYYY"
SHOWN_TIME = "HH:mm"
# The search widget of admin.js: a list of options searched ignoring accents, hyphens and
# « st »/« saint » (Decap's own select matches only the exact spelling).
SEARCH_WIDGET = "territoire-recherche"


def select_options(choices: dict[str, str]) -> list[dict[str, str]]:
    """code → label as the options of a Decap select."""
    return [{"label": label, "value": value} for value, label in choices.items()]


class Field:
    json_type = "string"

    def __init__(
        self,
        titre: str,
        description: str = "",
        required: bool = False,
        exemple: Any = None,
        *,
        short_label: str = "",
        key_figure: int | None = None,
        on_page: bool = False,
        search_meta: str = "",
    ):
        self.titre = titre
        self.description = description
        self.required = required
        self.exemple = exemple
        self.short_label = short_label or titre  # on cards and in the PDF's key figures
        self.key_figure = key_figure  # its place among a card's key figures (None: never one)
        self.on_page = on_page  # one of the figures of the record's own page
        self.search_meta = search_meta  # the Pagefind metadata its value is on the page

    def display(self, value: Any) -> str:
        """The value as visitors read it, wherever it is shown."""
        return str(value)

    def key_figure_of(self, value: Any) -> bool:
        """Whether the value is worth a place among the key figures."""
        return value is not None

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

    # --- Open data (Table Schema, JSON, CSV) ---------------------------------------------

    def table_schema(self, name: str) -> dict:
        """The field's column in a Frictionless Table Schema."""
        entry: dict[str, Any] = {"name": name, "title": self.titre}
        description = self.table_description()
        if description:
            entry["description"] = description
        entry.update(self.table_type())
        constraints = self.table_constraints()
        if self.required:
            constraints["required"] = True
        if constraints:
            entry["constraints"] = constraints
        return entry

    def table_description(self) -> str:
        return self.description

    def table_type(self) -> dict[str, Any]:
        return {"type": "string"}

    def table_constraints(self) -> dict[str, Any]:
        return {}

    def export_value(self, value: Any, site_url: str) -> Any:
        """A checked value as JSON data (``site_url`` makes addresses absolute)."""
        return value

    def csv_cell(self, value: Any) -> str:
        """An exported value (``export_value``) as a CSV cell no spreadsheet runs as a formula."""
        return spreadsheet_cell(str(value))

    # --- Decap CMS (/admin/config.yml) ---------------------------------------------------

    # How admin.js writes the value back into the file: "boolean" (true/false from the form's
    # oui/non), "block" (a Markdown text, last, as a YAML block), or None (as Decap gives it).
    decap_format: str | None = None

    def decap_widget(self, name: str, ctx: dict[str, Any]) -> dict[str, Any]:
        """The field in the CMS's form: its French label and hint, then its widget. ``ctx``
        holds what the site knows: communes, partenaires, territoires (options of selects),
        reseaux_locaux, photos_folder."""
        return self.decap_label(name) | self.decap_options(ctx)

    def decap_label(self, name: str) -> dict[str, Any]:
        out: dict[str, Any] = {"name": name, "label": self.titre, "required": bool(self.required)}
        if self.description:
            out["hint"] = self.description
        return out

    def decap_options(self, ctx: dict[str, Any]) -> dict[str, Any]:
        """The widget and its settings: every type says its own (no default would fit)."""
        raise NotImplementedError(f"{type(self).__name__} declares no Decap widget")

    def decap_list(self, name: str, ctx: dict[str, Any]) -> dict[str, Any]:
        """The widget of a list of such values: by default a list of single fields."""
        item = self.decap_widget(name, ctx) | {"label": self.titre, "required": True}
        item.pop("hint", None)
        return {"widget": "list", "label_singular": self.titre, "field": item}

    # --- Summary of a content change (sitediff.py) ---------------------------------------

    # A long value (a text, a list) is only named in the summary: « description : modifié ».
    long_value = False

    def shown_value(self, value: Any) -> str:
        """The value as the site shows it, for a line « prix : 150 000 € → 140 000 € »."""
        return f"« {value} »"

    # --- CONTRIBUTING.md ---------------------------------------------------------------

    def contributing_row(self, label: str) -> str:
        """The field's row in the contributors' table: name, required, what, how to write it."""
        required = "oui" if self.required else "non"
        return f"| {label} | {required} | {self.titre} — {self.description} | {self.contributing_expected()} |"

    def contributing_expected(self) -> str:
        return self.expected()

    def expected_in(self, ctx: CheckContext) -> str:
        """What to write, with the territory's own examples where the field has some."""
        return self.expected()

    def contributing_list_expected(self, listing: ListOf) -> str:
        """What to write in a list of such values."""
        return listing.expected()

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
        if not self.allowed_controls and (filler := filler_problem(text)):  # Markdown checks its own
            raise Invalid(filler[1])
        return text

    def json_schema(self) -> dict:
        return {**super().json_schema(), "minLength": self.min_length, "maxLength": self.max_length}

    def table_constraints(self) -> dict[str, Any]:
        # A CSV cell of free text may get an apostrophe in front (spreadsheet_cell): one more.
        return {"maxLength": self.max_length + 1}

    def decap_options(self, ctx: dict[str, Any]) -> dict[str, Any]:
        return {
            "widget": "string" if self.max_length <= 250 else "text",
            "pattern": [rf"^[\s\S]{{0,{self.max_length}}}$", f"Au plus {self.max_length} caractères."],
        }


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


# What a scaffolded file holds for the partner to replace, even partly edited: the example
# sentences' openings, the note under a new offer's description, and the fillers people type
# while drafting. A text holding one is not ready to publish.
SCAFFOLD_NOTE = "(Pas d'adresse électronique ni de téléphone : le contact passe par le partenaire référent.)"
_FILLERS = re.compile(
    r"(?P<lorem>lorem ipsum)|(?P<xxx>\bXXX+\b)|(?P<todo>\bTODO\b)|(?P<completer>\b[àa] compl[ée]ter\b)"
    r"|(?P<example>\b(?:Décrivez ici|Présentez ici)\b)|(?P<note>\(Pas d'adresse électronique ni de téléphone)",
    re.IGNORECASE,
)


# Every filler holds one of these (lower case): a text holding none is not searched (the
# pattern costs ~0.8 ms per description; 5,000 offers have several texts each).
_FILLER_HINTS = ("lorem", "xxx", "todo", "à compl", "a compl", "z ici", "(pas d")


def filler_problem(text: str) -> tuple[str, str] | None:
    """(the filler as written, the French message) for a text still holding drafting text."""
    lowered = text.lower()
    if not any(hint in lowered for hint in _FILLER_HINTS):
        return None
    found = _FILLERS.search(text)
    if not found or (found.lastgroup in ("xxx", "todo") and not found.group().isupper()):
        return None
    written = found.group()
    if found.lastgroup == "note":
        return written, (
            f"la note « {SCAFFOLD_NOTE[:60]}… » écrite par la commande de création est encore là ; "
            "supprimez cette ligne avant de publier (elle s'afficherait sur le site)."
        )
    if found.lastgroup == "example":
        return written, (
            f"la phrase d'exemple commençant par « {written} » est encore là, même retouchée ; "
            "remplacez-la entièrement par votre propre texte avant de publier."
        )
    return written, (
        f"« {written} » est un texte provisoire ; écrivez le vrai texte avant de publier "
        "(ce qui est écrit ici s'affichera tel quel sur le site)."
    )


class Markdown(Text):
    """A Markdown text. Personal contact details are refused: contact goes through a partner.
    The example sentence left by the scaffolding commands is refused too."""

    allowed_controls = "\n\r\t"

    def __init__(self, *args: Any, personal_data: bool = True, **kwargs: Any):
        kwargs.setdefault("max_length", 20000)
        super().__init__(*args, **kwargs)
        self.personal_data = personal_data

    decap_format = "block"
    long_value = True

    def expected(self) -> str:
        return "un texte en Markdown"

    def table_constraints(self) -> dict[str, Any]:
        return {}

    def decap_options(self, ctx: dict[str, Any]) -> dict[str, Any]:
        return {
            "widget": "markdown",
            "buttons": [
                "bold",
                "italic",
                "link",
                "heading-two",
                "heading-three",
                "quote",
                "bulleted-list",
                "numbered-list",
            ],
            "editor_components": [],
            # Plain text first: the rich-text editor rewrites the whole Markdown text when it
            # opens (list spacing, line breaks), so a one-word change would change every line.
            "modes": ["raw", "rich_text"],
        }

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
        if filler := filler_problem(text):
            raise Invalid(filler[1], needle=filler[0])
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
        if "![" in text or "<" in text:  # images: files of content/images/, each with its text alternative
            found = image_problem(text, ctx.image_exists, ctx.image_problem)
            if found:
                raise Invalid(found[2], needle=found[1][:40])
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

    def table_constraints(self) -> dict[str, Any]:
        return {"enum": list(self.choices)}

    def decap_options(self, ctx: dict[str, Any]) -> dict[str, Any]:
        return {"widget": "select", "options": select_options(self.choices)}

    def decap_list(self, name: str, ctx: dict[str, Any]) -> dict[str, Any]:
        return {"widget": "select", "multiple": True, "options": select_options(self.choices)}

    def shown_value(self, value: Any) -> str:
        return self.choices.get(value, str(value))

    def contributing_expected(self) -> str:
        return "une valeur parmi : " + self._documented_choices()

    def contributing_list_expected(self, listing: ListOf) -> str:
        return "une liste parmi : " + self._documented_choices()

    def _documented_choices(self) -> str:
        return ", ".join(f"`{code}` ({label})" for code, label in self.choices.items())


def _code_of(choices: dict[str, str], label: str) -> str:
    return next(code for code, lab in choices.items() if lab == label)


class Integer(Field):
    """A whole number (euros, m², people). A decimal or a thousands separator is never rounded
    silently: « 150.000 » (a French thousands dot read as 150) is an error with what to write."""

    json_type = "integer"

    def __init__(
        self,
        *args: Any,
        unite: str = "",
        minimum: int = 0,
        maximum: int = 999_999_999,
        counted: tuple[str, str, str] | None = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.unite = unite
        self.minimum = minimum
        self.maximum = maximum  # by default, beyond it a number is a typing accident (too long to show)
        # Things counted, shown as words: (singular, plural, none) → « 1 salarié », « aucun salarié ».
        self.counted = counted

    def display(self, value: int) -> str:
        """« 85 000 € », « 650 € par mois », « 210 000 € par an », « 120 m² », « 3 salariés »."""
        if self.counted:
            singular, plural_form, none = self.counted
            return none if value == 0 else formats.plural(value, singular, plural_form)
        if self.unite.startswith("euros"):
            return formats.euros(value) + self.unite.removeprefix("euros")
        return formats.surface(value) if self.unite == "m²" else formats.number(value)

    def key_figure_of(self, value: Any) -> bool:
        """A count of nothing (« aucun salarié ») is shown on the page, not among the key figures."""
        return value is not None and not (self.counted and value == 0)

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

    def table_type(self) -> dict[str, Any]:
        return {"type": "integer"}

    def table_constraints(self) -> dict[str, Any]:
        return {"minimum": self.minimum}

    def csv_cell(self, value: Any) -> str:
        return str(value)

    def shown_value(self, value: int) -> str:
        return self.display(value)

    def decap_options(self, ctx: dict[str, Any]) -> dict[str, Any]:
        return {"widget": "number", "value_type": "int", "min": self.minimum, "step": 1, "max": self.maximum}


class Boolean(Field):
    json_type = "boolean"
    decap_format = "boolean"

    def expected(self) -> str:
        return "oui ou non (true ou false)"

    def table_type(self) -> dict[str, Any]:
        return {"type": "boolean", "trueValues": ["true"], "falseValues": ["false"]}

    def csv_cell(self, value: Any) -> str:
        return "true" if value else "false"

    def shown_value(self, value: bool) -> str:
        return "oui" if value else "non"

    def decap_options(self, ctx: dict[str, Any]) -> dict[str, Any]:
        # A yes/no list rather than a switch: a switch left untouched would write « false »;
        # left empty, nothing is written (admin.js turns « oui »/« non » into true/false).
        return {"widget": "select", "options": select_options({"oui": "Oui", "non": "Non"})}

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

    def table_type(self) -> dict[str, Any]:
        return {"type": "date"}

    def export_value(self, value: dt.date, site_url: str) -> str:
        return value.isoformat()

    def shown_value(self, value: dt.date) -> str:
        return formats.date(value)

    def decap_options(self, ctx: dict[str, Any]) -> dict[str, Any]:
        return {"widget": "datetime", "format": DATE_FORMAT, "date_format": SHOWN_DATE, "time_format": False}


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
            raise self._no_time(value.isoformat())
        if isinstance(value, str):
            if (hint := _french_date_hint(value, with_time=True)) is not None:
                raise Invalid(hint)
            if _iso_date(value) is not None:
                raise self._no_time(value.strip())
            try:
                return dt.datetime.strptime(value.strip(), "%Y-%m-%d %H:%M")
            except ValueError:
                pass
            try:
                return dt.datetime.fromisoformat(value.strip()).replace(tzinfo=None)
            except ValueError:
                pass
        raise self.wrong_type(value)

    @staticmethod
    def _no_time(day: str) -> Invalid:
        # A day alone would be published as starting at midnight (« de 0 h »).
        return Invalid(
            f"« {day} » n'a pas d'heure ; écrivez la date et l'heure au format AAAA-MM-JJ HH:MM, par exemple {day} 10:00."
        )

    def json_schema(self) -> dict:
        schema = super().json_schema()
        schema["pattern"] = r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?$"
        return schema

    def table_type(self) -> dict[str, Any]:
        return {"type": "datetime"}

    def export_value(self, value: dt.datetime, site_url: str) -> str:
        return value.isoformat()

    def shown_value(self, value: dt.datetime) -> str:
        return f"{formats.date(value.date())} à {formats.hour(value)}"

    def decap_options(self, ctx: dict[str, Any]) -> dict[str, Any]:
        return {"widget": "datetime", "format": DATETIME_FORMAT, "date_format": SHOWN_DATE, "time_format": SHOWN_TIME}


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

    def decap_options(self, ctx: dict[str, Any]) -> dict[str, Any]:
        return {"widget": "string", "pattern": [URL_PATTERN, f"Attendu : {self.expected()}."]}


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

    def decap_options(self, ctx: dict[str, Any]) -> dict[str, Any]:
        return {"widget": "string", "pattern": [r"^[\w.+-]+@[\w-]+(\.[\w-]+)+$", f"Attendu : {self.expected()}."]}


class Phone(Text):
    def expected(self) -> str:
        return "un numéro à 10 chiffres, par exemple 04 65 71 00 00"

    def check(self, value: Any, ctx: CheckContext) -> str:
        text = str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else None
        # PHONE_RE's separators (\s) would let a line break or a control character through.
        if text is None or invisible_character(text) or not PHONE_RE.fullmatch(text):
            raise Invalid(f"{shown(value)} n'est pas un numéro de téléphone ; attendu : {self.expected()}.")
        return text

    def decap_options(self, ctx: dict[str, Any]) -> dict[str, Any]:
        return {"widget": "string", "pattern": [r"^(\+33 ?|0)[1-9]([ .-]?\d{2}){4}$", f"Attendu : {self.expected()}."]}


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
            raise Invalid(f"{shown(text)} n'est pas valable ; attendu : {self.pattern_text_for(ctx)}.")
        return text

    def pattern_text_for(self, ctx: CheckContext) -> str:
        """What to write, with the territory's own example where the field has one."""
        return self.pattern_text

    def expected_in(self, ctx: CheckContext) -> str:
        return self.pattern_text_for(ctx)


class Reference(Pattern):
    """An offer's public code: the territory's prefix, the year, a number (LF-2026-014)."""

    def pattern_text_for(self, ctx: CheckContext) -> str:
        return f"un code comme {ctx.reference_prefix}-2026-014 (lettres, année, numéro)"

    def json_schema(self) -> dict:
        return {**super().json_schema(), "pattern": f"^{self.pattern}$"}

    def table_constraints(self) -> dict[str, Any]:
        # A code never starts like a formula: its CSV cell is never longer than the code.
        return {"pattern": self.pattern, "maxLength": self.max_length}

    def decap_options(self, ctx: dict[str, Any]) -> dict[str, Any]:
        return {"widget": "string", "pattern": [f"^{self.pattern}$", f"Attendu : {self.pattern_text}."]}


INSEE_PATTERN = "[0-9][0-9AB][0-9]{3}"


class CommuneCode(Field):
    """An INSEE code, as a string; ``territory=True`` requires a commune of the territory."""

    def __init__(self, *args: Any, territory: bool = True, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.territory = territory

    def expected(self, example: str = "75056") -> str:
        where = "d'une commune du territoire" if self.territory else "d'une commune française"
        return f'le code INSEE à 5 caractères {where}, entre guillemets, par exemple "{example}"'

    def check(self, value: Any, ctx: CheckContext) -> str:
        if isinstance(value, int) and not isinstance(value, bool):
            value = ctx.raw if ctx.raw and ctx.raw.isdigit() else str(value)
        expected = self.expected(ctx.example_commune())
        if not isinstance(value, str):
            kind = "permise ici" if isinstance(value, (dict, list)) else "valable"
            raise Invalid(f"{shown(value)} n'est pas {kind} ; attendu : {expected}.")
        code = value.strip()
        commune = ctx.communes.get(code.upper())
        if commune is None and (hint := self._postal_hint(code, ctx)):
            raise Invalid(hint)
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
            raise Invalid(f"{shown(code)} n'est pas un code de commune connu ; attendu : {expected}.")
        if self.territory and not ctx.communes.in_territory(commune):
            raise Invalid(
                f"{commune.nom} ({code}) est hors du territoire : sa communauté, "
                f"{commune.epci_nom or 'aucune'}, n'en fait pas partie."
            )
        return commune.insee

    def _postal_hint(self, code: str, ctx: CheckContext) -> str | None:
        """A postal code (« 63600 ») or a name with its postal code (« Ambert 63600 »): the
        INSEE code to write instead, communes of the territory first."""
        match = re.fullmatch(r"(.*?)[\s,]*\(?(\d{5})\)?", code)
        if not match:
            return None
        name, postal = match.group(1).strip(), match.group(2)
        found = [c for c in ctx.communes.by_code.values() if postal in c.codes_postaux]
        if name:
            found = [c for c in found if fold(c.nom) == fold(name)] or ctx.communes.by_name(name)
        if not found:
            return None
        found.sort(key=lambda c: (not ctx.communes.in_territory(c), fold(c.nom)))
        shown_found = ", ".join(f'{c.nom} ("{c.insee}")' for c in found[:5])
        what = "le code postal" if not name else "un nom et un code postal"
        return (
            f"{shown(code)} est {what}, pas le code INSEE de la commune (les deux diffèrent) ; "
            f'écrivez le code INSEE : {shown_found}, par exemple commune: "{found[0].insee}".'
        )

    def json_schema(self) -> dict:
        return {**super().json_schema(), "pattern": f"^{INSEE_PATTERN}$"}

    def table_constraints(self) -> dict[str, Any]:
        return {"pattern": INSEE_PATTERN}

    def decap_options(self, ctx: dict[str, Any]) -> dict[str, Any]:
        if self.territory:
            return {
                "widget": SEARCH_WIDGET,
                "options": ctx["communes"],
                "hint": "La commune, dans le territoire : tapez les premières lettres de son nom (avec ou sans accents ni tirets, « st » ou « saint »).",
            }
        # Any French commune: the options are a file beside config.yml (cms.COMMUNES_FRANCE).
        return {
            "widget": SEARCH_WIDGET,
            "options_url": "communes.json",
            "hint": "La commune, partout en France : tapez les premières lettres de son nom (avec ou sans accents ni tirets, « st » ou « saint »).",
        }


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

    def decap_options(self, ctx: dict[str, Any]) -> dict[str, Any]:
        hint = self.description.replace("Identifiant du partenaire", "Le partenaire").rstrip(".")
        return {"widget": SEARCH_WIDGET, "options": ctx["partenaires"], "hint": f"{hint} : tapez son nom ou son sigle."}

    def decap_list(self, name: str, ctx: dict[str, Any]) -> dict[str, Any]:
        # A relation to the partners collection: Decap lists them by name.
        return {
            "widget": "relation",
            "collection": "partenaires",
            "value_field": "{{slug}}",
            "search_fields": ["nom", "sigle"],
            "display_fields": ["nom"],
            "options_length": 100,
            "multiple": True,
        }


class TerritoryCode(Field):
    def expected(self) -> str:
        return 'le code SIREN d\'une intercommunalité (9 chiffres) ou un numéro de département ("63")'

    def check(self, value: Any, ctx: CheckContext) -> str:
        code = str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
        if code in ctx.communes.epci_names or code in ctx.communes.departements():
            return code
        raise Invalid(f"{shown(value)} n'est ni une intercommunalité ni un département ; attendu : {self.expected()}.")

    def decap_options(self, ctx: dict[str, Any]) -> dict[str, Any]:
        return {"widget": "select", "options": ctx["territoires"]}

    def decap_list(self, name: str, ctx: dict[str, Any]) -> dict[str, Any]:
        return {"widget": "select", "multiple": True, "options": ctx["territoires"]}


class LocalNetwork(Field):
    def expected(self) -> str:
        return "l'identifiant d'un réseau local défini dans pelicanconf.py (TERRITOIRE_RESEAUX_LOCAUX)"

    def check(self, value: Any, ctx: CheckContext) -> str:
        return Choice(self.titre, choices=ctx.reseaux_locaux).check(value, ctx)

    def decap_options(self, ctx: dict[str, Any]) -> dict[str, Any]:
        return {"widget": "select", "options": select_options(ctx["reseaux_locaux"])}


# In the CSV export, a list is one cell: its values joined by this.
LISTS_SEPARATOR = " | "


class ListOf(Field):
    json_type = "array"
    long_value = True

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
            if isinstance(value, str) and "," in value:
                # « partenaires: cci-ambert, cma-63 » is one text: a list needs its brackets.
                try:
                    self.item.check(value, ctx)
                except Invalid:
                    items = ", ".join(part.strip() for part in value.split(",") if part.strip())
                    raise Invalid(
                        f"{shown(value)} est écrit comme un seul texte ; une liste s'écrit entre crochets : [{items}]"
                    ) from None
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

    def table_description(self) -> str:
        return f"{self.description} Valeurs séparées par « {LISTS_SEPARATOR.strip()} »."

    def export_value(self, value: list, site_url: str) -> list:
        return [self.item.export_value(v, site_url) for v in value]

    def csv_cell(self, value: list) -> str:
        return spreadsheet_cell(LISTS_SEPARATOR.join(str(v) for v in value))

    def decap_widget(self, name: str, ctx: dict[str, Any]) -> dict[str, Any]:
        # The widget is the item type's widget for a list of its values (decap_list).
        out = self.decap_label(name) | self.item.decap_list(name, ctx)
        if self.min_items:
            out["min"] = self.min_items
        return out

    def contributing_expected(self) -> str:
        return self.item.contributing_list_expected(self)


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

    # Open data: a JSON object (a CSV cell holds its JSON text, as Table Schema's « object »).
    def table_type(self) -> dict[str, Any]:
        return {"type": "object"}

    def export_value(self, value: dict, site_url: str) -> Any:
        return {name: self.fields[name].export_value(v, site_url) for name, v in value.items()}

    def csv_cell(self, value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, sort_keys=True)

    # Decap: the item that sums an entry up in a list (« {{fields.alt}} »), or None.
    decap_summary: str | None = None

    def decap_options(self, ctx: dict[str, Any]) -> dict[str, Any]:
        return {"widget": "object", "fields": self._decap_fields(ctx)}

    def decap_list(self, name: str, ctx: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {"widget": "list", "label_singular": self.titre}
        if self.decap_summary:
            out["summary"] = self.decap_summary
        return out | {"fields": self._decap_fields(ctx)}

    def _decap_fields(self, ctx: dict[str, Any]) -> list[dict[str, Any]]:
        return [sub.decap_widget(name, ctx) for name, sub in self.fields.items()]


class PhotoFile(Text):
    """An image file's name, in a folder of the content folder: ``folder``, or the offers'
    photo folder (TERRITOIRE_PHOTOS_PATH) when None."""

    # A logo may be small: the photos' minimum size does not apply (LogoFile).
    minimum_size = True

    def __init__(self, *args: Any, folder: str | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.folder = folder

    def shown_folder(self, ctx: CheckContext | None = None) -> str:
        return self.folder or (ctx.photos_folder if ctx else "images/offres")

    def expected(self) -> str:
        return f"le nom d'un fichier image (.jpg, .png, .webp, .svg) déposé dans content/{self.shown_folder()}/"

    def check(self, value: Any, ctx: CheckContext) -> str:
        name = super().check(value, ctx)
        stem, _, suffix = name.rpartition(".")
        if suffix.lower() in ("heic", "heif"):
            raise Invalid(
                f"{shown(name)} est une photo HEIC (format des iPhone), que les navigateurs n'affichent pas ; "
                f"exportez-la en JPEG (sur l'iPhone : Réglages › Appareil photo › Formats › « Le plus compatible », "
                f"ou « Exporter » depuis l'ordinateur) et nommez-la {_safe_file_name(stem)}.jpg."
            )
        if re.fullmatch(r"[\w.-]+\.(jpe?g|png|webp|svg)", name, re.IGNORECASE) and name.isascii():
            pass
        elif re.fullmatch(r".+\.(jpe?g|png|webp|svg)", name, re.IGNORECASE):
            bad = next(c for c in name if not (c.isascii() and (c.isalnum() or c in "._-")))
            what = "une espace" if bad == " " else f"le caractère « {bad} »"
            better = f"{_safe_file_name(stem)}.{suffix.lower()}"
            raise Invalid(
                f"le nom {shown(name)} contient {what} : un nom de fichier d'image ne prend que des lettres "
                f"sans accents, des chiffres et des tirets ; renommez le fichier {better} et écrivez ce nom ici."
            )
        else:
            raise Invalid(f"{shown(name)} n'est pas valable ; attendu : {self.expected()}.")
        folder = self.shown_folder(ctx)
        if not ctx.image_exists(f"{folder}/{name}"):
            raise Invalid(
                f"le fichier {shown(name)} est introuvable dans content/{folder}/ ; déposez-le ou corrigez le nom."
            )
        problem = ctx.image_problem(f"{folder}/{name}", self.minimum_size)
        if problem:
            raise Invalid(problem)
        return name

    def export_value(self, value: str, site_url: str) -> str:
        """The photo's address (its copy at its own address, images.py)."""
        return f"{site_url}/{self.shown_folder()}/{value}"

    def decap_options(self, ctx: dict[str, Any]) -> dict[str, Any]:
        folder = f"{ctx['content_folder']}/{self.folder}" if self.folder else ctx["photos_folder"]
        # Decap's image widget, in admin.js's wrapper: a file heavier than validation accepts, or
        # (a logo aside) smaller, is refused when it is chosen, before it reaches the repository.
        out = {"widget": "territoire-photo", "choose_url": False, "media_folder": "/" + folder, "public_folder": ""}
        if "photo_limits" in ctx:
            limits = ctx["photo_limits"]
            out["poids_max"] = limits["poids_max"]
            if self.minimum_size:
                out |= {"largeur_min": limits["largeur_min"], "hauteur_min": limits["hauteur_min"]}
            # Decap's own check of the weight, should the wrapper not run
            out["media_library"] = {"config": {"max_file_size": limits["poids_max"]}}
        return out


def _safe_file_name(stem: str) -> str:
    """« Façade boutique » → « facade-boutique »: the name a web address can hold as is."""
    import unicodedata

    plain = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-") or "photo"


class LogoFile(PhotoFile):
    """A partner's logo: a file of content/images/partenaires/ (SVG or PNG keep it sharp)."""

    minimum_size = False

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, folder="images/partenaires", **kwargs)

    def expected(self) -> str:
        return "le nom d'un fichier image (.svg, .png, .jpg, .webp) déposé dans content/images/partenaires/"


class AltText(Text):
    """A photo's text alternative: what the photo shows, not its file name."""

    def check(self, value: Any, ctx: CheckContext) -> str:
        text = super().check(value, ctx)
        problem = alt_problem(text)
        if problem:
            raise Invalid(problem)
        return text


class Photo(Record):
    """A photo: its file and its text alternative (« - fichier: … » then « alt: … »). In the
    open data, its address."""

    decap_summary = "{{fields.alt}}"

    def __init__(self, titre: str = "Photo", description: str = "", folder: str | None = None, **kwargs: Any):
        fields = {
            "fichier": PhotoFile(
                "Fichier",
                f"Nom du fichier dans content/{folder or 'images/offres'}/.",
                required=True,
                max_length=120,
                folder=folder,
            ),
            "alt": AltText(
                "Texte de remplacement",
                "Ce que montre la photo, pour les personnes qui ne la voient pas.",
                required=True,
                max_length=250,
            ),
        }
        super().__init__(titre, description, fields=fields, **kwargs)

    def table_type(self) -> dict[str, Any]:
        return {"type": "string"}  # no « uri » format: a site built without SITEURL links relatively

    def export_value(self, value: dict, site_url: str) -> str:
        return self.fields["fichier"].export_value(value["fichier"], site_url)

    def csv_cell(self, value: str) -> str:
        return spreadsheet_cell(value)


# --- What visitors read -----------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One figure of a record as visitors read it: « Loyer : 650 € par mois »."""

    name: str
    label: str
    value: str
    search_meta: str = ""


def figures(record: Any, fields: dict[str, Field]) -> list[Figure]:
    """The figures of a record's own page, in the model's order."""
    return [
        Figure(name, field.titre, field.display(value), field.search_meta)
        for name, field in fields.items()
        if field.on_page and (value := getattr(record, name, None)) is not None
    ]


def key_figures(record: Any, fields: dict[str, Field], count: int = 3) -> list[tuple[str, str]]:
    """(short label, value) of the first ``count`` key figures a record has, in their order."""
    ranked = sorted((f.key_figure, name) for name, f in fields.items() if f.key_figure is not None)
    out = []
    for _, name in ranked:
        field, value = fields[name], getattr(record, name, None)
        if field.key_figure_of(value):
            out.append((field.short_label, field.display(value)))
    return out[:count]
