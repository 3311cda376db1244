"""Styled 400, 403, 404 and 500 pages, and no stack trace ever reaches a user."""

from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.urls("joinedup.partnership.tests.error_urls")

STYLESHEET = "/static/build/main.css"


def assert_styled(response, status: int, heading: str) -> None:
    assert response.status_code == status
    assert f'<h1 class="govuk-heading-l">{heading}</h1>' in response.text
    assert STYLESHEET in response.text
    assert "Traceback" not in response.text


def test_unknown_address_shows_the_styled_not_found_page_to_a_signed_in_person(client_for):
    response = client_for("own_staff").get("/no-such-page/")

    assert_styled(response, 404, "Page not found")
    assert "Sign out" in response.text


def test_unknown_address_shows_the_styled_not_found_page_to_an_anonymous_visitor(client, db):
    response = client.get("/accounts/no-such-page/")

    assert_styled(response, 404, "Page not found")
    assert "Sign out" not in response.text


def test_anonymous_visitor_to_an_unknown_private_address_is_sent_to_sign_in(client, db):
    response = client.get("/no-such-page/")

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_forbidden_action_shows_the_styled_permission_page(client_for):
    response = client_for("own_staff").get("/test-errors/forbidden/")

    assert_styled(response, 403, "You do not have permission to do this")


def test_outsider_gets_the_same_styled_permission_page(client_for):
    response = client_for("outsider").get("/test-errors/forbidden/")

    assert_styled(response, 403, "You do not have permission to do this")


def test_tampered_request_shows_the_styled_bad_request_page(client_for):
    response = client_for("own_staff").get("/test-errors/suspicious/")

    assert_styled(response, 400, "Sorry, there is a problem with the request")
    assert "tampered" not in response.text


def test_request_for_an_unknown_host_shows_the_styled_bad_request_page(client, db):
    response = client.get("/accounts/login/", HTTP_HOST="joinedup.evil.example")

    assert_styled(response, 400, "Sorry, there is a problem with the request")


def test_failing_view_shows_the_styled_error_page_without_a_stack_trace(world, settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    client.force_login(world.own_staff, backend="joinedup.partnership.auth.EmailBackend")

    response = client.get("/test-errors/broken/")

    assert_styled(response, 500, "Sorry, there is a problem with the service")
    assert "secret-database-host" not in response.text
    assert "RuntimeError" not in response.text


def test_error_page_scripts_carry_the_content_security_policy_nonce(world):
    client = Client(raise_request_exception=False)
    client.force_login(world.own_staff, backend="joinedup.partnership.auth.EmailBackend")

    response = client.get("/test-errors/broken/")

    nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)
    assert f'nonce="{nonce}"' in response.text


def test_anonymous_visitor_to_a_failing_page_is_sent_to_sign_in_first(client, db):
    response = client.get("/test-errors/broken/")

    assert response.status_code == 302
