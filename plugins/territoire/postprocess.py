"""Steps run on the freshly built site, before it replaces the previous one.

Each step is ``step(output: Path, settings: dict, site: Site, say: callable)``; ``say`` prints
progress for people. A step that raises ``BuildError`` stops the build and nothing is swapped in.
Append new steps to POSTPROCESSORS in the order they must run.
"""

from __future__ import annotations

POSTPROCESSORS: list = []

from .search import pagefind_index  # noqa: E402

POSTPROCESSORS.append(pagefind_index)

from .brochure_pdf import make_pdf  # noqa: E402

POSTPROCESSORS.append(make_pdf)

# Hosting (issue 7): fingerprinting before compression; KEEP THESE LAST (compression must see
# every file): append other steps above this line.
from .hosting import STEPS as HOSTING_STEPS  # noqa: E402

POSTPROCESSORS.extend(HOSTING_STEPS)
