"""Stage « validate »: each file read by load.py checked against its model (models.py).

``validate(sources, config)`` makes the records (site.py) of the files that pass, and reports
every problem with its file, line, field, what was found and what is expected: a field's value,
a missing field (with where to add it), two files with the same address, an offer reference
used twice (with the next free one), a year's figures filed under the wrong year. Warnings
(warnings.py) and the pages of content/pages/ (pages.py) are checked here too. Codes are still
codes: resolve.py turns them into objects next.
"""

from __future__ import annotations

import functools
import math
import re
import subprocess
from collections.abc import Iterable
from pathlib import Path

from . import images
from .changes import Changes
from .config import Config
from .contentcache import CheckStore, PreviewMemory, digest, file_digest
from .contentcache import cache_folder as content_cache_folder
from .fields import PHONE_RE, CheckContext, normal_phone
from .load import UNREADABLE, Source, Sources, communes_file, relative_name
from .mistakes import date_errors, record_warnings
from .models import Model, check_record
from .pages import check_pages
from .problems import Problem, Report
from .routes import address, reserved_under
from .settings import build_date
from .site import Event, Offer, Partner, Record, Site, YearReport
from .slugs import slugify
from .sources import file_text, is_unsaved, read_front_matter, read_yaml, unsaved
from .warnings import offer_warnings
from .yamlsource import Positions, SourceError

# Addresses under /offres/ used by the board itself (the route table): no offer may take them.
RESERVED_OFFER_SLUGS = reserved_under("offres")


def validate(sources: Sources, config: Config, memory: PreviewMemory | None = None) -> Site:
    """The records of every valid file, and the report of every problem (``memory``: the
    preview's, where a file unchanged since its last build keeps its check)."""
    root, communes = sources.root, sources.communes
    site = Site(config, communes, build_date(config.TERRITOIRE_BUILD_DATE))
    site.digests = sources.digests
    report = site.report
    report.problems += sources.problems
    changes = Changes(root)  # where files stand in git, read only if a question needs it
    photo_limits = images.limits(config)
    logo_limits = {**photo_limits, "largeur_min": 1, "hauteur_min": 1}  # a logo may be small
    # Offers share photos (5,000 synthetic offers use a dozen): each file is read once. The
    # verdicts a file's check asks for are noted: a kept check is used only if they stand.
    verdict = functools.cache(
        lambda path, minimum: images.check_photo(sources.content / path, photo_limits if minimum else logo_limits)
    )
    consulted: list[tuple[str, bool, str | None]] = []

    def consulted_verdict(path: str, minimum: bool) -> str | None:
        found = verdict(path, minimum)
        consulted.append((path, minimum, found))
        return found

    # The checks of earlier builds (contentcache.CheckStore), but in the preview's rebuilds, whose
    # memory keeps them (and the file is not written again for one edit).
    store = None if memory is not None and memory.trusted else CheckStore(content_cache_folder(config), UNREADABLE)
    ctx = CheckContext(
        communes=communes,
        reference_prefix=reference_prefix(config),
        reseaux_locaux=config.TERRITOIRE_RESEAUX_LOCAUX,
        photos_folder=config.TERRITOIRE_PHOTOS_PATH.strip("/"),
        image_exists=sources.image_paths.__contains__,
        # Offers share photos (5,000 synthetic offers use a dozen): each file is read once.
        image_problem=consulted_verdict,
        partner_ids={slugify(stem) for stem in sources.partner_ids},
    )

    def problem(path: Path, line: int, column: int, message: str, field: str = "") -> None:
        report.add(Problem(path.relative_to(root).as_posix(), line, column, message, field))

    # What a file's check reads besides the file: the settings, the images there are, the
    # partners (their names and contacts, once read: offers and events are checked against them).
    settings_seen = repr((site.build_date, sorted((k, repr(v)) for k, v in vars(config).items())))
    communes_seen = file_digest(communes_file(config))
    images_seen = repr(sorted(sources.image_paths))

    @functools.cache
    def context_key(kind: type[Record]) -> str:
        partners = (
            ()
            if kind is Partner
            else (sorted(ctx.partner_names.items()), sorted(ctx.known_contacts), sorted(ctx.partner_ids))
        )
        return digest(settings_seen, communes_seen, images_seen, repr(sorted(ctx.partner_ids)), repr(partners))

    def check(kind: type[Record], source: Source, slugs: dict[str, Path]) -> Record | None:
        path, data, positions = source.path, source.data, source.positions
        name = relative_name(path, root)
        key = (kind.__name__, sources.digests.get(name), context_key(kind))
        known = memory.checked(key) if memory is not None and key[1] else None
        stored = digest(*key) if store is not None and key[1] else None
        if known is None and stored is not None:
            kept = store.get(stored)
            if kept is not None and all(verdict(p, minimum) == v for p, minimum, v in kept[2]):
                known = kept[0], kept[1]
        if known is None:
            consulted.clear()
            known = check_record(kind.model, data, ctx, positions.raw, source.body)
            if stored is not None:
                store.put(stored, (*known, tuple(consulted)))
        if memory is not None and key[1]:
            memory.remember_check(key, known)
        cleaned, found = known
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
            problem(path, line, column, message, name)
        slug = slugify(path.stem)
        if slug in slugs:
            problem(
                path,
                1,
                1,
                f"l'adresse de cette page ({slug}) est déjà prise par {slugs[slug].relative_to(root).as_posix()} ; renommez l'un des deux fichiers.",
            )
            return None
        slugs[slug] = path
        if found:
            return None
        # A copy: the check may be the preview's memory of the last build's (a reference given
        # below to a duplicate must not change it).
        return kind(slug, name, dict(cleaned), positions)

    # Partners first: offers and events name them, and must not copy their contacts.
    slugs: dict[str, Path] = {}
    for source in sources.partners:
        if partner := check(Partner, source, slugs):
            site.partners[partner.slug] = partner
    ctx.partner_names = {p.slug: (p.nom, p.sigle or "") for p in site.partners.values()}
    for partner in site.partners.values():
        if partner.courriel:
            ctx.known_contacts.add(partner.courriel.lower())
        if partner.telephone and PHONE_RE.fullmatch(partner.telephone):
            ctx.known_contacts.add(normal_phone(partner.telephone))

    slugs = {}
    for source in sources.offers:
        path = source.path
        if slugify(path.stem) in RESERVED_OFFER_SLUGS:
            problem(
                path,
                1,
                1,
                f"le nom de fichier « {path.name} » est réservé : /{address('offre', slug=slugify(path.stem))} est déjà une page de la bourse ; renommez le fichier avec un nom qui décrit l'offre (par exemple « scierie-job.yaml »).",
            )
            continue
        if offer := check(Offer, source, slugs):
            site.offers.append(offer)
    for offer, first in _duplicate_references(site.offers, root, changes):
        line, column = offer.positions.of("reference")
        free = next_reference([o.reference for o in site.offers], offer.reference)
        if not changes.is_published(offer.source):  # the change under review brings it: refused
            problem(
                root / offer.source,
                line,
                column,
                f"reference : « {offer.reference} » est déjà la référence de {first.source} ; donnez à cette offre la prochaine référence libre : {free}.",
                "reference",
            )
            site.offers.remove(offer)
            continue
        # Both offers are on the published branch already (two pull requests checked apart,
        # merged one after the other): the publication goes on, the later one under the next
        # free reference, the same at every build until its file says so.
        report.add(
            Problem(
                offer.source,
                line,
                column,
                f"reference : « {offer.reference} » est aussi la référence de {first.source} (deux offres ajoutées "
                f"en parallèle) ; cette offre est publiée sous la référence {free} : écrivez « reference: {free} » "
                "dans ce fichier pour la garder.",
                "reference",
                level="avertissement",
            )
        )
        offer.reference = offer.data["reference"] = free
    site.offers.sort(key=lambda o: (o.publiee_le, o.reference), reverse=True)

    slugs = {}
    for source in sources.events:
        if event := check(Event, source, slugs):
            site.events.append(event)
    site.events.sort(key=lambda e: (e.debut, e.slug))

    # content/bilan/ANNÉE.yaml: one file per year, named after its year, none in the future.
    slugs = {}
    for source in sources.year_reports:
        path = source.path
        if not (year := check(YearReport, source, slugs)):
            continue
        line, column = year.positions.of("annee")
        if path.stem != str(year.annee):
            problem(
                path,
                line,
                column,
                f"annee : le fichier s'appelle « {path.name} » mais donne les chiffres de {year.annee} ; attendu : un fichier nommé {year.annee}.yaml (une année par fichier).",
                "annee",
            )
        elif year.annee > site.build_date.year:
            problem(
                path,
                line,
                column,
                f"annee : {year.annee} n'a pas encore commencé ; attendu : une année passée ou l'année en cours ({site.build_date.year} au plus).",
                "annee",
            )
        else:
            site.year_reports[year.annee] = year

    for found in (
        offer_warnings(site, root, memory)
        + record_warnings(site, root, memory, store)
        + date_errors(site, root, changes)
    ):
        report.add(found)
    for found in (
        check_pages(sources.content / "pages", root, config.TERRITOIRE_MAX_FILE_SIZE, config, ctx, kept=site.pages)
        if sources.content_read
        else ()
    ):
        report.add(found)
    if store is not None:
        try:
            store.save()
        except OSError:  # a read-only or full disk: the next check makes them again
            pass
    return site


def check_text(rest: Sources, config: Config, relative: str, text: str | bytes) -> Report:
    """The problems of one content file if it held ``text``: an offer, a partner, an event, a
    year's figures or a page, at ``relative`` (from the project's folder) — the same problems,
    with the same messages, as ``validate`` reports for that file over the whole project, cross-
    record ones included (an unknown partner, a reference or an address already taken).

    ``rest`` is the project as ``load(config)`` read it, once: the file's own saved version, if
    any, is replaced by ``text``, which is never written. Only the records the file can be
    checked against are validated again (the partners; the offers for an offer, the events for
    an event…). A path no loader reads (« offers/x.yaml.txt », « content/x.md ») is a
    ValueError: the message for a file in the wrong place comes from ``load``, which lists the
    folders."""
    root, content = rest.root, rest.content
    path = root / relative
    relative = path.relative_to(root).as_posix()  # as problems name it (« offers/a.yaml »)
    data = text.encode("utf-8") if isinstance(text, str) else text
    kinds = {
        "partners": (content / config.TERRITOIRE_PARTENAIRES_PATH, (".md",)),
        "offers": (root / config.TERRITOIRE_OFFRES_PATH, (".yaml", ".yml")),
        "events": (content / config.TERRITOIRE_EVENEMENTS_PATH, (".md",)),
        "year_reports": (content / config.TERRITOIRE_BILAN_PATH, (".yaml", ".yml")),
    }
    kind = next(
        (k for k, (folder, suffixes) in kinds.items() if path.parent == folder and path.suffix in suffixes), None
    )
    is_page = path.is_relative_to(content / "pages")
    if kind is None and not is_page:
        raise ValueError(f"{relative}: not a file the loaders read as an offer, a partner, an event, figures or a page")
    sources = Sources(
        root,
        content,
        rest.communes,
        rest.image_paths,
        rest.partner_ids | ({path.stem} if kind == "partners" else set()),
        partners=list(rest.partners),
        content_read=is_page,  # the pages are checked together (addresses), only for a page
    )
    with unsaved({path: data}):
        if kind:
            try:
                read = read_front_matter if path.suffix == ".md" else read_yaml
                source = Source(path, *read(path, config.TERRITOIRE_MAX_FILE_SIZE))
            except SourceError as exc:
                return Report([Problem(relative, exc.line, exc.column, exc.message, exc.field)])
            # In the loaders' order (by path): of two files with one address, the first keeps it.
            kept = [s for s in getattr(rest, kind) if s.path != path]
            setattr(sources, kind, sorted([*kept, source], key=lambda s: s.path))
        site = validate(sources, config)
    return Report([p for p in site.report.problems if p.path == relative])


def invalid_configuration(config: Config, problems: list[Problem]) -> Site:
    """A site without content: the refused settings, reported alone (content is only checked
    against valid settings)."""
    from .communes import Communes

    site = Site(config, Communes({}, []), build_date(config.TERRITOIRE_BUILD_DATE))
    site.report = Report(list(problems))
    return site


def reference_prefix(config: Config, references: Iterable[str] = ()) -> str:
    """The letters of new references: TERRITOIRE_PREFIXE; else those most existing offers use;
    else the initials of the territory's name (« Creuse » → « CR »)."""
    from collections import Counter

    from .questionnaire import default_prefix

    if config.TERRITOIRE_PREFIXE:
        return config.TERRITOIRE_PREFIXE
    used = Counter(r.split("-")[0] for r in references if "-" in r)
    if used:
        return sorted(used.items(), key=lambda item: (-item[1], item[0]))[0][0]
    return default_prefix(config.TERRITOIRE_NOM)


def next_reference(references: Iterable[str], like: str) -> str:
    """The next free reference of the same prefix and year as ``like`` (LF-2026-014 → LF-2026-022
    when LF-2026-021 is the highest taken)."""
    prefix, year, _number = like.rsplit("-", 2)
    pattern = re.compile(rf"{re.escape(prefix)}-{re.escape(year)}-(\d+)")
    used = [int(m.group(1)) for r in references if (m := pattern.fullmatch(r))]
    return f"{prefix}-{year}-{max(used, default=0) + 1:03d}"


def _duplicate_references(offers: list[Offer], root: Path, changes: Changes) -> list[tuple[Offer, Offer]]:
    """Pairs (newer offer, the one that had the reference first) for references used twice.
    The newer is the file changed last: not yet committed, else last committed (git), else the
    later publication date; it is the one a partner just added or copied."""
    by_reference: dict[str, list[Offer]] = {}
    for offer in offers:
        by_reference.setdefault(offer.reference, []).append(offer)
    pairs = []
    for group in by_reference.values():
        if len(group) > 1:
            # An offer already on the base branch keeps its reference: the other one is the
            # pull request's (on GitHub, the check runs on the branch merged into its base).
            ages = {o.source: (not changes.is_published(o.source), *_last_change(root, o.source)) for o in group}
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

    if is_unsaved(root / source):  # a text checked before it is saved: the newest of all
        return math.inf, 0
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


def _find_text(path: Path, needle: str, start: int) -> tuple[int, int]:
    """Line and column of ``needle`` in the file, searching from line ``start``."""
    lines = file_text(path).splitlines()
    for number in range(max(start, 1), len(lines) + 1):
        column = lines[number - 1].find(needle)
        if column >= 0:
            return number, column + 1
    return start, 1


def _body_line(path: Path) -> int:
    """Line after the closing `---` of the front matter, for a missing body."""
    lines = file_text(path, "utf-8").splitlines()
    closing = [i for i, line in enumerate(lines) if line.strip() == "---"]
    return closing[1] + 2 if len(closing) > 1 else 1
