"""The demo's trainer pool: the trust's conflict resolution course and its trainer cascade.

`demo_data.load()` calls `load()` here once the learning offer and the library exist. Everything
goes through the services (accreditations, the pool, runs, bookings, attendance), so the audit
log is what people's own actions would give. What a visitor finds:

- London North West University Healthcare NHS Trust's "Conflict resolution training", delivered by
  accredited trainers;
- its cascade: the trust's L&D lead (the partner L&D lead persona, Pia Kowalski) accredited the
  partner staff persona's line manager, a senior staff nurse, as the first-generation trainer;
  she trained two staff nurses, one of them the partner staff persona (Pat Nwosu); she and Pat
  each delivered a run at the trust that learners attended, so the cascade counts learners;
- the trust's trainers in the pool: Pat two days a month for Barnet and North Thames Police,
  her manager one day a month for every partner, each available over the coming months, so the
  Barnet L&D lead persona can find Pat and ask for her for a course at Barnet;
- Pat's line manager signs in with the demo password too, so the three approvals (Pat, her line
  manager, Pia) can each be given by signing in.

An accreditation of the course is the marker: when one exists, nothing is added.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from joinedup.learning import attendance
from joinedup.learning import services as learning
from joinedup.learning.models import LONDON, Booking, BookingStatus, Outcome, Programme, Run
from joinedup.partnership.actor import Actor
from joinedup.partnership.demo_plan import DEMO_PASSWORD
from joinedup.partnership.models import (
    Employment,
    Organisation,
    OrganisationRole,
    OrganisationRoleGrant,
    Person,
)

from .models import Accreditation
from .services import accreditations, pool

TRUST = "R1K"
BARNET = "E09000003"
POLICE = "North Thames Police"
PROGRAMME = "Conflict resolution training"
PAT = ("Pat", "Nwosu")  # the partner staff persona
EVIDENCE = "https://learning.r1k.nhs.example/conflict-resolution/trainer-assessment"
VALID_FOR = dt.timedelta(days=3 * 365)
VENUE = "Education Centre, Northwick Park Hospital, Watford Road, Harrow HA1 3UJ"


@dataclass(frozen=True)
class _People:
    lead: Actor  # the trust's L&D lead
    first: Actor  # the first-generation trainer: Pat's line manager
    pat: Actor
    third: Actor  # another staff nurse she trained


def _employment(person: Person, organisation: Organisation) -> Employment | None:
    return Employment.objects.current().filter(person=person, organisation=organisation).first()


def _people(trust: Organisation) -> _People | None:
    """The trust's L&D lead, Pat, Pat's line manager and a colleague of Pat's, or None."""
    grant = (
        OrganisationRoleGrant.objects.filter(organisation=trust, role=OrganisationRole.LD_LEAD)
        .select_related("person")
        .order_by("pk")
        .first()
    )
    job = (
        Employment.objects.current()
        .filter(organisation=trust, person__given_name=PAT[0], person__family_name=PAT[1])
        .select_related("person", "line_manager__person")
        .first()
    )
    if grant is None or job is None or job.line_manager is None:
        return None
    manager = job.line_manager.person
    colleague = (
        Employment.objects.current()
        .filter(organisation=trust, job_title=job.job_title, line_manager__isnull=False)
        .exclude(person__in=(job.person, manager, grant.person))
        .select_related("person")
        .order_by("employee_number", "pk")
        .first()
    )
    if colleague is None:
        return None
    return _People(
        lead=Actor(person=grant.person, organisation=trust),
        first=Actor(person=manager, organisation=trust),
        pat=Actor(person=job.person, organisation=trust),
        third=Actor(person=colleague.person, organisation=trust),
    )


def _accredit(by: Actor, person: Person, programme: Programme, on: dt.date) -> Accreditation:
    return accreditations.accredit(
        actor=by,
        person=person,
        programme=programme,
        accredited_on=on,
        expires_on=on + VALID_FOR,
        evidence_url=EVIDENCE,
    )


def _delivered_run(
    lead: Actor, programme: Programme, trainer: Person, day: dt.date, learners: list[Person]
) -> Run:
    """A run held on `day` by the named trainer, the learners booked, present and completed."""
    run = learning.add_run(
        actor=lead,
        programme=programme,
        sessions=[
            {"date": day, "starts_at": dt.time(13, 30), "ends_at": dt.time(16, 30), "venue": VENUE}
        ],
        capacity=len(learners) + 2,
        # Open for the demo's bookings below; closed at the session afterwards.
        bookings_close_at=timezone.now() + dt.timedelta(hours=1),
    )
    Run.objects.filter(pk=run.pk).update(trainer=trainer)
    for person in learners:
        learning.book_place(
            actor=Actor(person=person, organisation=lead.organisation), run=run, person=person
        )
    learning.update_run(
        actor=lead,
        run=run,
        bookings_close_at=dt.datetime.combine(day, dt.time(13, 30), tzinfo=LONDON),
    )
    confirmed = list(Booking.objects.filter(run=run, status=BookingStatus.CONFIRMED).order_by("pk"))
    for session in run.sessions.all():
        attendance.record_attendance(
            actor=lead, session=session, present={booking.pk: True for booking in confirmed}
        )
    attendance.record_outcomes(
        actor=lead, run=run, outcomes={booking.pk: Outcome.COMPLETED for booking in confirmed}
    )
    return run


def _learners(trust: Organisation, people: _People, start: int, count: int) -> list[Person]:
    """Trust staff to fill a run: never the trainers or the personas."""
    skip = {
        people.lead.person.pk,
        people.first.person.pk,
        people.pat.person.pk,
        people.third.person.pk,
    }
    staff = (
        Employment.objects.current()
        .filter(organisation=trust)
        .exclude(person__in=skip)
        .select_related("person")
        .order_by("employee_number", "pk")
    )
    return [job.person for job in staff[start : start + count]]


def load() -> dict[str, int]:
    """Accredit the cascade, hold its runs and put the trainers in the pool, once."""
    trust = Organisation.objects.filter(official_code=TRUST).first()
    barnet = Organisation.objects.filter(official_code=BARNET).first()
    police = Organisation.objects.filter(is_fictional=True, name=POLICE).first()
    programme = Programme.objects.filter(host=trust, title=PROGRAMME).first()
    if None in (trust, barnet, police, programme):
        return {}
    if Accreditation.objects.filter(programme=programme).exists():
        return {}
    people = _people(trust)
    if people is None:
        return {}
    today = timezone.localdate()
    learning.update_programme(
        actor=people.lead, programme=programme, delivered_by_accredited_trainers=True
    )

    _accredit(people.lead, people.first.person, programme, today - dt.timedelta(days=300))
    for trainee in (people.pat, people.third):
        _accredit(people.first, trainee.person, programme, today - dt.timedelta(days=210))
    held = (
        (people.first.person, today - dt.timedelta(days=150), _learners(trust, people, 100, 10)),
        (people.pat.person, today - dt.timedelta(days=45), _learners(trust, people, 120, 8)),
    )
    runs = [_delivered_run(people.lead, programme, *run) for run in held]
    booked = Booking.objects.filter(run__in=runs).count()

    pool.join_pool(
        actor=people.pat,
        days_per_month=2,
        partners=[barnet, police],
        note="Happy to travel across north-west London.",
    )
    pool.add_availability(
        actor=people.pat,
        starts_on=today + dt.timedelta(days=14),
        ends_on=today + dt.timedelta(days=60),
    )
    pool.add_availability(
        actor=people.pat,
        starts_on=today + dt.timedelta(days=90),
        ends_on=today + dt.timedelta(days=150),
        note="Not school holidays",
    )
    pool.join_pool(actor=people.first, days_per_month=1, partners=[])
    pool.add_availability(
        actor=people.first,
        starts_on=today + dt.timedelta(days=30),
        ends_on=today + dt.timedelta(days=120),
    )

    # So the line manager's approval can be given by signing in as her (a demo account).
    manager = people.first.person
    manager.set_password(DEMO_PASSWORD)
    manager.save(update_fields=["password"])
    return {
        "accreditations": 3,
        "trainer runs": len(runs),
        "trainer bookings": booked,
        "trainers in the pool": 2,
    }
