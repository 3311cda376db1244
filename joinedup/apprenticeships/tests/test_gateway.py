"""The gateway through the service, pages and API: the checklist from the enrolment's facts,
agreeing only once the rest is met, the move to "at gateway" when both have agreed, and the pages
and API showing each item with its why."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from joinedup.apprenticeships import gateway, projects
from joinedup.apprenticeships.models import (
    CheckState,
    EnrolmentStatus,
    GatewayAgreement,
    Grade,
    Party,
)
from joinedup.partnership.actor import Actor
from joinedup.partnership.services import create_personal_token
from joinedup.partnership.tests.api_helpers import API, bearer

from . import gateway_scene as s

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene() -> s.GatewayScene:
    return s.build()


def _items(enrolment) -> dict:
    return {item.key: item for item in gateway.check(enrolment).items}


def client_of(actor: Actor) -> Client:
    client = Client()
    client.force_login(actor.person, backend="joinedup.partnership.auth.EmailBackend")
    return client


def api_of(actor: Actor) -> Client:
    return bearer(create_personal_token(actor=actor, name="Tests")[1])


def test_a_new_apprentice_meets_none_of_the_items(scene):
    checklist = gateway.check(scene.enrolment)
    assert not checklist.passed
    assert checklist.met == 0
    items = {item.key: item for item in checklist.items}
    assert "Leading people" in items["modules"].why
    assert items["off_the_job"].why == "0 of the 10 required off-the-job hours verified: 10 to go"
    assert items["project"].why == "No workplace project has been proposed yet"


def test_each_item_is_met_from_the_enrolments_facts(scene):
    s.make_ready(scene)
    items = _items(scene.enrolment)
    assert [key for key, item in items.items() if item.met] == [
        "modules",
        "ksbs",
        "off_the_job",
        "project",
    ]
    assert gateway.check(scene.enrolment).ready


def test_a_failed_module_unevidenced_ksb_or_unverified_hours_is_not_met(scene):
    s.pass_modules(scene, Grade.FAIL)
    s.ksbs(scene)
    s.evidence_all_ksbs(scene, CheckState.AWAITING)
    s.log_hours(scene, "10", CheckState.AWAITING)
    items = _items(scene.enrolment)
    assert not items["modules"].met
    assert not items["ksbs"].met
    assert "K90" in items["ksbs"].why
    assert not items["off_the_job"].met
    s.pass_modules(scene, Grade.MERIT)  # the resits
    assert _items(scene.enrolment)["modules"].met


def test_nobody_agrees_before_the_rest_is_met(scene):
    with pytest.raises(ValidationError, match="Not ready for the gateway yet"):
        gateway.agree(actor=scene.employer, enrolment=scene.enrolment)
    assert not GatewayAgreement.objects.exists()


def test_only_the_employer_and_provider_agree_and_each_once(scene):
    s.make_ready(scene)
    with pytest.raises(ValidationError, match="Only the employer's L&D lead"):
        gateway.agree(actor=scene.tutor, enrolment=scene.enrolment)
    gateway.agree(actor=scene.employer, enrolment=scene.enrolment)
    with pytest.raises(ValidationError, match="already agreed"):
        gateway.agree(actor=scene.employer, enrolment=scene.enrolment)
    scene.enrolment.refresh_from_db()
    assert scene.enrolment.status == EnrolmentStatus.ACTIVE


def test_both_agreeing_passes_the_gateway_and_moves_the_enrolment(scene):
    s.make_ready(scene)
    gateway.agree(actor=scene.provider, enrolment=scene.enrolment)
    gateway.agree(actor=scene.employer, enrolment=scene.enrolment)
    scene.enrolment.refresh_from_db()
    assert scene.enrolment.status == EnrolmentStatus.AT_GATEWAY
    assert scene.enrolment.history.last().status == EnrolmentStatus.AT_GATEWAY
    assert gateway.check(scene.enrolment).passed
    parties = set(GatewayAgreement.objects.values_list("party", flat=True))
    assert parties == {Party.EMPLOYER, Party.PROVIDER}


def test_the_other_party_is_asked_to_agree_and_the_apprentice_told_of_the_pass(
    scene, django_capture_on_commit_callbacks
):
    s.make_ready(scene)
    enrolment = scene.enrolment
    with django_capture_on_commit_callbacks(execute=True):
        gateway.agree(actor=scene.provider, enrolment=enrolment)
    [asked] = mail.outbox
    assert asked.to == [scene.employer.person.email]
    assert asked.subject == f"Gateway: {enrolment.apprentice.full_name} is ready for your agreement"
    assert "the provider has agreed" in asked.body
    assert reverse("apprenticeships:gateway", args=[enrolment.pk]) in asked.body

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        gateway.agree(actor=scene.employer, enrolment=enrolment)
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([enrolment.apprentice.email], "You have passed the gateway")
    ]


def test_the_gateway_page_shows_each_item_with_its_why_and_the_agree_button(scene):
    s.make_ready(scene)
    url = reverse("apprenticeships:gateway", args=[scene.enrolment.pk])
    page = client_of(scene.employer).get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "4 of 6 met" in text
    assert "Waiting for the employer&#x27;s L&amp;D lead to agree" in text
    assert "Agree the apprentice is ready, for the employer" in text
    assert "Agree the apprentice" not in client_of(scene.tutor).get(url).content.decode()
    agree = reverse("apprenticeships:gateway_agree", args=[scene.enrolment.pk])
    assert client_of(scene.tutor).post(agree).status_code == 403
    assert client_of(scene.outsider).get(url).status_code == 404
    assert client_of(scene.employer).post(agree).status_code == 302
    assert GatewayAgreement.objects.filter(party=Party.EMPLOYER).exists()


def test_the_sponsor_sees_the_project_page_but_not_the_gateway(scene):
    project = s.propose(scene)
    projects.approve(actor=scene.tutor, project=project)
    sponsor = client_of(scene.sponsor)
    page = sponsor.get(reverse("apprenticeships:project", args=[scene.enrolment.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Week 6" in text and "Options appraisal" in text and "Not done" in text
    assert (
        sponsor.get(reverse("apprenticeships:gateway", args=[scene.enrolment.pk])).status_code
        == 404
    )
    assert (
        sponsor.get(reverse("apprenticeships:enrolment", args=[scene.enrolment.pk])).status_code
        == 404
    )


def test_the_apprentice_proposes_and_the_tutor_approves_through_the_pages(scene):
    pk = scene.enrolment.pk
    apprentice = client_of(scene.apprentice)
    form = {
        "title": "A shared front door",
        "scope": "One front door",
        "sponsor_email": "sara@brent.test",
        "starts_on_day": "5",
        "starts_on_month": "4",
        "starts_on_year": "2027",
        "week_1": "Interview the service leads",
        "week_12": "Present",
    }
    bad = apprentice.post(
        reverse("apprenticeships:project_propose", args=[pk]),
        {**form, "sponsor_email": "nobody@x.test"},
    )
    assert bad.status_code == 200
    assert "No current member of staff" in bad.content.decode()
    done = apprentice.post(reverse("apprenticeships:project_propose", args=[pk]), form)
    assert done.status_code == 302
    assert (
        client_of(scene.sponsor)
        .post(reverse("apprenticeships:project_approve", args=[pk]))
        .status_code
        == 403
    )
    assert (
        client_of(scene.tutor)
        .post(reverse("apprenticeships:project_approve", args=[pk]))
        .status_code
        == 302
    )
    scene.enrolment.project.refresh_from_db()
    assert scene.enrolment.project.state == "approved"


def test_the_progress_page_shows_the_project_and_gateway_sections(scene):
    s.propose(scene)
    page = client_of(scene.line_manager).get(
        reverse("apprenticeships:progress", args=[scene.enrolment.pk])
    )
    text = page.content.decode()
    assert "Scope awaiting approval" in text
    assert "0 of 3 milestones done" in text
    assert "0 of 6 met" in text


def test_the_progress_page_reads_what_its_sections_share_once(scene):
    s.make_ready(scene)
    with CaptureQueriesContext(connection) as captured:
        page = client_of(scene.line_manager).get(
            reverse("apprenticeships:progress", args=[scene.enrolment.pk])
        )
    assert page.status_code == 200
    text = " ".join(page.content.decode().split())
    assert "4 of 6 met" in text and "0 of 3 milestones done" in text
    for table in (
        "apprenticeships_enrolment",
        "apprenticeships_offthejobentry",
        "apprenticeships_module",
        "apprenticeships_ksb",
        "apprenticeships_workplaceproject",
    ):
        reads = [q for q in captured.captured_queries if f'FROM "{table}"' in q["sql"]]
        assert len(reads) == 1, (table, [q["sql"][:120] for q in reads])


def test_the_api_gives_the_gateway_items_and_the_project(scene):
    s.make_ready(scene)
    base = f"{API}/apprenticeships/enrolments/{scene.enrolment.pk}"
    body = api_of(scene.line_manager).get(f"{base}/gateway").json()
    assert body["met"] == 4 and body["passed"] is False
    assert body["items"][4] == {
        "key": "employer",
        "title": "The employer agrees",
        "met": False,
        "why": "Waiting for the employer's L&D lead to agree",
    }
    project = api_of(scene.sponsor).get(f"{base}/project").json()
    assert project["state"] == "signed_off"
    assert [m["week"] for m in project["milestones"]] == [1, 6, 12]
    assert api_of(scene.sponsor).get(f"{base}/gateway").status_code == 404
    assert api_of(scene.tutor).post(f"{base}/gateway/agree").status_code == 403
    agreed = api_of(scene.provider).post(f"{base}/gateway/agree")
    assert agreed.status_code == 200
    assert agreed.json()["items"][5]["met"] is True
    again = api_of(scene.provider).post(f"{base}/gateway/agree")
    assert again.status_code == 409
    assert "already agreed" in again.json()["detail"]
