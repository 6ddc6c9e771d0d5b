"""One module per section of the site; each has ``write(generator, writer, site)``
and may have ``add_context(generator, site)`` to share data with other templates."""

<<<<<<< HEAD
from . import events, offers, partners
from . import map as map_view
from . import orientation

VIEWS = [offers, partners, events, map_view, orientation]
=======
from . import brochure, events, offers, partners

VIEWS = [offers, partners, events, brochure]
>>>>>>> main
