"""The shared learning offer: programmes, their runs and sessions, and bookings on runs.

`Run.places_taken` and `RunOrganisationShare.places_taken` are counters guarding a limit: only
`learning.services` changes them, with a conditional update, in the transaction that writes the
booking (see DESIGN.md, "Claiming a limited thing").
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from joinedup.partnership.models import Organisation, Person

LONDON = ZoneInfo("Europe/London")
CUT_OFF_DAYS_BEFORE = 21
CUT_OFF_TIME = dt.time(17, 0)
DEFAULT_OFFER_WINDOW_HOURS = 48


def default_cut_off(first_day: dt.date) -> dt.datetime:
    """17:00 Europe/London, 21 days before the first session (an aware datetime)."""
    day = first_day - dt.timedelta(days=CUT_OFF_DAYS_BEFORE)
    return dt.datetime.combine(day, CUT_OFF_TIME, tzinfo=LONDON)


class ProgrammeKind(models.TextChoices):
    COURSE = "course", "Course"
    WORKSHOP = "workshop", "Workshop"
    LEADERSHIP = "leadership", "Leadership programme"
    E_LEARNING = "e_learning", "E-learning"
    EVENT = "event", "Conference or event"
    COACHING = "coaching", "Coaching"
    ACTION_LEARNING = "action_learning", "Action learning set"


class DeliveryMode(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    ONLINE = "online", "Online"
    BLENDED = "blended", "Blended"
    SELF_PACED = "self_paced", "Self-paced"


class SharingPolicy(models.TextChoices):
    OWN_ONLY = "own_only", "Own staff only"
    OWN_THEN_PARTNERS = "own_then_partners", "Own staff until the cut-off, then partners"
    PARTNERS_FROM_START = "partners_from_start", "Partners from the start"


class ReleaseMode(models.TextChoices):
    CONFIRM = "confirm", "Confirm allocated people directly"
    OFFER = "offer", "Offer with an acceptance window"


class Topic(models.Model):
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Programme(models.Model):
    """Something an organisation offers to learn: a course, workshop, e-learning and so on."""

    host = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="programmes")
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True)
    kind = models.CharField(max_length=20, choices=ProgrammeKind.choices)
    audience = models.CharField(max_length=300, blank=True, help_text="Who it is for.")
    seniority_min = models.PositiveSmallIntegerField(default=1)
    seniority_max = models.PositiveSmallIntegerField(default=9)
    topics = models.ManyToManyField(Topic, blank=True, related_name="programmes")
    delivery_mode = models.CharField(max_length=20, choices=DeliveryMode.choices)
    hours = models.DecimalField(max_digits=6, decimal_places=2, default=Decimal("0"))
    provider = models.CharField(
        max_length=200, blank=True, help_text="A named supplier; blank when delivered internally."
    )
    cost_per_place = models.DecimalField(
        max_digits=10, decimal_places=2, default=Decimal("0"), help_text="To the host."
    )
    partner_price = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        default=Decimal("0"),
        help_text="Charged to a partner per place; runs start from it.",
    )
    sharing_policy = models.CharField(
        max_length=30, choices=SharingPolicy.choices, default=SharingPolicy.OWN_THEN_PARTNERS
    )
    approval_required = models.BooleanField(
        default=False, help_text="A line manager must approve each booking."
    )
    joining_instructions = models.TextField(blank=True)
    delivered_by_accredited_trainers = models.BooleanField(
        default=False,
        help_text="Only trainers accredited for it (train-the-trainer) may deliver its runs.",
    )
    adopted_from = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adoptions",
        help_text="The partner's programme this one delivers (designed once, run here).",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title", "id"]
        # The catalogue's keyset pages walk programmes in title order.
        indexes = [models.Index(fields=["title", "id"], name="programme_title_id")]
        constraints = [
            models.CheckConstraint(
                condition=Q(seniority_min__gte=1)
                & Q(seniority_max__lte=9)
                & Q(seniority_min__lte=F("seniority_max")),
                name="programme_seniority_range",
            ),
            models.CheckConstraint(
                condition=Q(hours__gte=0) & Q(cost_per_place__gte=0) & Q(partner_price__gte=0),
                name="programme_amounts_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_internal(self) -> bool:
        return not self.provider


class CatalogueTerm(models.Model):
    """A term a programme is found by in the catalogue, beside the programme's title.

    The terms are the words of its title and summary and its topics (`learning.terms`). With the
    title here, the catalogue walks one term's programmes in title order by one index and stops
    at a page, at any size. Written only by `learning.term_index`, in the transaction of the
    service that writes the programme.
    """

    # The unique (programme, term) constraint's index serves lookups by programme.
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="terms", db_index=False
    )
    term = models.CharField(max_length=300)
    title = models.CharField(max_length=200)

    class Meta:
        indexes = [models.Index(fields=["term", "title", "programme"], name="catalogue_term_title")]
        constraints = [
            models.UniqueConstraint(fields=["programme", "term"], name="one_term_per_programme")
        ]

    def __str__(self) -> str:
        return f"{self.term} ({self.title})"


class CatalogueWord(models.Model):
    """Every word any programme's title or summary has had: where a search finds its terms.

    A search matches inside words ("guard" finds "safeguarding"), so it first finds the words
    containing its own here (a short list, trigram-indexed on PostgreSQL), then their programmes.
    Words are added as programmes are written and never removed: a word no programme has any
    more finds nothing.
    """

    word = models.CharField(max_length=300, unique=True)

    def __str__(self) -> str:
        return self.word


class Run(models.Model):
    """One delivery of a programme, with a number of places."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="runs")
    capacity = models.PositiveIntegerField()
    places_taken = models.PositiveIntegerField(
        default=0, help_text="Confirmed and offered places; changed only by the booking services."
    )
    cut_off_at = models.DateTimeField(
        help_text="Unfilled places go to partners after this (default 17:00, 21 days before)."
    )
    bookings_close_at = models.DateTimeField(null=True, blank=True)
    completion_deadline = models.DateField(
        null=True, blank=True, help_text="For self-paced runs, which have no sessions."
    )
    partner_price = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0"))
    charge_attended = models.BooleanField(default=True)
    charge_no_shows = models.BooleanField(default=False)
    charge_late_cancellations = models.BooleanField(default=False)
    late_cancellation_days = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Cancellations within this many days are charged."
    )
    partner_cap = models.PositiveIntegerField(
        null=True, blank=True, help_text="Most places any one partner may hold; blank for none."
    )
    release_mode = models.CharField(
        max_length=20, choices=ReleaseMode.choices, default=ReleaseMode.CONFIRM
    )
    offer_window_hours = models.PositiveSmallIntegerField(default=DEFAULT_OFFER_WINDOW_HOURS)
    released_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancellation_reason = models.TextField(blank=True)
    trainer = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="runs_trained",
        help_text="The named trainer, for example a partner's accredited trainer.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["cut_off_at", "id"]
        indexes = [models.Index(fields=["programme", "cut_off_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(places_taken__lte=F("capacity")), name="run_taken_within_capacity"
            ),
            models.CheckConstraint(
                condition=Q(partner_price__gte=0), name="run_price_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(offer_window_hours__gte=1), name="run_offer_window_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} (run {self.pk})"

    def places_left(self) -> int:
        return self.capacity - self.places_taken

    def first_session(self) -> Session | None:
        return self.sessions.order_by("date", "starts_at").first()

    def default_cut_off(self) -> dt.datetime | None:
        """The cut-off its first session implies, or None for a run without sessions."""
        first = self.first_session()
        return default_cut_off(first.date) if first else None

    def last_day(self) -> dt.date | None:
        """Its last session's day, or a self-paced run's completion deadline (uses prefetched
        sessions)."""
        days = [session.date for session in self.sessions.all()]
        return max(days) if days else self.completion_deadline

    def is_released(self) -> bool:
        return self.released_at is not None

    def bookings_closed(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.bookings_close_at is not None and now >= self.bookings_close_at

    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


class Session(models.Model):
    """One dated session of a run, in person at a venue or online."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField()
    starts_at = models.TimeField()
    ends_at = models.TimeField()
    venue = models.TextField(blank=True, help_text="The address, for sessions in person.")
    online_link = models.URLField(blank=True)

    class Meta:
        ordering = ["date", "starts_at", "id"]
        indexes = [models.Index(fields=["run", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.date:%d %B %Y} {self.starts_at:%H:%M}-{self.ends_at:%H:%M}"


class RunOrganisationShare(models.Model):
    """Places one partner organisation holds on a run, against the run's per-partner cap.

    `cap` is the run's `partner_cap` copied here, so the claim is one conditional update of one row.
    """

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="shares")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="run_shares"
    )
    cap = models.PositiveIntegerField(null=True, blank=True)
    places_taken = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "organisation"], name="one_share_per_run"),
            models.CheckConstraint(
                condition=Q(cap__isnull=True) | Q(places_taken__lte=F("cap")),
                name="share_taken_within_cap",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} on run {self.run_id}"


class BookingStatus(models.TextChoices):
    REQUESTED = "requested", "Awaiting approval"
    WAITING = "waiting", "Waiting"
    OFFERED = "offered", "Offered"
    CONFIRMED = "confirmed", "Confirmed"
    CANCELLED = "cancelled", "Cancelled"
    DECLINED = "declined", "Declined"
    LAPSED = "lapsed", "Lapsed"


ACTIVE_STATUSES = (
    BookingStatus.REQUESTED,
    BookingStatus.WAITING,
    BookingStatus.OFFERED,
    BookingStatus.CONFIRMED,
)
# Statuses that hold one of the run's places (and of the organisation's share).
HOLDING_STATUSES = (BookingStatus.OFFERED, BookingStatus.CONFIRMED)


class Outcome(models.TextChoices):
    COMPLETED = "completed", "Completed"
    NOT_COMPLETED = "not_completed", "Attended, not completed"
    NO_SHOW = "no_show", "Did not attend"


class Booking(models.Model):
    """A person's booking on a run, for the organisation they work for: a place or a waiting one."""

    run = models.ForeignKey(Run, on_delete=models.PROTECT, related_name="bookings")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="bookings")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="bookings",
        help_text="The organisation the person booked for.",
    )
    status = models.CharField(max_length=20, choices=BookingStatus.choices)
    requested_at = models.DateTimeField(default=timezone.now)
    adjustments_note = models.TextField(
        blank=True, help_text="Reasonable adjustments; seen by the host's L&D lead and leader."
    )
    booked_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    reservation = models.ForeignKey(
        "Reservation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bookings",
        help_text="The partner's reserved block this person was named into.",
    )
    released_place = models.BooleanField(
        default=False, help_text="A partner's place given after the run was released."
    )
    purchase_order = models.CharField(max_length=50, blank=True)
    cost_centre = models.CharField(max_length=50, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    outcome_recorded_at = models.DateTimeField(null=True, blank=True)
    completion_reported_at = models.DateTimeField(
        null=True, blank=True, help_text="When a self-paced learner said they had completed."
    )
    recharge = models.OneToOneField(
        "partnership.RechargeEntry",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The charge posted to the person's organisation for this place.",
    )
    reminded_7_days_at = models.DateTimeField(null=True, blank=True)
    reminded_1_day_at = models.DateTimeField(null=True, blank=True)
    offer_reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        indexes = [
            models.Index(fields=["run", "status", "requested_at"]),
            models.Index(fields=["person", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "person"],
                condition=Q(status__in=ACTIVE_STATUSES),
                name="one_active_booking_per_person",
            ),
            models.CheckConstraint(
                condition=~Q(status=BookingStatus.OFFERED) | Q(offer_expires_at__isnull=False),
                name="offer_has_expiry",
            ),
        ]

    def __str__(self) -> str:
        return f"Booking {self.pk} on run {self.run_id}"

    def holds_place(self) -> bool:
        return self.status in HOLDING_STATUSES


class Interest(models.Model):
    """A person asking to be told when a programme without an upcoming run gets one."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="interests")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="learning_interests")
    created_at = models.DateTimeField(default=timezone.now)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "person"], name="one_interest_per_person")
        ]

    def __str__(self) -> str:
        return f"Interest in {self.programme_id} by {self.person_id}"


class Reservation(models.Model):
    """A block of places a partner's L&D lead holds on a run, to name people into.

    The whole block counts in `Run.places_taken` and the partner's share from the moment it is
    made; naming someone uses one of its places (`places_named`), so it claims nothing new. At the
    cut-off the unnamed places go back to the pool (`returned_at`, `places_returned`).
    """

    run = models.ForeignKey(Run, on_delete=models.PROTECT, related_name="reservations")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="run_reservations"
    )
    places = models.PositiveIntegerField()
    places_named = models.PositiveIntegerField(default=0)
    made_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    made_at = models.DateTimeField(default=timezone.now)
    returned_at = models.DateTimeField(null=True, blank=True)
    places_returned = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["made_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "organisation"], name="one_reservation_per_partner"
            ),
            models.CheckConstraint(
                condition=Q(places_named__lte=F("places")), name="reservation_named_within_block"
            ),
            models.CheckConstraint(condition=Q(places__gte=1), name="reservation_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.places} places for {self.organisation_id} on run {self.run_id}"

    def places_unnamed(self) -> int:
        return 0 if self.returned_at else self.places - self.places_named


class Attendance(models.Model):
    """Whether a booked person came to one session, as the host recorded it."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="attendances")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    present = models.BooleanField()
    recorded_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["booking", "session"], name="one_attendance_per_session"
            )
        ]

    def __str__(self) -> str:
        return f"Attendance of booking {self.booking_id} at session {self.session_id}"


class Evaluation(models.Model):
    """An attendee's evaluation of a run: ratings from 1 (poor) to 5 (excellent), and words."""

    booking = models.OneToOneField(Booking, on_delete=models.CASCADE, related_name="evaluation")
    rating_overall = models.PositiveSmallIntegerField()
    rating_content = models.PositiveSmallIntegerField()
    rating_delivery = models.PositiveSmallIntegerField()
    rating_usefulness = models.PositiveSmallIntegerField()
    went_well = models.TextField(blank=True)
    to_improve = models.TextField(blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(rating_overall__range=(1, 5))
                & Q(rating_content__range=(1, 5))
                & Q(rating_delivery__range=(1, 5))
                & Q(rating_usefulness__range=(1, 5)),
                name="evaluation_ratings_one_to_five",
            )
        ]

    def __str__(self) -> str:
        return f"Evaluation of booking {self.booking_id}"


class Release(models.Model):
    """The release of a run's unfilled places at its cut-off or early by hand: the release log."""

    run = models.OneToOneField(Run, on_delete=models.CASCADE, related_name="release")
    released_at = models.DateTimeField(default=timezone.now)
    released_by = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Blank when the scheduled job released it.",
    )
    places_free = models.PositiveIntegerField(help_text="Places unfilled at the release.")
    reserved_returned = models.PositiveIntegerField(
        default=0, help_text="Unnamed reserved places returned to the pool first."
    )
    places_given = models.PositiveIntegerField(help_text="Places given to waiting people.")
    waiting = models.PositiveIntegerField(help_text="People waiting when it ran.")

    class Meta:
        ordering = ["-released_at", "-id"]

    def __str__(self) -> str:
        return f"Release of run {self.run_id}"


class PlanStatus(models.TextChoices):
    OPEN = "open", "Open"
    COMMISSIONED = "commissioned", "Commissioned jointly"
    CLOSED = "closed", "Closed"


class CommissioningPlan(models.Model):
    """A programme an organisation intends to design or buy ("design once": others may join)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="commissioning_plans"
    )
    title = models.CharField(max_length=200)
    need = models.TextField(help_text="The need it meets.")
    audience = models.CharField(max_length=300, blank=True)
    topics = models.ManyToManyField(Topic, blank=True, related_name="commissioning_plans")
    estimated_design_cost = models.DecimalField(
        max_digits=12, decimal_places=2, default=Decimal("0")
    )
    delivery_cost_per_place = models.DecimalField(
        max_digits=10, decimal_places=2, default=Decimal("0")
    )
    expected_learners = models.PositiveIntegerField(default=0)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=PlanStatus.choices, default=PlanStatus.OPEN)
    created_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "organisation"], name="plan_status_org")]
        constraints = [
            models.CheckConstraint(
                condition=Q(estimated_design_cost__gte=0) & Q(delivery_cost_per_place__gte=0),
                name="plan_costs_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(starts_on__lte=F("ends_on")),
                name="plan_timeframe_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class SplitMethod(models.TextChoices):
    """The codes of `learning.cost_split.Method`."""

    EQUAL = "equal", "Equal shares"
    PLACES = "places", "By committed places"
    HEADCOUNT = "headcount", "By headcount"


class CommissionStatus(models.TextChoices):
    FORMING = "forming", "Partners joining"
    AGREED = "agreed", "Agreed: shares posted"
    CANCELLED = "cancelled", "Cancelled"


class JointCommission(models.Model):
    """Organisations commissioning one plan together; the lead organisation is paid the shares."""

    plan = models.OneToOneField(
        CommissioningPlan, on_delete=models.PROTECT, related_name="joint_commission"
    )
    lead_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="led_commissions"
    )
    split_method = models.CharField(
        max_length=20, choices=SplitMethod.choices, default=SplitMethod.PLACES
    )
    total_cost = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        help_text="The agreed joint cost: design once plus delivery of every committed place.",
    )
    status = models.CharField(
        max_length=20, choices=CommissionStatus.choices, default=CommissionStatus.FORMING
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="joint_commissions",
        help_text="The programme the commission produced; its runs reserve partners' places.",
    )
    agreed_at = models.DateTimeField(null=True, blank=True)
    agreed_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(total_cost__gte=0), name="commission_cost_not_negative"
            )
        ]

    def __str__(self) -> str:
        return f"Joint commission of {self.plan}"


class CommissionPartner(models.Model):
    """One organisation in a joint commission (the lead included), with what it commits."""

    commission = models.ForeignKey(
        JointCommission, on_delete=models.CASCADE, related_name="partners"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="commission_memberships"
    )
    places = models.PositiveIntegerField(help_text="Learners or places it commits.")
    headcount = models.PositiveIntegerField(
        default=0, help_text="Its headcount when it joined, for a split by headcount."
    )
    share = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    recharge = models.OneToOneField(
        "partnership.RechargeEntry",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    joined_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["joined_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["commission", "organisation"], name="one_membership_per_commission"
            ),
            models.CheckConstraint(condition=Q(places__gte=1), name="commission_places_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in commission {self.commission_id}"


class SimilarityChange(models.Model):
    """A change log the similarity index of each process reads to stay current.

    The services add a row in the transaction that creates, edits or removes a programme or plan;
    `learning.similar` applies rows newer than the last it saw before answering.
    """

    class Kind(models.TextChoices):
        PROGRAMME = "programme", "Programme"
        PLAN = "plan", "Commissioning plan"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} changed"


class ReportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class NearDuplicateReport(models.Model):
    """A partnership's report of near-duplicate programmes across organisations (a task)."""

    partnership = models.ForeignKey(
        "partnership.Partnership", on_delete=models.CASCADE, related_name="near_duplicate_reports"
    )
    threshold = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal("0.80"))
    status = models.CharField(
        max_length=20, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent done.")
    programmes_compared = models.PositiveIntegerField(default=0)
    pairs_found = models.PositiveIntegerField(default=0)
    estimated_saving = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0"))
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"Near-duplicate report {self.pk}"


class NearDuplicatePair(models.Model):
    """Two programmes of different organisations that score at least the report's threshold."""

    report = models.ForeignKey(NearDuplicateReport, on_delete=models.CASCADE, related_name="pairs")
    first = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    score = models.DecimalField(max_digits=7, decimal_places=6)
    shared_terms = models.CharField(max_length=500, blank=True)
    estimated_saving = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0"))

    class Meta:
        ordering = ["-estimated_saving", "-score", "id"]

    def __str__(self) -> str:
        return f"{self.first_id} ~ {self.second_id}"
