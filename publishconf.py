"""Production settings: imported on top of pelicanconf.py by `invoke publish`."""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: E402,F403

SITEURL = os.environ.get("SITEURL", "https://cap-actif.example.org")
RELATIVE_URLS = False
TERRITOIRE_CMS_LOCAL_BACKEND = False  # the published /admin/ only talks to the Git host
