"""End-point assessments (assessments.py): the independence rule and the grade rule as plain
functions; booking only when the gateway has passed; a resit after a fail; results recorded once
by the booked assessor; a pass completing the enrolment and its levy completion payment, seen by
the employer on the enrolment page; an external assessor account that signs in with no job."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.contrib.auth import authenticate
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from joinedup.apprenticeships import assessments, payments
from joinedup.apprenticeships.assessments import Org, conflict, grade_problem
from joinedup.apprenticeships.models import (
    EndPointAssessment,
    EnrolmentStatus,
    FundingRoute,
    Grade,
)
from joinedup.levy.models import CommitmentStatus
from joinedup.levy.tests.factories import LevyAccountFactory
from joinedup.partnership.actor import Actor
from joinedup.partnership.tests.factories import EmploymentFactory, PersonFactory
from tests.access import apprenticeships_scene

PASSED = SimpleNamespace(passed=True, items=[])
EMPLOYER = Org(1, "Barnet Council")
PROVIDER = Org(2, "North West London Trust")
ICB = Org(3, "North Central ICB")


# --- The rules ------------------------------------------------------------------------------------


def test_an_assessor_working_for_the_apprentices_employer_is_refused_with_the_reason():
    reason = conflict(
        assessor_name="Ann Assessor",
        works_for=[ICB, EMPLOYER],
        employer=EMPLOYER,
        provider=PROVIDER,
    )
    assert reason == (
        "Ann Assessor works for Barnet Council, the apprentice's employer: "
        "the assessor must be independent"
    )


def test_an_assessor_working_for_the_provider_is_refused_and_anyone_else_is_independent():
    reason = conflict(assessor_name="A", works_for=[PROVIDER], employer=EMPLOYER, provider=PROVIDER)
    assert "North West London Trust, the training provider" in reason
    assert (
        conflict(assessor_name="A", works_for=[ICB], employer=EMPLOYER, provider=PROVIDER) is None
    )
    assert conflict(assessor_name="A", works_for=[], employer=EMPLOYER, provider=PROVIDER) is None


def test_the_overall_grade_is_a_fail_exactly_when_a_method_fails():
    assert grade_problem("pass", "distinction", "merit") == {}
    assert grade_problem("fail", "pass", "fail") == {}
    assert "overall_grade" in grade_problem("fail", "distinction", "pass")
    assert "overall_grade" in grade_problem("pass", "pass", "fail")
    assert set(grade_problem("", "great", "pass")) == {"presentation_result", "discussion_result"}


# --- Services -------------------------------------------------------------------------------------


def at_gateway(world, **fields):
    """The own organisation's apprentice on the partner trust's programme, at the gateway."""
    on = timezone.localdate() - dt.timedelta(days=7)
    return apprenticeships_scene.enrolment(
        world, "own", status=EnrolmentStatus.AT_GATEWAY, status_on=on, **fields
    )


def icb_assessor(world):
    """Someone at the ICB: in the partnership, neither the employer nor the provider."""
    return EmploymentFactory(organisation=world.icb).person


def book(world, enrolment, assessor, check=PASSED, on=None):
    return assessments.book(
        actor=world.actor("programme_leader"),
        enrolment=enrolment,
        assessor=assessor,
        assessment_organisation="Skills Assess Ltd",
        assessment_on=on or timezone.localdate(),
        gateway_check=lambda _: check,
    )


def record(assessment, presentation, discussion, overall):
    return assessments.record_results(
        actor=Actor(person=assessment.assessor, organisation=assessment.assessor_organisation),
        assessment=assessment,
        presentation_result=presentation,
        discussion_result=discussion,
        overall_grade=overall,
    )


def test_booking_waits_for_the_gateway_and_says_which_items_are_not_met(world):
    enrolment = at_gateway(world)
    with pytest.raises(ValidationError) as refused:
        assessments.book(
            actor=world.actor("programme_leader"),
            enrolment=enrolment,
            assessor=icb_assessor(world),
            assessment_organisation="Skills Assess Ltd",
            assessment_on=timezone.localdate(),
        )  # the real gateway.check: nothing is done yet
    assert "The gateway has not passed yet" in refused.value.messages[0]
    assert not EndPointAssessment.objects.filter(enrolment=enrolment).exists()


def test_booking_moves_the_enrolment_into_assessment_with_the_assessors_employer(
    world, django_capture_on_commit_callbacks
):
    enrolment = at_gateway(world)
    assessor = icb_assessor(world)
    with django_capture_on_commit_callbacks(execute=True):
        booked = book(world, enrolment, assessor)
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.IN_EPA
    assert (booked.attempt, booked.assessor_organisation.name) == (1, world.icb.name)
    assert "End-point assessment booked" in mail.outbox[-1].subject


def test_an_assessor_from_the_employer_is_refused_naming_the_employer(world):
    enrolment = at_gateway(world)
    with pytest.raises(ValidationError) as refused:
        book(world, enrolment, world.person("own_staff"))
    assert refused.value.message_dict["assessor_email"] == [
        f"{world.person('own_staff').full_name} works for {world.own.name}, the apprentice's "
        "employer: the assessor must be independent"
    ]


def test_an_assessor_from_the_provider_is_refused_naming_the_provider(world):
    enrolment = at_gateway(world)
    provider_staff = world.person("partner_staff")
    assert provider_staff.employments.current().filter(organisation=enrolment.provider).exists()
    with pytest.raises(ValidationError) as refused:
        book(world, enrolment, provider_staff)
    [message] = refused.value.message_dict["assessor_email"]
    assert message.startswith(
        f"{provider_staff.full_name} works for {enrolment.provider.name}, the training provider: "
    )
    assert not EndPointAssessment.objects.filter(enrolment=enrolment).exists()


def test_only_the_providers_programme_leader_books(world):
    enrolment = at_gateway(world)
    with pytest.raises(ValidationError, match="programme leader"):
        assessments.book(
            actor=world.actor("own_ld_lead"),
            enrolment=enrolment,
            assessor=icb_assessor(world),
            assessment_organisation="Skills Assess Ltd",
            assessment_on=timezone.localdate(),
            gateway_check=lambda _: PASSED,
        )


def test_a_fail_allows_one_resit_at_a_time_and_results_are_recorded_once(world):
    enrolment = at_gateway(world)
    first = book(world, enrolment, icb_assessor(world))
    with pytest.raises(ValidationError, match="no result yet"):
        book(world, enrolment, icb_assessor(world))
    record(first, Grade.FAIL, Grade.PASS, Grade.FAIL)
    with pytest.raises(ValidationError, match="already been recorded"):
        record(first, Grade.PASS, Grade.PASS, Grade.PASS)
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.IN_EPA
    resit = book(
        world, enrolment, icb_assessor(world), check=SimpleNamespace(passed=False, items=[])
    )
    assert resit.attempt == 2  # the gateway is not asked again for a resit


def test_only_the_booked_assessor_records_results_and_not_before_the_day(world):
    enrolment = at_gateway(world)
    booked = book(
        world, enrolment, icb_assessor(world), on=timezone.localdate() + dt.timedelta(days=3)
    )
    with pytest.raises(ValidationError, match="booked assessor"):
        assessments.record_results(
            actor=world.actor("programme_leader"),
            assessment=booked,
            presentation_result="pass",
            discussion_result="pass",
            overall_grade="pass",
        )
    with pytest.raises(ValidationError, match="on or after that day"):
        record(booked, Grade.PASS, Grade.PASS, Grade.PASS)


def test_a_pass_completes_the_enrolment_and_the_employer_sees_the_completion_payment(
    world, client_for
):
    enrolment = at_gateway(world, funding_route=FundingRoute.LEVY)
    enrolment.levy_account = LevyAccountFactory(organisation=world.own)
    enrolment.save()
    payments.start(enrolment, actor=None)
    enrolment.refresh_from_db()
    booked = book(world, enrolment, icb_assessor(world))
    record(booked, Grade.PASS, Grade.DISTINCTION, Grade.MERIT)
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.COMPLETED
    assert enrolment.levy_commitment.status == CommitmentStatus.COMPLETED
    completion = [row for row in payments.schedule_rows(enrolment) if "Completion" in row.label]
    assert [row.label for row in completion] == ["Completion payment"]  # due, not "expected"
    assert completion[0].amount == Decimal("2800.00000")  # 20% of the £14,000 band
    page = client_for("own_ld_lead").get(reverse("apprenticeships:enrolment", args=[enrolment.pk]))
    assert "Completion payment" in page.content.decode()


def test_the_assessor_records_results_on_the_page_and_a_mismatched_grade_is_shown_on_its_field(
    world,
):
    enrolment = at_gateway(world)
    assessor = icb_assessor(world)
    booked = book(world, enrolment, assessor)
    client = Client()
    client.force_login(assessor, backend="joinedup.partnership.auth.EmailBackend")
    url = reverse("apprenticeships:assessment_results", args=[booked.pk])
    mine = client.get(reverse("apprenticeships:my_assessments")).content.decode()
    assert reverse("apprenticeships:assessment", args=[booked.pk]) in mine

    refused = client.post(
        url,
        {"presentation_result": "pass", "discussion_result": "fail", "overall_grade": "pass"},
    )
    assert refused.status_code == 200
    assert refused.context["form"].errors["overall_grade"]
    booked.refresh_from_db()
    assert booked.recorded_at is None

    done = client.post(
        url,
        {
            "presentation_result": "pass",
            "discussion_result": "distinction",
            "overall_grade": "merit",
            "result_note": "Clear and well evidenced",
        },
    )
    assert done.status_code == 302
    booked.refresh_from_db()
    enrolment.refresh_from_db()
    assert (booked.overall_grade, booked.result_note) == ("merit", "Clear and well evidenced")
    assert enrolment.status == EnrolmentStatus.COMPLETED
    page = client.get(done.url).content.decode()
    assert "Results recorded" in page and "Merit" in page


# --- External assessor accounts ---------------------------------------------------------------


def test_an_external_assessor_gets_an_account_with_no_job_and_signs_in(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        person = assessments.add_external_assessor(
            actor=world.actor("programme_leader"),
            email="Eve.External@assess.example",
            given_name="Eve",
            family_name="External",
        )
    assert person.email == "eve.external@assess.example"
    assert not person.employments.exists()
    assert "choose a password" in mail.outbox[-1].body.lower()
    person.set_password("a long enough password 42")
    person.save()
    assert authenticate(username=person.email, password="a long enough password 42") == person
    client = Client()
    client.force_login(person, backend="joinedup.partnership.auth.EmailBackend")
    page = client.get(reverse("apprenticeships:my_assessments"))
    assert page.status_code == 200
    assert "You have no assessments booked" in page.content.decode()
    assert client.get("/").status_code == 200  # the home page, acting for no organisation


def test_the_demo_external_assessor_signs_in_with_no_booking_yet(demo, db):
    from joinedup.apprenticeships.demo_assessments import ASSESSOR_LABEL
    from joinedup.partnership.demo_plan import DEMO_PASSWORD

    login = next(login for login in demo.logins if login.persona == ASSESSOR_LABEL)
    client = Client()
    signed_in = client.post(
        "/accounts/login/", {"username": login.email, "password": DEMO_PASSWORD}
    )
    assert signed_in.status_code == 302
    page = client.get(reverse("apprenticeships:my_assessments"))
    assert "You have no assessments booked" in page.content.decode()


def test_someone_without_a_job_or_an_assessor_account_still_cannot_sign_in(db):
    person = PersonFactory(email="nobody@example.test")
    person.set_password("a long enough password 42")
    person.save()
    assert authenticate(username=person.email, password="a long enough password 42") is None


def test_a_new_external_assessor_needs_a_name(world):
    with pytest.raises(ValidationError) as refused:
        assessments.add_external_assessor(
            actor=world.actor("programme_leader"),
            email="new@assess.example",
            given_name="",
            family_name="",
        )
    assert "given_name" in refused.value.message_dict


# --- API ------------------------------------------------------------------------------------------


def test_the_api_books_with_a_new_external_assessor_and_the_assessor_records_results(
    world, monkeypatch
):
    from joinedup.partnership import services
    from joinedup.partnership.tests.api_helpers import api_client, bearer

    monkeypatch.setattr(assessments, "_gateway_check", lambda: lambda _: PASSED)
    enrolment = at_gateway(world)
    url = f"/api/v1/apprenticeships/assessments/enrolments/{enrolment.pk}"
    body = {
        "assessment_organisation": "Skills Assess Ltd",
        "assessment_on": str(timezone.localdate()),
        "assessor_email": world.person("own_staff").email,
    }
    leader = api_client(world, "programme_leader")
    refused = leader.post(url, body, content_type="application/json")
    assert refused.status_code == 422
    assert "assessor_email (body)" in refused.json()["detail"]
    assert "the apprentice's employer" in refused.json()["detail"]
    external = {**body, "assessor_email": "xavi@assess.example", "new_external": True}
    made = leader.post(url, {**external, "given_name": "Xavi"}, content_type="application/json")
    assert made.status_code == 422  # no family name: nothing is made
    assert not assessments.find_person("xavi@assess.example")
    made = leader.post(
        url,
        {**external, "given_name": "Xavi", "family_name": "Ortiz"},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    assert made.json()["assessor_organisation"] is None
    booked = EndPointAssessment.objects.get(pk=made.json()["id"])
    booked.assessor = icb_assessor(world)
    booked.assessor_organisation = world.icb
    booked.save()
    _, raw = services.create_personal_token(
        actor=Actor(person=booked.assessor, organisation=world.icb), name="Tests"
    )
    results = {"presentation_result": "fail", "discussion_result": "pass", "overall_grade": "fail"}
    recorded = bearer(raw).post(
        f"/api/v1/apprenticeships/assessments/{booked.pk}/results",
        results,
        content_type="application/json",
    )
    assert recorded.status_code == 200, recorded.content
    assert recorded.json()["overall_grade"] == "fail"
    again = bearer(raw).post(
        f"/api/v1/apprenticeships/assessments/{booked.pk}/results",
        results,
        content_type="application/json",
    )
    assert again.status_code == 409
