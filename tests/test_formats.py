"""French formats (formats.py, the templates' filters) and slugs, as visitors read them."""

from __future__ import annotations

import datetime as dt

from territoire import formats
from territoire.slugs import slugify

NBSP = "\u00a0"


def test_numbers_and_amounts_group_thousands_with_a_non_breaking_space():
    assert formats.number(950) == "950"
    assert formats.number(12500) == f"12{NBSP}500"
    assert formats.number(1250000) == f"1{NBSP}250{NBSP}000"
    assert formats.euros(85000) == f"85{NBSP}000{NBSP}€"


def test_surfaces_in_square_metres_or_whole_hectares():
    assert formats.surface(120) == f"120{NBSP}m²"
    assert formats.surface(9999) == f"9{NBSP}999{NBSP}m²"
    assert formats.surface(20000) == f"2{NBSP}ha"
    assert formats.surface(25000) == f"2,5{NBSP}ha"
    assert formats.surface(12345) == f"12{NBSP}345{NBSP}m²"  # not a round number of ares: m²


def test_dates_in_french_with_the_first_of_the_month():
    assert formats.date(dt.date(2026, 10, 1)) == "1er octobre 2026"
    assert formats.date(dt.date(2026, 2, 14)) == "14 février 2026"
    assert formats.long_date(dt.date(2027, 3, 14)) == "dimanche 14 mars 2027"
    assert formats.month_year(dt.date(2026, 8, 31)) == "août 2026"


def test_hours_and_periods():
    assert formats.hour(dt.time(10, 0)) == f"10{NBSP}h"
    assert formats.hour(dt.time(9, 5)) == f"9{NBSP}h{NBSP}05"
    same_day = formats.period(dt.datetime(2027, 3, 13, 10), dt.datetime(2027, 3, 13, 18, 30))
    assert same_day == f"samedi 13 mars 2027, de 10{NBSP}h à 18{NBSP}h{NBSP}30"
    two_days = formats.period(dt.datetime(2027, 3, 13, 10), dt.datetime(2027, 3, 14, 17))
    assert two_days == f"du samedi 13 mars 2027 à 10{NBSP}h au dimanche 14 mars 2027 à 17{NBSP}h"


def test_plurals_and_enumerations():
    assert formats.plural(0, "offre") == "0 offre"
    assert formats.plural(1, "offre") == "1 offre"
    assert formats.plural(2, "offre") == "2 offres"
    assert formats.plural(1500, "structure") == f"1{NBSP}500 structures"
    assert formats.plural(3, "bureau", "bureaux") == "3 bureaux"
    assert formats.enumeration([]) == ""
    assert formats.enumeration([2026]) == "2026"
    assert formats.enumeration([2024, 2025, 2026]) == "2024, 2025 et 2026"


def test_every_filter_is_registered_under_its_french_name():
    assert formats.FILTERS["euros"] is formats.euros and formats.FILTERS["date_fr"] is formats.date
    assert set(formats.FILTERS) >= {
        "nombre",
        "surface",
        "date_longue",
        "mois_annee",
        "heure",
        "periode",
        "pluriel",
        "enumeration",
    }


def test_slugs_fold_accents_case_and_punctuation_and_keep_a_slug_as_it_is():
    assert slugify("Boulangerie-Pâtisserie d'Ambert") == "boulangerie-patisserie-d-ambert"
    assert slugify("  Ferme  ÉQUESTRE — Job ") == "ferme-equestre-job"
    assert slugify("scierie-job-2026") == "scierie-job-2026"
    assert slugify(slugify("Café du Centre")) == slugify("Café du Centre")
