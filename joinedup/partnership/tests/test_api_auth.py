"""API authentication: tokens, their expiry and revocation, the acting organisation, JSON errors."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from joinedup.partnership import services
from joinedup.partnership.models import ApiToken, Employment
from joinedup.partnership.tests.api_helpers import (
    API,
    api_client,
    bearer,
    organisation_client,
    personal_token,
)
from joinedup.partnership.tests.factories import EmploymentFactory

OPERATIONS = (
    "/organisations",
    "/organisations/{own}",
    "/people",
    "/people/{staff}",
    "/people/{staff}/employments",
    "/me",
)


def every_operation(world) -> list[str]:
    return [API + path.format(own=world.own.pk, staff=world.own_staff.pk) for path in OPERATIONS]


def assert_json_error(response, status: int, words: str) -> None:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    assert words in response.json()["detail"]


def test_every_operation_refuses_a_caller_without_a_token_with_json(world):
    for url in every_operation(world):
        response = Client().get(url)
        assert_json_error(response, 401, "Authorization: Bearer")
        assert response["WWW-Authenticate"].startswith("Bearer")


def test_an_unknown_token_is_refused(world):
    for url in every_operation(world):
        assert_json_error(bearer("ju_not-a-real-token").get(url), 401, "not valid")


def test_a_token_with_another_scheme_is_refused(world):
    client = Client(headers={"Authorization": f"Token {personal_token(world, 'own_staff')}"})
    assert_json_error(client.get(f"{API}/me"), 401, "Authorization: Bearer")


def test_an_expired_token_is_refused(world):
    raw = personal_token(world, "own_staff")
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert_json_error(bearer(raw).get(f"{API}/me"), 401, "expired")


def test_a_revoked_token_is_refused(world):
    token, raw = services.create_personal_token(actor=world.actor("own_staff"), name="Sync")
    client = bearer(raw)
    assert client.get(f"{API}/me").status_code == 200
    services.revoke_token(actor=world.actor("own_staff"), token=token)
    assert_json_error(client.get(f"{API}/me"), 401, "revoked")


def test_a_revoked_organisation_token_is_refused(world):
    token, raw = services.create_organisation_token(
        actor=world.actor("own_admin"), organisation=world.own, name="HR system"
    )
    services.revoke_token(actor=world.actor("own_admin"), token=token)
    assert_json_error(bearer(raw).get(f"{API}/people"), 401, "revoked")


def test_token_of_someone_who_can_no_longer_sign_in_is_refused(world):
    client = api_client(world, "own_staff")
    Employment.objects.filter(person=world.own_staff).update(
        end_date=timezone.localdate() - dt.timedelta(days=1)
    )
    assert_json_error(client.get(f"{API}/me"), 401, "can no longer sign in")


def test_token_of_a_deactivated_person_is_refused(world):
    client = api_client(world, "own_staff")
    world.own_staff.is_active = False
    world.own_staff.save(update_fields=["is_active"])
    assert_json_error(client.get(f"{API}/me"), 401, "can no longer sign in")


def test_organisation_token_is_refused_on_me_with_403(world):
    client = organisation_client(world, "own_admin")
    assert_json_error(client.get(f"{API}/me"), 403, "not as a person")


def test_organisation_token_reads_its_own_organisations_directory(world):
    client = organisation_client(world, "own_admin")
    people = {item["id"] for item in client.get(f"{API}/people").json()["items"]}
    assert world.own_staff.pk in people
    assert world.partner_staff.pk not in people
    assert client.get(f"{API}/people/{world.partner_staff.pk}").status_code == 404
    assert client.get(f"{API}/organisations/{world.own.pk}").status_code == 200
    assert client.get(f"{API}/organisations/{world.outsider_org.pk}").status_code == 404


def test_personal_token_acts_for_the_first_organisation_by_default(world):
    body = api_client(world, "own_staff").get(f"{API}/me").json()
    assert body["acting_for"] == {"id": world.own.pk, "name": world.own.name}


def test_x_organisation_header_chooses_another_current_employer(world):
    EmploymentFactory(person=world.own_staff, organisation=world.partner, job_title="Bank nurse")
    raw = personal_token(world, "own_staff")
    client = Client(
        headers={"Authorization": f"Bearer {raw}", "X-Organisation": str(world.partner.pk)}
    )
    body = client.get(f"{API}/me").json()
    assert body["acting_for"]["id"] == world.partner.pk
    people = {item["id"] for item in client.get(f"{API}/people").json()["items"]}
    assert world.partner_staff.pk in people


def test_x_organisation_header_naming_someone_elses_employer_is_refused(world):
    raw = personal_token(world, "own_staff")
    client = Client(
        headers={"Authorization": f"Bearer {raw}", "X-Organisation": str(world.outsider_org.pk)}
    )
    assert_json_error(client.get(f"{API}/me"), 403, "X-Organisation")


def test_x_organisation_header_that_is_not_an_id_is_a_422(world):
    raw = personal_token(world, "own_staff")
    client = Client(headers={"Authorization": f"Bearer {raw}", "X-Organisation": "Barnet"})
    assert_json_error(client.get(f"{API}/me"), 422, "X-Organisation")


def test_signed_in_browser_may_read_with_its_session(client_for, world):
    response = client_for("own_staff").get(f"{API}/me")
    assert response.status_code == 200
    assert response.json()["id"] == world.own_staff.pk


def test_using_a_token_records_when_it_was_last_used(world):
    token, raw = services.create_personal_token(actor=world.actor("own_staff"), name="Sync")
    assert token.last_used_at is None
    bearer(raw).get(f"{API}/me")
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_schema_is_public_json(world):
    response = Client().get(f"{API}/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert f"{API}/people" in paths
    assert f"{API}/me" in paths


def test_unexpected_failure_is_a_json_500_without_details(world, monkeypatch):
    def broken(actor):
        raise RuntimeError("secret internals")

    monkeypatch.setattr("joinedup.partnership.access.visible_organisations", broken)
    response = api_client(world, "own_staff").get(f"{API}/organisations")
    assert_json_error(response, 500, "Something went wrong")
    assert "secret" not in response.content.decode()


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=0", "limit"),
        ("limit=201", "limit"),
        ("limit=ten", "limit"),
        ("cursor=not-a-cursor", "cursor"),
        ("cursor=" + "x" * 1001, "cursor"),
    ],
)
def test_bad_list_parameters_are_a_422_naming_the_parameter(world, query, field):
    response = api_client(world, "own_staff").get(f"{API}/people?{query}")
    assert_json_error(response, 422, f"{field} (query)")


def test_bad_path_id_is_a_422_naming_it(world):
    client = api_client(world, "own_staff")
    assert_json_error(client.get(f"{API}/people/abc"), 422, "pk (path)")
    assert_json_error(client.get(f"{API}/people/{10**30}"), 422, "pk (path)")


def test_a_path_under_the_api_that_names_no_operation_is_a_json_404(world):
    response = api_client(world, "own_staff").get(f"{API}/nothing-here")
    assert_json_error(response, 404, "no API operation")


def test_a_missing_page_outside_the_api_is_still_the_styled_page(client_for):
    response = client_for("own_staff").get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_api_docs_use_local_assets_that_the_content_security_policy_allows(world):
    response = Client().get(f"{API}/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_a_method_an_operation_lacks_is_a_json_405(world):
    response = api_client(world, "own_staff").post(f"{API}/people", {})
    assert_json_error(response, 405, "POST is not allowed here; use GET")
    assert response["Allow"] == "GET"
