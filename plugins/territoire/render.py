"""Stage « render »: every page and file of the site written into the new build's folder.

``render(run, settings)`` renders the Markdown bodies beforehand (on every core), then runs
Pelican once with the plugin's generator bound to this build (generator.py): Pelican writes
the pages of content/pages/ and copies the theme's files, each view (views/) renders its pages
with the theme's templates, and the page writer (pagewriter.py) writes them, each recorded in
the output registry (outputs.py) and, when searchable, handed to Pagefind.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from typing import TYPE_CHECKING, Any

from markupsafe import Markup
from pelican import signals

from .contentcache import TextStore, bodies, body_key
from .contentcache import cache_folder as content_cache_folder
from .generator import TerritoireGenerator
from .load import PARALLEL_THRESHOLD
from .markup import render as render_markdown
from .pagewriter import PageWriteError

if TYPE_CHECKING:
    from .run import Run
    from .site import Record, Site


class RenderError(Exception):
    """Rendering failed (a template, Pelican, a page that cannot be written): the message says
    why, in French."""


def render(run: Run, settings: dict[str, Any]) -> None:
    """Write the site into ``run.output`` (``settings``: Pelican's, OUTPUT_PATH set to it)."""
    prerender_bodies(run.site)
    settings = {
        **settings,
        "TERRITOIRE_RUN": run,  # the generator's, through Pelican's settings
        "JINJA_ENVIRONMENT": with_compiled_templates(settings["JINJA_ENVIRONMENT"], run.site.config),
    }

    def generators(pelican) -> type:
        return TerritoireGenerator

    # Pelican's own pages and direct templates go into the registry (and on to Pagefind).
    index = run.index
    pelican_written = run.outputs.pelican_written(str(run.output), index.add_page if index is not None else None)
    signals.get_generators.connect(generators)
    signals.content_written.connect(pelican_written)
    try:
        _run_pelican(settings)
    finally:
        signals.content_written.disconnect(pelican_written)
        signals.get_generators.disconnect(generators)
        forget_pelican_contents()


def forget_pelican_contents() -> None:
    """Empty the caches Pelican keeps on its content class (``@memoized`` get_content and
    get_summary, keyed by the page itself): they would keep every page of every build, with the
    build's whole context, alive in a process that builds again (`make serve`: about 10,000
    objects more per build of the sample)."""
    from pelican.contents import Content
    from pelican.utils import memoized

    for attribute in vars(Content).values():
        if isinstance(attribute, memoized):
            attribute.cache.clear()


def with_compiled_templates(environment: dict[str, Any], config) -> dict[str, Any]:
    """Jinja's options, with its templates compiled once and kept in the content cache.

    Pelican makes one Jinja environment per generator, and a build makes new generators: each
    build compiled every template it used again, twice or more (1.1 s of a 5,000-offer build,
    py-spy, 7 December 2026). Jinja's own bytecode cache keys each template by its name and
    the checksum of its source, so an edited template is compiled again. A project's own
    ``bytecode_cache`` in JINJA_ENVIRONMENT is kept."""
    if environment.get("bytecode_cache") is not None:
        return environment
    from jinja2 import FileSystemBytecodeCache

    folder = content_cache_folder(config) / "gabarits"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:  # a cache that cannot be made: templates compiled as before
        return environment
    return {**environment, "bytecode_cache": FileSystemBytecodeCache(str(folder))}


def _run_pelican(settings: dict[str, Any]) -> None:
    from pelican import Pelican
    from pelican.log import init as init_logging

    init_logging(level=logging.WARNING)
    os.environ.setdefault("PYTHONHASHSEED", "0")
    try:
        Pelican(settings).run()
    except PageWriteError as exc:
        raise RenderError(f"{exc} Rien n'a été publié, le site précédent est intact.") from None
    except Exception as exc:  # a template or Pelican failure: say it plainly, keep the old site
        raise RenderError(
            f"la construction a échoué ({type(exc).__name__} : {exc}) ; le site précédent est intact."
        ) from exc


BODY_DEMOTE = 1  # a record's page has its title as h1: the description's headings start at h2


def _render_body(text: str) -> str:
    return render_markdown(text, demote=BODY_DEMOTE)


def prerender_bodies(site: Site) -> None:
    """Render every Markdown body now, from the content cache or on every core, rather than
    page by page later.

    Markdown is the costliest part of an offer page; the pages themselves are rendered in one
    process (the generator, pagewriter.py). Bodies rendered by a previous build (same text, same
    code: contentcache.py) are taken from the cache; the others are rendered by worker processes
    when there are many, and the cache keeps this build's bodies."""
    cache = bodies(content_cache_folder(site.config))
    records: list[Record] = [*site.offers, *site.partners.values(), *site.events]
    missing = []
    for record in records:
        html = cache.get(body_key(record.body, BODY_DEMOTE))
        if html is None:
            missing.append(record)
        else:
            record.prerender(Markup(html))
    workers = min(os.cpu_count() or 1, 8)
    texts = [r.body for r in missing]
    if len(missing) < PARALLEL_THRESHOLD or workers < 2:
        _keep(missing, map(_render_body, texts), cache)
    else:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            _keep(missing, pool.map(_render_body, texts, chunksize=max(1, len(texts) // (workers * 4))), cache)
    try:
        cache.save()
    except OSError as exc:  # a read-only or full disk: the build goes on, next one renders again
        logging.getLogger(__name__).warning("cache du contenu non enregistré (%s)", exc)


def _keep(records: list[Record], rendered, cache: TextStore) -> None:
    for record, html in zip(records, rendered, strict=True):
        record.prerender(html)
        cache.put(body_key(record.body, BODY_DEMOTE), html)
