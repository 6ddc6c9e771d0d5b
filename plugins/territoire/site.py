"""Loading the whole content: offers, partners and events, checked and resolved.

``load_site(settings)`` reads every file, checks it against its model (models.py), checks
the references between files, and returns a ``Site`` holding the objects the generators
render and the ``Report`` of problems found.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import multiprocessing
import os
import re
import subprocess
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from . import communes as communes_mod
from . import images, lifecycle
from . import settings as conf
from .config import Config, read_config
from .contentfiles import image_problems, link_problems, regular_files
from .fields import PHONE_RE, CheckContext, LogoFile, normal_phone
from .markup import render
from .models import BILAN, EVENEMENT, OFFRE, PARTENAIRE, Model, check_record
from .pages import check_pages
from .problems import Problem, Report
from .resolve import resolve
from .slugs import slugify
from .sources import read_front_matter, read_yaml
from .warnings import offer_warnings
from .yamlsource import Positions, SourceError

# Addresses under /offres/ used by the board itself (views/offers.py): no offer may take them.
RESERVED_OFFER_SLUGS = {"page", "secteur", "nature", "territoire", "commune", "prix", "logement", "conclues", "alertes", "cartes"}


class Record:
    """One content file: its checked data as attributes, plus where it came from."""

    model: Model
    text_field = "description"  # the Markdown field rendered as ``html``

    def __init__(self, slug: str, source: str, data: dict[str, Any], positions: Positions):
        # Every field is a plain attribute (None when absent): templates read them thousands
        # of times per build, and a plain attribute is several times cheaper than __getattr__.
        for name in self.model.fields:
            if not hasattr(type(self), name):
                self.__dict__[name] = data.get(name)
        self.slug = slug
        self.source = source
        self.data = data
        self.positions = positions
        self._html: str | None = None

    def prerender(self, html: str) -> None:
        """Keep the body's HTML rendered elsewhere (in parallel, see ``prerender_bodies``)."""
        self._html = html

    @property
    def html(self) -> str:
        if self._html is None:
            self._html = render(self.body, demote=1)
        return self._html

    @property
    def body(self) -> str:
        """The Markdown text of the record."""
        return self.data.get(self.text_field) or ""

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.slug}>"


class Partner(Record):
    model = PARTENAIRE
    text_field = "presentation"
    place: communes_mod.Commune | None = None  # resolved (resolve.py)

    @property
    def url(self) -> str:
        return f"partenaires/{self.slug}/"


class Offer(Record):
    model = OFFRE
    # Resolved once (resolve.py): the commune, the referent partner, the lifecycle state.
    place: communes_mod.Commune | None = None
    partner: Partner | None = None
    state: str = ""

    @property
    def url(self) -> str:
        return f"offres/{self.slug}/"


class Event(Record):
    model = EVENEMENT
    # Resolved once (resolve.py): the commune and the partners named in ``partenaires``.
    place: communes_mod.Commune | None = None
    partners: list[Partner] = []  # each event gets its own list

    @property
    def url(self) -> str:
        return f"evenements/{self.slug}/"


class YearReport(Record):
    """The figures the coordinator enters for one year (content/bilan/ANNÉE.yaml)."""

    model = BILAN


class Site:
    config: Config  # the validated settings, read once by load_site (config.py)

    def __init__(self, settings: dict[str, Any], communes: communes_mod.Communes, build_date: dt.date):
        self.settings = settings
        self.communes = communes
        self.build_date = build_date
        self.partners: dict[str, Partner] = {}
        self.offers: list[Offer] = []
        self.events: list[Event] = []
        self.year_reports: dict[int, YearReport] = {}
        self.report = Report()

    # --- resolved views -------------------------------------------------------------
    def commune(self, code: str) -> communes_mod.Commune | None:
        return self.communes.get(code)

    @property
    def published_offers(self) -> list[Offer]:
        """Offers with a page: published already (newest first)."""
        return [o for o in self.offers if lifecycle.is_published(o, self.build_date)]

    @property
    def open_offers(self) -> list[Offer]:
        return [o for o in self.published_offers if lifecycle.is_open(o, self.build_date)]

    @property
    def concluded_offers(self) -> list[Offer]:
        return [o for o in self.published_offers if lifecycle.is_concluded(o)]

    def upcoming_events(self) -> list[Event]:
        return [e for e in self.events if e.fin.date() >= self.build_date]

    def past_events(self) -> list[Event]:
        return [e for e in reversed(self.events) if e.fin.date() < self.build_date]


def _problem(report: Report, root: Path, path: Path, line: int, column: int, message: str, field: str = "") -> None:
    report.add(Problem(path.relative_to(root).as_posix(), line, column, message, field))


def load_site(settings: dict[str, Any], only: set[Path] | None = None) -> Site:
    """Load and check every content file. ``only`` restricts the reported problems to files."""
    root = conf.project_root(settings).resolve()
    content = Path(settings["PATH"]).resolve()
    # The settings, validated once (config.py); views and steps read site.config. Content is
    # checked against valid settings only: a refused setting is reported alone, first.
    config, config_problems = read_config(settings)
    if config_problems:
        site = Site(settings, communes_mod.Communes({}, []), conf.build_date({"TERRITOIRE_BUILD_DATE": config.TERRITOIRE_BUILD_DATE}))
        site.config = config
        site.report.problems += config_problems
        return site
    communes = communes_mod.load(root / conf.get(settings, "TERRITOIRE_COMMUNES_CSV"), conf.get(settings, "TERRITOIRE_EPCI"))
    site = Site(settings, communes, conf.build_date(settings))
    site.config = config
    max_size = conf.get(settings, "TERRITOIRE_MAX_FILE_SIZE")
    photos_dir = content / conf.get(settings, "TERRITOIRE_PHOTOS_PATH")
    photo_names = {p.name for p in regular_files(photos_dir, ["*"], within=content)}
    photo_limits = images.limits(settings)
    ctx = CheckContext(
        communes=communes,
        reseaux_locaux=conf.get(settings, "TERRITOIRE_RESEAUX_LOCAUX"),
        photo_exists=photo_names.__contains__,
        logo_exists={p.name for p in regular_files(content / LogoFile.FOLDER, ["*"], within=content)}.__contains__,
        # Offers share photos (5,000 synthetic offers use a dozen): each file is read once.
        photo_problem=functools.cache(lambda name: images.check_photo(photos_dir / name, photo_limits)),
    )
    report = site.report
    # Nothing is read through a symbolic link (contentfiles.py): each one is an error.
    offers_dir = root / conf.get(settings, "TERRITOIRE_OFFRES_PATH")
    for problem in link_problems(root, [content, offers_dir]):
        report.add(problem)
    for problem in image_problems(root, content, max_size):  # inert images only
        report.add(problem)

    def read(kind: type[Record], path: Path, front_matter: bool) -> tuple[dict, Positions, str | None] | None:
        try:
            if front_matter:
                return read_front_matter(path, max_size)
            data, positions = read_yaml(path, max_size)
            return data, positions, None
        except SourceError as exc:
            _problem(report, root, path, exc.line, exc.column, exc.message, exc.field)
        except OSError as exc:
            _problem(report, root, path, 1, 1, f"le fichier ne peut pas être lu ({exc.strerror}).")
        return None

    def check(kind: type[Record], path: Path, loaded: tuple[dict, Positions, str | None], slugs: dict[str, Path]) -> Record | None:
        data, positions, body = loaded
        cleaned, found = check_record(kind.model, data, ctx, positions.raw, body)
        for name, sub, message in found:
            if sub and sub[0] == "@needle":  # a text inside a long value: point at its own line
                start = _body_line(path) if name not in data else positions.key_of(name)[0]
                line, column = _find_text(path, sub[1], start)
            elif name == kind.model.body_field and name not in data:
                line, column = _body_line(path), 1
            elif sub == () and name not in data:
                line, column, message = _missing_spot(kind.model, name, data, positions, message)
            elif sub is None or name not in data:
                line, column = positions.key_of(name)
            else:
                line, column = positions.of(name, *sub)
            _problem(report, root, path, line, column, message, name)
        slug = slugify(path.stem)
        if slug in slugs:
            _problem(report, root, path, 1, 1, f"l'adresse de cette page ({slug}) est déjà prise par {slugs[slug].relative_to(root).as_posix()} ; renommez l'un des deux fichiers.")
            return None
        slugs[slug] = path
        if found:
            return None
        return kind(slug, path.relative_to(root).as_posix(), cleaned, positions)

    # Partners first: offers and events refer to them.
    partner_dir = content / conf.get(settings, "TERRITOIRE_PARTENAIRES_PATH")
    partner_files = regular_files(partner_dir, ["*.md"], within=content)
    loaded_partners = [(p, read(Partner, p, True)) for p in partner_files]
    ctx.partner_ids = {slugify(p.stem) for p, loaded in loaded_partners}
    slugs: dict[str, Path] = {}
    for path, loaded in loaded_partners:
        if loaded and (partner := check(Partner, path, loaded, slugs)):
            site.partners[partner.slug] = partner
    ctx.partner_names = {p.slug: (p.nom, p.sigle or "") for p in site.partners.values()}
    for partner in site.partners.values():
        if partner.courriel:
            ctx.known_contacts.add(partner.courriel.lower())
        if partner.telephone and PHONE_RE.fullmatch(partner.telephone):
            ctx.known_contacts.add(normal_phone(partner.telephone))

    slugs = {}
    offer_files = regular_files(offers_dir, ["*.yaml", "*.yml"], within=root)
    for path, parsed in zip(offer_files, _parse_all(offer_files, max_size), strict=True):
        if isinstance(parsed, SourceError):
            _problem(report, root, path, parsed.line, parsed.column, parsed.message, parsed.field)
            loaded = None
        else:
            loaded = (*parsed, None)
        if loaded and slugify(path.stem) in RESERVED_OFFER_SLUGS:
            _problem(report, root, path, 1, 1, f"le nom de fichier « {path.name} » est réservé : /offres/{slugify(path.stem)}/ est déjà une page de la bourse ; renommez le fichier avec un nom qui décrit l'offre (par exemple « scierie-job.yaml »).")
            continue
        if loaded and (offer := check(Offer, path, loaded, slugs)):
            site.offers.append(offer)
    for offer, first in _duplicate_references(site.offers, root):
        line, column = offer.positions.of("reference")
        free = next_reference([o.reference for o in site.offers], offer.reference)
        _problem(report, root, root / offer.source, line, column, f"reference : « {offer.reference} » est déjà la référence de {first.source} ; donnez à cette offre la prochaine référence libre : {free}.", "reference")
        site.offers.remove(offer)
    site.offers.sort(key=lambda o: (o.publiee_le, o.reference), reverse=True)

    slugs = {}
    events_dir = content / conf.get(settings, "TERRITOIRE_EVENEMENTS_PATH")
    for path in regular_files(events_dir, ["*.md"], within=content):
        loaded = read(Event, path, True)
        if loaded and (event := check(Event, path, loaded, slugs)):
            site.events.append(event)
    site.events.sort(key=lambda e: (e.debut, e.slug))
    resolve(site)

    _load_year_reports(site, content / conf.get(settings, "TERRITOIRE_BILAN_PATH"), root, read, check)

    for problem in offer_warnings(site, root):
        report.add(problem)
    for problem in check_pages(content / "pages", root, max_size, settings):
        report.add(problem)

    if only is not None:
        wanted = {p.resolve().relative_to(root).as_posix() for p in only}
        report.problems = [p for p in report.problems if p.path in wanted]
    return site


def next_reference(references: Iterable[str], like: str) -> str:
    """The next free reference of the same prefix and year as ``like`` (LF-2026-014 → LF-2026-022
    when LF-2026-021 is the highest taken)."""
    prefix, year, _number = like.rsplit("-", 2)
    pattern = re.compile(rf"{re.escape(prefix)}-{re.escape(year)}-(\d+)")
    used = [int(m.group(1)) for r in references if (m := pattern.fullmatch(r))]
    return f"{prefix}-{year}-{max(used, default=0) + 1:03d}"


def _duplicate_references(offers: list[Offer], root: Path) -> list[tuple[Offer, Offer]]:
    """Pairs (newer offer, the one that had the reference first) for references used twice.
    The newer is the file changed last: not yet committed, else last committed (git), else the
    later publication date; it is the one a partner just added or copied."""
    by_reference: dict[str, list[Offer]] = {}
    for offer in offers:
        by_reference.setdefault(offer.reference, []).append(offer)
    pairs = []
    for group in by_reference.values():
        if len(group) > 1:
            ages = {o.source: _last_change(root, o.source) for o in group}
            group.sort(key=lambda o: (ages[o.source], o.mise_a_jour or o.publiee_le, o.publiee_le, o.source))
            pairs += [(offer, group[0]) for offer in group[1:]]
    return pairs


def _last_change(root: Path, source: str) -> tuple[float, int]:
    """When the file last changed in git: (+inf, 0) when it differs from the last commit (or is
    not committed yet), else the commit's time and its number of ancestors (two commits in the
    same second stay in order), (0, 0) outside a git repository."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=30)
        if done.returncode != 0:
            raise ValueError(done.stderr)
        return done.stdout.strip()

    try:
        if git("status", "--porcelain", "--", source):
            return math.inf, 0
        commit = git("log", "-1", "--format=%H %ct", "--", source)
        if not commit:
            return 0.0, 0
        sha, when = commit.split()
        return float(when), int(git("rev-list", "--count", sha))
    except (OSError, subprocess.SubprocessError, ValueError):
        return 0.0, 0


def _missing_spot(model: Model, name: str, data: dict, positions: Positions, message: str) -> tuple[int, int, str]:
    """Where a missing field belongs: after the field that comes before it in the model (or
    before the one that follows), with the line to add."""
    order = [n for n in model.fields if n != model.body_field]
    index = order.index(name) if name in order else len(order)
    before = [n for n in order[:index] if n in data]
    after = [n for n in order[index + 1 :] if n in data]
    if before:
        line = positions.key_of(before[-1])[0]
        return line, 1, f"{message} Ajoutez la ligne « {name}: … » après celle de « {before[-1]} » (ligne {line})."
    if after:
        line = positions.key_of(after[0])[0]
        return line, 1, f"{message} Ajoutez la ligne « {name}: … » avant celle de « {after[0]} » (ligne {line})."
    line, column = positions.key_of(name)
    return line, column, message


def _load_year_reports(site: Site, folder: Path, root: Path, read: Callable, check: Callable) -> None:
    """content/bilan/ANNÉE.yaml: one file per year, named after its year, none in the future."""
    slugs: dict[str, Path] = {}
    for path in regular_files(folder, ["*.yaml", "*.yml"], within=folder.parent):
        loaded = read(YearReport, path, False)
        if not loaded or not (report := check(YearReport, path, loaded, slugs)):
            continue
        line, column = report.positions.of("annee")
        if path.stem != str(report.annee):
            _problem(site.report, root, path, line, column, f"annee : le fichier s'appelle « {path.name} » mais donne les chiffres de {report.annee} ; attendu : un fichier nommé {report.annee}.yaml (une année par fichier).", "annee")
        elif report.annee > site.build_date.year:
            _problem(site.report, root, path, line, column, f"annee : {report.annee} n'a pas encore commencé ; attendu : une année passée ou l'année en cours ({site.build_date.year} au plus).", "annee")
        else:
            site.year_reports[report.annee] = report


def _parse_one(path: Path, max_size: int) -> tuple[dict, Positions] | SourceError:
    try:
        return read_yaml(path, max_size)
    except SourceError as exc:
        return exc
    except OSError as exc:
        return SourceError(f"le fichier ne peut pas être lu ({exc.strerror}).", 1, 1)


# Parsing YAML is the bulk of validation: above this many files, use every core.
PARALLEL_THRESHOLD = 400


def _parse_all(paths: list[Path], max_size: int) -> list:
    workers = min(os.cpu_count() or 1, 8)
    if len(paths) < PARALLEL_THRESHOLD or workers < 2:
        return [_parse_one(p, max_size) for p in paths]
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        return list(pool.map(_parse_one, paths, [max_size] * len(paths), chunksize=max(1, len(paths) // (workers * 4))))


def _render_body(text: str) -> str:
    return render(text, demote=1)


def prerender_bodies(site: Site) -> None:
    """Render every Markdown body now, on every core, rather than page by page later.

    Markdown is the costliest part of an offer page; the pages themselves are rendered in one
    process (the generator, pagewriter.py), so the bodies are rendered beforehand by worker
    processes."""
    records: list[Record] = [*site.offers, *site.partners.values(), *site.events]
    workers = min(os.cpu_count() or 1, 8)
    if len(records) < PARALLEL_THRESHOLD or workers < 2:
        return  # rendered on first use: not worth starting processes
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        rendered = pool.map(_render_body, [r.body for r in records], chunksize=max(1, len(records) // (workers * 4)))
        for record, html in zip(records, rendered, strict=True):
            record.prerender(html)


def _find_text(path: Path, needle: str, start: int) -> tuple[int, int]:
    """Line and column of ``needle`` in the file, searching from line ``start``."""
    lines = path.read_text(encoding="utf-8-sig", errors="replace").splitlines()
    for number in range(max(start, 1), len(lines) + 1):
        column = lines[number - 1].find(needle)
        if column >= 0:
            return number, column + 1
    return start, 1


def _body_line(path: Path) -> int:
    """Line after the closing `---` of the front matter, for a missing body."""
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    closing = [i for i, line in enumerate(lines) if line.strip() == "---"]
    return closing[1] + 2 if len(closing) > 1 else 1
