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


def test_the_apprentice_reads_changes_and_deletes_an_entry_until_it_is_verified(world, enrolment):
    apprentice = api_client(world, "apprentice")
    made = apprentice.post(url(enrolment), entry(), content_type="application/json").json()
    one = url(enrolment, f"/{made['id']}")
    assert api_client(world, "own_line_manager").get(one).json()["hours"] == made["hours"]

    # The tutor queries it; the apprentice's change sends it back to the tutor.
    api_client(world, "practice_tutor").post(
        f"{one}/check",
        {"decision": "query", "note": "Which module?"},
        content_type="application/json",
    )
    changed = apprentice.put(
        one, entry(hours="4.5", reflection="Module 2 reading"), content_type="application/json"
    )
    assert changed.status_code == 200, changed.content
    assert (changed.json()["state"], Decimal(changed.json()["hours"])) == (
        "awaiting",
        Decimal("4.5"),
    )
    assert changed.json()["reflection"] == "Module 2 reading"

    # Others who see it may not change or delete it; a bad change names the field.
    for persona in ("practice_tutor", "own_line_manager"):
        client = api_client(world, persona)
        assert client.put(one, entry(), content_type="application/json").status_code == 403
        assert client.delete(one).status_code == 403
    bad = apprentice.put(one, entry(hours="30"), content_type="application/json")
    assert bad.status_code == 422 and "hours" in bad.json()["detail"]

    deleted = apprentice.delete(one)
    assert deleted.status_code == 204
    assert apprentice.get(one).status_code == 404

    # A verified entry stays as it is (409).
    kept = apprentice.post(url(enrolment), entry(), content_type="application/json").json()
    kept_url = url(enrolment, f"/{kept['id']}")
    api_client(world, "practice_tutor").post(
        f"{kept_url}/check", {"decision": "accept"}, content_type="application/json"
    )
    assert (
        apprentice.put(kept_url, entry(hours="1"), content_type="application/json").status_code
        == 409
    )
    assert apprentice.delete(kept_url).status_code == 409
    assert Decimal(apprentice.get(kept_url).json()["hours"]) == Decimal(6)


def test_an_organisation_token_neither_reads_nor_changes_an_entry(world, enrolment):
    made = (
        api_client(world, "apprentice")
        .post(url(enrolment), entry(), content_type="application/json")
        .json()
    )
    one = url(enrolment, f"/{made['id']}")
    token = organisation_client(world, "own_admin")
    assert token.get(one).status_code == 404
    assert token.delete(one).status_code == 403
