"""Adding a person: a new account with a welcome e-mail, or clear errors and nothing written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from joinedup.partnership import notifications
from joinedup.partnership.models import (
    AuditEvent,
    Employment,
    EmploymentKind,
    Invitation,
    Person,
    SentNotification,
)
from joinedup.partnership.tests.factories import GradeFactory
from joinedup.partnership.tests.manage_helpers import assert_status, date_parts


def url(world) -> str:
    return reverse("partnership:add-person", args=[world.own.pk])


def new_person(**overrides) -> dict[str, str]:
    data = {
        "email": "nia.new@barnet.test",
        "given_name": "Nia",
        "family_name": "Newton",
        "job_title": "Occupational therapist",
        "grade": "",
        "kind": EmploymentKind.PERMANENT,
        "employee_number": "B-1001",
        "line_manager": "",
        **date_parts("start_date", dt.date(2025, 3, 27)),
    }
    data.update(overrides)
    return data


def nothing_written(people_before: int) -> None:
    assert Person.objects.count() == people_before
    assert not Employment.objects.filter(job_title="Occupational therapist").exists()
    assert not Invitation.objects.exists()
    assert not AuditEvent.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("own_admin", 200),
        ("own_staff", 403),
        ("partner_admin", 403),
        ("partnership_lead", 403),
        ("outsider", 404),
        ("anonymous", 302),
    ],
)
def test_only_own_admin_sees_the_add_person_form(client_for, world, persona, expected):
    assert_status(client_for(persona).get(url(world)), expected)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("own_staff", 403), ("partner_admin", 403), ("outsider", 404), ("anonymous", 302)],
)
def test_others_cannot_add_a_person(client_for, world, persona, expected):
    people_before = Person.objects.count()
    assert_status(client_for(persona).post(url(world), new_person()), expected)
    nothing_written(people_before)


def test_form_uses_the_govuk_date_input(client_for, world):
    page = client_for("own_admin").get(url(world)).text
    assert (
        '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Start date</legend>'
        in page
    )
    for unit, label in (("day", "Day"), ("month", "Month"), ("year", "Year")):
        assert f'name="start_date_{unit}"' in page
        assert f">{label}</label>" in page


def test_admin_adds_someone_new_who_gets_a_link_to_choose_a_password(
    client_for, world, django_capture_on_commit_callbacks
):
    grade = world.own.grades.get(name="PO3")
    client = client_for("own_admin")
    data = new_person(grade=str(grade.pk), line_manager="lena.manager@barnet.test")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(world), data, follow=True)

    employment = Employment.objects.get(work_email="nia.new@barnet.test")
    assert response.redirect_chain[-1][0] == reverse("partnership:employment", args=[employment.pk])
    assert "Nia Newton has been added" in response.text
    assert employment.organisation == world.own
    assert employment.person.full_name == "Nia Newton"
    assert employment.start_date == dt.date(2025, 3, 27)
    assert (employment.grade, employment.seniority) == (grade, 5)
    assert employment.line_manager == world.employments["own_line_manager"]
    assert employment.employee_number == "B-1001"
    assert not employment.person.has_usable_password()

    event = AuditEvent.objects.get(action="employment.added")
    assert (event.actor, event.acting_for, event.organisation) == (
        world.own_admin,
        world.own,
        world.own,
    )
    assert event.object_id == str(employment.pk)
    assert event.changes == {"person": employment.person.pk, "kind": "permanent"}

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nia.new@barnet.test"]
    assert world.own.name in message.body
    link = next(line for line in message.body.splitlines() if "/accounts/reset/" in line)
    assert link.startswith("http://testserver/accounts/reset/")
    assert SentNotification.objects.filter(person=employment.person, template="welcome").exists()

    choose_password = client_for("anonymous").get(
        link.removeprefix("http://testserver"), follow=True
    )
    assert choose_password.status_code == 200
    assert 'name="new_password1"' in choose_password.text


def test_a_failed_welcome_email_leaves_the_person_added(
    client_for, world, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    def fail(**_message):
        raise ConnectionError("the mail server is down")

    monkeypatch.setattr(notifications, "send_email", fail)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("own_admin").post(url(world), new_person(), follow=True)

    employment = Employment.objects.get(work_email="nia.new@barnet.test")
    assert response.redirect_chain[-1][0] == reverse("partnership:employment", args=[employment.pk])
    assert "Nia Newton has been added" in response.text
    assert mail.outbox == []
    assert "the mail server is down" in caplog.text


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        ({"day": "31", "month": "2", "year": "2025"}, "Start date must be a real date"),
        ({"day": "1", "month": "", "year": "2025"}, "Start date must include a month"),
        ({"day": "", "month": "", "year": ""}, "Enter the start date"),
        ({"day": "1", "month": "4", "year": "25"}, "Year must include 4 numbers"),
        ({"day": "x", "month": "4", "year": "2025"}, "Start date must be a real date"),
    ],
)
def test_bad_start_date_is_named_and_nothing_is_written(client_for, world, parts, message):
    people_before = Person.objects.count()
    data = new_person(**date_parts("start_date", **parts))
    response = client_for("own_admin").post(url(world), data)
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert f'<a href="#id_start_date_0">{message}</a>' in response.text
    assert 'id="id_start_date-error"' in response.text
    assert "govuk-form-group--error" in response.text
    nothing_written(people_before)


def test_what_was_typed_is_kept_after_an_error(client_for, world):
    data = new_person(**date_parts("start_date", day="30", month="2", year="2025"))
    response = client_for("own_admin").post(url(world), data)
    page = response.text
    assert 'name="start_date_day" type="text" inputmode="numeric" value="30"' in page
    assert 'name="start_date_month" type="text" inputmode="numeric" value="2"' in page
    assert 'value="Occupational therapist"' in page
    assert "govuk-input govuk-input--error govuk-date-input__input" in page


def test_grade_of_another_organisation_is_refused(client_for, world):
    people_before = Person.objects.count()
    their_grade = GradeFactory(organisation=world.partner, name="Band 5", seniority=5)
    response = client_for("own_admin").post(url(world), new_person(grade=str(their_grade.pk)))
    assert "Choose a grade from your organisation&#x27;s grade table" in response.text
    assert 'href="#id_grade"' in response.text
    nothing_written(people_before)


def test_line_manager_at_another_organisation_is_refused(client_for, world):
    people_before = Person.objects.count()
    partner_number = world.employments["partner_staff"].employee_number
    response = client_for("own_admin").post(url(world), new_person(line_manager=partner_number))
    assert f"No one working at {world.own.name} has this employee number" in response.text
    assert 'href="#id_line_manager"' in response.text
    nothing_written(people_before)


def test_line_manager_can_be_named_by_employee_number(client_for, world):
    manager = world.employments["own_line_manager"]
    client_for("own_admin").post(url(world), new_person(line_manager=manager.employee_number))
    assert Employment.objects.get(work_email="nia.new@barnet.test").line_manager == manager


def test_employee_number_in_use_is_refused(client_for, world):
    people_before = Person.objects.count()
    taken = world.employments["own_staff"].employee_number
    response = client_for("own_admin").post(url(world), new_person(employee_number=taken))
    assert "Someone else here already has this employee number" in response.text
    nothing_written(people_before)


def test_someone_already_working_here_is_not_added_twice(client_for, world):
    people_before = Person.objects.count()
    response = client_for("own_admin").post(url(world), new_person(email="sam.staff@barnet.test"))
    assert "This person already works here" in response.text
    nothing_written(people_before)


def test_missing_names_and_job_title_are_named(client_for, world):
    people_before = Person.objects.count()
    data = new_person(given_name="", family_name="", job_title="", email="not-an-email")
    response = client_for("own_admin").post(url(world), data)
    for field in ("email", "given_name", "family_name", "job_title"):
        assert f'href="#id_{field}"' in response.text
    nothing_written(people_before)
