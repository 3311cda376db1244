"""The off-the-job API: the apprentice logs with a personal token (others get a 403, bad KSBs a
422 naming the field), the tutor verifies, the list and the summary with the on-track status, and
organisation tokens see nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from joinedup.apprenticeships.models import EnrolmentStatus, Ksb, KsbKind, Standard
from joinedup.partnership.tests.api_helpers import API, api_client, organisation_client
from tests.access import apprenticeships_scene

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def enrolment(world):
    start = TODAY - dt.timedelta(days=50)
    return apprenticeships_scene.enrolment(
        world,
        "own",
        status=EnrolmentStatus.ACTIVE,
        start_on=start,
        planned_end_on=start + dt.timedelta(days=500),
        planned_off_the_job_hours=500,
    )


def url(enrolment, tail: str = "") -> str:
    return f"{API}/apprenticeships/enrolments/{enrolment.pk}/off-the-job{tail}"


def entry(**given) -> dict:
    return {
        "on": str(TODAY - dt.timedelta(days=2)),
        "hours": "6",
        "activity": "project_work",
        "reflection": "Drafted the proposal's scope",
        **given,
    }


def test_the_apprentice_logs_and_the_tutor_verifies(world, enrolment):
    posted = api_client(world, "apprentice").post(
        url(enrolment), entry(), content_type="application/json"
    )
    assert posted.status_code == 201, posted.content
    made = posted.json()
    assert (made["state"], Decimal(made["hours"])) == ("awaiting", Decimal(6))
    checked = api_client(world, "practice_tutor").post(
        url(enrolment, f"/{made['id']}/check"),
        {"decision": "accept"},
        content_type="application/json",
    )
    assert checked.status_code == 200, checked.content
    assert checked.json()["state"] == "accepted"
    again = api_client(world, "practice_tutor").post(
        url(enrolment, f"/{made['id']}/check"),
        {"decision": "query", "note": "Undo"},
        content_type="application/json",
    )
    assert again.status_code == 409


def test_only_the_apprentice_logs_and_only_the_tutor_side_checks(world, enrolment):
    for persona in ("own_line_manager", "practice_tutor", "own_ld_lead"):
        response = api_client(world, persona).post(
            url(enrolment), entry(), content_type="application/json"
        )
        assert response.status_code == 403, persona
    made = api_client(world, "apprentice").post(
        url(enrolment), entry(), content_type="application/json"
    )
    check = url(enrolment, f"/{made.json()['id']}/check")
    for persona in ("apprentice", "own_line_manager"):
        response = api_client(world, persona).post(
            check, {"decision": "accept"}, content_type="application/json"
        )
        assert response.status_code == 403, persona
    assert api_client(world, "outsider").get(url(enrolment)).status_code == 404


def test_refusals_name_the_field(world, enrolment):
    other = Standard.objects.exclude(pk=enrolment.cohort.programme.standard_id).first()
    foreign = Ksb.objects.create(
        standard=other, code="K98", kind=KsbKind.KNOWLEDGE, number=98, description="Elsewhere"
    )
    client = api_client(world, "apprentice")
    bad_ksb = client.post(url(enrolment), entry(ksbs=[foreign.pk]), content_type="application/json")
    assert bad_ksb.status_code == 422
    assert "ksbs" in bad_ksb.json()["detail"]
    future = client.post(
        url(enrolment),
        entry(on=str(TODAY + dt.timedelta(days=1))),
        content_type="application/json",
    )
    assert future.status_code == 422
    assert "on (body): The date cannot be in the future" in future.json()["detail"]
    too_long = client.post(url(enrolment), entry(hours="25"), content_type="application/json")
    assert too_long.status_code == 422


def test_the_list_and_the_summary_with_the_on_track_status(world, enrolment):
    client = api_client(world, "apprentice")
    for hours in ("20", "15.5"):
        client.post(url(enrolment), entry(hours=hours), content_type="application/json")
    listed = api_client(world, "own_line_manager").get(url(enrolment)).json()
    assert [Decimal(item["hours"]) for item in listed["items"]] == [Decimal("15.5"), Decimal(20)]
    summary = api_client(world, "own_line_manager").get(url(enrolment, "/summary")).json()
    assert Decimal(summary["logged"]) == Decimal("35.5")
    assert Decimal(summary["verified"]) == 0
    assert Decimal(summary["expected"]) == Decimal(50)
    assert summary["status"] == "red"
    assert summary["required_met"] is False
    assert "80%" in summary["rule"]


def test_an_organisation_token_sees_no_log(world, enrolment):
    assert organisation_client(world, "own_admin").get(url(enrolment)).status_code == 404
