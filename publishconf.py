"""Production settings: imported on top of pelicanconf.py by `invoke publish`."""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: E402,F403

SITEURL = os.environ.get("SITEURL", "https://cap-actif.example.org")
RELATIVE_URLS = False
TERRITOIRE_CMS_LOCAL_BACKEND = False  # the published /admin/ only talks to the Git host
# Content-hashed asset names (long cache) and pre-compressed .gz/.br copies.
TERRITOIRE_EMPREINTES = True
TERRITOIRE_PRECOMPRESSION = True

# Publication (`invoke publish [--target NOM|ADRESSE]`): named targets, and the default one.
PUBLISH_TARGETS = {
    "local": "file:///var/www/cap-actif",
    "serveur": "deploiement@serveur.example.org:/var/www/cap-actif",
    "github": "ghpages://cap-actif/site",
}
PUBLISH_TARGET = os.environ.get("PUBLISH_TARGET", "local")
# Custom domain written as CNAME on gh-pages (None: no CNAME file).
PUBLISH_CNAME = os.environ.get("PUBLISH_CNAME") or None
