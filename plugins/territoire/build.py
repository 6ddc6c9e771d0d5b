"""The pipeline, driven from here and only from here:

    configuration → load → validate → resolve → derive → render → post-process → publish

=============  ================  =================================================
stage          module            entry point
=============  ================  =================================================
configuration  config.py         ``read_config(settings) -> (Config, problems)``
load           load.py           ``load(config) -> Sources``
validate       validate.py       ``validate(sources, config) -> Site``
resolve        resolve.py        ``resolve(site)``
derive         derive.py         ``derive(site) -> Derived``
render         render.py         ``render(run, settings)``
post-process   postprocess.py    ``postprocess(run, say)``
publish        publishers.py     ``make_publisher(address, cname).publish(folder)``
=============  ================  =================================================

``check()`` runs the first stages, through resolve: `invoke validate`, `invoke new-*` and
`invoke diff` stop there. ``build()`` goes on into a fresh folder and swaps it into place only
once every stage has succeeded: if anything fails, nothing is written over the previous build
(swap.py). ``publish()`` builds, checks every internal link (linkcheck.py), then publishes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from .brochure_pdf import preload as preload_weasyprint
from .config import read_config
from .contentcache import PreviewMemory
from .derive import derive
from .formats import plural
from .incremental import Preview
from .linkcheck import check_links
from .load import load
from .outputs import Registry
from .pagewriter import PageWriter
from .postprocess import pages_done, postprocess, search_done
from .publishers import PublishError, make_publisher, resolve_target
from .render import RenderError, render
from .report import print_report
from .resolve import resolve
from .run import BuildError, Run
from .search import start_index
from .secondprocess import processes as render_processes
from .site import Site
from .swap import new_staging, readable_files, swap_in
from .validate import invalid_configuration, validate
from .vendor import VendorError, ensure_installed

__all__ = ["BuildError", "Run", "build", "check", "publish", "read_settings"]


def read_settings(settings_file: str = "pelicanconf.py", overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    from pelican.settings import read_settings as pelican_read_settings

    path = Path(settings_file).resolve()  # relative to the project: the current folder
    return pelican_read_settings(str(path), override={**project_overrides(), **(overrides or {})})


def project_overrides() -> dict[str, Any]:
    """TERRITOIRE_PROJECT names another content folder (offers/, content/, output/) to work on
    with this kit's settings, theme and data: handy to try changes on a copy."""
    other = os.environ.get("TERRITOIRE_PROJECT")
    if not other:
        return {}
    root = Path(other).resolve()
    data = root / "data" / "communes-france.csv"
    return {
        "PATH": str(root / "content"),
        "TERRITOIRE_ROOT": str(root),
        "OUTPUT_PATH": str(root / "output"),
        "TERRITOIRE_COMMUNES_CSV": str(data) if data.exists() else None,
    }


def resolve_build_date(date: str | None = None) -> dt.date | None:
    """An explicit date (AAAA-MM-JJ) wins; else SOURCE_DATE_EPOCH; else today (None)."""
    if date:
        try:
            return dt.date.fromisoformat(date)
        except ValueError:
            raise BuildError(f"la date de construction « {date} » n'est pas valable ; attendu : AAAA-MM-JJ.") from None
    return None


def check(settings: dict[str, Any], only: set[Path] | None = None, memory: PreviewMemory | None = None) -> Site:
    """configuration → load → validate → resolve: the content, checked, its codes resolved, and
    the report of every problem (``only``: restricted to the problems of these files; ``memory``:
    the preview's, contentcache.PreviewMemory)."""
    config, problems = read_config(settings)
    if problems:  # content is only checked against valid settings: the refused ones come alone
        site = invalid_configuration(config, problems)
    else:
        site = validate(load(config, memory), config, memory)
        resolve(site)
        if memory is not None:
            memory.build_done()
    site.settings = settings
    if only is not None:
        root = config.ROOT.resolve()
        wanted = {p.resolve().relative_to(root).as_posix() for p in only}
        # The images a named file shows (a partner's SVG logo, photos) are checked with it, as
        # in a full run: their problems are reported on the image files themselves.
        images = Path(config.PATH).resolve().relative_to(root).as_posix() + "/images/"
        texts = [(root / name).read_text(encoding="utf-8", errors="replace") for name in sorted(wanted)]
        wanted |= {
            p.path
            for p in site.report.problems
            if p.path.startswith(images) and any(p.path.rsplit("/", 1)[-1] in text for text in texts)
        }
        site.report.problems = [p for p in site.report.problems if p.path in wanted]
    return site


def build(
    settings_file: str = "pelicanconf.py",
    output: str | None = None,
    date: str | None = None,
    overrides: dict[str, Any] | None = None,
    quiet: bool = False,
    preview: Preview | None = None,
) -> Path:
    """Validate, build into a sibling folder, swap it in. Returns the output folder.

    ``preview`` (`make serve`): what its previous build was made from, so that this one renders
    only what the edit may have changed (incremental.py)."""
    with fewer_collections(), readable_files():  # every file and folder made: 0644 / 0755
        return _build(settings_file, output, date, overrides, quiet, preview)


@contextlib.contextmanager
def fewer_collections():
    """Loading and building make a great many objects, most of them kept to the end (the
    content) or dropped at once (the pages): the garbage collector runs less often meanwhile,
    and not through the loaded content once it is frozen (``gc.freeze()`` after loading).
    Measured at 5,000 offers: 0.64 s of collections → 0.16 s for a build, -0.17 s to validate."""
    thresholds = gc.get_threshold()
    gc.set_threshold(20_000, 20, 20)
    try:
        yield
    finally:
        gc.unfreeze()  # `make serve` builds again in this process: let this build's objects go
        gc.set_threshold(*thresholds)


def _build(
    settings_file: str,
    output: str | None,
    date: str | None,
    overrides: dict[str, Any] | None,
    quiet: bool,
    preview: Preview | None,
) -> Path:
    started = time.perf_counter()
    if preview is not None:
        preview.settle()  # the last partial rebuild's search index and registry are in place
    extra = dict(overrides or {})
    build_date = resolve_build_date(date)
    if build_date:
        extra["TERRITOIRE_BUILD_DATE"] = build_date
    settings = read_settings(settings_file, extra)
    target = Path(output or settings["OUTPUT_PATH"])
    if not target.is_absolute():
        target = Path.cwd() / target

    say = (lambda *a: None) if quiet else (lambda *a: print(*a, flush=True))
    say("Vérification du contenu…")
    memory = preview.content_memory() if preview is not None else None
    importing = preload_weasyprint()  # while the content is checked
    site = check(settings, memory=memory)  # load → validate → resolve
    importing.join()
    if site.report.errors:
        print_report(site.report, stream=sys.stderr)
        details = "\n".join(str(p) for p in site.report.sorted() if p.level == "erreur")
        raise BuildError(
            "le contenu contient des erreurs : rien n'a été construit, le site précédent est intact.", details
        )
    say(
        f"  {plural(len(site.offers), 'offre')}, {plural(len(site.partners), 'partenaire')}, {plural(len(site.events), 'événement')} : contenu valide."
    )
    try:
        ensure_installed(Path(site.config.THEME), say)  # Decap CMS, on first build (vendor.py)
    except VendorError as exc:
        raise BuildError(f"{exc} Le site précédent est intact.") from None
    derived = derive(site)
    reuse = preview.plan(site, derived, target) if preview is not None else None

    target.parent.mkdir(parents=True, exist_ok=True)
    if reuse is None:
        staging = out = new_staging(target, "construction")  # leftovers of killed builds are removed first
    else:  # the preview's partial rebuild: in the site already there (incremental.py)
        staging, out = None, target
    gc.freeze()  # the loaded content lives until the end: the collector need not walk it again
    run = None
    previous = None
    try:
        # A full build renders its pages on two processes where it can (secondprocess.py).
        processes = 1 if reuse is not None else render_processes(site.config.TERRITOIRE_PROCESSUS)
        say(
            f"Construction du site (date de construction : {site.build_date.isoformat()}"
            + (f" ; rendu des pages sur {processes} processus" if processes > 1 else "")
            + ")…"
        )
        # Pagefind indexes each searchable page as soon as it is written, and writes its files
        # once the last one is out, while the views write the lists, feeds and data files and
        # the post-processing steps make the PDF brochure and the hosting files (search.py).
        index = preview.search_index(out, reuse is not None) if preview is not None else None
        if index is None:
            index = start_index(out, site.config, say, cached=preview is None)
            if index is not None and preview is not None:
                preview.keep_search(index, partial=reuse is not None)
        run = Run(site, derived, out, Registry(), index, reuse=reuse, processes=processes)
        try:
            render(run, read_settings(settings_file, {**extra, "OUTPUT_PATH": str(out)}))
        except RenderError as exc:
            raise BuildError(str(exc)) from exc.__cause__
        if reuse is not None:
            removed = reuse.remove_stale({o.path for o in run.outputs if o.declared})
            say(
                f"  reconstruction partielle : {plural(reuse.rendered, 'fichier refait', 'fichiers refaits')}, "
                f"{plural(reuse.kept, 'repris', 'repris')} de la construction précédente"
                + (f", {plural(removed, 'retiré', 'retirés')}." if removed else ".")
            )
            pages_done(run, say)
        else:
            postprocess(run, say)
            previous = swap_in(staging, target)
    except BaseException:
        if run is not None and run.index is not None:
            run.index.close()
        if preview is not None:
            preview.drop_search()
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        raise
    if previous is not None:
        remove_in_background(previous)
    if reuse is not None:
        # The pages are in place: the preview shows them while Pagefind finishes the index, and
        # the registry is made once its files are in (the next build waits for both).
        say(
            f"Site construit dans {_shown(target)} en {time.perf_counter() - started:.1f} s ; "
            "les exports, flux et agendas puis l'index de recherche suivent."
        )
        preview.finish_later(lambda: _finish_search(run, preview, started, say))
        return target
    if preview is not None:
        preview.remember(site, derived, (o for o in run.outputs if o.declared), target)
    say(f"Site construit dans {_shown(target)} en {time.perf_counter() - started:.1f} s.")
    return target


def _finish_search(run: Run, preview: Preview, started: float, say) -> None:
    """The end of a partial rebuild, while the preview already shows its pages: Pagefind gets the
    pages written again, and while it makes its index, the files to download the edit changed
    (exports, feeds, calendars: no page fetches them) are written; then the index's files are in,
    the output registry is saved and the preview remembers this build."""
    try:
        with readable_files():
            if run.index is not None:
                run.index.release()
            with PageWriter(str(run.output), replace=True) as writer:
                for route in run.downloads:
                    writer.submit(route.save_as, route.content())
            search_done(run, say)
        preview.remember(run.site, run.derived, (o for o in run.outputs if o.declared), run.output)
    except BaseException:
        if run.index is not None:
            run.index.close()  # Pagefind stopped, if a file to download could not be written
        preview.drop_search()
        raise
    say(f"Index de recherche à jour en {time.perf_counter() - started:.1f} s.")


def remove_in_background(folder: Path) -> None:
    """Delete the previous build without making anyone wait for it.

    At 5,000 offers the previous site is ~15,000 files and folders: deleting them took 29 % of a
    rebuild's time (py-spy, 7 December 2026), time the person waiting for the site need not
    spend. The new site is already in place; a detached « rm -rf » (its shell exits at once,
    so nothing is left to wait for) deletes the old one. A folder it has not finished when the
    next build starts is a leftover that build removes too (swap.remove_leftovers). Without a
    shell, the folder is deleted here."""
    if os.name == "posix" and (shell := shutil.which("sh")):
        try:
            subprocess.run(
                [shell, "-c", 'rm -rf -- "$1" </dev/null >/dev/null 2>&1 &', "sh", str(folder)],
                check=True,
                start_new_session=True,
                stdin=subprocess.DEVNULL,
            )
            return
        except (OSError, subprocess.CalledProcessError):
            pass
    shutil.rmtree(folder, ignore_errors=True)


def publish(
    target: str | None = None, date: str | None = None, settings_file: str = "publishconf.py", say=print
) -> str:
    """Build, check every internal link, publish. Returns the target's description."""
    config, problems = read_config(read_settings(settings_file))
    if problems:
        raise PublishError(" ; ".join(str(p) for p in problems) + " Rien n'a été publié.")
    publisher = make_publisher(resolve_target(target, config), config.PUBLISH_CNAME)
    # The site is built in a folder of its own under the system's temporary folder; one that a
    # killed publication left there is removed by the next one.
    workspace = new_staging(Path(tempfile.gettempdir()) / "territoire", "publication")
    try:
        output = workspace / "site"
        try:
            build(settings_file, output=str(output), date=date, quiet=False)
        except BuildError as exc:
            raise PublishError(f"{exc} Rien n'a été publié.") from None
        say("Vérification des liens internes…")
        problems = check_links(output, config.SITEURL)
        if problems:
            for problem in problems:
                say(f"  ✘ {problem}")
            raise PublishError(
                f"{len(problems)} lien(s) interne(s) cassé(s) : rien n'a été publié, la publication précédente est intacte."
            )
        say(f"Publication vers {publisher}…")
        publisher.publish(output)
    finally:
        shutil.rmtree(workspace, ignore_errors=True)
    say(f"✔ Site publié vers {publisher}.")
    return str(publisher)


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd())) + "/"
    except ValueError:
        return str(path) + "/"
