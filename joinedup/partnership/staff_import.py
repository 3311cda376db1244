"""The staff import: check an uploaded staff file against the organisation's records, then apply it.

Reading and checking the file itself is plain Python in `staff_file.py`. Here rows are matched to
employments and people and compared field by field, so the preview can say what would change and
re-importing the same file writes nothing. Rows match an employment by employee number within the
organisation first, then by work e-mail. An address that already belongs to a Joined Up account
with no job here is a problem telling the admin to invite the person instead: one person across
employers, whose history is joined only when they accept. Large files are checked, and every file
is applied, by background tasks (`tasks.py`) that save progress on the import; applying checks the
rows again against the records as they are then and writes everything in one transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from . import access, audit
from .actor import Actor
from .models import (
    Destination,
    EmailAddress,
    Employment,
    EmploymentKind,
    Grade,
    Organisation,
    Person,
    StaffImport,
)
from .staff_file import (
    LABEL,
    Problem,
    StaffFileError,
    StaffRow,
    check_rows,
    megabytes,
    read_staff_file,
    squash,
)

ALREADY_HAS_ACCOUNT = (
    "This email address already has a Joined Up account, perhaps from another employer. "
    "Take this row out and invite them from “Add a person”, so they keep one record; "
    "once they accept, their row will match"
)
# Rows are matched against the database this many at a time, and progress is saved after each.
CHUNK_SIZE = 500
# The preview lists at most this many problems; the count says how many there are in all.
MAX_PROBLEMS_KEPT = 1_000
MISSING_LEAVING_REASON = "Not in the full staff import"
CHANGED_JOB_REASON = "Changed job"

NEW = "new"
CHANGED = "changed"
UNCHANGED = "unchanged"
LEAVER = "leaver"


@dataclass
class RowPlan:
    """What applying one row would do: create, update (these fields), end, or nothing.

    A new job (a different job title or grade from a later start date) ends `previous` the day
    before and starts a new employment, so the history keeps the old job.
    """

    row: StaffRow
    action: str
    employment: Employment | None = None
    person: Person | None = None
    changes: dict[str, Any] = field(default_factory=dict)
    person_changes: dict[str, str] = field(default_factory=dict)
    add_email: bool = False
    set_manager: bool = False
    previous: Employment | None = None


@dataclass
class Plan:
    rows: list[RowPlan]
    missing: list[int]
    problems: list[Problem]

    def counts(self) -> dict[str, int]:
        """How many rows are new, changed, unchanged and leavers, and how many are missing."""
        counts = {NEW: 0, CHANGED: 0, UNCHANGED: 0, LEAVER: 0}
        for plan in self.rows:
            counts[plan.action] += 1
        return {
            "new": counts[NEW],
            "changed": counts[CHANGED],
            "unchanged": counts[UNCHANGED],
            "leavers": counts[LEAVER],
            "missing": len(self.missing),
        }


@dataclass(frozen=True)
class OrganisationFacts:
    """What checking rows needs to know about the organisation, read once per check."""

    organisation: Organisation
    grades: dict[str, Grade]
    # Employee numbers of the staff who have not left, including starters and leavers on notice.
    current_numbers: dict[str, int]
    partners: dict[str, int]


def _require_admin(actor: Actor, organisation: Organisation | None) -> Organisation:
    if organisation is None or not access.can_administer(actor, organisation):
        raise PermissionDenied
    return organisation


def _facts(organisation: Organisation, actor: Actor) -> OrganisationFacts:
    today = timezone.localdate()
    current = (
        Employment.objects.filter(organisation=organisation)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .exclude(employee_number="")
        # Someone still open-ended wins over a leaver working their notice under the same number.
        .order_by(F("end_date").desc(nulls_first=True), "-start_date")
        .values_list("employee_number", "pk")
    )
    current_numbers: dict[str, int] = {}
    for number, pk in current:
        current_numbers.setdefault(number, pk)
    partners: dict[str, int] = {}
    for pk, name, code in (
        access.partner_organisations(actor)
        .exclude(pk=organisation.pk)
        .values_list("pk", "name", "official_code")
    ):
        partners[squash(name)] = pk
        if code:
            partners[squash(code)] = pk
    return OrganisationFacts(
        organisation=organisation,
        grades={grade.name: grade for grade in Grade.objects.filter(organisation=organisation)},
        current_numbers=current_numbers,
        partners=partners,
    )


def _problems_json(problems: Sequence[Problem]) -> list[dict[str, Any]]:
    return [
        {"line": problem.line, "column": problem.column, "message": problem.message}
        for problem in problems[:MAX_PROBLEMS_KEPT]
    ]


def preview_staff_import(
    *, actor: Actor, uploaded_file: UploadedFile, full_import: bool
) -> StaffImport:
    """Read and check an uploaded staff file, and keep what applying it would do for the preview.

    A file that cannot be read at all raises ValidationError on "file"; problems in its rows are
    kept on the import, by line and column, for the preview page to list. A large file is kept
    as it is and checked by the background worker instead (`check_staff_import`).
    """
    organisation = _require_admin(actor, actor.organisation)
    max_bytes = settings.STAFF_IMPORT_MAX_BYTES
    if uploaded_file.size is not None and uploaded_file.size > max_bytes:
        raise ValidationError(
            {"file": f"The selected file must be smaller than {megabytes(max_bytes)}"}
        )
    data = uploaded_file.read(max_bytes + 1)
    name = (uploaded_file.name or "")[:200]
    if len(data) > settings.STAFF_IMPORT_BACKGROUND_BYTES:
        return _queue_check(actor, organisation, data, name, full_import=full_import)
    try:
        found = _check(actor, organisation, data, name, full_import=full_import)
    except StaffFileError as error:
        raise ValidationError({"file": str(error)}) from None
    with transaction.atomic():
        staff_import = StaffImport.objects.create(
            organisation=organisation,
            uploaded_by=actor.person,
            original_name=name,
            file_sha256=hashlib.sha256(data).hexdigest(),
            full_import=full_import,
            **found,
        )
        _record_checked(actor, staff_import)
    return staff_import


def check_staff_import(*, actor: Actor, import_id: int) -> StaffImport:
    """Check a large uploaded file in the background, as the preview does for small ones.

    A file that cannot be read fails the import with the reason; progress is saved as it goes.
    """
    staff_import = StaffImport.objects.select_related("organisation").get(pk=import_id)
    organisation = _require_admin(actor, staff_import.organisation)
    if staff_import.status != StaffImport.Status.CHECKING:
        raise ValidationError("This import has already been checked")
    try:
        found = _check(
            actor,
            organisation,
            bytes(staff_import.uploaded_file),
            staff_import.original_name,
            full_import=staff_import.full_import,
            progress_of=import_id,
        )
    except StaffFileError as error:
        _fail(actor, staff_import, str(error))
    except Exception:
        _fail(actor, staff_import, "Something went wrong, so nothing was changed. Try again.")
        raise
    else:
        with transaction.atomic():
            StaffImport.objects.filter(pk=import_id).update(uploaded_file=b"", **found)
            staff_import.refresh_from_db()
            _record_checked(actor, staff_import)
    staff_import.refresh_from_db()
    return staff_import


def _check(
    actor: Actor,
    organisation: Organisation,
    data: bytes,
    name: str,
    *,
    full_import: bool,
    progress_of: int | None = None,
) -> dict[str, Any]:
    """The fields of a checked import; saves progress on import `progress_of` when given."""
    staff_file = read_staff_file(data, name, max_bytes=settings.STAFF_IMPORT_MAX_BYTES)
    total = len(staff_file.rows)
    on_progress = None
    if progress_of is not None:
        progress = StaffImport.objects.filter(pk=progress_of)
        progress.update(total_rows=total, processed_rows=0)

        def on_progress(done: int) -> None:
            progress.update(processed_rows=done)

    facts = _facts(organisation, actor)
    checked = check_rows(
        staff_file,
        grades={squash(grade): grade for grade in facts.grades},
        existing_employee_numbers=facts.current_numbers.keys(),
        partner_organisations=facts.partners,
    )
    problems = list(checked.problems)
    counts: dict[str, int] = {}
    if not problems:
        plan = plan_staff_import(
            facts, checked.rows, checked.columns, full_import=full_import, on_progress=on_progress
        )
        problems = plan.problems
        counts = plan.counts()
    return {
        "status": StaffImport.Status.PREVIEWED,
        # Personal data is kept only while it can still be applied.
        "rows": [] if problems else [row.to_json() for row in checked.rows],
        "total_rows": total,
        "processed_rows": 0,
        "summary": {
            "columns": sorted(checked.columns),
            "ignored_columns": list(staff_file.ignored_columns),
            "problems": _problems_json(problems),
            "problem_count": len(problems),
            "counts": counts,
        },
    }


def _record_checked(actor: Actor, staff_import: StaffImport) -> None:
    summary = staff_import.summary
    audit.record(
        actor=actor,
        action="staff_import.checked",
        kind="staff_import",
        object_id=staff_import.pk,
        organisation=staff_import.organisation,
        changes={
            "rows": staff_import.total_rows,
            "problems": summary["problem_count"],
            **summary["counts"],
        },
    )


def _queue_check(
    actor: Actor, organisation: Organisation, data: bytes, name: str, *, full_import: bool
) -> StaffImport:
    """Keep a large file and hand it to the background worker to check."""
    from .tasks import check_staff_import_task

    with transaction.atomic():
        staff_import = StaffImport.objects.create(
            organisation=organisation,
            uploaded_by=actor.person,
            original_name=name,
            file_sha256=hashlib.sha256(data).hexdigest(),
            full_import=full_import,
            status=StaffImport.Status.CHECKING,
            uploaded_file=data,
        )
        audit.record(
            actor=actor,
            action="staff_import.uploaded",
            kind="staff_import",
            object_id=staff_import.pk,
            organisation=organisation,
            changes={"bytes": len(data)},
        )
    check_staff_import_task.enqueue(
        import_id=staff_import.pk,
        person_id=actor.person_id,
        organisation_id=actor.organisation_id,
    )
    staff_import.refresh_from_db()
    return staff_import


def queue_staff_import(
    *, actor: Actor, staff_import: StaffImport, mark_missing_as_leavers: bool
) -> StaffImport:
    """Confirm a checked import and hand it to the background worker to apply."""
    from .tasks import apply_staff_import_task

    _require_admin(actor, staff_import.organisation)
    if staff_import.summary.get("problem_count"):
        raise ValidationError("Fix the problems in the file and upload it again")
    mark = mark_missing_as_leavers and staff_import.full_import
    with transaction.atomic():
        queued = StaffImport.objects.filter(
            pk=staff_import.pk, status=StaffImport.Status.PREVIEWED
        ).update(status=StaffImport.Status.QUEUED, mark_missing_as_leavers=mark)
        if queued != 1:
            raise ValidationError("This import has already been applied")
        audit.record(
            actor=actor,
            action="staff_import.queued",
            kind="staff_import",
            object_id=staff_import.pk,
            organisation=staff_import.organisation,
            changes={"mark_missing_as_leavers": mark},
        )
    # Enqueued once the status is committed, so the worker never sees an import still "checked".
    apply_staff_import_task.enqueue(
        import_id=staff_import.pk,
        person_id=actor.person_id,
        organisation_id=actor.organisation_id,
        mark_missing_as_leavers=mark,
    )
    staff_import.refresh_from_db()
    return staff_import


def apply_staff_import(
    *, actor: Actor, import_id: int, mark_missing_as_leavers: bool
) -> StaffImport:
    """Apply a checked import: check its rows again, then write every change in one transaction.

    People missing from a full import are marked as leavers only when `mark_missing_as_leavers`
    says the admin confirmed it. On any failure nothing is written and the import is marked failed.
    """
    staff_import = StaffImport.objects.select_related("organisation").get(pk=import_id)
    organisation = _require_admin(actor, staff_import.organisation)
    if staff_import.summary.get("problem_count"):
        raise ValidationError("Fix the problems in the file and upload it again")
    mark = mark_missing_as_leavers and staff_import.full_import
    claimed = StaffImport.objects.filter(
        pk=import_id,
        status__in=[StaffImport.Status.PREVIEWED, StaffImport.Status.QUEUED],
    ).update(status=StaffImport.Status.APPLYING, processed_rows=0, mark_missing_as_leavers=mark)
    if claimed != 1:
        raise ValidationError("This import has already been applied")
    try:
        rows = [StaffRow.from_json(row) for row in staff_import.rows]
        facts = _facts(organisation, actor)
        plan = plan_staff_import(
            facts,
            rows,
            frozenset(staff_import.summary.get("columns", [])),
            full_import=staff_import.full_import,
            on_progress=lambda done: StaffImport.objects.filter(pk=import_id).update(
                processed_rows=done
            ),
        )
        if plan.problems:
            _fail(
                actor,
                staff_import,
                "Records changed after the file was checked. Upload the file again.",
                plan.problems,
            )
        else:
            with transaction.atomic():
                done = _write(actor, staff_import, facts, plan, mark_missing_as_leavers=mark)
                StaffImport.objects.filter(pk=import_id).update(
                    status=StaffImport.Status.APPLIED,
                    rows=[],
                    processed_rows=len(rows),
                    summary={**staff_import.summary, "counts": done},
                )
                audit.record(
                    actor=actor,
                    action="staff_import.applied",
                    kind="staff_import",
                    object_id=import_id,
                    organisation=organisation,
                    changes=done,
                )
    except Exception:
        _fail(actor, staff_import, "Something went wrong, so nothing was changed. Try again.")
        raise
    staff_import.refresh_from_db()
    return staff_import


def _fail(
    actor: Actor, staff_import: StaffImport, error: str, problems: Sequence[Problem] = ()
) -> None:
    with transaction.atomic():
        # Nothing can be retried from a failed import, so its personal data goes now.
        StaffImport.objects.filter(pk=staff_import.pk).update(
            status=StaffImport.Status.FAILED,
            rows=[],
            uploaded_file=b"",
            summary={
                **staff_import.summary,
                "error": error,
                "problems": _problems_json(problems),
                "problem_count": len(problems),
            },
        )
        audit.record(
            actor=actor,
            action="staff_import.failed",
            kind="staff_import",
            object_id=staff_import.pk,
            organisation=staff_import.organisation,
            changes={"problems": len(problems)},
        )


# --- Planning: what applying would do --------------------------------------------------------


def plan_staff_import(
    facts: OrganisationFacts,
    rows: Sequence[StaffRow],
    columns: frozenset[str],
    *,
    full_import: bool,
    on_progress: Callable[[int], object] | None = None,
) -> Plan:
    """Match each row to the records and work out, field by field, what applying would change."""
    plans: list[RowPlan] = []
    problems: list[Problem] = []
    for start in range(0, len(rows), CHUNK_SIZE):
        chunk = rows[start : start + CHUNK_SIZE]
        chunk_plans, chunk_problems = _plan_chunk(facts, chunk, columns)
        plans.extend(chunk_plans)
        problems.extend(chunk_problems)
        if on_progress is not None:
            on_progress(start + len(chunk))
    if "line_manager" in columns:
        problems.extend(_plan_line_managers(facts, plans))
    missing: list[int] = []
    if full_import:
        matched = {plan.employment.pk for plan in plans if plan.employment is not None}
        still_open = Employment.objects.filter(
            organisation=facts.organisation, end_date__isnull=True
        ).values_list("pk", flat=True)
        missing = sorted(set(still_open) - matched)
    problems.sort()
    return Plan(rows=plans, missing=missing, problems=problems)


def _plan_chunk(
    facts: OrganisationFacts, rows: Sequence[StaffRow], columns: frozenset[str]
) -> tuple[list[RowPlan], list[Problem]]:
    organisation = facts.organisation
    by_number: dict[str, Employment] = {}
    for employment in Employment.objects.filter(
        organisation=organisation, employee_number__in=[row.employee_number for row in rows]
    ).select_related("person"):
        known = by_number.get(employment.employee_number)
        if known is None or _more_recent(employment, known):
            by_number[employment.employee_number] = employment
    owners = _owners_of([row.work_email for row in rows])
    # Only rows that no employee number matches are looked for by the owner of their address.
    unmatched_owners = [
        owners[row.work_email]
        for row in rows
        if row.employee_number not in by_number and row.work_email in owners
    ]
    open_here: dict[int, Employment] = {}
    for employment in Employment.objects.filter(
        organisation=organisation, end_date__isnull=True, person__in=unmatched_owners
    ).select_related("person"):
        open_here.setdefault(employment.person_id, employment)
    people = {employment.person_id for employment in (*by_number.values(), *open_here.values())}
    employed_elsewhere = set(
        Employment.objects.current()
        .filter(person__in=people)
        .exclude(organisation=organisation)
        .values_list("person_id", flat=True)
    )
    plans: list[RowPlan] = []
    problems: list[Problem] = []
    for row in rows:
        owner = owners.get(row.work_email)
        employment = by_number.get(row.employee_number)
        if employment is None and owner is not None:
            employment = open_here.get(owner)
            if employment is None:
                # One person across employers: their new employment must join their own history,
                # which only they can agree to by accepting an invitation.
                problems.append(Problem(row.line, LABEL["work_email"], ALREADY_HAS_ACCOUNT))
                continue
            if employment.employee_number:
                problems.append(
                    Problem(
                        row.line,
                        LABEL["work_email"],
                        "This email address belongs to the person with employee number "
                        f"{employment.employee_number} here: use their employee number",
                    )
                )
                continue
        if employment is not None and owner is not None and owner != employment.person_id:
            problems.append(
                Problem(
                    row.line,
                    LABEL["work_email"],
                    "This email address belongs to someone else's Joined Up account",
                )
            )
            continue
        if row.grade and row.grade not in facts.grades:
            problems.append(
                Problem(row.line, LABEL["grade"], f"“{row.grade}” is no longer in the grade table")
            )
            continue
        if employment is not None and employment.end_date is not None and not row.end_date:
            if row.start_date > employment.end_date:
                # Back after leaving: a new employment, so the earlier one stays in the history.
                plans.append(_new_row_plan(row, employment.person, add_email=owner is None))
                continue
            if "end_date" in columns:
                problems.append(
                    Problem(
                        row.line,
                        LABEL["end_date"],
                        f"This person left on {employment.end_date:%d/%m/%Y}: give their end "
                        "date, or a later start date if they have come back",
                    )
                )
                continue
        if employment is None:
            plans.append(_new_row_plan(row, None, add_email=True))
            continue
        plan = RowPlan(
            row=row,
            action=UNCHANGED,
            employment=employment,
            person=employment.person,
            changes=_employment_changes(employment, row, facts, columns),
            add_email=owner is None,
        )
        if (
            employment.end_date is None
            and row.end_date is None
            and row.start_date > employment.start_date
            and {"job_title", "grade_id"} & plan.changes.keys()
        ):
            plan.previous = employment
        if employment.person_id not in employed_elsewhere:
            # Names belong to the person; only the organisation that alone employs them may
            # correct them, so two HR systems never take turns renaming someone.
            plan.person_changes = {
                name: getattr(row, name)
                for name in ("given_name", "family_name")
                if getattr(employment.person, name) != getattr(row, name)
            }
        _classify(plan)
        plans.append(plan)
    return plans, problems


def _more_recent(employment: Employment, other: Employment) -> bool:
    """An open employment beats an ended one; between ended ones the later end wins."""
    if other.end_date is None:
        return False
    return employment.end_date is None or employment.end_date > other.end_date


def _owners_of(emails: Sequence[str]) -> dict[str, int]:
    """The id of the person who signs in with, or once used, each of these e-mail addresses."""
    owners: dict[str, int] = {}
    for email, person_id in EmailAddress.objects.filter(email__in=emails).values_list(
        "email", "person_id"
    ):
        owners[email.lower()] = person_id
    for email, person_id in Person.objects.filter(email__in=emails).values_list("email", "pk"):
        owners[email.lower()] = person_id
    return owners


def _new_row_plan(row: StaffRow, person: Person | None, *, add_email: bool) -> RowPlan:
    return RowPlan(row=row, action=NEW, person=person, add_email=add_email)


def _employment_changes(
    employment: Employment, row: StaffRow, facts: OrganisationFacts, columns: frozenset[str]
) -> dict[str, Any]:
    """The fields that differ from the row; columns the file leaves out stay as they are."""
    wanted: dict[str, Any] = {
        "employee_number": row.employee_number,
        "work_email": row.work_email,
        "job_title": row.job_title,
        "start_date": row.start_date,
    }
    if "grade" in columns:
        grade = facts.grades.get(row.grade)
        wanted["grade_id"] = grade.pk if grade else None
        if grade is not None:
            wanted["seniority"] = grade.seniority
        elif employment.grade_id is not None:
            wanted["seniority"] = None
    if row.kind:
        wanted["kind"] = row.kind
    if row.end_date:
        wanted["end_date"] = row.end_date
        wanted["destination"] = row.destination
        wanted["destination_organisation_id"] = row.destination_organisation
    return {name: value for name, value in wanted.items() if getattr(employment, name) != value}


def _classify(plan: RowPlan) -> None:
    if plan.employment is not None and plan.employment.end_date is None and plan.row.end_date:
        plan.action = LEAVER
    elif plan.previous is not None or plan.changes or plan.person_changes or plan.set_manager:
        plan.action = CHANGED
    else:
        plan.action = UNCHANGED


def _plan_line_managers(facts: OrganisationFacts, plans: list[RowPlan]) -> list[Problem]:
    """Say which rows change line manager, now that every row of the file has been matched."""
    in_file = {plan.row.employee_number: plan for plan in plans}
    problems = []
    for plan in plans:
        number = plan.row.line_manager
        manager = in_file.get(number)
        target: int | str | None = None
        if manager is not None:
            # A manager who is new in this file has no employment id until it is applied.
            target = manager.employment.pk if manager.employment is not None else NEW
        elif number:
            target = facts.current_numbers.get(number)
            if target is None:
                problems.append(
                    Problem(
                        plan.row.line,
                        LABEL["line_manager"],
                        f"No one with employee number {number} is in the file or works here now",
                    )
                )
        if plan.employment is None:
            plan.set_manager = target is not None
        elif plan.previous is not None:
            # A new job takes its line manager from the row, whatever the old job had.
            plan.set_manager = True
        else:
            plan.set_manager = target != plan.employment.line_manager_id
            _classify(plan)
    return problems


# --- Writing ---------------------------------------------------------------------------------

# An audit event to append: action, kind, object id and changes (ids and non-personal values).
Event = tuple[str, str, int, dict[str, Any]]


def _write(
    actor: Actor,
    staff_import: StaffImport,
    facts: OrganisationFacts,
    plan: Plan,
    *,
    mark_missing_as_leavers: bool,
) -> dict[str, int]:
    """Create, update and end employments as planned, and audit each change in one go.

    Runs inside the caller's transaction.
    """
    organisation = staff_import.organisation
    source = {"staff_import": staff_import.pk}
    events: list[Event] = []
    new_plans = [row_plan for row_plan in plan.rows if row_plan.action == NEW]
    _create_people([row_plan for row_plan in new_plans if row_plan.person is None])
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(person=row_plan.person, email=row_plan.row.work_email)
            for row_plan in plan.rows
            if row_plan.add_email and row_plan.person is not None
        ],
        batch_size=CHUNK_SIZE,
    )
    for row_plan in plan.rows:
        if row_plan.add_email and row_plan.person is not None and row_plan.action != NEW:
            events.append(("person.email_added", "person", row_plan.person.pk, source))
    for row_plan in new_plans:
        row_plan.employment = _new_employment(organisation, row_plan, facts.grades)
    new_jobs = [row_plan for row_plan in plan.rows if row_plan.previous is not None]
    for row_plan in new_jobs:
        row_plan.employment = _new_job(row_plan, facts.grades, staff_import)
    Employment.objects.bulk_create(
        [p.employment for p in (*new_plans, *new_jobs)], batch_size=CHUNK_SIZE
    )
    for row_plan in new_plans:
        events.append(
            (
                "employment.added",
                "employment",
                row_plan.employment.pk,
                {**source, "person": row_plan.person.pk, "kind": row_plan.employment.kind},
            )
        )
    for row_plan in new_jobs:
        # Their reports who are not in the file now report to the new job.
        Employment.objects.filter(line_manager=row_plan.previous, end_date__isnull=True).update(
            line_manager=row_plan.employment
        )
        events.append(
            (
                "employment.changed",
                "employment",
                row_plan.employment.pk,
                {**source, "previous": row_plan.previous.pk},
            )
        )
    _set_line_managers(facts, plan)
    for row_plan in plan.rows:
        if row_plan.action in (CHANGED, LEAVER):
            _update(row_plan, source, events)
    ended = 0
    if mark_missing_as_leavers:
        ended = _end_missing(organisation, plan.missing, source, events)
    audit.record_many(actor=actor, organisation=organisation, events=events)
    return {**plan.counts(), "missing_marked_as_leavers": ended}


def _create_people(plans: Sequence[RowPlan]) -> None:
    people = []
    for row_plan in plans:
        person = Person(
            email=row_plan.row.work_email,
            given_name=row_plan.row.given_name,
            family_name=row_plan.row.family_name,
        )
        # They set a password through "forgotten password" when they first sign in. This is what
        # set_unusable_password() stores, made with a faster random source for big files.
        person.password = UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30)
        people.append(person)
    Person.objects.bulk_create(people, batch_size=CHUNK_SIZE)
    for row_plan, person in zip(plans, people, strict=True):
        row_plan.person = person
        row_plan.person_changes = {}


def _new_employment(
    organisation: Organisation, row_plan: RowPlan, grades: dict[str, Grade]
) -> Employment:
    row = row_plan.row
    grade = grades.get(row.grade)
    return Employment(
        person=row_plan.person,
        organisation=organisation,
        employee_number=row.employee_number,
        work_email=row.work_email,
        job_title=row.job_title,
        grade=grade,
        seniority=grade.seniority if grade else None,
        kind=row.kind or EmploymentKind.PERMANENT,
        start_date=row.start_date,
        end_date=row.end_date,
        destination=row.destination,
        destination_organisation_id=row.destination_organisation,
    )


def _new_job(row_plan: RowPlan, grades: dict[str, Grade], staff_import: StaffImport) -> Employment:
    """End the old job the day before the new one starts; the new job keeps what the file omits."""
    previous = row_plan.previous
    row = row_plan.row
    Employment.objects.filter(pk=previous.pk).update(
        end_date=row.start_date - dt.timedelta(days=1), leaving_reason=CHANGED_JOB_REASON
    )
    grade_id, seniority = previous.grade_id, previous.seniority
    if "grade" in staff_import.summary.get("columns", []):
        grade = grades.get(row.grade)
        grade_id, seniority = (grade.pk, grade.seniority) if grade else (None, None)
    return Employment(
        person_id=previous.person_id,
        organisation_id=previous.organisation_id,
        employee_number=row.employee_number,
        work_email=row.work_email,
        job_title=row.job_title,
        grade_id=grade_id,
        seniority=seniority,
        kind=row.kind or previous.kind,
        start_date=row.start_date,
        line_manager_id=previous.line_manager_id,
    )


def _set_line_managers(facts: OrganisationFacts, plan: Plan) -> None:
    """Point each row that changes manager at the manager's employment, new or existing."""
    in_file = {p.row.employee_number: p.employment.pk for p in plan.rows if p.employment}
    new_with_manager = []
    for row_plan in plan.rows:
        if not row_plan.set_manager:
            continue
        number = row_plan.row.line_manager
        manager_id = (in_file.get(number) or facts.current_numbers.get(number)) if number else None
        if row_plan.action == NEW or row_plan.previous is not None:
            row_plan.employment.line_manager_id = manager_id
            new_with_manager.append(row_plan.employment)
        else:
            row_plan.changes["line_manager_id"] = manager_id
    Employment.objects.bulk_update(new_with_manager, ["line_manager"], batch_size=CHUNK_SIZE)


def _update(row_plan: RowPlan, source: dict[str, Any], events: list[Event]) -> None:
    employment = row_plan.employment
    if row_plan.changes and row_plan.previous is None:
        Employment.objects.filter(pk=employment.pk).update(**row_plan.changes)
        if row_plan.action == LEAVER:
            events.append(
                (
                    "employment.ended",
                    "employment",
                    employment.pk,
                    {
                        **source,
                        "end_date": row_plan.row.end_date.isoformat(),
                        "destination": row_plan.row.destination,
                    },
                )
            )
        else:
            events.append(
                (
                    "employment.updated",
                    "employment",
                    employment.pk,
                    {**source, "fields": sorted(row_plan.changes)},
                )
            )
    if row_plan.person_changes:
        Person.objects.filter(pk=employment.person_id).update(**row_plan.person_changes)
        events.append(
            (
                "person.updated",
                "person",
                employment.person_id,
                {**source, "fields": sorted(row_plan.person_changes)},
            )
        )


def _end_missing(
    organisation: Organisation,
    employment_ids: list[int],
    source: dict[str, Any],
    events: list[Event],
) -> int:
    """End the open employments a full import left out, today (or on a future start date)."""
    today = timezone.localdate()
    ended = 0
    for start in range(0, len(employment_ids), CHUNK_SIZE):
        batch = employment_ids[start : start + CHUNK_SIZE]
        still_open = Employment.objects.filter(
            pk__in=batch, organisation=organisation, end_date__isnull=True
        )
        for pk, start_date in still_open.values_list("pk", "start_date"):
            end_date = max(today, start_date)
            ended += _end_one(pk, end_date, source, events)
    return ended


def _end_one(pk: int, end_date: dt.date, source: dict[str, Any], events: list[Event]) -> int:
    updated = Employment.objects.filter(pk=pk, end_date__isnull=True).update(
        end_date=end_date,
        destination=Destination.UNKNOWN,
        leaving_reason=MISSING_LEAVING_REASON,
    )
    if updated:
        events.append(
            (
                "employment.ended",
                "employment",
                pk,
                {
                    **source,
                    "end_date": end_date.isoformat(),
                    "destination": Destination.UNKNOWN,
                },
            )
        )
    return updated
