"""Where the kit is, and the helpers settings need (project root, build date).

The settings themselves are declared once, with their type, default, check and description, as
the attributes of ``config.Config``.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
# The installed kit: its theme (THEME = territoire.theme_path() in pelicanconf.py) and its
# reference data come with it.
KIT_DIR = Path(__file__).resolve().parent
THEME_PATH = KIT_DIR / "theme"
COMMUNES_CSV = KIT_DIR / "data" / "communes-france.csv"


def project_root(settings: dict[str, Any]) -> Path:
    """The folder holding pelicanconf.py: PATH (the content folder) is inside it."""
    return Path(settings.get("TERRITOIRE_ROOT") or Path(settings["PATH"]).parent)


def build_date(explicit: dt.date | None = None) -> dt.date:
    """The build date: TERRITOIRE_BUILD_DATE (``explicit``, checked by config.py) when set, else
    SOURCE_DATE_EPOCH's day, else today (Europe/Paris)."""
    if explicit:
        return explicit
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), PARIS).date()
    return dt.datetime.now(PARIS).date()
