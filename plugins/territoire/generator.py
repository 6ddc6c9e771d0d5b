"""The Pelican generator that renders the territory's pages (the render stage, render.py).

It loads nothing: render.py binds it to one build (``run``: the resolved site, what the derive
stage computed, the output registry, the search index). Before anything is written, it builds
the route table: Pelican's own pages, then every route each view (views/) declares from the
site and the derived data; the output registry holds the table. Then it is the one writer of
the views' routes: it renders each page with its theme template and hands pages and data files
to the page writer, the searchable ones first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pelican.generators import Generator
from pelican.utils import get_relative_path, path_to_url, sanitised_join

from .outputs import Output, producer_name, stamp
from .pagewriter import KEPT, DirectWriter, PageWriteError, PageWriter
from .routes import ALL_PAGES, CONFIGURATION, Route
from .secondprocess import SecondProcess
from .views import VIEWS, folders

if TYPE_CHECKING:
    from .run import Run


class TerritoireGenerator(Generator):
    """Puts the site into the templates' context, declares every route, then writes them."""

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
            if hasattr(view, "template_context"):
                self.context.update(view.template_context(site, self.derived, self))
        # Pelican has read every source by now and written nothing yet: the table is complete
        # before the first file is written.
        self.routes = self.declare()

    def declare(self) -> list[Route]:
        """The route table: Pelican's pages, then each view's routes (those of ``write``, then
        those of ``write_late``, never searchable), then the folders' pages. Each address is
        taken once."""
        for output in pelican_outputs(self.context, self.settings):
            self.run.outputs.declare(output)
        early, late = [], []
        for view in VIEWS:
            early += stamp(view.write(self.site, self.derived, self), _producer(view, "write"))
            if hasattr(view, "write_late"):
                late += stamp(view.write_late(self.site, self.derived, self), _producer(view, "write_late"))
        routes = [*early, *map(_late, late)]
        for route in routes:
            self._take(route)
        pages = [o.path for o in self.run.outputs if o.path.endswith(".html")]
        for route in stamp(folders.write_late(pages), _producer(folders, "write_late")):
            self._take(route)
            routes.append(_late(route))
        return routes

    def _take(self, route: Route) -> None:
        if route.searchable and route.late:
            raise PageWriteError(
                f"la page {route.save_as} est déclarée cherchable par write_late : elle serait écrite après "
                "l'index de recherche ; déclarez-la dans write."
            )
        if not _plainly_inside(route.save_as):
            sanitised_join(self.output_path, route.save_as)  # refuses an address outside the site
        self.run.outputs.declare(Output.declare(route))

    def generate_output(self, writer) -> None:
        # The pages are written on a second thread while the next ones are rendered; each
        # searchable one goes to the search index from memory (pagewriter.py). In a full build
        # of a large site, a second process renders about half of the routes on the second core
        # (secondprocess.py). Pelican has written the pages of content/pages/ by now, at
        # the addresses the table gave them.
        index = self.run.index
        replace = self.run.reuse is not None  # in the site already there: files replaced, not overwritten
        early = [r for r in self.routes if not r.late]
        late = [r for r in self.routes if r.late]
        with PageWriter(self.output_path, index.add_page if index else None, replace) as self.pages:
            second = None
            if self.run.processes == 2:
                second = SecondProcess.split(early, late, self.write, self._write_directly)
            try:
                for n, route in enumerate(early):
                    if second is None or second.parent_renders(n):
                        self.write(route)
                    elif route.searchable and index is not None:  # the child wrote it: read from its file
                        self.pages.submit(route.save_as, KEPT, True)
                # Every searchable page is out: Pagefind writes its index while the remaining
                # pages are written (lists, feeds, data files: none of them searchable).
                self.pages.flush()
                if index is not None:
                    index.write_files()
                for n, route in enumerate(late):
                    if second is None or second.parent_renders(n, late=True):
                        self.write(route)
                if second is not None:
                    second.join()
            except BaseException:
                if second is not None:
                    second.stop()
                raise

    def _write_directly(self) -> None:
        """In the second process: its pages are written at once, by itself, and not indexed."""
        self.pages = DirectWriter(self.output_path)

    def write(self, route: Route) -> None:
        """Render a page of the table (or take a data file's content); the page writer writes it."""
        reuse = self.run.reuse
        if reuse is not None and reuse.keeps(route):  # the previous build's file, left as it is
            if route.searchable and self.run.index is not None:  # read again for the search index
                self.pages.submit(route.save_as, KEPT, True)
            return
        if not route.template:
            if reuse is not None and route.download:  # written once the pages show (build.py)
                self.run.downloads.append(route)
                return
            self.pages.submit(route.save_as, route.content(), False)
            return
        html = self.render(route.save_as, route.template, **route.page_context())
        if ("data-pagefind-body" in html) != route.searchable:
            raise PageWriteError(_search_mismatch(route))
        self.pages.submit(route.save_as, html, route.searchable)

    def render(self, save_as: str, template: str, **context) -> str:
        """Render one page with a theme template.

        The template sees what Pelican's ``Writer.write_file`` would give it: the generator's
        context, ``output_file``, ``SITEURL`` made relative when RELATIVE_URLS is on, and the
        page's own variables."""
        page = self.context.copy()
        page["localsiteurl"] = page.get("localsiteurl")
        if self.site.config.RELATIVE_URLS:
            page["SITEURL"] = page["localsiteurl"] = self.siteurl_for(save_as)
        page["output_file"] = save_as
        page.update(context)
        return self.get_template(template).render(page)

    def siteurl_for(self, save_as: str) -> str:
        """SITEURL as the page ``save_as`` sees it: relative to it when RELATIVE_URLS is on. Markup
        the scripts insert into a page (from the data files) takes the page's own."""
        if self.site.config.RELATIVE_URLS:
            return path_to_url(get_relative_path(save_as))
        return self.site.config.SITEURL


def pelican_outputs(context: dict, settings: dict) -> list[Output]:
    """What Pelican will write, as its content_written signal records it (outputs.py): the pages
    of content/pages/ (published, hidden, drafts, with their translations) and the direct
    templates."""
    found = []
    for kind in ("pages", "hidden_pages", "draft_pages"):
        for page in context.get(kind, []):
            for version in (page, *getattr(page, "translations", [])):
                source = version.source_path.replace("\\", "/").split("/content/", 1)[-1]
                found.append(
                    Output.of(
                        version.save_as,
                        f"Pelican : page content/{source}",
                        f"pages/{version.template}",
                        version.status != "hidden",
                        sources=(f"content/{source}",),
                        declared=True,
                    )
                )
    for template in settings["DIRECT_TEMPLATES"]:
        save_as = settings.get(f"{template.upper()}_SAVE_AS", f"{template}.html")
        if save_as:
            producer = "Pelican : DIRECT_TEMPLATES (pelicanconf.py)"
            found.append(
                Output.of(save_as, producer, f"pages/{template}", sources=(ALL_PAGES, CONFIGURATION), declared=True)
            )
    return found


def _search_mismatch(route: Route) -> str:
    """Why a page whose template disagrees with the table about search stops the build."""
    if route.searchable:
        return (
            f"la page {route.save_as} est déclarée cherchable dans la table des routes, mais le gabarit "
            f"« {route.template}.html » ne marque aucun élément data-pagefind-body ; ajoutez-le à "
            "l'élément qui porte le texte de la page."
        )
    return (
        f"la page {route.save_as} n'est pas déclarée cherchable dans la table des routes, mais le gabarit "
        f"« {route.template}.html » marque un élément data-pagefind-body ; retirez cet attribut : seules les "
        "offres ouvertes, les partenaires, les événements, les données ouvertes et les pages de content/pages/ "
        "vont dans l'index de recherche."
    )


def _plainly_inside(save_as: str) -> bool:
    """An address that cannot lead out of the site: relative, no « .. », no « \\ », no « ~ ».
    The others go through Pelican's ``sanitised_join``, which refuses those outside it (its
    check, for each of the 12,000 routes of a 5,000-offer site, cost 0.1 s a build)."""
    return (
        bool(save_as) and save_as[0] not in "/~" and ".." not in save_as and "\\" not in save_as and ":" not in save_as
    )


def _late(route: Route) -> Route:
    return route.produced_by(route.producer, late=True)


def _producer(view, phase: str) -> str:
    """« territoire/views/offers.py:write »: the view module and the phase declaring a route."""
    return producer_name(view.__name__, phase)
