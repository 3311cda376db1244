"""The standards API: the list (search, level, cursor pages, few queries), a standard with its KSBs,
and adding, changing and removing KSBs by those who may edit standards; organisation tokens read
but never write."""

from __future__ import annotations

import pytest

from joinedup.apprenticeships.models import Ksb, KsbKind, Standard
from joinedup.partnership.models import AuditEvent
from joinedup.partnership.tests.api_helpers import (
    API,
    api_client,
    api_queries,
    ids,
    organisation_client,
)

STANDARDS = f"{API}/apprenticeships/standards"
JSON = "application/json"


@pytest.fixture
def standard(db) -> Standard:
    made = Standard.objects.create(
        reference_code="ZZ0301", title="Zebra keeping", level=4, funding_band=5000
    )
    Ksb.objects.create(
        standard=made, code="B1", kind=KsbKind.BEHAVIOUR, number=1, description="Calm"
    )
    Ksb.objects.create(
        standard=made,
        code="K2",
        kind=KsbKind.KNOWLEDGE,
        number=2,
        description="Stripes",
        illustrative=True,
    )
    return made


def test_the_list_searches_by_code_and_title_words_and_level(world):
    client = api_client(world, "own_staff")

    by_code = client.get(STANDARDS, {"q": "ST0480"}).json()
    by_words = client.get(STANDARDS, {"q": "senior leader", "level": 7}).json()

    assert [item["reference_code"] for item in by_code["items"]] == ["ST0480"]
    assert {item["level"] for item in by_words["items"]} == {7}
    assert "ST0480" in {item["reference_code"] for item in by_words["items"]}


def test_the_list_pages_with_cursors_in_few_queries(world):
    client = api_client(world, "outsider")

    first = client.get(STANDARDS, {"limit": 10})
    second = client.get(STANDARDS, {"limit": 10, "cursor": first.json()["next"]})

    assert len(ids(first)) == 10
    assert not set(ids(first)) & set(ids(second))
    assert api_queries(client, f"{STANDARDS}?limit=200") <= 6


def test_a_bad_level_or_cursor_is_a_422_naming_it(world):
    client = api_client(world, "own_staff")

    assert "level (query)" in client.get(STANDARDS, {"level": 9}).json()["detail"]
    assert "cursor (query)" in client.get(STANDARDS, {"cursor": "nonsense"}).json()["detail"]


def test_a_standard_comes_with_its_ksbs_by_kind(world, standard):
    response = organisation_client(world, "own_admin").get(f"{STANDARDS}/{standard.pk}")

    body = response.json()
    assert response.status_code == 200
    assert [ksb["code"] for ksb in body["ksbs"]] == ["K2", "B1"]
    assert body["ksbs"][0]["illustrative"] is True
    assert body["funding_band"] == "5000.00000"
    assert body["may_edit"] is False


def test_an_unknown_standard_is_a_404(world):
    assert api_client(world, "own_staff").get(f"{STANDARDS}/999999999").status_code == 404


def test_an_ld_lead_adds_changes_and_removes_a_ksb(world, standard):
    client = api_client(world, "own_ld_lead")

    added = client.post(
        f"{STANDARDS}/{standard.pk}/ksbs",
        {"code": "s4", "description": "Groom"},
        content_type=JSON,
    )
    assert added.status_code == 201, added.content
    assert (added.json()["code"], added.json()["kind"], added.json()["number"]) == ("S4", "S", 4)

    ksb_url = f"{STANDARDS}/{standard.pk}/ksbs/{added.json()['id']}"
    changed = client.patch(ksb_url, {"description": "Groom gently"}, content_type=JSON)
    assert changed.status_code == 200, changed.content
    assert (changed.json()["code"], changed.json()["description"]) == ("S4", "Groom gently")

    assert client.delete(ksb_url).status_code == 204
    assert not standard.ksbs.filter(code="S4").exists()
    actions = AuditEvent.objects.filter(object_kind="apprenticeship_ksb").values_list(
        "action", flat=True
    )
    assert sorted(actions) == ["ksb.added", "ksb.changed", "ksb.deleted"]


def test_a_taken_code_is_a_422_naming_the_field(world, standard):
    response = api_client(world, "own_ld_lead").post(
        f"{STANDARDS}/{standard.pk}/ksbs", {"code": "K2", "description": "x"}, content_type=JSON
    )

    assert response.status_code == 422
    assert response.json()["detail"] == "code (body): ZZ0301 already has a K2: choose another code"


def test_a_missing_description_is_a_422(world, standard):
    response = api_client(world, "own_ld_lead").post(
        f"{STANDARDS}/{standard.pk}/ksbs", {"code": "K3", "description": " "}, content_type=JSON
    )

    assert response.json()["detail"] == "description (body): Enter a description"


def test_staff_without_the_role_may_not_write(world, standard):
    client = api_client(world, "own_staff")

    response = client.post(
        f"{STANDARDS}/{standard.pk}/ksbs", {"code": "K3", "description": "x"}, content_type=JSON
    )

    assert response.status_code == 403
    assert "programme leaders and L&D leads" in response.json()["detail"]


def test_an_organisation_token_may_not_write(world, standard):
    client = organisation_client(world, "own_admin")
    ksb = standard.ksbs.get(code="K2")

    posted = client.post(
        f"{STANDARDS}/{standard.pk}/ksbs", {"code": "K3", "description": "x"}, content_type=JSON
    )
    deleted = client.delete(f"{STANDARDS}/{standard.pk}/ksbs/{ksb.pk}")

    assert (posted.status_code, deleted.status_code) == (403, 403)
    assert "personal token" in deleted.json()["detail"]


def test_a_ksb_of_another_standard_is_a_404(world, standard):
    other = Standard.objects.create(reference_code="ZZ0302", title="Other")
    ksb = standard.ksbs.get(code="K2")

    response = api_client(world, "own_ld_lead").delete(f"{STANDARDS}/{other.pk}/ksbs/{ksb.pk}")

    assert response.status_code == 404
