"""The programme and cohort pages, and the programme leader's forms, through HTTP."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from joinedup.apprenticeships import programmes
from joinedup.apprenticeships.models import Cohort, Module, ProgrammeStaff, Term
from joinedup.apprenticeships.tests.factories import (
    CohortFactory,
    EnrolmentFactory,
    ProgrammeFactory,
)
from joinedup.apprenticeships.tests.test_programmes import (
    dates_for,
    senior_leader_programme,
)

pytestmark = pytest.mark.django_db


def cohort_of(world, programme):
    return programmes.create_cohort(
        actor=world.actor("programme_leader"),
        programme=programme,
        name="September 2026",
        starts_on=dt.date(2026, 9, 1),
        ends_on=dt.date(2028, 8, 31),
        **dates_for(programme),
    )


def test_programme_list_shows_provider_standard_level_and_next_cohort(world, client_for):
    programme = senior_leader_programme(world)
    CohortFactory(programme=programme, name="Long ago", starts_on=dt.date(2020, 9, 1))
    CohortFactory(
        programme=programme,
        name="Next intake",
        starts_on=dt.date.today() + dt.timedelta(days=30),
        ends_on=dt.date.today() + dt.timedelta(days=800),
    )
    ProgrammeFactory(partnership=world.other_partnership, title="Elsewhere programme")
    response = client_for("own_ld_lead").get(reverse("apprenticeships:programmes"))
    text = response.content.decode()
    assert response.status_code == 200
    assert "Senior Leader MBA" in text
    assert "London North West University Healthcare NHS Trust" in text
    assert "ST0480" in text
    assert "Next intake" in text and "Long ago" not in text
    assert "Elsewhere programme" not in text
    assert "Set up a programme" not in text


def test_programme_list_reads_a_fixed_number_of_queries(world, client_for):
    client = client_for("own_ld_lead")
    senior_leader_programme(world)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("apprenticeships:programmes"))
    for _ in range(3):
        senior_leader_programme(world)
    with CaptureQueriesContext(connection) as four:
        client.get(reverse("apprenticeships:programmes"))
    assert len(four) == len(one)


def test_programme_page_shows_modules_assignments_staff_and_cohorts(world, client_for):
    programme = senior_leader_programme(world)
    programmes.name_staff(
        actor=world.actor("programme_leader"),
        programme=programme,
        email="tess.tutor@lnwh.test",
        role="tutor",
    )
    cohort_of(world, programme)
    module = programme.modules.get(order=1)
    programmes.add_assignment(
        actor=world.actor("programme_leader"), module=module, title="Extra", weighting=20
    )
    response = client_for("own_ld_lead").get(
        reverse("apprenticeships:programme", args=[programme.pk])
    )
    text = response.content.decode()
    assert "Module 1: Leading strategically" in text
    assert "Early summer term: 6 weeks online, then 2 days on campus." in text
    assert "Leading strategically essay" in text
    assert "add up to 120%, not 100%: take away 20%" in text
    assert "Tess" in text and "practice tutor" in text
    assert "September 2026" in text
    assert "Change the programme" not in text


def test_leader_sees_the_manage_links(world, client_for):
    programme = senior_leader_programme(world)
    response = client_for("programme_leader").get(
        reverse("apprenticeships:programme", args=[programme.pk])
    )
    text = response.content.decode()
    assert "Change the programme" in text
    assert reverse("apprenticeships:module_new", args=[programme.pk]) in text
    assert reverse("apprenticeships:cohort_new", args=[programme.pk]) in text


def test_outsider_gets_404_for_a_programme_and_a_cohort(world, client_for):
    programme = senior_leader_programme(world)
    cohort = cohort_of(world, programme)
    client = client_for("outsider")
    assert client.get(reverse("apprenticeships:programme", args=[programme.pk])).status_code == 404
    assert client.get(reverse("apprenticeships:cohort", args=[cohort.pk])).status_code == 404


def test_leader_sets_up_a_programme_through_the_form(world, client_for):
    client = client_for("programme_leader")
    url = reverse("apprenticeships:programme_new")
    response = client.post(url, {"standard": "ST9999", "title": "X"})
    assert response.status_code == 200
    assert "No standard has the code or title" in response.content.decode()
    response = client.post(url, {"standard": "st0480", "title": "Senior Leader", "summary": ""})
    assert response.status_code == 302
    assert world.partner.apprenticeship_programmes.get().title == "Senior Leader"


def test_others_may_not_set_up_a_programme(world, client_for):
    response = client_for("own_ld_lead").get(reverse("apprenticeships:programme_new"))
    assert response.status_code == 403


def test_module_form_names_bad_fields(world, client_for):
    programme = senior_leader_programme(world)
    url = reverse("apprenticeships:module_new", args=[programme.pk])
    response = client_for("programme_leader").post(
        url, {"title": "", "online_weeks": "six", "campus_days": "2", "term": ""}
    )
    text = response.content.decode()
    assert "Enter the title" in text
    assert "Online weeks must be a whole number" in text
    assert "Choose the term: autumn, spring or summer" in text
    response = client_for("programme_leader").post(
        url, {"title": "Capstone", "online_weeks": "4", "campus_days": "1", "term": "summer"}
    )
    assert response.status_code == 302
    assert programme.modules.get(order=7).term == Term.SUMMER


def test_moving_a_module_down_through_the_page(world, client_for):
    programme = senior_leader_programme(world)
    first = programme.modules.get(order=1)
    response = client_for("programme_leader").post(
        reverse("apprenticeships:module_move", args=[first.pk]), {"direction": "down"}
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.order == 2


def test_removing_a_module_with_enrolments_is_refused_with_a_message(world, client_for):
    programme = senior_leader_programme(world)
    cohort = cohort_of(world, programme)
    EnrolmentFactory(cohort=cohort, employment=world.employments["apprentice"])
    module = programme.modules.get(order=1)
    url = reverse("apprenticeships:module_remove", args=[module.pk])
    client = client_for("programme_leader")
    assert "1 apprentice is enrolled" in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 200
    assert "1 apprentice is enrolled" in response.content.decode()
    assert Module.objects.filter(pk=module.pk).exists()


def test_assignment_weighting_warning_after_saving(world, client_for):
    programme = senior_leader_programme(world)
    module = programme.modules.get(order=1)
    response = client_for("programme_leader").post(
        reverse("apprenticeships:assignment_new", args=[module.pk]),
        {"title": "Presentation", "brief": "", "weighting": "30"},
        follow=True,
    )
    assert "add up to 130%, not 100%: take away 30%" in response.content.decode()


def test_naming_and_removing_staff_through_the_page(world, client_for):
    programme = senior_leader_programme(world)
    client = client_for("programme_leader")
    url = reverse("apprenticeships:programme_staff", args=[programme.pk])
    response = client.post(url, {"email": "sam.staff@barnet.test", "role": "tutor"})
    assert "No one currently working at" in response.content.decode()
    response = client.post(url, {"email": "tess.tutor@lnwh.test", "role": "tutor"})
    assert response.status_code == 302
    named = ProgrammeStaff.objects.get(programme=programme)
    response = client.post(reverse("apprenticeships:staff_remove", args=[named.pk]))
    assert response.status_code == 302
    assert not ProgrammeStaff.objects.filter(programme=programme).exists()


def _date(prefix: str, day: dt.date) -> dict:
    return {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}


def test_cohort_form_sets_module_dates_and_deadlines(world, client_for):
    programme = senior_leader_programme(world)
    dates = dates_for(programme)
    data = {"name": "September 2026"}
    data |= _date("starts_on", dt.date(2026, 9, 1)) | _date("ends_on", dt.date(2028, 8, 31))
    for pk, day in dates["module_starts"].items():
        data |= _date(f"module_{pk}", day)
    bad = next(iter(dates["deadlines"]))
    for pk, day in dates["deadlines"].items():
        data |= _date(f"deadline_{pk}", dt.date(2030, 1, 1) if pk == bad else day)
    client = client_for("programme_leader")
    url = reverse("apprenticeships:cohort_new", args=[programme.pk])
    response = client.post(url, data)
    assert response.status_code == 200
    assert "must be between 1 September 2026 and 31 August 2028" in response.content.decode()
    data |= _date(f"deadline_{bad}", dates["deadlines"][bad])
    response = client.post(url, data)
    assert response.status_code == 302
    cohort = Cohort.objects.get(programme=programme)
    assert cohort.module_dates.count() == 6 and cohort.deadlines.count() == 6


def test_cohort_page_counts_apprentices_by_employer_for_the_providers_leaders(world, client_for):
    programme = senior_leader_programme(world)
    cohort = cohort_of(world, programme)
    EnrolmentFactory(cohort=cohort, employment=world.employments["apprentice"])
    EnrolmentFactory(cohort=cohort, employment=world.employments["own_staff"])
    EnrolmentFactory(cohort=cohort, employment=world.employments["partner_staff"])
    url = reverse("apprenticeships:cohort", args=[cohort.pk])
    text = client_for("programme_leader").get(url).content.decode()
    assert "Apprentices by employer" in text
    assert "London Borough of Barnet" in text
    assert "Leading strategically" in text and "14 September 2026" in text
    # An L&D lead of another employer sees dates, no counts, and names only of their own staff.
    text = client_for("own_ld_lead").get(url).content.decode()
    assert "Apprentices by employer" not in text
    assert world.apprentice.full_name in text
    assert world.partner_staff.full_name not in text
    # Someone who sees no enrolment sees no names and no counts.
    text = client_for("partner_admin").get(url).content.decode()
    assert "Apprentices by employer" not in text
    assert world.apprentice.full_name not in text


def test_cohort_with_enrolments_cannot_be_removed_through_the_page(world, client_for):
    programme = senior_leader_programme(world)
    cohort = cohort_of(world, programme)
    EnrolmentFactory(cohort=cohort, employment=world.employments["apprentice"])
    response = client_for("programme_leader").post(
        reverse("apprenticeships:cohort_remove", args=[cohort.pk])
    )
    assert "September 2026 cannot be removed: 1 apprentice is enrolled on it" in (
        response.content.decode()
    )
    assert Cohort.objects.filter(pk=cohort.pk).exists()


def test_enrol_link_only_for_those_who_may_enrol(world, client_for):
    programme = senior_leader_programme(world)
    cohort = cohort_of(world, programme)
    url = reverse("apprenticeships:cohort", args=[cohort.pk])
    assert "Enrol staff on this cohort" in client_for("own_ld_lead").get(url).content.decode()
    assert "Enrol staff on this cohort" not in client_for("own_staff").get(url).content.decode()


def test_home_links_to_programmes(world, client_for):
    text = client_for("own_staff").get(reverse("apprenticeships:home")).content.decode()
    assert reverse("apprenticeships:programmes") in text
