"""Programmes and cohorts: a provider's programme for one standard, its modules in order with
their assignments and weightings, its programme leaders and practice tutors, and its cohorts with
a date for each module and each assignment's deadline.

Every write is one transaction with one audit entry. A bad value is refused with a
ValidationError keyed by the field's name; a refusal of the whole change (removing a module of a
programme with apprentices enrolled) is a plain ValidationError. The caller has fetched the
programme, module or cohort through `access` (only the provider's programme leaders manage them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone

from joinedup.partnership import audit
from joinedup.partnership.access import acting_partnerships, find_current_staff
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import Partnership, Person

from . import access, module_spaces
from .models import (
    Assignment,
    Cohort,
    CohortDeadline,
    CohortModule,
    Enrolment,
    Module,
    Programme,
    ProgrammeRole,
    ProgrammeStaff,
    Standard,
    Term,
)

TITLE_MAX = 200
SUMMARY_MAX = 5_000
BRIEF_MAX = 5_000
NAME_MAX = 100
MAX_ONLINE_WEEKS = 52
MAX_CAMPUS_DAYS = 30
# Orders are swapped through this offset so the one-module-per-place constraint always holds.
_SHUFFLE = 10_000


# --- Checking values ---------------------------------------------------------------------------


def _text(value: Any, field: str, label: str, limit: int, *, required: bool = True) -> str:
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise ValidationError({field: f"Enter the {label}"})
    if len(text) > limit:
        raise ValidationError(
            {field: f"{label.capitalize()} must be {limit:,} characters or fewer"}
        )
    return text


def _whole(value: Any, field: str, label: str, least: int, most: int) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationError({field: f"{label.capitalize()} must be a whole number"}) from None
    if not least <= number <= most:
        raise ValidationError({field: f"{label.capitalize()} must be between {least} and {most}"})
    return number


def _date(value: Any, field: str, label: str) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationError({field: f"Enter the {label} as a real date"}) from None


def find_standard(value: Standard | str | None) -> Standard:
    """A standard by its reference code (ST0480) or its exact title."""
    if isinstance(value, Standard):
        return value
    wanted = "" if value is None else str(value).strip()
    if not wanted:
        raise ValidationError({"standard": "Enter the standard's reference code or title"})
    found = Standard.objects.filter(
        Q(reference_code__iexact=wanted) | Q(title__iexact=wanted)
    ).first()
    if found is None:
        raise ValidationError(
            {
                "standard": f"No standard has the code or title {wanted[:60]!r}: check the list of "
                "standards"
            }
        )
    return found


def _term(value: Any) -> str:
    if value not in Term.values:
        raise ValidationError({"term": "Choose the term: autumn, spring or summer"})
    return str(value)


def _enrolled(programme: Programme) -> int:
    return Enrolment.objects.filter(cohort__programme=programme).count()


# --- Programmes ----------------------------------------------------------------------------------


def _partnership_for(actor: Actor, partnership: Partnership | None) -> Partnership:
    """The programme's partnership: one of the acting organisation's (the only one if none is
    chosen)."""
    mine = list(acting_partnerships(actor))
    if partnership is not None:
        if partnership.pk not in {p.pk for p in mine}:
            raise ValidationError({"partnership": "Choose one of your partnerships"})
        return partnership
    if len(mine) != 1:
        raise ValidationError({"partnership": "Choose the partnership the programme is for"})
    return mine[0]


@transaction.atomic
def create_programme(
    *,
    actor: Actor,
    standard: Standard | str,
    title: str,
    summary: str = "",
    partnership: Partnership | None = None,
) -> Programme:
    """A new programme provided by the acting organisation (its programme leaders only)."""
    if not access.may_run_programmes(actor):
        raise PermissionDenied
    values = {
        "standard": find_standard(standard),
        "title": _text(title, "title", "title", TITLE_MAX),
        "summary": _text(summary, "summary", "summary", SUMMARY_MAX, required=False),
    }
    programme = Programme.objects.create(
        partnership=_partnership_for(actor, partnership),
        provider=actor.organisation,
        created_by=actor.person,
        **values,
    )
    audit.record(
        actor=actor,
        action="apprenticeships.programme.created",
        kind="apprenticeships.programme",
        object_id=programme.pk,
        label=programme.title,
        organisation=programme.provider,
        partnership=programme.partnership,
        changes={"standard": programme.standard.reference_code},
    )
    return programme


@transaction.atomic
def change_programme(
    *, actor: Actor, programme: Programme, standard: Standard | str, title: str, summary: str = ""
) -> list[str]:
    """Change a programme's standard, title and summary; the names of the fields changed."""
    values = {
        "standard": find_standard(standard),
        "title": _text(title, "title", "title", TITLE_MAX),
        "summary": _text(summary, "summary", "summary", SUMMARY_MAX, required=False),
    }
    if values["standard"].pk != programme.standard_id and _enrolled(programme):
        raise ValidationError(
            {"standard": "The standard cannot change: apprentices are enrolled on this programme"}
        )
    changed = [name for name, value in values.items() if getattr(programme, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(programme, name, values[name])
    programme.save(update_fields=changed)
    audit.record(
        actor=actor,
        action="apprenticeships.programme.changed",
        kind="apprenticeships.programme",
        object_id=programme.pk,
        label=programme.title,
        organisation=programme.provider,
        partnership=programme.partnership,
        changes={"fields": changed},
    )
    return changed


# --- Modules -------------------------------------------------------------------------------------


def _module_values(title: Any, online_weeks: Any, campus_days: Any, term: Any) -> dict:
    return {
        "title": _text(title, "title", "title", TITLE_MAX),
        "online_weeks": _whole(online_weeks, "online_weeks", "online weeks", 0, MAX_ONLINE_WEEKS),
        "campus_days": _whole(campus_days, "campus_days", "campus days", 0, MAX_CAMPUS_DAYS),
        "term": _term(term),
    }


def _audit_module(actor: Actor, action: str, module: Module, changes: dict) -> None:
    programme = module.programme
    audit.record(
        actor=actor,
        action=f"apprenticeships.module.{action}",
        kind="apprenticeships.module",
        object_id=module.pk,
        label=f"{programme.title}: {module.title}",
        organisation=programme.provider,
        partnership=programme.partnership,
        changes={"programme": programme.pk, **changes},
    )


@transaction.atomic
def add_module(
    *,
    actor: Actor,
    programme: Programme,
    title: str,
    online_weeks: int,
    campus_days: int,
    term: str,
) -> Module:
    """A module at the end of the programme."""
    values = _module_values(title, online_weeks, campus_days, term)
    last = programme.modules.aggregate(last=Max("order"))["last"] or 0
    module = Module.objects.create(programme=programme, order=last + 1, **values)
    _audit_module(actor, "added", module, {"order": module.order})
    return module


@transaction.atomic
def change_module(
    *,
    actor: Actor,
    module: Module,
    title: str,
    online_weeks: int,
    campus_days: int,
    term: str,
) -> list[str]:
    """Change a module's title, weeks online, days on campus and term."""
    values = _module_values(title, online_weeks, campus_days, term)
    changed = [name for name, value in values.items() if getattr(module, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(module, name, values[name])
    module.save(update_fields=changed)
    _audit_module(actor, "changed", module, {"fields": changed})
    return changed


def _renumber(programme: Programme, ids: Sequence[int]) -> None:
    """Give the modules `ids` the orders 1, 2, 3 ... in two steps (never two in one place)."""
    modules = {module.pk: module for module in programme.modules.all()}
    for module in modules.values():
        module.order += _SHUFFLE
    Module.objects.bulk_update(modules.values(), ["order"])
    for place, pk in enumerate(ids, start=1):
        modules[pk].order = place
    Module.objects.bulk_update(modules.values(), ["order"])


@transaction.atomic
def reorder_modules(*, actor: Actor, programme: Programme, module_ids: Sequence[int]) -> None:
    """Put every module of the programme in the order given (each named once)."""
    current = list(programme.modules.values_list("pk", flat=True))
    wanted = [int(pk) for pk in module_ids]
    if sorted(wanted) != sorted(current) or len(set(wanted)) != len(wanted):
        raise ValidationError({"modules": "Name every module of the programme once, in order"})
    _renumber(programme, wanted)
    audit.record(
        actor=actor,
        action="apprenticeships.module.reordered",
        kind="apprenticeships.programme",
        object_id=programme.pk,
        label=programme.title,
        organisation=programme.provider,
        partnership=programme.partnership,
        changes={"modules": wanted},
    )


@transaction.atomic
def move_module(*, actor: Actor, module: Module, up: bool) -> bool:
    """Swap a module with the one before (up) or after it; False when it is already first or
    last."""
    programme = module.programme
    ids = list(programme.modules.order_by("order").values_list("pk", flat=True))
    place = ids.index(module.pk)
    other = place - 1 if up else place + 1
    if not 0 <= other < len(ids):
        return False
    ids[place], ids[other] = ids[other], ids[place]
    reorder_modules(actor=actor, programme=programme, module_ids=ids)
    return True


def module_removal_refusal(module: Module) -> str | None:
    """Why a module may not be removed (apprentices are enrolled on the programme), or None."""
    enrolled = _enrolled(module.programme)
    if not enrolled:
        return None
    return (
        f"{module.title} cannot be removed: {enrolled} "
        f"{'apprentice is' if enrolled == 1 else 'apprentices are'} enrolled on cohorts of this "
        "programme, whose training plans include it"
    )


@transaction.atomic
def remove_module(*, actor: Actor, module: Module) -> None:
    """Remove a module with its assignments and cohort dates, closing the gap in the order;
    refused once apprentices are enrolled on the programme."""
    refusal = module_removal_refusal(module)
    if refusal:
        raise ValidationError(refusal)
    programme = module.programme
    _audit_module(actor, "removed", module, {"order": module.order})
    module.delete()
    _renumber(programme, list(programme.modules.order_by("order").values_list("pk", flat=True)))


# --- Assignments ---------------------------------------------------------------------------------


def _assignment_values(title: Any, brief: Any, weighting: Any) -> dict:
    return {
        "title": _text(title, "title", "title", TITLE_MAX),
        "brief": _text(brief, "brief", "brief", BRIEF_MAX, required=False),
        "weighting": _whole(weighting, "weighting", "weighting", 1, 100),
    }


def _audit_assignment(actor: Actor, action: str, assignment: Assignment, changes: dict) -> None:
    programme = assignment.module.programme
    audit.record(
        actor=actor,
        action=f"apprenticeships.assignment.{action}",
        kind="apprenticeships.assignment",
        object_id=assignment.pk,
        label=f"{assignment.module.title}: {assignment.title}",
        organisation=programme.provider,
        partnership=programme.partnership,
        changes={"module": assignment.module_id, **changes},
    )


def weighting_total(module: Module) -> int:
    """The sum of the module's assignments' weightings."""
    return module.assignments.aggregate(total=Sum("weighting"))["total"] or 0


def weighting_warning(module: Module, total: int | None = None) -> str | None:
    """A plain sentence when a module's weightings do not add up to 100, else None."""
    total = weighting_total(module) if total is None else total
    if total == 100:
        return None
    if total == 0:
        return f"{module.title} has no assignments yet: its weightings must add up to 100%"
    return (
        f"The weightings of {module.title}'s assignments add up to {total}%, not 100%: "
        f"{'add' if total < 100 else 'take away'} {abs(100 - total)}%"
    )


@transaction.atomic
def add_assignment(
    *, actor: Actor, module: Module, title: str, brief: str = "", weighting: int
) -> Assignment:
    """An assignment of a module, with its percent of the module's mark."""
    values = _assignment_values(title, brief, weighting)
    assignment = Assignment.objects.create(module=module, **values)
    _audit_assignment(actor, "added", assignment, {"weighting": assignment.weighting})
    return assignment


@transaction.atomic
def change_assignment(
    *, actor: Actor, assignment: Assignment, title: str, brief: str = "", weighting: int
) -> list[str]:
    """Change an assignment's title, brief and weighting."""
    values = _assignment_values(title, brief, weighting)
    changed = [name for name, value in values.items() if getattr(assignment, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(assignment, name, values[name])
    assignment.save(update_fields=changed)
    _audit_assignment(actor, "changed", assignment, {"fields": changed})
    return changed


@transaction.atomic
def remove_assignment(*, actor: Actor, assignment: Assignment) -> None:
    """Remove an assignment and its cohort deadlines; refused once apprentices are enrolled."""
    enrolled = _enrolled(assignment.module.programme)
    if enrolled:
        raise ValidationError(
            f"{assignment.title} cannot be removed: apprentices are enrolled on this programme. "
            "Change its brief or weighting instead"
        )
    _audit_assignment(actor, "removed", assignment, {})
    assignment.delete()


# --- Staff ---------------------------------------------------------------------------------------


def _role(value: Any) -> str:
    if value not in ProgrammeRole.values:
        raise ValidationError({"role": "Choose programme leader or practice tutor"})
    return str(value)


@transaction.atomic
def name_staff(*, actor: Actor, programme: Programme, email: str, role: str) -> ProgrammeStaff:
    """Name a current member of the provider's staff, found by work e-mail, as a programme leader
    or practice tutor."""
    role = _role(role)
    wanted = "" if email is None else str(email).strip()
    if not wanted:
        raise ValidationError({"email": "Enter their work email address"})
    if "@" not in wanted or len(wanted) > 254:
        raise ValidationError({"email": "Enter an email address like name@example.org"})
    employment = find_current_staff(programme.provider, wanted)
    if employment is None:
        raise ValidationError(
            {
                "email": f"No one currently working at {programme.provider.name} has this email "
                "address"
            }
        )
    person = employment.person
    label = ProgrammeRole(role).label.lower()
    if ProgrammeStaff.objects.filter(programme=programme, person=person, role=role).exists():
        raise ValidationError({"email": f"{person.full_name} is already a {label} here"})
    named = ProgrammeStaff.objects.create(programme=programme, person=person, role=role)
    audit.record(
        actor=actor,
        action="apprenticeships.programme_staff.named",
        kind="apprenticeships.programme_staff",
        object_id=named.pk,
        label=f"{programme.title}: {label}",
        organisation=programme.provider,
        partnership=programme.partnership,
        changes={"programme": programme.pk, "person": person.pk, "role": role},
    )
    if role == ProgrammeRole.LEADER:
        module_spaces.sync_programme(programme)
    return named


@transaction.atomic
def remove_staff(*, actor: Actor, staff: ProgrammeStaff) -> None:
    """No longer name someone on the programme (their enrolments keep their tutor)."""
    programme = staff.programme
    audit.record(
        actor=actor,
        action="apprenticeships.programme_staff.removed",
        kind="apprenticeships.programme_staff",
        object_id=staff.pk,
        label=f"{programme.title}: {staff.get_role_display().lower()}",
        organisation=programme.provider,
        partnership=programme.partnership,
        changes={"programme": programme.pk, "person": staff.person_id, "role": staff.role},
    )
    staff.delete()
    if staff.role == ProgrammeRole.LEADER:
        module_spaces.sync_programme(programme)


def staff_of(programme: Programme) -> list[tuple[ProgrammeStaff, Person]]:
    """The programme's leaders then tutors, with their people."""
    found = programme.staff.select_related("person").order_by(
        "role", "person__family_name", "person__given_name", "pk"
    )
    return [(staff, staff.person) for staff in found]


# --- Cohorts -------------------------------------------------------------------------------------


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _within(day: dt.date, starts: dt.date, ends: dt.date) -> bool:
    return starts <= day <= ends


def _cohort_dates(
    programme: Programme,
    starts_on: dt.date,
    ends_on: dt.date,
    module_starts: Mapping[int, Any],
    campus_from: Mapping[int, Any],
    deadlines: Mapping[int, Any],
) -> tuple[dict[int, tuple[dt.date, dt.date | None]], dict[int, dt.date]]:
    """Check a date for every module (and its optional first campus day) and every assignment's
    deadline, each within the cohort's dates; refusals name the module or assignment."""
    modules = list(programme.modules.order_by("order"))
    assignments = list(
        Assignment.objects.filter(module__programme=programme).order_by("module__order", "pk")
    )
    errors: dict[str, list[str]] = {}
    span = f"{_day(starts_on)} and {_day(ends_on)}"
    found_modules: dict[int, tuple[dt.date, dt.date | None]] = {}
    for module in modules:
        field = f"module_{module.pk}"
        raw = module_starts.get(module.pk)
        if raw in (None, ""):
            errors.setdefault(field, []).append(f"Enter the date module {module.order} starts")
            continue
        try:
            starts = _date(raw, field, f"start of module {module.order}")
        except ValidationError as error:
            errors.setdefault(field, []).extend(error.message_dict[field])
            continue
        if not _within(starts, starts_on, ends_on):
            errors.setdefault(field, []).append(
                f"Module {module.order} ({module.title}) must start between {span}"
            )
        campus = campus_from.get(module.pk)
        campus_day = None
        if campus not in (None, ""):
            campus_field = f"campus_{module.pk}"
            try:
                campus_day = _date(campus, campus_field, f"campus days of module {module.order}")
            except ValidationError as error:
                errors.setdefault(campus_field, []).extend(error.message_dict[campus_field])
            else:
                if campus_day < starts or campus_day > ends_on:
                    errors.setdefault(campus_field, []).append(
                        f"Module {module.order}'s campus days must fall after it starts and "
                        "before the cohort ends"
                    )
        found_modules[module.pk] = (starts, campus_day)
    found_deadlines: dict[int, dt.date] = {}
    for assignment in assignments:
        field = f"deadline_{assignment.pk}"
        raw = deadlines.get(assignment.pk)
        if raw in (None, ""):
            errors.setdefault(field, []).append(f"Enter the deadline for {assignment.title}")
            continue
        try:
            due = _date(raw, field, f"deadline for {assignment.title}")
        except ValidationError as error:
            errors.setdefault(field, []).extend(error.message_dict[field])
            continue
        if not _within(due, starts_on, ends_on):
            errors.setdefault(field, []).append(
                f"The deadline for {assignment.title} must be between {span}"
            )
        module_start = found_modules.get(assignment.module_id, (None, None))[0]
        if module_start is not None and due < module_start:
            errors.setdefault(field, []).append(
                f"The deadline for {assignment.title} must not be before its module starts"
            )
        found_deadlines[assignment.pk] = due
    if errors:
        raise ValidationError(errors)
    return found_modules, found_deadlines


def _cohort_values(name: Any, starts_on: Any, ends_on: Any) -> dict:
    values = {
        "name": _text(name, "name", "name", NAME_MAX),
        "starts_on": _date(starts_on, "starts_on", "start date"),
        "ends_on": _date(ends_on, "ends_on", "planned end date"),
    }
    if values["ends_on"] <= values["starts_on"]:
        raise ValidationError({"ends_on": "The planned end date must be after the start date"})
    return values


def _save_dates(
    cohort: Cohort,
    modules: dict[int, tuple[dt.date, dt.date | None]],
    deadlines: dict[int, dt.date],
) -> None:
    cohort.module_dates.all().delete()
    cohort.deadlines.all().delete()
    CohortModule.objects.bulk_create(
        CohortModule(cohort=cohort, module_id=pk, starts_on=starts, campus_from=campus)
        for pk, (starts, campus) in modules.items()
    )
    CohortDeadline.objects.bulk_create(
        CohortDeadline(cohort=cohort, assignment_id=pk, due_on=due) for pk, due in deadlines.items()
    )


@transaction.atomic
def create_cohort(
    *,
    actor: Actor,
    programme: Programme,
    name: str,
    starts_on: dt.date,
    ends_on: dt.date,
    module_starts: Mapping[int, Any],
    deadlines: Mapping[int, Any],
    campus_from: Mapping[int, Any] | None = None,
) -> Cohort:
    """A new intake with a date for every module and every assignment's deadline (mappings keyed
    by module and assignment id), all within its dates."""
    values = _cohort_values(name, starts_on, ends_on)
    modules, due = _cohort_dates(
        programme,
        values["starts_on"],
        values["ends_on"],
        module_starts,
        campus_from or {},
        deadlines,
    )
    cohort = Cohort.objects.create(programme=programme, **values)
    _save_dates(cohort, modules, due)
    audit.record(
        actor=actor,
        action="apprenticeships.cohort.created",
        kind="apprenticeships.cohort",
        object_id=cohort.pk,
        label=str(cohort),
        organisation=programme.provider,
        partnership=programme.partnership,
        changes={
            "programme": programme.pk,
            "starts_on": values["starts_on"].isoformat(),
            "ends_on": values["ends_on"].isoformat(),
        },
    )
    return cohort


@transaction.atomic
def change_cohort(
    *,
    actor: Actor,
    cohort: Cohort,
    name: str,
    starts_on: dt.date,
    ends_on: dt.date,
    module_starts: Mapping[int, Any],
    deadlines: Mapping[int, Any],
    campus_from: Mapping[int, Any] | None = None,
) -> None:
    """Change a cohort's name, dates, module dates and deadlines (all given again)."""
    values = _cohort_values(name, starts_on, ends_on)
    modules, due = _cohort_dates(
        cohort.programme,
        values["starts_on"],
        values["ends_on"],
        module_starts,
        campus_from or {},
        deadlines,
    )
    for field, value in values.items():
        setattr(cohort, field, value)
    cohort.save(update_fields=list(values))
    _save_dates(cohort, modules, due)
    audit.record(
        actor=actor,
        action="apprenticeships.cohort.changed",
        kind="apprenticeships.cohort",
        object_id=cohort.pk,
        label=str(cohort),
        organisation=cohort.programme.provider,
        partnership=cohort.programme.partnership,
        changes={
            "starts_on": values["starts_on"].isoformat(),
            "ends_on": values["ends_on"].isoformat(),
        },
    )


def cohort_removal_refusal(cohort: Cohort) -> str | None:
    """Why a cohort may not be removed (apprentices are enrolled on it), or None."""
    enrolled = cohort.enrolments.count()
    if not enrolled:
        return None
    return (
        f"{cohort.name} cannot be removed: {enrolled} "
        f"{'apprentice is' if enrolled == 1 else 'apprentices are'} enrolled on it"
    )


@transaction.atomic
def remove_cohort(*, actor: Actor, cohort: Cohort) -> None:
    """Remove a cohort with its dates; refused when apprentices are enrolled on it."""
    refusal = cohort_removal_refusal(cohort)
    if refusal:
        raise ValidationError(refusal)
    programme = cohort.programme
    audit.record(
        actor=actor,
        action="apprenticeships.cohort.removed",
        kind="apprenticeships.cohort",
        object_id=cohort.pk,
        label=str(cohort),
        organisation=programme.provider,
        partnership=programme.partnership,
        changes={"programme": programme.pk},
    )
    cohort.delete()


def with_next_cohort(programmes: QuerySet[Programme]) -> QuerySet[Programme]:
    """The programmes with their next cohort to start (today or later) annotated: its id, name
    and start date, for the programme lists of the pages and the API."""
    upcoming = Cohort.objects.filter(
        programme=OuterRef("pk"), starts_on__gte=timezone.localdate()
    ).order_by("starts_on", "pk")
    return programmes.select_related("provider", "standard").annotate(
        next_cohort_id=Subquery(upcoming.values("pk")[:1]),
        next_cohort_name=Subquery(upcoming.values("name")[:1]),
        next_cohort_starts=Subquery(upcoming.values("starts_on")[:1]),
    )
