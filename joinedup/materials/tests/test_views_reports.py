"""Reporting a material, the reports list, hiding with a reason, showing again and dismissing."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from joinedup.materials.models import Licence, MaterialReport, ReportStatus
from joinedup.materials.tests.factories import MaterialReportFactory
from joinedup.materials.tests.page_helpers import linked_material, queries_for


def test_a_partner_reports_a_material_to_its_owner_and_the_partnership_lead(world, client_for):
    material = linked_material(world.own)
    response = client_for("partner_staff").post(
        reverse("materials:report", args=[material.pk]),
        {"reason": "error", "details": "Slide 4 gives the old safeguarding contact."},
    )
    assert response["Location"] == reverse("materials:material", args=[material.pk])
    report = MaterialReport.objects.get()
    assert report.reporter_organisation == world.partner
    for persona in ("own_ld_lead", "partnership_lead"):
        page = client_for(persona).get(reverse("materials:reports")).content.decode()
        assert "Slide 4 gives the old safeguarding contact." in page
    assert client_for("partner_ld_lead").get(reverse("materials:reports")).status_code == 200
    assert (
        "Slide 4"
        not in client_for("partner_ld_lead").get(reverse("materials:reports")).content.decode()
    )


def test_a_report_needs_a_reason_and_details(world, client_for):
    material = linked_material(world.own)
    response = client_for("partner_staff").post(reverse("materials:report", args=[material.pk]))
    text = response.content.decode()
    assert "Select what is wrong" in text
    assert "Give the details of what is wrong" in text
    assert not MaterialReport.objects.exists()


def test_staff_without_a_keeping_role_have_no_reports_page(world, client_for):
    assert client_for("own_staff").get(reverse("materials:reports")).status_code == 403


def test_the_partnership_lead_hides_a_reported_material_with_a_reason(world, client_for):
    report = MaterialReportFactory(material=linked_material(world.own))
    response = client_for("partnership_lead").post(
        reverse("materials:report-hide", args=[report.pk]), {"reason": "Wrong contact details"}
    )
    assert response["Location"] == reverse("materials:reports")
    report.refresh_from_db()
    assert report.status == ReportStatus.HIDDEN
    material = report.material
    material.refresh_from_db()
    assert material.hidden_reason == "Wrong contact details"
    url = reverse("materials:material", args=[material.pk])
    assert client_for("own_staff").get(url).status_code == 404
    assert client_for("partner_staff").get(url).status_code == 404
    assert "Wrong contact details" in client_for("own_ld_lead").get(url).content.decode()


def test_hiding_needs_a_reason(world, client_for):
    material = linked_material(world.own)
    response = client_for("own_admin").post(reverse("materials:hide", args=[material.pk]))
    assert "Give the reason for hiding it" in response.content.decode()
    material.refresh_from_db()
    assert not material.is_hidden


def test_the_owners_keeper_shows_a_hidden_material_again(world, client_for):
    material = linked_material(world.own, hidden_at=timezone.now(), hidden_reason="Checking")
    response = client_for("own_ld_lead").post(reverse("materials:unhide", args=[material.pk]))
    assert response["Location"] == reverse("materials:material", args=[material.pk])
    url = reverse("materials:material", args=[material.pk])
    assert client_for("partner_staff").get(url).status_code == 200


def test_a_partner_may_not_hide_anothers_material(world, client_for):
    material = linked_material(world.own)
    assert (
        client_for("partner_ld_lead").get(reverse("materials:hide", args=[material.pk])).status_code
        == 403
    )
    assert (
        client_for("outsider").get(reverse("materials:hide", args=[material.pk])).status_code == 404
    )


def test_dismissing_a_report_needs_a_note_and_closes_it(world, client_for):
    report = MaterialReportFactory(material=linked_material(world.own))
    client = client_for("own_ld_lead")
    url = reverse("materials:report-dismiss", args=[report.pk])
    assert "Say why no action is needed" in client.post(url).content.decode()
    response = client.post(url, {"note": "Already corrected in version 2"})
    assert response["Location"] == reverse("materials:reports")
    report.refresh_from_db()
    assert report.status == ReportStatus.DISMISSED
    closed = client.get(reverse("materials:reports") + "?show=closed").content.decode()
    assert "Already corrected in version 2" in closed


def test_another_organisations_report_is_not_found(world, client_for):
    report = MaterialReportFactory(material=linked_material(world.own))
    url = reverse("materials:report-dismiss", args=[report.pk])
    assert client_for("partner_ld_lead").get(url).status_code == 404
    assert client_for("outsider").get(url).status_code == 404


def test_the_partnership_lead_gets_no_report_on_an_owner_only_material(world, client_for):
    report = MaterialReportFactory(material=linked_material(world.own, licence=Licence.OWNER_ONLY))
    url = reverse("materials:report-hide", args=[report.pk])
    assert client_for("partnership_lead").get(url).status_code == 404
    assert client_for("own_ld_lead").get(url).status_code == 200


def test_the_reports_list_asks_as_many_queries_for_many_reports(world, client_for):
    client = client_for("partnership_lead")
    url = reverse("materials:reports")
    MaterialReportFactory(material=linked_material(world.own))
    few = queries_for(client, url)
    for owner in (world.own, world.partner, world.icb) * 4:
        MaterialReportFactory(material=linked_material(owner), reporter_organisation=world.partner)
    assert queries_for(client, url) == few
