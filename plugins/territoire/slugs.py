"""The one slug function of the kit: file names, addresses and identifiers.

Pelican's own ``slugify`` (Unicode folded to ASCII by unidecode: « cœur » → « coeur »), with
substitutions that keep every letter and digit and turn everything else into single hyphens.
« St » standing alone as a word is the abbreviation of « Saint » in commune names; inside a word
(« Forest stand ») it is left alone.
"""

from __future__ import annotations

import re

from pelican.utils import slugify as pelican_slugify

SLUG_SUBSTITUTIONS = [
    (r"\bst\b\.?", "saint"),
    (r"[^a-z0-9]+", "-"),
    (r"\A-+|-+\Z", ""),
]
_SLUG_RE = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def slugify(text: str) -> str:
    """« Café-épicerie à Saint-Dier » → « cafe-epicerie-a-saint-dier »."""
    if _SLUG_RE.fullmatch(text):
        # Already a slug: kept as it is (a file named « st-flour.yaml » keeps its address), and
        # the common case (every file name) skips the folding.
        return text
    return pelican_slugify(text, regex_subs=SLUG_SUBSTITUTIONS)
