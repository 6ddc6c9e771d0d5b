"""Checks of Pelican pages (content/pages/): readable, titled, with unique addresses that the
build can write, and bodies that render in bounded time.

Everything Pelican would refuse or misplace at build time is refused here, at validation, with
the file and the line: validate and build agree."""

from __future__ import annotations

import datetime as dt
import html
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from pelican.settings import DEFAULT_CONFIG
from pelican.utils import slugify as pelican_slugify

from .bodyimages import IMAGE_SUFFIXES, image_problem
from .contentfiles import intended_name, regular_files
from .fields import CheckContext, Invalid, Text, describe_character, invisible_character
from .markup import markdown_hazard, render
from .problems import Problem
from .routes import reserved_slugs
from .sources import read_text, unsaved_under

if TYPE_CHECKING:
    from .config import Config
from .yamlsource import SourceError

# Top-level addresses the site's own sections use (the route table): a page may not take them.
RESERVED_PAGE_SLUGS = reserved_slugs()
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


# Python-Markdown's meta extension, which Pelican's Markdown reader uses: the same patterns, so
# validate reads a page's metadata exactly as the build does.
_META = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)")
_META_MORE = re.compile(r"^[ ]{4,}(?P<value>.*)")
_META_BEGIN = re.compile(r"^-{3}(\s.*)?")
_META_END = re.compile(r"^(-{3}|\.{3})(\s.*)?")


def page_metadata(text: str) -> dict[str, tuple[str, int]]:
    """Pelican Markdown metadata: `Key: value` lines up to the first blank line, the first value
    of a key (the one Pelican keeps)."""
    return _read_metadata(text)[0]


def _read_metadata(text: str) -> tuple[dict[str, tuple[str, int]], list[tuple[int, str, str]]]:
    """(metadata, problems): the header read line by line as Python-Markdown's meta extension
    reads it; a key written twice or a continuation line (which the build and a reader would
    not take the same way) is a problem (line, field, French message)."""
    meta: dict[str, tuple[str, int]] = {}
    problems: list[tuple[int, str, str]] = []
    lines = text.split("\n")
    start = 1 if lines and _META_BEGIN.match(lines[0]) else 0
    key = None
    for number, line in enumerate(lines[start:], start=start + 1):
        if not line.strip() or _META_END.match(line):
            break
        if found := _META.match(line):
            key, name = found["key"].lower().strip(), found["key"].strip()
            if key in meta:
                problems.append(
                    (
                        number,
                        name,
                        f"{name} : cette ligne est écrite deux fois (lignes {meta[key][1]} et {number}) ; gardez-en une seule.",
                    )
                )
            else:
                meta[key] = (found["value"].strip(), number)
        elif key and _META_MORE.match(line):
            problems.append(
                (
                    number,
                    name,
                    f"la ligne {number} est en retrait et prolonge « {name} » de la ligne précédente ; écrivez chaque valeur "
                    "sur une seule ligne « Clé: valeur », et laissez une ligne vide avant le texte.",
                )
            )
        else:
            break
    return meta, problems


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
        # Only an address that would itself be accepted is suggested (not « _headers » or « - »).
        possible = all(SEGMENT.fullmatch(s) for s in suggestion.split("/")) and suggestion != slug
        hint = (
            f" ; vouliez-vous dire « {suggestion} » ?"
            if suggestion and possible and suggestion.split("/")[0] not in RESERVED_PAGE_SLUGS
            else " ;"
        )
        if not explicit:
            return (
                "Title : le titre ne donne aucune adresse possible ; ajoutez une ligne « Slug: » avec "
                + SLUG_EXPECTED
                + "."
            )
        return f"Slug : « {slug[:60]} » n'est pas une adresse possible{hint} attendu : {SLUG_EXPECTED}."
    if segments[0] in RESERVED_PAGE_SLUGS:
        return f"Slug : l'adresse /{slug}/ est réservée à une rubrique du site ; choisissez un autre « Slug: »."
    return None


def _save_as_ok(value: str) -> bool:
    return bool(SAVE_AS.fullmatch(value)) and value != "index.html" and value.split("/")[0] not in RESERVED_PAGE_SLUGS


_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?")
DATE_EXPECTED = "une date « AAAA-MM-JJ » (ou « AAAA-MM-JJ HH:MM »), par exemple 2026-03-15"


def _date_ok(value: str) -> bool:
    match = _DATE.fullmatch(value)
    if not match:
        return False
    try:
        dt.datetime(*(int(part) for part in match.groups(default="0")))
    except ValueError:
        return False
    return 1900 <= int(match[1]) <= 2100


# Metadata Pelican acts on: key → (field, is the value acceptable, message about the value).
METADATA_CHECKS = {
    "ordre": ("Ordre", re.compile(r"\d{1,3}").fullmatch, "n'est pas un numéro de chapitre ; attendu : un nombre entier de 0 à 999, par exemple 1."),
    "save_as": ("Save_as", _save_as_ok, "n'est pas un fichier que cette page peut occuper ; attendu : un nom en minuscules finissant par .html (par exemple 404.html), hors des rubriques du site."),
    "url": ("URL", URL.fullmatch, "n'est pas une adresse du site ; attendu : un chemin en minuscules, par exemple « ma-page/ » ou « 404.html »."),
    "status": ("Status", STATUSES.__contains__, f"n'est pas permis ; valeurs permises : {', '.join(STATUSES)}."),
    "date": ("Date", _date_ok, f"n'est pas une date ; attendu : {DATE_EXPECTED}."),
    "modified": ("Modified", _date_ok, f"n'est pas une date ; attendu : {DATE_EXPECTED}."),
}  # fmt: skip


def _metadata_problems(meta: dict[str, tuple[str, int]]) -> list[tuple[int, str, str]]:
    found = []
    for key, (name, acceptable, message) in METADATA_CHECKS.items():
        if key in meta and not acceptable(meta[key][0]):
            value, line = meta[key]
            found.append((line, name, f"{name} : « {value[:60]} » {message}"))
    return found


# Pelican's link syntax (INTRASITE_LINK_REGEX: either brace or bar on each side). {static}
# and {attach} would make Pelican copy the file named, wherever it lies, as it is: no
# content file is published that way (plugin.py drops them at build time too); {filename}
# must name a page of content/pages/.
_INTRASITE = re.compile(r"[{|](?P<what>filename|static|attach|index|tag|category|author)[|}](?P<value>[^\s\"'<>)\]]*)")


def link_problems(text: str, path: Path, content: Path) -> list[tuple[int, int, str]]:
    """(line, column, French message) for each Pelican link (« {attach}… », « {static}… »,
    « {filename}… ») of a page that would publish a file or point outside the site's pages.
    Each line is also read with its HTML character references decoded (« &#123;attach&#125; »),
    as the sanitiser writes them back as plain characters, and its Markdown escapes (« \\{ »)."""
    found = []
    for number, raw in enumerate(text.split("\n"), start=1):
        if "{" not in raw and "|" not in raw and "&" not in raw:
            continue
        seen = set()
        plain = _MARKDOWN_ESCAPE.sub(r"\1", raw)
        for line in dict.fromkeys((raw, html.unescape(raw), plain, html.unescape(plain))):
            for match in _INTRASITE.finditer(line):
                message = _link_message(match["what"], match["value"], match.group(), path, content)
                if message and match.group() not in seen:
                    seen.add(match.group())
                    found.append((number, raw.find(match.group()) + 1 or 1, message))
    return found


_MARKDOWN_ESCAPE = re.compile(r"\\(.)")
# Pelican's own pattern (pelican.contents): the links it resolves in a page's HTML.
_PELICAN_LINK = re.compile(
    r"""<[^>]+(?:href|src|poster|data|cite|formaction|action|content)\s*=\s*(?P<quote>["'])"""
    r"""[{|](?P<what>.*?)[|}](?P<value>.*?)(?P=quote)"""
)


def rendered_link_problem(body: str, path: Path, content: Path) -> str | None:
    """The message for a Pelican link found in the page's rendered HTML however it was written
    in the Markdown (``link_problems`` names the line of the usual spellings)."""
    for match in _PELICAN_LINK.finditer(render(body)):
        what, value = match["what"], html.unescape(match["value"])
        if what in ("filename", "static", "attach", "tag", "category", "author"):
            written = "{" + what + "}" + value
            if message := _link_message(what, value, written, path, content):
                return message
    return None


def _link_message(what: str, value: str, written: str, path: Path, content: Path) -> str | None:
    target = unquote(urlsplit(value).path)
    resolved = Path(os.path.normpath(content / target.lstrip("/") if target.startswith("/") else path.parent / target))
    shown = written[:80]
    if what == "index":
        return None
    if what == "filename":
        pages = content / "pages"
        if (
            resolved.suffix == ".md"
            and resolved.is_relative_to(pages)
            and resolved.is_file()
            and not any(p.is_symlink() for p in [resolved, *resolved.parents] if p.is_relative_to(pages))
        ):
            return None
        return (
            f"le lien « {shown} » ne désigne pas une page de content/pages/ ; attendu : l'adresse d'une page "
            "du site, par exemple « /mentions-legales/ », ou « {filename}/pages/mentions-legales.md »."
        )
    if what in ("static", "attach"):
        images = content / "images"
        if resolved.is_relative_to(images) and resolved.suffix.lower() in IMAGE_SUFFIXES and resolved.is_file():
            address = "/" + resolved.relative_to(content).as_posix()
            return (
                f"le lien « {shown} » publierait le fichier tel quel (avec ses métadonnées) ; écrivez l'adresse de "
                f"l'image sans « {{{what}}} » : « {address} » (les images sont publiées redimensionnées, sans métadonnées)."
            )
        return (
            f"le lien « {shown} » publierait un fichier qui n'est pas une image du site ; seules les images de "
            "content/images/ peuvent être montrées, par leur adresse « /images/dossier/photo.jpg »."
        )
    return f"le lien « {shown} » désigne une rubrique que ce site n'a pas ; écrivez l'adresse d'une page du site."


def page_templates(config: Config | None) -> list[str]:
    """The templates a page may name in `Template:`: the theme's « page » ones (page.html,
    page-*.html), in the template folders Pelican searches."""
    if config is None:
        return ["page"]
    folders = [*config.THEME_TEMPLATES_OVERRIDES, str(Path(config.THEME) / "templates")]
    found = {"page"}
    for folder in folders:
        found |= {p.stem for p in Path(folder).glob("page-*.html") if p.is_file()}
    return sorted(found)


def _body_only(text: str) -> str:
    """The page's text with its header lines blanked (same line numbers): a title is plain
    text, never an image."""
    header, separator, body = text.partition("\n\n")
    return "\n" * (header.count("\n") + len(separator)) + body if separator else text


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
    slugs: dict[str, tuple[str, int, str, str]] = {}
    listed = regular_files(pages_dir, ["*"], recursive=True, within=pages_dir.parent)
    for path in sorted({*listed, *unsaved_under(pages_dir)}):
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
        meta, header_problems = _read_metadata(text)
        if kept is not None:
            kept.append(PageText(path.relative_to(pages_dir).as_posix(), text, meta))
        for line, name, message in header_problems:
            found.append(Problem(source, line, 1, message, name))
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
        if "template" in meta and meta["template"][0] not in (allowed := page_templates(config)):
            value, line = meta["template"]
            found.append(
                Problem(
                    source,
                    line,
                    1,
                    f"Template : « {value[:60]} » n'est pas un gabarit de page du thème ; valeurs permises : "
                    f"{', '.join(allowed)} (ou supprimez la ligne).",
                    "Template",
                )
            )
        links = link_problems(text, path, pages_dir.parent)
        for line, column, message in links:
            found.append(Problem(source, line, column, message))
        if (bad := invisible_character(text, "\n\r\t")) is not None:
            # Like an offer's texts: nothing invisible reaches the page, its summary or the feeds.
            position = text.index(bad)
            line = text.count("\n", 0, position) + 1
            column = position - (text.rfind("\n", 0, position) + 1) + 1
            found.append(
                Problem(
                    source,
                    line,
                    column,
                    f"le texte contient {describe_character(bad)} ; attendu : du texte sans caractère de contrôle : "
                    "supprimez-le (ou retapez ce passage).",
                )
            )
        hazard = markdown_hazard(text)
        if hazard:
            found.append(Problem(source, hazard[0], 1, hazard[1]))
        elif not links and (message := rendered_link_problem(_body_only(text), path, pages_dir.parent)):
            body_line = text.partition("\n\n")[0].count("\n") + 3
            found.append(Problem(source, body_line, 1, message))
        elif ctx and (image := image_problem(_body_only(text), ctx.image_exists, ctx.image_problem)):
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
            continue
        # The file the build writes: two pages there would overwrite each other.
        written = meta["save_as"][0] if "save_as" in meta else f"{slug}/index.html"
        if "save_as" in meta:
            line = meta["save_as"][1]
        if meta.get("status", ("",))[0] == "draft":
            continue
        field = "Save_as" if "save_as" in meta else "Slug"
        what = (
            f"Save_as : « {written} » est déjà le fichier"
            if field == "Save_as"
            else f"Slug : « {slug} » est déjà l'adresse"
        )
        if written in slugs:
            # Both files are named, each in the other's message: either may be the one to change.
            other, other_line, other_what, other_field = slugs[written]
            for at, at_line, at_what, at_field, named in (
                (source, line, what, field, other),
                (other, other_line, other_what, other_field, source),
            ):
                found.append(
                    Problem(
                        at,
                        at_line,
                        1,
                        f"{at_what} de {named} ; attendu : une adresse unique (l'une des deux pages effacerait l'autre).",
                        at_field,
                    )
                )
        else:
            slugs[written] = (source, line, what, field)
    return found
