"""Full-text search: Pagefind indexes the built site (post-processing step) and emits its
self-hosted UI into /pagefind/. Pages opt in with ``data-pagefind-body``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def pagefind_index(output: Path, settings: dict, site, say) -> None:
    """Run the Pagefind binary (from the `pagefind[bin]` package) on the staging folder.
    Without it, say so in French and carry on: the site works, only /recherche/ is empty."""
    say("Index de recherche (Pagefind)…")
    try:
        result = subprocess.run(
            [sys.executable, "-m", "pagefind", "--site", str(output), "--force-language", "fr", "--quiet"],
            capture_output=True,
            text=True,
            encoding="utf-8",
            env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
        )
    except OSError as exc:
        say(f"  ⚠ Pagefind n'a pas pu être lancé ({exc}) : le site est construit sans index de recherche.")
        return
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        hint = detail[-1] if detail else "erreur inconnue"
        say(f"  ⚠ Pagefind est absent ou a échoué ({hint}) : le site est construit sans index de recherche ; installez-le avec « pip install 'pagefind[bin]' ».")
        return
    say("  index de recherche écrit dans pagefind/.")
