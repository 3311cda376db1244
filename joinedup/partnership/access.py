"""The access primitives, and the only functions that fetch partnership objects for an actor.

Every view, API operation, task and export fetches people and organisations through here.
Another organisation's private object is a 404 (Http404); a visible object the actor may not
change is a 403 (PermissionDenied).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, F, FilteredRelation, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from .actor import Actor
from .models import (
    ApiToken,
    AuditEvent,
    EmailAddress,
    Employment,
    Grade,
    Invitation,
    Membership,
    Organisation,
    OrganisationRole,
    OrganisationRoleGrant,
    Partnership,
    PartnershipRole,
    PartnershipRoleGrant,
    Person,
    RechargeEntry,
    StaffImport,
    current_on,
)

DIRECTORY_WIDE_ROLES = (PartnershipRole.PARTNERSHIP_LEAD, PartnershipRole.PARTNERSHIP_ANALYST)


# --- Primitives -------------------------------------------------------------------------------


def current_employments(person: Person) -> QuerySet[Employment]:
    """A person's employments that are current today."""
    return Employment.objects.current().filter(person=person)


def organisations_for(person: Person | None) -> QuerySet[Organisation]:
    """The organisations a person may act for: those where they hold a current employment."""
    if person is None:
        return Organisation.objects.none()
    employed = Employment.objects.current().filter(person=person, organisation=OuterRef("pk"))
    return Organisation.objects.filter(Exists(employed))


def actor_acting_for(person: Person, chosen: int | None) -> Actor:
    """The person acting for the chosen organisation, else their first by name (none if jobless).

    One query finds the organisations they may act for with their roles at each; both are
    remembered for the request, so the page shell's switcher and role checks ask no more.
    """
    grants = FilteredRelation("role_grants", condition=Q(role_grants__person=person))
    rows = (
        organisations_for(person)
        .annotate(grants=grants, my_role=F("grants__role"))
        .order_by("name", "pk")
    )
    organisations: dict[int, Organisation] = {}
    roles: dict[int, set[str]] = {}
    for organisation in rows:
        organisations.setdefault(organisation.pk, organisation)
        roles.setdefault(organisation.pk, set())
        if organisation.my_role is not None:
            roles[organisation.pk].add(organisation.my_role)
    if not organisations:
        return Actor(person=person, organisation=None)
    acting = organisations.get(chosen) if chosen is not None else None
    acting = acting or next(iter(organisations.values()))
    actor = Actor(person=person, organisation=acting)
    actor.memo["organisations"] = list(organisations.values())
    actor.memo["organisation_roles"] = frozenset(roles[acting.pk])
    return actor


def switchable_organisations(actor: Actor) -> list[Organisation]:
    """The organisations the signed-in person may act for, by name (the header's switcher)."""
    person = actor.person
    if person is None:
        return []
    return remembered(
        actor, "organisations", lambda: list(organisations_for(person).order_by("name", "pk"))
    )


# Checks other apps register for people who sign in with no employment (apprenticeships: external
# end-point assessors); partnership imports no other app.
SIGN_IN_WITHOUT_EMPLOYMENT: list[Callable[[Person], bool]] = []


def allow_sign_in_without_employment(check: Callable[[Person], bool]) -> None:
    """Let people the check accepts sign in with no current employment (acting for none)."""
    if check not in SIGN_IN_WITHOUT_EMPLOYMENT:
        SIGN_IN_WITHOUT_EMPLOYMENT.append(check)


def can_sign_in(person: Person) -> bool:
    """Only people with a current employment somewhere on the installation may sign in, or
    those a registered check accepts without one."""
    if not person.is_active:
        return False
    if current_employments(person).exists():
        return True
    return any(check(person) for check in SIGN_IN_WITHOUT_EMPLOYMENT)


def remembered(actor: Actor, key: str, work_out: Callable[[], Any]) -> Any:
    """A fact about the actor worked out once per request (the actor lives for one request)."""
    if key not in actor.memo:
        actor.memo[key] = work_out()
    return actor.memo[key]


def forget(actor: Actor) -> None:
    """Drop what was worked out about the actor, after a change to roles or memberships."""
    actor.memo.clear()


def organisation_roles(actor: Actor) -> frozenset[str]:
    """The person's organisation roles at the organisation they are acting for."""
    if actor.person is None or actor.organisation is None:
        return frozenset()
    person, organisation = actor.person, actor.organisation

    def work_out() -> frozenset[str]:
        grants = OrganisationRoleGrant.objects.filter(person=person, organisation=organisation)
        return frozenset(grants.values_list("role", flat=True))

    return remembered(actor, "organisation_roles", work_out)


def has_role(actor: Actor, role: str) -> bool:
    """Whether the person holds an organisation role at the organisation they are acting for."""
    return role in organisation_roles(actor)


def roles_of(actor: Actor) -> set[str]:
    """All organisation roles at the acting organisation and all partnership roles of the person."""
    if actor.person is None:
        return set()
    return {role for _, role in partnership_roles(actor)} | organisation_roles(actor)


def open_memberships() -> QuerySet[Membership]:
    """Memberships that have not ended."""
    return Membership.objects.filter(Q(left_on__isnull=True) | Q(left_on__gt=timezone.localdate()))


@dataclass(frozen=True)
class _Partnerships:
    partnerships: list[Partnership]  # the acting organisation's, by name
    roles: frozenset[tuple[int, str]]  # (partnership id, role) the person holds in them
    members: tuple[int, ...]  # ids of every organisation with an open membership of one of them


# `_partnerships` in one statement written out: nearly every page asks it, and the ORM took
# longer to build the query (with its filtered relations) than the database to run it. The
# conditions on memberships are those of `open_memberships`.
_PARTNERSHIPS_SQL = """
SELECT partnership.id, partnership.name, partnership.description, partnership.region,
    partnership.created_at, grants.role AS my_role, members.organisation_id AS member_id
FROM partnership_partnership partnership
JOIN partnership_membership members ON members.partnership_id = partnership.id
    AND (members.left_on IS NULL OR members.left_on > %(today)s)
LEFT JOIN partnership_partnershiprolegrant grants ON grants.partnership_id = partnership.id
    AND grants.person_id = %(person)s
WHERE EXISTS (
    SELECT 1 FROM partnership_membership mine
    WHERE mine.partnership_id = partnership.id AND mine.organisation_id = %(organisation)s
    AND (mine.left_on IS NULL OR mine.left_on > %(today)s)
)
ORDER BY partnership.name, partnership.id
"""


def _partnerships(actor: Actor) -> _Partnerships:
    """The acting organisation's partnerships, the person's roles and the members: one query."""
    organisation, person = actor.organisation, actor.person

    def work_out() -> _Partnerships:
        if organisation is None:
            return _Partnerships([], frozenset(), ())
        rows = Partnership.objects.raw(
            _PARTNERSHIPS_SQL,
            {
                "organisation": organisation.pk,
                "person": person.pk if person is not None else None,
                "today": timezone.localdate(),
            },
        )
        partnerships: dict[int, Partnership] = {}
        roles = set()
        members = set()
        for partnership in rows:
            partnerships.setdefault(partnership.pk, partnership)
            members.add(partnership.member_id)
            if partnership.my_role is not None:
                roles.add((partnership.pk, partnership.my_role))
        return _Partnerships(list(partnerships.values()), frozenset(roles), tuple(sorted(members)))

    return remembered(actor, "partnerships", work_out)


def acting_partnerships(actor: Actor) -> list[Partnership]:
    """The partnerships the acting organisation currently belongs to, by name, once per request."""
    return _partnerships(actor).partnerships


def partnership_roles(actor: Actor) -> frozenset[tuple[int, str]]:
    """(partnership id, role) for each role the person holds in the acting organisation's ones."""
    return _partnerships(actor).roles


def partnerships_of(actor: Actor) -> QuerySet[Partnership]:
    """The partnerships the acting organisation currently belongs to."""
    if actor.organisation is None:
        return Partnership.objects.none()
    return Partnership.objects.filter(pk__in=[p.pk for p in acting_partnerships(actor)])


def has_partnership_role(actor: Actor, role: str, partnership: Partnership | None = None) -> bool:
    """Whether they hold a partnership role in one of the acting organisation's partnerships."""
    if actor.person is None:
        return False
    grants = PartnershipRoleGrant.objects.filter(
        person=actor.person, role=role, partnership__in=partnerships_of(actor)
    )
    if partnership is not None:
        grants = grants.filter(partnership=partnership)
    return grants.exists()


def led_partnerships(actor: Actor, roles: tuple[str, ...] = (PartnershipRole.PARTNERSHIP_LEAD,)):
    """Partnerships in which the person holds one of the given partnership roles."""
    if actor.person is None or actor.organisation is None:
        return Partnership.objects.none()
    # From the roles read once per request: no query at all when the person leads none.
    led = {pk for pk, role in partnership_roles(actor) if role in roles}
    return Partnership.objects.filter(pk__in=sorted(led))


def partner_organisations(actor: Actor) -> QuerySet[Organisation]:
    """Organisations with an open membership of any of the acting organisation's partnerships."""
    return Organisation.objects.filter(pk__in=partner_organisation_ids(actor))


def partner_organisation_ids(actor: Actor) -> tuple[int, ...]:
    """The ids of `partner_organisations`, read with the partnerships once per request: a
    condition on a list of ids is cheaper to build and to run than a subquery."""
    return _partnerships(actor).members


def are_partners(first: Organisation, second: Organisation) -> bool:
    """Whether two organisations share an open partnership membership."""
    shared = open_memberships().filter(
        organisation=second,
        partnership__in=open_memberships().filter(organisation=first).values("partnership"),
    )
    return shared.exists()


def managed_employments(actor: Actor) -> QuerySet[Employment]:
    """Current employments line-managed by the actor's current job at the acting organisation."""
    if actor.person is None or actor.organisation is None:
        return Employment.objects.none()
    managers = current_employments(actor.person).filter(organisation=actor.organisation)
    return Employment.objects.current().filter(line_manager__in=managers)


def is_line_manager_of(actor: Actor, person: Person) -> bool:
    """Whether the actor currently line-manages the person (in the organisation they act for)."""
    return managed_employments(actor).filter(person=person).exists()


# --- Organisations ---------------------------------------------------------------------------


def visible_organisations(actor: Actor) -> QuerySet[Organisation]:
    """Every member organisation of the actor's partnerships, and the acting organisation itself."""
    if actor.organisation is None:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        Q(pk__in=partner_organisations(actor).values("pk")) | Q(pk=actor.organisation.pk)
    )


def get_organisation_for(actor: Actor, pk: int) -> Organisation:
    """One visible organisation, or 404."""
    organisation = visible_organisations(actor).filter(pk=pk).first()
    if organisation is None:
        raise Http404("No such organisation")
    return organisation


def can_administer(actor: Actor, organisation: Organisation) -> bool:
    """Organisation admins manage only the organisation they act for."""
    return (
        actor.organisation is not None
        and actor.organisation.pk == organisation.pk
        and has_role(actor, OrganisationRole.ORG_ADMIN)
    )


def get_administered_organisation(actor: Actor, pk: int) -> Organisation:
    """An organisation the actor administers; 404 when invisible, 403 when visible only."""
    organisation = get_organisation_for(actor, pk)
    if not can_administer(actor, organisation):
        raise PermissionDenied
    return organisation


def can_lead(actor: Actor, partnership: Partnership) -> bool:
    """Whether the person is a partnership lead of this partnership."""
    return led_partnerships(actor).filter(pk=partnership.pk).exists()


def get_led_partnership_for(actor: Actor, pk: int) -> Partnership:
    """A partnership the actor leads; 404 when not theirs, 403 when a member but not lead."""
    partnership = partnerships_of(actor).filter(pk=pk).first()
    if partnership is None:
        raise Http404("No such partnership")
    if not can_lead(actor, partnership):
        raise PermissionDenied
    return partnership


# --- People ----------------------------------------------------------------------------------


def directory_organisations(actor: Actor) -> QuerySet[Organisation]:
    """Organisations whose staff directory the actor may read."""
    return Organisation.objects.filter(pk__in=directory_organisation_ids(actor))


def directory_organisation_ids(actor: Actor) -> list[int]:
    """Ids of the organisations whose staff directory the actor may read, once per request."""
    if actor.organisation is None:
        return []
    acting = actor.organisation.pk

    def work_out() -> list[int]:
        if led_partnerships(actor, DIRECTORY_WIDE_ROLES).exists():
            return list(visible_organisations(actor).values_list("pk", flat=True))
        return [acting]

    return remembered(actor, "directory_organisation_ids", work_out)


def visible_employments(actor: Actor) -> QuerySet[Employment]:
    """Employments the actor may read: current ones in their directory, plus leavers for admins."""
    current_in_directory = Q(
        pk__in=Employment.objects.current()
        .filter(organisation__in=directory_organisations(actor))
        .values("pk")
    )
    if actor.organisation is not None and has_role(actor, OrganisationRole.ORG_ADMIN):
        return Employment.objects.filter(current_in_directory | Q(organisation=actor.organisation))
    return Employment.objects.filter(current_in_directory)


def visible_people(actor: Actor) -> QuerySet[Person]:
    """People currently employed in the actor's directory, their admin's leavers, and themselves."""
    if not actor.is_authenticated:
        return Person.objects.none()
    # One EXISTS holding every alternative: PostgreSQL can then walk the name index and stop at a
    # page, where an OR of several EXISTS makes it build the set of every visible person first.
    alternatives = current_on() & Q(organisation_id__in=directory_organisation_ids(actor))
    if actor.organisation is not None and has_role(actor, OrganisationRole.ORG_ADMIN):
        alternatives |= Q(organisation=actor.organisation)
    if actor.person is not None:
        alternatives |= Q(person=actor.person)
    return Person.objects.filter(
        Exists(Employment.objects.filter(alternatives, person=OuterRef("pk")))
    )


def get_person_for(actor: Actor, pk: int) -> Person:
    """One visible person, or 404."""
    person = visible_people(actor).filter(pk=pk).first()
    if person is None:
        raise Http404("No such person")
    return person


def may_see_history(actor: Actor, person: Person) -> bool:
    """Full employment history: the person, admins of any employer of theirs, and leads."""
    if actor.person is not None and actor.person.pk == person.pk:
        return True
    if led_partnerships(actor, DIRECTORY_WIDE_ROLES).exists():
        return True
    return (
        actor.organisation is not None
        and has_role(actor, OrganisationRole.ORG_ADMIN)
        and (Employment.objects.filter(person=person, organisation=actor.organisation).exists())
    )


def get_managed_employment(actor: Actor, pk: int) -> Employment:
    """An employment at the organisation the actor administers: 404 if unseen, 403 if not admin."""
    employment = (
        visible_employments(actor).filter(pk=pk).select_related("person", "organisation").first()
    )
    if employment is None:
        raise Http404("No such employment")
    if not can_administer(actor, employment.organisation):
        raise PermissionDenied
    return employment


def audit_events_for(actor: Actor) -> QuerySet[AuditEvent]:
    """Admins see their organisation's log; the partnership lead sees all of the partnership's."""
    if actor.organisation is None:
        return AuditEvent.objects.none()
    condition = Q(pk__in=[])
    if led_partnerships(actor).exists():
        condition |= Q(partnership__in=led_partnerships(actor))
        condition |= Q(organisation__in=visible_organisations(actor))
    if has_role(actor, OrganisationRole.ORG_ADMIN):
        condition |= Q(organisation=actor.organisation)
    return AuditEvent.objects.filter(condition)


# --- Administration --------------------------------------------------------------------------
# The organisation passed in has already been fetched with get_administered_organisation.


def current_staff(organisation: Organisation) -> QuerySet[Employment]:
    """Employments current today at an organisation the caller administers."""
    return Employment.objects.current().filter(organisation=organisation)


def leavers_of(organisation: Organisation) -> QuerySet[Employment]:
    """Ended employments with a destination (a change of job ends one without a destination)."""
    return (
        Employment.objects.filter(organisation=organisation)
        .filter(end_date__lt=timezone.localdate())
        .exclude(destination="")
    )


def find_current_staff(organisation: Organisation, identifier: str) -> Employment | None:
    """A current employment at the organisation by employee number or e-mail address, or None."""
    identifier = identifier.strip()
    if not identifier:
        return None
    match = (
        Q(employee_number=identifier)
        | Q(work_email__iexact=identifier)
        | Q(person__email__iexact=identifier)
    )
    return current_staff(organisation).filter(match).select_related("person").first()


def find_member_staff(partnership: Partnership, email: str) -> Person | None:
    """Someone currently working at a member organisation of the partnership, by e-mail, or None."""
    email = email.strip()
    if not email:
        return None
    employed = (
        Employment.objects.current()
        .filter(person=OuterRef("pk"))
        .filter(
            organisation__in=open_memberships()
            .filter(partnership=partnership)
            .values("organisation")
        )
        .filter(Q(work_email__iexact=email) | Q(person__email__iexact=email))
    )
    return Person.objects.filter(Exists(employed)).first()


def get_managed_grade(organisation: Organisation, pk: int) -> Grade:
    """A row of the administered organisation's grade table; another's row is a 404."""
    grade = organisation.grades.filter(pk=pk).first()
    if grade is None:
        raise Http404("No such grade")
    return grade


def get_managed_role_grant(organisation: Organisation, pk: int) -> OrganisationRoleGrant:
    """A role held at the administered organisation; a role at another is a 404."""
    grant = organisation.role_grants.filter(pk=pk).select_related("person").first()
    if grant is None:
        raise Http404("No such role")
    return grant


def get_led_partnership(actor: Actor) -> Partnership:
    """The partnership the actor leads (the first by name if several); 403 when they lead none."""
    partnership = led_partnerships(actor).first()
    if partnership is None:
        raise PermissionDenied
    return partnership


def get_led_membership(actor: Actor, pk: int) -> Membership:
    """A membership of one of the actor's partnerships; 404 otherwise, 403 unless they lead it."""
    membership = (
        Membership.objects.filter(pk=pk)
        .filter(partnership__in=partnerships_of(actor))
        .select_related("partnership", "organisation")
        .first()
    )
    if membership is None:
        raise Http404("No such membership")
    if not can_lead(actor, membership.partnership):
        raise PermissionDenied
    return membership


def get_led_partnership_role_grant(actor: Actor, pk: int) -> PartnershipRoleGrant:
    """A partnership role in one of the actor's partnerships; 404 otherwise, 403 unless lead."""
    grant = (
        PartnershipRoleGrant.objects.filter(pk=pk)
        .filter(partnership__in=partnerships_of(actor))
        .select_related("partnership", "person")
        .first()
    )
    if grant is None:
        raise Http404("No such role")
    if not can_lead(actor, grant.partnership):
        raise PermissionDenied
    return grant


def get_invitation_for(actor: Actor, raw_token: str) -> Invitation:
    """An open invitation sent to one of the signed-in person's e-mail addresses, or 404."""
    from .services import hash_token  # services imports this module

    if actor.person is None:
        raise Http404("No such invitation")
    addresses = EmailAddress.objects.filter(person=actor.person).values("email")
    invitation = (
        Invitation.objects.filter(token_hash=hash_token(raw_token))
        .filter(accepted_at__isnull=True)
        .filter(Q(email=actor.person.email) | Q(email__in=addresses))
        .select_related("organisation", "grade")
        .first()
    )
    if invitation is None:
        raise Http404("No such invitation")
    return invitation


def get_staff_import_for(actor: Actor, pk: int) -> StaffImport:
    """A staff import of the acting organisation; 404 for another's, 403 unless its admin."""
    if actor.organisation is None:
        raise Http404("No such staff import")
    staff_import = (
        StaffImport.objects.filter(pk=pk)
        .filter(organisation=actor.organisation)
        .select_related("organisation", "uploaded_by")
        # The pages never need the rows or the file, which can run to megabytes.
        .defer("rows", "uploaded_file")
        .first()
    )
    if staff_import is None:
        raise Http404("No such staff import")
    if not can_administer(actor, staff_import.organisation):
        raise PermissionDenied
    return staff_import


# --- Directory pages -------------------------------------------------------------------------


def directory_employments(actor: Actor) -> QuerySet[Employment]:
    """Rows of the people directory: current employments at the actor's directory organisations."""
    return Employment.objects.current().filter(organisation__in=directory_organisations(actor))


def may_see_staff_of(actor: Actor, organisation: Organisation) -> bool:
    """Whether the organisation's staff appear in the actor's people directory."""
    return directory_organisations(actor).filter(pk=organisation.pk).exists()


def employments_for(actor: Actor, person: Person) -> QuerySet[Employment]:
    """A visible person's employments: full history where allowed, else current directory ones."""
    if may_see_history(actor, person):
        return Employment.objects.filter(person=person)
    return directory_employments(actor).filter(person=person)


def organisation_roles_for(actor: Actor, person: Person) -> QuerySet[OrganisationRoleGrant]:
    """A visible person's roles at organisations in the actor's directory (all, for themselves)."""
    grants = OrganisationRoleGrant.objects.filter(person=person)
    if actor.person is not None and actor.person.pk == person.pk:
        return grants
    return grants.filter(organisation__in=directory_organisations(actor))


def partnership_roles_for(actor: Actor, person: Person) -> QuerySet[PartnershipRoleGrant]:
    """A visible person's partnership roles in the actor's partnerships (all, for themselves)."""
    grants = PartnershipRoleGrant.objects.filter(person=person)
    if actor.person is not None and actor.person.pk == person.pk:
        return grants
    return grants.filter(partnership__in=partnerships_of(actor))


def memberships_for(actor: Actor, organisation: Organisation) -> QuerySet[Membership]:
    """A visible organisation's memberships, past and present, of the actor's partnerships only."""
    return Membership.objects.filter(
        organisation=organisation, partnership__in=partnerships_of(actor)
    )


# --- API tokens ------------------------------------------------------------------------------


def usable_token(raw: str) -> ApiToken | None:
    """The token with this raw value if it is neither revoked nor expired, or None."""
    from .services import hash_token  # services imports this module

    return (
        ApiToken.objects.filter(token_hash=hash_token(raw))
        .filter(revoked_at__isnull=True)
        .filter(expires_at__gt=timezone.now())
        .select_related("person", "organisation")
        .first()
    )


def personal_tokens(actor: Actor) -> QuerySet[ApiToken]:
    """The signed-in person's own personal tokens."""
    if actor.person is None:
        return ApiToken.objects.none()
    return ApiToken.objects.filter(person=actor.person)


def get_personal_token_for(actor: Actor, pk: int) -> ApiToken:
    """One of the signed-in person's own tokens; anyone else's is a 404."""
    token = personal_tokens(actor).filter(pk=pk).first()
    if token is None:
        raise Http404("No such token")
    return token


def organisation_tokens(organisation: Organisation) -> QuerySet[ApiToken]:
    """The tokens of an organisation the caller administers."""
    return ApiToken.objects.filter(organisation=organisation)


def get_organisation_token(organisation: Organisation, pk: int) -> ApiToken:
    """A token of the administered organisation; another organisation's token is a 404."""
    token = organisation_tokens(organisation).filter(pk=pk).first()
    if token is None:
        raise Http404("No such token")
    return token


# --- Recharges -------------------------------------------------------------------------------

RECHARGE_READERS = frozenset(
    {OrganisationRole.ORG_ADMIN, OrganisationRole.LD_LEAD, OrganisationRole.LEVY_OFFICER}
)
RECHARGE_WRITERS = frozenset({OrganisationRole.ORG_ADMIN, OrganisationRole.LD_LEAD})


def may_read_recharges(actor: Actor) -> bool:
    """The acting organisation's admin, L&D lead or levy officer may read its recharges."""
    return bool(organisation_roles(actor) & RECHARGE_READERS)


def visible_recharges(actor: Actor) -> QuerySet[RechargeEntry]:
    """Entries the acting organisation pays or receives, for those who may read its recharges."""
    if actor.organisation is None or not may_read_recharges(actor):
        return RechargeEntry.objects.none()
    organisation = actor.organisation
    return RechargeEntry.objects.filter(Q(payer=organisation) | Q(payee=organisation))


def get_recharge_for(actor: Actor, pk: int) -> RechargeEntry:
    """One entry the acting organisation pays or receives, for those who read its recharges; 404."""
    entry = (
        visible_recharges(actor).with_status().filter(pk=pk).select_related("payer", "payee")
    ).first()
    if entry is None:
        raise Http404("No such recharge entry")
    return entry


def may_post_recharge(actor: Actor, payee: Organisation) -> bool:
    """The payee's admin or L&D lead may post a charge to a partner (jobs post with no actor)."""
    return actor.organisation_id == payee.pk and bool(organisation_roles(actor) & RECHARGE_WRITERS)


def may_reverse_recharge(actor: Actor, entry: RechargeEntry) -> bool:
    """The admin or L&D lead of either the payer or the payee may reverse an entry."""
    return actor.organisation_id in (entry.payer_id, entry.payee_id) and bool(
        organisation_roles(actor) & RECHARGE_WRITERS
    )
