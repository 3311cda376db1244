"""The own, partner's and outsider's object behind each route's keyword arguments.

`RESOLVERS` maps a route name to a function building, in the test database, the keyword
arguments that point the route at the object of one organisation ("own", "partner" or
"outsider"). A new route taking arguments needs a line here; the matrix fails without one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from joinedup.learning.models import (
    Booking,
    BookingStatus,
    DeliveryMode,
    Outcome,
    Reservation,
    Run,
    RunOrganisationShare,
)
from joinedup.learning.tests.factories import ProgrammeFactory, RunFactory, SessionFactory
from joinedup.partnership.models import (
    Invitation,
    Organisation,
    OrganisationRole,
    PartnershipRole,
    StaffImport,
)
from joinedup.partnership.services import (
    create_organisation_token,
    create_personal_token,
    hash_token,
    post_recharge,
)
from joinedup.partnership.tests.factories import (
    EmploymentFactory,
    GradeFactory,
    MembershipFactory,
    OrganisationFactory,
    OrganisationRoleFactory,
    PartnershipRoleFactory,
)
from joinedup.partnership.tests.world import World

Kwargs = dict[str, Any]
Resolver = Callable[[World, str], Kwargs]

# Whose record stands for each organisation's person-shaped objects.
STAFF = {"own": "own_staff", "partner": "partner_staff", "outsider": "outsider"}


def organisation_of(world: World, which: str) -> Organisation:
    return {"own": world.own, "partner": world.partner, "outsider": world.outsider_org}[which]


def _newcomer(world: World, which: str, label: str):
    """A further member of staff of the organisation, so personas keep their own records."""
    return EmploymentFactory(
        organisation=organisation_of(world, which),
        person__email=f"{label}.{which}@matrix.test",
        job_title="Analyst",
    )


def organisation(world: World, which: str) -> Kwargs:
    return {"pk": organisation_of(world, which).pk}


def employment(world: World, which: str) -> Kwargs:
    return {"pk": world.employments[STAFF[which]].pk}


def role_grant(world: World, which: str) -> Kwargs:
    """An L&D lead role held at the organisation (not an admin role, so removing it may work)."""
    holder = _newcomer(world, which, "role")
    grant = OrganisationRoleFactory(
        person=holder.person, organisation=holder.organisation, role=OrganisationRole.LD_LEAD
    )
    return {"pk": holder.organisation.pk, "grant_pk": grant.pk}


def grade(world: World, which: str) -> Kwargs:
    owner = organisation_of(world, which)
    row = GradeFactory(organisation=owner, name=f"Matrix band {which}", seniority=4)
    return {"pk": owner.pk, "grade_pk": row.pk}


def staff_import(world: World, which: str) -> Kwargs:
    owner = organisation_of(world, which)
    checked = StaffImport.objects.create(
        organisation=owner,
        uploaded_by=world.employments[STAFF[which]].person,
        original_name="staff.csv",
        file_sha256="0" * 64,
    )
    return {"pk": checked.pk}


def membership(world: World, which: str) -> Kwargs:
    return {"pk": organisation_of(world, which).memberships.get().pk}


def partnership_role_grant(world: World, which: str) -> Kwargs:
    """A mentoring lead role held by someone at the organisation, in its partnership."""
    holder = _newcomer(world, which, "mentor")
    partnership = world.other_partnership if which == "outsider" else world.partnership
    grant = PartnershipRoleFactory(
        person=holder.person, partnership=partnership, role=PartnershipRole.MENTORING_LEAD
    )
    return {"pk": grant.pk}


def person(world: World, which: str) -> Kwargs:
    return {"pk": world.person(STAFF[which]).pk}


def personal_token(world: World, which: str) -> Kwargs:
    token, _ = create_personal_token(actor=world.actor(STAFF[which]), name=f"Matrix {which}")
    return {"pk": token.pk}


# Whose admin makes each organisation's token.
ADMINS = {"own": "own_admin", "partner": "partner_admin", "outsider": "outsider"}


def organisation_token(world: World, which: str) -> Kwargs:
    owner = organisation_of(world, which)
    token, _ = create_organisation_token(
        actor=world.actor(ADMINS[which]), organisation=owner, name=f"Matrix {which}"
    )
    return {"pk": owner.pk, "token_pk": token.pk}


# Who each organisation's invitation is addressed to: someone who already has an account.
INVITEES = {"own": "partner_staff", "partner": "own_staff", "outsider": "own_staff"}


def invitation(world: World, which: str) -> Kwargs:
    """An invitation from the organisation to a persona who works elsewhere."""
    raw = f"matrix-invitation-{which}"
    Invitation.objects.create(
        organisation=organisation_of(world, which),
        email=world.person(INVITEES[which]).email,
        token_hash=hash_token(raw),
        job_title="Project officer",
        start_date=dt.date.today(),
    )
    return {"token": raw}


def password_reset_link(world: World, which: str) -> Kwargs:
    person = world.employments[STAFF[which]].person
    return {
        "uidb64": urlsafe_base64_encode(force_bytes(person.pk)),
        "token": default_token_generator.make_token(person),
    }


def learning_programme(world: World, which: str) -> Kwargs:
    """A programme the organisation hosts, shared with partners after the cut-off."""
    return {"pk": ProgrammeFactory(host=organisation_of(world, which)).pk}


def learning_run(world: World, which: str) -> Kwargs:
    """An upcoming run of such a programme, with one session."""
    run = RunFactory(programme__host=organisation_of(world, which))
    SessionFactory(run=run)
    return {"pk": run.pk}


def learning_booking(world: World, which: str) -> Kwargs:
    """The organisation's member of staff booked (confirmed) on a run their organisation hosts."""
    run = RunFactory(programme__host=organisation_of(world, which), places_taken=1)
    SessionFactory(run=run)
    booking = Booking.objects.create(
        run=run,
        person=world.person(STAFF[which]),
        organisation=run.programme.host,
        status=BookingStatus.CONFIRMED,
    )
    return {"pk": booking.pk}


def learning_offer(world: World, which: str) -> Kwargs:
    """The same, but offered a place with two days to answer."""
    booking = Booking.objects.get(**learning_booking(world, which))
    booking.status = BookingStatus.OFFERED
    booking.offer_expires_at = booking.requested_at + dt.timedelta(days=2)
    booking.save()
    return {"pk": booking.pk}


def recharge_entry(world: World, which: str) -> Kwargs:
    """A charge the organisation receives from a partner (the ICB; a new one for the outsider)."""
    payee = organisation_of(world, which)
    payer = world.icb
    if which == "outsider":
        payer = OrganisationFactory(name="Salford City Council (matrix)")
        MembershipFactory(partnership=world.other_partnership, organisation=payer)
    entry = post_recharge(
        actor=None,
        payer=payer,
        payee=payee,
        amount=Decimal("150.00"),
        source_kind="run",
        source_id="1",
        source_label="Matrix course",
        occurred_on=dt.date.today(),
    )
    return {"pk": entry.pk}


def learning_calendar_feed(world: World, which: str) -> Kwargs:
    """The private calendar feed address of the organisation's member of staff."""
    owner = world.person(STAFF[which])
    raw = f"matrix-calendar-feed-{which}-{owner.pk}"
    owner.calendar_token = hash_token(raw)
    owner.save(update_fields=["calendar_token"])
    return {"token": raw}


def learning_request(world: World, which: str) -> Kwargs:
    """The organisation's member of staff asking approval for a place on a run it hosts."""
    run = RunFactory(
        programme__host=organisation_of(world, which), programme__approval_required=True
    )
    SessionFactory(run=run)
    booking = Booking.objects.create(
        run=run,
        person=world.person(STAFF[which]),
        organisation=run.programme.host,
        status=BookingStatus.REQUESTED,
    )
    return {"pk": booking.pk}


def learning_session(world: World, which: str) -> Kwargs:
    """The one session of an upcoming run the organisation hosts."""
    run = Run.objects.get(**learning_run(world, which))
    return {"pk": run.sessions.get().pk}


def learning_completed_booking(world: World, which: str) -> Kwargs:
    """The organisation's member of staff, who completed a run it hosted last week."""
    booking = Booking.objects.get(**learning_booking(world, which))
    booking.run.sessions.update(date=dt.date.today() - dt.timedelta(days=7))
    booking.outcome = Outcome.COMPLETED
    booking.save()
    return {"pk": booking.pk}


def learning_self_paced_booking(world: World, which: str) -> Kwargs:
    """The organisation's member of staff with a place on self-paced learning it hosts."""
    run = RunFactory(
        programme__host=organisation_of(world, which),
        programme__delivery_mode=DeliveryMode.SELF_PACED,
        completion_deadline=dt.date.today() + dt.timedelta(days=60),
        places_taken=1,
    )
    booking = Booking.objects.create(
        run=run,
        person=world.person(STAFF[which]),
        organisation=run.programme.host,
        status=BookingStatus.CONFIRMED,
    )
    return {"pk": booking.pk}


def _reserving_host(world: World, which: str) -> Organisation:
    """A partner of the organisation to host the run it reserves on (a new one for the outsider)."""
    if which == "outsider":
        host = OrganisationFactory(name="Trafford Council (matrix)")
        MembershipFactory(partnership=world.other_partnership, organisation=host)
        return host
    return world.partner if which == "own" else world.own


def learning_reservation(world: World, which: str) -> Kwargs:
    """A block of two places the organisation holds on a partner's upcoming run."""
    holder = organisation_of(world, which)
    run = RunFactory(programme__host=_reserving_host(world, which), places_taken=2)
    SessionFactory(run=run)
    RunOrganisationShare.objects.create(run=run, organisation=holder, places_taken=2)
    reservation = Reservation.objects.create(run=run, organisation=holder, places=2)
    return {"pk": reservation.pk}


def learning_named_booking(world: World, which: str) -> Kwargs:
    """A member of the organisation's staff named into such a block."""
    reservation = Reservation.objects.get(**learning_reservation(world, which))
    reservation.places_named = 1
    reservation.save()
    booking = Booking.objects.create(
        run=reservation.run,
        person=_newcomer(world, which, "named").person,
        organisation=reservation.organisation,
        status=BookingStatus.CONFIRMED,
        reservation=reservation,
    )
    return {"pk": booking.pk}


RESOLVERS: dict[str, Resolver] = {
    "api:organisation_detail": organisation,
    "api:programme_detail": learning_programme,
    "api:run_detail": learning_run,
    "api:run_bookings": learning_run,
    "api:cancel_booking": learning_booking,
    "api:person_detail": person,
    "api:person_employments": person,
    "password_reset_confirm": password_reset_link,
    "partnership:organisation": organisation,
    "partnership:person": person,
    "partnership:token-revoke": personal_token,
    "partnership:organisation-tokens": organisation,
    "partnership:organisation-token-revoke": organisation_token,
    "partnership:manage": organisation,
    "partnership:manage-people": organisation,
    "partnership:add-person": organisation,
    "partnership:manage-roles": organisation,
    "partnership:grant-role": organisation,
    "partnership:remove-role": role_grant,
    "partnership:manage-grades": organisation,
    "partnership:add-grade": organisation,
    "partnership:edit-grade": grade,
    "partnership:manage-audit": organisation,
    "partnership:staff-import": organisation,
    "partnership:staff-import-template": organisation,
    "partnership:staff-import-detail": staff_import,
    "partnership:staff-import-apply": staff_import,
    "partnership:staff-import-progress": staff_import,
    "partnership:employment": employment,
    "partnership:change-job": employment,
    "partnership:record-leaver": employment,
    "partnership:accept-invitation": invitation,
    "partnership:end-membership": membership,
    "partnership:remove-partnership-role": partnership_role_grant,
    "learning:programme": learning_programme,
    "learning:reserve": learning_run,
    "learning:name-into-reservation": learning_reservation,
    "learning:remove-named": learning_named_booking,
    "learning:register-interest": learning_programme,
    "learning:withdraw-interest": learning_programme,
    "learning:run": learning_run,
    "learning:book": learning_run,
    "learning:cancel-booking": learning_booking,
    "learning:booking-calendar": learning_booking,
    "learning:calendar-feed": learning_calendar_feed,
    "learning:accept-offer": learning_offer,
    "learning:decline-offer": learning_offer,
    "learning:programme-edit": learning_programme,
    "learning:run-new": learning_programme,
    "learning:run-manage": learning_run,
    "learning:run-edit": learning_run,
    "learning:run-cancel": learning_run,
    "learning:run-release": learning_run,
    "learning:book-for-team": learning_run,
    "learning:approve-booking": learning_request,
    "learning:decline-request": learning_request,
    "learning:run-attendance": learning_run,
    "learning:run-evaluations": learning_run,
    "learning:session-register": learning_session,
    "learning:record-outcomes": learning_run,
    "learning:certificate": learning_completed_booking,
    "learning:report-completion": learning_self_paced_booking,
    "learning:evaluate": learning_completed_booking,
    "partnership:recharge-reverse": recharge_entry,
}

# API operations by "METHOD /path": the path parameters of each object.
API_RESOLVERS: dict[str, Resolver] = {
    "GET /api/v1/organisations/{pk}": organisation,
    "GET /api/v1/people/{pk}": person,
    "GET /api/v1/people/{pk}/employments": person,
    "GET /api/v1/learning/programmes/{pk}": learning_programme,
    "GET /api/v1/learning/runs/{pk}": learning_run,
    "GET /api/v1/learning/runs/{pk}/bookings": learning_run,
    "POST /api/v1/learning/bookings/{pk}/cancel": learning_booking,
}

# Routes checked as a group whose arguments only need to resolve (no persona gets past the gate).
PLACEHOLDER_KWARGS: dict[str, dict[str, str]] = {
    "admin": {
        "object_id": "1",
        "content_type_id": "1",
        "app_label": "partnership",
        "url": "no-such-page/",
    },
}


def _levy_resolvers() -> dict[str, Resolver]:
    """The levy routes' resolvers, one module per area (imported late: they use this module)."""
    from . import (
        objects_levy_ledger,
        objects_levy_optimiser,
        objects_levy_pledges,
        objects_levy_setup,
    )

    return {
        **objects_levy_ledger.RESOLVERS,
        **objects_levy_pledges.RESOLVERS,
        **objects_levy_optimiser.RESOLVERS,
        **objects_levy_setup.RESOLVERS,
    }


def _levy_api_resolvers() -> dict[str, Resolver]:
    """The levy API operations' resolvers, from each area's `API_RESOLVERS` where it has one."""
    from . import (
        objects_levy_ledger,
        objects_levy_optimiser,
        objects_levy_pledges,
        objects_levy_setup,
    )

    areas = (objects_levy_ledger, objects_levy_optimiser, objects_levy_pledges, objects_levy_setup)
    return {
        key: found for area in areas for key, found in getattr(area, "API_RESOLVERS", {}).items()
    }


def _materials_resolvers() -> dict[str, Resolver]:
    """The materials routes' resolvers (imported late: they use this module)."""
    from . import objects_materials

    return objects_materials.RESOLVERS


def _materials_api_resolvers() -> tuple[dict[str, Resolver], dict[str, Resolver]]:
    """The materials API's resolvers: by URL name, and by operation (imported late)."""
    from . import objects_materials_api

    return objects_materials_api.RESOLVERS, objects_materials_api.API_RESOLVERS


RESOLVERS.update(_levy_resolvers())
RESOLVERS.update(_materials_resolvers())
API_RESOLVERS.update(_levy_api_resolvers())
_MATERIALS_API_ROUTES, _MATERIALS_API_OPERATIONS = _materials_api_resolvers()
RESOLVERS.update(_MATERIALS_API_ROUTES)
API_RESOLVERS.update(_MATERIALS_API_OPERATIONS)


def _learning_plans_resolvers() -> tuple[dict[str, Resolver], dict[str, Resolver]]:
    """Commissioning plans' and near-duplicate reports' resolvers (imported late)."""
    from . import objects_learning_plans

    return objects_learning_plans.RESOLVERS, objects_learning_plans.API_RESOLVERS


_PLAN_ROUTES, _PLAN_OPERATIONS = _learning_plans_resolvers()
RESOLVERS.update(_PLAN_ROUTES)
API_RESOLVERS.update(_PLAN_OPERATIONS)


def _materials_pool_resolvers() -> tuple[dict[str, Resolver], dict[str, Resolver]]:
    """The trainer pool routes' resolvers (imported late: they use this module)."""
    from . import objects_materials_pool

    return objects_materials_pool.RESOLVERS, objects_materials_pool.API_RESOLVERS


_POOL_ROUTES, _POOL_OPERATIONS = _materials_pool_resolvers()
RESOLVERS.update(_POOL_ROUTES)
API_RESOLVERS.update(_POOL_OPERATIONS)


def _materials_deliveries_resolvers() -> tuple[dict[str, Resolver], dict[str, Resolver]]:
    """The delivery request routes' and operations' resolvers (imported late)."""
    from . import objects_materials_deliveries

    return objects_materials_deliveries.RESOLVERS, objects_materials_deliveries.API_RESOLVERS


_DELIVERY_ROUTES, _DELIVERY_OPERATIONS = _materials_deliveries_resolvers()
RESOLVERS.update(_DELIVERY_ROUTES)
API_RESOLVERS.update(_DELIVERY_OPERATIONS)


def _accreditations_resolvers() -> tuple[dict[str, Resolver], dict[str, Resolver]]:
    """The accreditation routes' and operations' resolvers (imported late)."""
    from . import objects_accreditations

    return objects_accreditations.RESOLVERS, objects_accreditations.API_RESOLVERS


_ACCREDITATION_ROUTES, _ACCREDITATION_OPERATIONS = _accreditations_resolvers()
RESOLVERS.update(_ACCREDITATION_ROUTES)
API_RESOLVERS.update(_ACCREDITATION_OPERATIONS)


def _commission_resolvers() -> tuple[dict[str, Resolver], dict[str, Resolver]]:
    """The joint commission routes' and operations' resolvers (imported late)."""
    from . import objects_learning_commissions

    return objects_learning_commissions.RESOLVERS, objects_learning_commissions.API_RESOLVERS


_COMMISSION_ROUTES, _COMMISSION_OPERATIONS = _commission_resolvers()
RESOLVERS.update(_COMMISSION_ROUTES)
API_RESOLVERS.update(_COMMISSION_OPERATIONS)


def _discovered_resolvers() -> tuple[dict[str, Resolver], dict[str, Resolver]]:
    """The talent, network and apprenticeship routes' and operations' resolvers: every
    `objects_talent_*`, `objects_network_*` and `objects_apprenticeships_*` module's `RESOLVERS`
    and `API_RESOLVERS` (imported late: they use this module)."""
    import importlib
    import pkgutil

    routes: dict[str, Resolver] = {}
    operations: dict[str, Resolver] = {}
    for module in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if module.name.startswith(
            ("objects_talent_", "objects_network_", "objects_apprenticeships_")
        ):
            area = importlib.import_module(f"{__package__}.{module.name}")
            routes.update(getattr(area, "RESOLVERS", {}))
            operations.update(getattr(area, "API_RESOLVERS", {}))
    return routes, operations


_DISCOVERED_ROUTES, _DISCOVERED_OPERATIONS = _discovered_resolvers()
RESOLVERS.update(_DISCOVERED_ROUTES)
API_RESOLVERS.update(_DISCOVERED_OPERATIONS)
