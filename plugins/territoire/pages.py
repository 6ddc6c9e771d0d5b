"""Checks of Pelican pages (content/pages/): readable, titled, with unique addresses that the
build can write, and bodies that render in bounded time.

Everything Pelican would refuse or misplace at build time is refused here, at validation, with
the file and the line: validate and build agree."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pelican.settings import DEFAULT_CONFIG
from pelican.utils import slugify as pelican_slugify

from .bodyimages import image_problem
from .contentfiles import intended_name, regular_files
from .fields import CheckContext, Invalid, Text
from .markup import markdown_hazard
from .problems import Problem
from .sources import read_text

if TYPE_CHECKING:
    from .config import Config
from .yamlsource import SourceError

# Top-level addresses the site's own sections use: a page may not take them.
RESERVED_PAGE_SLUGS = {
    "offres",
    "partenaires",
    "evenements",
    "carte",
    "recherche",
    "admin",
    "theme",
    "images",
    "trouver-un-accompagnement",
    "qui-fait-quoi",
    "donnees-ouvertes",
    "reseau",
    "pagefind",
}
# One address segment: lower-case letters without accents, digits, single hyphens.
SEGMENT = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SAVE_AS = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*(?:/[a-z0-9]+(?:-[a-z0-9]+)*)*\.html")
URL = re.compile(r"(?:[a-z0-9]+(?:-[a-z0-9]+)*/)*(?:[a-z0-9]+(?:-[a-z0-9]+)*(?:/|\.html))?")
STATUSES = ("published", "hidden", "draft")
# Files Pelican's readers would take as pages besides Markdown (.md): refused, as the checks
# below only read Markdown metadata.
OTHER_READER_SUFFIXES = {".markdown", ".mkd", ".mdown", ".rst", ".htm", ".html"}
SLUG_EXPECTED = "des minuscules sans accents, des chiffres et des tirets, par exemple « ma-page » (« rubrique/ma-page » pour une sous-page)"
# A page's title is plain text on one line, like an offer's (fields.Text checks it).
PAGE_TITLE = Text("Titre", max_length=300)


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


def page_slug(title: str, config: Config | None = None) -> str:
    """The slug Pelican gives a page without `Slug:` (from its title, as pelican.contents does),
    with the site's slug settings (``config``), else Pelican's own defaults."""
    if config is None:
        regex_subs, preserve_case, use_unicode = (
            DEFAULT_CONFIG[name]
            for name in ("SLUG_REGEX_SUBSTITUTIONS", "SLUGIFY_PRESERVE_CASE", "SLUGIFY_USE_UNICODE")
        )
    else:
        regex_subs = config.SLUG_REGEX_SUBSTITUTIONS
        preserve_case, use_unicode = config.SLUGIFY_PRESERVE_CASE, config.SLUGIFY_USE_UNICODE
    return pelican_slugify(title, regex_subs=regex_subs, preserve_case=preserve_case, use_unicode=use_unicode)


def _slug_problem(slug: str, explicit: bool) -> str | None:
    """Why the build could not write this page's address (None when it can)."""
    segments = slug.split("/")
    if not slug.strip():
        if explicit:
            return "Slug : l'adresse est vide ; attendu : " + SLUG_EXPECTED + "."
        return "Title : le titre ne donne aucune adresse ; ajoutez une ligne « Slug: » avec " + SLUG_EXPECTED + "."
    if not all(SEGMENT.fullmatch(s) for s in segments):
        suggestion = "/".join(page_slug(s) for s in segments if page_slug(s))
        hint = (
            f" ; vouliez-vous dire « {suggestion} » ?"
            if suggestion and suggestion.split("/")[0] not in RESERVED_PAGE_SLUGS
            else " ;"
        )
        return f"Slug : « {slug[:60]} » n'est pas une adresse possible{hint} attendu : {SLUG_EXPECTED}."
    if segments[0] in RESERVED_PAGE_SLUGS:
        return f"Slug : l'adresse /{slug}/ est réservée à une rubrique du site ; choisissez un autre « Slug: »."
    return None


def _save_as_ok(value: str) -> bool:
    return bool(SAVE_AS.fullmatch(value)) and value != "index.html" and value.split("/")[0] not in RESERVED_PAGE_SLUGS


# Metadata Pelican acts on: key → (field, is the value acceptable, message about the value).
METADATA_CHECKS = {
    "ordre": ("Ordre", re.compile(r"\d{1,3}").fullmatch, "n'est pas un numéro de chapitre ; attendu : un nombre entier de 0 à 999, par exemple 1."),
    "save_as": ("Save_as", _save_as_ok, "n'est pas un fichier que cette page peut occuper ; attendu : un nom en minuscules finissant par .html (par exemple 404.html), hors des rubriques du site."),
    "url": ("URL", URL.fullmatch, "n'est pas une adresse du site ; attendu : un chemin en minuscules, par exemple « ma-page/ » ou « 404.html »."),
    "status": ("Status", STATUSES.__contains__, f"n'est pas permis ; valeurs permises : {', '.join(STATUSES)}."),
}  # fmt: skip


def _metadata_problems(meta: dict[str, tuple[str, int]]) -> list[tuple[int, str, str]]:
    found = []
    for key, (name, acceptable, message) in METADATA_CHECKS.items():
        if key in meta and not acceptable(meta[key][0]):
            value, line = meta[key]
            found.append((line, name, f"{name} : « {value[:60]} » {message}"))
    return found


@dataclass(frozen=True)
class PageText:
    """A page of content/pages/ as read once by the validate stage (the PDF brochure takes its
    chapters from here instead of reading the files again)."""

    relative: str  # to content/pages/, e.g. "accueil/02-creer-ou-reprendre.md"
    text: str
    meta: dict[str, tuple[str, int]]


def check_pages(
    pages_dir: Path,
    root: Path,
    max_size: int,
    config: Config | None = None,
    ctx: CheckContext | None = None,
    kept: list[PageText] | None = None,
) -> list[Problem]:
    """Problems of every page; ``ctx`` (the content's image files) checks the images of bodies;
    every page read is appended to ``kept`` when given."""
    found: list[Problem] = []
    slugs: dict[str, str] = {}
    for path in regular_files(pages_dir, ["*"], recursive=True, within=pages_dir.parent):
        source = path.relative_to(root).as_posix()
        if path.suffix.lower() in OTHER_READER_SUFFIXES:
            found.append(
                Problem(
                    source,
                    1,
                    1,
                    f"les pages s'écrivent en Markdown : renommez le fichier en « {path.stem}.md » (et écrivez son en-tête « Title: … »).",
                )
            )
            continue
        if path.suffix != ".md":
            if not path.name.startswith("."):  # « .gitkeep » is no content
                name = intended_name(path.name, ".md")
                folder = path.parent.relative_to(root).as_posix()
                found.append(
                    Problem(
                        source,
                        0,
                        0,
                        f"ce fichier ne sera pas publié : seuls les fichiers en « .md » (en minuscules) sont lus comme pages. Nommez-le {folder}/{name} (ou supprimez-le s'il n'a rien à publier).",
                    )
                )
            continue
        try:
            text = read_text(path, max_size)
        except SourceError as exc:
            found.append(Problem(source, exc.line, exc.column, exc.message))
            continue
        meta = page_metadata(text)
        if kept is not None:
            kept.append(PageText(path.relative_to(pages_dir).as_posix(), text, meta))
        if "title" not in meta or not meta["title"][0]:
            found.append(
                Problem(
                    source,
                    1,
                    1,
                    "la page n'a pas de titre : ajoutez en première ligne « Title: Le titre de la page ».",
                    "Title",
                )
            )
        for line, name, message in _metadata_problems(meta):
            found.append(Problem(source, line, 1, message, name))
        hazard = markdown_hazard(text)
        if hazard:
            found.append(Problem(source, hazard[0], 1, hazard[1]))
        elif ctx and (image := image_problem(text, ctx.image_exists, ctx.image_problem)):
            found.append(Problem(source, image[0], text.split("\n")[image[0] - 1].find(image[1]) + 1, image[2]))
        title, title_line = meta.get("title", ("", 1))
        if title:
            try:
                PAGE_TITLE.check(title, CheckContext(communes=None))
            except Invalid as exc:
                found.append(Problem(source, title_line, 1, f"Title : {exc.message}", "Title"))
        explicit = "slug" in meta
        slug, line = meta["slug"] if explicit else (page_slug(title or path.stem, config), title_line)
        problem = _slug_problem(slug, explicit)
        if problem:
            found.append(Problem(source, line, 1, problem, "Slug" if explicit else "Title"))
        elif slug in slugs:
            found.append(
                Problem(
                    source,
                    line,
                    1,
                    f"Slug : « {slug} » est déjà l'adresse de {slugs[slug]} ; attendu : une adresse unique.",
                    "Slug",
                )
            )
        else:
            slugs[slug] = source
    return found
