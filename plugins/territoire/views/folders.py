"""Folder addresses: every folder of the site that holds pages answers with a page.

A page at ``offres/secteur/commerce/`` makes ``offres/secteur/`` a folder of the site; without
an index.html of its own a server answers it with a raw « 403 Forbidden ». Each such folder gets
a page that leads on at once: to its only page when it holds just one (``reseau/`` →
``reseau/bilan/``), else to the nearest folder above it that has a page (``offres/prix/`` →
``offres/``). Folders of files only (images, theme, search index) hold no page: the generated
nginx configuration answers them with the 404 page (hosting.py)."""

from __future__ import annotations

from collections import defaultdict
from posixpath import dirname

from ..routes import Route
from ..routes import page as page_route


def folders_without_page(paths: list[str]) -> dict[str, str]:
    """Folder → where it leads, for each folder above a page that has no index.html of its own.
    ``paths``: the site's pages (relative, « a/b/index.html »)."""
    indexed = {p[: -len("index.html")] for p in paths if p.endswith("index.html")}
    below: dict[str, list[str]] = defaultdict(list)  # folder → the pages' folders under it
    for page in sorted(indexed):
        folder = dirname(page.rstrip("/"))
        while folder:
            below[folder + "/"].append(page)
            folder = dirname(folder)
    targets = {}
    for folder, pages in sorted(below.items()):
        if folder in indexed:
            continue
        if len(pages) == 1:
            targets[folder] = pages[0]
            continue
        parent = dirname(folder.rstrip("/"))
        while parent and parent + "/" not in indexed:
            parent = dirname(parent)
        targets[folder] = parent + "/" if parent else ""
    return targets


def write_late(pages: list[str]) -> list[Route]:
    """The folders' pages, from the pages of the route table (every other view's and Pelican's)."""
    return [
        page_route(f"{folder}index.html", "pages/redirection", {"target": target, "dossier": True, "noindex": True})
        for folder, target in folders_without_page(pages).items()
    ]
