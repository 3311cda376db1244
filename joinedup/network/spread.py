"""Spread: an initiative taken on by another organisation (and place), with what it changed for
local conditions and what it learnt.

`record_adoption` and `update_adoption` check everything, then save in one transaction with one
audit entry, or refuse with a `ValidationError` naming each bad field. One adoption per
organisation: a second is refused with a message saying so (the unique key backs it up when two
arrive at once).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from joinedup.partnership import audit
from joinedup.partnership.actor import Actor

from . import access, fields, places
from .models import Adoption, Initiative

ALREADY_ADOPTED = (
    "Your organisation has already recorded that it adopted this initiative: change that record "
    "instead"
)
OWN_INITIATIVE = "Your organisation runs this initiative, so it cannot adopt it"
FIELDS = ("gss_code", "place_name", "adopted_on", "local_changes", "lessons")


def _checked(data: Mapping[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    values: dict[str, Any] = {"gss_code": "", "place_name": ""}
    code = str(data.get("gss_code") or "").strip()
    if code:
        place = places.place_for(code) if len(code) <= 20 else None
        if place is None:
            errors["gss_code"] = "Choose an English local authority from the list (or none)"
        else:
            values |= {"gss_code": place.gss_code, "place_name": place.name}
    adopted_on = fields.date(data.get("adopted_on"))
    if adopted_on is None:
        errors["adopted_on"] = "Enter the date your organisation adopted it"
    elif adopted_on > timezone.localdate():
        errors["adopted_on"] = "The date adopted must be today or in the past"
    values["adopted_on"] = adopted_on
    values["local_changes"] = fields.text(data, "local_changes", "What you changed", errors)
    if not values["local_changes"] and "local_changes" not in errors:
        errors["local_changes"] = "Enter what your organisation changed for local conditions"
    values["lessons"] = fields.text(data, "lessons", "What you learnt", errors)
    if errors:
        raise ValidationError(errors)
    return values


def _audit(actor: Actor, adoption: Adoption, action: str) -> None:
    audit.record(
        actor=actor,
        action=f"adoption.{action}",
        kind="adoption",
        object_id=adoption.pk,
        label=f"{adoption.initiative.title} adopted"[:200],
        organisation=adoption.organisation,
        partnership=adoption.initiative.partnership,
        changes={
            "initiative": adoption.initiative_id,
            "organisation": adoption.organisation_id,
            "gss_code": adoption.gss_code,
            "adopted_on": adoption.adopted_on.isoformat(),
        },
    )


def record_adoption(*, actor: Actor, initiative: Initiative, data: Mapping[str, Any]) -> Adoption:
    """Record that the acting organisation took the initiative on (once per organisation)."""
    if not access.may_adopt(actor, initiative):
        if actor.person is None:
            raise PermissionDenied
        if actor.organisation_id == initiative.owner_organisation_id:
            raise ValidationError(OWN_INITIATIVE)
        if initiative.adoptions.filter(organisation_id=actor.organisation_id).exists():
            raise ValidationError(ALREADY_ADOPTED)
        raise PermissionDenied
    values = _checked(data)
    try:
        with transaction.atomic():
            adoption = Adoption.objects.create(
                initiative=initiative,
                organisation=actor.organisation,
                recorded_by=actor.person,
                **values,
            )
            _audit(actor, adoption, "recorded")
    except IntegrityError as error:
        raise ValidationError(ALREADY_ADOPTED) from error
    return adoption


def update_adoption(*, actor: Actor, adoption: Adoption, data: Mapping[str, Any]) -> Adoption:
    """Change an adoption (its recorder, the adopting organisation's admin or L&D lead, or the
    partnership lead)."""
    if not access.may_edit_adoption(actor, adoption):
        raise PermissionDenied
    values = _checked(data)
    with transaction.atomic():
        for field, value in values.items():
            setattr(adoption, field, value)
        adoption.save(update_fields=list(values))
        _audit(actor, adoption, "changed")
    return adoption
