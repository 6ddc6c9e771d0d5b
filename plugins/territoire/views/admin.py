"""The CMS for partners: /admin/ (Decap CMS, self-hosted) and its generated /admin/config.yml."""

from __future__ import annotations

from pathlib import Path

from .. import cms


def write(gen, writer, site) -> None:
    gen.render(writer, "admin/index.html", "admin")
    target = Path(gen.output_path) / "admin" / "config.yml"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(cms.dump(cms.config(site)), encoding="utf-8")
