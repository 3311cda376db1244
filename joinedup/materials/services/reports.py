"""Reporting a material, hiding it or showing it again, and dismissing a report."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from joinedup.partnership import audit
from joinedup.partnership.actor import Actor

from .. import access, notices
from ..models import (
    Material,
    MaterialReport,
    ReportReason,
    ReportStatus,
)
from . import fields, materials
from .fields import MaterialRefused


def report_material(
    *, actor: Actor, material: Material, reason: str, details: str
) -> MaterialReport:
    """Report a material (licence breach, error, harm) to its owner's L&D leads and the
    partnership leads, who hear of it by e-mail."""
    if not access.may_report(actor, material) or not materials.sees(actor, material):
        raise PermissionDenied
    errors: dict[str, str] = {}
    fields.one_of(reason, ReportReason.values, "reason", "why you are reporting it", errors)
    text = fields.clean_text(
        details, "details", "what is wrong", fields.DETAILS_MAX, errors, required=True
    )
    fields.refuse_if(errors)
    with transaction.atomic():
        report = MaterialReport.objects.create(
            material=material,
            reason=reason,
            details=text,
            reported_by=actor.person,
            reporter_organisation=actor.organisation,
        )
        audit.record(
            actor=actor,
            action="material.reported",
            kind="materials.MaterialReport",
            object_id=report.pk,
            label=material.title,
            organisation=material.owner,
            changes={"material": material.pk, "reason": reason},
        )
        notices.material_reported(report)
    return report


def hide_material(
    *, actor: Actor, material: Material, reason: str, report: MaterialReport | None = None
) -> Material:
    """Hide a material from everyone but its owner's leads and the partnership lead, with a
    reason; its open reports are closed as hidden."""
    if not access.may_hide(actor, material):
        raise PermissionDenied
    errors: dict[str, str] = {}
    text = fields.clean_text(
        reason, "reason", "why you are hiding it", fields.REASON_MAX, errors, required=True
    )
    if report is not None and report.material_id != material.pk:
        errors["report"] = "This report is about another material"
    elif report is not None and report.status != ReportStatus.OPEN:
        errors["report"] = "This report has already been dealt with"
    if material.is_hidden:
        errors[fields.WHOLE] = "This material is already hidden"
    fields.refuse_if(errors)
    now = timezone.now()
    with transaction.atomic():
        hidden = Material.objects.filter(pk=material.pk, hidden_at__isnull=True).update(
            hidden_at=now, hidden_by=actor.person, hidden_reason=text
        )
        if not hidden:
            raise MaterialRefused(None, "This material is already hidden")
        reports = MaterialReport.objects.filter(material=material, status=ReportStatus.OPEN)
        report_ids = sorted(reports.values_list("pk", flat=True))
        reports.filter(pk__in=report_ids).update(
            status=ReportStatus.HIDDEN,
            resolved_by=actor.person,
            resolved_at=now,
            resolution_note=text,
        )
        audit.record(
            actor=actor,
            action="material.hidden",
            kind="materials.Material",
            object_id=material.pk,
            label=material.title,
            organisation=material.owner,
            changes={
                "reason": text,
                "report": report.pk if report else None,
                "reports_closed": report_ids,
            },
        )
    material.hidden_at, material.hidden_by, material.hidden_reason = now, actor.person, text
    if report is not None:
        report.status = ReportStatus.HIDDEN
        report.resolved_by, report.resolved_at, report.resolution_note = actor.person, now, text
    return material


def unhide_material(*, actor: Actor, material: Material) -> Material:
    """Show a hidden material again (the reason it was hidden stays in the audit log)."""
    if not access.may_hide(actor, material):
        raise PermissionDenied
    with transaction.atomic():
        shown = Material.objects.filter(pk=material.pk, hidden_at__isnull=False).update(
            hidden_at=None, hidden_by=None, hidden_reason=""
        )
        if not shown:
            raise MaterialRefused(None, "This material is not hidden")
        audit.record(
            actor=actor,
            action="material.unhidden",
            kind="materials.Material",
            object_id=material.pk,
            label=material.title,
            organisation=material.owner,
            changes={},
        )
    material.hidden_at, material.hidden_by, material.hidden_reason = None, None, ""
    return material


def dismiss_report(*, actor: Actor, report: MaterialReport, note: str) -> MaterialReport:
    """Close a report without hiding the material, saying why."""
    if not access.may_hide(actor, report.material):
        raise PermissionDenied
    errors: dict[str, str] = {}
    text = fields.clean_text(
        note, "note", "why you are dismissing it", fields.REASON_MAX, errors, required=True
    )
    fields.refuse_if(errors)
    now = timezone.now()
    with transaction.atomic():
        dismissed = MaterialReport.objects.filter(pk=report.pk, status=ReportStatus.OPEN).update(
            status=ReportStatus.DISMISSED,
            resolved_by=actor.person,
            resolved_at=now,
            resolution_note=text,
        )
        if not dismissed:
            raise MaterialRefused(None, "This report has already been dealt with")
        audit.record(
            actor=actor,
            action="material_report.dismissed",
            kind="materials.MaterialReport",
            object_id=report.pk,
            label=report.material.title,
            organisation=report.material.owner,
            changes={"material": report.material_id, "note": text},
        )
    report.status = ReportStatus.DISMISSED
    report.resolved_by, report.resolved_at, report.resolution_note = actor.person, now, text
    return report
