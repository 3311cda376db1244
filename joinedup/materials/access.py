"""The only functions that fetch materials, their versions, reuse and reports for an actor.

Who may read a material follows its licence (issue 5, "Visibility follows the licence"):

- anyone, signed in or not, reads a material its owner's L&D lead has published openly, while its
  licence is an open one and it is not hidden;
- the owner organisation's staff read all its materials;
- members of a partnership the owner belongs to read its partnership-licensed and open-licensed
  ones (published openly or not); "owner organisation only" never leaves the owner;
- a hidden material is out of circulation: only the owner's L&D leads and admins, and the leads
  of the owner's partnerships (for materials their members may read), still see it.

Another organisation's private material is a 404 (Http404); a visible one the actor may not change
is a 403 (PermissionDenied).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from joinedup.learning import access as learning_access
from joinedup.learning.models import Programme
from joinedup.partnership.access import (
    has_role,
    is_line_manager_of,
    led_partnerships,
    managed_employments,
    open_memberships,
    partner_organisation_ids,
    partner_organisations,
)
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import Employment, OrganisationRole, Person

from . import licences
from .models import (
    Accreditation,
    DeliveryRequest,
    DeliveryStatus,
    Material,
    MaterialAuthor,
    MaterialReport,
    MaterialVersion,
    Reuse,
    TrainerAvailability,
    TrainerOffer,
)

OPEN_LICENCES = tuple(code for code, item in licences.LICENCES.items() if item.is_open)
# Licences under which the owner's partners read a material.
PARTNER_LICENCES = (*OPEN_LICENCES, licences.PARTNERSHIP)
# The owner's roles that look after its materials: edit, hide and handle reports.
KEEPER_ROLES = (OrganisationRole.LD_LEAD, OrganisationRole.ORG_ADMIN)
# Roles that bring a material into the acting organisation's work: adapt it, record its reuse.
USER_ROLES = (OrganisationRole.LD_LEAD, OrganisationRole.PROGRAMME_LEADER)
# Roles that add the acting organisation's own materials.
CREATOR_ROLES = (
    OrganisationRole.LD_LEAD,
    OrganisationRole.PROGRAMME_LEADER,
    OrganisationRole.ORG_ADMIN,
)


# --- Who the actor is to a material -------------------------------------------------------------


def _acts_for_owner(actor: Actor, material: Material) -> bool:
    """The actor is acting for the material's owner organisation."""
    return actor.organisation is not None and actor.organisation.pk == material.owner_id


def _has_any_role(actor: Actor, roles: tuple[str, ...]) -> bool:
    """The person holds one of these roles at the organisation they act for."""
    return actor.person is not None and any(has_role(actor, role) for role in roles)


def _led_members(actor: Actor) -> QuerySet:
    """Ids of the member organisations of the partnerships the person leads."""
    led = open_memberships().filter(partnership__in=led_partnerships(actor))
    return led.values("organisation")


def is_keeper(actor: Actor, material: Material) -> bool:
    """An L&D lead or admin of the owner organisation, acting for it."""
    return _acts_for_owner(actor, material) and _has_any_role(actor, KEEPER_ROLES)


def leads_partnership_of(actor: Actor, material: Material) -> bool:
    """A lead of a partnership the owner belongs to, for a material its members may read."""
    if material.licence == licences.OWNER_ONLY:
        return False
    return _led_members(actor).filter(organisation=material.owner_id).exists()


# --- Materials ----------------------------------------------------------------------------------


def visible_materials(actor: Actor | None) -> QuerySet[Material]:
    """Materials the actor may read (see the module's docstring)."""
    shown = Q(hidden_at__isnull=True)
    published = Q(published_openly_at__isnull=False, licence__in=OPEN_LICENCES)
    if actor is None or actor.organisation is None:
        return Material.objects.filter(published & shown)
    own = Q(owner=actor.organisation)
    from_partners = Q(owner_id__in=partner_organisation_ids(actor), licence__in=PARTNER_LICENCES)
    condition = (own | from_partners | published) & shown
    if _has_any_role(actor, KEEPER_ROLES):
        condition |= own
    if led_partnerships(actor).exists():
        condition |= Q(owner__in=_led_members(actor), licence__in=PARTNER_LICENCES)
    return Material.objects.filter(condition)


def public_materials() -> QuerySet[Material]:
    """Materials anyone may read without signing in: published openly, open licence, shown."""
    return visible_materials(None)


def get_material_for(actor: Actor | None, pk: int) -> Material:
    """One visible material, or 404."""
    material = (
        visible_materials(actor)
        .filter(pk=pk)
        .select_related("owner", "current_version", "adapted_from__material__owner")
        .first()
    )
    if material is None:
        raise Http404("No such material")
    return material


def get_public_material(pk: int) -> Material:
    """One material anyone may read without signing in, or 404."""
    return get_material_for(None, pk)


def may_create(actor: Actor) -> bool:
    """The acting organisation's L&D leads, programme leaders and admins add its materials."""
    return actor.organisation is not None and _has_any_role(actor, CREATOR_ROLES)


def is_credited_author(actor: Actor, material: Material) -> bool:
    """The person is credited as one of the material's authors."""
    if actor.person is None:
        return False
    return MaterialAuthor.objects.filter(material=material, person=actor.person).exists()


def may_edit(actor: Actor, material: Material) -> bool:
    """The owner's L&D leads and admins, or a credited author acting for the owner."""
    if not _acts_for_owner(actor, material) or actor.person is None:
        return False
    return is_keeper(actor, material) or is_credited_author(actor, material)


def get_editable_material(actor: Actor, pk: int) -> Material:
    """A visible material the actor may change; 404 when unseen, 403 when not theirs."""
    material = get_material_for(actor, pk)
    if not may_edit(actor, material):
        raise PermissionDenied
    return material


def may_publish_openly(actor: Actor, material: Material) -> bool:
    """The owner's L&D lead publishes, or withdraws, a material under an open licence."""
    if not _acts_for_owner(actor, material) or material.is_hidden:
        return False
    if material.licence not in OPEN_LICENCES:
        return False
    return _has_any_role(actor, (OrganisationRole.LD_LEAD,))


def get_publishable_material(actor: Actor, pk: int) -> Material:
    """A visible material the actor may publish openly or withdraw; 404 when unseen, else 403."""
    material = get_material_for(actor, pk)
    if not may_publish_openly(actor, material):
        raise PermissionDenied
    return material


def has_version(material: Material) -> bool:
    """The material has a current version, which is what an adaptation starts from."""
    return material.current_version_id is not None


def may_use(actor: Actor, material: Material) -> bool:
    """An L&D lead or programme leader of the acting organisation, on a shown material: who may
    bring it into their work (adapt it, or ask to record a reuse of it)."""
    if actor.organisation is None or material.is_hidden:
        return False
    return _has_any_role(actor, USER_ROLES)


def may_adapt(actor: Actor, material: Material) -> bool:
    """An L&D lead or programme leader adapts a shown material that has a current version;
    owner-only ones only inside the owner."""
    if not may_use(actor, material):
        return False
    if not has_version(material):
        return False
    if material.licence == licences.OWNER_ONLY:
        return _acts_for_owner(actor, material)
    return True


def get_adaptable_material(actor: Actor, pk: int) -> Material:
    """A visible material the actor may adapt; 404 when unseen, 403 when they may not."""
    material = get_material_for(actor, pk)
    if not may_adapt(actor, material):
        raise PermissionDenied
    return material


def is_own_material(actor: Actor, material: Material) -> bool:
    """The material is the acting organisation's own, whose reuse it does not record (the
    organisations that use it do)."""
    return _acts_for_owner(actor, material)


def may_record_reuse(actor: Actor, material: Material) -> bool:
    """An L&D lead or programme leader records that the acting organisation used another
    organisation's shown material."""
    if not may_use(actor, material):
        return False
    return not is_own_material(actor, material)


def get_reusable_material(actor: Actor, pk: int) -> Material:
    """A visible material the actor may ask to record a reuse of; 404 when unseen, 403 when not.
    Their own organisation's material passes here, so the form and the API can give the reason
    (`is_own_material`) rather than a bare refusal."""
    material = get_material_for(actor, pk)
    if not may_use(actor, material):
        raise PermissionDenied
    return material


def may_report(actor: Actor, material: Material) -> bool:
    """Any signed-in person who reads a shown material may report it."""
    return actor.person is not None and actor.organisation is not None and not material.is_hidden


def get_reportable_material(actor: Actor, pk: int) -> Material:
    """A visible material the actor may report; 404 when unseen, 403 when they may not."""
    material = get_material_for(actor, pk)
    if not may_report(actor, material):
        raise PermissionDenied
    return material


def may_hide(actor: Actor, material: Material) -> bool:
    """The owner's L&D leads and admins, or a lead of a partnership the owner belongs to."""
    if actor.person is None:
        return False
    return is_keeper(actor, material) or leads_partnership_of(actor, material)


def get_hideable_material(actor: Actor, pk: int) -> Material:
    """A visible material the actor may hide or show again; 404 when unseen, 403 when not."""
    material = get_material_for(actor, pk)
    if not may_hide(actor, material):
        raise PermissionDenied
    return material


def sees_all_authors(actor: Actor, material: Material) -> bool:
    """The owner's staff see every credited author's name; others only those who chose so."""
    return _acts_for_owner(actor, material) and actor.person is not None


# --- Versions -----------------------------------------------------------------------------------


def get_version_for(actor: Actor, pk: int) -> MaterialVersion:
    """A version of a visible material (earlier ones too, for download), or 404."""
    version = (
        MaterialVersion.objects.filter(pk=pk, material__in=visible_materials(actor))
        .select_related("material")
        .first()
    )
    if version is None:
        raise Http404("No such version")
    return version


# --- Reuse --------------------------------------------------------------------------------------


def sees_who_reused(actor: Actor, material: Material) -> bool:
    """The owner's staff and the leads of its partnerships see which organisations reused it."""
    if _acts_for_owner(actor, material):
        return True
    return (
        actor.person is not None
        and _led_members(actor).filter(organisation=material.owner_id).exists()
    )


def visible_reuses(actor: Actor, material: Material) -> QuerySet[Reuse]:
    """All of a material's reuses for its owner and partnership leads; else the actor's own
    organisation's. Counts and savings are shown to everyone who reads the material."""
    reuses = Reuse.objects.filter(material=material)
    if sees_who_reused(actor, material):
        return reuses
    if actor.organisation is None:
        return Reuse.objects.none()
    return reuses.filter(organisation=actor.organisation)


# --- Reports ------------------------------------------------------------------------------------


def may_handle_reports(actor: Actor) -> bool:
    """L&D leads and admins (of their organisation's materials) and partnership leads."""
    if actor.person is None or actor.organisation is None:
        return False
    return _has_any_role(actor, KEEPER_ROLES) or led_partnerships(actor).exists()


def visible_reports(actor: Actor) -> QuerySet[MaterialReport]:
    """Reports on materials the actor may hide: their own organisation's (to its L&D leads and
    admins) and their partnerships' members' (to its leads), except owner-only materials."""
    if actor.person is None or actor.organisation is None:
        return MaterialReport.objects.none()
    condition = Q(pk__in=[])
    if _has_any_role(actor, KEEPER_ROLES):
        condition |= Q(material__owner=actor.organisation)
    if led_partnerships(actor).exists():
        condition |= Q(material__owner__in=_led_members(actor)) & ~Q(
            material__licence=licences.OWNER_ONLY
        )
    return MaterialReport.objects.filter(condition)


def get_report_for(actor: Actor, pk: int) -> MaterialReport:
    """One report the actor may handle, or 404."""
    report = visible_reports(actor).filter(pk=pk).select_related("material__owner").first()
    if report is None:
        raise Http404("No such report")
    return report


# --- Accreditations and the train-the-trainer cascade (issue 6) ---------------------------------
#
# Who sees a programme's accreditations (trainers' names, dates, expiry, the cascade and its
# counts): accredited trainers are deliberately shared across the partnership so that partners can
# ask for them, but only with those who arrange training: the L&D leads and programme leaders of
# any organisation that sees the programme in its catalogue, the leads of the host's partnerships,
# and the programme's own currently accredited trainers. Other staff see only their own
# accreditations. Evidence links and withdrawal reasons follow the accreditation.
#
# Who accredits: a person holding a current accreditation of the programme (their trainees are the
# next generation), or, for the first generation, the host's L&D lead or programme leader, acting
# for the host. Who withdraws: the host's L&D lead, acting for the host, or whoever gave the
# accreditation; a withdrawal does not undo the accreditations its holder gave earlier.

TRAINER_VIEWER_ROLES = (OrganisationRole.LD_LEAD, OrganisationRole.PROGRAMME_LEADER)


def _today() -> dt.date:
    return timezone.localdate()


def current_accreditations(on: dt.date | None = None) -> QuerySet[Accreditation]:
    """Accreditations in force on the day (today by default): not withdrawn, not expired."""
    day = on or _today()
    return Accreditation.objects.filter(withdrawn_at__isnull=True).filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=day), accredited_on__lte=day
    )


def own_accreditation_of(
    actor: Actor, programme: Programme, on: dt.date | None = None
) -> Accreditation | None:
    """The actor's latest accreditation of the programme in force on the day, or None."""
    if actor.person is None:
        return None
    return (
        current_accreditations(on)
        .filter(person=actor.person, programme=programme)
        .order_by("-accredited_on", "-pk")
        .first()
    )


def _trainer_programmes(actor: Actor) -> QuerySet[Programme]:
    """Programmes whose accreditations the actor sees (see the section's comment)."""
    visible = learning_access.visible_programmes(actor)
    if actor.person is None:
        return Programme.objects.none()
    if _has_any_role(actor, TRAINER_VIEWER_ROLES):
        return visible
    condition = Q(pk__in=current_accreditations().filter(person=actor.person).values("programme"))
    if led_partnerships(actor).exists():
        condition |= Q(host__in=_led_members(actor))
    return visible.filter(condition)


def may_see_trainers(actor: Actor, programme: Programme) -> bool:
    """The actor sees the programme's accreditations and cascade."""
    return _trainer_programmes(actor).filter(pk=programme.pk).exists()


def get_programme_trainers_for(actor: Actor, pk: int) -> Programme:
    """A catalogue programme whose accreditations the actor sees; 404 unseen, 403 otherwise."""
    programme = learning_access.get_programme_for(actor, pk)
    if not may_see_trainers(actor, programme):
        raise PermissionDenied
    return programme


def visible_accreditations(actor: Actor) -> QuerySet[Accreditation]:
    """The actor's own accreditations, and every accreditation of the programmes they see
    trainers of."""
    if actor.person is None:
        return Accreditation.objects.none()
    return Accreditation.objects.filter(
        Q(person=actor.person) | Q(programme__in=_trainer_programmes(actor))
    )


def get_accreditation_for(actor: Actor, pk: int) -> Accreditation:
    """One visible accreditation, or 404."""
    found = (
        visible_accreditations(actor)
        .filter(pk=pk)
        .select_related("person", "programme__host", "accredited_by", "evidence_material")
        .first()
    )
    if found is None:
        raise Http404("No such accreditation")
    return found


def is_first_generation_accreditor(actor: Actor, programme: Programme) -> bool:
    """The host's L&D lead or programme leader, acting for the host."""
    return learning_access.may_host_programme(actor, programme)


def may_accredit(actor: Actor, programme: Programme) -> bool:
    """A current accredited trainer of the programme, or the host's L&D lead or programme
    leader (first generation)."""
    if actor.person is None:
        return False
    if is_first_generation_accreditor(actor, programme):
        return True
    return own_accreditation_of(actor, programme) is not None


def get_accreditable_programme(actor: Actor, pk: int) -> Programme:
    """A catalogue programme the actor may accredit people for; 404 unseen, 403 otherwise."""
    programme = learning_access.get_programme_for(actor, pk)
    if not may_accredit(actor, programme):
        raise PermissionDenied
    return programme


def may_withdraw_accreditation(actor: Actor, accreditation: Accreditation) -> bool:
    """The host's L&D lead acting for the host, or the person who gave the accreditation."""
    if actor.person is None:
        return False
    if accreditation.accredited_by_id == actor.person.pk:
        return True
    host = accreditation.programme.host_id
    return actor.organisation_id == host and _has_any_role(actor, (OrganisationRole.LD_LEAD,))


def get_withdrawable_accreditation(actor: Actor, pk: int) -> Accreditation:
    """A visible accreditation the actor may withdraw; 404 unseen, 403 otherwise."""
    found = get_accreditation_for(actor, pk)
    if not may_withdraw_accreditation(actor, found):
        raise PermissionDenied
    return found


def people_to_accredit(actor: Actor) -> QuerySet[Person]:
    """People on the current staff of the acting organisation or of one of its partners."""
    if actor.organisation is None:
        return Person.objects.none()
    organisations = [actor.organisation.pk, *partner_organisation_ids(actor)]
    employed = Employment.objects.current().filter(
        person=OuterRef("pk"), organisation__in=organisations
    )
    return Person.objects.filter(Exists(employed))


def find_person_to_accredit(actor: Actor, identifier: str) -> Person | None:
    """Someone `people_to_accredit` holds, by work or personal e-mail address, or None."""
    identifier = identifier.strip()
    if not identifier:
        return None
    by_address = Employment.objects.current().filter(
        Q(work_email__iexact=identifier) | Q(person__email__iexact=identifier)
    )
    found = people_to_accredit(actor).filter(pk__in=by_address.values("person"))
    return found.order_by("pk").first()


# --- The trainer pool (issue 6) ------------------------------------------------------------------
#
# Joining the pool is the trainer's own choice: by opting in, a person with a current accreditation
# deliberately shares their name, employer, accredited programmes, availability and days per month
# with the people who arrange training at the organisations they chose (every partner of their
# employer when they chose none). Only the trainer manages their offer, acting for their employer;
# leaving the pool hides the offer from every search at once. Who searches: the L&D leads,
# programme leaders and admins of an organisation in a partnership, and the partnership's leads;
# they see the active offers of their partnerships' members that are open to the organisation they
# act for. A delivery request then asks the trainer, their line manager and their employer's L&D
# lead in turn (see the delivery requests).

POOL_SEARCH_ROLES = (
    OrganisationRole.LD_LEAD,
    OrganisationRole.PROGRAMME_LEADER,
    OrganisationRole.ORG_ADMIN,
)


def may_search_pool(actor: Actor) -> bool:
    """A person acting for an organisation, as its L&D lead, programme leader or admin, or as a
    lead of one of its partnerships; never an organisation token (the pool is personal data)."""
    if actor.person is None or actor.organisation is None:
        return False
    return _has_any_role(actor, POOL_SEARCH_ROLES) or led_partnerships(actor).exists()


def open_to(organisation_id: int) -> Q:
    """Offers open to the organisation: those naming no partners, or naming it."""
    named = TrainerOffer.partners.through.objects.filter(traineroffer_id=OuterRef("pk"))
    return ~Exists(named) | Exists(named.filter(organisation_id=organisation_id))


def pool_offers(actor: Actor) -> QuerySet[TrainerOffer]:
    """Active offers of the acting organisation's partnerships' members open to that organisation,
    for those who may search the pool; none for anyone else."""
    if not may_search_pool(actor):
        return TrainerOffer.objects.none()
    return TrainerOffer.objects.filter(
        open_to(actor.organisation.pk),
        is_active=True,
        organisation__in=partner_organisations(actor),
    )


def get_pool_offer_for(actor: Actor, pk: int) -> TrainerOffer:
    """One offer the actor finds in the pool, or 404."""
    offer = pool_offers(actor).filter(pk=pk).select_related("person", "organisation").first()
    if offer is None:
        raise Http404("No such trainer")
    return offer


def may_offer_self(actor: Actor) -> bool:
    """A person acting for their employer (the organisation that would lend them)."""
    return actor.person is not None and actor.organisation is not None


def own_offer(actor: Actor) -> TrainerOffer | None:
    """The actor's own offer (active or left), or None."""
    if actor.person is None:
        return None
    return TrainerOffer.objects.filter(person=actor.person).select_related("organisation").first()


def get_own_availability(actor: Actor, pk: int) -> TrainerAvailability:
    """One availability range of the actor's own offer, or 404."""
    if actor.person is None:
        raise Http404("No such availability")
    availability = TrainerAvailability.objects.filter(pk=pk, offer__person=actor.person).first()
    if availability is None:
        raise Http404("No such availability")
    return availability


# --- Delivery requests (issue 6) ------------------------------------------------------------------
#
# A request is seen by the requesting organisation B's L&D leads and admins and whoever asked; the
# trainer; the trainer's line manager; the lending organisation A's L&D leads and admins. The
# trainer, then the line manager (acting for A), then an L&D lead of A approve in that order; the
# one whose turn it is, or any L&D lead of A, declines; B's L&D leads or the requester withdraw.

DELIVERY_KEEPER_ROLES = (OrganisationRole.LD_LEAD, OrganisationRole.ORG_ADMIN)
DELIVERY_PENDING = (
    DeliveryStatus.AWAITING_TRAINER,
    DeliveryStatus.AWAITING_MANAGER,
    DeliveryStatus.AWAITING_LEAD,
)


def may_request_delivery(actor: Actor) -> bool:
    """An L&D lead of the acting organisation asks for a partner's trainer."""
    return actor.organisation is not None and _has_any_role(actor, (OrganisationRole.LD_LEAD,))


def may_host_delivery(actor: Actor) -> bool:
    """The person may add runs at the organisation they act for (the requester, at approval)."""
    return actor.organisation is not None and _has_any_role(actor, USER_ROLES)


def visible_delivery_requests(actor: Actor) -> QuerySet[DeliveryRequest]:
    """Requests the actor takes part in or looks after (see the section's comment)."""
    if actor.person is None or actor.organisation is None:
        return DeliveryRequest.objects.none()
    organisation = actor.organisation
    condition = Q(requested_by=actor.person, requesting_organisation=organisation)
    condition |= Q(trainer=actor.person)
    condition |= Q(
        lending_organisation=organisation, trainer__in=managed_employments(actor).values("person")
    )
    if _has_any_role(actor, DELIVERY_KEEPER_ROLES):
        condition |= Q(requesting_organisation=organisation)
        condition |= Q(lending_organisation=organisation)
    return DeliveryRequest.objects.filter(condition)


def get_delivery_request_for(actor: Actor, pk: int) -> DeliveryRequest:
    """One visible delivery request, or 404."""
    found = (
        visible_delivery_requests(actor)
        .filter(pk=pk)
        .select_related(
            "requesting_organisation",
            "lending_organisation",
            "trainer",
            "programme",
            "requested_by",
            "run",
        )
        .first()
    )
    if found is None:
        raise Http404("No such delivery request")
    return found


def delivery_requests_waiting_for(actor: Actor) -> QuerySet[DeliveryRequest]:
    """Visible requests whose turn is the actor's (the same steps as `may_approve_delivery`)."""
    if actor.person is None or actor.organisation is None:
        return DeliveryRequest.objects.none()
    condition = Q(status=DeliveryStatus.AWAITING_TRAINER, trainer=actor.person)
    condition |= Q(
        status=DeliveryStatus.AWAITING_MANAGER,
        lending_organisation=actor.organisation,
        trainer__in=managed_employments(actor).values("person"),
    )
    if has_role(actor, OrganisationRole.LD_LEAD):
        condition |= Q(status=DeliveryStatus.AWAITING_LEAD, lending_organisation=actor.organisation)
    return visible_delivery_requests(actor).filter(condition)


def is_delivery_trainer(actor: Actor, request: DeliveryRequest) -> bool:
    """The person is the requested trainer."""
    return actor.person is not None and actor.person.pk == request.trainer_id


def is_delivery_line_manager(actor: Actor, request: DeliveryRequest) -> bool:
    """The person, acting for the lender, currently line-manages the trainer there."""
    if actor.organisation_id != request.lending_organisation_id:
        return False
    return is_line_manager_of(actor, request.trainer)


def is_lending_ld_lead(actor: Actor, request: DeliveryRequest) -> bool:
    """An L&D lead of the lending organisation, acting for it."""
    if actor.person is None or actor.organisation_id != request.lending_organisation_id:
        return False
    return has_role(actor, OrganisationRole.LD_LEAD)


def is_requesting_ld_lead(actor: Actor, request: DeliveryRequest) -> bool:
    """An L&D lead of the requesting organisation, acting for it."""
    if actor.person is None or actor.organisation_id != request.requesting_organisation_id:
        return False
    return has_role(actor, OrganisationRole.LD_LEAD)


def is_delivery_requester(actor: Actor, request: DeliveryRequest) -> bool:
    """The person who asked, acting for the requesting organisation."""
    if actor.person is None or actor.organisation_id != request.requesting_organisation_id:
        return False
    return actor.person.pk == request.requested_by_id


def may_approve_delivery(actor: Actor, request: DeliveryRequest) -> bool:
    """The person whose turn it is: the trainer, then the line manager, then A's L&D lead."""
    if request.status == DeliveryStatus.AWAITING_TRAINER:
        return is_delivery_trainer(actor, request)
    if request.status == DeliveryStatus.AWAITING_MANAGER:
        return is_delivery_line_manager(actor, request)
    if request.status == DeliveryStatus.AWAITING_LEAD:
        return is_lending_ld_lead(actor, request)
    return False


def may_decline_delivery(actor: Actor, request: DeliveryRequest) -> bool:
    """The person whose turn it is, or any L&D lead of A, while approval is not complete."""
    if request.status not in DELIVERY_PENDING:
        return False
    return may_approve_delivery(actor, request) or is_lending_ld_lead(actor, request)


def may_withdraw_delivery(actor: Actor, request: DeliveryRequest) -> bool:
    """B's L&D leads, or whoever asked, while approval is not complete."""
    if request.status not in DELIVERY_PENDING:
        return False
    return is_requesting_ld_lead(actor, request) or is_delivery_requester(actor, request)


def get_approvable_delivery(actor: Actor, pk: int) -> DeliveryRequest:
    """A visible request whose turn is the actor's; 404 when unseen, 403 when not theirs."""
    found = get_delivery_request_for(actor, pk)
    if not may_approve_delivery(actor, found):
        raise PermissionDenied
    return found


def get_declinable_delivery(actor: Actor, pk: int) -> DeliveryRequest:
    """A visible request the actor may decline; 404 when unseen, 403 when not."""
    found = get_delivery_request_for(actor, pk)
    if not may_decline_delivery(actor, found):
        raise PermissionDenied
    return found


def get_withdrawable_delivery(actor: Actor, pk: int) -> DeliveryRequest:
    """A visible request the actor may withdraw; 404 when unseen, 403 when not."""
    found = get_delivery_request_for(actor, pk)
    if not may_withdraw_delivery(actor, found):
        raise PermissionDenied
    return found


def pooled_trainer_for(actor: Actor, pk: int) -> Person | None:
    """A trainer in the pool lent by one of the acting organisation's partners, or None."""
    if actor.organisation is None:
        return None
    offered = TrainerOffer.objects.filter(
        is_active=True, organisation__in=partner_organisations(actor)
    ).exclude(organisation=actor.organisation)
    return Person.objects.filter(pk=pk, trainer_offer__in=offered).first()
