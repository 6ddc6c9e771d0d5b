"""Content on its way out: JSON inside an HTML ``<script>`` element and spreadsheet cells.

Every page is rendered by Jinja with autoescape on (plugin.py) and HTML made in Python is
escaped with markupsafe; the two outputs here need more than HTML escaping."""

from __future__ import annotations

import json
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
