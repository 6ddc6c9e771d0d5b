"""The CMS for partners: /admin/ (Decap CMS, self-hosted) and its generated /admin/config.yml."""

from __future__ import annotations

from .. import cms


def write(gen, site) -> None:
    gen.render("admin/index.html", "admin")
    gen.write_data("admin/config.yml", cms.dump(cms.config(site)))
