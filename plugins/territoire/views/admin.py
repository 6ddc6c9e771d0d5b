"""The CMS for partners: /admin/ (Decap CMS, self-hosted) and its generated /admin/config.yml."""

from __future__ import annotations

import json

from .. import cms
from ..routes import ALL_PARTNERS, CONFIGURATION, Route, address, data, page


def write(site, derived, templates) -> list[Route]:
    formats = json.dumps(cms.formats(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return [
        page(f"{address('admin')}index.html", "pages/admin", {"cms_formats": formats}, (CONFIGURATION,)),
        data(address("admin-config"), lambda: cms.dump(cms.config(site)), (CONFIGURATION, ALL_PARTNERS)),
        data(address("admin-logo"), lambda: cms.logo(site.config), (CONFIGURATION,)),
        # Every French commune, for the event form's search (loaded by admin.js when it opens).
        data(address("admin-fichier", name=cms.COMMUNES_FRANCE), lambda: cms.communes_france(site), (CONFIGURATION,)),
        # The label tables of the preview and the search by commune name (read by admin.js).
        data(address("admin-fichier", name=cms.LABELS), lambda: cms.labels(site), (CONFIGURATION,)),
    ]
