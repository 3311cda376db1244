"""Apprenticeship programmes: standards and their KSBs, funding rules as dated data, programmes
with modules and assignments, cohorts, enrolments with their status history, commitment
statements signed in turn, and the link from an enrolment to the levy's payments.

- A `Standard` is reference data for the whole installation (codes and titles from the 2021
  list); its `Ksb`s are added in the service or imported from a CSV.
- `FundingRule` rows, each with the date it applies to starts from, decide an enrolment's
  off-the-job minimum, minimum duration and whether the levy may pay for it (`funding.py` holds the
  rules as plain code fed these rows).
- A `Programme` is run by a provider organisation of the partnership for one standard; it has
  `Module`s with `Assignment`s, and `ProgrammeStaff` (its programme leaders and practice tutors).
  A `Cohort` is one intake, with a date for each module and each assignment's deadline.
- An `Enrolment` puts one apprentice (through an employment) on a cohort. Its funding route is
  decided by the rules in force at its start date. Date of birth, care-leaver status and an EHC
  plan live only here and are shown only through `access.may_see_eligibility`.
- A `CommitmentStatement` is one version of the commitment statement and training plan: its
  content is fixed when it is made, and the three `Signature`s (apprentice, employer, provider)
  are given in that order. Nothing starts until the latest version has all three.
- When a levy- or transfer-funded enrolment starts, a `levy.Commitment` is made for it; the levy
  app posts its payments. Breaks, withdrawal and completion are passed on to that commitment.
- Evidence of progress, per enrolment: `OffTheJobEntry`s (verified or queried by the practice
  tutor), portfolio `Evidence` mapped to KSBs (signed off or queried), `ProgressReview`s every 12
  weeks signed by apprentice, line manager and tutor in turn (`ReviewSignature`), and
  `Submission`s of assignments, whose feedback is due 15 working days later (`working_days.py`,
  skipping `BankHoliday`s and the provider's `ClosureDay`s).
- The end: a `WorkplaceProject` with its `Milestone`s, the gateway (worked out from the rest, plus
  the employer's and provider's `GatewayAgreement`s), then `EndPointAssessment` attempts with an
  independent assessor. `BuddyPair`s pair apprentices of a cohort across employers.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from joinedup.levy.models import Commitment, LevyAccount
from joinedup.partnership.models import Employment, Organisation, Partnership, Person

AMOUNT = {"max_digits": 20, "decimal_places": 5}
HOURS = {"max_digits": 7, "decimal_places": 2}


# --- Standards ----------------------------------------------------------------------------------


class Standard(models.Model):
    """An apprenticeship standard: what an apprentice learns and how they are assessed."""

    reference_code = models.CharField(max_length=10, unique=True, help_text="For example ST0480")
    title = models.CharField(max_length=200)
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    version = models.CharField(max_length=10, blank=True, default="1.0")
    typical_duration_months = models.PositiveSmallIntegerField(null=True, blank=True)
    funding_band = models.DecimalField(
        **AMOUNT, null=True, blank=True, help_text="The maximum the levy pays, in pounds"
    )
    off_the_job_hours = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="The published minimum off-the-job hours, for starts from 1 August 2025",
    )
    assessment_methods = models.TextField(blank=True)
    grades = models.CharField(
        max_length=200, blank=True, help_text="For example: fail, pass, distinction"
    )
    source = models.CharField(max_length=200, blank=True, help_text="Where the figures came from")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title", "reference_code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__isnull=True) | Q(level__gte=2, level__lte=7),
                name="standard_level_2_to_7",
            ),
            models.CheckConstraint(
                condition=Q(funding_band__isnull=True) | Q(funding_band__gt=0),
                name="standard_band_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.reference_code})"


class KsbKind(models.TextChoices):
    KNOWLEDGE = "K", "Knowledge"
    SKILL = "S", "Skill"
    BEHAVIOUR = "B", "Behaviour"


class Ksb(models.Model):
    """One knowledge, skill or behaviour of a standard, such as K1 or B2."""

    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="ksbs")
    code = models.CharField(max_length=10, help_text="For example K1, S3 or B2")
    kind = models.CharField(max_length=1, choices=KsbKind.choices)
    number = models.PositiveSmallIntegerField(help_text="The number in the code, for ordering")
    description = models.TextField()
    illustrative = models.BooleanField(
        default=False, help_text="Made up for the demo: not the published wording"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["standard", "kind", "number", "code"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "code"], name="one_ksb_per_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.description[:60]}"


# --- Funding rules --------------------------------------------------------------------------------


class FundingRuleKind(models.TextChoices):
    OFF_THE_JOB = "off_the_job", "Off-the-job minimum"
    MINIMUM_DURATION = "minimum_duration", "Minimum duration"
    LEVEL_7 = "level_7", "Level 7 levy funding"


class OffTheJobMethod(models.TextChoices):
    SHARE_OF_HOURS = "share_of_hours", "A share of contracted hours"
    STANDARD_HOURS = "standard_hours", "The standard's published minimum hours"


class FundingRule(models.Model):
    """One funding rule, in force for apprenticeships starting on or after `applies_from` until the
    next rule of the same kind. Which fields matter depends on the kind (see `funding.py`)."""

    kind = models.CharField(max_length=20, choices=FundingRuleKind.choices)
    applies_from = models.DateField(help_text="Applies to apprenticeships starting on or after")
    method = models.CharField(max_length=20, choices=OffTheJobMethod.choices, blank=True)
    percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    weekly_hours_cap = models.DecimalField(**HOURS, null=True, blank=True)
    months = models.PositiveSmallIntegerField(null=True, blank=True)
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    age_limit = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Funded only for apprentices younger than this at the start",
    )
    protected_age_limit = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="The limit for care leavers and apprentices with an EHC plan",
    )
    description = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "applies_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "applies_from"], name="one_rule_per_kind_and_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.applies_from:%d %B %Y}"


# --- Programmes and cohorts -----------------------------------------------------------------------


class Programme(models.Model):
    """An apprenticeship programme a provider runs for one standard, for the partnership."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    provider = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="apprenticeship_programmes"
    )
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="programmes")
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    created_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title


class ProgrammeRole(models.TextChoices):
    LEADER = "leader", "Programme leader"
    TUTOR = "tutor", "Practice tutor"


class ProgrammeStaff(models.Model):
    """A member of the provider's staff named on a programme as its leader or a practice tutor."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="staff")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=10, choices=ProgrammeRole.choices)

    class Meta:
        ordering = ["role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "person", "role"], name="one_programme_role_each"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} on {self.programme_id}"


class Term(models.TextChoices):
    AUTUMN = "autumn", "Autumn"
    SPRING = "spring", "Spring"
    SUMMER = "summer", "Early summer"


class Module(models.Model):
    """A block of a programme: so many weeks online, then days on campus."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="modules")
    order = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    online_weeks = models.PositiveSmallIntegerField(default=0)
    campus_days = models.PositiveSmallIntegerField(default=0)
    term = models.CharField(max_length=10, choices=Term.choices)

    class Meta:
        ordering = ["programme", "order"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "order"], name="one_module_per_place"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"


class Assignment(models.Model):
    """A piece of assessed work in a module, with its share of the module's mark."""

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="assignments")
    title = models.CharField(max_length=200)
    brief = models.TextField(blank=True)
    weighting = models.PositiveSmallIntegerField(help_text="Percent of the module's mark")

    class Meta:
        ordering = ["module", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weighting__gte=1, weighting__lte=100), name="assignment_weighting_1_100"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Cohort(models.Model):
    """One intake of a programme; its apprentices may come from several employers."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="cohorts")
    name = models.CharField(max_length=100, help_text="For example: September 2026")
    starts_on = models.DateField()
    ends_on = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")), name="cohort_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme.title}: {self.name}"


class CohortModule(models.Model):
    """When one module of the programme runs for a cohort."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="module_dates")
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="+")
    starts_on = models.DateField()
    campus_from = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["cohort", "starts_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "module"], name="one_date_per_cohort_module"),
        ]

    def __str__(self) -> str:
        return f"Module {self.module_id} from {self.starts_on}"


class CohortDeadline(models.Model):
    """When one assignment is due for a cohort."""

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="deadlines", db_index=False
    )
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="+")
    due_on = models.DateField()

    class Meta:
        ordering = ["cohort", "due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "assignment"], name="one_deadline_per_cohort_assignment"
            ),
        ]

    def __str__(self) -> str:
        return f"Assignment {self.assignment_id} due {self.due_on}"


# --- Enrolments ---------------------------------------------------------------------------------


class FundingRoute(models.TextChoices):
    LEVY = "levy", "Levy-funded"
    TRANSFER = "transfer", "Transfer-funded"
    CO_FUNDED = "co_funded", "Co-funded"
    PRIVATE = "private", "Privately funded"


class EnrolmentStatus(models.TextChoices):
    AWAITING_COMMITMENT = "awaiting_commitment", "Awaiting commitment statement"
    ACTIVE = "active", "Active"
    ON_BREAK = "on_break", "On a break"
    WITHDRAWN = "withdrawn", "Withdrawn"
    AT_GATEWAY = "at_gateway", "At gateway"
    IN_EPA = "in_epa", "In end-point assessment"
    COMPLETED = "completed", "Completed"


class Enrolment(models.Model):
    """One apprentice on one cohort, employed by a partner.

    `employer` and `employment` are the current ones: a move to another partner keeps the
    enrolment and records an `EmployerChange`. `provider` is the cohort's programme's provider
    (a cohort never changes programme). `status` is the latest `EnrolmentStatusChange`.
    The funding fields hold the decision made by the rules in force at `start_on`; the
    eligibility fields (date of birth, care leaver, EHC plan) are used only for that decision.
    """

    reference = models.CharField(max_length=30, unique=True)
    # A foreign key that leads one of the indexes below has no index of its own (`db_index=False`
    # here and on the evidence of progress): each extra index costs every query's planning.
    cohort = models.ForeignKey(
        Cohort, on_delete=models.PROTECT, related_name="enrolments", db_index=False
    )
    apprentice = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="enrolments")
    employer = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="apprentice_enrolments", db_index=False
    )
    # The cohort's programme's provider, kept here so a provider's list reads one index.
    provider = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    employment = models.ForeignKey(Employment, on_delete=models.PROTECT, related_name="+")
    line_manager = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    practice_tutor = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    start_on = models.DateField()
    planned_end_on = models.DateField()
    price = models.DecimalField(**AMOUNT, help_text="The agreed price, in pounds")
    hours_per_week = models.DecimalField(**HOURS)
    # Eligibility: personal, used only for the funding decision.
    date_of_birth = models.DateField(null=True, blank=True)
    care_leaver = models.BooleanField(default=False)
    ehc_plan = models.BooleanField(default=False)
    # The funding decision.
    funding_route = models.CharField(max_length=10, choices=FundingRoute.choices)
    funding_reason = models.CharField(max_length=300, help_text="Safe for every role to read")
    eligibility_reason = models.CharField(
        max_length=300,
        blank=True,
        help_text="Names the personal facts: shown only to those who may",
    )
    levy_account = models.ForeignKey(
        LevyAccount, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    transfer_from = models.ForeignKey(
        LevyAccount, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    levy_commitment = models.OneToOneField(
        Commitment, on_delete=models.PROTECT, null=True, blank=True, related_name="enrolment"
    )
    levy_paid_before = models.DecimalField(
        max_digits=20,
        decimal_places=5,
        default=0,
        help_text="Of the capped price, what was paid before the levy commitment began (by an "
        "earlier employer's commitment, or reached by the co-funded plan); it pays the rest",
    )
    # Off-the-job time.
    required_off_the_job_hours = models.PositiveIntegerField(
        help_text="The minimum the rules require, less recognised prior learning"
    )
    planned_off_the_job_hours = models.PositiveIntegerField()
    prior_learning_hours = models.PositiveIntegerField(default=0)
    prior_learning_note = models.CharField(max_length=300, blank=True)
    status = models.CharField(
        max_length=20,
        choices=EnrolmentStatus.choices,
        default=EnrolmentStatus.AWAITING_COMMITMENT,
    )
    status_on = models.DateField(default=timezone.localdate)
    created_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-start_on", "-id"]
        indexes = [
            models.Index(fields=["employer", "-start_on", "-id"], name="enrolment_by_employer"),
            models.Index(fields=["provider", "-start_on", "-id"], name="enrolment_by_provider"),
            models.Index(fields=["cohort", "-start_on", "-id"], name="enrolment_by_cohort"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end_on__gt=F("start_on")), name="enrolment_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(price__gt=0), name="enrolment_price_positive"),
            models.CheckConstraint(
                condition=Q(hours_per_week__gt=0), name="enrolment_hours_positive"
            ),
            models.CheckConstraint(
                condition=Q(planned_off_the_job_hours__gte=F("required_off_the_job_hours")),
                name="enrolment_plans_at_least_the_minimum",
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class EnrolmentStatusChange(models.Model):
    """One dated step in an enrolment's history, with the reason given."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="history")
    status = models.CharField(max_length=20, choices=EnrolmentStatus.choices)
    effective_on = models.DateField()
    reason = models.CharField(max_length=500, blank=True)
    changed_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["enrolment", "changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_status_display()} from {self.effective_on}"


class EmployerChange(models.Model):
    """An apprentice moved to another partner and kept their enrolment."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="employer_changes"
    )
    previous_employer = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    new_employer = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    effective_on = models.DateField()
    reason = models.CharField(max_length=500, blank=True)
    changed_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["enrolment", "effective_on", "id"]

    def __str__(self) -> str:
        return f"Moved employer on {self.effective_on}"


# --- Commitment statements ------------------------------------------------------------------------


class Party(models.TextChoices):
    APPRENTICE = "apprentice", "Apprentice"
    EMPLOYER = "employer", "Employer"
    PROVIDER = "provider", "Training provider"


SIGNING_ORDER = (Party.APPRENTICE, Party.EMPLOYER, Party.PROVIDER)


class CommitmentStatement(models.Model):
    """One version of an enrolment's commitment statement and training plan.

    `content` is the statement as generated when the version was made (plain JSON); it never
    changes. A later change to the enrolment makes a new version for all three to sign again.
    """

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="commitment_statements"
    )
    version = models.PositiveSmallIntegerField()
    content = models.JSONField()
    reason = models.CharField(max_length=300, blank=True, help_text="Why this version was made")
    created_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    fully_signed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["enrolment", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "version"], name="one_statement_per_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment.reference} version {self.version}"


class Signature(models.Model):
    """One party's signature on one version of a commitment statement."""

    statement = models.ForeignKey(
        CommitmentStatement, on_delete=models.CASCADE, related_name="signatures"
    )
    party = models.CharField(max_length=10, choices=Party.choices)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["statement", "signed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "party"], name="one_statement_signature_per_party"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_party_display()} signed {self.signed_at:%Y-%m-%d}"


# --- Evidence of progress (off-the-job log, portfolio, reviews) -----------------------------------


FILE_FIELDS_HELP = "Kept by the safe upload service (joinedup.lib.uploads); blank when no file"


class OffTheJobActivity(models.TextChoices):
    MODULE_STUDY = "module_study", "Module study"
    CAMPUS_DAY = "campus_day", "Campus day"
    PROJECT_WORK = "project_work", "Project work"
    SHADOWING = "shadowing", "Shadowing"
    MENTORING = "mentoring", "Mentoring"
    OTHER = "other", "Other"


class CheckState(models.TextChoices):
    AWAITING = "awaiting", "Awaiting the tutor"
    ACCEPTED = "accepted", "Accepted"
    QUERIED = "queried", "Queried"


class OffTheJobEntry(models.Model):
    """Time an apprentice spent learning away from their day-to-day work, which the practice tutor
    verifies (ACCEPTED) or queries."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="off_the_job", db_index=False
    )
    on = models.DateField()
    hours = models.DecimalField(**HOURS)
    activity = models.CharField(max_length=20, choices=OffTheJobActivity.choices)
    ksbs = models.ManyToManyField(Ksb, blank=True, related_name="+")
    reflection = models.TextField(blank=True)
    state = models.CharField(max_length=10, choices=CheckState.choices, default=CheckState.AWAITING)
    tutor_note = models.CharField(max_length=500, blank=True)
    checked_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["enrolment", "-on", "-id"]
        verbose_name_plural = "off-the-job entries"
        indexes = [
            models.Index(fields=["enrolment", "-on", "-id"], name="off_the_job_by_enrolment"),
            models.Index(fields=["enrolment", "state", "hours"], name="off_the_job_hours"),
            # The tutors' queue of entries awaiting a check, oldest first.
            models.Index(
                fields=["on", "id"],
                condition=Q(state="awaiting"),
                name="off_the_job_awaiting",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0, hours__lte=24), name="off_the_job_hours_in_a_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.hours} hours on {self.on}"


class EvidenceKind(models.TextChoices):
    TEXT = "text", "Written account"
    FILE = "file", "File"
    LINK = "link", "Link"


class Evidence(models.Model):
    """One item of an apprentice's portfolio, mapped to the KSBs it shows; the practice tutor
    signs it off (ACCEPTED) or asks for more (QUERIED)."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="evidence", db_index=False
    )
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=EvidenceKind.choices)
    text = models.TextField(blank=True)
    url = models.URLField(max_length=500, blank=True)
    storage_name = models.CharField(max_length=80, blank=True, help_text=FILE_FIELDS_HELP)
    file_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size_bytes = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    ksbs = models.ManyToManyField(Ksb, related_name="+")
    state = models.CharField(max_length=10, choices=CheckState.choices, default=CheckState.AWAITING)
    tutor_note = models.CharField(max_length=500, blank=True)
    checked_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["enrolment", "-created_at", "-id"]
        verbose_name_plural = "evidence"
        indexes = [
            models.Index(fields=["enrolment", "-created_at", "-id"], name="evidence_by_enrolment"),
        ]

    def __str__(self) -> str:
        return self.title


class ReviewParty(models.TextChoices):
    APPRENTICE = "apprentice", "Apprentice"
    LINE_MANAGER = "line_manager", "Line manager"
    TUTOR = "tutor", "Practice tutor"


REVIEW_SIGNING_ORDER = (ReviewParty.APPRENTICE, ReviewParty.LINE_MANAGER, ReviewParty.TUTOR)
REVIEW_INTERVAL_WEEKS = 12


class ProgressReview(models.Model):
    """A progress review, due every 12 weeks from the start: the practice tutor meets the
    apprentice and line manager and records progress, actions and the off-the-job check; all three
    then sign in turn (REVIEW_SIGNING_ORDER)."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="reviews", db_index=False
    )
    number = models.PositiveSmallIntegerField()
    due_on = models.DateField()
    # Copies of the enrolment's practice tutor and whether it is live (active, at gateway or in
    # end-point assessment), kept by `reviews.follow_enrolment` whenever either changes, so a
    # tutor's "Reviews due" walks their own rows by due date instead of all their enrolments.
    practice_tutor = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    live = models.BooleanField(default=True)
    held_on = models.DateField(null=True, blank=True)
    progress = models.TextField(blank=True)
    actions = models.TextField(blank=True)
    off_the_job_check = models.TextField(blank=True)
    logged_hours = models.DecimalField(**HOURS, null=True, blank=True)
    verified_hours = models.DecimalField(**HOURS, null=True, blank=True)
    recorded_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)
    fully_signed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["enrolment", "number"]
        indexes = [
            # "Reviews due" and the overdue job: reviews not yet signed by all three, by due date.
            models.Index(
                fields=["due_on", "id"],
                condition=Q(fully_signed_at__isnull=True),
                name="review_awaiting_signatures",
            ),
            # A practice tutor's "Reviews due".
            models.Index(
                fields=["practice_tutor", "due_on", "id"],
                condition=Q(fully_signed_at__isnull=True, live=True),
                name="review_due_for_tutor",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "number"], name="one_review_per_number"),
        ]

    def __str__(self) -> str:
        return f"Review {self.number} due {self.due_on}"


class ReviewSignature(models.Model):
    """One attendee's signature on a recorded review."""

    review = models.ForeignKey(
        ProgressReview, on_delete=models.CASCADE, related_name="signatures", db_index=False
    )
    party = models.CharField(max_length=15, choices=ReviewParty.choices)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["review", "signed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "party"], name="one_review_signature_per_party"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_party_display()} signed {self.signed_at:%Y-%m-%d}"


# --- Assignments and working days -----------------------------------------------------------------


class BankHoliday(models.Model):
    """A bank holiday in England and Wales: loaded from GOV.UK's list (data/), extendable by
    admins."""

    on = models.DateField(unique=True)
    title = models.CharField(max_length=100)
    added_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["on"]

    def __str__(self) -> str:
        return f"{self.title} ({self.on})"


class ClosureDay(models.Model):
    """A day a provider is closed, which feedback deadlines skip."""

    provider = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    on = models.DateField()
    reason = models.CharField(max_length=200)
    added_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["provider", "on"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "on"], name="one_closure_per_day"),
        ]

    def __str__(self) -> str:
        return f"Closed {self.on}: {self.reason}"


class Grade(models.TextChoices):
    FAIL = "fail", "Fail"
    PASS = "pass", "Pass"
    MERIT = "merit", "Merit"
    DISTINCTION = "distinction", "Distinction"


PASSING_GRADES = (Grade.PASS, Grade.MERIT, Grade.DISTINCTION)
FEEDBACK_WORKING_DAYS = 15


class Submission(models.Model):
    """One attempt at an assignment, with its marking. Feedback is due at the end of the 15th
    working day after `submitted_on` (`working_days.py`), fixed when it is submitted."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="submissions", db_index=False
    )
    # The enrolment's provider, kept here so the provider's dashboard reads one index.
    provider = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="+")
    attempt = models.PositiveSmallIntegerField(default=1)
    deadline_on = models.DateField(null=True, blank=True, help_text="The cohort's deadline")
    submitted_on = models.DateField()
    submitted_at = models.DateTimeField(default=timezone.now)
    text = models.TextField(blank=True)
    storage_name = models.CharField(max_length=80, blank=True, help_text=FILE_FIELDS_HELP)
    file_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size_bytes = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    feedback_due_on = models.DateField()
    grade = models.CharField(max_length=12, choices=Grade.choices, blank=True)
    feedback = models.TextField(blank=True)
    marked_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    marked_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["enrolment", "assignment", "attempt"]
        indexes = [
            models.Index(
                fields=["provider", "feedback_due_on", "id"],
                condition=Q(marked_on__isnull=True),
                name="submission_awaiting_feedback",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "assignment", "attempt"], name="one_submission_per_attempt"
            ),
        ]

    def __str__(self) -> str:
        return f"Attempt {self.attempt} at assignment {self.assignment_id}"


# --- Workplace project, gateway and end-point assessment ------------------------------------------


class ProjectState(models.TextChoices):
    PROPOSED = "proposed", "Scope awaiting approval"
    APPROVED = "approved", "Scope approved"
    SUBMITTED = "submitted", "Submitted"
    SIGNED_OFF = "signed_off", "Signed off by the sponsor"


PROJECT_WEEKS = 12


class WorkplaceProject(models.Model):
    """The apprentice's 12-week workplace project (a strategic business proposal): its scope is
    approved by the practice tutor, and the sponsor (a person at the employer) signs it off."""

    enrolment = models.OneToOneField(Enrolment, on_delete=models.CASCADE, related_name="project")
    title = models.CharField(max_length=200)
    scope = models.TextField()
    sponsor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField()
    state = models.CharField(
        max_length=12, choices=ProjectState.choices, default=ProjectState.PROPOSED
    )
    scope_approved_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    scope_approved_at = models.DateTimeField(null=True, blank=True)
    submitted_on = models.DateField(null=True, blank=True)
    summary = models.TextField(blank=True, help_text="What the submitted proposal recommends")
    storage_name = models.CharField(max_length=80, blank=True, help_text=FILE_FIELDS_HELP)
    file_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size_bytes = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    signed_off_at = models.DateTimeField(null=True, blank=True)
    sponsor_comment = models.TextField(blank=True)
    created_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.title


class Milestone(models.Model):
    """One step of the project's 12-week plan."""

    project = models.ForeignKey(
        WorkplaceProject, on_delete=models.CASCADE, related_name="milestones"
    )
    week = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["project", "week", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(week__gte=1, week__lte=PROJECT_WEEKS), name="milestone_week_1_12"
            ),
        ]

    def __str__(self) -> str:
        return f"Week {self.week}: {self.title}"


class GatewayAgreement(models.Model):
    """The employer's or the provider's agreement that the apprentice is ready for the end-point
    assessment (one of the gateway's items)."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="gateway_agreements", db_index=False
    )
    party = models.CharField(max_length=10, choices=Party.choices)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    agreed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["enrolment", "agreed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "party"], name="one_gateway_agreement"),
            models.CheckConstraint(
                condition=Q(party__in=[Party.EMPLOYER, Party.PROVIDER]),
                name="gateway_agreed_by_employer_or_provider",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_party_display()} agreed {self.agreed_at:%Y-%m-%d}"


class EndPointAssessment(models.Model):
    """One booking of the end-point assessment (a resit is a new attempt): an assessment
    organisation and an independent assessor, who works for neither the employer nor the
    provider; each method's result and the overall grade."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.PROTECT, related_name="assessments", db_index=False
    )
    attempt = models.PositiveSmallIntegerField(default=1)
    assessment_organisation = models.CharField(max_length=200)
    assessor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", db_index=False)
    assessor_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The assessor's employer in the partnership; blank for an external assessor",
    )
    assessment_on = models.DateField()
    presentation_result = models.CharField(max_length=12, choices=Grade.choices, blank=True)
    discussion_result = models.CharField(max_length=12, choices=Grade.choices, blank=True)
    overall_grade = models.CharField(max_length=12, choices=Grade.choices, blank=True)
    result_note = models.TextField(blank=True)
    booked_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    booked_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["enrolment", "attempt"]
        indexes = [models.Index(fields=["assessor", "assessment_on"], name="epa_by_assessor")]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "attempt"], name="one_epa_per_attempt"),
        ]

    def __str__(self) -> str:
        return f"End-point assessment {self.attempt} on {self.assessment_on}"


class BuddyPair(models.Model):
    """Two apprentices of one cohort from different employers paired as buddies; `ended_on` is
    set when one withdraws (and the other is re-paired)."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="buddy_pairs")
    first = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="+")
    paired_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    ended_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["cohort", "paired_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(first=F("second")), name="buddies_are_two_apprentices"
            ),
        ]

    def __str__(self) -> str:
        return f"Buddies {self.first_id} and {self.second_id}"
