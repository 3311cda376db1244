"""Applications to opportunities: a person applies with a statement; the host shortlists,
interviews (free-text notes), offers or declines with a reason; the applicant accepts an offer
or withdraws at any time.

Rules decided here:
- who may apply: a person acting for a partnership member organisation the opportunity's
  audience includes, while it is open and on or before its closing date, whose seniority (when
  known) is in the opportunity's range or one step either side (a stretch); never the host's own
  staff, since the scheme is about moving between employers;
- one live application per person per opportunity (a database constraint backs it);
- accepting an offer fills the opportunity (it has no number of places, so one offer accepted
  fills it); withdrawing an accepted application opens it again, or closes it once its closing
  date has passed.

Each write is one transaction with one audit entry; the other side is told by e-mail.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from joinedup.partnership import audit, notifications
from joinedup.partnership.access import current_employments, partner_organisations
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import Employment, Person

from . import access
from .models import (
    LIVE_APPLICATION,
    Application,
    ApplicationStatus,
    Audience,
    Opportunity,
    OpportunityStatus,
)

STATEMENT_LIMIT = 5_000
NOTES_LIMIT = 10_000
REASON_LIMIT = 500

# Which statuses each host action moves an application from.
SHORTLIST_FROM = (ApplicationStatus.APPLIED,)
INTERVIEW_FROM = (ApplicationStatus.SHORTLISTED, ApplicationStatus.INTERVIEWED)
OFFER_FROM = (
    ApplicationStatus.APPLIED,
    ApplicationStatus.SHORTLISTED,
    ApplicationStatus.INTERVIEWED,
)
DECLINE_FROM = (*OFFER_FROM, ApplicationStatus.OFFERED)


def _text(value: object, field: str, label: str, limit: int, *, required: str) -> str:
    text = str(value if value is not None else "").strip()
    if "\x00" in text:
        raise ValidationError({field: f"{label} must not contain NUL characters"})
    if len(text) > limit:
        raise ValidationError({field: f"{label} must be {limit:,} characters or fewer"})
    if not text:
        raise ValidationError({field: required})
    return text


def home_employment(actor: Actor) -> Employment | None:
    """The applicant's current job at the organisation they act for (their latest)."""
    if actor.person is None or actor.organisation is None:
        return None
    return (
        current_employments(actor.person)
        .filter(organisation=actor.organisation)
        .order_by("-start_date", "-pk")
        .first()
    )


def refusal_to_apply(actor: Actor, opportunity: Opportunity) -> str | None:
    """Why the actor may not apply to the opportunity, or None when they may."""
    if actor.person is None or actor.organisation is None:
        return "Only a person acting for an organisation may apply"
    if opportunity.status != OpportunityStatus.OPEN:
        label = OpportunityStatus(opportunity.status).label.lower()
        return f"This opportunity is {label}: it is not taking applications"
    if opportunity.closes_on < timezone.localdate():
        return "This opportunity closed for applications on " + (
            f"{opportunity.closes_on:%-d %B %Y}"
        )
    if opportunity.host_id == actor.organisation.pk:
        return "Your own organisation hosts this opportunity: it is for staff of other employers"
    if not partner_organisations(actor).filter(pk=opportunity.host_id).exists():
        return "This opportunity is for another partnership"
    if not is_in_audience(actor, opportunity):
        return "This opportunity is open only to " + audience_text(opportunity)
    return None


def is_in_audience(actor: Actor, opportunity: Opportunity) -> bool:
    """Whether the acting organisation is among those the opportunity is open to."""
    organisation = actor.organisation
    if organisation is None:
        return False
    if opportunity.audience == Audience.ORGANISATIONS:
        return opportunity.audience_organisations.filter(pk=organisation.pk).exists()
    if opportunity.audience == Audience.SECTORS:
        return organisation.sector in opportunity.audience_sectors
    return True


def audience_text(opportunity: Opportunity) -> str:
    """Who may apply, in words."""
    if opportunity.audience == Audience.ORGANISATIONS:
        names = opportunity.audience_organisations.order_by("name").values_list("name", flat=True)
        return "staff of " + ", ".join(names)
    if opportunity.audience == Audience.SECTORS:
        from joinedup.partnership.models import Sector

        return (
            "staff in the "
            + ", ".join(Sector(s).label.lower() for s in opportunity.audience_sectors)
            + " sector"
        )
    return "staff across the whole partnership"


def _seniority_refusal(employment: Employment | None, opportunity: Opportunity) -> str | None:
    seniority = employment.seniority if employment is not None else None
    if seniority is None:
        return None
    if opportunity.seniority_min - 1 <= seniority <= opportunity.seniority_max + 1:
        return None
    return (
        f"This opportunity is for seniority {opportunity.seniority_min} to "
        f"{opportunity.seniority_max}; yours is {seniority}"
    )


def _record(actor: Actor, application: Application, action: str, **changes) -> None:
    audit.record(
        actor=actor,
        action=f"application.{action}",
        kind="application",
        object_id=application.pk,
        label=application.opportunity.title,
        organisation=application.opportunity.host,
        partnership=application.opportunity.partnership,
        changes={"opportunity": application.opportunity_id, **changes},
    )


def _tell(person: Person | None, template: str, application: Application) -> None:
    if person is None or not person.email:
        return
    notifications.notify_after_commit(
        [person], template, {"application": application, "opportunity": application.opportunity}
    )


def _host_contact(opportunity: Opportunity) -> Person | None:
    return opportunity.contact or opportunity.created_by


def apply(*, actor: Actor, opportunity: Opportunity, statement: str) -> Application:
    """The person applies to an open opportunity they are eligible for, with a statement."""
    refusal = refusal_to_apply(actor, opportunity)
    if refusal is not None:
        raise ValidationError(refusal)
    text = _text(
        statement,
        "statement",
        "Statement",
        STATEMENT_LIMIT,
        required="Enter a statement saying why you are applying",
    )
    employment = home_employment(actor)
    refusal = _seniority_refusal(employment, opportunity)
    if refusal is not None:
        raise ValidationError(refusal)
    try:
        with transaction.atomic():
            application = Application.objects.create(
                opportunity=opportunity,
                applicant=actor.person,
                home_organisation=actor.organisation,
                home_employment=employment,
                statement=text,
            )
            _record(actor, application, "applied")
            _tell(_host_contact(opportunity), "talent_application_received", application)
    except IntegrityError as error:
        raise ValidationError("You have already applied to this opportunity") from error
    return application


def _move(
    actor: Actor,
    application: Application,
    allowed: tuple[str, ...],
    status: str,
    action: str,
    **fields: str,
) -> Application:
    now = timezone.now()
    with transaction.atomic():
        moved = Application.objects.filter(pk=application.pk, status__in=allowed).update(
            status=status, updated_at=now, **fields
        )
        if not moved:
            current = Application.objects.filter(pk=application.pk).values_list("status", flat=True)
            label = ApplicationStatus(current.first() or application.status).label.lower()
            raise ValidationError(f"This application is {label}: it cannot be {action} now")
        application.status = status
        application.updated_at = now
        for field, value in fields.items():
            setattr(application, field, value)
        _record(actor, application, action, status=status)
    return application


def _host(actor: Actor, application: Application) -> None:
    if not access.may_decide_application(actor, application):
        raise PermissionDenied


def shortlist(*, actor: Actor, application: Application) -> Application:
    """The host shortlists a new application."""
    _host(actor, application)
    return _move(actor, application, SHORTLIST_FROM, ApplicationStatus.SHORTLISTED, "shortlisted")


def record_interview(*, actor: Actor, application: Application, notes: str) -> Application:
    """The host records an interview of a shortlisted applicant (notes replace earlier ones)."""
    _host(actor, application)
    text = _text(
        notes, "interview_notes", "Interview notes", NOTES_LIMIT, required="Enter interview notes"
    )
    return _move(
        actor,
        application,
        INTERVIEW_FROM,
        ApplicationStatus.INTERVIEWED,
        "interviewed",
        interview_notes=text,
    )


def offer(*, actor: Actor, application: Application) -> Application:
    """The host offers the opportunity to the applicant, who is told by e-mail."""
    _host(actor, application)
    with transaction.atomic():
        _move(actor, application, OFFER_FROM, ApplicationStatus.OFFERED, "offered")
        _tell(application.applicant, "talent_application_offered", application)
    return application


def decline(*, actor: Actor, application: Application, reason: str) -> Application:
    """The host declines an application with a reason the applicant reads."""
    _host(actor, application)
    text = _text(
        reason,
        "decline_reason",
        "Reason",
        REASON_LIMIT,
        required="Enter the reason for declining",
    )
    with transaction.atomic():
        _move(
            actor,
            application,
            DECLINE_FROM,
            ApplicationStatus.DECLINED,
            "declined",
            decline_reason=text,
        )
        _tell(application.applicant, "talent_application_declined", application)
    return application


def _mine(actor: Actor, application: Application) -> None:
    if actor.person is None or application.applicant_id != actor.person.pk:
        raise PermissionDenied


def accept(*, actor: Actor, application: Application) -> Application:
    """The applicant accepts an offer: the application is accepted and the opportunity filled."""
    _mine(actor, application)
    with transaction.atomic():
        _move(
            actor, application, (ApplicationStatus.OFFERED,), ApplicationStatus.ACCEPTED, "accepted"
        )
        opportunity = application.opportunity
        Opportunity.objects.filter(
            pk=opportunity.pk, status__in=(OpportunityStatus.OPEN, OpportunityStatus.CLOSED)
        ).update(status=OpportunityStatus.FILLED)
        opportunity.refresh_from_db(fields=["status"])
        _tell(_host_contact(opportunity), "talent_application_accepted", application)
    return application


def withdraw(*, actor: Actor, application: Application) -> Application:
    """The applicant withdraws a live application at any stage, even after accepting."""
    _mine(actor, application)
    with transaction.atomic():
        was = Application.objects.filter(pk=application.pk).values_list("status", flat=True)
        was_accepted = was.first() == ApplicationStatus.ACCEPTED
        _move(actor, application, LIVE_APPLICATION, ApplicationStatus.WITHDRAWN, "withdrawn")
        opportunity = application.opportunity
        if was_accepted:
            still_open = opportunity.closes_on >= timezone.localdate()
            Opportunity.objects.filter(pk=opportunity.pk, status=OpportunityStatus.FILLED).update(
                status=OpportunityStatus.OPEN if still_open else OpportunityStatus.CLOSED
            )
            opportunity.refresh_from_db(fields=["status"])
        _tell(_host_contact(opportunity), "talent_application_withdrawn", application)
    return application


def next_steps(actor: Actor, application: Application) -> dict[str, bool]:
    """Which actions the actor may take on the application now (for pages and the API)."""
    host = access.may_decide_application(actor, application)
    mine = actor.person is not None and application.applicant_id == actor.person.pk
    status = application.status
    return {
        "shortlist": host and status in SHORTLIST_FROM,
        "interview": host and status in INTERVIEW_FROM,
        "offer": host and status in OFFER_FROM,
        "decline": host and status in DECLINE_FROM,
        "accept": mine and status == ApplicationStatus.OFFERED,
        "withdraw": mine and status in LIVE_APPLICATION,
    }
