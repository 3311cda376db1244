"""The accreditations API: list (cursor pages, filters, fixed queries), detail with the cascade's
counts, accrediting and withdrawing through the service (422 naming the field, 409 for the whole
request, 403 for organisation tokens)."""

from __future__ import annotations

import datetime as dt

from joinedup.learning.models import Outcome
from joinedup.materials.models import Accreditation, Licence
from joinedup.materials.tests.factories import MaterialFactory
from joinedup.partnership.tests.api_helpers import (
    API,
    api_client,
    api_queries,
    ids,
    organisation_client,
)

from .accreditation_helpers import (
    TODAY,
    accreditation,
    accredited_programme,
    delivered_run,
    learners,
    staff_at,
)

URL = f"{API}/trainers/accreditations"


def body(programme, email: str = "pat.staff@lnwh.test", **extra) -> dict:
    return {
        "programme": programme.pk,
        "person_email": email,
        "accredited_on": TODAY.isoformat(),
        "expires_on": (TODAY + dt.timedelta(days=730)).isoformat(),
        "evidence_url": "https://learning.example.test/certificate",
        **extra,
    }


def test_hosts_ld_lead_accredits_and_gets_the_detail(world):
    programme = accredited_programme(world.own)
    response = api_client(world, "own_ld_lead").post(
        URL, body(programme), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    found = response.json()
    assert found["person"]["family_name"] == "Staff"
    assert found["trained_by"] is None
    assert found["cascade"] == {
        "learners": 0,
        "branch_learners": 0,
        "depth": 0,
        "generation": 1,
        "trainees": [],
        "trainers_below": 0,
    }
    assert found["allowed"] == {"withdraw": True}


def test_refused_fields_are_422_naming_them_and_the_whole_request_409(world):
    programme = accredited_programme(world.own)
    client = api_client(world, "own_ld_lead")
    response = client.post(URL, body(programme, "nobody@x.test"), content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"].startswith("person_email (body)")
    response = client.post(
        URL, body(programme, expires_on=TODAY.isoformat()), content_type="application/json"
    )
    assert response.status_code == 422
    assert "expires_on (body): The expiry date must be after" in response.json()["detail"]
    response = client.post(
        URL, body(programme, "lee.learning@barnet.test"), content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["detail"].startswith("person_email (body): You cannot accredit")
    private = MaterialFactory(owner=world.partner, licence=Licence.OWNER_ONLY)
    response = client.post(
        URL, body(programme, evidence_material=private.pk), content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["detail"].startswith("evidence_material (body)")
    programme.delivered_by_accredited_trainers = False
    programme.save()
    response = client.post(URL, body(programme), content_type="application/json")
    assert response.status_code == 409
    assert Accreditation.objects.count() == 0


def test_junk_bodies_are_422_never_a_server_error(world):
    programme = accredited_programme(world.own)
    client = api_client(world, "own_ld_lead")
    for junk in [
        {"accredited_on": "yesterday"},
        {"programme": -1},
        {"programme": "x"},
        {"person_email": "\x00"},
        {"evidence_url": "x" * 600},
        {"expires_on": "2026-02-31"},
        {"evidence_material": 10**30},
    ]:
        response = client.post(URL, {**body(programme), **junk}, content_type="application/json")
        assert response.status_code == 422, (junk, response.content)


def test_others_may_not_accredit_and_tokens_never_do(world):
    programme = accredited_programme(world.own)
    response = api_client(world, "partner_ld_lead").post(
        URL, body(programme), content_type="application/json"
    )
    assert response.status_code == 403
    response = api_client(world, "outsider").post(
        URL, body(programme), content_type="application/json"
    )
    assert response.status_code == 404
    response = organisation_client(world, "own_admin").post(
        URL, body(programme), content_type="application/json"
    )
    assert response.status_code == 403


def test_detail_gives_the_cascade_counts(world):
    programme = accredited_programme(world.own)
    top = accreditation(world.own_line_manager, programme, by=world.own_ld_lead)
    below = accreditation(world.partner_staff, programme, by=world.own_line_manager, trained_by=top)
    people = learners(world.own, "api", 3)
    delivered_run(programme, world.own_line_manager, TODAY, [(people[0], Outcome.COMPLETED)])
    delivered_run(
        programme,
        world.partner_staff,
        TODAY,
        [(people[1], Outcome.COMPLETED), (people[2], Outcome.NOT_COMPLETED)],
    )
    found = api_client(world, "partner_ld_lead").get(f"{URL}/{top.pk}").json()
    assert found["cascade"]["learners"] == 1
    assert found["cascade"]["branch_learners"] == 3
    assert found["cascade"]["trainees"] == [below.pk]
    assert found["allowed"] == {"withdraw": False}
    assert api_client(world, "own_staff").get(f"{URL}/{top.pk}").status_code == 404
    assert organisation_client(world, "own_admin").get(f"{URL}/{top.pk}").status_code == 404


def test_list_pages_with_a_cursor_filters_and_asks_fixed_queries(world):
    programme = accredited_programme(world.own)
    other = accredited_programme(world.partner)
    made = [
        accreditation(staff_at(world.own, f"t{i}@barnet.test"), programme, by=world.own_ld_lead)
        for i in range(5)
    ]
    accreditation(world.own_staff, other, by=world.partner_ld_lead)
    client = api_client(world, "own_ld_lead")
    first = client.get(URL, {"programme": programme.pk, "limit": 3})
    second = client.get(
        URL, {"programme": programme.pk, "limit": 3, "cursor": first.json()["next"]}
    )
    assert ids(first) + ids(second) == sorted((a.pk for a in made), reverse=True)
    assert second.json()["next"] is None
    few = api_queries(client, f"{URL}?programme={programme.pk}")
    for i in range(5, 15):
        accreditation(staff_at(world.own, f"t{i}@barnet.test"), programme, by=world.own_ld_lead)
    assert api_queries(client, f"{URL}?programme={programme.pk}") == few
    mine = api_client(world, "own_staff").get(URL, {"mine": "true"})
    assert [item["programme"]["id"] for item in mine.json()["items"]] == [other.pk]
    assert organisation_client(world, "own_admin").get(URL).json()["items"] == []


def test_withdraw_by_the_hosts_ld_lead_then_409(world):
    programme = accredited_programme(world.own)
    held = accreditation(world.partner_staff, programme, by=world.own_admin)
    client = api_client(world, "own_ld_lead")
    response = client.post(
        f"{URL}/{held.pk}/withdraw", {"reason": "Left"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["withdrawn_reason"] == "Left"
    assert response.json()["is_current"] is False
    again = client.post(
        f"{URL}/{held.pk}/withdraw", {"reason": "Again"}, content_type="application/json"
    )
    assert again.status_code == 409
    empty = client.post(
        f"{URL}/{held.pk}/withdraw", {"reason": " "}, content_type="application/json"
    )
    assert empty.status_code in (409, 422)
    other = api_client(world, "partner_ld_lead").post(
        f"{URL}/{held.pk}/withdraw", {"reason": "x"}, content_type="application/json"
    )
    assert other.status_code == 403
