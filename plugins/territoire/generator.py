"""The Pelican generator that loads the territory's content and writes its pages."""

from __future__ import annotations

from pelican.generators import Generator
from pelican.utils import get_relative_path, path_to_url, sanitised_join

from .outputs import Registry, caller
from .pagewriter import PageWriter
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
        # The plugin's settings as validated (config.py), defaults included.
        self.context.update({k: v for k, v in vars(site.config).items() if k.startswith("TERRITOIRE_")})
        for view in VIEWS:
            if hasattr(view, "add_context"):
                view.add_context(self, site)

    def generate_output(self, writer) -> None:
        # The pages are written on a second thread while the next ones are rendered; each
        # searchable one goes to the search index from memory (pagewriter.py).
        index = self.settings.get("TERRITOIRE_INDEX_RECHERCHE")
        # Every file written is recorded with the code that asked for it (outputs.py).
        self.outputs = self.settings.get("TERRITOIRE_SORTIES") or Registry()
        # Pelican's writer has written the pages of content/pages/ by now: none may be overwritten.
        already = getattr(writer, "_written_files", set())
        # Pagefind gets the pages the registry records as searchable, from memory.
        self._searchable: set[str] = set()

        def hand_on(path: str, html: str) -> None:
            if path in self._searchable:
                index.add_page(path, html)

        with PageWriter(self.output_path, hand_on if index is not None else None, already) as self.pages:
            for view in VIEWS:
                view.write(self, self.site)
            # Every searchable page is out: Pagefind writes its index while the views write their
            # remaining pages (lists, feeds, data files: none of them searchable).
            self.pages.flush()
            searchable_pages_written = self.settings.get("TERRITOIRE_PAGES_INDEXABLES_ECRITES")
            if searchable_pages_written is not None:
                searchable_pages_written()
            for view in VIEWS:
                if hasattr(view, "write_late"):
                    view.write_late(self, self.site)

    def render(self, save_as: str, template: str, **context) -> None:
        """Render one page with a theme template; the page writer writes it.

        The template sees what Pelican's ``Writer.write_file`` would give it: the generator's
        context, ``output_file``, ``SITEURL`` made relative when RELATIVE_URLS is on, and the
        page's own variables."""
        page = self.context.copy()
        page["localsiteurl"] = page.get("localsiteurl")
        if self.settings["RELATIVE_URLS"]:
            page["SITEURL"] = page["localsiteurl"] = self.siteurl_for(save_as)
        page["output_file"] = save_as
        page.update(context)
        html = self.get_template(template).render(page)
        path = sanitised_join(self.output_path, save_as)
        if self.outputs.record(save_as, caller(), template, "data-pagefind-body" in html, bool(context.get("noindex"))).searchable:
            self._searchable.add(path)
        self.pages.submit(path, html)

    def siteurl_for(self, save_as: str) -> str:
        """SITEURL as the page ``save_as`` sees it: relative to it when RELATIVE_URLS is on. Markup
        the scripts insert into a page (from the data files) takes the page's own."""
        if self.site.config.RELATIVE_URLS:
            return path_to_url(get_relative_path(save_as))
        return self.site.config.SITEURL

    def write_data(self, relative: str, data: str | bytes) -> None:
        """A data file (feed, calendar, export) at ``relative`` in the site, written by the page
        writer in order with the pages (its folder may be a page's)."""
        self.outputs.record(relative, caller())
        self.pages.submit(sanitised_join(self.output_path, relative), data)
