"""Accrediting a trainer for a programme (train-the-trainer), and withdrawing an accreditation.

Who may do it is `materials/access.py` (accreditations section). An accreditor holding a current
accreditation of the programme gives the next generation (`trained_by` is theirs); otherwise the
host's L&D lead or programme leader gives a first-generation one (`trained_by` empty). When the
actor is both, their own accreditation is used, since they trained the person.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from joinedup.learning import access as learning_access
from joinedup.learning.models import Programme
from joinedup.partnership import audit
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import Person

from .. import access
from ..models import Accreditation, Material
from . import fields
from .fields import MaterialRefused

NOT_ACCREDITED_PROGRAMME = (
    "This programme is not delivered by accredited trainers: its host's L&D lead or programme "
    "leader can mark it so on the programme's page"
)


def _date(value: object, field: str, label: str, errors: dict[str, str]) -> dt.date | None:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        errors[field] = f"Enter the {label}, like 14 3 2026"
        return None
    if value.year < 2000:
        errors[field] = f"The {label} must be in 2000 or later"
        return None
    return value


def accredit(
    *,
    actor: Actor,
    person: Person | None,
    programme: Programme,
    accredited_on: dt.date,
    expires_on: dt.date,
    evidence_material: Material | None = None,
    evidence_url: str = "",
) -> Accreditation:
    """Accredit a person to deliver a programme, with the evidence of their training."""
    if actor.person is None or not access.may_accredit(actor, programme):
        raise PermissionDenied
    if not learning_access.visible_programmes(actor).filter(pk=programme.pk).exists():
        raise PermissionDenied
    errors: dict[str, str] = {}
    if not programme.delivered_by_accredited_trainers:
        errors[fields.WHOLE] = NOT_ACCREDITED_PROGRAMME
    if person is None:
        errors["person"] = (
            "Enter the work e-mail address of someone at your organisation or a partner"
        )
    elif person.pk == actor.person.pk:
        errors["person"] = "You cannot accredit yourself: another trainer or your L&D lead must"
    elif not access.people_to_accredit(actor).filter(pk=person.pk).exists():
        errors["person"] = "Choose someone on the staff of your organisation or a partner"
    start = _date(accredited_on, "accredited_on", "accreditation date", errors)
    if start is not None and start > timezone.localdate():
        errors["accredited_on"] = "The accreditation date must be today or in the past"
    end = _date(expires_on, "expires_on", "expiry date", errors)
    if start is not None and end is not None and end <= start:
        errors["expires_on"] = "The expiry date must be after the accreditation date"
    url = fields.link(evidence_url, errors)
    if "external_url" in errors:
        errors["evidence_url"] = errors.pop("external_url")
    if (
        evidence_material is not None
        and not access.visible_materials(actor).filter(pk=evidence_material.pk).exists()
    ):
        errors["evidence_material"] = "Choose a material from the library that you can read"
    if evidence_material is None and not url and "evidence_url" not in errors:
        errors["evidence_url"] = "Choose a material or give a link as evidence of the training"
    # The accreditor's authority on the day of the training, not only today.
    trained_by = access.own_accreditation_of(actor, programme, on=start) if start else None
    first_generation = access.is_first_generation_accreditor(actor, programme)
    if start is not None and trained_by is None and not first_generation:
        errors["accredited_on"] = "Your own accreditation was not in force on that date"
    if person is not None and start is not None and "person" not in errors:
        already = Accreditation.objects.filter(
            person=person, programme=programme, accredited_on=start
        )
        if already.exists():
            errors["accredited_on"] = (
                f"{person.full_name} already has an accreditation for this programme on that date"
            )
    fields.refuse_if(errors)
    try:
        with transaction.atomic():
            accreditation = Accreditation.objects.create(
                person=person,
                programme=programme,
                trained_by=trained_by,
                accredited_by=actor.person,
                accredited_on=start,
                expires_on=end,
                evidence_material=evidence_material,
                evidence_url=url,
            )
            audit.record(
                actor=actor,
                action="accreditation.given",
                kind="materials.Accreditation",
                object_id=accreditation.pk,
                label=programme.title,
                organisation=programme.host,
                changes={
                    "person": person.pk,
                    "programme": programme.pk,
                    "trained_by": trained_by.pk if trained_by else None,
                    "accredited_on": start.isoformat(),
                    "expires_on": end.isoformat(),
                    "evidence_material": evidence_material.pk if evidence_material else None,
                    "evidence_url": bool(url),
                },
            )
    except IntegrityError as error:
        # Two accreditors at once: the database's one-a-day constraint decided.
        raise MaterialRefused(
            "accredited_on", "This person already has an accreditation for this programme then"
        ) from error
    return accreditation


def withdraw_accreditation(
    *, actor: Actor, accreditation: Accreditation, reason: str
) -> Accreditation:
    """Withdraw an accreditation, with the reason; the trainees it gave keep theirs."""
    if not access.may_withdraw_accreditation(actor, accreditation):
        raise PermissionDenied
    errors: dict[str, str] = {}
    reason = fields.clean_text(
        reason, "reason", "why it is withdrawn", fields.REASON_MAX, errors, required=True
    )
    if accreditation.withdrawn_at is not None:
        errors[fields.WHOLE] = "This accreditation has already been withdrawn"
    fields.refuse_if(errors)
    now = timezone.now()
    with transaction.atomic():
        # Checked and changed in one statement: someone else may have withdrawn it meanwhile.
        changed = Accreditation.objects.filter(pk=accreditation.pk, withdrawn_at__isnull=True)
        if not changed.update(withdrawn_at=now, withdrawn_reason=reason):
            raise MaterialRefused(None, "This accreditation has already been withdrawn")
        audit.record(
            actor=actor,
            action="accreditation.withdrawn",
            kind="materials.Accreditation",
            object_id=accreditation.pk,
            label=accreditation.programme.title,
            organisation=accreditation.programme.host,
            changes={"person": accreditation.person_id, "programme": accreditation.programme_id},
        )
    accreditation.withdrawn_at = now
    accreditation.withdrawn_reason = reason
    return accreditation
