"""The missions vocabulary: the partnership lead adds, renames, describes and retires missions;
no one else may; the pages are the lead's."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from joinedup.network import missions
from joinedup.network.models import Mission
from joinedup.partnership.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_the_lead_adds_a_mission_with_an_audit_entry(world):
    lead = world.actor("partnership_lead")
    mission = missions.add_mission(
        actor=lead,
        partnership=world.partnership,
        name="  Healthy   ageing ",
        description="Live well",
    )
    assert (mission.name, mission.description, mission.retired) == (
        "Healthy ageing",
        "Live well",
        False,
    )
    assert AuditEvent.objects.filter(
        action="network.mission.added", object_id=str(mission.pk)
    ).exists()


@pytest.mark.parametrize("persona", ["own_admin", "partner_ld_lead", "outsider"])
def test_no_one_but_the_lead_adds_a_mission(world, persona):
    with pytest.raises(PermissionDenied):
        missions.add_mission(actor=world.actor(persona), partnership=world.partnership, name="X")


def test_a_second_mission_of_the_same_name_is_refused_with_a_clear_message(world):
    lead = world.actor("partnership_lead")
    missions.add_mission(actor=lead, partnership=world.partnership, name="Healthy ageing")
    with pytest.raises(ValidationError) as refused:
        missions.add_mission(actor=lead, partnership=world.partnership, name="healthy AGEING")
    assert refused.value.message_dict == {
        "name": ["The partnership already has a mission called healthy AGEING"]
    }


def test_another_partnership_may_use_the_same_name(world):
    Mission.objects.create(partnership=world.other_partnership, name="Healthy ageing")
    lead = world.actor("partnership_lead")
    missions.add_mission(actor=lead, partnership=world.partnership, name="Healthy ageing")
    assert Mission.objects.filter(name="Healthy ageing").count() == 2


def test_a_blank_name_is_refused_naming_the_field(world):
    with pytest.raises(ValidationError) as refused:
        missions.add_mission(
            actor=world.actor("partnership_lead"), partnership=world.partnership, name="  "
        )
    assert "name" in refused.value.message_dict


def test_the_lead_renames_describes_and_retires_a_mission(world):
    lead = world.actor("partnership_lead")
    mission = missions.add_mission(actor=lead, partnership=world.partnership, name="Ageing")
    changed = missions.change_mission(
        actor=lead, mission=mission, name="Healthy ageing", description="Longer lives", retired=True
    )
    mission.refresh_from_db()
    assert changed
    assert (mission.name, mission.description, mission.retired) == (
        "Healthy ageing",
        "Longer lives",
        True,
    )
    event = AuditEvent.objects.get(action="network.mission.changed")
    assert event.changes["retired"] == [False, True]
    assert not missions.change_mission(
        actor=lead, mission=mission, name="Healthy ageing", description="Longer lives", retired=True
    )


def test_renaming_onto_another_missions_name_is_refused(world):
    lead = world.actor("partnership_lead")
    missions.add_mission(actor=lead, partnership=world.partnership, name="Housing")
    other = missions.add_mission(actor=lead, partnership=world.partnership, name="Homes")
    with pytest.raises(ValidationError) as refused:
        missions.change_mission(
            actor=lead, mission=other, name="Housing", description="", retired=False
        )
    assert "name" in refused.value.message_dict


def test_the_lead_adds_and_changes_missions_through_the_pages(world, client_for):
    client = client_for("partnership_lead")
    response = client.post(
        reverse("network:mission-new"), {"name": "Healthy ageing", "description": "Live well"}
    )
    assert response.status_code == 302
    mission = Mission.objects.get(name="Healthy ageing")
    page = client.get(reverse("network:missions"))
    assert "Healthy ageing" in page.content.decode()
    response = client.post(
        reverse("network:mission-edit", args=[mission.pk]),
        {"name": "Ageing well", "description": "", "retired": "on"},
    )
    assert response.status_code == 302
    mission.refresh_from_db()
    assert (mission.name, mission.retired) == ("Ageing well", True)


def test_a_duplicate_name_on_the_page_shows_the_message_on_the_field(world, client_for):
    Mission.objects.create(partnership=world.partnership, name="Housing")
    response = client_for("partnership_lead").post(
        reverse("network:mission-new"), {"name": "Housing"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == [
        "The partnership already has a mission called Housing"
    ]


@pytest.mark.parametrize("persona", ["own_admin", "partner_staff", "outsider"])
def test_the_missions_pages_are_the_leads_only(world, client_for, persona):
    client = client_for(persona)
    assert client.get(reverse("network:missions")).status_code == 403
    assert client.post(reverse("network:mission-new"), {"name": "X"}).status_code == 403
    assert not Mission.objects.exists()
