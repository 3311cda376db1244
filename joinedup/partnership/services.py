"""Every write to partnerships, organisations, people, employments and roles.

Each service runs in one transaction and writes one audit entry per change of state.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import access, audit
from .actor import Actor
from .models import (
    ApiToken,
    Destination,
    EmailAddress,
    Employment,
    EmploymentKind,
    Grade,
    Invitation,
    Membership,
    NotificationPreference,
    Organisation,
    OrganisationKind,
    OrganisationRole,
    OrganisationRoleGrant,
    Partnership,
    PartnershipRole,
    PartnershipRoleGrant,
    Person,
    RechargeEntry,
    official_code_problem,
)


def hash_token(raw: str) -> str:
    """Tokens are stored only as their SHA-256."""
    return hashlib.sha256(raw.encode()).hexdigest()


def _require(condition: bool) -> None:
    if not condition:
        raise PermissionDenied


@transaction.atomic
def create_partnership(
    *,
    name: str,
    description: str = "",
    region: str = "",
    lead_email: str,
    lead_given_name: str,
    lead_family_name: str,
    lead_organisation: Organisation,
    lead_job_title: str = "Partnership lead",
    lead_password: str | None = None,
) -> Partnership:
    """Set up a partnership, its first member organisation and its first partnership lead."""
    partnership = Partnership.objects.create(name=name, description=description, region=region)
    Membership.objects.get_or_create(
        partnership=partnership, organisation=lead_organisation, left_on=None
    )
    lead = ensure_person(email=lead_email, given_name=lead_given_name, family_name=lead_family_name)
    if lead_password:
        lead.set_password(lead_password)
        lead.save(update_fields=["password"])
    if (
        not Employment.objects.current()
        .filter(person=lead, organisation=lead_organisation)
        .exists()
    ):
        Employment.objects.create(
            person=lead,
            organisation=lead_organisation,
            job_title=lead_job_title,
            work_email=lead.email,
            start_date=timezone.localdate(),
        )
    PartnershipRoleGrant.objects.get_or_create(
        person=lead, partnership=partnership, role=PartnershipRole.PARTNERSHIP_LEAD
    )
    audit.record(
        actor=None,
        action="partnership.created",
        kind="partnership",
        object_id=partnership.pk,
        label=partnership.name,
        partnership=partnership,
        changes={"lead": lead.pk, "organisation": lead_organisation.pk},
    )
    return partnership


@transaction.atomic
def create_organisation(*, name: str, kind: str, official_code: str = "") -> Organisation:
    """Record an organisation outside any partnership yet (setting up from the command line)."""
    if kind not in OrganisationKind.values:
        raise ValidationError({"kind": "Choose a kind of organisation from the list"})
    problem = official_code_problem(kind, official_code)
    if problem:
        raise ValidationError({"official_code": problem})
    if official_code and Organisation.objects.filter(official_code=official_code).exists():
        raise ValidationError({"official_code": "Another organisation already has this code"})
    organisation = Organisation.objects.create(name=name, kind=kind, official_code=official_code)
    audit.record(
        actor=None,
        action="organisation.created",
        kind="organisation",
        object_id=organisation.pk,
        label=organisation.name,
        organisation=organisation,
        changes={"kind": kind},
    )
    return organisation


def ensure_person(*, email: str, given_name: str, family_name: str) -> Person:
    """The person who signs in with this e-mail, made (without a usable password) if new."""
    email = email.strip().lower()
    person = Person.objects.filter(email=email).first()
    if person is None:
        known = EmailAddress.objects.filter(email=email).select_related("person").first()
        if known is not None:
            return known.person
        person = Person.objects.create_user(
            email=email, given_name=given_name, family_name=family_name
        )
        EmailAddress.objects.create(person=person, email=email)
    return person


@transaction.atomic
def add_organisation(
    *,
    actor: Actor,
    partnership: Partnership,
    name: str,
    kind: str,
    official_code: str = "",
    is_levy_payer: bool = False,
    headcount: int = 0,
    is_fictional: bool = False,
    admin_email: str,
    admin_given_name: str,
    admin_family_name: str,
    admin_job_title: str = "Organisation admin",
    base_url: str = "",
) -> Organisation:
    """The partnership lead adds a member organisation and its first admin.

    A new admin gets the e-mail to choose a password; `base_url` makes its link absolute.
    """
    _require(access.can_lead(actor, partnership))
    problem = official_code_problem(kind, official_code)
    if problem:
        raise ValidationError({"official_code": problem})
    if official_code and Organisation.objects.filter(official_code=official_code).exists():
        raise ValidationError({"official_code": "Another organisation already has this code"})
    organisation = Organisation.objects.create(
        name=name,
        kind=kind,
        official_code=official_code,
        is_levy_payer=is_levy_payer,
        headcount=headcount,
        is_fictional=is_fictional,
    )
    Membership.objects.create(partnership=partnership, organisation=organisation)
    admin = ensure_person(
        email=admin_email, given_name=admin_given_name, family_name=admin_family_name
    )
    Employment.objects.create(
        person=admin,
        organisation=organisation,
        job_title=admin_job_title,
        work_email=admin_email.strip().lower(),
        start_date=timezone.localdate(),
    )
    OrganisationRoleGrant.objects.create(
        person=admin, organisation=organisation, role=OrganisationRole.ORG_ADMIN
    )
    _welcome(admin, organisation, base_url)
    audit.record(
        actor=actor,
        action="organisation.added",
        kind="organisation",
        object_id=organisation.pk,
        label=organisation.name,
        organisation=organisation,
        partnership=partnership,
        changes={"kind": kind, "admin": admin.pk},
    )
    access.forget(actor)
    return organisation


@transaction.atomic
def end_membership(
    *, actor: Actor, membership: Membership, left_on: dt.date | None = None
) -> Membership:
    """The partnership lead ends an organisation's membership: its data stays, sharing stops."""
    _require(access.can_lead(actor, membership.partnership))
    if membership.left_on is not None:
        raise ValidationError("This membership has already ended.")
    if membership.organisation_id == actor.organisation_id:
        raise ValidationError("You cannot end the membership of the organisation you act for.")
    membership.left_on = left_on or timezone.localdate()
    membership.save(update_fields=["left_on"])
    access.forget(actor)
    audit.record(
        actor=actor,
        action="membership.ended",
        kind="membership",
        object_id=membership.pk,
        label=str(membership.organisation),
        organisation=membership.organisation,
        partnership=membership.partnership,
        changes={"left_on": membership.left_on.isoformat()},
    )
    return membership


@transaction.atomic
def grant_organisation_role(*, actor: Actor, person: Person, role: str) -> OrganisationRoleGrant:
    """An organisation admin grants a role at their organisation to one of its current staff."""
    organisation = actor.organisation
    _require(organisation is not None and access.can_administer(actor, organisation))
    if role not in OrganisationRole.values:
        raise ValidationError({"role": "Choose a role from the list"})
    if not Employment.objects.current().filter(person=person, organisation=organisation).exists():
        raise ValidationError(
            {"person": "Roles can only be given to current staff of this organisation"}
        )
    grant, created = OrganisationRoleGrant.objects.get_or_create(
        person=person, organisation=organisation, role=role
    )
    access.forget(actor)
    if created:
        audit.record(
            actor=actor,
            action="role.granted",
            kind="person",
            object_id=person.pk,
            organisation=organisation,
            changes={"role": role},
        )
    return grant


@transaction.atomic
def revoke_organisation_role(*, actor: Actor, grant: OrganisationRoleGrant) -> None:
    """An organisation admin removes a role; the last admin cannot remove themselves."""
    _require(access.can_administer(actor, grant.organisation))
    if grant.role == OrganisationRole.ORG_ADMIN:
        admins = OrganisationRoleGrant.objects.filter(
            organisation=grant.organisation, role=OrganisationRole.ORG_ADMIN
        )
        # Lock the admins' grants so two admins removing each other cannot leave none.
        if len(admins.select_for_update()) <= 1:
            raise ValidationError("An organisation must keep at least one admin.")
    audit.record(
        actor=actor,
        action="role.removed",
        kind="person",
        object_id=grant.person_id,
        organisation=grant.organisation,
        changes={"role": grant.role},
    )
    grant.delete()
    access.forget(actor)


@transaction.atomic
def grant_partnership_role(
    *, actor: Actor, partnership: Partnership, person: Person, role: str
) -> PartnershipRoleGrant:
    """The partnership lead grants a partnership role to someone at a member organisation."""
    _require(access.can_lead(actor, partnership))
    if role not in PartnershipRole.values:
        raise ValidationError({"role": "Choose a role from the list"})
    members = access.open_memberships().filter(partnership=partnership).values("organisation")
    if not Employment.objects.current().filter(person=person, organisation__in=members).exists():
        raise ValidationError({"person": "Choose someone working at a member organisation"})
    grant, created = PartnershipRoleGrant.objects.get_or_create(
        person=person, partnership=partnership, role=role
    )
    access.forget(actor)
    if created:
        audit.record(
            actor=actor,
            action="role.granted",
            kind="person",
            object_id=person.pk,
            partnership=partnership,
            changes={"role": role},
        )
    return grant


@transaction.atomic
def revoke_partnership_role(*, actor: Actor, grant: PartnershipRoleGrant) -> None:
    """The partnership lead removes a partnership role; the last lead stays."""
    _require(access.can_lead(actor, grant.partnership))
    if grant.role == PartnershipRole.PARTNERSHIP_LEAD:
        leads = PartnershipRoleGrant.objects.filter(
            partnership=grant.partnership, role=PartnershipRole.PARTNERSHIP_LEAD
        )
        if len(leads.select_for_update()) <= 1:
            raise ValidationError("A partnership must keep at least one partnership lead.")
    audit.record(
        actor=actor,
        action="role.removed",
        kind="person",
        object_id=grant.person_id,
        partnership=grant.partnership,
        changes={"role": grant.role},
    )
    grant.delete()
    access.forget(actor)


def _seniority_of(grade: Grade | None) -> int | None:
    return grade.seniority if grade else None


@transaction.atomic
def add_person(
    *,
    actor: Actor,
    email: str,
    given_name: str,
    family_name: str,
    job_title: str,
    start_date: dt.date,
    grade: Grade | None = None,
    kind: str = EmploymentKind.PERMANENT,
    employee_number: str = "",
    line_manager: Employment | None = None,
    base_url: str = "",
) -> Employment | Invitation:
    """An admin adds someone to their organisation.

    A new e-mail makes a person and their employment, and sends them a link to choose a password.
    An e-mail that already signs in to Joined Up makes an invitation instead: the person accepts
    while signed in, and the employment joins their existing history rather than creating a second
    person. `base_url` (scheme and host) makes the e-mailed links absolute.
    """
    organisation = actor.organisation
    _require(organisation is not None and access.can_administer(actor, organisation))
    _check_grade_and_manager(organisation, grade, line_manager)
    _check_employee_number(organisation, employee_number)
    email = email.strip().lower()
    existing = Person.objects.filter(email=email).first() or getattr(
        EmailAddress.objects.filter(email=email).select_related("person").first(), "person", None
    )
    if existing is not None:
        if Employment.objects.current().filter(person=existing, organisation=organisation).exists():
            raise ValidationError({"email": "This person already works here"})
        return _invite(
            actor=actor,
            organisation=organisation,
            email=email,
            job_title=job_title,
            start_date=start_date,
            grade=grade,
            kind=kind,
            employee_number=employee_number,
            line_manager=line_manager,
            person=existing,
            base_url=base_url,
        )
    person = ensure_person(email=email, given_name=given_name, family_name=family_name)
    _welcome(person, organisation, base_url)
    employment = Employment.objects.create(
        person=person,
        organisation=organisation,
        job_title=job_title,
        work_email=email,
        grade=grade,
        seniority=_seniority_of(grade),
        kind=kind,
        start_date=start_date,
        employee_number=employee_number,
        line_manager=line_manager,
    )
    audit.record(
        actor=actor,
        action="employment.added",
        kind="employment",
        object_id=employment.pk,
        organisation=organisation,
        changes={"person": person.pk, "kind": kind},
    )
    return employment


def _check_grade_and_manager(
    organisation: Organisation, grade: Grade | None, line_manager: Employment | None
) -> None:
    if grade is not None and grade.organisation_id != organisation.pk:
        raise ValidationError({"grade": "Choose a grade from your organisation's grade table"})
    if line_manager is not None and line_manager.organisation_id != organisation.pk:
        raise ValidationError({"line_manager": "Choose a line manager in your organisation"})


def _check_employee_number(organisation: Organisation, employee_number: str) -> None:
    taken = Employment.objects.filter(
        organisation=organisation, employee_number=employee_number, end_date__isnull=True
    )
    if employee_number and taken.exists():
        raise ValidationError(
            {"employee_number": "Someone else here already has this employee number"}
        )


def _welcome(person: Person, organisation: Organisation, base_url: str) -> None:
    """After commit, send someone without a password the link to choose one."""
    from django.contrib.auth.tokens import default_token_generator
    from django.urls import reverse
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from .notifications import notify_after_commit

    if person.has_usable_password():
        return
    uid = urlsafe_base64_encode(force_bytes(person.pk))
    token = default_token_generator.make_token(person)
    path = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    context = {"organisation": organisation, "reset_url": f"{base_url}{path}"}
    notify_after_commit([person], "welcome", context)


def _invite(
    *, actor: Actor, organisation: Organisation, person: Person, email: str, base_url: str, **fields
) -> Invitation:
    from django.urls import reverse

    from .notifications import notify

    raw = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        token_hash=hash_token(raw),
        invited_by=actor.person,
        **fields,
    )
    audit.record(
        actor=actor,
        action="invitation.sent",
        kind="invitation",
        object_id=invitation.pk,
        organisation=organisation,
        changes={"person": person.pk},
    )
    accept_url = base_url + reverse("partnership:accept-invitation", args=[raw])
    transaction.on_commit(
        lambda: notify(
            person, "invitation", {"invitation": invitation, "accept_url": accept_url}, to=email
        ),
        robust=True,
    )
    return invitation


@transaction.atomic
def accept_invitation(*, person: Person, raw_token: str) -> Employment:
    """The signed-in person takes up the invited employment; it joins their own history."""
    invitation = (
        Invitation.objects.select_for_update()
        .filter(token_hash=hash_token(raw_token), accepted_at__isnull=True)
        .first()
    )
    if invitation is None:
        raise ValidationError("This invitation link is not valid or has already been used.")
    organisation = invitation.organisation
    if Employment.objects.current().filter(person=person, organisation=organisation).exists():
        raise ValidationError(f"You already work at {organisation}.")
    _check_employee_number(organisation, invitation.employee_number)
    employment = Employment.objects.create(
        person=person,
        organisation=invitation.organisation,
        job_title=invitation.job_title,
        work_email=invitation.email,
        grade=invitation.grade,
        seniority=_seniority_of(invitation.grade),
        kind=invitation.kind,
        start_date=invitation.start_date,
        employee_number=invitation.employee_number,
        line_manager=invitation.line_manager,
    )
    updated = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
        accepted_at=timezone.now(), employment=employment
    )
    if updated != 1:
        raise ValidationError("This invitation has already been used.")
    EmailAddress.objects.get_or_create(email=invitation.email, defaults={"person": person})
    audit.record(
        actor=Actor(person=person, organisation=invitation.organisation),
        action="invitation.accepted",
        kind="employment",
        object_id=employment.pk,
        organisation=invitation.organisation,
        changes={"person": person.pk, "invitation": invitation.pk},
    )
    return employment


@transaction.atomic
def record_leaver(
    *,
    actor: Actor,
    employment: Employment,
    end_date: dt.date,
    leaving_reason: str,
    destination: str,
    destination_organisation: Organisation | None = None,
) -> Employment:
    """End an employment with its reason and destination. The record stays; history is kept."""
    _require(access.can_administer(actor, employment.organisation))
    if employment.end_date is not None and employment.end_date < timezone.localdate():
        raise ValidationError({"end_date": "This person has already left"})
    if end_date < employment.start_date:
        raise ValidationError({"end_date": "The leaving date must be on or after the start date"})
    if destination not in Destination.values:
        raise ValidationError({"destination": "Choose where they went from the list"})
    if destination == "partner" and destination_organisation is None:
        raise ValidationError(
            {"destination_organisation": "Choose the partner organisation they moved to"}
        )
    if destination == "partner" and (
        destination_organisation.pk == employment.organisation_id
        or not access.are_partners(employment.organisation, destination_organisation)
    ):
        raise ValidationError({"destination_organisation": "Choose a partner organisation"})
    employment.end_date = end_date
    employment.leaving_reason = leaving_reason
    employment.destination = destination
    employment.destination_organisation = (
        destination_organisation if destination == "partner" else None
    )
    employment.save(
        update_fields=["end_date", "leaving_reason", "destination", "destination_organisation"]
    )
    audit.record(
        actor=actor,
        action="employment.ended",
        kind="employment",
        object_id=employment.pk,
        organisation=employment.organisation,
        changes={"end_date": end_date.isoformat(), "destination": destination},
    )
    return employment


@transaction.atomic
def change_job(
    *,
    actor: Actor,
    employment: Employment,
    job_title: str,
    grade: Grade | None,
    start_date: dt.date,
    line_manager: Employment | None = None,
) -> Employment:
    """A new job at the same organisation ends the old employment and starts a new one."""
    _require(access.can_administer(actor, employment.organisation))
    _check_grade_and_manager(employment.organisation, grade, line_manager)
    if employment.end_date is not None:
        raise ValidationError({"start_date": "This job has an end date, so it cannot be changed"})
    if start_date <= employment.start_date:
        raise ValidationError(
            {"start_date": "The new job must start after the current one started"}
        )
    employment.end_date = start_date - dt.timedelta(days=1)
    employment.leaving_reason = "Changed job"
    employment.save(update_fields=["end_date", "leaving_reason"])
    new = Employment.objects.create(
        person=employment.person,
        organisation=employment.organisation,
        job_title=job_title,
        work_email=employment.work_email,
        grade=grade,
        seniority=_seniority_of(grade),
        kind=employment.kind,
        start_date=start_date,
        employee_number=employment.employee_number,
        line_manager=line_manager if line_manager is not None else employment.line_manager,
    )
    Employment.objects.filter(line_manager=employment, end_date__isnull=True).update(
        line_manager=new
    )
    audit.record(
        actor=actor,
        action="employment.changed",
        kind="employment",
        object_id=new.pk,
        organisation=employment.organisation,
        changes={"previous": employment.pk},
    )
    return new


@transaction.atomic
def save_grade(*, actor: Actor, name: str, seniority: int, grade: Grade | None = None) -> Grade:
    """Add or change a row of the acting organisation's grade table."""
    organisation = actor.organisation
    _require(organisation is not None and access.can_administer(actor, organisation))
    if not 1 <= seniority <= 9:
        raise ValidationError({"seniority": "Seniority must be a whole number from 1 to 9"})
    clash = Grade.objects.filter(organisation=organisation, name__iexact=name.strip())
    if grade is not None:
        clash = clash.exclude(pk=grade.pk)
    if clash.exists():
        raise ValidationError({"name": "Your grade table already has a grade with this name"})
    if grade is None:
        grade = Grade.objects.create(
            organisation=organisation, name=name.strip(), seniority=seniority
        )
    else:
        _require(grade.organisation_id == organisation.pk)
        grade.name = name.strip()
        grade.seniority = seniority
        grade.save(update_fields=["name", "seniority"])
        Employment.objects.filter(grade=grade).update(seniority=seniority)
    audit.record(
        actor=actor,
        action="grade.saved",
        kind="grade",
        object_id=grade.pk,
        label=grade.name,
        organisation=organisation,
        changes={"seniority": seniority},
    )
    return grade


# --- API tokens ------------------------------------------------------------------------------

READ_SCOPE = "read"


def _new_token_secret() -> tuple[str, str]:
    """A fresh raw token and its display prefix; only the hash of the raw value is stored."""
    raw = f"ju_{secrets.token_urlsafe(32)}"
    return raw, raw[:11]


def _token_expiry(days: int | None) -> dt.datetime:
    limit = settings.API_TOKEN_DAYS
    days = limit if days is None else days
    if not 1 <= days <= limit:
        raise ValidationError({"days": f"Enter a number of days from 1 to {limit}"})
    return timezone.now() + dt.timedelta(days=days)


def _token_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Enter a name for the token"})
    if len(name) > 100:
        raise ValidationError({"name": "Name must be 100 characters or fewer"})
    return name


def _issue_token(
    *, actor: Actor, name: str, days: int | None, changes: dict, **owner
) -> tuple[ApiToken, str]:
    """Store a new token's hash and audit it; the raw value is returned this once only."""
    expires_at = _token_expiry(days)
    raw, prefix = _new_token_secret()
    token = ApiToken.objects.create(
        name=_token_name(name),
        prefix=prefix,
        token_hash=hash_token(raw),
        created_by=actor.person,
        expires_at=expires_at,
        **owner,
    )
    audit.record(
        actor=actor,
        action="api_token.created",
        kind="api_token",
        object_id=token.pk,
        label=token.prefix,
        organisation=token.organisation or actor.organisation,
        changes=changes | {"expires_at": expires_at.isoformat()},
    )
    return token, raw


@transaction.atomic
def create_personal_token(
    *, actor: Actor, name: str, days: int | None = None
) -> tuple[ApiToken, str]:
    """Make a token that acts as the actor's person; the raw value is returned this once only."""
    _require(actor.person is not None and actor.token is None)
    return _issue_token(
        actor=actor, name=name, days=days, changes={"owner": "person"}, person=actor.person
    )


@transaction.atomic
def create_organisation_token(
    *, actor: Actor, organisation: Organisation, name: str, days: int | None = None
) -> tuple[ApiToken, str]:
    """Make a read-only token acting for an organisation its admin manages; raw value shown once."""
    _require(actor.token is None and access.can_administer(actor, organisation))
    return _issue_token(
        actor=actor,
        name=name,
        days=days,
        changes={"owner": "organisation", "scopes": [READ_SCOPE]},
        organisation=organisation,
        scopes=[READ_SCOPE],
    )


@transaction.atomic
def revoke_token(*, actor: Actor, token: ApiToken) -> ApiToken:
    """Stop a token working at once: its own person, or an admin of its organisation, may do it."""
    _require(actor.token is None)
    if token.person_id is not None:
        _require(actor.person is not None and actor.person.pk == token.person_id)
    else:
        _require(access.can_administer(actor, token.organisation))
    revoked = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    token.refresh_from_db(fields=["revoked_at"])
    if revoked:
        audit.record(
            actor=actor,
            action="api_token.revoked",
            kind="api_token",
            object_id=token.pk,
            label=token.prefix,
            organisation=token.organisation if token.organisation_id else actor.organisation,
        )
    return token


@transaction.atomic
def set_notification_preference(*, actor: Actor, email_optional: bool) -> NotificationPreference:
    """Record whether the signed-in person wants optional e-mails (reminders and digests)."""
    _require(actor.person is not None and actor.token is None)
    preference, _ = NotificationPreference.objects.update_or_create(
        person=actor.person, defaults={"email_optional": email_optional}
    )
    audit.record(
        actor=actor,
        action="notification_preference.changed",
        kind="person",
        object_id=actor.person.pk,
        changes={"email_optional": email_optional},
    )
    return preference


def record_token_use(*, token: ApiToken) -> None:
    """Note when a token was last used, at most once a minute, so busy callers write little."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < dt.timedelta(minutes=1):
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now


# --- Recharges between organisations ----------------------------------------------------------

PENNY = Decimal("0.01")
LARGEST_RECHARGE = Decimal("9999999999.99")


def _recharge_amount(amount: object) -> Decimal:
    """The amount as an exact Decimal in pounds and pence, or a ValidationError naming `amount`."""
    not_a_number = ValidationError({"amount": "Enter the amount as pounds and pence, like 125.50"})
    if isinstance(amount, bool) or not isinstance(amount, Decimal | int | str):
        raise not_a_number
    try:
        value = Decimal(str(amount).strip())
    except InvalidOperation:
        raise not_a_number from None
    if not value.is_finite():
        raise not_a_number
    if value <= 0:
        raise ValidationError({"amount": "Enter an amount greater than zero"})
    if value > LARGEST_RECHARGE:
        raise ValidationError({"amount": "Enter an amount of £9,999,999,999.99 or less"})
    if value != value.quantize(PENNY):
        raise ValidationError({"amount": "Enter an amount with no more than 2 decimal places"})
    return value.quantize(PENNY)


def _recharge_text(field: str, value: str, *, limit: int, required: str = "") -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationError({field: required})
    if len(text) > limit:
        raise ValidationError({field: f"Enter {limit} characters or fewer"})
    return text


@transaction.atomic
def post_recharge(
    *,
    actor: Actor | None,
    payer: Organisation,
    payee: Organisation,
    amount: Decimal,
    source_kind: str,
    source_id: str,
    source_label: str,
    occurred_on: dt.date,
    purchase_order: str = "",
    cost_centre: str = "",
) -> RechargeEntry:
    """Post an amount the payer owes the payee; `actor` is None when a job posts it."""
    if actor is not None:
        _require(access.may_post_recharge(actor, payee))
    if payer.pk == payee.pk:
        raise ValidationError(
            {"payer": "The payer must be a different organisation from the payee"}
        )
    if not access.are_partners(payer, payee):
        raise ValidationError({"payer": "The payer must be a partner of the payee"})
    value = _recharge_amount(amount)
    if not isinstance(occurred_on, dt.date) or isinstance(occurred_on, dt.datetime):
        raise ValidationError({"occurred_on": "Enter the date the charge arose"})
    entry = RechargeEntry.objects.create(
        payer=payer,
        payee=payee,
        amount=value,
        source_kind=_recharge_text(
            "source_kind", source_kind, limit=40, required="Enter the kind of source, like run"
        ),
        source_id=_recharge_text(
            "source_id", str(source_id), limit=40, required="Enter the source's reference"
        ),
        source_label=_recharge_text("source_label", source_label, limit=200),
        purchase_order=_recharge_text("purchase_order", purchase_order, limit=50),
        cost_centre=_recharge_text("cost_centre", cost_centre, limit=50),
        occurred_on=occurred_on,
        created_by=actor.person if actor else None,
    )
    _record_recharge(actor, "recharge.posted", entry)
    return entry


@transaction.atomic
def reverse_recharge(*, actor: Actor, entry: RechargeEntry, reason: str) -> RechargeEntry:
    """Cancel a charge with a new entry of the negated amount that records why."""
    _require(access.may_reverse_recharge(actor, entry))
    original = RechargeEntry.objects.select_for_update().get(pk=entry.pk)
    if original.reverses_id is not None:
        raise ValidationError({"entry": "This entry is a reversal, so it cannot be reversed"})
    if RechargeEntry.objects.filter(reverses=original).exists():
        raise ValidationError({"entry": "This entry has already been reversed"})
    why = _recharge_text(
        "reason", reason, limit=500, required="Enter the reason for reversing this entry"
    )
    try:
        with transaction.atomic():
            reversal = RechargeEntry.objects.create(
                payer_id=original.payer_id,
                payee_id=original.payee_id,
                amount=-original.amount,
                source_kind=original.source_kind,
                source_id=original.source_id,
                source_label=original.source_label,
                purchase_order=original.purchase_order,
                cost_centre=original.cost_centre,
                reverses=original,
                reason=why,
                occurred_on=timezone.localdate(),
                created_by=actor.person,
            )
    except IntegrityError:
        raise ValidationError({"entry": "This entry has already been reversed"}) from None
    _record_recharge(actor, "recharge.reversed", reversal)
    return reversal


def _record_recharge(actor: Actor | None, action: str, entry: RechargeEntry) -> None:
    """One audit event in the log of each organisation party to the entry."""
    changes = {
        "payer": entry.payer_id,
        "payee": entry.payee_id,
        "amount": str(entry.amount),
        "source_kind": entry.source_kind,
        "source_id": entry.source_id,
        "reverses": entry.reverses_id,
    }
    for organisation_id in (entry.payer_id, entry.payee_id):
        audit.record(
            actor=actor,
            action=action,
            kind="recharge",
            object_id=entry.pk,
            label=f"{entry.source_kind} {entry.source_id}",
            organisation=Organisation(pk=organisation_id),
            changes=changes,
        )
