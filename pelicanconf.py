"""Site settings for the Livradois-Forez sample territory and its network « Cap Actif ».

Another territory reuses the kit by changing the TERRITOIRE_* settings below; every
setting of the plugin and its default are documented in plugins/territoire/settings.py.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "plugins"))

SITENAME = "Cap Actif Livradois-Forez"
SITESUBTITLE = "Créer ou reprendre une activité en Livradois-Forez"
SITEURL = ""
AUTHOR = "Réseau Cap Actif"
DEFAULT_LANG = "fr"
LOCALE = ("C",)  # dates are formatted by the plugin in French, never by the OS locale
TIMEZONE = "Europe/Paris"

PATH = "content"
OUTPUT_PATH = "output"
THEME = "theme"
PLUGIN_PATHS = ["plugins"]
PLUGINS = ["territoire"]

# --- The territory ---------------------------------------------------------------
TERRITOIRE_NOM = "Livradois-Forez"
TERRITOIRE_RESEAU = "Cap Actif"
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

# --- Pelican: only pages are read by Pelican itself; the plugin reads the rest ---
ARTICLE_PATHS = ["actualites"]
PAGE_PATHS = ["pages"]
# content/images/ is published by the plugin's image pipeline (resized, stripped of metadata),
# never copied as it is: see plugins/territoire/images.py.
STATIC_PATHS = []
READERS = {"html": None}
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
INDEX_SAVE_AS = "index.html"
DIRECT_TEMPLATES = ["index"]
# The theme's templates are sorted into layouts/, pages/, partials/, pdf/ and feeds/; Pelican looks
# up its own pages' templates ("index", "page") by bare name, so pages/ is searched first.
THEME_TEMPLATES_OVERRIDES = [str(ROOT / THEME / "templates" / "pages")]
ARTICLE_SAVE_AS = ""
ARTICLE_LANG_SAVE_AS = ""
PAGE_LANG_SAVE_AS = ""
DRAFT_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""
TAG_SAVE_AS = ""
TAGS_SAVE_AS = ""
CATEGORY_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
YEAR_ARCHIVE_SAVE_AS = ""
MONTH_ARCHIVE_SAVE_AS = ""
DAY_ARCHIVE_SAVE_AS = ""
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
DEFAULT_PAGINATION = 20
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = False
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.toc": {},
    },
    "output_format": "html5",
}

# --- The CMS for partners at /admin/ (Decap CMS; see plugins/territoire/settings.py) ---
TERRITOIRE_CMS_BACKEND = {"name": "github", "repo": "cap-actif/site", "branch": "main"}
# True lets `npx decap-server` (run at the project root) stand in for GitHub on localhost.
TERRITOIRE_CMS_LOCAL_BACKEND = True
