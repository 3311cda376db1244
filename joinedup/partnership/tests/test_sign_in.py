"""Signing in and out, lock-out, password reset and session expiry, through the real pages."""

from __future__ import annotations

import datetime as dt
import re

from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.utils import timezone

from joinedup.partnership.models import Employment, SentNotification
from joinedup.partnership.tests.factories import TEST_PASSWORD, EmploymentFactory, PersonFactory

LOGIN = "/accounts/login/"
WRONG_PASSWORD_MESSAGE = "Enter a correct email address and password"


def sign_in(client: Client, email: str, password: str = TEST_PASSWORD, **extra: str):
    return client.post(LOGIN, {"username": email, "password": password, **extra})


def is_signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_staff_sign_in_with_email_and_password_and_reach_the_home_page(world):
    client = Client()

    response = sign_in(client, "Sam.Staff@barnet.test")

    assert response.status_code == 302
    assert response.url == "/"
    assert client.get("/").status_code == 200
    assert is_signed_in(client)


def test_sign_in_goes_on_to_the_page_asked_for_but_never_to_another_site(world):
    onward = sign_in(Client(), world.own_staff.email, next="/privacy/")
    elsewhere = sign_in(Client(), world.own_staff.email, next="https://evil.example/")

    assert onward.url == "/privacy/"
    assert elsewhere.url == "/"


def test_wrong_password_shows_the_error_and_does_not_sign_in(world):
    client = Client()

    response = sign_in(client, world.own_staff.email, "not the password")

    assert response.status_code == 200
    assert WRONG_PASSWORD_MESSAGE in response.text
    assert "govuk-error-summary" in response.text
    assert not is_signed_in(client)


def test_unknown_address_gets_the_same_message_as_a_wrong_password(world):
    response = sign_in(Client(), "nobody@barnet.test")

    assert response.status_code == 200
    assert WRONG_PASSWORD_MESSAGE in response.text


def test_repeated_failures_lock_the_account_out_even_with_the_right_password(world, settings):
    settings.AXES_ENABLED = True
    client = Client()
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        # The same address in another case is the same account.
        email = world.own_staff.email.upper() if attempt % 2 else world.own_staff.email
        assert sign_in(client, email, "guess").status_code == 200

    last_try = sign_in(client, world.own_staff.email, "guess")
    with_right_password = sign_in(client, world.own_staff.email)

    for response in (last_try, with_right_password):
        assert response.status_code == 429
        assert "You have tried to sign in too many times" in response.text
    assert not is_signed_in(client)


def test_lock_out_of_one_account_does_not_stop_another_signing_in(world, settings):
    settings.AXES_ENABLED = True
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, world.own_staff.email, "guess")

    assert sign_in(client, world.partner_staff.email).status_code == 302


def test_failures_below_the_limit_are_forgotten_after_a_successful_sign_in(world, settings):
    settings.AXES_ENABLED = True
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(Client(), world.own_staff.email, "guess")
    assert sign_in(Client(), world.own_staff.email).status_code == 302

    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(Client(), world.own_staff.email, "guess")
    assert sign_in(Client(), world.own_staff.email).status_code == 302


def test_person_without_a_current_employment_cannot_sign_in(world):
    leaver = PersonFactory(email="former@barnet.test")
    EmploymentFactory(
        person=leaver, organisation=world.own, end_date=timezone.localdate() - dt.timedelta(days=1)
    )
    client = Client()

    response = sign_in(client, leaver.email)

    assert response.status_code == 200
    assert WRONG_PASSWORD_MESSAGE in response.text
    assert not is_signed_in(client)


def test_person_whose_last_employment_ends_is_signed_out_on_their_next_request(client_for, world):
    client = client_for("own_staff")
    assert client.get("/").status_code == 200

    Employment.objects.filter(person=world.own_staff).update(
        end_date=timezone.localdate() - dt.timedelta(days=1)
    )
    response = client.get("/")

    assert response.status_code == 302
    assert response.url.startswith(LOGIN)
    assert not is_signed_in(client)


def test_sign_out_needs_a_post_and_ends_the_session(client_for):
    client = client_for("own_staff")

    assert client.get("/accounts/logout/").status_code == 405
    assert is_signed_in(client)

    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert response.url == LOGIN
    assert not is_signed_in(client)
    assert client.get("/").url.startswith(LOGIN)


def test_every_page_for_a_signed_in_person_offers_sign_out_as_a_form(client_for):
    page = client_for("own_staff").get("/").text

    assert re.search(r'<form method="post" action="/accounts/logout/">', page)


def test_password_reset_email_goes_through_notifications_and_the_link_sets_a_password(world):
    client = Client()

    response = client.post("/accounts/password-reset/", {"email": "SAM.STAFF@barnet.test"})

    assert response.status_code == 302
    assert response.url == "/accounts/password-reset/sent/"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [world.own_staff.email]
    assert SentNotification.objects.filter(
        person=world.own_staff, template="password_reset", skipped=False
    ).exists()
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    new_password = "a fresh and lengthy passphrase"
    client.post(
        form.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password}
    )
    assert sign_in(Client(), world.own_staff.email, new_password).status_code == 302
    assert sign_in(Client(), world.own_staff.email).status_code == 200


def test_password_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(world):
    response = Client().post("/accounts/password-reset/", {"email": "nobody@barnet.test"})

    assert response.status_code == 302
    assert response.url == "/accounts/password-reset/sent/"
    assert mail.outbox == []
    assert not SentNotification.objects.exists()


def test_session_ends_with_the_browser_and_after_at_most_eight_hours(world, settings):
    client = Client()
    sign_in(client, world.own_staff.email)

    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert client.session.get_expire_at_browser_close()
    assert 0 < settings.SESSION_COOKIE_AGE <= 8 * 60 * 60
    assert client.session.get_expiry_age() <= 8 * 60 * 60
    assert settings.SESSION_COOKIE_HTTPONLY is True


def test_an_expired_session_is_sent_back_to_sign_in(world):
    client = Client()
    sign_in(client, world.own_staff.email)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )

    response = client.get("/")

    assert response.status_code == 302
    assert response.url.startswith(LOGIN)
