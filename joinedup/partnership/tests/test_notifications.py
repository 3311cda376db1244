"""Notifications: recorded, preferences honoured, and sent through GOV.UK Notify when configured."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core import mail
from django.test import Client
from notifications_python_client.notifications import NotificationsAPIClient

from joinedup.partnership.models import NotificationPreference, SentNotification
from joinedup.partnership.notifications import notify

PROJECT = Path(__file__).resolve().parents[3]
# Notify keys are "<name>-<service id>-<secret>"; these are made up.
NOTIFY_KEY = f"joinedup_test-{uuid.UUID(int=1)}-{uuid.UUID(int=2)}"
NOTIFY_TEMPLATE = str(uuid.UUID(int=3))


@pytest.fixture
def notify_calls(settings, monkeypatch) -> list[tuple[str, dict]]:
    """Configure GOV.UK Notify and record what its client would send instead of sending it."""
    settings.NOTIFY_API_KEY = NOTIFY_KEY
    settings.NOTIFY_EMAIL_TEMPLATE_ID = NOTIFY_TEMPLATE
    calls: list[tuple[str, dict]] = []

    def post(client: NotificationsAPIClient, url: str, data: dict) -> dict:
        calls.append((url, data | {"service_id": client.service_id}))
        return {"id": str(uuid.uuid4())}

    monkeypatch.setattr(NotificationsAPIClient, "post", post)
    return calls


def test_optional_message_is_skipped_and_recorded_when_the_person_declined_them(world):
    NotificationPreference.objects.create(person=world.own_staff, email_optional=False)

    sent = notify(world.own_staff, "welcome", {"reset_url": "/x/"}, optional=True)

    assert sent is False
    assert mail.outbox == []
    record = SentNotification.objects.get()
    assert (record.person, record.template, record.skipped) == (world.own_staff, "welcome", True)


def test_optional_message_goes_to_someone_who_has_not_declined_them(world):
    sent = notify(world.own_staff, "welcome", {"reset_url": "/x/"}, optional=True)

    assert sent is True
    assert [message.to for message in mail.outbox] == [[world.own_staff.email]]
    assert SentNotification.objects.filter(person=world.own_staff, skipped=False).count() == 1


def test_messages_are_plain_text_so_apostrophes_and_ampersands_are_not_escaped(world):
    world.own_staff.given_name = "D'Arcy"
    world.own.name = "St John's Hospice & Care"

    notify(world.own_staff, "welcome", {"organisation": world.own, "reset_url": "/x/?a=1&b=2"})

    body = mail.outbox[0].body
    assert "Hello D'Arcy," in body
    assert "St John's Hospice & Care has given you a Joined Up account." in body
    assert "/x/?a=1&b=2" in body
    assert "&#x27;" not in body and "&amp;" not in body


def test_account_messages_go_even_to_someone_who_declined_optional_ones(world):
    NotificationPreference.objects.create(person=world.own_staff, email_optional=False)

    Client().post("/accounts/password-reset/", {"email": world.own_staff.email})

    assert len(mail.outbox) == 1
    assert SentNotification.objects.get().skipped is False


def test_message_subject_is_the_templates_first_line_and_the_body_the_rest(world):
    notify(world.own_staff, "password_reset", {"reset_url": "https://joinedup.test/r/"})

    message = mail.outbox[0]
    assert message.subject == "Reset your Joined Up password"
    assert message.body.startswith("Hello Sam,")
    assert "https://joinedup.test/r/" in message.body


def test_with_a_notify_key_password_reset_goes_through_notify_not_smtp(world, notify_calls):
    Client().post("/accounts/password-reset/", {"email": world.own_staff.email})

    assert mail.outbox == []
    [(url, data)] = notify_calls
    assert url == "/v2/notifications/email"
    assert data["service_id"] == str(uuid.UUID(int=1))
    assert data["email_address"] == world.own_staff.email
    assert data["template_id"] == NOTIFY_TEMPLATE
    assert data["personalisation"]["subject"] == "Reset your Joined Up password"
    assert "http://testserver/accounts/reset/" in data["personalisation"]["body"]
    assert SentNotification.objects.get().template == "password_reset"


def test_with_a_notify_key_declined_optional_messages_are_not_sent_either(world, notify_calls):
    NotificationPreference.objects.create(person=world.own_staff, email_optional=False)

    notify(world.own_staff, "welcome", {"reset_url": "/x/"}, optional=True)

    assert notify_calls == []
    assert SentNotification.objects.get().skipped is True


def test_a_notify_key_without_a_template_id_stops_the_start():
    env = {**os.environ, "NOTIFY_API_KEY": NOTIFY_KEY}
    env.pop("NOTIFY_EMAIL_TEMPLATE_ID", None)

    result = subprocess.run(
        [sys.executable, "-c", "import joinedup.settings"],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode != 0
    assert "Set NOTIFY_EMAIL_TEMPLATE_ID" in result.stderr
