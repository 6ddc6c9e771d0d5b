"""One module per section of the site; each has ``write(generator, site)``
and may have ``add_context(generator, site)`` to share data with other templates, and
``write_late(generator, site)`` for pages that are never searchable (no
``data-pagefind-body``): those are written after the search index is closed (search.py).
``folders`` comes last: it gives a page to each folder the others left without one."""

from . import admin, brochure, events, figures, folders, images, offers, orientation, partners, search, social
from . import map as map_view

VIEWS = [images, social, offers, partners, events, brochure, figures, map_view, orientation, search, admin, folders]
