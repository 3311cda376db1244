"""Setting up a levy account: PAYE schemes, declarations (entered or imported) and commitments.

Every write is one transaction with one audit entry, and every declaration added brings the
ledger's funds in up to date (`services.sync_funds_in`) in the same transaction. Callers fetch
the account with `access.get_managed_account_for`: only its organisation's levy officer gets here.

A declarations import is checked whole before anything is written (`check_import`) and checked
again inside the transaction that writes it (`import_declarations`), so a file someone else
overlapped in between is still all-or-nothing. Rows already recorded (same scheme and submission
id, same figures) are skipped; the same file again adds nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from joinedup.partnership import audit
from joinedup.partnership.actor import Actor

from . import funds_in, payments, pledge_rules, pledges, rules, services, summaries
from .declaration_file import (
    DeclarationFileError,
    Problem,
    Row,
    normalise_scheme,
    read_declarations,
    scheme_reference_problem,
    tax_year_problem,
)
from .models import (
    AllowanceYear,
    Commitment,
    CommitmentStatus,
    Declaration,
    DeclarationImport,
    LevyAccount,
    PayeScheme,
)

MANUAL_ID_PREFIX = "manual-"


def add_scheme(*, actor: Actor, account: LevyAccount, reference: str, name: str = "") -> PayeScheme:
    """Add a PAYE scheme to the account; a reference already in use anywhere is refused."""
    reference = normalise_scheme(reference)
    problem = scheme_reference_problem(reference)
    if problem:
        raise ValidationError({"reference": problem})
    # The unique constraint decides, so two people adding one reference at once get the message.
    try:
        with transaction.atomic():
            scheme = PayeScheme.objects.create(account=account, reference=reference, name=name)
            audit.record(
                actor=actor,
                action="levy_scheme.added",
                kind="levy.PayeScheme",
                object_id=scheme.pk,
                label=reference,
                organisation=account.organisation,
                changes={"account": account.pk, "reference": reference},
            )
    except IntegrityError:
        raise ValidationError(
            {"reference": f"The PAYE scheme {reference} is already registered to an account"}
        ) from None
    return scheme


def add_declaration(
    *,
    actor: Actor,
    scheme: PayeScheme,
    payroll_year: str,
    payroll_month: int,
    levy_due_ytd: Decimal | None,
    submitted_on: dt.date,
    submission_id: str = "",
) -> Declaration:
    """Record one declaration entered by hand and bring the ledger's funds in up to date.

    A manual entry without a submission id gets one (`manual-...`), so it can never be mistaken
    for an imported row.
    """
    problem = tax_year_problem(payroll_year)
    if problem:
        raise ValidationError({"payroll_year": problem})
    if not 1 <= payroll_month <= 12:
        raise ValidationError({"payroll_month": "Choose a payroll month from 1 to 12"})
    if levy_due_ytd is not None and levy_due_ytd < 0:
        raise ValidationError({"levy_due_ytd": "The levy due for the year so far is never below 0"})
    if submitted_on > timezone.localdate():
        raise ValidationError(
            {"submitted_on": "The date it was submitted must not be in the future"}
        )
    submission_id = submission_id.strip() or f"{MANUAL_ID_PREFIX}{uuid.uuid4().hex[:16]}"
    with transaction.atomic():
        if Declaration.objects.filter(scheme=scheme, submission_id=submission_id).exists():
            raise ValidationError(
                {"submission_id": f"A declaration with id {submission_id} is already recorded"}
            )
        declaration = Declaration.objects.create(
            scheme=scheme,
            submission_id=submission_id,
            payroll_year=payroll_year,
            payroll_month=payroll_month,
            levy_due_ytd=levy_due_ytd,
            submitted_on=submitted_on,
            entered_by=actor.person,
        )
        audit.record(
            actor=actor,
            action="levy_declaration.entered",
            kind="levy.Declaration",
            object_id=declaration.pk,
            label=str(declaration),
            organisation=scheme.account.organisation,
            changes={
                "scheme": scheme.pk,
                "payroll_year": payroll_year,
                "payroll_month": payroll_month,
                "levy_due_ytd": None if levy_due_ytd is None else str(levy_due_ytd),
                "submitted_on": submitted_on.isoformat(),
            },
        )
        services.sync_funds_in(scheme.account, actor=actor)
    return declaration


@dataclass
class ImportCheck:
    """What a declarations file would do to an account, or why it cannot be imported."""

    file_name: str
    sha256: str
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    error: str = ""
    new: list[Row] = field(default_factory=list)
    already_recorded: int = 0
    earlier_import: DeclarationImport | None = None

    @property
    def ok(self) -> bool:
        return not self.error and not self.problems

    @property
    def by_scheme(self) -> list[tuple[str, int, int]]:
        """(scheme, new rows, rows already recorded) for each scheme in the file."""
        new = Counter(row.scheme for row in self.new)
        every = Counter(row.scheme for row in self.rows)
        return [(scheme, new[scheme], every[scheme] - new[scheme]) for scheme in sorted(every)]


def _same(declaration: Declaration, row: Row) -> bool:
    return (
        declaration.payroll_year == row.payroll_year
        and declaration.payroll_month == row.payroll_month
        and declaration.levy_due_ytd == row.levy_due_ytd
        and declaration.submitted_on == row.submitted_on
    )


def check_import(*, account: LevyAccount, file_name: str, data: bytes) -> ImportCheck:
    """Check every row of a file against the account without writing anything.

    Unknown schemes are refused (add them first), as is a submission id already recorded for
    the scheme with other figures; rows recorded with the same figures count as already recorded.
    """
    check = ImportCheck(file_name=file_name, sha256=hashlib.sha256(data).hexdigest())
    check.earlier_import = (
        DeclarationImport.objects.filter(account=account, sha256=check.sha256)
        .order_by("uploaded_at")
        .first()
    )
    try:
        check.rows, check.problems = read_declarations(data, today=timezone.localdate())
    except DeclarationFileError as error:
        check.error = str(error)
        return check
    schemes = dict(account.schemes.values_list("reference", "pk"))
    # All of the account's declarations rather than an IN list of the file's ids, which could pass
    # SQLite's limit on query parameters: an account has a few thousand at most.
    recorded = {
        (declaration.scheme_id, declaration.submission_id): declaration
        for declaration in Declaration.objects.filter(scheme__account=account).only(
            "scheme_id",
            "submission_id",
            "payroll_year",
            "payroll_month",
            "levy_due_ytd",
            "submitted_on",
        )
    }
    problems = list(check.problems)
    for row in check.rows:
        scheme = schemes.get(row.scheme)
        if scheme is None:
            problems.append(
                Problem(
                    row.line,
                    "scheme",
                    f"{row.scheme} is not one of this account's PAYE schemes: add it on the "
                    "schemes page first",
                )
            )
            continue
        existing = recorded.get((scheme, row.id))
        if existing is None:
            check.new.append(row)
        elif not _same(existing, row):
            problems.append(
                Problem(
                    row.line,
                    "id",
                    f"{row.id} is already recorded for {row.scheme} with other figures "
                    f"({existing.payroll_year} month {existing.payroll_month}, submitted "
                    f"{existing.submitted_on:%Y-%m-%d}); give a correction its own id",
                )
            )
    check.problems = sorted(problems, key=lambda problem: (problem.line, problem.column))
    check.already_recorded = len(check.rows) - len(check.new)
    return check


class ImportRefused(Exception):
    """The file cannot be imported; `check` holds its problems."""

    def __init__(self, check: ImportCheck) -> None:
        super().__init__(check.error or f"The file has {len(check.problems)} problems")
        self.check = check


def import_declarations(
    *, actor: Actor, account: LevyAccount, file_name: str, data: bytes
) -> tuple[ImportCheck, DeclarationImport | None]:
    """Import a checked file in one transaction: every new row or none, then funds in synced.

    The file is checked again inside the transaction. When nothing in it is new (the same file
    again, or rows all recorded before) nothing is written and no import is recorded.
    """
    with transaction.atomic():
        check = check_import(account=account, file_name=file_name, data=data)
        if not check.ok:
            raise ImportRefused(check)
        if not check.new:
            return check, None
        schemes = dict(account.schemes.values_list("reference", "pk"))
        recorded = DeclarationImport.objects.create(
            account=account,
            file_name=file_name[:255],
            sha256=check.sha256,
            uploaded_by=actor.person,
            rows=len(check.rows),
            added=len(check.new),
        )
        try:
            Declaration.objects.bulk_create(
                [
                    Declaration(
                        scheme_id=schemes[row.scheme],
                        submission_id=row.id,
                        payroll_year=row.payroll_year,
                        payroll_month=row.payroll_month,
                        levy_due_ytd=row.levy_due_ytd,
                        submitted_on=row.submitted_on,
                        imported_by=recorded,
                        entered_by=actor.person,
                    )
                    for row in check.new
                ]
            )
        except IntegrityError as error:
            raise ValidationError(
                "Someone recorded some of these declarations at the same time; nothing was "
                "imported. Upload the file again."
            ) from error
        audit.record(
            actor=actor,
            action="levy_declarations.imported",
            kind="levy.DeclarationImport",
            object_id=recorded.pk,
            label=file_name,
            organisation=account.organisation,
            changes={
                "account": account.pk,
                "sha256": check.sha256,
                "rows": len(check.rows),
                "added": len(check.new),
            },
        )
        services.sync_funds_in(account, actor=actor)
    return check, recorded


@dataclass(frozen=True)
class DeclarationLine:
    """A declaration and what it did: used (with what it added), replaced, late or an adjustment."""

    declaration: Declaration
    status: str  # "used", "adjustment", "replaced" or "late"
    cut_off: dt.date
    lands: str | None = None  # YYYY-MM
    levy: Decimal | None = None
    top_up: Decimal | None = None

    @property
    def total(self) -> Decimal | None:
        if self.levy is None or self.top_up is None:
            return None
        return self.levy + self.top_up

    @property
    def landing_month(self) -> dt.date | None:
        """The first day of the month its funds land in."""
        if self.lands is None:
            return None
        year, month = self.lands.split("-")
        return dt.date(int(year), int(month), 1)


def declaration_lines(
    account: LevyAccount, scheme: PayeScheme, payroll_year: str
) -> list[DeclarationLine]:
    """The scheme's declarations for one tax year, in payroll-month and submission order, each
    with why it did or did not count (the funds-in rules of `levy.funds_in`)."""
    rows = list(Declaration.objects.filter(scheme=scheme, payroll_year=payroll_year).order_by("id"))
    pure = {
        row.pk: funds_in.Declaration(
            id=str(row.pk),
            scheme=scheme.reference,
            payroll_year=row.payroll_year,
            payroll_month=row.payroll_month,
            levy_due_ytd=row.levy_due_ytd,
            submitted=row.submitted_on,
        )
        for row in rows
    }
    entries = {
        entry.declaration: entry
        for entry in funds_in.funds_in_entries(
            list(pure.values()),
            english_fraction=account.english_fraction,
            top_up_rates=rules.top_up_rates(),
        )
    }
    lines = []
    for row in rows:
        declaration = pure[row.pk]
        cut_off = funds_in.cut_off(row.payroll_year, row.payroll_month)
        entry = entries.get(str(row.pk))
        if entry is not None:
            status = "adjustment" if entry.adjustment else "used"
            line = DeclarationLine(row, status, cut_off, entry.month, entry.levy, entry.top_up)
        elif funds_in.is_on_time(declaration):
            line = DeclarationLine(row, "replaced", cut_off)
        else:
            line = DeclarationLine(row, "late", cut_off)
        lines.append(line)
    return sorted(
        lines,
        key=lambda line: (
            line.declaration.payroll_month,
            line.declaration.submitted_on,
            line.declaration.pk,
        ),
    )


def tax_years(account: LevyAccount) -> list[str]:
    """The tax years the account has declarations for, latest first."""
    years = (
        Declaration.objects.filter(scheme__account=account)
        .order_by()
        .values_list("payroll_year", flat=True)
        .distinct()
    )
    return sorted(set(years), key=funds_in.tax_year_start, reverse=True)


def current_tax_year(today: dt.date) -> str:
    """The tax year (`YY-YY`) containing a day: from 6 April."""
    start = today.year if (today.month, today.day) >= (4, 6) else today.year - 1
    return f"{start % 100:02d}-{(start + 1) % 100:02d}"


def terms_for(start_on: dt.date) -> payments.PaymentTerms:
    """The payment terms in force for an apprenticeship starting on a day."""
    try:
        return payments.in_force(rules.payment_terms(), start_on)
    except ValueError:
        raise ValidationError(
            {"start_on": f"No levy payment terms are in force on {start_on.day} {start_on:%B %Y}"}
        ) from None


def add_commitment(
    *,
    actor: Actor,
    account: LevyAccount,
    reference: str,
    provider: str,
    standard_code: str,
    standard_title: str,
    level: int | None,
    start_on: dt.date,
    planned_end_on: dt.date,
    price: Decimal,
    funding_band: Decimal,
    funded_by: LevyAccount | None = None,
    completion_on_record: bool = False,
) -> Commitment:
    """Record an apprenticeship the account pays for; its payment schedule must be workable.

    `funded_by`: another account pays for it by transfer, claiming the transfer's first-year
    cost from the sender's allowance as an approved pledge application does (one conditional
    update; refused when the allowance left is too little). `completion_on_record`: the
    completion payment waits for a recorded completion (`commitment_events`)."""
    if price <= 0:
        raise ValidationError({"price": "The agreed price must be more than £0"})
    if funding_band <= 0:
        raise ValidationError({"funding_band": "The funding band must be more than £0"})
    if planned_end_on <= start_on:
        raise ValidationError({"planned_end_on": "The planned end date must be after the start"})
    try:
        payments.instalment_months(start_on, planned_end_on)
    except ValueError:
        raise ValidationError(
            {
                "planned_end_on": "The planned end date leaves no month for a payment: an "
                "apprenticeship is paid for each whole month from its start"
            }
        ) from None
    terms_for(start_on)
    if funded_by is not None and funded_by.pk == account.pk:
        raise ValidationError({"funded_by": "An account cannot send a transfer to itself"})
    reference = reference.strip()
    # The unique constraint decides, so two requests at once get the message, not a 500.
    try:
        with transaction.atomic():
            commitment = Commitment.objects.create(
                account=account,
                reference=reference,
                provider=provider.strip(),
                standard_code=standard_code,
                standard_title=standard_title,
                level=level,
                start_on=start_on,
                planned_end_on=planned_end_on,
                price=price,
                funding_band=funding_band,
                funded_by=funded_by,
                completion_on_record=completion_on_record,
            )
            if funded_by is not None:
                day = pledges.today()
                cost = transfer_first_year_cost(commitment, day)
                claim_transfer_allowance(funded_by, cost, day)
            summaries.commitments_started([commitment])
            audit.record(
                actor=actor,
                action="levy_commitment.added",
                kind="levy.Commitment",
                object_id=commitment.pk,
                label=reference,
                organisation=account.organisation,
                changes={
                    "account": account.pk,
                    "standard_code": standard_code,
                    "start_on": start_on.isoformat(),
                    "planned_end_on": planned_end_on.isoformat(),
                    "price": str(price),
                    "funding_band": str(funding_band),
                    "funded_by": funded_by.pk if funded_by else None,
                },
            )
    except IntegrityError:
        raise ValidationError(
            {"reference": f"This account already has an apprenticeship {reference}"}
        ) from None
    return commitment


def transfer_first_year_cost(
    commitment: Commitment,
    day: dt.date,
    *,
    price: Decimal | None = None,
    planned_end_on: dt.date | None = None,
) -> Decimal:
    """What a transfer for the commitment claims from the sender's allowance: the pledge rules'
    first-year cost of one apprentice at the capped price over its months of instalments (at a
    new `price` or `planned_end_on` when given; a plan with no month left counts as one)."""
    end = planned_end_on or commitment.planned_end_on
    try:
        months = len(payments.instalment_months(commitment.start_on, end))
    except ValueError:
        months = 1
    return pledge_rules.first_year_cost(
        funding_band=payments.capped_price(price or commitment.price, commitment.funding_band),
        apprentices=1,
        duration_months=months,
        rules=pledges.rules_on(day),
    )


def claim_transfer_allowance(
    sender: LevyAccount, cost: Decimal, day: dt.date, *, field: str = "funded_by"
) -> None:
    """Claim `cost` from the sender's transfer allowance of the year of `day`, in one conditional
    update (never read-then-write), as `pledges.create_pledge` claims a pledge; refused on
    `field` when too little is left."""
    year = services.allowance_for(sender, day)
    claimed = AllowanceYear.objects.filter(pk=year.pk, committed__lte=F("allowance") - cost).update(
        committed=F("committed") + cost
    )
    if claimed != 1:
        raise ValidationError(
            {
                field: f"{sender.organisation.name}'s transfer allowance left this year is "
                f"less than this transfer's first-year cost of £{cost:,.2f}"
            }
        )
    summaries.figures_changed([sender.pk])


def end_commitment(*, actor: Actor, commitment: Commitment, status: str) -> Commitment:
    """Mark an apprenticeship in training as completed or stopped (once; it stays so)."""
    if status not in (CommitmentStatus.COMPLETED, CommitmentStatus.STOPPED):
        raise ValidationError({"status": "Choose whether it was completed or stopped"})
    with transaction.atomic():
        active = list(
            Commitment.objects.select_for_update().filter(
                pk=commitment.pk, status=CommitmentStatus.ACTIVE
            )
        )
        if not active:
            raise ValidationError("This apprenticeship has already ended")
        summaries.commitments_ended(active)
        Commitment.objects.filter(pk=commitment.pk).update(status=status)
        audit.record(
            actor=actor,
            action=f"levy_commitment.{status}",
            kind="levy.Commitment",
            object_id=commitment.pk,
            label=commitment.reference,
            organisation=commitment.account.organisation,
            changes={"status": status},
        )
    commitment.status = status
    return commitment
