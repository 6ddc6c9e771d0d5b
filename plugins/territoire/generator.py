"""The Pelican generator that renders the territory's pages (the render stage, render.py).

It loads nothing: render.py binds it to one build (``run``: the resolved site, what the derive
stage computed, the output registry, the search index), and each view (views/) renders its
pages through ``render()`` and its data files through ``write_data()``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pelican.generators import Generator
from pelican.utils import get_relative_path, path_to_url, sanitised_join

from .outputs import Output
from .pagewriter import CachedFile, PageWriter
from .views import VIEWS

if TYPE_CHECKING:
    from .run import Run


class TerritoireGenerator(Generator):
    """Puts the site into the templates' context; each view writes its pages."""

    producer = "territoire"  # the view and phase writing now, as the output registry names it

    def generate_context(self) -> None:
        # This build's run (render.py hands it over in Pelican's settings, which Pelican passes
        # to every generator it makes).
        self.run: Run = self.settings["TERRITOIRE_RUN"]
        self.site = site = self.run.site
        self.derived = self.run.derived
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
        # The pages are written on a second thread while the next ones are rendered; each one
        # the output registry marks searchable goes to the search index from memory
        # (pagewriter.py). Pelican has written the pages of content/pages/ by now, recorded in
        # the registry too: no page of a view may take their addresses.
        index = self.run.index
        with PageWriter(self.output_path, self.run.outputs, index.add_page if index else None) as self.pages:
            for view in VIEWS:
                self.producer = _producer(view, "write")
                view.write(self, self.site)
            # Every searchable page is out: Pagefind writes its index while the views write their
            # remaining pages (lists, feeds, data files: none of them searchable).
            self.pages.flush()
            if index is not None:
                index.write_files()
            for view in VIEWS:
                if hasattr(view, "write_late"):
                    self.producer = _producer(view, "write_late")
                    view.write_late(self, self.site)

    def render(self, save_as: str, template: str, **context) -> None:
        """Render one page with a theme template; the page writer writes it.

        The template sees what Pelican's ``Writer.write_file`` would give it: the generator's
        context, ``output_file``, ``SITEURL`` made relative when RELATIVE_URLS is on, and the
        page's own variables."""
        page = self.context.copy()
        page["localsiteurl"] = page.get("localsiteurl")
        if self.site.config.RELATIVE_URLS:
            page["SITEURL"] = page["localsiteurl"] = self.siteurl_for(save_as)
        page["output_file"] = save_as
        page.update(context)
        html = self.get_template(template).render(page)
        sanitised_join(self.output_path, save_as)  # refuses an address outside the site
        searchable = "data-pagefind-body" in html
        self.pages.submit(Output.of(save_as, self.producer, template, searchable, bool(context.get("noindex"))), html)

    def siteurl_for(self, save_as: str) -> str:
        """SITEURL as the page ``save_as`` sees it: relative to it when RELATIVE_URLS is on. Markup
        the scripts insert into a page (from the data files) takes the page's own."""
        if self.site.config.RELATIVE_URLS:
            return path_to_url(get_relative_path(save_as))
        return self.site.config.SITEURL

    def write_data(self, relative: str, data: str | bytes | CachedFile) -> None:
        """A data file (feed, calendar, export) at ``relative`` in the site, written by the page
        writer in order with the pages (its folder may be a page's)."""
        sanitised_join(self.output_path, relative)
        self.pages.submit(Output.of(relative, self.producer), data)


def _producer(view, phase: str) -> str:
    """« territoire/views/offers.py:write »: the view module and the phase writing an output."""
    return f"{view.__name__.replace('.', '/')}.py:{phase}"
