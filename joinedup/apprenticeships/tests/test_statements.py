"""Commitment statements through the services: the generated content, versions, signing in
turn, refusals, immutability of signed versions, starting the enrolment and the e-mails."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from joinedup.apprenticeships import statements
from joinedup.apprenticeships.models import (
    CommitmentStatement,
    EnrolmentStatus,
    FundingRoute,
    Party,
    Signature,
)
from joinedup.partnership.models import AuditEvent

from .statement_scene import ELIGIBILITY, Scene, build_scene


@pytest.fixture
def scene(db) -> Scene:
    return build_scene()


@pytest.fixture
def issued(scene) -> CommitmentStatement:
    return statements.issue(scene.enrolment, actor=scene.employer, reason="Enrolled")


def _sign_all(scene: Scene, statement: CommitmentStatement) -> None:
    for actor in (scene.apprentice, scene.employer, scene.provider):
        statements.sign(actor=actor, statement=statement)


def _text(statement: CommitmentStatement) -> str:
    return json.dumps(statement.content, ensure_ascii=False)


def test_version_one_holds_the_parties_terms_plan_and_responsibilities(scene, issued):
    content = issued.content
    assert issued.version == 1
    assert issued.reason == content["reason"] == "Enrolled"
    assert content["reference"] == scene.enrolment.reference
    parties = {party["role"]: party["name"] for party in content["parties"]}
    assert parties == {
        "Apprentice": "Amara Okafor",
        "Employer": "Brent Council Example",
        "Training provider": "University of Westminster Example",
        "Line manager": "Martin Manager",
        "Practice tutor": "Tom Tutor",
    }
    terms = {row["label"]: row["value"] for row in content["apprenticeship"]}
    assert terms["Standard"].startswith("Senior leader (degree) (ST0480), level 7")
    assert terms["Cohort"] == "September 2026"
    assert terms["Start date"] == "1 September 2026"
    assert terms["Planned end date"] == "31 August 2028"
    assert terms["Agreed price"] == "£14,000.00"
    assert terms["Funding"] == "Privately funded"
    assert terms["Why"] == "Not eligible for levy funding under the Level 7 rule"
    assert terms["What the employer pays"] == (
        "The employer pays the full agreed price of £14,000.00 to the provider"
    )
    assert terms["Planned off-the-job hours"] == "400 (the rules require at least 400)"
    assert terms["Recognised prior learning"] == "None recorded"
    plan = content["training_plan"]
    assert [module["title"] for module in plan] == ["Leading people", "Strategy"]
    assert plan[0]["starts_on"] == "7 September 2026"
    assert plan[0]["campus_from"] == "19 October 2026"
    assert plan[0]["assignments"] == [
        {"title": "Reflective essay", "weighting": 100, "due_on": "20 November 2026"}
    ]
    assert [a["due_on"] for a in plan[1]["assignments"]] == ["26 March 2027", "To be confirmed"]
    responsible = [block["party"] for block in content["responsibilities"]]
    assert responsible == [
        "The apprentice, Amara Okafor",
        "The employer, Brent Council Example",
        "The training provider, University of Westminster Example",
    ]
    assert any("400 hours" in item for item in content["responsibilities"][1]["items"])


def test_the_content_names_none_of_the_eligibility_facts(scene, issued):
    text = _text(issued).lower()
    assert "1990" not in text
    assert "14 march" not in text
    assert "care leaver" not in text
    assert "ehc" not in text
    assert ELIGIBILITY.lower() not in text
    assert "date_of_birth" not in text


def test_what_the_employer_pays_follows_the_recorded_route(db):
    co_funded = build_scene(funding_route=FundingRoute.CO_FUNDED, price=Decimal(20000))
    made = statements.issue(co_funded.enrolment, actor=None, reason="Enrolled")
    terms = {row["label"]: row["value"] for row in made.content["apprenticeship"]}
    assert terms["What the employer pays"] == (
        "The employer pays £700.00 (5% of £14,000.00) and the £6,000.00 of the price above "
        "the funding band of £14,000.00, £6,700.00 in all, to the provider"
    )
    assert made.content["terms"]["employer_pays"] == "6700.00"
    levy = build_scene(funding_route=FundingRoute.LEVY)
    made = statements.issue(levy.enrolment, actor=None, reason="Enrolled")
    assert made.content["terms"]["employer_pays"] == "0.00"


def test_prior_learning_is_in_the_plan(db):
    scene = build_scene(prior_learning_hours=40, prior_learning_note="Level 5 diploma")
    made = statements.issue(scene.enrolment, actor=None, reason="Enrolled")
    terms = {row["label"]: row["value"] for row in made.content["apprenticeship"]}
    assert terms["Recognised prior learning"] == "40 hours recognised: Level 5 diploma"


def test_every_issue_makes_the_next_version_with_one_audit_entry(scene, issued):
    again = statements.issue(scene.enrolment, actor=scene.employer, reason="Price agreed again")
    assert again.version == 2
    assert list(
        AuditEvent.objects.filter(object_kind="commitment_statement")
        .order_by("pk")
        .values_list("action", "object_id")
    ) == [
        ("apprenticeships.statement_issued", str(issued.pk)),
        ("apprenticeships.statement_issued", str(again.pk)),
    ]


def test_a_reason_is_needed(scene):
    with pytest.raises(ValidationError) as refused:
        statements.issue(scene.enrolment, actor=scene.employer, reason="  ")
    assert "reason" in refused.value.error_dict


def test_the_parties_sign_in_turn_and_the_enrolment_becomes_active(scene, issued):
    first = statements.sign(actor=scene.apprentice, statement=issued)
    assert first.party == Party.APPRENTICE
    assert statements.sign(actor=scene.employer, statement=issued).party == Party.EMPLOYER
    issued.refresh_from_db()
    assert issued.fully_signed_at is None
    last = statements.sign(actor=scene.provider, statement=issued)
    assert last.party == Party.PROVIDER
    issued.refresh_from_db()
    assert issued.fully_signed_at is not None
    scene.enrolment.refresh_from_db()
    assert scene.enrolment.status == EnrolmentStatus.ACTIVE
    assert scene.enrolment.history.last().status == EnrolmentStatus.ACTIVE
    assert list(issued.signatures.values_list("party", "person")) == [
        (Party.APPRENTICE, scene.apprentice.person.pk),
        (Party.EMPLOYER, scene.employer.person.pk),
        (Party.PROVIDER, scene.provider.person.pk),
    ]
    events = AuditEvent.objects.filter(
        object_kind="commitment_statement", action="apprenticeships.statement_signed"
    ).order_by("pk")
    parties = [event.changes.get("party") for event in events]
    assert parties == ["apprentice", "employer", "provider"]
    assert [event.changes.get("fully_signed") for event in events] == [None, None, True]


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("employer", "It is not the employer's turn to sign yet: the apprentice signs first."),
        ("provider", "the training provider's turn to sign yet: the apprentice signs first."),
    ],
)
def test_signing_out_of_turn_is_refused(scene, issued, who, message):
    with pytest.raises(ValidationError) as refused:
        statements.sign(actor=getattr(scene, who), statement=issued)
    assert message in refused.value.messages[0]
    assert not issued.signatures.exists()


def test_the_provider_waits_for_the_employer(scene, issued):
    statements.sign(actor=scene.apprentice, statement=issued)
    with pytest.raises(ValidationError, match="the employer signs first"):
        statements.sign(actor=scene.provider, statement=issued)


def test_a_party_signs_once(scene, issued):
    statements.sign(actor=scene.apprentice, statement=issued)
    with pytest.raises(ValidationError, match="already signed for the apprentice"):
        statements.sign(actor=scene.apprentice, statement=issued)
    assert issued.signatures.count() == 1


def test_a_second_employer_lead_cannot_sign_again_for_the_employer(scene, issued):
    from joinedup.partnership.actor import Actor
    from joinedup.partnership.models import OrganisationRole
    from joinedup.partnership.tests.factories import EmploymentFactory, OrganisationRoleFactory

    other = EmploymentFactory(organisation=scene.enrolment.employer)
    OrganisationRoleFactory(
        person=other.person, organisation=scene.enrolment.employer, role=OrganisationRole.LD_LEAD
    )
    statements.sign(actor=scene.apprentice, statement=issued)
    statements.sign(actor=scene.employer, statement=issued)
    with pytest.raises(ValidationError, match="already signed for the employer"):
        statements.sign(
            actor=Actor(person=other.person, organisation=scene.enrolment.employer),
            statement=issued,
        )


@pytest.mark.parametrize("who", ["line_manager", "tutor", "outsider"])
def test_people_who_are_no_party_cannot_sign(scene, issued, who):
    with pytest.raises(PermissionDenied):
        statements.sign(actor=getattr(scene, who), statement=issued)


def test_an_older_version_cannot_be_signed(scene, issued):
    statements.issue(scene.enrolment, actor=scene.employer, reason="Dates moved")
    with pytest.raises(ValidationError) as refused:
        statements.sign(actor=scene.apprentice, statement=issued)
    assert "a newer version (version 2) replaces this one" in refused.value.messages[0]
    assert not Signature.objects.exists()


def test_a_new_version_leaves_the_signed_one_untouched(scene, issued):
    statements.sign(actor=scene.apprentice, statement=issued)
    statements.sign(actor=scene.employer, statement=issued)
    content = issued.content
    before = list(issued.signatures.values_list("pk", "party", "person", "signed_at"))
    scene.enrolment.price = Decimal(15000)
    scene.enrolment.save()
    newer = statements.issue(scene.enrolment, actor=scene.employer, reason="Price changed")
    old = CommitmentStatement.objects.get(pk=issued.pk)
    assert old.content == content
    assert "£14,000.00" in _text(old)
    assert list(old.signatures.values_list("pk", "party", "person", "signed_at")) == before
    assert "£15,000.00" in _text(newer)
    assert not newer.signatures.exists()
    # All three sign the new version again, from the apprentice.
    with pytest.raises(ValidationError, match="the apprentice signs first"):
        statements.sign(actor=scene.provider, statement=newer)


def test_a_fully_signed_version_stays_as_signed_when_a_later_one_is_made(scene, issued):
    _sign_all(scene, issued)
    issued.refresh_from_db()
    signed_at, content = issued.fully_signed_at, issued.content
    newer = statements.issue(scene.enrolment, actor=scene.provider, reason="Tutor changed")
    _sign_all(scene, newer)
    old = CommitmentStatement.objects.get(pk=issued.pk)
    assert (old.fully_signed_at, old.content) == (signed_at, content)
    assert old.signatures.count() == 3
    scene.enrolment.refresh_from_db()
    # Already active: the later version's signatures do not start it again.
    assert scene.enrolment.history.filter(status=EnrolmentStatus.ACTIVE).count() == 1


def test_the_services_have_no_way_to_change_a_version(scene):
    """Only `issue` (a new row) and `sign` (a new signature, then fully_signed_at once) write."""
    writers = [name for name in dir(statements) if name.startswith(("edit", "update", "change"))]
    assert writers == []


def test_the_apprentice_is_asked_to_sign_first_then_each_party_in_turn(
    scene, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        issued = statements.issue(scene.enrolment, actor=scene.employer, reason="Enrolled")
    assert [message.to for message in mail.outbox] == [[scene.apprentice.person.email]]
    assert mail.outbox[0].subject == "A commitment statement is ready for you to sign"
    assert f"/apprenticeships/statements/{issued.pk}/" in mail.outbox[0].body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        statements.sign(actor=scene.apprentice, statement=issued)
    assert [message.to for message in mail.outbox] == [[scene.employer.person.email]]
    assert "for the employer" in mail.outbox[0].body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        statements.sign(actor=scene.employer, statement=issued)
    assert [message.to for message in mail.outbox] == [[scene.provider.person.email]]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        statements.sign(actor=scene.provider, statement=issued)
    assert mail.outbox == []


def test_a_refused_signature_sends_nothing(scene, issued, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        statements.sign(actor=scene.employer, statement=issued)
    assert mail.outbox == []
