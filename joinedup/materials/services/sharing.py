"""Publishing a material openly (and withdrawing it), and recording its reuse."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from joinedup.learning import access as learning_access
from joinedup.learning.models import Run
from joinedup.partnership import audit
from joinedup.partnership.access import has_role
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import Organisation, OrganisationRole

from .. import access, licences
from ..models import (
    Material,
    Reuse,
)
from . import fields, materials
from .fields import MaterialRefused


def _is_owners_ld_lead(actor: Actor, material: Material) -> bool:
    """The owner's L&D leads, acting for it, decide what it publishes openly."""
    if actor.person is None or actor.organisation_id != material.owner_id:
        return False
    return has_role(actor, OrganisationRole.LD_LEAD)


def publish_openly(
    *, actor: Actor, material: Material, licence_confirmed: bool, content_confirmed: bool
) -> Material:
    """The owner's L&D lead publishes an openly licensed material on the public pages,
    confirming its licence and its content."""
    if not _is_owners_ld_lead(actor, material):
        raise PermissionDenied
    errors: dict[str, str] = {}
    if not licences.is_open(material.licence):
        errors["licence"] = (
            "Only a material under an open licence (Open Government Licence, CC BY, CC BY-SA "
            "or CC BY-NC) can be published openly"
        )
    if material.is_hidden:
        errors[fields.WHOLE] = "This material has been hidden, so it cannot be published openly"
    if material.is_published_openly:
        errors[fields.WHOLE] = "This material is already published openly"
    if material.current_version_id is None:
        errors[fields.WHOLE] = "This material has no version to publish"
    if licence_confirmed is not True:
        errors["licence_confirmed"] = "Confirm that the material may be shared under its licence"
    if content_confirmed is not True:
        errors["content_confirmed"] = (
            "Confirm that the material holds no personal or confidential information"
        )
    fields.refuse_if(errors)
    now = timezone.now()
    with transaction.atomic():
        # Checked and claimed in one statement: the licence, hidden or published may have changed.
        published = Material.objects.filter(
            pk=material.pk,
            licence=material.licence,
            current_version_id=material.current_version_id,
            hidden_at__isnull=True,
            published_openly_at__isnull=True,
        ).update(published_openly_at=now, published_openly_by=actor.person)
        if not published:
            raise MaterialRefused(None, "This material has changed; look at it again")
        audit.record(
            actor=actor,
            action="material.published_openly",
            kind="materials.Material",
            object_id=material.pk,
            label=material.title,
            organisation=material.owner,
            changes={
                "licence": material.licence,
                "version": material.current_version_id,
                "licence_confirmed": True,
                "content_confirmed": True,
            },
        )
    material.published_openly_at = now
    material.published_openly_by = actor.person
    return material


def withdraw_open_publication(*, actor: Actor, material: Material) -> Material:
    """The owner's L&D lead takes a material off the public pages; it stays inside."""
    if not _is_owners_ld_lead(actor, material):
        raise PermissionDenied
    with transaction.atomic():
        withdrawn = Material.objects.filter(
            pk=material.pk, published_openly_at__isnull=False
        ).update(published_openly_at=None, published_openly_by=None)
        if not withdrawn:
            raise MaterialRefused(None, "This material is not published openly")
        audit.record(
            actor=actor,
            action="material.open_publication_withdrawn",
            kind="materials.Material",
            object_id=material.pk,
            label=material.title,
            organisation=material.owner,
            changes={"licence": material.licence},
        )
    material.published_openly_at = None
    material.published_openly_by = None
    return material


# --- Reuse ----------------------------------------------------------------------------------------


def record_reuse(
    *,
    actor: Actor,
    material: Material,
    organisation: Organisation,
    used_on: dt.date,
    run: Run | None = None,
    context: str = "",
    learners_reached: int | str,
    hours_saved: Decimal | str,
    cost_saved: Decimal | str,
) -> Reuse:
    """'We used this': the acting organisation records a use of another's material, on one of
    the runs it can see or in words, with the learners reached and the estimated savings."""
    if actor.organisation_id != organisation.pk or not access.may_use(actor, material):
        raise PermissionDenied
    if not materials.sees(actor, material):
        raise PermissionDenied
    errors: dict[str, str] = {}
    if access.is_own_material(actor, material):
        errors[fields.WHOLE] = (
            "This is your organisation's own material: reuse is recorded by the organisations "
            "that use it"
        )
    if material.is_hidden:
        errors[fields.WHOLE] = "This material has been hidden"
    if not isinstance(used_on, dt.date) or isinstance(used_on, dt.datetime):
        errors["used_on"] = "Enter the date you used it, like 14 3 2026"
    elif used_on > timezone.localdate():
        errors["used_on"] = "The date you used it must be today or in the past"
    elif used_on.year < 2000:
        errors["used_on"] = "The date you used it must be in 2000 or later"
    context = fields.clean_text(
        context, "context", "what you used it for", fields.CONTEXT_MAX, errors, required=False
    )
    if run is not None and not learning_access.visible_runs(actor).filter(pk=run.pk).exists():
        errors["run"] = "Choose a run your organisation can see"
    if run is None and not context and "context" not in errors:
        errors["context"] = "Choose the run you used it on, or say what you used it for"
    learners = fields.whole_number(
        learners_reached, "learners_reached", "Learners reached", fields.LEARNERS_MAX, errors
    )
    hours = fields.amount(hours_saved, "hours_saved", "Hours saved", 1, fields.HOURS_MAX, errors)
    cost = fields.amount(cost_saved, "cost_saved", "Cost saved", 2, fields.COST_MAX, errors)
    fields.refuse_if(errors)
    with transaction.atomic():
        reuse = Reuse.objects.create(
            material=material,
            version_id=material.current_version_id,
            organisation=organisation,
            used_on=used_on,
            run=run,
            context=context,
            learners_reached=learners,
            hours_saved=hours,
            cost_saved=cost,
            recorded_by=actor.person,
        )
        audit.record(
            actor=actor,
            action="material.reuse_recorded",
            kind="materials.Reuse",
            object_id=reuse.pk,
            label=material.title,
            organisation=organisation,
            changes={
                "material": material.pk,
                "owner": material.owner_id,
                "version": material.current_version_id,
                "used_on": used_on.isoformat(),
                "run": run.pk if run else None,
                "learners_reached": learners,
                "hours_saved": str(hours),
                "cost_saved": str(cost),
            },
        )
    return reuse
