"""French formatting of numbers, amounts, dates and times, used as Jinja filters."""

from __future__ import annotations

import datetime as dt

NBSP = "\u00a0"
MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]
DAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]


def number(value: int | float) -> str:
    """12500 → « 12 500 » (non-breaking space between thousands)."""
    return f"{value:,}".replace(",", NBSP)


def euros(value: int) -> str:
    return f"{number(value)}{NBSP}€"


def surface(value: int) -> str:
    if value >= 10000 and value % 100 == 0:
        hectares = value / 10000
        shown = f"{hectares:.2f}".rstrip("0").rstrip(".").replace(".", ",")
        return f"{shown}{NBSP}ha"
    return f"{number(value)}{NBSP}m²"


def date(value: dt.date) -> str:
    """2026-10-01 → « 1er octobre 2026 »."""
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MONTHS[value.month - 1]} {value.year}"


def long_date(value: dt.date) -> str:
    """« samedi 14 mars 2027 »."""
    return f"{DAYS[value.weekday()]} {date(value)}"


def month_year(value: dt.date) -> str:
    return f"{MONTHS[value.month - 1]} {value.year}"


def hour(value: dt.datetime | dt.time) -> str:
    """10:00 → « 10 h », 10:30 → « 10 h 30 »."""
    return f"{value.hour}{NBSP}h" + (f"{NBSP}{value.minute:02d}" if value.minute else "")


def period(start: dt.datetime, end: dt.datetime) -> str:
    """« samedi 14 mars 2027, de 10 h à 18 h », or across days « du … au … »."""
    if start.date() == end.date():
        return f"{long_date(start.date())}, de {hour(start)} à {hour(end)}"
    return f"du {long_date(start.date())} à {hour(start)} au {long_date(end.date())} à {hour(end)}"


def enumeration(items) -> str:
    """[2024, 2025, 2026] → « 2024, 2025 et 2026 »."""
    items = [str(i) for i in items]
    return " et ".join([", ".join(items[:-1]), items[-1]]) if len(items) > 1 else "".join(items)


def plural(count: int, singular: str, plural_form: str | None = None, none: str | None = None) -> str:
    """« 1 structure », « 3 structures »; with ``none``, what 0 reads (« aucune offre ouverte »)."""
    if count == 0 and none is not None:
        return none
    word = singular if count < 2 else (plural_form or singular + "s")
    return f"{number(count)} {word}"


def of(name: str) -> str:
    """« de » or « d' » before a name, as French elides it: « d'Ambert », « de Thiers »."""
    from .questionnaire import de

    return de(name)


FILTERS = {
    "nombre": number,
    "euros": euros,
    "surface": surface,
    "date_fr": date,
    "date_longue": long_date,
    "mois_annee": month_year,
    "heure": hour,
    "periode": period,
    "pluriel": plural,
    "enumeration": enumeration,
    "de": of,
}
