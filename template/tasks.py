"""Tasks of this site: the kit's (`.venv/bin/invoke --list`), on the project in this folder.
Add a territory's own tasks below."""

import os
from pathlib import Path

os.chdir(Path(__file__).resolve().parent)  # the kit's tasks work on the project in the current folder

from territoire.tasks import *  # noqa: E402,F403
