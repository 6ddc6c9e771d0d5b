"""The CMS for partners: /admin/ (Decap CMS, self-hosted) and its generated /admin/config.yml."""

from __future__ import annotations

import json

from .. import cms
from ..routes import address


def write(gen, site) -> None:
    gen.render(
        f"{address('admin')}index.html",
        "pages/admin",
        cms_formats=json.dumps(cms.formats(), ensure_ascii=False, sort_keys=True, separators=(",", ":")),
    )
    gen.write_data(address("admin-config"), cms.dump(cms.config(site)))
    gen.write_data(address("admin-logo"), cms.logo(site.config))
    # Every French commune, for the event form's search (loaded by admin.js when it opens).
    gen.write_data(address("admin-fichier", name=cms.COMMUNES_FRANCE), cms.communes_france(site))
    # The label tables of the preview and the search by commune name (read by admin.js).
    gen.write_data(address("admin-fichier", name=cms.LABELS), cms.labels(site))
