"""Content on its way out: JSON inside an HTML ``<script>`` element, spreadsheet cells, and
the reports printed to a terminal or a pull request.

Every page is rendered by Jinja with autoescape on (plugin.py) and HTML made in Python is
escaped with markupsafe; the two outputs here need more than HTML escaping."""

from __future__ import annotations

import json
import re
from typing import Any

from markupsafe import Markup

# Inside <script> the HTML parser looks for "</script" and "<!--" whatever the JSON says;
# U+2028/2029 end a line in older JavaScript. Escaped, they are the same JSON.
_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_SCRIPT_TABLE = str.maketrans(_SCRIPT_ESCAPES)


def script_json(data: Any, indent: int | None = None) -> Markup:
    """``data`` as JSON that can stand inside ``<script type="application/ld+json">``."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=indent)
    return Markup(text.translate(_SCRIPT_TABLE))


# A spreadsheet reads a cell starting with one of these as a formula (OWASP, CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(text: str) -> str:
    """A text cell that no spreadsheet runs as a formula: an apostrophe before a risky start."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


# Characters that move a terminal's cursor, end a line, or reorder or hide text: in a report
# (a file name, a YAML key) they would print lines the report does not say (« ✔ … aucune
# erreur », « ::error … »). Shown as escapes instead.
_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def visible(text: str) -> str:
    """``text`` with every control, line-breaking or direction character written as an escape
    (« \\n », « \\x1b », « \\u202e »): what a report prints is what it says, on one line."""
    if not _INVISIBLE.search(text):
        return text
    return _INVISIBLE.sub(
        lambda m: _NAMED.get(
            m.group(), f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}"
        ),
        text,
    )


# Markdown of a pull-request comment: characters that would make a title a link, an image, a
# tag (« <details> »), emphasis or a table; « @ » (a mention, a notification) and « :// » or
# « www. » (an automatic link) get an invisible space that breaks them.
_MARKDOWN = re.compile(r"[\\`*_\[\]<>&|~#!]|@|://|www\.")
_MARKDOWN_ESCAPES = {
    "<": "&lt;",
    ">": "&gt;",
    "&": "&amp;",
    "@": "@&#8203;",
    "://": ":&#8203;//",
    "www.": "www&#8203;.",
}


def markdown_text(text: str) -> str:
    """``text`` (from content) as literal text in GitHub Markdown, on one line."""
    return _MARKDOWN.sub(lambda m: _MARKDOWN_ESCAPES.get(m.group(), "\\" + m.group()), visible(text))
