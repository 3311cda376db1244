"""Spread: recording that another organisation adopted an initiative, changing it, and the
initiative page's "Where it spread"."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from joinedup.network import spread
from joinedup.network.models import Adoption
from joinedup.network.tests.factories import InitiativeFactory
from joinedup.partnership.models import AuditEvent

pytestmark = pytest.mark.django_db

GOOD = {
    "gss_code": "E09000005",
    "adopted_on": "2026-04-01",
    "local_changes": "Run from the GP practices, not the hospital.",
    "lessons": "Start with one practice.",
}


@pytest.fixture
def initiative(world):
    return InitiativeFactory(partnership=world.partnership, owner_organisation=world.own)


def test_a_neighbouring_organisation_records_its_adoption_shown_on_the_initiative_page(
    world, client_for, initiative
):
    client = client_for("partner_staff")
    page = client.get(reverse("network:initiative", args=[initiative.pk]))
    assert reverse("network:adoption-new", args=[initiative.pk]) in page.content.decode()
    response = client.post(
        reverse("network:adoption-new", args=[initiative.pk]),
        {
            "gss_code": "E09000005",
            "adopted_on_day": "1",
            "adopted_on_month": "4",
            "adopted_on_year": "2026",
            "local_changes": "Run from the GP practices.",
            "lessons": "Start small.",
        },
    )
    assert response.status_code == 302
    adoption = Adoption.objects.get(initiative=initiative)
    assert adoption.organisation == world.partner
    assert adoption.recorded_by == world.partner_staff
    assert (adoption.gss_code, adoption.place_name) == ("E09000005", "Brent")
    assert adoption.adopted_on == dt.date(2026, 4, 1)
    assert AuditEvent.objects.filter(action="adoption.recorded", object_id=adoption.pk).exists()
    shown = client_for("own_staff").get(reverse("network:initiative", args=[initiative.pk]))
    text = shown.content.decode()
    assert "Where it spread" in text
    assert "Run from the GP practices." in text
    assert "Start small." in text
    assert "Brent" in text


def test_an_organisation_adopts_once_with_a_clear_message(world, initiative):
    spread.record_adoption(actor=world.actor("partner_staff"), initiative=initiative, data=GOOD)
    with pytest.raises(ValidationError) as refused:
        spread.record_adoption(actor=world.actor("partner_admin"), initiative=initiative, data=GOOD)
    assert refused.value.messages == [spread.ALREADY_ADOPTED]


def test_the_adoption_page_sends_a_second_recorder_to_the_first_record(
    world, client_for, initiative
):
    adoption = spread.record_adoption(
        actor=world.actor("partner_staff"), initiative=initiative, data=GOOD
    )
    response = client_for("partner_admin").get(
        reverse("network:adoption-new", args=[initiative.pk])
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("network:adoption-edit", args=[adoption.pk])
    assert (
        client_for("partner_staff")
        .get(reverse("network:initiative", args=[initiative.pk]))
        .status_code
        == 200
    )


def test_the_owner_does_not_adopt_its_own_initiative(world, client_for, initiative):
    with pytest.raises(ValidationError) as refused:
        spread.record_adoption(actor=world.actor("own_staff"), initiative=initiative, data=GOOD)
    assert refused.value.messages == [spread.OWN_INITIATIVE]
    response = client_for("own_staff").get(reverse("network:adoption-new", args=[initiative.pk]))
    assert response.status_code == 403


def test_the_outsider_is_told_nothing(client_for, initiative):
    response = client_for("outsider").get(reverse("network:adoption-new", args=[initiative.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"local_changes": ""}, "local_changes"),
        ({"adopted_on": ""}, "adopted_on"),
        ({"adopted_on": "2999-01-01"}, "adopted_on"),
        ({"gss_code": "X99999999"}, "gss_code"),
        ({"lessons": "a\x00b"}, "lessons"),
    ],
)
def test_bad_values_are_named(world, initiative, change, field):
    with pytest.raises(ValidationError) as refused:
        spread.record_adoption(
            actor=world.actor("partner_staff"), initiative=initiative, data={**GOOD, **change}
        )
    assert field in refused.value.message_dict


def test_the_place_is_optional(world, initiative):
    adoption = spread.record_adoption(
        actor=world.actor("partner_staff"), initiative=initiative, data={**GOOD, "gss_code": ""}
    )
    assert (adoption.gss_code, adoption.place_name) == ("", "")


def test_the_recorder_the_adopters_ld_lead_and_the_lead_change_it_but_not_others(
    world, client_for, initiative
):
    adoption = spread.record_adoption(
        actor=world.actor("partner_staff"), initiative=initiative, data=GOOD
    )
    edit = reverse("network:adoption-edit", args=[adoption.pk])
    for persona in ("partner_staff", "partner_ld_lead", "partner_admin", "partnership_lead"):
        assert client_for(persona).get(edit).status_code == 200, persona
    for persona in ("own_admin", "space_moderator"):
        assert client_for(persona).get(edit).status_code == 403, persona
    assert client_for("outsider").get(edit).status_code == 404
    spread.update_adoption(
        actor=world.actor("partner_ld_lead"),
        adoption=adoption,
        data={**GOOD, "local_changes": "Evening clinics."},
    )
    adoption.refresh_from_db()
    assert adoption.local_changes == "Evening clinics."
    assert adoption.organisation == world.partner
    with pytest.raises(PermissionDenied):
        spread.update_adoption(actor=world.actor("own_admin"), adoption=adoption, data=GOOD)
