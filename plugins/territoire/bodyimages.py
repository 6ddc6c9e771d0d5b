"""Images written in Markdown bodies (« ![ce que montre l'image](/images/dossier/photo.jpg) »).

At validation (``image_problem``): the address must be a file of content/images/ that the image
pipeline publishes, and the text between brackets must say what the image shows.
At rendering (``images_reactives``, a template filter): each such ``<img>`` of the sanitised HTML
becomes the responsive ``<picture>`` of partials/picture.html (variants, srcset/sizes, width and
height, lazy loading), like every other photo of the site."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

from jinja2 import pass_context
from markupsafe import Markup

# Inline Markdown images; the optional title in quotes is allowed.
MARKDOWN_IMAGE = re.compile(r"!\[(?P<alt>[^\]\n]*)\]\(\s*(?P<src><[^>\n]*>|[^)\s]*)(?:\s+\"[^\"\n]*\")?\s*\)")
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".svg")
PREFIX = "/images/"
EXAMPLE = "« ![Ce que montre l'image](/images/dossier/photo.jpg) »"
# A text alternative that says nothing of the picture (screen readers would read it aloud).
_EMPTY_ALT = re.compile(r"(photo|image|img|illustration|dsc|pict?)?[\s_-]*\d*(\.(jpe?g|png|webp|svg))?", re.IGNORECASE)
_FILE_NAME = re.compile(r"[\w.-]+\.(jpe?g|png|webp|svg)", re.IGNORECASE)


def alt_problem(text: str) -> str | None:
    """What is wrong with a text alternative, in French, or None."""
    if _EMPTY_ALT.fullmatch(text.strip()) or _FILE_NAME.fullmatch(text.strip()):
        return (
            f"« {text.strip()} » ne dit pas ce que montre la photo ; attendu : une phrase qui la décrit, "
            "par exemple « Vitrine de la boulangerie sur la place du marché »."
        )
    return None


# Raw HTML images (« <img src="…" alt="…"> ») and reference-style Markdown images
# (« ![texte][ref] » with « [ref]: /images/… » elsewhere): checked like inline ones.
_RAW_IMG = re.compile(r"<img\b(?P<attributes>[^>]*)>", re.IGNORECASE)
_RAW_ATTRIBUTE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
_REFERENCE = re.compile(r"^ {0,3}\[(?P<label>[^\]\n]+)\]:[ \t]*<?(?P<src>[^\s>]*)>?", re.MULTILINE)
_REFERENCE_IMAGE = re.compile(r"!\[(?P<alt>[^\]\n]*)\](?:[ ]?\[(?P<label>[^\]\n]*)\]|(?![(\[]))")


def _images(text: str) -> list[tuple[int, str, str, str]]:
    """(position, the image as written, its address, its text alternative) of every image of a
    Markdown text, in the order they appear: inline, reference-style and raw HTML."""
    found = [(m.start(), m.group(0), m["src"].strip("<>"), m["alt"]) for m in MARKDOWN_IMAGE.finditer(text)]
    if "]:" in text:
        references = {m["label"].strip().lower(): m["src"] for m in _REFERENCE.finditer(text)}
        for match in _REFERENCE_IMAGE.finditer(text):
            label = (match["label"] or match["alt"]).strip().lower()
            if label in references:
                found.append((match.start(), match.group(0), references[label], match["alt"]))
    if "<" in text:
        for match in _RAW_IMG.finditer(text):
            attributes = {}
            for name, *values in _RAW_ATTRIBUTE.findall(match["attributes"]):
                attributes.setdefault(name.lower(), html.unescape(next((v for v in values if v), "")))
            found.append((match.start(), match.group(0), attributes.get("src", "").strip(), attributes.get("alt", "")))
    return sorted(found)


def image_problem(
    text: str, exists: Callable[[str], bool], file_problem: Callable[[str, bool], str | None]
) -> tuple[int, str, str] | None:
    """(line in ``text``, the image as written, French message) for the first image of a
    Markdown text the site cannot publish; None when every image is fine. ``exists`` and
    ``file_problem`` take a path inside the content folder (« images/x.jpg »)."""
    for position, written, src, alt in _images(text):
        line = text.count("\n", 0, position) + 1
        relative = src[1:]
        if (
            not src.startswith(PREFIX)
            or not src.lower().endswith(IMAGE_SUFFIXES)
            or ".." in src.split("/")
            or "\\" in src
        ):
            return (
                line,
                written,
                (
                    f"l'image « {src} » n'est pas une image de content/images/ ; attendu : {EXAMPLE}, "
                    "avec le fichier (.jpg, .png, .webp ou .svg) déposé dans content/images/."
                ),
            )
        if not exists(relative):
            return (
                line,
                written,
                (
                    f"l'image « {src} » est introuvable : aucun fichier content/{relative} ; "
                    "déposez-le dans content/images/ ou corrigez l'adresse."
                ),
            )
        problem = file_problem(relative, True)
        if problem:
            return line, written, problem
        alt = alt.strip()
        if not alt:
            expected = 'un attribut alt="…" qui dit' if written.startswith("<") else f"{EXAMPLE}, avec entre crochets"
            return (
                line,
                written,
                (
                    f"l'image « {src} » n'a pas de texte de remplacement ; attendu : {expected} "
                    "ce que montre l'image, pour les personnes qui ne la voient pas."
                ),
            )
        problem = alt_problem(alt)
        if problem:
            return line, written, f"l'image « {src} » : {problem}"
    return None


_IMG = re.compile(r"<img\b([^>]*)>")
_ATTRIBUTE = re.compile(r'([\w-]+)="([^"]*)"')
# A body image takes the text column's width (.prose: 48rem at most).
SIZES = "(min-width: 50rem) 48rem, calc(100vw - 2rem)"


@pass_context
def images_reactives(context: Any, body: str) -> Markup:
    """The sanitised HTML of a body with each image of content/images/ drawn by
    partials/picture.html (the one way the site draws a photo)."""
    body = Markup(body)
    images = context.get("images")
    if "<img" not in body or images is None:
        return body
    macro = context.environment.get_template("partials/picture.html").make_module(context.get_all()).picture
    siteurl = context.get("SITEURL", "")

    def replace(match: re.Match) -> str:
        attributes = {name: html.unescape(value) for name, value in _ATTRIBUTE.findall(match.group(1))}
        src = attributes.get("src", "")
        if siteurl and src.startswith(siteurl + "/"):
            src = src[len(siteurl) :]
        picture = images.get(src[1:]) if src.startswith(PREFIX) else None
        if picture is None:
            return match.group(0)
        return str(macro(picture, attributes.get("alt", ""), sizes=SIZES))

    return Markup(_IMG.sub(replace, body))
