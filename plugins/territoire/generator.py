"""The Pelican generator that loads the territory's content and writes its pages."""

from __future__ import annotations

from pelican.generators import Generator

from .problems import ContentError
from .site import load_site
from .views import VIEWS


class TerritoireGenerator(Generator):
    """Loads offers, partners and events into the context; each view writes its pages."""

    def generate_context(self) -> None:
        site = self.settings.get("TERRITOIRE_SITE_CHARGE") or load_site(self.settings)
        if site.report.errors:
            raise ContentError(site.report.sorted())
        self.site = site
        # Templates do not change during a build (each build makes a new generator): without
        # this, Jinja checks every template file's date each time a page extends or includes it.
        self.env.auto_reload = False
        self.context["territoire"] = site
        self.context["BUILD_DATE"] = site.build_date
        for view in VIEWS:
            if hasattr(view, "add_context"):
                view.add_context(self, site)

    def generate_output(self, writer) -> None:
        for view in VIEWS:
            view.write(self, writer, self.site)
        # Every searchable page is out: the build lets Pagefind write its index and starts the PDF
        # (build.py) while the views write their remaining pages (lists, feeds, data files: none
        # of them searchable).
        searchable_pages_written = self.settings.get("TERRITOIRE_PAGES_INDEXABLES_ECRITES")
        if searchable_pages_written is not None:
            searchable_pages_written()
        for view in VIEWS:
            if hasattr(view, "write_late"):
                view.write_late(self, writer, self.site)

    def render(self, writer, save_as: str, template: str, url: str | None = None, **context) -> None:
        """Write one page through Pelican's writer with a theme template."""
        writer.write_file(save_as, self.get_template(template), self.context, url=url if url is not None else save_as.removesuffix("index.html"), relative_urls=self.settings["RELATIVE_URLS"], **context)
