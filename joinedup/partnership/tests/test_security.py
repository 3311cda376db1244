"""Safety settings and guarantees: hashing, CSRF, headers, production start and the audit log."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.test import Client

from joinedup import settings as project_settings
from joinedup.partnership import audit
from joinedup.partnership.models import AuditEvent, Person
from joinedup.partnership.tests.factories import TEST_PASSWORD

PROJECT = Path(__file__).resolve().parents[3]
GUNICORN = Path(sys.executable).parent / "gunicorn"
LOGIN = "/accounts/login/"


def production_env(**changes: str | None) -> dict[str, str]:
    """The environment of a production start; a value of None removes the variable."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.pop("DEBUG", None)
    env |= {
        "DJANGO_SETTINGS_MODULE": "joinedup.settings",
        "JOINEDUP_PRODUCTION": "true",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "joinedup.example.org",
    }
    for key, value in changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def run(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own interpreter and arguments
        command, cwd=PROJECT, env=env, capture_output=True, text=True, timeout=120
    )


# --- Passwords -------------------------------------------------------------------------------


def test_argon2_is_the_first_password_hasher(settings):
    assert project_settings.PASSWORD_HASHERS[0] == (
        "django.contrib.auth.hashers.Argon2PasswordHasher"
    )
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS

    assert make_password(TEST_PASSWORD).startswith("argon2$argon2id$")


def test_short_and_common_passwords_are_refused_when_choosing_one():
    assert any(
        validator["NAME"].endswith("MinimumLengthValidator")
        and validator["OPTIONS"]["min_length"] >= 12
        for validator in project_settings.AUTH_PASSWORD_VALIDATORS
    )
    assert any(
        validator["NAME"].endswith("CommonPasswordValidator")
        for validator in project_settings.AUTH_PASSWORD_VALIDATORS
    )


# --- CSRF ------------------------------------------------------------------------------------


def test_sign_in_without_the_csrf_token_is_refused_with_a_styled_page(world):
    client = Client(enforce_csrf_checks=True)

    response = client.post(LOGIN, {"username": world.own_staff.email, "password": TEST_PASSWORD})

    assert response.status_code == 403
    assert "Sorry, we could not accept that form" in response.text
    assert "/static/build/main.css" in response.text
    assert "_auth_user_id" not in client.session


def test_sign_in_with_the_csrf_token_from_the_form_works(world):
    client = Client(enforce_csrf_checks=True)
    form = client.get(LOGIN)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)

    response = client.post(
        LOGIN,
        {
            "username": world.own_staff.email,
            "password": TEST_PASSWORD,
            "csrfmiddlewaretoken": token,
        },
    )

    assert response.status_code == 302


def test_signed_in_posts_without_the_csrf_token_are_refused(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.own_staff, backend="joinedup.partnership.auth.EmailBackend")

    assert client.post("/accounts/logout/").status_code == 403
    assert client.post("/switch-organisation/", {"organisation": world.own.pk}).status_code == 403
    assert client.get("/").status_code == 200


# --- Headers ---------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["anonymous", "own_staff"])
def test_pages_send_the_security_headers(client_for, persona):
    path = LOGIN if persona == "anonymous" else "/"

    response = client_for(persona).get(path)

    assert response.status_code == 200
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.parametrize("persona", ["anonymous", "own_staff"])
def test_content_security_policy_allows_only_own_scripts_and_this_pages_nonce(client_for, persona):
    path = LOGIN if persona == "anonymous" else "/"

    response = client_for(persona).get(path)

    policy = dict(
        (directive.split()[0], directive.split()[1:])
        for directive in response.headers["Content-Security-Policy"].split("; ")
    )
    nonce = re.fullmatch(r"'nonce-([A-Za-z0-9+/=]{16,})'", policy["script-src"][1]).group(1)
    assert policy["script-src"][0] == "'self'"
    assert len(policy["script-src"]) == 2
    assert policy["default-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    inline_scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", response.text)
    assert inline_scripts
    assert all(f'nonce="{nonce}"' in attributes for attributes in inline_scripts)


def test_each_response_gets_a_fresh_nonce(client):
    first = client.get(LOGIN).headers["Content-Security-Policy"]
    second = client.get(LOGIN).headers["Content-Security-Policy"]

    assert re.search(r"'nonce-[^']+'", first).group() != re.search(r"'nonce-[^']+'", second).group()


def test_cookies_are_http_only_and_same_site(settings):
    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.CSRF_COOKIE_HTTPONLY is True
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"


# --- Production start ------------------------------------------------------------------------


def test_check_deploy_is_clean_with_production_settings():
    result = run(
        [sys.executable, "-m", "joinedup.cli", "check", "--deploy", "--fail-level", "WARNING"],
        production_env(),
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stderr


def test_gunicorn_loads_the_application_with_production_settings():
    result = run([str(GUNICORN), "--check-config", "joinedup.wsgi"], production_env())

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"SECRET_KEY": None}, "Set SECRET_KEY"),
        ({"SECRET_KEY": "too-short-to-be-a-real-key"}, "Set SECRET_KEY"),
        ({"SECRET_KEY": project_settings.INSECURE_KEY}, "Set SECRET_KEY"),
        ({"DEBUG": "true"}, "DEBUG must be off in production"),
    ],
    ids=["no-key", "short-key", "development-key", "debug-on"],
)
def test_server_refuses_to_start_in_production_without_safe_settings(changes, message):
    result = run([str(GUNICORN), "--check-config", "joinedup.wsgi"], production_env(**changes))

    assert result.returncode != 0
    assert message in result.stderr


def test_production_turns_on_secure_cookies_https_and_hsts():
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS >= 31536000, s.DEBUG)"
    )
    result = run([sys.executable, "-c", f"import django; django.setup(); {code}"], production_env())

    assert result.stdout.split() == ["True", "True", "True", "True", "False"], result.stderr


# --- The audit log is append-only ------------------------------------------------------------


@pytest.fixture
def event(world) -> AuditEvent:
    return audit.record(
        actor=world.actor("own_admin"),
        action="role.granted",
        kind="person",
        object_id=world.own_staff.pk,
        organisation=world.own,
        changes={"role": "ld_lead"},
    )


def test_an_audit_event_cannot_be_changed_once_written(event):
    event.action = "role.removed"

    with pytest.raises(ValueError, match="append-only"):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).action == "role.granted"


def test_an_audit_event_cannot_be_deleted(event):
    with pytest.raises(ValueError, match="append-only"):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_audit_events_cannot_be_updated_or_deleted_in_bulk(event):
    with pytest.raises(ValueError, match="append-only"):
        AuditEvent.objects.filter(pk=event.pk).update(action="role.removed")
    with pytest.raises(ValueError, match="append-only"):
        AuditEvent.objects.all().delete()
    with pytest.raises(ValueError, match="append-only"), transaction.atomic():
        AuditEvent.objects.bulk_update([event], ["action"])

    assert AuditEvent.objects.get(pk=event.pk).action == "role.granted"


def test_the_django_admin_cannot_change_or_delete_audit_events(event):
    operator = Person.objects.create_superuser(
        "operator@joinedup.test", TEST_PASSWORD, given_name="Olu", family_name="Operator"
    )
    client = Client()
    client.force_login(operator, backend="joinedup.partnership.auth.EmailBackend")
    base = f"/django-admin/partnership/auditevent/{event.pk}"

    assert client.get(f"{base}/change/").status_code == 200
    assert client.post(f"{base}/change/", {"action": "role.removed"}).status_code == 403
    assert client.post(f"{base}/delete/", {"post": "yes"}).status_code == 403
    assert client.get("/django-admin/partnership/auditevent/add/").status_code == 403
    assert AuditEvent.objects.get(pk=event.pk).action == "role.granted"
