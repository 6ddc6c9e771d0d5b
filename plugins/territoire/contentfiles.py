"""The content folders as files: what may be read and published from them.

Nothing outside the content is ever read or published: a symbolic link under content/ or
offers/ (to a file or a folder, wherever it points) is refused at validation, and the loaders
list only regular files, never through a link. A link could otherwise publish any file the
build can read (the CI checkout's .git/config holds its token), or loop.
"""

from __future__ import annotations

import bisect
import os
import re
from collections.abc import Iterable
from fnmatch import fnmatchcase
from pathlib import Path
from xml.parsers import expat

from .problems import Problem


def regular_files(
    folder: Path, patterns: Iterable[str], recursive: bool = False, within: Path | None = None
) -> list[Path]:
    """The regular files of ``folder`` whose names match ``patterns``; links, and whatever is
    under a linked folder (``folder`` itself, or one of its parents up to ``within``), are left out."""
    if not folder.is_dir() or _through_link(folder, within or folder.parent):
        return []
    patterns = tuple(patterns)
    every = patterns == ("*",)
    found = []
    pending = [str(folder)]
    while pending:  # os.scandir tells files, folders and links apart without a system call each
        try:
            entries = list(os.scandir(pending.pop()))
        except OSError:  # a folder that cannot be listed is left out, as os.walk does
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):  # a linked folder is not entered
                if recursive:
                    pending.append(entry.path)
            elif entry.is_file(follow_symlinks=False) and (every or any(fnmatchcase(entry.name, p) for p in patterns)):
                found.append(entry.path)
    # In the order of paths (part by part), without comparing 5,000 Path objects.
    return [Path(path) for path in sorted(found, key=lambda path: path.split(os.sep))]


def _through_link(folder: Path, within: Path) -> bool:
    try:
        inside = folder.relative_to(within)
    except ValueError:
        return True
    return any((within / part).is_symlink() for part in [inside, *inside.parents] if part != Path("."))


def link_problems(root: Path, folders: Iterable[Path]) -> list[Problem]:
    """One problem per symbolic link found under ``folders`` (not followed)."""
    root = root.resolve()
    found = []
    pending = []
    for folder in folders:
        if folder.is_symlink():
            found.append(link_problem(root, folder))
        elif folder.is_dir():
            pending.append(folder)
    while pending:  # os.scandir tells links apart without one more system call per file
        with os.scandir(pending.pop()) as entries:
            for entry in entries:
                if entry.is_symlink():
                    found.append(link_problem(root, Path(entry.path)))
                elif entry.is_dir():
                    pending.append(Path(entry.path))
    return sorted(found, key=lambda p: p.path)


def link_problem(root: Path, path: Path) -> Problem:
    """The French message for one symbolic link (named from the project's root when inside it)."""
    target = os.readlink(path)
    resolved = Path(os.path.realpath(path))
    what = "dossier" if resolved.is_dir() else "fichier"
    where = "hors du projet" if not resolved.is_relative_to(root) else "dans le projet"
    try:
        source = path.relative_to(root).as_posix()
    except ValueError:
        source = path.as_posix()
    return Problem(
        source,
        0,
        0,
        f"ce {what} est un lien symbolique vers « {target[:80]} » ({where}) : les liens ne sont pas permis dans "
        f"le contenu (rien d'extérieur ne doit être lu ni publié) ; remplacez-le par le {what} lui-même.",
    )


# --- Images: inert files only -----------------------------------------------------------------
# An SVG is a document: opened at its own address it runs its scripts, follows its links and
# loads what it references. Only drawing elements are accepted (SVG's own, plus the inert
# metadata editors such as Inkscape write), without event handlers, scripts, outside
# references, DOCTYPE or processing instructions. Raster images must be what their extension
# says, so no browser or host takes them for a page.
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
SVG_ELEMENTS = {
    "svg", "g", "defs", "symbol", "use", "title", "desc", "metadata", "path", "rect", "circle", "ellipse",
    "line", "polyline", "polygon", "text", "tspan", "textPath", "linearGradient", "radialGradient", "stop",
    "clipPath", "mask", "pattern", "marker", "style", "switch", "filter", "feBlend", "feColorMatrix",
    "feComponentTransfer", "feComposite", "feConvolveMatrix", "feDiffuseLighting", "feDisplacementMap",
    "feDistantLight", "feDropShadow", "feFlood", "feFuncA", "feFuncB", "feFuncG", "feFuncR", "feGaussianBlur",
    "feMerge", "feMergeNode", "feMorphology", "feOffset", "fePointLight", "feSpecularLighting", "feSpotLight",
    "feTile", "feTurbulence",
}  # fmt: skip
# Editors' metadata: browsers ignore elements of these namespaces.
INERT_NAMESPACES = {
    "http://www.inkscape.org/namespaces/inkscape",
    "http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "http://creativecommons.org/ns#",
    "http://purl.org/dc/elements/1.1/",
    "http://ns.adobe.com/AdobeIllustrator/10.0/",
    "http://ns.adobe.com/SaveForWeb/1.0/",
    "http://ns.adobe.com/Extensibility/1.0/",
}
OUTSIDE_URL = re.compile(
    r"url\(\s*['\"]?\s*(?!#)|@import|javascript:|expression\(|image-set\(|image\(|cross-fade\(|src\(|element\(",
    re.IGNORECASE,
)
# <use> copies what it names: nested uses multiply (8 levels of 10 make 10⁸ copies, enough to
# freeze a browser). Elements a drawing may expand to, all uses counted: far above any logo.
MAX_EXPANDED = 20_000
MAGIC = {
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".webp": (b"RIFF",),
    ".avif": (b"\x00\x00\x00",),
    ".ico": (b"\x00\x00\x01\x00",),
}
NAMES = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".gif": "GIF", ".webp": "WebP", ".avif": "AVIF", ".ico": "ICO"}


def image_problems(root: Path, folder: Path, max_size: int) -> list[Problem]:
    """One problem per image under ``folder`` that is not inert (links are left out)."""
    found = []
    for path in regular_files(folder, ["*"], recursive=True, within=folder.parent):
        suffix = path.suffix.lower()
        if suffix != ".svg" and suffix not in MAGIC:
            continue
        source = path.relative_to(root).as_posix()
        with path.open("rb") as handle:
            head = handle.read(16)
        if suffix in MAGIC:
            if not head.startswith(MAGIC[suffix]) or suffix == ".webp" and head[8:12] != b"WEBP":
                found.append(
                    Problem(
                        source,
                        0,
                        0,
                        f"ce fichier n'est pas une image {NAMES[suffix]} (son contenu ne correspond pas à son extension « {path.suffix} ») ; enregistrez-le au bon format depuis un logiciel d'images.",
                    )
                )
            continue
        if path.stat().st_size > max_size:
            found.append(
                Problem(
                    source,
                    0,
                    0,
                    f"l'image SVG pèse {path.stat().st_size} octets ; attendu : au plus {max_size} octets (simplifiez le dessin ou exportez-le en PNG).",
                )
            )
            continue
        problem = svg_problem(path.read_bytes())
        if problem:
            found.append(Problem(source, problem[0], 1, problem[1]))
    return found


def svg_problem(data: bytes) -> tuple[int, str] | None:
    """(line, French message) for an SVG that could run script or load anything, else None."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    class Refused(Exception):
        pass

    def refuse(message: str) -> None:
        raise Refused(message)

    # For <use>: every element numbered in document order; each identified element's span of
    # numbers (its subtree) and each use's number and target.
    opened: list[tuple[str | None, int, str]] = []
    spans: dict[str, tuple[int, int]] = {}
    uses: list[tuple[int, str]] = []
    counter = [0]

    def start(name: str, attributes: dict[str, str]) -> None:
        namespace, _, local = name.rpartition(" ")
        number = counter[0]
        counter[0] += 1
        if local == "use":
            href = next((v for k, v in attributes.items() if k.rpartition(" ")[2] == "href"), "").strip()
            if href.startswith("#"):
                uses.append((number, href[1:]))
        opened.append((attributes.get("id"), number, local))
        if namespace == SVG_NS and local in SVG_ELEMENTS:
            pass
        elif namespace in INERT_NAMESPACES and local.lower() != "script":
            pass
        elif not namespace and local == "svg":
            refuse(
                "la balise <svg> n'a pas d'attribut xmlns=\"http://www.w3.org/2000/svg\" ; enregistrez l'image en « SVG simple » depuis votre logiciel de dessin."
            )
        else:
            refuse(
                f"l'élément <{local}> n'est pas permis dans une image SVG (seuls les éléments de dessin le sont : pas de script, de contenu HTML, d'image ou de lien) ; enregistrez l'image en « SVG simple » ou en PNG."
            )
        for attribute, value in attributes.items():
            attr_ns, _, attr = attribute.rpartition(" ")
            if attr.lower().startswith("on"):
                refuse(
                    f"l'attribut « {attr} » (une action déclenchée par le visiteur) n'est pas permis dans une image SVG ; supprimez-le."
                )
            if attr == "href" and attr_ns in ("", XLINK_NS) and not value.strip().startswith("#"):
                refuse(
                    f"le lien « {value[:60]} » mène hors de l'image ; une image SVG ne peut désigner que ses propres éléments (« #identifiant »)."
                )
            if "\\" in value:
                refuse(
                    f"l'attribut « {attr} » contient une barre oblique inverse « \\ » (un caractère codé, qui peut cacher une adresse extérieure) ; écrivez les caractères eux-mêmes."
                )
            if OUTSIDE_URL.search(value):
                refuse(
                    f"l'attribut « {attr} » désigne une ressource extérieure ou du code (« {value[:60]} ») ; une image SVG doit se suffire à elle-même."
                )

    def end(_name: str) -> None:
        own_id, number, _local = opened.pop()
        if own_id is not None:
            spans.setdefault(own_id, (number, counter[0]))

    def text(data: str) -> None:
        if "\\" in data and opened and opened[-1][2] == "style":
            refuse(
                "le style de l'image contient une barre oblique inverse « \\ » (un caractère codé, qui peut cacher une adresse extérieure) ; écrivez les caractères eux-mêmes."
            )
        if OUTSIDE_URL.search(data):
            refuse(
                "le style de l'image désigne une ressource extérieure (« @import » ou « url(…) ») ; une image SVG doit se suffire à elle-même."
            )

    def doctype(_name: str, _system: str | None, _public: str | None, internal_subset: bool) -> None:
        if internal_subset:  # entities: the « billion laughs », or a file of the machine
            refuse("une image SVG ne doit pas déclarer d'entités (<!DOCTYPE … [ … ]>) ; supprimez cette déclaration.")

    def entity(*_args) -> None:
        refuse("une image SVG ne doit pas déclarer d'entités (<!ENTITY …>) ; supprimez cette déclaration.")

    def instruction(target: str, _data: str) -> None:
        refuse(f"l'instruction <?{target} …?> n'est pas permise dans une image SVG ; supprimez-la.")

    parser.buffer_text = True  # text between two tags in one piece: « @import » is never cut in two
    parser.buffer_size = max(8192, len(data))
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = entity
    parser.ProcessingInstructionHandler = instruction
    try:
        parser.Parse(data, True)
    except Refused as exc:
        return parser.CurrentLineNumber, str(exc)
    except expat.ExpatError as exc:
        return (
            exc.lineno,
            f"l'image SVG n'est pas un fichier XML lisible (détail technique : {expat.ErrorString(exc.code)}) ; enregistrez-la de nouveau depuis votre logiciel de dessin.",
        )
    expanded = _expanded_size(counter[0], spans, uses)
    if expanded > MAX_EXPANDED:
        return (
            1,
            f"l'image SVG répète ses éléments par des <use> imbriqués (plus de {MAX_EXPANDED} éléments à dessiner) : "
            "elle bloquerait le navigateur ; enregistrez-la en « SVG simple » (sans clones) ou en PNG.",
        )
    return None


def _expanded_size(elements: int, spans: dict[str, tuple[int, int]], uses: list[tuple[int, str]]) -> int:
    """Elements a browser draws once every <use> is expanded, capped at MAX_EXPANDED + 1 (also
    returned for a use inside what it names: browsers refuse such drawings). No recursion."""
    positions = [number for number, _ in uses]
    size: dict[str, int] = {}

    def inner(target: str) -> list[str]:
        start, stop = spans[target]
        low, high = bisect.bisect_left(positions, start), bisect.bisect_left(positions, stop)
        return [t for _, t in uses[low:high] if t in spans]

    for root in dict.fromkeys(t for _, t in uses if t in spans):
        stack, visiting = [(root, False)], set()
        while stack:
            node, done = stack.pop()
            if done:
                visiting.discard(node)
                start, stop = spans[node]
                total = stop - start
                for target in inner(node):
                    total += size[target]
                    if total > MAX_EXPANDED:
                        break
                size[node] = min(total, MAX_EXPANDED + 1)
            elif node not in size:
                if node in visiting:
                    return MAX_EXPANDED + 1
                visiting.add(node)
                stack.append((node, True))
                stack.extend((t, False) for t in inner(node) if t not in size)
    total = elements
    for _, target in uses:
        total += size.get(target, 0)
        if total > MAX_EXPANDED:
            break
    return min(total, MAX_EXPANDED + 1)


# --- Files the build does not read ------------------------------------------------------------
# Suffixes a partner's editor or a copy adds to a content file's name (« offre.yaml.txt »,
# « offre.YAML », « offre.yaml~ »): taken off to find the name the file should have.
_EXTRA_SUFFIXES = {".txt", ".yaml", ".yml", ".md", ".markdown", ".bak", ".old", ".orig", ".tmp", ".copie", ".copy"}


def intended_name(name: str, suffix: str) -> str:
    """The name a content file should have: its stem without the suffixes added by mistake,
    then ``suffix`` (« Epicerie.YAML.txt » → « Epicerie.yaml »)."""
    stem = name.rstrip("~")
    while True:
        head, dot, tail = stem.rpartition(".")
        if not dot or not head or f".{tail.lower()}" not in _EXTRA_SUFFIXES:
            break
        stem = head
    return stem + suffix


def unread_problems(root: Path, folder: Path, read: list[Path], suffix: str, what: str) -> list[Problem]:
    """One problem per file under ``folder`` (sub-folders included) that the loaders leave out
    (``read`` are the files they take): a wrong extension, or a file in a sub-folder. Hidden
    files (« .gitkeep ») are not content. ``what``: « une offre », « un partenaire »…"""
    if not folder.is_dir():
        return []
    taken = set(read)
    found = []
    for path in regular_files(folder, ["*"], recursive=True, within=folder.parent):
        if path in taken:
            continue
        relative = path.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts):
            continue
        name = intended_name(path.name, suffix)
        shown = folder.relative_to(root).as_posix()
        if len(relative.parts) > 1:
            where = f"il est dans un sous-dossier de {shown}/, que la construction ne lit pas"
        else:
            where = f"seuls les fichiers en « {suffix} » (en minuscules) de {shown}/ sont lus"
        found.append(
            Problem(
                path.relative_to(root).as_posix(),
                0,
                0,
                f"ce fichier ne sera pas publié : {where}. Pour qu'il soit lu comme {what}, "
                f"nommez-le {shown}/{name} (ou supprimez-le s'il n'a rien à publier).",
            )
        )
    return found


# A file put directly in content/ is read by nothing: which kind it looks like, by the keys its
# first lines hold (an offer's « reference: », a partner's « nom: »…), else by its extension.
_KIND_KEYS = (
    (re.compile(r"^reference:", re.M), "offre"),
    (re.compile(r"^annee:", re.M), "bilan"),
    (re.compile(r"^debut:", re.M), "evenement"),
    (re.compile(r"^(nom|sigle):", re.M), "partenaire"),
    (re.compile(r"^title:", re.M | re.I), "page"),
)


def loose_problems(
    root: Path, content: Path, places: dict[str, tuple[str, str, str]], known: Iterable[str] = ()
) -> list[Problem]:
    """One problem per file the build reads nowhere: put directly in ``content``, or anywhere in
    one of its folders that is not ``known`` (« content/offres/x.yaml »). ``places``: kind →
    (« une offre », its folder from ``root``, suffix), « photo » included (its suffix is the
    file's own)."""
    shown = content.relative_to(root).as_posix()
    files = [
        (path, f"la construction ne lit aucun fichier posé directement dans {shown}/")
        for path in regular_files(content, ["*"], within=content.parent)
    ]
    if content.is_dir() and not _through_link(content, content.parent):
        for folder in sorted(p for p in content.iterdir() if p.is_dir() and not p.is_symlink()):
            if folder.name in known or folder.name.startswith("."):
                continue
            where = f"la construction ne lit pas le dossier {shown}/{folder.name}/"
            files += [(path, where) for path in regular_files(folder, ["*"], recursive=True, within=content.parent)]
    found = []
    for path, where in files:
        if path.name.startswith("."):  # « .gitkeep » is no content
            continue
        try:
            head = path.read_bytes()[:4096].decode("utf-8", "replace")
        except OSError:
            head = ""
        kind = next((k for pattern, k in _KIND_KEYS if pattern.search(head)), None)
        if kind is None:
            added = path.name[len(intended_name(path.name, "")) :].lower()  # « .yml.txt »
            kind = "offre" if added.startswith((".yaml", ".yml")) else None
            if kind is None and path.suffix.lower() in (".md", ".markdown", ".txt"):
                kind = "page"
            if kind is None and path.suffix.lower() in (".jpg", ".jpeg", ".png", ".webp", ".svg"):
                kind = "photo"
        if kind:
            what, folder, suffix = places[kind]
            name = path.name if kind == "photo" else intended_name(path.name, suffix)
            advice = f"Pour qu'il soit lu comme {what}, déplacez-le en {folder}/{name}"
        else:
            stem = Path(intended_name(path.name, "")).stem
            advice = "Rangez-le selon ce qu'il contient : " + ", ".join(
                f"{what} en {folder}/{stem}{suffix}" for k, (what, folder, suffix) in places.items() if k != "photo"
            )
        found.append(
            Problem(
                path.relative_to(root).as_posix(),
                0,
                0,
                f"ce fichier ne sera pas publié : {where}. {advice} (ou supprimez-le s'il n'a rien à publier).",
            )
        )
    return found
