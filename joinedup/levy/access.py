"""The only functions that fetch levy objects for an actor, built on the partnership primitives.

An organisation's levy figures are seen by its own levy officers and admins, and by the levy lead
and partnership lead of a partnership it belongs to, never by other staff (issue 4). Another
organisation's figures are a 404 (Http404); figures the actor may see but not change are a 403.
Pledges are offered to the partnership, so any partner's levy officer or admin sees the open ones
and may apply; only the sender's levy officer decides on applications.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from joinedup.partnership.access import (
    has_role,
    led_partnerships,
    open_memberships,
    partner_organisations,
)
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import (
    Organisation,
    OrganisationRole,
    Partnership,
    PartnershipRole,
)

from .models import (
    Commitment,
    DeclarationImport,
    LedgerEntry,
    LevyAccount,
    Need,
    OptimiserRun,
    Pledge,
    PledgeApplication,
    PledgeStatus,
    Recommendation,
    Rule,
)

OWN_READERS = (OrganisationRole.LEVY_OFFICER, OrganisationRole.ORG_ADMIN)
SYSTEM_READERS = (PartnershipRole.LEVY_LEAD, PartnershipRole.PARTNERSHIP_LEAD)


# --- Accounts and the ledger -----------------------------------------------------------------


def is_levy_officer(actor: Actor) -> bool:
    """Whether the person is a levy officer of the organisation they act for."""
    return has_role(actor, OrganisationRole.LEVY_OFFICER)


def reads_own_levy(actor: Actor) -> bool:
    """Whether the person reads their acting organisation's levy figures (levy officer or admin)."""
    return any(has_role(actor, role) for role in OWN_READERS)


def overseen_partnerships(actor: Actor) -> QuerySet[Partnership]:
    """Partnerships whose levy the person oversees as levy lead or partnership lead."""
    return led_partnerships(actor, SYSTEM_READERS)


def overseen_organisations(actor: Actor) -> QuerySet[Organisation]:
    """Organisations with an open membership of a partnership whose levy the person oversees."""
    member = open_memberships().filter(
        organisation=OuterRef("pk"), partnership__in=overseen_partnerships(actor)
    )
    return Organisation.objects.filter(Exists(member))


def visible_accounts(actor: Actor) -> QuerySet[LevyAccount]:
    """Accounts whose figures the person may read: their own organisation's, or those overseen."""
    if actor.organisation is None:
        return LevyAccount.objects.none()
    own = Q(organisation=actor.organisation) if reads_own_levy(actor) else Q(pk__in=[])
    overseen = Q(organisation__in=overseen_organisations(actor))
    return LevyAccount.objects.filter(own | overseen)


def get_account_for(actor: Actor, pk: int) -> LevyAccount:
    """One account whose figures the person may read, or 404."""
    account = visible_accounts(actor).filter(pk=pk).select_related("organisation").first()
    if account is None:
        raise Http404("No such levy account")
    return account


def own_account(actor: Actor) -> LevyAccount | None:
    """The acting organisation's account, for its levy officers and admins; None otherwise."""
    if actor.organisation is None or not reads_own_levy(actor):
        return None
    return LevyAccount.objects.filter(organisation=actor.organisation).first()


def may_manage_account(actor: Actor, account: LevyAccount) -> bool:
    """Only the organisation's own levy officer enters declarations, schemes and commitments."""
    return actor.organisation_id == account.organisation_id and is_levy_officer(actor)


def get_managed_account_for(actor: Actor, pk: int) -> LevyAccount:
    """An account the person manages; 404 if they may not see it, 403 if they may not change it."""
    account = get_account_for(actor, pk)
    if not may_manage_account(actor, account):
        raise PermissionDenied
    return account


def entries_for(actor: Actor, account: LevyAccount) -> QuerySet[LedgerEntry]:
    """The ledger entries of an account the person may read (fetched through `get_account_for`)."""
    return LedgerEntry.objects.filter(account__in=visible_accounts(actor), account=account)


def may_open_account(actor: Actor) -> bool:
    """A levy officer opens the account of the organisation they act for (opening is idempotent)."""
    return actor.organisation is not None and is_levy_officer(actor)


def visible_rules(actor: Actor) -> QuerySet[Rule]:
    """The levy rules: the government's, not an organisation's, so everyone signed in reads them."""
    if not actor.is_authenticated:
        return Rule.objects.none()
    return Rule.objects.all()


def get_commitment_for(actor: Actor, pk: int) -> Commitment:
    """One commitment of an account whose figures the person may read, or 404."""
    commitment = (
        Commitment.objects.filter(account__in=visible_accounts(actor), pk=pk)
        .select_related("account__organisation")
        .first()
    )
    if commitment is None:
        raise Http404("No such commitment")
    return commitment


def get_declaration_import_for(actor: Actor, pk: int) -> DeclarationImport:
    """One declarations import of an account whose figures the person may read, or 404."""
    found = (
        DeclarationImport.objects.filter(account__in=visible_accounts(actor), pk=pk)
        .select_related("account__organisation", "uploaded_by")
        .first()
    )
    if found is None:
        raise Http404("No such import")
    return found


# --- Pledges and applications ----------------------------------------------------------------


def visible_pledges(actor: Actor) -> QuerySet[Pledge]:
    """Pledges of accounts the person reads, and open pledges of partners for levy readers."""
    readable = Q(account__in=visible_accounts(actor))
    if actor.organisation is None or not reads_own_levy(actor):
        return Pledge.objects.filter(readable)
    offered = Q(status=PledgeStatus.OPEN, account__organisation__in=partner_organisations(actor))
    return Pledge.objects.filter(readable | offered)


def get_pledge_for(actor: Actor, pk: int) -> Pledge:
    """One visible pledge, or 404."""
    pledge = visible_pledges(actor).filter(pk=pk).select_related("account__organisation").first()
    if pledge is None:
        raise Http404("No such pledge")
    return pledge


def may_manage_pledge(actor: Actor, pledge: Pledge) -> bool:
    """Only the sending organisation's levy officer changes a pledge or decides on applications."""
    return may_manage_account(actor, pledge.account)


def may_apply_to(actor: Actor, pledge: Pledge) -> bool:
    """A partner's levy officer may apply to an open pledge of another organisation."""
    return (
        pledge.status == PledgeStatus.OPEN
        and actor.organisation_id != pledge.account.organisation_id
        and is_levy_officer(actor)
    )


def visible_applications(actor: Actor) -> QuerySet[PledgeApplication]:
    """Applications the person's organisation made, or made to pledges of accounts they read."""
    readable = visible_accounts(actor)
    return PledgeApplication.objects.filter(
        Q(account__in=readable) | Q(pledge__account__in=readable)
    )


def get_application_for(actor: Actor, pk: int) -> PledgeApplication:
    """One visible application, or 404."""
    application = (
        visible_applications(actor)
        .filter(pk=pk)
        .select_related("pledge__account__organisation", "account__organisation")
        .first()
    )
    if application is None:
        raise Http404("No such application")
    return application


def may_decide_application(actor: Actor, application: PledgeApplication) -> bool:
    """The sender's levy officer approves or rejects applications against its pledges."""
    return may_manage_account(actor, application.pledge.account)


def may_answer_application(actor: Actor, application: PledgeApplication) -> bool:
    """The applicant's levy officer accepts, declines or withdraws its application."""
    return may_manage_account(actor, application.account)


# --- Needs and the pooling optimiser ---------------------------------------------------------


def oversees_levy(actor: Actor) -> bool:
    """Whether the person is levy lead or partnership lead of any partnership."""
    return overseen_partnerships(actor).exists()


def may_see_needs(actor: Actor) -> bool:
    """Levy officers and admins (their organisation's needs) and the leads (their partnership's)."""
    return reads_own_levy(actor) or oversees_levy(actor)


def need_organisations(actor: Actor) -> QuerySet[Organisation]:
    """Organisations the person adds needs for: their own as levy officer, members they oversee."""
    own = Q(pk=actor.organisation_id) if is_levy_officer(actor) else Q(pk__in=[])
    return Organisation.objects.filter(own | Q(pk__in=overseen_organisations(actor)))


def may_run_optimiser(actor: Actor, partnership: Partnership) -> bool:
    """The partnership's levy lead or partnership lead runs the optimiser."""
    return overseen_partnerships(actor).filter(pk=partnership.pk).exists()


def visible_needs(actor: Actor) -> QuerySet[Need]:
    """Needs of the person's own organisation (levy readers) and of the partnerships overseen."""
    own = (
        Q(organisation=actor.organisation)
        if actor.organisation is not None and reads_own_levy(actor)
        else Q(pk__in=[])
    )
    overseen = Q(partnership__in=overseen_partnerships(actor))
    return Need.objects.filter(own | overseen)


def get_need_for(actor: Actor, pk: int) -> Need:
    """One visible need, or 404."""
    need = visible_needs(actor).filter(pk=pk).select_related("organisation").first()
    if need is None:
        raise Http404("No such need")
    return need


def may_manage_need(actor: Actor, need: Need) -> bool:
    """The organisation's levy officer, or the partnership's levy or partnership lead."""
    own = actor.organisation_id == need.organisation_id and is_levy_officer(actor)
    return own or overseen_partnerships(actor).filter(pk=need.partnership_id).exists()


def visible_optimiser_runs(actor: Actor) -> QuerySet[OptimiserRun]:
    """Optimiser runs of the partnerships whose levy the person oversees."""
    return OptimiserRun.objects.filter(partnership__in=overseen_partnerships(actor))


def get_optimiser_run_for(actor: Actor, pk: int) -> OptimiserRun:
    """One optimiser run of a partnership the person oversees, or 404."""
    run = visible_optimiser_runs(actor).filter(pk=pk).first()
    if run is None:
        raise Http404("No such optimiser run")
    return run


def visible_recommendations(actor: Actor) -> QuerySet[Recommendation]:
    """Recommendations of runs the person oversees, or whose sender's figures they read."""
    return Recommendation.objects.filter(
        Q(optimiser_run__in=visible_optimiser_runs(actor)) | Q(sender__in=visible_accounts(actor))
    )


def get_recommendation_for(actor: Actor, pk: int) -> Recommendation:
    """A recommendation the person oversees or whose sender they read, or 404."""
    recommendation = (
        visible_recommendations(actor)
        .filter(pk=pk)
        .select_related("need__organisation", "sender__organisation", "optimiser_run")
        .first()
    )
    if recommendation is None:
        raise Http404("No such recommendation")
    return recommendation


def may_pledge_recommendation(actor: Actor, recommendation: Recommendation) -> bool:
    """Only the sending organisation's levy officer turns a recommendation into a pledge."""
    return may_manage_account(actor, recommendation.sender)
