"""Site settings for the Livradois-Forez sample territory and its network « Cap Actif ».

Another territory reuses the kit by changing the TERRITOIRE_* settings below; every
setting of the kit and its default are documented in territoire/settings.py (the installed kit).
"""

from pathlib import Path

import territoire  # the kit, installed from this repository's own tree (requirements.txt: -e .)

ROOT = Path(__file__).resolve().parent

SITENAME = "Cap Actif Livradois-Forez"
SITESUBTITLE = "Créer ou reprendre une activité en Livradois-Forez"
SITEURL = ""
AUTHOR = "Réseau Cap Actif"
DEFAULT_LANG = "fr"
LOCALE = ("C",)  # dates are formatted by the plugin in French, never by the OS locale
TIMEZONE = "Europe/Paris"

PATH = "content"
OUTPUT_PATH = "output"
# The kit's theme; this site's own templates and styles, if any, in theme/ (searched first).
THEME = territoire.theme_path()
THEME_TEMPLATES_OVERRIDES = territoire.template_overrides(ROOT / "theme")
THEME_STATIC_PATHS = territoire.static_paths(ROOT / "theme")
PLUGINS = ["territoire"]

# --- The territory ---------------------------------------------------------------
TERRITOIRE_NOM = "Livradois-Forez"
TERRITOIRE_RESEAU = "Cap Actif"
# Letters of every offer reference (LF-2026-014).
TERRITOIRE_PREFIXE = "LF"
# The EPCIs (SIREN codes) whose communes make up the territory.
TERRITOIRE_EPCI = [
    "200070761",  # CC Ambert Livradois Forez
    "200070712",  # CC Thiers Dore et Montagne
    "200067627",  # CC Billom Communauté
    "246301097",  # CC Entre Dore et Allier
    "200069177",  # CC Mond'Arverne Communauté
    "200070407",  # CA Agglo Pays d'Issoire
    "244301099",  # CC Auzon Communauté
    "200073393",  # CC des Rives du Haut Allier
    "200085728",  # CC Brioude Sud Auvergne
    "200065886",  # CA Loire Forez Agglomération
    "200071199",  # CC Plaine Limagne
    "246300966",  # CC du Massif du Sancy
]
# Host name of the public site: calendar UIDs and absolute links in agendas and feeds.
TERRITOIRE_DOMAINE = "cap-actif.example.org"
# The network's local groups (the seed's « 3 réseaux locaux »), id → name.
TERRITOIRE_RESEAUX_LOCAUX = {
    "thiers": "Réseau local de Thiers et de la Dore",
    "ambert": "Réseau local d'Ambert et du Livradois",
    "brioude": "Réseau local du Brivadois et du Haut-Allier",
}

# Reference towns on every offer's map, with their distance: Clermont-Ferrand and Lyon.
TERRITOIRE_VILLES_REPERES = ["63113", "69123"]

# The territory's picture: home page banner, brochure cover, default sharing image.
TERRITOIRE_PHOTO_ACCUEIL = {
    "fichier": "images/territoire/livradois-forez.jpg",
    "alt": "Village aux maisons de pierre dans un vallon, entre prairies, forêts et monts du Livradois",
}
# Encoded photos are kept here between builds (any copy of the project may share it).
TERRITOIRE_CACHE_IMAGES = str(ROOT / ".cache" / "images")

# --- The map (/carte/): tile server and attribution ---------------------------------
TERRITOIRE_CARTE_TUILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
TERRITOIRE_CARTE_ATTRIBUTION = "© les contributeurs d'OpenStreetMap"

# --- Pelican: the settings every territory shares (pages only; folder-style addresses) ---
from territoire.pelican_settings import *  # noqa: E402,F403

# --- The CMS for partners at /admin/ (Decap CMS; see territoire/settings.py) ---
TERRITOIRE_CMS_BACKEND = {"name": "github", "repo": "cap-actif/site", "branch": "main"}
# True lets `npx decap-server` (run at the project root) stand in for GitHub on localhost.
TERRITOIRE_CMS_LOCAL_BACKEND = True
