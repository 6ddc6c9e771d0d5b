"""One module per section of the site. Each declares its routes (routes.py) from the resolved
site and the derived data, and writes nothing itself: ``write(site, derived, templates)``
returns its routes, ``write_late(...)`` those never searchable (no ``data-pagefind-body``),
written after the search index is closed (search.py), and ``template_context(...)`` what its
templates share with the others (filters, tables, the images). ``templates`` is what a view may
ask of the theme (routes.Templates). The generator (generator.py) builds the table from every
view, then writes it. ``folders`` comes last: it gives a page to each folder the table leaves
without one."""

from . import admin, brochure, events, figures, folders, images, offers, orientation, partners, search, social
from . import map as map_view

VIEWS = [images, social, offers, partners, events, brochure, figures, map_view, orientation, search, admin]

__all__ = ["VIEWS", "folders"]
