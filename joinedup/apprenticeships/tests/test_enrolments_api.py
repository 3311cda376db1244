"""The enrolments API: the role-filtered list, the detail with eligibility only for those who may
see it, the funding decision, enrolling with an L&D lead's personal token and changing status."""

from __future__ import annotations

import pytest

from joinedup.apprenticeships.models import Enrolment, EnrolmentStatus
from joinedup.partnership.tests.api_helpers import (
    API,
    api_client,
    api_queries,
    ids,
    organisation_client,
)

from .enrolments_data import (  # noqa: F401 (fixtures)
    OLDER,
    activated,
    cohort_fixture,
    enrol,
    fakes_fixture,
    own_levy_fixture,
)

pytestmark = pytest.mark.django_db
URL = f"{API}/apprenticeships/enrolments"


def _new(cohort, world) -> dict:
    return {
        "cohort": cohort.pk,
        "apprentice_email": "ari.apprentice@barnet.test",
        "practice_tutor": world.person("practice_tutor").pk,
        "start_on": "2026-09-01",
        "planned_end_on": "2028-08-31",
        "price": "14000",
        "hours_per_week": "37",
        "date_of_birth": "1990-03-14",
    }


def test_an_ld_lead_enrols_with_a_personal_token(world, cohort, own_levy, fakes):
    response = api_client(world, "own_ld_lead").post(
        URL, _new(cohort, world), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "awaiting_commitment"
    assert body["funding_route"] == "private"
    assert body["eligibility"]["date_of_birth"] == "1990-03-14"
    assert body["line_manager"]["id"] == world.person("own_line_manager").pk


def test_others_may_not_enrol(world, cohort, fakes):
    for persona in ("own_levy_officer", "programme_leader"):
        response = api_client(world, persona).post(
            URL, _new(cohort, world), content_type="application/json"
        )
        assert response.status_code == 403
    response = organisation_client(world, "own_admin").post(
        URL, _new(cohort, world), content_type="application/json"
    )
    assert response.status_code == 403
    assert not Enrolment.objects.exists()


def test_a_bad_enrolment_is_a_422_naming_the_field(world, cohort, fakes):
    data = {**_new(cohort, world), "apprentice_email": "nobody@barnet.test"}
    response = api_client(world, "own_ld_lead").post(URL, data, content_type="application/json")
    assert response.status_code == 422
    assert "apprentice_email" in response.json()["detail"]


@pytest.mark.parametrize(
    ("persona", "shown"),
    [
        ("apprentice", True),
        ("own_ld_lead", True),
        ("programme_leader", True),
        ("practice_tutor", False),
        ("own_line_manager", False),
        ("own_levy_officer", False),
    ],
)
def test_eligibility_only_for_those_who_may_see_it(world, cohort, own_levy, fakes, persona, shown):
    made = enrol(world, cohort, born=OLDER)
    client = api_client(world, persona)
    detail = client.get(f"{URL}/{made.pk}")
    assert detail.status_code == 200
    assert (detail.json()["eligibility"] is not None) is shown
    assert ("1990" in detail.content.decode()) is shown
    funding = client.get(f"{URL}/{made.pk}/funding").json()
    assert funding["route"] == "private"
    assert funding["reason"] == made.funding_reason
    assert funding["employer_pays_text"]
    assert (funding["eligibility_reason"] is not None) is shown
    assert "1990" not in str(funding)


def test_the_list_is_what_the_caller_may_see(world, cohort, own_levy, fakes):
    made = enrol(world, cohort)
    assert ids(api_client(world, "practice_tutor").get(URL)) == [made.pk]
    assert ids(api_client(world, "own_levy_officer").get(URL)) == [made.pk]
    assert ids(api_client(world, "own_staff").get(URL)) == []
    assert ids(api_client(world, "outsider").get(URL)) == []
    assert api_client(world, "outsider").get(f"{URL}/{made.pk}").status_code == 404


def test_the_list_makes_the_same_queries_for_one_and_many(world, cohort, own_levy, fakes):
    from joinedup.apprenticeships.tests.factories import EnrolmentFactory
    from joinedup.partnership.tests.factories import EmploymentFactory

    client = api_client(world, "own_ld_lead")
    EnrolmentFactory(cohort=cohort, employment=EmploymentFactory(organisation=world.own))
    one = api_queries(client, URL)
    for _ in range(20):
        EnrolmentFactory(cohort=cohort, employment=EmploymentFactory(organisation=world.own))
    assert api_queries(client, URL) == one


def test_the_status_cannot_change_before_the_statement_is_signed(world, cohort, fakes):
    made = enrol(world, cohort)
    client = api_client(world, "programme_leader")
    change = {"status": "active", "effective_on": "2026-09-01", "reason": "Starting"}
    response = client.post(f"{URL}/{made.pk}/status", change, content_type="application/json")
    assert response.status_code == 422
    assert "signed" in response.json()["detail"]
    made.refresh_from_db()
    assert made.status == EnrolmentStatus.AWAITING_COMMITMENT


def test_the_status_changes_once_active_and_only_for_managers(world, cohort, fakes):
    made = activated(world, cohort)
    change = {"status": "on_break", "effective_on": "2027-01-04", "reason": "Illness"}
    tutor = api_client(world, "practice_tutor")
    response = tutor.post(f"{URL}/{made.pk}/status", change, content_type="application/json")
    assert response.status_code == 403
    lead = api_client(world, "own_ld_lead")
    response = lead.post(f"{URL}/{made.pk}/status", change, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "on_break"
    assert [h["status"] for h in response.json()["history"]] == [
        "awaiting_commitment",
        "active",
        "on_break",
    ]
