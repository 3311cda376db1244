"""Partnerships, organisations, people, employments, roles, the audit log and API tokens."""

from __future__ import annotations

import datetime as dt
import re

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Sector(models.TextChoices):
    LOCAL_GOVERNMENT = "local_government", "Local government"
    HEALTH = "health", "Health"
    BLUE_LIGHT = "blue_light", "Blue light"
    VOLUNTARY = "voluntary", "Voluntary sector"
    EDUCATION = "education", "Education"
    HOUSING = "housing", "Housing"
    CENTRAL_GOVERNMENT = "central_government", "Central government"
    PRIVATE = "private", "Private sector"


class OrganisationKind(models.TextChoices):
    LONDON_BOROUGH = "london_borough", "London borough"
    METROPOLITAN_DISTRICT = "metropolitan_district", "Metropolitan district"
    UNITARY_AUTHORITY = "unitary_authority", "Unitary authority"
    COUNTY_COUNCIL = "county_council", "County council"
    DISTRICT_COUNCIL = "district_council", "District council"
    COMBINED_AUTHORITY = "combined_authority", "Combined authority"
    NHS_TRUST = "nhs_trust", "NHS trust"
    NHS_FOUNDATION_TRUST = "nhs_foundation_trust", "NHS foundation trust"
    INTEGRATED_CARE_BOARD = "integrated_care_board", "Integrated care board"
    PRIMARY_CARE = "primary_care", "GP federation or primary care network"
    POLICE = "police", "Police force"
    FIRE = "fire", "Fire and rescue service"
    VCSE = "vcse", "Voluntary, community or social enterprise"
    EDUCATION = "education", "University or college"
    HOUSING_ASSOCIATION = "housing_association", "Housing association"
    CENTRAL_GOVERNMENT = "central_government", "Central government body"
    PRIVATE_COMPANY = "private_company", "Private company"


SECTOR_OF_KIND: dict[str, str] = {
    OrganisationKind.LONDON_BOROUGH: Sector.LOCAL_GOVERNMENT,
    OrganisationKind.METROPOLITAN_DISTRICT: Sector.LOCAL_GOVERNMENT,
    OrganisationKind.UNITARY_AUTHORITY: Sector.LOCAL_GOVERNMENT,
    OrganisationKind.COUNTY_COUNCIL: Sector.LOCAL_GOVERNMENT,
    OrganisationKind.DISTRICT_COUNCIL: Sector.LOCAL_GOVERNMENT,
    OrganisationKind.COMBINED_AUTHORITY: Sector.LOCAL_GOVERNMENT,
    OrganisationKind.NHS_TRUST: Sector.HEALTH,
    OrganisationKind.NHS_FOUNDATION_TRUST: Sector.HEALTH,
    OrganisationKind.INTEGRATED_CARE_BOARD: Sector.HEALTH,
    OrganisationKind.PRIMARY_CARE: Sector.HEALTH,
    OrganisationKind.POLICE: Sector.BLUE_LIGHT,
    OrganisationKind.FIRE: Sector.BLUE_LIGHT,
    OrganisationKind.VCSE: Sector.VOLUNTARY,
    OrganisationKind.EDUCATION: Sector.EDUCATION,
    OrganisationKind.HOUSING_ASSOCIATION: Sector.HOUSING,
    OrganisationKind.CENTRAL_GOVERNMENT: Sector.CENTRAL_GOVERNMENT,
    OrganisationKind.PRIVATE_COMPANY: Sector.PRIVATE,
}

# Official codes: ONS GSS codes for councils and combined authorities, NHS ODS codes for NHS bodies.
GSS_CODE = re.compile(r"^E(0[6-9]|10|47|61)\d{6}$")
ODS_CODE = re.compile(r"^[A-Z0-9]{3,5}$")
GSS_KINDS = {
    OrganisationKind.LONDON_BOROUGH,
    OrganisationKind.METROPOLITAN_DISTRICT,
    OrganisationKind.UNITARY_AUTHORITY,
    OrganisationKind.COUNTY_COUNCIL,
    OrganisationKind.DISTRICT_COUNCIL,
    OrganisationKind.COMBINED_AUTHORITY,
}
ODS_KINDS = {
    OrganisationKind.NHS_TRUST,
    OrganisationKind.NHS_FOUNDATION_TRUST,
    OrganisationKind.INTEGRATED_CARE_BOARD,
    OrganisationKind.PRIMARY_CARE,
}


def official_code_problem(kind: str, code: str) -> str | None:
    """Say what is wrong with an organisation's official code, or None when it fits its kind."""
    if not code:
        return None
    if kind in GSS_KINDS and not GSS_CODE.match(code):
        return "Enter an ONS GSS code such as E09000005"
    if kind in ODS_KINDS and not ODS_CODE.match(code):
        return "Enter an NHS ODS code such as R1K or Z9B2Z"
    return None


class Partnership(models.Model):
    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    region = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=40, choices=OrganisationKind.choices)
    sector = models.CharField(max_length=40, choices=Sector.choices, editable=False)
    official_code = models.CharField(max_length=12, blank=True)
    is_levy_payer = models.BooleanField(default=False)
    headcount = models.PositiveIntegerField(default=0)
    is_fictional = models.BooleanField(default=False)
    partnerships = models.ManyToManyField(
        Partnership, through="Membership", related_name="organisations"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["official_code"],
                condition=~Q(official_code=""),
                name="unique_official_code",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.sector = SECTOR_OF_KIND[self.kind]
        super().save(*args, **kwargs)

    def clean(self) -> None:
        problem = official_code_problem(self.kind, self.official_code)
        if problem:
            raise ValidationError({"official_code": problem})


class Membership(models.Model):
    """An organisation's membership of a partnership; ending it stops sharing, keeps the data."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships"
    )
    joined_on = models.DateField(default=timezone.localdate)
    left_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "organisation"],
                condition=Q(left_on__isnull=True),
                name="one_open_membership",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.partnership}"


class Grade(models.Model):
    """One row of an organisation's grade table: its own grade name mapped to seniority 1-9."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="grades")
    name = models.CharField(max_length=60)
    seniority = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["seniority", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="unique_grade_name"),
            models.CheckConstraint(
                condition=Q(seniority__gte=1) & Q(seniority__lte=9), name="seniority_1_to_9"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.seniority})"


def seniority_band(seniority: int | None) -> str:
    """Entry (1-3), middle (4-6) or senior (7-9)."""
    if seniority is None:
        return ""
    if seniority <= 3:
        return "entry"
    if seniority <= 6:
        return "middle"
    return "senior"


class PersonManager(BaseUserManager["Person"]):
    def create_user(self, email: str, password: str | None = None, **fields) -> Person:
        person = self.model(email=self.normalize_email(email).lower(), **fields)
        person.set_password(password)
        person.save(using=self._db)
        return person

    def create_superuser(self, email: str, password: str | None = None, **fields) -> Person:
        fields.setdefault("is_superuser", True)
        fields.setdefault("is_django_admin", True)
        return self.create_user(email, password, **fields)


class Person(AbstractBaseUser, PermissionsMixin):
    """Someone with a Joined Up account. Nothing organisational lives here: see Employment."""

    email = models.EmailField(unique=True, help_text="The address they sign in with.")
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    is_django_admin = models.BooleanField(
        default=False, help_text="May use the technical Django admin (operators only)."
    )
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    calendar_token = models.CharField(max_length=64, blank=True)

    objects = PersonManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["given_name", "family_name"]

    class Meta:
        ordering = ["family_name", "given_name", "id"]
        indexes = [
            models.Index(fields=["family_name", "given_name", "id"]),
            # The calendar feed finds its person by the token's hash; most people have none.
            models.Index(
                fields=["calendar_token"],
                name="person_calendar_token",
                condition=~Q(calendar_token=""),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    @property
    def is_staff(self) -> bool:
        """Django's admin flag only; 'staff' in Joined Up means a current employment."""
        return self.is_django_admin

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.given_name


class EmailAddress(models.Model):
    """Every address a person has used over a career, kept so records can be matched."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="email_addresses")
    email = models.EmailField(unique=True)
    added_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.email


class EmploymentKind(models.TextChoices):
    PERMANENT = "permanent", "Permanent"
    FIXED_TERM = "fixed_term", "Fixed term"
    SECONDMENT = "secondment", "Secondment"
    APPRENTICESHIP = "apprenticeship", "Apprenticeship"
    JOINT_POST = "joint_post", "Joint post"


class Destination(models.TextChoices):
    PARTNER = "partner", "A partner organisation"
    OTHER_PUBLIC = "other_public", "Other public sector"
    VOLUNTARY = "voluntary", "Voluntary sector"
    PRIVATE = "private", "Private sector"
    EDUCATION = "education", "Education or training"
    RETIRED = "retired", "Retired"
    NOT_WORKING = "not_working", "Not working"
    UNKNOWN = "unknown", "Unknown"


def current_on(day: dt.date | None = None) -> Q:
    """The condition of an employment that has started and not ended on the day (today if None)."""
    day = day or timezone.localdate()
    return Q(start_date__lte=day) & (Q(end_date__isnull=True) | Q(end_date__gte=day))


class EmploymentQuerySet(models.QuerySet["Employment"]):
    def current(self, on: dt.date | None = None) -> EmploymentQuerySet:
        """Employments that have started and not ended on the given date (today by default)."""
        return self.filter(current_on(on))


class Employment(models.Model):
    """A person's job at an organisation. History is kept: a change of job is a new employment."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="employments")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="employments"
    )
    employee_number = models.CharField(max_length=40, blank=True)
    work_email = models.EmailField(blank=True)
    job_title = models.CharField(max_length=200)
    grade = models.ForeignKey(Grade, on_delete=models.PROTECT, null=True, blank=True)
    seniority = models.PositiveSmallIntegerField(null=True, blank=True)
    kind = models.CharField(
        max_length=20, choices=EmploymentKind.choices, default=EmploymentKind.PERMANENT
    )
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    line_manager = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="reports"
    )
    leaving_reason = models.CharField(max_length=200, blank=True)
    destination = models.CharField(max_length=20, choices=Destination.choices, blank=True)
    destination_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="joiners_from"
    )

    objects = EmploymentQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-id"]
        indexes = [
            models.Index(fields=["organisation", "end_date"]),
            models.Index(fields=["person", "end_date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="employment_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(seniority__isnull=True) | (Q(seniority__gte=1) & Q(seniority__lte=9)),
                name="employment_seniority_1_to_9",
            ),
            models.UniqueConstraint(
                fields=["organisation", "employee_number"],
                condition=~Q(employee_number="") & Q(end_date__isnull=True),
                name="unique_open_employee_number",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.job_title}, {self.organisation}"

    def is_current(self, on=None) -> bool:
        day = on or timezone.localdate()
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)


class OrganisationRole(models.TextChoices):
    ORG_ADMIN = "org_admin", "Organisation admin"
    LD_LEAD = "ld_lead", "Learning and development lead"
    LEVY_OFFICER = "levy_officer", "Levy officer"
    PROGRAMME_LEADER = "programme_leader", "Programme leader"
    PRACTICE_TUTOR = "practice_tutor", "Practice tutor"
    ASSESSOR = "assessor", "Assessor"


class PartnershipRole(models.TextChoices):
    PARTNERSHIP_LEAD = "partnership_lead", "Partnership lead"
    PARTNERSHIP_ANALYST = "partnership_analyst", "Partnership analyst"
    LEVY_LEAD = "levy_lead", "Levy lead"
    MENTORING_LEAD = "mentoring_lead", "Mentoring lead"


class OrganisationRoleGrant(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="organisation_roles")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="role_grants"
    )
    role = models.CharField(max_length=30, choices=OrganisationRole.choices)
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organisation", "role"], name="unique_org_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}, {self.organisation}"


class PartnershipRoleGrant(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="partnership_roles")
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="role_grants"
    )
    role = models.CharField(max_length=30, choices=PartnershipRole.choices)
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "partnership", "role"], name="unique_partnership_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}, {self.partnership}"


class Invitation(models.Model):
    """An admin's invitation to someone who already has an account to take up a new employment."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    token_hash = models.CharField(max_length=64, unique=True)
    job_title = models.CharField(max_length=200)
    grade = models.ForeignKey(Grade, on_delete=models.PROTECT, null=True, blank=True)
    kind = models.CharField(
        max_length=20, choices=EmploymentKind.choices, default=EmploymentKind.PERMANENT
    )
    start_date = models.DateField()
    employee_number = models.CharField(max_length=40, blank=True)
    line_manager = models.ForeignKey(
        Employment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    invited_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    employment = models.OneToOneField(Employment, on_delete=models.SET_NULL, null=True, blank=True)

    def __str__(self) -> str:
        return f"Invitation to {self.organisation}"


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    """Audit events can be read and added, never changed or removed in bulk either."""

    def update(self, **kwargs) -> int:
        raise ValueError("Audit events are append-only.")

    def delete(self):
        raise ValueError("Audit events are append-only.")


class AuditEvent(models.Model):
    """Append-only: who, acting for which organisation, did what, to which object, when.

    `changes` holds ids and non-personal values only, so erasing a person never edits it.
    """

    actor = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    acting_for = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        related_name="audit_events",
        help_text="The organisation whose log shows this event.",
    )
    partnership = models.ForeignKey(
        Partnership, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(max_length=80)
    object_kind = models.CharField(max_length=80)
    object_id = models.CharField(max_length=40)
    object_label = models.CharField(max_length=200, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(default=timezone.now)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["organisation", "-at"]), models.Index(fields=["-at"])]

    def __str__(self) -> str:
        return f"{self.action} {self.object_kind} {self.object_id}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Audit events are append-only.")


class NotificationPreference(models.Model):
    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email_optional = models.BooleanField(
        default=True,
        help_text="Reminders and digests. Account and booking e-mails are always sent.",
    )

    def __str__(self) -> str:
        return f"Notification preference of {self.person}"


class SentNotification(models.Model):
    """A record of every message sent, without its body."""

    person = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    template = models.CharField(max_length=80)
    channel = models.CharField(max_length=20, default="email")
    sent_at = models.DateTimeField(default=timezone.now)
    skipped = models.BooleanField(default=False)

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"{self.template} by {self.channel} at {self.sent_at:%Y-%m-%d %H:%M}"


class ApiToken(models.Model):
    """A personal token acts as its person; an organisation token acts for the organisation only."""

    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, unique=True)
    token_hash = models.CharField(max_length=64, unique=True)
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="api_tokens"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="api_tokens"
    )
    scopes = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(organisation__isnull=True))
                | (Q(person__isnull=True) & Q(organisation__isnull=False)),
                name="token_has_one_owner",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class ScheduledJob(models.Model):
    """A named periodic job; workers claim it with a conditional update so it runs once per slot."""

    name = models.CharField(max_length=80, unique=True)
    next_run_at = models.DateTimeField()
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name


class StaffImport(models.Model):
    """An uploaded staff file: previewed, then applied in one transaction by a background task."""

    class Status(models.TextChoices):
        CHECKING = "checking", "Checking"
        PREVIEWED = "previewed", "Checked"
        QUEUED = "queued", "Waiting to apply"
        APPLYING = "applying", "Applying"
        APPLIED = "applied", "Applied"
        FAILED = "failed", "Failed"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="staff_imports"
    )
    uploaded_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    original_name = models.CharField(max_length=200)
    file_sha256 = models.CharField(max_length=64)
    uploaded_file = models.BinaryField(
        default=b"", help_text="A large file's bytes, kept only until the worker has checked it."
    )
    rows = models.JSONField(default=list, help_text="The parsed rows, kept until applied.")
    full_import = models.BooleanField(default=False)
    mark_missing_as_leavers = models.BooleanField(default=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PREVIEWED)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"Staff import {self.pk}"


class RechargeEntryQuerySet(models.QuerySet["RechargeEntry"]):
    """Recharge entries can be read and added, never changed or removed in bulk either."""

    def with_status(self) -> RechargeEntryQuerySet:
        """Annotate `status`: a reversal, a reversed charge, or a charge that stands (posted)."""
        status = RechargeEntry.Status
        return self.annotate(
            status=models.Case(
                models.When(reverses__isnull=False, then=models.Value(status.REVERSAL)),
                models.When(reversal__isnull=False, then=models.Value(status.REVERSED)),
                default=models.Value(status.POSTED),
                output_field=models.CharField(),
            )
        )

    def update(self, **kwargs) -> int:
        raise ValueError("Recharge entries are append-only; correct one by reversing it.")

    def delete(self):
        raise ValueError("Recharge entries are append-only; correct one by reversing it.")


class RechargeEntry(models.Model):
    """Append-only: an amount the payer owes the payee, or the reversal of such an amount.

    A charge has a positive amount. Corrections and disputes resolve by a reversal: a new entry with
    the negated amount that points at the charge it reverses and says why. An entry's status is
    worked out, never stored: a charge with a reversal is reversed, otherwise posted. Balances are
    sums of amounts. The source is a generic reference (a run now; other kinds later).
    """

    class Status(models.TextChoices):
        POSTED = "posted", "Posted"
        REVERSED = "reversed", "Reversed"
        REVERSAL = "reversal", "Reversal"

    payer = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="recharges_paid")
    payee = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="recharges_received"
    )
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    source_kind = models.CharField(max_length=40)
    source_id = models.CharField(max_length=40)
    source_label = models.CharField(max_length=200, blank=True)
    purchase_order = models.CharField(max_length=50, blank=True)
    cost_centre = models.CharField(max_length=50, blank=True)
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversal"
    )
    reason = models.CharField(max_length=500, blank=True)
    occurred_on = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")

    objects = RechargeEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name_plural = "recharge entries"
        indexes = [
            models.Index(fields=["payer", "payee", "occurred_on"]),
            models.Index(fields=["payee", "payer", "occurred_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(payer=models.F("payee")), name="recharge_payer_is_not_payee"
            ),
            models.CheckConstraint(condition=~Q(amount=0), name="recharge_amount_not_zero"),
            models.CheckConstraint(
                condition=(Q(reverses__isnull=True, amount__gt=0, reason=""))
                | (Q(reverses__isnull=False, amount__lt=0) & ~Q(reason="")),
                name="recharge_charge_positive_reversal_negative_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Recharge {self.pk}: {self.amount} from {self.payer_id} to {self.payee_id}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError("Recharge entries are append-only; correct one by reversing it.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Recharge entries are append-only; correct one by reversing it.")
