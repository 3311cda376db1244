"""The assessors' own access matrix, beside the personas' (the standing world has no assessor
persona): an internal assessor (employed at the ICB, in the partnership), an external assessor
(an account with no employment) and an unrelated external assessor, each against the internal
assessor's booking and the external assessor's booking, for the booking page, the results form
(GET and an empty POST) and the API (browser session). Each sees and records only their own
bookings: another's is a 404, like anything they may not see."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from joinedup.apprenticeships import assessments
from joinedup.apprenticeships.models import EndPointAssessment, EnrolmentStatus
from joinedup.partnership.tests.factories import EmploymentFactory, PersonFactory

from . import apprenticeships_scene

WHO = ("internal", "external", "unrelated")
BOOKINGS = ("internal", "external")

EXPECTED = {
    (who, booking): (200, 200, 200, 200) if who == booking else (404, 404, 404, 404)
    for who in WHO
    for booking in BOOKINGS
}


def _external(email: str):
    person = PersonFactory(email=email)
    person.groups.add(assessments.external_group())
    return person


def _booking(world, which: str, assessor, organisation=None) -> EndPointAssessment:
    enrolment = apprenticeships_scene.enrolment(world, which, status=EnrolmentStatus.IN_EPA)
    return EndPointAssessment.objects.create(
        enrolment=enrolment,
        assessment_organisation="Skills Assess Ltd",
        assessor=assessor,
        assessor_organisation=organisation,
        assessment_on=timezone.localdate(),
        booked_by=world.person("programme_leader"),
    )


def _client(person) -> Client:
    client = Client()
    client.force_login(person, backend="joinedup.partnership.auth.EmailBackend")
    return client


def test_each_assessor_sees_and_records_only_their_own_bookings(world):
    people = {
        "internal": EmploymentFactory(organisation=world.icb).person,
        "external": _external("eve.external@assess.example"),
        "unrelated": _external("uma.unrelated@assess.example"),
    }
    bookings = {
        "internal": _booking(world, "own", people["internal"], world.icb),
        "external": _booking(world, "partner", people["external"]),
    }
    clients = {who: _client(person) for who, person in people.items()}
    found = {}
    for who in WHO:
        client = clients[who]
        for name in BOOKINGS:
            pk = bookings[name].pk
            results = reverse("apprenticeships:assessment_results", args=[pk])
            found[(who, name)] = (
                client.get(reverse("apprenticeships:assessment", args=[pk])).status_code,
                client.get(results).status_code,
                client.post(results, {}).status_code,
                client.get(f"/api/v1/apprenticeships/assessments/{pk}").status_code,
            )
    assert found == EXPECTED
    for who in WHO:
        mine = clients[who].get("/api/v1/apprenticeships/assessments/mine").json()
        own = [bookings[who].pk] if who in bookings else []
        assert [item["id"] for item in mine["items"]] == own
        page = clients[who].get(reverse("apprenticeships:my_assessments"))
        assert page.status_code == 200
    nothing_else = clients["external"].get(
        reverse("apprenticeships:enrolment", args=[bookings["external"].enrolment_id])
    )
    assert nothing_else.status_code == 404  # the enrolment itself stays out of reach
