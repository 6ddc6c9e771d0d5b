"""Markdown to safe HTML: Python-Markdown, then the nh3 allow-list sanitizer.

The sanitizer's output is the only HTML from content that templates print as it is: it is
marked ``Markup`` here, where it is made, and Jinja's autoescape escapes everything else."""

from __future__ import annotations

import re

import markdown
import nh3
from markupsafe import Markup

_ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "dl",
    "dt",
    "em",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
    "figure",
    "figcaption",
    "span",
}
_ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "abbr": {"title"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
}

_md = markdown.Markdown(extensions=["extra", "sane_lists"], output_format="html")


def _local_images_only(element: str, attribute: str, value: str) -> str | None:
    """An image's address must be a file of the site's images folder (« /images/… »): nothing
    from content makes a visitor's browser fetch from another host (« https://… », « //… »,
    « /\\… »), with or without a security policy."""
    if element == "img" and attribute == "src":
        if not value.startswith("/images/") or "\\" in value or ".." in value.split("/"):
            return None
    return value


def sanitize(html: str) -> Markup:
    return Markup(
        nh3.clean(
            html,
            tags=_ALLOWED_TAGS,
            attributes=_ALLOWED_ATTRIBUTES,
            url_schemes={"http", "https", "mailto", "tel"},
            link_rel="noopener noreferrer",
            attribute_filter=_local_images_only,
        )
    )


def render(text: str, demote: int = 0) -> Markup:
    """Render Markdown to sanitized HTML; ``demote`` shifts headings down (h1 → h2...)."""
    html = _md.reset().convert(text)
    if demote:
        for level in range(6 - demote, 0, -1):
            html = html.replace(f"<h{level}", f"<h{level + demote}").replace(f"</h{level}>", f"</h{level + demote}>")
    return sanitize(html)


# --- Plain text (calendars, feeds, summaries) ------------------------------------------------
_TEXT_MARKUP = re.compile(r"[*_`#>\[\]]")
_TEXT_LIST_ITEM = re.compile(r"\s*(?:[-+*]|\d+[.)])\s+")


def plain_text(markdown: str) -> str:
    """Every paragraph of a Markdown text as plain text, one blank line between paragraphs and
    one line per list item (an agenda shows an event's description whole)."""
    paragraphs = []
    for block in re.split(r"\n[ \t]*\n", markdown.strip()):
        lines: list[str] = []
        for line in block.splitlines():
            item = _TEXT_LIST_ITEM.match(line)
            text = " ".join(_TEXT_MARKUP.sub("", line[item.end() :] if item else line).split())
            if item:
                lines.append(f"- {text}")
            elif lines and text:
                lines[-1] += f" {text}"  # a paragraph wrapped over several lines
            elif text:
                lines.append(text)
        if lines:
            paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)


def plain_summary(markdown: str, limit: int = 200) -> str:
    text = _TEXT_MARKUP.sub("", markdown.strip().split("\n\n")[0])
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"


# --- Bounded work -------------------------------------------------------------------------------
# Python-Markdown's link patterns scan forward from every « [ » to its closing « ] » (and from
# « ]( » to the closing « ) »), and its raw-HTML reader from every « <tag » to the next « > »:
# runs of unclosed or deeply nested openers make that quadratic (« [ » × 20,000 takes minutes),
# and lists or quotes nested a few hundred levels deep exhaust Python's recursion. Such bodies
# are refused at validation, before anything renders them; normal bodies are never affected.
MAX_NESTING = 20  # levels of lists and quotes
MAX_SCAN = 500_000  # characters scanned by those patterns: about 0.1 s of rendering
# Rules (« --- »), headings (« # », underlines « === ») split their paragraph and hand the rest
# back to be searched again: lines × characters of one paragraph (16,000 « --- » lines without a
# blank line take 15 s). 10,000,000 is about 0.15 s; a page of headings and text is far below.
MAX_SPLIT_COST = 10_000_000
# A term and its definition (« Terme » then « : définition ») costs two levels of recursion when
# the next pair follows without a blank line: 500 pairs exhaust Python's stack.
MAX_DEFINITIONS = 100
_SPLITTER = re.compile(r"^(?: {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*|#.*|[=-]+[ \t]*)$", re.MULTILINE)
_DEFINITION = re.compile(r"^ {0,3}:[ \t]", re.MULTILINE)

_DEEP_PREFIX = re.compile(rf"\n[ \t>]{{{MAX_NESTING + 1}}}")
_BLOCK_SPLIT = re.compile(r"\n[ \t]*\n")
_TAG_OR_CLOSE = re.compile(r"<(?=[A-Za-z/!?])|>")
_BRACKETS = re.compile(r"[\[\]()]")
_NESTING = re.compile(r"(?:[ \t]*>)*")
_LIST_ITEM = re.compile(r"([ \t]*)(?:[-*+]|\d{1,9}[.)])[ \t]")


def markdown_hazard(text: str) -> tuple[int, str] | None:
    """(line in ``text``, French message) when rendering ``text`` would take unbounded time or
    recursion; None for any ordinary text."""
    for deep in _DEEP_PREFIX.finditer("\n" + text):  # each level takes a « > », a tab or 4 spaces
        start = deep.start()  # in ``text``: the "\n" added in front shifts by one
        number = text.count("\n", 0, start) + 1
        line = text[start : text.find("\n", start) % (len(text) + 1)]
        prefix = _NESTING.match(line).group()
        depth = prefix.count(">")
        item = _LIST_ITEM.match(line, len(prefix))
        if item:
            depth += len(item.group(1).expandtabs(4)) // 4
        if depth > MAX_NESTING:
            return number, (
                f"le texte imbrique {depth} niveaux de listes ou de citations ; "
                f"attendu : au plus {MAX_NESTING} niveaux (réduisez l'indentation ou les « > »)."
            )
    block_hazard = _block_hazard(text)
    if block_hazard:
        return block_hazard
    cost, worst = _scan_cost(text)
    if cost > MAX_SCAN:
        line = text.count("\n", 0, worst) + 1
        return line, (
            "le texte contient des crochets « [ », parenthèses « ( » ou chevrons « < » non refermés "
            "ou imbriqués à l'excès : la page serait trop longue à "
            "construire ; refermez-les, ou écrivez « \\[ », « \\( », « \\< » pour un signe seul."
        )
    return None


def _block_hazard(text: str) -> tuple[int, str] | None:
    """(line, French message) for a paragraph whose rules, headings or definitions would make
    rendering slow or too deep; None otherwise. Linear in the text."""
    start = 0
    for separator in [*_BLOCK_SPLIT.finditer(text), None]:
        stop = separator.start() if separator else len(text)
        block = text[start:stop]
        line = text.count("\n", 0, start) + 1
        if ("-" in block or "#" in block or "=" in block or "_" in block or "*" in block) and (
            splits := len(_SPLITTER.findall(block))
        ) * len(block) > MAX_SPLIT_COST:
            return line, (
                f"le texte enchaîne {splits} lignes de séparation ou de titre (« --- », « # », « === ») sans ligne vide : "
                "la page serait trop longue à construire ; laissez une ligne vide entre les parties, ou retirez ces lignes."
            )
        if ":" in block:
            previous = -2
            pairs = 0
            for match in _DEFINITION.finditer(block):
                number = block.count("\n", 0, match.start())
                pairs += number != previous + 1
                previous = number
            if pairs > MAX_DEFINITIONS:
                return line, (
                    f"le texte enchaîne {pairs} définitions (une ligne, puis « : … ») sans ligne vide ; attendu : au plus "
                    f"{MAX_DEFINITIONS} à la suite : laissez une ligne vide entre les définitions."
                )
        start = separator.end() if separator else stop
    return None


def _scan_cost(text: str) -> tuple[int, int]:
    """Characters Python-Markdown would scan for links and raw HTML, and the position of the
    opener that costs the most. Linear: only the bracket characters are visited."""
    if "[" not in text and "<" not in text:
        return 0, 0
    cost = worst_cost = worst = 0
    # « <tag »: the HTML reader reads the whole text up to the next « > ».
    next_close = len(text)
    for match in reversed(list(_TAG_OR_CLOSE.finditer(text))):
        if match.group() == ">":
            next_close = match.start()
        else:
            span = next_close - match.start()
            cost += span
            if span > worst_cost:
                worst_cost, worst = span, match.start()
    # « [ » and « ]( »: within one block (paragraph) at a time, up to the matching closer.
    start = 0
    for separator in [*_BLOCK_SPLIT.finditer(text), None]:
        stop = separator.start() if separator else len(text)
        block = text[start:stop]
        if "[" in block:
            for position, span in _bracket_spans(block):
                cost += span
                if span > worst_cost:
                    worst_cost, worst = span, start + position
        start = separator.end() if separator else stop
    return cost, worst


def _bracket_spans(block: str) -> list[tuple[int, int]]:
    """(position, characters scanned) of each « [ » and each « ( » right after a « ] »."""
    end = len(block)
    squares: list[int] = []
    parens: list[int] = []
    closed_square = -2  # position of the last « ] » that closed a « [ »
    spans = []
    for match in _BRACKETS.finditer(block):
        char, position = match.group(), match.start()
        if char == "[":
            squares.append(position)
        elif char == "]":
            if squares:
                spans.append((squares.pop(), position))
                closed_square = position
        elif char == "(":
            parens.append((position, closed_square == position - 1))
        elif parens:
            opened, after_link = parens.pop()
            if after_link:
                spans.append((opened, position))
    spans += [(p, end) for p in squares]
    spans += [(p, end) for p, after_link in parens if after_link]
    return [(opened, closed - opened) for opened, closed in spans]
