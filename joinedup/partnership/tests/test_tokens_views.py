"""The API token pages: my tokens, an organisation's tokens, and revoking them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from joinedup.partnership import services
from joinedup.partnership.models import ApiToken, AuditEvent
from joinedup.partnership.services import hash_token
from joinedup.partnership.tests.api_helpers import API, bearer
from joinedup.partnership.tests.manage_helpers import assert_status, queries_for

MY_TOKENS = reverse("partnership:tokens")


def organisation_tokens_url(world) -> str:
    return reverse("partnership:organisation-tokens", args=[world.own.pk])


def personal_token_of(world, persona: str) -> ApiToken:
    token, _ = services.create_personal_token(actor=world.actor(persona), name="Rota sync")
    return token


def organisation_token_of(world) -> ApiToken:
    token, _ = services.create_organisation_token(
        actor=world.actor("own_admin"), organisation=world.own, name="HR system"
    )
    return token


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("own_staff", 200),
        ("partner_admin", 200),
        ("partnership_lead", 200),
        ("outsider", 200),
        ("anonymous", 302),
    ],
)
def test_everyone_signed_in_has_a_tokens_page(client_for, persona, expected):
    assert_status(client_for(persona).get(MY_TOKENS), expected)


def test_my_tokens_page_lists_only_my_tokens(client_for, world):
    personal_token_of(world, "own_staff")
    theirs, _ = services.create_personal_token(actor=world.actor("own_admin"), name="Not mine")
    page = client_for("own_staff").get(MY_TOKENS).text
    assert "Rota sync" in page
    assert "Not mine" not in page


def test_creating_a_token_shows_it_once_and_stores_only_its_hash(client_for, world):
    client = client_for("own_staff")
    response = client.post(MY_TOKENS, {"name": "Timesheets", "days": "30"}, follow=True)
    assert response.redirect_chain[-1][0] == MY_TOKENS
    raw = response.context["new_token"]["value"]
    assert raw in response.text
    token = ApiToken.objects.get(person=world.own_staff)
    assert token.token_hash == hash_token(raw)
    assert raw not in (token.prefix, token.token_hash, token.name)
    assert dt.timedelta(days=29) < token.expires_at - timezone.now() <= dt.timedelta(days=30)
    assert raw not in client.get(MY_TOKENS).text
    assert bearer(raw).get(f"{API}/me").json()["id"] == world.own_staff.pk


def test_creating_a_token_is_audited_without_the_secret(client_for, world):
    client_for("own_staff").post(MY_TOKENS, {"name": "Timesheets", "days": "7"})
    event = AuditEvent.objects.get(action="api_token.created")
    token = ApiToken.objects.get()
    assert event.actor == world.own_staff
    assert event.object_id == str(token.pk)
    assert token.token_hash not in str(event.changes)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "", "days": "30"}, "name", "Enter a name for the token"),
        ({"name": "   ", "days": "30"}, "name", "Enter a name for the token"),
        ({"name": "x" * 101, "days": "30"}, "name", "100 characters or fewer"),
        ({"name": "Sync", "days": ""}, "days", "Enter how many days"),
        ({"name": "Sync", "days": "soon"}, "days", "whole number of days"),
        ({"name": "Sync", "days": "0"}, "days", "from 1 to 90"),
        ({"name": "Sync", "days": "91"}, "days", "from 1 to 90"),
        ({"name": "Sync", "days": "9" * 30}, "days", "from 1 to 90"),
    ],
)
def test_bad_token_form_shows_an_error_on_the_field(client_for, settings, data, field, message):
    settings.API_TOKEN_DAYS = 90
    response = client_for("own_staff").post(MY_TOKENS, data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert "There is a problem" in response.text
    assert not ApiToken.objects.exists()


def test_my_tokens_page_queries_do_not_grow_with_tokens(client_for, world):
    client = client_for("own_staff")
    personal_token_of(world, "own_staff")
    small = queries_for(client, MY_TOKENS)
    for _ in range(8):
        personal_token_of(world, "own_staff")
    assert queries_for(client, MY_TOKENS) == small


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("own_staff", 200),
        ("own_admin", 404),
        ("partner_staff", 404),
        ("partnership_lead", 404),
        ("outsider", 404),
        ("anonymous", 302),
    ],
)
def test_only_the_owner_may_open_a_tokens_revoke_page(client_for, world, persona, expected):
    token = personal_token_of(world, "own_staff")
    url = reverse("partnership:token-revoke", args=[token.pk])
    assert_status(client_for(persona).get(url), expected)
    answer = client_for(persona).post(url).status_code
    assert answer == (302 if expected in (200, 302) else expected)
    token.refresh_from_db()
    assert (token.revoked_at is not None) == (persona == "own_staff")


def test_revoking_my_token_stops_it_and_is_audited(client_for, world):
    token, raw = services.create_personal_token(actor=world.actor("own_staff"), name="Sync")
    url = reverse("partnership:token-revoke", args=[token.pk])
    client = client_for("own_staff")
    assert "Revoke token Sync?" in client.get(url).text
    response = client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == MY_TOKENS
    assert "has been revoked" in response.text
    assert bearer(raw).get(f"{API}/me").status_code == 401
    assert AuditEvent.objects.filter(action="api_token.revoked", object_id=str(token.pk)).exists()
    client.post(url)
    assert AuditEvent.objects.filter(action="api_token.revoked").count() == 1


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("own_admin", 200),
        ("own_staff", 403),
        ("own_ld_lead", 403),
        ("partner_admin", 403),
        ("partnership_lead", 403),
        ("outsider", 404),
        ("anonymous", 302),
    ],
)
def test_only_own_admin_sees_organisation_tokens(client_for, world, persona, expected):
    token = organisation_token_of(world)
    revoke_url = reverse("partnership:organisation-token-revoke", args=[world.own.pk, token.pk])
    for url in (organisation_tokens_url(world), revoke_url):
        assert_status(client_for(persona).get(url), expected)
    answer = client_for(persona).post(organisation_tokens_url(world), {"name": "X", "days": "5"})
    assert answer.status_code == (302 if expected in (200, 302) else expected)
    assert ApiToken.objects.filter(organisation=world.own).count() == (
        2 if persona == "own_admin" else 1
    )


def test_admin_creates_a_read_only_organisation_token_shown_once(client_for, world):
    client = client_for("own_admin")
    response = client.post(
        organisation_tokens_url(world), {"name": "Payroll feed", "days": "30"}, follow=True
    )
    raw = response.context["new_token"]["value"]
    token = ApiToken.objects.get(organisation=world.own)
    assert token.person is None
    assert token.scopes == ["read"]
    assert token.created_by == world.own_admin
    assert raw not in client.get(organisation_tokens_url(world)).text
    api = Client(headers={"Authorization": f"Bearer {raw}"})
    assert api.get(f"{API}/me").status_code == 403
    assert api.get(f"{API}/people").status_code == 200
    event = AuditEvent.objects.get(action="api_token.created")
    assert event.organisation == world.own


def test_admin_revokes_an_organisation_token(client_for, world):
    token = organisation_token_of(world)
    url = reverse("partnership:organisation-token-revoke", args=[world.own.pk, token.pk])
    response = client_for("own_admin").post(url, follow=True)
    assert response.redirect_chain[-1][0] == organisation_tokens_url(world)
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_another_organisations_token_is_a_404_for_an_admin(client_for, world):
    services.create_organisation_token(
        actor=world.actor("partner_admin"), organisation=world.partner, name="Theirs"
    )
    theirs = ApiToken.objects.get(organisation=world.partner)
    url = reverse("partnership:organisation-token-revoke", args=[world.own.pk, theirs.pk])
    assert_status(client_for("own_admin").get(url), 404)
    assert_status(client_for("own_admin").post(url), 404)
    assert "Theirs" not in client_for("own_admin").get(organisation_tokens_url(world)).text


def test_organisation_tokens_page_queries_do_not_grow_with_tokens(client_for, world):
    client = client_for("own_admin")
    organisation_token_of(world)
    small = queries_for(client, organisation_tokens_url(world))
    for _ in range(8):
        organisation_token_of(world)
    assert queries_for(client, organisation_tokens_url(world)) == small


def test_expired_and_revoked_tokens_are_labelled(client_for, world):
    expired = personal_token_of(world, "own_staff")
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now())
    revoked = personal_token_of(world, "own_staff")
    services.revoke_token(actor=world.actor("own_staff"), token=revoked)
    page = client_for("own_staff").get(MY_TOKENS).text
    assert "Expired" in page
    assert "Revoked" in page
