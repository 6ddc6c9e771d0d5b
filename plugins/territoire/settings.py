"""Every setting of the plugin, with its default, documented once here.

A site sets them in pelicanconf.py (production overrides in publishconf.py).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")

DEFAULTS: dict[str, Any] = {
    # Name of the territory, as visitors read it (« Livradois-Forez »).
    "TERRITOIRE_NOM": "Mon territoire",
    # Name of the network of partners (« Cap Actif »).
    "TERRITOIRE_RESEAU": "Réseau d'accueil",
    # SIREN codes of the EPCIs that make up the territory. Offers and partners must be
    # located in one of their communes.
    "TERRITOIRE_EPCI": [],
    # Local groups of the network: id → name. Partners name theirs in `reseau_local`.
    "TERRITOIRE_RESEAUX_LOCAUX": {},
    # Folder of the offers (YAML), relative to the project root (the folder of pelicanconf.py).
    "TERRITOIRE_OFFRES_PATH": "offers",
    # Folders of partners and events, relative to PATH (the content folder).
    "TERRITOIRE_PARTENAIRES_PATH": "partenaires",
    "TERRITOIRE_EVENEMENTS_PATH": "evenements",
    # Folder of offer photos, relative to PATH.
    "TERRITOIRE_PHOTOS_PATH": "images/offres",
    # Communes reference (CSV), relative to the project root.
    "TERRITOIRE_COMMUNES_CSV": "data/communes-france.csv",
    # Build date (a datetime.date). None: from SOURCE_DATE_EPOCH, else today (Europe/Paris).
    "TERRITOIRE_BUILD_DATE": None,
    # Host name of the public site, named in the events' calendar UIDs (<slug>@<host>) and used
    # for absolute links in calendars, feeds and JSON-LD when SITEURL is not an absolute URL.
    # Empty: SITEURL's host (else « <network>.invalid »). Set it so UIDs never change.
    "TERRITOIRE_DOMAINE": "",
    # Largest content file accepted, in bytes.
    "TERRITOIRE_MAX_FILE_SIZE": 1024 * 1024,
    # --- Publication (`invoke publish`, set in publishconf.py) ---
    # Named targets, name → address (file:///chemin, rsync://…, utilisateur@hôte:/chemin,
    # ghpages://propriétaire/dépôt, a git URL or bare repository, a local folder).
    "PUBLISH_TARGETS": {},
    # The target used without --target (a name of PUBLISH_TARGETS or an address).
    "PUBLISH_TARGET": None,
    # Custom domain written as CNAME on the gh-pages branch (None: no CNAME).
    "PUBLISH_CNAME": None,
    # Production builds (publishconf.py) name theme CSS/JS after their content (site.<hash8>.css,
    # cached a year) and write .gz/.br copies of text files; development builds stay quick.
    "TERRITOIRE_EMPREINTES": False,
    "TERRITOIRE_PRECOMPRESSION": False,
    # Brotli quality of the pre-compressed .br copies (0–11; 11 is much slower for 5,000 pages).
    "TERRITOIRE_BROTLI_QUALITE": 9,
    # Map /carte/: tile URL template ({z}/{x}/{y}, optional {s}) and its attribution (HTML
    # allowed, shown on the map). The tile server is the one third-party host a page may call.
    "TERRITOIRE_CARTE_TUILES": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    "TERRITOIRE_CARTE_ATTRIBUTION": "© les contributeurs d'OpenStreetMap",
    # Highest zoom level the tile server offers.
    "TERRITOIRE_CARTE_ZOOM_MAX": 19,
}


def get(settings: dict[str, Any], name: str) -> Any:
    return settings.get(name, DEFAULTS[name])


def project_root(settings: dict[str, Any]) -> Path:
    """The folder holding pelicanconf.py: PATH (the content folder) is inside it."""
    return Path(settings.get("TERRITOIRE_ROOT") or Path(settings["PATH"]).parent)


def build_date(settings: dict[str, Any]) -> dt.date:
    explicit = settings.get("TERRITOIRE_BUILD_DATE")
    if explicit:
        return explicit if isinstance(explicit, dt.date) else dt.date.fromisoformat(str(explicit))
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), PARIS).date()
    return dt.datetime.now(PARIS).date()
