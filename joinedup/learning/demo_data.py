"""The demo's shared learning offer: programmes hosted across the partnership, runs and bookings.

`joinedup demo` calls `load()` after the partnership demo exists. Programmes are matched by host
and title, so a programme already there (and its runs and bookings) is left alone and running the
demo again changes nothing. Everything is written through the services, so audit entries exist.
The "design once" story (a police programme, an open plan, a joint commission) is added by
`demo_design_once`.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from joinedup.partnership.actor import Actor
from joinedup.partnership.demo_plan import PERSONAS
from joinedup.partnership.models import Employment, Organisation, OrganisationRoleGrant, Person
from joinedup.partnership.models import OrganisationRole as Role

from . import attendance, demo_design_once, reservations, services
from .models import LONDON, Booking, BookingStatus, Outcome, Programme, Run
from .models import DeliveryMode as Mode
from .models import ProgrammeKind as Kind
from .models import SharingPolicy as Policy

SEED = 20261130
EVALUATED = [name for name, _question in attendance.QUESTIONS]
BARNET = "E09000003"
LNWH = "R1K"

IN_PERSON, ONLINE, BLENDED, SELF_PACED = Mode.IN_PERSON, Mode.ONLINE, Mode.BLENDED, Mode.SELF_PACED
OWN, THEN, OPEN = Policy.OWN_ONLY, Policy.OWN_THEN_PARTNERS, Policy.PARTNERS_FROM_START

# host code, title, kind, mode, sharing, hours, provider, cost, partner price, approval,
# seniority range, topics, summary
PROGRAMMES = (
    (
        "E09000003",
        "Safeguarding adults level 3",
        Kind.COURSE,
        IN_PERSON,
        THEN,
        6,
        "",
        180,
        95,
        False,
        (3, 9),
        ("Safeguarding", "Adult social care"),
        "Responding to concerns, section 42 enquiries and making safeguarding personal.",
    ),
    (
        "E09000003",
        "Strengths-based practice in adult social care",
        Kind.WORKSHOP,
        IN_PERSON,
        OPEN,
        3,
        "",
        90,
        45,
        False,
        (3, 7),
        ("Adult social care",),
        "Conversations that start from what matters to the person.",
    ),
    (
        "E09000003",
        "Leading through change",
        Kind.LEADERSHIP,
        BLENDED,
        THEN,
        21,
        "The King's Fund",
        1450,
        950,
        True,
        (6, 9),
        ("Leadership",),
        "A three-day programme for managers leading services through restructuring.",
    ),
    (
        "E09000005",
        "Motivational interviewing",
        Kind.COURSE,
        IN_PERSON,
        OPEN,
        12,
        "MINT trainers",
        420,
        260,
        False,
        (3, 8),
        ("Mental health", "Public health"),
        "Two days of practice in guiding conversations about change.",
    ),
    (
        "E09000005",
        "Housing and homelessness duties for front-line staff",
        Kind.WORKSHOP,
        ONLINE,
        OPEN,
        3,
        "",
        60,
        0,
        False,
        (2, 6),
        ("Housing",),
        "The Homelessness Reduction Act duties and referral routes across the partnership.",
    ),
    (
        "E09000007",
        "Trauma-informed practice",
        Kind.COURSE,
        IN_PERSON,
        THEN,
        6,
        "",
        200,
        120,
        False,
        (2, 8),
        ("Mental health", "Children's services"),
        "Understanding trauma and adapting how services are offered.",
    ),
    (
        "E09000007",
        "Data protection and information governance",
        Kind.E_LEARNING,
        SELF_PACED,
        OPEN,
        1.5,
        "",
        0,
        0,
        False,
        (1, 9),
        ("Information governance",),
        "The yearly refresher on handling personal information.",
    ),
    (
        "E09000009",
        "Mental Health First Aid",
        Kind.COURSE,
        IN_PERSON,
        OPEN,
        12,
        "MHFA England",
        300,
        180,
        False,
        (1, 9),
        ("Mental health", "Wellbeing"),
        "The two-day MHFA England course leading to certification as a Mental Health First Aider.",
    ),
    (
        "E09000009",
        "Coaching skills for managers",
        Kind.WORKSHOP,
        IN_PERSON,
        THEN,
        6,
        "",
        150,
        90,
        True,
        (5, 9),
        ("Leadership", "Coaching"),
        "Using a coaching approach in supervision and one-to-ones.",
    ),
    (
        "E09000010",
        "Domestic abuse awareness",
        Kind.COURSE,
        ONLINE,
        OPEN,
        3,
        "",
        70,
        35,
        False,
        (1, 9),
        ("Safeguarding", "Domestic abuse"),
        "Recognising domestic abuse and making safe referrals, including to MARAC.",
    ),
    (
        "E09000010",
        "Chairing child protection conferences",
        Kind.WORKSHOP,
        IN_PERSON,
        OWN,
        6,
        "",
        160,
        0,
        False,
        (6, 8),
        ("Children's services", "Safeguarding"),
        "For independent chairs and senior practitioners.",
    ),
    (
        "E09000013",
        "Report writing for court",
        Kind.COURSE,
        IN_PERSON,
        THEN,
        6,
        "Legal Training Partnership",
        260,
        160,
        False,
        (4, 8),
        ("Children's services", "Legal"),
        "Clear, evidence-based statements for family court proceedings.",
    ),
    (
        "E09000013",
        "Difficult conversations",
        Kind.WORKSHOP,
        ONLINE,
        OPEN,
        3,
        "",
        80,
        40,
        False,
        (3, 9),
        ("Leadership", "Communication"),
        "Preparing for and holding conversations that matter.",
    ),
    (
        "E09000014",
        "Anti-racist practice",
        Kind.WORKSHOP,
        IN_PERSON,
        OPEN,
        6,
        "",
        140,
        70,
        False,
        (1, 9),
        ("Equality, diversity and inclusion",),
        "Recognising and challenging racism in services and teams.",
    ),
    (
        "E09000014",
        "Action learning set: new team managers",
        Kind.ACTION_LEARNING,
        IN_PERSON,
        THEN,
        12,
        "",
        240,
        150,
        True,
        (5, 7),
        ("Leadership",),
        "Four half-day sets over six months with a trained facilitator.",
    ),
    (
        "E09000015",
        "Mental Capacity Act and deprivation of liberty",
        Kind.COURSE,
        IN_PERSON,
        THEN,
        6,
        "",
        170,
        100,
        False,
        (3, 9),
        ("Adult social care", "Legal"),
        "Assessing capacity, best interests decisions and Liberty Protection Safeguards.",
    ),
    (
        "E09000015",
        "Managing attendance",
        Kind.WORKSHOP,
        ONLINE,
        OWN,
        3,
        "",
        60,
        0,
        False,
        (5, 9),
        ("Management",),
        "Applying the council's attendance policy fairly.",
    ),
    (
        "E09000017",
        "Prevent awareness",
        Kind.E_LEARNING,
        SELF_PACED,
        OPEN,
        1,
        "",
        0,
        0,
        False,
        (1, 9),
        ("Safeguarding",),
        "Recognising radicalisation and how to refer to Channel.",
    ),
    (
        "E09000017",
        "Project management essentials",
        Kind.COURSE,
        BLENDED,
        OPEN,
        14,
        "APM accredited trainer",
        650,
        400,
        True,
        (4, 8),
        ("Project management",),
        "Planning, risks and benefits for people running projects alongside their day job.",
    ),
    (
        "E09000018",
        "Customer care in the contact centre",
        Kind.WORKSHOP,
        IN_PERSON,
        OWN,
        3,
        "",
        50,
        0,
        False,
        (1, 4),
        ("Customer service",),
        "Handling calls and complaints well.",
    ),
    (
        "E09000018",
        "Autism awareness",
        Kind.COURSE,
        ONLINE,
        OPEN,
        3,
        "",
        60,
        30,
        False,
        (1, 9),
        ("Learning disability and autism",),
        "The Oliver McGowan approach to autism awareness.",
    ),
    (
        "E09000019",
        "Coroner's court and inquest preparation",
        Kind.WORKSHOP,
        ONLINE,
        OPEN,
        3,
        "Bevan Brittan",
        180,
        120,
        False,
        (5, 9),
        ("Legal",),
        "What to expect when giving evidence at an inquest.",
    ),
    (
        "E09000019",
        "Community engagement and co-production",
        Kind.WORKSHOP,
        IN_PERSON,
        THEN,
        6,
        "",
        120,
        60,
        False,
        (3, 8),
        ("Public health",),
        "Designing services with residents rather than for them.",
    ),
    (
        "E09000020",
        "Presenting with confidence",
        Kind.WORKSHOP,
        IN_PERSON,
        OPEN,
        6,
        "",
        150,
        90,
        False,
        (3, 9),
        ("Communication",),
        "Structure, delivery and nerves.",
    ),
    (
        "E09000033",
        "Senior leaders' conference: integrated care",
        Kind.EVENT,
        IN_PERSON,
        OPEN,
        7,
        "",
        90,
        45,
        False,
        (7, 9),
        ("Leadership", "Integrated care"),
        "A day of talks and workshops on joined-up services across health and care.",
    ),
    (
        "E09000033",
        "Procurement Act 2023 for commissioners",
        Kind.COURSE,
        ONLINE,
        OPEN,
        6,
        "Browne Jacobson",
        300,
        200,
        False,
        (5, 9),
        ("Commissioning", "Legal"),
        "What changed under the new regime and how to run compliant procurements.",
    ),
    (
        "R1K",
        "Immediate life support",
        Kind.COURSE,
        IN_PERSON,
        THEN,
        7.5,
        "Resuscitation Council UK",
        220,
        150,
        False,
        (3, 8),
        ("Clinical skills",),
        "The Resuscitation Council UK ILS course for clinical staff.",
    ),
    (
        "R1K",
        "Preceptorship for newly registered nurses",
        Kind.LEADERSHIP,
        BLENDED,
        OWN,
        30,
        "",
        600,
        0,
        False,
        (5, 5),
        ("Nursing",),
        "A year of support for nurses in their first post.",
    ),
    (
        "R1K",
        "Conflict resolution training",
        Kind.COURSE,
        IN_PERSON,
        OPEN,
        3,
        "",
        75,
        40,
        False,
        (1, 9),
        ("Personal safety",),
        "De-escalation for staff facing the public.",
    ),
    (
        "RYJ",
        "Quality improvement: foundations",
        Kind.COURSE,
        BLENDED,
        OPEN,
        12,
        "",
        320,
        180,
        False,
        (3, 8),
        ("Quality improvement",),
        "The model for improvement, PDSA cycles and measuring for improvement.",
    ),
    (
        "RYJ",
        "Reflective practice facilitation",
        Kind.WORKSHOP,
        IN_PERSON,
        THEN,
        6,
        "",
        200,
        120,
        False,
        (6, 9),
        ("Wellbeing", "Coaching"),
        "Running Schwartz rounds and reflective groups.",
    ),
    (
        "RQM",
        "Compassionate leadership",
        Kind.LEADERSHIP,
        BLENDED,
        THEN,
        18,
        "NHS Leadership Academy",
        1200,
        800,
        True,
        (6, 8),
        ("Leadership",),
        "Leading with compassion: attending, understanding, empathising and helping.",
    ),
    (
        "RQM",
        "Sepsis recognition and management",
        Kind.E_LEARNING,
        SELF_PACED,
        OPEN,
        1,
        "",
        0,
        0,
        False,
        (3, 9),
        ("Clinical skills",),
        "Screening and escalation with NEWS2.",
    ),
    (
        "RV3",
        "Suicide prevention and safety planning",
        Kind.COURSE,
        IN_PERSON,
        OPEN,
        6,
        "Zero Suicide Alliance",
        190,
        110,
        False,
        (1, 9),
        ("Mental health",),
        "Talking about suicide safely and building a safety plan.",
    ),
    (
        "RV3",
        "Dialectical behaviour therapy skills",
        Kind.COURSE,
        IN_PERSON,
        THEN,
        24,
        "British Isles DBT Training",
        1600,
        1100,
        True,
        (6, 8),
        ("Mental health",),
        "Four days of DBT skills training for clinicians.",
    ),
    (
        "RKL",
        "Positive behaviour support",
        Kind.COURSE,
        IN_PERSON,
        OPEN,
        12,
        "",
        280,
        160,
        False,
        (2, 7),
        ("Learning disability and autism",),
        "Understanding behaviour that challenges and planning proactive support.",
    ),
    (
        "RKL",
        "Recruitment and selection",
        Kind.WORKSHOP,
        ONLINE,
        OWN,
        3,
        "",
        70,
        0,
        False,
        (5, 9),
        ("Management",),
        "Fair and inclusive recruitment for hiring managers.",
    ),
    (
        "RAL",
        "Coaching conversations: one-to-one coaching",
        Kind.COACHING,
        ONLINE,
        OPEN,
        6,
        "Coaching and Mentoring Network",
        540,
        300,
        True,
        (6, 9),
        ("Coaching",),
        "Six one-hour sessions with an accredited coach.",
    ),
    (
        "RAL",
        "Infection prevention and control",
        Kind.E_LEARNING,
        SELF_PACED,
        OPEN,
        1,
        "",
        0,
        0,
        False,
        (1, 9),
        ("Clinical skills",),
        "Core skills framework IPC level 2.",
    ),
    (
        "RKE",
        "Frailty in the community",
        Kind.COURSE,
        IN_PERSON,
        THEN,
        6,
        "",
        160,
        90,
        False,
        (4, 8),
        ("Integrated care", "Adult social care"),
        "Recognising frailty and working across health and social care teams.",
    ),
    (
        "G6V2S",
        "Working with people with co-occurring conditions",
        Kind.COURSE,
        ONLINE,
        OPEN,
        6,
        "",
        140,
        80,
        False,
        (3, 8),
        ("Mental health", "Substance misuse"),
        "Mental health and alcohol or drug use: joined-up assessment and care.",
    ),
)
VENUES = {
    "E09000003": "Barnet House, 2 Bristol Avenue, Colindale, London NW9 4EW",
    "R1K": "Education Centre, Northwick Park Hospital, Watford Road, Harrow HA1 3UJ",
}
SESSIONS_OF_KIND = {Kind.LEADERSHIP: 3, Kind.ACTION_LEARNING: 4, Kind.COACHING: 6}


def _first_weekday(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def _sessions(spec: tuple, first: dt.date, host: Organisation) -> list[dict]:
    kind, mode, hours = spec[2], spec[3], Decimal(str(spec[5]))
    count = SESSIONS_OF_KIND.get(kind, 2 if hours >= 12 else 1)
    gap = 28 if count > 2 else 7
    long_day = hours / count >= 5
    venue = VENUES.get(host.official_code, f"Training suite, {host.name}, London")
    return [
        {
            "date": _first_weekday(first + dt.timedelta(days=gap * number)),
            "starts_at": dt.time(9, 30) if long_day else dt.time(13, 30),
            "ends_at": dt.time(16, 30) if long_day else dt.time(16, 30),
            "venue": "" if mode == ONLINE else venue,
            "online_link": "https://teams.example/joinedup-demo" if mode != IN_PERSON else "",
        }
        for number in range(count)
    ]


def _persona(key: str, organisation: Organisation) -> Person | None:
    """The demo persona's person, found by name at their organisation."""
    given, family = next(p.name for p in PERSONAS if p.key == key).split(" ", 1)
    employment = (
        Employment.objects.current()
        .filter(organisation=organisation, person__given_name=given, person__family_name=family)
        .select_related("person")
        .first()
    )
    return employment.person if employment else None


class _Offer:
    def __init__(self, organisations: dict[str, Organisation]) -> None:
        self.organisations = organisations
        self.rng = random.Random(SEED)
        leads = OrganisationRoleGrant.objects.filter(
            organisation__in=organisations.values(), role=Role.LD_LEAD
        ).select_related("person")
        self.lead = {grant.organisation_id: grant.person for grant in leads}
        self.staff: dict[int, list[tuple[Person, int | None]]] = {}
        self.created = {"programmes": 0, "runs": 0, "bookings": 0, "outcomes": 0}

    def host_actor(self, organisation: Organisation) -> Actor:
        return Actor(person=self.lead[organisation.pk], organisation=organisation)

    def staff_of(self, organisation: Organisation, seniority: tuple[int, int] = (1, 9)) -> list:
        """The organisation's current staff, in a fixed order, within a seniority range."""
        if organisation.pk not in self.staff:
            employments = (
                Employment.objects.current()
                .filter(organisation=organisation)
                .select_related("person")
                .order_by("employee_number", "pk")
            )
            self.staff[organisation.pk] = [(e.person, e.seniority) for e in employments]
        low, high = seniority
        return [
            person
            for person, grade in self.staff[organisation.pk]
            if grade is None or low <= grade <= high
        ]

    def book(self, run, person: Person, organisation: Organisation):
        try:
            booking = services.book_place(
                actor=Actor(person=person, organisation=organisation), run=run, person=person
            )
        except (services.BookingRefused, PermissionDenied):
            return None
        self.created["bookings"] += 1
        return booking

    def book_confirmed(self, run, people: list[Person], organisation: Organisation, count: int):
        """Book people in turn until `count` of them hold a confirmed place."""
        confirmed = 0
        for person in people:
            if confirmed == count:
                break
            booking = self.book(run, person, organisation)
            confirmed += booking is not None and booking.status == BookingStatus.CONFIRMED

    def fill(self, run, host: Organisation, spec: tuple, share: float) -> None:
        """Book a share of the run's places for host staff and, where open, partners' staff."""
        wanted = round(run.capacity * share)
        partners = [o for code, o in self.organisations.items() if code != host.official_code]
        for number in range(wanted):
            organisation = host
            if spec[4] == OPEN and number % 3 == 2:
                organisation = self.rng.choice(partners)
            staff = self.staff_of(organisation, spec[10])
            if staff:
                self.book(run, self.rng.choice(staff), organisation)

    def programme(self, spec: tuple, today: dt.date) -> None:
        host = self.organisations[spec[0]]
        actor = self.host_actor(host)
        programme = services.create_programme(
            actor=actor,
            title=spec[1],
            kind=spec[2],
            delivery_mode=spec[3],
            sharing_policy=spec[4],
            hours=Decimal(str(spec[5])),
            provider=spec[6],
            cost_per_place=Decimal(spec[7]),
            partner_price=Decimal(spec[8]),
            approval_required=spec[9],
            seniority_min=spec[10][0],
            seniority_max=spec[10][1],
            topics=spec[11],
            summary=spec[12],
            audience=f"Staff at seniority {spec[10][0]} to {spec[10][1]} across the partnership",
            joining_instructions="Joining details are sent a week before the first session.",
        )
        self.created["programmes"] += 1
        if spec[3] == SELF_PACED:
            services.add_run(
                actor=actor,
                programme=programme,
                sessions=[],
                capacity=500,
                completion_deadline=today + dt.timedelta(days=90),
                cut_off_at=timezone.now() + dt.timedelta(days=30),
                bookings_close_at=timezone.now() + dt.timedelta(days=75),
            )
            self.created["runs"] += 1
            return
        for number in range(self.rng.randint(1, 3)):
            first = today + dt.timedelta(days=self.rng.randint(35, 70) + 45 * number)
            run = services.add_run(
                actor=actor,
                programme=programme,
                sessions=_sessions(spec, first, host),
                capacity=self.rng.choice((8, 12, 16, 20, 24)),
                partner_cap=self.rng.choice((None, None, 3)),
            )
            self.created["runs"] += 1
            self.fill(run, host, spec, self.rng.choice((0.0, 0.2, 0.4)))

    def released_run(self, programme: Programme, today: dt.date) -> None:
        """A run whose cut-off has passed: the partner staff persona holds a released place."""
        host = programme.host
        actor = self.host_actor(host)
        run = services.add_run(
            actor=actor,
            programme=programme,
            sessions=_sessions(
                ("", "", programme.kind, programme.delivery_mode, "", 6),
                today + dt.timedelta(days=14),
                host,
            ),
            capacity=10,
            cut_off_at=timezone.now() - dt.timedelta(days=7),
        )
        self.created["runs"] += 1
        self.book_confirmed(run, self.staff_of(host)[40:], host, 7)
        partner = self.organisations[LNWH]
        pat = _persona("partner_staff", partner)
        waiting = [pat] if pat else []
        waiting += self.staff_of(partner)[30:32] + self.staff_of(self.organisations["RQM"])[20:22]
        for person in waiting:
            organisation = (
                partner if person in self.staff_of(partner) else self.organisations["RQM"]
            )
            self.book(run, person, organisation)
        services.release_unfilled_places(actor=None, run=run)

    def past_run(self, programme: Programme, today: dt.date) -> None:
        """A run held three weeks ago: partners' released places, a register, outcomes, charges.

        The partner staff persona attended and completed it, so they have a certificate and an
        evaluation to give, and both organisations' statements show the recharge.
        """
        host = programme.host
        actor = self.host_actor(host)
        run = services.add_run(
            actor=actor,
            programme=programme,
            sessions=_sessions(
                ("", "", programme.kind, programme.delivery_mode, "", 6),
                today - dt.timedelta(days=21),
                host,
            ),
            capacity=8,
            charge_no_shows=True,
            # Open for the demo's bookings below; closed at the first session afterwards.
            bookings_close_at=timezone.now() + dt.timedelta(hours=1),
        )
        self.created["runs"] += 1
        self.book_confirmed(run, self.staff_of(host)[60:], host, 5)
        partner = self.organisations[LNWH]
        pat = _persona("partner_staff", partner)
        for person, organisation in [(pat, partner)] + [
            (person, self.organisations["RQM"])
            for person in self.staff_of(self.organisations["RQM"])[40:42]
        ]:
            if person is not None:
                self.book(run, person, organisation)
        services.release_unfilled_places(actor=None, run=run)
        first = run.first_session()
        services.update_run(
            actor=actor,
            run=run,
            bookings_close_at=dt.datetime.combine(first.date, first.starts_at, tzinfo=LONDON),
        )
        confirmed = list(
            Booking.objects.filter(run=run, status=BookingStatus.CONFIRMED)
            .select_related("person")
            .order_by("pk")
        )
        absent = {confirmed[-1].pk, confirmed[1].pk}
        for session in run.sessions.all():
            attendance.record_attendance(
                actor=actor,
                session=session,
                present={b.pk: b.pk not in absent for b in confirmed},
            )
        attendance.record_outcomes(
            actor=actor,
            run=run,
            outcomes={
                b.pk: Outcome.NO_SHOW if b.pk in absent else Outcome.COMPLETED for b in confirmed
            },
        )
        self.created["outcomes"] += len(confirmed)
        attended = Booking.objects.filter(run=run, outcome=Outcome.COMPLETED).exclude(person=pat)
        for number, booking in enumerate(attended.select_related("person", "organisation")):
            attendance.submit_evaluation(
                actor=Actor(person=booking.person, organisation=booking.organisation),
                booking=booking,
                ratings={name: 3 + (number + i) % 3 for i, name in enumerate(EVALUATED)},
                went_well="Practical case studies from across the partnership.",
                to_improve="More time for questions." if number % 2 else "",
            )

    def reserved_block(self, programme: Programme) -> None:
        """The partner's L&D lead holds a block of three on a run open to partners, one named."""
        partner = self.organisations[LNWH]
        lead = self.lead.get(partner.pk)
        run = Run.objects.filter(programme=programme).order_by("cut_off_at", "pk").first()
        if lead is None or run is None:
            return
        actor = Actor(person=lead, organisation=partner)
        try:
            block = reservations.reserve_places(actor=actor, run=run, places=3)
        except services.BookingRefused:
            return
        for person in self.staff_of(partner, (programme.seniority_min, programme.seniority_max))[
            50:51
        ]:
            reservations.name_into_reservation(actor=actor, reservation=block, person=person)
            self.created["bookings"] += 1

    def waitlisted_run(self, programme: Programme, today: dt.date) -> None:
        """A full run open to partners with a waiting list; the own staff persona is on it."""
        host = programme.host
        run = services.add_run(
            actor=self.host_actor(host),
            programme=programme,
            sessions=_sessions(
                ("", "", programme.kind, programme.delivery_mode, "", 6),
                today + dt.timedelta(days=40),
                host,
            ),
            capacity=6,
        )
        self.created["runs"] += 1
        self.book_confirmed(run, self.staff_of(host)[10:], host, run.capacity)
        barnet = self.organisations[BARNET]
        sam = _persona("own_staff", barnet)
        for person in self.staff_of(barnet)[20:23] + ([sam] if sam else []):
            self.book(run, person, barnet)


def load() -> dict[str, int]:
    """Create the demo learning offer where its programmes are missing; return rows created."""
    codes = {spec[0] for spec in PROGRAMMES}
    organisations = {
        o.official_code: o for o in Organisation.objects.filter(official_code__in=codes)
    }
    if len(organisations) != len(codes):
        return {}
    existing = set(
        Programme.objects.filter(host__in=organisations.values()).values_list(
            "host__official_code", "title"
        )
    )
    offer = _Offer(organisations)
    today = timezone.localdate()
    for spec in PROGRAMMES:
        if (spec[0], spec[1]) not in existing:
            offer.programme(spec, today)
            if spec[1] == "Safeguarding adults level 3":
                safeguarding = Programme.objects.get(host__official_code=BARNET, title=spec[1])
                offer.released_run(safeguarding, today)
                offer.past_run(safeguarding, today)
            if spec[1] == "Strengths-based practice in adult social care":
                offer.reserved_block(
                    Programme.objects.get(host__official_code=BARNET, title=spec[1])
                )
            if spec[1] == "Mental Health First Aid":
                offer.waitlisted_run(
                    Programme.objects.get(host__official_code="E09000009", title=spec[1]), today
                )
    created = {f"learning {name}": count for name, count in offer.created.items()}
    return created | demo_design_once.load()
