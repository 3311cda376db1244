"""Fuzz every API operation from its own OpenAPI schema: no generated input gives a 5xx."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from joinedup.api import api
from joinedup.partnership.tests.api_helpers import personal_token
from joinedup.partnership.tests.factories import EmploymentFactory

schema = schemathesis.openapi.from_dict(api.get_openapi_schema())


class InTransactionApp:
    """Django's WSGI app, minus closing the connection after each request, as the test client does.

    The test's database transaction must survive every request, or its data would vanish.
    """

    def __init__(self) -> None:
        self.handler = WSGIHandler()

    def __call__(self, environ, start_response):
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            response = self.handler(environ, start_response)
            body = list(response)
            response.close()
            return body
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)


APP = InTransactionApp()


@pytest.fixture
def token(world) -> str:
    """An org admin's personal token, with a few more people so pages and cursors have rows."""
    for _ in range(5):
        EmploymentFactory(organisation=world.own)
    return personal_token(world, "own_admin")


@pytest.mark.fuzz
@schema.parametrize()
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_api_operation_answers_with_a_server_error(case, token):
    response = case.call(app=APP, headers={"Authorization": f"Bearer {token}"})
    case.validate_response(response, checks=[not_a_server_error])
