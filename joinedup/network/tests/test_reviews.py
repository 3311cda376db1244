"""Learning reviews: recording and changing them through the pages, and the service's checks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from joinedup.materials.tests.factories import MaterialFactory
from joinedup.network import reviews
from joinedup.network.models import InitiativePartner, LearningReview
from joinedup.network.tests.factories import InitiativeFactory
from joinedup.partnership.models import AuditEvent

pytestmark = pytest.mark.django_db

GOOD = {
    "reviewed_on": "2026-03-01",
    "what_worked": "Daily huddles between ward and council staff.",
    "what_did_not": "Weekend discharges.",
    "place_history": "Two earlier pilots.",
    "place_geography": "One hospital, two boroughs.",
    "place_relationships": "Shared director of adult services.",
    "frontline_buy_in": "high",
    "frontline_buy_in_notes": "Nurses asked for it.",
    "reporting_burden": "low",
    "reporting_burden_notes": "",
    "evidence": [{"title": "Evaluation", "link": "https://example.org/eval.pdf"}],
    "measures": [
        {"name": "Delayed days", "value": "312.5", "unit": "days", "measured_on": "2026-02-01"}
    ],
}


@pytest.fixture
def initiative(world):
    return InitiativeFactory(partnership=world.partnership, owner_organisation=world.own)


def form_post(**overrides) -> dict:
    data = {
        "evidence_rows": "2",
        "measure_rows": "2",
        "reviewed_on_day": "1",
        "reviewed_on_month": "3",
        "reviewed_on_year": "2026",
        "what_worked": "Daily huddles.",
        "place_geography": "Two boroughs.",
        "frontline_buy_in": "medium",
        "evidence_1_title": "Evaluation report",
        "evidence_1_link": "https://example.org/report",
        "measures_1_name": "Delayed days",
        "measures_1_value": "40",
        "measures_1_unit": "days",
        "measures_1_measured_on_day": "1",
        "measures_1_measured_on_month": "2",
        "measures_1_measured_on_year": "2026",
    }
    data.update(overrides)
    return data


def test_owner_staff_records_a_review_shown_on_the_initiative_page(world, client_for, initiative):
    client = client_for("own_staff")
    response = client.post(reverse("network:review-new", args=[initiative.pk]), form_post())
    assert response.status_code == 302
    review = LearningReview.objects.get(initiative=initiative)
    assert review.author == world.own_staff
    assert review.organisation == world.own
    assert review.reviewed_on == dt.date(2026, 3, 1)
    assert [(m.name, m.value, m.unit) for m in review.measures.all()] == [
        ("Delayed days", Decimal("40"), "days")
    ]
    assert review.evidence.get().url == "https://example.org/report"
    page = client_for("partner_staff").get(reverse("network:initiative", args=[initiative.pk]))
    text = page.content.decode()
    assert "Daily huddles." in text
    assert "Evaluation report" in text
    assert "Delayed days" in text
    assert world.own_staff.full_name in text
    assert reverse("network:review-edit", args=[review.pk]) not in text


def test_the_form_names_the_row_of_a_bad_measure(client_for, initiative):
    response = client_for("own_staff").post(
        reverse("network:review-new", args=[initiative.pk]),
        form_post(measures_2_name="Readmissions", measures_2_unit="people"),
    )
    assert response.status_code == 200
    assert "Outcome measure 2: enter the value as a number" in response.content.decode()
    assert not LearningReview.objects.exists()


def test_a_partner_not_involved_may_not_review(client_for, initiative):
    response = client_for("partner_staff").get(reverse("network:review-new", args=[initiative.pk]))
    assert response.status_code == 403


def test_a_listed_partner_reviews_for_their_organisation(world, initiative):
    InitiativePartner.objects.create(initiative=initiative, organisation=world.partner)
    review = reviews.add_review(
        actor=world.actor("partner_staff"), initiative=initiative, data=GOOD
    )
    assert review.organisation == world.partner
    assert AuditEvent.objects.filter(action="learning_review.added", object_id=review.pk).exists()


def test_the_outsider_is_told_nothing(client_for, initiative):
    response = client_for("outsider").get(reverse("network:review-new", args=[initiative.pk]))
    assert response.status_code == 404


def test_a_review_cannot_be_dated_in_the_future(world, initiative):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        reviews.add_review(
            actor=world.actor("own_staff"),
            initiative=initiative,
            data={**GOOD, "reviewed_on": tomorrow.isoformat()},
        )
    assert "reviewed_on" in refused.value.message_dict


def test_what_worked_is_required(world, initiative):
    with pytest.raises(ValidationError) as refused:
        reviews.add_review(
            actor=world.actor("own_staff"), initiative=initiative, data={**GOOD, "what_worked": " "}
        )
    assert refused.value.message_dict["what_worked"] == ["Enter what worked"]


@pytest.mark.parametrize(
    ("row", "key", "words"),
    [
        ({"title": "Report", "link": "javascript:alert(1)"}, "evidence_1_link", "https://"),
        ({"title": "", "link": "https://example.org"}, "evidence_1_title", "enter a title"),
        ({"title": "Report"}, "evidence_1_link", "a link or a library material"),
        (
            {"title": "Report", "link": "https://example.org", "material": "1"},
            "evidence_1_link",
            "not both",
        ),
    ],
)
def test_evidence_rows_are_checked_and_named(world, initiative, row, key, words):
    with pytest.raises(ValidationError) as refused:
        reviews.add_review(
            actor=world.actor("own_staff"), initiative=initiative, data={**GOOD, "evidence": [row]}
        )
    message = refused.value.message_dict[key][0]
    assert message.startswith("Evidence 1:")
    assert words in message


@pytest.mark.parametrize(
    ("change", "key"),
    [
        ({"name": ""}, "measures_1_name"),
        ({"value": "lots"}, "measures_1_value"),
        ({"value": "NaN"}, "measures_1_value"),
        ({"value": "1.123456"}, "measures_1_value"),
        ({"value": "1e20"}, "measures_1_value"),
        ({"unit": ""}, "measures_1_unit"),
        ({"measured_on": ""}, "measures_1_measured_on"),
        ({"measured_on": "2999-01-01"}, "measures_1_measured_on"),
    ],
)
def test_every_part_of_a_measure_is_required_and_checked(world, initiative, change, key):
    row = {**GOOD["measures"][0], **change}
    with pytest.raises(ValidationError) as refused:
        reviews.add_review(
            actor=world.actor("own_staff"), initiative=initiative, data={**GOOD, "measures": [row]}
        )
    assert refused.value.message_dict[key][0].startswith("Outcome measure 1:")


def test_evidence_may_be_a_material_the_author_can_see_but_not_another(world, initiative):
    seen = MaterialFactory(owner=world.own)
    unseen = MaterialFactory(owner=world.outsider_org)
    review = reviews.add_review(
        actor=world.actor("own_staff"),
        initiative=initiative,
        data={**GOOD, "evidence": [{"title": "Toolkit", "material": f"/materials/{seen.pk}/"}]},
    )
    assert review.evidence.get().material == seen
    with pytest.raises(ValidationError) as refused:
        reviews.add_review(
            actor=world.actor("own_staff"),
            initiative=initiative,
            data={**GOOD, "evidence": [{"title": "Theirs", "material": str(unseen.pk)}]},
        )
    assert "evidence_1_material" in refused.value.message_dict


def test_a_material_evidence_links_to_the_library_on_the_initiative_page(
    world, client_for, initiative
):
    material = MaterialFactory(owner=world.own)
    reviews.add_review(
        actor=world.actor("own_staff"),
        initiative=initiative,
        data={**GOOD, "evidence": [{"title": "Toolkit", "material": str(material.pk)}]},
    )
    page = client_for("own_staff").get(reverse("network:initiative", args=[initiative.pk]))
    assert reverse("materials:material", args=[material.pk]) in page.content.decode()


def test_the_author_and_the_lead_change_a_review_and_others_may_not(world, client_for, initiative):
    review = reviews.add_review(actor=world.actor("own_staff"), initiative=initiative, data=GOOD)
    edit = reverse("network:review-edit", args=[review.pk])
    form = client_for("own_staff").get(edit)
    assert form.status_code == 200
    assert "Delayed days" in form.content.decode()
    assert client_for("own_admin").get(edit).status_code == 403
    lead = client_for("partnership_lead")
    response = lead.post(edit, form_post(what_worked="Huddles, on reflection."))
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.what_worked == "Huddles, on reflection."
    assert review.author == world.own_staff
    assert review.measures.count() == 1
    with pytest.raises(PermissionDenied):
        reviews.update_review(actor=world.actor("own_ld_lead"), review=review, data=GOOD)


def test_an_organisation_token_never_reviews(world, initiative):
    from joinedup.partnership.actor import Actor

    token_actor = Actor(person=None, organisation=world.own)
    with pytest.raises(PermissionDenied):
        reviews.add_review(actor=token_actor, initiative=initiative, data=GOOD)


def test_hostile_text_is_shown_harmlessly(world, client_for, initiative):
    reviews.add_review(
        actor=world.actor("own_staff"),
        initiative=initiative,
        data={**GOOD, "what_worked": "<script>alert(1)</script>\u202e"},
    )
    page = client_for("own_staff").get(reverse("network:initiative", args=[initiative.pk]))
    assert page.status_code == 200
    assert "<script>alert(1)" not in page.content.decode()
