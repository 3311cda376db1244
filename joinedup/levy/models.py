"""The pooled apprenticeship levy: accounts, declarations, the ledger, pledges and the optimiser.

Joined Up mirrors each employer's apprenticeship service account; it never moves money. The
rules (rates, periods, thresholds) are dated rows of `Rule`, never constants in code.

`LedgerEntry` is append-only: balances are sums of entries and corrections are new entries.
`AllowanceYear.committed` and `Pledge.remaining` are counters guarding a limit: only
`levy.services` changes them, with a conditional update, in the transaction that writes the
pledge, the application's debit or the ledger entry (DESIGN.md, "Claiming a limited thing").
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection, models, transaction
from django.db.models import F, Q
from django.utils import timezone

from joinedup.partnership.models import Organisation, Partnership, Person

AMOUNT = {"max_digits": 20, "decimal_places": 5}


class RuleKind(models.TextChoices):
    LEVY_RATE = "levy_rate", "Levy rate (share of the pay bill)"
    LEVY_ALLOWANCE = "levy_allowance", "Yearly levy allowance (£)"
    TOP_UP_RATE = "top_up_rate", "Top-up rate (share of the levy, by cut-off date)"
    EXPIRY_MONTHS = "expiry_months", "Months until funds expire (by landing month)"
    GOVERNMENT_CO_INVESTMENT = (
        "government_co_investment",
        "Government's share of co-investment (by apprenticeship start date)",
    )
    TRANSFER_SHARE = "transfer_share", "Transfer allowance share (by allowance year start)"
    COMPLETION_SHARE = "completion_share", "Share of the price paid on completion"
    PLEDGE_MINIMUM = "pledge_minimum", "Smallest pledge (£)"
    PLEDGE_CLOSE_BELOW = "pledge_close_below", "A pledge left with less than this closes (£)"
    CRITERION_SCORE = "criterion_score", "Match score for each pledge criterion met (%)"
    AUTO_APPROVAL_DAYS = "auto_approval_days", "Days before a 100% match is approved"
    APPLICATION_REJECT_MONTHS = (
        "application_reject_months",
        "Months before a pending application is rejected",
    )
    ACCEPT_DAYS = "accept_days", "Days to accept an approved application"
    UNUSED_EXPIRY_MONTHS = "unused_expiry_months", "Months before accepted unused funds expire"


class Rule(models.Model):
    """One dated value of a levy rule, in force from `starts_on` until the next row of its kind."""

    kind = models.CharField(max_length=40, choices=RuleKind.choices)
    starts_on = models.DateField()
    value = models.DecimalField(max_digits=20, decimal_places=5)
    source = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["kind", "starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "starts_on"], name="one_levy_rule_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.starts_on}: {self.value}"


class LevyAccount(models.Model):
    """An organisation's mirror of its apprenticeship service account (levy payer or receiver)."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.PROTECT, related_name="levy_account"
    )
    english_fraction = models.DecimalField(max_digits=6, decimal_places=5, default=Decimal(1))
    provider_priority = models.JSONField(
        default=list, blank=True, help_text="Training providers' names, paid first to last."
    )
    opened_on = models.DateField(default=timezone.localdate)

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(english_fraction__gte=0, english_fraction__lte=1),
                name="english_fraction_between_0_and_1",
            )
        ]

    def __str__(self) -> str:
        return f"Levy account of {self.organisation}"


class PayeScheme(models.Model):
    account = models.ForeignKey(LevyAccount, on_delete=models.PROTECT, related_name="schemes")
    reference = models.CharField(max_length=20, unique=True, help_text="For example 123/AB45678")
    name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["reference"]

    def __str__(self) -> str:
        return self.reference


class DeclarationImport(models.Model):
    """One uploaded CSV of declarations; the same file again (by its hash) changes nothing."""

    account = models.ForeignKey(LevyAccount, on_delete=models.PROTECT, related_name="imports")
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    rows = models.PositiveIntegerField(default=0)
    added = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"Declarations import {self.pk} ({self.file_name})"


class Declaration(models.Model):
    """An employer payment summary's levy figure for one scheme, tax year and payroll month.

    `levy_due_ytd` is None for "no payment for period". Declarations submitted on the same day are
    ordered by `id`: the one listed (entered or imported) later wins.
    """

    scheme = models.ForeignKey(PayeScheme, on_delete=models.PROTECT, related_name="declarations")
    submission_id = models.CharField(max_length=64)
    payroll_year = models.CharField(max_length=5, help_text="Tax year as YY-YY, e.g. 25-26")
    payroll_month = models.PositiveSmallIntegerField()
    levy_due_ytd = models.DecimalField(**AMOUNT, null=True, blank=True)
    submitted_on = models.DateField()
    imported_by = models.ForeignKey(
        DeclarationImport,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="declarations",
    )
    entered_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    entered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["scheme", "payroll_year", "payroll_month", "submitted_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "submission_id"], name="one_declaration_per_submission"
            ),
            models.CheckConstraint(
                condition=Q(payroll_month__gte=1, payroll_month__lte=12),
                name="payroll_month_1_to_12",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheme} {self.payroll_year} month {self.payroll_month}"


class EntryKind(models.TextChoices):
    FUNDS_IN = "funds_in", "Levy funds in"
    TOP_UP = "top_up", "Government top-up"
    ADJUSTMENT = "adjustment", "End-of-year adjustment"
    PAYMENT = "payment", "Payment to a training provider"
    TRANSFER_OUT = "transfer_out", "Transfer sent"
    TRANSFER_IN = "transfer_in", "Transfer received"
    REFUND = "refund", "Refund"
    EXPIRY = "expiry", "Expired funds"


class EntrySource(models.TextChoices):
    """Which part of a kind a ledger summary row adds up (see `LedgerMonth`)."""

    OWN = "", "The account's own"
    TRANSFER = "transfer", "A receiver's payment from a transfer"
    SHORT_TERM = "short", "An expiry of the short-term cohort"


# Only constants in the text; every value is a parameter. One statement adds to a summary row
# or makes it, on PostgreSQL and SQLite alike, so two transactions never lose either amount.
ADD_TO_LEDGER_MONTH = """
INSERT INTO levy_ledgermonth (account_id, month, kind, source, units) VALUES (%s, %s, %s, %s, %s)
ON CONFLICT (account_id, month, kind, source)
DO UPDATE SET units = levy_ledgermonth.units + EXCLUDED.units
"""
FIGURES_CHANGED = """
INSERT INTO levy_accountfigures
    (account_id, version, computed_on, balance, expiring_soon, expiring, next_expiry_amount,
     remaining_allowance)
VALUES (%s, 1, NULL, 0, 0, 0, 0, 0)
ON CONFLICT (account_id)
DO UPDATE SET version = levy_accountfigures.version + 1, computed_on = NULL
"""
UNITS_PER_POUND = 10**5


def execute_many(sql: str, rows: Iterable[tuple]) -> None:
    rows = list(rows)
    if rows:
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)


def figures_changed(account_ids: Iterable[int]) -> None:
    """Mark the accounts' stored headline figures (`AccountFigures`) out of date, in the
    transaction of the write that changed them."""
    execute_many(FIGURES_CHANGED, [(pk,) for pk in sorted(set(account_ids))])


def _summarise(entries: Iterable[LedgerEntry]) -> None:
    """Add appended entries to their `LedgerMonth` rows (in the transaction appending them)."""
    sums: dict[tuple[int, dt.date, str, str], int] = defaultdict(int)
    for entry in entries:
        month = (
            entry.month if isinstance(entry.month, dt.date) else dt.date.fromisoformat(entry.month)
        )
        units = Decimal(entry.amount).quantize(Decimal(1).scaleb(-5), ROUND_HALF_UP)
        sums[(entry.account_id, month, entry.kind, entry.source)] += int(units * UNITS_PER_POUND)
    execute_many(ADD_TO_LEDGER_MONTH, (key + (total,) for key, total in sorted(sums.items())))
    figures_changed(account for account, _, _, _ in sums)


class LedgerEntryQuerySet(models.QuerySet["LedgerEntry"]):
    """Ledger entries can be read and added, never changed or removed in bulk either. Adding
    them adds them to the monthly summary (`LedgerMonth`) in the same transaction, whoever adds.
    """

    def bulk_create(self, objs, *args, **kwargs):
        with transaction.atomic(using=self.db):
            created = super().bulk_create(objs, *args, **kwargs)
            _summarise(created)
        return created

    def update(self, **kwargs) -> int:
        raise ValueError("Levy ledger entries are append-only; correct one with a new entry.")

    def delete(self):
        raise ValueError("Levy ledger entries are append-only; correct one with a new entry.")


class LedgerEntry(models.Model):
    """Append-only: one movement of an account's funds in one calendar month.

    Amounts are signed as they change the balance: funds in, top-up and transfers received are
    positive (a correction may be negative), payments, transfers sent and expiries negative, a
    refund positive. `month` is the first day of the calendar month. `key` makes posting
    idempotent: a job or import that posts the same movement twice is refused by the database.
    """

    account = models.ForeignKey(LevyAccount, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=20, choices=EntryKind.choices)
    month = models.DateField()
    amount = models.DecimalField(**AMOUNT)
    key = models.CharField(max_length=120)
    label = models.CharField(max_length=300, blank=True)
    counterparty = models.ForeignKey(
        LevyAccount, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")

    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        ordering = ["month", "id"]
        verbose_name_plural = "ledger entries"
        indexes = [models.Index(fields=["account", "month"])]
        constraints = [
            models.UniqueConstraint(fields=["account", "key"], name="one_ledger_entry_per_key"),
            models.CheckConstraint(condition=Q(month__day=1), name="ledger_month_is_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.month:%Y-%m}: {self.amount}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError("Levy ledger entries are append-only; correct one with a new entry.")
        with transaction.atomic(using=kwargs.get("using")):
            super().save(*args, **kwargs)
            _summarise([self])

    def delete(self, *args, **kwargs):
        raise ValueError("Levy ledger entries are append-only; correct one with a new entry.")

    @property
    def source(self) -> str:
        """Which summary row of its kind the entry adds to (`LedgerMonth.source`)."""
        if self.kind == EntryKind.PAYMENT and self.counterparty_id is not None:
            return EntrySource.TRANSFER
        if self.kind == EntryKind.EXPIRY and self.key.endswith(f":{EntrySource.SHORT_TERM}"):
            return EntrySource.SHORT_TERM
        return EntrySource.OWN


class CommitmentStatus(models.TextChoices):
    ACTIVE = "active", "In training"
    COMPLETED = "completed", "Completed"
    STOPPED = "stopped", "Stopped"


class Commitment(models.Model):
    """An apprenticeship the account pays a provider for: the source of committed payments.

    The payment schedule comes from `levy.payments` (price capped at the band, 80% monthly, 20% on
    completion). `funded_by` is the sending account when a transfer pays for it.
    """

    account = models.ForeignKey(LevyAccount, on_delete=models.PROTECT, related_name="commitments")
    reference = models.CharField(max_length=60, help_text="The employer's own reference")
    provider = models.CharField(max_length=200)
    standard_code = models.CharField(max_length=10, blank=True)
    standard_title = models.CharField(max_length=200, blank=True)
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    start_on = models.DateField()
    planned_end_on = models.DateField()
    price = models.DecimalField(**AMOUNT)
    funding_band = models.DecimalField(**AMOUNT)
    funded_by = models.ForeignKey(
        LevyAccount,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="funded_commitments",
    )
    status = models.CharField(
        max_length=20, choices=CommitmentStatus.choices, default=CommitmentStatus.ACTIVE
    )
    completion_on_record = models.BooleanField(
        default=False,
        help_text="The completion payment waits for a recorded completion (not the planned end)",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["start_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "reference"], name="one_commitment_per_reference"
            ),
            models.CheckConstraint(
                condition=Q(planned_end_on__gt=F("start_on")), name="commitment_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(price__gt=0, funding_band__gt=0), name="commitment_amounts_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} with {self.provider}"


class CommitmentEventKind(models.TextChoices):
    BREAK = "break", "Break in learning"
    RESUME = "resume", "Return from a break"
    STOP = "stop", "Withdrawal"
    COMPLETE = "complete", "Completion"
    CHANGE = "change", "Change of price or planned end"


FINAL_EVENT_KINDS = (CommitmentEventKind.STOP, CommitmentEventKind.COMPLETE)


class CommitmentEvent(models.Model):
    """A dated change to a commitment's apprenticeship that moves its payment schedule
    (`levy.payments.payment_schedule_with_events`). Recorded in date order, never changed.

    `not_before` is the first month whose payment was not yet on the ledger when it was recorded:
    the event cannot change a month already posted.
    """

    commitment = models.ForeignKey(Commitment, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=10, choices=CommitmentEventKind.choices)
    on = models.DateField()
    planned_end_on = models.DateField(
        null=True, blank=True, help_text="A return's new planned end, or a change's"
    )
    price = models.DecimalField(
        **AMOUNT, null=True, blank=True, help_text="A change's new agreed price"
    )
    not_before = models.DateField(null=True, blank=True)
    reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["commitment", "on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["commitment"],
                condition=Q(kind__in=["stop", "complete"]),
                name="one_final_commitment_event",
            ),
            models.CheckConstraint(
                condition=~Q(kind="resume") | Q(planned_end_on__isnull=False),
                name="commitment_return_has_planned_end",
            ),
            models.CheckConstraint(
                condition=~Q(kind="change")
                | Q(planned_end_on__isnull=False)
                | Q(price__isnull=False),
                name="commitment_change_changes_something",
            ),
            models.CheckConstraint(
                condition=Q(not_before__isnull=True) | Q(not_before__day=1),
                name="commitment_event_not_before_first_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.on}"


class AllowanceYear(models.Model):
    """A sender's transfer allowance for the year from 20 April, and how much is committed.

    `committed` is the limit's counter: pledges claim from it with a conditional update.
    """

    account = models.ForeignKey(LevyAccount, on_delete=models.PROTECT, related_name="allowances")
    starts_on = models.DateField()
    allowance = models.DecimalField(**AMOUNT)
    committed = models.DecimalField(**AMOUNT, default=Decimal(0))

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["account", "starts_on"], name="one_allowance_a_year"),
            models.CheckConstraint(
                condition=Q(committed__gte=0, committed__lte=F("allowance")),
                name="allowance_committed_within_allowance",
            ),
        ]

    def __str__(self) -> str:
        return f"Allowance of {self.account} from {self.starts_on}"


class ApprovalMode(models.TextChoices):
    MANUAL = "manual", "Approve each application by hand"
    AUTOMATIC_NOW = "automatic_now", "Approve a 100% match at once"
    AUTOMATIC_AFTER = "automatic_after", "Approve a 100% match after 42 days"


class PledgeStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Pledge(models.Model):
    """Funds a sender offers to transfer, with criteria applicants are scored against.

    Empty criteria lists match anyone on that criterion. `remaining` is the limit's counter.
    """

    account = models.ForeignKey(LevyAccount, on_delete=models.PROTECT, related_name="pledges")
    allowance_year = models.ForeignKey(
        AllowanceYear, on_delete=models.PROTECT, related_name="pledges"
    )
    amount = models.DecimalField(**AMOUNT)
    remaining = models.DecimalField(**AMOUNT)
    sectors = models.JSONField(default=list, blank=True)
    levels = models.JSONField(default=list, blank=True)
    job_roles = models.JSONField(default=list, blank=True)
    locations = models.JSONField(default=list, blank=True)
    approval_mode = models.CharField(
        max_length=20, choices=ApprovalMode.choices, default=ApprovalMode.MANUAL
    )
    status = models.CharField(
        max_length=10, choices=PledgeStatus.choices, default=PledgeStatus.OPEN
    )
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(remaining__gte=0, remaining__lte=F("amount")),
                name="pledge_remaining_within_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"Pledge {self.pk} of {self.account}"


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a decision"
    APPROVED = "approved", "Approved, waiting for acceptance"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"
    DECLINED = "declined", "Declined (not accepted in time or by the applicant)"
    WITHDRAWN = "withdrawn", "Withdrawn"
    EXPIRED = "expired", "Expired (funds unused)"


class PledgeApplication(models.Model):
    """A receiver's application for part of a pledge, scored 25% per criterion met."""

    pledge = models.ForeignKey(Pledge, on_delete=models.PROTECT, related_name="applications")
    account = models.ForeignKey(LevyAccount, on_delete=models.PROTECT, related_name="applications")
    standard_code = models.CharField(max_length=10, blank=True)
    standard_title = models.CharField(max_length=200)
    level = models.PositiveSmallIntegerField()
    sector = models.CharField(max_length=40)
    job_role = models.CharField(max_length=200)
    location = models.CharField(max_length=200)
    apprentices = models.PositiveIntegerField()
    duration_months = models.PositiveIntegerField()
    funding_band = models.DecimalField(**AMOUNT)
    start_month = models.DateField()
    first_year_cost = models.DecimalField(**AMOUNT)
    match_score = models.PositiveSmallIntegerField(help_text="Per cent of criteria met")
    status = models.CharField(
        max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.PENDING
    )
    reason = models.CharField(max_length=500, blank=True)
    applied_at = models.DateTimeField(default=timezone.now)
    applied_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    accepted_at = models.DateTimeField(null=True, blank=True)
    need = models.ForeignKey(
        "Need", on_delete=models.SET_NULL, null=True, blank=True, related_name="applications"
    )

    class Meta:
        ordering = ["applied_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(apprentices__gte=1, duration_months__gte=1),
                name="application_counts_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"Application {self.pk} to pledge {self.pledge_id}"


class Need(models.Model):
    """A partner's planned apprenticeship starts, fed to the pooling optimiser."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="levy_needs"
    )
    standard_code = models.CharField(max_length=10, blank=True)
    standard_title = models.CharField(max_length=200)
    level = models.PositiveSmallIntegerField()
    start_month = models.DateField()
    duration_months = models.PositiveIntegerField()
    apprentices = models.PositiveIntegerField(default=1)
    funding_band = models.DecimalField(**AMOUNT)
    priority = models.PositiveSmallIntegerField(default=2)
    job_role = models.CharField(max_length=200, blank=True)
    location = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["start_month", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(priority__gte=1, priority__lte=3), name="need_priority_1_to_3"
            ),
            models.CheckConstraint(
                condition=Q(apprentices__gte=1, duration_months__gte=1),
                name="need_counts_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.standard_title} at {self.organisation}"


class OptimiserRun(models.Model):
    """One run of the pooling optimiser for a partnership, with its inputs and its plans."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    run_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    run_at = models.DateTimeField(default=timezone.now)
    time_limit_seconds = models.PositiveIntegerField(default=30)
    status = models.CharField(max_length=20, help_text="optimal, or feasible when the limit hit")
    gap = models.DecimalField(max_digits=9, decimal_places=6, default=Decimal(0))
    expiry_avoided = models.DecimalField(**AMOUNT)
    priority_funded = models.PositiveIntegerField(default=0)
    greedy_expiry_avoided = models.DecimalField(**AMOUNT)
    greedy_priority_funded = models.PositiveIntegerField(default=0)
    expiry_without_transfers = models.DecimalField(**AMOUNT)
    inputs = models.JSONField()
    seconds = models.DecimalField(max_digits=9, decimal_places=3, default=Decimal(0))

    class Meta:
        ordering = ["-run_at", "-id"]

    def __str__(self) -> str:
        return f"Optimiser run {self.pk}"


class Recommendation(models.Model):
    """A transfer the optimiser recommends: a sender funds one need; it may become a pledge."""

    optimiser_run = models.ForeignKey(
        OptimiserRun, on_delete=models.CASCADE, related_name="recommendations"
    )
    need = models.ForeignKey(Need, on_delete=models.PROTECT, related_name="recommendations")
    sender = models.ForeignKey(LevyAccount, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(**AMOUNT)
    expiry_avoided = models.DecimalField(**AMOUNT)
    explanation = models.JSONField(default=list)
    pledge = models.ForeignKey(
        Pledge, on_delete=models.SET_NULL, null=True, blank=True, related_name="recommendations"
    )

    class Meta:
        ordering = ["need_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["optimiser_run", "need"], name="one_recommendation_per_need"
            )
        ]

    def __str__(self) -> str:
        return f"{self.sender} funds {self.need}"


class LedgerMonth(models.Model):
    """Summary: an account's ledger entries of one kind in one calendar month, added up.

    Kept by `LedgerEntry.save` and `LedgerEntry.objects.bulk_create`, in the transaction that
    appends the entries, so it always equals the live sums; a row exists once any entry of its
    kind and month does (even one of £0). `units` are whole hundred-thousandths of a pound
    (exact on every database).
    """

    account = models.ForeignKey(LevyAccount, on_delete=models.PROTECT, related_name="+")
    month = models.DateField()
    kind = models.CharField(max_length=20, choices=EntryKind.choices)
    source = models.CharField(max_length=10, choices=EntrySource.choices, blank=True)
    units = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["account", "month", "kind", "source"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "month", "kind", "source"], name="one_ledger_month_row"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.month:%Y-%m} of account {self.account_id}: {self.units}"


class CommittedMonth(models.Model):
    """Summary: the scheduled payments an account's funds are committed to in one month and that
    are not yet posted (its own active commitments and those it funds by transfer).

    Kept by `levy.summaries` when a commitment is added or ends and when its payments are posted.
    `payments` counts the schedule's payments still to post in the month; `units` their total
    in hundred-thousandths of a pound.
    """

    account = models.ForeignKey(LevyAccount, on_delete=models.PROTECT, related_name="+")
    month = models.DateField()
    payments = models.IntegerField(default=0)
    units = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["account", "month"]
        constraints = [
            models.UniqueConstraint(fields=["account", "month"], name="one_committed_month_row")
        ]

    def __str__(self) -> str:
        return f"Committed {self.month:%Y-%m} of account {self.account_id}: {self.units}"


class AccountFigures(models.Model):
    """Summary: an account's headline figures as worked out on `computed_on`, for the partnership
    view. Every write that changes them bumps `version` and clears `computed_on` in its own
    transaction; a reader stores what it worked out only if `version` is still the one it read.
    """

    account = models.OneToOneField(
        LevyAccount, on_delete=models.PROTECT, primary_key=True, related_name="+"
    )
    version = models.BigIntegerField(default=0)
    computed_on = models.DateField(null=True, blank=True)
    balance = models.DecimalField(**AMOUNT, default=Decimal(0))
    expiring_soon = models.DecimalField(**AMOUNT, default=Decimal(0))
    expiring = models.DecimalField(**AMOUNT, default=Decimal(0))
    next_expiry = models.DateField(null=True, blank=True)
    next_expiry_amount = models.DecimalField(**AMOUNT, default=Decimal(0))
    remaining_allowance = models.DecimalField(**AMOUNT, default=Decimal(0))

    class Meta:
        verbose_name_plural = "account figures"

    def __str__(self) -> str:
        return f"Figures of account {self.account_id} on {self.computed_on}"
