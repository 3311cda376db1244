"""My profile: my own record for every persona, and changing my notification preference."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from joinedup.partnership.models import (
    AuditEvent,
    Destination,
    EmailAddress,
    NotificationPreference,
)
from joinedup.partnership.notifications import wants_optional_email
from joinedup.partnership.tests.factories import EmploymentFactory, OrganisationFactory
from joinedup.partnership.tests.manage_helpers import assert_status

URL = reverse("partnership:profile")
NOTIFICATIONS = reverse("partnership:profile-notifications")


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("own_staff", 200), ("own_admin", 200), ("partner_staff", 200), ("partnership_lead", 200),
     ("outsider", 200), ("anonymous", 302)],
)  # fmt: skip
def test_every_signed_in_persona_has_a_profile(client_for, persona, expected):
    assert_status(client_for(persona).get(URL), expected)


def test_profile_shows_my_names_addresses_jobs_history_and_roles(client_for, world):
    EmailAddress.objects.create(person=world.own_admin, email="ada.old@camden.test")
    EmploymentFactory(
        person=world.own_admin,
        organisation=OrganisationFactory(name="Camden (before)"),
        start_date=dt.date(2010, 1, 1),
        end_date=dt.date(2019, 3, 31),
        destination=Destination.PARTNER,
    )
    response = client_for("own_admin").get(URL)
    assert "Ada" in response.text and "Admin" in response.text
    assert "ada.admin@barnet.test (you sign in with this one)" in response.text
    assert "ada.old@camden.test" in response.text
    assert "HR systems manager" in response.text
    assert "Camden (before)" in response.text
    assert f"Organisation admin, {world.own.name}" in response.text


def test_profile_shows_nothing_of_anyone_else(client_for, world):
    response = client_for("outsider").get(URL)
    assert world.own.name not in response.text
    assert world.partnership.name not in response.text


def test_optional_emails_are_on_until_i_turn_them_off(client_for, world):
    response = client_for("own_staff").get(URL)
    assert 'value="yes" checked' in response.text
    assert wants_optional_email(world.own_staff)


def test_i_can_turn_optional_emails_off_and_the_change_is_audited(client_for, world):
    client = client_for("own_staff")
    response = client.post(NOTIFICATIONS, {"email_optional": "no"})
    assert response.status_code == 302 and response.url == URL
    assert not wants_optional_email(world.own_staff)
    event = AuditEvent.objects.get(action="notification_preference.changed")
    assert event.actor == world.own_staff and event.changes == {"email_optional": False}
    page = client.get(URL)
    assert 'value="no" checked' in page.text
    assert "Your notification preference has been saved." in page.text


def test_turning_them_back_on_keeps_one_preference_row(client_for, world):
    client = client_for("own_staff")
    client.post(NOTIFICATIONS, {"email_optional": "no"})
    client.post(NOTIFICATIONS, {"email_optional": "yes"})
    assert NotificationPreference.objects.filter(person=world.own_staff).count() == 1
    assert wants_optional_email(world.own_staff)


@pytest.mark.parametrize("data", [{}, {"email_optional": "maybe"}])
def test_a_missing_or_unknown_answer_is_shown_as_an_error(client_for, world, data):
    response = client_for("own_staff").post(NOTIFICATIONS, data)
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert (
        '<a href="#id_email_optional_0">Select whether you want reminder and digest emails</a>'
        in response.text
    )
    assert not NotificationPreference.objects.exists()


def test_anonymous_visitors_cannot_change_a_preference(client_for, world):
    assert_status(client_for("anonymous").post(NOTIFICATIONS, {"email_optional": "no"}), 302)
    assert not NotificationPreference.objects.exists()


def test_the_notifications_route_accepts_only_post(client_for, world):
    assert client_for("own_staff").get(NOTIFICATIONS).status_code == 405


def test_profile_links_to_my_api_tokens(client_for):
    response = client_for("own_staff").get(reverse("partnership:profile"))
    assert reverse("partnership:tokens") in response.text
