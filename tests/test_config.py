"""The typed configuration (config.py): every setting checked once, a bad one reported in
French with its file, line, key, what was found and what is expected."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from territoire.build import check, read_settings
from territoire.config import DEFAULTS, Config, read_config


def _messages(**overrides) -> list[str]:
    return [str(p) for p in read_config({"PATH": "content", **overrides})[1]]


def test_the_sample_settings_are_valid_and_typed():
    config, problems = read_config(read_settings())
    assert problems == []
    assert isinstance(config, Config)
    assert config.TERRITOIRE_RESEAU == "Cap Actif" and config.TERRITOIRE_EPCI[0] == "200070761"
    assert (
        config.TERRITOIRE_MAX_FILE_SIZE == DEFAULTS["TERRITOIRE_MAX_FILE_SIZE"]
    )  # a default, not set in pelicanconf.py
    assert config.ROOT.name and (config.ROOT / "offers").is_dir()


def test_each_option_names_the_key_what_was_found_and_what_is_expected():
    [epci] = _messages(TERRITOIRE_EPCI="200070761")
    assert (
        epci.startswith("pelicanconf.py:")
        and "TERRITOIRE_EPCI : trouvé « '200070761' » ; attendu : une liste de codes SIREN de 9 chiffres" in epci
    )
    assert _messages(TERRITOIRE_EPCI=["200070761", 200070712]) != []
    [quality] = _messages(TERRITOIRE_BROTLI_QUALITE=12)
    assert "TERRITOIRE_BROTLI_QUALITE : trouvé « 12 » ; attendu : un nombre entier de 0 à 11." in quality
    [flag] = _messages(TERRITOIRE_PRECOMPRESSION="oui")
    assert "attendu : True ou False." in flag
    [tiles] = _messages(TERRITOIRE_CARTE_TUILES="https://tuiles.example.org/carte.png")
    assert "attendu : une adresse http(s) contenant {z}, {x} et {y}, ou None." in tiles
    [photo] = _messages(TERRITOIRE_PHOTO_ACCUEIL="images/territoire/village.jpg")
    assert (
        'attendu : un dictionnaire {"fichier": "images/…/photo.jpg", "alt": "ce que montre la photo"}, ou None.'
        in photo
    )
    [date] = _messages(TERRITOIRE_BUILD_DATE="22/11/2026")
    assert "attendu : une date AAAA-MM-JJ ou None." in date
    assert (
        _messages(
            TERRITOIRE_CARTE_TUILES=None,
            TERRITOIRE_BUILD_DATE="2026-11-22",
            TERRITOIRE_CMS_LOCAL_BACKEND={"url": "http://localhost:8081/api/v1"},
        )
        == []
    )


def test_a_refused_setting_stops_validation_with_its_message():
    site = check(
        read_settings(
            overrides={"TERRITOIRE_BUILD_DATE": dt.date(2026, 11, 22), "TERRITOIRE_RESEAUX_LOCAUX": ["ambert"]}
        )
    )
    [problem] = [p for p in site.report.errors if p.field == "TERRITOIRE_RESEAUX_LOCAUX"]
    assert problem.path == "pelicanconf.py" and problem.line > 1
    assert "attendu : un dictionnaire identifiant → nom" in problem.message


def test_every_setting_checks_its_own_value_and_is_typed_in_config():
    """No setting is read unchecked: each refuses a value of the wrong kind, and each is an
    attribute of Config (views read ``site.config.NAME``, never ``settings.get(NAME, …)``)."""
    from territoire.config import PELICAN, SETTINGS, Invalid, option

    names = set(SETTINGS)
    unchecked = []
    for name in sorted(names):
        try:
            option(name).validate(object())
        except Invalid:
            continue
        unchecked.append(name)
    assert unchecked == []
    assert set(Config.__annotations__) == names | set(PELICAN) | {"ROOT"}
    [subtitle] = _messages(SITESUBTITLE=["Créer"])
    assert "SITESUBTITLE : trouvé « ['Créer'] » ; attendu : un texte ou None." in subtitle


def test_every_setting_is_declared_once_with_its_type_default_check_and_description():
    """As MkDocs' config options: one declaration per setting (type: its annotation)."""
    from territoire.config import SETTINGS, Setting

    assert len(SETTINGS) >= 30
    for name, setting in SETTINGS.items():
        assert isinstance(setting, Setting) and setting.doc, name
        assert name in Config.__annotations__, name
        setting.option().validate(setting.default)  # the default passes its own check
    settings_py = (Path(__file__).resolve().parents[1] / "plugins" / "territoire" / "settings.py").read_text(
        encoding="utf-8"
    )
    assert "TERRITOIRE_NOM" not in settings_py  # declared in config.py only
