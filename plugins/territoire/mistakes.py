"""What a partner wrote that would be published differently from what they meant.

Each is a warning with the fix (it never stops a build): a text cut short by « # » (YAML
starts a comment there), a text wrapped in quotation marks (they would show), bullets « • »
or a « - » list glued to a line of text (Markdown makes one paragraph of them), a price or a
rent nobody would ask, an offer dated in the future (it appears on that day only). Dates that
would hide an offer without a word are errors: a new offer already expired, a conclusion
dated in the future.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from . import contentcache, formats, lifecycle
from .changes import Changes
from .fields import ListOf, Markdown, Text
from .problems import Problem
from .sources import file_text

if TYPE_CHECKING:
    from .contentcache import CheckStore, PreviewMemory
    from .site import Record, Site

# Amounts in euros outside these bounds are typing accidents (a missing or extra zero) more
# often than real prices: (field, low, high).
PLAUSIBLE = {"prix": (500, 20_000_000), "loyer": (20, 50_000)}
QUOTES = {"«": "»", '"': '"', "“": "”", "'": "'", "‘": "’"}
BULLET = "•"
# « - item » right after a line of text: Markdown needs an empty line before a list.
_GLUED_LIST = re.compile(r"(?m)^(?P<text>[^\s\-*+>#|\d].*)\n(?P<item>[-*+] +\S.*)$")


def yaml_line(key: str, text: str) -> str:
    """``key: text`` as a partner should write it: in quotation marks when needed."""
    if re.search(r"[#:\"'\[\]{}&*!|>%@`]", text) or text != text.strip():
        return f'{key}"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f"{key}{text}"


def record_warnings(
    site: Site, root: Path, memory: PreviewMemory | None = None, store: CheckStore | None = None
) -> list[Problem]:
    """The warnings of every offer, partner and event. A file whose bytes are those of an earlier
    check keeps its text warnings (they read nothing else): ``memory``, the preview's, from its
    last build; ``store``, the content cache's checks (contentcache.CheckStore)."""
    found: list[Problem] = []
    for record in [*site.partners.values(), *site.offers, *site.events]:
        digest = site.digests.get(record.source) if memory is not None or store is not None else None
        key = ("avertissements", record.source, digest)
        kept = memory.checked(key) if memory is not None and digest else None
        stored = contentcache.digest(*key, type(record).__name__) if store is not None and digest else None
        if kept is None and stored is not None and (earlier := store.get(stored)) is not None:
            kept = [_warning(record, *warning) for warning in earlier[1]]
        if kept is None:
            kept = list(_text_warnings(record, root))
            if stored is not None:
                store.put(stored, (contentcache.WARNINGS, tuple((p.line, p.column, p.field, p.message) for p in kept)))
        if memory is not None and digest:
            memory.remember_check(key, kept)
        found += kept
    for offer in site.offers:
        for name, (low, high) in PLAUSIBLE.items():
            amount = getattr(offer, name)
            if amount is None or low <= amount <= high:
                continue
            line, column = offer.positions.of(name)
            label = offer.model.fields[name].titre
            shown = formats.euros(amount)
            if amount == 0:
                why = f"le site affichera « {label} : {shown} »"
                fix = "si rien n'est demandé, dites-le dans la description et retirez la ligne ; sinon, écrivez le montant"
            elif amount < low:
                why = f"{shown} paraît bien peu pour ce champ"
                fix = "vérifiez le montant, en euros et en chiffres seuls (par exemple 15000 pour quinze mille euros)"
            else:
                why = f"{shown} paraît bien élevé"
                fix = "vérifiez le nombre de zéros"
            found.append(
                _warning(
                    offer,
                    line,
                    column,
                    name,
                    f"{name} : {why} ; {fix}. Si le montant est juste, ignorez cet avertissement.",
                )
            )
        if lifecycle.is_future(offer, site.build_date):
            line, column = offer.positions.of("publiee_le")
            found.append(
                _warning(
                    offer,
                    line,
                    column,
                    "publiee_le",
                    f"publiee_le : l'offre n'apparaîtra sur le site qu'à partir du {formats.date(offer.publiee_le)} ; "
                    f"pour la publier dès maintenant, écrivez « publiee_le: {site.build_date.isoformat()} ».",
                )
            )
    return found


def date_errors(site: Site, root: Path, changes: Changes) -> list[Problem]:
    """Dates that would hide an offer without a word: a conclusion in the future, a new offer
    (added by this change) already expired."""
    found = []
    today = site.build_date
    for offer in site.offers:
        if offer.conclue_le and offer.conclue_le > today:
            line, column = offer.positions.of("conclue_le")
            found.append(
                Problem(
                    offer.source,
                    line,
                    column,
                    f"conclue_le : le {formats.date(offer.conclue_le)} n'est pas encore arrivé ; une offre est conclue "
                    f"à la signature : écrivez sa date (le {formats.date(today)} au plus tard), ou gardez le statut "
                    "« en-negociation » jusque-là.",
                    "conclue_le",
                )
            )
        if offer.expire_le and offer.expire_le < today and changes.is_added(offer.source):
            line, column = offer.positions.of("expire_le")
            found.append(
                Problem(
                    offer.source,
                    line,
                    column,
                    f"expire_le : le {formats.date(offer.expire_le)} est déjà passé ; cette nouvelle offre serait "
                    "publiée comme expirée et n'apparaîtrait dans aucune liste. Écrivez une date à venir, par exemple "
                    f"« expire_le: {(today + dt.timedelta(days=365)).isoformat()} », ou retirez la ligne.",
                    "expire_le",
                )
            )
    return found


def _warning(record: Record, line: int, column: int, field: str, message: str) -> Problem:
    return Problem(record.source, line, column, message, field, level="avertissement")


def _text_warnings(record: Record, root: Path) -> Iterator[Problem]:
    positions = record.positions
    for path, (value, comment) in sorted(positions.comments.items(), key=lambda item: positions.of(*item[0])):
        name = str(path[0])
        line, column = positions.of(*path)
        key = "- " if len(path) > 1 else f"{name}: "
        yield _warning(
            record,
            line,
            column,
            name,
            f"{name} : en YAML, « # » après une espace commence un commentaire : seul « {value} » sera publié, "
            f"« {comment[:60]} » est ignoré. Pour garder tout le texte, mettez-le entre guillemets : "
            f"{yaml_line(key, f'{value} {comment}')}",
        )
    for name, field in record.model.fields.items():
        value = record.data.get(name)
        if value is None:
            continue
        if isinstance(field, Markdown):
            yield from _markdown_warnings(record, root, name, value)
        elif isinstance(field, Text) and type(field) is Text:
            yield from _quoted_warning(record, name, value, (name,))
        elif isinstance(field, ListOf) and type(field.item) is Text:
            for index, item in enumerate(value):
                line, column = positions.of(name, index)
                if BULLET in item:
                    parts = [p.strip() for p in item.split(BULLET) if p.strip()]
                    listed = " ; ".join(f"- {p}" for p in parts)
                    yield _warning(
                        record,
                        line,
                        column,
                        name,
                        f"{name} : l'élément n° {index + 1} contient des puces « • » : il s'affichera comme un seul "
                        f"élément. Écrivez-en un par ligne, chacun commençant par « - » : {listed}",
                    )


def _quoted_warning(record: Record, name: str, value: str, path: tuple) -> Iterator[Problem]:
    if len(value) > 2 and QUOTES.get(value[0]) == value[-1]:
        inner = value[1:-1].strip()
        line, column = record.positions.of(*path)
        yield _warning(
            record,
            line,
            column,
            name,
            f"{name} : le texte est entouré de guillemets ({value[0]} … {value[-1]}), qui s'afficheront tels quels "
            f"sur le site ; retirez-les : {yaml_line(f'{name}: ', inner)}",
        )


def _markdown_warnings(record: Record, root: Path, name: str, text: str) -> Iterator[Problem]:
    if BULLET in text:
        sample = next(line.strip() for line in text.split("\n") if BULLET in line)
        line = _line_of(root / record.source, sample)
        yield _warning(
            record,
            line,
            1,
            name,
            f"{name} : des puces « • » s'afficheront dans le texte, sur une seule ligne, et non comme une liste ; "
            "pour une liste, laissez une ligne vide avant elle et commencez chaque élément par « - » sur sa propre ligne.",
        )
    glued = _GLUED_LIST.search(text)
    if glued:
        item = glued.group("item").strip()
        line = _line_of(root / record.source, item)
        yield _warning(
            record,
            line,
            1,
            name,
            f"{name} : la liste qui commence par « {item[:40]} » suit directement une ligne de texte : elle "
            "s'affichera dans le même paragraphe, sans puces ; laissez une ligne vide avant le premier « - ».",
        )


def _line_of(path: Path, needle: str) -> int:
    """The line of the file where ``needle`` is (1 when not found)."""
    for number, line in enumerate(file_text(path).splitlines(), start=1):
        if needle in line:
            return number
    return 1
