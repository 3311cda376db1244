"""The staff list, one employment's admin page, changing job and recording a leaver."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from joinedup.partnership.models import AuditEvent, Destination, Employment
from joinedup.partnership.tests.factories import EmploymentFactory, GradeFactory, PersonFactory
from joinedup.partnership.tests.manage_helpers import assert_status, date_parts, queries_for


def people_url(world) -> str:
    return reverse("partnership:manage-people", args=[world.own.pk])


def add_staff(organisation, count: int, **kwargs) -> list[Employment]:
    return [
        EmploymentFactory(
            organisation=organisation,
            person=PersonFactory(family_name=f"Zz{index:03d}", given_name="Extra"),
            **kwargs,
        )
        for index in range(count)
    ]


# --- The staff list ---------------------------------------------------------------------------


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
def test_only_own_admin_sees_the_staff_list(client_for, world, persona, expected):
    assert_status(client_for(persona).get(people_url(world)), expected)


def test_staff_list_shows_current_staff_and_the_leavers_tab_shows_leavers(client_for, world):
    leaver = EmploymentFactory(
        organisation=world.own,
        person=PersonFactory(given_name="Lou", family_name="Leaver"),
        start_date=dt.date(2019, 5, 1),
        end_date=dt.date(2024, 6, 30),
        destination=Destination.PRIVATE,
    )
    client = client_for("own_admin")
    current = client.get(people_url(world)).text
    assert "Staff, Sam" in current
    assert "Leaver, Lou" not in current
    assert "Staff, Pat" not in current  # partner staff

    leavers = client.get(people_url(world) + "?show=leavers").text
    assert "Leaver, Lou" in leavers
    assert "Private sector" in leavers
    assert "Staff, Sam" not in leavers
    assert reverse("partnership:employment", args=[leaver.pk]) in leavers


def test_change_of_job_is_not_counted_as_a_leaver(client_for, world):
    EmploymentFactory(
        organisation=world.own,
        person=world.own_staff,
        start_date=dt.date(2018, 1, 1),
        end_date=dt.date(2022, 1, 9),
        leaving_reason="Changed job",
    )
    leavers = client_for("own_admin").get(people_url(world) + "?show=leavers").text
    assert "Staff, Sam" not in leavers


def test_staff_list_search_finds_by_name_and_employee_number(client_for, world):
    client = client_for("own_admin")
    by_name = client.get(people_url(world), {"q": "sam staff"}).text
    assert "Staff, Sam" in by_name
    assert "Manager, Lena" not in by_name
    number = world.employments["own_line_manager"].employee_number
    by_number = client.get(people_url(world), {"q": number}).text
    assert "Manager, Lena" in by_number
    assert "Staff, Sam" not in by_number


def test_staff_list_pages_by_keyset_and_keeps_the_query_count(client_for, world):
    client = client_for("own_admin")
    add_staff(world.own, 5)
    small = queries_for(client, people_url(world))
    add_staff(world.own, 60, job_title="Care worker")
    assert queries_for(client, people_url(world)) == small

    first = client.get(people_url(world)).context
    assert len(first["employments"]) == 50
    assert "next" in first["links"] and "previous" not in first["links"]
    second = client.get(people_url(world) + first["links"]["next"]).context
    assert len(second["employments"]) == 71 - 50
    assert {e.pk for e in first["employments"]}.isdisjoint({e.pk for e in second["employments"]})
    assert "previous" in second["links"]
    back = client.get(people_url(world) + second["links"]["previous"]).context
    assert [e.pk for e in back["employments"]] == [e.pk for e in first["employments"]]


def test_mangled_page_link_gives_the_first_page(client_for, world):
    response = client_for("own_admin").get(people_url(world), {"after": "%%%not-a-cursor"})
    assert response.status_code == 200
    assert "Staff, Sam" in response.text


# --- One employment ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("own_admin", 200),
        ("own_staff", 403),
        ("own_line_manager", 403),
        ("partnership_lead", 403),
        ("partner_admin", 404),
        ("outsider", 404),
        ("anonymous", 302),
    ],
)
def test_only_own_admin_opens_an_employment(client_for, world, persona, expected):
    url = reverse("partnership:employment", args=[world.employments["own_staff"].pk])
    assert_status(client_for(persona).get(url), expected)


def test_partner_admin_opens_their_own_staff_employment(client_for, world):
    url = reverse("partnership:employment", args=[world.employments["partner_staff"].pk])
    response = client_for("partner_admin").get(url)
    assert response.status_code == 200
    assert "Staff nurse" in response.text


def test_employment_page_shows_the_job_and_its_actions(client_for, world):
    employment = world.employments["own_staff"]
    page = client_for("own_admin").get(reverse("partnership:employment", args=[employment.pk])).text
    assert "Social worker" in page
    assert "Lena Manager, Team manager" in page
    assert reverse("partnership:change-job", args=[employment.pk]) in page
    assert reverse("partnership:record-leaver", args=[employment.pk]) in page


def test_admin_sees_a_leavers_employment_without_actions(client_for, world):
    leaver = EmploymentFactory(
        organisation=world.own,
        start_date=dt.date(2019, 5, 1),
        end_date=dt.date(2024, 6, 30),
        leaving_reason="Moved away",
        destination=Destination.PARTNER,
        destination_organisation=world.partner,
    )
    page = client_for("own_admin").get(reverse("partnership:employment", args=[leaver.pk])).text
    assert "Left on 30 June 2024" in page
    assert f"A partner organisation: {world.partner.name}" in page
    assert reverse("partnership:change-job", args=[leaver.pk]) not in page


# --- Change job -------------------------------------------------------------------------------


def change_job_url(world) -> str:
    return reverse("partnership:change-job", args=[world.employments["own_staff"].pk])


def new_job(world, **overrides) -> dict[str, str]:
    data = {
        "job_title": "Senior social worker",
        "grade": str(world.own.grades.get(name="PO3").pk),
        "line_manager": "",
        **date_parts("start_date", dt.date(2025, 4, 1)),
    }
    data.update(overrides)
    return data


def assert_job_unchanged(world) -> None:
    employment = world.employments["own_staff"]
    employment.refresh_from_db()
    assert employment.end_date is None
    assert Employment.objects.filter(person=world.own_staff).count() == 1
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("own_staff", 403), ("partner_admin", 404), ("outsider", 404), ("anonymous", 302)],
)
def test_others_cannot_change_a_job(client_for, world, persona, expected):
    assert_status(client_for(persona).get(change_job_url(world)), expected)
    assert_status(client_for(persona).post(change_job_url(world), new_job(world)), expected)
    assert_job_unchanged(world)


def test_admin_changes_a_job_keeping_history(client_for, world):
    old = world.employments["own_staff"]
    response = client_for("own_admin").post(change_job_url(world), new_job(world), follow=True)
    new = Employment.objects.get(person=world.own_staff, end_date__isnull=True)
    assert response.redirect_chain[-1][0] == reverse("partnership:employment", args=[new.pk])
    assert "Sam Staff&#x27;s new job has been recorded" in response.text
    old.refresh_from_db()
    assert old.end_date == dt.date(2025, 3, 31)
    assert (new.job_title, new.seniority, new.start_date) == (
        "Senior social worker",
        5,
        dt.date(2025, 4, 1),
    )
    assert new.line_manager == world.employments["own_line_manager"]
    event = AuditEvent.objects.get(action="employment.changed")
    assert (event.object_id, event.changes) == (str(new.pk), {"previous": old.pk})
    assert (event.actor, event.organisation) == (world.own_admin, world.own)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            date_parts("start_date", day="31", month="4", year="2025"),
            "start_date_0",
            "Start date of the new job must be a real date",
        ),
        (
            date_parts("start_date", dt.date(2021, 1, 1)),
            "start_date_0",
            "The new job must start after the current one started",
        ),
        (
            {"line_manager": "pam.admin@lnwh.test"},
            "line_manager",
            "No one working at London Borough of Barnet has this employee number or email address",
        ),
        (
            {"line_manager": "sam.staff@barnet.test"},
            "line_manager",
            "Choose someone else as their line manager",
        ),
        ({"job_title": ""}, "job_title", "Enter the new job title"),
    ],
)
def test_bad_change_of_job_is_named_and_nothing_is_written(
    client_for, world, overrides, field, message
):
    response = client_for("own_admin").post(change_job_url(world), new_job(world, **overrides))
    assert response.status_code == 200
    assert f'<a href="#id_{field}">{message}</a>' in response.text
    assert_job_unchanged(world)


def test_grade_of_another_organisation_is_refused_on_change_of_job(client_for, world):
    their_grade = GradeFactory(organisation=world.partner, name="Band 6", seniority=6)
    response = client_for("own_admin").post(
        change_job_url(world), new_job(world, grade=str(their_grade.pk))
    )
    assert "Choose a grade from your organisation&#x27;s grade table" in response.text
    assert_job_unchanged(world)


# --- Record a leaver --------------------------------------------------------------------------


def leaver_url(world) -> str:
    return reverse("partnership:record-leaver", args=[world.employments["own_staff"].pk])


def leaving(**overrides) -> dict[str, str]:
    data = {
        "leaving_reason": "New job",
        "destination": Destination.OTHER_PUBLIC,
        "destination_organisation": "",
        **date_parts("end_date", dt.date(2025, 5, 31)),
    }
    data.update(overrides)
    return data


def assert_not_left(world) -> None:
    employment = world.employments["own_staff"]
    employment.refresh_from_db()
    assert (employment.end_date, employment.destination) == (None, "")
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("own_staff", 403), ("partner_admin", 404), ("outsider", 404), ("anonymous", 302)],
)
def test_others_cannot_record_a_leaver(client_for, world, persona, expected):
    assert_status(client_for(persona).get(leaver_url(world)), expected)
    assert_status(client_for(persona).post(leaver_url(world), leaving()), expected)
    assert_not_left(world)


def test_admin_records_a_leaver_to_a_partner(client_for, world):
    data = leaving(destination=Destination.PARTNER, destination_organisation=str(world.partner.pk))
    response = client_for("own_admin").post(leaver_url(world), data, follow=True)
    employment = world.employments["own_staff"]
    assert response.redirect_chain[-1][0] == reverse("partnership:employment", args=[employment.pk])
    assert "Sam Staff has been recorded as leaving" in response.text
    employment.refresh_from_db()
    assert employment.end_date == dt.date(2025, 5, 31)
    assert (employment.destination, employment.destination_organisation) == (
        "partner",
        world.partner,
    )
    event = AuditEvent.objects.get(action="employment.ended")
    assert event.changes == {"end_date": "2025-05-31", "destination": "partner"}
    assert (event.actor, event.organisation, event.object_id) == (
        world.own_admin,
        world.own,
        str(employment.pk),
    )


def test_partner_choices_are_the_partnerships_other_members(client_for, world):
    form = client_for("own_admin").get(leaver_url(world)).context["form"]
    choices = set(form.fields["destination_organisation"].queryset)
    assert choices == {world.partner, world.icb}


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            date_parts("end_date", dt.date(2021, 12, 31)),
            "end_date_0",
            "The leaving date must be on or after the start date",
        ),
        (
            date_parts("end_date", day="", month="5", year="2025"),
            "end_date_0",
            "Leaving date must include a day",
        ),
        (
            {"destination": Destination.PARTNER},
            "destination_organisation",
            "Choose the partner organisation they moved to",
        ),
        ({"destination": "abroad"}, "destination", "Choose where they went from the list"),
        ({"leaving_reason": ""}, "leaving_reason", "Enter the reason for leaving"),
    ],
)
def test_bad_leaver_is_named_and_nothing_is_written(client_for, world, overrides, field, message):
    response = client_for("own_admin").post(leaver_url(world), leaving(**overrides))
    assert response.status_code == 200
    assert f'<a href="#id_{field}">{message}</a>' in response.text
    assert_not_left(world)


@pytest.mark.parametrize("where", ["outsider_org", "own"])
def test_destination_outside_the_partners_is_refused(client_for, world, where):
    organisation = getattr(world, where)
    data = leaving(destination=Destination.PARTNER, destination_organisation=str(organisation.pk))
    response = client_for("own_admin").post(leaver_url(world), data)
    assert "Choose a partner organisation from the list" in response.text
    assert_not_left(world)
