"""E-mails about materials: a report reaches the owner's L&D leads and the partnership leads.

`report_material` calls `material_reported` inside its transaction; once that commits, one
background task (`tasks.send_report_notices`) sends `notifications/materials_reported.txt` to
each of them. A report that rolls back sends nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from joinedup.partnership.access import open_memberships
from joinedup.partnership.models import (
    Employment,
    OrganisationRole,
    OrganisationRoleGrant,
    PartnershipRole,
    PartnershipRoleGrant,
    Person,
)
from joinedup.partnership.notifications import notify

from . import licences
from .models import MaterialReport


def material_reported(report: MaterialReport) -> None:
    """Queue the report's e-mails for after the transaction commits."""
    # Imported here: the task module imports this one.
    from .tasks import send_report_notices

    report_id = report.pk
    transaction.on_commit(lambda: send_report_notices.enqueue(report_id=report_id))


def report_recipients(report: MaterialReport) -> list[Person]:
    """The owner's L&D leads on its staff today, and the leads of the owner's partnerships
    (not for an owner organisation only material, which they cannot see or hide)."""
    owner_id = report.material.owner_id
    on_staff = Employment.objects.current().filter(organisation_id=owner_id).values("person_id")
    leads = OrganisationRoleGrant.objects.filter(
        organisation_id=owner_id, role=OrganisationRole.LD_LEAD, person_id__in=on_staff
    ).values_list("person_id", flat=True)
    partnerships = open_memberships().filter(organisation_id=owner_id).values("partnership_id")
    if report.material.licence == licences.OWNER_ONLY:
        partnerships = partnerships.none()
    partnership_leads = PartnershipRoleGrant.objects.filter(
        partnership_id__in=partnerships, role=PartnershipRole.PARTNERSHIP_LEAD
    ).values_list("person_id", flat=True)
    return list(
        Person.objects.filter(pk__in={*leads, *partnership_leads}, is_active=True).order_by("pk")
    )


def send_report(report_id: int) -> int:
    """Send the report's e-mail to each recipient; return how many went."""
    report = (
        MaterialReport.objects.select_related("material__owner", "reporter_organisation")
        .filter(pk=report_id)
        .first()
    )
    if report is None:
        return 0
    context = {
        "report": report,
        "material": report.material,
        "owner": report.material.owner,
        "reporter_organisation": report.reporter_organisation,
        "material_url": settings.SITE_URL
        + reverse("materials:material", kwargs={"pk": report.material_id}),
        "reports_url": settings.SITE_URL + reverse("materials:reports"),
    }
    sent = 0
    for person in report_recipients(report):
        if notify(person, "materials_reported", context):
            sent += 1
    return sent
