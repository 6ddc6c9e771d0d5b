"""One module per section of the site; each has ``write(generator, writer, site)``
and may have ``add_context(generator, site)`` to share data with other templates."""

from . import brochure, events, offers, partners
from . import map as map_view
from . import orientation

VIEWS = [offers, partners, events, brochure, map_view, orientation]
