"""Checks of Pelican pages (content/pages/): readable, titled, with unique addresses."""

from __future__ import annotations

from pathlib import Path

from .fields import CheckContext, Invalid, Text
from .problems import Problem
from .sources import read_text
from .yamlsource import SourceError

# Top-level addresses the site's own sections use: a page may not take them.
RESERVED_PAGE_SLUGS = {
    "offres", "partenaires", "evenements", "carte", "recherche", "admin", "theme", "images", "trouver-un-accompagnement",
    "qui-fait-quoi", "donnees-ouvertes", "reseau", "pagefind",
}

# A page's title is plain text on one line, like an offer's (fields.Text checks it).
PAGE_TITLE = Text("Titre", max_length=300)


def slugify(text: str) -> str:
    from .site import slugify as site_slugify  # late import: site.py imports this module

    return site_slugify(text)


def page_metadata(text: str) -> dict[str, tuple[str, int]]:
    """Pelican Markdown metadata: `Key: value` lines up to the first blank line."""
    meta: dict[str, tuple[str, int]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            break
        key, sep, value = line.partition(":")
        if not sep or " " in key.strip():
            break
        meta[key.strip().lower()] = (value.strip(), number)
    return meta


def check_pages(pages_dir: Path, root: Path, max_size: int) -> list[Problem]:
    found: list[Problem] = []
    slugs: dict[str, str] = {}
    for path in sorted(pages_dir.rglob("*.md")) if pages_dir.is_dir() else []:
        source = path.relative_to(root).as_posix()
        try:
            text = read_text(path, max_size)
        except SourceError as exc:
            found.append(Problem(source, exc.line, exc.column, exc.message))
            continue
        meta = page_metadata(text)
        if "title" not in meta or not meta["title"][0]:
            found.append(Problem(source, 1, 1, "la page n'a pas de titre : ajoutez en première ligne « Title: Le titre de la page ».", "Title"))
        title = meta.get("title", ("", 1))[0]
        if title:
            try:
                PAGE_TITLE.check(title, CheckContext(communes=None))
            except Invalid as exc:
                found.append(Problem(source, meta["title"][1], 1, f"Title : {exc.message}", "Title"))
        slug, line = meta.get("slug", (slugify(title or path.stem), 1))
        if slug.strip("/").split("/")[0] in RESERVED_PAGE_SLUGS:
            found.append(Problem(source, line, 1, f"Slug : l'adresse /{slug.strip('/')}/ est réservée à une rubrique du site ; choisissez un autre « Slug: ».", "Slug"))
        elif slug in slugs:
            found.append(Problem(source, line, 1, f"Slug : « {slug} » est déjà l'adresse de {slugs[slug]} ; attendu : une adresse unique.", "Slug"))
        else:
            slugs[slug] = source
    return found
