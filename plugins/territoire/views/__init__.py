"""One module per section of the site; each has ``write(generator, writer, site)``
and may have ``add_context(generator, site)`` to share data with other templates."""

from . import brochure, events, figures, offers, orientation, partners
from . import map as map_view

VIEWS = [offers, partners, events, brochure, figures, map_view, orientation]
