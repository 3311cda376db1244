"""Synthetic learning at scale for benchmarks: `joinedup generate --programmes N --runs M`.

Programmes are hosted by the organisations of the benchmark partnership that `joinedup generate
--people` made (so run it with people first, or in the same command), each with a few runs, their
sessions, the host's own staff booked on some places and partners waiting on others. Rows are
written as `partnership.generate` writes people: ids chosen here, `COPY` on PostgreSQL and
`bulk_create` elsewhere, then `ANALYZE`.

The mix: a third of the runs are past their cut-off and already released; the rest are ahead.
Titles draw from a short list of subjects ("Safeguarding adults", "Coaching skills" ...), so a
search for a subject word matches about the same share of programmes at any size.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from tqdm import tqdm

from joinedup.partnership.generate import (
    SCALE_PARTNERSHIP,
    GenerateRefused,
    _next_id,
    _Writer,
)
from joinedup.partnership.models import Employment, Organisation

from . import similar
from .models import (
    LONDON,
    Booking,
    BookingStatus,
    CatalogueTerm,
    CatalogueWord,
    DeliveryMode,
    Programme,
    ProgrammeKind,
    Run,
    Session,
    SharingPolicy,
    Topic,
    default_cut_off,
)
from .terms import terms_of, words_of

SUBJECTS = (
    "Safeguarding adults", "Safeguarding children", "Coaching skills", "Fire safety",
    "Budget management", "Mental health first aid", "Project management", "Data protection",
    "Equality and diversity", "Conflict resolution", "Report writing", "Infection control",
    "Moving and handling", "Trauma-informed practice", "Procurement basics", "Digital skills",
    "Change management", "Customer service", "Domestic abuse awareness", "Presentation skills",
)  # fmt: skip
LEVELS = ("Introduction to", "Advanced", "Refresher:", "Practical", "Essentials of", "Leading")
TOPICS = (
    "Safeguarding", "Leadership", "Finance", "Health and safety", "Digital", "Wellbeing",
    "Management", "Communication", "Equality", "Law", "Clinical", "Social care", "Housing",
    "Policing", "Data", "Project delivery", "Customer service", "Procurement", "HR", "Coaching",
)  # fmt: skip
# Shares of programmes by sharing policy: most share their unfilled places at the cut-off.
POLICIES = (
    (SharingPolicy.OWN_ONLY, 0.2),
    (SharingPolicy.OWN_THEN_PARTNERS, 0.5),
    (SharingPolicy.PARTNERS_FROM_START, 0.3),
)
PAST_DAYS, AHEAD_DAYS = 120, 400
STAFF_SAMPLE = 2_000  # people per organisation drawn on for bookings


@dataclass(frozen=True)
class LearningResult:
    programmes: int
    runs: int
    sessions: int
    bookings: int


class _Offer:
    """Programmes, runs, sessions and bookings, drawn from one seeded random source."""

    def __init__(self, organisations: list[Organisation], programmes: int, runs: int, seed: int):
        self.rng = random.Random(seed)
        self.organisations = organisations
        self.programmes = programmes
        self.runs = runs
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.first_programme = _next_id(Programme)
        self.first_run = _next_id(Run)
        self.first_session = _next_id(Session)
        self.first_booking = _next_id(Booking)
        self.first_link = _next_id(Programme.topics.through)
        self.first_term = _next_id(CatalogueTerm)
        self.first_word = _next_id(CatalogueWord)
        self.known_words = set(CatalogueWord.objects.values_list("word", flat=True))
        self.topics = [Topic.objects.get_or_create(name=name)[0].pk for name in TOPICS]
        self.staff = {
            organisation.pk: list(
                Employment.objects.current()
                .filter(organisation=organisation)
                .order_by("pk")
                .values_list("person_id", flat=True)[:STAFF_SAMPLE]
            )
            for organisation in organisations
        }
        self.hosts: dict[int, Organisation] = {}
        self.texts: dict[int, tuple[str, str]] = {}
        self.topic_ids: dict[int, list[int]] = {}
        self.policy: dict[int, str] = {}
        self.self_paced: set[int] = set()
        self.sessions: list[dict] = []
        self.bookings: list[dict] = []

    def programme_rows(self) -> Iterator[dict]:
        policies, weights = zip(*POLICIES, strict=True)
        for offset in range(self.programmes):
            pk = self.first_programme + offset
            host = self.organisations[offset % len(self.organisations)]
            mode = self.rng.choice(DeliveryMode.values)
            self.hosts[pk] = host
            self.policy[pk] = self.rng.choices(policies, weights)[0]
            if mode == DeliveryMode.SELF_PACED:
                self.self_paced.add(pk)
            subject = self.rng.choice(SUBJECTS)
            low = self.rng.randrange(1, 6)
            title = f"{self.rng.choice(LEVELS)} {subject.lower()} {pk}"
            summary = f"{subject} for staff across the partnership, run by {host.name}."
            self.texts[pk] = (title, summary)
            yield {
                "id": pk,
                "host_id": host.pk,
                "title": title,
                "summary": summary,
                "kind": self.rng.choice(ProgrammeKind.values),
                "seniority_min": low,
                "seniority_max": self.rng.randrange(low, 10),
                "delivery_mode": mode,
                "hours": self.rng.choice((3, 6, 7, 14)),
                "cost_per_place": self.rng.randrange(0, 400),
                "partner_price": self.rng.randrange(0, 300),
                "sharing_policy": self.policy[pk],
                "created_at": self.now,
            }

    def topic_rows(self) -> Iterator[dict]:
        pk = self.first_link
        for programme in range(self.first_programme, self.first_programme + self.programmes):
            for topic in self.rng.sample(self.topics, self.rng.randrange(1, 3)):
                self.topic_ids.setdefault(programme, []).append(topic)
                yield {"id": pk, "programme_id": programme, "topic_id": topic}
                pk += 1

    def term_rows(self) -> Iterator[dict]:
        """The catalogue's terms of each programme, as `learning.term_index` writes them."""
        pk = self.first_term
        for programme, (title, summary) in self.texts.items():
            for term in sorted(terms_of(title, summary, self.topic_ids.get(programme, ()))):
                yield {"id": pk, "programme_id": programme, "term": term, "title": title}
                pk += 1

    def word_rows(self) -> Iterator[dict]:
        """The searchable words the programmes bring that are not known yet."""
        found: set[str] = set()
        for title, summary in self.texts.values():
            found |= words_of(title) | words_of(summary)
        for offset, word in enumerate(sorted(found - self.known_words)):
            yield {"id": self.first_word + offset, "word": word}

    def run_rows(self) -> Iterator[dict]:
        """Runs spread evenly over the programmes; their sessions and bookings are kept aside."""
        for offset in range(self.runs):
            pk = self.first_run + offset
            programme = self.first_programme + offset % self.programmes
            host = self.hosts[programme]
            first = self.today + dt.timedelta(days=self.rng.randrange(-PAST_DAYS, AHEAD_DAYS))
            cut_off = default_cut_off(first)
            capacity = self.rng.randrange(8, 31)
            row = {
                "id": pk,
                "programme_id": programme,
                "capacity": capacity,
                "cut_off_at": cut_off,
                "partner_price": self.rng.randrange(0, 300),
                "partner_cap": 3 if self.rng.random() < 0.3 else None,
                "released_at": cut_off if cut_off < self.now else None,
                "created_at": self.now,
            }
            if programme in self.self_paced:
                row["completion_deadline"] = first + dt.timedelta(days=60)
            else:
                row["bookings_close_at"] = dt.datetime.combine(first, dt.time(9), tzinfo=LONDON)
                for week in range(self.rng.randrange(1, 4)):
                    self.sessions.append(
                        {
                            "id": self.first_session + len(self.sessions),
                            "run_id": pk,
                            "date": first + dt.timedelta(weeks=week),
                            "starts_at": dt.time(9, 30),
                            "ends_at": dt.time(16, 30),
                            "venue": f"{host.name}, Training room {week + 1}",
                        }
                    )
            row["places_taken"] = self._book(pk, host, capacity, row["released_at"])
            yield row

    def _book(self, run: int, host: Organisation, capacity: int, released: object) -> int:
        """Some of the host's staff confirmed on the run, and a partner's person waiting."""
        staff = self.staff[host.pk]
        confirmed = self.rng.sample(staff, min(self.rng.randrange(0, 5), len(staff), capacity))
        for person in confirmed:
            self._booking(run, person, host.pk, BookingStatus.CONFIRMED)
        if self.rng.random() < 0.2:
            partner = self.rng.choice([o for o in self.organisations if o.pk != host.pk])
            if self.staff[partner.pk]:
                person = self.rng.choice(self.staff[partner.pk])
                self._booking(run, person, partner.pk, BookingStatus.WAITING)
        return len(confirmed)

    def _booking(self, run: int, person: int, organisation: int, status: str) -> None:
        self.bookings.append(
            {
                "id": self.first_booking + len(self.bookings),
                "run_id": run,
                "person_id": person,
                "organisation_id": organisation,
                "status": status,
                "requested_at": self.now - dt.timedelta(minutes=self.rng.randrange(1, 50_000)),
                "booked_by_id": person,
                "confirmed_at": self.now if status == BookingStatus.CONFIRMED else None,
            }
        )


def scale_organisations(partnership_name: str = SCALE_PARTNERSHIP) -> list[Organisation]:
    """The benchmark partnership's organisations, largest first."""
    return list(
        Organisation.objects.filter(memberships__partnership__name=partnership_name).order_by(
            "-headcount", "pk"
        )
    )


def generate_learning(
    *,
    programmes: int,
    runs: int,
    partnership_name: str = SCALE_PARTNERSHIP,
    seed: int = 1,
    progress: bool = True,
) -> LearningResult:
    """Add `programmes` programmes and `runs` runs hosted by the benchmark partnership."""
    if settings.PRODUCTION:
        raise GenerateRefused("Synthetic learning is never added to a production installation.")
    if programmes < 1 or runs < programmes:
        raise GenerateRefused("Give at least one programme and at least one run for each.")
    organisations = scale_organisations(partnership_name)
    if len(organisations) < 2:
        raise GenerateRefused(
            f'Generate people first: "{partnership_name}" needs at least two organisations.'
        )
    with transaction.atomic():
        offer = _Offer(organisations, programmes, runs, seed)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        with tqdm(unit=" rows", disable=not progress, desc="Generating learning") as bar:
            writer = _Writer(bar)
            writer.write(Programme, offer.programme_rows())
            writer.write(Programme.topics.through, offer.topic_rows())
            writer.write(CatalogueTerm, offer.term_rows())
            writer.write(CatalogueWord, offer.word_rows())
            written_runs = writer.write(Run, offer.run_rows())
            writer.write(Session, offer.sessions)
            writer.write(Booking, offer.bookings)
            writer.reset_sequences(
                Programme,
                Programme.topics.through,
                CatalogueTerm,
                CatalogueWord,
                Run,
                Session,
                Booking,
            )
            similar.record_rebuild()  # every process's similarity index rebuilds
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return LearningResult(programmes, written_runs, len(offer.sessions), len(offer.bookings))
