"""The only functions that fetch learning objects for an actor, built on the partnership primitives.

Another organisation's private programme, run or booking is a 404 (Http404); a visible one the
actor may not change is a 403 (PermissionDenied).
"""

from __future__ import annotations

from typing import NamedTuple

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from joinedup.partnership.access import (
    are_partners,
    has_role,
    is_line_manager_of,
    led_partnerships,
    managed_employments,
    open_memberships,
    partner_organisations,
)
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import Employment, Organisation, OrganisationRole, Person

from .models import (
    Booking,
    BookingStatus,
    CommissioningPlan,
    CommissionPartner,
    JointCommission,
    NearDuplicateReport,
    Outcome,
    PlanStatus,
    Programme,
    Release,
    Reservation,
    Run,
    Session,
    SharingPolicy,
)

HOST_ROLES = (OrganisationRole.LD_LEAD, OrganisationRole.PROGRAMME_LEADER)


# --- Catalogue -------------------------------------------------------------------------------


def visible_programmes(actor: Actor) -> QuerySet[Programme]:
    """The acting organisation's own programmes, and partners' programmes not kept for own staff."""
    if actor.organisation is None:
        return Programme.objects.none()
    own = Q(host=actor.organisation)
    from_partners = Q(host__in=partner_organisations(actor))
    shared = ~Q(sharing_policy=SharingPolicy.OWN_ONLY)
    return Programme.objects.filter(own | (from_partners & shared))


def get_programme_for(actor: Actor, pk: int) -> Programme:
    """One visible programme, or 404."""
    programme = visible_programmes(actor).filter(pk=pk).select_related("host").first()
    if programme is None:
        raise Http404("No such programme")
    return programme


def visible_runs(actor: Actor) -> QuerySet[Run]:
    """Runs of the programmes the actor can see."""
    return Run.objects.filter(programme__in=visible_programmes(actor))


def get_run_for(actor: Actor, pk: int) -> Run:
    """One run of a visible programme, or 404."""
    run = visible_runs(actor).filter(pk=pk).select_related("programme__host", "trainer").first()
    if run is None:
        raise Http404("No such run")
    return run


def may_host(actor: Actor, run: Run) -> bool:
    """The host's L&D leads and programme leaders, acting for the host, manage its runs."""
    if actor.organisation is None or actor.organisation.pk != run.programme.host_id:
        return False
    return any(has_role(actor, role) for role in HOST_ROLES)


# --- Bookings --------------------------------------------------------------------------------


class BookingJob(NamedTuple):
    """The job a booking is made under, with what the booking rules ask of it."""

    organisation: Organisation
    seniority: int | None
    # Whether its organisation shares an open partnership membership with the run's host.
    partner_of_host: bool


# `booking_job` in one statement written out, because booking is the hottest write and the ORM
# takes longer to build these queries than the database to run them. The conditions are those of
# `current_employments`, `managed_employments` and `are_partners`.
_PARTNER_OF_HOST_SQL = """EXISTS (
    SELECT 1 FROM partnership_membership theirs
    JOIN partnership_membership hosts ON hosts.partnership_id = theirs.partnership_id
    WHERE theirs.organisation_id = job.organisation_id AND hosts.organisation_id = %(host)s
    AND (theirs.left_on IS NULL OR theirs.left_on > %(today)s)
    AND (hosts.left_on IS NULL OR hosts.left_on > %(today)s)
)"""
_OWN_JOB_SQL = f"""
SELECT job.organisation_id, job.seniority, {_PARTNER_OF_HOST_SQL}
FROM partnership_employment job
WHERE job.person_id = %(person)s AND job.organisation_id = %(organisation)s
AND job.start_date <= %(today)s AND (job.end_date IS NULL OR job.end_date >= %(today)s)
ORDER BY job.start_date DESC, job.id DESC
LIMIT 1
"""  # noqa: S608 (no input in the text: only constants, and parameters)
_REPORTS_JOB_SQL = f"""
SELECT job.organisation_id, job.seniority, {_PARTNER_OF_HOST_SQL}
FROM partnership_employment job
WHERE job.person_id = %(person)s
AND job.start_date <= %(today)s AND (job.end_date IS NULL OR job.end_date >= %(today)s)
AND job.line_manager_id IN (
    SELECT manager.id FROM partnership_employment manager
    WHERE manager.person_id = %(actor)s AND manager.organisation_id = %(organisation)s
    AND manager.start_date <= %(today)s
    AND (manager.end_date IS NULL OR manager.end_date >= %(today)s)
)
ORDER BY job.start_date DESC, job.id DESC
LIMIT 1
"""  # noqa: S608 (no input in the text: only constants, and parameters)


def booking_job(actor: Actor, person: Person, host_id: int) -> BookingJob:
    """The job a booking for this person is made under: their own, or a report's; else 403."""
    if actor.person is None or actor.organisation is None:
        raise PermissionDenied
    own = actor.person.pk == person.pk
    with connection.cursor() as cursor:
        cursor.execute(
            _OWN_JOB_SQL if own else _REPORTS_JOB_SQL,
            {
                "person": person.pk,
                "actor": actor.person.pk,
                "organisation": actor.organisation.pk,
                "host": host_id,
                "today": timezone.localdate(),
            },
        )
        row = cursor.fetchone()
    if row is None:
        raise PermissionDenied
    organisation_id, seniority, partner_of_host = row
    if organisation_id == actor.organisation.pk:
        organisation = actor.organisation
    else:
        organisation = Organisation.objects.get(pk=organisation_id)
    return BookingJob(organisation, seniority, bool(partner_of_host))


def visible_bookings(actor: Actor) -> QuerySet[Booking]:
    """The actor's own bookings, their reports' bookings, and bookings on runs they host."""
    if actor.person is None or actor.organisation is None:
        return Booking.objects.none()
    own = Q(person=actor.person)
    reports = Q(
        person__in=managed_employments(actor).values("person"), organisation=actor.organisation
    )
    condition = own | reports
    if any(has_role(actor, role) for role in HOST_ROLES):
        condition |= Q(run__programme__host=actor.organisation)
    return Booking.objects.filter(condition)


def get_booking_for(actor: Actor, pk: int) -> Booking:
    """One visible booking, or 404."""
    booking = visible_bookings(actor).filter(pk=pk).select_related("run__programme__host").first()
    if booking is None:
        raise Http404("No such booking")
    return booking


def may_decide(actor: Actor, booking: Booking) -> bool:
    """Only the person's line manager, acting for the organisation booked for, approves."""
    if actor.organisation is None or actor.organisation.pk != booking.organisation_id:
        return False
    return is_line_manager_of(actor, booking.person)


def get_booking_to_decide(actor: Actor, pk: int) -> Booking:
    """A visible booking the actor approves or declines; 404 when unseen, 403 when not theirs."""
    booking = get_booking_for(actor, pk)
    if not may_decide(actor, booking):
        raise PermissionDenied
    return booking


def may_answer_offer(actor: Actor, booking: Booking) -> bool:
    """The person themselves, or their line manager, accepts or declines an offered place."""
    if actor.person is not None and actor.person.pk == booking.person_id:
        return True
    return may_decide(actor, booking)


def may_download_calendar(actor: Actor, booking: Booking) -> bool:
    """Only the booked person downloads their place's calendar file."""
    return actor.person is not None and actor.person.pk == booking.person_id


def may_cancel(actor: Actor, booking: Booking) -> bool:
    """The person themselves, their line manager, or the run's host may cancel a booking."""
    if actor.person is not None and actor.person.pk == booking.person_id:
        return True
    if may_decide(actor, booking):
        return True
    if booking.reservation_id is not None and may_name_for(actor, booking.organisation_id):
        return True
    return may_host(actor, booking.run)


# --- Attendance, certificates and evaluations ------------------------------------------------


def get_session_for(actor: Actor, pk: int) -> Session:
    """One session of a visible run, or 404."""
    session = (
        Session.objects.filter(pk=pk, run__in=visible_runs(actor))
        .select_related("run__programme__host")
        .first()
    )
    if session is None:
        raise Http404("No such session")
    return session


def get_hosted_session(actor: Actor, pk: int) -> Session:
    """A session of a visible run the actor hosts; 404 when not visible, 403 when not hosting."""
    session = get_session_for(actor, pk)
    if not may_host(actor, session.run):
        raise PermissionDenied
    return session


def may_get_certificate(actor: Actor, booking: Booking) -> bool:
    """The person who completed, or the host's leads, may have a booking's certificate."""
    if actor.person is not None and actor.person.pk == booking.person_id:
        return True
    return may_host(actor, booking.run)


def is_own_booking(actor: Actor, booking: Booking) -> bool:
    """The person the booking is for, who alone reports completion and evaluates the run."""
    return actor.person is not None and actor.person.pk == booking.person_id


def may_host_programme(actor: Actor, programme: Programme) -> bool:
    """The host's L&D leads and programme leaders, acting for the host, manage its programmes."""
    if actor.organisation is None or actor.organisation.pk != programme.host_id:
        return False
    return any(has_role(actor, role) for role in HOST_ROLES)


# --- Partners' reserved blocks ---------------------------------------------------------------


def may_name_for(actor: Actor, organisation_id: int) -> bool:
    """The organisation's L&D lead, acting for it, names its staff into its blocks."""
    if actor.person is None or actor.organisation is None:
        return False
    if actor.organisation.pk != organisation_id:
        return False
    return has_role(actor, OrganisationRole.LD_LEAD)


def may_reserve(actor: Actor, run: Run) -> bool:
    """A partner's L&D lead, acting for the partner (never the host), reserves places on a run."""
    if actor.organisation is None or actor.organisation.pk == run.programme.host_id:
        return False
    if not may_name_for(actor, actor.organisation.pk):
        return False
    return are_partners(run.programme.host, actor.organisation)


def may_manage_reservation(actor: Actor, reservation: Reservation) -> bool:
    """Only the reserving organisation's L&D lead changes its block and names people into it."""
    return may_name_for(actor, reservation.organisation_id)


def visible_reservations(actor: Actor) -> QuerySet[Reservation]:
    """Blocks the acting organisation holds (to its L&D leads), and blocks on runs it hosts."""
    if actor.person is None or actor.organisation is None:
        return Reservation.objects.none()
    conditions = []
    if has_role(actor, OrganisationRole.LD_LEAD):
        conditions.append(Q(organisation=actor.organisation))
    if any(has_role(actor, role) for role in HOST_ROLES):
        conditions.append(Q(run__programme__host=actor.organisation))
    if not conditions:
        return Reservation.objects.none()
    condition = conditions[0]
    for other in conditions[1:]:
        condition |= other
    return Reservation.objects.filter(condition)


def get_reservation_for(actor: Actor, pk: int) -> Reservation:
    """One visible block, or 404."""
    reservation = (
        visible_reservations(actor)
        .filter(pk=pk)
        .select_related("run__programme__host", "organisation")
        .first()
    )
    if reservation is None:
        raise Http404("No such reservation")
    return reservation


def get_named_booking_for(actor: Actor, pk: int) -> Booking:
    """A booking named into a visible block, or 404."""
    booking = (
        Booking.objects.filter(pk=pk, reservation__in=visible_reservations(actor))
        .select_related("run__programme__host", "reservation", "person")
        .first()
    )
    if booking is None:
        raise Http404("No such booking")
    return booking


# --- The host's programme management and the release log -------------------------------------


def may_manage_programmes(actor: Actor) -> bool:
    """The acting organisation's L&D leads and programme leaders manage the programmes it hosts."""
    if actor.organisation is None:
        return False
    return any(has_role(actor, role) for role in HOST_ROLES)


def managed_programmes(actor: Actor) -> QuerySet[Programme]:
    """Programmes this actor may manage: the acting organisation's, to its leads; else none."""
    if not may_manage_programmes(actor):
        return Programme.objects.none()
    return Programme.objects.filter(host=actor.organisation)


def get_managed_programme(actor: Actor, pk: int) -> Programme:
    """A visible programme the actor manages; 404 when not visible, 403 when not theirs."""
    programme = get_programme_for(actor, pk)
    if not may_host_programme(actor, programme):
        raise PermissionDenied
    return programme


def get_hosted_run(actor: Actor, pk: int) -> Run:
    """A visible run the actor hosts; 404 when not visible, 403 when they do not host it."""
    run = get_run_for(actor, pk)
    if not may_host(actor, run):
        raise PermissionDenied
    return run


def may_see_release_log(actor: Actor) -> bool:
    """A host's leads see their organisation's releases; a partnership lead sees all of theirs."""
    return may_manage_programmes(actor) or led_partnerships(actor).exists()


def visible_releases(actor: Actor) -> QuerySet[Release]:
    """Releases of runs the acting organisation hosts (to its leads), and in partnerships led."""
    if actor.organisation is None:
        return Release.objects.none()
    condition = Q(pk__in=[])
    if may_manage_programmes(actor):
        condition |= Q(run__programme__host=actor.organisation)
    led = open_memberships().filter(partnership__in=led_partnerships(actor))
    condition |= Q(run__programme__host__in=led.values("organisation"))
    return Release.objects.filter(condition)


# --- Line managers and L&D leads ---------------------------------------------------------------


# `may_manage_team` written out: every learning page's side links ask it, and the ORM takes longer
# to build the query than the database to answer it (1.8 ms of CPU against 0.3 ms, loaded). The
# conditions are those of `managed_employments`.
_MANAGES_SOMEONE_SQL = """
SELECT EXISTS (
    SELECT 1 FROM partnership_employment report
    JOIN partnership_employment manager ON manager.id = report.line_manager_id
    WHERE manager.person_id = %(person)s AND manager.organisation_id = %(organisation)s
    AND manager.start_date <= %(today)s
    AND (manager.end_date IS NULL OR manager.end_date >= %(today)s)
    AND report.start_date <= %(today)s
    AND (report.end_date IS NULL OR report.end_date >= %(today)s)
)
"""


def may_manage_team(actor: Actor) -> bool:
    """Line managers: someone's current job names the actor's job at the acting organisation."""
    if actor.person is None or actor.organisation is None:
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            _MANAGES_SOMEONE_SQL,
            {
                "person": actor.person.pk,
                "organisation": actor.organisation.pk,
                "today": timezone.localdate(),
            },
        )
        return bool(cursor.fetchone()[0])


def team_bookings(actor: Actor) -> QuerySet[Booking]:
    """Bookings the actor's current reports made for the acting organisation."""
    if actor.person is None or actor.organisation is None:
        return Booking.objects.none()
    reports = managed_employments(actor).values("person")
    return Booking.objects.filter(person__in=reports, organisation=actor.organisation)


def approval_requests(actor: Actor) -> QuerySet[Booking]:
    """The reports' bookings waiting for the actor's approval."""
    return team_bookings(actor).filter(status=BookingStatus.REQUESTED)


def may_see_completions(actor: Actor) -> bool:
    """The acting organisation's L&D leads see its staff's completions."""
    return has_role(actor, OrganisationRole.LD_LEAD)


def visible_completions(actor: Actor) -> QuerySet[Booking]:
    """Completed bookings of the acting organisation's current staff, wherever they were booked."""
    if actor.organisation is None or not may_see_completions(actor):
        return Booking.objects.none()
    staff = Employment.objects.current().filter(organisation=actor.organisation).values("person")
    return Booking.objects.filter(person__in=staff, outcome=Outcome.COMPLETED)


# --- Places exchanged between partners and value recovered ------------------------------------

VALUE_RECOVERED_ROLES = (OrganisationRole.ORG_ADMIN, *HOST_ROLES)
EXCHANGE_ROLES = (*VALUE_RECOVERED_ROLES, OrganisationRole.LEVY_OFFICER)


def may_see_exchange(actor: Actor) -> bool:
    """Who reads the acting organisation's recharges, or runs its programmes, sees its places
    given to and received from partners."""
    if actor.organisation is None:
        return False
    return any(has_role(actor, role) for role in EXCHANGE_ROLES)


def may_see_value_recovered(actor: Actor) -> bool:
    """The acting organisation's admin, L&D leads and programme leaders see its value recovered."""
    if actor.organisation is None:
        return False
    return any(has_role(actor, role) for role in VALUE_RECOVERED_ROLES)


def exchange_hosts(actor: Actor) -> QuerySet[Organisation]:
    """Members of the partnerships the actor leads, whose value recovered the lead sees."""
    led = open_memberships().filter(partnership__in=led_partnerships(actor))
    return Organisation.objects.filter(pk__in=led.values("organisation"))


# --- Commissioning plans, similar items and the near-duplicate report (design once) -------------


def may_plan(actor: Actor) -> bool:
    """The acting organisation's L&D leads and programme leaders record and read plans."""
    if actor.person is None or actor.organisation is None:
        return False
    return any(has_role(actor, role) for role in HOST_ROLES)


def visible_plans(actor: Actor) -> QuerySet[CommissioningPlan]:
    """To those who plan: the acting organisation's plans, and partners' plans not closed."""
    if not may_plan(actor):
        return CommissioningPlan.objects.none()
    own = Q(organisation=actor.organisation)
    from_partners = Q(organisation__in=partner_organisations(actor))
    not_closed = ~Q(status=PlanStatus.CLOSED)
    return CommissioningPlan.objects.filter(own | (from_partners & not_closed))


def similar_plans_for(actor: Actor) -> QuerySet[CommissioningPlan]:
    """Open plans offered as similar items: the visible plans still open."""
    return visible_plans(actor).filter(status=PlanStatus.OPEN)


def get_plan_for(actor: Actor, pk: int) -> CommissioningPlan:
    """One visible plan, or 404."""
    plan = visible_plans(actor).filter(pk=pk).select_related("organisation").first()
    if plan is None:
        raise Http404("No such plan")
    return plan


def may_change_plan(actor: Actor, plan: CommissioningPlan) -> bool:
    """The plan's own organisation's L&D leads and programme leaders, acting for it."""
    if actor.organisation is None or actor.organisation.pk != plan.organisation_id:
        return False
    return may_plan(actor)


def get_managed_plan(actor: Actor, pk: int) -> CommissioningPlan:
    """A visible plan the actor changes; 404 when not visible, 403 when not theirs."""
    plan = get_plan_for(actor, pk)
    if not may_change_plan(actor, plan):
        raise PermissionDenied
    return plan


def may_run_near_duplicate_report(actor: Actor) -> bool:
    """Partnership leads ask for and read their partnership's near-duplicate reports."""
    return led_partnerships(actor).exists()


def visible_near_duplicate_reports(actor: Actor) -> QuerySet[NearDuplicateReport]:
    """Reports of the partnerships the actor leads."""
    return NearDuplicateReport.objects.filter(partnership__in=led_partnerships(actor))


def get_near_duplicate_report_for(actor: Actor, pk: int) -> NearDuplicateReport:
    """One report of a partnership the actor leads, or 404."""
    report = visible_near_duplicate_reports(actor).filter(pk=pk).first()
    if report is None:
        raise Http404("No such report")
    return report


# --- Joint commissions and their value for money ---------------------------------------------


def visible_commissions(actor: Actor) -> QuerySet[JointCommission]:
    """Commissions led by the acting organisation or a partner (open to fellow members to join)."""
    if actor.organisation is None:
        return JointCommission.objects.none()
    return JointCommission.objects.filter(lead_organisation__in=partner_organisations(actor))


def get_commission_for(actor: Actor, pk: int) -> JointCommission:
    """One visible joint commission, or 404."""
    commission = (
        visible_commissions(actor)
        .filter(pk=pk)
        .select_related("plan", "lead_organisation", "programme")
        .first()
    )
    if commission is None:
        raise Http404("No such joint commission")
    return commission


def organisation_commissions(actor: Actor) -> QuerySet[JointCommission]:
    """Visible commissions the acting organisation is a partner in (as lead or not)."""
    if actor.organisation is None:
        return JointCommission.objects.none()
    mine = CommissionPartner.objects.filter(organisation=actor.organisation)
    return visible_commissions(actor).filter(pk__in=mine.values("commission"))


def _acts_as_ld_lead_of(actor: Actor, organisation_id: int) -> bool:
    """A person acting for the organisation who is its L&D lead."""
    if actor.person is None or actor.organisation is None:
        return False
    if actor.organisation.pk != organisation_id:
        return False
    return has_role(actor, OrganisationRole.LD_LEAD)


def may_start_commission(actor: Actor, plan: CommissioningPlan) -> bool:
    """The plan's organisation's L&D lead starts a joint commission on it, and leads it."""
    return _acts_as_ld_lead_of(actor, plan.organisation_id)


def may_lead_commission(actor: Actor, commission: JointCommission) -> bool:
    """The lead organisation's L&D lead sets the terms, agrees, cancels and links the programme."""
    return _acts_as_ld_lead_of(actor, commission.lead_organisation_id)


def may_join_commission(actor: Actor, commission: JointCommission) -> bool:
    """An L&D lead of another member of the lead's partnership commits places to it."""
    if actor.organisation is None or actor.organisation.pk == commission.lead_organisation_id:
        return False
    if not _acts_as_ld_lead_of(actor, actor.organisation.pk):
        return False
    return are_partners(commission.lead_organisation, actor.organisation)


def may_change_membership(actor: Actor, member: CommissionPartner) -> bool:
    """Only the partner organisation's L&D lead changes its places or leaves."""
    return _acts_as_ld_lead_of(actor, member.organisation_id)


def may_see_commission_report(actor: Actor) -> bool:
    """L&D leads (for their organisation) and partnership leads see the value-for-money report."""
    if actor.person is None or actor.organisation is None:
        return False
    return has_role(actor, OrganisationRole.LD_LEAD) or led_partnerships(actor).exists()


def reported_commissions(actor: Actor) -> QuerySet[JointCommission]:
    """The report's commissions: every one led within the partnerships the actor leads, and for an
    L&D lead those the acting organisation is a partner in."""
    if not may_see_commission_report(actor):
        return JointCommission.objects.none()
    led = open_memberships().filter(partnership__in=led_partnerships(actor))
    condition = Q(lead_organisation__in=led.values("organisation"))
    if has_role(actor, OrganisationRole.LD_LEAD):
        condition |= Q(partners__organisation=actor.organisation)
    return JointCommission.objects.filter(
        pk__in=JointCommission.objects.filter(condition).values("pk")
    )
