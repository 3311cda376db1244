"""End-point assessments: booking an attempt with an independent assessor, external assessor
accounts, and the assessor's results.

- Booking is for the provider's programme leaders (they arrange the assessment with the
  assessment organisation; the employer's L&D lead sees it). A first attempt needs the enrolment
  at gateway and the gateway passed (`gateway.check`); it moves the enrolment to IN_EPA through
  `enrolments.change_status`. A resit is a new attempt, booked once the last one failed. One
  attempt is open at a time; the attempt number is claimed by the unique (enrolment, attempt).
- The assessor is independent (`conflict`, a pure rule): nobody who currently works for the
  apprentice's employer or the provider. An assessor employed in the partnership is booked with
  that employer as `assessor_organisation`; anyone else is an external assessor (no
  organisation). `add_external_assessor` makes an account for someone new: a person with no
  employment, in the EXTERNAL_ASSESSORS group, who chooses a password from the e-mailed link and
  may sign in (`may_sign_in_without_employment`, registered with the partnership's sign-in).
- Results: the booked assessor records each method's result and the overall grade once (a
  conditional update). The rule (`grade_problem`): the overall grade is a fail when either method
  fails; when both pass, the assessor gives pass, merit or distinction by the standard's
  criteria. A passing grade completes the enrolment (`enrolments.change_status` to COMPLETED, on
  the assessment's date), which posts the levy's completion payment; a fail allows a resit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from joinedup.partnership import audit
from joinedup.partnership.access import current_employments, open_memberships
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import EmailAddress, Organisation, Person
from joinedup.partnership.services import ensure_person

from . import access, enrolments
from .models import PASSING_GRADES, EndPointAssessment, Enrolment, EnrolmentStatus, Grade

KIND = "apprenticeships.assessment"
EXTERNAL_ASSESSORS = "External end-point assessors"
LONGEST_AHEAD = dt.timedelta(days=730)
NAME_LIMIT = EndPointAssessment._meta.get_field("assessment_organisation").max_length
NOTE_LIMIT = 2000
S = EnrolmentStatus


def _refuse(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


# --- The rules (plain data in, plain data out) ----------------------------------------------------


@dataclass(frozen=True)
class Org:
    id: int
    name: str


def conflict(
    *, assessor_name: str, works_for: Iterable[Org], employer: Org, provider: Org
) -> str | None:
    """Why the assessor is not independent (they work for the apprentice's employer or the
    provider), or None when they are."""
    ids = {org.id for org in works_for}
    if employer.id in ids:
        return (
            f"{assessor_name} works for {employer.name}, the apprentice's employer: "
            "the assessor must be independent"
        )
    if provider.id in ids:
        return (
            f"{assessor_name} works for {provider.name}, the training provider: "
            "the assessor must be independent"
        )
    return None


def grade_problem(presentation: str, discussion: str, overall: str) -> dict[str, str]:
    """What is wrong with a set of results, by field (empty when they are right): every result is
    one of the grades; the overall grade is a fail exactly when either method fails."""
    problems: dict[str, str] = {}
    names = {
        "presentation_result": (presentation, "the presentation and questions"),
        "discussion_result": (discussion, "the professional discussion"),
        "overall_grade": (overall, "the overall grade"),
    }
    for field, (value, label) in names.items():
        if value not in Grade.values:
            problems[field] = f"Choose {label}: fail, pass, merit or distinction"
    if problems:
        return problems
    failed = Grade.FAIL in (presentation, discussion)
    if failed and overall != Grade.FAIL:
        problems["overall_grade"] = "A method was failed, so the overall grade is a fail"
    if not failed and overall == Grade.FAIL:
        problems["overall_grade"] = (
            "Both methods were passed, so the overall grade is pass, merit or distinction"
        )
    return problems


# --- Gateway --------------------------------------------------------------------------------------


def _gateway_check() -> Callable[[Enrolment], Any]:
    from . import gateway

    return gateway.check


def _unmet(result: Any) -> str:
    """The gateway items not met, each with why (items have `title`, `met`, `why`)."""
    items = getattr(result, "items", None) or []
    return "; ".join(
        f"{getattr(item, 'title', item)}: {getattr(item, 'why', '')}".rstrip(": ")
        for item in items
        if not getattr(item, "met", True)
    )


# --- Assessors ------------------------------------------------------------------------------------


def external_group() -> Group:
    group, _ = Group.objects.get_or_create(name=EXTERNAL_ASSESSORS)
    return group


def is_external_assessor(person: Person) -> bool:
    """Whether the person has an external assessor account."""
    return person.groups.filter(name=EXTERNAL_ASSESSORS).exists()


def may_sign_in_without_employment(person: Person) -> bool:
    """External assessors sign in with no employment (registered with the partnership)."""
    return is_external_assessor(person)


def find_person(email: str) -> Person | None:
    """The person who signs in with, or once used, this e-mail address."""
    email = (email or "").strip().lower()
    if not email:
        return None
    person = Person.objects.filter(email=email).first()
    if person is not None:
        return person
    known = EmailAddress.objects.filter(email=email).select_related("person").first()
    return known.person if known else None


def add_external_assessor(*, actor: Actor, email: str, given_name: str, family_name: str) -> Person:
    """An account for an assessor from outside the partnership: a person with no employment, in
    the external assessors' group; a new one is e-mailed a link to choose a password."""
    if not access.may_book_any_assessment(actor):
        raise ValidationError("Only a provider's programme leader adds external assessors")
    email = (email or "").strip().lower()
    if not email or "@" not in email or len(email) > 254:
        raise _refuse("assessor_email", "Enter the assessor's email address, like name@example.org")
    given_name, family_name = (given_name or "").strip(), (family_name or "").strip()
    existing = find_person(email)
    if existing is None:
        if not given_name:
            raise _refuse("given_name", "Enter the new assessor's given name")
        if not family_name:
            raise _refuse("family_name", "Enter the new assessor's family name")
        if len(given_name) > 100 or len(family_name) > 100:
            raise _refuse("family_name", "Names must be 100 characters or fewer")
    with transaction.atomic():
        person = existing or ensure_person(
            email=email, given_name=given_name, family_name=family_name
        )
        person.groups.add(external_group())
        audit.record(
            actor=actor,
            action="assessment.external_assessor_added",
            kind="person",
            object_id=person.pk,
            organisation=actor.organisation,
            changes={"person": person.pk, "new": existing is None},
        )
        if existing is None:
            _send_password_link(person)
    return person


def _send_password_link(person: Person) -> None:
    from django.contrib.auth.tokens import default_token_generator
    from django.urls import reverse
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from joinedup.partnership.notifications import notify_after_commit

    uid = urlsafe_base64_encode(force_bytes(person.pk))
    token = default_token_generator.make_token(person)
    path = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    url = settings.SITE_URL + path
    notify_after_commit([person], "apprenticeship_assessor_account", {"reset_url": url})


def assessor_employers(person: Person) -> list[Organisation]:
    """The organisations the person currently works for."""
    ids = current_employments(person).values("organisation")
    return list(Organisation.objects.filter(pk__in=ids).order_by("name", "pk"))


def independence_problem(person: Person, enrolment: Enrolment) -> str | None:
    """`conflict` for this person and enrolment (their current employers)."""
    return conflict(
        assessor_name=person.full_name,
        works_for=[Org(o.pk, o.name) for o in assessor_employers(person)],
        employer=Org(enrolment.employer_id, enrolment.employer.name),
        provider=Org(enrolment.provider_id, enrolment.provider.name),
    )


def assessor_organisation(person: Person, enrolment: Enrolment) -> Organisation | None:
    """The assessor's employer in the enrolment's partnership, or None (an external assessor)."""
    partnership = enrolment.cohort.programme.partnership_id
    members = open_memberships().filter(partnership_id=partnership).values("organisation")
    employers = current_employments(person).filter(organisation__in=members)
    found = employers.select_related("organisation").order_by("organisation__name", "pk").first()
    return found.organisation if found else None


# --- Booking --------------------------------------------------------------------------------------


def latest(enrolment: Enrolment) -> EndPointAssessment | None:
    return enrolment.assessments.order_by("-attempt").first()


def _check_attempt(enrolment: Enrolment, gateway_check) -> int:
    """The number of the attempt that may be booked now, or a refusal saying why not."""
    last = latest(enrolment)
    if last is not None and not last.overall_grade:
        raise ValidationError(
            f"Attempt {last.attempt} on {last.assessment_on:%-d %B %Y} has no result yet: "
            "a resit is booked only after a fail"
        )
    if last is not None and last.overall_grade in PASSING_GRADES:
        raise ValidationError("The apprentice has passed the end-point assessment")
    if last is None:
        if enrolment.status != S.AT_GATEWAY:
            current = S(enrolment.status).label.lower()
            raise ValidationError(
                f"The enrolment is {current}: the end-point assessment is booked at the gateway"
            )
        result = (gateway_check or _gateway_check())(enrolment)
        if not result.passed:
            unmet = _unmet(result)
            raise ValidationError(
                "The gateway has not passed yet" + (f": {unmet}" if unmet else "")
            )
        return 1
    if enrolment.status != S.IN_EPA:
        current = S(enrolment.status).label.lower()
        raise ValidationError(f"The enrolment is {current}: no resit can be booked")
    return last.attempt + 1


def book(
    *,
    actor: Actor,
    enrolment: Enrolment,
    assessor: Person,
    assessment_organisation: str,
    assessment_on: dt.date | None,
    gateway_check: Callable[[Enrolment], Any] | None = None,
) -> EndPointAssessment:
    """Book the next attempt with an independent assessor (see the module docstring).
    `gateway_check` replaces `gateway.check` (tests)."""
    if not access.may_book_assessment(actor, enrolment):
        raise ValidationError("Only the provider's programme leader books the assessment")
    name = (assessment_organisation or "").strip()
    if not name:
        raise _refuse("assessment_organisation", "Enter the assessment organisation's name")
    if len(name) > NAME_LIMIT:
        raise _refuse(
            "assessment_organisation", f"The name must be {NAME_LIMIT} characters or fewer"
        )
    today = timezone.localdate()
    if assessment_on is None:
        raise _refuse("assessment_on", "Enter the date of the assessment")
    if assessment_on < today:
        raise _refuse("assessment_on", "The date of the assessment must be today or later")
    if assessment_on > today + LONGEST_AHEAD:
        raise _refuse("assessment_on", "The date must be within two years")
    if assessor.pk == enrolment.apprentice_id:
        raise _refuse("assessor_email", "The apprentice cannot assess themself")
    problem = independence_problem(assessor, enrolment)
    if problem:
        raise _refuse("assessor_email", problem)
    attempt = _check_attempt(enrolment, gateway_check)
    organisation = assessor_organisation(assessor, enrolment)
    try:
        with transaction.atomic():
            booked = EndPointAssessment.objects.create(
                enrolment=enrolment,
                attempt=attempt,
                assessment_organisation=name,
                assessor=assessor,
                assessor_organisation=organisation,
                assessment_on=assessment_on,
                booked_by=actor.person,
            )
            if attempt == 1:
                enrolments.change_status(
                    actor=actor,
                    enrolment=enrolment,
                    status=S.IN_EPA,
                    effective_on=max(today, enrolment.status_on),
                    reason=f"End-point assessment booked for {assessment_on:%-d %B %Y}",
                )
            _record(actor, "booked", booked, {"attempt": attempt, "assessor": assessor.pk})
            _tell_assessor(booked)
    except IntegrityError as error:
        raise ValidationError(
            "Another attempt was booked at the same moment: look at the assessments again"
        ) from error
    return booked


def _record(
    actor: Actor, action: str, assessment: EndPointAssessment, changes: dict[str, Any]
) -> None:
    enrolment = assessment.enrolment
    audit.record(
        actor=actor,
        action=f"assessment.{action}",
        kind=KIND,
        object_id=assessment.pk,
        label=f"{enrolment.reference} attempt {assessment.attempt}",
        organisation=enrolment.employer,
        partnership=enrolment.cohort.programme.partnership,
        changes=changes,
    )


def _tell_assessor(assessment: EndPointAssessment) -> None:
    from django.urls import reverse

    from joinedup.partnership.notifications import notify_after_commit

    context = {
        "assessment": assessment,
        "url": settings.SITE_URL + reverse("apprenticeships:assessment", args=[assessment.pk]),
    }
    notify_after_commit([assessment.assessor], "apprenticeship_assessment_booked", context)


# --- Results --------------------------------------------------------------------------------------


def record_results(
    *,
    actor: Actor,
    assessment: EndPointAssessment,
    presentation_result: str,
    discussion_result: str,
    overall_grade: str,
    note: str = "",
) -> EndPointAssessment:
    """The booked assessor records the results, once; a passing grade completes the enrolment
    (and its levy completion payment), a fail leaves it in assessment for a resit."""
    if actor.person is None or actor.person_id != assessment.assessor_id:
        raise ValidationError("Only the booked assessor records the results")
    problems = grade_problem(presentation_result, discussion_result, overall_grade)
    if problems:
        raise ValidationError(problems)
    note = (note or "").strip()
    if len(note) > NOTE_LIMIT:
        raise _refuse("result_note", f"The note must be {NOTE_LIMIT} characters or fewer")
    if timezone.localdate() < assessment.assessment_on:
        raise ValidationError(
            f"The assessment is on {assessment.assessment_on:%-d %B %Y}: record the results "
            "on or after that day"
        )
    enrolment = assessment.enrolment
    if enrolment.status != S.IN_EPA:
        current = S(enrolment.status).label.lower()
        raise ValidationError(f"The enrolment is {current}: no results can be recorded")
    now = timezone.now()
    with transaction.atomic():
        claimed = EndPointAssessment.objects.filter(
            pk=assessment.pk, assessor=actor.person, overall_grade=""
        ).update(
            presentation_result=presentation_result,
            discussion_result=discussion_result,
            overall_grade=overall_grade,
            result_note=note,
            recorded_by=actor.person,
            recorded_at=now,
        )
        if claimed != 1:
            raise ValidationError("The results of this assessment have already been recorded")
        assessment.refresh_from_db()
        _record(
            actor,
            "results_recorded",
            assessment,
            {
                "presentation": presentation_result,
                "discussion": discussion_result,
                "overall": overall_grade,
            },
        )
        if overall_grade in PASSING_GRADES:
            enrolments.change_status(
                actor=actor,
                enrolment=enrolment,
                status=S.COMPLETED,
                effective_on=max(assessment.assessment_on, enrolment.status_on),
                reason=f"Passed the end-point assessment: {Grade(overall_grade).label.lower()}",
                assessment=assessment,
            )
    return assessment
