"""The loaded content: one record class per kind of file, and ``Site``, which holds them.

Records are made by the validate stage (validate.py) from the files the load stage read
(load.py), and gain the objects their codes name in the resolve stage (resolve.py); build.py
runs the stages in order. ``Site`` also holds the validated configuration and the ``Report``
of the problems found.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import TYPE_CHECKING, Any

from . import communes as communes_mod
from . import lifecycle
from .config import Config
from .markup import render
from .models import BILAN, EVENEMENT, OFFRE, PARTENAIRE, Model
from .problems import Report
from .routes import address
from .yamlsource import Positions

if TYPE_CHECKING:
    from .pages import PageText


@functools.cache
def _plain_fields(kind: type[Record]) -> tuple[str, ...]:
    """The fields a record holds as attributes: those its class does not define itself."""
    return tuple(name for name in kind.model.fields if not hasattr(kind, name))


class Record:
    """One content file: its checked data as attributes, plus where it came from."""

    model: Model
    text_field = "description"  # the Markdown field rendered as ``html``

    def __init__(self, slug: str, source: str, data: dict[str, Any], positions: Positions):
        # Every field is a plain attribute (None when absent): templates read them thousands
        # of times per build, and a plain attribute is several times cheaper than __getattr__.
        self.__dict__.update({name: data.get(name) for name in _plain_fields(type(self))})
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
    def sigle_distinct(self) -> str | None:
        """The acronym, when it tells more than the name: one of its words (numbers aside) is
        not in the name. « Chambre de commerce et d'industrie d'Ambert (CCI Ambert) », but
        « Loire Forez Agglomération » alone, not « (Loire Forez) », and « Chambre d'agriculture de
        la Haute-Loire » alone, not « (Chambre d'agriculture 43) »: no name said twice."""
        if not self.sigle:
            return None
        name = set(re.findall(r"\w+", communes_mod.fold(self.nom)))
        words = [w for w in re.findall(r"\w+", communes_mod.fold(self.sigle)) if not w.isdigit()]
        return self.sigle if any(w not in name for w in words) else None

    @functools.cached_property  # asked for thousands of times a build; the slug never changes
    def url(self) -> str:
        return address("partenaire", slug=self.slug)


class Offer(Record):
    model = OFFRE
    # Resolved once (resolve.py): the commune, the referent partner, the lifecycle state.
    place: communes_mod.Commune | None = None
    partner: Partner | None = None
    state: str = ""

    @functools.cached_property  # asked for thousands of times a build; the slug never changes
    def url(self) -> str:
        return address("offre", slug=self.slug)


class Event(Record):
    model = EVENEMENT
    # Resolved once (resolve.py): the commune and the partners named in ``partenaires``.
    place: communes_mod.Commune | None = None
    partners: list[Partner] = []  # each event gets its own list

    @functools.cached_property  # asked for thousands of times a build; the slug never changes
    def url(self) -> str:
        return address("evenement", slug=self.slug)


class YearReport(Record):
    """The figures the coordinator enters for one year (content/bilan/ANNÉE.yaml)."""

    model = BILAN


class Site:
    # The raw Pelican settings, for cms.py alone until it reads ``config`` (build.py sets them).
    settings: dict[str, Any] = {}

    def __init__(self, config: Config, communes: communes_mod.Communes, build_date: dt.date):
        self.config = config  # the validated settings (config.py)
        self.communes = communes
        self.build_date = build_date
        self.partners: dict[str, Partner] = {}
        self.offers: list[Offer] = []
        self.events: list[Event] = []
        self.year_reports: dict[int, YearReport] = {}
        self.pages: list[PageText] = []  # content/pages/, as read by the validate stage
        self.digests: dict[str, str] = {}  # each record file read → the SHA-256 of its bytes (load.py)
        self.report = Report()
        # Once resolved (resolve.py), the records no longer change: the offer lists below, asked
        # for a dozen times a build by the views, are made once (a copy is handed out each time).
        self._lists: dict[str, list] | None = None

    def resolved(self) -> None:
        self._lists = {}

    def _offers(self, name: str, make) -> list[Offer]:
        if self._lists is None:
            return make()
        if name not in self._lists:
            self._lists[name] = make()
        return list(self._lists[name])

    # --- resolved views -------------------------------------------------------------
    def commune(self, code: str) -> communes_mod.Commune | None:
        return self.communes.get(code)

    @property
    def published_offers(self) -> list[Offer]:
        """Offers with a page: published already (newest first)."""
        return self._offers("published", lambda: [o for o in self.offers if lifecycle.is_published(o, self.build_date)])

    @property
    def open_offers(self) -> list[Offer]:
        return self._offers("open", lambda: [o for o in self.published_offers if lifecycle.is_open(o, self.build_date)])

    @property
    def concluded_offers(self) -> list[Offer]:
        return self._offers("concluded", lambda: [o for o in self.published_offers if lifecycle.is_concluded(o)])

    def upcoming_events(self) -> list[Event]:
        return [e for e in self.events if e.fin.date() >= self.build_date]

    def past_events(self) -> list[Event]:
        return [e for e in reversed(self.events) if e.fin.date() < self.build_date]
