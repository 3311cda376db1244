"""The /api/v1/talent/secondments operations: list, detail, release, sign."""

from __future__ import annotations

import pytest
from django.test import Client

from joinedup.partnership.services import create_organisation_token, create_personal_token
from joinedup.talent.models import AgreementStatus

from .agreement_data import drafted

pytestmark = pytest.mark.django_db
BASE = "/api/v1/talent/secondments"


def api(world, persona: str) -> Client:
    _, raw = create_personal_token(actor=world.actor(persona), name="test")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def test_lists_mine_and_the_organisations(world):
    own = drafted(world)
    theirs = drafted(world, which="partner")
    mine = api(world, "own_staff").get(BASE).json()
    assert [item["id"] for item in mine["items"]] == [own.pk]
    assert mine["items"][0]["host_organisation"]["name"] == world.partner.name
    council = api(world, "own_ld_lead").get(BASE, {"scope": "organisation"}).json()
    assert sorted(item["id"] for item in council["items"]) == sorted([own.pk, theirs.pk])
    refused = api(world, "own_staff").get(BASE, {"scope": "organisation"})
    assert refused.status_code == 403


def test_detail_for_readers_only(world):
    agreement = drafted(world)
    response = api(world, "own_line_manager").get(f"{BASE}/{agreement.pk}")
    assert response.status_code == 200
    assert response.json()["status"] == AgreementStatus.AWAITING_RELEASE
    assert api(world, "partner_staff").get(f"{BASE}/{agreement.pk}").status_code == 404


def test_release_then_sign_the_version_read(world):
    agreement = drafted(world)
    first = api(world, "own_line_manager").post(f"{BASE}/{agreement.pk}/release")
    assert first.status_code == 200
    assert first.json()["line_manager_released_at"] is not None
    again = api(world, "own_line_manager").post(f"{BASE}/{agreement.pk}/release")
    assert again.status_code == 409
    api(world, "own_ld_lead").post(f"{BASE}/{agreement.pk}/release?capacity=ld_lead")
    stale = api(world, "own_staff").post(
        f"{BASE}/{agreement.pk}/sign", {"terms_version": 2}, content_type="application/json"
    )
    assert stale.status_code == 409
    assert "terms_version" in stale.json()["detail"]
    for persona in ("own_staff", "own_ld_lead", "partner_ld_lead"):
        response = api(world, persona).post(
            f"{BASE}/{agreement.pk}/sign", {"terms_version": 1}, content_type="application/json"
        )
        assert response.status_code == 200
    body = response.json()
    assert body["status"] == AgreementStatus.SIGNED
    assert sorted(s["party"] for s in body["signatures"]) == ["home", "host", "person"]


def test_organisation_tokens_are_refused(world):
    agreement = drafted(world)
    _, raw = create_organisation_token(
        actor=world.actor("own_admin"), organisation=world.own, name="Integration"
    )
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    assert client.get(BASE).status_code == 403
    assert client.get(f"{BASE}/{agreement.pk}").status_code == 403
