"""The output registry: every file of a built site, with the code that made it.

It starts as the route table (routes.py): before anything is written, the generator declares
every page and data file of the views, and Pelican's own pages, as an ``Output`` (path, the
view or the helper marked ``@produces`` that declared it — named from its declaration, never
from the call stack —, the theme template, the content files it is made from, whether Pagefind
indexes it, whether it is noindex, whether it belongs in the sitemap). Pelican's pages are
recorded again from its ``content_written`` signal once written. Once the post-processing steps
are done, ``complete()`` records the files nobody declared (theme assets, copied images,
Pagefind's index, compressed copies) with the step that makes them.

The sitemap is made from the registry (no page read back); the registry is saved with the site
as ``_hebergement/sorties.json`` (never published), and ``invoke outputs [URL…]`` reads it:
one hop from an address to the code and template that wrote it.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from .routes import HOSTING_DIR, address

if TYPE_CHECKING:
    from .routes import Route

FILE_NAME = "sorties.json"
REGISTRY = f"{HOSTING_DIR}/{FILE_NAME}"  # the registry, saved with the site
# Pagefind names some of its files after a hash that changes from one build to the next
# (Pagefind/pagefind#638): each is recorded under one stable pattern, so that the registry
# itself stays byte-identical between builds.
UNSTABLE_NAMES = [
    ("pagefind/filter/", "pagefind/filter/*.pf_filter"),
    ("pagefind/pagefind.", "pagefind/pagefind.*.pf_meta"),
]
PACKAGE_DIR = Path(__file__).resolve().parent
ROOT = PACKAGE_DIR.parent  # code files are named from here: « territoire/views/offers.py »
# Pages that never go in the sitemap whatever they say: the error page and the CMS.
OUT_OF_SITEMAP = ("404.html", address("admin"))
# Files no view declares, by where they are (first match wins): the step that makes them.
UNDECLARED = [
    (".gz", "territoire/hosting.py:precompress"),
    (".br", "territoire/hosting.py:precompress"),
    ("pagefind/", "territoire/search.py:SearchIndex (Pagefind)"),
    ("plaquette-accueil.pdf", "territoire/brochure_pdf.py:make_pdf"),
    ("plaquette-qr-offres.svg", "territoire/brochure_pdf.py:make_pdf"),
    ("sitemap.xml", "territoire/hosting.py:write_robots_and_sitemap"),
    ("robots.txt", "territoire/hosting.py:write_robots_and_sitemap"),
    ("_headers", "territoire/hosting.py:write_hosting_rules"),
    ("_hebergement/", "territoire/hosting.py:write_hosting_rules"),
    ("theme/", "Pelican : fichiers du thème (theme/static/), empreintes : hosting.py:fingerprint_assets"),
    ("", "Pelican : fichiers statiques (STATIC_PATHS de pelicanconf.py)"),
]


@dataclass(frozen=True, slots=True)
class Output:
    path: str  # relative to the site's root, with « / »
    producer: str  # the code that made it: « fichier.py:fonction »
    template: str = ""  # the theme template rendered (theme/templates/<template>.html)
    searchable: bool = False  # handed to Pagefind (the page carries data-pagefind-body)
    noindex: bool = False  # marked noindex: search engines leave it out
    sitemap: bool = False  # listed in sitemap.xml
    sources: tuple[str, ...] = ()  # the content files it is made from (routes.py: ALL_* for a whole kind)
    declared: bool = False  # in the route table before anything was written (else: see UNDECLARED)

    @property
    def url(self) -> str:
        return "/" + self.path.removesuffix("index.html")

    @classmethod
    def of(
        cls,
        path: str,
        producer: str,
        template: str = "",
        searchable: bool = False,
        noindex: bool = False,
        sources: tuple[str, ...] = (),
        declared: bool = False,
    ) -> Output:
        """An output with its place in the sitemap decided (``in_sitemap``)."""
        return cls(path, producer, template, searchable, noindex, in_sitemap(path, noindex), sources, declared)

    @classmethod
    def declare(cls, route: Route) -> Output:
        """A route of the table, as the registry records it."""
        return cls.of(
            route.save_as, route.producer, route.template, route.searchable, route.noindex, route.sources, True
        )


def in_sitemap(path: str, noindex: bool) -> bool:
    return path.endswith(".html") and not noindex and not path.startswith(OUT_OF_SITEMAP)


def produces(function: Callable[..., list[Route]]) -> Callable[..., list[Route]]:
    """Marks a view's helper as the producer of the routes it returns, as the output registry
    names it: « territoire/views/offers.py:_write_list »."""
    name = producer_name(function.__module__, function.__qualname__)

    @functools.wraps(function)
    def wrapper(*args, **kwargs) -> list[Route]:
        return stamp(function(*args, **kwargs), name)

    return wrapper


def producer_name(module: str, function: str) -> str:
    """« territoire/views/offers.py:write »: a view module and the function declaring routes."""
    return f"{module.replace('.', '/')}.py:{function}"


def stamp(routes: Iterable[Route], producer: str) -> list[Route]:
    """The routes, each without a producer given ``producer``."""
    return [r if r.producer else r.produced_by(producer) for r in routes]


class Registry:
    def __init__(self, outputs: Iterable[Output] = ()):
        self._outputs: dict[str, Output] = {o.path: o for o in outputs}

    def record(
        self, path: str, producer: str, template: str = "", searchable: bool = False, noindex: bool = False
    ) -> Output:
        declared = self._outputs.get(path)
        sources = declared.sources if declared else ()
        return self.add(Output.of(path, producer, template, searchable, noindex, sources, declared is not None))

    def add(self, output: Output) -> Output:
        self._outputs[output.path] = output
        return output

    def declare(self, output: Output) -> Output:
        """Put a route in the table; each address may be taken once in a build (Pelican's pages,
        declared first, included)."""
        from .pagewriter import PageWriteError

        if output.path in self._outputs:
            raise PageWriteError(
                f"deux pages du site auraient la même adresse ({output.path}) : la seconde effacerait la première ; "
                "changez le « Slug: » de la page de content/pages/ qui la prend (ou le nom du fichier)."
            )
        return self.add(output)

    def pelican_written(self, output_root: str, on_searchable: Callable[[str, str], None] | None = None):
        """A receiver for Pelican's ``content_written`` signal: its pages and direct templates,
        each read back once; a searchable one goes on to ``on_searchable(path, html)`` (Pagefind)."""

        def receive(path: str, context: dict | None = None) -> None:
            context = context or {}
            relative = Path(os.path.relpath(path, output_root)).as_posix()
            page = context.get("page")
            if page is not None and hasattr(page, "source_path"):
                source = Path(page.source_path).as_posix().split("/content/", 1)[-1]
                producer, template = f"Pelican : page content/{source}", getattr(page, "template", "page")
            else:
                producer, template = "Pelican : DIRECT_TEMPLATES (pelicanconf.py)", context.get("page_name", "")
            # Pelican looks its templates up by bare name, in pages/ (THEME_TEMPLATES_OVERRIDES).
            template = f"pages/{template}" if template else ""
            html = Path(path).read_text(encoding="utf-8") if path.endswith(".html") else ""
            if self.record(relative, producer, template, "data-pagefind-body" in html).searchable and on_searchable:
                on_searchable(path, html)

        return receive

    def complete(self, output: Path) -> None:
        """Record every file of ``output`` that no view declared, with the step that makes it."""
        for folder, _dirs, files in os.walk(output):
            base = Path(os.path.relpath(folder, output)).as_posix()
            for name in files:
                relative = _stable(name if base == "." else f"{base}/{name}")
                if relative not in self._outputs and relative != REGISTRY:  # saved after: the previous one
                    self.record(relative, _undeclared_producer(relative))

    def __iter__(self) -> Iterator[Output]:
        return iter(sorted(self._outputs.values(), key=lambda o: o.path.split("/")))

    def __len__(self) -> int:
        return len(self._outputs)

    def get(self, path: str) -> Output | None:
        return self._outputs.get(path)

    def sitemap(self) -> list[Output]:
        """The pages of sitemap.xml, in the order of their folders."""
        return [o for o in self if o.sitemap]

    def find(self, url: str) -> Output | None:
        """The output an address leads to: /offres/, offres/x/index.html, https://…/carte/…"""
        path = urlsplit(url).path.lstrip("/")
        for candidate in (path, f"{path}index.html" if path.endswith("/") or not path else f"{path}/index.html"):
            if candidate in self._outputs:
                return self._outputs[candidate]
        return None

    def save(self, output: Path) -> Path:
        target = output / HOSTING_DIR / FILE_NAME
        target.parent.mkdir(exist_ok=True)
        # The fields by hand: dataclasses.asdict copies each value deeply (0.6 s at 5,000 offers).
        names = [f.name for f in fields(Output)]
        rows = [{name: getattr(o, name) for name in names} for o in self]
        target.write_text(json.dumps(rows, ensure_ascii=False, indent=0, sort_keys=True) + "\n", encoding="utf-8")
        return target

    @classmethod
    def load(cls, output: Path) -> Registry:
        rows = json.loads((output / HOSTING_DIR / FILE_NAME).read_text(encoding="utf-8"))
        return cls(Output(**{**row, "sources": tuple(row.get("sources", ()))}) for row in rows)


def _stable(relative: str) -> str:
    for prefix, pattern in UNSTABLE_NAMES:
        if relative.startswith(prefix) and (prefix.endswith("/") or relative.endswith(".pf_meta")):
            return pattern
    return relative


def _undeclared_producer(relative: str) -> str:
    for pattern, producer in UNDECLARED:  # « .ext »: a suffix; else a name or folder prefix
        if relative.endswith(pattern) if pattern.startswith(".") else relative.startswith(pattern):
            return producer
    return UNDECLARED[-1][1]


def describe(outputs: Iterable[Output]) -> Iterator[str]:
    """One line per file for `invoke outputs`: path, code, template, sources and what it is declared as."""
    for o in outputs:
        flags = [
            name
            for name, on in (("cherchable", o.searchable), ("noindex", o.noindex), ("plan du site", o.sitemap))
            if on
        ]
        template = f" · gabarit theme/templates/{o.template}.html" if o.template else ""
        sources = f" · d'après {', '.join(o.sources)}" if o.sources else ""
        print_flags = f" [{', '.join(flags)}]" if flags else ""
        yield f"{o.path} ← {o.producer}{template}{sources}{print_flags}"
