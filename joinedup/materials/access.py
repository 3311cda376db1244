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

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from joinedup.partnership.access import (
    has_role,
    led_partnerships,
    open_memberships,
    partner_organisations,
)
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import OrganisationRole

from . import licences
from .models import Material, MaterialAuthor, MaterialReport, MaterialVersion, Reuse

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
    from_partners = Q(owner__in=partner_organisations(actor), licence__in=PARTNER_LICENCES)
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
